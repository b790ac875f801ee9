//! Password guessing: many failed logins from one client.
//!
//! **What it detects:** a client failing to log in again and again: HTTP 401s, 403/429 on
//! a login path, or POSTs to a login path that are not redirected on (the usual answer to
//! a wrong password is the login form again). Fast bursts and low-and-slow attempts spread
//! over hours are both reported, and so is a success after the failures.
//!
//! **Why it matters:** credential stuffing and password spraying are the commonest way into
//! a web application, and a success after a run of failures may be a stolen account.
//!
//! **Example lines:**
//! ```text
//! 203.0.113.77 - - [11/Mar/2024:14:20:00 +0100] "POST /login HTTP/1.1" 401 43 "-" "python-requests/2.31.0"
//! 203.0.113.77 - - [11/Mar/2024:14:29:51 +0100] "POST /login HTTP/1.1" 302 0 "-" "python-requests/2.31.0"
//! ```
//!
//! Clients that mostly do other things (a NAT gateway with many users each mistyping once,
//! a browser meeting a basic-auth challenge before every visit) are not reported: failed
//! logins must be most of what the client does.

use super::normalize::normalize_request_text;
use super::{Detector, Evidence, score_with_repetition};
use crate::display_text::for_display;
use crate::figures::human_duration;
use crate::finding::{Finding, FindingKind};
use crate::record::AccessRecord;
use std::collections::HashMap;

/// Tuning for [`BruteForceDetector`].
#[derive(Debug, Clone, PartialEq)]
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

#[derive(Debug)]
struct ClientLogins {
    failures: Option<Evidence>,
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
#[derive(Debug)]
pub struct BruteForceDetector {
    options: BruteForceOptions,
    max_evidence_lines: usize,
    clients: HashMap<Box<str>, ClientLogins>,
}

impl BruteForceDetector {
    /// A detector listing at most `max_evidence_lines` lines per finding.
    pub fn new(options: BruteForceOptions, max_evidence_lines: usize) -> Self {
        Self {
            options,
            max_evidence_lines,
            clients: HashMap::new(),
        }
    }
}

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
    let path = normalize_request_text(target.split('?').next().unwrap_or(target));
    path.split('/').any(|segment| {
        let (stem, extension) = segment.split_once('.').unwrap_or((segment, ""));
        LOGIN_WORDS.contains(&stem)
            && (extension.is_empty() || SCRIPT_EXTENSIONS.contains(&extension))
    })
}

/// What a request says about a login attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attempt {
    NotALogin,
    Failed,
    Succeeded,
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
    fn observe(&mut self, line_no: u64, record: &AccessRecord<'_>) {
        let attempt = classify(record);
        let client = match self.clients.get_mut(record.client) {
            Some(client) => client,
            None if attempt == Attempt::NotALogin => return,
            None => self
                .clients
                .entry(Box::from(record.client))
                .or_insert_with(|| ClientLogins {
                    failures: None,
                    failure_times: Vec::new(),
                    requests: 0,
                    success_after_failures: None,
                    first_use: None,
                }),
        };
        client.requests += 1;
        if let (Some((success_line, success_time)), None) =
            (client.success_after_failures, client.first_use)
            && line_no > success_line
            && record.time.epoch_secs - success_time.epoch_secs <= FIRST_USE_WINDOW_SECS
        {
            client.first_use = Some((line_no, record.time));
        }
        match attempt {
            Attempt::Failed => {
                match &mut client.failures {
                    Some(evidence) => evidence.add(line_no, record.time),
                    None => {
                        client.failures =
                            Some(Evidence::new(line_no, record.time, self.max_evidence_lines))
                    }
                }
                if client.failure_times.len() < MAX_TIMES_PER_CLIENT {
                    client.failure_times.push(record.time.epoch_secs);
                }
            }
            Attempt::Succeeded
                if client.failures.is_some() && client.success_after_failures.is_none() =>
            {
                client.success_after_failures = Some((line_no, record.time));
            }
            Attempt::Succeeded | Attempt::NotALogin => {}
        }
    }

    fn finish(self: Box<Self>) -> Vec<Finding> {
        let options = self.options;
        self.clients
            .into_iter()
            .filter_map(|(client, mut logins)| {
                let mut evidence = logins.failures.take()?;
                let failures = evidence.count();
                let share = failures as f64 / logins.requests.max(1) as f64;
                if failures < options.min_failures || share < options.min_failure_share {
                    return None;
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
                    "{failures} failed logins from {} over {} ({pace}){outcome}",
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
