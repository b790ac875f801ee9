//! A trained flow classifier as a file: versioned JSON holding the rows it learned from
//! (features and attack or not), its settings and seed. The trees are grown again when it
//! is loaded: growing is deterministic, the file stays checkable (rows of the right length,
//! finite numbers, bounded sizes), and loading a hostile file cannot build a broken tree.

use super::bagged_trees::{BaggedTrees, TreesOptions};
use super::flow_features::FLOW_CLASS_FEATURES;
use serde::{Deserialize, Serialize};

/// The version of the file format this build reads and writes.
pub const CLASSIFIER_VERSION: u32 = 1;
/// The most rows a classifier file holds.
pub const MAX_ROWS: usize = 5_000;

/// A saved classifier; see the module docs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassifierFile {
    /// Always [`CLASSIFIER_VERSION`] in a file this build wrote; names the file's kind too.
    pub loglens_classifier: u32,
    /// Where it was trained: a file name.
    pub trained_on: String,
    /// The features, by name, in row order.
    pub features: Vec<String>,
    /// How the trees are grown.
    pub options: TreesOptions,
    /// A flow is called an attack from this share of trees.
    pub threshold: f64,
    /// The rows it learned from.
    pub rows: Vec<Vec<f64>>,
    /// Whether each row was an attack.
    pub attack: Vec<bool>,
}

/// Why a file is not a classifier this build can use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClassifierError {
    /// Not JSON at all.
    #[error("the file is not JSON ({0})")]
    NotJson(String),
    /// JSON, but not a loglens classifier.
    #[error("the file is not a loglens classifier (it has no \"loglens_classifier\" version)")]
    NotAClassifier,
    /// Another version of the format.
    #[error(
        "the classifier is format version {found}, and this loglens reads version {CLASSIFIER_VERSION}: train it again with this version"
    )]
    Version {
        /// The version the file claims.
        found: u64,
    },
    /// The right version, but damaged or edited.
    #[error("the classifier is damaged: {0}")]
    Invalid(String),
}

impl ClassifierFile {
    pub(crate) fn new(
        trained_on: &str,
        options: TreesOptions,
        rows: Vec<Vec<f64>>,
        attack: Vec<bool>,
        threshold: f64,
    ) -> Self {
        Self {
            loglens_classifier: CLASSIFIER_VERSION,
            trained_on: trained_on.to_owned(),
            features: FLOW_CLASS_FEATURES
                .iter()
                .map(|f| (*f).to_owned())
                .collect(),
            options,
            threshold,
            rows,
            attack,
        }
    }

    /// The file's text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a classifier file, version first, then its contents.
    pub fn from_json(text: &str) -> Result<Self, ClassifierError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| ClassifierError::NotJson(e.to_string()))?;
        match value.get("loglens_classifier").and_then(|v| v.as_u64()) {
            None => return Err(ClassifierError::NotAClassifier),
            Some(version) if version != u64::from(CLASSIFIER_VERSION) => {
                return Err(ClassifierError::Version { found: version });
            }
            Some(_) => {}
        }
        let file: ClassifierFile =
            serde_json::from_value(value).map_err(|e| ClassifierError::Invalid(e.to_string()))?;
        file.validate().map_err(ClassifierError::Invalid)?;
        Ok(file)
    }

    fn validate(&self) -> Result<(), String> {
        if self.features != FLOW_CLASS_FEATURES {
            return Err("its features are not the ones this loglens computes".to_owned());
        }
        if self.rows.is_empty()
            || self.rows.len() > MAX_ROWS
            || self.rows.len() != self.attack.len()
        {
            return Err(format!(
                "{} rows and {} labels (expected 1 to {MAX_ROWS} of each, as many of one as the other)",
                self.rows.len(),
                self.attack.len()
            ));
        }
        if self
            .rows
            .iter()
            .any(|r| r.len() != FLOW_CLASS_FEATURES.len() || r.iter().any(|x| !x.is_finite()))
        {
            return Err(
                "a row has the wrong number of values, or one that is not a number".to_owned(),
            );
        }
        if !(1..=500).contains(&self.options.trees) || self.options.max_depth > 64 {
            return Err("its tree settings are out of bounds".to_owned());
        }
        if !(0.0..=1.0).contains(&self.threshold) {
            return Err("its threshold is not between 0 and 1".to_owned());
        }
        Ok(())
    }

    /// The trees, grown again from the rows; `None` when the rows hold one class only.
    pub fn model(&self) -> Option<BaggedTrees> {
        BaggedTrees::fit(&self.rows, &self.attack, &self.options)
    }
}
