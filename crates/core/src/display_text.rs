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
/// C0 and C1 controls (but tab), DEL, Unicode's bidirectional formatting marks, and the
/// invisible ones: zero-width spaces and joiners, the soft hyphen, word joiners and
/// invisible operators, the byte-order mark, variation selectors, tag characters and the
/// fillers some fonts draw as nothing (`admin\u{200B}` is not `admin`).
fn is_hidden_control(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{A}'..='\u{1F}' | '\u{7F}'..='\u{9F}'
        | '\u{AD}' | '\u{34F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E007F}' | '\u{E0100}'..='\u{E01EF}')
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
    fn escapes_what_would_not_be_seen() {
        assert_eq!(for_display("ad\u{200B}min", 100), "ad\\u{200B}min");
        assert_eq!(
            for_display("\u{FEFF}x\u{2060}y\u{AD}z\u{E0041}\u{FE0F}", 100),
            "\\u{FEFF}x\\u{2060}y\\xADz\\u{E0041}\\u{FE0F}"
        );
        assert_eq!(
            for_display("caf\u{E9} \u{1F600}", 100),
            "caf\u{E9} \u{1F600}"
        );
    }

    #[test]
    fn an_escape_is_never_cut_in_half() {
        assert_eq!(for_display("ab\u{1b}", 3), "ab…");
        assert_eq!(for_display("ab\u{1b}", 6), "ab\\x1B");
    }
}
