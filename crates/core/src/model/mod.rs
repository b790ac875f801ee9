//! Unsupervised models: they learn what is usual in the file itself (or in a baseline)
//! and score the rest. Detectors use them through [`AnomalyModel`], whichever kind the
//! user picked.

mod anomaly_model;
pub mod forest;
pub mod one_class_svm;

pub use anomaly_model::{AnomalyModel, ModelKind, ModelOptions};

/// Points for the models' tests.
#[cfg(test)]
pub(crate) mod test_points {
    /// A bell-shaped cloud around (0.5, 0.5) with a constant third feature, deterministic:
    /// each coordinate is the mean of four evenly spread values, dense in the middle and
    /// sparse in the tails, as real measurements are.
    pub(crate) fn cloud(count: usize) -> Vec<Vec<f64>> {
        let spread = |i: usize, step: usize| {
            (0..4)
                .map(|k| ((i * step + k * 29) % 101) as f64 / 100.0)
                .sum::<f64>()
                / 4.0
        };
        (0..count)
            .map(|i| vec![spread(i, 37), spread(i, 61), 0.5])
            .collect()
    }
}
