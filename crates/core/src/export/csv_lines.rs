//! The CSV of flagged lines: one row per line that is evidence of a finding, with what
//! an analyst sorts and filters by in a spreadsheet: the line's time, client, the
//! finding's kind, severity and score, the request's method, target and status, and the
//! line as written (read again from the input: the report holds no log lines).
//!
//! A line that is evidence of several findings appears once, under the worst of them
//! (highest score, then the order of the report). Rows are in line order.

use crate::event::Event;
use crate::finding::Finding;
use crate::line_collector::NumberedLine;
use crate::line_fields::{FieldValue, QueryField};
use crate::parse::{LineParser, LogFormat};
use crate::report::Report;
use crate::sensitivity::FindingFilter;
use crate::time::LogTime;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;

/// The header row, part of the contract.
pub const FLAGGED_LINES_HEADER: [&str; 10] = [
    "line", "time", "client", "kind", "severity", "score", "method", "target", "status", "text",
];

/// The flagged lines of the findings `filter` shows, by the worst finding of each.
fn flagged_lines(report: &Report, filter: FindingFilter) -> BTreeMap<u64, &Finding> {
    let mut worst: BTreeMap<u64, &Finding> = BTreeMap::new();
    for finding in report.visible_findings(filter) {
        for &line in &finding.lines {
            // Findings come worst first, so the first one to claim a line keeps it.
            worst.entry(line).or_insert(finding);
        }
    }
    worst
}

/// The lines [`write_flagged_lines`] needs read from the input, ascending.
pub fn wanted_flagged_lines(report: &Report, filter: FindingFilter) -> Vec<u64> {
    let mut wanted: Vec<u64> = flagged_lines(report, filter).into_keys().collect();
    // A flow CSV's rows are read by its header row, the file's first line.
    if report.format == Some(LogFormat::FlowCsv) && wanted.first() != Some(&1) {
        wanted.insert(0, 1);
    }
    wanted
}

/// Writes the flagged lines of the findings `filter` shows as CSV to `out`, each with
/// its text from `lines` (as read from the input) and the fields parsed from it; a line
/// missing from `lines`, or that does not parse, leaves those cells empty, and a line cut
/// to the length a kept line has ends in `…`, its fields empty.
pub fn write_flagged_lines(
    out: impl Write,
    report: &Report,
    filter: FindingFilter,
    lines: &[NumberedLine],
) -> Result<(), csv::Error> {
    let texts: HashMap<u64, &NumberedLine> = lines.iter().map(|l| (l.line_no, l)).collect();
    // The analysis's own reading: its format, and a year for lines without one as near
    // the log's last time as it was to the analysis.
    let now = report.last_time.unwrap_or(LogTime {
        epoch_secs: 0,
        offset_secs: 0,
    });
    let mut parser = report
        .format
        .map(|format| LineParser::for_format(format, now));
    if let (Some(parser), Some(LogFormat::FlowCsv), Some(header)) =
        (parser.as_mut(), report.format, texts.get(&1))
    {
        let _ = parser.parse(&header.text);
    }
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(FLAGGED_LINES_HEADER)?;
    for (line, finding) in flagged_lines(report, filter) {
        let read = texts.get(&line);
        let text = read.map_or("", |l| l.text.as_str());
        // A line cut to what a kept line holds no longer parses whole: its cell says so.
        let cut = read.is_some_and(|l| l.cut);
        let event = parser
            .as_mut()
            .filter(|_| !text.is_empty() && !cut)
            .and_then(|parser| parser.parse(text).ok())
            .map(|(_, event)| event);
        let field = |field: QueryField| -> String {
            match event.as_ref().and_then(|e| field.value_in(e)) {
                Some(FieldValue::Text(text)) => spreadsheet_safe(text).into_owned(),
                Some(FieldValue::Number(n)) => n.to_string(),
                None => String::new(),
            }
        };
        writer.write_record([
            line.to_string().as_str(),
            &event
                .as_ref()
                .map(Event::time)
                .map(|t| t.to_string())
                .unwrap_or_default(),
            &spreadsheet_safe(&finding.client),
            finding.kind.as_str(),
            finding.severity.as_str(),
            finding.score.to_string().as_str(),
            &field(QueryField::Method),
            &field(QueryField::Target),
            &field(QueryField::Status),
            &if cut {
                format!("{}…", spreadsheet_safe(text))
            } else {
                spreadsheet_safe(text).into_owned()
            },
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
        let lines = [NumberedLine {
            line_no: 1,
            text: line.trim_end().to_owned(),
            cut: false,
        }];
        write_flagged_lines(&mut out, &report, FindingFilter::default(), &lines).unwrap();
        let text = String::from_utf8(out).unwrap();
        let row = text.lines().nth(1).unwrap();
        assert!(
            row.starts_with("1,2024-01-01T10:00:00+00:00,'=2+5+cmd|'/C_calc'!A0,"),
            "{row}"
        );
        assert!(
            row.contains(",\"'=2+5+cmd|'/C_calc'!A0 - - [01/Jan"),
            "{row}"
        );
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

    /// The `wanted` lines of `log`, as the input would be read again for them.
    fn read_again(log: &str, wanted: &[u64]) -> Vec<NumberedLine> {
        log.lines()
            .zip(1..)
            .filter(|(_, line_no)| wanted.contains(line_no))
            .map(|(text, line_no)| NumberedLine {
                line_no,
                text: text.to_owned(),
                cut: false,
            })
            .collect()
    }

    fn csv_of(min_severity: Severity) -> String {
        let filter = FindingFilter {
            min_severity,
            ..FindingFilter::default()
        };
        let report = analyze_bytes(LOG.as_bytes(), AnalysisOptions::default());
        let wanted = wanted_flagged_lines(&report, filter);
        let lines = read_again(LOG, &wanted);
        let mut out = Vec::new();
        write_flagged_lines(&mut out, &report, filter, &lines).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn one_row_per_flagged_line_under_its_worst_finding() {
        // Line 1 is both a sensitive-file probe and a scanner agent: the probe scores higher.
        assert_eq!(
            csv_of(Severity::Low),
            "line,time,client,kind,severity,score,method,target,status,text\n\
             1,2024-01-01T10:00:00+00:00,10.0.0.1,sensitive_file_probe,medium,50,GET,/.env,404,\
             \"10.0.0.1 - - [01/Jan/2024:10:00:00 +0000] \"\"GET /.env HTTP/1.1\"\" 404 1 \"\"-\"\" \"\"Nikto\"\"\"\n\
             3,2024-01-01T10:00:02+00:00,10.0.0.1,sql_injection,high,78,GET,\
             \"/a?id=1%20union%20select%20null,null\",200,\
             \"10.0.0.1 - - [01/Jan/2024:10:00:02 +0000] \"\"GET /a?id=1%20union%20select%20null,null HTTP/1.1\"\" 200 1 \"\"-\"\" \"\"x\"\"\"\n"
        );
    }

    #[test]
    fn min_severity_filters_rows_and_a_line_not_read_has_its_finding_only() {
        let csv = csv_of(Severity::High);
        assert_eq!(csv.lines().count(), 2);
        assert!(
            csv.lines()
                .nth(1)
                .unwrap()
                .starts_with("3,2024-01-01T10:00:02+00:00,10.0.0.1,sql_injection,high,78,GET,")
        );
        let report = analyze_bytes(LOG.as_bytes(), AnalysisOptions::default());
        let mut out = Vec::new();
        write_flagged_lines(&mut out, &report, FindingFilter::default(), &[]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap().lines().nth(1),
            Some("1,,10.0.0.1,sensitive_file_probe,medium,50,,,,")
        );
        assert_eq!(
            wanted_flagged_lines(&report, FindingFilter::default()),
            [1, 3]
        );
    }

    #[test]
    fn a_flow_csvs_rows_are_read_by_its_header_and_a_cut_line_says_so() {
        let flows = include_str!("../../../../example_logs/real/cicids2017_improved_excerpt.csv");
        let report = analyze_bytes(flows.as_bytes(), AnalysisOptions::default());
        let wanted = wanted_flagged_lines(&report, FindingFilter::default());
        assert_eq!(wanted.first(), Some(&1), "the header is read too");
        assert!(wanted.len() > 1, "the excerpt has flagged flows");
        let lines = read_again(flows, &wanted);
        let mut out = Vec::new();
        write_flagged_lines(&mut out, &report, FindingFilter::default(), &lines).unwrap();
        let mut reader = csv::Reader::from_reader(out.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), wanted.len() - 1);
        assert!(
            rows.iter().all(|row| !row[1].is_empty()),
            "every flow has its time"
        );

        let report = analyze_bytes(LOG.as_bytes(), AnalysisOptions::default());
        let cut = [NumberedLine {
            line_no: 3,
            text: LOG.lines().nth(2).unwrap()[..60].to_owned(),
            cut: true,
        }];
        let mut out = Vec::new();
        write_flagged_lines(&mut out, &report, FindingFilter::default(), &cut).unwrap();
        let text = String::from_utf8(out).unwrap();
        let row = text.lines().nth(2).unwrap();
        assert!(
            row.starts_with("3,,10.0.0.1,sql_injection,high,78,,,,"),
            "{row}"
        );
        assert!(row.ends_with("…\""), "{row}");
    }
}
