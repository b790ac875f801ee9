//! One Sigma rule, read from its document (YAML read into a `serde_json::Value`) and
//! compiled: each selection's field tests become regular expressions, its condition a
//! tree. What we cannot run (a modifier, a field, a log source) is an error that says so.

use super::condition::Condition;
use super::fields::{self, Source};
use crate::event::Event;
use regex::{Regex, RegexBuilder};
use serde_json::Value;

/// The most an expression may compile to, as for queries and custom rules.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

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
}

/// A rule ready to run.
#[derive(Debug, Clone)]
pub struct SigmaRule {
    /// What the rule says about itself.
    pub info: RuleInfo,
    pub(crate) source: Source,
    selections: Vec<Selection>,
    condition: Condition,
}

/// One named selection: keywords anywhere in the line, or maps of field tests (any map
/// whose every test passes).
#[derive(Debug, Clone)]
enum Selection {
    Keywords(Vec<Regex>),
    Maps(Vec<Vec<FieldTest>>),
}

/// One field's test: its values (any one, or all with `|all`) against the field's value;
/// an empty field is the keywords' text.
#[derive(Debug, Clone)]
struct FieldTest {
    field: String,
    matcher: Matcher,
}

#[derive(Debug, Clone)]
enum Matcher {
    /// Any of these expressions matches (one alternation), or with `all`, each does.
    Patterns { any: Option<Regex>, all: Vec<Regex> },
    /// The field is there (or not).
    Exists(bool),
    /// The field's value is absent or empty (`field: null`).
    Null,
}

impl SigmaRule {
    /// Reads and compiles the rule `document`; the error says what we cannot run.
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
        let info = RuleInfo {
            title: text("title"),
            id: text("id"),
            level: text("level"),
            description: text("description"),
            author: text("author"),
            tags: list("tags"),
            references: list("references"),
        };
        if info.title.is_empty() {
            return Err("it has no title".to_owned());
        }
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
        if detection.contains_key("timeframe") {
            return Err("timeframe (a correlation over time) is not supported yet".to_owned());
        }
        let mut names = Vec::new();
        let mut selections = Vec::new();
        for (name, definition) in detection {
            if name == "condition" {
                continue;
            }
            names.push(name.clone());
            selections.push(
                selection(definition, source).map_err(|e| format!("selection \"{name}\": {e}"))?,
            );
        }
        let condition = match detection.get("condition") {
            Some(Value::String(text)) => Condition::parse(text, &names)?,
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
        })
    }

    /// Whether the line parsed as `event` matches.
    pub fn matches(&self, event: &Event<'_>) -> bool {
        let matched = |i: usize| self.selections[i].matches(event);
        self.condition.holds(&matched)
    }
}

impl Selection {
    fn matches(&self, event: &Event<'_>) -> bool {
        match self {
            Self::Keywords(words) => {
                let text = fields::keyword_text(event);
                words.iter().any(|w| w.is_match(&text))
            }
            Self::Maps(maps) => maps
                .iter()
                .any(|tests| tests.iter().all(|test| test.passes(event))),
        }
    }
}

impl FieldTest {
    fn passes(&self, event: &Event<'_>) -> bool {
        let value = if self.field.is_empty() {
            Some(fields::keyword_text(event))
        } else {
            fields::value(&self.field, event)
        };
        match &self.matcher {
            Matcher::Exists(wanted) => value.is_some() == *wanted,
            Matcher::Null => value.is_none_or(|v| v.is_empty()),
            Matcher::Patterns { any, all } => value.is_some_and(|v| {
                any.as_ref().is_none_or(|re| re.is_match(&v))
                    && all.iter().all(|re| re.is_match(&v))
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
fn keyword(value: &str) -> Result<Regex, String> {
    compile(&pattern_source(value, &Modifiers::contains())?, "i")
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
            let field = parts.next().unwrap_or_default().to_owned();
            // `'|all': [...]` and the like: keywords, with modifiers.
            let keywords = field.is_empty();
            if !keywords && !fields::is_known(source, &field) {
                return Err(format!(
                    "the field {field} is not one loglens maps for this logsource"
                ));
            }
            let mut modifiers = Modifiers::read(&parts.collect::<Vec<_>>())?;
            modifiers.contains |= keywords;
            let values: Vec<&Value> = match values {
                Value::Array(items) => items.iter().collect(),
                one => vec![one],
            };
            let matcher = if modifiers.exists {
                Matcher::Exists(values.first().and_then(|v| v.as_bool()).unwrap_or(true))
            } else if values.iter().all(|v| v.is_null()) {
                Matcher::Null
            } else {
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
                        .iter()
                        .map(|p| compile(p, &flags))
                        .collect::<Result<Vec<_>, _>>()?;
                    Matcher::Patterns { any: None, all }
                } else {
                    let alternation = patterns
                        .iter()
                        .map(|p| format!("(?:{p})"))
                        .collect::<Vec<_>>()
                        .join("|");
                    Matcher::Patterns {
                        any: Some(compile(&alternation, &flags)?),
                        all: Vec::new(),
                    }
                }
            };
            Ok(FieldTest { field, matcher })
        })
        .collect()
}

/// A value as a regular expression (before case flags), as its modifiers read it.
fn pattern_source(value: &str, m: &Modifiers) -> Result<String, String> {
    if m.regex {
        return Ok(value.to_owned());
    }
    if m.cidr {
        return Err("the modifier |cidr is not supported yet".to_owned());
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

fn compile(pattern: &str, flags: &str) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .case_insensitive(flags.contains('i'))
        .multi_line(flags.contains('m'))
        .dot_matches_new_line(flags.contains('s'))
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| {
            format!(
                "an expression is not valid: {}",
                e.to_string().lines().last().unwrap_or("")
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_and_escapes_read_as_sigma_says() {
        let re = |v: &str| Regex::new(&format!("^{}$", wildcards(v))).unwrap();
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
