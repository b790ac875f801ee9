//! Log text made safe to show a person.
//!
//! Log lines are written by whoever sent the request, attackers included. Shown raw, a
//! right-to-left override (U+202E) reorders the evidence on screen, and control bytes
//! can hide text or drive a terminal. So text kept for display has those characters
//! written as visible escapes, and is cut to a length a table can hold. (It is never
//! rendered as HTML either; that is the front ends' part.)

use std::fmt::Write;

/// `text` with control and bidirectional-formatting characters escaped (`\x1B`,
/// `\u{202E}`), cut to at most `max_chars` characters with `…` appended when cut.
pub fn for_display(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars * 4));
    let mut chars_written = 0;
    for c in text.chars() {
        let before = out.len();
        if is_hidden_control(c) {
            if u32::from(c) <= 0xFF {
                let _ = write!(out, "\\x{:02X}", u32::from(c));
            } else {
                let _ = write!(out, "\\u{{{:04X}}}", u32::from(c));
            }
        } else {
            out.push(c);
        }
        chars_written += out[before..].chars().count();
        if chars_written > max_chars {
            out.truncate(floor_char_boundary(&out, before));
            out.push('…');
            return out;
        }
    }
    out
}

/// Characters that change how the text around them is shown, or are not shown at all:
/// C0 and C1 controls (but tab), DEL, and Unicode's bidirectional formatting marks.
fn is_hidden_control(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{A}'..='\u{1F}' | '\u{7F}'..='\u{9F}'
        | '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn floor_char_boundary(text: &str, at: usize) -> usize {
    (0..=at.min(text.len()))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_on_character_boundaries() {
        assert_eq!(for_display("héllo", 2), "hé…");
        assert_eq!(for_display("héllo", 5), "héllo");
        assert_eq!(for_display("", 0), "");
    }

    #[test]
    fn escapes_controls_and_bidi_overrides() {
        assert_eq!(for_display("a\u{1b}[31mred", 100), "a\\x1B[31mred");
        assert_eq!(
            for_display("evil\u{202E}gnp.exe", 100),
            "evil\\u{202E}gnp.exe"
        );
        assert_eq!(
            for_display("nul\0 del\u{7f} tab\t", 100),
            "nul\\x00 del\\x7F tab\t"
        );
    }

    #[test]
    fn an_escape_is_never_cut_in_half() {
        assert_eq!(for_display("ab\u{1b}", 3), "ab…");
        assert_eq!(for_display("ab\u{1b}", 6), "ab\\x1B");
    }
}
