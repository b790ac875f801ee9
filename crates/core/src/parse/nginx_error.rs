//! nginx's error log.
//!
//! Spec: <https://nginx.org/en/docs/ngx_core_module.html#error_log>; the line layout is
//! `ngx_log_error_core` in `src/core/ngx_log.c`, the trailer `ngx_http_log_error` in
//! `src/http/ngx_http_request.c`.
//!
//! ```text
//! 2024/02/12 09:40:43 [error] 550#0: *19144 open() "/var/www/.env" failed (2: …), client: 192.168.139.171, server: example.com, request: "GET /.env HTTP/1.1", host: "10.10.1.5"
//! │                   │       │   │  │      │                                   └ trailer: `, key: value` pairs, quoted where free text
//! │                   │       │   │  │      └ the message
//! │                   │       │   │  └ connection number (optional)
//! │                   │       │   └ thread id
//! │                   │       └ process id
//! │                   └ level: debug info notice warn error crit alert emerg
//! └ local time, no offset (read as UTC)
//! ```
//!
//! The client, server and request line come from the trailer, so the request an error
//! reports can be checked for attacks like an access log's.

use super::RejectReason;
use super::level::severity_of;
use super::timestamp::iso_time;
use crate::event::{Event, SyslogRecord};

/// Real lines: the first two from a public 2024 nginx error log of a server under scans,
/// the others written for these tests in nginx's layout.
pub const SAMPLES: &[&str] = &[
    r#"2024/02/12 09:40:43 [error] 550#0: *19144 FastCGI sent in stderr: "PHP message: PHP Notice:  Undefined index: testpayment in /var/www/public_html/frontend/web/index.php on line 67" while reading response header from upstream, client: 192.168.139.171, server: example.com, request: "GET /mcCI HTTP/1.1", upstream: "fastcgi://unix:/var/run/php7.4-fpm.sock:", host: "10.10.1.5""#,
    r#"2024/02/12 09:42:10 [crit] 550#0: *19187 SSL_do_handshake() failed (SSL: error:14201044:SSL routines:tls_choose_sig_algs:internal error) while SSL handshaking, client: 192.168.139.171, server: 0.0.0.0:443"#,
    r#"2024/03/11 10:00:00 [error] 550#0: *19133 open() "/var/www/html/.env" failed (2: No such file or directory), client: 203.0.113.9, server: shop.example, request: "GET /.env HTTP/1.1", host: "shop.example""#,
    "2024/03/11 10:00:05 [notice] 1#1: signal process started",
    r#"2024/03/11 10:00:09 [warn] 12#12: *88 an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/1/00/0000000001 while reading upstream, client: 2001:db8::7, server: _, request: "GET /export.csv HTTP/2.0""#,
];

/// Parses one line of an nginx error log.
pub fn parse(line: &str) -> Result<Event<'_>, RejectReason> {
    if line.trim().is_empty() {
        return Err(RejectReason::Empty);
    }
    let (time, used) = iso_time(line)
        .filter(|&(_, used)| used == 19 && line.as_bytes()[4] == b'/')
        .ok_or(RejectReason::NoLeadingTimestamp)?;
    let rest = line[used..]
        .strip_prefix(" [")
        .ok_or(RejectReason::NoLevel)?;
    let (level, rest) = rest.split_once("] ").ok_or(RejectReason::NoLevel)?;
    let severity = severity_of(level).ok_or(RejectReason::NoLevel)?;
    // `pid#tid: ` then, for a connection's messages, `*cid `.
    let (ids, rest) = rest.split_once(": ").ok_or(RejectReason::NoProcessId)?;
    let (pid, tid) = ids.split_once('#').ok_or(RejectReason::NoProcessId)?;
    if !is_number(pid) || !is_number(tid) {
        return Err(RejectReason::NoProcessId);
    }
    let message = match rest.strip_prefix('*').and_then(|r| r.split_once(' ')) {
        Some((connection, message)) if is_number(connection) => message,
        _ => rest,
    };
    let trailer = Trailer::of(message);
    Ok(Event::Syslog(SyslogRecord {
        time,
        host: trailer.server.unwrap_or("-"),
        program: "nginx",
        pid: Some(pid),
        severity: Some(severity),
        message,
        auth: None,
        client: trailer.client,
        request: trailer.request,
        action: None,
    }))
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// The `, client: …, server: …, request: "…"` pairs nginx appends to a request's errors.
#[derive(Debug, Clone, Default, PartialEq)]
struct Trailer<'a> {
    client: Option<&'a str>,
    server: Option<&'a str>,
    request: Option<&'a str>,
}

impl<'a> Trailer<'a> {
    fn of(message: &'a str) -> Self {
        // The message (a quoted path) or the request may contain `, client: ` too; nginx
        // always writes `, client: X, server: Y`, so the first such pair starts the trailer.
        // Without a server (outside http blocks), the last `, client: ` is the trailer.
        let first_pair = message.match_indices(", client: ").find(|&(at, key)| {
            let value = &message[at + key.len()..];
            value
                .split_once(", ")
                .is_some_and(|(client, next)| !client.contains(' ') && next.starts_with("server: "))
        });
        let Some(at) = first_pair
            .map(|(at, _)| at)
            .or_else(|| message.rfind(", client: "))
        else {
            return Self::default();
        };
        let trailer = &message[at + 2..];
        Self {
            client: unquoted_value(trailer, "client: "),
            server: unquoted_value(trailer, ", server: "),
            request: quoted_value(trailer, ", request: \""),
        }
    }
}

/// The value after `key` up to the next `, `.
fn unquoted_value<'a>(trailer: &'a str, key: &str) -> Option<&'a str> {
    let start = trailer.find(key)? + key.len();
    let value = trailer[start..].split(", ").next()?;
    (!value.is_empty()).then_some(value)
}

/// The value after `key` (which ends in `"`) up to the closing `", ` or the line's end;
/// nginx does not escape quotes inside, so the closing one is the last before a key.
fn quoted_value<'a>(trailer: &'a str, key: &str) -> Option<&'a str> {
    let start = trailer.find(key)? + key.len();
    let value = &trailer[start..];
    let end = value
        .find("\", ")
        .or_else(|| value.strip_suffix('"').map(str::len))?;
    Some(&value[..end])
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
    fn reads_the_trailer_of_a_request_error() {
        let r = record(SAMPLES[0]);
        assert_eq!(
            (
                r.time.to_string().as_str(),
                r.severity,
                r.pid,
                r.client,
                r.host,
                r.request
            ),
            (
                "2024-02-12T09:40:43+00:00",
                Some(3),
                Some("550"),
                Some("192.168.139.171"),
                "example.com",
                Some("GET /mcCI HTTP/1.1")
            )
        );
        assert!(r.message.starts_with("FastCGI sent in stderr"));
    }

    #[test]
    fn reads_lines_without_a_connection_or_trailer() {
        let r = record(SAMPLES[3]);
        assert_eq!(
            (r.severity, r.message, r.client, r.request),
            (Some(5), "signal process started", None, None)
        );
        let r = record(SAMPLES[4]);
        assert_eq!(
            (r.severity, r.client, r.request),
            (
                Some(4),
                Some("2001:db8::7"),
                Some("GET /export.csv HTTP/2.0")
            )
        );
        assert_eq!(record(SAMPLES[1]).host, "0.0.0.0:443");
    }

    #[test]
    fn says_what_is_missing() {
        for (line, reason) in [
            ("", RejectReason::Empty),
            (
                "2024-03-11 10:00:00 [error] 1#1: x",
                RejectReason::NoLeadingTimestamp,
            ),
            ("2024/03/11 10:00:00 error 1#1: x", RejectReason::NoLevel),
            ("2024/03/11 10:00:00 [loud] 1#1: x", RejectReason::NoLevel),
            ("2024/03/11 10:00:00 [error] x", RejectReason::NoProcessId),
            (
                "2024/03/11 10:00:00 [error] a#1: x",
                RejectReason::NoProcessId,
            ),
        ] {
            assert_eq!(parse(line).map(|_| ()), Err(reason), "{line}");
        }
    }

    #[test]
    fn a_quoted_client_in_the_message_does_not_fool_the_trailer() {
        let line = r#"2024/03/11 10:00:00 [error] 1#1: *2 open() "/x, client: 1.2.3.4" failed, client: 203.0.113.9, server: s, request: "GET /x, client: 1.2.3.4 HTTP/1.1""#;
        let r = record(line);
        assert_eq!(r.client, Some("203.0.113.9"));
        assert_eq!(r.request, Some("GET /x, client: 1.2.3.4 HTTP/1.1"));
    }

    proptest! {
        #[test]
        fn never_panics(tail in "[\\[\\]#*a-z0-9 :,\"]{0,60}") {
            let _ = parse(&format!("2024/03/11 10:00:00 {tail}"));
        }
    }
}
