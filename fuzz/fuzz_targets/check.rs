//! The checker, imports included: the input is up to three files separated
//! by NUL bytes (see `slac_fuzz::FILES`); every diagnostic is rendered.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = slac_fuzz::check(&slac_fuzz::loader(data), true);
});
