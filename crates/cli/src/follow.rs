//! `loglens analyze --follow`: read a log to its end, report, then keep reading what is
//! appended, reporting each new finding as it appears (like `tail -f`, with the engine).
//!
//! The analysis is never finished: after each read, a snapshot (see
//! `Analysis::snapshot`) says what has been found so far, and findings not reported yet
//! (by kind and client) are written. A file that shrinks was truncated or rotated: the
//! analysis starts again from its first byte, and says so on standard error. With
//! `--pseudonymize`, one mapping serves the whole run, so a client keeps its pseudonym.

use crate::summary;
use anyhow::Context;
use loglens_core::pseudonym::{PseudonymMode, Pseudonymizer};
use loglens_core::{Analysis, AnalysisOptions, Finding, FindingFilter, FindingKind};
use std::collections::HashSet;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::Duration;

/// How new findings are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowOutput {
    /// The summary, then a table row per new finding.
    Table,
    /// One JSON object per new finding, per line.
    JsonLines,
}

/// How to follow.
#[derive(Debug, Clone)]
pub struct Follow {
    pub options: AnalysisOptions,
    pub filter: FindingFilter,
    pub output: FollowOutput,
    pub every: Duration,
    /// Stop after this many checks for new lines (tests); `None` follows until killed.
    pub checks: Option<u64>,
    /// Pseudonymise what is written, this way.
    pub hiding: Option<PseudonymMode>,
}

/// Follows `path` until killed (or `checks` run out).
pub fn follow(path: &Path, settings: &Follow, out: &mut impl Write) -> anyhow::Result<()> {
    let mut name = path.display().to_string();
    if name.ends_with(".gz") {
        anyhow::bail!("{name} is compressed: a growing log can be followed only as plain text");
    }
    let mut file = File::open(path).with_context(|| format!("cannot open {name}"))?;
    let mut hider = settings.hiding.map(Pseudonymizer::new);
    if let Some(hider) = &mut hider {
        name = hider.source_name(&name);
    }
    let mut analysis = Analysis::new(settings.options.clone());
    let mut offset =
        read_new(&mut file, 0, &mut analysis).with_context(|| format!("cannot read {name}"))?;
    let report = analysis.snapshot();
    if settings.output == FollowOutput::Table {
        let hidden = hider.as_mut().map(|hider| hider.report(&report));
        summary::write(
            out,
            &name,
            hidden.as_ref().unwrap_or(&report),
            settings.filter,
        )?;
        writeln!(
            out,
            "\nfollowing {name}: new findings appear below (Ctrl-C stops)"
        )?;
        out.flush()?;
    }
    let mut writer = NewFindings {
        settings,
        reported: HashSet::new(),
        hider,
    };
    writer.write(&report, out, settings.output == FollowOutput::Table)?;
    let mut checks = 0;
    while settings.checks.is_none_or(|limit| checks < limit) {
        std::thread::sleep(settings.every);
        checks += 1;
        let length = std::fs::metadata(path)
            .with_context(|| format!("cannot read {name}"))?
            .len();
        if length < offset {
            #[allow(clippy::print_stderr)] // A note beside the findings, not one of them.
            {
                eprintln!(
                    "loglens: {name} shrank (truncated or rotated): reading it again from the start"
                );
            }
            file = File::open(path).with_context(|| format!("cannot open {name}"))?;
            analysis = Analysis::new(settings.options.clone());
            writer.reported.clear();
            offset = 0;
        }
        if length == offset {
            continue;
        }
        offset = read_new(&mut file, offset, &mut analysis)
            .with_context(|| format!("cannot read {name}"))?;
        writer.write(&analysis.snapshot(), out, false)?;
    }
    Ok(())
}

/// Feeds the analysis everything from `offset` to the current end; returns the new end.
fn read_new(file: &mut File, offset: u64, analysis: &mut Analysis) -> io::Result<u64> {
    file.seek(SeekFrom::Start(offset))?;
    let mut buffer = vec![0u8; 256 * 1024];
    let mut end = offset;
    loop {
        match file.read(&mut buffer) {
            Ok(0) => return Ok(end),
            Ok(n) => {
                analysis.feed(&buffer[..n]);
                end += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Writes each finding once, as it first appears.
struct NewFindings<'s> {
    settings: &'s Follow,
    /// By kind and the client's own name.
    reported: HashSet<(FindingKind, String)>,
    hider: Option<Pseudonymizer>,
}

impl NewFindings<'_> {
    /// Writes the findings of `report` not written before; `quiet` only records them
    /// (the first summary already listed them).
    fn write(
        &mut self,
        report: &loglens_core::Report,
        out: &mut impl Write,
        quiet: bool,
    ) -> anyhow::Result<()> {
        let fresh: Vec<&Finding> = report
            .visible_findings(self.settings.filter)
            .filter(|f| self.reported.insert((f.kind, f.client.clone())))
            .collect();
        if quiet {
            return Ok(());
        }
        for finding in fresh {
            let hidden = self.hider.as_mut().map(|hider| hider.finding(finding));
            let finding = hidden.as_ref().unwrap_or(finding);
            match self.settings.output {
                FollowOutput::Table => summary::write_finding_row(out, finding)?,
                FollowOutput::JsonLines => {
                    serde_json::to_writer(&mut *out, &loglens_core::export::json_finding(finding))?;
                    writeln!(out)?;
                }
            }
        }
        out.flush()?;
        Ok(())
    }
}
