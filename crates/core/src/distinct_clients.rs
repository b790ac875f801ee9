//! The count of distinct clients, in memory that follows its cap, not the clients' names:
//! each client is kept as its 64-bit keyed digest (8 bytes), where a map of names kept
//! a boxed or packed name of 24 bytes and more per client.

use crate::detect::{ClientKey, KeyedSet, keyed_set};

/// Distinct clients, counted exactly up to a limit; lines of further new clients are
/// counted as left out.
#[derive(Debug, Clone)]
pub(crate) struct DistinctClients {
    digests: KeyedSet<u64>,
    limit: usize,
    untracked_lines: u64,
}

impl DistinctClients {
    pub(crate) fn with_limit(limit: usize) -> Self {
        Self {
            digests: keyed_set(),
            limit,
            untracked_lines: 0,
        }
    }

    /// Counts the client of one line.
    pub(crate) fn count(&mut self, client: &ClientKey<'_>) {
        self.count_digest(client.digest());
    }

    /// Counts a client by its digest (one part of a file's count, merged).
    pub(crate) fn count_digest(&mut self, digest: u64) {
        if self.digests.len() < self.limit {
            self.digests.insert(digest);
        } else if !self.digests.contains(&digest) {
            self.untracked_lines = self.untracked_lines.saturating_add(1);
        }
    }

    /// Whether `digest` is counted.
    pub(crate) fn contains(&self, digest: u64) -> bool {
        self.digests.contains(&digest)
    }

    pub(crate) fn len(&self) -> usize {
        self.digests.len()
    }

    /// Lines of clients the count had no room for.
    pub(crate) fn untracked_lines(&self) -> u64 {
        self.untracked_lines
    }

    /// The digests counted, to merge into another count.
    pub(crate) fn into_digests(self) -> impl Iterator<Item = u64> {
        self.digests.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_each_client_once_up_to_the_limit() {
        let mut clients = DistinctClients::with_limit(3);
        for name in ["a", "b", "a", "c", "d", "a", "e"] {
            clients.count(&ClientKey::new(name));
        }
        assert_eq!(clients.len(), 3);
        assert_eq!(clients.untracked_lines(), 2);
    }
}
