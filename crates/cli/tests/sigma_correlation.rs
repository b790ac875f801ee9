//! Sigma correlations over a real log: a correlation rule's event and value counts, and a
//! rule's own `count() by`. The expected lines were worked out apart from loglens (see
//! `tests/fixtures/sigma_correlation/README.md`).

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn here(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Per Sigma finding whose description holds `title`: its client and lines.
fn lines_of(report: &serde_json::Value, title: &str) -> BTreeMap<String, u64> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "sigma_rule")
        .filter(|f| f["description"].as_str().unwrap().contains(title))
        .map(|f| {
            (
                f["client"].as_str().unwrap().to_owned(),
                f["evidence_count"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn correlations_find_the_bursts_counted_apart() {
    let output = Command::cargo_bin("loglens")
        .unwrap()
        .args([
            "analyze",
            "--output",
            "json",
            "--sensitivity",
            "100",
            "--sigma",
        ])
        .arg(here("tests/fixtures/sigma_correlation"))
        .arg(here(
            "../../example_logs/real/access_apache_webshell_scan_2020.log",
        ))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("not run"), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let expected = |pairs: &[(&str, u64)]| -> BTreeMap<String, u64> {
        pairs.iter().map(|(c, n)| ((*c).to_owned(), *n)).collect()
    };
    assert_eq!(
        lines_of(&report, "\"Bursts of not found\""),
        expected(&[("91.241.19.84", 19), ("61.219.41.141", 973)])
    );
    assert_eq!(
        lines_of(&report, "\"Many missing paths\""),
        expected(&[("61.219.41.141", 972)])
    );
    assert_eq!(
        lines_of(&report, "\"Scanner by count\""),
        expected(&[("61.219.41.141", 973)])
    );
    // The counted rule alone is no finding (Sigma's `generate: false`).
    assert!(lines_of(&report, "\"Not found\"").is_empty());
    let bursts = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["client"] == "91.241.19.84")
        .unwrap();
    assert_eq!(
        bursts["description"],
        "19 lines from 91.241.19.84 made the Sigma correlation \"Bursts of not found\" hold: \
         at least 5 matches within 10s (high; id 7d1b0c9e-0000-4000-8000-000000000405)"
    );
    assert_eq!(bursts["severity"], "high");
}

#[test]
fn a_correlation_it_cannot_run_is_named_with_the_reason() {
    let rule = std::env::temp_dir().join(format!("loglens-temporal-{}.yml", std::process::id()));
    std::fs::write(
        &rule,
        "title: Base\nid: base\nlogsource: {category: webserver}\ndetection: {selection: {sc-status: 404}, condition: selection}\n---\n\
         title: In order\nid: ordered\ncorrelation: {type: temporal_ordered, rules: [base], timespan: 1m, condition: {gte: 2}}\n",
    )
    .unwrap();
    let output = Command::cargo_bin("loglens")
        .unwrap()
        .args(["analyze", "--output", "json", "--sigma"])
        .arg(&rule)
        .arg(here(
            "../../example_logs/real/access_vhost_scanner_2024.log",
        ))
        .output()
        .unwrap();
    std::fs::remove_file(&rule).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("Sigma rule \"In order\" ordered not run: the correlation type temporal_ordered is not supported (only event_count and value_count)"),
        "{stderr}"
    );
}
