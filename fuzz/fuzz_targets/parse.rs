//! The parser: any UTF-8 text gives a tree or a syntax diagnostic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use slac::source::FileId;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = slac::syntax::parse(FileId(0), text);
    }
});
