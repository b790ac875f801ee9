//! What a detector reports: one incident, about one client, with its evidence.
//!
//! A finding is what an analyst reads in the table, so it carries everything needed to
//! judge it without opening the file: what (`kind`), who (`client`), when, how bad
//! (`score`, `severity`), how sure (`confidence`), why (`description`, `contributions`)
//! and the proof (`lines`).

use crate::time::LogTime;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of attack or oddity a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// `../` sequences reaching outside the web root.
    PathTraversal,
    /// Requests for secrets and internals: `/.env`, `/.git/`, backups, admin consoles.
    SensitiveFileProbe,
    /// SQL fragments in the request.
    SqlInjection,
    /// Script or event-handler markup in the request, referer or user agent.
    Xss,
    /// Shell commands in the request.
    CommandInjection,
    /// `${jndi:` lookups (CVE-2021-44228) anywhere in the request.
    #[serde(rename = "log4shell")]
    Log4Shell,
    /// A user agent of a known scanner or attack tool.
    ScannerUserAgent,
    /// Many failed logins from one client.
    BruteForce,
    /// Many accounts tried from one client, most of which do not exist.
    UserEnumeration,
    /// Many connections to a login service that left before trying an account.
    LoginProbe,
    /// A login that worked, then commands, downloads or tunnels (a honeypot's session).
    Intrusion,
    /// Internet background noise: handshakes on the wrong port, proxy checks, mass and
    /// research scanners, one-shot exploit probes.
    BackgroundNoise,
    /// Many distinct paths, mostly not found, from one client.
    Scanning,
    /// Probes of many ports of one host, or of one port on many hosts (network flows).
    PortScan,
    /// Far more requests per minute than clients here send.
    RequestFlood,
    /// Responses far larger than that kind of request returns.
    DataExfiltration,
    /// Sensitive pages used in the site's quiet hours.
    OffHours,
    /// A burst of server errors for one client.
    ErrorBurst,
    /// Responses far slower than their endpoint's usual.
    SlowResponse,
    /// The whole site far busier than usual, with no one client to blame.
    TrafficSpike,
    /// Server errors across the site far above usual, with no one client to blame.
    ErrorSpike,
    /// A client whose behaviour the Isolation Forest finds unlike the others'.
    AnomalousClient,
    /// Lines the Isolation Forest finds unlike the rest of the file.
    AnomalousLines,
    /// Lines that passed a rule someone wrote.
    CustomRule,
    /// Lines that matched a Sigma rule (SigmaHQ's shared detections).
    SigmaRule,
    /// Flows a classifier trained on labelled traffic calls attacks.
    ClassifiedAttack,
}

impl FindingKind {
    /// Every kind, in the order reports list them.
    pub const ALL: [FindingKind; 26] = [
        FindingKind::Intrusion,
        FindingKind::Log4Shell,
        FindingKind::CommandInjection,
        FindingKind::SqlInjection,
        FindingKind::PathTraversal,
        FindingKind::Xss,
        FindingKind::DataExfiltration,
        FindingKind::BruteForce,
        FindingKind::UserEnumeration,
        FindingKind::RequestFlood,
        FindingKind::TrafficSpike,
        FindingKind::ErrorSpike,
        FindingKind::OffHours,
        FindingKind::Scanning,
        FindingKind::PortScan,
        FindingKind::ErrorBurst,
        FindingKind::SlowResponse,
        FindingKind::SensitiveFileProbe,
        FindingKind::ScannerUserAgent,
        FindingKind::LoginProbe,
        FindingKind::BackgroundNoise,
        FindingKind::AnomalousClient,
        FindingKind::AnomalousLines,
        FindingKind::CustomRule,
        FindingKind::SigmaRule,
        FindingKind::ClassifiedAttack,
    ];

    /// The stable machine name used in JSON, CSV and the page's `data-kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::PathTraversal => "path_traversal",
            FindingKind::SensitiveFileProbe => "sensitive_file_probe",
            FindingKind::SqlInjection => "sql_injection",
            FindingKind::Xss => "xss",
            FindingKind::CommandInjection => "command_injection",
            FindingKind::Log4Shell => "log4shell",
            FindingKind::ScannerUserAgent => "scanner_user_agent",
            FindingKind::BruteForce => "brute_force",
            FindingKind::UserEnumeration => "user_enumeration",
            FindingKind::LoginProbe => "login_probe",
            FindingKind::Intrusion => "intrusion",
            FindingKind::BackgroundNoise => "background_noise",
            FindingKind::Scanning => "scanning",
            FindingKind::PortScan => "port_scan",
            FindingKind::RequestFlood => "request_flood",
            FindingKind::DataExfiltration => "data_exfiltration",
            FindingKind::OffHours => "off_hours",
            FindingKind::ErrorBurst => "error_burst",
            FindingKind::SlowResponse => "slow_response",
            FindingKind::TrafficSpike => "traffic_spike",
            FindingKind::ErrorSpike => "error_spike",
            FindingKind::AnomalousClient => "anomalous_client",
            FindingKind::AnomalousLines => "anomalous_lines",
            FindingKind::CustomRule => "custom_rule",
            FindingKind::SigmaRule => "sigma_rule",
            FindingKind::ClassifiedAttack => "classified_attack",
        }
    }

    /// Whether findings of this kind are Low by nature, reported so that nothing is
    /// dropped in silence rather than because they need an answer.
    pub fn is_low_by_nature(self) -> bool {
        matches!(self, FindingKind::BackgroundNoise | FindingKind::LoginProbe)
    }

    /// Whether a finding of this kind is an episode (an outage, a spike, a flood, a burst
    /// of errors: its evidence is the busy stretch) drawn as a span from its first to its
    /// last time, rather than a moment.
    pub fn is_episode(self) -> bool {
        matches!(
            self,
            FindingKind::TrafficSpike
                | FindingKind::ErrorSpike
                | FindingKind::RequestFlood
                | FindingKind::ErrorBurst
        )
    }

    /// A short name for people.
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::PathTraversal => "Path traversal",
            FindingKind::SensitiveFileProbe => "Sensitive file probe",
            FindingKind::SqlInjection => "SQL injection",
            FindingKind::Xss => "Cross-site scripting",
            FindingKind::CommandInjection => "Command injection",
            FindingKind::Log4Shell => "Log4Shell",
            FindingKind::ScannerUserAgent => "Scanner user agent",
            FindingKind::BruteForce => "Brute force",
            FindingKind::UserEnumeration => "User enumeration",
            FindingKind::LoginProbe => "Login probing",
            FindingKind::Intrusion => "Intrusion",
            FindingKind::BackgroundNoise => "Background noise",
            FindingKind::Scanning => "Scanning",
            FindingKind::PortScan => "Port scan",
            FindingKind::RequestFlood => "Request flood",
            FindingKind::DataExfiltration => "Data exfiltration",
            FindingKind::OffHours => "Off-hours access",
            FindingKind::ErrorBurst => "Error burst",
            FindingKind::SlowResponse => "Slow response",
            FindingKind::TrafficSpike => "Traffic spike",
            FindingKind::ErrorSpike => "Error spike",
            FindingKind::AnomalousClient => "Unusual client",
            FindingKind::AnomalousLines => "Unusual lines",
            FindingKind::CustomRule => "Custom rule",
            FindingKind::SigmaRule => "Sigma rule",
            FindingKind::ClassifiedAttack => "Classified attack",
        }
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How urgent a finding is; derived from its score (see [`Severity::from_score`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Score below 40: worth a look when time allows.
    Low,
    /// Score 40 to 64: unusual, probably hostile, unlikely to have succeeded.
    Medium,
    /// Score 65 to 84: an attack, or an oddity that needs an answer today.
    High,
    /// Score 85 and above: an attack that may have worked, or one that never should.
    Critical,
}

impl Severity {
    /// Every severity, worst first.
    pub const WORST_FIRST: [Severity; 4] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];

    /// The bands: Critical ≥ 85, High ≥ 65, Medium ≥ 40, Low below.
    pub fn from_score(score: u8) -> Self {
        match score {
            85.. => Severity::Critical,
            65..=84 => Severity::High,
            40..=64 => Severity::Medium,
            _ => Severity::Low,
        }
    }

    /// The stable machine name used in JSON, CSV, flags and `data-severity`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().as_str() {
            "low" => Ok(Severity::Low),
            "medium" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            "critical" => Ok(Severity::Critical),
            _ => Err(format!(
                "\"{text}\" is not a severity (low, medium, high, critical)"
            )),
        }
    }
}

/// How much one feature pushed a model's score, for findings a model made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// The feature's name, e.g. `distinct_paths`.
    pub feature: String,
    /// Its share of the score; the contributions of a finding add up to 1.
    pub weight: f64,
}

/// One incident: a kind of attack or oddity, from one client, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// What it is.
    pub kind: FindingKind,
    /// How urgent, from `score`.
    pub severity: Severity,
    /// How bad, 0 to 100.
    pub score: u8,
    /// How sure the detector is that this is real, 0 to 1.
    pub confidence: f64,
    /// Who: the client address (or user or host, for logs without one).
    pub client: String,
    /// The first evidence line's time.
    pub first_seen: LogTime,
    /// The last evidence line's time.
    pub last_seen: LogTime,
    /// 1-based line numbers of the evidence, in file order (at most
    /// `AnalysisOptions::max_evidence_lines` of them).
    pub lines: Vec<u64>,
    /// How many lines are evidence, including any not listed in `lines`.
    pub evidence_count: u64,
    /// One sentence with the numbers behind the finding.
    pub description: String,
    /// Per-feature shares of the score, when a model made the finding.
    pub contributions: Vec<Contribution>,
}

impl Finding {
    /// The listed evidence lines on page `page` (0-based) of `per_page` lines, in file
    /// order; the first page also holds every listed line the description names ("then a
    /// successful login at line 2557"), so what a finding says is always in view.
    pub fn evidence_page(&self, page: usize, per_page: usize) -> Vec<u64> {
        let mut lines: Vec<u64> = self
            .lines
            .iter()
            .skip(page.saturating_mul(per_page))
            .take(per_page)
            .copied()
            .collect();
        if page == 0 {
            for named in lines_named(&self.description) {
                if self.lines.binary_search(&named).is_ok() && !lines.contains(&named) {
                    lines.push(named);
                }
            }
            lines.sort_unstable();
        }
        lines
    }

    /// How many pages of `per_page` listed lines the evidence fills (at least one).
    pub fn evidence_pages(&self, per_page: usize) -> usize {
        self.lines.len().div_ceil(per_page.max(1)).max(1)
    }
}

/// The line numbers a description names: each number after `line `.
fn lines_named(description: &str) -> Vec<u64> {
    description
        .match_indices("line ")
        .filter_map(|(at, marker)| {
            let digits: String = description[at + marker.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_22_the_line_a_description_names_is_on_the_first_page() {
        let time = LogTime {
            epoch_secs: 0,
            offset_secs: 0,
        };
        let finding = Finding {
            kind: FindingKind::BruteForce,
            severity: Severity::Critical,
            score: 90,
            confidence: 0.9,
            client: "203.0.113.77".into(),
            first_seen: time,
            last_seen: time,
            lines: (1..=62).chain([2557]).collect(),
            evidence_count: 63,
            description: "62 failed logins, then a successful login at line 2557".into(),
            contributions: vec![],
        };
        let first = finding.evidence_page(0, 50);
        assert_eq!(first.len(), 51);
        assert_eq!(first.last(), Some(&2557));
        assert_eq!(
            finding.evidence_page(1, 50),
            (51..=62).chain([2557]).collect::<Vec<_>>()
        );
        assert_eq!(finding.evidence_pages(50), 2);
        assert!(finding.evidence_page(2, 50).is_empty());
    }

    #[test]
    fn severity_bands() {
        let bands: Vec<Severity> = [0, 39, 40, 64, 65, 84, 85, 100]
            .into_iter()
            .map(Severity::from_score)
            .collect();
        use Severity::*;
        assert_eq!(
            bands,
            [Low, Low, Medium, Medium, High, High, Critical, Critical]
        );
    }

    #[test]
    fn severities_parse_and_order() {
        assert_eq!("HIGH".parse(), Ok(Severity::High));
        assert!(
            "severe"
                .parse::<Severity>()
                .unwrap_err()
                .contains("not a severity")
        );
        assert!(Severity::Critical > Severity::High && Severity::Medium > Severity::Low);
    }

    #[test]
    fn serialised_names_are_the_machine_names() {
        for kind in FindingKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        for severity in [
            Severity::Low,
            Severity::Medium,
            Severity::High,
            Severity::Critical,
        ] {
            assert_eq!(
                serde_json::to_string(&severity).unwrap(),
                format!("\"{severity}\"")
            );
        }
    }

    #[test]
    fn every_kind_is_listed_once_with_a_distinct_name() {
        let names: std::collections::HashSet<&str> =
            FindingKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(names.len(), FindingKind::ALL.len());
    }
}
