//! A small memo of recent answers, for work that lines repeat.
//!
//! A log repeats itself: a few hundred user agents and referers, the same targets again
//! and again, lines of the same shape. Normalising and matching a text against every
//! signature, or walking a forest's trees, costs far more than looking the answer up, so
//! recent answers are kept in a fixed number of slots, each remembering its whole key. A
//! slot is chosen by a hash of the key and overwritten by the next key that lands there:
//! memory stays fixed, a collision only costs a recomputation, and the answer never
//! depends on what is cached (a hostile file that repeats nothing is as slow as without
//! the memo, never wrong).

use std::borrow::Borrow;
use std::hash::{BuildHasher, Hash};

/// Recent answers for keys of type `K`, in `1 << bits` slots.
#[derive(Debug, Clone)]
pub struct Memo<K, V> {
    /// Empty until the first answer: a detector is built (with its memos, some of them
    /// megabytes) by every member of a team, which keeps only some.
    slots: Vec<Option<(K, V)>>,
    shift: u32,
}

impl<K, V> Memo<K, V> {
    /// A memo of `1 << bits` slots (bits from 1 to 24).
    pub fn new(bits: u32) -> Self {
        let bits = bits.clamp(1, 24);
        Self {
            slots: Vec::new(),
            shift: 64 - bits,
        }
    }

    /// The slots, made on first use.
    fn slots(&mut self) -> &mut [Option<(K, V)>] {
        if self.slots.is_empty() {
            self.slots = (0..1usize << (64 - self.shift)).map(|_| None).collect();
        }
        &mut self.slots
    }

    /// The slot of a key of this `hash`, which may be only 32 bits wide.
    fn slot(&self, hash: u64) -> usize {
        // FxHash is as wide as `usize` (32 bits on wasm32, where the top bits of its u64
        // are zero): one more 64-bit multiply spreads it, and the top bits are the best
        // mixed.
        (hash.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The answer kept for `key`, made by `make(key)` first unless it is remembered; it
    /// may be completed in place (an explanation added to a score).
    pub fn entry<Q>(&mut self, key: &Q, make: impl FnOnce(&Q) -> V) -> &mut V
    where
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
        K: Borrow<Q>,
    {
        let slot = self.slot(rustc_hash::FxBuildHasher.hash_one(key));
        let entry = &mut self.slots()[slot];
        if entry.as_ref().is_some_and(|(kept, _)| kept.borrow() != key) {
            *entry = None;
        }
        &mut entry.get_or_insert_with(|| (key.to_owned(), make(key))).1
    }

    /// The answer kept for `key`, if it is remembered.
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        Q: Hash + Eq + ?Sized,
        K: Borrow<Q>,
    {
        let slot = self.slot(rustc_hash::FxBuildHasher.hash_one(key));
        match self.slots.get_mut(slot)? {
            Some((kept, answer)) if <K as Borrow<Q>>::borrow(kept) == key => Some(answer),
            _ => None,
        }
    }

    /// Remembers `answer` for `key`, in place of whatever its slot held.
    pub fn insert(&mut self, key: K, answer: V)
    where
        K: Hash,
    {
        let slot = self.slot(rustc_hash::FxBuildHasher.hash_one(&key));
        self.slots()[slot] = Some((key, answer));
    }

    /// The answer for `key`: the remembered one, or `compute(key)`, then remembered.
    pub fn get_or_compute<Q>(&mut self, key: &Q, compute: impl FnOnce(&Q) -> V) -> V
    where
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
        K: Borrow<Q>,
        V: Clone,
    {
        self.entry(key, compute).clone()
    }
}

/// Texts longer than this are answered every time rather than remembered, to bound what
/// a memo of texts holds.
pub const MAX_REMEMBERED_TEXT: usize = 512;

impl<V: Clone> Memo<String, V> {
    /// `compute(text)`, remembered when `text` is at most [`MAX_REMEMBERED_TEXT`] bytes.
    pub fn text_answer(&mut self, text: &str, compute: impl FnOnce(&str) -> V) -> V {
        if text.len() > MAX_REMEMBERED_TEXT {
            return compute(text);
        }
        self.get_or_compute(text, compute)
    }
}

impl<V: Default> Memo<String, V> {
    /// Remembers for `key` the answer `fill` writes over the one its slot held: the
    /// slot's key and answer keep their buffers, so a memo that is full allocates nothing.
    pub fn refill(&mut self, key: &str, fill: impl FnOnce(&mut V)) {
        let slot = self.slot(rustc_hash::FxBuildHasher.hash_one(key));
        let (kept, answer) = self.slots()[slot].get_or_insert_with(Default::default);
        kept.clear();
        kept.push_str(key);
        fill(answer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_those_of_the_computation_whatever_collides() {
        // Two slots for many keys: most lookups collide, every answer stays right.
        let mut memo: Memo<String, usize> = Memo::new(1);
        let mut computed = 0;
        for round in 0..3 {
            for key in ["a", "bb", "ccc", "dddd", "a", "a"] {
                let answer = memo.get_or_compute(key, |k| {
                    computed += 1;
                    k.len() * 10
                });
                assert_eq!(answer, key.len() * 10, "round {round}, key {key}");
            }
        }
        // The repeated "a" is answered from the memo at least once per round.
        assert!(computed < 18, "{computed} computations for 18 lookups");
    }

    #[test]
    fn hashes_as_narrow_as_wasm32_s_spread_over_the_slots() {
        let memo: Memo<String, ()> = Memo::new(12);
        let slots: std::collections::HashSet<usize> = (0..1_000u64)
            .map(|i| memo.slot(i.wrapping_mul(0x2545_F491) & 0xFFFF_FFFF))
            .collect();
        assert!(slots.len() > 800, "1000 hashes in {} slots", slots.len());
    }

    #[test]
    fn distinct_keys_spread_over_the_slots() {
        // Whatever the width of the hash: 200 keys in 4096 slots mostly keep their own.
        let mut memo: Memo<String, usize> = Memo::new(12);
        let keys: Vec<String> = (0..200).map(|i| format!("/products/{i}")).collect();
        for key in &keys {
            memo.get_or_compute(key, |k| k.len());
        }
        let mut computed = 0;
        for key in &keys {
            memo.get_or_compute(key, |k| {
                computed += 1;
                k.len()
            });
        }
        assert!(computed < 20, "{computed} of 200 keys were evicted");
    }

    #[test]
    fn a_memo_makes_its_slots_when_first_used() {
        let mut memo: Memo<[u64; 2], u8> = Memo::new(20);
        assert!(memo.slots.is_empty());
        assert_eq!(memo.get_mut(&[1, 2]), None);
        assert!(memo.slots.is_empty(), "a lookup needs no slots");
        memo.insert([1, 2], 7);
        assert_eq!(memo.slots.len(), 1 << 20);
        assert_eq!(memo.get_mut(&[1, 2]), Some(&mut 7));
        assert_eq!(*memo.entry(&[3, 4], |_| 9), 9);
    }

    #[test]
    fn a_refilled_slot_answers_for_its_new_key_only() {
        // One slot: each key takes the other's place.
        let mut memo: Memo<String, Vec<u32>> = Memo::new(1);
        memo.refill("GET / HTTP/1.1", |v| {
            v.clear();
            v.extend([1, 2]);
        });
        assert_eq!(
            memo.get_mut("GET / HTTP/1.1").map(|v| v.clone()),
            Some(vec![1, 2])
        );
        for key in ["a", "b", "c", "d"] {
            memo.refill(key, |v| {
                v.clear();
                v.push(u32::from(key.as_bytes()[0]));
            });
            assert_eq!(
                memo.get_mut(key).map(|v| v.clone()),
                Some(vec![u32::from(key.as_bytes()[0])])
            );
        }
        let remembered = ["a", "b", "c", "d", "GET / HTTP/1.1"]
            .iter()
            .filter(|key| memo.get_mut(**key).is_some())
            .count();
        assert!(remembered <= 2, "two slots hold at most two keys");
    }

    #[test]
    fn a_repeated_key_is_computed_once() {
        let mut memo: Memo<String, u64> = Memo::new(8);
        let mut computed = 0;
        for _ in 0..100 {
            memo.get_or_compute("Mozilla/5.0", |_| {
                computed += 1;
                7
            });
        }
        assert_eq!(computed, 1);
    }
}
