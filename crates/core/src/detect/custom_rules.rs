//! Rules people write themselves: a field, a test (a regular expression, a threshold or an
//! exact value) and the severity they mean.
//!
//! **What it detects:** whatever the analyst knows to look for here and no built-in
//! detector does: a path only the old admin tool used, a user agent of the red team, a
//! response size no page should have, a port nobody should reach. Lines that pass a rule
//! make one finding per client and rule, once a client has `min_lines` of them.
//!
//! **Why it matters:** every site has its own "never". A rule turns it into a finding
//! with the same evidence, table and exports as the built-in ones.
//!
//! **Example rule** (JSON, as the page exports it and `--rules` reads it):
//! ```json
//! { "name": "Old admin tool", "field": "path", "test": { "matches": "^/cgi-bin/admin\\.pl" },
//!   "severity": "high" }
//! ```
//!
//! Regular expressions use the `regex` crate's syntax; its matching takes linear time,
//! so a hostile log cannot make a rule hang, and each expression's compiled size is
//! capped so a rule cannot exhaust memory either.

use super::Detector;
use super::client_map::ClientKey;
use super::rule_hits::RuleHits;
use crate::display_text::for_display;
use crate::event::Event;
use crate::finding::{Finding, FindingKind, Severity};
use crate::line_fields::{FieldValue, QueryField};
use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};

/// The largest compiled size of one rule's expression, in bytes.
const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// The most rules that run at once.
pub const MAX_RULES: usize = 200;

/// A rule, as people write it and JSON carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomRule {
    /// What findings call it.
    pub name: String,
    /// Which field of a line it tests.
    pub field: RuleField,
    /// How it tests it.
    pub test: RuleTest,
    /// How bad a match is.
    pub severity: Severity,
    /// Lines from one client that must pass before it is reported.
    #[serde(default = "one")]
    pub min_lines: u64,
}

fn one() -> u64 {
    1
}

/// The fields a rule can test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleField {
    /// The client address (a login's source, a flow's source).
    Client,
    /// The HTTP method.
    Method,
    /// The request target: path and query.
    Path,
    /// The HTTP status.
    Status,
    /// Bytes sent (a flow's bytes both ways).
    Bytes,
    /// The response time in seconds (a flow's duration).
    Duration,
    /// The user agent.
    UserAgent,
    /// The referer.
    Referer,
    /// The user name: of an authenticated request or of a login attempt.
    User,
    /// The program that logged a message.
    Program,
    /// A message's text.
    Message,
    /// A flow's destination address.
    Destination,
    /// A flow's destination port.
    DestinationPort,
}

impl RuleField {
    /// Every field, in the order the page lists them.
    pub const ALL: [RuleField; 13] = [
        RuleField::Path,
        RuleField::Client,
        RuleField::Method,
        RuleField::Status,
        RuleField::Bytes,
        RuleField::Duration,
        RuleField::UserAgent,
        RuleField::Referer,
        RuleField::User,
        RuleField::Program,
        RuleField::Message,
        RuleField::Destination,
        RuleField::DestinationPort,
    ];

    /// The machine name, as JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleField::Client => "client",
            RuleField::Method => "method",
            RuleField::Path => "path",
            RuleField::Status => "status",
            RuleField::Bytes => "bytes",
            RuleField::Duration => "duration",
            RuleField::UserAgent => "user_agent",
            RuleField::Referer => "referer",
            RuleField::User => "user",
            RuleField::Program => "program",
            RuleField::Message => "message",
            RuleField::Destination => "destination",
            RuleField::DestinationPort => "destination_port",
        }
    }

    /// Whether the field is a number (thresholds apply) rather than text.
    pub fn is_number(self) -> bool {
        matches!(
            self,
            RuleField::Status | RuleField::Bytes | RuleField::Duration | RuleField::DestinationPort
        )
    }
}

/// How a rule tests its field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleTest {
    /// The field's text matches this regular expression (anywhere, unless anchored).
    Matches(String),
    /// The field's text is exactly this (a number field: this number).
    Equals(String),
    /// The number is at least this.
    AtLeast(f64),
    /// The number is at most this.
    AtMost(f64),
}

/// Why a rule cannot run, as a sentence about that rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("rule {number} ({name}): {problem}")]
pub struct RuleError {
    /// 1-based, as people count.
    pub number: usize,
    /// The rule's name, shortened.
    pub name: String,
    /// What is wrong.
    pub problem: String,
}

impl CustomRule {
    /// Checks the rule and compiles its expression; the error says what to fix.
    pub fn check(&self) -> Result<Option<Regex>, String> {
        if self.name.trim().is_empty() {
            return Err("it needs a name".to_owned());
        }
        if self.min_lines == 0 {
            return Err("it must need at least one line".to_owned());
        }
        match &self.test {
            RuleTest::Matches(pattern) => {
                if pattern.is_empty() {
                    return Err("the expression is empty, so it would match every line".to_owned());
                }
                RegexBuilder::new(pattern)
                    .size_limit(REGEX_SIZE_LIMIT)
                    .build()
                    .map(Some)
                    .map_err(|e| {
                        format!(
                            "the expression is not valid: {}",
                            first_line(&e.to_string())
                        )
                    })
            }
            RuleTest::Equals(value)
                if self.field.is_number() && value.trim().parse::<f64>().is_err() =>
            {
                Err(format!(
                    "{} is a number, and \"{}\" is not one",
                    self.field.as_str(),
                    for_display(value, 40)
                ))
            }
            RuleTest::Equals(_) => Ok(None),
            RuleTest::AtLeast(limit) | RuleTest::AtMost(limit) => {
                if !self.field.is_number() {
                    Err(format!(
                        "{} is text: use \"matches\" or \"equals\" (thresholds need status, bytes, duration or destination_port)",
                        self.field.as_str()
                    ))
                } else if !limit.is_finite() {
                    Err("the threshold is not a number".to_owned())
                } else {
                    Ok(None)
                }
            }
        }
    }
}

/// The regex crate's messages run over several lines with a caret diagram; the last line
/// says what is wrong.
fn first_line(message: &str) -> String {
    message
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(message)
        .trim()
        .trim_start_matches("error: ")
        .to_owned()
}

/// Checks every rule; the first problem found, naming its rule.
pub fn check_rules(rules: &[CustomRule]) -> Result<(), RuleError> {
    if rules.len() > MAX_RULES {
        return Err(RuleError {
            number: MAX_RULES + 1,
            name: for_display(&rules[MAX_RULES].name, 40),
            problem: format!("at most {MAX_RULES} rules run at once"),
        });
    }
    for (index, rule) in rules.iter().enumerate() {
        rule.check().map_err(|problem| RuleError {
            number: index + 1,
            name: for_display(&rule.name, 40),
            problem,
        })?;
    }
    Ok(())
}

/// Reads rules from JSON: a list of rules, or `{ "rules": [...] }` as the page exports.
pub fn rules_from_json(text: &str) -> Result<Vec<CustomRule>, String> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Shape {
        List(Vec<CustomRule>),
        Wrapped { rules: Vec<CustomRule> },
    }
    let rules = match serde_json::from_str::<Shape>(text) {
        Ok(Shape::List(rules) | Shape::Wrapped { rules }) => rules,
        Err(_) => {
            // Untagged errors say little; the plain list's error says where and what.
            serde_json::from_str::<Vec<CustomRule>>(text).map_err(|e| e.to_string())?
        }
    };
    check_rules(&rules).map_err(|e| e.to_string())?;
    Ok(rules)
}

/// The JSON the page exports and `--rules` reads.
pub fn rules_to_json(rules: &[CustomRule]) -> String {
    #[derive(Serialize)]
    struct Wrapped<'a> {
        rules: &'a [CustomRule],
    }
    serde_json::to_string_pretty(&Wrapped { rules }).unwrap_or_default()
}

#[derive(Debug, Clone)]
struct Compiled {
    rule: CustomRule,
    regex: Option<Regex>,
    /// The number an `equals` test on a number field compares with.
    number: Option<f64>,
}

/// Runs the rules that check out; see the module docs.
#[derive(Debug, Clone)]
pub struct CustomRulesDetector {
    rules: Vec<Compiled>,
    /// Per client and rule: the lines that passed.
    hits: RuleHits,
}

impl CustomRulesDetector {
    /// A detector for `rules`; a rule that does not check out is left out (the page and
    /// the CLI check rules before they get here, and say what is wrong).
    pub fn new(rules: &[CustomRule], max_evidence_lines: usize) -> Self {
        let rules = rules
            .iter()
            .take(MAX_RULES)
            .filter_map(|rule| {
                let regex = rule.check().ok()?;
                let number = match &rule.test {
                    RuleTest::Equals(value) if rule.field.is_number() => value.trim().parse().ok(),
                    _ => None,
                };
                Some(Compiled {
                    rule: rule.clone(),
                    regex,
                    number,
                })
            })
            .collect();
        Self {
            rules,
            hits: RuleHits::new(max_evidence_lines),
        }
    }
}

impl RuleField {
    /// The field every format maps that this one tests (a rule's path is the target:
    /// path and query string).
    pub fn line_field(self) -> QueryField {
        match self {
            RuleField::Client => QueryField::Client,
            RuleField::Method => QueryField::Method,
            RuleField::Path => QueryField::Target,
            RuleField::Status => QueryField::Status,
            RuleField::Bytes => QueryField::Bytes,
            RuleField::Duration => QueryField::Duration,
            RuleField::UserAgent => QueryField::UserAgent,
            RuleField::Referer => QueryField::Referer,
            RuleField::User => QueryField::User,
            RuleField::Program => QueryField::Program,
            RuleField::Message => QueryField::Message,
            RuleField::Destination => QueryField::Destination,
            RuleField::DestinationPort => QueryField::Port,
        }
    }
}

impl Compiled {
    fn passes(&self, event: &Event<'_>) -> bool {
        let Some(value) = self.rule.field.line_field().value_in(event) else {
            return false;
        };
        match (&self.rule.test, value) {
            (RuleTest::Matches(_), FieldValue::Text(text)) => {
                self.regex.as_ref().is_some_and(|r| r.is_match(text))
            }
            (RuleTest::Matches(_), FieldValue::Number(n)) => self
                .regex
                .as_ref()
                .is_some_and(|r| r.is_match(&n.to_string())),
            (RuleTest::Equals(expected), FieldValue::Text(text)) => text == expected,
            (RuleTest::Equals(_), FieldValue::Number(n)) => self.number == Some(n),
            (RuleTest::AtLeast(limit), FieldValue::Number(n)) => n >= *limit,
            (RuleTest::AtMost(limit), FieldValue::Number(n)) => n <= *limit,
            (RuleTest::AtLeast(_) | RuleTest::AtMost(_), FieldValue::Text(_)) => false,
        }
    }

    /// "path matches /^\/cgi-bin/": what the rule tests, for descriptions.
    fn describe_test(&self) -> String {
        let field = self.rule.field.as_str();
        match &self.rule.test {
            RuleTest::Matches(pattern) => format!("{field} matches /{}/", for_display(pattern, 60)),
            RuleTest::Equals(value) => format!("{field} is \"{}\"", for_display(value, 60)),
            RuleTest::AtLeast(limit) => format!("{field} ≥ {limit}"),
            RuleTest::AtMost(limit) => format!("{field} ≤ {limit}"),
        }
    }
}

/// The score a rule's severity stands for: even "low" shows at the default sensitivity,
/// since someone wrote the rule to see its matches.
fn score_of(severity: Severity) -> u8 {
    match severity {
        Severity::Critical => 90,
        Severity::High => 75,
        Severity::Medium => 55,
        Severity::Low => 40,
    }
}

impl Detector for CustomRulesDetector {
    fn untracked(&self) -> Option<crate::limits::LeftOut> {
        Some(crate::limits::LeftOut::clients(
            "your rules",
            self.hits.untracked_lines(),
        ))
    }

    fn observe(&mut self, line_no: u64, event: &Event<'_>, client: &ClientKey<'_>) {
        for (index, compiled) in self.rules.iter().enumerate() {
            if compiled.passes(event) && !self.hits.add(client, index, line_no, event.time()) {
                return;
            }
        }
    }

    fn finish(self: Box<Self>) -> Vec<Finding> {
        let rules = self.rules;
        self.hits
            .into_hits()
            .filter(|(index, _, evidence)| evidence.count() >= rules[*index].rule.min_lines)
            .map(|(index, client, evidence)| {
                let compiled = &rules[index];
                let count = evidence.count();
                let description = format!(
                    "{count} {} from {} passed the rule \"{}\" ({})",
                    if count == 1 { "line" } else { "lines" },
                    for_display(&client, 64),
                    for_display(&compiled.rule.name, 80),
                    compiled.describe_test()
                );
                let severity = compiled.rule.severity;
                evidence.into_rule_finding(
                    FindingKind::CustomRule,
                    &client,
                    severity,
                    score_of(severity),
                    description,
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::DetectionOptions;
    use crate::detect::test_lines::{findings, line, none};

    fn rule(field: RuleField, test: RuleTest, severity: Severity) -> CustomRule {
        CustomRule {
            name: "test rule".to_owned(),
            field,
            test,
            severity,
            min_lines: 1,
        }
    }

    fn only(rules: Vec<CustomRule>) -> DetectionOptions {
        DetectionOptions {
            custom_rules: rules,
            ..none()
        }
    }

    #[test]
    fn a_path_rule_finds_its_lines_per_client_with_the_chosen_severity() {
        let lines = vec![
            line("10.0.0.1", 0, "GET", "/cgi-bin/admin.pl?x=1", 200),
            line("10.0.0.1", 5, "GET", "/index.html", 200),
            line("10.0.0.1", 9, "GET", "/cgi-bin/admin.pl", 200),
            line("10.0.0.2", 9, "GET", "/cgi-bin/admin.pl", 404),
        ];
        let found = findings(
            &lines,
            only(vec![rule(
                RuleField::Path,
                RuleTest::Matches("^/cgi-bin/admin\\.pl".into()),
                Severity::Low,
            )]),
        );
        let mut summary: Vec<_> = found
            .iter()
            .map(|f| (f.client.as_str(), f.lines.clone(), f.severity))
            .collect();
        summary.sort();
        assert_eq!(
            summary,
            [
                ("10.0.0.1", vec![1, 3], Severity::Low),
                ("10.0.0.2", vec![4], Severity::Low)
            ]
        );
        assert_eq!(
            found[0]
                .description
                .split(" from ")
                .nth(1)
                .map(|rest| rest.split(" passed").nth(1)),
            Some(Some(
                " the rule \"test rule\" (path matches /^/cgi-bin/admin\\.pl/)"
            ))
        );
    }

    #[test]
    fn thresholds_and_equality_test_numbers() {
        let lines = vec![
            line("10.0.0.1", 0, "GET", "/a", 500),
            line("10.0.0.2", 1, "GET", "/a", 503),
            line("10.0.0.3", 2, "GET", "/a", 200),
        ];
        let clients = |test: RuleTest| {
            let mut clients: Vec<String> = findings(
                &lines,
                only(vec![rule(RuleField::Status, test, Severity::High)]),
            )
            .into_iter()
            .map(|f| f.client)
            .collect();
            clients.sort();
            clients
        };
        assert_eq!(clients(RuleTest::AtLeast(500.0)), ["10.0.0.1", "10.0.0.2"]);
        assert_eq!(clients(RuleTest::AtMost(200.0)), ["10.0.0.3"]);
        assert_eq!(clients(RuleTest::Equals("503".into())), ["10.0.0.2"]);
    }

    #[test]
    fn a_rule_can_ask_for_several_lines_before_it_reports() {
        let lines: Vec<String> = (0..4)
            .map(|i| line("10.0.0.1", i, "POST", "/login", 401))
            .collect();
        let mut strict = rule(
            RuleField::Method,
            RuleTest::Equals("POST".into()),
            Severity::Medium,
        );
        strict.min_lines = 5;
        assert!(findings(&lines, only(vec![strict.clone()])).is_empty());
        strict.min_lines = 4;
        assert_eq!(findings(&lines, only(vec![strict]))[0].evidence_count, 4);
    }

    #[test]
    fn a_bad_rule_says_what_is_wrong() {
        let problem = |field, test| rule(field, test, Severity::Low).check().unwrap_err();
        assert_eq!(
            problem(RuleField::Path, RuleTest::Matches("(unclosed".into())),
            "the expression is not valid: unclosed group"
        );
        assert!(problem(RuleField::Path, RuleTest::AtLeast(3.0)).starts_with("path is text"));
        assert_eq!(
            problem(RuleField::Status, RuleTest::Equals("five hundred".into())),
            "status is a number, and \"five hundred\" is not one"
        );
        assert!(problem(RuleField::Path, RuleTest::Matches(String::new())).contains("every line"));
        let huge = "a{1000}{1000}".to_owned();
        assert!(problem(RuleField::Path, RuleTest::Matches(huge)).contains("not valid"));
        let mut nameless = rule(
            RuleField::Path,
            RuleTest::Matches("x".into()),
            Severity::Low,
        );
        nameless.name = " ".into();
        assert_eq!(nameless.check().unwrap_err(), "it needs a name");
    }

    #[test]
    fn rules_read_from_either_json_shape_and_name_the_bad_one() {
        let list =
            r#"[{"name": "a", "field": "path", "test": {"matches": "x"}, "severity": "low"}]"#;
        assert_eq!(rules_from_json(list).unwrap().len(), 1);
        let rules = rules_from_json(list).unwrap();
        assert_eq!(rules_from_json(&rules_to_json(&rules)).unwrap(), rules);
        let bad = r#"{"rules": [
            {"name": "fine", "field": "status", "test": {"at_least": 500}, "severity": "high"},
            {"name": "broken", "field": "path", "test": {"matches": "[z-a]"}, "severity": "low"}]}"#;
        let problem = rules_from_json(bad).unwrap_err();
        assert!(
            problem.starts_with("rule 2 (broken): the expression is not valid"),
            "{problem}"
        );
        assert!(
            rules_from_json(r#"[{"name": "x", "field": "colour"}]"#)
                .unwrap_err()
                .contains("unknown variant `colour`")
        );
    }
}
