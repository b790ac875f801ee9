//! The lines behind a finding: how many, which (up to a cap), and when.

use crate::finding::{Contribution, Finding, FindingKind, Severity};
use crate::time::LogTime;

/// Evidence gathered for one finding while the file streams.
#[derive(Debug, Clone)]
pub struct Evidence {
    lines: Vec<u64>,
    count: u64,
    first_seen: LogTime,
    last_seen: LogTime,
    max_lines: usize,
}

impl Evidence {
    /// Evidence that starts with line `line_no` at `time`, listing at most `max_lines`.
    pub fn new(line_no: u64, time: LogTime, max_lines: usize) -> Self {
        let mut lines = Vec::new();
        if max_lines > 0 {
            lines.push(line_no);
        }
        Self {
            lines,
            count: 1,
            first_seen: time,
            last_seen: time,
            max_lines,
        }
    }

    /// Adds line `line_no` at `time`.
    pub fn add(&mut self, line_no: u64, time: LogTime) {
        self.count += 1;
        if self.lines.len() < self.max_lines {
            self.lines.push(line_no);
        }
        self.first_seen = self.first_seen.earliest(time);
        self.last_seen = self.last_seen.latest(time);
    }

    /// Adds line `line_no` at `time` and lists it even when the list is full (in place
    /// of the last one listed): a line a description names must be there to see.
    pub fn add_listed(&mut self, line_no: u64, time: LogTime) {
        let full = self.lines.len() >= self.max_lines;
        self.add(line_no, time);
        if full && self.max_lines > 0 && self.lines.last() != Some(&line_no) {
            self.lines.pop();
            self.lines.push(line_no);
        }
    }

    /// Adds `other`'s lines, keeping file order and the cap.
    pub fn merge(&mut self, other: &Evidence) {
        let mut lines =
            Vec::with_capacity((self.lines.len() + other.lines.len()).min(self.max_lines));
        let (mut a, mut b) = (self.lines.iter().peekable(), other.lines.iter().peekable());
        while lines.len() < self.max_lines {
            let next = match (a.peek(), b.peek()) {
                (Some(&&x), Some(&&y)) if x <= y => a.next(),
                (Some(_), Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, Some(_)) => b.next(),
                (None, None) => break,
            };
            if let Some(&line) = next
                && lines.last() != Some(&line)
            {
                lines.push(line);
            }
        }
        self.lines = lines;
        self.count += other.count;
        self.first_seen = self.first_seen.earliest(other.first_seen);
        self.last_seen = self.last_seen.latest(other.last_seen);
    }

    /// How many lines are evidence.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The earliest evidence time.
    pub fn first_seen(&self) -> LogTime {
        self.first_seen
    }

    /// The latest evidence time.
    pub fn last_seen(&self) -> LogTime {
        self.last_seen
    }

    /// The finding this evidence supports.
    pub fn into_finding(
        self,
        kind: FindingKind,
        client: &str,
        score: u8,
        confidence: f64,
        description: String,
        contributions: Vec<Contribution>,
    ) -> Finding {
        Finding {
            kind,
            severity: Severity::from_score(score),
            score: score.min(100),
            confidence: confidence.clamp(0.0, 1.0),
            client: client.to_owned(),
            first_seen: self.first_seen,
            last_seen: self.last_seen,
            lines: self.lines,
            evidence_count: self.count,
            description,
            contributions,
        }
    }

    /// The finding of a rule that matched these lines: at the rule's own severity
    /// (a rule says how serious its match is), certain, with nothing to explain.
    pub fn into_rule_finding(
        self,
        kind: FindingKind,
        client: &str,
        severity: Severity,
        score: u8,
        description: String,
    ) -> Finding {
        let mut finding = self.into_finding(kind, client, score, 1.0, description, Vec::new());
        finding.severity = severity;
        finding
    }
}
