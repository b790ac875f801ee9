//! Which rules are worth running on a line: every literal the set's field tests need,
//! searched for at once (one Aho-Corasick automaton per haystack, ignoring ASCII case),
//! so that a line wakes only the rules whose literals it holds. Most lines hold none,
//! and no rule's expressions run on them.
//!
//! A test whose value has no literal (a `re`, a `*` alone, a number, `exists`) cannot be
//! gated; a rule whose condition may hold without any of its literals (for example
//! `not filter`) runs on every line of its log source.

use super::fields::Haystack;
use crate::event::Event;
use crate::memo::Memo;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::collections::HashMap;

/// Slots in the memo of the literals each text holds, per automaton, as a power of two:
/// user agents, referers and hosts repeat, and request lines often do.
const FOUND_MEMO_BITS: u32 = 12;

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

    fn set(&mut self, id: u32) {
        self.0[id as usize / 64] |= 1 << (id % 64);
    }
}

/// A line's working space, kept between lines.
#[derive(Debug, Clone, Default)]
pub(super) struct LineScratch {
    pub(super) hits: Hits,
    /// The rules a line woke, and which are marked so.
    pub(super) woken: Vec<u32>,
    marked: Vec<bool>,
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
}

/// The automata and which rules each literal wakes, for the rules of one log source.
#[derive(Debug, Clone, Default)]
pub(super) struct Prefilter {
    /// Per haystack: its automaton (none if it could not be built: then every literal
    /// counts as found) and each pattern's literal id.
    automata: Vec<(Haystack, Option<AhoCorasick>, Vec<u32>)>,
    literal_count: usize,
    /// Per literal id: the rules (indices in the set) it wakes.
    wakes: Vec<Vec<u32>>,
    /// Rules that may match a line holding none of their literals.
    always: Vec<u32>,
    rule_count: usize,
}

impl Prefilter {
    /// A prefilter for `rules`: each with its index in the set, the literal ids it uses,
    /// and whether it may match without any of them.
    pub(super) fn new(
        literals: Literals,
        rules: impl IntoIterator<Item = (usize, Vec<u32>, bool)>,
        rule_count: usize,
    ) -> Self {
        let literal_count = literals.ids.len();
        let mut wakes = vec![Vec::new(); literal_count];
        let mut always = Vec::new();
        for (index, ids, ungated) in rules {
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            if ungated {
                always.push(index);
            } else {
                for id in ids {
                    if wakes[id as usize].last() != Some(&index) {
                        wakes[id as usize].push(index);
                    }
                }
            }
        }
        let mut by_haystack: HashMap<Haystack, Vec<(String, u32)>> = HashMap::new();
        for ((haystack, literal), id) in literals.ids {
            by_haystack.entry(haystack).or_default().push((literal, id));
        }
        let mut automata: Vec<_> = by_haystack
            .into_iter()
            .map(|(haystack, mut patterns)| {
                patterns.sort();
                let build = |kind| {
                    AhoCorasick::builder()
                        .ascii_case_insensitive(true)
                        .match_kind(MatchKind::Standard)
                        .kind(kind)
                        .build(patterns.iter().map(|(literal, _)| literal))
                        .ok()
                };
                // A few hundred patterns: the DFA's tables stay small, and it scans several
                // times faster than the NFA; a set too large for it gets the NFA.
                let automaton = build(Some(AhoCorasickKind::DFA)).or_else(|| build(None));
                (
                    haystack,
                    automaton,
                    patterns.into_iter().map(|(_, id)| id).collect(),
                )
            })
            .collect();
        automata.sort_by_key(|(haystack, _, _)| *haystack);
        Self {
            automata,
            literal_count,
            wakes,
            always,
            rule_count,
        }
    }

    /// Searches `event` for every literal and leaves in `scratch` the literals found and
    /// the rules to run, in the set's order.
    pub(super) fn wake(
        &self,
        event: &Event<'_>,
        scratch: &mut LineScratch,
        found: &mut Vec<Memo<String, Vec<u32>>>,
    ) {
        let words = self.literal_count.div_ceil(64);
        scratch.hits.0.clear();
        scratch.hits.0.resize(words, 0);
        scratch.marked.resize(self.rule_count, false);
        scratch.woken.clear();
        if found.len() < self.automata.len() {
            found.resize_with(self.automata.len(), || Memo::new(FOUND_MEMO_BITS));
        }
        for ((haystack, automaton, ids), found) in self.automata.iter().zip(found.iter_mut()) {
            for text in haystack.texts(event).into_iter().flatten() {
                let search = |text: &str| match automaton {
                    // Case-insensitive expressions fold two letters onto ASCII ones (the
                    // Kelvin sign onto k, the long s onto s): text holding them may match
                    // without the literal.
                    Some(automaton) if !text.contains(['\u{212A}', '\u{17F}']) => {
                        let mut literals: Vec<u32> = automaton
                            .find_overlapping_iter(text)
                            .map(|m| ids[m.pattern().as_usize()])
                            .collect();
                        literals.sort_unstable();
                        literals.dedup();
                        literals
                    }
                    _ => ids.clone(),
                };
                for id in found.text_answer(text, search) {
                    scratch.hits.set(id);
                }
            }
        }
        let LineScratch {
            hits,
            woken,
            marked,
        } = scratch;
        let mut wake = |rule: u32| {
            if !std::mem::replace(&mut marked[rule as usize], true) {
                woken.push(rule);
            }
        };
        for (word_index, &word) in hits.0.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let id = word_index * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                for &rule in &self.wakes[id] {
                    wake(rule);
                }
            }
        }
        for &rule in &self.always {
            wake(rule);
        }
        woken.sort_unstable();
        for &rule in woken.iter() {
            marked[rule as usize] = false;
        }
    }
}
