//! Sigma correlations: a finding when rules match often enough, or with enough distinct
//! values of a field, for one group (a client, a user, a host) within a time span. Both
//! ways Sigma writes them are read: a correlation rule of Sigma 2 (`correlation:` with
//! `type: event_count` or `value_count`, `rules`, `group-by`, `timespan` and a
//! `condition` of `gt` or `gte`), and a rule's own `condition: selection | count() by
//! c-ip > 10` with its `timeframe`.
//!
//! A correlation holds on a group's `at_least` latest matches, in the order the log wrote
//! them, when they lie within the time span of each other (a log a little out of time
//! order, as Apache's, is read as written). What is kept is bounded: per group only those
//! latest matches, groups up to [`MAX_TRACKED_CLIENTS`], and at most
//! [`MAX_KEPT_MATCHES`] matches per correlation; lines of groups beyond are counted as
//! left out.

use super::fields::{Field, Source};
use super::rule::{Aggregation, RuleInfo, SigmaRule};
use crate::event::Event;
use crate::limits::MAX_TRACKED_CLIENTS;
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasher;

/// The largest count a correlation may ask for.
const MAX_AT_LEAST: u64 = 10_000;
/// The most matches one correlation keeps in all its groups' windows.
pub const MAX_KEPT_MATCHES: usize = 1_000_000;

/// What a correlation counts in its window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counting {
    /// The lines its rules match.
    Events,
    /// The distinct values of a field among those lines.
    DistinctValues(Field),
}

/// A correlation ready to run.
#[derive(Debug, Clone)]
pub struct Correlation {
    /// What it says about itself (a correlation rule's own, or its rule's).
    pub info: RuleInfo,
    /// What it counts.
    pub counting: Counting,
    /// The set's rules whose matches it counts.
    pub rules: Vec<usize>,
    /// The fields whose values make a group, in order.
    pub group_by: Vec<Field>,
    /// The window, in seconds; `None` counts over the whole log.
    pub timespan_secs: Option<i64>,
    /// The count that fires it.
    pub at_least: u64,
    /// Its condition in words: "at least 10 matches within 5m".
    pub summary: String,
}

impl Correlation {
    /// The correlation of a Sigma 2 correlation `document` over the set's `rules`.
    pub fn from_document(document: &Value, rules: &[SigmaRule]) -> Result<Self, String> {
        let info = RuleInfo::from_document(document)?;
        let correlation = document.get("correlation").ok_or("it has no correlation")?;
        let kind = correlation
            .get("type")
            .and_then(Value::as_str)
            .ok_or("its correlation has no type")?;
        let named = match correlation.get("rules") {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            Some(Value::String(one)) => vec![one.as_str()],
            _ => return Err("its correlation names no rules".to_owned()),
        };
        let mut indices = Vec::new();
        for name in named {
            let index = rules
                .iter()
                .position(|r| r.info.id == name || (!r.info.name.is_empty() && r.info.name == name))
                .ok_or_else(|| {
                    format!("the rule \"{name}\" it correlates is not among the rules that run")
                })?;
            indices.push(index);
        }
        let source = one_source(&indices, rules)?;
        let group_by = match correlation.get("group-by") {
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| field(source, item.as_str().unwrap_or("")))
                .collect::<Result<_, _>>()?,
            None => Vec::new(),
            Some(_) => return Err("its group-by is not a list of fields".to_owned()),
        };
        let timespan = correlation
            .get("timespan")
            .or_else(|| correlation.get("timeframe"))
            .and_then(Value::as_str)
            .ok_or("its correlation has no timespan")?;
        let condition = correlation
            .get("condition")
            .and_then(Value::as_object)
            .ok_or("its correlation has no condition")?;
        let mut at_least = None;
        let mut counted_field = None;
        for (key, value) in condition {
            let number = || {
                value
                    .as_u64()
                    .ok_or_else(|| format!("its condition's {key} is not a whole number"))
            };
            match key.as_str() {
                "gte" => at_least = Some(number()?),
                "gt" => at_least = Some(number()?.saturating_add(1)),
                "field" => counted_field = value.as_str(),
                other => {
                    return Err(format!(
                        "the correlation condition \"{other}\" is not supported (only gt and gte)"
                    ));
                }
            }
        }
        let at_least = at_least.ok_or("its condition has neither gt nor gte")?;
        let counting = match (kind, counted_field) {
            ("event_count", _) => Counting::Events,
            ("value_count", Some(name)) => Counting::DistinctValues(field(source, name)?),
            ("value_count", None) => {
                return Err("its value_count condition names no field".to_owned());
            }
            (other, _) => {
                return Err(format!(
                    "the correlation type {other} is not supported (only event_count and value_count)"
                ));
            }
        };
        Self::new(info, counting, indices, group_by, Some(timespan), at_least)
    }

    /// The correlation a rule's own aggregation (`count() by c-ip > 10`) makes over it,
    /// the rule at `index` among the set's `rules`.
    pub fn from_aggregation(
        index: usize,
        rules: &[SigmaRule],
        aggregation: &Aggregation,
    ) -> Result<Self, String> {
        let rule = &rules[index];
        let words: Vec<&str> = aggregation
            .text
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .collect();
        let Some(call) = words.first().and_then(|w| w.strip_prefix("count(")) else {
            return Err(format!(
                "the aggregation \"{}\" is not supported (only count())",
                aggregation.text.trim()
            ));
        };
        let counted = call.strip_suffix(')').ok_or("its count( is not closed")?;
        let counting = if counted.is_empty() {
            Counting::Events
        } else {
            Counting::DistinctValues(field(rule.source, counted)?)
        };
        let mut rest = &words[1..];
        let mut group_by = Vec::new();
        if rest.first() == Some(&"by") {
            rest = &rest[1..];
            while rest.len() > 2 {
                group_by.push(field(rule.source, rest[0])?);
                rest = &rest[1..];
            }
        }
        let (operator, number) = match rest {
            [operator, number] => (*operator, *number),
            _ => {
                return Err(format!(
                    "cannot read the aggregation \"{}\"",
                    aggregation.text.trim()
                ));
            }
        };
        let number: u64 = number
            .parse()
            .map_err(|_| format!("the aggregation's count {number} is not a whole number"))?;
        let at_least = match operator {
            ">" => number.saturating_add(1),
            ">=" => number,
            other => {
                return Err(format!(
                    "the aggregation's comparison {other} is not supported (only > and >=)"
                ));
            }
        };
        Self::new(
            rule.info.clone(),
            counting,
            vec![index],
            group_by,
            aggregation.timeframe.as_deref(),
            at_least,
        )
    }

    fn new(
        info: RuleInfo,
        counting: Counting,
        rules: Vec<usize>,
        group_by: Vec<Field>,
        timespan: Option<&str>,
        at_least: u64,
    ) -> Result<Self, String> {
        if at_least > MAX_AT_LEAST {
            return Err(format!("a count above {MAX_AT_LEAST} is not supported"));
        }
        let timespan_secs = timespan.map(seconds).transpose()?;
        let counted = match counting {
            Counting::Events => "matches".to_owned(),
            Counting::DistinctValues(field) => format!("distinct values of {}", field.name()),
        };
        let within = match timespan {
            Some(span) => format!(" within {span}"),
            None => String::new(),
        };
        Ok(Self {
            summary: format!("at least {at_least} {counted}{within}"),
            info,
            counting,
            rules,
            group_by,
            timespan_secs,
            at_least: at_least.max(1),
        })
    }

    /// The group of a line: its values of the group-by fields, ", " apart; `-` for an
    /// empty one.
    pub fn group(&self, event: &Event<'_>) -> String {
        let mut group = String::new();
        for (i, field) in self.group_by.iter().enumerate() {
            if i > 0 {
                group.push_str(", ");
            }
            match field.value(event).filter(|v| !v.is_empty()) {
                Some(value) => group.push_str(&value),
                None => group.push('-'),
            }
        }
        group
    }
}

/// The log source every rule of `indices` reads: their fields mean one thing.
fn one_source(indices: &[usize], rules: &[SigmaRule]) -> Result<Source, String> {
    let mut sources = indices.iter().map(|&i| rules[i].source);
    let first = sources.next().ok_or("its correlation names no rules")?;
    if sources.any(|s| s != first) {
        return Err("it correlates rules of different log sources".to_owned());
    }
    Ok(first)
}

fn field(source: Source, name: &str) -> Result<Field, String> {
    Field::named(source, name)
        .ok_or_else(|| format!("the field {name} is not one loglens maps for this logsource"))
}

/// Seconds in a Sigma time span: `30s`, `5m`, `1h`, `2d`.
fn seconds(span: &str) -> Result<i64, String> {
    let span = span.trim();
    let unit = match span.chars().last() {
        Some('s') => 1,
        Some('m') => 60,
        Some('h') => 3_600,
        Some('d') => 86_400,
        _ => {
            return Err(format!(
                "the time span \"{span}\" has no unit (s, m, h or d)"
            ));
        }
    };
    span[..span.len() - 1]
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .and_then(|n| n.checked_mul(unit))
        .ok_or_else(|| format!("the time span \"{span}\" is not a whole number of units"))
}

/// One group's window: its latest matches (time, line and, when values are counted, a
/// hash of the value: a line's value may be long), oldest first.
#[derive(Debug, Clone, Default)]
struct Window {
    matches: VecDeque<(i64, u64, u64)>,
    /// The last line added to the evidence, so none is added twice.
    last_reported: u64,
}

/// A correlation's windows while a log is read, and the lines that made it fire, per
/// group.
#[derive(Debug, Clone, Default)]
pub struct CorrelationState {
    windows: HashMap<String, Window>,
    kept: usize,
    left_out: u64,
}

impl CorrelationState {
    /// Counts line `line_no` (at `time`, with `value` of the counted field if any) for
    /// `group`; gives the lines (with their times) that make the correlation hold, not
    /// given before. It holds on the `at_least` latest matches of the group (of distinct
    /// values, for a value count) in the order logged, when they lie within the time
    /// span of each other.
    pub fn observe(
        &mut self,
        correlation: &Correlation,
        group: String,
        time: i64,
        line_no: u64,
        value: &str,
        fired: &mut Vec<(u64, i64)>,
    ) {
        if !self.windows.contains_key(&group)
            && (self.windows.len() >= MAX_TRACKED_CLIENTS || self.kept >= MAX_KEPT_MATCHES)
        {
            self.left_out += 1;
            return;
        }
        let window = self.windows.entry(group).or_default();
        let before = window.matches.len();
        // A window grows up to the count asked, while the correlation keeps room.
        let at_least = usize::try_from(correlation.at_least).unwrap_or(usize::MAX);
        let most = if self.kept < MAX_KEPT_MATCHES {
            at_least
        } else {
            before.max(1)
        };
        let value = match correlation.counting {
            Counting::Events => 0,
            Counting::DistinctValues(_) => {
                let value = rustc_hash::FxBuildHasher.hash_one(value);
                // Only the latest match of each value counts.
                if let Some(at) = window.matches.iter().position(|(_, _, v)| *v == value) {
                    window.matches.remove(at);
                }
                value
            }
        };
        window.matches.push_back((time, line_no, value));
        while window.matches.len() > most {
            window.matches.pop_front();
        }
        self.kept = (self.kept + window.matches.len()).saturating_sub(before);
        if window.matches.len() < at_least {
            return;
        }
        // The matches in the order logged, all within the span of each other: a log
        // written a little out of time order is read as it was written.
        if let Some(span) = correlation.timespan_secs {
            let times = window.matches.iter().map(|(t, _, _)| *t);
            let (first, last) =
                times.fold((i64::MAX, i64::MIN), |(lo, hi), t| (lo.min(t), hi.max(t)));
            if last.saturating_sub(first) > span {
                return;
            }
        }
        let mut lines: Vec<(u64, i64)> = window
            .matches
            .iter()
            .map(|(time, line, _)| (*line, *time))
            .filter(|&(line, _)| line > window.last_reported)
            .collect();
        lines.sort_unstable();
        if let Some(&(last, _)) = lines.last() {
            window.last_reported = last;
        }
        fired.extend(lines);
    }

    /// Lines of groups beyond the most kept.
    pub fn left_out(&self) -> u64 {
        self.left_out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(yaml_like: Value) -> SigmaRule {
        SigmaRule::from_document(&yaml_like).unwrap()
    }

    fn web_rule(id: &str) -> SigmaRule {
        rule(serde_json::json!({
            "title": "Not found", "id": id, "name": "not_found",
            "logsource": {"category": "webserver"},
            "detection": {"selection": {"sc-status": 404}, "condition": "selection"}
        }))
    }

    #[test]
    fn a_correlation_rule_reads_its_rules_groups_span_and_count() {
        let rules = [web_rule("r1")];
        let document = serde_json::json!({
            "title": "Many not found", "id": "c1", "level": "high",
            "correlation": {"type": "event_count", "rules": ["not_found"],
                "group-by": ["c-ip"], "timespan": "5m", "condition": {"gt": 9}}
        });
        let c = Correlation::from_document(&document, &rules).unwrap();
        assert_eq!(c.rules, [0]);
        assert_eq!(c.group_by, [Field::Client]);
        assert_eq!(c.timespan_secs, Some(300));
        assert_eq!(c.at_least, 10);
        assert_eq!(c.summary, "at least 10 matches within 5m");
    }

    #[test]
    fn what_a_correlation_cannot_do_is_said() {
        let rules = [web_rule("r1")];
        let refused = |correlation: Value| {
            let document = serde_json::json!({"title": "t", "correlation": correlation});
            Correlation::from_document(&document, &rules).unwrap_err()
        };
        let base = |extra: Value| {
            let mut c = serde_json::json!({"type": "event_count", "rules": ["r1"], "timespan": "1h", "condition": {"gte": 3}});
            for (k, v) in extra.as_object().unwrap() {
                c[k] = v.clone();
            }
            c
        };
        assert!(refused(base(serde_json::json!({"type": "temporal"}))).contains("temporal"));
        assert!(refused(base(serde_json::json!({"rules": ["nope"]}))).contains("\"nope\""));
        assert!(refused(base(serde_json::json!({"condition": {"lt": 3}}))).contains("\"lt\""));
        assert!(refused(base(serde_json::json!({"timespan": "5 minutes"}))).contains("time span"));
        assert!(
            refused(base(serde_json::json!({"group-by": ["cs-cookie"]}))).contains("cs-cookie")
        );
        assert!(refused(base(serde_json::json!({"condition": {"gte": 20000}}))).contains("above"));
        assert!(
            refused(base(serde_json::json!({"condition": {"gt": u64::MAX}}))).contains("above")
        );
        assert!(
            refused(base(serde_json::json!({"timespan": "9999999999999999d"})))
                .contains("time span")
        );
    }

    #[test]
    fn an_aggregation_in_a_rule_condition_reads_as_a_correlation() {
        let rules = [web_rule("r1")];
        let read = |text: &str| {
            let aggregation = Aggregation {
                text: text.to_owned(),
                timeframe: Some("10m".to_owned()),
            };
            Correlation::from_aggregation(0, &rules, &aggregation)
        };
        let c = read(" count() by c-ip > 4").unwrap();
        assert_eq!(
            (c.at_least, c.group_by.clone(), c.timespan_secs),
            (5, vec![Field::Client], Some(600))
        );
        let c = read("count(cs-uri-stem) by c-ip >= 20").unwrap();
        assert_eq!(c.counting, Counting::DistinctValues(Field::Path));
        assert_eq!(
            c.summary,
            "at least 20 distinct values of cs-uri-stem within 10m"
        );
        assert!(
            read("near selection2")
                .unwrap_err()
                .contains("only count()")
        );
        assert!(read("count() by c-ip < 4").unwrap_err().contains("<"));
    }

    /// The lines that made `correlation` hold among `matches` (group, time, value).
    fn counts(correlation: &Correlation, matches: &[(&str, i64, &str)]) -> Vec<u64> {
        let mut state = CorrelationState::default();
        let mut fired = Vec::new();
        for (line, (group, time, value)) in matches.iter().enumerate() {
            state.observe(
                correlation,
                (*group).to_owned(),
                *time,
                line as u64 + 1,
                value,
                &mut fired,
            );
        }
        fired.into_iter().map(|(line, _)| line).collect()
    }

    fn correlation(counting: Counting, at_least: u64, span: i64) -> Correlation {
        Correlation {
            info: RuleInfo::default(),
            counting,
            rules: vec![0],
            group_by: vec![Field::Client],
            timespan_secs: Some(span),
            at_least,
            summary: String::new(),
        }
    }

    #[test]
    fn matches_fire_when_enough_fall_in_one_window_of_one_group() {
        let c = correlation(Counting::Events, 3, 60);
        // a: three within 60 s (lines 1, 3, 4), then a fourth; b: three spread over hours.
        let fired = counts(
            &c,
            &[
                ("a", 0, ""),
                ("b", 0, ""),
                ("a", 30, ""),
                ("a", 59, ""),
                ("b", 3600, ""),
                ("a", 70, ""),
                ("b", 7200, ""),
            ],
        );
        assert_eq!(fired, [1, 3, 4, 6]);
        // Spread out, nothing fires.
        assert!(counts(&c, &[("a", 0, ""), ("a", 61, ""), ("a", 122, "")]).is_empty());
    }

    #[test]
    fn matches_out_of_time_order_hold_only_when_all_lie_within_the_span() {
        let c = correlation(Counting::Events, 3, 10);
        // Logged at 17, 43, 6: no 10 s hold three of them.
        assert!(counts(&c, &[("a", 17, ""), ("a", 43, ""), ("a", 6, "")]).is_empty());
        // At 5, 1, 9: all within 10 s of each other, whatever their order.
        assert_eq!(
            counts(&c, &[("a", 5, ""), ("a", 1, ""), ("a", 9, "")]),
            [1, 2, 3]
        );
    }

    #[test]
    fn distinct_values_count_each_value_once() {
        let c = correlation(Counting::DistinctValues(Field::Path), 3, 60);
        assert!(
            counts(
                &c,
                &[
                    ("a", 0, "/x"),
                    ("a", 1, "/x"),
                    ("a", 2, "/y"),
                    ("a", 3, "/y")
                ]
            )
            .is_empty()
        );
        assert_eq!(
            counts(
                &c,
                &[
                    ("a", 0, "/x"),
                    ("a", 1, "/x"),
                    ("a", 2, "/y"),
                    ("a", 3, "/z")
                ]
            ),
            [2, 3, 4]
        );
    }
}
