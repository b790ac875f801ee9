//! Request floods: one client sending far more requests per minute than clients here do.
//!
//! **What it detects:** a client whose busiest minute holds at least `min_per_minute`
//! requests and sits far above the file's own baseline of per-client busiest minutes
//! (robust z-score over median and MAD), so "far above" means far above this site's
//! normal, not a fixed number.
//!
//! **Why it matters:** floods are denial-of-service attempts, scrapers, or tools run
//! without a rate limit, and they hide other traffic.
//!
//! **Example lines:** 1,500 lines like this in five minutes:
//! ```text
//! 198.51.100.250 - - [12/Mar/2024:13:05:00 +0100] "GET /search?q=boots HTTP/1.1" 200 5120 "-" "Go-http-client/1.1"
//! ```
//!
//! A health check every minute, a crawler, or a busy NAT gateway stays far below both
//! thresholds; their minutes are steady, not bursts. In network flows the same holds for
//! connections per source: a DoS tool opens far more per minute than any host here.

use super::client_map::ClientKey;
use super::window::WindowCounter;
use super::{Detector, score_with_repetition};
use crate::display_text::for_display;
use crate::event::Event;
use crate::figures::group_thousands;
use crate::finding::{Finding, FindingKind};
use crate::robust::RobustBaseline;

/// Tuning for [`FloodDetector`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct FloodOptions {
    /// The fewest requests in one minute that can be a flood, whatever the baseline.
    pub min_per_minute: u32,
    /// How far above the baseline of busiest minutes, in robust z, a client must be.
    pub min_robust_z: f64,
}

impl Default for FloodOptions {
    fn default() -> Self {
        // One heavy page load through a proxy can make 60 requests in a minute (seen in a
        // real Caddy log); 120 is beyond any browser's burst.
        Self {
            min_per_minute: 120,
            min_robust_z: 8.0,
        }
    }
}

/// Finds clients with floods of requests; see the module docs.
#[derive(Debug, Clone)]
pub struct FloodDetector {
    options: FloodOptions,
    minutes: WindowCounter,
    /// Lines per minute-of-hour, to notice timestamps that only resolve hours.
    by_minute_of_hour: [u64; 60],
    /// What the lines count: requests, or flows in a flow CSV.
    unit: &'static str,
}

/// Fewer lines than this say nothing about how fine the timestamps are.
const RESOLUTION_SAMPLE: u64 = 500;

impl FloodDetector {
    /// A detector listing at most `max_evidence_lines` lines per finding.
    pub fn new(options: FloodOptions, max_evidence_lines: usize) -> Self {
        let minutes = WindowCounter::new(60, options.min_per_minute, max_evidence_lines);
        Self {
            options,
            minutes,
            by_minute_of_hour: [0; 60],
            unit: "requests",
        }
    }
}

impl Detector for FloodDetector {
    fn relative_cost(&self) -> u32 {
        2
    }

    fn untracked(&self) -> Option<crate::limits::LeftOut> {
        Some(crate::limits::LeftOut::clients(
            "request floods",
            self.minutes.untracked_lines(),
        ))
    }

    fn observe(&mut self, line_no: u64, event: &Event<'_>, client: &ClientKey<'_>) {
        let time = match event {
            Event::Access(record) => record.time,
            Event::Flow(flow) => {
                self.unit = "flows";
                flow.time
            }
            Event::Syslog(_) => return,
        };
        self.minutes.add(client, line_no, time, true);
        let minute_of_hour = time.epoch_secs.div_euclid(60).rem_euclid(60);
        self.by_minute_of_hour[usize::try_from(minute_of_hour).unwrap_or(0)] += 1;
    }

    fn finish(self: Box<Self>) -> Vec<Finding> {
        // Some logs only keep the hour (rewritten or truncated times): then a "minute" holds
        // an hour of requests, and rates must be per hour to mean anything.
        let unit = self.unit;
        let lines: u64 = self.by_minute_of_hour.iter().sum();
        let busiest_minute = self.by_minute_of_hour.iter().copied().max().unwrap_or(0);
        let hourly = lines >= RESOLUTION_SAMPLE && busiest_minute * 10 >= lines * 9;
        let per_minute = |peak: u32| {
            if hourly {
                f64::from(peak) / 60.0
            } else {
                f64::from(peak)
            }
        };
        let clients: Vec<_> = self.minutes.finish().collect();
        let baseline = RobustBaseline::of(
            clients
                .iter()
                .map(|(_, hot)| per_minute(hot.peak_matches))
                .collect(),
        );
        clients
            .into_iter()
            .filter_map(|(client, hot)| {
                let evidence = hot.evidence?;
                let rate = per_minute(hot.peak_matches);
                let z = baseline.z(rate);
                if z < self.options.min_robust_z || rate < f64::from(self.options.min_per_minute) {
                    return None;
                }
                let score = score_with_repetition(60, evidence.count(), 16);
                let description = format!(
                    "{} {unit} in one minute from {} at the peak, where clients here peak at {:.0} (robust z {:.0}); {} {unit} in its busy minutes",
                    hot.peak_matches,
                    for_display(&client, 64),
                    baseline.median(),
                    z,
                    group_thousands(evidence.count())
                );
                Some(evidence.into_finding(FindingKind::RequestFlood, &client, score, 0.8, description, Vec::new()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DetectionOptions;
    use crate::detect::test_lines::{findings, line, none};

    fn flood_only() -> DetectionOptions {
        DetectionOptions {
            flood: Some(FloodOptions::default()),
            ..none()
        }
    }

    /// Thirty ordinary clients, a few requests a minute each.
    fn ordinary_traffic() -> Vec<String> {
        (0..30)
            .flat_map(|c| {
                (0..20).map(move |i| line(&format!("10.0.1.{c}"), i * 20, "GET", "/", 200))
            })
            .collect()
    }

    #[test]
    fn hundreds_a_minute_from_one_client_is_a_flood() {
        let mut lines = ordinary_traffic();
        lines.extend(
            (0..600).map(|i| line("198.51.100.250", 120 + i / 5, "GET", "/search?q=x", 200)),
        );
        let found = findings(&lines, flood_only());
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].kind, found[0].client.as_str()),
            (FindingKind::RequestFlood, "198.51.100.250")
        );
        assert_eq!(found[0].evidence_count, 600);
    }

    #[test]
    fn timestamps_that_only_keep_the_hour_are_read_per_hour() {
        // Every time rewritten to minute :05, as in some published logs: a client's whole
        // hour lands in one minute.
        let lines: Vec<String> = (0..40)
            .flat_map(|c| (0..24).flat_map(move |h| (0..3).map(move |_| (c, h))))
            .chain((0..100).map(|_| (99, 5)))
            .map(|(c, h)| line(&format!("10.0.5.{c}"), h * 3600 + 300, "GET", "/", 200))
            .collect();
        assert!(findings(&lines, flood_only()).is_empty());
    }

    #[test]
    fn a_steady_monitor_is_not_a_flood() {
        let mut lines = ordinary_traffic();
        lines.extend((0..1440).map(|m| line("192.0.2.10", m * 60, "GET", "/health", 200)));
        assert!(findings(&lines, flood_only()).is_empty());
    }
}
