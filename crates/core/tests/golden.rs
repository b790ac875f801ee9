//! Golden summaries of the bundled example logs: a change in what the engine reports or
//! finds
//! shows up as a snapshot diff to review (`cargo insta review`), not as silence.

use loglens_core::{AnalysisOptions, FindingFilter, Report, analyze_bytes};
use std::fmt::Write;

/// A short, reviewable digest of a report: the figures, the traffic shape, every reject
/// reason, the first rejected lines, every finding and the first rows.
fn digest(report: &Report) -> String {
    let mut out = String::new();
    let format = report.format.map_or("none".to_owned(), |f| f.to_string());
    let _ = writeln!(out, "format: {format}");
    let _ = writeln!(
        out,
        "bytes: {}, lines: {}, parsed: {}, rejected: {}, clients: {}",
        report.bytes_read, report.lines, report.parsed, report.rejected, report.clients
    );
    let time = |t: Option<loglens_core::LogTime>| t.map_or("none".to_owned(), |t| t.to_string());
    let _ = writeln!(
        out,
        "span: {} .. {}",
        time(report.first_time),
        time(report.last_time)
    );
    let busiest = report.traffic.buckets.iter().max_by_key(|b| b.requests);
    let _ = writeln!(
        out,
        "traffic: {} buckets of {} s, busiest {:?}",
        report.traffic.buckets.len(),
        report.traffic.bucket_secs,
        busiest.map(|b| (b.start_epoch_secs, b.requests))
    );
    for reason in &report.rejects.by_reason {
        let _ = writeln!(out, "reject reason: {} x{}", reason.reason, reason.count);
    }
    for line in report.rejects.samples.iter().take(5) {
        let text: String = line.text.chars().take(70).collect();
        let _ = writeln!(
            out,
            "rejected line {}: {} | {text}",
            line.line_no, line.reason
        );
    }
    let shown: Vec<_> = report.visible_findings(FindingFilter::default()).collect();
    let _ = writeln!(
        out,
        "near-misses hidden at the default sensitivity: {}",
        report.findings.len() - shown.len()
    );
    for finding in shown {
        let _ = writeln!(
            out,
            "finding: {} {} {} score {} confidence {:.2} lines {} first line {:?}",
            finding.kind,
            finding.severity,
            finding.client,
            finding.score,
            finding.confidence,
            finding.evidence_count,
            finding.lines.first()
        );
    }
    for label in &report.labels {
        let _ = writeln!(out, "label: {} x{}", label.label, label.rows);
    }
    for row in report.first_rows.iter().take(5) {
        let _ = writeln!(
            out,
            "row {}: {} {} {} {} {}",
            row.line_no,
            row.client,
            row.time,
            row.method,
            row.target,
            row.status.map_or("-".to_owned(), |s| s.to_string())
        );
    }
    out
}

#[test]
fn access_combined() {
    let input = include_bytes!("../../../example_logs/access_combined.log");
    insta::assert_snapshot!(digest(&analyze_bytes(input, AnalysisOptions::default())));
}

#[test]
fn access_caddy_json() {
    // The same traffic as access_combined.log, written as Caddy's JSON access log.
    let input = include_bytes!("../../../example_logs/access_caddy.jsonl");
    insta::assert_snapshot!(digest(&analyze_bytes(input, AnalysisOptions::default())));
}

#[test]
fn auth_log() {
    let input = include_bytes!("../../../example_logs/auth.log");
    insta::assert_snapshot!(digest(&analyze_bytes(input, AnalysisOptions::default())));
}

/// One golden test per further example, each named after its file.
macro_rules! golden {
    ($($name:ident: $file:literal,)*) => {$(
        #[test]
        fn $name() {
            let input = include_bytes!(concat!("../../../example_logs/", $file));
            insta::assert_snapshot!(digest(&analyze_bytes(input, AnalysisOptions::default())));
        }
    )*};
}

golden! {
    access_common: "access_common.log",
    access_werkzeug: "access_werkzeug.log",
    auth_rfc5424: "auth_rfc5424.log",
    nginx_error: "nginx_error.log",
    apache_error: "apache_error.log",
    app_python: "app_python.log",
    app_generic: "app_generic.log",
    flows_cicids: "flows_cicids.csv",
}
