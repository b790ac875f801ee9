//! What memory follows: the most that any structure growing with a log's variety keeps,
//! and [`LeftOut`], which says in the report what a full one left out.

use serde::{Deserialize, Serialize};

/// The most clients one detector keeps state for (a few hundred bytes to a few KB each):
/// with a dozen detectors, what a log of millions of clients costs stays near 100 MB.
/// Small in unit tests, so the ceiling can be reached there.
pub const MAX_TRACKED_CLIENTS: usize = if cfg!(test) { 2_000 } else { 50_000 };

/// The most candidate lines a detector holds until the end (slow responses, sensitive
/// pages), each a client, a line number and a time.
pub const MAX_CANDIDATES: usize = if cfg!(test) { 2_000 } else { 50_000 };

/// The most keys a table that grows with a log's variety holds: its minutes (a log
/// spanning years, or with timestamps made up), its endpoints or download paths.
pub const MAX_TABLE_KEYS: usize = if cfg!(test) { 10_000 } else { 250_000 };

/// What one part of the analysis left out because it reached a limit: memory follows the
/// limits, not the file, and the report says what the limits cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftOut {
    /// Which part: "password guessing", "the count of distinct clients", "the report".
    pub what: String,
    /// How many it keeps at most, of `unit`.
    pub kept: u64,
    /// What it keeps: "clients", "slow lines", "findings".
    pub unit: String,
    /// How many were left out, of `left_out_what`.
    pub left_out: u64,
    /// What was left out: "lines of other clients", "findings".
    pub left_out_what: String,
}

impl LeftOut {
    /// A part that keeps state per client, full: `lines` of further clients untracked.
    pub fn clients(what: &str, lines: u64) -> Self {
        Self {
            what: what.to_owned(),
            kept: MAX_TRACKED_CLIENTS as u64,
            unit: "clients".to_owned(),
            left_out: lines,
            left_out_what: "lines of other clients".to_owned(),
        }
    }

    /// A part that counts lines per minute, full: `lines` of further minutes not placed.
    pub fn minutes(what: &str, lines: u64) -> Self {
        Self {
            what: what.to_owned(),
            kept: MAX_TABLE_KEYS as u64,
            unit: "minutes".to_owned(),
            left_out: lines,
            left_out_what: "lines of other minutes".to_owned(),
        }
    }

    /// A part that judges candidate lines at the end, full: `left_out` more of `unit`
    /// ("slow lines", "oversized responses") were not kept.
    pub fn candidates(what: &str, unit: &str, left_out: u64) -> Self {
        Self {
            what: what.to_owned(),
            kept: MAX_CANDIDATES as u64,
            unit: unit.to_owned(),
            left_out,
            left_out_what: unit.to_owned(),
        }
    }

    /// "password guessing keeps at most 50,000 clients; 2,800,000 lines of other
    /// clients were left out".
    pub fn sentence(&self) -> String {
        use crate::figures::group_thousands;
        format!(
            "{} keeps at most {} {}; {} {} were left out",
            self.what,
            group_thousands(self.kept),
            self.unit,
            group_thousands(self.left_out),
            self.left_out_what
        )
    }
}
