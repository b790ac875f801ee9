//! Values shared with other threads and taken back once they let go: a buffer filled
//! again costs nothing, while a new one is fresh memory whose first write to each 4 KB
//! page faults into the kernel.

use std::collections::VecDeque;
use std::sync::Arc;

/// Values lent out lately, oldest first; the oldest is taken back when nobody else holds
/// it. Threads use what they get in the order it was lent, so the oldest is the first
/// to be free.
#[derive(Debug)]
pub struct ReusePool<T> {
    lent: VecDeque<Arc<T>>,
}

/// Values remembered for reuse; more are in flight only when threads fall behind, and
/// those are dropped by the last thread to let go.
const POOLED: usize = 16;

impl<T> Default for ReusePool<T> {
    fn default() -> Self {
        Self {
            lent: VecDeque::new(),
        }
    }
}

impl<T> ReusePool<T> {
    /// The oldest value lent, if every copy of it has been dropped.
    pub fn reclaim(&mut self) -> Option<T> {
        if self.lent.front().is_some_and(|v| Arc::strong_count(v) == 1) {
            self.lent.pop_front().and_then(|v| Arc::try_unwrap(v).ok())
        } else {
            None
        }
    }

    /// `value`, shared, and remembered to be reclaimed.
    pub fn lend(&mut self, value: T) -> Arc<T> {
        let value = Arc::new(value);
        if self.lent.len() >= POOLED {
            self.lent.pop_front();
        }
        self.lent.push_back(Arc::clone(&value));
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_reclaimed_only_once_every_copy_is_dropped() {
        let mut pool = ReusePool::default();
        let first = pool.lend(vec![1]);
        assert_eq!(pool.reclaim(), None, "still held");
        let second = pool.lend(vec![2]);
        drop(second);
        // The second is free, but the first is older and still held.
        assert_eq!(pool.reclaim(), None);
        drop(first);
        assert_eq!(pool.reclaim(), Some(vec![1]));
        assert_eq!(pool.reclaim(), Some(vec![2]));
        assert_eq!(pool.reclaim(), None, "nothing left");
    }

    #[test]
    fn only_the_latest_values_are_remembered() {
        let mut pool = ReusePool::default();
        for value in 0..POOLED + 3 {
            drop(pool.lend(value));
        }
        let reclaimed: Vec<usize> = std::iter::from_fn(|| pool.reclaim()).collect();
        assert_eq!(reclaimed, (3..POOLED + 3).collect::<Vec<_>>());
    }
}
