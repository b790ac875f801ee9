//! A baseline: what "normal" looked like in a file known to be good, saved so later files
//! are judged against it instead of against themselves.
//!
//! Judging a file by itself fails when the whole file is an attack, or when an attack is
//! a large share of it. A baseline learned from a quiet day fixes the yardstick: the line
//! model's templates and training vectors, the client model's vectors, each endpoint's
//! usual response time and the traffic by hour of day. Learning is an ordinary analysis
//! with [`BaselineUse::Learn`]; applying one is an analysis with [`BaselineUse::Apply`].
//!
//! The file is small, versioned JSON. It holds numbers and hashes, no log text: templates
//! and endpoints are named by a stable hash, clients not at all. Models are not stored:
//! the baseline is normal *data*, and the model chosen when it is applied (Isolation Forest
//! or One-Class SVM, with its settings) is fitted on it then. Fitting is deterministic, so
//! the same baseline and settings judge alike every time, in a fraction of the size.

use crate::model::{AnomalyModel, ModelOptions};
use crate::parse::LogFormat;
use crate::time::LogTime;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The version of the file format this build reads and writes. Raise it whenever a field
/// changes meaning, or a hash or feature changes: an old file would silently mislead.
pub const BASELINE_VERSION: u32 = 1;

/// The most vectors a baseline keeps per model, and the most keys per table: what keeps
/// the file small and loading it cheap, whatever it claims.
pub const MAX_VECTORS: usize = 8_192;
/// The most templates or endpoints a baseline keeps (the most common ones).
pub const MAX_KEYS: usize = 20_000;

/// Whether an analysis judges a file by itself, learns a baseline from it, or judges it
/// against a baseline.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum BaselineUse {
    /// Each file is its own yardstick.
    #[default]
    Own,
    /// Analyse as usual, and also learn a baseline (see `Analysis::finish_outcome`).
    Learn,
    /// Judge against this baseline.
    Apply(Arc<Baseline>),
}

impl BaselineUse {
    /// The baseline applied, if any.
    pub fn applied(&self) -> Option<&Baseline> {
        match self {
            BaselineUse::Apply(baseline) => Some(baseline),
            _ => None,
        }
    }
}

/// A learned baseline; see the module docs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    /// Always [`BASELINE_VERSION`] in a file this build wrote; names the file's kind too.
    pub loglens_baseline: u32,
    /// Where it was learned from.
    pub source: BaselineSource,
    /// The line model's view of normal lines.
    pub lines: Option<LineBaseline>,
    /// The client model's view of normal clients.
    pub clients: Option<ClientBaseline>,
    /// Usual response times per endpoint.
    pub endpoints: Vec<EndpointBaseline>,
    /// Requests per local hour of day, when the file had requests.
    pub hours: Option<[u64; 24]>,
}

/// What a baseline was learned from, to show beside findings judged by it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BaselineSource {
    /// A name for it, usually the file's; set by the caller.
    pub name: String,
    /// When it was learned, as the caller's clock said.
    pub learned_at: Option<LogTime>,
    /// The format of the file.
    pub format: Option<LogFormat>,
    /// Lines parsed.
    pub parsed: u64,
    /// The file's first and last times.
    pub first_time: Option<LogTime>,
    /// See `first_time`.
    pub last_time: Option<LogTime>,
}

/// What kind of events a line baseline describes: their vectors mean different things.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// Requests from an access log.
    Access,
    /// Messages from syslog, error and application logs.
    Message,
    /// Network flows.
    Flow,
}

/// The line model's baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineBaseline {
    /// Which events the vectors describe.
    pub kind: LineKind,
    /// Lines counted, for template rarity.
    pub lines_seen: u64,
    /// The most common templates (stable hash, lines).
    pub templates: Vec<(u64, u32)>,
    /// A random sample of the file's feature vectors, the model's training set.
    pub vectors: Vec<Vec<f64>>,
}

/// The client model's baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientBaseline {
    /// Feature vectors of the baseline's clients (a sample, when there were many).
    pub vectors: Vec<Vec<f64>>,
    /// Each feature's median there: what "typical" means in explanations.
    pub typical: Vec<f64>,
}

/// An endpoint's usual response time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndpointBaseline {
    /// The stable hash of the endpoint (method-less path with ids folded).
    pub endpoint: u64,
    /// Requests with a response time.
    pub requests: u64,
    /// Their median response time, in microseconds (to within a factor of two, high).
    pub median_micros: u64,
}

/// Why a file is not a baseline this build can use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaselineError {
    /// Not JSON at all.
    #[error("the file is not JSON ({0})")]
    NotJson(String),
    /// JSON, but not a loglens baseline.
    #[error("the file is not a loglens baseline (it has no \"loglens_baseline\" version)")]
    NotABaseline,
    /// Another version of the format.
    #[error(
        "the baseline is format version {found}, and this loglens reads version {BASELINE_VERSION}: learn it again with this version"
    )]
    Version {
        /// The version the file claims.
        found: u64,
    },
    /// The right version, but damaged or edited.
    #[error("the baseline is damaged: {0}")]
    Invalid(String),
}

impl Baseline {
    /// An empty baseline, filled in by the detectors as an analysis finishes.
    pub(crate) fn empty() -> Self {
        Self {
            loglens_baseline: BASELINE_VERSION,
            source: BaselineSource::default(),
            lines: None,
            clients: None,
            endpoints: Vec::new(),
            hours: None,
        }
    }

    /// The file's text.
    pub fn to_json(&self) -> String {
        // Plain data of numbers and strings: serialising it cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a baseline file, checking its version first (so an old or new file gets the
    /// version message, not a missing-field one) and its contents after.
    pub fn from_json(text: &str) -> Result<Self, BaselineError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| BaselineError::NotJson(e.to_string()))?;
        match value.get("loglens_baseline").and_then(|v| v.as_u64()) {
            None => return Err(BaselineError::NotABaseline),
            Some(version) if version != u64::from(BASELINE_VERSION) => {
                return Err(BaselineError::Version { found: version });
            }
            Some(_) => {}
        }
        let baseline: Baseline =
            serde_json::from_value(value).map_err(|e| BaselineError::Invalid(e.to_string()))?;
        baseline.validate().map_err(BaselineError::Invalid)?;
        Ok(baseline)
    }

    /// Checks what the types cannot: sizes within bounds, vectors of the right length,
    /// finite numbers. A baseline that passes cannot make the detectors panic or stall.
    fn validate(&self) -> Result<(), String> {
        if let Some(lines) = &self.lines {
            check_vectors("line", &lines.vectors, crate::features::LINE_FEATURES.len())?;
            if lines.templates.len() > MAX_KEYS {
                return Err(format!(
                    "{} templates, at most {MAX_KEYS}",
                    lines.templates.len()
                ));
            }
        }
        if let Some(clients) = &self.clients {
            let dimensions = crate::features::CLIENT_FEATURES.len();
            check_vectors("client", &clients.vectors, dimensions)?;
            check_vectors(
                "typical client",
                std::slice::from_ref(&clients.typical),
                dimensions,
            )?;
        }
        if self.endpoints.len() > MAX_KEYS {
            return Err(format!(
                "{} endpoints, at most {MAX_KEYS}",
                self.endpoints.len()
            ));
        }
        Ok(())
    }

    /// The line model fitted on the stored vectors, and the score only one in a thousand
    /// of them reaches: lines below it are no odder than the baseline's own rare lines.
    pub(crate) fn line_model(&self, options: &ModelOptions) -> Option<(AnomalyModel, f64)> {
        let lines = self.lines.as_ref()?;
        let model = AnomalyModel::fit_for_novelty(&lines.vectors, options)?;
        let mut scores: Vec<f64> = lines.vectors.iter().map(|v| model.score(v)).collect();
        scores.sort_by(f64::total_cmp);
        let threshold = scores[(scores.len() * 999 / 1000).min(scores.len() - 1)];
        Some((model, threshold))
    }

    /// The client model fitted on the stored vectors.
    pub(crate) fn client_model(&self, options: &ModelOptions) -> Option<AnomalyModel> {
        let clients = self.clients.as_ref()?;
        AnomalyModel::fit_for_novelty(&clients.vectors, options)
    }

    /// A line naming it, for findings and summaries: "web-2024-03-01.log (1 203 455 lines)".
    pub fn describe(&self) -> String {
        let name = if self.source.name.is_empty() {
            "an unnamed file"
        } else {
            &self.source.name
        };
        format!(
            "{} ({} lines)",
            crate::display_text::for_display(name, 80),
            crate::figures::group_thousands(self.source.parsed)
        )
    }
}

/// `vector` with every value rounded to six decimals: enough for a model, and a number
/// that JSON writes short and reads back exactly, so a saved baseline judges exactly as
/// the one in memory did.
pub(crate) fn rounded(vector: &[f64]) -> Vec<f64> {
    vector.iter().map(|&x| (x * 1e6).round() / 1e6).collect()
}

fn check_vectors(what: &str, vectors: &[Vec<f64>], dimensions: usize) -> Result<(), String> {
    if vectors.is_empty() || vectors.len() > MAX_VECTORS {
        return Err(format!(
            "{} {what} vectors, expected 1 to {MAX_VECTORS}",
            vectors.len()
        ));
    }
    if let Some(bad) = vectors
        .iter()
        .find(|v| v.len() != dimensions || v.iter().any(|x| !x.is_finite()))
    {
        return Err(format!(
            "a {what} vector has {} values, or one that is not a finite number (expected {dimensions})",
            bad.len()
        ));
    }
    Ok(())
}

/// Keeps a uniform random sample of at most `capacity` items of a stream (Algorithm R),
/// from the caller's seed, for baselines that must represent a whole file in little room.
#[derive(Debug, Clone)]
pub(crate) struct Reservoir<T> {
    items: Vec<T>,
    capacity: usize,
    seen: u64,
    rng: rand_xoshiro::Xoshiro256PlusPlus,
}

impl<T> Reservoir<T> {
    pub(crate) fn new(capacity: usize, seed: u64) -> Self {
        use rand_xoshiro::rand_core::SeedableRng;
        Self {
            items: Vec::new(),
            capacity,
            seen: 0,
            rng: rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed),
        }
    }

    pub(crate) fn offer(&mut self, item: T) {
        use rand_xoshiro::rand_core::Rng;
        self.seen += 1;
        if self.items.len() < self.capacity {
            self.items.push(item);
            return;
        }
        // Item k (1-based) replaces a kept one with probability capacity / k.
        let slot = self.rng.next_u64() % self.seen;
        if let Some(kept) = usize::try_from(slot)
            .ok()
            .and_then(|slot| self.items.get_mut(slot))
        {
            *kept = item;
        }
    }

    pub(crate) fn into_items(self) -> Vec<T> {
        self.items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reservoir_samples_the_whole_stream() {
        let mut reservoir = Reservoir::new(100, 7);
        (0..10_000u32).for_each(|i| reservoir.offer(i));
        let items = reservoir.into_items();
        assert_eq!(items.len(), 100);
        // Uniform over the stream: about half from its second half, not all from the start.
        let late = items.iter().filter(|&&i| i >= 5_000).count();
        assert!(
            (30..=70).contains(&late),
            "{late} of 100 from the second half"
        );
    }

    #[test]
    fn the_wrong_kind_of_file_gets_a_sentence_saying_so() {
        assert!(matches!(
            Baseline::from_json("not json"),
            Err(BaselineError::NotJson(_))
        ));
        assert_eq!(
            Baseline::from_json(r#"{"findings": []}"#),
            Err(BaselineError::NotABaseline)
        );
        let newer = Baseline::from_json(r#"{"loglens_baseline": 2, "whatever": true}"#);
        assert_eq!(newer, Err(BaselineError::Version { found: 2 }));
        assert_eq!(
            newer.unwrap_err().to_string(),
            "the baseline is format version 2, and this loglens reads version 1: learn it again with this version"
        );
    }

    #[test]
    fn a_damaged_baseline_is_refused_before_it_is_used() {
        let mut baseline = Baseline::empty();
        baseline.lines = Some(LineBaseline {
            kind: LineKind::Access,
            lines_seen: 10,
            templates: vec![(1, 10)],
            vectors: vec![vec![0.0; 8]; 3],
        });
        assert_eq!(
            Baseline::from_json(&baseline.to_json()),
            Ok(baseline.clone())
        );
        let short = baseline
            .to_json()
            .replace("[0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0]", "[0.0]");
        assert!(matches!(
            Baseline::from_json(&short),
            Err(BaselineError::Invalid(message)) if message.contains("expected 8")
        ));
        let infinite = baseline
            .to_json()
            .replace("[0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0]", "[1e999,0,0,0,0,0,0,0]");
        assert!(Baseline::from_json(&infinite).is_err());
    }
}
