//! The unsupervised model a detector scores with, whichever the user picked: the
//! Isolation Forest (the default) or the One-Class SVM. Both answer the same two
//! questions (how odd is this point, and which features make it so) on the same scale.

use super::forest::{Explained, ForestOptions, IsolationForest};
use super::one_class_svm::{OneClassSvm, SvmOptions};
use serde::{Deserialize, Serialize};

/// Which model scores lines and clients.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelKind {
    /// Isolation Forest: random splits isolate the odd points first.
    #[default]
    IsolationForest,
    /// One-Class SVM (RBF kernel, random Fourier features): a boundary around the usual.
    OneClassSvm,
}

impl ModelKind {
    /// Both kinds, for pickers and comparisons.
    pub const ALL: [ModelKind; 2] = [ModelKind::IsolationForest, ModelKind::OneClassSvm];

    /// The machine name, as JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            ModelKind::IsolationForest => "isolation_forest",
            ModelKind::OneClassSvm => "one_class_svm",
        }
    }

    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            ModelKind::IsolationForest => "Isolation Forest",
            ModelKind::OneClassSvm => "One-Class SVM",
        }
    }
}

/// The model's settings: which kind, and each kind's parameters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ModelOptions {
    /// Which model scores.
    pub kind: ModelKind,
    /// The forest's trees, sample size and seed.
    pub forest: ForestOptions,
    /// The SVM's features, ν, passes and seed.
    pub svm: SvmOptions,
}

/// A fitted model of either kind.
#[derive(Debug, Clone, PartialEq)]
pub enum AnomalyModel {
    /// See [`IsolationForest`].
    Forest(IsolationForest),
    /// See [`OneClassSvm`].
    Svm(OneClassSvm),
}

impl AnomalyModel {
    /// Fits the chosen kind on `points`; `None` without points.
    pub fn fit(points: &[Vec<f64>], options: &ModelOptions) -> Option<Self> {
        match options.kind {
            ModelKind::IsolationForest => {
                IsolationForest::fit(points, &options.forest).map(AnomalyModel::Forest)
            }
            ModelKind::OneClassSvm => OneClassSvm::fit(points, &options.svm).map(AnomalyModel::Svm),
        }
    }

    /// Fits the chosen kind to judge points from elsewhere than `points` (a baseline's
    /// normal data judging a new file); see [`IsolationForest::for_novelty`].
    pub fn fit_for_novelty(points: &[Vec<f64>], options: &ModelOptions) -> Option<Self> {
        Some(match Self::fit(points, options)? {
            AnomalyModel::Forest(forest) => AnomalyModel::Forest(forest.for_novelty()),
            svm => svm,
        })
    }

    /// The anomaly score of `point`: about 0.5 for ordinary points, near 1 for isolated ones.
    pub fn score(&self, point: &[f64]) -> f64 {
        match self {
            AnomalyModel::Forest(forest) => forest.score(point),
            AnomalyModel::Svm(svm) => svm.score(point),
        }
    }

    /// The scores of many points, each as [`AnomalyModel::score`] gives it.
    pub fn scores<P: AsRef<[f64]>>(&self, points: &[P]) -> Vec<f64> {
        match self {
            AnomalyModel::Forest(forest) => forest.scores(points),
            AnomalyModel::Svm(svm) => points
                .iter()
                .map(|point| svm.score(point.as_ref()))
                .collect(),
        }
    }

    /// The scores of many points that reach `floor`, each as [`AnomalyModel::score`]
    /// gives it; `None` for the others (see [`IsolationForest::scores_reaching`]).
    pub fn scores_reaching<P: AsRef<[f64]>>(&self, points: &[P], floor: f64) -> Vec<Option<f64>> {
        match self {
            AnomalyModel::Forest(forest) => forest.scores_reaching(points, floor),
            AnomalyModel::Svm(svm) => points
                .iter()
                .map(|point| Some(svm.score(point.as_ref())).filter(|score| *score >= floor))
                .collect(),
        }
    }

    /// The score of `point` and each feature's share in it.
    pub fn explain(&self, point: &[f64]) -> Explained {
        match self {
            AnomalyModel::Forest(forest) => forest.explain(point),
            AnomalyModel::Svm(svm) => svm.explain(point),
        }
    }

    /// [`AnomalyModel::explain`] for many points, each as alone.
    pub fn explain_many(&self, points: &[&[f64]]) -> Vec<Explained> {
        match self {
            AnomalyModel::Forest(forest) => forest.explain_many(points),
            AnomalyModel::Svm(svm) => points.iter().map(|point| svm.explain(point)).collect(),
        }
    }
}
