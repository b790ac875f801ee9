//! `loglens`: analyse server logs from the command line with the same engine as the page.
//!
//! A thin shell over `loglens-core`: it reads the input in chunks (a file or stdin),
//! feeds the core's streaming [`Analysis`], and prints the report.

use anyhow::Context;
use clap::{Parser, Subcommand};
use loglens_core::{Analysis, AnalysisOptions};
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod summary;

/// Finds attacks and oddities in server logs. Nothing leaves this machine.
#[derive(Debug, Parser)]
#[command(name = "loglens", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Analyse a log file and print a summary.
    Analyze {
        /// The log file to read, or `-` for standard input.
        file: PathBuf,
    },
}

/// Read size: large enough that system calls do not dominate, small enough to stay cheap.
const CHUNK_BYTES: usize = 256 * 1024;

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            #[allow(clippy::print_stderr)] // The one place errors reach the user.
            {
                eprintln!("loglens: {error:#}");
            }
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Analyze { file } => {
            let report = analyze(&file)?;
            let mut stdout = io::stdout().lock();
            let printed = summary::write(&mut stdout, &display_name(&file), &report)
                .and_then(|()| stdout.flush());
            match printed {
                // A closed pipe (`loglens analyze x | head`) is the reader's choice, not an error.
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
                other => other
                    .map(|()| ExitCode::SUCCESS)
                    .context("could not write the summary"),
            }
        }
    }
}

fn analyze(path: &Path) -> anyhow::Result<loglens_core::Report> {
    let mut input: Box<dyn Read> = if is_stdin(path) {
        Box::new(io::stdin().lock())
    } else {
        Box::new(File::open(path).with_context(|| format!("cannot open {}", path.display()))?)
    };
    let mut analysis = Analysis::new(AnalysisOptions::default());
    let mut buffer = vec![0u8; CHUNK_BYTES];
    loop {
        match input.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => analysis.feed(&buffer[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", display_name(path))),
        }
    }
    Ok(analysis.finish())
}

fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

fn display_name(path: &Path) -> String {
    if is_stdin(path) {
        "standard input".to_owned()
    } else {
        path.display().to_string()
    }
}
