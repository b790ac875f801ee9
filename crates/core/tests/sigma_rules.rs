//! SigmaHQ's rules on real logs from the repository's corpus. The expected counts come
//! from `scripts/sigma_expectations.py`, which searches each rule's values in the raw
//! lines as the rule says (ignoring case), without loglens.

use loglens_core::LogTime;
use loglens_core::query::{Query, QueryScan};
use loglens_core::sigma::SigmaSet;
use std::collections::BTreeMap;
use std::path::PathBuf;

const NOW: LogTime = LogTime {
    epoch_secs: 1_800_000_000,
    offset_secs: 0,
};

fn rules() -> Vec<serde_json::Value> {
    serde_json::from_str(include_str!("fixtures/sigma/rules.json")).unwrap()
}

/// How many lines of `log` each rule matches, by title.
fn matches_in(set: &SigmaSet, text: &str) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    let mut scan = QueryScan::new(Query::parse("*").unwrap(), None, NOW, 0, 0);
    let mut scratch = loglens_core::sigma::Scratch::default();
    let mut count = |_: loglens_core::Line<'_>, event: Option<&loglens_core::event::Event<'_>>| {
        if let Some(event) = event {
            for &i in set.matching(event, &mut scratch) {
                *counts.entry(set.rules()[i].info.title.clone()).or_insert(0) += 1;
            }
        }
    };
    scan.feed_each(text.as_bytes(), &mut count);
    scan.finish_each(&mut count);
    counts
}

fn real_log(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../example_logs/real")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

fn counts(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(t, n)| ((*t).to_owned(), *n)).collect()
}

#[test]
fn rules_for_other_log_sources_are_refused_with_the_reason() {
    let documents = rules();
    let set = SigmaSet::compile(&documents);
    let unsupported = set.refused();
    assert_eq!(set.rules().len(), 7);
    assert_eq!(unsupported.len(), 1);
    assert_eq!(unsupported[0].title, "Renamed Whoami Execution");
    assert!(
        unsupported[0].reason.contains("category: process_creation"),
        "{:?}",
        unsupported[0]
    );
    let first = &set.rules()[0].info;
    assert_eq!(first.id, "7745c2ea-24a5-4290-b680-04359cb84b35");
    assert_eq!(first.level, "medium");
    assert!(first.tags.contains(&"attack.t1190".to_owned()));
}

#[test]
fn sigmahq_rules_on_real_access_logs_match_what_python_finds() {
    let documents = rules();
    let set = SigmaSet::compile(&documents);
    let ua = "Suspicious User-Agents Related To Recon Tools";
    let git = "Source Code Enumeration Detection by Keyword";
    assert_eq!(
        matches_in(&set, &real_log("access_vhost_scanner_2024.log")),
        counts(&[(git, 3), (ua, 3)])
    );
    assert_eq!(
        matches_in(&set, &real_log("access_apache_webshell_scan_2020.log")),
        counts(&[(ua, 10)])
    );
    assert_eq!(
        matches_in(&set, &real_log("access_apache_noise_2024.log")),
        counts(&[(git, 4), (ua, 5)])
    );
    assert_eq!(
        matches_in(&set, &real_log("access_plone_spambots_2015.log")),
        counts(&[])
    );
    // No sshd error the rule names is in the corpus's auth logs (grep -ci).
    assert_eq!(
        matches_in(&set, &real_log("auth_denyusers_2024.log")),
        counts(&[])
    );
}

#[test]
fn each_rule_finds_the_line_it_was_written_for() {
    let documents = rules();
    let set = SigmaSet::compile(&documents);
    let access = |method: &str, target: &str, status: u16, agent: &str| {
        format!(
            r#"203.0.113.9 - - [01/Mar/2024:10:00:00 +0000] "{method} {target} HTTP/1.1" {status} 10 "-" "{agent}""#
        )
    };
    let cases = [
        (
            access("GET", "/download?file=../../../etc/passwd", 200, "x"),
            "Path Traversal Exploitation Attempts",
        ),
        (
            access("GET", "/item?id=1%20UNION%20SELECT%20password", 200, "x"),
            "SQL Injection Strings In URI",
        ),
        (
            access(
                "GET",
                "/",
                200,
                "Mozilla/5.0 (compatible; Nmap Scripting Engine)",
            ),
            "Suspicious User-Agents Related To Recon Tools",
        ),
        (
            access("GET", "/Basic/Command/Base64/d2hvYW1p", 200, "x"),
            "JNDIExploit Pattern",
        ),
        (
            access("GET", "/.git/config", 200, "x"),
            "Source Code Enumeration Detection by Keyword",
        ),
        (
            access("GET", "/search?q=%3Cscript%3E&x=document.cookie", 200, "x"),
            "Cross Site Scripting Strings",
        ),
        (
            "Mar  1 10:00:00 web1 sshd[42]: Corrupted MAC on input. [preauth]".to_owned(),
            "Suspicious OpenSSH Daemon Error",
        ),
    ];
    for (line, title) in &cases {
        let found = matches_in(&set, &format!("{line}\n"));
        assert_eq!(found, counts(&[(title, 1)]), "{line}");
    }
    // The filters hold: a refused SQL injection and a refused XSS are not reported.
    let refused = access(
        "GET",
        "/item?id=1%20UNION%20SELECT%20password&q=document.cookie",
        404,
        "x",
    );
    assert_eq!(matches_in(&set, &format!("{refused}\n")), counts(&[]));
    // Values ignore case unless the rule says otherwise.
    let shouted = access("GET", "/DOWNLOAD?FILE=../../../ETC/PASSWD", 200, "x");
    assert_eq!(
        matches_in(&set, &format!("{shouted}\n")),
        counts(&[("Path Traversal Exploitation Attempts", 1)])
    );
}
