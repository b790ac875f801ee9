//! The JSON report: summary figures and every finding at or above a severity.
//!
//! ```json
//! { "format": "combined", "lines_total": 6111, "lines_parsed": 6108, "lines_rejected": 3,
//!   "clients": 168, "first_time": "2024-03-11T01:27:38+01:00", "last_time": "…",
//!   "rejected_reasons": [{ "reason": "the line is empty", "count": 1 }],
//!   "findings": [{ "kind": "sql_injection", "severity": "critical", "score": 86,
//!                  "confidence": 0.9, "client": "192.0.2.150",
//!                  "first_seen": "2024-03-12T10:03:00+01:00", "last_seen": "…",
//!                  "lines": [3886, 3887], "evidence_count": 40, "description": "…",
//!                  "contributions": [] }] }
//! ```
//! `lines` are 1-based numbers of the file's lines as split on `\n`.

use crate::finding::{Contribution, FindingKind, Severity};
use crate::report::Report;
use crate::sensitivity::FindingFilter;
use serde::Serialize;

/// The report as the JSON contract describes it, borrowing the report's texts (a copy of
/// a hundred thousand findings' would double what writing them costs).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JsonReport<'r> {
    /// The detected format's machine name (`combined`, `common`), or null.
    pub format: Option<&'static str>,
    /// Lines read.
    pub lines_total: u64,
    /// Lines understood.
    pub lines_parsed: u64,
    /// Lines not understood.
    pub lines_rejected: u64,
    /// Distinct clients.
    pub clients: u64,
    /// The earliest time in the file, RFC 3339 in the log's own offset.
    pub first_time: Option<String>,
    /// The latest time in the file.
    pub last_time: Option<String>,
    /// Why lines were rejected, most frequent first.
    pub rejected_reasons: Vec<JsonReasonCount>,
    /// The findings the filter shows (severity and sensitivity), worst first.
    pub findings: Vec<JsonFinding<'r>>,
    /// What a limit left out (lines of clients beyond the ones kept), when anything.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub untracked: &'r [crate::limits::LeftOut],
    /// The baseline the file was judged against ("name (N lines)"), when one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<&'r str>,
}

/// A reject reason and its count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JsonReasonCount {
    /// The reason, as a sentence.
    pub reason: String,
    /// Lines it rejected.
    pub count: u64,
}

/// A finding, with times as RFC 3339 strings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JsonFinding<'r> {
    /// See [`FindingKind::as_str`].
    pub kind: FindingKind,
    /// `critical`, `high`, `medium` or `low`.
    pub severity: Severity,
    /// 0 to 100.
    pub score: u8,
    /// 0 to 1.
    pub confidence: f64,
    /// The client address, user or host.
    pub client: &'r str,
    /// The first evidence line's time.
    pub first_seen: String,
    /// The last evidence line's time.
    pub last_seen: String,
    /// 1-based evidence line numbers.
    pub lines: &'r [u64],
    /// How many lines are evidence (`lines` may list fewer).
    pub evidence_count: u64,
    /// One sentence with the numbers behind it.
    pub description: &'r str,
    /// Per-feature shares, for model findings.
    pub contributions: &'r [Contribution],
}

/// `report` as the JSON contract, with the findings `filter` shows.
pub fn json_report(report: &Report, filter: FindingFilter) -> JsonReport<'_> {
    JsonReport {
        format: report.format.map(|f| f.as_str()),
        baseline: report.baseline.as_ref().map(|b| b.name.as_str()),
        untracked: &report.untracked,
        lines_total: report.lines,
        lines_parsed: report.parsed,
        lines_rejected: report.rejected,
        clients: report.clients,
        first_time: report.first_time.map(|t| t.to_string()),
        last_time: report.last_time.map(|t| t.to_string()),
        rejected_reasons: report
            .rejects
            .by_reason
            .iter()
            .map(|r| JsonReasonCount {
                reason: r.reason.to_string(),
                count: r.count,
            })
            .collect(),
        findings: report.visible_findings(filter).map(json_finding).collect(),
    }
}

/// One finding as the JSON contract describes it (also a line of `--follow --output json`).
pub fn json_finding(f: &crate::Finding) -> JsonFinding<'_> {
    JsonFinding {
        kind: f.kind,
        severity: f.severity,
        score: f.score,
        confidence: f.confidence,
        client: &f.client,
        first_seen: f.first_seen.to_string(),
        last_seen: f.last_seen.to_string(),
        lines: &f.lines,
        evidence_count: f.evidence_count,
        description: &f.description,
        contributions: &f.contributions,
    }
}
