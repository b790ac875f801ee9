//! Which format the lines are in: the one given, or one detected from the first lines,
//! which wait until it is known and are then parsed like the rest.

use crate::line_reader::Line;
use crate::parse::{LineParser, LogFormat, detect_format};
use crate::time::LogTime;

/// Lines read before the format is decided.
pub const DETECTION_SAMPLE_LINES: usize = 200;
/// Bytes of lines held back, at most, before the format is decided.
pub const DETECTION_SAMPLE_BYTES: usize = 1 << 20;

/// Before the format is known, lines wait; after, they are parsed as they come.
#[derive(Debug, Clone)]
pub(crate) enum FormatChoice {
    /// The first lines, held back: number, text, and whether it was cut.
    Sampling {
        lines: Vec<(u64, String, bool)>,
        bytes: usize,
    },
    /// The format given, or detected from the held-back lines.
    Parsing(LineParser),
}

impl FormatChoice {
    /// Parses as `format`, or detects the format first when it is `None`; `now` is what
    /// the caller calls "now", for timestamps without a year.
    pub(crate) fn new(format: Option<LogFormat>, now: LogTime) -> Self {
        match format {
            Some(format) => Self::Parsing(LineParser::for_format(format, now)),
            None => Self::Sampling {
                lines: Vec::new(),
                bytes: 0,
            },
        }
    }

    /// Hands `line` to `observe` with the parser for the format, or holds it back until
    /// enough lines are held to decide; `now` is the caller's, for years.
    pub(crate) fn take(
        &mut self,
        line: Line<'_>,
        now: LogTime,
        observe: &mut impl FnMut(&mut LineParser, Line<'_>),
    ) {
        match self {
            Self::Parsing(parser) => observe(parser, line),
            Self::Sampling { lines, bytes } => {
                lines.push((line.number, line.text.to_owned(), line.truncated));
                *bytes += line.text.len();
                if lines.len() >= DETECTION_SAMPLE_LINES || *bytes >= DETECTION_SAMPLE_BYTES {
                    self.decide(now, observe);
                }
            }
        }
    }

    /// Detects the format from the held-back lines, if still sampling, and hands them to
    /// `observe`: at the end of a short input, or once the sample is full.
    pub(crate) fn decide(
        &mut self,
        now: LogTime,
        observe: &mut impl FnMut(&mut LineParser, Line<'_>),
    ) {
        let Self::Sampling { lines, .. } = self else {
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
            observe(
                &mut parser,
                Line {
                    number: *number,
                    text,
                    truncated: *truncated,
                },
            );
        }
        *self = Self::Parsing(parser);
    }

    /// The year given to timestamps that had none, once parsing.
    pub(crate) fn assumed_year(&self) -> Option<i16> {
        match self {
            Self::Parsing(parser) => parser.assumed_year(),
            Self::Sampling { .. } => None,
        }
    }
}
