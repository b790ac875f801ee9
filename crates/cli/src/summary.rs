//! The plain-text report `loglens analyze` prints: the same figures as the page's summary,
//! then the findings. Log-derived text is escaped, so a hostile line cannot drive the
//! terminal.

use loglens_core::campaign::{CampaignSummary, Folded, campaign_description, fold_campaigns};
use loglens_core::display_text::for_display;
use loglens_core::figures::{group_thousands, human_bytes, human_duration, percent};
use loglens_core::{Finding, FindingFilter, FindingKind, Report};
use std::io::{self, Write};

/// The widest description shown in the findings table, in characters.
const DESCRIPTION_CHARS: usize = 110;

/// How many rejected-line reasons to list.
const REASONS_SHOWN: usize = 5;

pub fn write(
    out: &mut impl Write,
    source: &str,
    report: &Report,
    filter: FindingFilter,
) -> io::Result<()> {
    let format = report
        .format
        .map_or_else(|| "not recognised".to_owned(), |f| f.to_string());
    writeln!(out, "{source}")?;
    if let Some(problem) = report.input_problem {
        writeln!(out, "  note       {problem}")?;
    }
    writeln!(out, "  format     {format}")?;
    if let Some(baseline) = &report.baseline {
        writeln!(out, "  baseline   {}", for_display(&baseline.name, 120))?;
        if !baseline.fits {
            let learned = baseline
                .learned_format
                .map_or_else(|| "another format".to_owned(), |f| f.to_string());
            writeln!(
                out,
                "             learned from {learned}: its models cannot judge these lines"
            )?;
        }
    }
    if let Some(year) = report.year_assumed {
        writeln!(
            out,
            "  year       {year}, assumed: the log's timestamps do not say"
        )?;
    }
    writeln!(out, "  size       {}", human_bytes(report.bytes_read))?;
    writeln!(out, "  lines      {}", group_thousands(report.lines))?;
    writeln!(
        out,
        "  parsed     {} ({})",
        group_thousands(report.parsed),
        percent(report.parsed + report.continued, report.lines)
    )?;
    if report.continued > 0 {
        writeln!(
            out,
            "  continued  {} lines joined to the record above (tracebacks, stack traces)",
            group_thousands(report.continued)
        )?;
    }
    writeln!(out, "  rejected   {}", group_thousands(report.rejected))?;
    for reason in report.rejects.by_reason.iter().take(REASONS_SHOWN) {
        writeln!(
            out,
            "    {:>8}  {}",
            group_thousands(reason.count),
            reason.reason
        )?;
    }
    if let Some(first) = report.rejects.samples.first() {
        writeln!(out, "    first at line {}: {}", first.line_no, first.reason)?;
    }
    writeln!(out, "  clients    {}", group_thousands(report.clients))?;
    for left_out in &report.untracked {
        writeln!(out, "  left out   {}", left_out.sentence())?;
    }
    match (report.first_time, report.last_time) {
        (Some(first), Some(last)) => writeln!(
            out,
            "  time span  {first} to {last} ({})",
            human_duration(last.epoch_secs - first.epoch_secs)
        )?,
        _ => writeln!(out, "  time span  none (no line parsed)")?,
    }
    write_findings(out, report, filter)
}

fn write_findings(out: &mut impl Write, report: &Report, filter: FindingFilter) -> io::Result<()> {
    let shown: Vec<_> = report.visible_findings(filter).collect();
    let by_severity: Vec<String> = report
        .findings_by_severity(filter)
        .iter()
        .map(|(severity, count)| format!("{count} {severity}"))
        .collect();
    if shown.is_empty() {
        writeln!(
            out,
            "  findings   none at or above {} (sensitivity {})",
            filter.min_severity, filter.sensitivity
        )?;
        if report.findings.is_empty() {
            writeln!(out, "             {}", report.nothing_found_note())?;
        }
        return Ok(());
    }
    writeln!(
        out,
        "  findings   {} ({})",
        shown.len(),
        by_severity.join(", ")
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "  {:>5}  {:<8}  {:<20}  {:<16}  {:>6}  description",
        "score", "severity", "kind", "client", "lines"
    )?;
    let rows = fold_campaigns(&shown, |f| f);
    let folded = rows.len() < shown.len();
    for row in rows {
        match row {
            Folded::One(finding) => write_finding_row(out, finding)?,
            Folded::Campaign { kind, members } => write_campaign_row(out, kind, &members)?,
        }
    }
    if folded {
        writeln!(
            out,
            "  (findings of one kind from many sources are folded into one row; --output json lists each)"
        )?;
    }
    Ok(())
}

/// One row for a campaign: its worst score and severity, its sources and lines.
fn write_campaign_row(
    out: &mut impl Write,
    kind: FindingKind,
    members: &[&Finding],
) -> io::Result<()> {
    let summary = CampaignSummary::of(members);
    writeln!(
        out,
        "  {:>5}  {:<8}  {:<20}  {:<16}  {:>6}  {}",
        summary.worst_score,
        summary.severity.as_str(),
        kind.as_str(),
        format!("{} sources", group_thousands(summary.sources as u64)),
        group_thousands(summary.lines),
        for_display(&campaign_description(members, 6), DESCRIPTION_CHARS)
    )
}

/// One row of the findings table.
pub fn write_finding_row(out: &mut impl Write, finding: &Finding) -> io::Result<()> {
    writeln!(
        out,
        "  {:>5}  {:<8}  {:<20}  {:<16}  {:>6}  {}",
        finding.score,
        finding.severity.as_str(),
        finding.kind.as_str(),
        for_display(&finding.client, 40),
        group_thousands(finding.evidence_count),
        for_display(&finding.description, DESCRIPTION_CHARS)
    )
}
