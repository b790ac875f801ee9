//! The account names one client tried, in one allocation: tens of thousands of guessing
//! clients each trying a dozen names made a boxed string per name the larger part of
//! what password guessing kept.

/// Distinct names in order of first try, at most a given number, kept one after another
/// in one string (a name never holds a line break: logs are read line by line).
#[derive(Debug, Clone, Default)]
pub(crate) struct AccountNames {
    joined: String,
    len: usize,
}

impl AccountNames {
    /// Adds `name` unless it is there already or `max` names are.
    pub(crate) fn insert(&mut self, name: &str, max: usize) {
        if self.len >= max || name.contains('\n') || self.iter().any(|known| known == name) {
            return;
        }
        if self.len > 0 {
            self.joined.push('\n');
        }
        self.joined.push_str(name);
        self.len += 1;
    }

    /// The names, in order of first try.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        self.joined.split('\n').take(self.len)
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_distinct_names_in_order_up_to_the_most() {
        let mut names = AccountNames::default();
        assert!(names.is_empty() && names.iter().next().is_none());
        for name in ["root", "admin", "root", "", "bad\nname", "oracle"] {
            names.insert(name, 4);
        }
        assert_eq!(
            names.iter().collect::<Vec<_>>(),
            ["root", "admin", "", "oracle"]
        );
        names.insert("more", 4);
        assert_eq!(names.len(), 4);
    }
}
