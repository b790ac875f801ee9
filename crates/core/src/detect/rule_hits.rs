//! The lines each client matched, rule by rule: what detectors that run rules (people's
//! own, Sigma's) keep until they report one finding per client and rule.

use super::Evidence;
use super::client_map::{ClientKey, ClientMap};
use crate::time::LogTime;

/// Per client, each rule it matched (by index) and its lines.
#[derive(Debug, Clone)]
pub(super) struct RuleHits {
    hits: ClientMap<Vec<(usize, Evidence)>>,
    max_evidence_lines: usize,
}

impl RuleHits {
    pub(super) fn new(max_evidence_lines: usize) -> Self {
        Self {
            hits: ClientMap::default(),
            max_evidence_lines,
        }
    }

    /// Counts line `line_no` of `client` for rule `rule`; false when the client is new and
    /// the clients kept are full (the line is left out).
    pub(super) fn add(
        &mut self,
        client: &ClientKey<'_>,
        rule: usize,
        line_no: u64,
        time: LogTime,
    ) -> bool {
        let max_evidence_lines = self.max_evidence_lines;
        let Some(rules) = self.hits.get_or_insert_with(client, Vec::new) else {
            return false;
        };
        match rules.iter_mut().find(|(index, _)| *index == rule) {
            Some((_, evidence)) => evidence.add(line_no, time),
            None => rules.push((rule, Evidence::new(line_no, time, max_evidence_lines))),
        }
        true
    }

    /// Lines of clients beyond the most kept.
    pub(super) fn untracked_lines(&self) -> u64 {
        self.hits.untracked_lines()
    }

    /// Every (rule, client, lines) found.
    pub(super) fn into_hits(self) -> impl Iterator<Item = (usize, Box<str>, Evidence)> {
        self.hits.into_iter().flat_map(|(client, rules)| {
            rules
                .into_iter()
                .map(move |(rule, evidence)| (rule, client.clone(), evidence))
        })
    }
}
