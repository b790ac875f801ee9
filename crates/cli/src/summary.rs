//! The plain-text summary `loglens analyze` prints: the same figures as the page's summary.

use loglens_core::Report;
use loglens_core::figures::{group_thousands, human_bytes, human_duration, percent};
use std::io::{self, Write};

/// How many rejected-line reasons to list.
const REASONS_SHOWN: usize = 5;

pub fn write(out: &mut impl Write, source: &str, report: &Report) -> io::Result<()> {
    let format = report
        .format
        .map_or_else(|| "not recognised".to_owned(), |f| f.to_string());
    writeln!(out, "{source}")?;
    writeln!(out, "  format     {format}")?;
    writeln!(out, "  size       {}", human_bytes(report.bytes_read))?;
    writeln!(out, "  lines      {}", group_thousands(report.lines))?;
    writeln!(
        out,
        "  parsed     {} ({})",
        group_thousands(report.parsed),
        percent(report.parsed, report.lines)
    )?;
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
    match (report.first_time, report.last_time) {
        (Some(first), Some(last)) => writeln!(
            out,
            "  time span  {first} to {last} ({})",
            human_duration(last.epoch_secs - first.epoch_secs)
        ),
        _ => writeln!(out, "  time span  none (no line parsed)"),
    }
}
