//! Password guessing: many failed logins from one client.
//!
//! **What it detects:** a client failing to log in again and again: HTTP 401s, 403/429 on
//! a login path, or POSTs to a login path that are not redirected on (the usual answer to
//! a wrong password is the login form again); in syslog, sshd's `Failed password` (its
//! `Invalid user` lines are evidence, not extra attempts), `su` and `sudo` failures; in
//! network flows, connections that exchange data with a login service (FTP, SSH, Telnet,
//! POP3, IMAP, RDP, VNC): a flow does not say whether the password was right, so each
//! counts as an attempt. Fast bursts and low-and-slow attempts spread over hours are both
//! reported, and so is a success after the failures.
//!
//! **Why it matters:** credential stuffing and password spraying are the commonest way into
//! a web application, and a success after a run of failures may be a stolen account.
//!
//! **Example lines:**
//! ```text
//! 203.0.113.77 - - [11/Mar/2024:14:20:00 +0100] "POST /login HTTP/1.1" 401 43 "-" "python-requests/2.31.0"
//! 203.0.113.77 - - [11/Mar/2024:14:29:51 +0100] "POST /login HTTP/1.1" 302 0 "-" "python-requests/2.31.0"
//! Mar 11 03:12:44 web1 sshd[4242]: Failed password for invalid user admin from 203.0.113.9 port 52144 ssh2
//! ```
//!
//! Clients that mostly do other things (a NAT gateway with many users each mistyping once,
//! a browser meeting a basic-auth challenge before every visit) are not reported: failed
//! logins must be most of what the client does.

use super::account_names::AccountNames;
use super::client_map::{ClientKey, ClientMap};
use super::login_connections::LoginConnections;
use super::normalize::normalize_request_text;
use super::{Detector, Evidence, score_with_repetition, without_query};
use crate::display_text::for_display;
use crate::event::{AuthAttempt, AuthOutcome, Event, SessionAction};
use crate::figures::human_duration;
use crate::finding::{Finding, FindingKind};
use crate::record::AccessRecord;

/// Tuning for [`BruteForceDetector`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct BruteForceOptions {
    /// Failed attempts from one client before it is reported.
    pub min_failures: u64,
    /// The least share of a client's requests (from its first login event on) that must
    /// be failed logins.
    pub min_failure_share: f64,
    /// The window in which `burst_failures` failures make a burst.
    pub burst_window_secs: i64,
    /// Failures within one window that make a burst rather than a slow campaign.
    pub burst_failures: usize,
}

impl Default for BruteForceOptions {
    fn default() -> Self {
        Self {
            min_failures: 10,
            min_failure_share: 0.6,
            burst_window_secs: 600,
            burst_failures: 10,
        }
    }
}

/// The most failure times kept per client for finding bursts; later ones are counted only.
const MAX_TIMES_PER_CLIENT: usize = 10_000;

/// The most account names kept per client, and per campaign: more than a description
/// shows, few enough that tens of thousands of guessing clients stay cheap.
const MAX_USER_NAMES: usize = 16;

/// The most honeypot actions (commands, downloads, tunnels) kept to describe a session.
const MAX_ACTIONS: usize = 8;

/// Distinct accounts, mostly ones that do not exist, that make guessing an enumeration.
const MIN_ENUMERATED_USERS: usize = 5;

/// Connections that leave before trying an account that make a client a prober.
const MIN_PROBES: u64 = 10;

/// How many bursts' worth of login-service flows in one window make a source a guesser
/// whatever share of its flows they are.
const FLOW_BURST_FACTOR: usize = 3;

/// Failed logins to a honeypot that make a finding.
const MIN_HONEYPOT_FAILURES: u64 = 5;

/// Sources below the threshold that, trying the same accounts, make one campaign.
const MIN_CAMPAIGN_SOURCES: usize = 3;

#[derive(Debug, Clone)]
struct ClientLogins {
    /// Failed attempts, probes and successes, as evidence.
    failures: Option<Evidence>,
    /// Failed attempts, each counted once however many lines tell it: what the
    /// thresholds count.
    connections: LoginConnections,
    /// Failed attempts on accounts that do not exist.
    invalid_user_lines: u64,
    failure_times: Vec<i64>,
    /// The accounts tried, in order of first try, at most [`MAX_USER_NAMES`].
    users: AccountNames,
    /// Every request from the client since its first login event: a browser meeting a
    /// basic-auth challenge fails once, then browses; a guesser does little else.
    requests: u64,
    /// The first success after at least one failure: line and time.
    success_after_failures: Option<(u64, crate::LogTime)>,
    /// The client's next request after that success, if soon: what it did with the account.
    first_use: Option<(u64, crate::LogTime)>,
    /// The first success at all, with the account and password (a honeypot logs both);
    /// boxed, as most clients never log in.
    first_success: Option<Box<Success>>,
    /// What was done once logged in (a honeypot's commands, downloads, tunnels).
    session: Option<Box<SessionLog>>,
    /// Whether a honeypot logged these: nobody logs in to one by right, so every
    /// attempt is hostile and fewer make a finding.
    honeypot: bool,
}

#[derive(Debug, Clone)]
struct Success {
    /// The success's own line.
    evidence: Evidence,
    user: Option<Box<str>>,
    password: Option<Box<str>>,
    failures_before: u64,
}

#[derive(Debug, Clone)]
struct SessionLog {
    evidence: Evidence,
    commands: u64,
    downloads: u64,
    tunnels: u64,
    /// The first few, in order, for the description.
    shown: Vec<String>,
}

impl ClientLogins {
    fn new() -> Self {
        Self {
            failures: None,
            connections: LoginConnections::default(),
            invalid_user_lines: 0,
            failure_times: Vec::new(),
            users: AccountNames::default(),
            requests: 0,
            success_after_failures: None,
            first_use: None,
            first_success: None,
            session: None,
            honeypot: false,
        }
    }

    fn remember_user(&mut self, user: &str) {
        self.users.insert(user, MAX_USER_NAMES);
    }

    fn add_evidence(&mut self, line_no: u64, time: crate::LogTime, cap: usize) {
        match &mut self.failures {
            Some(evidence) => evidence.add(line_no, time),
            None => self.failures = Some(Evidence::new(line_no, time, cap)),
        }
    }

    fn add_action(
        &mut self,
        line_no: u64,
        time: crate::LogTime,
        action: SessionAction<'_>,
        cap: usize,
    ) {
        let session = match &mut self.session {
            Some(session) => {
                session.evidence.add(line_no, time);
                session
            }
            None => self.session.insert(Box::new(SessionLog {
                evidence: Evidence::new(line_no, time, cap),
                commands: 0,
                downloads: 0,
                tunnels: 0,
                shown: Vec::new(),
            })),
        };
        let shown = match action {
            SessionAction::Command(command) => {
                session.commands += 1;
                format!("ran `{}`", for_display(command, 80))
            }
            SessionAction::Download(url) => {
                session.downloads += 1;
                format!("downloaded {}", for_display(url, 100))
            }
            SessionAction::Tunnel(destination) => {
                session.tunnels += 1;
                format!("tunnelled to {}", for_display(destination, 64))
            }
        };
        if session.shown.len() < MAX_ACTIONS && !session.shown.contains(&shown) {
            session.shown.push(shown);
        }
    }
}

/// How soon after a guessed login the next request counts as using it.
const FIRST_USE_WINDOW_SECS: i64 = 600;

/// Counts failed logins per client; see the module docs.
#[derive(Debug, Clone)]
pub struct BruteForceDetector {
    options: BruteForceOptions,
    max_evidence_lines: usize,
    clients: ClientMap<ClientLogins>,
    /// Whether the attempts are flows (connections) rather than logged failures.
    flows: bool,
}

impl BruteForceDetector {
    /// A detector listing at most `max_evidence_lines` lines per finding.
    pub fn new(options: BruteForceOptions, max_evidence_lines: usize) -> Self {
        Self {
            options,
            max_evidence_lines,
            clients: ClientMap::default(),
            flows: false,
        }
    }
}

/// Ports of services that ask for a password: FTP, SSH, Telnet, POP3, IMAP, RDP, VNC.
const LOGIN_PORTS: [u16; 7] = [21, 22, 23, 110, 143, 3389, 5900];

/// The least packets a client sends in a flow that reaches a login prompt; a port scan's
/// probe sends one or two.
const MIN_LOGIN_FLOW_PACKETS: u64 = 4;

/// Paths where people (and attackers) log in: a path segment such as `login`, or
/// `login.php` with a server-side script extension (not `login.css`).
fn is_login_path(target: &str) -> bool {
    const LOGIN_WORDS: [&str; 12] = [
        "login",
        "signin",
        "sign-in",
        "log-in",
        "logon",
        "auth",
        "session",
        "wp-login",
        "xmlrpc",
        "j_security_check",
        "token",
        "authenticate",
    ];
    const SCRIPT_EXTENSIONS: [&str; 9] = [
        "php", "asp", "aspx", "jsp", "do", "action", "cgi", "html", "htm",
    ];
    let path = normalize_request_text(without_query(target));
    path.split('/').any(|segment| {
        let (stem, extension) = segment.split_once('.').unwrap_or((segment, ""));
        LOGIN_WORDS.contains(&stem)
            && (extension.is_empty() || SCRIPT_EXTENSIONS.contains(&extension))
    })
}

/// What a line says about a login attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attempt<'a> {
    NotALogin,
    /// A request or flow that failed to log in: one attempt.
    Failed,
    Succeeded,
    /// A line of an authentication log, counted with the other lines of its connection.
    Logged(AuthAttempt<'a>, Option<&'a str>),
    /// Something done in a logged-in session.
    Acted(SessionAction<'a>),
}

fn classify_event<'a>(event: &Event<'a>) -> Attempt<'a> {
    match event {
        Event::Access(record) => classify(record),
        Event::Syslog(record) => match (record.auth, record.action) {
            (Some(auth), _) => Attempt::Logged(auth, record.pid),
            (None, Some(action)) => Attempt::Acted(action),
            (None, None) => Attempt::NotALogin,
        },
        Event::Flow(flow)
            if LOGIN_PORTS.contains(&flow.destination_port)
                && flow
                    .forward_packets
                    .is_none_or(|packets| packets >= MIN_LOGIN_FLOW_PACKETS) =>
        {
            Attempt::Failed
        }
        Event::Flow(_) => Attempt::NotALogin,
    }
}

fn classify(record: &AccessRecord<'_>) -> Attempt<'static> {
    if record.status == 401 {
        return Attempt::Failed;
    }
    let posted = record.method == Some("POST");
    // Checked in this order so that most lines cost two comparisons.
    if !(posted || matches!(record.status, 403 | 429)) || !record.target.is_some_and(is_login_path)
    {
        return Attempt::NotALogin;
    }
    match (record.status, posted) {
        (403 | 429, _) => Attempt::Failed,
        // A wrong password usually re-renders the form; a right one redirects onwards.
        (200, true) => Attempt::Failed,
        (201..=303, true) => Attempt::Succeeded,
        _ => Attempt::NotALogin,
    }
}

impl Detector for BruteForceDetector {
    fn relative_cost(&self) -> u32 {
        2
    }

    fn untracked(&self) -> Option<crate::limits::LeftOut> {
        Some(crate::limits::LeftOut::clients(
            "password guessing",
            self.clients.untracked_lines(),
        ))
    }

    fn observe(&mut self, line_no: u64, event: &Event<'_>, client: &ClientKey<'_>) {
        let attempt = classify_event(event);
        self.flows |= matches!(event, Event::Flow(_));
        let time = event.time();
        let a_login = attempt != Attempt::NotALogin;
        let cap = self.max_evidence_lines;
        let Some(client) = self
            .clients
            .get_or_insert_if(client, a_login, ClientLogins::new)
        else {
            return;
        };
        if let (Some((success_line, success_time)), None) =
            (client.success_after_failures, client.first_use)
            && line_no > success_line
            && time.epoch_secs - success_time.epoch_secs <= FIRST_USE_WINDOW_SECS
            && !matches!(attempt, Attempt::Acted(_))
        {
            client.first_use = Some((line_no, time));
        }
        if let Event::Syslog(record) = event {
            client.honeypot |= matches!(record.program, "cowrie" | "heralding");
        }
        let (new_attempts, succeeded) = match attempt {
            Attempt::NotALogin => {
                client.requests += 1;
                return;
            }
            Attempt::Acted(action) => {
                client.add_action(line_no, time, action, cap);
                return;
            }
            Attempt::Failed => {
                client.requests += 1;
                client.add_evidence(line_no, time, cap);
                (
                    client
                        .connections
                        .count(None, AuthOutcome::Failed, 1)
                        .new_attempts,
                    None,
                )
            }
            Attempt::Succeeded => {
                client.requests += 1;
                (0, Some((None, None)))
            }
            Attempt::Logged(auth, connection) => {
                if auth.outcome.is_failure() || auth.outcome == AuthOutcome::Probe {
                    client.add_evidence(line_no, time, cap);
                }
                if let Some(user) = auth.user.filter(|_| auth.outcome.is_failure()) {
                    client.remember_user(user);
                }
                let counted = client
                    .connections
                    .count(connection, auth.outcome, auth.times);
                if auth.outcome == AuthOutcome::InvalidUser
                    || (auth.outcome == AuthOutcome::GaveUp && counted.new_attempts > 0)
                {
                    client.invalid_user_lines += 1;
                }
                client.requests += counted.new_attempts;
                let succeeded =
                    (auth.outcome == AuthOutcome::Accepted).then_some((auth.user, auth.password));
                if succeeded.is_some() {
                    client.requests += 1;
                }
                (counted.new_attempts, succeeded)
            }
        };
        if new_attempts > 0 && client.failure_times.len() < MAX_TIMES_PER_CLIENT {
            client.failure_times.push(time.epoch_secs);
        }
        if let Some((user, password)) = succeeded {
            let failures_before = client.connections.attempts;
            if failures_before > 0 && client.success_after_failures.is_none() {
                client.success_after_failures = Some((line_no, time));
            }
            if client.first_success.is_none() {
                client.first_success = Some(Box::new(Success {
                    evidence: Evidence::new(line_no, time, cap),
                    user: user.map(Box::from),
                    password: password.map(Box::from),
                    failures_before,
                }));
            }
        }
    }

    fn finish(self: Box<Self>) -> Vec<Finding> {
        let options = self.options;
        let attempts = if self.flows {
            "connections to login services"
        } else {
            "failed logins"
        };
        let mut findings = Vec::new();
        let mut below_threshold = Vec::new();
        for (client, mut logins) in self.clients {
            if let Some(finding) = intrusion(&client, &mut logins) {
                findings.push(finding);
            }
            let failures = logins.connections.attempts;
            let share = failures as f64 / logins.requests.max(1) as f64;
            let Some(mut evidence) = logins.failures.take() else {
                continue;
            };
            // Enough attempts, or (on a log that tells each attempt on several lines)
            // enough lines about failing; a honeypot needs fewer, and no share.
            logins.failure_times.sort_unstable();
            let burst = densest_window(&logins.failure_times, options.burst_window_secs);
            // A flow source (often a NAT of many hosts, as CIC-IDS2017's attacker) that
            // opens sessions to a login service several times faster than a burst is
            // guessing, whatever else it does; a mail client polling is not that fast.
            let (min_failures, min_share) = if logins.honeypot {
                (options.min_failures.min(MIN_HONEYPOT_FAILURES), 0.0)
            } else if self.flows && burst >= FLOW_BURST_FACTOR * options.burst_failures {
                (options.min_failures, 0.0)
            } else {
                (options.min_failures, options.min_failure_share)
            };
            let enough = failures >= min_failures
                || (failures > 0 && evidence.count() >= 2 * options.min_failures);
            if !enough || share < min_share {
                if failures == 0 && logins.connections.probes >= MIN_PROBES {
                    findings.push(probing(&client, &logins, evidence));
                } else if failures > 0 && share >= min_share && !logins.users.is_empty() {
                    // Only sources that named accounts can share them with a campaign.
                    below_threshold.push((client, logins, evidence));
                }
                continue;
            }
            // A local account (su, sudo, a screen lock: no address) failing now and then
            // over days is a person mistyping; only a burst is guessing.
            let local = !client.contains(['.', ':']);
            if local && burst < options.burst_failures {
                continue;
            }
            let spread_secs = evidence.last_seen().epoch_secs - evidence.first_seen().epoch_secs;
            let pace = if burst >= options.burst_failures {
                format!(
                    "up to {burst} within {}",
                    human_duration(options.burst_window_secs)
                )
            } else {
                format!(
                    "low and slow, at most {burst} in any {}",
                    human_duration(options.burst_window_secs)
                )
            };
            let mut score = score_with_repetition(60, failures, 15);
            let mut confidence = if share >= 0.9 { 0.85 } else { 0.7 };
            let mut outcome = String::new();
            if let Some((line_no, time)) = logins.success_after_failures {
                evidence.add_listed(line_no, time);
                if let Some((used_line, used_at)) = logins.first_use {
                    evidence.add(used_line, used_at);
                }
                score = score.max(90);
                confidence += 0.1;
                outcome = format!(", then a successful login at line {line_no}");
            }
            let enumerating = logins.users.len() >= MIN_ENUMERATED_USERS
                && logins.invalid_user_lines * 2 >= failures
                && logins.success_after_failures.is_none();
            let description = format!(
                "{failures} {attempts} from {} over {} ({pace}){}{outcome}",
                for_display(&client, 64),
                human_duration(spread_secs),
                accounts_tried(logins.users.iter(), logins.users.len()),
            );
            findings.push(evidence.into_finding(
                if enumerating {
                    FindingKind::UserEnumeration
                } else {
                    FindingKind::BruteForce
                },
                &client,
                score,
                confidence,
                description,
                Vec::new(),
            ));
        }
        findings.extend(campaign(below_threshold, options.min_failures));
        findings
    }
}

/// `; 3 accounts tried: user root, user admin, user oracle` (none when no account was named).
fn accounts_tried<'a>(users: impl Iterator<Item = &'a str>, count: usize) -> String {
    if count == 0 {
        return String::new();
    }
    let more = if count == MAX_USER_NAMES {
        " and more"
    } else {
        ""
    };
    // "user NAME", the way logs name users, so that pseudonymising finds each name.
    let names: Vec<String> = users
        .take(12)
        .map(|u| format!("user {}", for_display(u, 32)))
        .collect();
    let cut = if count > 12 { ", …" } else { "" };
    format!(
        "; {}{more} account{} tried: {}{cut}",
        count,
        if count == 1 { "" } else { "s" },
        names.join(", ")
    )
}

/// A login that worked, then commands, downloads or tunnels: what a honeypot sees an
/// attacker do, and the worst thing a login log can say.
fn intrusion(client: &str, logins: &mut ClientLogins) -> Option<Finding> {
    let session = logins.session.take()?;
    let success = logins.first_success.as_ref()?;
    let mut evidence = success.evidence.clone();
    evidence.merge(&session.evidence);
    let user = success
        .user
        .as_deref()
        .map_or("an account".to_owned(), |u| {
            format!("user {}", for_display(u, 32))
        });
    let password = success
        .password
        .as_deref()
        .map(|p| format!(" with password {}", for_display(p, 32)))
        .unwrap_or_default();
    let after = match success.failures_before {
        0 => String::new(),
        1 => " after 1 failure".to_owned(),
        n => format!(" after {n} failures"),
    };
    let mut did = Vec::new();
    for (count, noun) in [
        (session.commands, "command"),
        (session.downloads, "download"),
        (session.tunnels, "tunnel request"),
    ] {
        if count > 0 {
            did.push(format!(
                "{count} {noun}{}",
                if count == 1 { "" } else { "s" }
            ));
        }
    }
    let description = format!(
        "{} logged in as {user}{password}{after}, then {}: {}",
        for_display(client, 64),
        did.join(", "),
        session.shown.join("; ")
    );
    let score = if session.downloads > 0 { 96 } else { 92 };
    Some(evidence.into_finding(
        FindingKind::Intrusion,
        client,
        score,
        0.9,
        description,
        Vec::new(),
    ))
}

/// Connections that leave before trying an account: a scanner taking note of the service.
fn probing(client: &str, logins: &ClientLogins, evidence: Evidence) -> Finding {
    let probes = logins.connections.probes;
    let spread_secs = evidence.last_seen().epoch_secs - evidence.first_seen().epoch_secs;
    let description = format!(
        "{probes} connections from {} over {} that left before trying an account (pre-auth scanning)",
        for_display(client, 64),
        human_duration(spread_secs),
    );
    evidence.into_finding(
        FindingKind::LoginProbe,
        client,
        score_with_repetition(25, probes, 10),
        0.7,
        description,
        Vec::new(),
    )
}

/// Sources each below the threshold that tried the same accounts: one distributed
/// campaign (a botnet spreads its guesses so no one address trips a limit).
fn campaign(
    sources: Vec<(Box<str>, ClientLogins, Evidence)>,
    min_failures: u64,
) -> Option<Finding> {
    // The accounts most sources tried.
    let mut tried_by: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for (_, logins, _) in &sources {
        for user in logins.users.iter() {
            *tried_by.entry(user).or_default() += 1;
        }
    }
    let shared: Vec<&str> = tried_by
        .iter()
        .filter(|&(_, &n)| n >= MIN_CAMPAIGN_SOURCES)
        .map(|(&user, _)| user)
        .collect();
    let members: Vec<&(Box<str>, ClientLogins, Evidence)> = sources
        .iter()
        .filter(|(_, logins, _)| logins.users.iter().any(|u| shared.contains(&u)))
        .collect();
    let attempts: u64 = members.iter().map(|(_, l, _)| l.connections.attempts).sum();
    if members.len() < MIN_CAMPAIGN_SOURCES || attempts < min_failures {
        return None;
    }
    let mut evidence: Option<Evidence> = None;
    for (_, _, part) in &members {
        match &mut evidence {
            Some(all) => all.merge(part),
            None => evidence = Some(part.clone()),
        }
    }
    let evidence = evidence?;
    let spread_secs = evidence.last_seen().epoch_secs - evidence.first_seen().epoch_secs;
    let mut names: Vec<&str> = members.iter().map(|(c, _, _)| &**c).collect();
    names.sort_unstable();
    let shown: Vec<String> = names.iter().take(20).map(|n| for_display(n, 64)).collect();
    let more = if names.len() > 20 {
        format!(" and {} more", names.len() - 20)
    } else {
        String::new()
    };
    let shared_count = shared.len().min(MAX_USER_NAMES);
    let description = format!(
        "{attempts} failed logins from {} sources over {}, each below the threshold, trying the same accounts (distributed, low and slow){}; sources: {}{more}",
        members.len(),
        human_duration(spread_secs),
        accounts_tried(shared.iter().copied(), shared_count),
        shown.join(", "),
    );
    let client = format!("{} sources", members.len());
    Some(evidence.into_finding(
        FindingKind::BruteForce,
        &client,
        score_with_repetition(58, attempts, 15),
        0.7,
        description,
        Vec::new(),
    ))
}

/// The most of the sorted `times` that fall in any window of `window_secs`.
fn densest_window(times: &[i64], window_secs: i64) -> usize {
    let mut start = 0;
    let mut most = 0;
    for (end, &t) in times.iter().enumerate() {
        while t - times[start] >= window_secs {
            start += 1;
        }
        most = most.max(end + 1 - start);
    }
    most
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DetectionOptions;
    use crate::detect::test_lines::{findings, line, none};

    fn brute_force_only() -> DetectionOptions {
        DetectionOptions {
            brute_force: Some(BruteForceOptions::default()),
            ..none()
        }
    }

    #[test]
    fn a_burst_of_failures_then_success_is_critical() {
        let mut lines: Vec<String> = (0..30)
            .map(|i| line("203.0.113.77", i * 5, "POST", "/login", 401))
            .collect();
        lines.push(line("203.0.113.77", 200, "POST", "/login", 302));
        let found = findings(&lines, brute_force_only());
        assert_eq!(found.len(), 1);
        let finding = &found[0];
        assert_eq!(
            (finding.kind, finding.client.as_str()),
            (FindingKind::BruteForce, "203.0.113.77")
        );
        assert_eq!(finding.severity, crate::Severity::Critical);
        assert_eq!(finding.evidence_count, 31);
        assert_eq!(finding.lines.last(), Some(&31));
        // What the guessed login was used for is evidence too.
        let mut used = lines.clone();
        used.push(line("203.0.113.77", 201, "GET", "/account", 200));
        assert_eq!(
            findings(&used, brute_force_only())[0].lines.last(),
            Some(&32)
        );
        assert!(
            finding.description.contains("30 failed logins"),
            "{}",
            finding.description
        );
        assert!(
            finding.description.contains("successful login at line 31"),
            "{}",
            finding.description
        );
    }

    #[test]
    fn low_and_slow_is_found_and_named() {
        // One failure an hour for a day, re-rendered forms (200 to a POST).
        let lines: Vec<String> = (0..24)
            .map(|i| line("192.0.2.9", i * 3600, "POST", "/wp-login.php", 200))
            .collect();
        let found = findings(&lines, brute_force_only());
        assert_eq!(found.len(), 1);
        assert!(
            found[0].description.contains("low and slow"),
            "{}",
            found[0].description
        );
        assert!(found[0].severity < crate::Severity::Critical);
    }

    #[test]
    fn a_browser_meeting_basic_auth_is_not_brute_force() {
        // A 401 challenge before each visit, then a page and its assets.
        let mut lines = Vec::new();
        for visit in 0..15 {
            let t = visit * 86_400;
            lines.push(line("172.26.1.108", t, "GET", "/", 401));
            for (i, asset) in ["/", "/app.js", "/app.css", "/logo.png", "/data/"]
                .iter()
                .enumerate()
            {
                lines.push(line("172.26.1.108", t + 1 + i as i64, "GET", asset, 200));
            }
        }
        assert!(findings(&lines, brute_force_only()).is_empty());
    }

    /// sshd lines as Debian writes them to auth.log, at `secs` seconds past midnight.
    fn sshd(secs: i64, message: &str) -> String {
        let time = crate::LogTime {
            epoch_secs: 1_704_067_200 + secs,
            offset_secs: 0,
        };
        format!("{} web1 sshd[42]: {message}", time.format("%b %e %H:%M:%S"))
    }

    #[test]
    fn ssh_guessing_counts_each_attempt_once() {
        // Each guess logged three ways: Invalid user, PAM's failure, sshd's Failed password.
        let mut lines = Vec::new();
        for i in 0..12 {
            lines.push(sshd(
                i * 3,
                &format!("Invalid user u{i} from 203.0.113.9 port 4000{i}"),
            ));
            lines.push(sshd(i * 3 + 1, "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9"));
            lines.push(sshd(
                i * 3 + 2,
                &format!(
                    "Failed password for invalid user u{i} from 203.0.113.9 port 4000{i} ssh2"
                ),
            ));
        }
        lines.push(sshd(
            60,
            "Accepted password for u11 from 203.0.113.9 port 40011 ssh2",
        ));
        let found = findings(&lines, brute_force_only());
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .description
                .starts_with("12 failed logins from 203.0.113.9"),
            "{}",
            found[0].description
        );
        assert_eq!(
            found[0].evidence_count, 37,
            "every guess line and the success are evidence"
        );
        assert_eq!(found[0].severity, crate::Severity::Critical);
    }

    #[test]
    fn pam_alone_is_enough_on_older_systems() {
        let lines: Vec<String> = (0..15)
            .map(|i| {
                let time = crate::LogTime { epoch_secs: 1_704_067_200 + i * 2, offset_secs: 0 };
                // Each failure in its own process, as on the real system.
                format!(
                    "{} combo sshd(pam_unix)[{}]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ",
                    time.format("%b %e %H:%M:%S"),
                    19939 + i
                )
            })
            .collect();
        let found = findings(&lines, brute_force_only());
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].client.as_str(), found[0].evidence_count),
            ("218.188.2.4", 15)
        );
    }

    #[test]
    fn issue_22_a_slow_campaign_from_many_sources_is_one_finding() {
        // Six sources, four guesses each over a day, at the same accounts: none alone
        // reaches the threshold.
        let mut lines = Vec::new();
        for source in 0..6 {
            for guess in 0..4 {
                let secs = (source * 4 + guess) * 3_000;
                let user = ["root", "admin", "oracle", "postgres"][guess as usize];
                lines.push(sshd_from(
                    secs,
                    7_000 + source * 10 + guess,
                    &format!(
                        "Failed password for {user} from 198.51.100.{source} port 4{guess}000 ssh2"
                    ),
                ));
            }
        }
        let found = findings(&lines, brute_force_only());
        assert_eq!(found.len(), 1, "{found:#?}");
        let campaign = &found[0];
        assert_eq!(campaign.kind, FindingKind::BruteForce);
        assert_eq!(campaign.client, "6 sources");
        assert_eq!(campaign.evidence_count, 24);
        for source in 0..6 {
            assert!(
                campaign
                    .description
                    .contains(&format!("198.51.100.{source}")),
                "{}",
                campaign.description
            );
        }
        // Two sources are not a campaign.
        lines.retain(|line| line.contains("198.51.100.0 ") || line.contains("198.51.100.1 "));
        assert!(findings(&lines, brute_force_only()).is_empty());
    }

    #[test]
    fn issue_22_key_only_servers_and_enumeration_are_found() {
        // What a key-only server logs: no Failed password, only closed connections.
        let mut lines: Vec<String> = (0..12)
            .map(|i| {
                sshd_from(
                    i * 5,
                    8_000 + i,
                    &format!("Connection closed by authenticating user root 203.0.113.50 port {} [preauth]", 40_000 + i),
                )
            })
            .collect();
        // And an enumeration of invalid users, each told three ways by one process.
        for (i, user) in [
            "admin", "test", "oracle", "ubuntu", "pi", "git", "ftp", "guest", "user", "deploy",
        ]
        .iter()
        .enumerate()
        {
            let pid = 9_000 + i as i64;
            let secs = 100 + i as i64 * 5;
            lines.push(sshd_from(
                secs,
                pid,
                &format!("Invalid user {user} from 192.0.2.60 port 5000{i}"),
            ));
            lines.push(sshd_from(
                secs,
                pid,
                &format!(
                    "Failed password for invalid user {user} from 192.0.2.60 port 5000{i} ssh2"
                ),
            ));
            lines.push(sshd_from(
                secs + 1,
                pid,
                &format!("Disconnected from invalid user {user} 192.0.2.60 port 5000{i} [preauth]"),
            ));
        }
        // And a scanner that never tries.
        for i in 0..11 {
            lines.push(sshd_from(
                300 + i,
                9_500 + i,
                "Did not receive identification string from 198.51.100.70 port 22",
            ));
        }
        let found = findings(&lines, brute_force_only());
        let by_client = |client: &str| {
            found
                .iter()
                .find(|f| f.client == client)
                .map(|f| (f.kind, f.evidence_count))
        };
        assert_eq!(
            by_client("203.0.113.50"),
            Some((FindingKind::BruteForce, 12))
        );
        assert_eq!(
            by_client("192.0.2.60"),
            Some((FindingKind::UserEnumeration, 30))
        );
        assert_eq!(
            by_client("198.51.100.70"),
            Some((FindingKind::LoginProbe, 11))
        );
        let enumeration = found
            .iter()
            .find(|f| f.client == "192.0.2.60")
            .map(|f| f.description.as_str());
        assert!(
            enumeration
                .is_some_and(|d| d.starts_with("10 failed logins") && d.contains("user oracle")),
            "{enumeration:?}"
        );
    }

    /// An sshd line of process `pid`, `secs` seconds past midnight.
    fn sshd_from(secs: i64, pid: i64, message: &str) -> String {
        let time = crate::LogTime {
            epoch_secs: 1_704_067_200 + secs,
            offset_secs: 0,
        };
        format!(
            "{} web1 sshd[{pid}]: {message}",
            time.format("%b %e %H:%M:%S")
        )
    }

    #[test]
    fn a_few_typos_are_not_brute_force() {
        let mut lines: Vec<String> = (0..3)
            .map(|i| line("10.0.0.5", i * 20, "POST", "/login", 200))
            .collect();
        lines.push(line("10.0.0.5", 70, "POST", "/login", 302));
        assert!(findings(&lines, brute_force_only()).is_empty());
    }

    #[test]
    fn login_paths() {
        for path in [
            "/login",
            "/user/login?next=/",
            "/wp-login.php",
            "/api/v1/auth/token",
            "/LOGIN",
            "/login.php",
        ] {
            assert!(is_login_path(path), "{path}");
        }
        for path in [
            "/",
            "/blog/login-tips-for-beginners",
            "/static/login.css.map/x",
            "/authors",
        ] {
            assert!(!is_login_path(path), "{path}");
        }
    }

    #[test]
    fn densest_window_counts_the_busiest_stretch() {
        assert_eq!(densest_window(&[], 60), 0);
        assert_eq!(densest_window(&[0, 10, 20, 100, 110], 60), 3);
        assert_eq!(densest_window(&[0, 60, 120], 60), 1);
    }
}
