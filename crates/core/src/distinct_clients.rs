//! The count of distinct clients, in memory that follows its cap, not the clients' names:
//! each client is kept as a 64-bit digest (8 bytes), where a map of names kept a boxed or
//! packed name of 24 bytes and more per client.
//!
//! The digest has fixed seeds, so the same file gives the same count every time. A file
//! that makes names collide on purpose only lowers the count; the set itself hashes the
//! digests under a random key.

use crate::detect::ClientKey;
use crate::keyed_hash::{KeyedSet, keyed_set};
use std::sync::LazyLock;

/// The same in every run.
static DIGEST: LazyLock<ahash::RandomState> = LazyLock::new(|| {
    ahash::RandomState::with_seeds(
        0x243f_6a88_85a3_08d3,
        0x1319_8a2e_0370_7344,
        0xa409_3822_299f_31d0,
        0x082e_fa98_ec4e_6c89,
    )
});

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
        let digest = DIGEST.hash_one(client.name());
        if self.digests.len() < self.limit {
            self.digests.insert(digest);
        } else if !self.digests.contains(&digest) {
            self.untracked_lines = self.untracked_lines.saturating_add(1);
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.digests.len()
    }

    /// Lines of clients the count had no room for.
    pub(crate) fn untracked_lines(&self) -> u64 {
        self.untracked_lines
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
