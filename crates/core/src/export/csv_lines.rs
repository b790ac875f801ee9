//! The CSV of flagged lines: one row per line that is evidence of a finding.
//!
//! A line that is evidence of several findings appears once, under the worst of them
//! (highest score, then the order of the report). Rows are in line order.

use crate::finding::Finding;
use crate::report::Report;
use crate::sensitivity::FindingFilter;
use std::collections::BTreeMap;
use std::io::Write;

/// The header row, part of the contract.
pub const FLAGGED_LINES_HEADER: [&str; 5] = ["line", "client", "kind", "severity", "score"];

/// Writes the flagged lines of the findings `filter` shows as CSV to `out`.
pub fn write_flagged_lines(
    out: impl Write,
    report: &Report,
    filter: FindingFilter,
) -> Result<(), csv::Error> {
    let mut worst: BTreeMap<u64, &Finding> = BTreeMap::new();
    for finding in report.visible_findings(filter) {
        for &line in &finding.lines {
            // Findings come worst first, so the first one to claim a line keeps it.
            worst.entry(line).or_insert(finding);
        }
    }
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(FLAGGED_LINES_HEADER)?;
    for (line, finding) in worst {
        writer.write_record([
            line.to_string().as_str(),
            &spreadsheet_safe(&finding.client),
            finding.kind.as_str(),
            finding.severity.as_str(),
            finding.score.to_string().as_str(),
        ])?;
    }
    writer.flush()?;
    Ok(())
}

/// A cell a spreadsheet will not run: text starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return (a formula, as in `=cmd|' /c calc'!A1`) gets a leading `'`, which
/// spreadsheets read as "this is text". A hostile log can put anything in a client field.
pub(crate) fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
    use crate::{AnalysisOptions, analyze_bytes};

    const LOG: &str = concat!(
        "10.0.0.1 - - [01/Jan/2024:10:00:00 +0000] \"GET /.env HTTP/1.1\" 404 1 \"-\" \"Nikto\"\n",
        "10.0.0.2 - - [01/Jan/2024:10:00:01 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"x\"\n",
        "10.0.0.1 - - [01/Jan/2024:10:00:02 +0000] \"GET /a?id=1%20union%20select%20null,null HTTP/1.1\" 200 1 \"-\" \"x\"\n",
    );

    #[test]
    fn a_formula_in_a_client_field_is_not_a_formula_in_the_csv() {
        // The client field is whatever the line starts with: here, a spreadsheet formula.
        let line = "=2+5+cmd|'/C_calc'!A0 - - [01/Jan/2024:10:00:00 +0000] \"GET /.env HTTP/1.1\" 404 1 \"-\" \"x\"\n";
        let report = analyze_bytes(line.as_bytes(), AnalysisOptions::default());
        assert_eq!(report.findings.len(), 1);
        let mut out = Vec::new();
        write_flagged_lines(&mut out, &report, FindingFilter::default()).unwrap();
        let text = String::from_utf8(out).unwrap();
        let row = text.lines().nth(1).unwrap();
        assert!(row.starts_with("1,'=2+5+cmd|'/C_calc'!A0,"), "{row}");
        for cell in text.lines().flat_map(|l| l.split(',')) {
            assert!(
                !cell
                    .trim_start_matches('"')
                    .starts_with(['=', '+', '-', '@']),
                "{cell}"
            );
        }
        assert_eq!(spreadsheet_safe("203.0.113.9"), "203.0.113.9");
        assert_eq!(spreadsheet_safe("-1+1"), "'-1+1");
    }

    fn csv_of(min_severity: Severity) -> String {
        let filter = FindingFilter {
            min_severity,
            ..FindingFilter::default()
        };
        let report = analyze_bytes(LOG.as_bytes(), AnalysisOptions::default());
        let mut out = Vec::new();
        write_flagged_lines(&mut out, &report, filter).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn one_row_per_flagged_line_under_its_worst_finding() {
        // Line 1 is both a sensitive-file probe and a scanner agent: the probe scores higher.
        assert_eq!(
            csv_of(Severity::Low),
            "line,client,kind,severity,score\n\
             1,10.0.0.1,sensitive_file_probe,medium,50\n\
             3,10.0.0.1,sql_injection,high,78\n"
        );
    }

    #[test]
    fn min_severity_filters_rows() {
        assert_eq!(
            csv_of(Severity::High),
            "line,client,kind,severity,score\n3,10.0.0.1,sql_injection,high,78\n"
        );
    }
}
