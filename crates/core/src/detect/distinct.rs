//! How many distinct texts one client sent (its paths, its user agents), counted by their
//! digests up to a cap.
//!
//! Counted for every line of every client, so the common case must be cheap: most
//! clients send one user agent and a handful of paths. The first digests are kept inline,
//! in the client's own record (already in cache when its line is counted), and only a
//! client with more gets a set of its own, which a line then has to reach in memory.

use super::{KeyedSet, keyed_set};

/// Distinct digests, the first `INLINE` kept inline, the rest in a set.
#[derive(Debug, Clone)]
pub(crate) struct DistinctDigests<const INLINE: usize> {
    inline: [u64; INLINE],
    /// How many of `inline` are used.
    inline_len: usize,
    /// The digests beyond the first `INLINE`.
    more: Option<Box<KeyedSet<u64>>>,
}

impl<const INLINE: usize> Default for DistinctDigests<INLINE> {
    fn default() -> Self {
        Self {
            inline: [0; INLINE],
            inline_len: 0,
            more: None,
        }
    }
}

impl<const INLINE: usize> DistinctDigests<INLINE> {
    /// How many distinct digests were counted.
    pub(crate) fn len(&self) -> usize {
        self.inline_len + self.more.as_ref().map_or(0, |more| more.len())
    }

    /// Counts `digest` unless it was counted or `cap` digests are.
    pub(crate) fn insert_below(&mut self, digest: u64, cap: usize) {
        if self.inline[..self.inline_len].contains(&digest) || self.len() >= cap {
            return;
        }
        if self.inline_len < INLINE {
            self.inline[self.inline_len] = digest;
            self.inline_len += 1;
        } else {
            self.more
                .get_or_insert_with(|| Box::new(keyed_set()))
                .insert(digest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Counts as a set with the same cap does, whatever spills out of line.
        #[test]
        fn counts_as_a_capped_set(
            digests in proptest::collection::vec(0u64..40, 0..300),
            cap in 0usize..50,
        ) {
            let mut distinct = DistinctDigests::<4>::default();
            let mut set = std::collections::HashSet::new();
            for digest in digests {
                distinct.insert_below(digest, cap);
                if set.len() < cap {
                    set.insert(digest);
                }
                prop_assert_eq!(distinct.len(), set.len());
            }
        }
    }
}
