//! An analysis shared between threads gives exactly the report of one analysis.

mod common;

use common::{example, examples};
use loglens_core::{Analysis, AnalysisOptions, Baseline, BaselineUse, Report};
use std::sync::Arc;

/// Every bundled example, read by one analysis and by teams of two and three, each member
/// fed the same chunks (of an odd size, so lines straddle them).
#[test]
fn a_team_reports_what_one_analysis_reports() {
    let mut checked = 0;
    for (name, input) in examples() {
        let alone = by_team(&input, AnalysisOptions::default(), 1);
        assert!(alone.parsed > 0, "{name} parsed nothing");
        for members in [2, 3] {
            let shared = by_team(&input, AnalysisOptions::default(), members);
            assert!(
                shared == alone,
                "{name}: a team of {members} reported otherwise"
            );
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} examples found");
}

#[test]
fn a_team_judging_against_a_baseline_reports_what_one_analysis_reports() {
    let learned_from = example("access_common.log");
    let mut learning = Analysis::new(AnalysisOptions {
        baseline: BaselineUse::Learn,
        ..AnalysisOptions::default()
    });
    learning.feed(&learned_from);
    let baseline: Baseline = learning.finish_outcome().baseline.expect("a baseline");
    let options = AnalysisOptions {
        baseline: BaselineUse::Apply(Arc::new(baseline)),
        ..AnalysisOptions::default()
    };
    let input = example("access_combined.log");
    let alone = by_team(&input, options.clone(), 1);
    assert!(!alone.findings.is_empty());
    assert!(by_team(&input, options, 2) == alone);
}

/// Reads `input` with a team of `members`, as threads would: each member every chunk.
fn by_team(input: &[u8], options: AnalysisOptions, members: usize) -> Report {
    let mut team = Analysis::team(options, members);
    assert_eq!(team.len(), members, "the team has as many members as asked");
    for chunk in input.chunks(40_961) {
        for member in &mut team {
            member.feed(chunk);
        }
    }
    let mut members = team.into_iter();
    let lead = members.next().expect("a team has a first member");
    let shares = members.map(Analysis::finish_share).collect();
    lead.finish_team(shares)
        .expect("every member's share")
        .report
}
