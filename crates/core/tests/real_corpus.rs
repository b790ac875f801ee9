//! Detection on real logs nobody on the team wrote: every expectation in
//! `example_logs/real/EXPECTATIONS.txt` (written by hand from reading each log, before
//! loglens ran on it) must hold. `example_logs/real/README.md` says where each log comes
//! from; `scripts/real_corpus.sh` prints what was found per file.

use loglens_core::{AnalysisOptions, Finding, FindingFilter, Report, Severity, analyze_bytes};
use std::collections::BTreeMap;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../example_logs/real");

/// One line of the expectations file.
#[derive(Debug)]
enum Expectation {
    /// No High or Critical finding.
    Clean,
    /// A finding shown by default names `client`, of one of `kinds` (any kind when empty).
    Report { client: String, kinds: Vec<String> },
    /// Not met yet: listed, not asserted.
    Gap,
    /// The file holds this many records (multi-line records joined).
    Records(u64),
}

fn expectations() -> BTreeMap<String, Vec<(usize, Expectation)>> {
    let text = std::fs::read_to_string(format!("{CORPUS}/EXPECTATIONS.txt"))
        .expect("EXPECTATIONS.txt is readable");
    let mut by_file: BTreeMap<String, Vec<(usize, Expectation)>> = BTreeMap::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let (file, expectation) = match words.as_slice() {
            ["gap", file, ..] => (*file, Expectation::Gap),
            [file, "clean"] => (*file, Expectation::Clean),
            [file, "records", count] => (
                *file,
                Expectation::Records(count.parse().unwrap_or_else(|_| {
                    panic!(
                        "EXPECTATIONS.txt line {}: {count} is not a count",
                        index + 1
                    )
                })),
            ),
            [file, "report", client, kinds] => (
                *file,
                Expectation::Report {
                    client: (*client).to_owned(),
                    kinds: kinds
                        .split('|')
                        .filter(|k| *k != "any")
                        .map(str::to_owned)
                        .collect::<Vec<_>>(),
                },
            ),
            _ => panic!("EXPECTATIONS.txt line {}: cannot read {line:?}", index + 1),
        };
        // `|any` anywhere in the list means any kind.
        let expectation = match expectation {
            Expectation::Report { client, kinds } if line.contains("any") => Expectation::Report {
                client,
                kinds: if line
                    .split_whitespace()
                    .nth(3)
                    .is_some_and(|k| k.split('|').any(|k| k == "any"))
                {
                    Vec::new()
                } else {
                    kinds
                },
            },
            other => other,
        };
        by_file
            .entry(file.to_owned())
            .or_default()
            .push((index + 1, expectation));
    }
    by_file
}

fn analyzed(file: &str) -> Report {
    let input = std::fs::read(format!("{CORPUS}/{file}"))
        .unwrap_or_else(|e| panic!("{file} is in EXPECTATIONS.txt but unreadable: {e}"));
    analyze_bytes(&input, AnalysisOptions::default())
}

/// Whether `finding` is about `client`: its client, or one of a campaign's sources.
fn names(finding: &Finding, client: &str) -> bool {
    finding.client == client
        || finding
            .description
            .split(|c: char| c.is_whitespace() || c == ',')
            .any(|word| word == client)
}

#[test]
fn every_real_log_meets_what_an_analyst_expects() {
    let mut unmet = Vec::new();
    let mut checked = 0;
    for (file, expected) in expectations() {
        let report = analyzed(&file);
        let shown: Vec<&Finding> = report.visible_findings(FindingFilter::default()).collect();
        for (line, expectation) in expected {
            match expectation {
                Expectation::Clean => {
                    checked += 1;
                    for finding in report
                        .findings
                        .iter()
                        .filter(|f| f.severity >= Severity::High)
                    {
                        unmet.push(format!(
                            "line {line}: {file} is clean, but has {} {} for {}: {}",
                            finding.severity, finding.kind, finding.client, finding.description
                        ));
                    }
                }
                Expectation::Report { client, kinds } => {
                    checked += 1;
                    let about: Vec<&&Finding> =
                        shown.iter().filter(|f| names(f, &client)).collect();
                    let fits = about
                        .iter()
                        .any(|f| kinds.is_empty() || kinds.iter().any(|k| k == f.kind.as_str()));
                    if !fits {
                        let found: Vec<&str> = about.iter().map(|f| f.kind.as_str()).collect();
                        unmet.push(format!(
                            "line {line}: {file}: {client} should be reported as {kinds:?}, found {found:?}"
                        ));
                    }
                }
                Expectation::Records(count) => {
                    checked += 1;
                    if report.parsed != count {
                        unmet.push(format!(
                            "line {line}: {file} holds {count} records, loglens read {} (and {} continuing lines, {} rejected)",
                            report.parsed, report.continued, report.rejected
                        ));
                    }
                }
                Expectation::Gap => {}
            }
        }
    }
    assert!(checked >= 100, "only {checked} expectations were checked");
    assert!(
        unmet.is_empty(),
        "{} unmet:\n{}",
        unmet.len(),
        unmet.join("\n")
    );
}

#[test]
fn every_real_log_is_in_the_expectations_and_half_hold_attacks() {
    let expected = expectations();
    let mut files: Vec<String> = std::fs::read_dir(CORPUS)
        .expect("the corpus is readable")
        .map(|entry| entry.expect("an entry"))
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.ends_with(".md") && !name.ends_with(".txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 15, "only {} real logs", files.len());
    for file in &files {
        assert!(expected.contains_key(file), "{file} has no expectation");
    }
    let with_attacks = expected
        .values()
        .filter(|e| {
            e.iter()
                .any(|(_, e)| matches!(e, Expectation::Report { .. }))
        })
        .count();
    let clean = expected
        .values()
        .filter(|e| e.iter().any(|(_, e)| matches!(e, Expectation::Clean)))
        .count();
    assert!(
        with_attacks >= 8 && clean >= 5,
        "{with_attacks} with attacks, {clean} clean"
    );
}
