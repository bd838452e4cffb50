#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| womlint_fuzz::check(data));
