//! The gzip-or-plain decoder on any bytes: an error for damage, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loglens_core::InputDecoder;

fuzz_target!(|data: &[u8]| {
    // Half the time, make it look like gzip so the inflater itself is exercised.
    let mut input = data.to_vec();
    if data.first().is_some_and(|b| b % 2 == 0) {
        input.splice(0..0, [0x1f, 0x8b, 0x08, 0x00]);
    }
    let mut decoder = InputDecoder::new();
    let mut out = 0usize;
    if decoder.feed(&input, |bytes| out += bytes.len()).is_ok() {
        let _ = decoder.finish(|bytes| out += bytes.len());
    }
});
