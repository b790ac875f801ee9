//! The fallback: any line that starts with a recognisable time. The rest is the message,
//! with a level and a client picked out where the usual shapes give them. This is how
//! nginx and Apache error logs, Python's `logging` (with `%(asctime)s`) and most
//! application logs are read.
//!
//! ```text
//! 2024-03-11T10:00:00.123+01:00 …      ISO 8601 / RFC 3339, `T` or a space, `.` or `,` fractions
//! 2024-03-11 10:00:00,123 - app - ERROR - …          Python logging (no offset: read as UTC)
//! 2024/03/11 10:00:00 [error] 550#0: *1 … client: 203.0.113.9, …      nginx error log
//! [Mon Mar 11 10:00:00.123456 2024] [core:error] [pid 1:tid 2] [client 203.0.113.9:52144] …   Apache
//! 081109 203615 148 INFO dfs.DataNode$PacketResponder: …     Hadoop's yymmdd hhmmss (20yy, UTC)
//! ```
//!
//! Levels: the first words, brackets, colons and dashes stripped, `core:error` read as
//! `error`. Client: the address after `client: `, `[client `, `client=` or ` from `.

use super::RejectReason;
use super::level::severity_of;
use super::timestamp::{asctime, compact_time, iso_time};
use crate::event::{Event, SyslogRecord};
use crate::time::LogTime;

/// Lines in the shapes above (written for these tests, in those programs' formats).
pub const SAMPLES: &[&str] = &[
    "2024/03/11 10:00:00 [error] 550#0: *19133 open() \"/var/www/html/.env\" failed (2: No such file or directory), client: 203.0.113.9, server: shop.example, request: \"GET /.env HTTP/1.1\", host: \"shop.example\"",
    "[Mon Mar 11 10:00:00.123456 2024] [core:error] [pid 1234:tid 5678] [client 203.0.113.9:52144] AH00126: Invalid URI in request GET /../../etc/passwd HTTP/1.1",
    "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties",
    "2024-03-11 10:00:00,123 - payments - ERROR - card declined for order 1234",
    "2024-03-11T09:00:01.250Z WARN worker-3 queue backlog is 5120 jobs",
    "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating",
];

/// Parses one line: a leading time, then the message.
pub fn parse(line: &str) -> Result<Event<'_>, RejectReason> {
    if line.trim().is_empty() {
        return Err(RejectReason::Empty);
    }
    let (time, message) = leading_time(line).ok_or(RejectReason::NoLeadingTimestamp)?;
    Ok(Event::Syslog(SyslogRecord {
        time,
        host: "-",
        program: "-",
        pid: None,
        severity: severity_in(message),
        message,
        auth: None,
        client: client_in(message),
        request: None,
        action: None,
    }))
}

/// The time at the start of `line` (maybe in `[ ]`) and the text after it.
fn leading_time(line: &str) -> Option<(LogTime, &str)> {
    if let Some(inner) = line.strip_prefix('[') {
        let end = inner.find(']')?;
        let (time, used) = iso_time(&inner[..end]).or_else(|| asctime(&inner[..end]))?;
        return (used == end).then(|| (time, inner[end + 1..].trim_start()));
    }
    let (time, used) = iso_time(line)
        .or_else(|| asctime(line))
        .or_else(|| compact_time(line))?;
    let rest = &line[used..];
    // The time must end at a word boundary: `2024-03-11 10:00:00x` is not a time.
    (rest.is_empty() || rest.starts_with([' ', '\t', ']', ':', '|']))
        .then(|| (time, rest.trim_start_matches([' ', '\t', '|'])))
}

/// The syslog severity of the first level word among the message's first words.
fn severity_in(message: &str) -> Option<u8> {
    message.split_whitespace().take(4).find_map(|word| {
        let word =
            word.trim_matches(|c: char| matches!(c, '[' | ']' | ':' | '-' | '(' | ')' | '<' | '>'));
        severity_of(word.rsplit(':').next().unwrap_or(word))
    })
}

/// The client address named after `client: `, `[client `, `client=` or ` from `.
pub(super) fn client_in(message: &str) -> Option<&str> {
    ["client: ", "[client ", "client=", " from "]
        .iter()
        .find_map(|marker| {
            let start = message.find(marker)? + marker.len();
            let token = message[start..].split([',', ']', ' ', ';', '"']).next()?;
            // An IPv4 address may carry a port; an IPv6 one is left whole.
            let address = match token.matches(':').count() {
                1 => token.split(':').next()?,
                _ => token,
            };
            let plausible = address.len() >= 3
                && address
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || b == b'.' || b == b':')
                && address.bytes().any(|b| b == b'.' || b == b':');
            plausible.then_some(address)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn message(line: &str) -> SyslogRecord<'_> {
        match parse(line) {
            Ok(Event::Syslog(record)) => record,
            other => panic!("{line}: {other:?}"),
        }
    }

    #[test]
    fn reads_an_nginx_error_line() {
        let r = message(SAMPLES[0]);
        assert_eq!(
            (r.time.to_string().as_str(), r.severity, r.client),
            ("2024-03-11T10:00:00+00:00", Some(3), Some("203.0.113.9"))
        );
        assert!(r.message.starts_with("[error] 550#0"));
    }

    #[test]
    fn reads_apache_error_lines_old_and_new() {
        let r = message(SAMPLES[1]);
        assert_eq!((r.severity, r.client), (Some(3), Some("203.0.113.9")));
        assert!(r.message.starts_with("[core:error]"));
        let r = message(SAMPLES[2]);
        assert_eq!(
            (r.time.to_string().as_str(), r.severity, r.client),
            ("2005-12-04T04:47:44+00:00", Some(5), None)
        );
    }

    #[test]
    fn reads_python_logging_and_iso_times() {
        let r = message(SAMPLES[3]);
        assert_eq!(
            (r.severity, r.message),
            (Some(3), "- payments - ERROR - card declined for order 1234")
        );
        let r = message(SAMPLES[4]);
        assert_eq!((r.severity, r.time.epoch_secs % 60), (Some(4), 1));
        let r = message("2024-03-11T10:00:00+0100 started");
        assert_eq!(r.time.offset_secs, 3600);
    }

    #[test]
    fn reads_hadoops_compact_time() {
        let r = message(SAMPLES[5]);
        assert_eq!(
            (r.time.to_string().as_str(), r.severity),
            ("2008-11-09T20:36:15+00:00", Some(6))
        );
    }

    #[test]
    fn rejects_lines_without_a_leading_time() {
        for line in [
            "hello",
            " * Running on http://0.0.0.0:5000/",
            "2024-03-11 10:00:00x",
            "[not a time] x",
            "2024-13-11 10:00:00 x",
        ] {
            assert_eq!(
                parse(line).map(|_| ()),
                Err(RejectReason::NoLeadingTimestamp),
                "{line}"
            );
        }
    }

    #[test]
    fn picks_out_clients() {
        assert_eq!(client_in("x from 2001:db8::7 port 22"), Some("2001:db8::7"));
        assert_eq!(client_in("client=10.0.0.1;"), Some("10.0.0.1"));
        assert_eq!(client_in("request from somewhere"), None);
    }

    proptest! {
        #[test]
        fn never_panics(line in "[\\[\\]0-9 :/.,TZ+-]{0,40}[a-z ]{0,10}") {
            let _ = parse(&line);
        }
    }
}
