//! Baselines as the page keeps them (see [`crate::kept_model`]): read and checked by the
//! core, named after the file they were learned from.

use crate::model_file::{ModelFile, file_name};
use loglens_core::Baseline;

/// Reads a baseline file's text; the error is a sentence for the page.
pub fn read(json: &str) -> Result<ModelFile, String> {
    let baseline = Baseline::from_json(json)
        .map_err(|e| format!("This file cannot be used as a baseline: {e}."))?;
    Ok(kept(&baseline, json.to_owned()))
}

/// A baseline just learned from `source`, named after it.
pub fn learned(json: &str, source: &str) -> Result<ModelFile, String> {
    let mut baseline = Baseline::from_json(json)
        .map_err(|e| format!("The baseline learned could not be read back: {e}."))?;
    baseline.source.name = source.to_owned();
    let json = baseline.to_json();
    Ok(kept(&baseline, json))
}

fn kept(baseline: &Baseline, json: String) -> ModelFile {
    let when = baseline
        .source
        .learned_at
        .map(|t| format!(", learned {}", t.format("%Y-%m-%d %H:%M UTC")))
        .unwrap_or_default();
    let format = baseline
        .source
        .format
        .map(|f| format!(" from {f}"))
        .unwrap_or_default();
    ModelFile {
        json: json.into(),
        summary: format!("Baseline: {}{format}{when}.", baseline.describe()),
        file_name: file_name("baseline", &baseline.source.name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_baseline_file_says_why() {
        let problem = read(r#"{"loglens_baseline": 3}"#).unwrap_err();
        assert!(problem.contains("format version 3"), "{problem}");
    }
}
