//! Every format's parser on any text: never a panic, whatever the line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loglens_core::LogTime;
use loglens_core::parse::{LineParser, LogFormat};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let now = LogTime {
        epoch_secs: 1_717_200_000,
        offset_secs: 0,
    };
    for format in LogFormat::ALL {
        let mut parser = LineParser::for_format(format, now);
        for line in text.lines() {
            let _ = parser.parse(line);
        }
    }
});
