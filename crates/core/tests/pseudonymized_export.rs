//! A pseudonymised export keeps nothing that identifies: no address, user name or secret
//! from the input appears anywhere in it, in the HTML report (evidence lines included),
//! the JSON export, the CSV or the report the page keeps (first lines and rejected
//! samples included).

use loglens_core::export::{
    HtmlContext, html_report, json_report, wanted_evidence_lines, write_flagged_lines,
};
use loglens_core::line_collector::LineCollector;
use loglens_core::pseudonym::{PseudonymMode, Pseudonymizer};
use loglens_core::{AnalysisOptions, FindingFilter, LogTime, analyze_bytes};
use regex::Regex;

const KEY: [u8; 16] = *b"a secret per tab";

/// Everything a pseudonymised report may show of `input`, as one text.
fn exported(input: &[u8]) -> String {
    let options = AnalysisOptions {
        now: LogTime::parse_rfc3339("2024-06-01T00:00:00Z").unwrap(),
        // Every candidate, so near-misses cannot hide a leak.
        ..AnalysisOptions::default()
    };
    let report = analyze_bytes(input, options);
    assert!(
        !report.findings.is_empty(),
        "the input should give findings"
    );
    let everything = FindingFilter {
        sensitivity: 100,
        ..FindingFilter::default()
    };
    // The HTML report's evidence lines, read from the input and hidden with the report.
    let mut collector = LineCollector::new(wanted_evidence_lines(&report, everything));
    collector.feed(input);
    let mut lines = collector.finish();
    assert!(!lines.is_empty());
    let mut hider = Pseudonymizer::new(PseudonymMode::Keyed(KEY));
    let hidden = hider.export(&report, &mut lines);
    let mut csv = Vec::new();
    write_flagged_lines(&mut csv, &hidden, everything).unwrap();
    let context = HtmlContext {
        source: "input.log".to_owned(),
        generated: String::new(),
        pseudonymized: true,
    };
    [
        html_report(&hidden, everything, &context, &lines),
        serde_json::to_string(&json_report(&hidden, everything)).unwrap(),
        String::from_utf8(csv).unwrap(),
        serde_json::to_string(&hidden).unwrap(),
    ]
    .join("\n")
}

/// Every IPv4 address in `text`.
fn addresses(text: &str) -> Vec<String> {
    let v4 = Regex::new(r"\b\d{1,3}(?:\.\d{1,3}){3}\b").unwrap();
    let mut found: Vec<String> = v4.find_iter(text).map(|m| m.as_str().to_owned()).collect();
    found.sort();
    found.dedup();
    found
}

fn assert_absent(export: &str, originals: &[String]) {
    for original in originals {
        let word = Regex::new(&format!(r"(^|[^\w.]){}($|[^\w])", regex::escape(original))).unwrap();
        assert!(!word.is_match(export), "{original} is in the export");
    }
}

#[test]
fn an_auth_log_export_keeps_no_address_or_user_name() {
    let input = include_str!("../../../example_logs/auth.log");
    let export = exported(input.as_bytes());
    let mut originals = addresses(input);
    assert!(originals.len() >= 3);
    // The generator's accounts and the names attackers tried ("user" is also the word
    // that introduces a name, so it stays).
    for name in [
        "alice", "bob", "deploy", "root", "admin", "test", "oracle", "postgres", "ubuntu", "guest",
        "git", "ftp",
    ] {
        if input.contains(name) {
            originals.push(name.to_owned());
        }
    }
    assert_absent(&export, &originals);
}

#[test]
fn an_access_log_export_keeps_no_address_user_email_or_secret() {
    let lines = [
        r#"203.0.113.77 - j.miller [11/Mar/2024:14:20:00 +0100] "POST /login?next=/account&session=9f8e7d6c5b4a HTTP/1.1" 401 43 "https://bob:hunter2@intranet.example/" "python-requests/2.31.0""#,
        r#"198.51.100.23 - - [11/Mar/2024:14:20:01 +0100] "GET /reset?email=jane.doe@example.org&api_key=AKIA1234SECRET HTTP/1.1" 200 5 "-" "sqlmap/1.7""#,
        r#"2001:4860:4860::8888 - - [11/Mar/2024:14:20:02 +0100] "GET /search?q=1%27%20union%20select%20password%20from%20users--&token=tok_live_777 HTTP/1.1" 200 5 "-" "curl/8""#,
        r#"192.0.2.150 - ops [11/Mar/2024:14:20:03 +0100] "GET /.env HTTP/1.1" 404 5 "-" "Authorization: Bearer abcdefghijklmnopqrstuvwxyz""#,
    ];
    let mut input = lines.join("\n");
    input.push('\n');
    // Repeat the guesses so there is a brute-force finding too.
    for second in 10..40 {
        input.push_str(&format!(
            "203.0.113.77 - j.miller [11/Mar/2024:14:21:{second} +0100] \"POST /login HTTP/1.1\" 401 43 \"-\" \"python-requests/2.31.0\"\n"
        ));
    }
    let export = exported(input.as_bytes());
    let mut originals = addresses(&input);
    originals.extend(
        [
            "2001:4860:4860::8888",
            "j.miller",
            "ops",
            "jane.doe@example.org",
            "hunter2",
            "9f8e7d6c5b4a",
            "AKIA1234SECRET",
            "tok_live_777",
            "abcdefghijklmnopqrstuvwxyz",
        ]
        .map(String::from),
    );
    assert_absent(&export, &originals);
    // What was found is still there to read.
    assert!(export.contains("brute_force") && export.contains("sensitive_file_probe"));
}
