//! Training on a labelled flow file: a bounded sample of its rows as it streams, a
//! stratified hold-out split, the ensemble, and its figures on the rows it never saw.

use super::bagged_trees::{BaggedTrees, TreesOptions};
use super::classifier_file::{ClassifierFile, MAX_ROWS};
use super::flow_features::flow_features;
use super::metrics::{BinaryMetrics, LabelRecall};
use crate::baseline::{Reservoir, rounded};
use crate::evaluation::Scores;
use crate::event::FlowRecord;
use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// Rows kept as a uniform sample of the whole file: its mix of labels, as it is.
const SAMPLE_ROWS: usize = 8_000;
/// Rows kept per label besides, so a rare attack is still seen often enough to learn.
const ROWS_PER_LABEL: usize = 250;
/// Distinct labels kept; a column with more is not a label.
const MAX_LABELS: usize = 64;
/// The share of each label's rows held out for measuring.
const HOLD_OUT: f64 = 0.3;

/// One labelled row: its features, its label's index, and which row of the file it is
/// (a row can be in both samples; it must count once, or it could be trained on and
/// held out at the same time).
type Row = (Vec<f64>, usize, u64);

/// A labelled flow file's rows, sampled as it streams; see the module docs.
#[derive(Debug, Clone)]
pub struct FlowTraining {
    labels: Vec<(Box<str>, bool)>,
    sample: Reservoir<Row>,
    per_label: Vec<Reservoir<Row>>,
    seed: u64,
    rows_seen: u64,
}

/// What training gives: the figures on held-out rows, and the classifier to save.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainedClassifier {
    /// Attack against benign, on the held-out rows.
    pub holdout: BinaryMetrics,
    /// Each label's held-out rows, and how many were called attacks.
    pub per_label: Vec<LabelRecall>,
    /// Rows trained on, and held out.
    pub train_rows: u64,
    /// See `train_rows`.
    pub test_rows: u64,
    /// Labelled rows in the file.
    pub rows_seen: u64,
    /// The classifier, trained on every sampled row, to save and to score other files.
    pub file: ClassifierFile,
    /// What the detectors found in the same file without any training, per line at the
    /// default sensitivity, against the same labels: what training adds.
    pub detectors_without_training: Option<Scores>,
}

impl FlowTraining {
    /// Ready to sample, with `seed` for every random choice.
    pub fn new(seed: u64) -> Self {
        Self {
            labels: Vec::new(),
            sample: Reservoir::new(SAMPLE_ROWS, seed),
            per_label: Vec::new(),
            seed,
            rows_seen: 0,
        }
    }

    /// Samples a flow, if it has a label.
    pub fn observe(&mut self, flow: &FlowRecord<'_>) {
        let Some(label) = flow.label else { return };
        let index = match self.labels.iter().position(|(l, _)| &**l == label) {
            Some(index) => index,
            None if self.labels.len() < MAX_LABELS => {
                self.labels.push((label.into(), flow.is_labelled_attack()));
                let seed = self.seed.wrapping_add(self.labels.len() as u64);
                self.per_label.push(Reservoir::new(ROWS_PER_LABEL, seed));
                self.labels.len() - 1
            }
            None => return,
        };
        self.rows_seen += 1;
        let features = rounded(&flow_features(flow));
        self.per_label[index].offer((features.clone(), index, self.rows_seen));
        self.sample.offer((features, index, self.rows_seen));
    }

    /// Splits, trains, measures; the error is a sentence for people.
    pub fn train(self, options: &TreesOptions, source: &str) -> Result<TrainedClassifier, String> {
        let Self {
            labels,
            sample,
            per_label,
            seed,
            rows_seen,
        } = self;
        let attacks = labels.iter().filter(|(_, attack)| *attack).count();
        if attacks == 0 || attacks == labels.len() {
            return Err(format!(
                "training needs rows labelled as attacks and rows labelled benign; this file's labels are {}",
                if labels.is_empty() {
                    "missing".to_owned()
                } else {
                    labels
                        .iter()
                        .map(|(l, _)| l.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ));
        }
        let mut rows: Vec<Row> = sample.into_items();
        rows.extend(per_label.into_iter().flat_map(Reservoir::into_items));
        rows.sort_by_key(|(_, _, id)| *id);
        rows.dedup_by_key(|(_, _, id)| *id);
        // Stratified: each label's rows are shuffled and split in the same proportion.
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ 0x5f11_7000);
        let (mut train, mut test): (Vec<Row>, Vec<Row>) = (Vec::new(), Vec::new());
        for index in 0..labels.len() {
            let mut group: Vec<Row> = rows
                .iter()
                .filter(|(_, l, _)| *l == index)
                .cloned()
                .collect();
            for i in (1..group.len()).rev() {
                group.swap(i, (rng.next_u64() % (i as u64 + 1)) as usize);
            }
            let held = if group.len() >= 2 {
                ((group.len() as f64 * HOLD_OUT).round() as usize).clamp(1, group.len() - 1)
            } else {
                0
            };
            test.extend(group.drain(..held));
            train.extend(group);
        }
        let is_attack =
            |rows: &[Row]| -> Vec<bool> { rows.iter().map(|(_, l, _)| labels[*l].1).collect() };
        let features =
            |rows: &[Row]| -> Vec<Vec<f64>> { rows.iter().map(|(f, ..)| f.clone()).collect() };
        let model = BaggedTrees::fit(&features(&train), &is_attack(&train), options)
            .ok_or("the training rows do not hold both attacks and benign flows")?;
        let probabilities = model.probabilities(&features(&test));
        let threshold = 0.5;
        let holdout = BinaryMetrics::of(&is_attack(&test), &probabilities, threshold);
        let per_label = labels
            .iter()
            .enumerate()
            .map(|(index, (label, _))| LabelRecall {
                label: label.to_string(),
                rows: test.iter().filter(|(_, l, _)| *l == index).count() as u64,
                called_attack: test
                    .iter()
                    .zip(&probabilities)
                    .filter(|((_, l, _), p)| *l == index && **p >= threshold)
                    .count() as u64,
            })
            .collect();
        // The saved classifier learns from every sampled row, evenly thinned to fit.
        let step = rows.len().div_ceil(MAX_ROWS).max(1);
        let kept: Vec<&Row> = rows.iter().step_by(step).collect();
        let file = ClassifierFile::new(
            source,
            options.clone(),
            kept.iter().map(|(f, ..)| f.clone()).collect(),
            kept.iter().map(|(_, l, _)| labels[*l].1).collect(),
            threshold,
        );
        Ok(TrainedClassifier {
            holdout,
            per_label,
            train_rows: train.len() as u64,
            test_rows: test.len() as u64,
            rows_seen,
            file,
            detectors_without_training: None,
        })
    }
}
