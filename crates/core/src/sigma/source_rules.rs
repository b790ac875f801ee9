//! The rules of one log source, compiled together: each kind of text a line has (its
//! request, user agent, referer, host…) is searched once for every literal the rules
//! need ([`super::prefilter`]), and the rules run only when their literals are there.
//!
//! Most of a web log's user agents, referers and virtual hosts repeat thousands of times,
//! and its request lines many times. So for a text the literals it holds are remembered,
//! together with the answers of the rules that read nothing else (a rule on the user
//! agent alone gives the same answer for the same user agent): one lookup per text per
//! line, in a fixed memo ([`Memo`]: fixed memory, and a forgotten answer is only worked
//! out again). Rules that read several texts run per line, behind their literals; the
//! answers of their selections that read one remembered text are remembered with it.

use super::fields::{Haystack, Source};
use super::prefilter::{Hits, LiteralSearch, Literals};
use super::rule::SigmaRule;
use crate::event::Event;
use crate::memo::{MAX_REMEMBERED_TEXT, Memo};

/// Slots in a memo of request lines, as a power of two: a busy site's requests are
/// varied (0.1 distinct per line in real logs), and one not remembered costs a search.
const REQUEST_MEMO_BITS: u32 = 15;

/// Slots in the memo of another text (user agents, referers, hosts: a few thousand).
const MEMO_BITS: u32 = 12;

/// The rules of one log source; see the module docs.
#[derive(Debug, Clone)]
pub(super) struct SourceRules {
    pub(super) source: Source,
    texts: Vec<TextSearch>,
    literal_count: usize,
    /// Per literal id: the rules reading several texts that it wakes.
    line_wakes: Vec<Vec<u32>>,
    /// Rules reading several texts that may match a line holding none of their literals.
    line_always: Vec<u32>,
    /// Per literal id: the rules reading only its text that it wakes.
    text_wakes: Vec<Vec<u32>>,
    rule_count: usize,
    /// Per rule that runs on every line and reads several texts, the place of its first
    /// selection's answer in [`Scratch::known`]; `u32::MAX` for other rules.
    first_selection: Vec<u32>,
    selection_count: usize,
}

/// One kind of text: the literals looked for in it, and the rules that read only it.
#[derive(Debug, Clone)]
struct TextSearch {
    haystack: Haystack,
    search: Option<LiteralSearch>,
    /// Rules reading only this text that may match it holding none of their literals.
    text_always: Vec<u32>,
    /// Its memo's place in [`Scratch::memos`].
    memo: usize,
    /// Selections reading only this text, of rules that run on every line and read
    /// several: (rule, selection, place of its answer).
    selections: Vec<(u32, usize, u32)>,
}

/// What one text holds: its literals, and which rules reading only it match it.
#[derive(Debug, Clone, Default)]
struct TextFacts {
    literals: Vec<u32>,
    answers: Vec<u32>,
    /// The places of the selections in [`TextSearch::selections`] it matches.
    selections: Vec<u32>,
}

/// A detector's working space for one set (its memos hold that set's rule numbers). A
/// clone starts empty, as a working space holds nothing a copy of the analysis needs.
#[derive(Debug, Default)]
pub struct Scratch {
    hits: Hits,
    /// Rules to run on this line, and which are marked so.
    woken: Vec<u32>,
    marked: Vec<bool>,
    /// Rules reading only a text not seen before, to run on it now.
    candidates: Vec<u32>,
    found: Vec<u32>,
    answers: Vec<u32>,
    pub(super) matched: Vec<usize>,
    memos: Vec<Memo<String, TextFacts>>,
    /// The selections whose answers this line's remembered texts gave, and those that
    /// matched.
    known: Hits,
    passing: Hits,
}

impl Clone for Scratch {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl Scratch {
    /// Ready for a line of a set whose texts' memos have `memo_bits` slots (as powers
    /// of two); a memo makes its slots when first used.
    pub(super) fn start(&mut self, memo_bits: &[u32]) {
        self.matched.clear();
        if self.memos.len() < memo_bits.len() {
            self.memos = memo_bits.iter().map(|&bits| Memo::new(bits)).collect();
        }
    }
}

impl TextSearch {
    fn new(haystack: Haystack, search: Option<LiteralSearch>) -> Self {
        Self {
            haystack,
            search,
            text_always: Vec::new(),
            memo: 0,
            selections: Vec::new(),
        }
    }

    /// The search of `haystack` among `texts`, added (with no literal) if missing.
    fn find_or_add(texts: &mut Vec<Self>, haystack: Haystack) -> &mut Self {
        let position = match texts.iter().position(|t| t.haystack == haystack) {
            Some(position) => position,
            None => {
                texts.push(Self::new(haystack, None));
                texts.len() - 1
            }
        };
        &mut texts[position]
    }
}

impl SourceRules {
    /// Every log source's rules among `rules`; each rule's literals get their ids on the
    /// way, and each text's memo its size in `memo_bits`.
    pub(super) fn all(rules: &mut [SigmaRule], memo_bits: &mut Vec<u32>) -> Vec<Self> {
        let mut sources: Vec<Source> = Vec::new();
        for rule in rules.iter() {
            if !sources.contains(&rule.source) {
                sources.push(rule.source);
            }
        }
        sources
            .into_iter()
            .map(|source| Self::of(source, rules, memo_bits))
            .collect()
    }

    /// The rules of `source` among `rules`.
    fn of(source: Source, rules: &mut [SigmaRule], memo_bits: &mut Vec<u32>) -> Self {
        let mut literals = Literals::default();
        // Per rule of this source: its one text, if it reads one we remember.
        let mut gated = Vec::new();
        for (index, rule) in rules.iter_mut().enumerate() {
            if rule.source != source {
                continue;
            }
            let text = rule
                .single_text()
                .filter(|&text| source == Source::Web && remembers(text));
            let (ids, ungated) = rule.gate(&mut literals);
            gated.push((u32::try_from(index).unwrap_or(u32::MAX), text, ids, ungated));
        }
        let literal_count = literals.count();
        let mut texts: Vec<TextSearch> = literals
            .searches()
            .into_iter()
            .map(|(haystack, search)| TextSearch::new(haystack, Some(search)))
            .collect();
        let mut line_wakes = vec![Vec::new(); literal_count];
        let mut text_wakes = vec![Vec::new(); literal_count];
        let mut line_always = Vec::new();
        let mut first_selection = vec![u32::MAX; rules.len()];
        let mut selection_count = 0;
        // Only the rules that run on every line: the others run too seldom to gain.
        for &(index, text, _, ungated) in &gated {
            let rule = &rules[index as usize];
            if text.is_some() || !ungated || source != Source::Web {
                continue;
            }
            let first = u32::try_from(selection_count).unwrap_or(u32::MAX);
            first_selection[index as usize] = first;
            for (i, read) in rule.selection_texts().into_iter().enumerate() {
                selection_count += 1;
                if let Some(haystack) = read.filter(|&h| remembers(h)) {
                    TextSearch::find_or_add(&mut texts, haystack)
                        .selections
                        .push((
                            index,
                            i,
                            first.saturating_add(u32::try_from(i).unwrap_or(u32::MAX)),
                        ));
                }
            }
        }
        for (index, text, ids, ungated) in gated {
            let wakes = match (text, ungated) {
                (Some(haystack), true) => {
                    TextSearch::find_or_add(&mut texts, haystack)
                        .text_always
                        .push(index);
                    continue;
                }
                (Some(haystack), false) => {
                    TextSearch::find_or_add(&mut texts, haystack);
                    &mut text_wakes
                }
                (None, true) => {
                    line_always.push(index);
                    continue;
                }
                (None, false) => &mut line_wakes,
            };
            for id in ids {
                wakes[id as usize].push(index);
            }
        }
        texts.sort_by_key(|text| text.haystack);
        for text in &mut texts {
            text.memo = memo_bits.len();
            memo_bits.push(if text.haystack == Haystack::Request {
                REQUEST_MEMO_BITS
            } else {
                MEMO_BITS
            });
        }
        Self {
            source,
            texts,
            literal_count,
            line_wakes,
            line_always,
            text_wakes,
            rule_count: rules.len(),
            first_selection,
            selection_count,
        }
    }

    /// Adds to `scratch.matched` the rules (indices in `rules`) that `event` matches.
    pub(super) fn matching(&self, rules: &[SigmaRule], event: &Event<'_>, scratch: &mut Scratch) {
        let Scratch {
            hits,
            woken,
            marked,
            candidates,
            found,
            answers,
            matched,
            memos,
            known,
            passing,
        } = scratch;
        hits.clear(self.literal_count);
        known.clear(self.selection_count);
        passing.clear(self.selection_count);
        marked.resize(self.rule_count, false);
        woken.clear();
        // Runs the woken rules (and unmarks them), keeping those that match in `answers`.
        let run = |woken: &mut Vec<u32>,
                   marked: &mut [bool],
                   (hits, known, passing): (&Hits, &Hits, &Hits),
                   answers: &mut Vec<u32>| {
            answers.clear();
            woken.sort_unstable();
            for &rule in woken.iter() {
                marked[rule as usize] = false;
                let first = self.first_selection[rule as usize];
                let remembered = |i: usize| {
                    let place = first.checked_add(u32::try_from(i).ok()?)?;
                    known.has(place).then(|| passing.has(place))
                };
                if rules[rule as usize].matches_knowing(event, Some(hits), remembered) {
                    answers.push(rule);
                }
            }
            woken.clear();
        };
        for text in &self.texts {
            let texts = text.haystack.texts(event);
            let search = |text_value: &str, found: &mut Vec<u32>| {
                if let Some(search) = &text.search {
                    search.find(text_value, found);
                }
            };
            match remembered(text.haystack, event, texts) {
                Some(value) => {
                    let memo = &mut memos[text.memo];
                    for &(_, _, place) in &text.selections {
                        known.set(place);
                    }
                    if let Some(facts) = memo.get_mut(value) {
                        for &id in &facts.literals {
                            hits.set(id);
                        }
                        for &place in &facts.selections {
                            passing.set(place);
                        }
                        matched.extend(facts.answers.iter().map(|&rule| rule as usize));
                        continue;
                    }
                    found.clear();
                    search(value, found);
                    // The rules reading only this text, run now: their answer holds for
                    // every line with this text.
                    for &id in found.iter() {
                        hits.set(id);
                        wake(&self.text_wakes[id as usize], marked, candidates);
                    }
                    wake(&text.text_always, marked, candidates);
                    run(candidates, marked, (hits, known, passing), answers);
                    matched.extend(answers.iter().map(|&rule| rule as usize));
                    // `found` holds the text's literals; the places of the selections it
                    // matches follow them, and the memo keeps the two apart.
                    let first_passing = found.len();
                    for &(rule, selection, place) in &text.selections {
                        if rules[rule as usize].selection_matches(selection, event, hits) {
                            passing.set(place);
                            found.push(place);
                        }
                    }
                    memo.refill(value, |facts| {
                        facts.literals.clear();
                        facts.literals.extend_from_slice(&found[..first_passing]);
                        facts.selections.clear();
                        facts.selections.extend_from_slice(&found[first_passing..]);
                        facts.answers.clone_from(answers);
                    });
                }
                None => {
                    // Not remembered: its rules run with those reading several texts.
                    found.clear();
                    for value in texts.into_iter().flatten() {
                        search(value, found);
                    }
                    for &id in found.iter() {
                        hits.set(id);
                        wake(&self.text_wakes[id as usize], marked, woken);
                    }
                    wake(&text.text_always, marked, woken);
                }
            }
        }
        for id in hits.ids() {
            wake(&self.line_wakes[id as usize], marked, woken);
        }
        wake(&self.line_always, marked, woken);
        run(woken, marked, (hits, known, passing), answers);
        matched.extend(answers.iter().map(|&rule| rule as usize));
    }
}

/// Whether the facts of a text of this kind are remembered (they repeat).
fn remembers(haystack: Haystack) -> bool {
    matches!(
        haystack,
        Haystack::Request | Haystack::UserAgent | Haystack::Referer | Haystack::Host
    )
}

/// Adds `rules` to `woken`, each once.
fn wake(rules: &[u32], marked: &mut [bool], woken: &mut Vec<u32>) {
    for &rule in rules {
        if !std::mem::replace(&mut marked[rule as usize], true) {
            woken.push(rule);
        }
    }
}

/// The one text of `haystack` in `event` whose facts may be remembered: the rules reading
/// only it give the same answer for every line with that text. A request's method and
/// target are read from its line: both inside it, not given apart by a JSON log, nor the
/// line standing for a target alone.
fn remembered<'a>(
    haystack: Haystack,
    event: &Event<'a>,
    texts: [Option<&'a str>; 3],
) -> Option<&'a str> {
    let Event::Access(record) = event else {
        return None;
    };
    let [Some(text), None, None] = texts else {
        return None;
    };
    let whole_request = record.method.is_some() && record.target != Some(text);
    (text.len() <= MAX_REMEMBERED_TEXT && (haystack != Haystack::Request || whole_request))
        .then_some(text)
}
