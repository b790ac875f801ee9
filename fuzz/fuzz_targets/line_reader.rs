//! The line reader on any bytes cut anywhere: no panic, and the same lines however cut.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loglens_core::LineReader;

fuzz_target!(|data: &[u8]| {
    let Some((&cut, bytes)) = data.split_first() else {
        return;
    };
    let read = |chunk: usize| {
        let mut reader = LineReader::with_max_line_bytes(64);
        let mut lines = Vec::new();
        for part in bytes.chunks(chunk.max(1)) {
            reader.feed(part, |line| {
                lines.push((line.number, line.text.to_owned(), line.truncated))
            });
        }
        reader.finish(|line| lines.push((line.number, line.text.to_owned(), line.truncated)));
        lines
    };
    assert_eq!(read(usize::from(cut)), read(usize::MAX));
});
