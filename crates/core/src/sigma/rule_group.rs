//! Rules grouped by what they read, so that rules reading one repeated text run once per
//! distinct text.
//!
//! Most of a web log's user agents, referers and virtual hosts repeat thousands of
//! times, and its request lines many times. A rule that reads only the user agent gives
//! the same answer for the same user agent, so the rules of such a group are run once
//! per distinct text and their answer is remembered ([`Memo`]: fixed memory, and a
//! forgotten answer is only worked out again). Rules that read several texts run on
//! every line, behind their literals ([`super::prefilter`]).

use super::fields::{Haystack, Source};
use super::prefilter::{LineScratch, Literals, Prefilter};
use super::rule::SigmaRule;
use crate::event::Event;
use crate::memo::Memo;

/// Slots in each group's memo of answers, as a power of two.
const MEMO_BITS: u32 = 13;

/// Rules of one log source that read the same text, with their literals.
#[derive(Debug, Clone)]
pub(super) struct RuleGroup {
    pub(super) source: Source,
    /// The one text its rules read, if they read one.
    text: Option<Haystack>,
    prefilter: Prefilter,
}

/// A detector's working space for one set (its memos hold that set's rule numbers): the
/// line's literals and each group's memos. A clone starts empty, as a working space
/// holds nothing a copy of the analysis needs.
#[derive(Debug, Default)]
pub struct Scratch {
    line: LineScratch,
    /// Per group: its rules' answers, by the one text they read.
    answers: Vec<Memo<String, Vec<u32>>>,
    /// Per group and automaton: the literals each text holds.
    found: Vec<Vec<Memo<String, Vec<u32>>>>,
}

impl Clone for Scratch {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl RuleGroup {
    /// The groups `rules` fall into; each rule's literals get their ids on the way.
    pub(super) fn all(rules: &mut [SigmaRule]) -> Vec<Self> {
        let mut keys: Vec<(Source, Option<Haystack>)> = Vec::new();
        let key_of: Vec<(Source, Option<Haystack>)> = rules
            .iter()
            .map(|rule| {
                let text = rule.single_text().filter(|text| {
                    rule.source == Source::Web
                        && matches!(
                            text,
                            Haystack::Request
                                | Haystack::UserAgent
                                | Haystack::Referer
                                | Haystack::Host
                        )
                });
                (rule.source, text)
            })
            .collect();
        for key in &key_of {
            if !keys.contains(key) {
                keys.push(*key);
            }
        }
        keys.into_iter()
            .map(|(source, text)| {
                let mut literals = Literals::default();
                let gated: Vec<_> = rules
                    .iter_mut()
                    .enumerate()
                    .filter(|(i, _)| key_of[*i] == (source, text))
                    .map(|(i, rule)| {
                        let (ids, ungated) = rule.gate(&mut literals);
                        (i, ids, ungated)
                    })
                    .collect();
                let rule_count = rules.len();
                Self {
                    source,
                    text,
                    prefilter: Prefilter::new(literals, gated, rule_count),
                }
            })
            .collect()
    }

    /// Adds to `matched` the group's rules that `event` matches; `index` is the group's
    /// place in the set, and its memo's in `scratch`.
    pub(super) fn matching(
        &self,
        index: usize,
        rules: &[SigmaRule],
        event: &Event<'_>,
        scratch: &mut Scratch,
        matched: &mut Vec<usize>,
    ) {
        let Scratch {
            line,
            answers,
            found,
        } = scratch;
        if found.len() <= index {
            found.resize_with(index + 1, Vec::new);
        }
        let found = &mut found[index];
        let mut run = |line: &mut LineScratch| -> Vec<u32> {
            self.prefilter.wake(event, line, found);
            line.woken
                .iter()
                .copied()
                .filter(|&i| rules[i as usize].matches_holding(event, Some(&line.hits)))
                .collect()
        };
        match self.key(event) {
            Some(key) => {
                if answers.len() <= index {
                    answers.resize_with(index + 1, || Memo::new(MEMO_BITS));
                }
                let answer = answers[index].text_answer(key, |_| run(line));
                matched.extend(answer.into_iter().map(|i| i as usize));
            }
            None => matched.extend(run(line).into_iter().map(|i| i as usize)),
        }
    }

    /// The one text every rule of the group reads in `event`, when there is one: the
    /// rules' answer depends on nothing else.
    fn key<'a>(&self, event: &Event<'a>) -> Option<&'a str> {
        let Event::Access(record) = event else {
            return None;
        };
        match self.text? {
            // A request's method and target are read from its line: both inside it, not
            // given apart by a JSON log, nor the line standing for a target alone.
            Haystack::Request => match Haystack::Request.texts(event) {
                [Some(request), None, None]
                    if record.method.is_some() && record.target != Some(request) =>
                {
                    Some(request)
                }
                _ => None,
            },
            Haystack::UserAgent => record.user_agent,
            Haystack::Referer => record.referer,
            Haystack::Host => record.vhost,
            _ => None,
        }
    }
}
