//! `loglens`: analyse server logs from the command line with the same engine as the page.
//!
//! A thin shell over `loglens-core`: it reads the input in chunks (a file or stdin),
//! feeds the core's streaming [`Analysis`], and prints the report.

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use loglens_core::detect::{ClientModelOptions, DETECTORS, DetectorSwitch, LineModelOptions};
use loglens_core::model::ModelKind;
use loglens_core::supervised::ClassifierFile;
use loglens_core::{
    AnalysisOptions, Baseline, BaselineUse, DEFAULT_SENSITIVITY, DetectionOptions, FindingFilter,
    LogFormat, LogTime, Outcome, Severity,
};
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

mod analyze_command;
mod evaluation_table;
mod follow;
mod formats_list;
mod grep_command;
mod input;
mod shared_analysis;
mod sigma_command;
mod sigma_files;
mod summary;
mod training_table;

/// Finds attacks and oddities in server logs. Nothing leaves this machine.
#[derive(Debug, Parser)]
#[command(name = "loglens", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Analyse log files: a summary and the findings. Several files (rotated logs, in
    /// order) are read as one log, their lines numbered on from file to file.
    Analyze(AnalyzeArgs),
    /// Learn what normal looks like from log files known to be good, and save it as a
    /// model (a baseline) for `analyze --model`: later files are then judged against it.
    Learn(LearnArgs),
    /// Train a classifier on a flow file's own labels (its `Label` column), measure it on
    /// rows it never saw (a stratified 30% hold-out), and save it for `--classifier`.
    Train(TrainArgs),
    /// List the formats loglens reads, with the name `--format` takes and a sample line.
    Formats,
    /// Measure the detectors against labelled attacks: precision, recall and F1 per line,
    /// per client and per kind.
    Evaluate(EvaluateArgs),
    /// Print the lines a query matches: `/expression/` on the raw line, a word, or field
    /// tests (status>=500, path~"^/api", client=1.2.3.4, ua~bot, level=error, user=root)
    /// joined by and, or, not and parentheses.
    Grep(grep_command::GrepArgs),
    /// Print the lines Sigma rules match (number, rule id, title, line); with `--json`,
    /// every line as the rules see it (its Sigma fields) and the rules it matched.
    Sigma(sigma_command::SigmaArgs),
}

/// The arguments of `loglens analyze`.
#[derive(Debug, clap::Args)]
struct AnalyzeArgs {
    /// The log files to read, `-` for standard input; `.gz` files are inflated.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// How to write the report.
    #[arg(long, value_enum, default_value_t = Output::Table)]
    output: Output,
    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Only read and summarise: no detectors, no models (a quick look at a huge file).
    #[arg(long)]
    summary_only: bool,
    /// Replace every address, host and user name, in every field, with a consistent
    /// pseudonym (`ip-3fa2c1`, `host-…`, `user-…`), the file's name too, and redact
    /// e-mails and secrets in URLs. The key is drawn afresh for each run, so pseudonyms
    /// cannot be matched across runs.
    #[arg(long)]
    pseudonymize: bool,
    /// With --pseudonymize, cut addresses to their network instead (IPv4 /24, IPv6
    /// /48), as GoAccess does.
    #[arg(
        long,
        requires = "pseudonymize",
        conflicts_with = "documentation_addresses"
    )]
    truncate_addresses: bool,
    /// With --pseudonymize, write addresses as addresses in the documentation ranges
    /// (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32), for tools that
    /// expect addresses.
    #[arg(long, requires = "pseudonymize")]
    documentation_addresses: bool,
    /// Exit with status 1 when a finding at or above this severity is reported (low,
    /// medium, high, critical), for scripts and CI; 0 otherwise, 2 on error.
    #[arg(long, value_name = "SEVERITY")]
    fail_on: Option<Severity>,
    /// Keep reading what is appended to the file (one plain-text file), writing each
    /// new finding as it appears: table rows, or JSON lines with `--output json`.
    #[arg(long)]
    follow: bool,
    /// With --follow, how often to look for new lines, in seconds.
    #[arg(
        long,
        default_value_t = 2.0,
        value_name = "SECONDS",
        requires = "follow"
    )]
    follow_every: f64,
    /// With --follow, stop after this many looks (for tests).
    #[arg(long, hide = true, requires = "follow")]
    follow_checks: Option<u64>,
    #[command(flatten)]
    reading: Reading,
}

/// The arguments of `loglens learn`.
#[derive(Debug, clap::Args)]
struct LearnArgs {
    /// The log files to learn from, `-` for standard input; `.gz` files are inflated.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Where to write the model (JSON).
    #[arg(short, long, value_name = "FILE")]
    out: PathBuf,
    /// The log format, instead of detecting it from the first lines.
    #[arg(long, value_parser = parse_format)]
    format: Option<LogFormat>,
    /// Detector settings as JSON (see `analyze --detection`).
    #[arg(long, value_name = "JSON_FILE")]
    detection: Option<PathBuf>,
}

/// The arguments of `loglens train`.
#[derive(Debug, clap::Args)]
struct TrainArgs {
    /// The labelled flow CSV, `-` for standard input; `.gz` files are inflated.
    file: PathBuf,
    /// Where to write the classifier (JSON).
    #[arg(short, long, value_name = "FILE")]
    out: PathBuf,
    /// The log format, instead of detecting it from the first lines.
    #[arg(long, value_parser = parse_format)]
    format: Option<LogFormat>,
}

/// The arguments of `loglens evaluate`.
#[derive(Debug, clap::Args)]
struct EvaluateArgs {
    /// The log file to analyse, or `-` for standard input.
    file: PathBuf,
    /// CSV with the header `line,client,kind`, one row per attack line. Without it,
    /// the file's own labels are used (a flow CSV's `Label` column).
    #[arg(long, value_name = "CSV")]
    labels: Option<PathBuf>,
    /// Also run each unsupervised model alone (Isolation Forest, One-Class SVM; the
    /// per-line and per-client models with the rules off) and compare them.
    #[arg(long)]
    compare_models: bool,
    #[command(flatten)]
    reading: Reading,
}

/// How a log is read and which findings are kept: the same for every subcommand.
#[derive(Debug, clap::Args)]
struct Reading {
    /// Leave out findings below this severity (low, medium, high, critical).
    #[arg(long, default_value = "low")]
    min_severity: Severity,
    /// 0 (only the surest findings) to 100 (every candidate); 60 by default.
    #[arg(long, default_value_t = DEFAULT_SENSITIVITY, value_parser = clap::value_parser!(u8).range(0..=100))]
    sensitivity: u8,
    /// The log format, instead of detecting it from the first lines.
    #[arg(long, value_parser = parse_format)]
    format: Option<LogFormat>,
    /// Detector settings as JSON, the shape the page keeps them in (each detector's
    /// options, `null` to switch one off; fields left out take their defaults).
    #[arg(long, value_name = "JSON_FILE")]
    detection: Option<PathBuf>,
    /// Switch a detector off (repeatable), by its name in the detector settings:
    /// signatures, brute_force, flood, line_model… (a wrong name lists them all).
    #[arg(long, value_name = "DETECTOR", value_parser = parse_detector)]
    disable: Vec<DetectorSwitch>,
    /// Your own rules, as JSON (the page's "Export rules" file, or a list of rules): each a
    /// name, a field, a test (`matches` a regex, `equals`, `at_least`, `at_most`) and a
    /// severity. A rule that cannot run stops the run with what is wrong with it.
    #[arg(long, value_name = "RULES_FILE")]
    rules: Option<PathBuf>,
    /// Sigma rules to run too (repeatable): a YAML file, or a folder of them (SigmaHQ's
    /// `rules/web`, say). Rules for log sources or with parts loglens cannot run are
    /// named on standard error with the reason, and the others run.
    #[arg(long, value_name = "RULES_FILE_OR_FOLDER")]
    sigma: Vec<PathBuf>,
    /// Judge the file against a model made by `loglens learn` instead of against itself.
    #[arg(long, value_name = "MODEL_FILE")]
    model: Option<PathBuf>,
    /// Score flows with a classifier made by `loglens train`.
    #[arg(long, value_name = "CLASSIFIER_FILE")]
    classifier: Option<PathBuf>,
    /// Threads to use; by default one per core. The detectors are shared between at most
    /// three (more are no faster). The report is the same for any number. `--follow` and
    /// `--summary-only` read with one.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    threads: Option<u16>,
}

impl Reading {
    /// The detectors to run: the settings file's, or the defaults, less those disabled.
    fn detection(&self) -> anyhow::Result<DetectionOptions> {
        let mut detection = read_detection(self.detection.as_deref())?;
        for detector in &self.disable {
            (detector.turn)(&mut detection, false);
        }
        if let Some(path) = &self.rules {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let rules = loglens_core::detect::rules_from_json(&text)
                .map_err(|problem| anyhow::anyhow!("cannot use {}: {problem}", path.display()))?;
            detection.custom_rules.extend(rules);
        }
        if !self.sigma.is_empty() {
            let mut documents = detection.sigma_rules.to_vec();
            documents.extend(sigma_files::read_rules(&self.sigma)?);
            detection.sigma_rules = documents.into();
            sigma_files::print_refused(&detection.sigma_rules);
        }
        Ok(detection)
    }

    /// How to analyse: the format, the detectors, the baseline and classifier, if any.
    fn options(&self) -> anyhow::Result<AnalysisOptions> {
        self.options_with(self.detection()?)
    }

    /// [`Self::options`] with `detection` read already: rules are read once, and what
    /// cannot run is said once.
    fn options_with(&self, detection: DetectionOptions) -> anyhow::Result<AnalysisOptions> {
        Ok(AnalysisOptions {
            format: self.format,
            detection,
            baseline: self.baseline()?,
            classifier: self.classifier()?,
            ..AnalysisOptions::default()
        })
    }

    /// The trained classifier to score flows with, read and checked.
    fn classifier(&self) -> anyhow::Result<Option<Arc<ClassifierFile>>> {
        let Some(path) = &self.classifier else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let file = ClassifierFile::from_json(&text)
            .with_context(|| format!("cannot use {} as a classifier", path.display()))?;
        Ok(Some(Arc::new(file)))
    }

    /// The model to judge against, read and checked; or judging by the file itself.
    fn baseline(&self) -> anyhow::Result<BaselineUse> {
        let Some(path) = &self.model else {
            return Ok(BaselineUse::Own);
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let baseline = Baseline::from_json(&text)
            .with_context(|| format!("cannot use {} as a model", path.display()))?;
        Ok(BaselineUse::Apply(Arc::new(baseline)))
    }

    /// The threads to analyse with: as asked, or one per core.
    fn threads(&self) -> usize {
        match self.threads {
            Some(threads) => usize::from(threads),
            None => std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
        }
    }

    fn filter(&self) -> FindingFilter {
        FindingFilter {
            min_severity: self.min_severity,
            sensitivity: self.sensitivity,
        }
    }
}

/// The detector `--disable` names, from the registry.
fn parse_detector(name: &str) -> Result<DetectorSwitch, String> {
    if let Some(detector) = DETECTORS.iter().find(|detector| detector.name == name) {
        Ok(*detector)
    } else {
        let names: Vec<&str> = DETECTORS.iter().map(|detector| detector.name).collect();
        Err(format!(
            "\"{name}\" is not a detector; use one of {}",
            names.join(", ")
        ))
    }
}

/// Detector settings from a JSON file, or the defaults; evidence lines as many as a CLI
/// run can afford.
fn read_detection(path: Option<&std::path::Path>) -> anyhow::Result<DetectionOptions> {
    let mut detection: DetectionOptions = match path {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            serde_json::from_str(&text)
                .with_context(|| format!("{} is not detector settings as JSON", path.display()))?
        }
        None => DetectionOptions::default(),
    };
    detection.max_evidence_lines = MAX_EVIDENCE_LINES;
    Ok(detection)
}

fn parse_format(name: &str) -> Result<LogFormat, String> {
    LogFormat::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = LogFormat::ALL.iter().map(|f| f.as_str()).collect();
        format!(
            "\"{name}\" is not a format; use one of {}",
            names.join(", ")
        )
    })
}

/// The report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Output {
    /// A summary and a findings table for people.
    Table,
    /// The whole report as JSON (see `loglens_core::export`).
    Json,
    /// One row per flagged line: `line,time,client,kind,severity,score,method,target,status,text`.
    Csv,
    /// One self-contained HTML file: summary, chart, findings and their evidence lines
    /// (read again from the file; not from standard input, which cannot be read twice).
    Html,
}

/// Evidence lines listed per finding: the CSV needs every flagged line, and a CLI run can
/// afford far more than the page.
const MAX_EVIDENCE_LINES: usize = 1_000_000;

fn main() -> ExitCode {
    // Client names come from the log: a random key keeps crafted ones from colliding.
    let mut key = [0u8; 8];
    if getrandom::fill(&mut key).is_ok() {
        loglens_core::detect::set_client_hash_key(u64::from_le_bytes(key));
    }
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
        Command::Analyze(args) => analyze_command::run(args),
        Command::Learn(args) => learn_command(args),
        Command::Train(args) => train_command(args),
        Command::Formats => formats_command(),
        Command::Evaluate(args) => evaluate_command(args),
        Command::Grep(args) => grep_command::run(args, now()),
        Command::Sigma(args) => sigma_command::run(args, now()),
    }
}

/// `loglens learn`.
fn learn_command(args: LearnArgs) -> anyhow::Result<ExitCode> {
    let LearnArgs {
        files,
        out,
        format,
        detection,
    } = args;
    let inputs = Inputs::new(files)?;
    let detection = read_detection(detection.as_deref())?;
    let options = AnalysisOptions {
        format,
        detection,
        baseline: BaselineUse::Learn,
        ..AnalysisOptions::default()
    };
    let outcome = analyze(&inputs, options, 1)?;
    let report = outcome.report;
    let mut baseline = outcome.baseline.context("the analysis learned nothing")?;
    if baseline.lines.is_none() && baseline.clients.is_none() {
        anyhow::bail!(
            "{} has too few parsed lines to learn from ({} of {})",
            inputs.name(),
            report.parsed,
            report.lines
        );
    }
    baseline.source.name = inputs.name();
    std::fs::write(&out, baseline.to_json())
        .with_context(|| format!("cannot write {}", out.display()))?;
    let mut stdout = io::stdout().lock();
    let said = writeln!(
        stdout,
        "Learned {} from {} ({}); wrote {}",
        learned_parts(&baseline),
        baseline.describe(),
        report
            .format
            .map_or_else(|| "format not recognised".to_owned(), |f| f.to_string()),
        out.display()
    );
    match said {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        other => other.context("cannot write to standard output")?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `loglens train`.
fn train_command(args: TrainArgs) -> anyhow::Result<ExitCode> {
    let TrainArgs { file, out, format } = args;
    let inputs = Inputs::new(vec![file.clone()])?;
    let options = AnalysisOptions {
        format,
        train_classifier: true,
        ..AnalysisOptions::default()
    };
    let outcome = analyze(&inputs, options, 1)?;
    let trained = outcome
        .classifier
        .context("the analysis trained nothing")?
        .map_err(|why| anyhow::anyhow!("cannot train on {}: {why}", display_name(&file)))?;
    let mut classifier = trained.file.clone();
    classifier.trained_on = inputs.name();
    std::fs::write(&out, classifier.to_json())
        .with_context(|| format!("cannot write {}", out.display()))?;
    let mut stdout = io::stdout().lock();
    let written = training_table::write(&mut stdout, &inputs.name(), &trained)
        .and_then(|()| writeln!(stdout, "wrote {}", out.display()));
    match written {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        other => other.context("cannot write the training figures")?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `loglens formats`.
fn formats_command() -> anyhow::Result<ExitCode> {
    let mut stdout = BufWriter::new(io::stdout().lock());
    match formats_list::write(&mut stdout).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        other => other.context("cannot write the list of formats")?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `loglens evaluate`.
fn evaluate_command(args: EvaluateArgs) -> anyhow::Result<ExitCode> {
    let EvaluateArgs {
        file,
        labels,
        compare_models,
        reading,
    } = args;
    let filter = reading.filter();
    let labels_read = match &labels {
        Some(labels) => {
            let text = std::fs::read_to_string(labels)
                .with_context(|| format!("cannot read {}", labels.display()))?;
            Some(
                loglens_core::evaluation::Labels::from_csv(&text)
                    .with_context(|| format!("cannot use {}", labels.display()))?,
            )
        }
        None => None,
    };
    let report = analyze(
        &Inputs::new(vec![file.clone()])?,
        reading.options()?,
        reading.threads(),
    )?
    .report;
    let labels_read = match labels_read {
        Some(labels) => labels,
        None if report.labels.is_empty() => anyhow::bail!(
            "{} labels none of its lines (no Label column); pass --labels with a labels CSV",
            display_name(&file)
        ),
        None => report.ground_truth.clone(),
    };
    let evaluation = loglens_core::evaluation::evaluate(&report, &labels_read, filter);
    let mut models = Vec::new();
    if compare_models {
        let chosen = reading.detection()?;
        for kind in ModelKind::ALL {
            let mut alone = DetectionOptions {
                max_evidence_lines: MAX_EVIDENCE_LINES,
                ..DetectionOptions::none()
            };
            alone.line_model = Some(LineModelOptions {
                model: kind,
                ..chosen.line_model.clone().unwrap_or_default()
            });
            alone.client_model = Some(ClientModelOptions {
                model: kind,
                ..chosen.client_model.clone().unwrap_or_default()
            });
            let options = AnalysisOptions {
                detection: alone,
                ..reading.options()?
            };
            let report = analyze(
                &Inputs::new(vec![file.clone()])?,
                options,
                reading.threads(),
            )?
            .report;
            let scores = loglens_core::evaluation::evaluate(&report, &labels_read, filter);
            models.push((kind.as_str(), scores));
        }
    }
    let mut stdout = io::stdout().lock();
    let written = evaluation_table::write(&mut stdout, &display_name(&file), filter, &evaluation)
        .and_then(|()| {
            if models.is_empty() {
                Ok(())
            } else {
                evaluation_table::write_models(&mut stdout, &models)
            }
        });
    match written {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        other => other.context("cannot write the evaluation")?,
    }
    Ok(ExitCode::SUCCESS)
}

/// What a baseline holds, for the line `learn` prints.
fn learned_parts(baseline: &Baseline) -> String {
    let mut parts = Vec::new();
    if let Some(lines) = &baseline.lines {
        parts.push(format!("{} line templates", lines.templates.len()));
    }
    if let Some(clients) = &baseline.clients {
        parts.push(format!("{} client profiles", clients.vectors.len()));
    }
    if !baseline.endpoints.is_empty() {
        parts.push(format!("{} endpoint timings", baseline.endpoints.len()));
    }
    if baseline.hours.is_some() {
        parts.push("traffic by hour".to_owned());
    }
    parts.join(", ")
}

/// Reads the inputs through the engine as `options` say, with this machine's clock, in
/// up to `threads` threads.
fn analyze(inputs: &Inputs, options: AnalysisOptions, threads: usize) -> anyhow::Result<Outcome> {
    let options = AnalysisOptions {
        now: now(),
        ..options
    };
    shared_analysis::analyze(inputs, options, threads)
}

fn now() -> LogTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    LogTime {
        epoch_secs: i64::try_from(secs).unwrap_or(0),
        offset_secs: 0,
    }
}

use input::{Inputs, display_name};
