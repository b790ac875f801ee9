//! URL scanning and enumeration: one client asking for many paths that do not exist.
//!
//! **What it detects:** a client whose requests are mostly refused (404, 403, 400, 405,
//! 410) across many distinct paths: a vulnerability scanner, a directory brute-forcer, or
//! someone enumerating IDs.
//!
//! **Why it matters:** scanning precedes exploitation; the paths tried show what the
//! attacker hopes to find, and any that answered 200 may be what they found.
//!
//! **Example lines:**
//! ```text
//! 198.51.100.23 - - [11/Mar/2024:03:12:00 +0100] "GET /.git/config HTTP/1.1" 404 211 "-" "Mozilla/5.00 (Nikto/2.1.6)"
//! 198.51.100.23 - - [11/Mar/2024:03:12:01 +0100] "GET /phpmyadmin/ HTTP/1.1" 404 230 "-" "Mozilla/5.00 (Nikto/2.1.6)"
//! ```
//!
//! A crawler following a few stale links, or a browser missing a favicon, stays well below
//! the thresholds: it takes many distinct missing paths and mostly-refused traffic.

use super::client_map::{ClientKey, ClientMap};
use super::normalize::normalize_request_text;
use super::{Detector, Evidence, TextDigest, score_with_repetition, without_query};
use super::{KeyedSet, keyed_set};
use crate::display_text::for_display;
use crate::event::Event;
use crate::figures::percent;
use crate::finding::{Finding, FindingKind};

/// Tuning for [`ScanningDetector`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ScanningOptions {
    /// Distinct refused paths from one client before it is reported.
    pub min_distinct_refused_paths: usize,
    /// The least share of a client's requests that must have been refused.
    pub min_refused_share: f64,
}

impl Default for ScanningOptions {
    fn default() -> Self {
        Self {
            min_distinct_refused_paths: 20,
            min_refused_share: 0.5,
        }
    }
}

/// Distinct paths remembered per client; past it, the client is a scanner by any measure.
const MAX_PATHS_PER_CLIENT: usize = 4_096;

#[derive(Debug, Clone)]
struct ClientPaths {
    requests: u64,
    refused: Option<Evidence>,
    /// Hashes of the distinct refused paths, without their query strings.
    refused_paths: KeyedSet<u64>,
}

impl Default for ClientPaths {
    fn default() -> Self {
        Self {
            requests: 0,
            refused: None,
            refused_paths: keyed_set(),
        }
    }
}

/// Counts refused paths per client; see the module docs.
#[derive(Debug, Clone)]
pub struct ScanningDetector {
    /// Digests of the texts counted as distinct.
    digest: TextDigest,
    options: ScanningOptions,
    max_evidence_lines: usize,
    clients: ClientMap<ClientPaths>,
}

impl ScanningDetector {
    /// A detector listing at most `max_evidence_lines` lines per finding.
    pub fn new(options: ScanningOptions, max_evidence_lines: usize) -> Self {
        Self {
            digest: TextDigest::default(),
            options,
            max_evidence_lines,
            clients: ClientMap::default(),
        }
    }
}

fn is_refused(status: u16) -> bool {
    matches!(status, 400 | 403 | 404 | 405 | 410 | 414)
}

impl Detector for ScanningDetector {
    fn relative_cost(&self) -> u32 {
        1
    }

    fn untracked(&self) -> Option<crate::limits::LeftOut> {
        Some(crate::limits::LeftOut::clients(
            "URL scanning",
            self.clients.untracked_lines(),
        ))
    }

    fn observe(&mut self, line_no: u64, event: &Event<'_>, client: &ClientKey<'_>) {
        let Event::Access(record) = event else { return };
        let refused = is_refused(record.status);
        // Only clients that have been refused at least once are worth remembering.
        let Some(client) = self
            .clients
            .get_or_insert_if(client, refused, ClientPaths::default)
        else {
            return;
        };
        client.requests += 1;
        if !refused {
            return;
        }
        match &mut client.refused {
            Some(evidence) => evidence.add(line_no, record.time),
            None => {
                client.refused = Some(Evidence::new(line_no, record.time, self.max_evidence_lines))
            }
        }
        if client.refused_paths.len() < MAX_PATHS_PER_CLIENT {
            let target = record.target.unwrap_or(record.request);
            let path = normalize_request_text(without_query(target));
            client.refused_paths.insert(self.digest.of(&path));
        }
    }

    fn finish(self: Box<Self>) -> Vec<Finding> {
        let options = self.options;
        self.clients
            .into_iter()
            .filter_map(|(client, paths)| {
                let evidence = paths.refused?;
                let distinct = paths.refused_paths.len();
                let refused = evidence.count();
                let share = refused as f64 / paths.requests.max(1) as f64;
                if distinct < options.min_distinct_refused_paths
                    || share < options.min_refused_share
                {
                    return None;
                }
                let score = score_with_repetition(52, distinct as u64, 16);
                let confidence = if share >= 0.9 { 0.85 } else { 0.7 };
                let description = format!(
                    "{} distinct paths refused for {} ({} of its {} requests refused)",
                    distinct,
                    for_display(&client, 64),
                    percent(refused, paths.requests),
                    paths.requests
                );
                Some(evidence.into_finding(
                    FindingKind::Scanning,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DetectionOptions;
    use crate::detect::test_lines::{findings, line, none};

    fn scanning_only() -> DetectionOptions {
        DetectionOptions {
            scanning: Some(ScanningOptions::default()),
            ..none()
        }
    }

    #[test]
    fn many_missing_paths_are_a_scan() {
        let lines: Vec<String> = (0..40)
            .map(|i| {
                line(
                    "198.51.100.23",
                    i,
                    "GET",
                    &format!("/probe-{i}.php?x={i}"),
                    404,
                )
            })
            .collect();
        let found = findings(&lines, scanning_only());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, FindingKind::Scanning);
        assert_eq!(found[0].evidence_count, 40);
        assert!(
            found[0]
                .description
                .starts_with("40 distinct paths refused"),
            "{}",
            found[0].description
        );
    }

    #[test]
    fn the_same_missing_path_again_and_again_is_not_a_scan() {
        let lines: Vec<String> = (0..100)
            .map(|i| line("192.0.2.7", i, "GET", "/favicon.ico?v=2", 404))
            .collect();
        assert!(findings(&lines, scanning_only()).is_empty());
    }

    #[test]
    fn a_crawler_with_some_stale_links_is_not_a_scan() {
        let lines: Vec<String> = (0..300)
            .map(|i| {
                let status = if i % 10 == 0 { 404 } else { 200 };
                line("192.0.2.66", i * 30, "GET", &format!("/page/{i}"), status)
            })
            .collect();
        assert!(findings(&lines, scanning_only()).is_empty());
    }
}
