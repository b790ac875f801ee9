//! Per-client state with a ceiling. A log can name millions of clients (a spoofed flood,
//! a botnet, a scan of the whole internet); state kept per client would then grow with the
//! file, and a hostile log could make the page run out of memory. A detector keeps at
//! most [`MAX_TRACKED_CLIENTS`] clients; lines of further new clients are not tracked, and
//! counted, so the report can say how much was left out.

use crate::keyed_hash::{hash_key, hasher_of_key};
use crate::limits::MAX_TRACKED_CLIENTS;
use hashbrown::HashMap;
use hashbrown::hash_map::{self, RawEntryMut};

/// A map from client to state, full at [`MAX_TRACKED_CLIENTS`] (or another limit).
#[derive(Debug, Clone)]
pub struct ClientMap<V> {
    map: HashMap<StoredName, V, ahash::RandomState>,
    /// The key of the map's hash (see [`super::set_client_hash_key`]).
    hash_key: u64,
    /// The most clients it takes in.
    limit: usize,
    /// Lines of clients that found the map full.
    untracked_lines: u64,
}

impl<V> Default for ClientMap<V> {
    fn default() -> Self {
        Self::with_limit(MAX_TRACKED_CLIENTS)
    }
}

/// A client's name and its hash in a [`ClientMap`]: worked out once per line and handed
/// to each detector, rather than hashed again for each of the maps a line is looked up
/// in. A map made under another hash key hashes the name itself. Handed by reference:
/// a fresh copy read back at once in wider pieces than it was written stalls the
/// processor.
#[derive(Debug, Clone, Copy)]
pub struct ClientKey<'a> {
    name: &'a str,
    hash: u64,
    /// The key of the hash (see [`super::set_client_hash_key`]).
    hash_key: u64,
    /// The name packed as a map keeps it in place, when it is short enough.
    packed: Option<Packed>,
}

/// A name of at most [`PACKED_BYTES`] bytes after its length, then zeros: compared as a
/// whole, in one 16-byte load.
type Packed = [u8; PACKED_BYTES + 1];

/// The longest name packed: any IPv4 address. A longer one (most IPv6 addresses) is
/// boxed: packing more would make every slot larger, and a map's slots double when it
/// grows (millions of clients cost more, not less).
const PACKED_BYTES: usize = 15;

/// Packs `name` if it is short enough. The bytes are gathered in a register, by loads
/// that overlap, rather than by a copy of variable length: such a copy is a call, and
/// reading back at once what it wrote byte by byte stalls the processor.
fn packed(name: &str) -> Option<Packed> {
    let bytes = name.as_bytes();
    let len = bytes.len();
    // Byte `i` of the name goes to byte `i + 1` of the packed name; two loads that
    // overlap put the same bytes in the same places.
    let at = |byte: usize| 8 * (byte as u32 + 1);
    let name_bits: u128 = match len {
        0 => 0,
        1..4 => {
            u128::from(bytes[0]) << at(0)
                | u128::from(bytes[len / 2]) << at(len / 2)
                | u128::from(bytes[len - 1]) << at(len - 1)
        }
        4..8 => {
            u128::from(u32::from_le_bytes(bytes[..4].try_into().ok()?)) << at(0)
                | u128::from(u32::from_le_bytes(bytes[len - 4..].try_into().ok()?)) << at(len - 4)
        }
        8..=PACKED_BYTES => {
            u128::from(u64::from_le_bytes(bytes[..8].try_into().ok()?)) << at(0)
                | u128::from(u64::from_le_bytes(bytes[len - 8..].try_into().ok()?)) << at(len - 8)
        }
        _ => return None,
    };
    Some((name_bits | len as u128).to_le_bytes())
}

/// A client's name as a map keeps it: a short one in place, so finding it reads no
/// other memory and compares 16 bytes, without a call; a longer one boxed.
#[derive(Debug, Clone)]
enum StoredName {
    Packed(Packed),
    Boxed(Box<str>),
}

impl StoredName {
    fn new(name: &str, packed: Option<Packed>) -> Self {
        match packed {
            Some(packed) => StoredName::Packed(packed),
            None => StoredName::Boxed(name.into()),
        }
    }

    /// Whether this is the name of `client`.
    fn is(&self, client: &ClientKey<'_>) -> bool {
        match (self, &client.packed) {
            (StoredName::Packed(stored), Some(packed)) => stored == packed,
            (StoredName::Boxed(stored), None) => **stored == *client.name,
            _ => false,
        }
    }

    /// The name, boxed.
    fn into_boxed(self) -> Box<str> {
        match self {
            StoredName::Packed(_) => self.as_str().into(),
            StoredName::Boxed(name) => name,
        }
    }

    /// The name.
    fn as_str(&self) -> &str {
        match self {
            // Packed from a `str`, so always text.
            StoredName::Packed(packed) => {
                std::str::from_utf8(&packed[1..=usize::from(packed[0])]).unwrap_or_default()
            }
            StoredName::Boxed(name) => name,
        }
    }
}

/// Hashed as the name is, so a [`ClientKey`]'s hash finds it.
impl std::hash::Hash for StoredName {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl<'a> ClientKey<'a> {
    /// The key of the client named `name`.
    pub fn new(name: &'a str) -> Self {
        Self::with(name, &ClientHasher::new())
    }

    /// The key of `name`, with a hasher at hand.
    pub fn with(name: &'a str, hasher: &ClientHasher) -> Self {
        Self {
            name,
            hash: hasher.hasher.hash_one(name),
            hash_key: hasher.hash_key,
            packed: packed(name),
        }
    }

    /// The client's name.
    pub fn name(self) -> &'a str {
        self.name
    }

    /// The name's 64-bit digest, for counting a minute's distinct clients without hashing
    /// the name again: keyed (a file cannot choose collisions), and never saved.
    pub fn digest(self) -> u64 {
        self.hash
    }
}

/// Makes [`ClientKey`]s under the hash key of the time it was made.
#[derive(Debug, Clone)]
pub struct ClientHasher {
    hasher: ahash::RandomState,
    hash_key: u64,
}

impl ClientHasher {
    /// A hasher under the key set now.
    pub fn new() -> Self {
        let hash_key = hash_key();
        Self {
            hasher: hasher_of_key(hash_key),
            hash_key,
        }
    }
}

impl Default for ClientHasher {
    fn default() -> Self {
        Self::new()
    }
}

impl<V> ClientMap<V> {
    /// A map full at `limit` clients.
    pub fn with_limit(limit: usize) -> Self {
        let hash_key = hash_key();
        Self {
            map: HashMap::with_hasher(hasher_of_key(hash_key)),
            hash_key,
            limit,
            untracked_lines: 0,
        }
    }

    /// The client's state, made by `make` if it is new; `None` (and the line counted) when
    /// it is new and the map is full.
    pub fn get_or_insert_with(
        &mut self,
        client: &ClientKey<'_>,
        make: impl FnOnce() -> V,
    ) -> Option<&mut V> {
        self.get_or_insert_if(client, true, make)
    }

    /// The client's state; a new client is only taken in when `take_new` (a detector
    /// that remembers clients from their first login, refusal or match on).
    pub fn get_or_insert_if(
        &mut self,
        client: &ClientKey<'_>,
        take_new: bool,
        make: impl FnOnce() -> V,
    ) -> Option<&mut V> {
        let hash = self.hash_of(client);
        let full = self.map.len() >= self.limit;
        // One lookup, and the name is copied only for a new client.
        match self
            .map
            .raw_entry_mut()
            .from_hash(hash, |stored| stored.is(client))
        {
            RawEntryMut::Occupied(entry) => Some(entry.into_mut()),
            RawEntryMut::Vacant(_) if !take_new => None,
            RawEntryMut::Vacant(_) if full => {
                self.untracked_lines += 1;
                None
            }
            RawEntryMut::Vacant(entry) => {
                let name = StoredName::new(client.name, client.packed);
                Some(entry.insert_hashed_nocheck(hash, name, make()).1)
            }
        }
    }

    /// The client's state, if it has any.
    pub fn get(&self, client: &ClientKey<'_>) -> Option<&V> {
        let hash = self.hash_of(client);
        self.map
            .raw_entry()
            .from_hash(hash, |stored| stored.is(client))
            .map(|(_, value)| value)
    }

    /// The client's hash in this map.
    fn hash_of(&self, client: &ClientKey<'_>) -> u64 {
        if client.hash_key == self.hash_key {
            client.hash
        } else {
            self.map.hasher().hash_one(client.name)
        }
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
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.map.iter().map(|(name, value)| (name.as_str(), value))
    }

    /// Every client's state, to change.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.map.values_mut()
    }
}

impl<V> IntoIterator for ClientMap<V> {
    type Item = (Box<str>, V);
    type IntoIter = IntoIter<V>;

    fn into_iter(self) -> Self::IntoIter {
        IntoIter(self.map.into_iter())
    }
}

/// Every client of a [`ClientMap`], by name, and its state.
#[derive(Debug)]
pub struct IntoIter<V>(hash_map::IntoIter<StoredName, V>);

impl<V> Iterator for IntoIter<V> {
    type Item = (Box<str>, V);

    fn next(&mut self) -> Option<Self::Item> {
        self.0
            .next()
            .map(|(name, value)| (name.into_boxed(), value))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A name is packed as its length, its bytes in order, then zeros; a longer one
        /// is not packed.
        #[test]
        fn a_name_is_packed_as_its_length_then_its_bytes(name in "[a-z0-9.:é]{0,17}") {
            let bytes = name.as_bytes();
            let expected = (bytes.len() <= PACKED_BYTES).then(|| {
                let mut packed = [0u8; PACKED_BYTES + 1];
                packed[0] = bytes.len() as u8;
                packed[1..=bytes.len()].copy_from_slice(bytes);
                packed
            });
            prop_assert_eq!(packed(&name), expected);
        }

        /// A map counts lines per client as a map of strings would, for names of every
        /// length around the longest packed one, names that differ only near their end,
        /// and names that are not ASCII; and gives the names back as they were.
        #[test]
        fn a_map_counts_as_a_map_of_names_would(
            names in proptest::collection::vec(
                prop_oneof![
                    "[0-9.]{0,15}",
                    "[a-f0-9:]{12,20}",
                    "x{14,17}",
                    "10.200.30.[0-9]{1,5}",
                    "é{6,9}",
                ],
                1..200,
            ),
        ) {
            let mut map: ClientMap<u32> = ClientMap::default();
            let mut expected: std::collections::HashMap<String, u32> = Default::default();
            for name in &names {
                *map.get_or_insert_with(&ClientKey::new(name), || 0).unwrap() += 1;
                *expected.entry(name.clone()).or_default() += 1;
            }
            for (name, count) in &expected {
                prop_assert_eq!(map.get(&ClientKey::new(name)), Some(count));
            }
            let listed: std::collections::HashMap<String, u32> =
                map.iter().map(|(name, count)| (name.to_owned(), *count)).collect();
            prop_assert_eq!(&listed, &expected);
            let owned: std::collections::HashMap<String, u32> =
                map.into_iter().map(|(name, count)| (name.into(), count)).collect();
            prop_assert_eq!(owned, expected);
        }
    }

    #[test]
    fn a_key_hashed_under_another_hash_key_still_finds_its_client() {
        let mut map: ClientMap<u32> = ClientMap::default();
        *map.get_or_insert_with(&ClientKey::new("10.0.0.1"), || 0)
            .unwrap() += 1;
        let other = ClientKey::with(
            "10.0.0.1",
            &ClientHasher {
                hasher: hasher_of_key(map.hash_key ^ 1),
                hash_key: map.hash_key ^ 1,
            },
        );
        assert_eq!(map.get(&other), Some(&1));
        *map.get_or_insert_with(&other, || 0).unwrap() += 1;
        assert_eq!(
            (map.len(), map.get(&ClientKey::new("10.0.0.1"))),
            (1, Some(&2))
        );
    }

    #[test]
    fn a_full_map_keeps_its_clients_and_counts_the_rest() {
        let mut map: ClientMap<u32> = ClientMap::default();
        for i in 0..MAX_TRACKED_CLIENTS + 10 {
            let name = format!("10.0.{}.{}", i / 256, i % 256);
            if let Some(count) = map.get_or_insert_with(&ClientKey::new(&name), || 0) {
                *count += 1;
            }
        }
        assert_eq!(map.len(), MAX_TRACKED_CLIENTS);
        assert_eq!(map.untracked_lines(), 10);
        // A client already tracked still is.
        assert_eq!(
            map.get_or_insert_with(&ClientKey::new("10.0.0.0"), || 0)
                .copied(),
            Some(1)
        );
    }
}
