//! One parse for a whole team: the first member of an [`Analysis::team`] says where each
//! access-log line's fields lie, and the others rebuild the records from that instead of
//! parsing again.
//!
//! Every member reads the same chunks, so every member's line reader hands out the same
//! lines with the same numbers; a field's place in a line is the same in every copy of
//! it. Parsing was a third of each member's time, done by every member: shared, the
//! first member parses and the others only slice. A line the first member did not
//! describe (a rejected line, a format other than an access log, a field outside the
//! line) is parsed as before, so the outcome never depends on the sharing.
//!
//! [`Analysis::team`]: super::Analysis::team

use crate::event::Event;
use crate::parse::LogFormat;
use crate::record::AccessRecord;
use crate::time::LogTime;

/// The access-log lines one member parsed from one chunk, in line order: what
/// [`super::Analysis::feed_and_describe`] gives and [`super::Analysis::feed_described`]
/// takes.
#[derive(Debug, Clone, Default)]
pub struct ParsedLines {
    lines: Vec<ParsedLine>,
}

impl ParsedLines {
    /// No lines, with room for at least `lines`.
    pub(super) fn clear_with_room(&mut self, lines: usize) {
        self.lines.clear();
        self.lines.reserve(lines);
    }

    /// How many lines are described.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether no line is described.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Describes line `number`, whose `text` parsed as `record` in `format`; a record
    /// with a field that does not lie in the text is left out (it is parsed again).
    pub(super) fn push(
        &mut self,
        number: u64,
        text: &str,
        format: LogFormat,
        record: &AccessRecord<'_>,
    ) {
        if let Ok(length) = u32::try_from(text.len())
            && let Some(fields) = AccessSpans::of(text, record)
        {
            self.lines.push(ParsedLine {
                number,
                length,
                format,
                fields,
            });
        }
    }
}

/// Reads [`ParsedLines`] along with the lines they describe.
#[derive(Debug)]
pub(super) struct ParsedCursor<'p> {
    lines: &'p [ParsedLine],
}

impl<'p> ParsedCursor<'p> {
    pub(super) fn new(parsed: &'p ParsedLines) -> Self {
        Self {
            lines: &parsed.lines,
        }
    }

    /// Line `number`'s record rebuilt from `text`, if it was described; lines are asked
    /// for in order, so descriptions of earlier lines are passed by.
    pub(super) fn take<'t>(
        &mut self,
        number: u64,
        text: &'t str,
    ) -> Option<(LogFormat, Event<'t>)> {
        while let [first, rest @ ..] = self.lines {
            if first.number > number {
                return None;
            }
            self.lines = rest;
            // A text of another length is not the line described (another input).
            if first.number == number && first.length as usize == text.len() {
                let record = first.fields.rebuild(text)?;
                return Some((first.format, Event::Access(record)));
            }
        }
        None
    }
}

#[derive(Debug, Clone)]
struct ParsedLine {
    number: u64,
    /// The line's length, to tell it from another text.
    length: u32,
    format: LogFormat,
    fields: AccessSpans,
}

/// Where a text field lies in its line, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: u32,
    end: u32,
}

impl Span {
    /// The place of `field` in `text`, if `field` is a slice of it; `text` is shorter
    /// than 4 GiB (see [`ParsedLines::push`]), so the place fits in 32 bits. Two
    /// comparisons: this runs for eleven fields of every line.
    fn of(text: &str, field: &str) -> Option<Self> {
        // A field before the text wraps around to far beyond its end.
        let start = (field.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
        (start <= text.len() && field.len() <= text.len() - start).then(|| Self {
            start: start as u32,
            end: (start + field.len()) as u32,
        })
    }

    /// This place in `text`; `None` if it is not there (another text than described).
    fn within(self, text: &str) -> Option<&str> {
        text.get(self.start as usize..self.end as usize)
    }
}

/// An [`AccessRecord`] with places in the line for its text fields.
#[derive(Debug, Clone)]
struct AccessSpans {
    vhost: Option<Span>,
    client: Span,
    identity: Option<Span>,
    user: Option<Span>,
    time: LogTime,
    request: Span,
    method: Option<Span>,
    target: Option<Span>,
    protocol: Option<Span>,
    status: u16,
    bytes_sent: Option<u64>,
    referer: Option<Span>,
    user_agent: Option<Span>,
    duration_secs: Option<f64>,
}

/// The place of an optional field: `Some(None)` when absent, `None` when not in `text`.
fn optional(text: &str, field: Option<&str>) -> Option<Option<Span>> {
    match field {
        None => Some(None),
        Some(field) => Span::of(text, field).map(Some),
    }
}

/// An optional field at its place in `text`: `Some(None)` when absent, `None` when the
/// place is not in `text`.
fn placed(text: &str, span: Option<Span>) -> Option<Option<&str>> {
    match span {
        None => Some(None),
        Some(span) => span.within(text).map(Some),
    }
}

impl AccessSpans {
    fn of(text: &str, record: &AccessRecord<'_>) -> Option<Self> {
        Some(Self {
            vhost: optional(text, record.vhost)?,
            client: Span::of(text, record.client)?,
            identity: optional(text, record.identity)?,
            user: optional(text, record.user)?,
            time: record.time,
            request: Span::of(text, record.request)?,
            method: optional(text, record.method)?,
            target: optional(text, record.target)?,
            protocol: optional(text, record.protocol)?,
            status: record.status,
            bytes_sent: record.bytes_sent,
            referer: optional(text, record.referer)?,
            user_agent: optional(text, record.user_agent)?,
            duration_secs: record.duration_secs,
        })
    }

    fn rebuild<'t>(&self, text: &'t str) -> Option<AccessRecord<'t>> {
        Some(AccessRecord {
            vhost: placed(text, self.vhost)?,
            client: self.client.within(text)?,
            identity: placed(text, self.identity)?,
            user: placed(text, self.user)?,
            time: self.time,
            request: self.request.within(text)?,
            method: placed(text, self.method)?,
            target: placed(text, self.target)?,
            protocol: placed(text, self.protocol)?,
            status: self.status,
            bytes_sent: self.bytes_sent,
            referer: placed(text, self.referer)?,
            user_agent: placed(text, self.user_agent)?,
            duration_secs: self.duration_secs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::combined;
    use proptest::prelude::*;

    fn described(lines: &[&str]) -> ParsedLines {
        let mut parsed = ParsedLines::default();
        for (number, text) in (1..).zip(lines) {
            if let Ok((format, record)) = combined::parse(text) {
                parsed.push(number, text, format, &record);
            }
        }
        parsed
    }

    #[test]
    fn every_sample_is_rebuilt_as_parsed() {
        let parsed = described(combined::SAMPLES);
        assert_eq!(parsed.len(), combined::SAMPLES.len());
        // Another copy of the same lines, as another member's reader holds them.
        let copies: Vec<String> = combined::SAMPLES.iter().map(|s| s.to_string()).collect();
        let mut cursor = ParsedCursor::new(&parsed);
        for (number, text) in (1..).zip(&copies) {
            let (format, record) = combined::parse(text).unwrap();
            assert_eq!(
                cursor.take(number, text),
                Some((format, Event::Access(record))),
                "line {number}"
            );
        }
    }

    #[test]
    fn lines_not_described_are_not_answered() {
        let lines = [
            "not a log line",
            combined::SAMPLES[3],
            "",
            combined::SAMPLES[4],
        ];
        let parsed = described(&lines);
        assert_eq!(parsed.len(), 2);
        let mut cursor = ParsedCursor::new(&parsed);
        assert_eq!(cursor.take(1, lines[0]), None);
        assert!(cursor.take(2, lines[1]).is_some());
        assert_eq!(cursor.take(3, lines[2]), None);
        // A line asked for out of turn is not answered; the ones after it still are.
        assert!(cursor.take(4, lines[3]).is_some());
        assert_eq!(cursor.take(5, lines[3]), None);
    }

    #[test]
    fn a_place_outside_the_text_gives_no_record() {
        let parsed = described(&[combined::SAMPLES[4]]);
        let mut cursor = ParsedCursor::new(&parsed);
        // A shorter text than described: its fields cannot all be there.
        assert_eq!(cursor.take(1, "83.149.9.216 - -"), None);
        // A text of the same length, cut inside a character.
        let mut cursor = ParsedCursor::new(&parsed);
        let text = combined::SAMPLES[4].replacen("GET ", "GEé", 1);
        assert_eq!(text.len(), combined::SAMPLES[4].len());
        assert_eq!(cursor.take(1, &text), None);
    }

    #[test]
    fn a_field_from_elsewhere_is_not_described() {
        let text = combined::SAMPLES[3];
        let (format, mut record) = combined::parse(text).unwrap();
        record.user_agent = Some("elsewhere");
        let mut parsed = ParsedLines::default();
        parsed.push(1, text, format, &record);
        assert!(parsed.is_empty());
    }

    proptest! {
        /// Whatever a line holds, the record rebuilt from its description is the one
        /// parsing gives.
        #[test]
        fn rebuilt_records_are_parsed_records(
            which in 0..combined::SAMPLES.len(),
            cut in 0usize..400,
            insert in "[\\[\\]\" \\\\a-zé0-9:/+.-]{0,12}",
        ) {
            let sample = combined::SAMPLES[which];
            let mut at = cut.min(sample.len());
            while !sample.is_char_boundary(at) { at -= 1; }
            let line = format!("{}{}{}", &sample[..at], insert, &sample[at..]);
            let parsed = described(&[&line]);
            let copy = line.clone();
            let rebuilt = ParsedCursor::new(&parsed).take(1, &copy);
            match combined::parse(&line) {
                Ok((format, record)) => prop_assert_eq!(rebuilt, Some((format, Event::Access(record)))),
                Err(_) => prop_assert_eq!(rebuilt, None),
            }
        }
    }
}
