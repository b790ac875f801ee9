//! The literals a `|re` value needs: text that every match of the expression holds, so
//! that a rule written as an expression is gated like one written as plain values
//! ([`super::prefilter`]) instead of running on every line.
//!
//! From the expression's syntax tree: a literal is its own; a run of literals in a
//! sequence is one; an alternation needs one of each branch's; a repetition at least
//! once needs its body's. A class that only folds one ASCII letter's case (`(?i)k`) is
//! that letter: literals are searched for ignoring ASCII case, and text holding the
//! letters Unicode folds onto ASCII wakes every rule anyway.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Lowercase literals one of which every match of `pattern` holds, each at least
/// `shortest` bytes; `None` when the expression guarantees none.
pub(super) fn required_literals(pattern: &str, shortest: usize) -> Option<Vec<String>> {
    let hir = regex_syntax::parse(pattern).ok()?;
    let mut literals = needed(&hir, shortest)?;
    literals.sort();
    literals.dedup();
    Some(literals)
}

/// The best set of literals `hir` needs, if any: the one whose shortest literal is longest.
fn needed(hir: &Hir, shortest: usize) -> Option<Vec<String>> {
    match hir.kind() {
        HirKind::Literal(_) | HirKind::Class(_) => {
            let run = as_text(hir)?;
            (run.len() >= shortest).then(|| vec![run])
        }
        HirKind::Capture(capture) => needed(&capture.sub, shortest),
        HirKind::Repetition(repetition) if repetition.min >= 1 => needed(&repetition.sub, shortest),
        HirKind::Alternation(branches) => {
            let mut all = Vec::new();
            for branch in branches {
                all.extend(needed(branch, shortest)?);
            }
            Some(all)
        }
        HirKind::Concat(parts) => {
            let mut candidates: Vec<Vec<String>> = Vec::new();
            let mut run = String::new();
            for part in parts {
                match as_text(part) {
                    Some(text) => run.push_str(&text),
                    None => {
                        if run.len() >= shortest {
                            candidates.push(vec![std::mem::take(&mut run)]);
                        }
                        run.clear();
                        candidates.extend(needed(part, shortest));
                    }
                }
            }
            if run.len() >= shortest {
                candidates.push(vec![run]);
            }
            candidates
                .into_iter()
                .max_by_key(|set| set.iter().map(String::len).min().unwrap_or(0))
        }
        _ => None,
    }
}

/// `hir` as plain lowercase ASCII text when it matches exactly that, ignoring ASCII case.
fn as_text(hir: &Hir) -> Option<String> {
    match hir.kind() {
        HirKind::Literal(literal) => {
            let text = std::str::from_utf8(&literal.0).ok()?;
            text.is_ascii().then(|| text.to_ascii_lowercase())
        }
        HirKind::Class(class) => one_letter(class).map(String::from),
        _ => None,
    }
}

/// The one ASCII character a class stands for, ignoring case: `[kK]`, `(?i)k` (which
/// also holds the Kelvin sign), `\.`.
fn one_letter(class: &Class) -> Option<char> {
    let mut ascii = Vec::new();
    match class {
        Class::Unicode(class) => {
            for range in class.ranges() {
                for c in range.start()..=range.end() {
                    if c.is_ascii() {
                        ascii.push(c.to_ascii_lowercase());
                    } else if !matches!(c, '\u{212A}' | '\u{17F}') {
                        return None;
                    }
                    if ascii.len() > 2 {
                        return None;
                    }
                }
            }
        }
        Class::Bytes(class) => {
            for range in class.ranges() {
                for b in range.start()..=range.end() {
                    ascii.push(char::from(b.to_ascii_lowercase()));
                    if ascii.len() > 2 || !b.is_ascii() {
                        return None;
                    }
                }
            }
        }
    }
    ascii.dedup();
    match ascii[..] {
        [one] => Some(one),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::required_literals;

    fn literals(pattern: &str) -> Option<Vec<String>> {
        required_literals(pattern, 3)
    }

    #[test]
    fn a_sequence_needs_its_longest_run_of_plain_text() {
        assert_eq!(
            literals(r"(?i)(ipfs\.io/|ipfs\.io\s).+\..+@.+\.[a-z]+"),
            Some(vec!["ipfs.io".to_owned()]),
        );
        assert_eq!(
            literals(r"^/cgi-bin/.*\.sh$"),
            Some(vec!["/cgi-bin/".to_owned()])
        );
    }

    #[test]
    fn an_alternation_needs_one_literal_of_every_branch() {
        assert_eq!(
            literals(r"-[a-z0-9]{3}\.[a-z0-9-]{3,}-s-account\.workers\.dev|\.up\.railway\.app"),
            Some(vec![
                "-s-account.workers.dev".to_owned(),
                ".up.railway.app".to_owned()
            ]),
        );
        // One branch with nothing to search for: no literal is needed.
        assert_eq!(literals(r"select.+from|\d{5}"), None);
    }

    #[test]
    fn what_may_be_absent_or_too_short_is_not_needed() {
        assert_eq!(literals(r"(?:admin)?[0-9]+"), None);
        assert_eq!(literals(r"=$"), None);
        assert_eq!(literals(r"(abc)+x"), Some(vec!["abc".to_owned()]));
        assert_eq!(literals(r"[ab]cd"), None);
        assert_eq!(literals(r"not ( a regex"), None);
    }

    #[test]
    fn case_is_ignored_as_the_search_ignores_it() {
        assert_eq!(literals(r"(?i)SeLeCt"), Some(vec!["select".to_owned()]));
        assert_eq!(literals(r"[Ss][Ee][Ll]"), Some(vec!["sel".to_owned()]));
    }

    #[test]
    fn every_string_an_expression_matches_holds_one_of_its_literals() {
        // Texts the expressions match, each checked to hold a literal, ignoring case.
        let cases = [
            (
                r"(?i)(ipfs\.io/|ipfs\.io\s).+\..+@.+\.[a-z]+",
                "https://IPFS.io/x.y@z.com",
            ),
            (r"(?:foo|bar)baz\d", "xxbarbaz7"),
            (r"/(wp|xx)-admin/", "/wp-admin/"),
            (r"a{2,}bcd", "aaaabcd"),
        ];
        for (pattern, text) in cases {
            let re = regex::Regex::new(pattern).unwrap();
            assert!(re.is_match(text), "{pattern} on {text}");
            let found = literals(pattern).unwrap_or_default();
            assert!(
                found
                    .iter()
                    .any(|l| text.to_ascii_lowercase().contains(l.as_str())),
                "{pattern}: {found:?} not in {text}"
            );
        }
    }
}
