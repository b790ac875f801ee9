//! The baseline this browser keeps: learned from a file, or loaded from a model file, kept
//! in `localStorage` (a few hundred KB of numbers and hashes, no log text) with a switch
//! saying whether analyses are judged against it.

use loglens_core::{Baseline, LogFormat, LogTime};
use std::sync::Arc;

/// Where the baseline's JSON is kept.
const STORAGE: &str = "loglens.baseline";
/// Where the switch is kept ("on" or "off").
const IN_USE_STORAGE: &str = "loglens.baseline.in_use";

/// A baseline at hand: its text, to send to the worker, and what the page shows of it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredBaseline {
    /// The JSON text, shared: it travels to every analysis.
    pub json: Arc<str>,
    /// "name (N lines)".
    pub description: String,
    /// The format it was learned from.
    pub format: Option<LogFormat>,
    /// When it was learned.
    pub learned_at: Option<LogTime>,
}

impl StoredBaseline {
    /// Reads a model file's text; the error is a sentence for the page.
    pub fn read(json: &str) -> Result<Self, String> {
        let baseline = Baseline::from_json(json)
            .map_err(|e| format!("This file cannot be used as a baseline: {e}."))?;
        Ok(Self::of(&baseline, json.into()))
    }

    /// A baseline just learned from `source`, named after it.
    pub fn learned(json: &str, source: &str) -> Result<Self, String> {
        let mut baseline = Baseline::from_json(json)
            .map_err(|e| format!("The baseline learned could not be read back: {e}."))?;
        baseline.source.name = source.to_owned();
        let json = baseline.to_json();
        Ok(Self::of(&baseline, json.into()))
    }

    fn of(baseline: &Baseline, json: Arc<str>) -> Self {
        Self {
            json,
            description: baseline.describe(),
            format: baseline.source.format,
            learned_at: baseline.source.learned_at,
        }
    }

    /// A file name for downloading it: "baseline-<name>.json", with only safe characters.
    pub fn file_name(&self) -> String {
        let stem: String = self
            .description
            .split(" (")
            .next()
            .unwrap_or("")
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
        format!("baseline-{stem}.json")
    }
}

/// The baseline remembered in this browser, and whether it is in use.
pub fn remembered() -> (Option<StoredBaseline>, bool) {
    let Some(storage) = storage() else {
        return (None, false);
    };
    let stored = storage
        .get_item(STORAGE)
        .ok()
        .flatten()
        .and_then(|json| StoredBaseline::read(&json).ok());
    let in_use = storage.get_item(IN_USE_STORAGE).ok().flatten().as_deref() != Some("off");
    (stored, in_use)
}

/// Keeps `baseline` (or forgets it) and the switch; the error is a sentence for the page.
pub fn remember(baseline: Option<&StoredBaseline>, in_use: bool) -> Result<(), String> {
    let storage = storage().ok_or("This browser keeps nothing for this page.")?;
    let kept = match baseline {
        Some(baseline) => storage.set_item(STORAGE, &baseline.json),
        None => storage.remove_item(STORAGE),
    };
    kept.map_err(|_| "The browser refused to keep the baseline (its storage is full or off).")?;
    let _ = storage.set_item(IN_USE_STORAGE, if in_use { "on" } else { "off" });
    Ok(())
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_download_name_keeps_only_safe_characters() {
        let stored = StoredBaseline {
            json: "{}".into(),
            description: "C:\\logs\\web <01>.log (10 lines)".to_owned(),
            format: None,
            learned_at: None,
        };
        assert_eq!(stored.file_name(), "baseline-web__01_.log.json");
    }

    #[test]
    fn a_bad_model_file_says_why() {
        let problem = StoredBaseline::read(r#"{"loglens_baseline": 3}"#).unwrap_err();
        assert!(problem.contains("format version 3"), "{problem}");
    }
}
