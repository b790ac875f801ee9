//! `--rules`: people's own rules, from the file the page exports.

use assert_cmd::Command;
use std::path::PathBuf;

fn example_log() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../example_logs/access_combined.log")
}

fn rules_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("loglens-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_rule_finds_exactly_the_lines_it_describes() {
    let rules = rules_file(
        "ping.json",
        r#"{"rules": [{"name": "Ping tool", "field": "path", "test": {"matches": "^/tools/ping"}, "severity": "critical"}]}"#,
    );
    let output = Command::cargo_bin("loglens")
        .unwrap()
        .args([
            "analyze",
            "--output",
            "csv",
            "--disable",
            "signatures",
            "--rules",
        ])
        .arg(&rules)
        .arg(example_log())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let csv = String::from_utf8(output.stdout).unwrap();
    let flagged: Vec<u64> = csv
        .lines()
        .filter(|l| l.contains(",custom_rule,"))
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    // An independent count: the request lines whose target starts with /tools/ping.
    let text = std::fs::read_to_string(example_log()).unwrap();
    let expected: Vec<u64> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            l.split('"')
                .nth(1)
                .and_then(|request| request.split(' ').nth(1))
                .is_some_and(|target| target.starts_with("/tools/ping"))
        })
        .map(|(i, _)| i as u64 + 1)
        .collect();
    assert!(!expected.is_empty());
    let mut flagged_sorted = flagged.clone();
    flagged_sorted.sort_unstable();
    assert_eq!(flagged_sorted, expected);
    assert!(
        csv.lines()
            .filter(|l| l.contains(",custom_rule,"))
            .all(|l| l.contains(",critical,"))
    );
}

#[test]
fn a_broken_rule_stops_the_run_and_says_which_and_why() {
    let rules = rules_file(
        "broken.json",
        r#"[{"name": "ok", "field": "status", "test": {"at_least": 500}, "severity": "low"},
            {"name": "typo", "field": "path", "test": {"matches": "(admin"}, "severity": "high"}]"#,
    );
    let output = Command::cargo_bin("loglens")
        .unwrap()
        .args(["analyze", "--rules"])
        .arg(&rules)
        .arg(example_log())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("broken.json: rule 2 (typo): the expression is not valid: unclosed group"),
        "{stderr}"
    );
}
