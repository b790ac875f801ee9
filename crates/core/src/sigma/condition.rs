//! A Sigma rule's `condition`: selections by name, joined by `and`, `or`, `not` and
//! parentheses, and `1 of name*`, `all of name*`, `1 of them`, `all of them`.

/// A condition, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// The selection of this index matches.
    Selection(usize),
    /// Both hold.
    And(Box<Condition>, Box<Condition>),
    /// Either holds.
    Or(Box<Condition>, Box<Condition>),
    /// It does not hold.
    Not(Box<Condition>),
    /// At least one of these selections matches.
    AnyOf(Vec<usize>),
    /// Every one of these selections matches.
    AllOf(Vec<usize>),
}

impl Condition {
    /// Reads `text` over the selections `names` (in their order); the error says why not.
    pub fn parse(text: &str, names: &[String]) -> Result<Self, String> {
        let words = words(text);
        let mut reader = Reader {
            words: &words,
            at: 0,
            names,
        };
        let condition = reader.or()?;
        match reader.words.get(reader.at) {
            None => Ok(condition),
            Some(word) if word == "|" => {
                Err("aggregations after | (count(), near) are not supported".to_owned())
            }
            Some(word) => Err(format!("unexpected \"{word}\" in the condition")),
        }
    }

    /// Whether it holds, given whether each selection matched.
    pub fn holds(&self, matched: &impl Fn(usize) -> bool) -> bool {
        match self {
            Self::Selection(i) => matched(*i),
            Self::And(a, b) => a.holds(matched) && b.holds(matched),
            Self::Or(a, b) => a.holds(matched) || b.holds(matched),
            Self::Not(a) => !a.holds(matched),
            Self::AnyOf(list) => list.iter().any(|&i| matched(i)),
            Self::AllOf(list) => list.iter().all(|&i| matched(i)),
        }
    }

    /// Whether it holds when some selections are unknown (`None`), in Kleene's
    /// three-valued logic: `Some(false)` only if it cannot hold, whatever they are.
    pub fn may_hold(&self, selection: &impl Fn(usize) -> Option<bool>) -> Option<bool> {
        let and = |a: Option<bool>, b: Option<bool>| match (a, b) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        };
        let or = |a: Option<bool>, b: Option<bool>| match (a, b) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        };
        match self {
            Self::Selection(i) => selection(*i),
            Self::And(a, b) => and(a.may_hold(selection), b.may_hold(selection)),
            Self::Or(a, b) => or(a.may_hold(selection), b.may_hold(selection)),
            Self::Not(a) => a.may_hold(selection).map(|held| !held),
            // Unknown does not end the count, so these are not `try_fold`s.
            Self::AnyOf(list) => list
                .iter()
                .map(|&i| selection(i))
                .reduce(or)
                .unwrap_or(Some(false)),
            Self::AllOf(list) => list
                .iter()
                .map(|&i| selection(i))
                .reduce(and)
                .unwrap_or(Some(true)),
        }
    }
}

/// The condition's words: names, keywords, parentheses and `|`.
fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_whitespace() || matches!(c, '(' | ')' | '|') {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            if !c.is_whitespace() {
                words.push(c.to_string());
            }
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// The most parentheses and `not`s that nest: a hostile rule cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

struct Reader<'a> {
    words: &'a [String],
    at: usize,
    names: &'a [String],
}

impl Reader<'_> {
    fn peek_is(&self, keyword: &str) -> bool {
        self.words
            .get(self.at)
            .is_some_and(|w| w.eq_ignore_ascii_case(keyword))
    }

    fn or(&mut self) -> Result<Condition, String> {
        self.or_at(0)
    }

    fn or_at(&mut self, depth: usize) -> Result<Condition, String> {
        let mut node = self.and(depth)?;
        while self.peek_is("or") {
            self.at += 1;
            node = Condition::Or(Box::new(node), Box::new(self.and(depth)?));
        }
        Ok(node)
    }

    fn and(&mut self, depth: usize) -> Result<Condition, String> {
        let mut node = self.unary(depth)?;
        while self.peek_is("and") {
            self.at += 1;
            node = Condition::And(Box::new(node), Box::new(self.unary(depth)?));
        }
        Ok(node)
    }

    fn unary(&mut self, depth: usize) -> Result<Condition, String> {
        if depth > MAX_DEPTH {
            return Err(format!("the condition nests deeper than {MAX_DEPTH}"));
        }
        if self.peek_is("not") {
            self.at += 1;
            return Ok(Condition::Not(Box::new(self.unary(depth + 1)?)));
        }
        self.primary(depth)
    }

    fn primary(&mut self, depth: usize) -> Result<Condition, String> {
        let Some(word) = self.words.get(self.at) else {
            return Err("the condition ends where a selection was expected".to_owned());
        };
        self.at += 1;
        if word == "(" {
            let node = self.or_at(depth + 1)?;
            if self.words.get(self.at).map(String::as_str) != Some(")") {
                return Err("a ( in the condition is never closed".to_owned());
            }
            self.at += 1;
            return Ok(node);
        }
        let quantifier = if word == "1" || word.eq_ignore_ascii_case("any") {
            Some(true)
        } else if word.eq_ignore_ascii_case("all") {
            Some(false)
        } else {
            None
        };
        if let Some(any) = quantifier
            && self.peek_is("of")
        {
            self.at += 1;
            let Some(pattern) = self.words.get(self.at) else {
                return Err(format!("\"{word} of\" names no selections"));
            };
            self.at += 1;
            let chosen = self.matching(pattern)?;
            return Ok(if any {
                Condition::AnyOf(chosen)
            } else {
                Condition::AllOf(chosen)
            });
        }
        self.matching(word)
            .and_then(|found| match found.as_slice() {
                [one] if !word.contains('*') => Ok(Condition::Selection(*one)),
                _ => Err(format!("\"{word}\" is not one selection")),
            })
    }

    /// The selections `pattern` names: `them` (all), `name*` (a prefix) or a name.
    fn matching(&self, pattern: &str) -> Result<Vec<usize>, String> {
        let found: Vec<usize> = if pattern.eq_ignore_ascii_case("them") {
            // `them` leaves out names starting with _, as the specification says.
            (0..self.names.len())
                .filter(|&i| !self.names[i].starts_with('_'))
                .collect()
        } else if let Some(prefix) = pattern.strip_suffix('*') {
            (0..self.names.len())
                .filter(|&i| self.names[i].starts_with(prefix))
                .collect()
        } else {
            self.names
                .iter()
                .position(|n| n == pattern)
                .into_iter()
                .collect()
        };
        if found.is_empty() {
            return Err(format!(
                "the condition names \"{pattern}\", which the detection does not define"
            ));
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    /// Which of every combination of matched selections the condition holds for.
    fn truth(text: &str, list: &[&str]) -> Vec<bool> {
        let names = names(list);
        let condition = Condition::parse(text, &names).unwrap_or_else(|e| panic!("{text}: {e}"));
        (0..1u32 << list.len())
            .map(|bits| condition.holds(&|i| bits & (1 << i) != 0))
            .collect()
    }

    #[test]
    fn conditions_as_sigmahq_writes_them() {
        let two = ["selection", "filter"];
        assert_eq!(truth("selection", &two), [false, true, false, true]);
        assert_eq!(
            truth("selection and not filter", &two),
            [false, true, false, false]
        );
        assert_eq!(
            truth("selection or filter", &two),
            [false, true, true, true]
        );
        let three = ["selection_a", "selection_b", "filter"];
        assert_eq!(
            truth("all of selection_* and not filter", &three),
            [false, false, false, true, false, false, false, false]
        );
        assert_eq!(
            truth("1 of selection* and not 1 of filter*", &three),
            [false, true, true, true, false, false, false, false]
        );
        assert_eq!(truth("all of them", &two), [false, false, false, true]);
        assert_eq!(truth("1 of them", &two), [false, true, true, true]);
        assert_eq!(
            truth("selection_a and (selection_b or all of filter*)", &three),
            [false, false, false, true, false, true, false, true]
        );
    }

    #[test]
    fn a_condition_that_may_hold_is_told_from_one_that_cannot() {
        let three = names(&["selection", "filter", "other"]);
        // `selection` is known not to match; the others are unknown.
        let known = |i: usize| (i == 0).then_some(false);
        let may = |text: &str| Condition::parse(text, &three).unwrap().may_hold(&known);
        assert_eq!(may("selection"), Some(false));
        assert_eq!(may("selection and not filter"), Some(false));
        assert_eq!(may("not selection"), Some(true));
        assert_eq!(may("selection or filter"), None);
        assert_eq!(may("filter and not filter"), None);
        assert_eq!(may("all of them"), Some(false));
        assert_eq!(may("1 of them"), None);
        assert_eq!(may("1 of selection*"), Some(false));
    }

    #[test]
    fn what_is_not_a_condition_says_why() {
        let two = names(&["selection", "filter"]);
        let error = |text: &str| Condition::parse(text, &two).unwrap_err();
        assert!(error("selection | count() > 5").contains("aggregations"));
        assert!(error("selection and keywords").contains("\"keywords\""));
        assert!(error("(selection").contains("never closed"));
        assert!(error("selection filter").contains("unexpected"));
        assert!(error("").contains("ends"));
        assert!(error(&"not ".repeat(100)).contains("nests"));
    }
}
