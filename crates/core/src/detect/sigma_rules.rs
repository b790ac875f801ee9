//! SigmaHQ's shared detections (`crate::sigma`) as a detector.
//!
//! **What it detects:** whatever the Sigma rules it is given describe: a path traversal,
//! a recon tool's user agent, an sshd error that exploits leave. Lines that match a rule
//! make one finding per client and rule, at the rule's level.
//!
//! **Why it matters:** security teams write and share detections as Sigma rules; this
//! runs theirs over a log where it lies, without a SIEM.
//!
//! **Example:** SigmaHQ's "Source Code Enumeration Detection by Keyword" on
//! `GET /.git/config`.

use super::Detector;
use super::Evidence;
use super::client_map::ClientKey;
use super::rule_hits::RuleHits;
use crate::display_text::for_display;
use crate::event::Event;
use crate::finding::{Finding, FindingKind, Severity};
use crate::sigma::{Correlation, CorrelationState, Counting, RuleInfo, Scratch, SigmaRules};
use std::collections::HashMap;

/// Runs Sigma rules over every parsed line; see the module docs.
#[derive(Debug, Clone)]
pub struct SigmaRulesDetector {
    /// Its rules; their compiled set is shared with every copy of them.
    rules: SigmaRules,
    scratch: Scratch,
    /// Per client and rule: the lines that matched.
    hits: RuleHits,
    /// Per correlation of the set: its windows, and per group the lines that made it hold.
    correlations: Vec<(CorrelationState, HashMap<String, Evidence>)>,
    /// Lines (and their times) a correlation made hold, for the current line's group.
    fired: Vec<(u64, i64)>,
    max_evidence_lines: usize,
}

impl SigmaRulesDetector {
    /// A detector for the rule `documents`; those that cannot run are left out (the CLI
    /// and the page compile them first, and say why).
    pub fn new(rules: &SigmaRules, max_evidence_lines: usize) -> Self {
        Self {
            rules: rules.clone(),
            scratch: Scratch::default(),
            hits: RuleHits::new(max_evidence_lines),
            correlations: vec![Default::default(); rules.set().correlations().len()],
            fired: Vec::new(),
            max_evidence_lines,
        }
    }
}

/// "id abc", or nothing when the value is empty.
fn labelled(label: &str, value: String) -> String {
    if value.is_empty() {
        value
    } else {
        format!("{label} {value}")
    }
}

/// A rule's `level` as a severity and a score: informational and low are Low.
fn severity_of(level: &str) -> (Severity, u8) {
    match level.to_ascii_lowercase().as_str() {
        "critical" => (Severity::Critical, 90),
        "high" => (Severity::High, 75),
        "medium" => (Severity::Medium, 55),
        _ => (Severity::Low, 35),
    }
}

impl Detector for SigmaRulesDetector {
    /// Measured on the realistic log: SigmaHQ's 145 rules for web and Linux logs cost
    /// about 24 in this scale (the line model 31), and the cost grows with the rules.
    fn relative_cost(&self) -> u32 {
        u32::try_from(self.rules.set().rules().len() / 6)
            .unwrap_or(u32::MAX)
            .max(1)
    }

    fn untracked(&self) -> Option<crate::limits::LeftOut> {
        let correlated: u64 = self.correlations.iter().map(|(s, _)| s.left_out()).sum();
        Some(crate::limits::LeftOut::clients(
            "Sigma rules",
            self.hits.untracked_lines() + correlated,
        ))
    }

    fn observe(&mut self, line_no: u64, event: &Event<'_>, client: &ClientKey<'_>) {
        let set = self.rules.set();
        let matched = set.matching(event, &mut self.scratch);
        if matched.is_empty() {
            return;
        }
        let time = event.time();
        for &index in matched {
            if set.reported(index) && !self.hits.add(client, index, line_no, time) {
                break;
            }
        }
        for (correlation, (state, groups)) in set.correlations().iter().zip(&mut self.correlations)
        {
            if !correlation.rules.iter().any(|rule| matched.contains(rule)) {
                continue;
            }
            // A value count counts only lines that have the value.
            let value = match correlation.counting {
                Counting::Events => None,
                Counting::DistinctValues(field) => match field.value(event) {
                    Some(value) if !value.is_empty() => Some(value),
                    _ => continue,
                },
            };
            let group = correlation.group(event);
            self.fired.clear();
            state.observe(
                correlation,
                group.clone(),
                time.epoch_secs,
                line_no,
                value.as_deref().unwrap_or(""),
                &mut self.fired,
            );
            if self.fired.is_empty() {
                continue;
            }
            // The window's earlier lines are evidence too, at their own times.
            let at = |secs: i64| crate::time::LogTime {
                epoch_secs: secs,
                ..time
            };
            let mut fired = self.fired.iter().map(|&(line, secs)| (line, at(secs)));
            let evidence = match groups.get_mut(&group) {
                Some(evidence) => evidence,
                None => {
                    let Some((line, first)) = fired.next() else {
                        continue;
                    };
                    groups.entry(group).or_insert(Evidence::new(
                        line,
                        first,
                        self.max_evidence_lines,
                    ))
                }
            };
            for (line, at) in fired {
                evidence.add(line, at);
            }
        }
    }

    fn finish(self: Box<Self>) -> Vec<Finding> {
        let set = self.rules.set();
        let mut findings: Vec<Finding> = self
            .hits
            .into_hits()
            .map(|(index, client, evidence)| {
                let info = &set.rules()[index].info;
                let count = evidence.count();
                let description = format!(
                    "{count} {} from {} matched the Sigma rule \"{}\" ({})",
                    if count == 1 { "line" } else { "lines" },
                    for_display(&client, 64),
                    for_display(&info.title, 120),
                    about(info),
                );
                rule_finding(info, &client, evidence, description)
            })
            .collect();
        for (correlation, (_, groups)) in set.correlations().iter().zip(self.correlations) {
            let mut groups: Vec<(String, Evidence)> = groups.into_iter().collect();
            groups.sort_by(|a, b| a.0.cmp(&b.0));
            for (group, evidence) in groups {
                findings.push(correlation_finding(correlation, &group, evidence));
            }
        }
        findings
    }
}

/// The finding of a correlation that held for `group` on the lines of `evidence`.
fn correlation_finding(correlation: &Correlation, group: &str, evidence: Evidence) -> Finding {
    let info = &correlation.info;
    let count = evidence.count();
    let who = if correlation.group_by.is_empty() {
        "the log".to_owned()
    } else {
        for_display(group, 64)
    };
    let description = format!(
        "{count} {} from {who} made the Sigma correlation \"{}\" hold: {} ({})",
        if count == 1 { "line" } else { "lines" },
        for_display(&info.title, 120),
        correlation.summary,
        about(info),
    );
    // A finding's client: the group when it is one client, else who the lines came
    // from is in the description.
    let client = if correlation.group_by == [crate::sigma::fields::Field::Client] {
        group
    } else {
        "-"
    };
    rule_finding(info, client, evidence, description)
}

fn rule_finding(info: &RuleInfo, client: &str, evidence: Evidence, description: String) -> Finding {
    let (severity, score) = severity_of(&info.level);
    evidence.into_rule_finding(FindingKind::SigmaRule, client, severity, score, description)
}

/// The rule's level and ATT&CK tags, then what it has of its id, author and first
/// reference (an analyst's own rule may have none of them).
fn about(info: &RuleInfo) -> String {
    let tags = info
        .tags
        .iter()
        .filter(|t| t.starts_with("attack."))
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    let references = match &info.references[..] {
        [] => String::new(),
        [one] => for_display(one, 160),
        [first, more @ ..] => format!(
            "{} (and {} more in the rule)",
            for_display(first, 160),
            more.len()
        ),
    };
    let level_and_tags = [for_display(&info.level, 20), for_display(&tags, 120)]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    [
        level_and_tags,
        labelled("id", for_display(&info.id, 40)),
        labelled("by", for_display(&info.author, 120)),
        labelled("see", references),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join("; ")
}
