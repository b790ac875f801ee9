//! `--sigma FILE_OR_FOLDER`: Sigma rules read from YAML (every `.yml` and `.yaml` file of a
//! folder, its subfolders included; a file may hold several documents), compiled once, and
//! those that cannot run named on standard error with the reason.

use anyhow::Context;
use loglens_core::sigma::SigmaRules;
use std::path::{Path, PathBuf};

/// The rules under `paths`, as JSON documents.
pub fn read_rules(paths: &[PathBuf]) -> anyhow::Result<Vec<serde_json::Value>> {
    let mut files = Vec::new();
    for path in paths {
        collect(path, &mut files)?;
    }
    let mut documents = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let read = loglens_core::sigma::yaml_documents(&text)
            .map_err(|e| anyhow::anyhow!("{} is not a YAML rule file: {e}", file.display()))?;
        documents.extend(read);
    }
    if documents.is_empty() {
        anyhow::bail!("no Sigma rule in {}", list(paths));
    }
    Ok(documents)
}

/// Names on standard error, beside the output, each of `rules` that cannot run and why.
pub fn print_refused(rules: &SigmaRules) {
    for rule in rules.refused() {
        #[allow(clippy::print_stderr)] // A note beside the output, not part of it.
        {
            eprintln!(
                "loglens: Sigma rule \"{}\" {} not run: {}",
                rule.title, rule.id, rule.reason
            );
        }
    }
}

fn list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `path` if it is a file, else its YAML files, in name order.
fn collect(path: &Path, files: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    if !path.is_dir() {
        files.push(path.to_owned());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .with_context(|| format!("cannot read the folder {}", path.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect(&entry, files)?;
        } else if entry
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"))
        {
            files.push(entry);
        }
    }
    Ok(())
}
