//! Which rules are worth running on a line: every literal the set's field tests need,
//! searched for at once in each of a line's texts (one Aho-Corasick automaton per kind of
//! text, ignoring ASCII case), so that a line wakes only the rules whose literals it
//! holds. Most lines hold none, and no rule's expressions run on them.
//!
//! A test whose value has no literal (a `*` alone, a number, `exists`, an expression
//! with no text every match holds) cannot be gated; a rule whose condition may hold
//! without any of its literals (for example `not filter`) runs on every line of its log
//! source.

use super::fields::Haystack;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
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

/// One automaton for the literals of one haystack.
#[derive(Debug, Clone)]
pub(super) struct LiteralSearch {
    /// `None` if it could not be built: then every literal counts as found.
    automaton: Option<AhoCorasick>,
    /// Each pattern's literal id.
    ids: Vec<u32>,
}

impl LiteralSearch {
    fn new(mut patterns: Vec<(&str, u32)>) -> Self {
        patterns.sort_unstable();
        let build = |kind| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .kind(kind)
                .build(patterns.iter().map(|(literal, _)| literal))
                .ok()
        };
        // A few hundred patterns: the DFA's tables stay small, and it scans several times
        // faster than the NFA; a set too large for it gets the NFA.
        let automaton = build(Some(AhoCorasickKind::DFA)).or_else(|| build(None));
        Self {
            automaton,
            ids: patterns.into_iter().map(|(_, id)| id).collect(),
        }
    }

    /// Adds to `found` the ids of the literals `text` holds, in order, once each.
    pub(super) fn find(&self, text: &str, found: &mut Vec<u32>) {
        let start = found.len();
        match &self.automaton {
            // Case-insensitive expressions fold two letters onto ASCII ones (the Kelvin
            // sign onto k, the long s onto s): text holding them may match without the
            // literal.
            Some(automaton) if !text.contains(['\u{212A}', '\u{17F}']) => found.extend(
                automaton
                    .find_overlapping_iter(text)
                    .map(|m| self.ids[m.pattern().as_usize()]),
            ),
            _ => found.extend_from_slice(&self.ids),
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
}
