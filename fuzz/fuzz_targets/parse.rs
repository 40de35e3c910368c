//! The parser: any UTF-8 text gives a tree or a syntax diagnostic, and the
//! same one whether the file is parsed whole or in the smallest pieces cut
//! between its items (`syntax::chunks`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use slac::source::FileId;
use slac::syntax::parse_in_pieces;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let whole = parse_in_pieces(FileId(0), text, usize::MAX);
        let pieces = parse_in_pieces(FileId(0), text, 1);
        assert_eq!(format!("{whole:?}"), format!("{pieces:?}"));
    }
});
