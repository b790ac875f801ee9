//! An analysis shared between threads (or the page's workers) gives exactly the report
//! of one analysis.

use crate::common::{example, examples};
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

/// A lead closed early finishes nothing early when its analysis learns a baseline (such
/// an analysis has no team): the baseline is the one a single analysis learns.
#[test]
fn a_learning_analysis_closed_as_a_lead_still_learns() {
    let input = example("access_combined.log");
    let learning = || {
        let options = AnalysisOptions {
            baseline: BaselineUse::Learn,
            ..AnalysisOptions::default()
        };
        let mut team = Analysis::team(options, 2);
        assert_eq!(team.len(), 1, "learning is not shared");
        let mut analysis = team.remove(0);
        analysis.feed(&input);
        analysis
    };
    let alone = learning().finish_outcome();
    let closed = learning()
        .close_lead()
        .finish_team(Vec::new())
        .expect("no other member");
    let learned = closed.baseline.expect("a baseline");
    assert!(!learned.to_json().is_empty());
    assert_eq!(Some(learned.to_json()), alone.baseline.map(|b| b.to_json()));
    assert!(closed.report == alone.report);
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
    finish(team)
}

/// Ends a team's input as the command line does: the first member closes (finishing its
/// own detectors) before the others' shares are made, then puts the report together.
fn finish(team: Vec<Analysis>) -> Report {
    let mut members = team.into_iter();
    let lead = members
        .next()
        .expect("a team has a first member")
        .close_lead();
    let shares = members.map(Analysis::finish_share).collect();
    lead.finish_team(shares)
        .expect("every member's share")
        .report
}
