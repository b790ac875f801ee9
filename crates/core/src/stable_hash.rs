//! Hashes that stay the same in every build: a saved baseline names templates and
//! endpoints by hash, so a later build (or the page instead of the CLI) must hash alike.
//! `std`'s `DefaultHasher` promises no such thing, so this is SipHash-1-3 with a zero key
//! from the `siphasher` crate, fed bytes directly rather than through `Hash` impls.

use siphasher::sip::SipHasher13;
use std::hash::Hasher;

/// Hashes a sequence of texts; each is ended by a byte no UTF-8 text contains, so
/// `["ab", "c"]` and `["a", "bc"]` differ.
#[derive(Debug, Clone)]
pub(crate) struct StableHasher(SipHasher13);

impl StableHasher {
    pub(crate) fn new() -> Self {
        Self(SipHasher13::new())
    }

    pub(crate) fn add(&mut self, text: &[u8]) {
        self.0.write(text);
        self.0.write_u8(0xff);
    }

    pub(crate) fn finish(&self) -> u64 {
        self.0.finish()
    }
}

/// The stable hash of one text, for remembering paths, agents and clients compactly.
pub(crate) fn hash_of(text: &str) -> u64 {
    let mut hasher = StableHasher::new();
    hasher.add(text.as_bytes());
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_pinned() {
        // Saved baselines depend on these values: a change here breaks every saved file.
        assert_eq!(hash_of("/index.html"), PINNED_INDEX);
        let mut split = StableHasher::new();
        split.add(b"ab");
        split.add(b"c");
        let mut other = StableHasher::new();
        other.add(b"a");
        other.add(b"bc");
        assert_ne!(split.finish(), other.finish());
    }

    const PINNED_INDEX: u64 = 17_372_360_638_907_533_431;
}
