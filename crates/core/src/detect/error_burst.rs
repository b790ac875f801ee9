//! Error bursts: a client whose requests suddenly keep failing on the server's side.
//!
//! **What it detects:** a five-minute window in which one client gets at least
//! `min_errors` server errors (5xx), and they are most of what it asked for.
//!
//! **Why it matters:** a burst of 5xx is a client triggering a fault, often on purpose
//! (fuzzing an API, exploiting a crash), or a broken integration hammering an endpoint;
//! either way someone should look. Refusals (4xx) are left to the scanning and
//! brute-force detectors, which know what they mean.
//!
//! In application logs and syslog, an error is a line at level `error` or worse, and the
//! "client" is whom the line names (or no one: then the burst is the application's own,
//! an outage). Web servers' error logs call every missing file an error, so there only
//! `crit` and worse count.
//!
//! **Example lines:** 300 lines like this in five minutes:
//! ```text
//! 192.0.2.222 - - [12/Mar/2024:15:20:00 +0100] "POST /api/v1/checkout HTTP/1.1" 500 120 "-" "okhttp/4.12.0"
//! ```

use super::client_map::ClientKey;
use super::window::WindowCounter;
use super::{Detector, score_with_repetition};
use crate::display_text::for_display;
use crate::event::Event;
use crate::figures::{group_thousands, percent};
use crate::finding::{Finding, FindingKind};

/// Tuning for [`ErrorBurstDetector`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ErrorBurstOptions {
    /// Server errors within one window that make a burst.
    pub min_errors: u32,
    /// The least share of the client's requests in that window that failed.
    pub min_error_share: f64,
    /// The window length.
    pub window_secs: i64,
}

impl Default for ErrorBurstOptions {
    fn default() -> Self {
        Self {
            min_errors: 20,
            min_error_share: 0.5,
            window_secs: 300,
        }
    }
}

/// Finds bursts of server errors per client; see the module docs.
#[derive(Debug, Clone)]
pub struct ErrorBurstDetector {
    options: ErrorBurstOptions,
    windows: WindowCounter,
    /// What a match is called in descriptions: server errors, or error lines.
    unit: &'static str,
}

impl ErrorBurstDetector {
    /// A detector listing at most `max_evidence_lines` lines per finding.
    pub fn new(options: ErrorBurstOptions, max_evidence_lines: usize) -> Self {
        let windows =
            WindowCounter::new(options.window_secs, options.min_errors, max_evidence_lines);
        Self {
            options,
            windows,
            unit: "server errors",
        }
    }
}

impl Detector for ErrorBurstDetector {
    fn relative_cost(&self) -> u32 {
        1
    }

    fn untracked(&self) -> Option<crate::limits::LeftOut> {
        Some(crate::limits::LeftOut::clients(
            "error bursts",
            self.windows.untracked_lines(),
        ))
    }

    fn observe(&mut self, line_no: u64, event: &Event<'_>, client: &ClientKey<'_>) {
        let failed = match event {
            Event::Access(record) => record.status >= 500,
            Event::Syslog(record) => {
                self.unit = "error lines";
                let worst_ordinary = if matches!(record.program, "nginx" | "httpd") {
                    2
                } else {
                    3
                };
                record.severity.is_some_and(|s| s <= worst_ordinary)
            }
            Event::Flow(_) => return,
        };
        self.windows.add(client, line_no, event.time(), failed);
    }

    fn finish(self: Box<Self>) -> Vec<Finding> {
        let options = self.options;
        let unit = self.unit;
        self.windows
            .finish()
            .filter_map(|(client, hot)| {
                let evidence = hot.evidence?;
                let share = f64::from(hot.peak_matches) / f64::from(hot.peak_total.max(1));
                if share < options.min_error_share {
                    return None;
                }
                let score = score_with_repetition(50, evidence.count(), 14);
                let who = if &*client == "-" {
                    "naming no client".to_owned()
                } else {
                    format!("for {}", for_display(&client, 64))
                };
                let description = format!(
                    "{} {unit} {who} within {} s at the worst ({} of its lines then); {} in all its bursts",
                    hot.peak_matches,
                    options.window_secs,
                    percent(u64::from(hot.peak_matches), u64::from(hot.peak_total)),
                    group_thousands(evidence.count())
                );
                Some(evidence.into_finding(FindingKind::ErrorBurst, &client, score, 0.75, description, Vec::new()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DetectionOptions;
    use crate::detect::test_lines::{findings, line, none};

    fn bursts_only() -> DetectionOptions {
        DetectionOptions {
            error_burst: Some(ErrorBurstOptions::default()),
            ..none()
        }
    }

    #[test]
    fn hundreds_of_server_errors_in_minutes_are_a_burst() {
        let lines: Vec<String> = (0..200)
            .map(|i| line("192.0.2.222", i, "POST", "/api/v1/checkout", 500))
            .collect();
        let found = findings(&lines, bursts_only());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, FindingKind::ErrorBurst);
        assert_eq!(found[0].evidence_count, 200);
    }

    #[test]
    fn a_few_errors_among_many_requests_are_not() {
        let lines: Vec<String> = (0..400)
            .map(|i| {
                line(
                    "203.0.113.5",
                    i,
                    "GET",
                    "/",
                    if i % 10 == 0 { 502 } else { 200 },
                )
            })
            .collect();
        assert!(findings(&lines, bursts_only()).is_empty());
    }
}
