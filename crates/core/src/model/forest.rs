//! Isolation Forest (Liu, Ting and Zhou, 2008), with a per-feature explanation of each score.
//!
//! Anomalies are few and different, so random axis-aligned splits isolate them in fewer
//! steps than normal points. A forest of trees, each grown on a small random sample, gives
//! every point an average path length `E[h(x)]`; the score is `2^(-E[h(x)] / c(n))`, where
//! `c(n)` is the average path length of an unsuccessful search in a binary tree of `n`
//! points: about 0.5 for ordinary points, approaching 1 for anomalies.
//!
//! The explanation follows DIFFI (Carletti et al., 2020) for one point: every split on the
//! point's path credits its feature with `λ / h`, where `h` is that tree's path length
//! (short paths matter more) and `λ` the share of the node's points the split sent the
//! other way (a split that cuts the point off from most of the crowd matters more than one
//! that halves it). As DIFFI compares outliers with inliers, each feature's credit is then
//! divided by the credit a typical training point earns on it, and only the excess counts:
//! a feature the point is split on no more than anyone else explains nothing. The shares
//! are normalised to add up to 1.
//!
//! One extension to the paper: each leaf keeps the bounding box of the training points
//! that reached it, and a point clearly outside that box (different at all from points
//! that were all equal on a feature, or further out than the box is wide) is isolated
//! there: its path ends without the leaf's expected extra depth, crediting the features
//! that put it outside. Without
//! it, a point beyond anything in a tree's sample (a value seen a few times in a million
//! lines) joins a leaf of hundreds of identical points and looks ordinary.
//!
//! Trees are flat arrays of 16-byte nodes with a split's children side by side, so a walk
//! reads one node a step and picks the child without a branch; many points walk a tree in
//! step (see [`IsolationForest::scores`]). Randomness comes only from the caller's seed.

use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};
use std::sync::OnceLock;

/// How a forest is grown.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ForestOptions {
    /// Number of trees.
    pub trees: usize,
    /// Points sampled (without replacement) to grow each tree.
    pub sample_size: usize,
    /// The seed for every random choice; the same seed and data give the same forest.
    pub seed: u64,
}

impl Default for ForestOptions {
    fn default() -> Self {
        Self {
            trees: 100,
            sample_size: 256,
            seed: 0x106_1e25,
        }
    }
}

/// One tree. Its nodes are numbered so that a split's children sit side by side, and
/// what a walk reads at each step (threshold, feature, where to go) is one 16-byte
/// [`Node`]: a walk reads a node a step and picks the child without a branch. What only
/// explanations and novelty need is kept apart, by node.
#[derive(Debug, Clone, PartialEq)]
struct Tree {
    nodes: Vec<Node>,
    /// Points that reached the node while growing.
    size: Vec<u32>,
    /// For a split, where the reach of its sample on the split feature is in `reach`.
    range_start: Vec<u32>,
    /// Reaches (see [`reach_of`]), two values each: a split's on its feature, and a leaf's
    /// on every feature, in feature order.
    reach: Vec<f64>,
}

/// What a walk reads at a node.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Node {
    /// A split's threshold; for a leaf, the expected path length among its points
    /// (`c(size)`), worked out once when the tree is grown rather than per point.
    threshold: f64,
    /// The split feature, or [`LEAF`].
    feature: u16,
    /// A split's left child (the right one is next to it); for a leaf of two points or
    /// more, where its reaches start in `reach`; [`NO_REACH`] for a leaf of one point,
    /// which nothing is outside.
    next: u32,
}

/// A leaf whose reaches are not kept.
const NO_REACH: u32 = u32::MAX;

const LEAF: u16 = u16::MAX;

/// A fitted Isolation Forest over points of `dimensions` features.
#[derive(Debug, Clone)]
pub struct IsolationForest {
    trees: Vec<Tree>,
    dimensions: usize,
    /// `c(sample size)`, the normaliser of path lengths.
    average_path: f64,
    /// For each number of trees walked, the least the rest of the walk can add to a
    /// point's total path length (the sum of their shortest paths; see
    /// [`IsolationForest::scores_reaching`]). One more entry than trees, the last 0.
    shortest_rest: Vec<f64>,
    /// Evenly spaced training points, `dimensions` values each, for the typical credit.
    typical_sample: Vec<f64>,
    /// The credit each feature earns, on average, from `typical_sample`: what "ordinary"
    /// is. Worked out for the first explanation, not at the fit: most files have nothing
    /// for a model to explain, and it was half the client model's fit, on the time the
    /// whole analysis waits for.
    typical_credit: OnceLock<Vec<f64>>,
    /// Whether a point far outside a split's range is isolated at that split (see
    /// [`IsolationForest::for_novelty`]).
    novelty: bool,
}

/// Forests are alike when grown alike, whether or not either has explained yet: the
/// typical credit is a function of the rest.
impl PartialEq for IsolationForest {
    fn eq(&self, other: &Self) -> bool {
        let Self {
            trees,
            dimensions,
            average_path,
            shortest_rest,
            typical_sample,
            typical_credit: _,
            novelty,
        } = self;
        *trees == other.trees
            && *dimensions == other.dimensions
            && *average_path == other.average_path
            && *shortest_rest == other.shortest_rest
            && *typical_sample == other.typical_sample
            && *novelty == other.novelty
    }
}

/// How many training points are averaged for the typical credit.
const TYPICAL_SAMPLE: usize = 512;

/// A point's score and the share of it each feature earned.
#[derive(Debug, Clone, PartialEq)]
pub struct Explained {
    /// 0 to 1; above about 0.6 is unusual, near 1 is isolated at once.
    pub score: f64,
    /// One share per feature, adding up to 1.
    pub contributions: Vec<f64>,
}

impl IsolationForest {
    /// Grows a forest on `points` (each of the same length). `None` without points.
    pub fn fit(points: &[Vec<f64>], options: &ForestOptions) -> Option<Self> {
        let dimensions = points.first()?.len();
        if dimensions == 0
            || dimensions >= usize::from(LEAF)
            || points.iter().any(|p| p.len() != dimensions)
        {
            return None;
        }
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(options.seed);
        let sample_size = options
            .sample_size
            .clamp(2, points.len().max(2))
            .min(points.len());
        let height_limit = (sample_size.max(2) as f64).log2().ceil() as usize;
        let mut indices: Vec<usize> = (0..points.len()).collect();
        let trees: Vec<Tree> = (0..options.trees.max(1))
            .map(|_| {
                // A partial Fisher-Yates shuffle draws the sample without replacement.
                for i in 0..sample_size {
                    let j = i + below(&mut rng, indices.len() - i);
                    indices.swap(i, j);
                }
                let mut tree = Tree {
                    nodes: vec![],
                    size: vec![],
                    range_start: vec![],
                    reach: vec![],
                };
                tree.push_pair_or_root(1);
                let mut sample = indices[..sample_size].to_vec();
                grow(
                    &mut tree,
                    0,
                    points,
                    &mut sample,
                    0,
                    height_limit,
                    dimensions,
                    &mut rng,
                );
                tree
            })
            .collect();
        let mut shortest_rest: Vec<f64> = trees.iter().map(Tree::shortest_path).collect();
        shortest_rest.push(0.0);
        for tree in (0..shortest_rest.len() - 1).rev() {
            shortest_rest[tree] += shortest_rest[tree + 1];
        }
        Some(Self {
            trees,
            dimensions,
            average_path: average_path_length(sample_size as f64),
            shortest_rest,
            // Evenly spaced, so the result does not depend on the seed's draw.
            typical_sample: points
                .iter()
                .step_by(points.len().div_ceil(TYPICAL_SAMPLE).max(1))
                .flatten()
                .copied()
                .collect(),
            typical_credit: OnceLock::new(),
            novelty: false,
        })
    }

    /// The typical credit (see `typical_credit`), worked out the first time.
    fn typical_credit(&self) -> &[f64] {
        self.typical_credit.get_or_init(|| {
            let points: Vec<&[f64]> = self.typical_sample.chunks_exact(self.dimensions).collect();
            let mut typical = vec![0.0; self.dimensions];
            let mut counted = 0.0;
            for (credit, _) in self.credits(&points) {
                typical.iter_mut().zip(credit).for_each(|(t, c)| *t += c);
                counted += 1.0;
            }
            typical.iter_mut().for_each(|t| *t /= counted);
            typical
        })
    }

    /// Each point's credit and total path length, as [`IsolationForest::credit`] gives
    /// them, for many points: the points walk one tree after another, so that a tree
    /// stays in cache while all of them walk it (one point walking all the trees reads a
    /// megabyte of them). Each point's sums still add up in tree order, so they keep
    /// every bit.
    fn credits(&self, points: &[&[f64]]) -> Vec<(Vec<f64>, f64)> {
        let mut credits = vec![(vec![0.0; self.dimensions], 0.0); points.len()];
        let mut splits = Vec::new();
        for tree in &self.trees {
            for (point, (credit, total)) in points.iter().zip(&mut credits) {
                *total += self.add_credit(tree, point, credit, &mut splits);
            }
        }
        credits
    }

    /// Adds `point`'s credit in `tree` to `credit`, each split's share over the path's
    /// length; the path's length. `splits` is room to note the splits in.
    fn add_credit(
        &self,
        tree: &Tree,
        point: &[f64],
        credit: &mut [f64],
        splits: &mut Vec<(usize, f64)>,
    ) -> f64 {
        splits.clear();
        let length = path(
            tree,
            self.dimensions,
            point,
            self.novelty,
            |feature, separated| splits.push((feature, separated)),
        );
        for &(feature, separated) in splits.iter() {
            credit[feature] += separated / length.max(1.0);
        }
        length
    }

    /// The same forest, judging points that come from elsewhere than its training data
    /// (novelty detection, as when a file is judged against a baseline): a point far
    /// outside the range of a split's points on its feature is isolated at that split.
    /// Within one file this would flag every extreme value of a long tail; against a
    /// baseline, a value far beyond anything normal is exactly what should stand out.
    pub fn for_novelty(mut self) -> Self {
        // What is typical was learned from the training points, judged as such.
        self.typical_credit();
        self.novelty = true;
        self
    }

    /// The number of features a point must have.
    pub fn dimensions(&self) -> usize {
        self.dimensions
    }

    /// The anomaly score of `point`, 0 to 1.
    pub fn score(&self, point: &[f64]) -> f64 {
        let total: f64 = self
            .trees
            .iter()
            .map(|tree| path_length(tree, self.dimensions, point, self.novelty))
            .sum();
        self.normalise(total)
    }

    /// The scores of many points, as [`IsolationForest::score`] gives them one by one,
    /// to the bit. Tree by tree rather than point by point: a forest is megabytes, one
    /// tree stays in cache while every point walks it; and [`LANES`] points at a time,
    /// which the processor overlaps where one walk waits on each step's load. Several
    /// times faster for thousands of points.
    pub fn scores<P: AsRef<[f64]>>(&self, points: &[P]) -> Vec<f64> {
        self.totals(points, f64::INFINITY)
            .into_iter()
            .map(|total| self.normalise(total.unwrap_or(f64::INFINITY)))
            .collect()
    }

    /// The scores of many points that reach `floor`, as [`IsolationForest::scores`]
    /// gives them; `None` for the others. Most points are ordinary and only need to be
    /// known as such: a point stops walking once its paths so far, with the shortest the
    /// trees left could add, are too long for its score to reach `floor`.
    pub fn scores_reaching<P: AsRef<[f64]>>(&self, points: &[P], floor: f64) -> Vec<Option<f64>> {
        // A total path length beyond this scores below `floor`, with a margin far wider
        // than the rounding of a sum of path lengths.
        let longest = self.trees.len() as f64 * self.average_path * -floor.log2();
        let cutoff = longest + longest.abs() * 1e-9 + 1e-9;
        self.totals(points, cutoff)
            .into_iter()
            .map(|total| {
                total
                    .map(|total| self.normalise(total))
                    .filter(|s| *s >= floor)
            })
            .collect()
    }

    /// The total path length of each point over every tree, in tree order; `None` for a
    /// point that stopped once its total was sure to pass `cutoff`.
    fn totals<P: AsRef<[f64]>>(&self, points: &[P], cutoff: f64) -> Vec<Option<f64>> {
        // The points still walking, side by side: where each is in `points`, itself, and
        // its total so far.
        let mut places: Vec<usize> = (0..points.len()).collect();
        let mut walking: Vec<&[f64]> = points.iter().map(AsRef::as_ref).collect();
        let mut totals = vec![0.0; points.len()];
        // Novelty stops a walk at a split: those points go one by one, to the end (a
        // split can end a path sooner than a tree's shortest leaf).
        let cutoff = if self.novelty || cutoff.is_nan() {
            f64::INFINITY
        } else {
            cutoff
        };
        for (walked, trees) in self.trees.chunks(TREES_BETWEEN_STOPS).enumerate() {
            for tree in trees {
                let in_step = if self.novelty {
                    0
                } else {
                    walking.len() / LANES * LANES
                };
                let (stepped, rest) = walking.split_at(in_step);
                let (stepped_totals, rest_totals) = totals.split_at_mut(in_step);
                for (points, totals) in stepped
                    .chunks_exact(LANES)
                    .zip(stepped_totals.chunks_exact_mut(LANES))
                {
                    let lengths = path_lengths(tree, self.dimensions, points);
                    totals.iter_mut().zip(lengths).for_each(|(t, l)| *t += l);
                }
                for (total, point) in rest_totals.iter_mut().zip(rest) {
                    *total += path_length(tree, self.dimensions, point, self.novelty);
                }
            }
            // The points that may still reach the cutoff close up, in order.
            let rest = self.shortest_rest[walked * TREES_BETWEEN_STOPS + trees.len()];
            let mut kept = 0;
            for point in 0..walking.len() {
                if totals[point] + rest <= cutoff {
                    places[kept] = places[point];
                    walking[kept] = walking[point];
                    totals[kept] = totals[point];
                    kept += 1;
                }
            }
            places.truncate(kept);
            walking.truncate(kept);
            totals.truncate(kept);
        }
        let mut result = vec![None; points.len()];
        for (place, total) in places.into_iter().zip(totals) {
            result[place] = Some(total);
        }
        result
    }

    /// The score of `point` and how much each feature contributed to it.
    pub fn explain(&self, point: &[f64]) -> Explained {
        let (credit, total) = self.credit(point);
        self.explained(credit, total)
    }

    /// [`IsolationForest::explain`] for many points, to the bit, walked tree by tree (see
    /// [`IsolationForest::credits`]).
    pub fn explain_many(&self, points: &[&[f64]]) -> Vec<Explained> {
        self.credits(points)
            .into_iter()
            .map(|(credit, total)| self.explained(credit, total))
            .collect()
    }

    /// The explanation of a point with `credit` over paths of `total` length.
    fn explained(&self, credit: Vec<f64>, total: f64) -> Explained {
        let typical_credit = self.typical_credit();
        let mean_typical = typical_credit.iter().sum::<f64>() / self.dimensions as f64;
        let mut shares: Vec<f64> = credit
            .iter()
            .zip(typical_credit)
            .map(|(&c, &typical)| {
                let baseline = if typical > 0.0 {
                    typical
                } else {
                    mean_typical.max(f64::MIN_POSITIVE)
                };
                (c / baseline - 1.0).max(0.0)
            })
            .collect();
        // An ordinary point exceeds nowhere: then its raw credit is the best account.
        if shares.iter().all(|&s| s == 0.0) {
            shares = credit;
        }
        let sum: f64 = shares.iter().sum();
        if sum > 0.0 {
            shares.iter_mut().for_each(|s| *s /= sum);
        }
        Explained {
            score: self.normalise(total),
            contributions: shares,
        }
    }

    /// Each feature's credit along `point`'s paths, and the total path length.
    fn credit(&self, point: &[f64]) -> (Vec<f64>, f64) {
        let mut credit = vec![0.0; self.dimensions];
        let mut total = 0.0;
        let mut splits = Vec::new();
        for tree in &self.trees {
            total += self.add_credit(tree, point, &mut credit, &mut splits);
        }
        (credit, total)
    }

    fn normalise(&self, total_path: f64) -> f64 {
        let mean = total_path / self.trees.len() as f64;
        2f64.powf(-mean / self.average_path)
    }
}

/// A uniform integer in `0..n` (n > 0).
fn below(rng: &mut Xoshiro256PlusPlus, n: usize) -> usize {
    // Multiply-shift: unbiased enough for sampling, and branch-free.
    ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize
}

/// A uniform float in `[low, high)`.
fn between(rng: &mut Xoshiro256PlusPlus, low: f64, high: f64) -> f64 {
    let unit = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    low + unit * (high - low)
}

impl Tree {
    /// The shortest path a point can take in this tree: to its shallowest leaf, outside
    /// the leaf's reaches (or into a leaf of one point, which adds nothing).
    fn shortest_path(&self) -> f64 {
        let mut shortest = f64::INFINITY;
        let mut unvisited = vec![(0usize, 0usize)];
        while let Some((node, depth)) = unvisited.pop() {
            let at = self.nodes[node];
            if at.feature == LEAF {
                let extra = if at.next == NO_REACH {
                    at.threshold
                } else {
                    0.0
                };
                shortest = shortest.min(depth as f64 + extra);
            } else {
                let left = at.next as usize;
                unvisited.extend([(left, depth + 1), (left + 1, depth + 1)]);
            }
        }
        shortest
    }

    /// Adds `count` nodes, filled in when grown; returns the first one's index.
    fn push_pair_or_root(&mut self, count: usize) -> u32 {
        let first = u32::try_from(self.nodes.len()).unwrap_or(u32::MAX);
        for _ in 0..count {
            self.nodes.push(Node {
                threshold: 0.0,
                feature: LEAF,
                next: NO_REACH,
            });
            self.size.push(0);
            self.range_start.push(0);
        }
        first
    }

    /// The reach at `start` in `reach`.
    fn reach_at(&self, start: u32) -> [f64; 2] {
        let start = start as usize;
        [self.reach[start], self.reach[start + 1]]
    }

    /// The reaches of leaf `node` on each feature, if it keeps them.
    fn leaf_reaches(&self, node: Node, dimensions: usize) -> Option<&[f64]> {
        (node.next != NO_REACH).then(|| {
            let start = node.next as usize;
            &self.reach[start..start + 2 * dimensions]
        })
    }
}

/// Grows node `node` of `tree` (already added) for `sample`, then its subtree.
#[allow(clippy::too_many_arguments)]
fn grow(
    tree: &mut Tree,
    node: usize,
    points: &[Vec<f64>],
    sample: &mut [usize],
    depth: usize,
    height_limit: usize,
    dimensions: usize,
    rng: &mut Xoshiro256PlusPlus,
) {
    tree.size[node] = u32::try_from(sample.len()).unwrap_or(u32::MAX);
    // Pick a feature that still varies in this sample, starting from a random one.
    let start = below(rng, dimensions);
    let bounds = |feature: usize| {
        sample
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &i| {
                let v = points[i][feature];
                (lo.min(v), hi.max(v))
            })
    };
    let split = if depth >= height_limit || sample.len() <= 1 {
        None
    } else {
        (0..dimensions)
            .map(|k| (start + k) % dimensions)
            .find_map(|feature| {
                let (low, high) = bounds(feature);
                (high > low).then_some((feature, low, high))
            })
    };
    let Some((feature, low, high)) = split else {
        // A leaf: remember the reach of its points on every feature.
        let mut next = NO_REACH;
        if sample.len() >= 2 {
            next = u32::try_from(tree.reach.len()).unwrap_or(NO_REACH);
            for feature in 0..dimensions {
                let (low, high) = bounds(feature);
                tree.reach.extend(reach_of(low, high));
            }
        }
        tree.nodes[node] = Node {
            threshold: average_path_length(sample.len() as f64),
            feature: LEAF,
            next,
        };
        return;
    };
    let threshold = between(rng, low, high);
    tree.range_start[node] = u32::try_from(tree.reach.len()).unwrap_or(u32::MAX);
    tree.reach.extend(reach_of(low, high));
    // Partition in place: values below the threshold first.
    let mut boundary = 0;
    for i in 0..sample.len() {
        if points[sample[i]][feature] < threshold {
            sample.swap(i, boundary);
            boundary += 1;
        }
    }
    let left = tree.push_pair_or_root(2);
    tree.nodes[node] = Node {
        threshold,
        feature: u16::try_from(feature).unwrap_or(LEAF),
        next: left,
    };
    let (below_split, above_split) = sample.split_at_mut(boundary);
    let left = left as usize;
    grow(
        tree,
        left,
        points,
        below_split,
        depth + 1,
        height_limit,
        dimensions,
        rng,
    );
    grow(
        tree,
        left + 1,
        points,
        above_split,
        depth + 1,
        height_limit,
        dimensions,
        rng,
    );
}

/// The path length of `point` in `tree`, calling `on_split(feature, separated)` at each
/// split with the share of the node's points sent the other way. At the leaf, a point
/// inside the leaf's box adds the expected depth of the points it stands among; a point
/// outside it is isolated there, and each feature that puts it outside counts as a split
/// that separated it from all of them. With `novelty`, a point far outside a split's
/// range is isolated at the split.
fn path(
    tree: &Tree,
    dimensions: usize,
    point: &[f64],
    novelty: bool,
    mut on_split: impl FnMut(usize, f64),
) -> f64 {
    let mut node = 0usize;
    let mut depth = 0usize;
    loop {
        let at = tree.nodes[node];
        if at.feature == LEAF {
            let mut outside = false;
            if let Some(reaches) = tree.leaf_reaches(at, dimensions) {
                for (feature, (reach, &value)) in reaches.chunks_exact(2).zip(point).enumerate() {
                    if far_outside(value, [reach[0], reach[1]]) {
                        outside = true;
                        on_split(feature, 1.0);
                    }
                }
            }
            let extra = if outside { 0.0 } else { at.threshold };
            return depth as f64 + extra;
        }
        let feature = usize::from(at.feature);
        let value = point.get(feature).copied().unwrap_or(0.0);
        if novelty && far_outside(value, tree.reach_at(tree.range_start[node])) {
            on_split(feature, 1.0);
            return depth as f64 + 1.0;
        }
        let next = child(at, value);
        let node_size = f64::from(tree.size[node].max(1));
        on_split(
            feature,
            (node_size - f64::from(tree.size[next])) / node_size,
        );
        node = next;
        depth += 1;
    }
}

/// The path length of `point` in `tree`, as [`path`] gives it, without the bookkeeping
/// of an explanation: most points are only scored, and this walk reads only the nodes on
/// the path (a leaf's reaches only until the point is found outside one).
fn path_length(tree: &Tree, dimensions: usize, point: &[f64], novelty: bool) -> f64 {
    let mut node = 0usize;
    let mut depth = 0usize;
    loop {
        let at = tree.nodes[node];
        if at.feature == LEAF {
            let outside = tree
                .leaf_reaches(at, dimensions)
                .is_some_and(|reaches| outside_reaches(point, reaches));
            let extra = if outside { 0.0 } else { at.threshold };
            return depth as f64 + extra;
        }
        let value = point.get(usize::from(at.feature)).copied().unwrap_or(0.0);
        if novelty && far_outside(value, tree.reach_at(tree.range_start[node])) {
            return depth as f64 + 1.0;
        }
        node = child(at, value);
        depth += 1;
    }
}

/// Points walked side by side by [`path_lengths`].
const LANES: usize = 8;

/// Trees walked between looking for points that can stop (see
/// [`IsolationForest::scores_reaching`]).
const TREES_BETWEEN_STOPS: usize = 8;

/// The path lengths of [`LANES`] points in `tree`, as [`path_length`] gives them without
/// novelty, walked in step: each step moves every point not yet at a leaf one node down,
/// without a branch, so the processor works on all of them at once.
fn path_lengths<P: AsRef<[f64]>>(tree: &Tree, dimensions: usize, points: &[P]) -> [f64; LANES] {
    let mut at = [0usize; LANES];
    let mut depth = [0usize; LANES];
    loop {
        let mut moved = false;
        for lane in 0..LANES {
            let node = tree.nodes[at[lane]];
            let split = node.feature != LEAF;
            let value = points[lane]
                .as_ref()
                .get(usize::from(node.feature))
                .copied()
                .unwrap_or(0.0);
            // At a leaf the point stays where it is.
            let to = (node.next as usize).wrapping_add(goes_right(value, node.threshold));
            at[lane] = if split { to } else { at[lane] };
            depth[lane] += usize::from(split);
            moved |= split;
        }
        if !moved {
            break;
        }
    }
    std::array::from_fn(|lane| {
        let leaf = tree.nodes[at[lane]];
        let outside = tree
            .leaf_reaches(leaf, dimensions)
            .is_some_and(|reaches| outside_reaches(points[lane].as_ref(), reaches));
        depth[lane] as f64 + if outside { 0.0 } else { leaf.threshold }
    })
}

/// The child of split `at` that `value` goes to: the left one below the threshold.
fn child(at: Node, value: f64) -> usize {
    at.next as usize + goes_right(value, at.threshold)
}

/// 1 when `value` goes to the right child of a split at `threshold`, as every value not
/// below it does (one that is not a number too), else 0.
fn goes_right(value: f64, threshold: f64) -> usize {
    usize::from(value.partial_cmp(&threshold) != Some(std::cmp::Ordering::Less))
}

/// The reach of points spanning `[low, high]`: as far again on each side
/// (`[low - width, high + width]`). A point beyond it is far outside.
fn reach_of(low: f64, high: f64) -> [f64; 2] {
    let width = high - low;
    [low - width, high + width]
}

/// Whether `value` is clearly outside the points whose reach is `[low, high]`: different
/// at all from points that were all equal (a reach of no width), or further out than
/// their spread is wide otherwise (a new point from a continuous spread lands just
/// outside small boxes all the time). A split drawn over a range that includes such a
/// value would most likely cut it off.
fn far_outside(value: f64, [low, high]: [f64; 2]) -> bool {
    // For points all equal, a value that is not a number differs from them too. No
    // short cuts: without branches the processor checks every feature of a leaf at once.
    (value < low) | (value > high) | (value.is_nan() & (low == high))
}

/// Whether `point` is far outside a leaf's `reaches` (two values per feature) on any
/// feature.
fn outside_reaches(point: &[f64], reaches: &[f64]) -> bool {
    reaches
        .chunks_exact(2)
        .zip(point)
        .fold(false, |outside, (reach, &value)| {
            outside | far_outside(value, [reach[0], reach[1]])
        })
}

/// `c(n)`: the average path length of an unsuccessful search in a binary search tree of
/// `n` points, `2 H(n-1) - 2 (n-1) / n`, with `H` the harmonic number.
fn average_path_length(n: f64) -> f64 {
    const EULER_GAMMA: f64 = 0.577_215_664_901_532_9;
    if n <= 1.0 {
        return 0.0;
    }
    if n == 2.0 {
        return 1.0;
    }
    2.0 * ((n - 1.0).ln() + EULER_GAMMA) - 2.0 * (n - 1.0) / n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_points::cloud;
    use proptest::prelude::*;

    #[test]
    fn a_far_point_outranks_the_crowd() {
        let points = cloud(1000);
        let forest = IsolationForest::fit(&points, &ForestOptions::default()).unwrap();
        let ordinary = forest.score(&[0.5, 0.5, 0.5]);
        let far = forest.score(&[8.0, 0.5, 0.5]);
        assert!(far > 0.65, "far point scored {far}");
        assert!(ordinary < 0.5, "ordinary point scored {ordinary}");
    }

    #[test]
    fn judged_for_novelty_a_point_beyond_the_training_range_is_isolated_at_once() {
        let points = cloud(1000);
        let outlier = IsolationForest::fit(&points, &ForestOptions::default()).unwrap();
        let novelty = outlier.clone().for_novelty();
        let far = [8.0, 0.5, 0.5];
        assert!(novelty.score(&far) > 0.9, "{}", novelty.score(&far));
        assert!(novelty.score(&far) > outlier.score(&far));
        // Inside the range nothing changes.
        let ordinary = [0.5, 0.5, 0.5];
        assert_eq!(novelty.score(&ordinary), outlier.score(&ordinary));
        assert!(novelty.explain(&far).contributions[0] > 0.9);
    }

    #[test]
    fn the_explanation_names_the_feature_that_is_off() {
        let points = cloud(1000);
        let forest = IsolationForest::fit(&points, &ForestOptions::default()).unwrap();
        let explained = forest.explain(&[0.5, 9.0, 0.5]);
        assert!(
            explained.contributions[1] > 0.6,
            "{:?}",
            explained.contributions
        );
        assert!((explained.contributions.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        // The constant third feature is never split on.
        assert_eq!(explained.contributions[2], 0.0);
        assert_eq!(explained.score, forest.score(&[0.5, 9.0, 0.5]));
    }

    #[test]
    fn nothing_to_fit_is_no_forest() {
        assert!(IsolationForest::fit(&[], &ForestOptions::default()).is_none());
        assert!(IsolationForest::fit(&[vec![], vec![]], &ForestOptions::default()).is_none());
        assert!(
            IsolationForest::fit(&[vec![1.0], vec![1.0, 2.0]], &ForestOptions::default()).is_none()
        );
    }

    #[test]
    fn the_normaliser_matches_the_paper() {
        assert_eq!(average_path_length(1.0), 0.0);
        assert_eq!(average_path_length(2.0), 1.0);
        // c(256) is about 10.24.
        assert!((average_path_length(256.0) - 10.2448).abs() < 1e-3);
    }

    /// Two crowds of equal points: each tree splits them at its root into two leaves of
    /// equal points, and a point that differs from a leaf's points on any feature ends
    /// its path there, at depth 1, without the leaf's expected depth.
    #[test]
    fn a_trees_shortest_path_counts_points_outside_its_leaves() {
        let points: Vec<Vec<f64>> = (0..200).map(|i| vec![f64::from(i % 2); 3]).collect();
        let options = ForestOptions {
            trees: 10,
            sample_size: 32,
            seed: 7,
        };
        let forest = IsolationForest::fit(&points, &options).unwrap();
        for tree in &forest.trees {
            assert_eq!(tree.shortest_path(), 1.0);
            assert_eq!(path_length(tree, 3, &[0.0, 0.0, 0.5], false), 1.0);
            assert!(path_length(tree, 3, &[0.0; 3], false) > 1.0);
        }
    }

    /// Points of three features from `values`, and a forest of `trees` grown on them
    /// (judging novelty when asked).
    fn forest_over(
        values: &[f64],
        trees: usize,
        seed: u64,
        novelty: bool,
    ) -> (Vec<Vec<f64>>, IsolationForest) {
        let points: Vec<Vec<f64>> = values.chunks_exact(3).map(<[f64]>::to_vec).collect();
        let options = ForestOptions {
            trees,
            sample_size: 32,
            seed,
        };
        let forest = IsolationForest::fit(&points, &options).unwrap();
        (
            points,
            if novelty {
                forest.for_novelty()
            } else {
                forest
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        /// Scores stay in (0, 1], and the same seed gives the same scores.
        #[test]
        fn scores_are_in_range_and_reproducible(
            values in proptest::collection::vec(-1e6f64..1e6, 4..120),
            probe in -1e7f64..1e7,
            seed in any::<u64>(),
        ) {
            let points: Vec<Vec<f64>> = values.chunks(2).filter(|c| c.len() == 2).map(|c| c.to_vec()).collect();
            let options = ForestOptions { trees: 20, sample_size: 64, seed };
            let forest = IsolationForest::fit(&points, &options).unwrap();
            let again = IsolationForest::fit(&points, &options).unwrap();
            let score = forest.score(&[probe, probe]);
            prop_assert!(score > 0.0 && score <= 1.0, "score {}", score);
            prop_assert_eq!(score, again.score(&[probe, probe]));
            // Scoring many points at once gives each its own score, to the bit.
            let probes = [vec![probe, probe], vec![probe, 0.0], points[0].clone()];
            let one_by_one: Vec<u64> = probes.iter().map(|p| forest.score(p).to_bits()).collect();
            let together: Vec<u64> = forest.scores(&probes).iter().map(|s| s.to_bits()).collect();
            prop_assert_eq!(one_by_one, together);
            // Callers skip the explanation when the score alone rules a point out: the
            // two must agree to the last bit.
            prop_assert_eq!(score.to_bits(), forest.explain(&[probe, probe]).score.to_bits());
            let novelty = forest.for_novelty();
            prop_assert_eq!(
                novelty.score(&[probe, 0.0]).to_bits(),
                novelty.explain(&[probe, 0.0]).score.to_bits()
            );
        }

        /// Every way of scoring gives the same bits, for any point: walked alone, in
        /// step with others, or with an explanation; with values no point was trained
        /// on (not a number, infinite), points shorter than the forest's, and leaves of
        /// points that were all equal on a feature.
        #[test]
        fn every_walk_scores_alike(
            values in proptest::collection::vec(
                prop_oneof![-50f64..50.0, Just(0.0), Just(1.0), Just(-0.0)], 24..240),
            probes in proptest::collection::vec(
                proptest::collection::vec(prop_oneof![
                    -100f64..100.0, Just(0.0), Just(1.0), Just(f64::NAN),
                    Just(f64::INFINITY), Just(f64::NEG_INFINITY)
                ], 2..=3), 0..40),
            seed in any::<u64>(),
            novelty in any::<bool>(),
        ) {
            let (points, forest) = forest_over(&values, 12, seed, novelty);
            let probes: Vec<Vec<f64>> = probes.into_iter().chain(points).collect();
            let together: Vec<u64> = forest.scores(&probes).iter().map(|s| s.to_bits()).collect();
            for (probe, together) in probes.iter().zip(together) {
                let alone = forest.score(probe).to_bits();
                prop_assert_eq!(alone, together, "{:?}", probe);
                prop_assert_eq!(alone, forest.explain(probe).score.to_bits(), "{:?}", probe);
            }
            // Credits and explanations worked out tree by tree for many points are each
            // point's own.
            let slices: Vec<&[f64]> = probes.iter().map(Vec::as_slice).collect();
            let bits = |values: &[f64]| values.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            for ((probe, (credit, total)), explained) in probes
                .iter()
                .zip(forest.credits(&slices))
                .zip(forest.explain_many(&slices))
            {
                let (alone, alone_total) = forest.credit(probe);
                prop_assert_eq!(bits(&alone), bits(&credit), "{:?}", probe);
                prop_assert_eq!(alone_total.to_bits(), total.to_bits(), "{:?}", probe);
                let explained_alone = forest.explain(probe);
                prop_assert_eq!(explained_alone.score.to_bits(), explained.score.to_bits());
                prop_assert_eq!(bits(&explained_alone.contributions), bits(&explained.contributions));
            }
        }

        /// Scoring only the points that reach a floor keeps exactly those, with the bits
        /// every other walk gives: for floors anywhere, exactly at a point's score (where
        /// a walk stopped a rounding too soon would lose it), and ones no score reaches.
        #[test]
        fn scores_reaching_a_floor_keep_exactly_those_that_do(
            values in proptest::collection::vec(
                prop_oneof![-50f64..50.0, Just(0.0), Just(1.0)], 24..240),
            probes in proptest::collection::vec(
                proptest::collection::vec(prop_oneof![
                    -500f64..500.0, Just(0.0), Just(f64::NAN), Just(f64::INFINITY)
                ], 3), 0..40),
            seed in any::<u64>(),
            novelty in any::<bool>(),
            floor in prop_oneof![0f64..1.0, Just(0.0), Just(1.0), Just(1.5), Just(-1.0),
                Just(f64::NAN)],
            floor_at_a_score in any::<prop::sample::Index>(),
        ) {
            let (points, forest) = forest_over(&values, 21, seed, novelty);
            let probes: Vec<Vec<f64>> = probes.into_iter().chain(points).collect();
            let scores = forest.scores(&probes);
            for floor in [floor, scores[floor_at_a_score.index(scores.len())]] {
                let expected: Vec<Option<u64>> = scores
                    .iter()
                    .map(|s| (*s >= floor).then_some(s.to_bits()))
                    .collect();
                let reaching: Vec<Option<u64>> = forest
                    .scores_reaching(&probes, floor)
                    .iter()
                    .map(|s| s.map(f64::to_bits))
                    .collect();
                prop_assert_eq!(reaching, expected, "floor {}", floor);
            }
        }

        /// No point's path in a tree is shorter than the tree's shortest path, which
        /// is what lets a walk stop early.
        #[test]
        fn no_path_is_shorter_than_its_trees_shortest(
            values in proptest::collection::vec(
                prop_oneof![-50f64..50.0, Just(0.0), Just(1.0)], 24..240),
            probe in proptest::collection::vec(prop_oneof![
                -500f64..500.0, Just(0.0), Just(1.0), Just(f64::NAN),
                Just(f64::NEG_INFINITY)], 3),
            seed in any::<u64>(),
        ) {
            let (points, forest) = forest_over(&values, 8, seed, false);
            for tree in &forest.trees {
                for point in points.iter().chain([&probe]) {
                    prop_assert!(path_length(tree, 3, point, false) >= tree.shortest_path());
                }
            }
        }

        /// The reach stored at growing answers as the box it stands for: a value differs
        /// from points all equal, or lies further out than their spread is wide.
        #[test]
        fn a_reach_answers_as_its_box(
            ends in (prop_oneof![-1e3f64..1e3, Just(0.0), Just(-0.0), Just(f64::INFINITY),
                Just(f64::NEG_INFINITY)], 0f64..1e3)
                .prop_map(|(low, extra)| (low, if extra < 300.0 { low } else { low + extra })),
            value in prop_oneof![-3e3f64..3e3, Just(0.0), Just(-0.0), Just(f64::NAN),
                Just(f64::INFINITY), Just(f64::NEG_INFINITY)],
        ) {
            let (low, high) = ends;
            let width = high - low;
            let by_box = if width == 0.0 {
                value != low
            } else {
                value < low - width || value > high + width
            };
            prop_assert_eq!(far_outside(value, reach_of(low, high)), by_box);
        }

        /// A point far outside the data never scores below the median point.
        #[test]
        fn far_outliers_outrank_the_median(seed in any::<u64>(), offset in 100.0f64..1e6) {
            let points = cloud(300);
            let options = ForestOptions { trees: 50, sample_size: 128, seed };
            let forest = IsolationForest::fit(&points, &options).unwrap();
            prop_assert!(forest.score(&[offset, offset, 0.5]) > forest.score(&[0.5, 0.5, 0.5]));
        }
    }
}
