//! Site-wide spikes: minutes when the whole site got far more requests, or far more
//! server errors, than it usually does, without one client to blame.
//!
//! **What it detects:** minutes whose request count is far above the file's own baseline
//! of requests per minute (robust z over median and MAD), and minutes where server errors
//! (5xx) are far above their usual count; in both cases only when no single client made
//! most of that minute's traffic (one client is the per-client flood and error-burst
//! detectors' business). Each is reported as an episode: the run of minutes around the
//! spike that stayed well above usual, from its first to its last minute, with the client
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

use super::client_map::ClientKey;
use super::{Detector, score_with_repetition};
use super::{KeyedMap, keyed_map};
use crate::event::Event;
use crate::figures::{group_thousands, human_duration};
use crate::finding::{Finding, FindingKind, Severity};
use crate::limits::MAX_TABLE_KEYS;
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
    /// The minute of the last line, out of the map: lines come mostly in time order, so
    /// most need no lookup at all.
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

    /// The episodes of `measure`: runs of minutes well above the baseline (gaps of up to
    /// [`EPISODE_GAP_MINUTES`] quiet minutes allowed) that hold at least one spike minute
    /// (at least `floor`, far above the baseline, not one client's doing); the worst
    /// [`MAX_EPISODES`] by their peak.
    fn episodes(&self, measure: impl Fn(&Minute) -> u32, floor: u32) -> Vec<Episode> {
        let baseline = RobustBaseline::of(
            self.minutes
                .values()
                .map(|m| f64::from(measure(m)))
                .collect(),
        );
        let mut minutes: Vec<(i64, &Minute)> = self.minutes.iter().map(|(&k, m)| (k, m)).collect();
        minutes.sort_unstable_by_key(|(minute, _)| *minute);
        let spike = |m: &Minute| {
            let one_client = f64::from(m.top_client_requests())
                > self.options.max_top_client_share * f64::from(m.requests);
            measure(m) >= floor
                && baseline.z(f64::from(measure(m))) >= self.options.min_robust_z
                && !one_client
        };
        // Part of an episode: well above usual, if not a spike on its own.
        let raised = |m: &Minute| {
            measure(m) >= (floor / 10).max(2)
                && baseline.z(f64::from(measure(m))) >= self.options.min_robust_z / 4.0
        };
        let mut episodes: Vec<Episode> = Vec::new();
        let mut open: Option<Episode> = None;
        for (minute, counts) in minutes {
            if !raised(counts) {
                continue;
            }
            let value = u64::from(measure(counts));
            let z = baseline.z(value as f64);
            let continues = open
                .as_ref()
                .is_some_and(|e| minute - e.end_minute <= EPISODE_GAP_MINUTES + 1);
            if !continues && let Some(done) = open.take() {
                episodes.push(done);
            }
            let episode = open.get_or_insert(Episode {
                start_minute: minute,
                end_minute: minute,
                total: 0,
                requests: 0,
                peak_minute: minute,
                peak: 0,
                peak_z: f64::MIN,
                spikes: 0,
                baseline: baseline.median(),
            });
            episode.end_minute = minute;
            episode.total += value;
            episode.requests += u64::from(counts.requests);
            episode.spikes += u32::from(spike(counts));
            if z > episode.peak_z {
                (episode.peak_minute, episode.peak, episode.peak_z) = (minute, value, z);
            }
        }
        episodes.extend(open);
        episodes.retain(|e| e.spikes > 0);
        episodes.sort_by(|a, b| {
            b.peak_z
                .total_cmp(&a.peak_z)
                .then(a.start_minute.cmp(&b.start_minute))
        });
        episodes.truncate(MAX_EPISODES);
        episodes
    }
}

/// Quiet minutes an episode may hold and still be one.
const EPISODE_GAP_MINUTES: i64 = 2;

/// The most episodes of each kind reported.
const MAX_EPISODES: usize = 50;

/// A stretch of minutes the site spent far above its usual, around at least one spike.
#[derive(Debug, Clone)]
struct Episode {
    start_minute: i64,
    end_minute: i64,
    /// What was measured (requests or errors), over the episode.
    total: u64,
    /// Requests over the episode.
    requests: u64,
    peak_minute: i64,
    peak: u64,
    peak_z: f64,
    /// Minutes that were spikes on their own.
    spikes: u32,
    /// The usual per minute.
    baseline: f64,
}

impl Episode {
    fn minutes(&self) -> i64 {
        self.end_minute - self.start_minute + 1
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

    fn untracked(&self) -> Option<crate::limits::LeftOut> {
        Some(crate::limits::LeftOut {
            what: "site-wide spikes".to_owned(),
            kept: MAX_TABLE_KEYS as u64,
            unit: "minutes".to_owned(),
            left_out: self.untracked_lines,
            left_out_what: "lines of other minutes".to_owned(),
        })
    }

    fn finish(self: Box<Self>) -> Vec<Finding> {
        let offset_secs = self.offset_secs.unwrap_or(0);
        let at = |minute: i64| {
            LogTime {
                epoch_secs: minute * 60,
                offset_secs,
            }
            .format("%Y-%m-%d %H:%M")
        };
        let mut findings = Vec::new();
        for episode in self.episodes(|m| m.requests, self.options.min_requests) {
            let description = format!(
                "{} requests across the site from {} to {} ({}), with no one client making most of them, peaking at {} in the minute from {} where minutes here hold {:.0} (robust z {:.0})",
                group_thousands(episode.total),
                at(episode.start_minute),
                at(episode.end_minute),
                human_duration(episode.minutes() * 60),
                group_thousands(episode.peak),
                at(episode.peak_minute),
                episode.baseline,
                episode.peak_z,
            );
            let score = score_with_repetition(60, episode.peak / 60, 15);
            findings.push(site_finding(
                FindingKind::TrafficSpike,
                &episode,
                offset_secs,
                score,
                description,
            ));
        }
        for episode in self.episodes(|m| m.errors, self.options.min_errors) {
            let description = format!(
                "{} server errors across the site from {} to {} ({}; {} of its {} requests), with no one client to blame, peaking at {} in the minute from {} (robust z {:.0}); an outage, or a distributed attack on a fault",
                group_thousands(episode.total),
                at(episode.start_minute),
                at(episode.end_minute),
                human_duration(episode.minutes() * 60),
                crate::figures::percent(episode.total, episode.requests),
                group_thousands(episode.requests),
                group_thousands(episode.peak),
                at(episode.peak_minute),
                episode.peak_z,
            );
            // Longer outages matter more: a point for every five minutes, up to ten.
            let lasting = u8::try_from((episode.minutes() / 5).min(10)).unwrap_or(10);
            let score = score_with_repetition(55, episode.peak / 20, 15).saturating_add(lasting);
            findings.push(site_finding(
                FindingKind::ErrorSpike,
                &episode,
                offset_secs,
                score.min(100),
                description,
            ));
        }
        findings
    }
}

/// The finding for an episode: its first and last minute are when it was seen; its
/// lines are too many to list (the chart shows the stretch).
fn site_finding(
    kind: FindingKind,
    episode: &Episode,
    offset_secs: i32,
    score: u8,
    description: String,
) -> Finding {
    Finding {
        kind,
        severity: Severity::from_score(score),
        score,
        confidence: 0.7,
        client: MANY_CLIENTS.to_owned(),
        first_seen: LogTime {
            epoch_secs: episode.start_minute * 60,
            offset_secs,
        },
        last_seen: LogTime {
            epoch_secs: episode.end_minute * 60 + 59,
            offset_secs,
        },
        lines: Vec::new(),
        evidence_count: episode.total,
        description,
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
    fn issue_22_an_outage_is_one_episode_from_its_start_to_its_end() {
        // Twelve minutes of 502s from many clients, a spike in the middle, then normal.
        let mut lines = calm();
        for minute in 0..12 {
            let errors = if minute == 6 { 200 } else { 30 };
            lines.extend((0..errors).map(|i| {
                line(
                    &format!("10.0.12.{}", i % 100),
                    (700 + minute) * 60 + i % 60,
                    "GET",
                    "/checkout",
                    502,
                )
            }));
        }
        let found = findings(&lines, site_only());
        let spikes: Vec<&Finding> = found
            .iter()
            .filter(|f| f.kind == FindingKind::ErrorSpike)
            .collect();
        assert_eq!(spikes.len(), 1, "{found:#?}");
        let outage = spikes[0];
        // From the first second of minute 700 of the day to the last of minute 711.
        assert_eq!(
            (
                outage.first_seen.epoch_secs % 86_400,
                outage.last_seen.epoch_secs - outage.first_seen.epoch_secs
            ),
            (700 * 60, 12 * 60 - 1)
        );
        assert_eq!(outage.evidence_count, 11 * 30 + 200);
        assert!(
            outage.description.contains("(12m"),
            "{}",
            outage.description
        );
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
