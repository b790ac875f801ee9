//! Lines unlike the others: an Isolation Forest over per-line features, with a template
//! feature that works for free text.
//!
//! **What it detects:** single requests or messages whose shape is rare in this file: an
//! odd method, an unusually long or strange-character-heavy target, a status or size out
//! of line, and above all a *template* seen rarely. A line's template is its text with the
//! variable parts folded (ids and numbers in paths; numbers, hex, addresses and quoted
//! values in messages), hashed; its rarity is how seldom that template has been seen.
//! Lines from one client that score at least `min_score` make one finding, with the
//! features that made them stand out.
//!
//! **Why it matters:** free-text logs (syslog, application messages) have no fields for
//! rules to test; what is new in them is what matters, and a rare template is new.
//!
//! **Example:** in an auth.log of `session opened`/`session closed` lines, one
//! `error: maximum authentication attempts exceeded for root from 203.0.113.9`.
//!
//! The model is fitted on the first `training_lines` lines (their vectors are the only
//! lines held), then every line is scored as it streams, so memory stays bounded.

use super::Detector;
use super::client_map::{ClientHasher, ClientKey, ClientMap};
use super::{KeyedMap, keyed_map};
use crate::baseline::{
    Baseline, BaselineUse, LineBaseline, LineKind, MAX_KEYS, MAX_VECTORS, Reservoir, rounded,
};
use crate::display_text::for_display;
use crate::event::Event;
use crate::features::{FLOW_FEATURES, LINE_FEATURES};
use crate::finding::{Contribution, Finding, FindingKind, Severity};
use crate::memo::Memo;
use crate::model::forest::ForestOptions;
use crate::model::one_class_svm::SvmOptions;
use crate::model::{AnomalyModel, ModelKind, ModelOptions};
use crate::template::{message_template, request_template};
use crate::time::LogTime;

/// Tuning for [`LineModelDetector`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct LineModelOptions {
    /// Which model scores the lines: the Isolation Forest (default) or the One-Class SVM.
    pub model: ModelKind,
    /// The forest's trees, sample size and seed.
    pub forest: ForestOptions,
    /// The SVM's features, ν, passes and seed.
    pub svm: SvmOptions,
    /// Lines at least this unusual are reported (0.5 is ordinary, 1 is isolated at once);
    /// the default sensitivity shows those from 0.8, higher sensitivities the rest.
    pub min_score: f64,
    /// Lines the model is fitted on before it scores.
    pub training_lines: usize,
    /// Unusual lines one client needs before it is reported.
    pub min_lines_per_client: u64,
}

impl Default for LineModelOptions {
    fn default() -> Self {
        Self {
            model: ModelKind::IsolationForest,
            forest: ForestOptions::default(),
            svm: SvmOptions::default(),
            // Measured on the labelled shop log: at 0.75 the forest flags 3 attacking clients
            // and 383 others, at 0.8 nothing. On access logs the rules do better, so the
            // default view shows only lines from 0.8 (a strict safety net, most useful for
            // free text); candidates from 0.72 wait for a higher sensitivity.
            min_score: 0.72,
            training_lines: 4096,
            min_lines_per_client: 3,
        }
    }
}

/// Slots in the score cache, as a power of two: lines alike (the same template, status,
/// size…) are common, and a tree walk per line and tree is the model's main cost.
const SCORE_CACHE_BITS: u32 = 16;

/// Distinct templates counted; beyond, new ones count as rare.
const MAX_TEMPLATES: usize = 100_000;
/// Evidence lines listed per finding.
const LISTED_LINES: usize = 1_000;

/// A line read before the model is fitted, waiting to be scored. Its template's rarity is
/// filled in when it is scored, so lines read while the counts were young are not odd for it.
#[derive(Debug, Clone)]
struct Pending {
    line_no: u64,
    time: LogTime,
    client: Box<str>,
    template: u64,
    /// Every feature but the first (template rarity).
    features: [f64; 7],
}

/// A vector's score if it is unusual, and its explanation once one was needed.
#[derive(Debug, Clone)]
struct Judged {
    /// The score when it reaches the least an unusual line scores; `None` for the
    /// ordinary vectors, which are most of them (the forest stops walking them sooner).
    score: Option<f64>,
    contributions: Option<Vec<f64>>,
}

/// Lines waiting for the forest. A vector the score cache does not know waits to be
/// scored with others, a tree at a time for all of them (several times faster than one
/// by one, as a tree stays in cache); a line that needs its client's record updated (a
/// vector not yet scored, or an unusual one) waits behind the lines before it, so
/// records grow in line order exactly as if each line had been scored at once.
#[derive(Debug, Clone)]
struct Waiting {
    lines: Vec<WaitingLine>,
    /// The waiting lines' clients, one after another.
    clients: String,
    /// The distinct vectors to score.
    unscored: Vec<[f64; 8]>,
    unscored_bits: rustc_hash::FxHashSet<[u64; 8]>,
    hasher: ClientHasher,
}

#[derive(Debug, Clone)]
struct WaitingLine {
    line_no: u64,
    time: LogTime,
    /// Where its client is in [`Waiting::clients`].
    client: std::ops::Range<usize>,
    vector: [f64; 8],
}

/// Vectors scored together: enough that each tree is read once for many points, few
/// enough that little waits. Twice as many waiting lines are scored too: a vector that
/// waits is met again by later lines, which all wait with it.
const SCORED_TOGETHER: usize = 1024;

impl Waiting {
    fn new() -> Self {
        Self {
            lines: Vec::new(),
            clients: String::new(),
            unscored: Vec::new(),
            unscored_bits: rustc_hash::FxHashSet::default(),
            hasher: ClientHasher::new(),
        }
    }

    /// Line `line_no` waits, with its vector to score unless it is scored already.
    fn add(&mut self, line_no: u64, time: LogTime, client: &str, vector: [f64; 8], scored: bool) {
        if !scored && self.unscored_bits.insert(vector.map(f64::to_bits)) {
            self.unscored.push(vector);
        }
        let start = self.clients.len();
        self.clients.push_str(client);
        self.lines.push(WaitingLine {
            line_no,
            time,
            client: start..self.clients.len(),
            vector,
        });
    }

    fn clear(&mut self) {
        self.lines.clear();
        self.clients.clear();
        self.unscored.clear();
        self.unscored_bits.clear();
    }
}

#[derive(Debug, Clone)]
struct Unusual {
    lines: Vec<u64>,
    count: u64,
    first_seen: LogTime,
    last_seen: LogTime,
    best_score: f64,
    /// Sum of the contributions of its unusual lines, to average.
    contribution_sums: Vec<f64>,
}

/// Scores every line with an Isolation Forest; see the module docs.
#[derive(Debug, Clone)]
pub struct LineModelDetector {
    options: LineModelOptions,
    templates: KeyedMap<u64, u32>,
    lines_seen: u64,
    training: Vec<Pending>,
    forest: Option<AnomalyModel>,
    unusual: ClientMap<Unusual>,
    /// The names of the features, by what the file holds.
    feature_names: &'static [&'static str; 8],
    /// Recent vectors (as bits), their scores and, once asked for, their explanations,
    /// by a hash of the bits.
    score_cache: Memo<[u64; 8], Judged>,
    /// Lines waiting to be scored together.
    waiting: Waiting,
    /// How many distinct vectors wait before they are scored ([`SCORED_TOGETHER`]),
    /// and half how many lines.
    scored_together: usize,
    /// The kind of events read (the first one's).
    kind: Option<LineKind>,
    /// When learning a baseline: a sample of the whole file's lines (template, features).
    learning: Option<Reservoir<(u64, [f64; 7])>>,
    /// When judging against a baseline: its name, the kind of lines it describes, and
    /// the score its own rarest lines reach. Its template counts are then fixed.
    baseline: Option<(String, LineKind, f64)>,
}

impl LineModelDetector {
    /// A detector with these options, judging by the file itself, learning or applying a
    /// baseline.
    pub fn new(options: LineModelOptions, baseline: &BaselineUse) -> Self {
        let mut detector = Self {
            learning: matches!(baseline, BaselineUse::Learn).then(|| {
                Reservoir::new(options.training_lines.min(MAX_VECTORS), options.forest.seed)
            }),
            options,
            templates: keyed_map(),
            lines_seen: 0,
            training: Vec::new(),
            forest: None,
            unusual: ClientMap::default(),
            feature_names: &LINE_FEATURES,
            score_cache: Memo::new(SCORE_CACHE_BITS),
            waiting: Waiting::new(),
            scored_together: SCORED_TOGETHER,
            kind: None,
            baseline: None,
        };
        if let Some(applied) = baseline.applied() {
            detector.apply(applied);
        }
        detector
    }

    /// The model and its settings, as options say.
    fn model_options(&self) -> ModelOptions {
        ModelOptions {
            kind: self.options.model,
            forest: self.options.forest.clone(),
            svm: self.options.svm.clone(),
        }
    }

    /// Judges against `baseline`: a model fitted on its lines, its template counts, and
    /// the score its own rarest lines reach.
    fn apply(&mut self, baseline: &Baseline) {
        let (Some(lines), Some((model, threshold))) =
            (&baseline.lines, baseline.line_model(&self.model_options()))
        else {
            return;
        };
        self.forest = Some(model);
        self.templates = keyed_map();
        self.templates.extend(lines.templates.iter().copied());
        self.lines_seen = lines.lines_seen;
        if lines.kind == LineKind::Flow {
            self.feature_names = &FLOW_FEATURES;
        }
        self.baseline = Some((baseline.describe(), lines.kind, threshold));
    }

    /// Counts a line of this template (a baseline's counts stay as learned), and says
    /// how many lines of it are counted now (1 for a template no longer counted).
    fn count_template(&mut self, template: u64) -> u32 {
        if self.baseline.is_some() {
            return self.templates.get(&template).copied().unwrap_or(1);
        }
        self.lines_seen += 1;
        let room = self.templates.len() < MAX_TEMPLATES;
        match self.templates.get_mut(&template) {
            Some(count) => {
                *count += 1;
                *count
            }
            None => {
                if room {
                    self.templates.insert(template, 1);
                }
                1
            }
        }
    }

    /// A line's full feature vector (see [`LineModelDetector::vector_of_count`]), with
    /// its template's count now.
    fn vector(&self, template: u64, features: &[f64; 7]) -> [f64; 8] {
        let count = self.templates.get(&template).copied().unwrap_or(1);
        self.vector_of_count(count, features)
    }

    /// A line's full feature vector: its template's rarity now (ln of lines seen over the
    /// `count` of the template's lines; a template no longer counted is as rare as can
    /// be), then the rest. The rarity is rounded to 1/64 so that lines alike share a
    /// vector exactly, and the score cache can answer for them.
    fn vector_of_count(&self, count: u32, features: &[f64; 7]) -> [f64; 8] {
        let rarity = (self.lines_seen as f64 / f64::from(count)).ln();
        let mut vector = [0.0; 8];
        vector[0] = on_grid(rarity, 64.0);
        vector[1..].copy_from_slice(features);
        vector
    }

    /// The score a line needs to be unusual.
    fn min_score(&self) -> f64 {
        match self.baseline {
            Some((_, _, threshold)) => self.options.min_score.max(threshold),
            None => self.options.min_score,
        }
    }

    /// Scores one line, at once when the score cache knows its vector and nothing waits,
    /// else with others (see [`Waiting`]); only an unusual one costs more than the
    /// scoring (its client is copied the first time it has one).
    fn score(&mut self, line_no: u64, time: LogTime, client: &ClientKey<'_>, vector: [f64; 8]) {
        if self.forest.is_none() {
            return;
        }
        let known = self
            .score_cache
            .get_mut(&vector.map(f64::to_bits))
            .map(|judged| judged.score);
        match known {
            // Most lines are ordinary: the score alone says so, and nothing is recorded.
            Some(None) => return,
            Some(Some(_)) if self.waiting.lines.is_empty() => {
                self.record(line_no, time, client, &vector);
                return;
            }
            _ => {}
        }
        self.waiting
            .add(line_no, time, client.name(), vector, known.is_some());
        if self.waiting.unscored.len() >= self.scored_together
            || self.waiting.lines.len() >= 2 * self.scored_together
        {
            self.score_waiting();
        }
    }

    /// Scores the waiting vectors together, then records the waiting lines in order.
    fn score_waiting(&mut self) {
        let Some(forest) = &self.forest else {
            return;
        };
        let mut waiting = std::mem::replace(&mut self.waiting, Waiting::new());
        let scores = forest.scores_reaching(&waiting.unscored, self.min_score());
        for (vector, score) in waiting.unscored.iter().zip(scores) {
            let judged = Judged {
                score,
                contributions: None,
            };
            self.score_cache.insert(vector.map(f64::to_bits), judged);
        }
        for line in &waiting.lines {
            let client = ClientKey::with(&waiting.clients[line.client.clone()], &waiting.hasher);
            self.record(line.line_no, line.time, &client, &line.vector);
        }
        waiting.clear();
        self.waiting = waiting;
    }

    /// Adds line `line_no` to its client's record if its vector is unusual (from the
    /// score cache when a line alike was judged).
    fn record(&mut self, line_no: u64, time: LogTime, client: &ClientKey<'_>, vector: &[f64; 8]) {
        let Some(forest) = &self.forest else {
            return;
        };
        let min_score = self.min_score();
        let Some((score, contributions)) = judged(&mut self.score_cache, forest, vector, min_score)
        else {
            return;
        };
        let Some(unusual) = self.unusual.get_or_insert_with(client, || Unusual {
            lines: Vec::new(),
            count: 0,
            first_seen: time,
            last_seen: time,
            best_score: 0.0,
            contribution_sums: vec![0.0; LINE_FEATURES.len()],
        }) else {
            return;
        };
        unusual.count += 1;
        if unusual.lines.len() < LISTED_LINES {
            unusual.lines.push(line_no);
        }
        unusual.first_seen = unusual.first_seen.earliest(time);
        unusual.last_seen = unusual.last_seen.latest(time);
        unusual.best_score = unusual.best_score.max(score);
        unusual
            .contribution_sums
            .iter_mut()
            .zip(&contributions)
            .for_each(|(sum, c)| *sum += c);
    }

    /// The baseline of this file: its sampled lines as vectors (with the whole file's
    /// template counts) and the most common templates.
    fn learned(&self, sample: Vec<(u64, [f64; 7])>, kind: LineKind) -> Option<LineBaseline> {
        if sample.is_empty() {
            return None;
        }
        let vectors: Vec<Vec<f64>> = sample
            .iter()
            .map(|(template, features)| rounded(&self.vector(*template, features)))
            .collect();
        let mut templates: Vec<(u64, u32)> = self.templates.iter().map(|(&t, &n)| (t, n)).collect();
        templates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        templates.truncate(MAX_KEYS);
        Some(LineBaseline {
            kind,
            lines_seen: self.lines_seen,
            templates,
            vectors,
        })
    }

    fn fit_and_score_training(&mut self) {
        let vectors: Vec<Vec<f64>> = self
            .training
            .iter()
            .map(|p| self.vector(p.template, &p.features).to_vec())
            .collect();
        self.forest = AnomalyModel::fit(&vectors, &self.model_options());
        for p in std::mem::take(&mut self.training) {
            let vector = self.vector(p.template, &p.features);
            self.score(p.line_no, p.time, &ClientKey::new(&p.client), vector);
        }
    }
}

/// What a request's method and target say.
#[derive(Debug, Clone, Copy)]
struct TargetFeatures {
    template: u64,
    length: f64,
    special_characters: f64,
    digit_share: f64,
    query_length: f64,
}

impl TargetFeatures {
    fn of(method: &str, target: &str) -> Self {
        let query_length =
            memchr::memchr(b'?', target.as_bytes()).map_or(0, |at| target.len() - at - 1);
        let (special_characters, digit_share) = character_features(target);
        Self {
            template: request_template(method, target),
            length: (1.0 + target.len() as f64).ln(),
            special_characters,
            digit_share,
            query_length: (1.0 + query_length as f64).ln(),
        }
    }
}

/// The model's score for `vector` and its explanation when the score reaches
/// `min_score`; from `cache` when a line alike was judged.
fn judged(
    cache: &mut Memo<[u64; 8], Judged>,
    forest: &AnomalyModel,
    vector: &[f64; 8],
    min_score: f64,
) -> Option<(f64, Vec<f64>)> {
    let bits = vector.map(f64::to_bits);
    let judged = cache.entry(&bits, |_| Judged {
        score: Some(forest.score(vector)).filter(|score| *score >= min_score),
        contributions: None,
    });
    let score = judged.score?;
    let contributions = judged
        .contributions
        .get_or_insert_with(|| forest.explain(vector).contributions);
    Some((score, contributions.clone()))
}

/// `value` rounded to the nearest `1 / steps` of a unit: a size that differs by a few
/// percent says nothing new, and lines that share a vector share a cached score.
fn on_grid(value: f64, steps: f64) -> f64 {
    (value * steps).round() / steps
}

/// How many of a text's bytes are special characters (quotes, brackets, `%`, `;`, `|`…)
/// and what share are digits, counted in one pass.
fn character_features(text: &str) -> (f64, f64) {
    let (special, digits) = text.bytes().fold((0u32, 0u32), |(special, digits), b| {
        match CHARACTER_CLASS[usize::from(b)] {
            SPECIAL => (special + 1, digits),
            DIGIT => (special, digits + 1),
            _ => (special, digits),
        }
    });
    let digit_share = if text.is_empty() {
        0.0
    } else {
        f64::from(digits) / text.len() as f64
    };
    (f64::from(special), digit_share)
}

const OTHER: u8 = 0;
const SPECIAL: u8 = 1;
const DIGIT: u8 = 2;

/// Each byte's class for [`character_features`].
const CHARACTER_CLASS: [u8; 256] = {
    let mut class = [OTHER; 256];
    let special = b"%'\"<>;(){}$`|\\";
    let mut i = 0;
    while i < special.len() {
        class[special[i] as usize] = SPECIAL;
        i += 1;
    }
    let mut digit = b'0';
    while digit <= b'9' {
        class[digit as usize] = DIGIT;
        digit += 1;
    }
    class
};

impl Detector for LineModelDetector {
    fn relative_cost(&self) -> u32 {
        31
    }

    fn untracked(&self) -> Option<crate::limits::LeftOut> {
        Some(crate::limits::LeftOut::clients(
            "the per-line model",
            self.unusual.untracked_lines(),
        ))
    }

    fn observe(&mut self, line_no: u64, event: &Event<'_>, client: &ClientKey<'_>) {
        let kind = match event {
            Event::Access(_) => LineKind::Access,
            Event::Syslog(_) => LineKind::Message,
            Event::Flow(_) => LineKind::Flow,
        };
        let mismatched = self
            .baseline
            .as_ref()
            .is_some_and(|(_, learned, _)| *learned != kind);
        if self.kind.is_none() && mismatched {
            // A baseline of requests says nothing about messages or flows: this file is
            // judged by itself, as without one.
            self.baseline = None;
            self.forest = None;
            self.templates.clear();
            self.lines_seen = 0;
            self.feature_names = &LINE_FEATURES;
        } else if mismatched {
            // Lines of another kind in a file the baseline suits.
            return;
        }
        self.kind.get_or_insert(kind);
        let (template, features) = match event {
            Event::Access(record) => {
                let target = record.target.unwrap_or(record.request);
                let method = record.method.unwrap_or("");
                let method_class = match method {
                    "GET" | "HEAD" => 0.0,
                    "POST" => 1.0,
                    _ => 2.0,
                };
                let of_target = TargetFeatures::of(method, target);
                (
                    of_target.template,
                    [
                        of_target.length,
                        of_target.special_characters,
                        of_target.digit_share,
                        f64::from(record.status / 100),
                        on_grid((1.0 + record.bytes_sent.unwrap_or(0) as f64).ln(), 16.0),
                        method_class,
                        of_target.query_length,
                    ],
                )
            }
            Event::Syslog(record) => {
                let (special_characters, digit_share) = character_features(record.message);
                (
                    message_template(record.message),
                    [
                        (1.0 + record.message.len() as f64).ln(),
                        special_characters,
                        digit_share,
                        f64::from(record.severity.unwrap_or(6)),
                        0.0,
                        0.0,
                        0.0,
                    ],
                )
            }
            Event::Flow(flow) => {
                self.feature_names = &FLOW_FEATURES;
                let log_count = |n: Option<u64>| (1.0 + n.unwrap_or(0) as f64).ln();
                let port_class = match flow.destination_port {
                    0..=1023 => 0.0,
                    1024..=49151 => 1.0,
                    _ => 2.0,
                };
                (
                    u64::from(flow.destination_port) << 8 | u64::from(flow.protocol.unwrap_or(0)),
                    [
                        (1.0 + flow.duration_secs.unwrap_or(0.0)).ln(),
                        log_count(flow.forward_packets),
                        log_count(flow.backward_packets),
                        log_count(flow.forward_bytes),
                        log_count(flow.backward_bytes),
                        port_class,
                        f64::from(flow.protocol.unwrap_or(0)),
                    ],
                )
            }
        };
        let count = self.count_template(template);
        if let Some(reservoir) = &mut self.learning {
            reservoir.offer((template, features));
        }
        if self.forest.is_some() {
            let vector = self.vector_of_count(count, &features);
            self.score(line_no, event.time(), client, vector);
            return;
        }
        let client = Box::from(event.client());
        self.training.push(Pending {
            line_no,
            time: event.time(),
            client,
            template,
            features,
        });
        if self.training.len() >= self.options.training_lines {
            self.fit_and_score_training();
        }
    }

    fn finish_learning(mut self: Box<Self>, baseline: &mut Baseline) -> Vec<Finding> {
        if let (Some(reservoir), Some(kind)) = (self.learning.take(), self.kind) {
            baseline.lines = self.learned(reservoir.into_items(), kind);
        }
        self.finish()
    }

    fn settle(&mut self) {
        if self.forest.is_none() && self.training.len() >= 256 {
            self.fit_and_score_training();
        }
        self.score_waiting();
    }

    fn finish(mut self: Box<Self>) -> Vec<Finding> {
        self.settle();
        let min_lines = self.options.min_lines_per_client;
        self.unusual
            .into_iter()
            .filter(|(_, unusual)| unusual.count >= min_lines)
            .map(|(client, unusual)| {
                let weights: Vec<f64> = unusual
                    .contribution_sums
                    .iter()
                    .map(|s| s / unusual.count as f64)
                    .collect();
                let contributions: Vec<Contribution> = self
                    .feature_names
                    .iter()
                    .zip(&weights)
                    .map(|(feature, weight)| Contribution {
                        feature: (*feature).to_owned(),
                        weight: *weight,
                    })
                    .collect();
                let mut ranked: Vec<&Contribution> =
                    contributions.iter().filter(|c| c.weight > 0.05).collect();
                ranked.sort_by(|a, b| b.weight.total_cmp(&a.weight));
                let reasons: Vec<String> = ranked
                    .iter()
                    .take(3)
                    .map(|c| format!("{} {:.0}%", c.feature, c.weight * 100.0))
                    .collect();
                let who = if &*client == "-" {
                    "naming no client".to_owned()
                } else {
                    format!("from {}", for_display(&client, 64))
                };
                let yardstick = match &self.baseline {
                    Some((name, _, _)) => format!("the baseline learned from {name}"),
                    None => "the rest of the file".to_owned(),
                };
                let description = format!(
                    "{} lines {who} unlike {yardstick} (score up to {:.2}), mostly for {}",
                    unusual.count,
                    unusual.best_score,
                    reasons.join(", ")
                );
                // 0.8 maps to 40 (shown by default), 0.72 to 32, an isolated line (1.0) to 60.
                let score = (40.0 + (unusual.best_score - 0.8) * 100.0)
                    .round()
                    .clamp(0.0, 100.0) as u8;
                let mut lines = unusual.lines;
                lines.sort_unstable();
                Finding {
                    kind: FindingKind::AnomalousLines,
                    severity: Severity::from_score(score),
                    score,
                    confidence: unusual.best_score,
                    client: client.to_string(),
                    first_seen: unusual.first_seen,
                    last_seen: unusual.last_seen,
                    lines,
                    evidence_count: unusual.count,
                    description,
                    contributions,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DetectionOptions;
    use crate::detect::test_lines::{findings, none};

    #[test]
    fn special_characters_and_digits_are_counted_apart() {
        assert_eq!(character_features(""), (0.0, 0.0));
        assert_eq!(character_features("/a%27;b12"), (2.0, 4.0 / 9.0));
        assert_eq!(character_features("`$(id)`|\\\"'<>{}"), (13.0, 0.0));
        assert_eq!(character_features("caf\u{e9}9"), (0.0, 1.0 / 6.0));
    }

    #[test]
    fn a_template_holds_the_method_and_folds_ids() {
        assert_ne!(
            TargetFeatures::of("GET", "/x").template,
            TargetFeatures::of("POST", "/x").template
        );
        assert_eq!(
            TargetFeatures::of("GET", "/orders/1234?x=1").template,
            TargetFeatures::of("GET", "/orders/99").template
        );
    }

    fn lines_only() -> DetectionOptions {
        DetectionOptions {
            line_model: Some(LineModelOptions::default()),
            ..none()
        }
    }

    fn syslog(secs: i64, host: &str, message: &str) -> String {
        let time = LogTime {
            epoch_secs: 1_704_067_200 + secs,
            offset_secs: 0,
        };
        format!(
            "{} {host} sshd[42]: {message}",
            time.format("%b %e %H:%M:%S")
        )
    }

    #[test]
    fn rare_messages_among_routine_ones_are_reported() {
        let mut lines: Vec<String> = (0..3000)
            .map(|i| {
                let message = if i % 2 == 0 {
                    format!(
                        "pam_unix(sshd:session): session opened for user deploy by (uid={})",
                        i % 3
                    )
                } else {
                    "pam_unix(sshd:session): session closed for user deploy".to_owned()
                };
                syslog(i, "web1", &message)
            })
            .collect();
        for i in 0..3 {
            lines.push(syslog(
                4000 + i,
                "web9",
                "error: maximum authentication attempts exceeded for root from 203.0.113.9 port 52144 ssh2 [preauth] ;;; $(x) {{}}",
            ));
        }
        let found = findings(&lines, lines_only());
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            (
                found[0].kind,
                found[0].client.as_str(),
                found[0].evidence_count
            ),
            (FindingKind::AnomalousLines, "203.0.113.9", 3)
        );
        let top = found[0]
            .contributions
            .iter()
            .max_by(|a, b| a.weight.total_cmp(&b.weight))
            .unwrap();
        assert_ne!(top.feature, "status_class", "{:?}", found[0].contributions);
    }

    /// Every line of `lines` observed by a line model scoring `scored_together` vectors
    /// at a time, in a score cache of `cache_bits`, recording at most `clients` clients:
    /// what it finds and what it left out.
    fn judged_in_batches(
        lines: &[String],
        scored_together: usize,
        cache_bits: u32,
        clients: usize,
    ) -> (Vec<Finding>, u64) {
        let mut detector = LineModelDetector::new(
            LineModelOptions {
                training_lines: 500,
                min_lines_per_client: 1,
                min_score: 0.6,
                ..LineModelOptions::default()
            },
            &BaselineUse::Own,
        );
        detector.scored_together = scored_together;
        detector.score_cache = Memo::new(cache_bits);
        detector.unusual = ClientMap::with_limit(clients);
        let hasher = ClientHasher::new();
        for (number, line) in lines.iter().enumerate() {
            let (_, record) = crate::parse::combined::parse(line).expect("an access line");
            let event = Event::Access(record);
            let client = ClientKey::with(event.client(), &hasher);
            detector.observe(number as u64 + 1, &event, &client);
        }
        let mut detector = Box::new(detector);
        detector.settle();
        let left_out = detector.untracked().map_or(0, |u| u.left_out);
        (detector.finish(), left_out)
    }

    #[test]
    fn lines_scored_together_are_judged_as_one_by_one() {
        // Ordinary requests with odd ones among them from many clients: vectors the
        // cache has not seen arrive all along, and unusual lines behind them.
        let lines: Vec<String> = (0..6000u64)
            .map(|i| {
                let odd = i % 41 == 3 || i % 97 == 0;
                let (target, status, size) = if odd {
                    let shape = i % 11;
                    let target = format!("/x/{shape}/%27;{}", "(".repeat(shape as usize));
                    (target, 500, 100 + shape * 7_000 + i % 2)
                } else {
                    (format!("/shop/item{}", i % 5), 200, 5_000 + i % 3)
                };
                format!(
                    "10.0.{}.{} - - [01/Jan/2024:10:{:02}:{:02} +0000] \"GET {target} HTTP/1.1\" {status} {size}",
                    i % 3,
                    i % 7,
                    i / 60 % 60,
                    i % 60
                )
            })
            .collect();
        let (at_once, at_once_left_out) = judged_in_batches(&lines, 1, 16, usize::MAX);
        assert!(at_once.len() > 20, "{} findings", at_once.len());
        for (together, bits) in [(3, 16), (SCORED_TOGETHER, 16), (SCORED_TOGETHER, 2)] {
            let (found, left_out) = judged_in_batches(&lines, together, bits, usize::MAX);
            assert_eq!(found, at_once, "{together} together, {bits}-bit cache");
            assert_eq!(left_out, at_once_left_out);
        }
        // With room for few clients, the same are left out.
        let few = judged_in_batches(&lines, 1, 16, 10);
        assert!(few.1 > 0);
        assert_eq!(judged_in_batches(&lines, SCORED_TOGETHER, 16, 10), few);
    }

    #[test]
    fn a_short_file_is_not_modelled() {
        let lines: Vec<String> = (0..100).map(|i| syslog(i, "web1", "hello")).collect();
        assert!(findings(&lines, lines_only()).is_empty());
    }
}
