//! Site-wide spikes: minutes when the whole site got far more requests, or far more
//! server errors, than it usually does, without one client to blame.
//!
//! **What it detects:** minutes whose request count is far above the file's own baseline
//! of requests per minute (robust z over median and MAD), and minutes where server errors
//! (5xx) are far above their usual count; in both cases only when no single client made
//! most of that minute's traffic (one client is the per-client flood and error-burst
//! detectors' business). One finding per kind, naming the worst minute, with the client
//! given as `(many clients)`.
//!
//! **Why it matters:** a distributed flood (a botnet, a DDoS) or an outage shows as the
//! whole site spiking, with no one address standing out.
//!
//! **Example:** a minute with 2,400 requests from 600 addresses, where minutes here
//! usually hold 40.
//!
//! Memory follows the number of distinct minutes: per minute, two counts and a three-slot
//! heavy-hitter sketch (Misra-Gries) that says whether one client dominated.

use super::client_map::{ClientKey, MAX_TABLE_KEYS};
use super::{Detector, score_with_repetition};
use super::{KeyedMap, keyed_map};
use crate::event::Event;
use crate::figures::{group_thousands, human_duration};
use crate::finding::{Finding, FindingKind, Severity};
use crate::robust::RobustBaseline;
use crate::time::LogTime;

/// The name findings give as their client: no single one.
pub const MANY_CLIENTS: &str = "(many clients)";

/// Tuning for [`SiteWideDetector`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SiteWideOptions {
    /// How far above the baseline, in robust z, a minute must be.
    pub min_robust_z: f64,
    /// The fewest requests in a minute that can be a traffic spike.
    pub min_requests: u32,
    /// The fewest server errors in a minute that can be an error spike.
    pub min_errors: u32,
    /// The largest share of a spike minute one client may have made.
    pub max_top_client_share: f64,
}

impl Default for SiteWideOptions {
    fn default() -> Self {
        Self {
            min_robust_z: 10.0,
            min_requests: 300,
            min_errors: 50,
            max_top_client_share: 0.5,
        }
    }
}

/// Slots in each minute's heavy-hitter sketch.
const SKETCH_SLOTS: usize = 3;

#[derive(Debug, Clone, Default)]
struct Minute {
    requests: u32,
    errors: u32,
    /// Misra-Gries: (client hash, count) for at most three clients.
    sketch: Vec<(u64, u32)>,
}

impl Minute {
    fn count_client(&mut self, client: u64) {
        if let Some(slot) = self.sketch.iter_mut().find(|(c, _)| *c == client) {
            slot.1 += 1;
        } else if self.sketch.len() < SKETCH_SLOTS {
            self.sketch.push((client, 1));
        } else {
            self.sketch.iter_mut().for_each(|slot| slot.1 -= 1);
            self.sketch.retain(|slot| slot.1 > 0);
        }
    }

    /// At least how many requests the busiest client made this minute (the sketch
    /// undercounts by at most requests / (slots + 1)).
    fn top_client_requests(&self) -> u32 {
        self.sketch.iter().map(|(_, n)| *n).max().unwrap_or(0)
    }
}

/// Finds site-wide traffic and error spikes; see the module docs.
#[derive(Debug, Clone)]
pub struct SiteWideDetector {
    options: SiteWideOptions,
    /// Every minute counted but the current one.
    minutes: KeyedMap<i64, Minute>,
    /// The minute of the last line, out of the map: lines come mostly in time order, and
    /// looking their minute up in the map timed as a tenth of an access log's analysis.
    current: Option<(i64, Minute)>,
    /// Lines in minutes beyond the [`MAX_TABLE_KEYS`] counted.
    untracked_lines: u64,
    offset_secs: Option<i32>,
}

impl SiteWideDetector {
    /// A detector with these options.
    pub fn new(options: SiteWideOptions) -> Self {
        Self {
            options,
            minutes: keyed_map(),
            current: None,
            untracked_lines: 0,
            offset_secs: None,
        }
    }

    /// The minute `key`, taken out of the map to be counted in (the one before put back);
    /// `None` when it is new and the minutes counted are full.
    fn count_in(&mut self, key: i64) -> Option<&mut Minute> {
        if self
            .current
            .as_ref()
            .is_none_or(|(current, _)| *current != key)
        {
            self.put_current();
            let minute = match self.minutes.remove(&key) {
                Some(minute) => minute,
                None if self.minutes.len() >= MAX_TABLE_KEYS => return None,
                None => Minute::default(),
            };
            self.current = Some((key, minute));
        }
        self.current.as_mut().map(|(_, minute)| minute)
    }

    /// Puts the current minute back with the others.
    fn put_current(&mut self) {
        if let Some((key, minute)) = self.current.take() {
            self.minutes.insert(key, minute);
        }
    }

    /// The worst minute by `measure` that is a spike, with its z and the baseline it beat.
    fn worst_minute(
        &self,
        measure: impl Fn(&Minute) -> u32,
        floor: u32,
    ) -> Option<(i64, &Minute, f64, RobustBaseline)> {
        let baseline = RobustBaseline::of(
            self.minutes
                .values()
                .map(|m| f64::from(measure(m)))
                .collect(),
        );
        self.minutes
            .iter()
            .map(|(&minute, counts)| {
                (
                    minute,
                    counts,
                    baseline.z(f64::from(measure(counts))),
                    baseline,
                )
            })
            .filter(|(_, counts, z, _)| {
                let value = measure(counts);
                let one_client = f64::from(counts.top_client_requests())
                    > self.options.max_top_client_share * f64::from(counts.requests);
                value >= floor && *z >= self.options.min_robust_z && !one_client
            })
            .max_by(|a, b| a.2.total_cmp(&b.2).then(b.0.cmp(&a.0)))
    }
}

impl Detector for SiteWideDetector {
    fn relative_cost(&self) -> u32 {
        3
    }

    fn observe(&mut self, _line_no: u64, event: &Event<'_>, client: &ClientKey<'_>) {
        let Event::Access(record) = event else { return };
        self.offset_secs.get_or_insert(record.time.offset_secs);
        let Some(minute) = self.count_in(record.time.epoch_secs.div_euclid(60)) else {
            self.untracked_lines += 1;
            return;
        };
        minute.requests += 1;
        minute.errors += u32::from(record.status >= 500);
        minute.count_client(client.digest());
    }

    fn settle(&mut self) {
        self.put_current();
    }

    fn untracked(&self) -> Option<crate::report::Untracked> {
        Some(crate::report::Untracked {
            what: "site-wide spikes".to_owned(),
            kept: MAX_TABLE_KEYS as u64,
            unit: "minutes".to_owned(),
            left_out: self.untracked_lines,
            left_out_what: "lines of other minutes".to_owned(),
        })
    }

    fn finish(self: Box<Self>) -> Vec<Finding> {
        let offset_secs = self.offset_secs.unwrap_or(0);
        let mut findings = Vec::new();
        if let Some((minute, counts, z, baseline)) =
            self.worst_minute(|m| m.requests, self.options.min_requests)
        {
            let description = format!(
                "{} requests in the minute from {}, with no one client making most of them, where minutes here hold {:.0} (robust z {z:.0})",
                group_thousands(u64::from(counts.requests)),
                LogTime {
                    epoch_secs: minute * 60,
                    offset_secs
                }
                .format("%Y-%m-%d %H:%M"),
                baseline.median()
            );
            let score = score_with_repetition(60, u64::from(counts.requests) / 60, 15);
            findings.push(site_finding(
                FindingKind::TrafficSpike,
                minute,
                offset_secs,
                counts.requests,
                score,
                description,
            ));
        }
        if let Some((minute, counts, z, _)) =
            self.worst_minute(|m| m.errors, self.options.min_errors)
        {
            let description = format!(
                "{} server errors across the site in the minute from {} ({} of its {} requests), with no one client to blame (robust z {z:.0}); an outage, or a distributed attack on a fault",
                group_thousands(u64::from(counts.errors)),
                LogTime {
                    epoch_secs: minute * 60,
                    offset_secs
                }
                .format("%Y-%m-%d %H:%M"),
                crate::figures::percent(u64::from(counts.errors), u64::from(counts.requests)),
                group_thousands(u64::from(counts.requests)),
            );
            let score = score_with_repetition(55, u64::from(counts.errors) / 20, 15);
            findings.push(site_finding(
                FindingKind::ErrorSpike,
                minute,
                offset_secs,
                counts.errors,
                score,
                description,
            ));
        }
        findings
    }
}

fn site_finding(
    kind: FindingKind,
    minute: i64,
    offset_secs: i32,
    count: u32,
    score: u8,
    description: String,
) -> Finding {
    let start = LogTime {
        epoch_secs: minute * 60,
        offset_secs,
    };
    let end = LogTime {
        epoch_secs: minute * 60 + 59,
        offset_secs,
    };
    Finding {
        kind,
        severity: Severity::from_score(score),
        score,
        confidence: 0.7,
        client: MANY_CLIENTS.to_owned(),
        first_seen: start,
        last_seen: end,
        // Every line of a busy minute would be thousands; the chart shows the minute.
        lines: Vec::new(),
        evidence_count: u64::from(count),
        description: format!("{description} (spike lasting {})", human_duration(60)),
        contributions: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DetectionOptions;
    use crate::detect::test_lines::{findings, line, none};

    fn site_only() -> DetectionOptions {
        DetectionOptions {
            site_wide: Some(SiteWideOptions::default()),
            ..none()
        }
    }

    /// A day of calm traffic: a few requests a minute.
    fn calm() -> Vec<String> {
        (0..1440 * 4)
            .map(|i| {
                line(
                    &format!("10.0.10.{}", i % 50),
                    (i / 4) * 60 + i % 4,
                    "GET",
                    "/",
                    200,
                )
            })
            .collect()
    }

    #[test]
    fn a_distributed_flood_is_a_traffic_spike() {
        let mut lines = calm();
        lines.extend((0..2400).map(|i| {
            line(
                &format!("203.0.{}.{}", i / 250, i % 250),
                600 * 60 + i % 60,
                "GET",
                "/",
                200,
            )
        }));
        let found = findings(&lines, site_only());
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            (
                found[0].kind,
                found[0].client.as_str(),
                found[0].evidence_count
            ),
            (FindingKind::TrafficSpike, MANY_CLIENTS, 2404)
        );
        assert!(
            found[0].description.contains("10:00"),
            "{}",
            found[0].description
        );
    }

    #[test]
    fn one_client_flooding_is_left_to_the_flood_detector() {
        let mut lines = calm();
        lines.extend((0..2400).map(|i| line("198.51.100.250", 600 * 60 + i % 60, "GET", "/", 200)));
        assert!(findings(&lines, site_only()).is_empty());
    }

    #[test]
    fn an_outage_is_an_error_spike() {
        let mut lines = calm();
        lines.extend((0..400).map(|i| {
            line(
                &format!("10.0.11.{}", i % 200),
                700 * 60 + i % 60,
                "GET",
                "/",
                503,
            )
        }));
        let found = findings(&lines, site_only());
        let kinds: Vec<FindingKind> = found.iter().map(|f| f.kind).collect();
        assert!(kinds.contains(&FindingKind::ErrorSpike), "{found:#?}");
    }

    #[test]
    fn a_minute_come_back_to_keeps_its_counts_and_a_full_table_takes_no_new_one() {
        let mut detector = SiteWideDetector::new(SiteWideOptions::default());
        let count = |detector: &mut SiteWideDetector, key: i64| {
            detector
                .count_in(key)
                .map(|minute| minute.requests += 1)
                .is_some()
        };
        for key in 0..MAX_TABLE_KEYS as i64 {
            assert!(count(&mut detector, key), "minute {key}");
        }
        // Minute 5 again, out of order, then one past the limit, then 5 once more.
        assert!(count(&mut detector, 5));
        assert!(!count(&mut detector, MAX_TABLE_KEYS as i64));
        assert!(count(&mut detector, 5));
        detector.settle();
        assert_eq!(detector.minutes.len(), MAX_TABLE_KEYS);
        assert_eq!(detector.minutes[&5].requests, 3);
        assert_eq!(detector.minutes[&6].requests, 1);
        assert!(!detector.minutes.contains_key(&(MAX_TABLE_KEYS as i64)));
    }

    #[test]
    fn the_sketch_finds_a_dominant_client() {
        let mut minute = Minute::default();
        for i in 0..100u64 {
            minute.requests += 1;
            minute.count_client(if i % 4 == 0 { i } else { 7 });
        }
        // Client 7 made 75 of 100; the sketch undercounts by at most 100 / 4.
        assert!(minute.top_client_requests() >= 50);
    }
}
