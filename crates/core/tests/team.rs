//! An analysis shared between threads gives exactly the report of one analysis.

mod common;

use common::{example, examples};
use loglens_core::{Analysis, AnalysisOptions, Baseline, BaselineUse, ParsedLines, Report};
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

/// Every bundled example, read by teams whose first member parses for all: the others
/// rebuild the access-log lines it describes and parse the rest (other formats, rejects).
#[test]
fn a_team_sharing_one_parse_reports_what_one_analysis_reports() {
    for (name, input) in examples() {
        let alone = by_team(&input, AnalysisOptions::default(), 1);
        for members in [2, 3] {
            for chunk in [4_093, 40_961] {
                let shared = by_team_sharing_parse(&input, members, chunk, |_| true);
                assert!(
                    shared == alone,
                    "{name}: a team of {members} sharing one parse, in chunks of {chunk}, reported otherwise"
                );
            }
        }
    }
}

/// A chunk without its description (an empty one), or with another chunk's, is parsed by
/// the members that get it: the report is still that of one analysis.
#[test]
fn a_missing_or_wrong_description_changes_nothing() {
    let input = example("access_combined.log");
    let alone = by_team(&input, AnalysisOptions::default(), 1);
    let every_other = by_team_sharing_parse(&input, 2, 4_093, |chunk| chunk % 2 == 0);
    assert!(every_other == alone, "chunks without descriptions");
    let mut team = Analysis::team_sharing_parse(AnalysisOptions::default(), 2);
    let mut previous = ParsedLines::default();
    let mut parsed = ParsedLines::default();
    for chunk in input.chunks(4_093) {
        team[0].feed_and_describe(chunk, &mut parsed);
        // The previous chunk's description: other lines, which are parsed.
        team[1].feed_described(chunk, &previous);
        std::mem::swap(&mut previous, &mut parsed);
    }
    assert!(finish(team) == alone, "chunks with the wrong descriptions");
}

/// A description filled again holds the new chunk's lines only: the old ones would be
/// passed by, unseen, but each member would step over them on every chunk after.
#[test]
fn a_description_filled_again_holds_only_the_new_chunk() {
    let input = example("access_combined.log");
    let (first, second) = input.split_at(input.len() / 2);
    let describe = |chunks: &[&[u8]], parsed: &mut ParsedLines| {
        let mut lead = Analysis::team_sharing_parse(AnalysisOptions::default(), 2).remove(0);
        for chunk in chunks {
            lead.feed_and_describe(chunk, parsed);
        }
    };
    let mut fresh = ParsedLines::default();
    describe(&[second], &mut fresh);
    let mut reused = ParsedLines::default();
    describe(&[first], &mut reused);
    assert!(reused.len() > 1_000, "the first half's lines are described");
    describe(&[second], &mut reused);
    assert_eq!(reused.len(), fresh.len());
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

/// Reads `input` in chunks of `chunk` bytes with a team whose first member describes
/// its parse to the others, for the chunks `describe` (by number) says.
fn by_team_sharing_parse(
    input: &[u8],
    members: usize,
    chunk: usize,
    describe: impl Fn(usize) -> bool,
) -> Report {
    let mut team = Analysis::team_sharing_parse(AnalysisOptions::default(), members);
    assert_eq!(team.len(), members, "the team has as many members as asked");
    // One description, filled again for every chunk, as the command line reuses them.
    let mut parsed = ParsedLines::default();
    let nothing = ParsedLines::default();
    for (number, chunk) in input.chunks(chunk).enumerate() {
        let (lead, others) = team.split_first_mut().expect("a team has a first member");
        lead.feed_and_describe(chunk, &mut parsed);
        let parsed = if describe(number) { &parsed } else { &nothing };
        for member in others {
            member.feed_described(chunk, parsed);
        }
    }
    finish(team)
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
