//! Queries over every line of a log, for the analyst's next question ("every 5xx on
//! /api", "every line with default.ida").
//!
//! | query | matches a line |
//! |---|---|
//! | `/expression/`, `/expression/i` | whose raw text matches the regular expression (`i`: ignoring case) |
//! | `word`, `"some words"` | whose raw text holds it, ignoring case |
//! | `field=value`, `field!=value` | whose field is exactly the value (a method or level in any case; `status=5xx` a class) |
//! | `field>=n`, `>`, `<=`, `<` | whose number field compares so |
//! | `field~expression`, `field!~expression` | whose field matches the regular expression, ignoring case |
//! | `time>=2024-03-01T10:00`, `time=2024-03-01`, … | whose time compares so with the day, hour, minute or second written (see [`TimeBound`]) |
//! | `a and b` (or `a b`), `a or b`, `not a`, `( … )` | as they say; `and` binds tighter than `or` |
//! | `*` | every line: with nothing else, the file's overview |
//!
//! Fields (see [`QueryField`]): `client`, `method`, `path` (without the query string),
//! `target`, `status`, `bytes`, `duration`, `ua`, `referer`, `user`, `host`, `program`,
//! `message`, `level` (syslog's, by number or name: `level<=error`), `destination`,
//! `port`, and from the user agent `browser` (`Firefox`, `Chrome`, … `robot`), `os` and
//! `visitor` (`person`, `robot`, `unknown`). A test of a field the line does not have is false, so `not` of it is true.
//! [`QueryScan`] runs a query over a whole input as it streams.

mod comparison;
mod scan;
mod summary;
mod syntax;
mod table;
mod time_bound;

pub use crate::line_fields::{FieldValue, QueryField};
pub use scan::{MAX_PAGE_LINES, QueryOutcome, QueryScan};
pub use summary::{DayCount, Inventory, MatchSummary};
pub use syntax::{MAX_QUERY_CHARS, QueryError};
pub use table::{MATCH_COLUMNS, MAX_TABLE_ROWS, MatchTable, match_row};
pub use time_bound::{TIME_FORMS, TimeBound};

use crate::detect::{CustomRule, RuleField, RuleTest};
use crate::event::Event;
use crate::finding::Severity;
use comparison::Comparison;
use syntax::{Node, Test};

/// A query, read and compiled once; see the module docs for the language.
#[derive(Debug, Clone)]
pub struct Query {
    root: Node,
    text: String,
}

impl Query {
    /// Reads `text`; the error says where and why it is not a query.
    pub fn parse(text: &str) -> Result<Self, QueryError> {
        Ok(Self {
            root: syntax::parse(text)?,
            text: text.trim().to_owned(),
        })
    }

    /// The query as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The custom rule this query is, when it is one test a rule can make: a field that
    /// rules know (`path` is not one: a rule's path holds the query string, so `target`
    /// is), matched by an expression, equal to a value, or a number at least or at most
    /// one. Named after the query, at High, for every line.
    pub fn as_rule(&self) -> Option<CustomRule> {
        let Node::Term(field, test) = &self.root else {
            return None;
        };
        let field = RuleField::ALL
            .into_iter()
            .find(|rule_field| rule_field.line_field() == *field)?;
        let test = match test {
            // A rule's expressions keep their case: the query's ignore it.
            Test::Matches {
                regex,
                negated: false,
            } => RuleTest::Matches(format!("(?i){}", regex.as_str())),
            Test::TextEquals {
                value,
                negated: false,
            } if field != RuleField::Method => RuleTest::Equals(value.clone()),
            Test::Compare(Comparison::Equal, n) => RuleTest::Equals(number_text(*n)),
            Test::Compare(Comparison::GreaterOrEqual, n) => RuleTest::AtLeast(*n),
            Test::Compare(Comparison::LessOrEqual, n) => RuleTest::AtMost(*n),
            _ => return None,
        };
        let rule = CustomRule {
            name: self.text.chars().take(80).collect(),
            field,
            test,
            severity: Severity::High,
            min_lines: 1,
        };
        rule.check().is_ok().then_some(rule)
    }

    /// Whether the line `raw` (parsed as `event`, if it parsed) matches.
    pub fn matches(&self, raw: &str, event: Option<&Event<'_>>) -> bool {
        holds(&self.root, raw, event)
    }
}

fn holds(node: &Node, raw: &str, event: Option<&Event<'_>>) -> bool {
    match node {
        Node::And(left, right) => holds(left, raw, event) && holds(right, raw, event),
        Node::Or(left, right) => holds(left, raw, event) || holds(right, raw, event),
        Node::Not(inner) => !holds(inner, raw, event),
        Node::Every => true,
        Node::Line(regex) => regex.is_match(raw),
        Node::Term(field, test) => event
            .and_then(|event| field.value_in(event))
            .is_some_and(|value| passes(*field, test, value)),
        Node::Time(comparison, bound) => event.is_some_and(|e| bound.holds(*comparison, e.time())),
    }
}

fn passes(field: QueryField, test: &Test, value: FieldValue<'_>) -> bool {
    match (test, value) {
        (
            Test::TextEquals {
                value: wanted,
                negated,
            },
            FieldValue::Text(text),
        ) => {
            let equal = if field.equals_any_case() {
                text.eq_ignore_ascii_case(wanted)
            } else {
                text == wanted
            };
            equal != *negated
        }
        (Test::TextEquals { .. }, FieldValue::Number(_)) => false,
        (Test::Compare(comparison, wanted), FieldValue::Number(n)) => match comparison {
            Comparison::Equal => n == *wanted,
            Comparison::NotEqual => n != *wanted,
            Comparison::Less => n < *wanted,
            Comparison::LessOrEqual => n <= *wanted,
            Comparison::Greater => n > *wanted,
            Comparison::GreaterOrEqual => n >= *wanted,
        },
        (Test::Compare(..), FieldValue::Text(_)) => false,
        (Test::StatusClass { class, negated }, FieldValue::Number(n)) => {
            ((n / 100.0).floor() == f64::from(*class)) != *negated
        }
        (Test::StatusClass { .. }, FieldValue::Text(_)) => false,
        (Test::Matches { regex, negated }, FieldValue::Text(text)) => {
            regex.is_match(text) != *negated
        }
        (Test::Matches { regex, negated }, FieldValue::Number(n)) => {
            regex.is_match(&number_text(n)) != *negated
        }
    }
}

/// A number as the log wrote it: `404`, `0.25`.
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LogTime;
    use crate::parse::{LineParser, LogFormat};

    const NOW: LogTime = LogTime {
        epoch_secs: 1_717_200_000,
        offset_secs: 0,
    };
    const API_500: &str = r#"203.0.113.9 - - [01/Mar/2024:10:00:00 +0000] "POST /api/orders?id=7 HTTP/1.1" 500 12 "-" "Googlebot/2.1""#;
    const PAGE_200: &str = r#"10.0.0.1 - alice [01/Mar/2024:10:00:01 +0000] "GET /index.html HTTP/1.1" 200 5120 "https://example.com/" "Mozilla/5.0""#;
    const IIS_WORM: &str = r#"192.0.2.4 - - [01/Mar/2024:10:00:02 +0000] "GET /default.ida?NNNNNNNN HTTP/1.0" 404 0 "-" "-""#;
    const SSHD: &str =
        "Mar  1 10:00:03 web1 sshd[42]: Failed password for root from 198.51.100.7 port 22 ssh2";

    /// The lines `query` matches, by index.
    fn matching(query: &str, lines: &[&str]) -> Vec<usize> {
        let query = Query::parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
        let mut access = LineParser::for_format(LogFormat::Combined, NOW);
        let mut syslog = LineParser::for_format(LogFormat::Syslog3164, NOW);
        lines
            .iter()
            .enumerate()
            .filter(|(_, line)| {
                let parsed = match access.parse(line) {
                    Ok(parsed) => Some(parsed),
                    Err(_) => syslog.parse(line).ok(),
                };
                query.matches(line, parsed.as_ref().map(|(_, event)| event))
            })
            .map(|(index, _)| index)
            .collect()
    }

    const LINES: [&str; 4] = [API_500, PAGE_200, IIS_WORM, SSHD];

    #[test]
    fn field_tests_pick_the_lines_they_name() {
        assert_eq!(matching("status>=500", &LINES), [0]);
        assert_eq!(matching(r#"status>=500 and path~"^/api""#, &LINES), [0]);
        assert_eq!(matching("status=5xx", &LINES), [0]);
        assert_eq!(matching("status!=4xx", &LINES), [0, 1]);
        assert_eq!(matching("client=10.0.0.1", &LINES), [1]);
        assert_eq!(matching("client=198.51.100.7", &LINES), [3]);
        assert_eq!(matching("ua~bot", &LINES), [0]);
        assert_eq!(matching("ua~BOT", &LINES), [0]);
        assert_eq!(matching("method=get", &LINES), [1, 2]);
        assert_eq!(matching("user=root", &LINES), [3]);
        assert_eq!(matching("user=alice", &LINES), [1]);
        assert_eq!(matching("path=/api/orders", &LINES), [0]);
        assert_eq!(matching("target~id=7", &LINES), [0]);
        assert_eq!(matching("bytes>1000", &LINES), [1]);
        assert_eq!(matching("program=sshd", &LINES), [3]);
        assert_eq!(matching("browser=firefox or visitor=robot", &LINES), [0]);
        assert_eq!(matching("visitor=person and os=unknown", &LINES), [1]);
        assert_eq!(matching("visitor=unknown", &LINES), [2]);
        assert_eq!(matching("status~^40", &LINES), [2]);
    }

    #[test]
    fn time_tests_take_the_period_written() {
        assert_eq!(matching("time>=2024-03-01T10:00:02", &LINES), [2, 3]);
        assert_eq!(matching("time<2024-03-01T10:00:01", &LINES), [0]);
        assert_eq!(matching("time=2024-03-01T10:00", &LINES), [0, 1, 2, 3]);
        assert_eq!(matching("time=2024-03-01T10:00:01Z", &LINES), [1]);
        assert_eq!(
            matching(
                "time>2024-03-01T10:00:00 and time<=2024-03-01T10:00:02",
                &LINES
            ),
            [1, 2]
        );
        assert_eq!(matching("time>2024-03-01", &LINES), Vec::<usize>::new());
        assert_eq!(
            matching("TIME!=2024-03-01T10:00:03+00:00", &LINES),
            [0, 1, 2]
        );
        assert_eq!(
            Query::parse("time~10").unwrap_err().to_string(),
            "at character 1: time is compared with =, !=, <, <=, > or >="
        );
        assert_eq!(
            Query::parse("time>=yesterday").unwrap_err().to_string(),
            "at character 7: \"yesterday\" is not a time: write 2024-03-01, 2024-03-01T10:00 or 2024-03-01T10:00:00+01:00"
        );
        assert_eq!(Query::parse("time>=2024-03-01").unwrap().as_rule(), None);
    }

    #[test]
    fn words_and_expressions_search_the_raw_line() {
        assert_eq!(matching("default.ida", &LINES), [2]);
        assert_eq!(matching("*", &LINES), [0, 1, 2, 3]);
        assert_eq!(matching("* and status>=500", &LINES), [0]);
        assert_eq!(matching("*.ida", &LINES), Vec::<usize>::new());
        assert_eq!(matching("DEFAULT.IDA", &LINES), [2]);
        assert_eq!(matching(r#""failed password""#, &LINES), [3]);
        assert_eq!(matching("/Failed password/", &LINES), [3]);
        assert_eq!(matching("/failed password/", &LINES), Vec::<usize>::new());
        assert_eq!(matching("/failed password/i", &LINES), [3]);
        assert_eq!(matching(r"/\/api\//", &LINES), [0]);
    }

    #[test]
    fn and_binds_tighter_than_or_and_not_negates() {
        assert_eq!(
            matching("status=200 or status=404 and method=get", &LINES),
            [1, 2]
        );
        assert_eq!(
            matching("(status=200 or status=404) and bytes>0", &LINES),
            [1]
        );
        assert_eq!(matching("not status>=400", &LINES), [1, 3]);
        assert_eq!(matching("not (status>=400 or program=sshd)", &LINES), [1]);
        assert_eq!(matching("NOT method=POST AND ua~mozilla", &LINES), [1]);
        // A missing field fails its test, so its negation holds.
        assert_eq!(matching("not program=sshd", &LINES), [0, 1, 2]);
        assert_eq!(matching("program!=sshd", &LINES), Vec::<usize>::new());
    }

    #[test]
    fn one_test_becomes_a_rule_that_finds_the_same_lines() {
        let rule = |text: &str| Query::parse(text).unwrap().as_rule();
        let ua = rule("ua~bot").unwrap();
        assert_eq!(
            (ua.field, ua.test.clone()),
            (
                RuleField::UserAgent,
                RuleTest::Matches("(?i)bot".to_owned())
            )
        );
        assert_eq!(ua.name, "ua~bot");
        assert_eq!(rule("status>=500").unwrap().test, RuleTest::AtLeast(500.0));
        assert_eq!(
            rule("status=404").unwrap().test,
            RuleTest::Equals("404".to_owned())
        );
        assert_eq!(rule("target~cmd.exe").unwrap().field, RuleField::Path);
        assert_eq!(
            rule("user=root").unwrap().test,
            RuleTest::Equals("root".to_owned())
        );
        for not_a_rule in [
            "status>=500 and ua~bot",
            "not ua~bot",
            "ua!~bot",
            "path~^/api",
            "/x/",
            "status=5xx",
            "status>500",
            "method=get",
        ] {
            assert_eq!(rule(not_a_rule), None, "{not_a_rule}");
        }
    }

    #[test]
    fn errors_say_where_and_why() {
        let error = |text: &str| Query::parse(text).unwrap_err();
        assert!(error("").problem.starts_with("the query is empty"));
        assert_eq!(
            error("status>=abc"),
            QueryError {
                at: 9,
                problem: "status is a number, and \"abc\" is not one".to_owned()
            }
        );
        let unknown = error("colour=red");
        assert_eq!(unknown.at, 1);
        assert!(
            unknown
                .problem
                .starts_with("\"colour\" is not a field; the fields are time, client, method"),
            "{unknown}"
        );
        assert_eq!(error("path~(api").at, 6);
        assert!(
            error("path~(api")
                .problem
                .starts_with("the expression is not valid: "),
            "{}",
            error("path~(api")
        );
        assert_eq!(
            error("(status=500").to_string(),
            "at character 1: this ( is never closed"
        );
        assert_eq!(
            error("status=500)").to_string(),
            "at character 11: this ) closes no ("
        );
        assert_eq!(
            error("/abc").to_string(),
            "at character 1: this /expression/ has no closing /"
        );
        assert_eq!(
            error("ua~\"bot").to_string(),
            "at character 4: this quote is never closed"
        );
        assert_eq!(
            error("path>3").to_string(),
            "at character 1: path is text: compare it with =, != or ~ (a regular expression)"
        );
        assert_eq!(
            error("status>=").to_string(),
            "at character 9: status>= needs a value after it"
        );
        assert_eq!(
            error("=500").to_string(),
            "at character 1: \"=\" needs a field before it, as in status>=500"
        );
        assert_eq!(
            error("status=500 or").to_string(),
            "at character 14: the query ends where a test was expected"
        );
        assert!(
            Query::parse(&"(".repeat(100))
                .unwrap_err()
                .problem
                .contains("nest")
        );
        assert!(Query::parse(&"a".repeat(MAX_QUERY_CHARS + 1)).is_err());
    }
}
