//! Per-client state with a ceiling. A log can name millions of clients (a spoofed flood,
//! a botnet, a scan of the whole internet); state kept per client would then grow with the
//! file, and a hostile log could make the page run out of memory. A detector keeps at
//! most [`MAX_TRACKED_CLIENTS`] clients; lines of further new clients are not tracked, and
//! counted, so the report can say how much was left out.

use super::keyed_hash::keyed_hasher;
use std::collections::{HashMap, hash_map};

/// The most clients one detector keeps state for (a few hundred bytes to a few KB each).
/// Small in unit tests, so the ceiling can be reached there.
pub const MAX_TRACKED_CLIENTS: usize = if cfg!(test) { 2_000 } else { 200_000 };

/// The most candidate lines a detector holds until the end (slow responses, sensitive
/// pages), each a client, a line number and a time.
pub const MAX_CANDIDATES: usize = if cfg!(test) { 2_000 } else { 500_000 };

/// The most keys a table that grows with a log's variety holds: its minutes (a log
/// spanning years, or with timestamps made up), its endpoints or download paths.
pub const MAX_TABLE_KEYS: usize = if cfg!(test) { 10_000 } else { 1_000_000 };

/// A map from client to state, full at [`MAX_TRACKED_CLIENTS`].
#[derive(Debug, Clone)]
pub struct ClientMap<V> {
    map: HashMap<Box<str>, V, ahash::RandomState>,
    /// Lines of clients that found the map full.
    untracked_lines: u64,
}

impl<V> Default for ClientMap<V> {
    fn default() -> Self {
        Self {
            map: HashMap::with_hasher(keyed_hasher()),
            untracked_lines: 0,
        }
    }
}

impl<V> ClientMap<V> {
    /// The client's state, made by `make` if it is new; `None` (and the line counted) when
    /// it is new and the map is full.
    pub fn get_or_insert_with(&mut self, client: &str, make: impl FnOnce() -> V) -> Option<&mut V> {
        // Two lookups for a new client, one for a known one: no key is copied per line.
        if self.map.contains_key(client) {
            return self.map.get_mut(client);
        }
        if self.map.len() >= MAX_TRACKED_CLIENTS {
            self.untracked_lines += 1;
            return None;
        }
        Some(self.map.entry(Box::from(client)).or_insert_with(make))
    }

    /// The client's state; a new client is only taken in when `take_new` (a detector
    /// that remembers clients from their first login, refusal or match on).
    pub fn get_or_insert_if(
        &mut self,
        client: &str,
        take_new: bool,
        make: impl FnOnce() -> V,
    ) -> Option<&mut V> {
        if take_new {
            self.get_or_insert_with(client, make)
        } else {
            self.map.get_mut(client)
        }
    }

    /// The client's state, if it has any.
    pub fn get(&self, client: &str) -> Option<&V> {
        self.map.get(client)
    }

    /// The client's state, if it has any, to change.
    pub fn get_mut(&mut self, client: &str) -> Option<&mut V> {
        self.map.get_mut(client)
    }

    /// Clients tracked.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether no client is tracked.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Lines of clients that found the map full.
    pub fn untracked_lines(&self) -> u64 {
        self.untracked_lines
    }

    /// Every client and its state.
    pub fn iter(&self) -> hash_map::Iter<'_, Box<str>, V> {
        self.map.iter()
    }

    /// Every client and its state, to change.
    pub fn values_mut(&mut self) -> hash_map::ValuesMut<'_, Box<str>, V> {
        self.map.values_mut()
    }
}

impl<V> IntoIterator for ClientMap<V> {
    type Item = (Box<str>, V);
    type IntoIter = hash_map::IntoIter<Box<str>, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.map.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_map_keeps_its_clients_and_counts_the_rest() {
        let mut map: ClientMap<u32> = ClientMap::default();
        for i in 0..MAX_TRACKED_CLIENTS + 10 {
            if let Some(count) =
                map.get_or_insert_with(&format!("10.0.{}.{}", i / 256, i % 256), || 0)
            {
                *count += 1;
            }
        }
        assert_eq!(map.len(), MAX_TRACKED_CLIENTS);
        assert_eq!(map.untracked_lines(), 10);
        // A client already tracked still is.
        assert_eq!(map.get_or_insert_with("10.0.0.0", || 0).copied(), Some(1));
    }
}
