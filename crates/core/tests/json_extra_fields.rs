//! A JSON line's fields that no mapping reads are kept: counted by name in the report,
//! and shown on the first rows, so an analyst sees what the log holds beyond the usual.

use loglens_core::{AnalysisOptions, Report, analyze_bytes};

fn analyze(input: &[u8]) -> Report {
    analyze_bytes(input, AnalysisOptions::default())
}

fn line(client: &str, time: &str, target: &str) -> String {
    format!("{client} - - [{time}] \"GET {target} HTTP/1.1\" 200 512 \"-\" \"curl/8\"")
}

#[test]
fn json_fields_no_mapping_reads_are_kept_and_shown() {
    let input = concat!(
        "{\"time\":\"2024-01-01T10:00:00Z\",\"remote_addr\":\"10.0.0.1\",\"status\":200,\"path\":\"/\",\"trace_id\":\"abc123\",\"region\":\"eu-west-1\"}\n",
        "{\"time\":\"2024-01-01T10:00:01Z\",\"remote_addr\":\"10.0.0.2\",\"status\":404,\"path\":\"/x\",\"trace_id\":\"def456\"}\n",
    );
    let report = analyze(input.as_bytes());
    let fields: Vec<(&str, u64)> = report
        .extra_fields
        .iter()
        .map(|f| (f.name.as_str(), f.lines))
        .collect();
    assert_eq!(fields, [("trace_id", 2), ("region", 1)]);
    assert_eq!(
        report.first_rows[0].extra.as_deref(),
        Some("region=eu-west-1, trace_id=abc123")
    );
    // Access logs have no such fields.
    let plain = analyze(line("10.0.0.1", "01/Jan/2024:10:00:00 +0000", "/a").as_bytes());
    assert!(plain.extra_fields.is_empty() && plain.first_rows[0].extra.is_none());
}
