//! A parsed line, whatever format it came from: what the analysis and the detectors read.
//!
//! Formats differ in what they say: an access log says who asked for what and how it
//! went, a syslog line says which program said what, and sometimes that someone tried to
//! log in. One enum keeps each shape typed; detectors match the shapes they understand.

use crate::record::AccessRecord;
use crate::time::LogTime;

/// One parsed line.
#[derive(Debug, Clone, PartialEq)]
pub enum Event<'a> {
    /// A web request, from an access log.
    Access(AccessRecord<'a>),
    /// A system message, from syslog.
    Syslog(SyslogRecord<'a>),
}

impl Event<'_> {
    /// When it happened.
    pub fn time(&self) -> LogTime {
        match self {
            Event::Access(record) => record.time,
            Event::Syslog(record) => record.time,
        }
    }

    /// Who it is about: the client address of a request, the source of a login attempt,
    /// or else the host that logged the message.
    pub fn client(&self) -> &str {
        match self {
            Event::Access(record) => record.client,
            Event::Syslog(record) => record
                .auth
                .as_ref()
                .and_then(|a| a.source)
                .or(record.client)
                .unwrap_or(record.host),
        }
    }
}

/// A syslog message (RFC 3164 or RFC 5424).
#[derive(Debug, Clone, PartialEq)]
pub struct SyslogRecord<'a> {
    /// When it was logged, in the log's offset (or UTC, for RFC 3164's local times).
    pub time: LogTime,
    /// The host that logged it.
    pub host: &'a str,
    /// The program (RFC 3164 tag, RFC 5424 APP-NAME), e.g. `sshd`.
    pub program: &'a str,
    /// The process id, when given.
    pub pid: Option<&'a str>,
    /// The syslog severity (0 emergency … 7 debug), when the line has a `<PRI>`.
    pub severity: Option<u8>,
    /// The free text.
    pub message: &'a str,
    /// The login attempt the message reports, for sshd, PAM, su and sudo.
    pub auth: Option<AuthAttempt<'a>>,
    /// The client the message is about, when it names one (`client: 203.0.113.9` in an
    /// error log).
    pub client: Option<&'a str>,
}

/// A login attempt reported by an authentication program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthAttempt<'a> {
    /// What happened.
    pub outcome: AuthOutcome,
    /// The account tried, when named.
    pub user: Option<&'a str>,
    /// Where the attempt came from (an address), when named.
    pub source: Option<&'a str>,
}

/// How a login attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthOutcome {
    /// A wrong password, key or other credential.
    Failed,
    /// An account that does not exist (sshd's `Invalid user`); the matching `Failed`
    /// line, if any, is what counts as the attempt.
    InvalidUser,
    /// A successful login.
    Accepted,
    /// PAM's `authentication failure`: on systems where sshd also logs `Failed …`, the same
    /// attempt told twice, so counts take the larger of the two tallies, not their sum.
    PamFailed,
}
