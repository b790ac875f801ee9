//! One analysis on several cores: a team whose members all read the whole input, each
//! running a share of the detectors, the first one also keeping the counts. It is the
//! only way loglens uses more than one core, in the CLI's threads and in the page's
//! workers alike: it works for any input (a pipe, a `.gz`, several files), and parsing
//! each line again costs little next to the detectors.
//!
//! ```text
//! chunks ─┬─▶ member 0: counts + its detectors ──────────────────┬─▶ finish_team ─▶ Outcome
//!         └─▶ member 1: its detectors ─▶ finish_share ─▶ MemberFindings ─┘
//! ```
//!
//! Detectors go to the member with the least work so far, the costliest first, by
//! [`Detector::relative_cost`]. Putting the members' findings back in the detectors'
//! order gives exactly the report one analysis would have given.

use super::detector_results::MemberFindings;
use super::report_building::Ended;
use super::{Analysis, AnalysisOptions, Outcome};
use crate::baseline::BaselineUse;
use crate::detect::Detector;

/// Past this many members a team is no faster: the two models are a detector each and
/// bound the time, and every member reads the whole input.
pub const MAX_USEFUL_TEAM: usize = 3;

/// What the first member adds by reading the input for all and keeping the counts, in
/// the units of [`Detector::relative_cost`].
const COUNTS_COST: u32 = 9;

impl Analysis {
    /// `members` analyses of one input that share its detectors between them, for as many
    /// threads or workers: feed every member the same chunks, finish all but the first
    /// with [`Analysis::finish_share`], and the first with [`Analysis::finish_team`].
    /// Learning a baseline or training a classifier is not shared: then the team is one
    /// analysis; members that would get no detector are left out.
    pub fn team(options: AnalysisOptions, members: usize) -> Vec<Analysis> {
        let members = if Self::shareable(&options) {
            members.max(1)
        } else {
            1
        };
        (0..members)
            .filter_map(|member| Self::team_member(options.clone(), members, member))
            .filter(|analysis| {
                analysis.handler.counts.is_some() || !analysis.handler.detectors.is_empty()
            })
            .collect()
    }

    /// Whether an analysis with `options` can be shared: not when it learns a baseline or
    /// trains a classifier, whose learning every detector adds to.
    pub fn shareable(options: &AnalysisOptions) -> bool {
        !matches!(options.baseline, BaselineUse::Learn) && !options.train_classifier
    }

    /// Member `member` (from 0) of a team of `members`, built on its own, for a worker
    /// that runs only this member; it may have no detector. `None` when there is no such
    /// member or the analysis cannot be shared.
    pub fn team_member(options: AnalysisOptions, members: usize, member: usize) -> Option<Self> {
        if member >= members || (members > 1 && !Self::shareable(&options)) {
            return None;
        }
        let mut analysis = Self::new(options);
        if members > 1 {
            let owners = owners(&analysis.handler.detectors, members);
            let handler = &mut analysis.handler;
            handler
                .detectors
                .retain(|(index, _)| owners[*index] == member);
            if member > 0 {
                handler.counts = None;
            }
        }
        Some(analysis)
    }

    /// Ends the input for a member of a team other than the first: what its detectors
    /// found, for [`Analysis::finish_team`].
    pub fn finish_share(self) -> MemberFindings {
        let mut ended = self.end(true);
        MemberFindings {
            results: ended.handler.finish_detectors(None),
        }
    }

    /// Ends the input for the first member of a team, with what the others found: the
    /// outcome one analysis would have given. An error when the shares do not hold every
    /// detector's work exactly once (one is missing, or came twice).
    pub fn finish_team(self, shares: Vec<MemberFindings>) -> Result<Outcome, IncompleteTeam> {
        self.close_lead().finish_team(shares)
    }

    /// Ends the input for the first member of a team and finishes its own detectors
    /// before the others' shares arrive, so that its own end is not on the time the team
    /// waits. [`LeadAwaitingShares::finish_team`] then puts the outcome together.
    pub fn close_lead(self) -> LeadAwaitingShares {
        let shareable = Self::shareable(&self.handler.options);
        let mut ended = self.end(true);
        // Learning adds every detector's work to what is learned, at the end: then
        // nothing is finished early (and such an analysis has no team).
        let own = MemberFindings {
            results: if shareable {
                ended.handler.finish_detectors(None)
            } else {
                Vec::new()
            },
        };
        LeadAwaitingShares { ended, own }
    }
}

/// The member each detector goes to, by its place: the costliest first, each to the
/// member with the least work so far.
fn owners(detectors: &[(usize, Box<dyn Detector>)], members: usize) -> Vec<usize> {
    let mut loads = vec![0u32; members];
    loads[0] = COUNTS_COST;
    let mut order: Vec<(usize, u32)> = detectors
        .iter()
        .map(|(index, detector)| (*index, detector.relative_cost()))
        .collect();
    order.sort_by_key(|&(index, cost)| (std::cmp::Reverse(cost), index));
    let mut owner = vec![0; order.len()];
    for (index, cost) in order {
        let lightest = (0..members).min_by_key(|&m| (loads[m], m)).unwrap_or(0);
        owner[index] = lightest;
        loads[lightest] += cost;
    }
    owner
}

/// The first member of a team, its input ended and its own detectors finished (see
/// [`Analysis::close_lead`]), waiting for the others' shares.
#[derive(Debug)]
pub struct LeadAwaitingShares {
    ended: Ended,
    /// What its own detectors found, finished early.
    own: MemberFindings,
}

impl LeadAwaitingShares {
    /// The outcome one analysis would have given, with what the others found. An error
    /// when the shares do not hold every detector's work exactly once (one is missing,
    /// or came twice).
    pub fn finish_team(self, mut shares: Vec<MemberFindings>) -> Result<Outcome, IncompleteTeam> {
        let Self { ended, own } = self;
        let mut reported: Vec<usize> = shares
            .iter()
            .chain([&own])
            .flat_map(|share| share.results.iter().map(|result| result.index))
            .chain(ended.handler.detectors.iter().map(|(index, _)| *index))
            .collect();
        reported.sort_unstable();
        let expected = ended.handler.all_detectors;
        if !reported.iter().copied().eq(0..expected) {
            return Err(IncompleteTeam {
                expected,
                reported: reported.len(),
            });
        }
        shares.push(own);
        Ok(ended.into_outcome(shares))
    }
}

/// The work of a team's members, put together, does not cover every detector once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the shared analysis came together wrong: {reported} detectors reported, {expected} expected"
)]
pub struct IncompleteTeam {
    /// The detectors the analysis runs.
    pub expected: usize,
    /// The detectors' results received, duplicates included.
    pub reported: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze_bytes;

    const LOG: &str = concat!(
        "10.0.0.1 - - [01/Jan/2024:10:00:00 +0100] \"GET / HTTP/1.1\" 200 512 \"-\" \"curl/8\"\n",
        "garbage\n",
        "10.0.0.1 - - [01/Jan/2024:09:59:00 +0100] \"POST /login HTTP/1.1\" 401 20 \"-\" \"curl/8\"",
    );

    #[test]
    fn a_share_sent_as_json_text_gives_the_same_report() {
        let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../example_logs/");
        let input = std::fs::read(format!("{examples}access_combined.log")).unwrap();
        let alone = analyze_bytes(&input, AnalysisOptions::default());
        let mut team = Analysis::team(AnalysisOptions::default(), 2);
        for member in &mut team {
            member.feed(&input);
        }
        let share = team.pop().unwrap().finish_share();
        assert!(!share.results.iter().all(|r| r.findings.is_empty()));
        let json = serde_json::to_string(&share).unwrap();
        let share: MemberFindings = serde_json::from_str(&json).unwrap();
        // Exactly: serde_json reads numbers back as written (its float_roundtrip).
        assert!(team.pop().unwrap().finish_team(vec![share]).unwrap().report == alone);
    }

    #[test]
    fn a_team_missing_or_repeating_a_share_is_an_error_not_another_report() {
        let team = || {
            let mut team = Analysis::team(AnalysisOptions::default(), 3);
            for member in &mut team {
                member.feed(LOG.as_bytes());
            }
            let mut team = team.into_iter();
            let lead = team.next().unwrap();
            (lead, team.map(Analysis::finish_share).collect::<Vec<_>>())
        };
        let (lead, mut shares) = team();
        shares.pop();
        assert_eq!(
            lead.finish_team(shares).unwrap_err().reported,
            Analysis::new(AnalysisOptions::default())
                .handler
                .detectors
                .len()
                - Analysis::team(AnalysisOptions::default(), 3)[2]
                    .handler
                    .detectors
                    .len()
        );
        let (lead, shares) = team();
        let (_, again) = team();
        let repeated = shares
            .into_iter()
            .chain(again.into_iter().take(1))
            .collect();
        assert!(lead.finish_team(repeated).is_err());
        let (lead, shares) = team();
        assert!(lead.finish_team(shares).is_ok());
    }

    #[test]
    fn a_member_built_alone_is_the_member_of_the_team() {
        let indices = |analysis: &Analysis| -> Vec<usize> {
            analysis.handler.detectors.iter().map(|(i, _)| *i).collect()
        };
        let team = Analysis::team(AnalysisOptions::default(), 3);
        for (member, in_team) in team.iter().enumerate() {
            let alone = Analysis::team_member(AnalysisOptions::default(), 3, member).unwrap();
            assert_eq!(indices(&alone), indices(in_team));
            assert_eq!(alone.handler.counts.is_some(), member == 0);
        }
        assert!(Analysis::team_member(AnalysisOptions::default(), 3, 3).is_none());
    }

    #[test]
    fn a_team_shares_the_detectors_out_and_the_first_member_keeps_the_counts() {
        let all = Analysis::new(AnalysisOptions::default())
            .handler
            .detectors
            .len();
        let team = Analysis::team(AnalysisOptions::default(), 2);
        let shares: Vec<usize> = team.iter().map(|m| m.handler.detectors.len()).collect();
        assert_eq!(shares.iter().sum::<usize>(), all);
        assert!(shares.iter().all(|&n| n > 0), "{shares:?}");
        assert!(team[0].handler.counts.is_some() && team[1].handler.counts.is_none());
        // Learning is not shared.
        let learning = AnalysisOptions {
            baseline: BaselineUse::Learn,
            ..AnalysisOptions::default()
        };
        assert_eq!(Analysis::team(learning, 2).len(), 1);
    }
}
