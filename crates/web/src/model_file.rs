//! A model file as the page holds it, whichever kind: its text and what the page says of
//! it. The stores make one from a file's text; `kept_model` keeps it.

use std::sync::Arc;

/// A model at hand: its text, to send to the worker, and what the page says of it.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelFile {
    /// The JSON text, shared: it travels to every analysis.
    pub json: Arc<str>,
    /// A sentence naming it: "Baseline: web.log (1,204 lines) from …".
    pub summary: String,
    /// The name to download it under.
    pub file_name: String,
}

/// A download name with only safe characters: "<prefix>-<stem>.json".
pub fn file_name(prefix: &str, source: &str) -> String {
    let stem: String = source
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    format!("{prefix}-{stem}.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_download_name_keeps_only_safe_characters() {
        assert_eq!(
            file_name("baseline", "C:\\logs\\web <01>.log"),
            "baseline-web__01_.log.json"
        );
    }
}
