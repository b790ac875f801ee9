//! Unsupervised models: they learn what is usual in the file itself (or in a baseline)
//! and score the rest. Detectors use them through [`AnomalyModel`], whichever kind the
//! user picked.

mod anomaly_model;
pub mod forest;
pub mod one_class_svm;

pub use anomaly_model::{AnomalyModel, ModelKind, ModelOptions};
