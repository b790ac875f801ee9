//! One Sigma rule, read from its document (YAML read into a `serde_json::Value`) and
//! compiled: each selection's field tests become regular expressions, its condition a
//! tree. What we cannot run (a modifier, a field, a log source) is an error that says so.

use super::condition::Condition;
use super::expression::Expression;
use super::fields::{self, Field, Haystack, Source};
use super::networks::Network;
use super::prefilter::{Hits, Literals};
use super::regex_literals;
use crate::event::Event;
use serde_json::Value;

/// Literals shorter than this are in most lines: a value with no longer run of plain
/// characters is tested on every line its rule runs on.
const SHORTEST_LITERAL: usize = 3;

/// What a rule says about itself, kept for its findings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RuleInfo {
    /// What it detects, in a few words.
    pub title: String,
    /// Its UUID, stable across versions of the rule.
    pub id: String,
    /// `informational`, `low`, `medium`, `high` or `critical`.
    pub level: String,
    /// What it detects, in a sentence or two.
    pub description: String,
    /// Who wrote it (the licence asks that they be named).
    pub author: String,
    /// ATT&CK and other tags: `attack.t1190`.
    pub tags: Vec<String>,
    /// Where to read more.
    pub references: Vec<String>,
    /// The name a correlation may call it by.
    pub name: String,
}

impl RuleInfo {
    /// What `document` says about its rule; a rule needs a title.
    pub fn from_document(document: &Value) -> Result<Self, String> {
        let text = |key: &str| {
            document
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned()
        };
        let list = |key: &str| -> Vec<String> {
            match document.get(key) {
                Some(Value::Array(items)) => items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_owned))
                    .collect(),
                Some(Value::String(one)) => vec![one.clone()],
                _ => Vec::new(),
            }
        };
        let info = Self {
            title: text("title"),
            id: text("id"),
            level: text("level"),
            description: text("description"),
            author: text("author"),
            tags: list("tags"),
            references: list("references"),
            name: text("name"),
        };
        if info.title.is_empty() {
            return Err("it has no title".to_owned());
        }
        Ok(info)
    }
}

/// A rule's own aggregation, as its condition wrote it after `|` (`count() by c-ip > 10`),
/// with its timeframe: [`super::correlation`] reads it.
#[derive(Debug, Clone)]
pub struct Aggregation {
    pub text: String,
    pub timeframe: Option<String>,
}

/// A rule ready to run.
#[derive(Debug, Clone)]
pub struct SigmaRule {
    /// What the rule says about itself.
    pub info: RuleInfo,
    pub(crate) source: Source,
    selections: Vec<Selection>,
    condition: Condition,
    /// A count over its matches its condition asks for (`| count() by c-ip > 10`): the
    /// set makes it a correlation, and the rule's matches alone are no finding.
    pub(super) aggregation: Option<Aggregation>,
}

/// One named selection: keywords anywhere in the line (any one), or maps of field tests
/// (any map whose every test passes).
#[derive(Debug, Clone)]
enum Selection {
    Keywords(Vec<FieldTest>),
    Maps(Vec<Vec<FieldTest>>),
}

/// One field's test: its values (any one, or all with `|all`) against the field's value.
#[derive(Debug, Clone)]
struct FieldTest {
    field: Field,
    matcher: Matcher,
    /// Literals (lowercase ASCII) a value needs to pass: one of each group. Empty when a
    /// value may pass without any.
    wanted: Vec<Vec<String>>,
    /// The same as the set's literal ids, once the rule is in a set.
    gate: Vec<Vec<u32>>,
    /// Where it comes among the rule's tests.
    order: usize,
}

#[derive(Debug, Clone)]
enum Matcher {
    /// Any of these expressions matches (one alternation), or with `all`, each does.
    Patterns {
        any: Option<Expression>,
        all: Vec<Expression>,
    },
    /// The field is there (or not).
    Exists(bool),
    /// The field's value is absent or empty (`field: null`).
    Null,
    /// `|cidr`: the value is an address in any of these networks (with `all`, in each).
    Networks { networks: Vec<Network>, all: bool },
}

impl SigmaRule {
    /// Reads and compiles the rule `document`; the error says what we cannot run.
    pub fn from_document(document: &Value) -> Result<Self, String> {
        let info = RuleInfo::from_document(document)?;
        let logsource = document.get("logsource");
        let source_field = |key: &str| logsource.and_then(|l| l.get(key)).and_then(Value::as_str);
        let source = fields::source_of(
            source_field("category"),
            source_field("product"),
            source_field("service"),
        )?;
        let Some(Value::Object(detection)) = document.get("detection") else {
            return Err("it has no detection".to_owned());
        };
        let timeframe = match detection.get("timeframe") {
            None => None,
            Some(Value::String(span)) => Some(span.clone()),
            Some(_) => return Err("its timeframe is not a time span".to_owned()),
        };
        let mut aggregation = None;
        let mut names = Vec::new();
        let mut selections = Vec::new();
        for (name, definition) in detection {
            if name == "condition" || name == "timeframe" {
                continue;
            }
            names.push(name.clone());
            selections.push(
                selection(definition, source).map_err(|e| format!("selection \"{name}\": {e}"))?,
            );
        }
        let condition = match detection.get("condition") {
            Some(Value::String(text)) => {
                let (selected, counted) = match text.split_once('|') {
                    Some((selected, counted)) => (selected, Some(counted)),
                    None => (text.as_str(), None),
                };
                aggregation = counted.map(|text| Aggregation {
                    text: text.to_owned(),
                    timeframe: timeframe.clone(),
                });
                Condition::parse(selected, &names)?
            }
            // A list of conditions: any of them.
            Some(Value::Array(items)) => {
                let mut parsed = items.iter().map(|item| {
                    item.as_str()
                        .ok_or_else(|| "a condition is not text".to_owned())
                        .and_then(|text| Condition::parse(text, &names))
                });
                let first = parsed.next().ok_or("its condition list is empty")??;
                parsed.try_fold(first, |all, next| {
                    Ok::<_, String>(Condition::Or(Box::new(all), Box::new(next?)))
                })?
            }
            _ => return Err("it has no condition".to_owned()),
        };
        Ok(Self {
            info,
            source,
            selections,
            condition,
            aggregation,
        })
    }

    /// Whether the line parsed as `event` matches, every test run: a line of its log
    /// source that passes its condition.
    pub fn matches(&self, event: &Event<'_>) -> bool {
        Source::of(event) == Some(self.source) && self.matches_holding(event, None)
    }

    /// Whether the line matches, knowing (when given) which of the set's literals it holds.
    pub(super) fn matches_holding(&self, event: &Event<'_>, hits: Option<&Hits>) -> bool {
        self.matches_knowing(event, hits, |_| None)
    }

    /// Whether the line matches, given the answers `known` has of some selections.
    pub(super) fn matches_knowing(
        &self,
        event: &Event<'_>,
        hits: Option<&Hits>,
        known: impl Fn(usize) -> Option<bool>,
    ) -> bool {
        let matched =
            |i: usize| known(i).unwrap_or_else(|| self.selections[i].matches(event, hits));
        self.condition.holds(&matched)
    }

    /// Whether selection `i` matches the line, knowing which literals it holds.
    pub(super) fn selection_matches(&self, i: usize, event: &Event<'_>, hits: &Hits) -> bool {
        self.selections[i].matches(event, Some(hits))
    }

    /// Per selection, the one text all its tests read, if so.
    pub(super) fn selection_texts(&self) -> Vec<Option<Haystack>> {
        self.selections
            .iter()
            .map(|selection| one_text(selection.tests().into_iter(), self.source))
            .collect()
    }

    /// Gives each literal the rule's tests need an id in `literals`. Returns the ids that
    /// wake the rule, and whether it must run on every line instead (it may match a line
    /// holding none of its literals).
    ///
    /// A rule wakes on as few tests as can be: each test's most telling group of
    /// literals, and only the tests it cannot match without. `cs-method: GET` beside a
    /// path need not wake it on every GET.
    pub(super) fn gate(&mut self, literals: &mut Literals) -> (Vec<u32>, bool) {
        let source = self.source;
        // Per test: its best group's ids and how telling the group is (its shortest literal).
        let mut best: Vec<Option<(Vec<u32>, usize)>> = Vec::new();
        for (order, test) in self.tests_mut().enumerate() {
            test.order = order;
            if test.field.haystacks(source).is_empty() {
                // A number (`sc-status: 404`) is not searched for: it is tested.
                test.wanted.clear();
            }
            test.gate = test
                .wanted
                .iter()
                .map(|group| {
                    let mut any = Vec::new();
                    for literal in group {
                        for &haystack in test.field.haystacks(source) {
                            any.push(literals.id(haystack, literal));
                        }
                    }
                    any
                })
                .collect();
            // A method (`GET`) is in every request line: it tells least of all.
            let telling = |shortest: usize| {
                if test.field == Field::Method {
                    0
                } else {
                    shortest
                }
            };
            best.push(
                test.gate
                    .iter()
                    .zip(&test.wanted)
                    .map(|(ids, group)| (ids.clone(), group.iter().map(String::len).min()))
                    .max_by_key(|(_, shortest)| *shortest)
                    .map(|(ids, shortest)| (ids, telling(shortest.unwrap_or(0)))),
            );
        }
        let mut waking: Vec<bool> = best.iter().map(Option::is_some).collect();
        if !self.cannot_match(&waking) {
            return (Vec::new(), true);
        }
        let mut weakest_first: Vec<usize> = (0..best.len()).filter(|&i| waking[i]).collect();
        weakest_first.sort_by_key(|&i| best[i].as_ref().map_or(0, |(_, shortest)| *shortest));
        for i in weakest_first {
            waking[i] = false;
            if !self.cannot_match(&waking) {
                waking[i] = true;
            }
        }
        let mut ids: Vec<u32> = best
            .into_iter()
            .zip(waking)
            .filter(|(_, wakes)| *wakes)
            .flat_map(|(group, _)| group.map(|(ids, _)| ids).unwrap_or_default())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        (ids, false)
    }

    /// Whether the rule cannot match when the tests marked in `failing` (by order) fail.
    fn cannot_match(&self, failing: &[bool]) -> bool {
        let known = |i: usize| self.selections[i].known_to_fail(failing);
        self.condition.may_hold(&known) == Some(false)
    }

    /// The one text every test of the rule reads (a request's, a user agent…), if so.
    pub(super) fn single_text(&self) -> Option<Haystack> {
        one_text(
            self.selections.iter().flat_map(Selection::tests),
            self.source,
        )
    }

    fn tests_mut(&mut self) -> impl Iterator<Item = &mut FieldTest> {
        self.selections
            .iter_mut()
            .flat_map(|selection| match selection {
                Selection::Keywords(tests) => tests.iter_mut().collect::<Vec<_>>(),
                Selection::Maps(maps) => maps.iter_mut().flatten().collect(),
            })
    }
}

/// The one text all of `tests` read, if so.
fn one_text<'a>(
    mut tests: impl Iterator<Item = &'a FieldTest>,
    source: Source,
) -> Option<Haystack> {
    let first = tests.next()?.field.haystacks(source);
    let [one] = first else { return None };
    tests
        .all(|test| test.field.haystacks(source) == first)
        .then_some(*one)
}

impl Selection {
    fn tests(&self) -> Vec<&FieldTest> {
        match self {
            Self::Keywords(tests) => tests.iter().collect(),
            Self::Maps(maps) => maps.iter().flatten().collect(),
        }
    }

    fn matches(&self, event: &Event<'_>, hits: Option<&Hits>) -> bool {
        match self {
            Self::Keywords(words) => words.iter().any(|w| w.passes(event, hits)),
            Self::Maps(maps) => maps
                .iter()
                .any(|tests| tests.iter().all(|test| test.passes(event, hits))),
        }
    }

    /// `Some(false)` when it cannot match if the tests marked in `failing` fail;
    /// otherwise unknown.
    fn known_to_fail(&self, failing: &[bool]) -> Option<bool> {
        let fails = |test: &FieldTest| failing[test.order];
        let possible = match self {
            Self::Keywords(words) => !words.iter().all(fails),
            Self::Maps(maps) => maps.iter().any(|tests| !tests.iter().any(fails)),
        };
        if possible { None } else { Some(false) }
    }
}

impl FieldTest {
    fn passes(&self, event: &Event<'_>, hits: Option<&Hits>) -> bool {
        if let Some(hits) = hits
            && !self
                .gate
                .iter()
                .all(|any| any.iter().any(|&id| hits.has(id)))
        {
            return false;
        }
        let value = self.field.value(event);
        match &self.matcher {
            Matcher::Exists(wanted) => value.is_some() == *wanted,
            Matcher::Null => value.is_none_or(|v| v.is_empty()),
            Matcher::Patterns { any, all } => value.is_some_and(|v| {
                any.as_ref().is_none_or(|re| re.is_match(&v))
                    && all.iter().all(|re| re.is_match(&v))
            }),
            Matcher::Networks { networks, all } => value.is_some_and(|v| {
                if *all {
                    networks.iter().all(|n| n.contains(&v))
                } else {
                    networks.iter().any(|n| n.contains(&v))
                }
            }),
        }
    }
}

/// A selection's definition: a list of keywords, a map of field tests, or a list of maps.
fn selection(definition: &Value, source: Source) -> Result<Selection, String> {
    match definition {
        Value::Object(map) => Ok(Selection::Maps(vec![field_tests(map, source)?])),
        Value::Array(items) if items.iter().all(Value::is_object) => items
            .iter()
            .filter_map(Value::as_object)
            .map(|map| field_tests(map, source))
            .collect::<Result<Vec<_>, _>>()
            .map(Selection::Maps),
        Value::Array(items) => items
            .iter()
            .map(|item| keyword(&scalar(item)?))
            .collect::<Result<Vec<_>, _>>()
            .map(Selection::Keywords),
        other => Ok(Selection::Keywords(vec![keyword(&scalar(other)?)?])),
    }
}

/// A keyword: found anywhere in the line, ignoring case, with wildcards.
fn keyword(value: &str) -> Result<FieldTest, String> {
    let modifiers = Modifiers::contains();
    Ok(FieldTest {
        field: Field::Keywords,
        matcher: Matcher::Patterns {
            any: Some(Expression::new(
                pattern_source(value, &modifiers)?,
                "i",
                false,
            )?),
            all: Vec::new(),
        },
        wanted: literals_of(value, &modifiers, Field::Keywords)
            .into_iter()
            .collect(),
        gate: Vec::new(),
        order: 0,
    })
}

fn scalar(value: &Value) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err("a value is neither text nor a number".to_owned()),
    }
}

/// How a field's values are compared, from the modifiers after its name.
#[derive(Debug, Clone, Default)]
struct Modifiers {
    contains: bool,
    starts: bool,
    ends: bool,
    all: bool,
    regex: bool,
    cased: bool,
    exists: bool,
    base64offset: bool,
    windash: bool,
    cidr: bool,
    /// `re|i`, `re|m`, `re|s`.
    regex_flags: String,
}

impl Modifiers {
    fn contains() -> Self {
        Self {
            contains: true,
            ..Self::default()
        }
    }

    fn read(names: &[&str]) -> Result<Self, String> {
        let mut m = Self::default();
        for name in names {
            match *name {
                "contains" => m.contains = true,
                "startswith" => m.starts = true,
                "endswith" => m.ends = true,
                "all" => m.all = true,
                "re" => m.regex = true,
                "i" | "m" | "s" if m.regex => m.regex_flags.push_str(name),
                "cased" => m.cased = true,
                "exists" => m.exists = true,
                "base64offset" => m.base64offset = true,
                "windash" => m.windash = true,
                "cidr" => m.cidr = true,
                other => return Err(format!("the modifier |{other} is not supported")),
            }
        }
        Ok(m)
    }
}

/// The tests of one map: every field's must pass.
fn field_tests(
    map: &serde_json::Map<String, Value>,
    source: Source,
) -> Result<Vec<FieldTest>, String> {
    map.iter()
        .map(|(key, values)| {
            let mut parts = key.split('|');
            let name = parts.next().unwrap_or_default();
            // `'|all': [...]` and the like: keywords, with modifiers.
            let keywords = name.is_empty();
            let field = if keywords {
                Field::Keywords
            } else {
                Field::named(source, name).ok_or_else(|| {
                    format!("the field {name} is not one loglens maps for this logsource")
                })?
            };
            let mut modifiers = Modifiers::read(&parts.collect::<Vec<_>>())?;
            modifiers.contains |= keywords;
            let values: Vec<&Value> = match values {
                Value::Array(items) => items.iter().collect(),
                one => vec![one],
            };
            let mut wanted = Vec::new();
            let matcher = if modifiers.exists {
                Matcher::Exists(values.first().and_then(|v| v.as_bool()).unwrap_or(true))
            } else if values.iter().all(|v| v.is_null()) {
                Matcher::Null
            } else if modifiers.cidr {
                let networks = values
                    .iter()
                    .map(|v| scalar(v).and_then(|text| Network::parse(&text)))
                    .collect::<Result<_, _>>()?;
                Matcher::Networks {
                    networks,
                    all: modifiers.all,
                }
            } else {
                let each: Vec<Option<Vec<String>>> = values
                    .iter()
                    .map(|v| {
                        scalar(v)
                            .ok()
                            .and_then(|text| literals_of(&text, &modifiers, field))
                    })
                    .collect();
                wanted = if modifiers.all {
                    // Each value that has literals needs one of them.
                    each.into_iter().flatten().collect()
                } else if each.iter().all(Option::is_some) {
                    // Any value will do: one of all their literals.
                    vec![each.into_iter().flatten().flatten().collect()]
                } else {
                    Vec::new()
                };
                let patterns = values
                    .iter()
                    .map(|v| scalar(v).and_then(|text| pattern_source(&text, &modifiers)))
                    .collect::<Result<Vec<_>, _>>()?;
                let flags = if modifiers.regex {
                    modifiers.regex_flags.clone()
                } else if modifiers.cased {
                    String::new()
                } else {
                    "i".to_owned()
                };
                if modifiers.all {
                    let all = patterns
                        .into_iter()
                        .map(|p| Expression::new(p, &flags, modifiers.regex))
                        .collect::<Result<Vec<_>, _>>()?;
                    Matcher::Patterns { any: None, all }
                } else {
                    let alternation = patterns
                        .iter()
                        .map(|p| format!("(?:{p})"))
                        .collect::<Vec<_>>()
                        .join("|");
                    Matcher::Patterns {
                        any: Some(Expression::new(alternation, &flags, modifiers.regex)?),
                        all: Vec::new(),
                    }
                }
            };
            Ok(FieldTest {
                field,
                matcher,
                wanted,
                gate: Vec::new(),
                order: 0,
            })
        })
        .collect()
}

/// A value as a regular expression (before case flags), as its modifiers read it.
fn pattern_source(value: &str, m: &Modifiers) -> Result<String, String> {
    if m.regex {
        return Ok(value.to_owned());
    }
    let variants: Vec<String> = if m.base64offset {
        base64_offsets(value)
    } else if m.windash {
        windash_variants(value)
    } else {
        vec![value.to_owned()]
    };
    let body = variants
        .iter()
        .map(|v| {
            if m.base64offset {
                regex::escape(v)
            } else {
                wildcards(v)
            }
        })
        .collect::<Vec<_>>()
        .join("|");
    let contains = m.contains || m.base64offset;
    let (start, end) = match (contains, m.starts, m.ends) {
        (true, _, _) => ("", ""),
        (false, true, _) => ("^", ""),
        (false, false, true) => ("", "$"),
        (false, false, false) => ("^", "$"),
    };
    Ok(format!("{start}(?:{body}){end}"))
}

/// The literals one of which `value` needs in a line to match (lowercase ASCII, each the
/// longest run of plain characters of one way to write it; for an expression, what every
/// match holds), or `None` when it needs none: a value that is all wildcards. For `keywords`, a space ends a run too,
/// as the keywords' text joins several fields with spaces.
fn literals_of(value: &str, m: &Modifiers, field: Field) -> Option<Vec<String>> {
    if m.regex {
        return regex_literals::required_literals(value, SHORTEST_LITERAL);
    }
    if m.cidr {
        return None;
    }
    let keywords = field == Field::Keywords;
    let variants = if m.base64offset {
        base64_offsets(value)
    } else if m.windash {
        windash_variants(value)
    } else if field == Field::Extension && !m.contains && !m.ends {
        // An extension follows a dot: `ws` alone is in too many lines, `.ws` in few.
        vec![format!(".{value}")]
    } else {
        vec![value.to_owned()]
    };
    variants
        .iter()
        .map(|variant| {
            let mut longest = String::new();
            let mut run = String::new();
            let mut chars = variant.chars().peekable();
            while let Some(c) = chars.next() {
                let plain = match c {
                    '*' | '?' if !m.base64offset => None,
                    '\\' if !m.base64offset && matches!(chars.peek(), Some('*' | '?' | '\\')) => {
                        chars.next()
                    }
                    c => Some(c),
                };
                match plain {
                    Some(c) if c.is_ascii() && !(keywords && c == ' ') => {
                        run.push(c.to_ascii_lowercase());
                    }
                    _ => {
                        if run.len() > longest.len() {
                            longest = std::mem::take(&mut run);
                        }
                        run.clear();
                    }
                }
            }
            if run.len() > longest.len() {
                longest = run;
            }
            (longest.len() >= SHORTEST_LITERAL).then_some(longest)
        })
        .collect()
}

/// A value with Sigma's wildcards (`*` any text, `?` one character, `\` escaping them).
fn wildcards(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => out.push_str(".*"),
            '?' => out.push('.'),
            '\\' if matches!(chars.peek(), Some('*' | '?' | '\\')) => {
                out.push_str(&regex::escape(&chars.next().unwrap_or('\\').to_string()));
            }
            other => out.push_str(&regex::escape(&other.to_string())),
        }
    }
    out
}

/// Standard base64, padded.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}

/// The three ways `value` can appear inside base64 text, whatever its offset: as Sigma
/// does, the value after 0, 1 and 2 bytes, encoded, without the characters that depend
/// on what comes before or after it.
fn base64_offsets(value: &str) -> Vec<String> {
    (0..3)
        .map(|offset| {
            let mut bytes = vec![b' '; offset];
            bytes.extend_from_slice(value.as_bytes());
            let encoded = base64(&bytes);
            let start = [0, 2, 3][offset];
            let end = match (value.len() + offset) % 3 {
                0 => encoded.len(),
                1 => encoded.len().saturating_sub(3),
                _ => encoded.len().saturating_sub(2),
            };
            encoded.get(start..end.max(start)).unwrap_or("").to_owned()
        })
        .collect()
}

/// A command line's value with its option dashes written every way Windows accepts.
fn windash_variants(value: &str) -> Vec<String> {
    let dashes = ['-', '/', '\u{2013}', '\u{2014}', '\u{2015}'];
    let Some(first) = value.chars().next().filter(|c| dashes.contains(c)) else {
        return vec![value.to_owned()];
    };
    let rest = &value[first.len_utf8()..];
    dashes.iter().map(|d| format!("{d}{rest}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_and_escapes_read_as_sigma_says() {
        let re = |v: &str| regex::Regex::new(&format!("^{}$", wildcards(v))).unwrap();
        assert!(re("/admin*").is_match("/admin/login"));
        assert!(re("a?c").is_match("abc"));
        assert!(!re("a\\*c").is_match("abc"));
        assert!(re("a\\*c").is_match("a*c"));
        assert!(re("1.2.3.4").is_match("1.2.3.4"));
        assert!(!re("1.2.3.4").is_match("1x2x3x4"));
    }

    #[test]
    fn base64_offsets_are_sigmas() {
        // Python: base64.b64encode(i*b' '+v)[[0,2,3][i]:[None,-3,-2][(len(v)+i)%3]]
        assert_eq!(base64_offsets("whoami"), ["d2hvYW1p", "dob2Fta", "3aG9hbW"]);
        assert_eq!(
            base64_offsets("/etc/passwd"),
            ["L2V0Yy9wYXNzd2", "9ldGMvcGFzc3dk", "vZXRjL3Bhc3N3Z"]
        );
        assert_eq!(base64(b"ab"), "YWI=");
    }

    #[test]
    fn keywords_with_modifiers_need_every_value() {
        let rule = SigmaRule::from_document(&serde_json::json!({
            "title": "t",
            "logsource": { "category": "webserver" },
            "detection": { "keywords": { "|all": ["union", "select"] }, "condition": "keywords" }
        }))
        .unwrap();
        let now = crate::LogTime {
            epoch_secs: 1_717_200_000,
            offset_secs: 0,
        };
        let mut parser = crate::parse::LineParser::for_format(crate::LogFormat::Combined, now);
        let mut matches = |target: &str| {
            let line = format!(
                r#"1.2.3.4 - - [01/Mar/2024:10:00:00 +0000] "GET {target} HTTP/1.1" 200 1 "-" "x""#
            );
            rule.matches(&parser.parse(&line).unwrap().1)
        };
        assert!(matches("/a?q=1%20UNION%20SELECT%202"));
        assert!(!matches("/a?q=union"));
    }
}
