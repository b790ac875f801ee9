//! Which rules are worth running on a line: every literal the set's field tests need,
//! searched for at once in each of a line's texts (one search per kind of text, ignoring
//! ASCII case), so that a line wakes only the rules whose literals it holds. Most lines
//! hold none, and no rule's expressions run on them.
//!
//! A test whose value has no literal (a `*` alone, a number, `exists`, an expression
//! with no text every match holds) cannot be gated; a rule whose condition may hold
//! without any of its literals (for example `not filter`) runs on every line of its log
//! source.

use super::fields::Haystack;
use std::collections::HashMap;

/// The literals one line holds, by id.
#[derive(Debug, Clone, Default)]
pub struct Hits(Vec<u64>);

impl Hits {
    /// Whether the line holds literal `id`.
    pub(super) fn has(&self, id: u32) -> bool {
        self.0
            .get(id as usize / 64)
            .is_some_and(|word| word & (1 << (id % 64)) != 0)
    }

    pub(super) fn set(&mut self, id: u32) {
        self.0[id as usize / 64] |= 1 << (id % 64);
    }

    /// No literal, room for `count`.
    pub(super) fn clear(&mut self, count: usize) {
        self.0.clear();
        self.0.resize(count.div_ceil(64), 0);
    }

    /// The ids held, in order.
    pub(super) fn ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().enumerate().flat_map(|(index, &word)| {
            let mut bits = word;
            std::iter::from_fn(move || {
                (bits != 0).then(|| {
                    let id = index * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    u32::try_from(id).unwrap_or(u32::MAX)
                })
            })
        })
    }
}

/// Gives each distinct literal of one haystack an id.
#[derive(Debug, Default)]
pub(super) struct Literals {
    ids: HashMap<(Haystack, String), u32>,
}

impl Literals {
    /// The id of `literal` (lowercase ASCII) looked for in `haystack`.
    pub(super) fn id(&mut self, haystack: Haystack, literal: &str) -> u32 {
        let next = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
        *self
            .ids
            .entry((haystack, literal.to_owned()))
            .or_insert(next)
    }

    pub(super) fn count(&self) -> usize {
        self.ids.len()
    }

    /// Each haystack that has literals, with a search for them.
    pub(super) fn searches(&self) -> Vec<(Haystack, LiteralSearch)> {
        let mut by_haystack: HashMap<Haystack, Vec<(&str, u32)>> = HashMap::new();
        for ((haystack, literal), &id) in &self.ids {
            by_haystack
                .entry(*haystack)
                .or_default()
                .push((literal, id));
        }
        let mut searches: Vec<_> = by_haystack
            .into_iter()
            .map(|(haystack, patterns)| (haystack, LiteralSearch::new(patterns)))
            .collect();
        searches.sort_by_key(|(haystack, _)| *haystack);
        searches
    }
}

/// The literals of one haystack, found by their first three bytes.
///
/// An Aho-Corasick automaton for a few hundred literals, ignoring case, takes megabytes,
/// and every byte of a text is a step through it: a cache miss. Here each position of a
/// text costs a test of one bit in a table of 8 KB, which stays in the nearest cache, and
/// only where a literal may begin are the literals that begin so compared (a search
/// for many patterns at once in the manner of Rabin-Karp and Wu-Manber).
#[derive(Debug, Clone)]
pub(super) struct LiteralSearch {
    /// One bit per hash of three bytes (lowercase ASCII) that begin a literal.
    may_begin: Box<[u64]>,
    /// The literals (lowercase ASCII) and their ids, by their first three bytes.
    by_start: rustc_hash::FxHashMap<[u8; 3], Vec<Literal>>,
    /// Literals shorter than three bytes, counted as found in every text.
    short: Vec<u32>,
}

/// A literal's bytes (lowercase ASCII) and its id.
type Literal = (Box<[u8]>, u32);

/// log2 of the bits in [`LiteralSearch::may_begin`].
const START_BITS: u32 = 16;

/// The three bytes at the start of `bytes`, lowercase ASCII.
fn start_of(bytes: &[u8]) -> [u8; 3] {
    [
        bytes[0].to_ascii_lowercase(),
        bytes[1].to_ascii_lowercase(),
        bytes[2].to_ascii_lowercase(),
    ]
}

/// The bit of three bytes in [`LiteralSearch::may_begin`].
fn start_bit(start: [u8; 3]) -> usize {
    let key = u32::from(start[0]) | u32::from(start[1]) << 8 | u32::from(start[2]) << 16;
    (key.wrapping_mul(0x9E37_79B1) >> (32 - START_BITS)) as usize
}

impl LiteralSearch {
    /// A search for `patterns` (lowercase ASCII).
    fn new(patterns: Vec<(&str, u32)>) -> Self {
        let mut may_begin = vec![0u64; (1 << START_BITS) / 64].into_boxed_slice();
        let mut by_start: rustc_hash::FxHashMap<[u8; 3], Vec<Literal>> = Default::default();
        let mut short = Vec::new();
        for (literal, id) in patterns {
            let bytes = literal.as_bytes();
            if bytes.len() < 3 {
                short.push(id);
                continue;
            }
            let start = start_of(bytes);
            let bit = start_bit(start);
            may_begin[bit / 64] |= 1 << (bit % 64);
            by_start.entry(start).or_default().push((bytes.into(), id));
        }
        Self {
            may_begin,
            by_start,
            short,
        }
    }

    /// Adds to `found` the ids of the literals `text` holds, in order, once each.
    pub(super) fn find(&self, text: &str, found: &mut Vec<u32>) {
        let start = found.len();
        found.extend_from_slice(&self.short);
        // Case-insensitive expressions fold two letters onto ASCII ones (the Kelvin sign
        // onto k, the long s onto s): text holding them may match without the literal.
        if !text.is_ascii() && text.contains(['\u{212A}', '\u{17F}']) {
            found.extend(self.by_start.values().flatten().map(|(_, id)| *id));
        } else {
            let bytes = text.as_bytes();
            for at in 0..bytes.len().saturating_sub(2) {
                let begins = start_of(&bytes[at..]);
                let bit = start_bit(begins);
                if self.may_begin[bit / 64] & (1 << (bit % 64)) == 0 {
                    continue;
                }
                let Some(literals) = self.by_start.get(&begins) else {
                    continue;
                };
                let rest = &bytes[at..];
                for (literal, id) in literals {
                    if rest.len() >= literal.len()
                        && rest[..literal.len()].eq_ignore_ascii_case(literal)
                    {
                        found.push(*id);
                    }
                }
            }
        }
        found[start..].sort_unstable();
        let mut kept = start;
        for i in start..found.len() {
            if kept == start || found[i] != found[kept - 1] {
                found[kept] = found[i];
                kept += 1;
            }
        }
        found.truncate(kept);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_list_the_ids_they_hold_in_order() {
        let mut hits = Hits::default();
        hits.clear(200);
        for id in [130, 3, 64, 63, 199] {
            hits.set(id);
        }
        assert_eq!(hits.ids().collect::<Vec<_>>(), [3, 63, 64, 130, 199]);
        assert!(hits.has(64) && !hits.has(65));
        hits.clear(200);
        assert_eq!(hits.ids().count(), 0);
    }

    #[test]
    fn a_search_finds_each_literal_once_ignoring_case() {
        let mut literals = Literals::default();
        let git = literals.id(Haystack::Request, ".git");
        let git_config = literals.id(Haystack::Request, ".git/config");
        literals.id(Haystack::UserAgent, "sqlmap");
        let searches = literals.searches();
        let (haystack, search) = &searches[0];
        assert_eq!(*haystack, Haystack::Request);
        let mut found = vec![99];
        search.find("GET /.GIT/config?x=/.git HTTP/1.1", &mut found);
        assert_eq!(found, [99, git, git_config]);
        let mut found = Vec::new();
        search.find("GET /\u{212A} HTTP/1.1", &mut found);
        assert_eq!(
            found,
            [git, git_config],
            "the Kelvin sign wakes every literal"
        );
    }

    #[test]
    fn literals_are_found_at_either_end_overlapping_and_short_ones_everywhere() {
        let mut literals = Literals::default();
        let admin = literals.id(Haystack::Request, "/admin");
        let min = literals.id(Haystack::Request, "min");
        let php = literals.id(Haystack::Request, ".php");
        let short = literals.id(Haystack::Request, "ab");
        let searches = literals.searches();
        let search = &searches[0].1;
        let mut found = Vec::new();
        search.find("/ADMIN/x.PHP", &mut found);
        assert_eq!(found, [admin, min, php, short]);
        found.clear();
        search.find("/adm", &mut found);
        assert_eq!(found, [short], "a literal longer than what is left");
        found.clear();
        search.find("", &mut found);
        assert_eq!(found, [short]);
    }
}
