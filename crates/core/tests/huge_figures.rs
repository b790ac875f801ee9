//! Byte counts a hostile log makes as large as they go: every sum saturates at the most a
//! `u64` holds, never wraps round to a small number ("16384.0 PiB sent").

use loglens_core::export::{HtmlContext, html_report};
use loglens_core::{AnalysisOptions, FindingFilter, FindingKind, LogTime, analyze_bytes};

#[test]
fn byte_totals_saturate_instead_of_wrapping() {
    let mut log = String::new();
    for i in 0..60 {
        log.push_str(&format!(
            "198.51.100.{} - - [11/Mar/2024:01:{i:02}:00 +0000] \"GET /account.php?page={i} HTTP/1.1\" 200 5120 \"-\" \"Mozilla/5.0\"\n",
            i % 7
        ));
    }
    // Four in one minute: that minute's total is more than a u64 holds.
    for second in 0..4 {
        log.push_str(&format!(
            "203.0.113.9 - - [11/Mar/2024:02:00:{second:02} +0000] \"GET /export/customers.csv HTTP/1.1\" 200 {} \"-\" \"curl/8\"\n",
            u64::MAX - 1
        ));
    }
    let options = AnalysisOptions {
        now: LogTime::parse_rfc3339("2024-06-01T00:00:00Z").unwrap(),
        ..AnalysisOptions::default()
    };
    let report = analyze_bytes(log.as_bytes(), options);
    assert_eq!(report.parsed, 64);
    let most = report.traffic.buckets.iter().map(|b| b.bytes).max();
    assert_eq!(most, Some(u64::MAX));
    let export = report
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::DataExfiltration)
        .expect("an exfiltration finding");
    assert!(
        export.description.starts_with("16.0 EiB sent"),
        "{}",
        export.description
    );
    // The charts scale to it too.
    let context = HtmlContext {
        source: "huge.log".to_owned(),
        generated: String::new(),
        pseudonymized: false,
    };
    let html = html_report(&report, FindingFilter::default(), &context, &[]);
    assert!(html.contains("<svg"));
}
