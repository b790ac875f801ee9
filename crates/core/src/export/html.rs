//! The report as one self-contained HTML file: summary, the traffic chart as inline SVG
//! (the page's own chart code), and every finding with its evidence lines.
//!
//! It opens offline in any browser and loads nothing: no scripts at all, styles inline, a
//! Content-Security-Policy that forbids everything else, so even a hostile log line that
//! escaped escaping could not fetch or run anything. Every text from the log is escaped
//! and its control characters made visible. It prints well: a print stylesheet keeps
//! rows whole and drops the screen colours.

use crate::campaign::{CampaignSummary, Folded, campaign_description, fold_campaigns};
use crate::chart::{ChartStyle, draw_statuses, draw_traffic, svg};
use crate::display_text::for_display;
use crate::figures::{group_thousands, human_bytes, time_range_text};
use crate::finding::{Finding, Severity};
use crate::line_collector::NumberedLine;
use crate::report::Report;
use crate::sensitivity::FindingFilter;
use std::collections::HashMap;
use std::fmt::Write;

/// Evidence lines shown per finding.
pub const EVIDENCE_PER_FINDING: usize = 10;

/// What the report says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HtmlContext {
    /// The file's name, as the analyst knows it.
    pub source: String,
    /// When the report was made, as the caller's clock says (the core has none).
    pub generated: String,
    /// Whether addresses, names and secrets were replaced.
    pub pseudonymized: bool,
}

/// The evidence lines the report will show for the findings `filter` shows: the first
/// [`EVIDENCE_PER_FINDING`] of each, for the caller to read from the input.
pub fn wanted_evidence_lines(report: &Report, filter: FindingFilter) -> Vec<u64> {
    let mut wanted: Vec<u64> = report
        .visible_findings(filter)
        .flat_map(|f| f.evidence_page(0, EVIDENCE_PER_FINDING))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    wanted
}

/// The whole document.
pub fn html_report(
    report: &Report,
    filter: FindingFilter,
    context: &HtmlContext,
    evidence: &[NumberedLine],
) -> String {
    let by_line: HashMap<u64, &NumberedLine> = evidence.iter().map(|l| (l.line_no, l)).collect();
    let findings: Vec<&Finding> = report.visible_findings(filter).collect();
    let mut out = String::with_capacity(64 * 1024);
    let title = format!("loglens report: {}", for_display(&context.source, 120));
    let _ = write!(
        out,
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="referrer" content="no-referrer">
<title>{}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>{}</h1>
<p class="meta">Made by loglens{}{}. {}</p>
</header>
"#,
        escape(&title),
        escape(&title),
        if context.generated.is_empty() {
            String::new()
        } else {
            format!(" on {}", escape(&context.generated))
        },
        format_args!(
            ", at sensitivity {} and severity {} and above",
            filter.sensitivity,
            filter.min_severity.as_str()
        ),
        if context.pseudonymized {
            "Addresses, host and user names are pseudonyms; e-mails and secrets in URLs are redacted."
        } else {
            "Not pseudonymised: it holds the log's own addresses and names."
        },
    );
    write_summary(&mut out, report, &findings);
    write_chart(&mut out, report, &findings);
    write_findings(&mut out, &findings, &by_line);
    out.push_str("</body>\n</html>\n");
    out
}

fn write_summary(out: &mut String, report: &Report, findings: &[&Finding]) {
    let format = report
        .format
        .map_or_else(|| "not recognised".to_owned(), |f| f.to_string());
    let span = match (report.first_time, report.last_time) {
        (Some(first), Some(last)) => format!("{first} to {last}"),
        _ => "no timestamps".to_owned(),
    };
    let rows = [
        ("Format", format),
        ("Size", human_bytes(report.bytes_read)),
        ("Lines", group_thousands(report.lines)),
        ("Parsed", group_thousands(report.parsed)),
        ("Rejected", group_thousands(report.rejected)),
        ("Clients", group_thousands(report.clients)),
        ("Time span", span),
        (
            "Findings",
            format!(
                "{} ({})",
                group_thousands(findings.len() as u64),
                severity_counts_text(findings)
            ),
        ),
    ];
    out.push_str("<section class=\"summary\"><h2>Summary</h2><dl>");
    for (name, value) in rows {
        let _ = write!(out, "<dt>{name}</dt><dd>{}</dd>", escape(&value));
    }
    if let Some(problem) = report.input_problem {
        let _ = write!(
            out,
            "<dt>Problem</dt><dd>{}</dd>",
            escape(&problem.to_string())
        );
    }
    out.push_str("</dl></section>\n");
}

fn write_chart(out: &mut String, report: &Report, findings: &[&Finding]) {
    let offset_secs = report.offset_secs();
    let marks = finding_marks(findings);
    let drawn = svg(960, 300, |area| {
        draw_traffic(
            area,
            &report.traffic,
            &marks,
            offset_secs,
            &ChartStyle::light(1.0),
        )
        .map(|_| ())
    });
    out.push_str("<section class=\"chart\"><h2>Activity over time</h2>\n");
    match drawn {
        Ok(svg) => push_figure(out, "Bar chart of log lines over time", &svg),
        Err(problem) => {
            let _ = write!(
                out,
                "<p>The chart could not be drawn: {}</p>",
                escape(&problem)
            );
        }
    }
    // Status classes, when the log has statuses.
    if report
        .traffic
        .buckets
        .iter()
        .any(|b| b.statuses.iter().any(|&n| n > 0))
    {
        let statuses = svg(960, 240, |area| {
            draw_statuses(area, &report.traffic, offset_secs, &ChartStyle::light(1.0)).map(|_| ())
        });
        if let Ok(svg) = statuses {
            out.push_str(
                "<h3>Status codes over time (2xx green, 3xx blue, 4xx orange, 5xx red)</h3>",
            );
            push_figure(
                out,
                "Stacked bars of responses by status class over time",
                &svg,
            );
        }
    }
    out.push_str("</section>\n");
}

/// A chart's SVG inline, as a labelled figure. Its text is the chart's own (numbers and
/// times), never log content; whatever precedes the `<svg>` element is dropped.
fn push_figure(out: &mut String, label: &str, svg: &str) {
    let body = svg.find("<svg").map_or(svg, |at| &svg[at..]);
    let _ = write!(
        out,
        "<figure role=\"img\" aria-label=\"{label}\">{body}</figure>"
    );
}

/// When findings began (and, for episodes, ended), for the traffic chart's marks: the
/// worst 200, so a flood of findings does not paint the chart red.
pub fn finding_marks(findings: &[&Finding]) -> Vec<(i64, i64)> {
    findings
        .iter()
        .take(200)
        .map(|f| {
            let end = if f.kind.is_episode() {
                f.last_seen.epoch_secs
            } else {
                f.first_seen.epoch_secs
            };
            (f.first_seen.epoch_secs, end)
        })
        .collect()
}

fn write_findings(out: &mut String, findings: &[&Finding], by_line: &HashMap<u64, &NumberedLine>) {
    out.push_str("<section class=\"findings\"><h2>Findings</h2>\n");
    if findings.is_empty() {
        out.push_str("<p>Nothing suspicious found.</p></section>\n");
        return;
    }
    out.push_str(
        "<table><thead><tr><th>Severity</th><th>Score</th><th>Kind</th><th>Client</th><th>When</th><th>Lines</th><th>Description</th></tr></thead><tbody>\n",
    );
    let mut number = 0;
    for row in fold_campaigns(findings, |f| f) {
        match row {
            Folded::One(finding) => {
                number += 1;
                write_finding(out, number, finding, by_line);
            }
            Folded::Campaign { kind, members } => {
                let summary = CampaignSummary::of(&members);
                let _ = writeln!(
                    out,
                    "<tr class=\"finding campaign\"><td><span class=\"badge {sev}\">{sev}</span></td><td class=\"num\">{}</td><td>{}</td><td class=\"mono\">{} sources</td><td class=\"when\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                    summary.worst_score,
                    escape(kind.label()),
                    group_thousands(summary.sources as u64),
                    escape(&summary.when),
                    group_thousands(summary.lines),
                    escape(&campaign_description(&members, 12)),
                    sev = summary.severity.as_str(),
                );
                let _ = write!(
                    out,
                    "<tr class=\"evidence\"><td colspan=\"7\"><details><summary>Each of the {} findings, with its evidence</summary><table>",
                    members.len()
                );
                for finding in members {
                    number += 1;
                    write_finding(out, number, finding, by_line);
                }
                out.push_str("</table></details></td></tr>\n");
            }
        }
    }
    out.push_str("</tbody></table></section>\n");
}

/// A finding's row and, below it, its evidence lines.
fn write_finding(
    out: &mut String,
    number: usize,
    finding: &Finding,
    by_line: &HashMap<u64, &NumberedLine>,
) {
    let _ = writeln!(
        out,
        "<tr class=\"finding\"><td><span class=\"badge {sev}\">{sev}</span></td><td class=\"num\">{}</td><td>{}</td><td class=\"mono\">{}</td><td class=\"when\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
        finding.score,
        escape(finding.kind.label()),
        escape(&for_display(&finding.client, 64)),
        escape(&time_range_text(finding.first_seen, finding.last_seen)),
        group_thousands(finding.evidence_count),
        escape(&finding.description),
        sev = finding.severity.as_str(),
    );
    let shown: Vec<&NumberedLine> = finding
        .evidence_page(0, EVIDENCE_PER_FINDING)
        .iter()
        .filter_map(|line| by_line.get(line).copied())
        .collect();
    let _ = write!(
        out,
        "<tr class=\"evidence\"><td colspan=\"7\"><details open><summary>Evidence of finding {} ({} of {} lines)</summary>",
        number,
        shown.len(),
        group_thousands(finding.evidence_count)
    );
    if !finding.contributions.is_empty() {
        let mut shares: Vec<_> = finding
            .contributions
            .iter()
            .filter(|c| c.weight > 0.005)
            .collect();
        shares.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        out.push_str("<p class=\"why\">Features that stood out: ");
        let parts: Vec<String> = shares
            .iter()
            .map(|c| {
                format!(
                    "{} {:.0}%",
                    escape(&c.feature.replace('_', " ")),
                    c.weight * 100.0
                )
            })
            .collect();
        out.push_str(&parts.join(", "));
        out.push_str("</p>");
    }
    out.push_str("<table class=\"lines\">");
    for line in shown {
        let _ = write!(
            out,
            "<tr><td class=\"num\">{}</td><td class=\"raw\">{}{}</td></tr>",
            line.line_no,
            escape(&for_display(&line.text, 4096)),
            if line.cut { " … (cut)" } else { "" }
        );
    }
    out.push_str("</table></details></td></tr>\n");
}

/// "4 critical, 7 high": how many findings of each severity, worst first.
fn severity_counts_text(findings: &[&Finding]) -> String {
    let parts: Vec<String> = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ]
    .into_iter()
    .filter_map(|severity| {
        let count = findings.iter().filter(|f| f.severity == severity).count();
        (count > 0).then(|| format!("{count} {}", severity.as_str()))
    })
    .collect();
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join(", ")
    }
}

/// Text made safe inside HTML elements and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
body { font: 14px/1.45 system-ui, sans-serif; color: #212529; background: #fff; margin: 24px auto; max-width: 1100px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 22px 0 8px; }
.meta { color: #5c6670; margin: 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dt { color: #5c6670; }
figure { margin: 0; } svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #dee2e6; vertical-align: top; }
th { color: #5c6670; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.when { white-space: nowrap; }
td.mono, td.raw { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
td.raw { word-break: break-all; }
tr.evidence > td { border-bottom: 2px solid #dee2e6; background: #f8f9fa; }
.findings > table { table-layout: fixed; }
.findings > table th:nth-child(1) { width: 9%; } .findings > table th:nth-child(2) { width: 6%; }
.findings > table th:nth-child(3) { width: 13%; } .findings > table th:nth-child(4) { width: 14%; }
.findings > table th:nth-child(5) { width: 17%; } .findings > table th:nth-child(6) { width: 6%; }
table.lines { table-layout: fixed; }
table.lines td { border: 0; padding: 1px 6px; }
table.lines td.num { width: 5em; }
td { overflow-wrap: break-word; }
td.raw { white-space: pre-wrap; overflow-wrap: anywhere; }
.badge { white-space: nowrap; }
summary { cursor: pointer; color: #5c6670; }
.why { margin: 4px 0; color: #5c6670; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; text-transform: capitalize; }
.badge.critical { background: #b42318; } .badge.high { background: #d9480f; } .badge.medium { background: #b08800; } .badge.low { background: #5c6670; }
@media print {
  body { margin: 0; max-width: none; font-size: 11px; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
  tr.evidence > td { background: none; }
  .badge { color: #000; background: none !important; border: 1px solid #000; }
  summary { list-style: none; }
}
";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AnalysisOptions, analyze_bytes};

    const HOSTILE: &str = "203.0.113.66 - - [01/Jan/2024:10:00:00 +0000] \"GET /search?q=<script>alert(1)</script>&x=\\\"><img src=x onerror=alert(2)> HTTP/1.1\" 200 512 \"-\" \"<svg onload=alert(3)>\"\n";

    fn document(input: &str) -> String {
        let report = analyze_bytes(input.as_bytes(), AnalysisOptions::default());
        let filter = FindingFilter::default();
        let wanted = wanted_evidence_lines(&report, filter);
        let mut collector = crate::line_collector::LineCollector::new(wanted);
        collector.feed(input.as_bytes());
        let context = HtmlContext {
            source: "<b>hostile</b>.log".to_owned(),
            generated: "2024-06-01 10:00 UTC".to_owned(),
            pseudonymized: false,
        };
        html_report(&report, filter, &context, &collector.finish())
    }

    #[test]
    fn log_content_is_text_never_markup() {
        let html = document(HOSTILE);
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("&lt;svg onload=alert(3)&gt;"));
        assert!(html.contains("&lt;b&gt;hostile&lt;/b&gt;.log"));
        // The only tags are the report's own: no script, no img, one svg (the chart), and
        // no tag with an event handler or a link out.
        for forbidden in ["<script", "<img", "<iframe", "<object", "<embed", "<link"] {
            assert!(!html.contains(forbidden), "{forbidden} in the report");
        }
        // The traffic chart and the status chart: the report's own drawings only.
        assert_eq!(html.matches("<svg").count(), 2);
        let handler = regex::Regex::new(r"<[a-zA-Z][^>]*\s(on[a-z]+|src|href)\s*=").unwrap();
        assert!(!handler.is_match(&html), "{:?}", handler.find(&html));
        assert!(html.contains("Content-Security-Policy"));
    }

    #[test]
    fn holds_the_summary_chart_findings_and_their_evidence() {
        let input = include_str!("../../../../example_logs/access_combined.log");
        let html = document(input);
        let report = analyze_bytes(input.as_bytes(), AnalysisOptions::default());
        let shown = report.visible_findings(FindingFilter::default()).count();
        assert_eq!(html.matches("<tr class=\"finding\">").count(), shown);
        assert!(html.contains("<svg") && html.contains("lines per 15m"));
        // The log4shell finding's first evidence line, escaped, as the file has it.
        let line = input.lines().nth(4011).unwrap();
        assert!(line.contains("jndi"));
        assert!(html.contains(&escape(line)), "line 4012 missing");
    }

    #[test]
    fn issue_22_a_campaign_is_one_row_that_opens_to_each_finding_and_its_evidence() {
        // Six sources spraying one exploit probe: one campaign row, six findings inside.
        let input: String = (0..6)
            .map(|n| {
                format!(
                    "203.0.113.{n} - - [01/Mar/2024:10:0{n}:00 +0000] \"GET /vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php HTTP/1.1\" 404 5 \"-\" \"curl/8\"\n"
                )
            })
            .collect();
        let html = document(&input);
        assert_eq!(html.matches("<tr class=\"finding campaign\">").count(), 1);
        assert_eq!(html.matches("<tr class=\"finding\">").count(), 6);
        assert!(html.contains("6 findings from 6 sources: 203.0.113.0, 203.0.113.1"));
        assert!(html.contains("Each of the 6 findings, with its evidence"));
        assert!(html.contains(&escape(input.lines().nth(5).unwrap())));
    }
}
