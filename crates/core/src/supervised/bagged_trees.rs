//! A bagged ensemble of CART decision trees (smartcore's), giving the share of trees that
//! vote "attack" as a probability: what ROC-AUC and a tunable threshold need, and what
//! smartcore's random forest does not expose.
//!
//! Each tree is grown on a bootstrap sample (drawn with replacement, from the caller's
//! seed) with its own seed; growing is deterministic, so the same rows, labels and seed
//! give the same ensemble, which is how a saved classifier is restored (see
//! [`super::ClassifierFile`]).

use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::tree::decision_tree_classifier::{
    DecisionTreeClassifier, DecisionTreeClassifierParameters, SplitCriterion,
};
use std::sync::Arc;

/// How the ensemble is grown.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct TreesOptions {
    /// Trees in the ensemble.
    pub trees: usize,
    /// The deepest a tree grows.
    pub max_depth: u16,
    /// The fewest rows a leaf holds.
    pub min_leaf: usize,
    /// The seed for the bootstrap samples and the trees.
    pub seed: u64,
}

impl Default for TreesOptions {
    fn default() -> Self {
        Self {
            trees: 40,
            max_depth: 12,
            min_leaf: 2,
            seed: 0x7_4ee5,
        }
    }
}

type Tree = DecisionTreeClassifier<f64, u32, DenseMatrix<f64>, Vec<u32>>;

/// A trained ensemble; see the module docs.
#[derive(Debug, Clone)]
pub struct BaggedTrees {
    /// Shared: trees never change once grown, and a copy of an analysis shares them.
    trees: Arc<Vec<Tree>>,
    features: usize,
}

impl BaggedTrees {
    /// Trains on `rows` (each of the same length) labelled `attack`; `None` when there is
    /// nothing to learn (no rows, or one class only) or smartcore refuses the data.
    pub fn fit(rows: &[Vec<f64>], attack: &[bool], options: &TreesOptions) -> Option<Self> {
        let features = rows.first()?.len();
        if rows.len() != attack.len()
            || features == 0
            || rows
                .iter()
                .any(|r| r.len() != features || r.iter().any(|x| !x.is_finite()))
            || attack.iter().all(|&a| a)
            || attack.iter().all(|&a| !a)
        {
            return None;
        }
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(options.seed);
        let trees = (0..options.trees.clamp(1, 500))
            .map(|index| {
                // A bootstrap sample, with both classes in it so the tree can split them.
                let mut picked: Vec<usize> = (0..rows.len())
                    .map(|_| (rng.next_u64() % rows.len() as u64) as usize)
                    .collect();
                for class in [true, false] {
                    if !picked.iter().any(|&i| attack[i] == class) {
                        picked.push(attack.iter().position(|&a| a == class).unwrap_or(0));
                    }
                }
                let sample: Vec<&[f64]> = picked.iter().map(|&i| rows[i].as_slice()).collect();
                let x = DenseMatrix::from_2d_array(&sample).ok()?;
                let y: Vec<u32> = picked.iter().map(|&i| u32::from(attack[i])).collect();
                let parameters = DecisionTreeClassifierParameters::default()
                    .with_criterion(SplitCriterion::Gini)
                    .with_max_depth(options.max_depth.max(1))
                    .with_min_samples_leaf(options.min_leaf.max(1));
                let parameters = DecisionTreeClassifierParameters {
                    seed: Some(options.seed.wrapping_add(index as u64)),
                    ..parameters
                };
                Tree::fit(&x, &y, parameters).ok()
            })
            .collect::<Option<Vec<Tree>>>()?;
        Some(Self {
            trees: Arc::new(trees),
            features,
        })
    }

    /// The share of trees that call each row an attack, 0 to 1; rows of the wrong length
    /// get 0.
    pub fn probabilities(&self, rows: &[Vec<f64>]) -> Vec<f64> {
        let valid: Vec<Vec<f64>> = rows
            .iter()
            .map(|r| {
                if r.len() == self.features {
                    r.clone()
                } else {
                    vec![0.0; self.features]
                }
            })
            .collect();
        if valid.is_empty() {
            return Vec::new();
        }
        let Ok(x) = DenseMatrix::from_2d_vec(&valid) else {
            return vec![0.0; rows.len()];
        };
        let mut votes = vec![0.0; rows.len()];
        for tree in self.trees.iter() {
            if let Ok(predicted) = tree.predict(&x) {
                votes
                    .iter_mut()
                    .zip(predicted)
                    .for_each(|(v, p)| *v += f64::from(p));
            }
        }
        let trees = self.trees.len() as f64;
        votes
            .iter()
            .zip(rows)
            .map(|(v, r)| {
                if r.len() == self.features {
                    v / trees
                } else {
                    0.0
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_boundary_and_says_how_sure() {
        // Attacks have a large second feature; the first is noise.
        let rows: Vec<Vec<f64>> = (0..400)
            .map(|i| {
                vec![
                    (i * 37 % 100) as f64,
                    if i % 4 == 0 {
                        50.0 + (i % 7) as f64
                    } else {
                        (i % 10) as f64
                    },
                ]
            })
            .collect();
        let attack: Vec<bool> = (0..400).map(|i| i % 4 == 0).collect();
        let model = BaggedTrees::fit(&rows, &attack, &TreesOptions::default()).unwrap();
        let p = model.probabilities(&[vec![3.0, 55.0], vec![3.0, 4.0], vec![1.0]]);
        assert!(p[0] > 0.9 && p[1] < 0.1, "{p:?}");
        assert_eq!(p[2], 0.0);
        let again = BaggedTrees::fit(&rows, &attack, &TreesOptions::default()).unwrap();
        assert_eq!(again.probabilities(&rows), model.probabilities(&rows));
    }

    #[test]
    fn one_class_or_nothing_is_no_model() {
        assert!(BaggedTrees::fit(&[], &[], &TreesOptions::default()).is_none());
        assert!(
            BaggedTrees::fit(
                &[vec![1.0], vec![2.0]],
                &[true, true],
                &TreesOptions::default()
            )
            .is_none()
        );
        assert!(
            BaggedTrees::fit(
                &[vec![f64::NAN], vec![2.0]],
                &[true, false],
                &TreesOptions::default()
            )
            .is_none()
        );
    }
}
