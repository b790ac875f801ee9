//! The analyst's choice to pseudonymise what leaves the page (exports, the history),
//! and the key pseudonyms are drawn with, kept in this browser.

use crate::js_error;
use loglens_core::Report;
use loglens_core::line_collector::NumberedLine;
use loglens_core::pseudonym::PseudonymMode;
use std::borrow::Cow;

/// Where the pseudonym key lives in this browser, so pseudonyms stay the same from one
/// export to the next (and are unknowable to anyone without this browser profile).
const KEY_STORAGE: &str = "loglens.pseudonym-key";

/// How pseudonymised addresses are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PseudonymStyle {
    /// `ip-3fa2c1`: never taken for a real host.
    Keyed,
    /// Addresses in the documentation ranges, for tools that expect addresses.
    Documentation,
    /// Addresses cut to their network (IPv4 /24, IPv6 /48), as GoAccess does.
    Truncated,
}

impl PseudonymStyle {
    /// The `<option>` value for this style, and back.
    pub fn value(self) -> &'static str {
        match self {
            Self::Keyed => "keyed",
            Self::Documentation => "documentation",
            Self::Truncated => "truncate",
        }
    }

    pub fn from_value(value: &str) -> Self {
        match value {
            "documentation" => Self::Documentation,
            "truncate" => Self::Truncated,
            _ => Self::Keyed,
        }
    }

    /// The pseudonymiser's mode, keyed with this browser's key.
    pub fn mode(self) -> Result<PseudonymMode, String> {
        let key = pseudonym_key()?;
        Ok(match self {
            Self::Keyed => PseudonymMode::Keyed(key),
            Self::Documentation => PseudonymMode::Documentation(key),
            Self::Truncated => PseudonymMode::Truncated(key),
        })
    }
}

/// What leaves the page of `report`, its evidence `lines` and its file's name `source`:
/// as they are, or pseudonymised in `style` (by the helper worker, off this thread).
pub async fn as_shown<'r>(
    style: Option<PseudonymStyle>,
    source: &str,
    report: &'r Report,
    lines: Vec<NumberedLine>,
) -> Result<(String, Cow<'r, Report>, Vec<NumberedLine>), String> {
    match style {
        Some(style) => crate::helper_worker::hide(style.mode()?, source, report, lines)
            .await
            .map(|(source, report, lines)| (source, Cow::Owned(report), lines)),
        None => Ok((source.to_owned(), Cow::Borrowed(report), lines)),
    }
}

/// This browser's pseudonym key, drawn from the browser's CSPRNG the first time.
fn pseudonym_key() -> Result<[u8; 16], String> {
    let window = web_sys::window().ok_or("there is no window")?;
    let storage = window.local_storage().ok().flatten();
    let stored = storage
        .as_ref()
        .and_then(|s| s.get_item(KEY_STORAGE).ok().flatten())
        .and_then(|hex| parse_key(&hex));
    if let Some(key) = stored {
        return Ok(key);
    }
    let mut key = [0u8; 16];
    window
        .crypto()
        .and_then(|crypto| crypto.get_random_values_with_u8_array(&mut key))
        .map_err(|e| {
            format!(
                "No pseudonym key could be drawn: {}",
                js_error::describe(&e)
            )
        })?;
    if let Some(storage) = storage {
        let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        // Without storage the key lives for this export only: safe, just not stable.
        let _ = storage.set_item(KEY_STORAGE, &hex);
    }
    Ok(key)
}

fn parse_key(hex: &str) -> Option<[u8; 16]> {
    let mut key = [0u8; 16];
    if hex.len() != 32 {
        return None;
    }
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_a_stored_key() {
        assert_eq!(
            parse_key("000102030405060708090a0b0c0d0e0f"),
            Some([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])
        );
        assert_eq!(parse_key("00"), None);
        assert_eq!(parse_key("zz0102030405060708090a0b0c0d0e0f"), None);
    }

    #[test]
    fn styles_read_back_from_their_values() {
        for style in [
            PseudonymStyle::Keyed,
            PseudonymStyle::Documentation,
            PseudonymStyle::Truncated,
        ] {
            assert_eq!(PseudonymStyle::from_value(style.value()), style);
        }
    }
}
