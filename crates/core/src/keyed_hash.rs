//! The hash of maps keyed by what a log says: client names, hashes of paths and
//! templates, minutes.
//!
//! A file of keys crafted to collide under a known hash would make every lookup slow (log
//! content is hostile), so these maps use aHash keyed by a random key the caller sets with
//! [`set_client_hash_key`] (the core has no randomness of its own). Reports never depend
//! on it; aHash is also several times faster than the standard library's SipHash on the
//! short keys a log gives.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};

/// The key of the hash, until the caller sets a random one.
static CLIENT_HASH_KEY: AtomicU64 = AtomicU64::new(0x1061_E25C_11E7_5EED);

/// Sets the key of the hash that places what a log names in maps, for maps made from
/// now on.
pub fn set_client_hash_key(key: u64) {
    CLIENT_HASH_KEY.store(key, Ordering::Relaxed);
}

/// aHash, keyed by [`set_client_hash_key`].
pub fn keyed_hasher() -> ahash::RandomState {
    hasher_of_key(hash_key())
}

/// The key set by [`set_client_hash_key`].
pub(crate) fn hash_key() -> u64 {
    CLIENT_HASH_KEY.load(Ordering::Relaxed)
}

/// aHash keyed by `key`.
pub(crate) fn hasher_of_key(key: u64) -> ahash::RandomState {
    ahash::RandomState::with_seeds(
        key,
        key.rotate_left(16) ^ 0x243F_6A88_85A3_08D3,
        key.rotate_left(32) ^ 0x1319_8A2E_0370_7344,
        key.rotate_left(48) ^ 0xA409_3822_299F_31D0,
    )
}

/// A map keyed by something a log says.
pub type KeyedMap<K, V> = HashMap<K, V, ahash::RandomState>;

/// A set of things a log says.
pub type KeyedSet<K> = HashSet<K, ahash::RandomState>;

/// An empty [`KeyedMap`].
pub fn keyed_map<K, V>() -> KeyedMap<K, V> {
    HashMap::with_hasher(keyed_hasher())
}

/// An empty [`KeyedSet`].
pub fn keyed_set<K>() -> KeyedSet<K> {
    HashSet::with_hasher(keyed_hasher())
}

/// 64-bit digests of texts, for counting distinct ones (paths, agents, clients) in little
/// memory: keyed like the maps, and several times faster than SipHash on a user agent. A
/// digest is never saved; what a baseline keeps uses the stable hash (`hash_of`).
#[derive(Debug, Clone)]
pub struct TextDigest(ahash::RandomState);

impl Default for TextDigest {
    fn default() -> Self {
        Self(keyed_hasher())
    }
}

impl TextDigest {
    /// The digest of `text`.
    pub fn of(&self, text: &str) -> u64 {
        self.0.hash_one(text)
    }
}
