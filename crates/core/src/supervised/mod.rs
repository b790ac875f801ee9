//! Supervised detection for files that label their own lines (a flow CSV's `Label`
//! column): train a classifier on them, measure it on rows it never saw, save it, and
//! score other flow files with it.
//!
//! The seams: [`FlowTraining`] keeps a bounded, per-label sample of a file's labelled
//! flows as it streams; [`FlowTraining::train`] splits it (stratified), fits
//! [`BaggedTrees`] and returns a [`TrainedClassifier`] with hold-out metrics and the
//! [`ClassifierFile`] to save; a loaded file makes the `classified` detector.

mod bagged_trees;
mod classifier_file;
mod flow_features;
mod metrics;
mod training;

pub use bagged_trees::{BaggedTrees, TreesOptions};
pub use classifier_file::{CLASSIFIER_VERSION, ClassifierError, ClassifierFile};
pub use flow_features::{FLOW_CLASS_FEATURES, flow_features};
pub use metrics::{BinaryMetrics, LabelRecall, roc_auc};
pub use training::{FlowTraining, TrainedClassifier};
