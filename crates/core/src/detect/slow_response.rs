//! Slow responses: requests that took far longer than that endpoint usually takes.
//!
//! **What it detects:** requests of at least `min_secs` whose time is at least
//! `min_times_baseline` times the usual time of the same endpoint (its path, with numeric
//! and hex id segments folded: `/orders/1234` and `/orders/98` are one endpoint). Needs a
//! log that records the request time (`%D`, `$request_time`); an endpoint needs
//! `min_endpoint_requests` timed requests before its baseline counts.
//!
//! **Why it matters:** a time-based SQL injection (`SLEEP(5)`) shows as a slow response
//! with an ordinary status; so do resource-exhaustion attempts and a backend in trouble.
//!
//! **Example lines:**
//! ```text
//! 203.0.113.88 - - [12/Mar/2024:10:03:07 +0100] "GET /search?q=1'+AND+SLEEP(5)%23 HTTP/1.1" 200 1843 "-" "Mozilla/5.0" 5.013
//! ```

use super::client_map::ClientKey;
use super::log_histogram::Log2Histogram;
use super::{Detector, Evidence, hash_of, score_with_repetition};
use super::{KeyedMap, keyed_map};
use crate::baseline::{Baseline, BaselineUse, EndpointBaseline, MAX_KEYS};
use crate::display_text::for_display;
use crate::event::Event;
use crate::finding::{Finding, FindingKind};
use crate::limits::{MAX_CANDIDATES, MAX_TABLE_KEYS};
use crate::time::LogTime;
use std::collections::HashMap;

/// Tuning for [`SlowResponseDetector`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SlowResponseOptions {
    /// The shortest time that can count as slow, in seconds.
    pub min_secs: f64,
    /// How many times the endpoint's usual time a request must take.
    pub min_times_baseline: f64,
    /// Timed requests an endpoint needs before its baseline counts.
    pub min_endpoint_requests: u64,
}

impl Default for SlowResponseOptions {
    fn default() -> Self {
        Self {
            min_secs: 1.0,
            min_times_baseline: 10.0,
            min_endpoint_requests: 20,
        }
    }
}

/// The endpoint of a target: its path without the query, ids folded to `{id}`.
fn endpoint(target: &str) -> String {
    let path = target.split(['?', '#']).next().unwrap_or(target);
    path.split('/')
        .map(|segment| {
            let is_id = !segment.is_empty()
                && (segment.bytes().all(|b| b.is_ascii_digit())
                    || (segment.len() >= 16
                        && segment.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')));
            if is_id { "{id}" } else { segment }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[derive(Debug, Clone)]
struct Candidate {
    client: Box<str>,
    line_no: u64,
    time: LogTime,
    micros: u64,
    endpoint: String,
}

/// Finds responses far slower than their endpoint's usual; see the module docs.
#[derive(Debug, Clone)]
pub struct SlowResponseDetector {
    options: SlowResponseOptions,
    max_evidence_lines: usize,
    endpoints: KeyedMap<String, Log2Histogram>,
    candidates: Vec<Candidate>,
    /// Slow lines not held, the candidates being full.
    untracked_candidates: u64,
    /// Timed lines of endpoints beyond the [`MAX_TABLE_KEYS`] timed.
    untracked_endpoint_lines: u64,
    /// A baseline's usual times (requests, median µs) by endpoint hash, and its name;
    /// they take precedence over this file's.
    baseline: Option<(UsualTimes, String)>,
}

/// Requests and median response time (µs) by endpoint hash.
type UsualTimes = HashMap<u64, (u64, u64)>;

impl SlowResponseDetector {
    /// A detector listing at most `max_evidence_lines` lines per finding, comparing
    /// with this file's usual times or a baseline's.
    pub fn new(
        options: SlowResponseOptions,
        max_evidence_lines: usize,
        baseline: &BaselineUse,
    ) -> Self {
        Self {
            options,
            max_evidence_lines,
            endpoints: keyed_map(),
            candidates: Vec::new(),
            untracked_candidates: 0,
            untracked_endpoint_lines: 0,
            baseline: baseline.applied().map(|applied| {
                let usual = applied
                    .endpoints
                    .iter()
                    .map(|e| (e.endpoint, (e.requests, e.median_micros)))
                    .collect();
                (usual, applied.describe())
            }),
        }
    }

    /// The usual time of `endpoint` (requests, median µs), and whether the baseline said it.
    fn usual(&self, endpoint: &str) -> Option<(u64, u64, bool)> {
        if let Some((usual, _)) = &self.baseline
            && let Some(&(requests, median)) = usual.get(&hash_of(endpoint))
        {
            return Some((requests, median, true));
        }
        let own = self.endpoints.get(endpoint)?;
        Some((own.count(), own.median(), false))
    }
}

impl Detector for SlowResponseDetector {
    fn untracked(&self) -> Option<crate::limits::LeftOut> {
        Some(if self.untracked_endpoint_lines > 0 {
            crate::limits::LeftOut {
                what: "slow responses".to_owned(),
                kept: MAX_TABLE_KEYS as u64,
                unit: "endpoints".to_owned(),
                left_out: self.untracked_endpoint_lines,
                left_out_what: "timed lines of other endpoints".to_owned(),
            }
        } else {
            crate::limits::LeftOut::candidates(
                "slow responses",
                "slow lines",
                self.untracked_candidates,
            )
        })
    }

    fn observe(&mut self, line_no: u64, event: &Event<'_>, client: &ClientKey<'_>) {
        let Event::Access(record) = event else { return };
        let (Some(secs), Some(target)) = (record.duration_secs, record.target) else {
            return;
        };
        let micros = (secs * 1e6) as u64;
        let endpoint = endpoint(target);
        if secs >= self.options.min_secs && self.candidates.len() >= MAX_CANDIDATES {
            self.untracked_candidates += 1;
        } else if secs >= self.options.min_secs {
            let client = Box::from(client.name());
            self.candidates.push(Candidate {
                client,
                line_no,
                time: record.time,
                micros,
                endpoint: endpoint.clone(),
            });
        }
        if self.endpoints.len() >= MAX_TABLE_KEYS && !self.endpoints.contains_key(&endpoint) {
            self.untracked_endpoint_lines += 1;
            return;
        }
        self.endpoints.entry(endpoint).or_default().add(micros);
    }

    fn finish_learning(self: Box<Self>, baseline: &mut Baseline) -> Vec<Finding> {
        let mut endpoints: Vec<EndpointBaseline> = self
            .endpoints
            .iter()
            .filter(|(_, times)| times.count() >= self.options.min_endpoint_requests)
            .map(|(endpoint, times)| EndpointBaseline {
                endpoint: hash_of(endpoint),
                requests: times.count(),
                median_micros: times.median(),
            })
            .collect();
        endpoints.sort_by(|a, b| {
            b.requests
                .cmp(&a.requests)
                .then(a.endpoint.cmp(&b.endpoint))
        });
        endpoints.truncate(MAX_KEYS);
        baseline.endpoints = endpoints;
        self.finish()
    }

    fn finish(mut self: Box<Self>) -> Vec<Finding> {
        struct Slow {
            evidence: Evidence,
            slowest_micros: u64,
            slowest_endpoint: String,
            usual_micros: u64,
        }
        let mut clients: HashMap<Box<str>, Slow> = HashMap::new();
        let mut judged_by_baseline = false;
        for candidate in std::mem::take(&mut self.candidates) {
            let Some((requests, usual, from_baseline)) = self.usual(&candidate.endpoint) else {
                continue;
            };
            if requests < self.options.min_endpoint_requests
                || (candidate.micros as f64) < self.options.min_times_baseline * usual as f64
            {
                continue;
            }
            judged_by_baseline |= from_baseline;
            match clients.get_mut(&candidate.client) {
                Some(slow) => {
                    slow.evidence.add(candidate.line_no, candidate.time);
                    if candidate.micros > slow.slowest_micros {
                        (
                            slow.slowest_micros,
                            slow.slowest_endpoint,
                            slow.usual_micros,
                        ) = (candidate.micros, candidate.endpoint, usual);
                    }
                }
                None => {
                    let evidence =
                        Evidence::new(candidate.line_no, candidate.time, self.max_evidence_lines);
                    let slow = Slow {
                        evidence,
                        slowest_micros: candidate.micros,
                        slowest_endpoint: candidate.endpoint,
                        usual_micros: usual,
                    };
                    clients.insert(candidate.client, slow);
                }
            }
        }
        let baseline_note = match &self.baseline {
            Some((_, name)) if judged_by_baseline => {
                format!(" (usual times from the baseline learned from {name})")
            }
            _ => String::new(),
        };
        clients
            .into_iter()
            .map(|(client, slow)| {
                let count = slow.evidence.count();
                let description = format!(
                    "{count} {} to {} far slower than usual: up to {:.1} s on {}, which usually takes under {}",
                    if count == 1 { "response" } else { "responses" },
                    for_display(&client, 64),
                    slow.slowest_micros as f64 / 1e6,
                    for_display(&slow.slowest_endpoint, 100),
                    human_micros(slow.usual_micros)
                ) + &baseline_note;
                let score = score_with_repetition(45, count, 12);
                slow.evidence.into_finding(FindingKind::SlowResponse, &client, score, 0.6, description, Vec::new())
            })
            .collect()
    }
}

fn human_micros(micros: u64) -> String {
    if micros >= 1_000_000 {
        format!("{:.1} s", micros as f64 / 1e6)
    } else {
        format!("{} ms", micros.div_ceil(1000))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DetectionOptions;
    use crate::detect::test_lines::{findings, line, none};

    fn slow_only() -> DetectionOptions {
        DetectionOptions {
            slow_response: Some(SlowResponseOptions::default()),
            ..none()
        }
    }

    fn timed(client: &str, secs: i64, target: &str, seconds: f64) -> String {
        format!("{} {seconds:.3}", line(client, secs, "GET", target, 200))
    }

    fn ordinary() -> Vec<String> {
        (0..100)
            .map(|i| {
                timed(
                    &format!("10.0.8.{}", i % 20),
                    i,
                    &format!("/search?q={i}"),
                    0.05 + (i % 7) as f64 * 0.01,
                )
            })
            .collect()
    }

    #[test]
    fn a_sleep_injection_is_a_slow_response() {
        let mut lines = ordinary();
        lines.push(timed(
            "203.0.113.88",
            200,
            "/search?q=1'+AND+SLEEP(5)%23",
            5.013,
        ));
        let found = findings(&lines, slow_only());
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].kind, found[0].client.as_str()),
            (FindingKind::SlowResponse, "203.0.113.88")
        );
        assert!(
            found[0].description.contains("up to 5.0 s on /search"),
            "{}",
            found[0].description
        );
    }

    #[test]
    fn an_endpoint_that_is_always_slow_is_its_own_baseline() {
        let lines: Vec<String> = (0..50)
            .map(|i| {
                timed(
                    &format!("10.0.9.{i}"),
                    i,
                    "/reports/annual",
                    3.0 + (i % 3) as f64,
                )
            })
            .collect();
        assert!(findings(&lines, slow_only()).is_empty());
    }

    #[test]
    fn ids_fold_into_one_endpoint() {
        assert_eq!(
            endpoint("/orders/1234/items/5?x=1"),
            "/orders/{id}/items/{id}"
        );
        assert_eq!(
            endpoint("/u/0f3e9a7c-12ab-4cde-9f00-aa11bb22cc33"),
            "/u/{id}"
        );
        assert_eq!(endpoint("/v2/catalog"), "/v2/catalog");
    }
}
