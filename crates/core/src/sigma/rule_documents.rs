//! The Sigma rules an analysis is given, as documents (what the settings keep and send),
//! compiled once however many times the settings are copied: every member of a team,
//! the CLI's check of the rules and the page's worker share one compiled set.

use super::{SigmaSet, Unsupported};
use std::sync::{Arc, OnceLock};

/// Rule documents (each rule's YAML read into JSON) and, once asked for, their compiled
/// set. They cannot be changed in place, so the set is never stale: new rules are a new
/// value.
#[derive(Debug, Clone, Default)]
pub struct SigmaRules {
    documents: Arc<[serde_json::Value]>,
    compiled: Arc<OnceLock<SigmaSet>>,
}

impl SigmaRules {
    /// The rules of `documents`, compiled when first needed.
    pub fn new(documents: Vec<serde_json::Value>) -> Self {
        Self {
            documents: documents.into(),
            compiled: Arc::default(),
        }
    }

    /// The set the documents compile to, compiled by the first copy that asks.
    pub fn set(&self) -> &SigmaSet {
        self.compiled
            .get_or_init(|| SigmaSet::compile(self.documents.iter()))
    }

    /// The rules that cannot run, and why.
    pub fn refused(&self) -> &[Unsupported] {
        self.set().refused()
    }
}

impl From<Vec<serde_json::Value>> for SigmaRules {
    fn from(documents: Vec<serde_json::Value>) -> Self {
        Self::new(documents)
    }
}

impl std::ops::Deref for SigmaRules {
    type Target = [serde_json::Value];

    fn deref(&self) -> &Self::Target {
        &self.documents
    }
}

impl PartialEq for SigmaRules {
    fn eq(&self, other: &Self) -> bool {
        self.documents == other.documents
    }
}

impl serde::Serialize for SigmaRules {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.documents.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for SigmaRules {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<serde_json::Value>::deserialize(deserializer).map(Self::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(title: &str) -> serde_json::Value {
        serde_json::json!({
            "title": title,
            "logsource": {"category": "webserver"},
            "detection": {"selection": {"cs-uri-query|contains": "/.git/"}, "condition": "selection"},
        })
    }

    #[test]
    fn copies_share_one_compiled_set() {
        let rules = SigmaRules::new(vec![
            rule("git"),
            serde_json::json!({"title": "no detection"}),
        ]);
        let copy = rules.clone();
        let first: *const SigmaSet = rules.set();
        assert!(std::ptr::eq(first, copy.set()), "compiled once, for both");
        assert_eq!(copy.set().rules().len(), 1);
        assert_eq!(copy.refused()[0].title, "no detection");
    }

    #[test]
    fn they_travel_as_their_documents() {
        let rules = SigmaRules::new(vec![rule("git")]);
        let json = serde_json::to_value(&rules).unwrap();
        assert_eq!(json, serde_json::json!([rule("git")]));
        let back: SigmaRules = serde_json::from_value(json).unwrap();
        assert_eq!(back, rules);
        assert_eq!(back.set().rules()[0].info.title, "git");
    }
}
