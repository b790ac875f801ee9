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
    /// A message from syslog, an error log or an application log.
    Syslog(SyslogRecord<'a>),
    /// A network flow, from a flow CSV.
    Flow(FlowRecord<'a>),
}

impl<'a> Event<'a> {
    /// When it happened.
    pub fn time(&self) -> LogTime {
        match self {
            Event::Access(record) => record.time,
            Event::Syslog(record) => record.time,
            Event::Flow(record) => record.time,
        }
    }

    /// Who it is about: the client address of a request, the source of a login attempt or
    /// of a flow, or else the user a login is about; `-` when a message names no one (the
    /// host that logged it is the server, never the one it is about).
    pub fn client(&self) -> &'a str {
        match self {
            Event::Access(record) => record.client,
            Event::Syslog(record) => {
                let auth = record.auth.as_ref();
                auth.and_then(|a| a.source)
                    .or(record.client)
                    .or(auth.and_then(|a| a.user))
                    .unwrap_or("-")
            }
            Event::Flow(record) => record.source,
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
    /// The HTTP request line the message is about (nginx's `request: "GET / HTTP/1.1"`).
    pub request: Option<&'a str>,
    /// What someone did in a session a honeypot recorded (a command, a download).
    pub action: Option<SessionAction<'a>>,
}

/// Something done inside a logged-in session, as a honeypot (Cowrie) records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionAction<'a> {
    /// A command line typed or sent.
    Command(&'a str),
    /// A file fetched from this URL.
    Download(&'a str),
    /// A TCP connection relayed through the server to this destination.
    Tunnel(&'a str),
}

/// A login attempt reported by an authentication program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthAttempt<'a> {
    /// What happened.
    pub outcome: AuthOutcome,
    /// The account tried, when named.
    pub user: Option<&'a str>,
    /// Where the attempt came from (an address or host name), when named.
    pub source: Option<&'a str>,
    /// The source port, when named.
    pub port: Option<&'a str>,
    /// How many times the line tells it (`message repeated 3 times`, `PAM 2 more …`).
    pub times: u32,
    /// The password tried, when the log holds it (honeypots do).
    pub password: Option<&'a str>,
}

impl<'a> AuthAttempt<'a> {
    /// An attempt told once, about `user`, from nowhere in particular yet.
    pub fn new(outcome: AuthOutcome, user: Option<&'a str>) -> Self {
        Self {
            outcome,
            user,
            source: None,
            port: None,
            times: 1,
            password: None,
        }
    }
}

/// What a line says of a login attempt. One connection often tells one attempt on several
/// lines (`Invalid user`, PAM's failure, `Failed password`, `Connection closed by invalid
/// user`): only `Failed` lines are attempts each; the others count once per connection
/// that has no `Failed` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthOutcome {
    /// A wrong password, key or other credential.
    Failed,
    /// An account that does not exist (sshd's `Invalid user`).
    InvalidUser,
    /// PAM's `authentication failure`.
    PamFailed,
    /// The client tried an account and gave up or was cut off before logging in
    /// (`Connection closed by authenticating user`, `maximum authentication attempts
    /// exceeded`, `not allowed because …`).
    GaveUp,
    /// The client connected and left without trying an account (`Did not receive
    /// identification string`, `Connection closed by … [preauth]`, failed negotiation).
    Probe,
    /// A session that had logged in ended.
    Closed,
    /// A successful login.
    Accepted,
}

impl AuthOutcome {
    /// Whether the line reports a failure to log in (probes and closed sessions do not).
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            AuthOutcome::Failed
                | AuthOutcome::InvalidUser
                | AuthOutcome::PamFailed
                | AuthOutcome::GaveUp
        )
    }
}

/// One network flow (a CICFlowMeter row): who talked to whom, on what port, how much.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowRecord<'a> {
    /// When the flow started.
    pub time: LogTime,
    /// The source address, `-` when the file has none (CICIDS's "MachineLearning" CSVs).
    pub source: &'a str,
    /// The source port, when given.
    pub source_port: Option<u16>,
    /// The destination address, `-` when the file has none.
    pub destination: &'a str,
    /// The destination port.
    pub destination_port: u16,
    /// The IP protocol number (6 TCP, 17 UDP), when given.
    pub protocol: Option<u8>,
    /// How long the flow lasted, in seconds.
    pub duration_secs: Option<f64>,
    /// Packets from source to destination.
    pub forward_packets: Option<u64>,
    /// Packets from destination to source.
    pub backward_packets: Option<u64>,
    /// Payload bytes from source to destination.
    pub forward_bytes: Option<u64>,
    /// Payload bytes from destination to source.
    pub backward_bytes: Option<u64>,
    /// The ground-truth label (`BENIGN`, `DDoS`, `PortScan`…), when the file has one.
    pub label: Option<&'a str>,
}

impl FlowRecord<'_> {
    /// Payload bytes both ways, when the file gives either direction.
    pub fn total_bytes(&self) -> Option<u64> {
        match (self.forward_bytes, self.backward_bytes) {
            (None, None) => None,
            (forward, backward) => Some(forward.unwrap_or(0).saturating_add(backward.unwrap_or(0))),
        }
    }

    /// Whether the label, if any, says this flow is an attack.
    pub fn is_labelled_attack(&self) -> bool {
        self.label
            .is_some_and(|label| !label.eq_ignore_ascii_case("benign") && !label.is_empty())
    }
}
