//! The whole analysis, detectors and models included, on any input cut anywhere: never a
//! panic, every line accounted for, and a team of two sharing one parse reports the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loglens_core::{Analysis, AnalysisOptions, ParsedLines};

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
    let mut team = Analysis::team_sharing_parse(AnalysisOptions::default(), 2);
    assert_eq!(team.len(), 2, "the default detectors fill two members");
    let mut parsed = ParsedLines::default();
    for part in bytes.chunks(usize::from(cut).max(1)) {
        team[0].feed_and_describe(part, &mut parsed);
        team[1].feed_described(part, &parsed);
    }
    let helper = team.pop().expect("two members").finish_share();
    let lead = team.pop().expect("two members");
    let shared = lead.finish_team(vec![helper]).expect("every detector's share").report;
    assert!(shared == report, "a team sharing one parse reported otherwise");
});
