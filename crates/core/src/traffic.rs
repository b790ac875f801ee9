//! Lines over time, for the charts: how many, how they were answered (status classes),
//! and how many bytes went out.
//!
//! Lines are counted per minute while the file streams (a sparse map, so memory follows the
//! number of distinct minutes, not the number of lines), and only at the end regrouped
//! into at most [`MAX_BUCKETS`] buckets of a width a person reads easily (5 minutes, an
//! hour, a day). The bucket width can only be chosen once the whole time span is known.

use crate::keyed_hash::{KeyedMap, keyed_map};
use serde::{Deserialize, Serialize};

/// The most buckets a chart gets; enough for detail, few enough for a bar each.
pub const MAX_BUCKETS: i64 = 240;
/// The most buckets the fine series a report keeps for zooming can have: 20 charts' worth,
/// so an hour of a week-long log still gets bars of five minutes.
pub const MAX_FINE_BUCKETS: i64 = 4_800;

/// Widths a bucket may take, smallest first.
const NICE_WIDTHS_SECS: [i64; 14] = [
    60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800,
];

/// Requests counted in consecutive buckets of equal width.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Traffic {
    /// Width of each bucket in seconds (0 when there are no buckets).
    pub bucket_secs: i64,
    /// Consecutive buckets from the first request to the last, empty ones included.
    pub buckets: Vec<TrafficBucket>,
}

/// Lines whose time falls in `[start_epoch_secs, start_epoch_secs + bucket_secs)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrafficBucket {
    /// Start of the bucket, seconds since the Unix epoch.
    pub start_epoch_secs: i64,
    /// Lines counted in it.
    pub requests: u64,
    /// Of them, responses with a 2xx, 3xx, 4xx and 5xx status.
    pub statuses: [u32; 4],
    /// Response bytes sent.
    pub bytes: u64,
}

/// What one minute (then one bucket) holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Counts {
    lines: u64,
    statuses: [u32; 4],
    bytes: u64,
}

impl Counts {
    /// Adds `other` in (log content sets these numbers: they never overflow).
    fn add(&mut self, other: Counts) {
        self.lines = self.lines.saturating_add(other.lines);
        for (total, part) in self.statuses.iter_mut().zip(other.statuses) {
            *total = total.saturating_add(part);
        }
        self.bytes = self.bytes.saturating_add(other.bytes);
    }

    /// What `bucket` counts.
    fn of(bucket: &TrafficBucket) -> Self {
        Self {
            lines: bucket.requests,
            statuses: bucket.statuses,
            bytes: bucket.bytes,
        }
    }

    /// A bucket starting at `start_epoch_secs` that counts these.
    fn bucket(self, start_epoch_secs: i64) -> TrafficBucket {
        TrafficBucket {
            start_epoch_secs,
            requests: self.lines,
            statuses: self.statuses,
            bytes: self.bytes,
        }
    }
}

/// Counts requests per minute while a file streams.
#[derive(Debug, Clone)]
pub(crate) struct TrafficCounter {
    per_minute: KeyedMap<i64, Counts>,
    /// The minute lines are being counted in, not yet in `per_minute`: logs are in time
    /// order, so most lines are in the same minute as the line before, and counting them
    /// here saves looking the minute up for every line.
    current: Option<(i64, Counts)>,
    /// Lines of minutes beyond the most counted (see `limits::MAX_TABLE_KEYS`).
    untracked_lines: u64,
}

impl Default for TrafficCounter {
    fn default() -> Self {
        Self {
            per_minute: keyed_map(),
            current: None,
            untracked_lines: 0,
        }
    }
}

impl TrafficCounter {
    /// Counts one line at `epoch_secs`, with its response's status and size if it has them.
    pub(crate) fn add(&mut self, epoch_secs: i64, status: Option<u16>, bytes: Option<u64>) {
        let minute = epoch_secs.div_euclid(60);
        if self.current.is_some_and(|(current, _)| current != minute) {
            self.put_current();
        }
        let (_, counts) = self.current.get_or_insert((minute, Counts::default()));
        counts.lines += 1;
        if let Some(class @ 2..=5) = status.map(|s| s / 100) {
            let slot = &mut counts.statuses[usize::from(class - 2)];
            *slot = slot.saturating_add(1);
        }
        counts.bytes = counts.bytes.saturating_add(bytes.unwrap_or(0));
    }

    /// Adds the minute being counted to the others (its lines left out when it is new and
    /// the minutes counted are full).
    fn put_current(&mut self) {
        if let Some((minute, counts)) = self.current.take()
            && !self.add_counts(minute, counts)
        {
            self.untracked_lines += counts.lines;
        }
    }

    /// Adds `counts` to `minute`'s; false when it is new and the minutes counted are full.
    fn add_counts(&mut self, minute: i64, counts: Counts) -> bool {
        if self.per_minute.len() >= crate::limits::MAX_TABLE_KEYS
            && !self.per_minute.contains_key(&minute)
        {
            return false;
        }
        self.per_minute.entry(minute).or_default().add(counts);
        true
    }

    /// Lines of minutes left out because the minutes counted were full.
    pub(crate) fn untracked_lines(&mut self) -> u64 {
        self.put_current();
        self.untracked_lines
    }

    /// Regroups the minutes into evenly spaced buckets that start on round wall-clock
    /// times in the log's own offset (hours at :00, days at local midnight): at most
    /// [`MAX_BUCKETS`] of them for the charts, and the fine series of at most
    /// [`MAX_FINE_BUCKETS`], with only the buckets that have lines, that a chart of a
    /// time range regroups ([`Traffic::zoom`]).
    pub(crate) fn finish(mut self, offset_secs: i32) -> (Traffic, Traffic) {
        self.put_current();
        let (Some(&first), Some(&last)) =
            (self.per_minute.keys().min(), self.per_minute.keys().max())
        else {
            return (Traffic::default(), Traffic::default());
        };
        let offset = i64::from(offset_secs);
        let (first, last) = (first * 60, last * 60);
        let minutes = || {
            self.per_minute
                .iter()
                .map(|(&minute, &counts)| (minute * 60, counts))
        };
        let chart_width = bucket_width_for(first + offset, last + offset, MAX_BUCKETS, 60);
        let chart = regroup(minutes(), first..=last, chart_width, offset);
        // The fine series keeps only buckets with lines, so its width is chosen by how
        // many of those there are: one line dated centuries away costs one bucket, not
        // the resolution of the rest.
        let filled = |width: i64| {
            let mut starts: Vec<i64> = self
                .per_minute
                .keys()
                .map(|m| (m * 60 + offset).div_euclid(width))
                .collect();
            starts.sort_unstable();
            starts.dedup();
            starts.len() as i64
        };
        let fine_width = NICE_WIDTHS_SECS
            .into_iter()
            .find(|&width| filled(width) <= MAX_FINE_BUCKETS)
            .unwrap_or_else(|| {
                bucket_width_for(first + offset, last + offset, MAX_FINE_BUCKETS, 60)
            });
        let mut fine: std::collections::BTreeMap<i64, Counts> = std::collections::BTreeMap::new();
        for (start, counts) in minutes() {
            let bucket_start = (start + offset).div_euclid(fine_width) * fine_width - offset;
            fine.entry(bucket_start).or_default().add(counts);
        }
        let fine = Traffic {
            bucket_secs: fine_width,
            buckets: fine
                .into_iter()
                .map(|(start, counts)| counts.bucket(start))
                .collect(),
        };
        (chart, fine)
    }
}

impl Traffic {
    /// Whether it has no buckets.
    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty()
    }

    /// The buckets of a chart of `from..=to` (seconds since the epoch) regrouped from
    /// this fine series (its buckets with lines only, as reports keep it): at most
    /// [`MAX_BUCKETS`], each a whole number of this series' buckets, starting on round
    /// wall-clock times in `offset_secs`. A bucket is counted whole when the range cuts it.
    pub fn zoom(&self, from: i64, to: i64, offset_secs: i32) -> Traffic {
        let (from, to) = (from.min(to), from.max(to));
        if self.bucket_secs <= 0 {
            return Traffic::default();
        }
        let offset = i64::from(offset_secs);
        let width = bucket_width_for(from + offset, to + offset, MAX_BUCKETS, self.bucket_secs);
        let inside = self.buckets.iter().filter(|b| {
            b.start_epoch_secs <= to && b.start_epoch_secs.saturating_add(self.bucket_secs) > from
        });
        regroup(
            inside.map(|b| (b.start_epoch_secs, Counts::of(b))),
            from..=to,
            width,
            offset,
        )
    }
}

/// Consecutive buckets `width` seconds wide, aligned on wall-clock time in `offset`, from
/// the one holding `span`'s start to the one holding its end, with `parts` (a start in
/// seconds since the epoch, and its counts) added in.
fn regroup(
    parts: impl Iterator<Item = (i64, Counts)>,
    span: std::ops::RangeInclusive<i64>,
    width: i64,
    offset: i64,
) -> Traffic {
    let first_bucket = (span.start() + offset).div_euclid(width);
    let count =
        usize::try_from((span.end() + offset).div_euclid(width) - first_bucket + 1).unwrap_or(0);
    let mut totals = vec![Counts::default(); count];
    for (start, counts) in parts {
        let index = (start + offset).div_euclid(width) - first_bucket;
        if let Some(total) = usize::try_from(index).ok().and_then(|i| totals.get_mut(i)) {
            total.add(counts);
        }
    }
    Traffic {
        bucket_secs: width,
        buckets: (first_bucket..)
            .zip(totals)
            .map(|(bucket, counts)| counts.bucket(bucket * width - offset))
            .collect(),
    }
}

/// The smallest nice width, a multiple of `unit`, whose aligned buckets from
/// `first_secs` to `last_secs` number at most `most`; else whole days (or `unit`s), as
/// few as cover the span in `most - 1` buckets, leaving room for alignment.
fn bucket_width_for(first_secs: i64, last_secs: i64, most: i64, unit: i64) -> i64 {
    let buckets_needed =
        |width: i64| last_secs.div_euclid(width) - first_secs.div_euclid(width) + 1;
    NICE_WIDTHS_SECS
        .into_iter()
        .filter(|width| width % unit == 0)
        .find(|&width| buckets_needed(width) <= most)
        .unwrap_or_else(|| {
            let step = if 86_400 % unit == 0 { 86_400 } else { unit };
            let steps = (last_secs - first_secs) / step / (most - 1) + 1;
            steps * step
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn traffic_of(times: &[i64]) -> Traffic {
        traffic_in_offset(times, 0)
    }

    fn traffic_in_offset(times: &[i64], offset_secs: i32) -> Traffic {
        let mut counter = TrafficCounter::default();
        times.iter().for_each(|&t| counter.add(t, None, None));
        counter.finish(offset_secs).0
    }

    /// What counting line by line into the minutes gives: the minutes, sorted, and the
    /// lines left out of a full table.
    fn counted_line_by_line(
        lines: &[(i64, Option<u16>, Option<u64>)],
    ) -> (Vec<(i64, Counts)>, u64) {
        let mut minutes = std::collections::BTreeMap::<i64, Counts>::new();
        let mut left_out = 0;
        for &(secs, status, bytes) in lines {
            let minute = secs.div_euclid(60);
            if minutes.len() >= crate::limits::MAX_TABLE_KEYS && !minutes.contains_key(&minute) {
                left_out += 1;
                continue;
            }
            let counts = minutes.entry(minute).or_default();
            counts.lines += 1;
            if let Some(class @ 2..=5) = status.map(|s| s / 100) {
                counts.statuses[usize::from(class - 2)] += 1;
            }
            counts.bytes += bytes.unwrap_or(0);
        }
        (minutes.into_iter().collect(), left_out)
    }

    fn counted(lines: &[(i64, Option<u16>, Option<u64>)]) -> (Vec<(i64, Counts)>, u64) {
        let mut counter = TrafficCounter::default();
        for &(secs, status, bytes) in lines {
            counter.add(secs, status, bytes);
        }
        counter.put_current();
        let left_out = counter.untracked_lines;
        let mut minutes: Vec<(i64, Counts)> = counter.per_minute.into_iter().collect();
        minutes.sort_by_key(|&(minute, _)| minute);
        (minutes, left_out)
    }

    #[test]
    fn a_full_table_leaves_out_the_lines_of_new_minutes_only() {
        // More minutes than are counted, with lines going back to minutes already
        // counted, some in runs of the same minute, some alone.
        let lines: Vec<(i64, Option<u16>, Option<u64>)> = (0..30_000i64)
            .map(|i| {
                let secs = if i % 5 == 0 {
                    (i % 700) * 60
                } else {
                    i / 2 * 60 + i % 60
                };
                (secs, Some(200 + (i % 4) as u16 * 100), Some(i as u64))
            })
            .collect();
        let expected = counted_line_by_line(&lines);
        assert!(expected.1 > 0, "the table never filled");
        assert_eq!(counted(&lines), expected);
    }

    proptest::proptest! {
        /// Lines in any order count as they would one by one.
        #[test]
        fn minutes_count_as_line_by_line(
            lines in proptest::collection::vec(
                (-200i64..200, proptest::option::of(100u16..600), proptest::option::of(0u64..1 << 40)),
                0..200,
            ),
        ) {
            let lines: Vec<_> = lines.into_iter().map(|(s, st, b)| (s * 37, st, b)).collect();
            proptest::prop_assert_eq!(counted(&lines), counted_line_by_line(&lines));
        }
    }

    #[test]
    fn no_requests_no_buckets() {
        assert_eq!(traffic_of(&[]), Traffic::default());
    }

    #[test]
    fn one_hour_gets_minute_buckets_with_gaps_filled() {
        let t = traffic_of(&[0, 30, 59, 60, 3599]);
        assert_eq!(t.bucket_secs, 60);
        assert_eq!(t.buckets.len(), 60);
        assert_eq!(
            t.buckets[0],
            TrafficBucket {
                start_epoch_secs: 0,
                requests: 3,
                ..TrafficBucket::default()
            }
        );
        assert_eq!(t.buckets[1].requests, 1);
        assert_eq!(t.buckets[2].requests, 0);
        assert_eq!(t.buckets[59].requests, 1);
        assert_eq!(t.buckets.iter().map(|b| b.requests).sum::<u64>(), 5);
    }

    #[test]
    fn three_days_get_half_hour_buckets() {
        // 144 half hours fit the limit; 288 quarter hours would not.
        let t = traffic_of(&[0, 3 * 86_400 - 1]);
        assert_eq!(t.bucket_secs, 1800);
        assert_eq!(t.buckets.len(), 144);
    }

    #[test]
    fn centuries_stay_within_the_bucket_limit() {
        // Hostile timestamps years apart must not make millions of buckets.
        let t = traffic_of(&[-62_000_000_000, 250_000_000_000]);
        assert!(
            t.buckets.len() as i64 <= MAX_BUCKETS + 1,
            "{} buckets",
            t.buckets.len()
        );
        assert_eq!(t.bucket_secs % 86_400, 0);
        assert_eq!(t.buckets.iter().map(|b| b.requests).sum::<u64>(), 2);
    }

    #[test]
    fn never_more_than_the_limit_however_the_span_is_placed() {
        // 240 minutes starting on an odd minute need 241 one-minute buckets: too many.
        for start in [0, 59, 61, 3_599, 86_399] {
            for minutes in [1, 239, 240, 241, 480, 10_000] {
                let t = traffic_of(&[start, start + (minutes - 1) * 60]);
                assert!(
                    t.buckets.len() as i64 <= MAX_BUCKETS,
                    "start {start}, {minutes} minutes"
                );
                assert_eq!(t.buckets.iter().map(|b| b.requests).sum::<u64>(), 2);
            }
        }
    }

    #[test]
    fn day_buckets_start_at_local_midnight() {
        // 200 days at +01:00: daily buckets start at 23:00Z, which is midnight local time.
        let t = traffic_in_offset(&[0, 200 * 86_400], 3600);
        assert_eq!(t.bucket_secs, 86_400);
        assert!(
            t.buckets
                .iter()
                .all(|b| (b.start_epoch_secs + 3600) % 86_400 == 0)
        );
        assert_eq!(t.buckets[0].start_epoch_secs, -3600);
    }

    #[test]
    fn times_before_1970_land_in_the_right_bucket() {
        let t = traffic_of(&[-61, -1]);
        assert_eq!(t.buckets[0].start_epoch_secs, -120);
        assert_eq!(
            t.buckets.iter().map(|b| b.requests).collect::<Vec<_>>(),
            [1, 1]
        );
    }

    fn fine_of(times: &[i64], offset_secs: i32) -> Traffic {
        let mut counter = TrafficCounter::default();
        times
            .iter()
            .for_each(|&t| counter.add(t, Some(200), Some(1)));
        counter.finish(offset_secs).1
    }

    #[test]
    fn an_hour_of_a_week_zooms_to_bars_of_minutes() {
        // A line every 7 minutes for 6 days: 1,234 minutes with lines, few enough for
        // the fine series to keep each minute.
        let times: Vec<i64> = (0..6 * 24 * 60 / 7).map(|i| i * 420).collect();
        let fine = fine_of(&times, 0);
        assert_eq!(fine.bucket_secs, 60);
        assert_eq!(fine.buckets.len(), times.len());
        assert!(fine.buckets.iter().all(|b| b.requests > 0));
        let (from, to) = (86_400, 86_400 + 3_599);
        let hour = fine.zoom(from, to, 0);
        assert_eq!(hour.bucket_secs, 60);
        assert_eq!(hour.buckets.len(), 60);
        // A line every 30 seconds for 6 days fills 8,640 minutes: the fine series
        // regroups them into 2-minute buckets.
        let dense: Vec<i64> = (0..6 * 24 * 120).map(|i| i * 30).collect();
        assert_eq!(fine_of(&dense, 0).bucket_secs, 120);
        let in_hour = times.iter().filter(|t| (from..=to).contains(*t)).count() as u64;
        assert_eq!(
            hour.buckets.iter().map(|b| b.requests).sum::<u64>(),
            in_hour
        );
        assert_eq!(hour.buckets.iter().map(|b| b.bytes).sum::<u64>(), in_hour);
        // The whole span zooms to the chart the report draws.
        let mut counter = TrafficCounter::default();
        times
            .iter()
            .for_each(|&t| counter.add(t, Some(200), Some(1)));
        let (chart, _) = counter.finish(0);
        assert_eq!(fine.zoom(0, *times.last().unwrap(), 0), chart);
    }

    #[test]
    fn a_line_centuries_away_costs_the_fine_series_one_bucket() {
        // A day of lines every minute, and one hostile line dated 9999.
        let mut times: Vec<i64> = (0..1_440).map(|i| i * 60).collect();
        times.push(253_402_214_400);
        let fine = fine_of(&times, 0);
        assert_eq!(fine.bucket_secs, 60);
        assert_eq!(fine.buckets.len(), 1_441);
        let hour = fine.zoom(3_600, 7_199, 0);
        assert_eq!(hour.bucket_secs, 60);
        assert_eq!(hour.buckets.iter().map(|b| b.requests).sum::<u64>(), 60);
    }

    #[test]
    fn zoomed_days_start_at_local_midnight() {
        let times: Vec<i64> = (0..60 * 24).map(|i| i * 3_600).collect();
        let fine = fine_of(&times, 3_600);
        let zoomed = fine.zoom(0, 59 * 86_400, 3_600);
        assert!(zoomed.buckets.len() as i64 <= MAX_BUCKETS);
        assert_eq!(zoomed.bucket_secs % fine.bucket_secs, 0);
        assert!(
            zoomed
                .buckets
                .iter()
                .all(|b| (b.start_epoch_secs + 3_600) % zoomed.bucket_secs == 0)
        );
    }

    proptest::proptest! {
        /// A range on the fine buckets' edges counts exactly its lines, in at most
        /// MAX_BUCKETS buckets each a whole number of fine ones.
        #[test]
        fn a_zoom_counts_the_lines_in_its_range(
            times in proptest::collection::vec(0i64..40 * 86_400, 1..300),
            a in 0i64..5_000,
            b in 0i64..5_000,
            offset_hours in -12i32..14,
        ) {
            let offset = offset_hours * 3_600;
            let fine = fine_of(&times, offset);
            let width = fine.bucket_secs;
            let first = fine.buckets[0].start_epoch_secs;
            let (a, b) = (a.min(b), a.max(b));
            let (from, to) = (first + a * width, first + (b + 1) * width - 1);
            let zoomed = fine.zoom(from, to, offset);
            proptest::prop_assert!(zoomed.buckets.len() as i64 <= MAX_BUCKETS);
            proptest::prop_assert_eq!(zoomed.bucket_secs % width, 0);
            let expected = times.iter().filter(|t| (from..=to).contains(*t)).count() as u64;
            proptest::prop_assert_eq!(zoomed.buckets.iter().map(|b| b.requests).sum::<u64>(), expected);
        }
    }

    #[test]
    fn counts_status_classes_and_bytes_per_bucket() {
        let mut counter = TrafficCounter::default();
        counter.add(0, Some(200), Some(10));
        counter.add(5, Some(404), None);
        counter.add(61, Some(503), Some(7));
        counter.add(62, None, None);
        counter.add(63, Some(101), Some(1));
        let traffic = counter.finish(0).0;
        let totals = traffic
            .buckets
            .iter()
            .fold(([0u32; 4], 0, 0), |(mut s, b, n), bucket| {
                for (t, p) in s.iter_mut().zip(bucket.statuses) {
                    *t += p;
                }
                (s, b + bucket.bytes, n + bucket.requests)
            });
        assert_eq!(totals, ([1, 0, 1, 1], 18, 5));
    }
}
