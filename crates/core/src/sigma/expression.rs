//! A field test's regular expression, compiled the first time a line needs it.
//!
//! A set of SigmaHQ's rules holds hundreds of expressions, and compiling them all took
//! longer than running the set over a hundred thousand lines. Most never run: a test runs
//! only on lines holding its literals ([`super::prefilter`]). An expression the rule wrote
//! itself (`|re`), or a long one, is compiled at once, since only those can be invalid or
//! too large, and the rule is refused with the reason; the others are values escaped,
//! with `.*` for a wildcard.

use regex::{Regex, RegexBuilder};
use std::sync::OnceLock;

/// The most an expression may compile to, as for queries and custom rules.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Expressions longer than this are compiled at once, to refuse those too large.
const LONGEST_DEFERRED: usize = 1024;

/// An expression and its flags (`i`, `m`, `s`), compiled when first matched.
#[derive(Debug, Clone)]
pub(super) struct Expression {
    pattern: String,
    flags: String,
    /// `None` inside if it did not compile (it did when checked at once, so never).
    compiled: OnceLock<Option<Regex>>,
}

impl Expression {
    /// `pattern` with `flags`; `written` when the rule wrote the expression itself.
    pub(super) fn new(pattern: String, flags: &str, written: bool) -> Result<Self, String> {
        let expression = Self {
            compiled: OnceLock::new(),
            pattern,
            flags: flags.to_owned(),
        };
        if written || expression.pattern.len() > LONGEST_DEFERRED {
            let regex = compile(&expression.pattern, flags)?;
            let _ = expression.compiled.set(Some(regex));
        }
        Ok(expression)
    }

    pub(super) fn is_match(&self, text: &str) -> bool {
        self.compiled
            .get_or_init(|| compile(&self.pattern, &self.flags).ok())
            .as_ref()
            .is_some_and(|regex| regex.is_match(text))
    }

    /// Whether it is compiled yet.
    #[cfg(test)]
    pub(super) fn is_compiled(&self) -> bool {
        self.compiled.get().is_some()
    }
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
    fn a_written_expression_is_checked_at_once_an_escaped_value_when_first_matched() {
        let error = Expression::new("(unclosed".to_owned(), "", true).unwrap_err();
        assert!(error.starts_with("an expression is not valid"), "{error}");
        let too_large = Expression::new("\\w{1000}\\w{1000}".to_owned(), "", true);
        assert!(too_large.is_err(), "larger than the size limit");

        let value = Expression::new("^(?:/admin.*)$".to_owned(), "i", false).unwrap();
        assert!(!value.is_compiled());
        assert!(value.is_match("/ADMIN/login"));
        assert!(value.is_compiled());
        assert!(!value.is_match("/shop"));

        let written = Expression::new("^a+$".to_owned(), "", true).unwrap();
        assert!(written.is_compiled());
        assert!(written.is_match("aaa") && !written.is_match("A"));
    }

    #[test]
    fn a_long_value_is_compiled_at_once() {
        let long = "x".repeat(LONGEST_DEFERRED + 1);
        assert!(Expression::new(long, "i", false).unwrap().is_compiled());
    }
}
