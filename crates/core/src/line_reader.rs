//! Turns a byte stream that arrives in chunks of any size into numbered text lines.
//!
//! Browsers hand us a file as slices, `.gz` decoders hand us whatever they inflated, and
//! stdin hands us pipe-sized reads: none of them respects line boundaries. The reader keeps
//! the unfinished tail of one chunk and joins it with the next, so every caller sees whole
//! lines, and lines wholly inside a chunk are handed out without copying.
//!
//! Rules: `\n` ends a line; one trailing `\r` is dropped (CRLF files); invalid UTF-8 is
//! replaced with U+FFFD rather than rejected (a log with one bad byte is still a log); a
//! final line without `\n` is still a line; an empty input has no lines, and a file ending
//! in `\n` has no extra empty line after it. Line numbers start at 1. A line longer than
//! [`MAX_LINE_BYTES`] keeps only its start and is marked truncated, so a file with no
//! newline at all cannot fill memory.

use std::borrow::Cow;

/// The longest line kept whole. Real log lines are a few KiB at most; this is room for
/// outliers while bounding what one line can cost.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// One line of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    /// 1-based line number.
    pub number: u64,
    /// The text, without its line ending; only the first [`MAX_LINE_BYTES`] if truncated.
    pub text: &'a str,
    /// Whether the line was longer than [`MAX_LINE_BYTES`] and was cut.
    pub truncated: bool,
}

/// Splits chunks of bytes into numbered lines. See the module docs for the rules.
#[derive(Debug, Clone)]
pub struct LineReader {
    /// The start of a line whose end has not arrived yet, at most `max_line_bytes`.
    carry: Vec<u8>,
    /// Whether the carried line has already lost bytes past the limit.
    carry_truncated: bool,
    max_line_bytes: usize,
    /// Number of the last line handed out.
    lines_emitted: u64,
    /// Every byte fed so far, for progress reports.
    bytes_fed: u64,
}

impl Default for LineReader {
    fn default() -> Self {
        Self::with_max_line_bytes(MAX_LINE_BYTES)
    }
}

impl LineReader {
    /// A reader at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// A reader that cuts lines after `max_line_bytes` (at least 1).
    pub fn with_max_line_bytes(max_line_bytes: usize) -> Self {
        Self {
            carry: Vec::new(),
            carry_truncated: false,
            max_line_bytes: max_line_bytes.max(1),
            lines_emitted: 0,
            bytes_fed: 0,
        }
    }

    /// Bytes fed so far.
    pub fn bytes_fed(&self) -> u64 {
        self.bytes_fed
    }

    /// Whether the bytes fed so far end with a complete line (or nothing).
    pub fn at_line_start(&self) -> bool {
        self.carry.is_empty() && !self.carry_truncated
    }

    /// Lines handed out so far.
    pub fn lines_emitted(&self) -> u64 {
        self.lines_emitted
    }

    /// Feeds the next chunk and calls `on_line` for every line it completes.
    pub fn feed(&mut self, chunk: &[u8], mut on_line: impl FnMut(Line<'_>)) {
        self.bytes_fed += chunk.len() as u64;
        let mut rest = chunk;
        if !self.at_line_start() {
            let Some(newline_at) = memchr::memchr(b'\n', rest) else {
                self.carry_up_to_limit(rest);
                return;
            };
            self.carry_up_to_limit(&rest[..newline_at]);
            rest = &rest[newline_at + 1..];
            let joined = std::mem::take(&mut self.carry);
            let truncated = std::mem::take(&mut self.carry_truncated);
            self.emit(&joined, truncated, &mut on_line);
            // Keep the allocation for the next split line.
            self.carry = joined;
            self.carry.clear();
        }
        let whole = memchr::memrchr(b'\n', rest).map_or(0, |at| at + 1);
        let (lines, tail) = rest.split_at(whole);
        // Valid UTF-8 is the rule: checked once for all the chunk's whole lines, which is
        // several times faster than line by line; a chunk with a bad byte goes line by line.
        match std::str::from_utf8(lines) {
            Ok(text) => {
                let mut start = 0;
                for newline_at in memchr::memchr_iter(b'\n', lines) {
                    self.emit_text(&text[start..newline_at], &mut on_line);
                    start = newline_at + 1;
                }
            }
            Err(_) => {
                let mut start = 0;
                for newline_at in memchr::memchr_iter(b'\n', lines) {
                    self.emit(&lines[start..newline_at], false, &mut on_line);
                    start = newline_at + 1;
                }
            }
        }
        self.carry_up_to_limit(tail);
    }

    /// Ends the stream: hands out a last line that had no `\n`, and returns the number of
    /// lines in the whole stream.
    pub fn finish(mut self, mut on_line: impl FnMut(Line<'_>)) -> u64 {
        if !self.carry.is_empty() || self.carry_truncated {
            let last = std::mem::take(&mut self.carry);
            let truncated = self.carry_truncated;
            self.emit(&last, truncated, &mut on_line);
        }
        self.lines_emitted
    }

    fn carry_up_to_limit(&mut self, bytes: &[u8]) {
        let room = self.max_line_bytes.saturating_sub(self.carry.len());
        if bytes.len() > room {
            self.carry_truncated = true;
        }
        self.carry
            .extend_from_slice(&bytes[..bytes.len().min(room)]);
    }

    /// Hands out a whole line already known to be text.
    fn emit_text(&mut self, text: &str, on_line: &mut impl FnMut(Line<'_>)) {
        if text.len() > self.max_line_bytes {
            // Cut at a byte count, which may split a character.
            return self.emit(text.as_bytes(), false, on_line);
        }
        self.lines_emitted += 1;
        on_line(Line {
            number: self.lines_emitted,
            text: text.strip_suffix('\r').unwrap_or(text),
            truncated: false,
        });
    }

    fn emit(&mut self, raw: &[u8], truncated: bool, on_line: &mut impl FnMut(Line<'_>)) {
        let (raw, truncated) = if raw.len() > self.max_line_bytes {
            (&raw[..self.max_line_bytes], true)
        } else if truncated {
            (raw, true)
        } else {
            (raw.strip_suffix(b"\r").unwrap_or(raw), false)
        };
        self.lines_emitted += 1;
        // Valid UTF-8 is the rule; `from_utf8` checks it several times faster than the
        // lossy decoder, which only runs when a line needs its replacement characters.
        let text: Cow<'_, str> = match std::str::from_utf8(raw) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(raw),
        };
        on_line(Line {
            number: self.lines_emitted,
            text: &text,
            truncated,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Feeds `input` split at the given chunk size and collects (number, text, truncated).
    fn read_with(
        mut reader: LineReader,
        input: &[u8],
        chunk_size: usize,
    ) -> Vec<(u64, String, bool)> {
        let mut out = Vec::new();
        let mut keep =
            |line: Line<'_>| out.push((line.number, line.text.to_owned(), line.truncated));
        for chunk in input.chunks(chunk_size.max(1)) {
            reader.feed(chunk, &mut keep);
        }
        reader.finish(&mut keep);
        out
    }

    fn lines_of(input: &[u8], chunk_size: usize) -> Vec<(u64, String, bool)> {
        read_with(LineReader::new(), input, chunk_size)
    }

    fn texts(input: &[u8], chunk_size: usize) -> Vec<String> {
        lines_of(input, chunk_size)
            .into_iter()
            .map(|(_, t, _)| t)
            .collect()
    }

    macro_rules! line_cases {
        ($($name:ident: $input:expr => [$($line:expr),*];)*) => {$(
            #[test]
            fn $name() {
                let expected: Vec<String> = vec![$($line.to_string()),*];
                for chunk_size in [1, 2, 3, 7, 64, 4096] {
                    assert_eq!(texts($input, chunk_size), expected, "chunk size {chunk_size}");
                }
            }
        )*};
    }

    line_cases! {
        empty_input_has_no_lines: b"" => [];
        one_line_without_newline: b"abc" => ["abc"];
        final_newline_adds_no_empty_line: b"a\nb\n" => ["a", "b"];
        blank_lines_are_lines: b"\n\nx\n" => ["", "", "x"];
        crlf_loses_its_cr: b"a\r\nb\r\n" => ["a", "b"];
        only_one_trailing_cr_is_dropped: b"a\r\r\n" => ["a\r"];
        cr_inside_a_line_stays: b"a\rb\n" => ["a\rb"];
        invalid_utf8_is_replaced: b"ok\xff\xfeend\n" => ["ok\u{fffd}\u{fffd}end"];
        multibyte_split_across_chunks: "é€\n".as_bytes() => ["é€"];
    }

    #[test]
    fn line_numbers_start_at_one_and_count_blank_lines() {
        let numbers: Vec<u64> = lines_of(b"a\n\nb", 2)
            .into_iter()
            .map(|(n, _, _)| n)
            .collect();
        assert_eq!(numbers, [1, 2, 3]);
    }

    #[test]
    fn counts_bytes_fed() {
        let mut reader = LineReader::new();
        reader.feed(b"abc\nde", |_| {});
        reader.feed(b"f", |_| {});
        assert_eq!(reader.bytes_fed(), 7);
        assert_eq!(reader.lines_emitted(), 1);
        assert_eq!(reader.finish(|_| {}), 2);
    }

    #[test]
    fn long_lines_are_cut_and_marked_in_any_chunking() {
        let input = b"abcdefgh\nabcd\nabcdefghij";
        for chunk_size in [1, 3, 5, 100] {
            let lines = read_with(LineReader::with_max_line_bytes(4), input, chunk_size);
            assert_eq!(
                lines,
                [
                    (1, "abcd".to_owned(), true),
                    (2, "abcd".to_owned(), false),
                    (3, "abcd".to_owned(), true)
                ],
                "chunk size {chunk_size}"
            );
        }
    }

    #[test]
    fn a_file_without_newlines_keeps_only_the_limit_in_memory() {
        let mut reader = LineReader::with_max_line_bytes(16);
        for _ in 0..1000 {
            reader.feed(&[b'x'; 1000], |_| panic!("no line ends"));
        }
        assert!(reader.carry.len() <= 16);
        let mut seen = Vec::new();
        reader.finish(|line| seen.push((line.text.len(), line.truncated)));
        assert_eq!(seen, [(16, true)]);
    }

    proptest! {
        /// However the stream is cut, the lines are the same as reading it whole.
        #[test]
        fn chunking_never_changes_the_lines(
            input in proptest::collection::vec(any::<u8>(), 0..400),
            chunk in 1usize..50,
            limit in 1usize..40,
        ) {
            let whole = read_with(LineReader::with_max_line_bytes(limit), &input, usize::MAX);
            let chunked = read_with(LineReader::with_max_line_bytes(limit), &input, chunk);
            prop_assert_eq!(chunked, whole);
        }

        /// Joining the lines back gives the input, but for dropped CRs and lossy bytes.
        #[test]
        fn valid_text_round_trips(input in "[a-z\n]{0,200}") {
            let joined = texts(input.as_bytes(), 5).join("\n");
            prop_assert_eq!(joined, input.strip_suffix('\n').unwrap_or(&input));
        }
    }
}
