//! `loglens analyze`: the report of one or more files, written as a table, JSON, CSV
//! or HTML, pseudonymised on request; or a growing file followed (`--follow`).

use crate::input::{self, Inputs};
use crate::{AnalyzeArgs, FindingFilter, Output, analyze, follow, now, summary};
use anyhow::Context;
use loglens_core::pseudonym::{PseudonymMode, Pseudonymizer};
use loglens_core::{AnalysisOptions, DetectionOptions};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// `loglens analyze` with these arguments.
pub(crate) fn run(args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let AnalyzeArgs {
        files,
        output,
        out,
        summary_only,
        pseudonymize,
        truncate_addresses,
        documentation_addresses,
        fail_on,
        follow,
        follow_every,
        follow_checks,
        reading,
    } = args;
    let filter = reading.filter();
    let hiding = pseudonymize
        .then(|| pseudonym_mode(truncate_addresses, documentation_addresses))
        .transpose()?;
    if follow {
        if fail_on.is_some() {
            anyhow::bail!(
                "--fail-on needs the log's end, and a followed log has none: leave out one of --follow and --fail-on"
            );
        }
        if summary_only {
            anyhow::bail!(
                "--follow writes findings as they appear, and --summary-only looks for none: leave out one of them"
            );
        }
        if reading.threads.is_some_and(|threads| threads != 1) {
            anyhow::bail!("--follow reads with one thread: leave out --threads");
        }
        return follow_file(
            &files,
            out.as_deref(),
            FollowSettings {
                output,
                filter,
                options: reading.options()?,
                hiding,
                every: follow_every,
                checks: follow_checks,
            },
        );
    }
    let inputs = Inputs::new(files)?;
    let detection = if summary_only {
        DetectionOptions::none()
    } else {
        reading.detection()?
    };
    let options = reading.options_with(detection)?;
    let report = analyze(&inputs, options, reading.threads())?.report;
    // The HTML report's evidence and the CSV's flagged lines are read again from the input.
    let mut evidence = match output {
        Output::Html => {
            inputs.lines(loglens_core::export::wanted_evidence_lines(&report, filter))?
        }
        Output::Csv => inputs.lines(loglens_core::export::wanted_flagged_lines(&report, filter))?,
        Output::Table | Output::Json => Vec::new(),
    };
    let (report, source) = match hiding {
        Some(mode) => {
            let mut hider = Pseudonymizer::new(mode);
            let hidden = hider.export(&report, &mut evidence);
            (hidden, hider.source_name(&inputs.name()))
        }
        None => (report, inputs.name()),
    };
    let document = Document {
        output,
        source,
        report: &report,
        filter,
        evidence: &evidence,
        pseudonymized: pseudonymize,
    };
    let failed = fail_on.is_some_and(|threshold| {
        report
            .visible_findings(filter)
            .any(|finding| finding.severity >= threshold)
    });
    let written = match &out {
        Some(path) => {
            let created =
                File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            write_report(BufWriter::new(created), &document)
                .with_context(|| format!("cannot write {}", path.display()))
        }
        None => match write_report(BufWriter::new(io::stdout().lock()), &document) {
            // A closed pipe (`loglens analyze x | head`) is the reader's choice, not an error.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            other => other.context("cannot write the report"),
        },
    };
    written.map(|()| {
        if failed {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    })
}

/// A report to write, and how.
struct Document<'a> {
    output: Output,
    /// How the report names its input.
    source: String,
    report: &'a loglens_core::Report,
    filter: FindingFilter,
    /// The evidence lines' text, for the HTML report.
    evidence: &'a [loglens_core::line_collector::NumberedLine],
    pseudonymized: bool,
}

fn write_report(mut out: impl Write, document: &Document<'_>) -> io::Result<()> {
    let Document {
        output,
        source,
        report,
        filter,
        evidence,
        pseudonymized,
    } = document;
    let (output, filter, pseudonymized) = (*output, *filter, *pseudonymized);
    match output {
        Output::Table => summary::write(&mut out, source, report, filter)?,
        Output::Json => {
            let document = loglens_core::export::json_report(report, filter);
            serde_json::to_writer_pretty(&mut out, &document)?;
            writeln!(out)?;
        }
        Output::Csv => loglens_core::export::write_flagged_lines(
            &mut out, report, filter, evidence,
        )
        .map_err(|e| match e.into_kind() {
            csv::ErrorKind::Io(io) => io,
            other => io::Error::other(format!("{other:?}")),
        })?,
        Output::Html => {
            let context = loglens_core::export::HtmlContext {
                source: source.to_owned(),
                generated: now().format("%Y-%m-%d %H:%M UTC"),
                pseudonymized,
            };
            out.write_all(
                loglens_core::export::html_report(report, filter, &context, evidence).as_bytes(),
            )?;
        }
    }
    out.flush()
}

/// How `analyze --follow` reports, from the command line.
struct FollowSettings {
    output: Output,
    filter: FindingFilter,
    options: AnalysisOptions,
    hiding: Option<PseudonymMode>,
    every: f64,
    checks: Option<u64>,
}

/// `analyze --follow`: checks what can be followed, then follows it until killed,
/// writing to standard output or to `out`.
fn follow_file(
    files: &[PathBuf],
    out: Option<&std::path::Path>,
    settings: FollowSettings,
) -> anyhow::Result<ExitCode> {
    let [path] = files else {
        anyhow::bail!("--follow follows one file; {} were given", files.len());
    };
    if input::is_stdin(path) {
        anyhow::bail!("--follow needs a file: standard input already streams as it grows");
    }
    let output = match settings.output {
        Output::Table => follow::FollowOutput::Table,
        Output::Json => follow::FollowOutput::JsonLines,
        Output::Csv | Output::Html => {
            anyhow::bail!("--follow writes a table or JSON lines (--output table or json)")
        }
    };
    if !(settings.every.is_finite() && settings.every > 0.0) {
        anyhow::bail!("--follow-every must be a positive number of seconds");
    }
    let follow = follow::Follow {
        options: AnalysisOptions {
            now: now(),
            ..settings.options
        },
        filter: settings.filter,
        output,
        every: std::time::Duration::from_secs_f64(settings.every),
        checks: settings.checks,
        hiding: settings.hiding,
    };
    let followed = match out {
        Some(file) => {
            let created =
                File::create(file).with_context(|| format!("cannot create {}", file.display()))?;
            follow::follow(path, &follow, &mut BufWriter::new(created))
        }
        None => follow::follow(path, &follow, &mut io::stdout().lock()),
    };
    match followed {
        Err(e)
            if e.downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe) => {}
        other => other?,
    }
    Ok(ExitCode::SUCCESS)
}

/// How `--pseudonymize` hides addresses, with a key drawn afresh for this run.
fn pseudonym_mode(truncate: bool, documentation: bool) -> anyhow::Result<PseudonymMode> {
    let mut key = [0u8; 16];
    getrandom::fill(&mut key).map_err(|e| anyhow::anyhow!("cannot draw a pseudonym key: {e}"))?;
    Ok(if truncate {
        PseudonymMode::Truncated(key)
    } else if documentation {
        PseudonymMode::Documentation(key)
    } else {
        PseudonymMode::Keyed(key)
    })
}
