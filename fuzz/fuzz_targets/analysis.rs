//! The whole analysis, detectors and models included, on any input cut anywhere: never a
//! panic, every line accounted for, and a team of two reports the same.
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
    let mut team = Analysis::team(AnalysisOptions::default(), 2);
    assert_eq!(team.len(), 2, "the default detectors fill two members");
    for part in bytes.chunks(usize::from(cut).max(1)) {
        for member in &mut team {
            member.feed(part);
        }
    }
    let helper = team.pop().expect("two members").finish_share();
    let lead = team.pop().expect("two members");
    let shared = lead.finish_team(vec![helper]).expect("every detector's share").report;
    assert!(shared == report, "a team reported otherwise");
});
