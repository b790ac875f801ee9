//! `loglens analyze FILE --sigma RULES`: SigmaHQ's rules on a real log. The expected
//! lines come from `scripts/sigma_expectations.py` (the rules' values searched in the raw
//! lines, without loglens): 3 recon user agents and 3 `.git/` requests.

use assert_cmd::Command;
use std::path::PathBuf;

fn here(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

#[test]
fn sigma_rules_find_their_lines_and_a_rule_that_cannot_run_is_named() {
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
        .arg(here("tests/fixtures/sigma"))
        .arg(here(
            "../../example_logs/real/access_vhost_scanner_2024.log",
        ))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("Sigma rule \"A Windows rule, refused\" 00000000-0000-4000-8000-000000000000 not run: its logsource (category: process_creation, product: windows)"),
        "{stderr}"
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let sigma: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "sigma_rule")
        .collect();
    let lines = |title: &str| -> u64 {
        sigma
            .iter()
            .filter(|f| f["description"].as_str().unwrap().contains(title))
            .map(|f| f["evidence_count"].as_u64().unwrap())
            .sum()
    };
    assert_eq!(
        lines("\"Suspicious User-Agents Related To Recon Tools\""),
        3
    );
    assert_eq!(lines("\"Source Code Enumeration Detection by Keyword\""), 3);
    // The rule's level is the finding's severity; its id and ATT&CK tags are named.
    let enumeration = sigma
        .iter()
        .find(|f| {
            f["description"]
                .as_str()
                .unwrap()
                .contains("Source Code Enumeration")
        })
        .unwrap();
    assert_eq!(enumeration["severity"], "medium");
    assert!(
        enumeration["description"]
            .as_str()
            .unwrap()
            .contains("attack.discovery, attack.t1083; id 953d460b-f810-420a-97a2-cfca4c98e602")
    );
}
