//! Precision on real traffic: a public log with no attack campaign in it must stay quiet.
//! (`example_logs/README.md` says where it comes from.)

use loglens_core::{AnalysisOptions, FindingFilter, analyze_bytes};
use std::collections::HashSet;

#[test]
fn fewer_than_one_line_in_a_thousand_is_flagged_in_a_real_log() {
    let input = include_bytes!("../../../example_logs/elastic_apache_combined.log");
    let report = analyze_bytes(input, AnalysisOptions::default());
    assert_eq!(
        (report.lines, report.rejected),
        (10_000, 1),
        "the file has one truncated line"
    );
    // What a reader sees by default: near-misses wait for a higher sensitivity.
    let shown: Vec<_> = report.visible_findings(FindingFilter::default()).collect();
    let flagged: HashSet<u64> = shown.iter().flat_map(|f| f.lines.iter().copied()).collect();
    let descriptions: Vec<&str> = shown.iter().map(|f| f.description.as_str()).collect();
    assert!(
        flagged.len() * 1000 < report.lines as usize,
        "{} lines flagged: {descriptions:#?}",
        flagged.len()
    );
}
