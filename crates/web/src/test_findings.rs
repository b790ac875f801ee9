//! Findings made up for the page's tests: only what a view reads is set.

use loglens_core::{Finding, FindingKind, LogTime, Severity};

/// A finding of `kind` about `client`, scoring `score`, at the epoch, on line 1.
pub fn finding(kind: FindingKind, client: &str, score: u8) -> Finding {
    let t = LogTime {
        epoch_secs: 0,
        offset_secs: 0,
    };
    Finding {
        kind,
        severity: Severity::from_score(score),
        score,
        confidence: 0.9,
        client: client.to_owned(),
        first_seen: t,
        last_seen: t,
        lines: vec![1],
        evidence_count: 1,
        description: String::new(),
        contributions: vec![],
    }
}
