//! `loglens analyze FILE --sigma RULES`: SigmaHQ's rules on a real log. The expected
//! lines come from `scripts/sigma_expectations.py` (the rules' values searched in the raw
//! lines, without loglens): 3 recon user agents and 3 `.git/` requests. Correlations'
//! expected lines were worked out apart from loglens too (see
//! `tests/fixtures/sigma_correlation/README.md`).

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn here(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

#[test]
fn sigma_rules_find_their_lines_and_a_rule_that_cannot_run_is_named() {
    let output = analyze(
        &here("tests/fixtures/sigma"),
        "access_vhost_scanner_2024.log",
    );
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
    // Where to read more: the rule's first reference, and how many more it gives.
    assert!(enumeration["description"].as_str().unwrap().ends_with(
        "by James Ahearn; see https://pentester.land/tutorials/2018/10/25/source-code-disclosure-via-exposed-git-folder.html (and 1 more in the rule))"
    ));
}

#[test]
fn a_rule_with_only_a_title_level_and_detection_reads_cleanly() {
    // An analyst's quick rule: no id, author, tags or references. grep finds 4 lines of
    // python-requests/ in the log, from 3 clients.
    let output = analyze_with_rule_text(
        "bare-rule",
        "title: Python scripts\nlevel: medium\nlogsource:\n  category: webserver\n\
         detection:\n  selection:\n    cs-user-agent|startswith: 'python-requests/'\n  \
         condition: selection\n",
        "access_vhost_scanner_2024.log",
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let descriptions: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "sigma_rule")
        .map(|f| f["description"].as_str().unwrap())
        .collect();
    assert_eq!(descriptions.len(), 3, "{descriptions:?}");
    assert!(
        descriptions.contains(
            &"2 lines from 179.61.181.234 matched the Sigma rule \"Python scripts\" (medium)"
        ),
        "{descriptions:?}"
    );
}

#[test]
fn cidr_matches_the_addresses_in_its_networks() {
    // awk over the raw log: one line each from 34.76.56.210 and 35.205.244.38 lie in
    // 34.0.0.0/7; no IPv6 client.
    let output = analyze_with_rule_text(
        "cidr",
        "title: Cloud ranges\nlevel: medium\nlogsource: {category: webserver}\n\
         detection: {selection: {c-ip|cidr: ['34.0.0.0/7', '2001:db8::/32']}, condition: selection}\n",
        "access_vhost_scanner_2024.log",
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        lines_of(&report, "\"Cloud ranges\""),
        [
            ("34.76.56.210".to_owned(), 1),
            ("35.205.244.38".to_owned(), 1)
        ]
        .into_iter()
        .collect::<BTreeMap<_, _>>()
    );
}

/// `loglens analyze --output json --sensitivity 100 --sigma RULES` on the real log `log`.
fn analyze(rules: &Path, log: &str) -> std::process::Output {
    Command::cargo_bin("loglens")
        .unwrap()
        .args([
            "analyze",
            "--output",
            "json",
            "--sensitivity",
            "100",
            "--sigma",
        ])
        .arg(rules)
        .arg(here(&format!("../../example_logs/real/{log}")))
        .output()
        .unwrap()
}

/// [`analyze`] with the rules of a file holding `rules`.
fn analyze_with_rule_text(name: &str, rules: &str, log: &str) -> std::process::Output {
    let file = std::env::temp_dir().join(format!("loglens-{name}-{}.yml", std::process::id()));
    std::fs::write(&file, rules).unwrap();
    let output = analyze(&file, log);
    std::fs::remove_file(&file).unwrap();
    output
}

fn sigma_command(extra: &[&str]) -> std::process::Output {
    Command::cargo_bin("loglens")
        .unwrap()
        .args(["sigma", "--rules"])
        .arg(here("tests/fixtures/sigma"))
        .args(extra)
        .arg(here(
            "../../example_logs/real/access_vhost_scanner_2024.log",
        ))
        .output()
        .unwrap()
}

#[test]
fn sigma_lists_each_matching_line_with_its_rule() {
    let output = sigma_command(&[]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.splitn(4, '\t').collect()).collect();
    let of = |title: &str| rows.iter().filter(|r| r[2] == title).count();
    // The counts `scripts/sigma_expectations.py` makes without loglens.
    assert_eq!(of("Suspicious User-Agents Related To Recon Tools"), 3);
    assert_eq!(of("Source Code Enumeration Detection by Keyword"), 3);
    let raw = std::fs::read_to_string(here(
        "../../example_logs/real/access_vhost_scanner_2024.log",
    ))
    .unwrap();
    for row in rows.iter().filter(|r| r[2].starts_with("Source Code")) {
        let number: usize = row[0].parse().unwrap();
        assert_eq!(
            row[3],
            raw.lines().nth(number - 1).unwrap(),
            "line {number}"
        );
        assert!(row[3].contains(".git"), "{}", row[3]);
    }
}

#[test]
fn sigma_json_shows_every_line_as_the_rules_see_it() {
    let output = sigma_command(&["--json"]);
    assert!(output.status.success());
    let raw = std::fs::read_to_string(here(
        "../../example_logs/real/access_vhost_scanner_2024.log",
    ))
    .unwrap();
    let records: Vec<serde_json::Value> = output
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    assert_eq!(records.len(), raw.lines().count());
    let mut matched = 0;
    for record in &records {
        let number = record["line"].as_u64().unwrap() as usize;
        let line = raw.lines().nth(number - 1).unwrap();
        assert_eq!(record["logsource"], "webserver");
        let fields = &record["fields"];
        if line.contains("\\\"") {
            // A quote escaped inside the request: splitting at quotes cannot read it.
            continue;
        }
        // Read from the raw line apart from loglens: the quoted request and the status.
        let request = line.split('"').nth(1).unwrap();
        let status: u64 = line
            .split('"')
            .nth(2)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(fields["sc-status"], status, "line {number}");
        if let [method, target, ..] = request.split(' ').collect::<Vec<_>>()[..] {
            assert_eq!(fields["cs-method"], method, "line {number}");
            assert_eq!(fields["cs-uri-query"], target, "line {number}");
            assert_eq!(
                fields["cs-uri-stem"],
                target.split('?').next().unwrap(),
                "line {number}"
            );
        }
        assert!(fields["keywords"].as_str().unwrap().starts_with(request));
        let rules = record["rules"].as_array().unwrap();
        matched += rules
            .iter()
            .filter(|id| *id == "953d460b-f810-420a-97a2-cfca4c98e602")
            .count();
    }
    assert_eq!(matched, 3, "the .git lines, as in the listing");
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
    let output = analyze(
        &here("tests/fixtures/sigma_correlation"),
        "access_apache_webshell_scan_2020.log",
    );
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
    let output = analyze_with_rule_text(
        "temporal",
        "title: Base\nid: base\nlogsource: {category: webserver}\ndetection: {selection: {sc-status: 404}, condition: selection}\n---\n\
         title: In order\nid: ordered\ncorrelation: {type: temporal_ordered, rules: [base], timespan: 1m, condition: {gte: 2}}\n",
        "access_vhost_scanner_2024.log",
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("Sigma rule \"In order\" ordered not run: the correlation type temporal_ordered is not supported (only event_count and value_count)"),
        "{stderr}"
    );
}
