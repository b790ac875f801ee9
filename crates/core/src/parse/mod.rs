//! Parsers: one module per log format, each turning a line into an [`Event`] or a
//! [`RejectReason`]; [`LineParser`] picks the module for a format, and
//! [`detect_format`] picks the format from a sample of lines.

pub mod apache_error;
mod auth;
pub mod combined;
mod continuation;
pub mod flow_csv;
pub mod generic;
pub mod json_lines;
mod level;
pub mod nginx_error;
pub mod python_logging;
mod reject_reason;
pub mod syslog;
mod timestamp;

pub use continuation::continues_a_record;
pub use reject_reason::RejectReason;

use crate::event::Event;
use crate::time::LogTime;
use flow_csv::FlowCsvParser;
use json_lines::JsonLinesParser;
use python_logging::PythonLoggingParser;
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
    /// nginx's error log.
    NginxError,
    /// Apache httpd's error log (2.4 and 2.2 layouts).
    ApacheError,
    /// BSD syslog (RFC 3164): `/var/log/syslog`, `/var/log/auth.log`.
    Syslog3164,
    /// Structured syslog (RFC 5424).
    Syslog5424,
    /// One JSON object per line: Caddy, nginx JSON, application loggers.
    JsonLines,
    /// Werkzeug, Flask's development server: CLF with a zoneless time.
    Werkzeug,
    /// Python's `logging` module in its default layouts.
    PythonLogging,
    /// Network flows as CSV with a header row (CICFlowMeter, CIC-IDS2017).
    FlowCsv,
    /// Any line that starts with a time: application logs of every other kind.
    Generic,
}

impl LogFormat {
    /// Every format, so tests can check that each has samples. The order breaks ties in
    /// detection: earlier formats win.
    pub const ALL: [LogFormat; 11] = [
        LogFormat::Combined,
        LogFormat::Common,
        LogFormat::NginxError,
        LogFormat::ApacheError,
        LogFormat::Syslog3164,
        LogFormat::Syslog5424,
        LogFormat::JsonLines,
        LogFormat::Werkzeug,
        LogFormat::PythonLogging,
        LogFormat::FlowCsv,
        LogFormat::Generic,
    ];

    /// The stable machine name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            LogFormat::Combined => "combined",
            LogFormat::Common => "common",
            LogFormat::NginxError => "nginx_error",
            LogFormat::ApacheError => "apache_error",
            LogFormat::Syslog3164 => "syslog_rfc3164",
            LogFormat::Syslog5424 => "syslog_rfc5424",
            LogFormat::JsonLines => "json_lines",
            LogFormat::Werkzeug => "werkzeug",
            LogFormat::PythonLogging => "python_logging",
            LogFormat::FlowCsv => "flow_csv",
            LogFormat::Generic => "generic",
        }
    }

    /// The format whose parser also reads this one: formats that one parser tells apart
    /// form a family, which detection tries as one.
    pub fn family(self) -> LogFormat {
        match self {
            LogFormat::Common | LogFormat::Werkzeug => LogFormat::Combined,
            LogFormat::Syslog5424 => LogFormat::Syslog3164,
            other => other,
        }
    }

    /// Real or realistic lines in this format (for a family, lines of each member).
    pub fn samples(self) -> &'static [&'static str] {
        match self.family() {
            LogFormat::Combined => combined::SAMPLES,
            LogFormat::NginxError => nginx_error::SAMPLES,
            LogFormat::ApacheError => apache_error::SAMPLES,
            LogFormat::Syslog3164 => syslog::SAMPLES,
            LogFormat::JsonLines => json_lines::SAMPLES,
            LogFormat::PythonLogging => python_logging::SAMPLES,
            LogFormat::FlowCsv => flow_csv::SAMPLES,
            _ => generic::SAMPLES,
        }
    }

    /// A sample line in exactly this format, one that detection alone would read as it
    /// (for a flow CSV, the first row after its header), for help texts such as
    /// `loglens formats`.
    pub fn example_line(self) -> Option<&'static str> {
        let now = LogTime {
            epoch_secs: 0,
            offset_secs: 0,
        };
        let mut parser = LineParser::for_format(self.family(), now);
        self.samples().iter().copied().find(|line| {
            matches!(parser.parse(line), Ok((format, _)) if format == self)
                && (self == LogFormat::FlowCsv || detect_format(&[line], now) == Some(self))
        })
    }

    /// Whether each line parses without the lines before it: not syslog (a yearless time
    /// takes its year from the lines before), Python logging (a line without a time takes
    /// the last one) or flow CSV (the header names the columns).
    pub fn lines_stand_alone(self) -> bool {
        !matches!(
            self.family(),
            LogFormat::Syslog3164 | LogFormat::PythonLogging | LogFormat::FlowCsv
        )
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
            LogFormat::NginxError => "nginx error log",
            LogFormat::ApacheError => "Apache error log",
            LogFormat::Syslog3164 => "syslog (RFC 3164)",
            LogFormat::Syslog5424 => "syslog (RFC 5424)",
            LogFormat::JsonLines => "JSON lines",
            LogFormat::Werkzeug => "Werkzeug (Flask)",
            LogFormat::PythonLogging => "Python logging",
            LogFormat::FlowCsv => "network flows (CSV)",
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
    /// nginx error logs.
    NginxError,
    /// Apache error logs.
    ApacheError,
    /// Python logging (remembers the last time, for lines without one).
    Python(PythonLoggingParser),
    /// Flow CSV (remembers the header).
    Flow(FlowCsvParser),
    /// Anything that starts with a time.
    Generic,
}

impl LineParser {
    /// Whether a record of this format may go on over the lines after it (tracebacks,
    /// stack traces, continued debug output): see [`continues_a_record`].
    pub fn has_multi_line_records(&self) -> bool {
        matches!(
            self,
            LineParser::Python(_)
                | LineParser::Generic
                | LineParser::NginxError
                | LineParser::ApacheError
        )
    }

    /// The parser for `format`; timestamps without a year get one no later than `now`.
    pub fn for_format(format: LogFormat, now: LogTime) -> Self {
        match format {
            LogFormat::Combined | LogFormat::Common | LogFormat::Werkzeug => LineParser::Access,
            LogFormat::Syslog3164 | LogFormat::Syslog5424 => {
                LineParser::Syslog(SyslogParser::new(now))
            }
            LogFormat::JsonLines => LineParser::Json(JsonLinesParser::default()),
            LogFormat::NginxError => LineParser::NginxError,
            LogFormat::ApacheError => LineParser::ApacheError,
            LogFormat::PythonLogging => LineParser::Python(PythonLoggingParser::default()),
            LogFormat::FlowCsv => LineParser::Flow(FlowCsvParser::default()),
            LogFormat::Generic => LineParser::Generic,
        }
    }

    /// The year given to lines that had none, if any had none.
    pub fn assumed_year(&self) -> Option<i16> {
        match self {
            LineParser::Syslog(parser) => parser.first_assumed_year(),
            _ => None,
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
            LineParser::NginxError => {
                nginx_error::parse(line).map(|event| (LogFormat::NginxError, event))
            }
            LineParser::ApacheError => {
                apache_error::parse(line).map(|event| (LogFormat::ApacheError, event))
            }
            LineParser::Python(parser) => parser
                .parse(line)
                .map(|event| (LogFormat::PythonLogging, event)),
            LineParser::Flow(parser) => parser.parse(line).map(|event| (LogFormat::FlowCsv, event)),
            LineParser::Generic => generic::parse(line).map(|event| (LogFormat::Generic, event)),
        }
    }
}

/// The format most of `sample` is written in: each family's parser reads the sample, the
/// family that parses the most lines wins (ties go to the earlier family in
/// [`LogFormat::ALL`]), and within it the format most lines had. `None` when no line parses.
pub fn detect_format(sample: &[&str], now: LogTime) -> Option<LogFormat> {
    // The generic format reads the most and says the least: last in ALL, so it loses ties.
    let families = LogFormat::ALL
        .into_iter()
        .filter(|format| format.family() == *format);
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

    /// Every sample parses, every format has at least one sample (as lnav insists), and
    /// each family's samples are detected as that family.
    #[test]
    fn every_format_has_a_sample_and_every_sample_a_format() {
        let mut sampled = Vec::new();
        for family in LogFormat::ALL.into_iter().filter(|f| f.family() == *f) {
            let mut parser = LineParser::for_format(family, NOW);
            for sample in family.samples() {
                match parser.parse(sample) {
                    Ok((format, _)) => sampled.push(format),
                    // A flow CSV's header names columns; it is not itself a record.
                    Err(RejectReason::HeaderRow) if family == LogFormat::FlowCsv => {}
                    Err(reason) => panic!("{family}: {sample}: {reason}"),
                }
            }
            assert_eq!(
                detect_format(family.samples(), NOW).map(LogFormat::family),
                Some(family),
                "{family}"
            );
        }
        for format in LogFormat::ALL {
            assert!(sampled.contains(&format), "no sample line for {format}");
        }
    }

    #[test]
    fn each_real_sample_line_is_claimed_by_its_own_format() {
        for (line, format) in [
            (nginx_error::SAMPLES[0], LogFormat::NginxError),
            (apache_error::SAMPLES[4], LogFormat::ApacheError),
            (python_logging::SAMPLES[0], LogFormat::PythonLogging),
            (generic::SAMPLES[4], LogFormat::Generic),
        ] {
            assert_eq!(detect_format(&[line], NOW), Some(format), "{line}");
        }
    }

    #[test]
    fn every_format_has_an_example_line_of_its_own() {
        for format in LogFormat::ALL {
            let line = format.example_line().unwrap_or_else(|| panic!("{format}"));
            let mut parser = LineParser::for_format(format, NOW);
            // A flow row needs its header first.
            if format == LogFormat::FlowCsv {
                let _ = parser.parse(flow_csv::SAMPLES[0]);
            }
            assert_eq!(parser.parse(line).map(|(f, _)| f), Ok(format));
        }
        assert!(
            LogFormat::FlowCsv
                .example_line()
                .unwrap()
                .contains("BENIGN")
        );
    }

    #[test]
    fn every_format_has_a_name_that_reads_back() {
        for format in LogFormat::ALL {
            assert_eq!(LogFormat::from_name(format.as_str()), Some(format));
        }
        assert_eq!(LogFormat::from_name("csv"), None);
    }
}
