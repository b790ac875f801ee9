//! A file of real attack payloads (script tags, event handlers, `javascript:` URLs, SVG,
//! CSS injection, terminal escapes, spreadsheet formulas) through every output: the HTML
//! report holds them as text, the CSV neutralises formulas, the JSON is data. The page's
//! side is `e2e/hostile.test.mjs`, the CLI's `crates/cli/tests/hostile.rs`.

use loglens_core::export::{
    HtmlContext, html_report, json_report, wanted_evidence_lines, wanted_flagged_lines,
    write_flagged_lines,
};
use loglens_core::line_collector::LineCollector;
use loglens_core::{AnalysisOptions, FindingFilter, analyze_bytes};

const HOSTILE: &[u8] = include_bytes!("fixtures/hostile_payloads.log");

/// Every tag in `html`: each literal `<` is the report's own markup, since text holds
/// `&lt;`. Returns (name, attributes) in lower case.
fn tags(html: &str) -> Vec<(String, String)> {
    html.split('<')
        .skip(1)
        .filter_map(|rest| rest.split_once('>'))
        .map(|(tag, _)| {
            let tag = tag.trim_start_matches('/').to_ascii_lowercase();
            let (name, attributes) = tag.split_once(char::is_whitespace).unwrap_or((&tag, ""));
            (name.to_owned(), attributes.to_owned())
        })
        .collect()
}

#[test]
fn every_payload_is_found_and_the_html_report_holds_them_as_text() {
    let report = analyze_bytes(HOSTILE, AnalysisOptions::default());
    let filter = FindingFilter::default();
    assert_eq!(report.parsed, 8);
    assert_eq!(
        report.visible_findings(filter).count(),
        8,
        "every hostile line is flagged"
    );
    let mut collector = LineCollector::new(wanted_evidence_lines(&report, filter));
    collector.feed(HOSTILE);
    let evidence = collector.finish();
    assert_eq!(evidence.len(), 8);
    let context = HtmlContext {
        source: "hostile <b>name</b>.log".to_owned(),
        generated: "2024-03-01 10:00 UTC".to_owned(),
        pseudonymized: false,
    };
    let html = html_report(&report, filter, &context, &evidence);
    // Its own markup: no script, no embedded content, no handler, no javascript: URL,
    // and no control character anywhere.
    for (name, attributes) in tags(&html) {
        assert!(
            !["script", "img", "iframe", "object", "embed", "link", "b"].contains(&name.as_str()),
            "a <{name}> tag"
        );
        assert!(
            !attributes.split_whitespace().any(|a| a.starts_with("on")),
            "<{name} {attributes}> has a handler"
        );
        assert!(!attributes.contains("javascript:"), "<{name} {attributes}>");
    }
    assert_eq!(
        html.matches("<style").count(),
        1,
        "one style element, the report's own"
    );
    assert!(!html.contains(['\u{1b}', '\u{7}']));
    // The payloads are there, as text the reader can see.
    for escaped in [
        "&lt;script&gt;document.title=",
        "&lt;img src=x onerror=document.title=",
        "&lt;svg/onload=document.title=",
        "&lt;/style&gt;&lt;style&gt;body{background:url(//198.51.100.9/x)}",
        r"\x1B[2J\x1B]0;pwned\x07curl/8",
        "hostile &lt;b&gt;name&lt;/b&gt;.log",
    ] {
        assert!(html.contains(escaped), "{escaped:?} is not shown");
    }
}

#[test]
fn spreadsheet_formulas_are_neutralised_in_the_csv_and_plain_in_the_json() {
    let report = analyze_bytes(HOSTILE, AnalysisOptions::default());
    let mut collector = LineCollector::new(wanted_flagged_lines(&report, FindingFilter::default()));
    collector.feed(HOSTILE);
    let lines = collector.finish();
    assert!(!lines.is_empty());
    let mut csv = Vec::new();
    write_flagged_lines(&mut csv, &report, FindingFilter::default(), &lines).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut formulas = 0;
    for row in reader.records() {
        for cell in row.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "a formula cell: {cell}"
            );
            formulas += usize::from(cell.starts_with("'=") || cell.starts_with("'@"));
        }
    }
    // Two clients are formulas, and each begins its line's text too.
    assert_eq!(formulas, 4, "{csv}");
    let json = serde_json::to_string(&json_report(&report, FindingFilter::default())).unwrap();
    let back: serde_json::Value = serde_json::from_str(&json).unwrap();
    let clients: Vec<&str> = back["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["client"].as_str().unwrap())
        .collect();
    assert!(
        clients.contains(&"=cmd|'/C_calc'!A0"),
        "JSON keeps the data as it was: {clients:?}"
    );
}
