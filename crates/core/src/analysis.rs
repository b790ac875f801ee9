//! The pipeline: bytes in, [`Report`] out.
//!
//! ```text
//! chunks ─▶ LineReader ─▶ lines ─▶ parse::combined ─▶ records ─▶ aggregates ─▶ Report
//!                                        └─▶ RejectReason ─▶ RejectCounter ──┘
//! ```
//!
//! Feed it chunks as they arrive (from a file slice, a decoder, stdin) and call
//! [`Analysis::finish`] at the end. It keeps aggregates and bounded samples, never the
//! lines, so memory does not grow with the file.

use crate::detect::{DetectionOptions, Detector};
use crate::display_text::for_display;
use crate::finding::Finding;
use crate::line_reader::{Line, LineReader};
use crate::parse::{self, LogFormat, RejectReason};
use crate::record::AccessRecord;
use crate::rejects::RejectCounter;
use crate::report::{Report, RequestRow};
use crate::time::LogTime;
use crate::traffic::TrafficCounter;
use std::collections::HashSet;

/// The longest text field kept in a sample row, in characters.
const ROW_FIELD_CHARS: usize = 2_000;

/// What an analysis looks for, and how much of the file it keeps as examples.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisOptions {
    /// How many parsed requests to keep for the first look table.
    pub first_rows: usize,
    /// How many rejected lines to keep as examples.
    pub rejected_samples: usize,
    /// Which detectors run, and their settings.
    pub detection: DetectionOptions,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        Self {
            first_rows: 100,
            rejected_samples: 200,
            detection: DetectionOptions::default(),
        }
    }
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
#[derive(Debug)]
pub struct Analysis {
    reader: LineReader,
    aggregates: Aggregates,
}

impl Analysis {
    /// An analysis at the start of its input.
    pub fn new(options: AnalysisOptions) -> Self {
        Self {
            reader: LineReader::new(),
            aggregates: Aggregates::new(options),
        }
    }

    /// Analyses the next chunk of the file; a line may continue into the next chunk.
    pub fn feed(&mut self, chunk: &[u8]) {
        let aggregates = &mut self.aggregates;
        self.reader.feed(chunk, |line| aggregates.observe(line));
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
        let bytes_read = self.reader.bytes_fed();
        let mut aggregates = self.aggregates;
        let lines = self.reader.finish(|line| aggregates.observe(line));
        aggregates.into_report(bytes_read, lines)
    }
}

/// Analyses a whole input held in memory; for tests and small inputs.
pub fn analyze_bytes(input: &[u8], options: AnalysisOptions) -> Report {
    let mut analysis = Analysis::new(options);
    analysis.feed(input);
    analysis.finish()
}

/// Everything kept about the lines seen so far.
#[derive(Debug)]
struct Aggregates {
    options: AnalysisOptions,
    parsed: u64,
    combined_lines: u64,
    common_lines: u64,
    clients: HashSet<Box<str>>,
    first_time: Option<LogTime>,
    last_time: Option<LogTime>,
    traffic: TrafficCounter,
    rejects: RejectCounter,
    first_rows: Vec<RequestRow>,
    detectors: Vec<Box<dyn Detector>>,
}

impl Aggregates {
    fn new(options: AnalysisOptions) -> Self {
        Self {
            rejects: RejectCounter::new(options.rejected_samples),
            detectors: options.detection.build(),
            options,
            parsed: 0,
            combined_lines: 0,
            common_lines: 0,
            clients: HashSet::new(),
            first_time: None,
            last_time: None,
            traffic: TrafficCounter::default(),
            first_rows: Vec::new(),
        }
    }

    fn observe(&mut self, line: Line<'_>) {
        if line.truncated {
            self.rejects
                .add(line.number, RejectReason::LineTooLong, line.text);
            return;
        }
        match parse::combined::parse(line.text) {
            Ok((format, record)) => self.observe_record(line.number, format, &record),
            Err(reason) => self.rejects.add(line.number, reason, line.text),
        }
    }

    fn observe_record(&mut self, line_no: u64, format: LogFormat, record: &AccessRecord<'_>) {
        self.parsed += 1;
        for detector in &mut self.detectors {
            detector.observe(line_no, record);
        }
        match format {
            LogFormat::Combined => self.combined_lines += 1,
            LogFormat::Common => self.common_lines += 1,
        }
        if !self.clients.contains(record.client) {
            self.clients.insert(record.client.into());
        }
        self.first_time = Some(
            self.first_time
                .map_or(record.time, |t| t.earliest(record.time)),
        );
        self.last_time = Some(
            self.last_time
                .map_or(record.time, |t| t.latest(record.time)),
        );
        self.traffic.add(record.time.epoch_secs);
        if self.first_rows.len() < self.options.first_rows {
            self.first_rows.push(row_of(line_no, record));
        }
    }

    fn into_report(self, bytes_read: u64, lines: u64) -> Report {
        let format = match (self.combined_lines, self.common_lines) {
            (0, 0) => None,
            (combined, common) if combined >= common => Some(LogFormat::Combined),
            _ => Some(LogFormat::Common),
        };
        let rejects = self.rejects.finish();
        let mut findings: Vec<Finding> = self
            .detectors
            .into_iter()
            .flat_map(|d| d.finish())
            .collect();
        // Worst first; ties in a fixed order so reports are reproducible.
        findings.sort_by(|a, b| {
            (b.score, a.first_seen.epoch_secs, &a.client, a.kind).cmp(&(
                a.score,
                b.first_seen.epoch_secs,
                &b.client,
                b.kind,
            ))
        });
        Report {
            format,
            bytes_read,
            lines,
            parsed: self.parsed,
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
        }
    }
}

fn row_of(line_no: u64, record: &AccessRecord<'_>) -> RequestRow {
    let clip = |text: &str| for_display(text, ROW_FIELD_CHARS);
    RequestRow {
        line_no,
        client: clip(record.client),
        time: record.time,
        method: record.method.map(clip).unwrap_or_default(),
        target: clip(record.target.unwrap_or(record.request)),
        status: record.status,
        bytes_sent: record.bytes_sent,
        user_agent: record.user_agent.map(clip),
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
        assert_eq!(rows, [(1, 200, "/"), (3, 404, "/a"), (5, 401, "/login")]);
    }

    #[test]
    fn an_empty_input_is_an_empty_report() {
        let report = analyze_bytes(b"", AnalysisOptions::default());
        assert_eq!(report, Report::default());
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
            prop_assert_eq!(chunked.lines, chunked.parsed + chunked.rejected);
            prop_assert_eq!(&chunked, &whole);
        }
    }
}
