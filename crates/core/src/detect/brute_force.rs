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

use super::client_map::{ClientKey, ClientMap};
use super::normalize::normalize_request_text;
use super::{Detector, Evidence, score_with_repetition, without_query};
use crate::display_text::for_display;
use crate::event::{AuthOutcome, Event};
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

#[derive(Debug, Clone)]
struct ClientLogins {
    /// Failed attempts and probes, as evidence.
    failures: Option<Evidence>,
    /// Failed attempts only: what the thresholds count.
    failed: u64,
    /// PAM's failures, counted apart: the attempts are the larger of the two tallies.
    pam_failed: u64,
    /// When PAM's failures happened, for when they are the larger tally.
    pam_times: Vec<i64>,
    failure_times: Vec<i64>,
    /// Every request from the client since its first login event: a browser meeting a
    /// basic-auth challenge fails once, then browses; a guesser does little else.
    requests: u64,
    /// The first success after at least one failure: line and time.
    success_after_failures: Option<(u64, crate::LogTime)>,
    /// The client's next request after that success, if soon: what it did with the account.
    first_use: Option<(u64, crate::LogTime)>,
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
enum Attempt {
    NotALogin,
    Failed,
    /// Evidence of guessing that is not itself an attempt (sshd's `Invalid user`).
    Probed,
    /// PAM's account of a failure, which may repeat sshd's.
    PamFailed,
    Succeeded,
}

fn classify_event(event: &Event<'_>) -> Attempt {
    match event {
        Event::Access(record) => classify(record),
        Event::Syslog(record) => match record.auth.map(|auth| auth.outcome) {
            Some(AuthOutcome::Failed) => Attempt::Failed,
            Some(AuthOutcome::PamFailed) => Attempt::PamFailed,
            Some(AuthOutcome::InvalidUser) => Attempt::Probed,
            Some(AuthOutcome::Accepted) => Attempt::Succeeded,
            None => Attempt::NotALogin,
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

fn classify(record: &AccessRecord<'_>) -> Attempt {
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

    fn untracked(&self) -> Option<crate::report::Untracked> {
        Some(crate::report::Untracked::clients(
            "password guessing",
            self.clients.untracked_lines(),
        ))
    }

    fn observe(&mut self, line_no: u64, event: &Event<'_>, client: &ClientKey<'_>) {
        let attempt = classify_event(event);
        self.flows |= matches!(event, Event::Flow(_));
        let time = event.time();
        let a_login = attempt != Attempt::NotALogin;
        let Some(client) = self
            .clients
            .get_or_insert_if(client, a_login, || ClientLogins {
                failures: None,
                failed: 0,
                pam_failed: 0,
                pam_times: Vec::new(),
                failure_times: Vec::new(),
                requests: 0,
                success_after_failures: None,
                first_use: None,
            })
        else {
            return;
        };
        // Probes and PAM's reports retell an attempt counted on another line.
        if !matches!(attempt, Attempt::Probed | Attempt::PamFailed) {
            client.requests += 1;
        }
        if let (Some((success_line, success_time)), None) =
            (client.success_after_failures, client.first_use)
            && line_no > success_line
            && time.epoch_secs - success_time.epoch_secs <= FIRST_USE_WINDOW_SECS
        {
            client.first_use = Some((line_no, time));
        }
        if matches!(
            attempt,
            Attempt::Failed | Attempt::Probed | Attempt::PamFailed
        ) {
            match &mut client.failures {
                Some(evidence) => evidence.add(line_no, time),
                None => {
                    client.failures = Some(Evidence::new(line_no, time, self.max_evidence_lines))
                }
            }
        }
        match attempt {
            Attempt::Failed => {
                client.failed += 1;
                if client.failure_times.len() < MAX_TIMES_PER_CLIENT {
                    client.failure_times.push(time.epoch_secs);
                }
            }
            Attempt::PamFailed => {
                client.pam_failed += 1;
                if client.pam_times.len() < MAX_TIMES_PER_CLIENT {
                    client.pam_times.push(time.epoch_secs);
                }
            }
            Attempt::Succeeded
                if client.failed.max(client.pam_failed) > 0
                    && client.success_after_failures.is_none() =>
            {
                client.success_after_failures = Some((line_no, time));
            }
            Attempt::Probed => {}
            Attempt::Succeeded | Attempt::NotALogin => {}
        }
    }

    fn finish(self: Box<Self>) -> Vec<Finding> {
        let options = self.options;
        let attempts = if self.flows {
            "connections to login services"
        } else {
            "failed logins"
        };
        self.clients
            .into_iter()
            .filter_map(|(client, mut logins)| {
                let mut evidence = logins.failures.take()?;
                let failures = logins.failed.max(logins.pam_failed);
                let share = failures as f64 / logins.requests.max(1) as f64;
                if failures < options.min_failures || share < options.min_failure_share {
                    return None;
                }
                // The times of whichever tally counts the attempts.
                if logins.pam_failed > logins.failed {
                    logins.failure_times = std::mem::take(&mut logins.pam_times);
                }
                logins.failure_times.sort_unstable();
                let burst = densest_window(&logins.failure_times, options.burst_window_secs);
                let spread_secs =
                    evidence.last_seen().epoch_secs - evidence.first_seen().epoch_secs;
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
                    evidence.add(line_no, time);
                    if let Some((used_line, used_at)) = logins.first_use {
                        evidence.add(used_line, used_at);
                    }
                    score = score.max(90);
                    confidence += 0.1;
                    outcome = format!(", then a successful login at line {line_no}");
                }
                let description = format!(
                    "{failures} {attempts} from {} over {} ({pace}){outcome}",
                    for_display(&client, 64),
                    human_duration(spread_secs),
                );
                Some(evidence.into_finding(
                    FindingKind::BruteForce,
                    &client,
                    score,
                    confidence,
                    description,
                    Vec::new(),
                ))
            })
            .collect()
    }
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
                format!(
                    "{} combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ",
                    time.format("%b %e %H:%M:%S")
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
