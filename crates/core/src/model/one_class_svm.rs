//! One-Class SVM with an RBF kernel, made linear by random Fourier features and trained by
//! stochastic gradient descent, so it fits thousands of points in milliseconds and scores
//! a point in a few hundred multiply-adds.
//!
//! The RBF kernel `k(x, y) = exp(-γ‖x − y‖²)` is approximated (Rahimi and Recht, 2007) by
//! `z(x) = √(2/D) cos(Wx + b)`, with the rows of `W` drawn from `N(0, 2γ I)` and `b` from
//! `U[0, 2π)`: then `z(x)·z(y) ≈ k(x, y)`. Points are standardised first (each feature
//! to mean 0, deviation 1, over the training set, a deviation never below a tenth of the
//! mean's size) and `γ = 1 / dimensions`, scikit-learn's `gamma="scale"` for standardised
//! data.
//!
//! In that space the one-class SVM (Schölkopf et al., 2001) finds `w, ρ` minimising
//! `½‖w‖² − ρ + 1/(νn) Σ max(0, ρ − w·z(xᵢ))`: a boundary with about a share `ν` of the
//! training points outside it. SGD with a decaying step and averaged iterates (as
//! scikit-learn's `SGDOneClassSVM`) solves it; every draw comes from the caller's seed.
//!
//! The decision `f(x) = w·z(x) − ρ` becomes a score on the Isolation Forest's scale so the
//! same thresholds mean about the same: 0.5 at the training points' median decision, 0.63
//! at the boundary below which a share `ν` of them fall, approaching 1 far outside. The
//! explanation asks, for each feature, how much the decision improves when that feature
//! alone is set to its training median: the features whose typical value would make the
//! point ordinary are the ones that make it odd.

use super::forest::Explained;
use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};

/// How a one-class SVM is trained.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SvmOptions {
    /// Random Fourier features: more approximate the kernel better, and cost linearly.
    pub components: usize,
    /// The share of training points left outside the boundary (0 to 1).
    pub nu: f64,
    /// Passes over the training points.
    pub epochs: usize,
    /// The seed for the features and the order of the passes.
    pub seed: u64,
}

impl Default for SvmOptions {
    fn default() -> Self {
        Self {
            components: 256,
            nu: 0.02,
            epochs: 20,
            seed: 0x5e1f_5eed,
        }
    }
}

/// A trained one-class SVM; see the module docs.
#[derive(Debug, Clone, PartialEq)]
pub struct OneClassSvm {
    dimensions: usize,
    mean: Vec<f64>,
    deviation: Vec<f64>,
    /// `components × dimensions`, row by row.
    frequencies: Vec<f64>,
    phases: Vec<f64>,
    weights: Vec<f64>,
    offset: f64,
    /// Each feature's training median (standardised), for explanations.
    medians: Vec<f64>,
    /// The training decisions' median, and the distance from it to the `ν` quantile.
    median_decision: f64,
    spread: f64,
}

/// The logistic slope that puts the `ν` quantile at 0.63: `ln(0.63 / 0.37)`. Then twice
/// as far out is 0.74 (about where the client model starts to show findings) and three
/// times 0.83, about where the forest puts points it isolates quickly.
const BOUNDARY_LOGIT: f64 = 0.532_216_813_747_308_2;

impl OneClassSvm {
    /// Trains on `points` (each of the same length). `None` without points.
    pub fn fit(points: &[Vec<f64>], options: &SvmOptions) -> Option<Self> {
        let dimensions = points.first()?.len();
        if dimensions == 0 || points.iter().any(|p| p.len() != dimensions) {
            return None;
        }
        let n = points.len() as f64;
        let mean: Vec<f64> = (0..dimensions)
            .map(|j| points.iter().map(|p| p[j]).sum::<f64>() / n)
            .collect();
        let deviation: Vec<f64> = (0..dimensions)
            .map(|j| {
                let variance = points.iter().map(|p| (p[j] - mean[j]).powi(2)).sum::<f64>() / n;
                // A feature that barely varies in training (every client's mean response
                // within a few percent) would make a few percent look like many
                // deviations: a tenth of its size is the least spread it is given. A
                // constant zero: any change in it is a change of one "deviation".
                let floor = 0.1 * mean[j].abs();
                if variance.sqrt() > floor.max(1e-6) {
                    variance.sqrt()
                } else if floor > 1e-6 {
                    floor
                } else {
                    1.0
                }
            })
            .collect();
        let components = options.components.clamp(8, 4096);
        let nu = options.nu.clamp(1e-3, 1.0);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(options.seed);
        let gamma = 1.0 / dimensions as f64;
        let scale = (2.0 * gamma).sqrt();
        let frequencies: Vec<f64> = (0..components * dimensions)
            .map(|_| normal(&mut rng) * scale)
            .collect();
        let phases: Vec<f64> = (0..components)
            .map(|_| unit(&mut rng) * std::f64::consts::TAU)
            .collect();
        let mut model = Self {
            dimensions,
            mean,
            deviation,
            frequencies,
            phases,
            weights: vec![0.0; components],
            offset: 0.0,
            medians: vec![0.0; dimensions],
            median_decision: 0.0,
            spread: 1.0,
        };
        let standardised: Vec<Vec<f64>> = points.iter().map(|p| model.standardise(p)).collect();
        let mapped: Vec<Vec<f64>> = standardised.iter().map(|x| model.features(x)).collect();
        model.train(&mapped, nu, options.epochs.clamp(1, 200), &mut rng);
        model.medians = (0..dimensions)
            .map(|j| median(standardised.iter().map(|x| x[j]).collect()))
            .collect();
        let mut decisions: Vec<f64> = mapped.iter().map(|z| model.decide(z)).collect();
        decisions.sort_by(f64::total_cmp);
        model.median_decision = decisions[decisions.len() / 2];
        let boundary = decisions[((decisions.len() as f64 * nu) as usize).min(decisions.len() - 1)];
        model.spread = (model.median_decision - boundary).max(1e-9);
        Some(model)
    }

    /// SGD on the primal, averaging the iterates of the second half of the passes.
    fn train(&mut self, mapped: &[Vec<f64>], nu: f64, epochs: usize, rng: &mut Xoshiro256PlusPlus) {
        let components = self.weights.len();
        let (mut w, mut rho) = (vec![0.0; components], 0.0);
        let (mut w_sum, mut rho_sum, mut averaged) = (vec![0.0; components], 0.0, 0.0);
        let mut order: Vec<usize> = (0..mapped.len()).collect();
        let mut step_count = 0.0_f64;
        for epoch in 0..epochs {
            for i in (1..order.len()).rev() {
                let j = (rng.next_u64() % (i as u64 + 1)) as usize;
                order.swap(i, j);
            }
            for &i in &order {
                step_count += 1.0;
                let step = 0.1 / (1.0 + 0.01 * step_count);
                let z = &mapped[i];
                let outside = rho - dot(&w, z) > 0.0;
                for (wk, zk) in w.iter_mut().zip(z) {
                    let gradient = *wk - if outside { zk / nu } else { 0.0 };
                    *wk -= step * gradient;
                }
                rho -= step * (if outside { 1.0 / nu } else { 0.0 } - 1.0);
                if epoch >= epochs / 2 {
                    w_sum.iter_mut().zip(&w).for_each(|(s, x)| *s += x);
                    rho_sum += rho;
                    averaged += 1.0;
                }
            }
        }
        self.weights = w_sum.iter().map(|s| s / averaged).collect();
        self.offset = rho_sum / averaged;
    }

    fn standardise(&self, point: &[f64]) -> Vec<f64> {
        point
            .iter()
            .zip(self.mean.iter().zip(&self.deviation))
            .map(|(x, (m, d))| (x - m) / d)
            .collect()
    }

    /// `z(x)` for a standardised `x`.
    fn features(&self, x: &[f64]) -> Vec<f64> {
        let norm = (2.0 / self.phases.len() as f64).sqrt();
        self.phases
            .iter()
            .zip(self.frequencies.chunks_exact(self.dimensions))
            .map(|(b, row)| norm * (dot(row, x) + b).cos())
            .collect()
    }

    fn decide(&self, z: &[f64]) -> f64 {
        dot(&self.weights, z) - self.offset
    }

    fn decision_of_standardised(&self, x: &[f64]) -> f64 {
        self.decide(&self.features(x))
    }

    fn to_score(&self, decision: f64) -> f64 {
        let t = (self.median_decision - decision) / self.spread * BOUNDARY_LOGIT;
        1.0 / (1.0 + (-t).exp())
    }

    /// The number of features a point must have.
    pub fn dimensions(&self) -> usize {
        self.dimensions
    }

    /// The anomaly score of `point`, 0 to 1 (see the module docs).
    pub fn score(&self, point: &[f64]) -> f64 {
        if point.len() != self.dimensions {
            return 0.5;
        }
        self.to_score(self.decision_of_standardised(&self.standardise(point)))
    }

    /// The score of `point` and how much each feature made it odd.
    pub fn explain(&self, point: &[f64]) -> Explained {
        let score = self.score(point);
        if point.len() != self.dimensions {
            return Explained {
                score,
                contributions: vec![0.0; point.len()],
            };
        }
        let x = self.standardise(point);
        let decision = self.decision_of_standardised(&x);
        let mut gains: Vec<f64> = (0..self.dimensions)
            .map(|j| {
                let mut typical = x.clone();
                typical[j] = self.medians[j];
                (self.decision_of_standardised(&typical) - decision).max(0.0)
            })
            .collect();
        let sum: f64 = gains.iter().sum();
        if sum > 0.0 {
            gains.iter_mut().for_each(|g| *g /= sum);
        }
        Explained {
            score,
            contributions: gains,
        }
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// A uniform float in `[0, 1)`.
fn unit(rng: &mut Xoshiro256PlusPlus) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// A standard normal draw (Box-Muller).
fn normal(rng: &mut Xoshiro256PlusPlus) -> f64 {
    let u = unit(rng).max(f64::MIN_POSITIVE);
    let v = unit(rng);
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_points::cloud;

    #[test]
    fn a_far_point_scores_high_and_an_ordinary_one_about_half() {
        let svm = OneClassSvm::fit(&cloud(1000), &SvmOptions::default()).unwrap();
        let ordinary = svm.score(&[0.5, 0.5, 0.5]);
        let far = svm.score(&[3.0, 0.5, 0.5]);
        assert!((0.3..0.6).contains(&ordinary), "ordinary {ordinary}");
        assert!(far > 0.9, "far {far}");
        // About a share nu of the training points reach the boundary's 0.63.
        let points = cloud(1000);
        let outside = points.iter().filter(|p| svm.score(p) >= 0.63).count();
        assert!(
            (5..=60).contains(&outside),
            "{outside} of 1000 at or above 0.63"
        );
    }

    #[test]
    fn the_explanation_names_the_feature_that_is_off() {
        let svm = OneClassSvm::fit(&cloud(1000), &SvmOptions::default()).unwrap();
        let explained = svm.explain(&[0.5, 2.0, 0.5]);
        assert!(
            explained.contributions[1] > 0.8,
            "{:?}",
            explained.contributions
        );
        assert!((explained.contributions.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert_eq!(explained.score, svm.score(&[0.5, 2.0, 0.5]));
        // A change in the constant feature is noticed too.
        assert!(svm.explain(&[0.5, 0.5, 3.0]).contributions[2] > 0.8);
    }

    #[test]
    fn the_same_seed_and_data_give_the_same_model() {
        let a = OneClassSvm::fit(&cloud(300), &SvmOptions::default()).unwrap();
        let b = OneClassSvm::fit(&cloud(300), &SvmOptions::default()).unwrap();
        assert_eq!(a, b);
        assert!(OneClassSvm::fit(&[], &SvmOptions::default()).is_none());
        assert!(OneClassSvm::fit(&[vec![1.0], vec![1.0, 2.0]], &SvmOptions::default()).is_none());
    }
}
