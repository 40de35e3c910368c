//! The formatter: when it formats, formatting again changes nothing. A
//! refusal (`FormatError::Unsafe`) is an error the CLI reports, not a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;
use slac::fmt::{format, verify};
use slac::source::FileId;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(once) = format(FileId(0), text) {
        verify(text, &once).expect("format verified its output");
        match format(FileId(0), &once) {
            Ok(twice) => assert_eq!(once, twice, "formatting is not idempotent"),
            Err(e) => panic!("formatted text does not format again: {e:?}\n{once}"),
        }
    }
});
