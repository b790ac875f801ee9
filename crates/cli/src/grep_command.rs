//! `loglens grep QUERY FILE…`: the lines a query matches (the query language of
//! `loglens_core::query`), as they are written, or how many.

use crate::input::Inputs;
use anyhow::Context;
use loglens_core::event::Event;
use loglens_core::query::{MATCH_COLUMNS, Query, QueryScan, match_row};
use loglens_core::{Line, LogFormat, LogTime};
use std::cell::RefCell;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `loglens grep`.
#[derive(Debug, clap::Args)]
pub struct GrepArgs {
    /// The query: `/expression/`, a word, or field tests such as
    /// 'status>=500 and path~"^/api"', joined by and, or, not and parentheses.
    #[arg(value_name = "QUERY")]
    query: String,
    /// The log files to read, `-` for standard input; `.gz` files are inflated.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Print how many lines match, and how many when (in at most 240 spans of time), not
    /// the lines.
    #[arg(long, short = 'c')]
    count: bool,
    /// Put each line's number before it.
    #[arg(long, short = 'n')]
    line_numbers: bool,
    /// Write CSV: each matching line's number, time, client and text.
    #[arg(long, conflicts_with_all = ["count", "line_numbers"])]
    csv: bool,
    /// The log format, instead of detecting it from the first lines.
    #[arg(long, value_parser = crate::parse_format)]
    format: Option<LogFormat>,
}

pub fn run(args: GrepArgs, now: LogTime) -> anyhow::Result<ExitCode> {
    let query =
        Query::parse(&args.query).map_err(|e| anyhow::anyhow!("the query cannot be read {e}"))?;
    let inputs = Inputs::new(args.files)?;
    let mut stdout = BufWriter::new(io::stdout().lock());
    let mut scan = QueryScan::new(query, args.format, now, 0, 0);
    // The first write that fails stops the writing (a closed pipe: `| head`) and the
    // reading.
    let failed: RefCell<Option<io::Error>> = RefCell::new(None);
    let mut table = args
        .csv
        .then(|| csv::Writer::from_writer(io::stdout().lock()));
    if let Some(table) = &mut table {
        table.write_record(MATCH_COLUMNS)?;
    }
    let mut print = |line: Line<'_>, event: Option<&Event<'_>>| {
        if args.count || failed.borrow().is_some() {
            return;
        }
        let written = match &mut table {
            Some(table) => table
                .write_record(match_row(line, event))
                .map_err(io::Error::from),
            None if args.line_numbers => writeln!(stdout, "{}:{}", line.number, line.text),
            None => writeln!(stdout, "{}", line.text),
        };
        *failed.borrow_mut() = written.err();
    };
    inputs.stream(&indicatif::ProgressBar::hidden(), |bytes| {
        scan.feed_each(bytes, &mut print);
        failed.borrow().is_none()
    })?;
    let outcome = scan.finish_each(&mut print);
    if let Some(mut table) = table
        && failed.borrow().is_none()
    {
        *failed.borrow_mut() = table.flush().err();
    }
    match failed.into_inner() {
        Some(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        Some(e) => return Err(e).context("cannot write the matching lines"),
        None => {}
    }
    if args.count {
        writeln!(
            stdout,
            "{} of {} lines match {}",
            outcome.matched, outcome.lines_read, outcome.query
        )?;
        let traffic = &outcome.traffic;
        for bucket in traffic.buckets.iter().filter(|b| b.requests > 0) {
            let start = LogTime {
                epoch_secs: bucket.start_epoch_secs,
                offset_secs: outcome.offset_secs,
            };
            writeln!(
                stdout,
                "  {}  {}",
                start.format("%Y-%m-%d %H:%M %:z"),
                bucket.requests
            )?;
        }
        if let Some(left_out) = outcome.left_out() {
            writeln!(stdout, "  ({})", left_out.sentence())?;
        }
    }
    stdout.flush().or_else(|e| {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Ok(())
        } else {
            Err(e)
        }
    })?;
    // As grep: 0 when a line matched, 1 when none did.
    Ok(if outcome.matched > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
