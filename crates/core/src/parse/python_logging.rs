//! Python's `logging` module, in its default layouts.
//!
//! Spec: <https://docs.python.org/3/library/logging.html#logrecord-attributes>; `asctime`
//! defaults to `%Y-%m-%d %H:%M:%S,mmm` (a comma before the milliseconds, which sets these
//! lines apart from other ISO times).
//!
//! ```text
//! %(asctime)s - %(name)s - %(levelname)s - %(message)s      (the logging cookbook's)
//! 2024-03-11 10:00:00,123 - payments - ERROR - card declined for order 1234
//! %(asctime)s - %(levelname)s - %(filename)s - %(message)s   (the level first)
//! 2024-03-11 10:00:00,123 - ERROR - app.py - card declined for order 1234
//!
//! %(asctime)s %(levelname)s %(name)s: %(message)s            (and `[LEVEL]`, or no name)
//! 2024-03-11 10:00:00,123 WARNING django.security.DisallowedHost: Invalid HTTP_HOST header
//!
//! %(levelname)s:%(name)s:%(message)s                          (basicConfig's default: no time)
//! WARNING:root:disk almost full
//! ```
//!
//! A line in basicConfig's default layout has no time of its own: it takes the time of the
//! last line that had one, and is rejected when none has come yet. Indented lines and
//! `Traceback (most recent call last):` continue the entry above them (a traceback), and
//! are counted as such rather than as unreadable.

use super::RejectReason;
use super::generic::client_in;
use super::level::severity_of;
use super::timestamp::iso_time;
use crate::event::{Event, SyslogRecord};
use crate::time::LogTime;

/// Lines in these layouts, written for these tests as Python's logging writes them.
pub const SAMPLES: &[&str] = &[
    "2024-03-11 10:00:00,123 - payments - ERROR - card declined for order 1234",
    "2024-03-11 10:00:01,007 WARNING django.security.DisallowedHost: Invalid HTTP_HOST header: 'evil.example'. You may need to add 'evil.example' to ALLOWED_HOSTS.",
    "2024-03-11 10:00:02,450 [INFO] werkzeug: 203.0.113.9 - - [11/Mar/2024 10:00:02] \"GET /admin HTTP/1.1\" 302 -",
    "WARNING:root:disk almost full",
    "2024-03-11 10:00:03,000 CRITICAL database unreachable after 3 retries",
];

/// Reads Python logging lines; remembers the last time for lines that carry none.
#[derive(Debug, Clone, Default)]
pub struct PythonLoggingParser {
    last_time: Option<LogTime>,
}

impl PythonLoggingParser {
    /// Parses one line.
    pub fn parse<'a>(&mut self, line: &'a str) -> Result<Event<'a>, RejectReason> {
        if line.trim().is_empty() {
            return Err(RejectReason::Empty);
        }
        if line.starts_with([' ', '\t']) || line.starts_with("Traceback (most recent call last)") {
            return Err(RejectReason::Continuation);
        }
        let (time, logger, level, message) = match timed(line) {
            Some(Ok(parts)) => parts,
            Some(Err(reason)) => return Err(reason),
            None => {
                let (level, logger, message) =
                    basic_format(line).ok_or(RejectReason::NoLeadingTimestamp)?;
                let time = self.last_time.ok_or(RejectReason::NoTimeYet)?;
                (time, logger, level, message)
            }
        };
        self.last_time = Some(time);
        Ok(Event::Syslog(SyslogRecord {
            time,
            host: "-",
            program: logger.unwrap_or("-"),
            pid: None,
            severity: severity_of(level),
            message,
            auth: None,
            client: client_in(message),
            request: None,
            action: None,
        }))
    }
}

/// The level names `logging` writes (`WARN` and `FATAL` are its aliases).
fn is_level(word: &str) -> bool {
    matches!(
        word,
        "DEBUG" | "INFO" | "WARNING" | "WARN" | "ERROR" | "CRITICAL" | "FATAL"
    )
}

type Parts<'a> = (LogTime, Option<&'a str>, &'a str, &'a str);

/// A line starting with `asctime`: `None` when it does not, an error when what follows
/// the time has no level.
fn timed(line: &str) -> Option<Result<Parts<'_>, RejectReason>> {
    let (time, used) = iso_time(line)?;
    // asctime's own shape: a space, no `T`, a comma and three digits, no offset.
    let b = line.as_bytes();
    if used != 23 || b[10] != b' ' || b[19] != b',' || b[4] != b'-' {
        return None;
    }
    let rest = line[used..].trim_start();
    let parts = || -> Option<Parts<'_>> {
        // ` - `-separated fields, the level among the first three: `name - LEVEL -
        // message` (the cookbook's), `LEVEL - filename - message`, `LEVEL - message`.
        if let Some(after_dash) = rest.strip_prefix("- ") {
            let fields: Vec<&str> = after_dash.splitn(4, " - ").collect();
            let at = fields.iter().take(3).position(|field| is_level(field))?;
            let level = fields[at];
            let name = match at {
                0 if fields.len() >= 3 => Some(fields[1]),
                0 => None,
                _ => Some(fields[0]),
            };
            let message_from = if at == 0 && fields.len() >= 3 {
                2
            } else {
                at + 1
            };
            // The message is the rest, ` - ` and all.
            let message = (0..message_from).try_fold(after_dash, |text, _| {
                text.split_once(" - ").map(|(_, rest)| rest)
            });
            return Some((time, name, level, message.unwrap_or("")));
        }
        // `LEVEL [name: ]message`, the level maybe in brackets.
        let (word, after) = rest.split_once(' ').unwrap_or((rest, ""));
        let level = word.trim_start_matches('[').trim_end_matches([']', ':']);
        if !is_level(level) {
            return None;
        }
        let (name, message) = match after.split_once(": ") {
            Some((name, message)) if !name.contains(' ') && !name.is_empty() => {
                (Some(name), message)
            }
            _ => (None, after),
        };
        Some((time, name, level, message))
    };
    Some(parts().ok_or(RejectReason::NoLevel))
}

/// `LEVEL:name:message`, basicConfig's default.
fn basic_format(line: &str) -> Option<(&str, Option<&str>, &str)> {
    let (level, rest) = line.split_once(':')?;
    let (name, message) = rest.split_once(':')?;
    (is_level(level) && !name.is_empty() && !name.contains(' ')).then_some((
        level,
        Some(name),
        message,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn record(line: &str) -> SyslogRecord<'_> {
        match PythonLoggingParser::default().parse(line) {
            Ok(Event::Syslog(record)) => record,
            other => panic!("{line}: {other:?}"),
        }
    }

    #[test]
    fn reads_each_layout() {
        let r = record(SAMPLES[0]);
        assert_eq!(
            (
                r.time.to_string().as_str(),
                r.program,
                r.severity,
                r.message
            ),
            (
                "2024-03-11T10:00:00+00:00",
                "payments",
                Some(3),
                "card declined for order 1234"
            )
        );
        let r = record(SAMPLES[1]);
        assert_eq!(
            (r.program, r.severity),
            ("django.security.DisallowedHost", Some(4))
        );
        assert!(r.message.starts_with("Invalid HTTP_HOST"));
        let r = record(SAMPLES[2]);
        assert_eq!((r.program, r.severity), ("werkzeug", Some(6)));
        let r = record(SAMPLES[4]);
        assert_eq!(
            (r.program, r.severity, r.message),
            ("-", Some(2), "database unreachable after 3 retries")
        );
    }

    #[test]
    fn the_default_layout_takes_the_last_time() {
        let mut parser = PythonLoggingParser::default();
        assert_eq!(
            parser.parse(SAMPLES[3]).map(|_| ()),
            Err(RejectReason::NoTimeYet)
        );
        parser.parse(SAMPLES[0]).unwrap();
        let Ok(Event::Syslog(r)) = parser.parse(SAMPLES[3]) else {
            panic!()
        };
        assert_eq!(
            (r.time.epoch_secs % 60, r.program, r.severity, r.message),
            (0, "root", Some(4), "disk almost full")
        );
    }

    #[test]
    fn issue_22_the_level_may_come_first_among_dashed_fields() {
        let mut parser = PythonLoggingParser::default();
        for (line, expected) in [
            (
                "2024-03-11 10:00:00,123 - ERROR - app.py - card declined - retry later",
                (Some(3), "card declined - retry later"),
            ),
            (
                "2024-03-11 10:00:00,123 - WARNING - disk almost full",
                (Some(4), "disk almost full"),
            ),
            (
                "2024-03-11 10:00:00,123 - payments - ERROR - card declined",
                (Some(3), "card declined"),
            ),
        ] {
            let Ok(Event::Syslog(record)) = parser.parse(line) else {
                panic!("{line} did not parse");
            };
            assert_eq!((record.severity, record.message), expected, "{line}");
        }
    }

    #[test]
    fn tracebacks_continue_the_entry_above() {
        let mut parser = PythonLoggingParser::default();
        for line in [
            "Traceback (most recent call last):",
            "  File \"app.py\", line 3, in <module>",
        ] {
            assert_eq!(
                parser.parse(line).map(|_| ()),
                Err(RejectReason::Continuation)
            );
        }
    }

    #[test]
    fn other_iso_times_are_not_python() {
        let mut parser = PythonLoggingParser::default();
        for (line, reason) in [
            (
                "2024-03-11T10:00:00,123 INFO x",
                RejectReason::NoLeadingTimestamp,
            ),
            (
                "2024-03-11 10:00:00.123 INFO x",
                RejectReason::NoLeadingTimestamp,
            ),
            ("2024-03-11 10:00:00,123 hello world", RejectReason::NoLevel),
            ("Info:root:x", RejectReason::NoLeadingTimestamp),
        ] {
            assert_eq!(parser.parse(line).map(|_| ()), Err(reason), "{line}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(tail in "[\\[\\]A-Za-z0-9 :.,-]{0,60}") {
            let mut parser = PythonLoggingParser::default();
            let _ = parser.parse(&format!("2024-03-11 10:00:00,123{tail}"));
            let _ = parser.parse(&tail);
        }
    }
}
