//! Apache httpd's error log, in the 2.4 default layout and the older 2.2 one.
//!
//! Spec: <https://httpd.apache.org/docs/2.4/logs.html#errorlog> and the default
//! `ErrorLogFormat` in <https://httpd.apache.org/docs/2.4/mod/core.html#errorlogformat>.
//!
//! ```text
//! 2.4: [%{u}t] [%-m:%l] [pid %P:tid %T] [client %a] %M
//! [Thu May 12 08:28:57.652118 2011] [core:error] [pid 8777:tid 4326490112] [client ::1:58619] AH00128: File does not exist: /usr/local/apache2/htdocs/favicon.ico
//! │                                 │    │       │                          │               └ the message, often with an AH error code
//! │                                 │    │       │                          └ client address and port (only for a request's errors)
//! │                                 │    │       └ process and thread
//! │                                 │    └ level: emerg alert crit error warn notice info debug trace1-8
//! │                                 └ module
//! └ local time as C's asctime, microseconds optional, no offset (read as UTC)
//!
//! 2.2: [Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] client denied by server configuration: /export/home/live/ap/htdocs/test
//! ```

use super::RejectReason;
use super::level::severity_of;
use super::timestamp::asctime;
use crate::event::{Event, SyslogRecord};

/// Lines in both layouts: the 2.2 ones from the Apache documentation and a public 2005
/// server log (loghub's Apache sample), the 2.4 ones from the documentation and written
/// for these tests.
pub const SAMPLES: &[&str] = &[
    "[Thu May 12 08:28:57.652118 2011] [core:error] [pid 8777:tid 4326490112] [client ::1:58619] File does not exist: /usr/local/apache2/htdocs/favicon.ico",
    "[Mon Mar 11 10:00:00.123456 2024] [core:error] [pid 1234:tid 5678] [client 203.0.113.9:52144] AH00126: Invalid URI in request GET /../../etc/passwd HTTP/1.1",
    "[Mon Mar 11 10:00:02.004512 2024] [authz_core:error] [pid 1234:tid 5679] [client 203.0.113.9:52160] AH01630: client denied by server configuration: /var/www/html/.git/config",
    "[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] client denied by server configuration: /export/home/live/ap/htdocs/test",
    "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties",
    "[Mon Mar 11 10:05:00.000001 2024] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.58 (Unix) configured -- resuming normal operations",
];

/// Parses one line of an Apache error log.
pub fn parse(line: &str) -> Result<Event<'_>, RejectReason> {
    if line.trim().is_empty() {
        return Err(RejectReason::Empty);
    }
    let inner = line
        .strip_prefix('[')
        .ok_or(RejectReason::NoLeadingTimestamp)?;
    let (time, used) = asctime(inner).ok_or(RejectReason::NoLeadingTimestamp)?;
    let mut rest = inner[used..]
        .strip_prefix("] ")
        .ok_or(RejectReason::NoLeadingTimestamp)?;
    let level_field;
    (level_field, rest) = bracketed(rest).ok_or(RejectReason::NoLevel)?;
    // `module:level`; `trace1`…`trace8` are debug-like.
    let level = level_field.rsplit(':').next().unwrap_or(level_field);
    let severity = severity_of(level)
        .or_else(|| level.starts_with("trace").then_some(7))
        .ok_or(RejectReason::NoLevel)?;
    let mut pid = None;
    if let Some((field, after)) = bracketed(rest).filter(|(f, _)| f.starts_with("pid ")) {
        let ids = &field[4..];
        pid = Some(ids.split(':').next().unwrap_or(ids));
        rest = after;
    }
    let mut client = None;
    if let Some((field, after)) = bracketed(rest).filter(|(f, _)| f.starts_with("client ")) {
        client = Some(without_port(&field[7..], pid.is_some()));
        rest = after;
    }
    Ok(Event::Syslog(SyslogRecord {
        time,
        host: "-",
        program: "httpd",
        pid,
        severity: Some(severity),
        message: rest,
        auth: None,
        client,
        request: request_in(rest),
        action: None,
    }))
}

/// The request or path a message is about, so it can be checked for attacks like an
/// access log's: the request line of `AH00126: Invalid URI in request GET /x HTTP/1.1`, the
/// URI of `AH10244: invalid URI path (/x)`, the file of `File does not exist: /x` and of
/// `client denied by server configuration: /x`.
fn request_in(message: &str) -> Option<&str> {
    const MARKERS: [&str; 4] = [
        "Invalid URI in request ",
        "invalid URI path (",
        "File does not exist: ",
        "client denied by server configuration: ",
    ];
    MARKERS.iter().find_map(|marker| {
        let start = message.find(marker)? + marker.len();
        let rest = &message[start..];
        // A path ends at `, referer: …` or the line's end; a URI path at its parenthesis.
        let end = if marker.ends_with('(') {
            rest.rfind(')')?
        } else {
            rest.find(", referer: ").unwrap_or(rest.len())
        };
        Some(&rest[..end]).filter(|r| !r.is_empty())
    })
}

/// `[field] rest` split into the field and what follows its space.
fn bracketed(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_prefix('[')?;
    let end = inner.find(']')?;
    Some((&inner[..end], inner[end + 1..].trim_start()))
}

/// The address without the port 2.4 appends (`203.0.113.9:52144`, `::1:58619`); 2.2 wrote
/// the address alone, so an IPv6 address there is left whole.
fn without_port(client: &str, has_port: bool) -> &str {
    match client.rsplit_once(':') {
        Some((address, port))
            if port.bytes().all(|b| b.is_ascii_digit()) && (has_port || !address.contains(':')) =>
        {
            address
        }
        _ => client,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn record(line: &str) -> SyslogRecord<'_> {
        match parse(line) {
            Ok(Event::Syslog(record)) => record,
            other => panic!("{line}: {other:?}"),
        }
    }

    #[test]
    fn reads_the_24_layout() {
        let r = record(SAMPLES[0]);
        assert_eq!(
            (
                r.time.to_string().as_str(),
                r.severity,
                r.pid,
                r.client,
                r.message
            ),
            (
                "2011-05-12T08:28:57+00:00",
                Some(3),
                Some("8777"),
                Some("::1"),
                "File does not exist: /usr/local/apache2/htdocs/favicon.ico"
            )
        );
        let r = record(SAMPLES[1]);
        assert_eq!(
            (r.client, r.request),
            (Some("203.0.113.9"), Some("GET /../../etc/passwd HTTP/1.1"))
        );
        assert_eq!(
            record(SAMPLES[2]).request,
            Some("/var/www/html/.git/config")
        );
        assert_eq!(
            record("[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] AH10244: invalid URI path (/cgi-bin/.%2e/.%2e/bin/sh)").request,
            Some("/cgi-bin/.%2e/.%2e/bin/sh")
        );
        let r = record(SAMPLES[5]);
        assert_eq!((r.severity, r.client), (Some(5), None));
        assert!(r.message.starts_with("AH00489"));
    }

    #[test]
    fn reads_the_22_layout() {
        let r = record(SAMPLES[3]);
        assert_eq!(
            (r.severity, r.pid, r.client),
            (Some(3), None, Some("127.0.0.1"))
        );
        let r = record(SAMPLES[4]);
        assert_eq!(
            (r.time.to_string().as_str(), r.severity, r.client),
            ("2005-12-04T04:47:44+00:00", Some(5), None)
        );
        assert_eq!(
            record("[Wed Oct 11 14:32:52 2000] [trace3] [client 2001:db8::7] x").client,
            Some("2001:db8::7")
        );
    }

    #[test]
    fn says_what_is_missing() {
        for (line, reason) in [
            ("", RejectReason::Empty),
            (
                "Wed Oct 11 14:32:52 2000 [error] x",
                RejectReason::NoLeadingTimestamp,
            ),
            (
                "[2000-10-11 14:32:52] [error] x",
                RejectReason::NoLeadingTimestamp,
            ),
            ("[Wed Oct 11 14:32:52 2000] error x", RejectReason::NoLevel),
            (
                "[Wed Oct 11 14:32:52 2000] [core:loud] x",
                RejectReason::NoLevel,
            ),
        ] {
            assert_eq!(parse(line).map(|_| ()), Err(reason), "{line}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(tail in "[\\[\\]a-z0-9 :.]{0,60}") {
            let _ = parse(&format!("[Wed Oct 11 14:32:52 2000] {tail}"));
        }
    }
}
