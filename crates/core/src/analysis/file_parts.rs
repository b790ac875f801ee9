//! One file read in parts at once, for a summary (counts, charts, rejects) sooner.
//!
//! Without detectors, parsing is nearly all of the work, and in most formats a line parses
//! on its own. So a file that can be read anywhere (on disk, or a `Blob` in the page) is cut
//! into byte ranges, each read by a thread or worker of its own, and the first part puts
//! the others' counts together in file order. The outcome is exactly one analysis':
//! - every part reads with the format the file's first lines give ([`PartPlan::new`]
//!   samples them as [`Analysis`] does, and the first part decides the same way);
//! - a part owns the lines that start in its range: it skips the end of a line begun before
//!   it, and reads on past its end to finish its last line;
//! - a part numbers its lines from its own start, and the numbers move on when the parts
//!   come together;
//! - what is capped (distinct clients, minutes of the charts) comes together exactly only
//!   under its cap: when the parts together outgrow one, [`FilePart::finish_first`] says so
//!   and the caller reads the file again in one part.
//!
//! Detectors follow clients through time, and syslog, Python logging and flow CSV carry
//! something from line to line; compressed files cannot be cut. For those the plan has one
//! part.

use super::{
    Analysis, AnalysisOptions, Closed, MAX_COUNTED_CLIENTS, MAX_EXTRA_FIELDS, Outcome, count_capped,
};
use crate::baseline::BaselineUse;
use crate::detect::DetectionOptions;
use crate::input_problem::SNIFF_BYTES;
use crate::parse::{LogFormat, RejectReason};
use crate::rejects::RejectedLine;
use crate::report::RequestRow;
use crate::time::LogTime;
use crate::traffic::Counts;
use std::ops::Range;

/// How many of the file's first bytes a plan needs, at most, to know the format.
pub const PLAN_SAMPLE_BYTES: usize = 4 << 20;

/// The smallest part worth a thread of its own: below, starting one costs more than it
/// saves.
const MIN_PART_BYTES: u64 = 8 << 20;

/// The most parts a file is read in: each keeps its own counts (up to 250,000 clients),
/// so memory grows with them, and past a few the reading of the file bounds the time.
pub const MAX_PARTS: usize = 8;

/// How a file is cut into parts, and the format every part reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartPlan {
    ranges: Vec<Range<u64>>,
    /// The file's first bytes, which tell an empty or binary input (the first part may
    /// end before them).
    sniffed: Vec<u8>,
    /// The format of every part but the first (which decides it as one analysis would).
    format: Option<LogFormat>,
}

impl PartPlan {
    /// A plan for reading a file of `file_bytes` bytes in up to `parts` parts with
    /// `options`, given its first bytes (`start`, the first [`PLAN_SAMPLE_BYTES`] or the
    /// whole file). Everyone who plans with the same arguments gets the same plan, so
    /// workers that share no memory agree on who reads what.
    pub fn new(options: &AnalysisOptions, start: &[u8], file_bytes: u64, parts: usize) -> Self {
        Self::with_min_part_bytes(options, start, file_bytes, parts, MIN_PART_BYTES)
    }

    /// Whether a plan for a file of `file_bytes` read with `options` may have more than one
    /// part, known before reading a byte: it only counts (no detector, nothing learned)
    /// and the file is large enough.
    pub fn may_cut(options: &AnalysisOptions, file_bytes: u64) -> bool {
        Self::most_parts(file_bytes) > 1 && counts_only(options)
    }

    /// [`PartPlan::new`] with parts of at least `min_part_bytes` rather than the size
    /// worth a thread, so tests can cut small files.
    #[doc(hidden)]
    pub fn with_min_part_bytes(
        options: &AnalysisOptions,
        start: &[u8],
        file_bytes: u64,
        parts: usize,
        min_part_bytes: u64,
    ) -> Self {
        let sniffed = start[..start.len().min(SNIFF_BYTES)].to_vec();
        let one = Self {
            ranges: std::iter::once(0..file_bytes).collect(),
            sniffed: sniffed.clone(),
            format: options.format,
        };
        let parts = u64::try_from(parts.min(MAX_PARTS))
            .unwrap_or(1)
            .min(file_bytes / min_part_bytes.max(1));
        let gzip = start.starts_with(&[0x1f, 0x8b]);
        if parts < 2 || gzip || !counts_only(options) {
            return one;
        }
        // Decided within the first part's range, so the first part decides the same.
        let first_part = usize::try_from(file_bytes / parts).unwrap_or(usize::MAX);
        let sample = &start[..start.len().min(first_part)];
        let Some(format) = options
            .format
            .or_else(|| format_of_start(sample, options.now))
        else {
            return one;
        };
        if !format.lines_stand_alone() {
            return one;
        }
        Self {
            ranges: (0..parts)
                .map(|i| cut(file_bytes, i, parts)..cut(file_bytes, i + 1, parts))
                .collect(),
            sniffed,
            format: Some(format),
        }
    }

    /// How many parts the file is read in.
    pub fn parts(&self) -> usize {
        self.ranges.len()
    }

    /// The most parts a file of `file_bytes` bytes is cut into, whatever it holds: no
    /// use starting more threads or workers for it.
    pub fn most_parts(file_bytes: u64) -> usize {
        usize::try_from(file_bytes / MIN_PART_BYTES)
            .unwrap_or(usize::MAX)
            .clamp(1, MAX_PARTS)
    }

    /// Part `index` (from 0), to read with the `options` the plan was made with; `None`
    /// past the last part.
    pub fn part(&self, options: AnalysisOptions, index: usize) -> Option<FilePart> {
        let range = self.ranges.get(index)?.clone();
        let options = if index == 0 {
            options
        } else {
            AnalysisOptions {
                format: self.format,
                ..options
            }
        };
        Some(FilePart {
            analysis: Analysis::new(options),
            sniffed: if index == 0 {
                self.sniffed.clone()
            } else {
                Vec::new()
            },
            skipping: range.start > 0 && !range.is_empty(),
            range,
            index,
            parts: self.parts(),
        })
    }
}

/// Where part `i` of `parts` starts in a file of `file_bytes` bytes.
fn cut(file_bytes: u64, i: u64, parts: u64) -> u64 {
    // In 128 bits: the product of two 64-bit numbers does not overflow there.
    u64::try_from(u128::from(file_bytes) * u128::from(i) / u128::from(parts.max(1)))
        .unwrap_or(file_bytes)
}

/// Whether an analysis with `options` only counts (no detector, nothing learned), so
/// that its parts can be put together.
fn counts_only(options: &AnalysisOptions) -> bool {
    options.classifier.is_none()
        && !options.train_classifier
        && !matches!(options.baseline, BaselineUse::Learn)
        && options.detection.builds_none()
}

/// The format an analysis decides from `start`, the first bytes of its input; `None` when
/// it would want more lines than `start` holds.
fn format_of_start(start: &[u8], now: LogTime) -> Option<LogFormat> {
    let mut sampler = Analysis::new(AnalysisOptions {
        now,
        detection: DetectionOptions::none(),
        first_rows: 0,
        rejected_samples: 0,
        ..AnalysisOptions::default()
    });
    // In pieces, to stop parsing once the format is known.
    for piece in start.chunks(64 * 1024) {
        sampler.feed(piece);
        if let Some(format) = sampler.format() {
            return Some(format);
        }
    }
    None
}

/// One part of a [`PartPlan`]: feed it the bytes from [`FilePart::first_byte`] to the end
/// of [`FilePart::range`], then the bytes after it while [`FilePart::wants_more`].
#[derive(Debug, Clone)]
pub struct FilePart {
    analysis: Analysis,
    range: Range<u64>,
    /// Dropping the end of a line that began before the range.
    skipping: bool,
    /// For the first part: the file's first bytes.
    sniffed: Vec<u8>,
    /// Its place in the plan, from 0.
    index: usize,
    /// How many parts the plan has.
    parts: usize,
}

impl FilePart {
    /// Where to start reading: a part after the first starts one byte early, to see
    /// whether a line starts right at its range.
    pub fn first_byte(&self) -> u64 {
        if self.skipping {
            self.range.start - 1
        } else {
            self.range.start
        }
    }

    /// The bytes this part owns the lines of.
    pub fn range(&self) -> Range<u64> {
        self.range.clone()
    }

    /// Reads the next bytes, in file order, up to the end of the range.
    pub fn feed(&mut self, chunk: &[u8]) {
        let chunk = if self.skipping {
            let Some(at) = memchr::memchr(b'\n', chunk) else {
                return;
            };
            self.skipping = false;
            &chunk[at + 1..]
        } else {
            chunk
        };
        self.analysis.feed(chunk);
    }

    /// Whether, the range read, the part's last line goes on after it.
    pub fn wants_more(&self) -> bool {
        !self.skipping && !self.analysis.reader.at_line_start()
    }

    /// Reads bytes after the range, in order, up to the end of the part's last line;
    /// returns [`FilePart::wants_more`].
    pub fn feed_past_end(&mut self, chunk: &[u8]) -> bool {
        if !self.wants_more() {
            return false;
        }
        match memchr::memchr(b'\n', chunk) {
            Some(at) => self.analysis.feed(&chunk[..=at]),
            None => self.analysis.feed(chunk),
        }
        self.wants_more()
    }

    /// How much of its range the part has read, for progress bars.
    pub fn progress(&self) -> super::Progress {
        self.analysis.progress()
    }

    /// Ends a part after the first (at the end of the file, a last line without its
    /// line ending counts): what it counted, for [`FilePart::finish_first`].
    pub fn finish(self) -> PartSummary {
        let bytes = self.range.end - self.range.start;
        let Closed {
            aggregates, lines, ..
        } = self.analysis.close(true);
        let (minutes, untracked_minute_lines) = aggregates.traffic.into_minutes();
        let (rejects, reject_samples) = aggregates.rejects.into_parts();
        PartSummary {
            index: Some(self.index),
            start: self.range.start,
            lines,
            bytes,
            parsed: aggregates.parsed,
            continued: aggregates.continued,
            format_counts: aggregates.format_counts,
            uncounted_client_lines: aggregates.clients.untracked_lines(),
            clients: aggregates.clients.into_digests().collect(),
            first_time: aggregates.first_time,
            last_time: aggregates.last_time,
            minutes,
            untracked_minute_lines,
            rejects,
            reject_samples,
            first_rows: aggregates.first_rows,
            extra_fields: aggregates.extra_fields,
        }
    }

    /// Ends the first part with what every later part counted, in any order (summaries
    /// of [`PartSummary::nothing`] are left out): the outcome one analysis of the whole
    /// file gives. [`PartsError::Overflow`] when the parts cannot be put together exactly
    /// (then read the file in one part); [`PartsError::Incomplete`] when a part is
    /// missing or came twice.
    pub fn finish_first(self, later: Vec<PartSummary>) -> Result<Outcome, PartsError> {
        let mut later: Vec<(usize, PartSummary)> = later
            .into_iter()
            .filter_map(|part| Some((part.index?, part)))
            .collect();
        later.sort_by_key(|(index, _)| *index);
        let got: Vec<usize> = later.iter().map(|(index, _)| *index).collect();
        if self.index != 0 {
            return Err(PartsError::NotFirst(self.index));
        }
        if !got.iter().copied().eq(1..self.parts) {
            return Err(PartsError::Incomplete {
                expected: self.parts,
                got,
            });
        }
        let mut end = self.range.end;
        for (index, part) in &later {
            if part.start != end {
                return Err(PartsError::Misplaced(*index));
            }
            end = part.start + part.bytes;
        }
        let mut closed = self.analysis.close(true);
        closed.bytes_read = self.range.end - self.range.start;
        closed.start = self.sniffed;
        for (_, part) in later {
            closed.absorb(part)?;
        }
        Ok(closed.into_outcome(Vec::new()))
    }
}

/// What a part after the first counted, to be put together with the others by the first.
/// It crosses between threads, or as JSON between the page's workers.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct PartSummary {
    /// The part's place in its plan; `None` for a worker past the last part.
    index: Option<usize>,
    /// Where its range starts (it is `bytes` long), to check that the parts follow on.
    start: u64,
    lines: u64,
    bytes: u64,
    parsed: u64,
    continued: u64,
    format_counts: [u64; LogFormat::ALL.len()],
    /// The part's clients, by their digests.
    clients: Vec<u64>,
    uncounted_client_lines: u64,
    first_time: Option<LogTime>,
    last_time: Option<LogTime>,
    minutes: Vec<(i64, Counts)>,
    untracked_minute_lines: u64,
    rejects: Vec<(RejectReason, u64)>,
    reject_samples: Vec<RejectedLine>,
    first_rows: Vec<RequestRow>,
    extra_fields: Vec<(Box<str>, u64)>,
}

impl PartSummary {
    /// What a part with nothing to read counted: nothing (a worker past the last part of
    /// a plan sends it, so the first knows it is done).
    pub fn nothing() -> Self {
        Self::default()
    }
}

/// Why the parts of a file could not be put together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartsError {
    /// They counted more of something than one analysis keeps, so they cannot be put
    /// together exactly: read the file in one part.
    #[error("the parts of the file together count more {0} than an analysis keeps")]
    Overflow(&'static str),
    /// A part is missing or came twice.
    #[error("the parts of the file came together wrong: parts {got:?} of {expected} arrived")]
    Incomplete {
        /// How many parts the plan has.
        expected: usize,
        /// The places of the later parts that arrived, in order.
        got: Vec<usize>,
    },
    /// A part does not start where the one before it ended (it belongs to another plan).
    #[error("part {0} of the file does not start where the part before it ended")]
    Misplaced(usize),
    /// The parts were put together by a part other than the first.
    #[error("part {0} of the file was asked to put the parts together, which only the first does")]
    NotFirst(usize),
}

impl Closed {
    /// Adds the counts of the part that follows the lines counted so far.
    fn absorb(&mut self, part: PartSummary) -> Result<(), PartsError> {
        let offset = self.lines;
        let counts = &mut self.aggregates;
        counts.parsed += part.parsed;
        counts.continued += part.continued;
        for (total, lines) in counts.format_counts.iter_mut().zip(part.format_counts) {
            *total += lines;
        }
        if part.uncounted_client_lines > 0 {
            return Err(PartsError::Overflow("distinct clients"));
        }
        for digest in part.clients {
            if !counts.clients.contains(digest) && counts.clients.len() >= MAX_COUNTED_CLIENTS {
                return Err(PartsError::Overflow("distinct clients"));
            }
            counts.clients.count_digest(digest);
        }
        // Ties keep the earlier line's time, as one analysis does.
        if let Some(time) = part.first_time {
            counts.first_time = Some(counts.first_time.map_or(time, |t| t.earliest(time)));
        }
        if let Some(time) = part.last_time {
            counts.last_time = Some(counts.last_time.map_or(time, |t| t.latest(time)));
        }
        if part.untracked_minute_lines > 0 || !counts.traffic.absorb(part.minutes) {
            return Err(PartsError::Overflow("minutes"));
        }
        counts
            .rejects
            .absorb(part.rejects, part.reject_samples, offset);
        let room = counts
            .options
            .first_rows
            .saturating_sub(counts.first_rows.len());
        counts.first_rows.extend(
            part.first_rows
                .into_iter()
                .take(room)
                .map(|row| RequestRow {
                    line_no: row.line_no + offset,
                    ..row
                }),
        );
        // A part that filled its field names may have missed some one analysis counts.
        if part.extra_fields.len() >= MAX_EXTRA_FIELDS {
            return Err(PartsError::Overflow("JSON field names"));
        }
        // Names in the order the part first saw them: those one analysis would have had
        // room for.
        for (name, lines) in part.extra_fields {
            count_capped(&mut counts.extra_fields, &name, lines, MAX_EXTRA_FIELDS);
        }
        self.lines += part.lines;
        self.bytes_read += part.bytes;
        Ok(())
    }
}
