//! A median to within a factor of two, in 65 counters: values counted in powers of two.
//!
//! Baselines per endpoint or per path need a median of sizes or durations for every key,
//! and keeping the values would make memory grow with the file. Power-of-two buckets are
//! enough to tell "ten times the usual" from "the usual".

/// Counts of values by their power of two.
#[derive(Debug, Clone)]
pub struct Log2Histogram {
    counts: [u64; 65],
    total: u64,
}

impl Default for Log2Histogram {
    fn default() -> Self {
        Self {
            counts: [0; 65],
            total: 0,
        }
    }
}

impl Log2Histogram {
    /// Counts `value`.
    pub fn add(&mut self, value: u64) {
        self.counts[(64 - value.leading_zeros()) as usize] += 1;
        self.total += 1;
    }

    /// How many values were counted.
    pub fn count(&self) -> u64 {
        self.total
    }

    /// The upper bound of the bucket holding the median, so the baseline errs high (never
    /// more than double): a value reported as "far above" it is at least that far above.
    pub fn median(&self) -> u64 {
        let mut seen = 0;
        for (bucket, &count) in self.counts.iter().enumerate() {
            seen += count;
            if seen * 2 >= self.total {
                return if bucket == 0 {
                    1
                } else {
                    1u64 << bucket.min(63)
                };
            }
        }
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_err_high_by_at_most_double() {
        let mut histogram = Log2Histogram::default();
        [1000, 1100, 1200, 5_000_000]
            .into_iter()
            .for_each(|v| histogram.add(v));
        // The median (about 1,150) lies in [1024, 2048); the baseline is that bucket's top.
        assert_eq!(histogram.median(), 2048);
        assert_eq!(histogram.count(), 4);
        assert_eq!(Log2Histogram::default().median(), 1);
        let mut extremes = Log2Histogram::default();
        extremes.add(u64::MAX);
        assert_eq!(extremes.median(), 1 << 63);
    }
}
