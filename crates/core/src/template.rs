//! A line's template: its text with the variable parts folded, so lines that differ only
//! in an address, a number or an id share one. The line model counts templates to find
//! rare lines; a comparison lists the templates new in a period.
//!
//! A message folds each word holding a digit, starting with a quote or bracket, or long
//! and hexadecimal (`Failed password for root from <*> port <*> ssh2`); a request folds
//! each path segment holding a digit and drops the query (`GET /orders/<*>`).

use crate::stable_hash::StableHasher;

/// What stands for a folded part.
const FOLDED: &str = "<*>";

fn message_parts(message: &str) -> impl Iterator<Item = &str> {
    message.split_whitespace().map(|word| {
        let variable = word.bytes().any(|b| b.is_ascii_digit())
            || word.starts_with(['"', '\'', '['])
            || (word.len() >= 8 && word.bytes().all(|b| b.is_ascii_hexdigit()));
        if variable { FOLDED } else { word }
    })
}

/// A path's segments, folded, as bytes: a request is split on every line, and splitting
/// by `char` cost most of it. Every separator is ASCII, so each part is whole UTF-8.
fn path_parts(target: &str) -> impl Iterator<Item = &[u8]> {
    let target = target.as_bytes();
    let path = memchr::memchr2(b'?', b'#', target).map_or(target, |end| &target[..end]);
    path.split(|&b| b == b'/').map(|segment| {
        if segment.iter().any(u8::is_ascii_digit) {
            FOLDED.as_bytes()
        } else {
            segment
        }
    })
}

/// A message's template, hashed.
pub(crate) fn message_template(message: &str) -> u64 {
    let mut hasher = StableHasher::new();
    message_parts(message).for_each(|part| hasher.add(part.as_bytes()));
    hasher.finish()
}

/// A request's template (its method and folded path), hashed.
pub(crate) fn request_template(method: &str, target: &str) -> u64 {
    let mut hasher = StableHasher::new();
    hasher.add(method.as_bytes());
    path_parts(target).for_each(|part| hasher.add(part));
    hasher.finish()
}

/// A message's template, as text.
pub fn message_template_text(message: &str) -> String {
    message_parts(message).collect::<Vec<_>>().join(" ")
}

/// A request's template, as text: `GET /orders/<*>`.
pub fn request_template_text(method: &str, target: &str) -> String {
    format!(
        "{method} {}",
        String::from_utf8_lossy(&path_parts(target).collect::<Vec<_>>().join(&b'/'))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fold_the_variable_parts() {
        let failed = "Failed password for root from 203.0.113.9 port 52144 ssh2";
        assert_eq!(
            message_template(failed),
            message_template("Failed password for root from 198.51.100.4 port 40022 ssh2")
        );
        assert_eq!(
            message_template_text(failed),
            "Failed password for root from <*> port <*> <*>"
        );
        assert_ne!(
            message_template("session opened"),
            message_template("session closed")
        );
        assert_eq!(
            request_template("GET", "/orders/17?x=1"),
            request_template("GET", "/orders/9")
        );
        assert_eq!(
            request_template_text("GET", "/orders/17?x=1"),
            "GET /orders/<*>"
        );
    }

    #[test]
    fn a_request_hashes_as_its_parts_do() {
        // Saved baselines name templates by this hash: it must be the hash of the parts
        // `request_template_text` shows, each added alone.
        for (method, target) in [
            ("GET", "/orders/17?x=1"),
            ("GET", "/"),
            ("", ""),
            ("POST", "//a/b2//c#frag?q"),
            ("GET", "/caf\u{e9}/x9/\u{1f600}?"),
            ("HEAD", "?only=query"),
        ] {
            let mut by_parts = StableHasher::new();
            by_parts.add(method.as_bytes());
            path_parts(target).for_each(|part| by_parts.add(part));
            assert_eq!(
                request_template(method, target),
                by_parts.finish(),
                "{method} {target}"
            );
        }
    }
}
