//! The whole analysis, detectors and models included, on any input cut anywhere: never a
//! panic, and every line accounted for.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loglens_core::{Analysis, AnalysisOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&cut, bytes)) = data.split_first() else {
        return;
    };
    let mut analysis = Analysis::new(AnalysisOptions::default());
    for part in bytes.chunks(usize::from(cut).max(1)) {
        analysis.feed(part);
    }
    let report = analysis.finish();
    assert_eq!(report.lines, report.parsed + report.rejected);
});
