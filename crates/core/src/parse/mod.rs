//! Parsers: one module per log format, each turning a line into an [`Event`] or a
//! [`RejectReason`]; [`LineParser`] picks the module for a format, and
//! [`detect_format`] picks the format from a sample of lines.

mod auth;
pub mod combined;
pub mod generic;
pub mod json_lines;
mod level;
mod reject_reason;
pub mod syslog;

pub use reject_reason::RejectReason;

use crate::event::Event;
use crate::time::LogTime;
use json_lines::JsonLinesParser;
use serde::{Deserialize, Serialize};
use std::fmt;
use syslog::{SyslogParser, SyslogVersion};

/// The log formats loglens reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LogFormat {
    /// Apache/Nginx combined: common plus quoted referer and user agent.
    Combined,
    /// Apache/Nginx common log format (CLF).
    Common,
    /// BSD syslog (RFC 3164): `/var/log/syslog`, `/var/log/auth.log`.
    Syslog3164,
    /// Structured syslog (RFC 5424).
    Syslog5424,
    /// One JSON object per line: Caddy, nginx JSON, application loggers.
    JsonLines,
    /// Werkzeug, Flask's development server: CLF with a zoneless time.
    Werkzeug,
    /// Any line that starts with a time: error logs, Python logging, application logs.
    Generic,
}

impl LogFormat {
    /// Every format, so tests can check that each has samples. The order breaks ties in
    /// detection: earlier formats win.
    pub const ALL: [LogFormat; 7] = [
        LogFormat::Combined,
        LogFormat::Common,
        LogFormat::Syslog3164,
        LogFormat::Syslog5424,
        LogFormat::JsonLines,
        LogFormat::Werkzeug,
        LogFormat::Generic,
    ];

    /// The stable machine name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            LogFormat::Combined => "combined",
            LogFormat::Common => "common",
            LogFormat::Syslog3164 => "syslog_rfc3164",
            LogFormat::Syslog5424 => "syslog_rfc5424",
            LogFormat::JsonLines => "json_lines",
            LogFormat::Werkzeug => "werkzeug",
            LogFormat::Generic => "generic",
        }
    }

    /// The format with this machine name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|format| format.as_str() == name)
    }
}

impl fmt::Display for LogFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LogFormat::Combined => "Apache/Nginx combined",
            LogFormat::Common => "Apache/Nginx common",
            LogFormat::Syslog3164 => "syslog (RFC 3164)",
            LogFormat::Syslog5424 => "syslog (RFC 5424)",
            LogFormat::JsonLines => "JSON lines",
            LogFormat::Werkzeug => "Werkzeug (Flask)",
            LogFormat::Generic => "timestamped lines (generic)",
        })
    }
}

/// Parses lines of one format family. Syslog needs state (the assumed year moves on at
/// New Year), so a parser is made once per file.
#[derive(Debug, Clone)]
pub enum LineParser {
    /// Common and combined access logs.
    Access,
    /// RFC 3164 and RFC 5424 syslog.
    Syslog(SyslogParser),
    /// JSON lines.
    Json(JsonLinesParser),
    /// Anything that starts with a time.
    Generic,
}

impl LineParser {
    /// The parser for `format`; timestamps without a year get one no later than `now`.
    pub fn for_format(format: LogFormat, now: LogTime) -> Self {
        match format {
            LogFormat::Combined | LogFormat::Common | LogFormat::Werkzeug => LineParser::Access,
            LogFormat::Syslog3164 | LogFormat::Syslog5424 => {
                LineParser::Syslog(SyslogParser::new(now))
            }
            LogFormat::JsonLines => LineParser::Json(JsonLinesParser::default()),
            LogFormat::Generic => LineParser::Generic,
        }
    }

    /// The year given to lines that had none, if any had none.
    pub fn assumed_year(&self) -> Option<i16> {
        match self {
            LineParser::Access | LineParser::Json(_) | LineParser::Generic => None,
            LineParser::Syslog(parser) => parser.first_assumed_year(),
        }
    }

    /// Parses one line, saying which format of the family it had. The event may borrow
    /// from the parser (JSON values), so it lives until the next line.
    pub fn parse<'a>(&'a mut self, line: &'a str) -> Result<(LogFormat, Event<'a>), RejectReason> {
        match self {
            LineParser::Access => {
                combined::parse(line).map(|(format, record)| (format, Event::Access(record)))
            }
            LineParser::Syslog(parser) => parser.parse(line).map(|(version, event)| {
                let format = match version {
                    SyslogVersion::Rfc3164 => LogFormat::Syslog3164,
                    SyslogVersion::Rfc5424 => LogFormat::Syslog5424,
                };
                (format, event)
            }),
            LineParser::Json(parser) => parser
                .parse(line)
                .map(|event| (LogFormat::JsonLines, event)),
            LineParser::Generic => generic::parse(line).map(|event| (LogFormat::Generic, event)),
        }
    }
}

/// The format most of `sample` is written in: each family's parser reads the sample, the
/// family that parses the most lines wins (ties go to the earlier family in
/// [`LogFormat::ALL`]), and within it the format most lines had. `None` when no line parses.
pub fn detect_format(sample: &[&str], now: LogTime) -> Option<LogFormat> {
    // The generic format reads the most and says the least: last, so it loses ties.
    let families = [
        LogFormat::Combined,
        LogFormat::Syslog3164,
        LogFormat::JsonLines,
        LogFormat::Generic,
    ];
    let mut best: Option<(usize, LogFormat)> = None;
    for family in families {
        let mut parser = LineParser::for_format(family, now);
        let mut counts: Vec<(LogFormat, usize)> = Vec::new();
        for line in sample.iter().filter(|l| !l.trim().is_empty()) {
            if let Ok((format, _)) = parser.parse(line) {
                match counts.iter_mut().find(|(f, _)| *f == format) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((format, 1)),
                }
            }
        }
        let parsed: usize = counts.iter().map(|(_, n)| n).sum();
        // The family's most common format; on a tie, the one listed first in ALL.
        counts.sort_by_key(|(format, n)| {
            (
                std::cmp::Reverse(*n),
                LogFormat::ALL.iter().position(|f| f == format),
            )
        });
        if let Some(&(format, _)) = counts.first()
            && parsed > best.map_or(0, |(n, _)| n)
        {
            best = Some((parsed, format));
        }
    }
    best.map(|(_, format)| format)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: LogTime = LogTime {
        epoch_secs: 1_717_200_000,
        offset_secs: 0,
    };

    #[test]
    fn detects_each_format_from_its_samples() {
        assert_eq!(
            detect_format(combined::SAMPLES, NOW),
            Some(LogFormat::Combined)
        );
        assert_eq!(
            detect_format(&combined::SAMPLES[6..], NOW),
            Some(LogFormat::Common)
        );
        assert_eq!(
            detect_format(&syslog::SAMPLES[..3], NOW),
            Some(LogFormat::Syslog3164)
        );
        assert_eq!(
            detect_format(&syslog::SAMPLES[3..], NOW),
            Some(LogFormat::Syslog5424)
        );
        assert_eq!(
            detect_format(json_lines::SAMPLES, NOW),
            Some(LogFormat::JsonLines)
        );
        assert_eq!(
            detect_format(generic::SAMPLES, NOW),
            Some(LogFormat::Generic)
        );
        assert_eq!(detect_format(&["nothing", "to see", ""], NOW), None);
    }

    #[test]
    fn the_majority_wins_in_a_mixed_sample() {
        let mixed = [syslog::SAMPLES[0], syslog::SAMPLES[1], combined::SAMPLES[0]];
        assert_eq!(detect_format(&mixed, NOW), Some(LogFormat::Syslog3164));
    }

    /// Every sample parses, and every format has at least one sample (as lnav insists).
    #[test]
    fn every_format_has_a_sample_and_every_sample_a_format() {
        let mut sampled = Vec::new();
        for (family, samples) in [
            (LogFormat::Combined, combined::SAMPLES),
            (LogFormat::Syslog3164, syslog::SAMPLES),
            (LogFormat::JsonLines, json_lines::SAMPLES),
            (LogFormat::Generic, generic::SAMPLES),
        ] {
            let mut parser = LineParser::for_format(family, NOW);
            for sample in samples {
                let (format, _) = parser
                    .parse(sample)
                    .unwrap_or_else(|e| panic!("{sample}: {e}"));
                sampled.push(format);
            }
        }
        for format in LogFormat::ALL {
            assert!(sampled.contains(&format), "no sample line for {format}");
        }
    }

    #[test]
    fn every_format_has_a_name_that_reads_back() {
        for format in LogFormat::ALL {
            assert_eq!(LogFormat::from_name(format.as_str()), Some(format));
        }
        assert_eq!(LogFormat::from_name("csv"), None);
    }
}
