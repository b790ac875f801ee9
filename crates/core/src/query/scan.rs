//! A query run over a whole input as it streams: how many lines match, when, and the
//! matching lines of one page.

use super::Query;
use super::summary::{MatchSummary, SummaryCounter};
use crate::analysis::format_choice::FormatChoice;
use crate::event::Event;
use crate::limits::LeftOut;
use crate::line_collector::NumberedLine;
use crate::line_reader::{Line, LineReader};
use crate::parse::{LineParser, LogFormat};
use crate::time::LogTime;
use crate::traffic::{Traffic, TrafficCounter};
use serde::{Deserialize, Serialize};

/// Lines kept for one page, at most.
pub const MAX_PAGE_LINES: usize = 1_000;

/// What a query found in an input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryOutcome {
    /// The query, as written.
    pub query: String,
    /// The format the lines were read in.
    pub format: Option<LogFormat>,
    /// Lines read in all.
    pub lines_read: u64,
    /// Lines that match.
    pub matched: u64,
    /// Matching lines over time, as the traffic chart draws them.
    pub traffic: Traffic,
    /// The offset of the first matching line with a time, which the chart's axis uses.
    pub offset_secs: i32,
    /// Matching lines that have a time but could not be placed: the minutes were full.
    pub unplaced: u64,
    /// The matching lines of the page asked for.
    pub lines: Vec<NumberedLine>,
    /// The number of matching lines skipped before the page.
    pub skipped: u64,
    /// The custom rule the query is, if it is one test a rule can make.
    pub as_rule: Option<crate::detect::CustomRule>,
    /// What the matching lines hold: when, answers, methods, paths, agents, bytes.
    pub summary: MatchSummary,
}

impl QueryOutcome {
    /// A sentence when some matches could not be placed in time.
    pub fn left_out(&self) -> Option<LeftOut> {
        (self.unplaced > 0).then(|| LeftOut::minutes("the query's chart", self.unplaced))
    }
}

/// Runs a [`Query`] over an input fed in chunks (decompressed).
#[derive(Debug)]
pub struct QueryScan {
    query: Query,
    reader: LineReader,
    format: FormatChoice,
    now: LogTime,
    matches: Matches,
}

#[derive(Debug)]
struct Matches {
    matched: u64,
    summary: SummaryCounter,
    over_time: TrafficCounter,
    offset_secs: Option<i32>,
    skip: u64,
    keep: usize,
    lines: Vec<NumberedLine>,
    format: Option<LogFormat>,
}

impl QueryScan {
    /// A scan for `query`, reading lines in `format` (detected when `None`); keeps the
    /// matching lines after the first `skip`, at most `keep` of them ([`MAX_PAGE_LINES`]).
    pub fn new(
        query: Query,
        format: Option<LogFormat>,
        now: LogTime,
        skip: u64,
        keep: usize,
    ) -> Self {
        Self {
            query,
            reader: LineReader::new(),
            format: FormatChoice::new(format, now),
            now,
            matches: Matches {
                matched: 0,
                summary: SummaryCounter::default(),
                over_time: TrafficCounter::default(),
                offset_secs: None,
                skip,
                keep: keep.min(MAX_PAGE_LINES),
                lines: Vec::new(),
                format,
            },
        }
    }

    /// Also keeps every distinct client, path and template of the matches (up to a
    /// cap), in the summary's inventory, for a comparison.
    pub fn with_inventory(mut self) -> Self {
        self.matches.summary = SummaryCounter::with_inventory();
        self
    }

    /// How far the scan has come: lines read, lines matched, and the page's lines so far.
    pub fn so_far(&self) -> (u64, u64, &[NumberedLine]) {
        (
            self.reader.lines_emitted(),
            self.matches.matched,
            &self.matches.lines,
        )
    }

    /// Reads the next bytes of the input.
    pub fn feed(&mut self, chunk: &[u8]) {
        self.feed_each(chunk, |_, _| {});
    }

    /// Reads the next bytes of the input, handing every matching line (and its event,
    /// if it parsed) to `each`: a stream of all of them, where a page keeps a few.
    pub fn feed_each(&mut self, chunk: &[u8], mut each: impl FnMut(Line<'_>, Option<&Event<'_>>)) {
        let Self {
            query,
            reader,
            format,
            now,
            matches,
        } = self;
        let mut observe = |parser: &mut LineParser, line: Line<'_>| {
            matches.observe(query, parser, line, &mut each);
        };
        reader.feed(chunk, |line| format.take(line, *now, &mut observe));
    }

    /// Ends the input.
    pub fn finish(self) -> QueryOutcome {
        self.finish_each(|_, _| {})
    }

    /// Ends the input, handing the last matching lines to `each`.
    pub fn finish_each(self, mut each: impl FnMut(Line<'_>, Option<&Event<'_>>)) -> QueryOutcome {
        let Self {
            query,
            reader,
            mut format,
            now,
            mut matches,
        } = self;
        let mut observe = |parser: &mut LineParser, line: Line<'_>| {
            matches.observe(&query, parser, line, &mut each);
        };
        let lines_read = reader.finish(|line| format.take(line, now, &mut observe));
        format.decide(now, &mut observe);
        let unplaced = matches.over_time.untracked_lines();
        matches
            .summary
            .referers_logged(matches.format == Some(LogFormat::Combined));
        let offset_secs = matches.offset_secs.unwrap_or(0);
        QueryOutcome {
            query: query.text().to_owned(),
            format: matches.format,
            lines_read,
            matched: matches.matched,
            traffic: matches.over_time.finish(offset_secs).0,
            offset_secs,
            unplaced,
            skipped: matches.skip.min(matches.matched),
            lines: matches.lines,
            as_rule: query.as_rule(),
            summary: matches.summary.finish(),
        }
    }
}

impl Matches {
    /// Counts, places and keeps `line` if it matches, and hands it to `each`.
    fn observe(
        &mut self,
        query: &Query,
        parser: &mut LineParser,
        line: Line<'_>,
        each: &mut impl FnMut(Line<'_>, Option<&Event<'_>>),
    ) {
        let parsed = if line.truncated {
            None
        } else {
            parser.parse(line.text).ok()
        };
        if let Some((format, _)) = &parsed {
            self.format.get_or_insert(*format);
        }
        let event = parsed.as_ref().map(|(_, event)| event);
        if !query.matches(line.text, event) {
            return;
        }
        self.matched += 1;
        if let Some(event) = event {
            self.summary.add(event);
            let time = event.time();
            self.offset_secs.get_or_insert(time.offset_secs);
            let (status, bytes) = match event {
                Event::Access(record) => (Some(record.status), record.bytes_sent),
                _ => (None, None),
            };
            self.over_time.add(time.epoch_secs, status, bytes);
        }
        if self.matched > self.skip && self.lines.len() < self.keep {
            self.lines.push(NumberedLine::of(line));
        }
        each(line, event);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = concat!(
        "10.0.0.1 - - [01/Mar/2024:10:00:00 +0000] \"GET /a HTTP/1.1\" 200 1 \"-\" \"x\"\n",
        "10.0.0.2 - - [01/Mar/2024:10:00:30 +0000] \"GET /api/x HTTP/1.1\" 500 1 \"-\" \"x\"\n",
        "not a log line at all, with /api/ in it\n",
        "10.0.0.3 - - [01/Mar/2024:10:01:10 +0000] \"GET /api/y HTTP/1.1\" 502 1 \"-\" \"x\"\n",
        "10.0.0.3 - - [01/Mar/2024:10:05:00 +0000] \"GET /api/z HTTP/1.1\" 503 1 \"-\" \"x\"",
    );

    fn scan(query: &str, skip: u64, keep: usize, chunk: usize) -> QueryOutcome {
        let now = LogTime {
            epoch_secs: 1_717_200_000,
            offset_secs: 0,
        };
        let mut scan = QueryScan::new(Query::parse(query).unwrap(), None, now, skip, keep);
        for piece in LOG.as_bytes().chunks(chunk) {
            scan.feed(piece);
        }
        scan.finish()
    }

    #[test]
    fn counts_places_and_pages_the_matches_whatever_the_chunks() {
        for chunk in [1, 7, 4096] {
            let outcome = scan("status>=500", 1, 1, chunk);
            assert_eq!(outcome.format, Some(LogFormat::Combined));
            assert_eq!(outcome.lines_read, 5);
            assert_eq!(outcome.matched, 3);
            // Three requests over five minutes: one-minute buckets, 5xx each.
            assert_eq!(outcome.traffic.bucket_secs, 60);
            let counts: Vec<(u64, [u32; 4])> = outcome
                .traffic
                .buckets
                .iter()
                .map(|b| (b.requests, b.statuses))
                .collect();
            assert_eq!(
                counts,
                [
                    (1, [0, 0, 0, 1]),
                    (1, [0, 0, 0, 1]),
                    (0, [0; 4]),
                    (0, [0; 4]),
                    (0, [0; 4]),
                    (1, [0, 0, 0, 1])
                ]
            );
            assert_eq!(outcome.traffic.buckets[0].start_epoch_secs, 1_709_287_200);
            assert_eq!(outcome.skipped, 1);
            assert_eq!(outcome.lines.len(), 1);
            assert_eq!(outcome.lines[0].line_no, 4);
        }
    }

    #[test]
    fn an_unparsed_line_is_searched_as_text_and_placed_nowhere() {
        let outcome = scan("/\\/api\\//", 0, 10, 4096);
        assert_eq!(outcome.matched, 4);
        assert_eq!(
            outcome.lines.iter().map(|l| l.line_no).collect::<Vec<_>>(),
            [2, 3, 4, 5]
        );
        assert_eq!(
            outcome
                .traffic
                .buckets
                .iter()
                .map(|b| b.requests)
                .sum::<u64>(),
            3
        );
        assert_eq!(outcome.unplaced, 0);
    }
}
