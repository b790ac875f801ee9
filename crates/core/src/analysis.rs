//! The pipeline: bytes in, [`Report`] out.
//!
//! ```text
//! chunks ─▶ LineReader ─▶ lines ─┬─▶ (first lines) detect_format ─┐
//!                                └─▶ LineParser ◀──────────────────┘
//!                                      ├─▶ Event ─▶ aggregates, detectors ─▶ Report
//!                                      └─▶ RejectReason ─▶ RejectCounter ──┘
//! ```
//!
//! Feed it chunks as they arrive (from a file slice, a decoder, stdin) and call
//! [`Analysis::finish`] at the end. Unless the format is given, the first lines (at most
//! [`DETECTION_SAMPLE_LINES`], at most [`DETECTION_SAMPLE_BYTES`]) are held back until the
//! format is known, then parsed like the rest. It keeps aggregates and bounded samples,
//! never the lines, so memory does not grow with the file.
//!
//! With cores to spare, an analysis is shared: its detectors between the members of a
//! [`Analysis::team`] that all read the input, or, for a summary of a file that can be
//! read anywhere, the file between parts that each read a range ([`PartPlan`]).

use crate::baseline::{Baseline, BaselineUse};
use crate::connection_addresses::ConnectionAddresses;
use crate::detect::{ClassifiedFlowsDetector, ClientHasher, ClientKey, DetectionOptions, Detector};
use crate::display_text::for_display;
use crate::distinct_clients::DistinctClients;
use crate::evaluation::Labels;
use crate::event::Event;
use crate::finding::Finding;
use crate::input_problem::{InputProblem, SNIFF_BYTES};
use crate::line_reader::{Line, LineReader};
use crate::parse::{LineParser, LogFormat, RejectReason, detect_format};
use crate::rejects::RejectCounter;
use crate::report::{BaselineNote, FieldCount, LabelCount, Report, RequestRow, Untracked};
use crate::supervised::{ClassifierFile, FlowTraining, TrainedClassifier, TreesOptions};
use crate::time::LogTime;
use crate::traffic::TrafficCounter;
use std::sync::Arc;

mod file_parts;
mod shared_parse;

pub use file_parts::{FilePart, MAX_PARTS, PLAN_SAMPLE_BYTES, PartPlan, PartSummary, PartsError};
use shared_parse::ParsedCursor;
pub use shared_parse::ParsedLines;

/// The longest text field kept in a sample row, in characters.
const ROW_FIELD_CHARS: usize = 2_000;
/// Lines read before the format is decided.
pub const DETECTION_SAMPLE_LINES: usize = 200;
/// Bytes of lines held back, at most, before the format is decided.
pub const DETECTION_SAMPLE_BYTES: usize = 1 << 20;

/// What an analysis looks for, and how much of the file it keeps as examples.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisOptions {
    /// The format to read; `None` detects it from the first lines.
    pub format: Option<LogFormat>,
    /// What the caller considers "now" (the core has no clock): timestamps without a year
    /// (RFC 3164 syslog) get the latest year that does not put them after it, and the
    /// report says a year was assumed. The default is 2000-01-01, for tests.
    pub now: LogTime,
    /// How many parsed lines to keep for the first look table.
    pub first_rows: usize,
    /// How many rejected lines to keep as examples.
    pub rejected_samples: usize,
    /// Which detectors run, and their settings.
    pub detection: DetectionOptions,
    /// Judge by the file itself, learn a baseline from it, or judge against one.
    pub baseline: BaselineUse,
    /// A trained flow classifier to score flows with (see [`crate::supervised`]).
    pub classifier: Option<Arc<ClassifierFile>>,
    /// Train a flow classifier on the file's labels (see [`Outcome::classifier`]).
    pub train_classifier: bool,
    /// Threads the analysis may use at its end, its caller's included: with two, the
    /// client model's scoring is shared with a second thread. 1 keeps everything on the
    /// caller's thread (the page's workers cannot start threads).
    pub threads: usize,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        Self {
            format: None,
            now: LogTime {
                epoch_secs: 946_684_800,
                offset_secs: 0,
            },
            first_rows: 100,
            rejected_samples: 200,
            detection: DetectionOptions::default(),
            baseline: BaselineUse::Own,
            classifier: None,
            train_classifier: false,
            threads: 1,
        }
    }
}

/// What an analysis gives at the end: the report, and what the options asked to be
/// learned (a baseline) or trained (a classifier) from the file.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// What was found.
    pub report: Report,
    /// With [`BaselineUse::Learn`]: the baseline (named by the caller, who knows the file).
    pub baseline: Option<Baseline>,
    /// With `train_classifier`: the classifier and its hold-out figures, or why none
    /// could be trained (a sentence).
    pub classifier: Option<Result<TrainedClassifier, String>>,
}

/// How far an analysis has got, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Bytes fed so far.
    pub bytes_read: u64,
    /// Complete lines seen so far.
    pub lines: u64,
}

/// Before the format is known, lines wait; after, they are parsed as they come.
#[derive(Debug, Clone)]
enum Stage {
    Sampling {
        lines: Vec<(u64, String, bool)>,
        bytes: usize,
    },
    Parsing {
        parser: LineParser,
        /// The format given, or detected from the held-back lines.
        format: LogFormat,
    },
}

/// A streaming analysis of one file.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The first bytes, to tell an empty or binary input at the end.
    start: Vec<u8>,
    reader: LineReader,
    stage: Stage,
    now: LogTime,
    aggregates: Aggregates,
    /// How many lines the last [`Analysis::feed_and_describe`] described: a new
    /// description is made that large from the start, rather than grown (and copied)
    /// line by line to a chunk's few thousand.
    described_last: usize,
}

impl Analysis {
    /// An analysis at the start of its input.
    pub fn new(options: AnalysisOptions) -> Self {
        let stage = match options.format {
            Some(format) => Stage::Parsing {
                parser: LineParser::for_format(format, options.now),
                format,
            },
            None => Stage::Sampling {
                lines: Vec::new(),
                bytes: 0,
            },
        };
        Self {
            start: Vec::new(),
            reader: LineReader::new(),
            stage,
            now: options.now,
            aggregates: Aggregates::new(options),
            described_last: 0,
        }
    }

    /// `members` analyses of one input that share its detectors between them, for as many
    /// threads: feed every member the same chunks, finish all but the first with
    /// [`Analysis::finish_share`], and the first (which also keeps the counts, charts and
    /// rejects) with [`Analysis::finish_team`]. Each member reads and parses every line
    /// (parsing is a fraction of the work) and runs its detectors, balanced by
    /// [`Detector::relative_cost`]; the outcome is exactly that of one analysis. Learning
    /// a baseline or training a classifier is not shared: then the team is one analysis;
    /// members that would get no detector are left out.
    pub fn team(options: AnalysisOptions, members: usize) -> Vec<Analysis> {
        Self::team_weighted(options, members, LEAD_COST)
    }

    /// A [`Analysis::team`] whose first member parses for all (see
    /// [`Analysis::feed_and_describe`]), and so runs fewer detectors.
    pub fn team_sharing_parse(options: AnalysisOptions, members: usize) -> Vec<Analysis> {
        Self::team_weighted(options, members, LEAD_COST + SHARED_PARSE_COST)
    }

    /// A team whose first member has `lead_cost` of work besides its detectors.
    fn team_weighted(options: AnalysisOptions, members: usize, lead_cost: u32) -> Vec<Analysis> {
        let members = if Self::shareable(&options) {
            members.max(1)
        } else {
            1
        };
        (0..members)
            .filter_map(|member| Self::member(options.clone(), members, member, lead_cost))
            .filter(|analysis| {
                analysis.aggregates.lead || !analysis.aggregates.detectors.is_empty()
            })
            .collect()
    }

    /// Whether an analysis with `options` can be shared: not when it learns a baseline or
    /// trains a classifier, whose learning every detector adds to.
    pub fn shareable(options: &AnalysisOptions) -> bool {
        !matches!(options.baseline, BaselineUse::Learn) && !options.train_classifier
    }

    /// Member `member` (from 0) of a team of `members` (see [`Analysis::team`]), built on
    /// its own, for a worker that runs only this member; it may have no detector. `None`
    /// when there is no such member or the analysis cannot be shared.
    pub fn team_member(options: AnalysisOptions, members: usize, member: usize) -> Option<Self> {
        Self::member(options, members, member, LEAD_COST)
    }

    /// Member `member` of a team of `members` whose first member has `lead_cost` of work
    /// besides its detectors.
    fn member(
        options: AnalysisOptions,
        members: usize,
        member: usize,
        lead_cost: u32,
    ) -> Option<Self> {
        if member >= members || (members > 1 && !Self::shareable(&options)) {
            return None;
        }
        let mut analysis = Self::new(options);
        let aggregates = &mut analysis.aggregates;
        aggregates.team_detectors = aggregates.detectors.len();
        if members == 1 {
            return Some(analysis);
        }
        // The first member's counts weigh about as much as a middling detector.
        let mut loads = vec![0u32; members];
        loads[0] = lead_cost;
        let mut order: Vec<(usize, u32)> = aggregates
            .detectors
            .iter()
            .map(|(index, detector)| (*index, detector.relative_cost()))
            .collect();
        order.sort_by_key(|&(index, cost)| (std::cmp::Reverse(cost), index));
        let mut owner = vec![0; order.len()];
        for (index, cost) in order {
            let lightest = (0..members).min_by_key(|&m| (loads[m], m)).unwrap_or(0);
            owner[index] = lightest;
            loads[lightest] += cost;
        }
        aggregates.lead = member == 0;
        aggregates
            .detectors
            .retain(|(index, _)| owner[*index] == member);
        Some(analysis)
    }

    /// Analyses the next chunk of the file; a line may continue into the next chunk.
    pub fn feed(&mut self, chunk: &[u8]) {
        self.feed_sharing(chunk, &mut Sharing::Alone);
    }

    /// Analyses the next chunk as the first member of a [`Analysis::team_sharing_parse`]
    /// (or any member), and says in `parsed` where the fields of the access-log lines it
    /// parsed lie, for the other members' [`Analysis::feed_described`]. What `parsed`
    /// held is dropped; one handed back from an earlier chunk is filled without
    /// allocating (a new one is fresh memory: perf counted its first writes' page faults
    /// as a third of the process's).
    pub fn feed_and_describe(&mut self, chunk: &[u8], parsed: &mut ParsedLines) {
        // A little room to spare: chunks of the same size hold about as many lines.
        parsed.clear_with_room(self.described_last + self.described_last / 8);
        self.feed_sharing(chunk, &mut Sharing::Describe(parsed));
        self.described_last = parsed.len();
    }

    /// Analyses the next chunk, the same one another member described as `parsed`:
    /// lines it describes are rebuilt rather than parsed, with the same result.
    pub fn feed_described(&mut self, chunk: &[u8], parsed: &ParsedLines) {
        self.feed_sharing(chunk, &mut Sharing::Rebuild(ParsedCursor::new(parsed)));
    }

    fn feed_sharing(&mut self, chunk: &[u8], sharing: &mut Sharing<'_>) {
        if self.start.len() < SNIFF_BYTES {
            let room = SNIFF_BYTES - self.start.len();
            self.start
                .extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
        let Self {
            reader,
            stage,
            now,
            aggregates,
            ..
        } = self;
        reader.feed(chunk, |line| {
            take_line(stage, *now, aggregates, line, sharing)
        });
    }

    /// How much has been read so far.
    pub fn progress(&self) -> Progress {
        Progress {
            bytes_read: self.reader.bytes_fed(),
            lines: self.reader.lines_emitted(),
        }
    }

    /// Ends the input and returns what was found.
    pub fn finish(self) -> Report {
        self.finish_outcome().report
    }

    /// Ends the input and returns what was found, with what the options asked to be
    /// learned or trained from it.
    pub fn finish_outcome(self) -> Outcome {
        self.complete(true, Vec::new())
    }

    /// Ends the input for a member of a [`Analysis::team`] other than the first: what its
    /// detectors found, for [`Analysis::finish_team`].
    pub fn finish_share(self) -> SharedWork {
        let Self {
            reader,
            mut stage,
            now,
            mut aggregates,
            ..
        } = self;
        reader
            .finish(|line| take_line(&mut stage, now, &mut aggregates, line, &mut Sharing::Alone));
        if let Stage::Sampling { .. } = stage {
            decide_format(&mut stage, now, &mut aggregates);
        }
        SharedWork {
            results: aggregates.finish_detectors(None),
        }
    }

    /// Ends the input for the first member of a [`Analysis::team`], with what the others
    /// found: the outcome one analysis would have given. An error when the shares do not
    /// hold every detector's work exactly once (one is missing, or came twice).
    pub fn finish_team(self, shares: Vec<SharedWork>) -> Result<Outcome, IncompleteTeam> {
        self.close_lead().finish_team(shares)
    }

    /// Ends the input for the first member of a [`Analysis::team`] and finishes its own
    /// detectors, before the others' shares arrive: called while the others still finish
    /// theirs (the client model's end takes tens of milliseconds), its own end is off the
    /// time the team waits. [`ClosedLead::finish_team`] then puts the outcome together.
    pub fn close_lead(self) -> ClosedLead {
        let shareable = Self::shareable(&self.aggregates.options);
        let mut closed = self.close(true);
        // Learning and training add every detector's work to what is learned, at the end:
        // then nothing is finished early (and such an analysis has no team).
        let own = SharedWork {
            results: if shareable {
                closed.aggregates.finish_detectors(None)
            } else {
                Vec::new()
            },
        };
        ClosedLead { closed, own }
    }

    /// What has been found so far, as if the input ended after its last complete line;
    /// the analysis itself reads on. For following a growing file: everything an analysis
    /// keeps is bounded, so the copy costs little next to reading.
    pub fn snapshot(&self) -> Report {
        self.clone().complete(false, Vec::new()).report
    }

    /// Ends the input; a last line without its line ending counts only with
    /// `flush_partial` (a growing file's last line may still be being written).
    fn complete(self, flush_partial: bool, shares: Vec<SharedWork>) -> Outcome {
        self.close(flush_partial).into_outcome(shares)
    }

    /// Ends the input (see [`Analysis::complete`]) and keeps what the report is made of.
    fn close(self, flush_partial: bool) -> Closed {
        let Self {
            start,
            reader,
            mut stage,
            now,
            mut aggregates,
            described_last: _,
        } = self;
        let bytes_read = reader.bytes_fed();
        let lines = if flush_partial {
            reader.finish(|line| {
                take_line(&mut stage, now, &mut aggregates, line, &mut Sharing::Alone)
            })
        } else {
            reader.lines_emitted()
        };
        if let Stage::Sampling { .. } = stage {
            decide_format(&mut stage, now, &mut aggregates);
        }
        if let Stage::Parsing { parser, .. } = &stage {
            aggregates.year_assumed = parser.assumed_year();
        }
        Closed {
            start,
            aggregates,
            bytes_read,
            lines,
        }
    }

    /// The format given, or detected once enough lines were read; `None` while sampling.
    fn format(&self) -> Option<LogFormat> {
        match &self.stage {
            Stage::Sampling { .. } => None,
            Stage::Parsing { format, .. } => Some(*format),
        }
    }
}

/// An analysis whose input has ended: what its report is made of.
#[derive(Debug)]
struct Closed {
    /// The input's first bytes, to tell an empty or binary input.
    start: Vec<u8>,
    aggregates: Aggregates,
    bytes_read: u64,
    lines: u64,
}

impl Closed {
    fn into_outcome(self, shares: Vec<SharedWork>) -> Outcome {
        let Self {
            start,
            aggregates,
            bytes_read,
            lines,
        } = self;
        let chosen = aggregates.options.format;
        let mut outcome = aggregates.into_report(bytes_read, lines, shares);
        outcome.report.input_problem = InputProblem::of(&start, outcome.report.parsed, chosen);
        if let Some(Ok(trained)) = &mut outcome.classifier {
            let filter = crate::FindingFilter::default();
            let evaluation =
                crate::evaluation::evaluate(&outcome.report, &outcome.report.ground_truth, filter);
            trained.detectors_without_training = Some(evaluation.per_line);
        }
        outcome
    }
}

/// The first member of a team, its input ended and its own detectors finished (see
/// [`Analysis::close_lead`]), waiting for the others' shares.
#[derive(Debug)]
pub struct ClosedLead {
    closed: Closed,
    /// What its own detectors found, finished early.
    own: SharedWork,
}

impl ClosedLead {
    /// The outcome one analysis would have given, with what the others found. An error
    /// when the shares do not hold every detector's work exactly once (one is missing,
    /// or came twice).
    pub fn finish_team(self, shares: Vec<SharedWork>) -> Result<Outcome, IncompleteTeam> {
        let Self { closed, own } = self;
        let mut reported: Vec<usize> = shares
            .iter()
            .chain([&own])
            .flat_map(|share| share.results.iter().map(|result| result.index))
            .chain(closed.aggregates.detectors.iter().map(|(index, _)| *index))
            .collect();
        reported.sort_unstable();
        let expected = closed.aggregates.team_detectors;
        if !reported.iter().copied().eq(0..expected) {
            return Err(IncompleteTeam {
                expected,
                reported: reported.len(),
            });
        }
        let mut shares = shares;
        shares.push(own);
        Ok(closed.into_outcome(shares))
    }
}

/// The work of a team's members, put together, does not cover every detector once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the shared analysis came together wrong: {reported} detectors reported, {expected} expected"
)]
pub struct IncompleteTeam {
    /// The detectors the analysis runs.
    pub expected: usize,
    /// The detectors' results received, duplicates included.
    pub reported: usize,
}

/// What the detectors of one member of a [`Analysis::team`] found. It crosses between
/// threads, or as JSON between the page's workers, which have no memory in common.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct SharedWork {
    results: Vec<DetectorResult>,
}

/// What one detector found, by its place among the detectors, so a team's findings come
/// together in the order one analysis would have given them.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct DetectorResult {
    index: usize,
    untracked: Option<Untracked>,
    findings: Vec<Finding>,
}

/// Past this many members a team is no faster: the two models are a detector each and
/// bound the time, and every member reads the whole input.
pub const MAX_USEFUL_TEAM: usize = 3;

/// What the first member of a team adds by keeping the counts, in the units of
/// [`Detector::relative_cost`].
const LEAD_COST: u32 = 6;

/// What the first member of a [`Analysis::team_sharing_parse`] adds by reading and
/// parsing for all, in the units of [`Detector::relative_cost`]: reading the input and
/// parsing, less what the others still do per line (rebuilding). It is set so that a
/// team of two puts the client model with the second member and the two threads finish
/// together; `docs/speed.md` has the measurements.
const SHARED_PARSE_COST: u32 = 24;

/// What a member does about parsing a line.
enum Sharing<'p> {
    /// Parses it, for itself.
    Alone,
    /// Parses it, and says where an access-log line's fields lie.
    Describe(&'p mut ParsedLines),
    /// Rebuilds it from another member's description, or parses it if there is none.
    Rebuild(ParsedCursor<'p>),
}

/// Analyses a whole input held in memory; for tests and small inputs.
pub fn analyze_bytes(input: &[u8], options: AnalysisOptions) -> Report {
    let mut analysis = Analysis::new(options);
    analysis.feed(input);
    analysis.finish()
}

fn take_line(
    stage: &mut Stage,
    now: LogTime,
    aggregates: &mut Aggregates,
    line: Line<'_>,
    sharing: &mut Sharing<'_>,
) {
    match stage {
        Stage::Parsing { parser, .. } => aggregates.observe(parser, line, sharing),
        Stage::Sampling { lines, bytes } => {
            lines.push((line.number, line.text.to_owned(), line.truncated));
            *bytes += line.text.len();
            if lines.len() >= DETECTION_SAMPLE_LINES || *bytes >= DETECTION_SAMPLE_BYTES {
                decide_format(stage, now, aggregates);
            }
        }
    }
}

/// Detects the format from the held-back lines, then parses them.
fn decide_format(stage: &mut Stage, now: LogTime, aggregates: &mut Aggregates) {
    let Stage::Sampling { lines, .. } = stage else {
        return;
    };
    let held = std::mem::take(lines);
    let sample: Vec<&str> = held
        .iter()
        .filter(|(_, _, truncated)| !truncated)
        .map(|(_, text, _)| text.as_str())
        .collect();
    // Nothing parses: read on as an access log, whose reasons say what a line lacks.
    let format = detect_format(&sample, now).unwrap_or(LogFormat::Combined);
    let mut parser = LineParser::for_format(format, now);
    for (number, text, truncated) in &held {
        aggregates.observe(
            &mut parser,
            Line {
                number: *number,
                text,
                truncated: *truncated,
            },
            &mut Sharing::Alone,
        );
    }
    *stage = Stage::Parsing { parser, format };
}

/// Everything kept about the lines seen so far.
#[derive(Debug, Clone)]
struct Aggregates {
    options: AnalysisOptions,
    parsed: u64,
    /// Lines that continue the record above them.
    continued: u64,
    /// The addresses of recent processes, for lines that name their client by host name.
    connection_addresses: ConnectionAddresses,
    /// Parsed lines per format, in the order of `LogFormat::ALL`.
    format_counts: [u64; LogFormat::ALL.len()],
    /// Distinct clients, counted up to [`MAX_COUNTED_CLIENTS`].
    clients: DistinctClients,
    /// Hashes each line's client once for every per-client map.
    client_hasher: ClientHasher,
    first_time: Option<LogTime>,
    last_time: Option<LogTime>,
    traffic: TrafficCounter,
    rejects: RejectCounter,
    first_rows: Vec<RequestRow>,
    /// The detectors this analysis runs, each with its place among all of them.
    detectors: Vec<(usize, Box<dyn Detector>)>,
    /// Whether it keeps the counts, charts and rejects (a team's other members only run
    /// their detectors).
    lead: bool,
    /// How many detectors the whole team runs.
    team_detectors: usize,
    /// Set at the end, from the parser: the year given to yearless timestamps.
    year_assumed: Option<i16>,
    /// Lines per unmapped JSON field name (at most `MAX_EXTRA_FIELDS` names).
    extra_fields: Vec<(Box<str>, u64)>,
    /// Rows per ground-truth label (at most `MAX_LABELS` labels).
    label_counts: Vec<(Box<str>, u64)>,
    /// The lines labelled as attacks.
    ground_truth: Labels,
    /// Labelled flows sampled for training, when asked.
    training: Option<FlowTraining>,
    /// Labelled attack lines not kept, the labels being full.
    untracked_labels: u64,
}

/// Findings a report keeps, worst first; the rest are counted.
const MAX_FINDINGS: usize = if cfg!(test) { 1_000 } else { 100_000 };

/// Distinct clients counted exactly; beyond, the count stops and the report says so.
const MAX_COUNTED_CLIENTS: usize = if cfg!(test) { 5_000 } else { 250_000 };

/// Distinct unmapped JSON field names counted.
const MAX_EXTRA_FIELDS: usize = 64;

/// Distinct ground-truth labels counted; a column with more is not a label.
const MAX_LABELS: usize = 64;

impl Aggregates {
    fn new(options: AnalysisOptions) -> Self {
        Self {
            rejects: RejectCounter::new(options.rejected_samples),
            detectors: {
                let mut detectors = options.detection.build(&options.baseline, options.threads);
                if let Some(detector) = options.classifier.as_ref().and_then(|file| {
                    ClassifiedFlowsDetector::new(file, options.detection.max_evidence_lines)
                }) {
                    detectors.push(Box::new(detector));
                }
                detectors.into_iter().enumerate().collect()
            },
            lead: true,
            team_detectors: 0,
            untracked_labels: 0,
            training: options.train_classifier.then(|| {
                FlowTraining::new(
                    options
                        .detection
                        .line_model
                        .as_ref()
                        .map_or(7, |m| m.forest.seed),
                )
            }),
            options,
            parsed: 0,
            continued: 0,
            connection_addresses: ConnectionAddresses::default(),
            format_counts: [0; LogFormat::ALL.len()],
            clients: DistinctClients::with_limit(MAX_COUNTED_CLIENTS),
            client_hasher: ClientHasher::new(),
            first_time: None,
            last_time: None,
            traffic: TrafficCounter::default(),
            first_rows: Vec::new(),
            year_assumed: None,
            label_counts: Vec::new(),
            extra_fields: Vec::new(),
            ground_truth: Labels::default(),
        }
    }

    /// Parses a line (or rebuilds it, see [`Sharing`]) for the detectors and, as the
    /// lead, counts it or its reject.
    fn observe(&mut self, parser: &mut LineParser, line: Line<'_>, sharing: &mut Sharing<'_>) {
        // Only an access log's parser keeps nothing from line to line: a line rebuilt
        // rather than parsed leaves it as it would have been.
        let access = matches!(parser, LineParser::Access);
        let multi_line = parser.has_multi_line_records();
        let rebuilt = match sharing {
            Sharing::Rebuild(cursor) if access && !line.truncated => {
                cursor.take(line.number, line.text)
            }
            _ => None,
        };
        // The event is read where it was made, never moved: it is a few hundred bytes,
        // and each move was a call to memcpy.
        let taken = if line.truncated {
            self.take(line, Err(RejectReason::LineTooLong), sharing, access, false)
        } else if let Some(rebuilt) = &rebuilt {
            self.take(line, Ok(rebuilt), sharing, access, multi_line)
        } else {
            let parsed = parser.parse(line.text);
            self.take(
                line,
                parsed.as_ref().map_err(Clone::clone),
                sharing,
                access,
                multi_line,
            )
        };
        if taken
            && self.lead
            && let LineParser::Json(json) = parser
        {
            self.observe_extra_fields(line.number, json);
        }
    }

    /// Hands a parsed line to the detectors and, as the lead, counts it, the record it
    /// continues (when `multi_line` records are possible) or its reject; describes it when
    /// `sharing` asks to. Whether it parsed.
    fn take(
        &mut self,
        line: Line<'_>,
        parsed: Result<&(LogFormat, Event<'_>), RejectReason>,
        sharing: &mut Sharing<'_>,
        access: bool,
        multi_line: bool,
    ) -> bool {
        if let (Sharing::Describe(described), Ok((format, Event::Access(record)))) =
            (sharing, parsed)
            && access
        {
            described.push(line.number, line.text, *format, record);
        }
        match parsed {
            Ok((format, event)) => {
                // A host name PAM wrote is the address its sshd process named.
                let resolved = self.connection_addresses.address_for(event);
                let name = resolved.as_deref().unwrap_or(event.client());
                let client = ClientKey::with(name, &self.client_hasher);
                for (_, detector) in &mut self.detectors {
                    detector.observe(line.number, event, &client);
                }
                if self.lead {
                    self.count_event(line.number, *format, event, &client);
                }
                true
            }
            Err(reason) => {
                if !self.lead {
                } else if multi_line && crate::parse::continues_a_record(line.text) {
                    self.continued += 1;
                } else {
                    self.rejects.add(line.number, reason, line.text);
                }
                false
            }
        }
    }

    /// The counts, charts and samples a parsed line adds to (the lead's part of a line).
    fn count_event(
        &mut self,
        line_no: u64,
        format: LogFormat,
        event: &Event<'_>,
        client: &ClientKey<'_>,
    ) {
        self.parsed += 1;
        if let Some(index) = LogFormat::ALL.iter().position(|f| *f == format) {
            self.format_counts[index] += 1;
        }
        self.clients.count(client);
        let time = event.time();
        self.first_time = Some(self.first_time.map_or(time, |t| t.earliest(time)));
        self.last_time = Some(self.last_time.map_or(time, |t| t.latest(time)));
        let (status, bytes) = match event {
            Event::Access(record) => (Some(record.status), record.bytes_sent),
            Event::Flow(flow) => (None, flow.total_bytes()),
            Event::Syslog(_) => (None, None),
        };
        self.traffic.add(time.epoch_secs, status, bytes);
        if self.first_rows.len() < self.options.first_rows {
            self.first_rows.push(row_of(line_no, event));
        }
        if let (Some(training), Event::Flow(flow)) = (&mut self.training, event) {
            training.observe(flow);
        }
        if let Event::Flow(flow) = event
            && let Some(label) = flow.label
        {
            self.count_label(line_no, flow.source, label, flow.is_labelled_attack());
        }
    }

    /// Counts a JSON line's unmapped fields, and shows them on its row if it has one.
    fn observe_extra_fields(
        &mut self,
        line_no: u64,
        json: &crate::parse::json_lines::JsonLinesParser,
    ) {
        let mut shown = String::new();
        for (name, value) in json.extra_fields() {
            count_capped(&mut self.extra_fields, name, 1, MAX_EXTRA_FIELDS);
            if shown.len() < ROW_FIELD_CHARS {
                let value = match value {
                    serde_json::Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                if !shown.is_empty() {
                    shown.push_str(", ");
                }
                shown.push_str(&format!("{name}={value}"));
            }
        }
        if let Some(row) = self.first_rows.last_mut().filter(|r| r.line_no == line_no)
            && !shown.is_empty()
        {
            row.extra = Some(for_display(&shown, ROW_FIELD_CHARS));
        }
    }

    fn count_label(&mut self, line_no: u64, client: &str, label: &str, attack: bool) {
        count_capped(&mut self.label_counts, label, 1, MAX_LABELS);
        if attack && self.ground_truth.len() < crate::detect::MAX_TABLE_KEYS {
            self.ground_truth.insert(line_no, client, label);
        } else if attack {
            self.untracked_labels += 1;
        }
    }

    /// Finishes each detector (adding what it learned to `learned`, when learning).
    fn finish_detectors(&mut self, mut learned: Option<&mut Baseline>) -> Vec<DetectorResult> {
        std::mem::take(&mut self.detectors)
            .into_iter()
            .map(|(index, mut detector)| {
                detector.settle();
                DetectorResult {
                    index,
                    untracked: detector.untracked().filter(|u| u.left_out > 0),
                    findings: match learned.as_deref_mut() {
                        Some(baseline) => detector.finish_learning(baseline),
                        None => detector.finish(),
                    },
                }
            })
            .collect()
    }

    fn into_report(mut self, bytes_read: u64, lines: u64, shares: Vec<SharedWork>) -> Outcome {
        // The format most parsed lines had; ties go to the earlier in LogFormat::ALL.
        let format = LogFormat::ALL
            .iter()
            .zip(self.format_counts)
            .filter(|&(_, count)| count > 0)
            .max_by_key(|&(format, count)| {
                (
                    count,
                    std::cmp::Reverse(LogFormat::ALL.iter().position(|f| f == format)),
                )
            })
            .map(|(format, _)| *format);
        let year_assumed = self.year_assumed;
        let mut learned = matches!(self.options.baseline, BaselineUse::Learn).then(|| {
            let mut baseline = Baseline::empty();
            baseline.source.learned_at = Some(self.options.now);
            baseline.source.format = format;
            baseline.source.parsed = self.parsed;
            baseline.source.first_time = self.first_time;
            baseline.source.last_time = self.last_time;
            baseline
        });
        let mut results = self.finish_detectors(learned.as_mut());
        let rejects = self.rejects.finish();
        results.extend(shares.into_iter().flat_map(|share| share.results));
        results.sort_by_key(|result| result.index);
        let mut untracked: Vec<Untracked> = results
            .iter_mut()
            .filter_map(|result| result.untracked.take())
            .collect();
        let untracked_minute_lines = self.traffic.untracked_lines();
        if untracked_minute_lines > 0 {
            untracked.push(Untracked {
                what: "the traffic charts".to_owned(),
                kept: crate::detect::MAX_TABLE_KEYS as u64,
                unit: "minutes".to_owned(),
                left_out: untracked_minute_lines,
                left_out_what: "lines of other minutes".to_owned(),
            });
        }
        if self.untracked_labels > 0 {
            untracked.push(Untracked {
                what: "the file's own labels".to_owned(),
                kept: crate::detect::MAX_TABLE_KEYS as u64,
                unit: "attack lines".to_owned(),
                left_out: self.untracked_labels,
                left_out_what: "labelled attack lines (not evaluated)".to_owned(),
            });
        }
        if self.clients.untracked_lines() > 0 {
            untracked.push(Untracked {
                kept: MAX_COUNTED_CLIENTS as u64,
                ..Untracked::clients(
                    "the count of distinct clients",
                    self.clients.untracked_lines(),
                )
            });
        }
        let mut findings: Vec<Finding> = results
            .into_iter()
            .flat_map(|result| result.findings)
            .collect();
        let baseline_note = self.options.baseline.applied().map(|applied| BaselineNote {
            name: applied.describe(),
            learned_format: applied.source.format,
            fits: match (applied.source.format, format) {
                (Some(learned), Some(read)) => learned.family() == read.family(),
                _ => true,
            },
        });
        // Worst first; ties in a fixed order so reports are reproducible.
        findings.sort_by(|a, b| {
            (b.score, a.first_seen.epoch_secs, &a.client, a.kind).cmp(&(
                a.score,
                b.first_seen.epoch_secs,
                &b.client,
                b.kind,
            ))
        });
        // Worst first, so what a cap leaves out is the least of it.
        if findings.len() > MAX_FINDINGS {
            untracked.push(Untracked {
                what: "the report".to_owned(),
                kept: MAX_FINDINGS as u64,
                unit: "findings".to_owned(),
                left_out: (findings.len() - MAX_FINDINGS) as u64,
                left_out_what: "findings (the mildest)".to_owned(),
            });
            findings.truncate(MAX_FINDINGS);
        }
        let report = Report {
            untracked,
            baseline: baseline_note,
            format,
            year_assumed,
            // Set by `Analysis::finish`, which has the first bytes.
            input_problem: None,
            bytes_read,
            lines,
            parsed: self.parsed,
            continued: self.continued,
            rejected: rejects.by_reason.iter().map(|r| r.count).sum(),
            clients: self.clients.len() as u64,
            first_time: self.first_time,
            last_time: self.last_time,
            traffic: self
                .traffic
                .finish(self.first_time.map_or(0, |t| t.offset_secs)),
            rejects,
            first_rows: self.first_rows,
            findings,
            labels: {
                let mut labels: Vec<LabelCount> = self
                    .label_counts
                    .into_iter()
                    .map(|(label, rows)| LabelCount {
                        label: label.into(),
                        rows,
                    })
                    .collect();
                labels.sort_by(|a, b| b.rows.cmp(&a.rows).then_with(|| a.label.cmp(&b.label)));
                labels
            },
            ground_truth: self.ground_truth,
            extra_fields: {
                let mut fields: Vec<FieldCount> = self
                    .extra_fields
                    .into_iter()
                    .map(|(name, lines)| FieldCount {
                        name: name.into(),
                        lines,
                    })
                    .collect();
                fields.sort_by(|a, b| b.lines.cmp(&a.lines).then_with(|| a.name.cmp(&b.name)));
                fields
            },
        };
        let classifier = self
            .training
            .map(|training| training.train(&TreesOptions::default(), ""));
        Outcome {
            report,
            baseline: learned,
            classifier,
        }
    }
}

/// Adds `lines` to `name`'s count in `counts`, which holds at most `cap` names: a name
/// that comes when it is full is not counted.
fn count_capped(counts: &mut Vec<(Box<str>, u64)>, name: &str, lines: u64, cap: usize) {
    let room = counts.len() < cap;
    match counts.iter_mut().find(|(n, _)| **n == *name) {
        Some((_, total)) => *total += lines,
        None if room => counts.push((name.into(), lines)),
        None => {}
    }
}

fn row_of(line_no: u64, event: &Event<'_>) -> RequestRow {
    let clip = |text: &str| for_display(text, ROW_FIELD_CHARS);
    match event {
        Event::Access(record) => RequestRow {
            line_no,
            client: clip(record.client),
            time: record.time,
            method: record.method.map(clip).unwrap_or_default(),
            target: clip(record.target.unwrap_or(record.request)),
            status: Some(record.status),
            bytes_sent: record.bytes_sent,
            user_agent: record.user_agent.map(clip),
            extra: None,
        },
        Event::Syslog(record) => RequestRow {
            line_no,
            client: clip(event.client()),
            time: record.time,
            method: clip(record.program),
            target: clip(record.message),
            status: None,
            bytes_sent: None,
            user_agent: None,
            extra: None,
        },
        Event::Flow(flow) => RequestRow {
            line_no,
            client: clip(flow.source),
            time: flow.time,
            method: match flow.protocol {
                Some(6) => "TCP".to_owned(),
                Some(17) => "UDP".to_owned(),
                Some(1) => "ICMP".to_owned(),
                Some(other) => other.to_string(),
                None => String::new(),
            },
            target: clip(&format!("{}:{}", flow.destination, flow.destination_port)),
            status: None,
            bytes_sent: flow.total_bytes(),
            user_agent: None,
            extra: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::line_reader::MAX_LINE_BYTES;
    use crate::record::Field;
    use proptest::prelude::*;

    const LOG: &str = concat!(
        "10.0.0.1 - - [01/Jan/2024:10:00:00 +0100] \"GET / HTTP/1.1\" 200 512 \"-\" \"curl/8\"\n",
        "\n",
        "10.0.0.2 - - [01/Jan/2024:10:04:59 +0100] \"GET /a HTTP/1.1\" 404 - \"-\" \"curl/8\"\r\n",
        "garbage\n",
        "10.0.0.1 - - [01/Jan/2024:09:59:00 +0100] \"POST /login HTTP/1.1\" 401 20 \"-\" \"curl/8\"",
    );

    #[test]
    fn summarises_a_small_log() {
        let report = analyze_bytes(LOG.as_bytes(), AnalysisOptions::default());
        assert_eq!(report.format, Some(LogFormat::Combined));
        assert_eq!(report.bytes_read, LOG.len() as u64);
        assert_eq!((report.lines, report.parsed, report.rejected), (5, 3, 2));
        assert_eq!(report.clients, 2);
        // Earliest and latest by instant, not by line order.
        assert_eq!(
            report.first_time.unwrap().to_string(),
            "2024-01-01T09:59:00+01:00"
        );
        assert_eq!(
            report.last_time.unwrap().to_string(),
            "2024-01-01T10:04:59+01:00"
        );
        assert_eq!(report.traffic.bucket_secs, 60);
        assert_eq!(
            report
                .traffic
                .buckets
                .iter()
                .map(|b| b.requests)
                .collect::<Vec<_>>(),
            [1, 1, 0, 0, 0, 1]
        );
        let samples: Vec<_> = report
            .rejects
            .samples
            .iter()
            .map(|s| (s.line_no, s.reason))
            .collect();
        assert_eq!(
            samples,
            [
                (2, RejectReason::Empty),
                (4, RejectReason::MissingField(Field::Identity))
            ]
        );
        let rows: Vec<_> = report
            .first_rows
            .iter()
            .map(|r| (r.line_no, r.status, r.target.as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                (1, Some(200), "/"),
                (3, Some(404), "/a"),
                (5, Some(401), "/login")
            ]
        );
    }

    #[test]
    fn an_empty_input_is_an_empty_report() {
        let report = analyze_bytes(b"", AnalysisOptions::default());
        assert_eq!(
            report,
            Report {
                input_problem: Some(InputProblem::Empty),
                ..Report::default()
            }
        );
    }

    #[test]
    fn keeps_only_as_many_rows_as_asked() {
        let options = AnalysisOptions {
            first_rows: 1,
            rejected_samples: 0,
            ..AnalysisOptions::default()
        };
        let report = analyze_bytes(LOG.as_bytes(), options);
        assert_eq!(report.first_rows.len(), 1);
        assert!(report.rejects.samples.is_empty());
        assert_eq!(report.rejected, 2);
    }

    #[test]
    fn an_overlong_line_is_rejected_and_the_next_line_still_read() {
        let mut input = vec![b'x'; MAX_LINE_BYTES + 10];
        input.extend_from_slice(LOG.as_bytes());
        let report = analyze_bytes(&input, AnalysisOptions::default());
        assert_eq!((report.lines, report.parsed, report.rejected), (5, 2, 3));
        assert_eq!(report.rejects.samples[0].reason, RejectReason::LineTooLong);
        assert_eq!(report.rejects.samples[0].line_no, 1);
    }

    /// The lines a report says one limit (`what`) left out.
    fn lines_left_out(report: &Report, what: &str) -> Option<u64> {
        report
            .untracked
            .iter()
            .find(|u| u.what == what)
            .map(|u| u.left_out)
    }

    #[test]
    fn a_log_of_more_clients_than_are_kept_says_what_it_left_out() {
        use crate::detect::MAX_TRACKED_CLIENTS;
        // Each client fails a login and is refused a path: every detector with per-client
        // state wants to remember every one of them.
        let clients = MAX_COUNTED_CLIENTS + 1_000;
        let mut log = String::new();
        for i in 0..clients {
            let client = format!("10.{}.{}.{}", i / 65_536, i / 256 % 256, i % 256);
            log.push_str(&format!(
                "{client} - - [01/Mar/2024:10:00:00 +0000] \"POST /login HTTP/1.1\" 401 20 \"-\" \"x\"\n"
            ));
        }
        let report = analyze_bytes(log.as_bytes(), AnalysisOptions::default());
        assert_eq!(report.parsed, clients as u64);
        assert_eq!(report.clients, MAX_COUNTED_CLIENTS as u64);
        let left_out = |what: &str| lines_left_out(&report, what);
        assert_eq!(left_out("the count of distinct clients"), Some(1_000));
        assert_eq!(
            left_out("password guessing"),
            Some((clients - MAX_TRACKED_CLIENTS) as u64)
        );
        assert_eq!(
            left_out("the per-client model"),
            Some((clients - MAX_TRACKED_CLIENTS) as u64)
        );
        assert_eq!(
            report.untracked[0].sentence(),
            format!(
                "password guessing keeps at most {} clients; {} lines of other clients were left out",
                crate::figures::group_thousands(MAX_TRACKED_CLIENTS as u64),
                crate::figures::group_thousands((clients - MAX_TRACKED_CLIENTS) as u64)
            )
        );
        // A report keeps the worst findings, and counts the rest.
        let mut attacks = String::new();
        for i in 0..MAX_FINDINGS + 50 {
            attacks.push_str(&format!(
                "10.9.{}.{} - - [01/Mar/2024:10:00:00 +0000] \"GET /?id=1%27%20UNION%20SELECT%20password%20FROM%20users-- HTTP/1.1\" 200 20 \"-\" \"x\"\n",
                i / 256,
                i % 256
            ));
        }
        let flooded = analyze_bytes(attacks.as_bytes(), AnalysisOptions::default());
        assert_eq!(flooded.findings.len(), MAX_FINDINGS);
        let report_cap = flooded
            .untracked
            .iter()
            .find(|u| u.what == "the report")
            .unwrap();
        assert_eq!(report_cap.left_out, 50);
        // An ordinary log has nothing left out, and says nothing about it.
        let small = analyze_bytes(LOG.as_bytes(), AnalysisOptions::default());
        assert!(small.untracked.is_empty());
        // Shared between threads, the limits and the cap on findings read the same.
        for input in [log.as_bytes(), attacks.as_bytes()] {
            let alone = analyze_bytes(input, AnalysisOptions::default());
            let mut team = Analysis::team(AnalysisOptions::default(), 2);
            for member in &mut team {
                member.feed(input);
            }
            let helper = team.pop().unwrap().finish_share();
            assert!(
                team.pop()
                    .unwrap()
                    .finish_team(vec![helper])
                    .unwrap()
                    .report
                    == alone
            );
        }
    }

    #[test]
    fn a_share_sent_as_json_text_gives_the_same_report() {
        let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../example_logs/");
        let input = std::fs::read(format!("{examples}access_combined.log")).unwrap();
        let alone = analyze_bytes(&input, AnalysisOptions::default());
        let mut team = Analysis::team(AnalysisOptions::default(), 2);
        for member in &mut team {
            member.feed(&input);
        }
        let share = team.pop().unwrap().finish_share();
        assert!(!share.results.iter().all(|r| r.findings.is_empty()));
        let json = serde_json::to_string(&share).unwrap();
        let share: SharedWork = serde_json::from_str(&json).unwrap();
        // Exactly: serde_json reads numbers back as written (its float_roundtrip).
        assert!(team.pop().unwrap().finish_team(vec![share]).unwrap().report == alone);
    }

    #[test]
    fn a_team_missing_or_repeating_a_share_is_an_error_not_another_report() {
        let team = || {
            let mut team = Analysis::team(AnalysisOptions::default(), 3);
            for member in &mut team {
                member.feed(LOG.as_bytes());
            }
            let mut team = team.into_iter();
            let lead = team.next().unwrap();
            (lead, team.map(Analysis::finish_share).collect::<Vec<_>>())
        };
        let (lead, mut shares) = team();
        shares.pop();
        assert_eq!(
            lead.finish_team(shares).unwrap_err().reported,
            Analysis::new(AnalysisOptions::default())
                .aggregates
                .detectors
                .len()
                - Analysis::team(AnalysisOptions::default(), 3)[2]
                    .aggregates
                    .detectors
                    .len()
        );
        let (lead, shares) = team();
        let (_, again) = team();
        let repeated = shares
            .into_iter()
            .chain(again.into_iter().take(1))
            .collect();
        assert!(lead.finish_team(repeated).is_err());
        let (lead, shares) = team();
        assert!(lead.finish_team(shares).is_ok());
    }

    #[test]
    fn a_member_built_alone_is_the_member_of_the_team() {
        let indices = |analysis: &Analysis| -> Vec<usize> {
            analysis
                .aggregates
                .detectors
                .iter()
                .map(|(i, _)| *i)
                .collect()
        };
        let team = Analysis::team(AnalysisOptions::default(), 3);
        for (member, in_team) in team.iter().enumerate() {
            let alone = Analysis::team_member(AnalysisOptions::default(), 3, member).unwrap();
            assert_eq!(indices(&alone), indices(in_team));
            assert_eq!(alone.aggregates.lead, member == 0);
        }
        assert!(Analysis::team_member(AnalysisOptions::default(), 3, 3).is_none());
    }

    #[test]
    fn a_team_shares_the_detectors_out_and_the_first_member_keeps_the_counts() {
        let all = Analysis::new(AnalysisOptions::default())
            .aggregates
            .detectors
            .len();
        let team = Analysis::team(AnalysisOptions::default(), 2);
        let shares: Vec<usize> = team.iter().map(|m| m.aggregates.detectors.len()).collect();
        assert_eq!(shares.iter().sum::<usize>(), all);
        assert!(shares.iter().all(|&n| n > 0), "{shares:?}");
        assert!(team[0].aggregates.lead && !team[1].aggregates.lead);
        // Learning is not shared.
        let learning = AnalysisOptions {
            baseline: BaselineUse::Learn,
            ..AnalysisOptions::default()
        };
        assert_eq!(Analysis::team(learning, 2).len(), 1);
    }

    #[test]
    fn a_log_spanning_more_minutes_than_are_kept_says_so() {
        use crate::detect::MAX_TABLE_KEYS;
        // One line a minute, more minutes than the tables keep (a log of years, or made-up
        // timestamps): the per-minute tables stop growing, and say so.
        let mut log = String::new();
        for minute in 0..MAX_TABLE_KEYS as i64 + 500 {
            let time = crate::LogTime {
                epoch_secs: 1_709_251_200 + minute * 60,
                offset_secs: 0,
            };
            log.push_str(&format!(
                "10.0.0.1 - - [{}] \"GET / HTTP/1.1\" 200 5 \"-\" \"x\"\n",
                time.format("%d/%b/%Y:%H:%M:%S +0000")
            ));
        }
        let report = analyze_bytes(log.as_bytes(), AnalysisOptions::default());
        let left_out = |what: &str| lines_left_out(&report, what);
        assert_eq!(left_out("the traffic charts"), Some(500));
        assert_eq!(left_out("site-wide spikes"), Some(500));
        assert_eq!(report.parsed, MAX_TABLE_KEYS as u64 + 500);
    }

    #[test]
    fn a_snapshot_is_the_report_of_the_complete_lines_so_far_and_reading_goes_on() {
        let log = std::fs::read("../../example_logs/access_combined.log").unwrap();
        // Cut mid-line: the snapshot covers the lines before the cut's line.
        let cut = log.len() / 2;
        let line_start = log[..cut].iter().rposition(|&b| b == b'\n').unwrap() + 1;
        let mut analysis = Analysis::new(AnalysisOptions::default());
        analysis.feed(&log[..cut]);
        let so_far = analysis.snapshot();
        let mut expected = analyze_bytes(&log[..line_start], AnalysisOptions::default());
        // The bytes of the unfinished line were read, though not yet as a line.
        expected.bytes_read = cut as u64;
        assert_eq!(so_far, expected);
        assert!(!so_far.findings.is_empty());
        analysis.feed(&log[cut..]);
        assert_eq!(
            analysis.finish(),
            analyze_bytes(&log, AnalysisOptions::default())
        );
    }

    proptest! {
        /// Any bytes, cut anywhere: no panic, every line accounted for, and the same
        /// report as reading the input whole.
        #[test]
        fn any_input_in_any_chunks(input in proptest::collection::vec(any::<u8>(), 0..600), chunk in 1usize..64) {
            let whole = analyze_bytes(&input, AnalysisOptions::default());
            let mut analysis = Analysis::new(AnalysisOptions::default());
            for part in input.chunks(chunk) {
                analysis.feed(part);
            }
            let chunked = analysis.finish();
            prop_assert_eq!(chunked.lines, chunked.parsed + chunked.continued + chunked.rejected);
            prop_assert_eq!(&chunked, &whole);
        }
    }
}
