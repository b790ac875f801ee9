//! Robust statistics: a baseline from the median and the median absolute deviation.
//!
//! Averages and standard deviations are dragged by the very outliers we look for (one
//! flood moves the mean of a site's request rates); the median and MAD are not.

/// The centre and spread of a sample, insensitive to a few extreme values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RobustBaseline {
    median: f64,
    /// The MAD scaled by 1.4826, comparable to a standard deviation for normal data,
    /// and never below `MIN_SPREAD` so a sample of equal values still gives finite z.
    spread: f64,
}

/// The smallest spread used: one unit, for counts.
const MIN_SPREAD: f64 = 1.0;

impl RobustBaseline {
    /// The baseline of `values` (the median of nothing is 0).
    pub fn of(mut values: Vec<f64>) -> Self {
        let median = median_in_place(&mut values);
        let mut deviations: Vec<f64> = values.iter().map(|v| (v - median).abs()).collect();
        let mad = median_in_place(&mut deviations);
        Self {
            median,
            spread: (mad * 1.4826).max(MIN_SPREAD),
        }
    }

    /// The median.
    pub fn median(&self) -> f64 {
        self.median
    }

    /// How many spreads `value` lies above the median (negative below).
    pub fn z(&self, value: f64) -> f64 {
        (value - self.median) / self.spread
    }
}

fn median_in_place(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_outlier_does_not_move_the_baseline() {
        let baseline = RobustBaseline::of(vec![3.0, 4.0, 5.0, 4.0, 3.0, 5.0, 4.0, 900.0]);
        assert_eq!(baseline.median(), 4.0);
        assert!(baseline.z(900.0) > 100.0);
        assert!(baseline.z(5.0) < 1.0);
    }

    #[test]
    fn equal_values_and_nothing_are_handled() {
        assert_eq!(RobustBaseline::of(vec![2.0; 5]).z(3.0), 1.0);
        assert_eq!(RobustBaseline::of(Vec::new()).median(), 0.0);
    }
}
