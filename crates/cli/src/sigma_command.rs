//! `loglens sigma --rules RULES FILE…`: the lines Sigma rules match, with the rules; or,
//! with `--json`, every line as the rules see it (its Sigma fields) and the rules it
//! matched, to check a rule by hand or against another Sigma tool
//! (`scripts/sigma_crosscheck.py` does, with pySigma).

use crate::input::Inputs;
use crate::sigma_files;
use anyhow::Context;
use loglens_core::event::Event;
use loglens_core::query::{Query, QueryScan};
use loglens_core::sigma::{Scratch, SigmaRules, SigmaSet, fields};
use loglens_core::{Line, LogFormat, LogTime};
use std::cell::RefCell;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `loglens sigma`.
#[derive(Debug, clap::Args)]
pub struct SigmaArgs {
    /// A Sigma rule file, or a folder of them (every `.yml` and `.yaml` file in it);
    /// repeat for more.
    #[arg(long, required = true, value_name = "RULES_FILE_OR_FOLDER")]
    rules: Vec<PathBuf>,
    /// The log files to read, `-` for standard input; `.gz` files are inflated.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Write JSON lines: every line the rules can read, with its number, log source,
    /// Sigma fields (every name a rule may use) and the ids of the rules it matched.
    #[arg(long)]
    json: bool,
    /// The log format, instead of detecting it from the first lines.
    #[arg(long, value_parser = crate::parse_format)]
    format: Option<LogFormat>,
}

pub fn run(args: SigmaArgs, now: LogTime) -> anyhow::Result<ExitCode> {
    let rules = SigmaRules::new(sigma_files::read_rules(&args.rules)?);
    sigma_files::print_refused(&rules);
    let set = rules.set();
    let inputs = Inputs::new(args.files)?;
    let mut stdout = BufWriter::new(io::stdout().lock());
    let mut scan = QueryScan::new(
        Query::parse("*").map_err(anyhow::Error::msg)?,
        args.format,
        now,
        0,
        0,
    );
    let mut scratch = Scratch::default();
    let mut matched_lines = 0u64;
    // The first write that fails stops the writing (a closed pipe: `| head`) and the
    // reading.
    let failed: RefCell<Option<io::Error>> = RefCell::new(None);
    let mut print = |line: Line<'_>, event: Option<&Event<'_>>| {
        let Some(event) = event else { return };
        if failed.borrow().is_some() {
            return;
        }
        let matched = set.matching(event, &mut scratch);
        matched_lines += u64::from(!matched.is_empty());
        let written = if args.json {
            json_line(line.number, event, set, matched)
                .map_or(Ok(()), |record| writeln!(stdout, "{record}"))
        } else {
            matched.iter().try_for_each(|&index| {
                let info = &set.rules()[index].info;
                writeln!(
                    stdout,
                    "{}\t{}\t{}\t{}",
                    line.number, info.id, info.title, line.text
                )
            })
        };
        *failed.borrow_mut() = written.err();
    };
    inputs.stream(&indicatif::ProgressBar::hidden(), |bytes| {
        scan.feed_each(bytes, &mut print);
        failed.borrow().is_none()
    })?;
    scan.finish_each(&mut print);
    match failed.into_inner() {
        Some(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        Some(e) => return Err(e).context("cannot write the matching lines"),
        None => {}
    }
    match stdout.flush() {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => return Err(e.into()),
        _ => {}
    }
    // As grep: 0 when a line matched, 1 when none did.
    Ok(if matched_lines > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// One line as the rules see it, or `None` for a line no rule reads (a flow record).
fn json_line(
    number: u64,
    event: &Event<'_>,
    set: &SigmaSet,
    matched: &[usize],
) -> Option<serde_json::Value> {
    let (source, values) = fields::sigma_fields(event)?;
    let fields: serde_json::Map<String, serde_json::Value> = values
        .into_iter()
        .map(|(name, value)| {
            let number = fields::Field::named(source, name)
                .filter(|field| field.is_number())
                .and_then(|_| value.parse::<u64>().ok());
            let value = number.map_or_else(|| value.into_owned().into(), Into::into);
            (name.to_owned(), value)
        })
        .collect();
    let rules: Vec<&str> = matched
        .iter()
        .map(|&index| set.rules()[index].info.id.as_str())
        .collect();
    Some(serde_json::json!({
        "line": number,
        "logsource": source.name(),
        "fields": fields,
        "rules": rules,
    }))
}
