//! Lines that did not parse: how many for each reason, and the first few as examples.
//!
//! Counting every rejected line and keeping a bounded sample means nothing is lost
//! silently, and memory stays the same whether one line or a million were rejected.

use crate::display_text::for_display;
use crate::parse::RejectReason;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The longest a sampled rejected line is kept, in characters.
const SAMPLE_TEXT_CHARS: usize = 1_000;

/// Rejected lines counted by reason, with the first few kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectTally {
    /// Every reason seen, with how many lines it rejected, most frequent first.
    pub by_reason: Vec<ReasonCount>,
    /// The first rejected lines, in file order.
    pub samples: Vec<RejectedLine>,
}

/// How many lines one reason rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonCount {
    /// Why the lines were rejected.
    pub reason: RejectReason,
    /// How many lines.
    pub count: u64,
}

/// A rejected line as written (clipped to 1 000 characters), with its number and reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedLine {
    /// 1-based line number in the file.
    pub line_no: u64,
    /// Why it was rejected.
    pub reason: RejectReason,
    /// The line, with control characters escaped (see `display_text`).
    pub text: String,
}

/// Collects rejected lines while a file streams.
#[derive(Debug, Clone)]
pub(crate) struct RejectCounter {
    counts: BTreeMap<RejectReason, u64>,
    samples: Vec<RejectedLine>,
    sample_limit: usize,
}

impl RejectCounter {
    /// A counter that keeps the first `sample_limit` rejected lines.
    pub(crate) fn new(sample_limit: usize) -> Self {
        Self {
            counts: BTreeMap::new(),
            samples: Vec::new(),
            sample_limit,
        }
    }

    /// Counts line `line_no` under `reason`, keeping its text while samples are wanted.
    pub(crate) fn add(&mut self, line_no: u64, reason: RejectReason, text: &str) {
        *self.counts.entry(reason).or_default() += 1;
        if self.samples.len() < self.sample_limit {
            self.samples.push(RejectedLine {
                line_no,
                reason,
                text: for_display(text, SAMPLE_TEXT_CHARS),
            });
        }
    }

    /// The tally, reasons most frequent first.
    pub(crate) fn finish(self) -> RejectTally {
        let mut by_reason: Vec<ReasonCount> = self
            .counts
            .into_iter()
            .map(|(reason, count)| ReasonCount { reason, count })
            .collect();
        // Stable sort: equal counts keep the reasons' own order.
        by_reason.sort_by_key(|r| std::cmp::Reverse(r.count));
        RejectTally {
            by_reason,
            samples: self.samples,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_every_line_but_keeps_only_the_first_few() {
        let mut counter = RejectCounter::new(2);
        counter.add(3, RejectReason::BadStatus, "a");
        counter.add(5, RejectReason::Empty, "");
        counter.add(9, RejectReason::BadStatus, "b");
        let tally = counter.finish();
        assert_eq!(
            tally.by_reason,
            [
                ReasonCount {
                    reason: RejectReason::BadStatus,
                    count: 2
                },
                ReasonCount {
                    reason: RejectReason::Empty,
                    count: 1
                }
            ]
        );
        assert_eq!(
            tally.samples.iter().map(|s| s.line_no).collect::<Vec<_>>(),
            [3, 5]
        );
    }

    #[test]
    fn clips_long_lines() {
        let mut counter = RejectCounter::new(1);
        counter.add(1, RejectReason::BadStatus, &"é".repeat(5_000));
        assert_eq!(
            counter.finish().samples[0].text.chars().count(),
            SAMPLE_TEXT_CHARS + 1
        );
    }
}
