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
use super::client_map::ClientKey;
use super::rule_hits::RuleHits;
use crate::display_text::for_display;
use crate::event::Event;
use crate::finding::{Finding, FindingKind, Severity};
use crate::sigma::{Scratch, SigmaRules};

/// Runs Sigma rules over every parsed line; see the module docs.
#[derive(Debug, Clone)]
pub struct SigmaRulesDetector {
    /// Its rules; their compiled set is shared with every copy of them.
    rules: SigmaRules,
    scratch: Scratch,
    /// Per client and rule: the lines that matched.
    hits: RuleHits,
}

impl SigmaRulesDetector {
    /// A detector for the rule `documents`; those that cannot run are left out (the CLI
    /// and the page compile them first, and say why).
    pub fn new(rules: &SigmaRules, max_evidence_lines: usize) -> Self {
        Self {
            rules: rules.clone(),
            scratch: Scratch::default(),
            hits: RuleHits::new(max_evidence_lines),
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
    /// about 36 in this scale (the line model 31), and the cost grows with the rules.
    fn relative_cost(&self) -> u32 {
        u32::try_from(self.rules.set().rules().len() / 4)
            .unwrap_or(u32::MAX)
            .max(1)
    }

    fn untracked(&self) -> Option<crate::limits::LeftOut> {
        Some(crate::limits::LeftOut::clients(
            "Sigma rules",
            self.hits.untracked_lines(),
        ))
    }

    fn observe(&mut self, line_no: u64, event: &Event<'_>, client: &ClientKey<'_>) {
        for &index in self.rules.set().matching(event, &mut self.scratch) {
            if !self.hits.add(client, index, line_no, event.time()) {
                return;
            }
        }
    }

    fn finish(self: Box<Self>) -> Vec<Finding> {
        let set = self.rules.set();
        self.hits
            .into_hits()
            .map(|(index, client, evidence)| {
                let info = &set.rules()[index].info;
                let count = evidence.count();
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
                // The rule's level and tags, then what it has of its id, author and
                // references (an analyst's own rule may have none of them).
                let level_and_tags = [for_display(&info.level, 20), for_display(&tags, 120)]
                    .into_iter()
                    .filter(|part| !part.is_empty())
                    .collect::<Vec<_>>()
                    .join(", ");
                let about = [
                    level_and_tags,
                    labelled("id", for_display(&info.id, 40)),
                    labelled("by", for_display(&info.author, 120)),
                    labelled("see", references),
                ]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join("; ");
                let description = format!(
                    "{count} {} from {} matched the Sigma rule \"{}\" ({about})",
                    if count == 1 { "line" } else { "lines" },
                    for_display(&client, 64),
                    for_display(&info.title, 120),
                );
                let (severity, score) = severity_of(&info.level);
                evidence.into_rule_finding(
                    FindingKind::SigmaRule,
                    &client,
                    severity,
                    score,
                    description,
                )
            })
            .collect()
    }
}
