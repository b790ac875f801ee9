//! Sigma rules, the community's shared detections (SigmaHQ), run over parsed lines.
//!
//! A rule is read from its document (YAML read into a `serde_json::Value`, by
//! `yaml_documents` with the `yaml` feature) and compiled once
//! ([`SigmaRule::from_document`]). A rule for a log source we do not read, or with a
//! field, modifier or condition we cannot run, is kept out with the reason
//! ([`Unsupported`]), never skipped silently. The field mapping is in [`fields`].
//!
//! A set is compiled once: the literals every rule needs are searched for in one pass
//! over a line ([`prefilter`]), and only the rules whose literals the line holds run
//! their expressions.
//!
//! Supported: selections as maps, lists of maps and keyword lists; values with `*` and
//! `?` wildcards, case-insensitive unless `|cased`; the modifiers `contains`,
//! `startswith`, `endswith`, `all`, `re` (with `i`, `m`, `s`), `exists`, `base64offset`,
//! `windash`, `cidr`; conditions with `and`, `or`, `not`, parentheses, `1 of`/`all of` a prefix
//! or `them`; counts per group in a time span ([`correlation`]). Not yet: `expand`,
//! `fieldref`, and the `temporal` correlations.

mod condition;
mod correlation;
mod expression;
pub mod fields;
mod networks;
mod prefilter;
mod regex_literals;
mod rule;
mod rule_documents;
mod source_rules;
#[cfg(feature = "yaml")]
mod yaml_documents;

pub use correlation::{Correlation, CorrelationState, Counting};
pub use rule::{RuleInfo, SigmaRule};
pub use rule_documents::SigmaRules;
pub use source_rules::Scratch;
#[cfg(feature = "yaml")]
pub use yaml_documents::yaml_documents;

use crate::event::Event;
use fields::Source;
use source_rules::SourceRules;

/// A rule that cannot run, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Unsupported {
    /// Its title (or where it came from, when it has none).
    pub title: String,
    /// Its id, when it has one.
    pub id: String,
    /// Why it cannot run: the log source, field, modifier or condition.
    pub reason: String,
}

/// The rules that run, compiled once.
#[derive(Debug, Clone, Default)]
pub struct SigmaSet {
    rules: Vec<SigmaRule>,
    refused: Vec<Unsupported>,
    sources: Vec<SourceRules>,
    /// Counts over rules' matches, per group and time span.
    correlations: Vec<Correlation>,
    /// Per rule: whether its matches are a finding of their own (not when a correlation
    /// only counts them).
    reported: Vec<bool>,
    /// The slots (as powers of two) of each text's memo a [`Scratch`] keeps for the set.
    memo_bits: Vec<u32>,
}

impl SigmaSet {
    /// Compiles `documents`; the ones that cannot run are kept with their reasons.
    pub fn compile<'a>(documents: impl IntoIterator<Item = &'a serde_json::Value>) -> Self {
        let mut set = Self::default();
        let mut correlation_documents = Vec::new();
        for document in documents {
            if document.get("correlation").is_some() {
                correlation_documents.push(document);
                continue;
            }
            let rule = match SigmaRule::from_document(document) {
                Ok(rule) => rule,
                Err(reason) => {
                    set.refuse(document, reason);
                    continue;
                }
            };
            set.rules.push(rule);
            set.reported.push(true);
            // A rule's own aggregation: a correlation over it, its matches no finding.
            let index = set.rules.len() - 1;
            if let Some(aggregation) = set.rules[index].aggregation.clone() {
                match Correlation::from_aggregation(index, &set.rules, &aggregation) {
                    Ok(correlation) => {
                        set.correlations.push(correlation);
                        set.reported[index] = false;
                    }
                    Err(reason) => {
                        set.rules.pop();
                        set.reported.pop();
                        set.refuse(document, reason);
                    }
                }
            }
        }
        for document in correlation_documents {
            match Correlation::from_document(document, &set.rules) {
                Ok(correlation) => {
                    // Sigma's `generate: false` (the default): the counted rules' own
                    // matches are no finding.
                    if document
                        .get("generate")
                        .and_then(serde_json::Value::as_bool)
                        != Some(true)
                    {
                        for &rule in &correlation.rules {
                            set.reported[rule] = false;
                        }
                    }
                    set.correlations.push(correlation);
                }
                Err(reason) => set.refuse(document, reason),
            }
        }
        set.sources = SourceRules::all(&mut set.rules, &mut set.memo_bits);
        set
    }

    /// Keeps `document` out, with the reason.
    fn refuse(&mut self, document: &serde_json::Value, reason: String) {
        let text = |key: &str| document.get(key).and_then(|t| t.as_str());
        self.refused.push(Unsupported {
            title: text("title").unwrap_or("a rule without a title").to_owned(),
            id: text("id").unwrap_or("").to_owned(),
            reason,
        });
    }

    /// The correlations that run.
    pub fn correlations(&self) -> &[Correlation] {
        &self.correlations
    }

    /// Whether the matches of rule `index` are a finding of their own.
    pub fn reported(&self, index: usize) -> bool {
        self.reported.get(index).copied().unwrap_or(true)
    }

    /// The rules that cannot run, and why.
    pub fn refused(&self) -> &[Unsupported] {
        &self.refused
    }

    /// The rules that run.
    pub fn rules(&self) -> &[SigmaRule] {
        &self.rules
    }

    /// The indices of the rules the line parsed as `event` matches, in order.
    pub fn matching<'s>(&self, event: &Event<'_>, scratch: &'s mut Scratch) -> &'s [usize] {
        scratch.start(&self.memo_bits);
        if let Some(source) = Source::of(event)
            && let Some(rules) = self.sources.iter().find(|rules| rules.source == source)
        {
            rules.matching(&self.rules, event, scratch);
            scratch.matched.sort_unstable();
        }
        &scratch.matched
    }
}
