//! Reading a query's text into its tree, with errors that say where and why.

use super::comparison::Comparison;
use super::time_bound::TimeBound;
use crate::line_fields::QueryField;
use regex::{Regex, RegexBuilder};

/// The most an expression may compile to, as for custom rules: a hostile or mistaken
/// pattern cannot take the memory of the page.
const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// The most characters a query may have.
pub const MAX_QUERY_CHARS: usize = 4096;
/// The deepest parentheses and `not`s may nest.
const MAX_DEPTH: usize = 64;

/// What is wrong with a query, and where: `at` counts characters from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at character {at}: {problem}")]
pub struct QueryError {
    /// Where, in characters from 1.
    pub at: usize,
    /// What is wrong, as a sentence without its capital and full stop.
    pub problem: String,
}

/// A query, read.
#[derive(Debug, Clone)]
pub enum Node {
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Not(Box<Node>),
    /// Every line (`*`).
    Every,
    /// The raw line matches.
    Line(Regex),
    /// A field passes a test.
    Term(QueryField, Test),
    /// The line's time compares so with a period.
    Time(Comparison, TimeBound),
}

/// How a term tests its field.
#[derive(Debug, Clone)]
pub enum Test {
    /// Text equal to this (a method in any case); `negated` for `!=`.
    TextEquals { value: String, negated: bool },
    /// A number compared with this.
    Compare(Comparison, f64),
    /// A status in this class: `5xx` is 500 to 599; `negated` for `!=`.
    StatusClass { class: u16, negated: bool },
    /// The value's text matches, ignoring case; `negated` for `!~`.
    Matches { regex: Regex, negated: bool },
}

/// Reads `text` into a tree.
pub fn parse(text: &str) -> Result<Node, QueryError> {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() > MAX_QUERY_CHARS {
        return Err(QueryError {
            at: MAX_QUERY_CHARS + 1,
            problem: format!("a query has at most {MAX_QUERY_CHARS} characters"),
        });
    }
    let mut reader = Reader { chars, at: 0 };
    reader.skip_space();
    if reader.at_end() {
        return Err(reader.error("the query is empty: write /an expression/, a word, or a field test such as status>=500"));
    }
    let node = reader.or(0)?;
    reader.skip_space();
    if !reader.at_end() {
        return Err(reader.error(match reader.peek() {
            Some(')') => "this ) closes no (".to_owned(),
            _ => format!("unexpected \"{}\"", reader.rest_word()),
        }));
    }
    Ok(node)
}

struct Reader {
    chars: Vec<char>,
    at: usize,
}

/// Characters that end a bare word: spaces, parentheses, quotes and operators.
fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"' | '=' | '!' | '<' | '>' | '~')
}

impl Reader {
    fn error(&self, problem: impl Into<String>) -> QueryError {
        QueryError {
            at: self.at + 1,
            problem: problem.into(),
        }
    }

    fn at_end(&self) -> bool {
        self.at >= self.chars.len()
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    /// The word at the reading point, for an error (not consumed).
    fn rest_word(&self) -> String {
        self.chars[self.at..]
            .iter()
            .take_while(|c| !c.is_whitespace())
            .take(40)
            .collect()
    }

    /// Whether the next word is `keyword` (any case), standing alone; consumed if so.
    fn keyword(&mut self, keyword: &str) -> bool {
        self.skip_space();
        let end = self.at + keyword.len();
        let matches = end <= self.chars.len()
            && self.chars[self.at..end]
                .iter()
                .collect::<String>()
                .eq_ignore_ascii_case(keyword)
            && self
                .chars
                .get(end)
                .is_none_or(|c| c.is_whitespace() || *c == '(' || *c == ')');
        if matches {
            self.at = end;
        }
        matches
    }

    fn or(&mut self, depth: usize) -> Result<Node, QueryError> {
        let mut node = self.and(depth)?;
        while self.keyword("or") {
            let right = self.and(depth)?;
            node = Node::Or(Box::new(node), Box::new(right));
        }
        Ok(node)
    }

    /// Terms side by side, with or without `and` between them.
    fn and(&mut self, depth: usize) -> Result<Node, QueryError> {
        let mut node = self.unary(depth)?;
        loop {
            self.skip_space();
            let before = self.at;
            if self.at_end() || self.peek() == Some(')') {
                return Ok(node);
            }
            if self.keyword("or") {
                self.at = before;
                return Ok(node);
            }
            self.keyword("and");
            let right = self.unary(depth)?;
            node = Node::And(Box::new(node), Box::new(right));
        }
    }

    fn unary(&mut self, depth: usize) -> Result<Node, QueryError> {
        if depth > MAX_DEPTH {
            return Err(self.error(format!(
                "parentheses and \"not\" nest at most {MAX_DEPTH} deep"
            )));
        }
        if self.keyword("not") {
            return Ok(Node::Not(Box::new(self.unary(depth + 1)?)));
        }
        self.primary(depth)
    }

    fn primary(&mut self, depth: usize) -> Result<Node, QueryError> {
        self.skip_space();
        let start = self.at;
        match self.peek() {
            None => Err(self.error("the query ends where a test was expected")),
            Some('(') => {
                self.at += 1;
                self.skip_space();
                if self.peek() == Some(')') {
                    return Err(self.error("empty parentheses"));
                }
                let node = self.or(depth + 1)?;
                self.skip_space();
                if self.peek() != Some(')') {
                    return Err(QueryError {
                        at: start + 1,
                        problem: "this ( is never closed".to_owned(),
                    });
                }
                self.at += 1;
                Ok(node)
            }
            Some(')') => Err(self.error("this ) closes no (")),
            Some('*') if self.chars.get(self.at + 1).is_none_or(|c| ends_word(*c)) => {
                self.at += 1;
                Ok(Node::Every)
            }
            Some('/') => self.line_regex(),
            Some('"') => {
                let text = self.quoted()?;
                Ok(Node::Line(self.compile(
                    start,
                    &regex::escape(&text),
                    true,
                )?))
            }
            Some(c) if ends_word(c) => Err(self.error(format!(
                "\"{c}\" needs a field before it, as in status>=500"
            ))),
            Some(_) => {
                let word: String = self.word();
                self.skip_space();
                match self.operator() {
                    Some(operator) => self.term(start, &word, operator),
                    None => Ok(Node::Line(self.compile(
                        start,
                        &regex::escape(&word),
                        true,
                    )?)),
                }
            }
        }
    }

    fn word(&mut self) -> String {
        let start = self.at;
        while self.peek().is_some_and(|c| !ends_word(c)) {
            self.at += 1;
        }
        self.chars[start..self.at].iter().collect()
    }

    /// A `"quoted"` text, `\"` and `\\` escaped.
    fn quoted(&mut self) -> Result<String, QueryError> {
        let start = self.at;
        self.at += 1;
        let mut text = String::new();
        loop {
            match self.peek() {
                None => {
                    return Err(QueryError {
                        at: start + 1,
                        problem: "this quote is never closed".to_owned(),
                    });
                }
                Some('"') => {
                    self.at += 1;
                    return Ok(text);
                }
                Some('\\') if matches!(self.chars.get(self.at + 1), Some('"' | '\\')) => {
                    text.push(self.chars[self.at + 1]);
                    self.at += 2;
                }
                Some(c) => {
                    text.push(c);
                    self.at += 1;
                }
            }
        }
    }

    /// `/expression/` on the raw line, `/expression/i` ignoring case; `\/` is a slash.
    fn line_regex(&mut self) -> Result<Node, QueryError> {
        let start = self.at;
        self.at += 1;
        let mut pattern = String::new();
        loop {
            match self.peek() {
                None => {
                    return Err(QueryError {
                        at: start + 1,
                        problem: "this /expression/ has no closing /".to_owned(),
                    });
                }
                Some('/') => {
                    self.at += 1;
                    break;
                }
                Some('\\') if self.chars.get(self.at + 1) == Some(&'/') => {
                    pattern.push('/');
                    self.at += 2;
                }
                Some(c) => {
                    pattern.push(c);
                    self.at += 1;
                }
            }
        }
        let ignore_case =
            self.peek() == Some('i') && self.chars.get(self.at + 1).is_none_or(|c| ends_word(*c));
        if ignore_case {
            self.at += 1;
        }
        if pattern.is_empty() {
            return Err(QueryError {
                at: start + 1,
                problem: "the expression // is empty, so it would match every line".to_owned(),
            });
        }
        Ok(Node::Line(self.compile(start, &pattern, ignore_case)?))
    }

    fn compile(&self, at: usize, pattern: &str, ignore_case: bool) -> Result<Regex, QueryError> {
        RegexBuilder::new(pattern)
            .case_insensitive(ignore_case)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map_err(|e| QueryError {
                at: at + 1,
                problem: format!(
                    "the expression is not valid: {}",
                    e.to_string()
                        .lines()
                        .last()
                        .unwrap_or("")
                        .trim_start_matches("error: ")
                ),
            })
    }

    fn operator(&mut self) -> Option<&'static str> {
        for operator in ["!=", ">=", "<=", "!~", "=", ">", "<", "~"] {
            let end = self.at + operator.len();
            if end <= self.chars.len()
                && self.chars[self.at..end]
                    .iter()
                    .copied()
                    .eq(operator.chars())
            {
                self.at = end;
                return Some(operator);
            }
        }
        None
    }

    fn term(&mut self, start: usize, name: &str, operator: &str) -> Result<Node, QueryError> {
        let is_time = name.eq_ignore_ascii_case("time");
        let field = QueryField::named(name);
        if field.is_none() && !is_time {
            return Err(QueryError {
                at: start + 1,
                problem: format!(
                    "\"{name}\" is not a field; the fields are time, {}",
                    QueryField::all_names()
                ),
            });
        }
        self.skip_space();
        let value_at = self.at;
        let value = match self.peek() {
            Some('"') => self.quoted()?,
            Some(c) if !c.is_whitespace() && c != ')' => {
                while self.peek().is_some_and(|c| !c.is_whitespace() && c != ')') {
                    self.at += 1;
                }
                self.chars[value_at..self.at].iter().collect()
            }
            _ => return Err(self.error(format!("{name}{operator} needs a value after it"))),
        };
        let value_error = |problem: String| QueryError {
            at: value_at + 1,
            problem,
        };
        let Some(field) = field else {
            let Some(comparison) = comparison(operator) else {
                return Err(QueryError {
                    at: start + 1,
                    problem: "time is compared with =, !=, <, <=, > or >=".to_owned(),
                });
            };
            let bound = TimeBound::parse(&value).ok_or_else(|| {
                value_error(format!(
                    "\"{value}\" is not a time: write {}",
                    super::time_bound::TIME_FORMS
                ))
            })?;
            return Ok(Node::Time(comparison, bound));
        };
        let test = match operator {
            "~" | "!~" => Test::Matches {
                regex: self.compile(value_at, &value, true)?,
                negated: operator == "!~",
            },
            "=" | "!=" if field == QueryField::Status && is_status_class(&value) => {
                Test::StatusClass {
                    class: u16::from(value.as_bytes()[0] - b'0'),
                    negated: operator == "!=",
                }
            }
            _ if field.is_number() => {
                let number = field.number_from(&value).ok_or_else(|| {
                    value_error(format!(
                        "{} is a number, and \"{value}\" is not one",
                        field.name()
                    ))
                })?;
                let comparison = comparison(operator).unwrap_or(Comparison::GreaterOrEqual);
                Test::Compare(comparison, number)
            }
            "=" | "!=" => Test::TextEquals {
                value,
                negated: operator == "!=",
            },
            _ => {
                return Err(QueryError {
                    at: start + 1,
                    problem: format!(
                        "{} is text: compare it with =, != or ~ (a regular expression)",
                        field.name()
                    ),
                });
            }
        };
        Ok(Node::Term(field, test))
    }
}

/// The comparison an operator makes; `None` for `~` and `!~`.
fn comparison(operator: &str) -> Option<Comparison> {
    Some(match operator {
        "=" => Comparison::Equal,
        "!=" => Comparison::NotEqual,
        "<" => Comparison::Less,
        "<=" => Comparison::LessOrEqual,
        ">" => Comparison::Greater,
        ">=" => Comparison::GreaterOrEqual,
        _ => return None,
    })
}

/// `2xx` to `5xx` (and `1xx`), any case.
fn is_status_class(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() == 3 && (b'1'..=b'5').contains(&bytes[0]) && bytes[1..].eq_ignore_ascii_case(b"xx")
}
