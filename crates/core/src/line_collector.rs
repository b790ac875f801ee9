//! The text of chosen lines, found by reading an input a second time.
//!
//! The analysis keeps line numbers, not lines: its memory must not grow with the file.
//! When an analyst opens a finding (or exports a report), the front end reads the input
//! again through a [`LineCollector`] for just the evidence lines it will show, and can
//! stop as soon as the last one has gone by.

use crate::line_reader::LineReader;
use serde::{Deserialize, Serialize};

/// The most characters of one line kept: enough to read any real request, bounded so a
/// hostile megabyte-long line cannot flood the page.
pub const MAX_LINE_CHARS: usize = 4096;

/// One line of the input, as written (invalid UTF-8 replaced), cut at [`MAX_LINE_CHARS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberedLine {
    /// 1-based line number.
    pub line_no: u64,
    /// The text, without its line ending.
    pub text: String,
    /// Whether the text was cut.
    pub cut: bool,
}

/// Gathers the lines whose numbers were asked for, as the input streams past.
#[derive(Debug)]
pub struct LineCollector {
    /// The wanted numbers, ascending, without repeats.
    wanted: Vec<u64>,
    /// How many of `wanted` have been found.
    found_count: usize,
    found: Vec<NumberedLine>,
    reader: LineReader,
}

impl LineCollector {
    /// A collector for the lines numbered `wanted` (any order, repeats ignored).
    pub fn new(mut wanted: Vec<u64>) -> Self {
        wanted.sort_unstable();
        wanted.dedup();
        Self {
            wanted,
            found_count: 0,
            found: Vec::new(),
            reader: LineReader::new(),
        }
    }

    /// Reads the next bytes of the (decompressed) input.
    pub fn feed(&mut self, chunk: &[u8]) {
        if self.is_complete() {
            return;
        }
        let Self {
            wanted,
            found_count,
            found,
            reader,
        } = self;
        reader.feed(chunk, |line| take(wanted, found_count, found, line));
    }

    /// Whether every wanted line has been found: the rest of the input can be skipped.
    pub fn is_complete(&self) -> bool {
        self.found_count == self.wanted.len()
    }

    /// Ends the input; returns the lines found, in order (numbers past the end are absent).
    pub fn finish(self) -> Vec<NumberedLine> {
        let Self {
            wanted,
            mut found_count,
            mut found,
            reader,
        } = self;
        if found_count < wanted.len() {
            reader.finish(|line| take(&wanted, &mut found_count, &mut found, line));
        }
        found
    }
}

fn take(
    wanted: &[u64],
    found_count: &mut usize,
    found: &mut Vec<NumberedLine>,
    line: crate::line_reader::Line<'_>,
) {
    let Some(&next) = wanted.get(*found_count) else {
        return;
    };
    if line.number != next {
        return;
    }
    *found_count += 1;
    found.push(NumberedLine::of(line));
}

impl NumberedLine {
    /// `line`, kept: its text cut at [`MAX_LINE_CHARS`].
    pub fn of(line: crate::line_reader::Line<'_>) -> Self {
        Self {
            line_no: line.number,
            text: line.text.chars().take(MAX_LINE_CHARS).collect(),
            cut: line.truncated || line.text.chars().nth(MAX_LINE_CHARS).is_some(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_wanted_lines_across_chunks_and_stops() {
        let input = b"one\ntwo\r\nthree\nfour\nfive";
        let mut collector = LineCollector::new(vec![5, 2, 2, 9]);
        for chunk in input.chunks(3) {
            collector.feed(chunk);
        }
        let lines = collector.finish();
        let got: Vec<(u64, &str)> = lines.iter().map(|l| (l.line_no, l.text.as_str())).collect();
        assert_eq!(got, [(2, "two"), (5, "five")]);

        let mut collector = LineCollector::new(vec![1]);
        collector.feed(b"first\nsecond\n");
        assert!(collector.is_complete());
    }

    #[test]
    fn cuts_long_lines_and_keeps_invalid_bytes_visible() {
        let long = "x".repeat(MAX_LINE_CHARS + 10);
        let mut collector = LineCollector::new(vec![1, 2]);
        collector.feed(format!("{long}\n").as_bytes());
        collector.feed(b"caf\xe9\n");
        let lines = collector.finish();
        assert_eq!(lines[0].text.chars().count(), MAX_LINE_CHARS);
        assert!(lines[0].cut);
        assert_eq!(lines[1].text, "caf\u{fffd}");
        assert!(!lines[1].cut);
    }
}
