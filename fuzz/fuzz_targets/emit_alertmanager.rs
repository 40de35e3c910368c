//! The alertmanager target: an input that checks clean compiles to valid YAML.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| slac_fuzz::emit(data, slac::emit::Target::Alertmanager));
