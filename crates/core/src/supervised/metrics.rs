//! How well a classifier did on rows it never saw: the confusion matrix and what follows
//! from it, ROC-AUC from its probabilities, and recall per attack label.

use crate::evaluation::Scores;
use serde::{Deserialize, Serialize};

/// A binary classifier's hold-out figures; attack is the positive class.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BinaryMetrics {
    /// Attacks called attacks.
    pub true_positives: u64,
    /// Benign rows called attacks.
    pub false_positives: u64,
    /// Attacks called benign.
    pub false_negatives: u64,
    /// Benign rows called benign.
    pub true_negatives: u64,
    /// The area under the ROC curve, when both classes are present.
    pub roc_auc: Option<f64>,
}

impl BinaryMetrics {
    /// Counts `predicted` against `actual`, and ranks `probabilities` for the AUC.
    pub fn of(actual: &[bool], probabilities: &[f64], threshold: f64) -> Self {
        let mut metrics = Self::default();
        for (&attack, &p) in actual.iter().zip(probabilities) {
            match (attack, p >= threshold) {
                (true, true) => metrics.true_positives += 1,
                (false, true) => metrics.false_positives += 1,
                (true, false) => metrics.false_negatives += 1,
                (false, false) => metrics.true_negatives += 1,
            }
        }
        metrics.roc_auc = roc_auc(actual, probabilities);
        metrics
    }

    /// The counts the detectors' evaluation uses, and with them its measures.
    pub fn scores(&self) -> Scores {
        Scores {
            true_positives: self.true_positives,
            false_positives: self.false_positives,
            false_negatives: self.false_negatives,
        }
    }

    /// Of the rows called attacks, the share that were.
    pub fn precision(&self) -> Option<f64> {
        self.scores().precision()
    }

    /// Of the attacks, the share called attacks.
    pub fn recall(&self) -> Option<f64> {
        self.scores().recall()
    }

    /// The harmonic mean of precision and recall.
    pub fn f1(&self) -> Option<f64> {
        self.scores().f1()
    }
}

/// The probability that a random attack scores above a random benign row (ties count
/// half): the Mann-Whitney form of the area under the ROC curve. `None` without both.
pub fn roc_auc(actual: &[bool], scores: &[f64]) -> Option<f64> {
    let mut ranked: Vec<(f64, bool)> = scores.iter().copied().zip(actual.iter().copied()).collect();
    ranked.sort_by(|a, b| a.0.total_cmp(&b.0));
    let positives = ranked.iter().filter(|(_, a)| *a).count() as f64;
    let negatives = ranked.len() as f64 - positives;
    if positives == 0.0 || negatives == 0.0 {
        return None;
    }
    // Average ranks over ties, then the rank sum of the positives.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < ranked.len() {
        let mut j = i;
        while j < ranked.len() && ranked[j].0 == ranked[i].0 {
            j += 1;
        }
        let average_rank = (i + 1 + j) as f64 / 2.0;
        rank_sum += ranked[i..j].iter().filter(|(_, a)| *a).count() as f64 * average_rank;
        i = j;
    }
    Some((rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives))
}

/// How many held-out rows of one label the classifier called attacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelRecall {
    /// The label, as the file writes it.
    pub label: String,
    /// Held-out rows with it.
    pub rows: u64,
    /// Of them, called attacks.
    pub called_attack: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_auc_is_the_share_of_pairs_ranked_right() {
        let actual = [true, true, false, false];
        assert_eq!(roc_auc(&actual, &[0.9, 0.8, 0.2, 0.1]), Some(1.0));
        assert_eq!(roc_auc(&actual, &[0.1, 0.2, 0.8, 0.9]), Some(0.0));
        assert_eq!(roc_auc(&actual, &[0.5, 0.5, 0.5, 0.5]), Some(0.5));
        // One of four pairs wrong.
        assert_eq!(roc_auc(&actual, &[0.9, 0.3, 0.4, 0.1]), Some(0.75));
        assert_eq!(roc_auc(&[true], &[0.3]), None);
    }

    #[test]
    fn the_confusion_matrix_gives_precision_recall_and_f1() {
        let m = BinaryMetrics::of(
            &[true, true, true, false, false],
            &[0.9, 0.6, 0.2, 0.7, 0.1],
            0.5,
        );
        assert_eq!(
            (
                m.true_positives,
                m.false_positives,
                m.false_negatives,
                m.true_negatives
            ),
            (2, 1, 1, 1)
        );
        assert_eq!(m.precision(), Some(2.0 / 3.0));
        assert_eq!(m.recall(), Some(2.0 / 3.0));
        assert!((m.f1().unwrap() - 2.0 / 3.0).abs() < 1e-12);
    }
}
