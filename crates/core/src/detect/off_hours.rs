//! Off-hours access: sensitive pages used at hours when this site is otherwise quiet.
//!
//! **What it detects:** successful requests to administrative or data-export paths
//! (`/admin`, `/manage`, `/export`, `/config`, `/phpmyadmin`…) during the hours that the
//! file's own daily profile shows as quiet: hours with less than `quiet_share` of the
//! busiest hour's traffic, in the log's own time zone. No fixed "9 to 5": a site busy at
//! night has no quiet night.
//!
//! **Why it matters:** a stolen admin account is often used when its owner sleeps.
//!
//! **Example lines:**
//! ```text
//! 203.0.113.15 - ops [11/Mar/2024:03:31:40 +0100] "GET /admin/users HTTP/1.1" 200 6000 "-" "Mozilla/5.0 (iPhone…)"
//! ```

use super::client_map::ClientKey;
use super::normalize::normalize_request_text;
use super::{Detector, Evidence, score_with_repetition, without_query};
use crate::baseline::{Baseline, BaselineUse};
use crate::display_text::for_display;
use crate::event::Event;
use crate::figures::percent;
use crate::finding::{Finding, FindingKind};
use crate::limits::MAX_CANDIDATES;
use crate::time::LogTime;
use std::collections::HashMap;

/// Tuning for [`OffHoursDetector`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct OffHoursOptions {
    /// An hour is quiet when its traffic is below this share of the busiest hour's.
    pub quiet_share: f64,
}

impl Default for OffHoursOptions {
    fn default() -> Self {
        Self { quiet_share: 0.2 }
    }
}

/// Path segments of pages whose use at night deserves a look.
const SENSITIVE_SEGMENTS: [&str; 10] = [
    "admin",
    "administrator",
    "manage",
    "management",
    "export",
    "config",
    "settings",
    "phpmyadmin",
    "wp-admin",
    "console",
];

/// Whether a target's path names a sensitive page, as the server reads it (decoded,
/// any case, backslashes as slashes).
fn is_sensitive(target: &str) -> bool {
    let path = without_query(target);
    if path.bytes().any(|b| matches!(b, b'%' | 0) || b >= 0x80) {
        return names_sensitive_segment(&normalize_request_text(path), b"/");
    }
    // Plain ASCII (most paths): normalising only lower-cases it and turns backslashes
    // into slashes, which the comparison and the split do without a copy.
    names_sensitive_segment(path, b"/\\")
}

/// Whether a segment of `path` (split at the bytes of `separators`), up to its first
/// dot, is one of [`SENSITIVE_SEGMENTS`] in any case. Split by bytes: every separator is
/// ASCII, and splitting by `char` was most of the check's cost.
fn names_sensitive_segment(path: &str, separators: &[u8]) -> bool {
    path.as_bytes()
        .split(|b| separators.contains(b))
        .any(|segment| {
            let name = memchr::memchr(b'.', segment).map_or(segment, |dot| &segment[..dot]);
            SENSITIVE_SEGMENTS
                .iter()
                .any(|sensitive| sensitive.as_bytes().eq_ignore_ascii_case(name))
        })
}

/// The hour of day (0–23) in the line's own offset.
fn local_hour(time: LogTime) -> usize {
    let hour = (time.epoch_secs + i64::from(time.offset_secs))
        .div_euclid(3600)
        .rem_euclid(24);
    usize::try_from(hour).unwrap_or(0)
}

/// Finds sensitive pages used in quiet hours; see the module docs.
#[derive(Debug, Clone)]
pub struct OffHoursDetector {
    options: OffHoursOptions,
    max_evidence_lines: usize,
    requests_by_hour: [u64; 24],
    /// Successful sensitive requests: client, line, time.
    candidates: Vec<(Box<str>, u64, LogTime)>,
    /// Sensitive requests not held, the candidates being full.
    untracked_candidates: u64,
    /// A baseline's requests by hour, and its name: its quiet hours are the ones that count.
    baseline: Option<([u64; 24], String)>,
}

impl OffHoursDetector {
    /// A detector listing at most `max_evidence_lines` lines per finding, with this
    /// file's quiet hours or a baseline's.
    pub fn new(
        options: OffHoursOptions,
        max_evidence_lines: usize,
        baseline: &BaselineUse,
    ) -> Self {
        Self {
            options,
            max_evidence_lines,
            requests_by_hour: [0; 24],
            candidates: Vec::new(),
            untracked_candidates: 0,
            baseline: baseline
                .applied()
                .and_then(|applied| Some((applied.hours?, applied.describe()))),
        }
    }
}

impl Detector for OffHoursDetector {
    fn relative_cost(&self) -> u32 {
        8
    }

    fn untracked(&self) -> Option<crate::limits::LeftOut> {
        Some(crate::limits::LeftOut::candidates(
            "off-hours access",
            "requests to sensitive pages",
            self.untracked_candidates,
        ))
    }

    fn observe(&mut self, line_no: u64, event: &Event<'_>, client: &ClientKey<'_>) {
        let Event::Access(record) = event else { return };
        self.requests_by_hour[local_hour(record.time)] += 1;
        let succeeded = (200..400).contains(&record.status);
        if succeeded && record.target.is_some_and(is_sensitive) {
            if self.candidates.len() >= MAX_CANDIDATES {
                self.untracked_candidates += 1;
            } else {
                self.candidates
                    .push((Box::from(client.name()), line_no, record.time));
            }
        }
    }

    fn finish_learning(self: Box<Self>, baseline: &mut Baseline) -> Vec<Finding> {
        if self.requests_by_hour.iter().any(|&n| n > 0) {
            baseline.hours = Some(self.requests_by_hour);
        }
        self.finish()
    }

    fn finish(self: Box<Self>) -> Vec<Finding> {
        let (by_hour, whose) = match &self.baseline {
            Some((hours, name)) => (*hours, format!(" in the baseline learned from {name}")),
            None => (self.requests_by_hour, String::new()),
        };
        let busiest = by_hour.iter().copied().max().unwrap_or(0);
        let quiet =
            |hour: usize| (by_hour[hour] as f64) < self.options.quiet_share * busiest as f64;
        let mut clients: HashMap<Box<str>, Evidence> = HashMap::new();
        for (client, line_no, time) in self.candidates {
            if !quiet(local_hour(time)) {
                continue;
            }
            match clients.get_mut(&client) {
                Some(evidence) => evidence.add(line_no, time),
                None => {
                    clients.insert(
                        client,
                        Evidence::new(line_no, time, self.max_evidence_lines),
                    );
                }
            }
        }
        clients
            .into_iter()
            .map(|(client, evidence)| {
                let hour = local_hour(evidence.first_seen());
                let description = format!(
                    "{} requests to administrative or export pages from {} at {:02}:00–{:02}:59, an hour with {} of the busiest hour's traffic{whose}",
                    evidence.count(),
                    for_display(&client, 64),
                    hour,
                    hour,
                    percent(by_hour[hour], busiest)
                );
                let score = score_with_repetition(58, evidence.count(), 10);
                evidence.into_finding(FindingKind::OffHours, &client, score, 0.6, description, Vec::new())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DetectionOptions;
    use crate::detect::test_lines::{findings, line, none};

    fn off_hours_only() -> DetectionOptions {
        DetectionOptions {
            off_hours: Some(OffHoursOptions::default()),
            ..none()
        }
    }

    /// Daytime traffic (08:00–19:59 UTC) for a week.
    fn daytime() -> Vec<String> {
        (0..7 * 12 * 20)
            .map(|i| {
                line(
                    &format!("10.0.4.{}", i % 40),
                    (i / 240) * 86_400 + 8 * 3600 + (i % 240) * 180,
                    "GET",
                    "/",
                    200,
                )
            })
            .collect()
    }

    #[test]
    fn the_admin_panel_at_three_in_the_morning_is_flagged() {
        let mut lines = daytime();
        lines.extend((0..3).map(|i| {
            line(
                "203.0.113.15",
                3 * 3600 + 31 * 60 + i * 40,
                "GET",
                "/admin/users",
                200,
            )
        }));
        let found = findings(&lines, off_hours_only());
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].kind, found[0].evidence_count),
            (FindingKind::OffHours, 3)
        );
        assert!(
            found[0].description.contains("03:00–03:59"),
            "{}",
            found[0].description
        );
    }

    #[test]
    fn the_admin_panel_by_day_or_a_refused_one_at_night_is_not() {
        let mut lines = daytime();
        lines.push(line("10.0.4.1", 10 * 3600, "GET", "/admin/users", 200));
        lines.push(line("198.51.100.23", 3 * 3600, "GET", "/admin/", 404));
        assert!(findings(&lines, off_hours_only()).is_empty());
    }

    #[test]
    fn sensitive_paths() {
        assert!(is_sensitive("/admin/users?page=2"));
        assert!(is_sensitive("/wp-admin/"));
        assert!(is_sensitive("/export/customers.csv"));
        assert!(!is_sensitive("/administration-tips"));
        assert!(!is_sensitive("/products/export-license"));
        assert!(is_sensitive("/ADMIN/users"));
        assert!(is_sensitive("/shop\\Wp-Admin\\x"));
        assert!(is_sensitive("/%61dmin/"));
        assert!(is_sensitive("/a/console.php?x=%2f"));
    }

    proptest::proptest! {
        /// The copy-free check of a plain path answers as the check of its normalised text.
        #[test]
        fn plain_paths_are_checked_as_their_normalised_text(
            path in "[/\\\\.;+a-zA-Z-]{0,12}(admin|Config|WP-ADMIN|x)?[/\\\\.;+a-z]{0,8}"
        ) {
            let normalised = normalize_request_text(&path);
            proptest::prop_assert_eq!(
                is_sensitive(&path),
                names_sensitive_segment(&normalised, b"/")
            );
        }
    }
}
