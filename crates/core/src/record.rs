//! What a parsed access-log line says, as typed fields.
//!
//! Fields borrow from the line: parsing copies nothing, and the analysis keeps only what it
//! aggregates. Text fields are kept as written (escapes such as `\"` are not undone) so that
//! evidence shown to an analyst is the line's own bytes.

use crate::time::LogTime;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One request from an Apache/Nginx access log (common or combined format).
#[derive(Debug, Clone, PartialEq)]
pub struct AccessRecord<'a> {
    /// The virtual host (`%v`, maybe with `:port`), when the log starts with it.
    pub vhost: Option<&'a str>,
    /// The client address (`%h`): an IP, or a host name when the server resolves them.
    pub client: &'a str,
    /// The RFC 1413 identity (`%l`), almost always absent (`-`).
    pub identity: Option<&'a str>,
    /// The authenticated user (`%u`), absent when written as `-`.
    pub user: Option<&'a str>,
    /// When the request was received, with the server's UTC offset.
    pub time: LogTime,
    /// The request line as written (`%r`), which may be garbage for non-HTTP traffic.
    pub request: &'a str,
    /// The request method, when the request line has the `METHOD TARGET [PROTOCOL]` shape.
    pub method: Option<&'a str>,
    /// The request target (path and query), when the request line has that shape.
    pub target: Option<&'a str>,
    /// The protocol (`HTTP/1.1`), when the request line names one.
    pub protocol: Option<&'a str>,
    /// The final HTTP status (`%>s`).
    pub status: u16,
    /// Response body bytes (`%b`), absent when written as `-`.
    pub bytes_sent: Option<u64>,
    /// The `Referer` header (combined format only), absent when `-` or not logged.
    pub referer: Option<&'a str>,
    /// The `User-Agent` header (combined format only), absent when `-` or not logged.
    pub user_agent: Option<&'a str>,
    /// How long the server took, in seconds, when the log records it.
    pub duration_secs: Option<f64>,
}

/// A field of an access-log line, named in reasons for rejecting a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Field {
    /// `%h`
    Client,
    /// `%l`
    Identity,
    /// `%u`
    User,
    /// `%t`
    Time,
    /// `%r`
    Request,
    /// `%>s`
    Status,
    /// `%b`
    BytesSent,
    /// `%{Referer}i`
    Referer,
    /// `%{User-agent}i`
    UserAgent,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::Client => "client address",
            Field::Identity => "identity",
            Field::User => "user",
            Field::Time => "timestamp",
            Field::Request => "request line",
            Field::Status => "status code",
            Field::BytesSent => "response size",
            Field::Referer => "referer",
            Field::UserAgent => "user agent",
        })
    }
}
