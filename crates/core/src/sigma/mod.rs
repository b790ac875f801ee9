//! Sigma rules, the community's shared detections (SigmaHQ), run over parsed lines.
//!
//! A rule is read from its document (YAML read into a `serde_json::Value` by the caller:
//! the core has no YAML parser) and compiled once ([`SigmaRule::from_document`]). A rule
//! for a log source we do not read, or with a field, modifier or condition we cannot
//! run, is kept out with the reason ([`Unsupported`]), never skipped silently. The field
//! mapping is in [`fields`].
//!
//! Supported: selections as maps, lists of maps and keyword lists; values with `*` and
//! `?` wildcards, case-insensitive unless `|cased`; the modifiers `contains`,
//! `startswith`, `endswith`, `all`, `re` (with `i`, `m`, `s`), `exists`, `base64offset`,
//! `windash`; conditions with `and`, `or`, `not`, parentheses, `1 of`/`all of` a prefix
//! or `them`. Not yet: `cidr`, `expand`, `fieldref`, `timeframe` and aggregations.

mod condition;
pub mod fields;
mod rule;

pub use rule::{RuleInfo, SigmaRule};

use crate::event::Event;
use fields::Source;

/// A rule that cannot run, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
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
}

impl SigmaSet {
    /// Compiles `documents`; the ones that cannot run come back with their reasons.
    pub fn compile<'a>(
        documents: impl IntoIterator<Item = &'a serde_json::Value>,
    ) -> (Self, Vec<Unsupported>) {
        let mut set = Self::default();
        let mut unsupported = Vec::new();
        for document in documents {
            match SigmaRule::from_document(document) {
                Ok(rule) => set.rules.push(rule),
                Err(reason) => unsupported.push(Unsupported {
                    title: document
                        .get("title")
                        .and_then(|t| t.as_str())
                        .unwrap_or("a rule without a title")
                        .to_owned(),
                    id: document
                        .get("id")
                        .and_then(|t| t.as_str())
                        .unwrap_or("")
                        .to_owned(),
                    reason,
                }),
            }
        }
        (set, unsupported)
    }

    /// The rules that run.
    pub fn rules(&self) -> &[SigmaRule] {
        &self.rules
    }

    /// The indices of the rules the line parsed as `event` matches.
    pub fn matching<'s>(&'s self, event: &'s Event<'_>) -> impl Iterator<Item = usize> + 's {
        let source = match event {
            Event::Access(_) => Some(Source::Web),
            // An error log's request is a web request too; its message is Linux's.
            Event::Syslog(record) => Some(if record.request.is_some() {
                Source::Web
            } else {
                Source::Linux
            }),
            Event::Flow(_) => None,
        };
        self.rules
            .iter()
            .enumerate()
            .filter(move |(_, rule)| Some(rule.source) == source)
            .filter(move |(_, rule)| rule.matches(event))
            .map(|(i, _)| i)
    }
}
