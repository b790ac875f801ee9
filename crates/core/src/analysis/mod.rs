//! The pipeline: bytes in, [`Report`] out.
//!
//! ```text
//! chunks ─▶ LineReader ─▶ Line ─▶ FormatChoice ─▶ LineHandler ─┬─▶ Detector::observe
//!                                  (holds the first               ├─▶ LineCounts
//!                                   lines until the               └─▶ rejects
//!                                   format is known)
//!          finish ─▶ Ended ─▶ report_building ─▶ Report (+ a learned baseline, a classifier)
//! ```
//!
//! Feed it chunks as they arrive (from a file slice, a decoder, stdin) and call
//! [`Analysis::finish`] at the end. A line is cut from the chunks by the [`LineReader`];
//! [`format_choice`] holds the first lines (at most
//! [`format_choice::DETECTION_SAMPLE_LINES`], at most
//! [`format_choice::DETECTION_SAMPLE_BYTES`]) until the format is known, then hands every line to the
//! [`line_handling`], which parses it, names its client, gives it to each detector and
//! counts it in the [`line_counts`]. At the end, [`report_building`] puts the counts and
//! the detectors' findings together. An analysis keeps aggregates and bounded samples,
//! never the lines, so memory does not grow with the file.
//!
//! With cores to spare, the detectors are shared between the members of a
//! [`team`], each reading the whole input; nothing above depends on it.

use crate::baseline::{Baseline, BaselineUse};
use crate::detect::DetectionOptions;
use crate::input_problem::SNIFF_BYTES;
use crate::line_reader::{Line, LineReader};
use crate::parse::{LineParser, LogFormat};
use crate::report::Report;
use crate::supervised::{ClassifierFile, TrainedClassifier};
use crate::time::LogTime;
use std::sync::Arc;

mod detector_results;
pub(crate) mod format_choice;
mod line_counts;
mod line_handling;
mod report_building;
mod team;

pub use detector_results::MemberFindings;
use format_choice::FormatChoice;
use line_handling::LineHandler;
use report_building::Ended;
pub use team::{IncompleteTeam, LeadAwaitingShares, MAX_USEFUL_TEAM};

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

/// A streaming analysis of one file.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The first bytes, to tell an empty or binary input at the end.
    start: Vec<u8>,
    reader: LineReader,
    format: FormatChoice,
    handler: LineHandler,
}

impl Analysis {
    /// An analysis at the start of its input.
    pub fn new(options: AnalysisOptions) -> Self {
        Self {
            start: Vec::new(),
            reader: LineReader::new(),
            format: FormatChoice::new(options.format, options.now),
            handler: LineHandler::new(options),
        }
    }

    /// Analyses the next chunk of the file; a line may continue into the next chunk.
    pub fn feed(&mut self, chunk: &[u8]) {
        if self.start.len() < SNIFF_BYTES {
            let room = SNIFF_BYTES - self.start.len();
            self.start
                .extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
        let Self {
            reader,
            format,
            handler,
            ..
        } = self;
        let now = handler.options.now;
        reader.feed(chunk, |line| {
            format.take(line, now, &mut |parser, line| handler.observe(parser, line));
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
        self.end(true).into_outcome(Vec::new())
    }

    /// What has been found so far, as if the input ended after its last complete line;
    /// the analysis itself reads on. For following a growing file: everything an analysis
    /// keeps is bounded, so the copy costs little next to reading.
    pub fn snapshot(&self) -> Report {
        self.clone().end(false).into_outcome(Vec::new()).report
    }

    /// Ends the input; a last line without its line ending counts only with
    /// `flush_partial` (a growing file's last line may still be being written).
    fn end(self, flush_partial: bool) -> Ended {
        let Self {
            start,
            reader,
            mut format,
            mut handler,
        } = self;
        let bytes_read = reader.bytes_fed();
        let now = handler.options.now;
        let mut observe = |parser: &mut LineParser, line: Line<'_>| handler.observe(parser, line);
        let lines = if flush_partial {
            reader.finish(|line| format.take(line, now, &mut observe))
        } else {
            reader.lines_emitted()
        };
        format.decide(now, &mut observe);
        Ended {
            start,
            year_assumed: format.assumed_year(),
            handler,
            bytes_read,
            lines,
        }
    }
}

/// Analyses a whole input held in memory; for tests and small inputs.
pub fn analyze_bytes(input: &[u8], options: AnalysisOptions) -> Report {
    let mut analysis = Analysis::new(options);
    analysis.feed(input);
    analysis.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input_problem::InputProblem;
    use crate::line_reader::MAX_LINE_BYTES;
    use crate::parse::RejectReason;
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
        use crate::limits::MAX_TRACKED_CLIENTS;
        // Each client fails a login and is refused a path: every detector with per-client
        // state wants to remember every one of them.
        let clients = line_counts::MAX_COUNTED_CLIENTS + 1_000;
        let mut log = String::new();
        for i in 0..clients {
            let client = format!("10.{}.{}.{}", i / 65_536, i / 256 % 256, i % 256);
            log.push_str(&format!(
                "{client} - - [01/Mar/2024:10:00:00 +0000] \"POST /login HTTP/1.1\" 401 20 \"-\" \"x\"\n"
            ));
        }
        let report = analyze_bytes(log.as_bytes(), AnalysisOptions::default());
        assert_eq!(report.parsed, clients as u64);
        assert_eq!(report.clients, line_counts::MAX_COUNTED_CLIENTS as u64);
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
        for i in 0..report_building::MAX_FINDINGS + 50 {
            attacks.push_str(&format!(
                "10.9.{}.{} - - [01/Mar/2024:10:00:00 +0000] \"GET /?id=1%27%20UNION%20SELECT%20password%20FROM%20users-- HTTP/1.1\" 200 20 \"-\" \"x\"\n",
                i / 256,
                i % 256
            ));
        }
        let flooded = analyze_bytes(attacks.as_bytes(), AnalysisOptions::default());
        assert_eq!(flooded.findings.len(), report_building::MAX_FINDINGS);
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
    fn a_log_spanning_more_minutes_than_are_kept_says_so() {
        use crate::limits::MAX_TABLE_KEYS;
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
