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
//! in `\n` has no extra empty line after it. Line numbers start at 1.

use std::borrow::Cow;

/// Splits chunks of bytes into numbered lines. See the module docs for the rules.
#[derive(Debug, Default)]
pub struct LineReader {
    /// The start of a line whose end has not arrived yet.
    carry: Vec<u8>,
    /// Number of the last line handed out.
    lines_emitted: u64,
    /// Every byte fed so far, for progress reports.
    bytes_fed: u64,
}

impl LineReader {
    /// A reader at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Bytes fed so far.
    pub fn bytes_fed(&self) -> u64 {
        self.bytes_fed
    }

    /// Lines handed out so far.
    pub fn lines_emitted(&self) -> u64 {
        self.lines_emitted
    }

    /// Feeds the next chunk and calls `on_line(line_no, text)` for every line it completes.
    pub fn feed(&mut self, chunk: &[u8], mut on_line: impl FnMut(u64, &str)) {
        self.bytes_fed += chunk.len() as u64;
        let mut rest = chunk;
        while let Some(newline_at) = memchr::memchr(b'\n', rest) {
            let (head, tail) = rest.split_at(newline_at);
            rest = &tail[1..];
            if self.carry.is_empty() {
                self.emit(head, &mut on_line);
            } else {
                let mut joined = std::mem::take(&mut self.carry);
                joined.extend_from_slice(head);
                self.emit(&joined, &mut on_line);
                // Keep the allocation for the next split line.
                joined.clear();
                self.carry = joined;
            }
        }
        self.carry.extend_from_slice(rest);
    }

    /// Ends the stream: hands out a last line that had no `\n`.
    pub fn finish(mut self, mut on_line: impl FnMut(u64, &str)) -> u64 {
        if !self.carry.is_empty() {
            let last = std::mem::take(&mut self.carry);
            self.emit(&last, &mut on_line);
        }
        self.lines_emitted
    }

    fn emit(&mut self, raw: &[u8], on_line: &mut impl FnMut(u64, &str)) {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        self.lines_emitted += 1;
        let text: Cow<'_, str> = String::from_utf8_lossy(raw);
        on_line(self.lines_emitted, &text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Feeds `input` split at the given chunk size and collects the lines.
    fn lines_of(input: &[u8], chunk_size: usize) -> Vec<(u64, String)> {
        let mut reader = LineReader::new();
        let mut out = Vec::new();
        for chunk in input.chunks(chunk_size.max(1)) {
            reader.feed(chunk, |n, text| out.push((n, text.to_owned())));
        }
        reader.finish(|n, text| out.push((n, text.to_owned())));
        out
    }

    fn texts(input: &[u8], chunk_size: usize) -> Vec<String> {
        lines_of(input, chunk_size)
            .into_iter()
            .map(|(_, t)| t)
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
        let numbers: Vec<u64> = lines_of(b"a\n\nb", 2).into_iter().map(|(n, _)| n).collect();
        assert_eq!(numbers, [1, 2, 3]);
    }

    #[test]
    fn counts_bytes_fed() {
        let mut reader = LineReader::new();
        reader.feed(b"abc\nde", |_, _| {});
        reader.feed(b"f", |_, _| {});
        assert_eq!(reader.bytes_fed(), 7);
        assert_eq!(reader.lines_emitted(), 1);
        assert_eq!(reader.finish(|_, _| {}), 2);
    }

    proptest! {
        /// However the stream is cut, the lines are the same as reading it whole.
        #[test]
        fn chunking_never_changes_the_lines(input in proptest::collection::vec(any::<u8>(), 0..400), chunk in 1usize..50) {
            prop_assert_eq!(lines_of(&input, chunk), lines_of(&input, usize::MAX));
        }

        /// Joining the lines back gives the input, but for dropped CRs and lossy bytes.
        #[test]
        fn valid_text_round_trips(input in "[a-z\n]{0,200}") {
            let joined = texts(input.as_bytes(), 5).join("\n");
            prop_assert_eq!(joined, input.strip_suffix('\n').unwrap_or(&input));
        }
    }
}
