//! Model files (baselines) are input too: a user loads one from disk or the browser keeps
//! one. Any text must be refused with a reason or accepted; an accepted one must read
//! back once written, and judging a log against it must not panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loglens_core::{Analysis, AnalysisOptions, Baseline, BaselineUse};
use std::sync::Arc;

const LOG: &str = concat!(
    "10.0.0.1 - - [01/Mar/2024:10:00:00 +0000] \"GET /a?x=1 HTTP/1.1\" 200 512 \"-\" \"m\" 0.120\n",
    "10.0.0.2 - - [01/Mar/2024:03:00:00 +0000] \"POST /admin HTTP/1.1\" 500 0 \"-\" \"m\" 9.500\n",
    "Mar  1 10:00:00 web sshd[1]: Failed password for root from 10.0.0.3 port 22 ssh2\n",
);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(baseline) = Baseline::from_json(text) else {
        return;
    };
    // Written back, it reads again (floats may move by a unit in the last place).
    assert!(Baseline::from_json(&baseline.to_json()).is_ok());
    let mut analysis = Analysis::new(AnalysisOptions {
        baseline: BaselineUse::Apply(Arc::new(baseline)),
        ..AnalysisOptions::default()
    });
    analysis.feed(LOG.repeat(20).as_bytes());
    let report = analysis.finish();
    assert_eq!(report.lines, report.parsed + report.rejected);
});
