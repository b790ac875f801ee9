//! The time range the analyst looks at: set by typing it, or a click or a drag on the
//! activity chart; each zoom can be stepped back out of. The range itself lives in the
//! findings table's query (`FindingQuery::time_range`), so the table and the charts agree
//! on it (exports keep every time: they follow the severity and sensitivity only).

use crate::finding_query::FindingQuery;
use leptos::prelude::*;
use loglens_core::query::TimeBound;
use loglens_core::{LogTime, Report, Traffic};
use std::sync::Arc;

/// The range, the ranges zoomed out of, and the value scale of the time charts.
#[derive(Debug, Clone, Copy)]
pub struct TimeView {
    query: RwSignal<FindingQuery>,
    /// The ranges shown before each zoom, the latest last (`None`: the whole file).
    earlier: RwSignal<Vec<Option<(i64, i64)>>>,
    /// Whether the time charts count on a log axis.
    pub log_scale: RwSignal<bool>,
}

impl TimeView {
    pub fn new(query: RwSignal<FindingQuery>) -> Self {
        Self {
            query,
            earlier: RwSignal::new(Vec::new()),
            log_scale: RwSignal::new(false),
        }
    }

    /// The range shown, `(first, last)` in seconds since the epoch, both included.
    pub fn range(self) -> Option<(i64, i64)> {
        self.query.with(|q| q.time_range)
    }

    /// Shows `first..=last`, remembering the range shown before.
    pub fn zoom_to(self, first: i64, last: i64) {
        let range = (first.min(last), first.max(last));
        let before = self.range();
        if before == Some(range) {
            return;
        }
        // From the whole file (however it was reached), zooms start again.
        self.earlier.update(|earlier| {
            if before.is_none() {
                earlier.clear();
            }
            earlier.push(before);
        });
        self.set(Some(range));
    }

    /// Goes back to the range shown before the last zoom.
    pub fn back(self) {
        if !self.can_go_back() {
            return;
        }
        let mut before = None;
        self.earlier
            .update(|earlier| before = earlier.pop().flatten());
        self.set(before);
    }

    /// Whether there is a range to go back to: a range is shown (the table's chip may
    /// have cleared it) and it was zoomed into.
    pub fn can_go_back(self) -> bool {
        self.range().is_some() && self.earlier.with(|earlier| !earlier.is_empty())
    }

    /// Shows the whole file again, forgetting the zooms.
    pub fn clear(self) {
        self.earlier.update(Vec::clear);
        self.set(None);
    }

    /// What a key does on a time chart drawing `traffic`, with the keyboard on the
    /// bucket starting at `focused`: the arrows move along the buckets, Enter or Space
    /// zooms into the one picked, Backspace or `-` zooms out.
    pub fn chart_key(
        self,
        event: &web_sys::KeyboardEvent,
        focused: RwSignal<Option<i64>>,
        traffic: Option<&Traffic>,
    ) {
        let step = match event.key().as_str() {
            "ArrowRight" => 1,
            "ArrowLeft" => -1,
            "Enter" | " " => {
                if let (Some(start), Some(traffic)) = (focused.get_untracked(), traffic) {
                    event.prevent_default();
                    focused.set(None);
                    self.zoom_to(start, start + traffic.bucket_secs - 1);
                }
                return;
            }
            "Backspace" | "-" => {
                event.prevent_default();
                focused.set(None);
                self.back();
                return;
            }
            _ => return,
        };
        event.prevent_default();
        focused.set(traffic.and_then(|t| step_bucket(t, focused.get_untracked(), step)));
    }

    fn set(self, range: Option<(i64, i64)>) {
        self.query.update(|q| {
            q.time_range = range;
            q.page = 0;
        });
    }
}

/// What the time charts draw for `range`: the report's own buckets for the whole file,
/// else the range's, regrouped from the report's fine series (from the chart's buckets
/// when a report from an older version has none).
pub fn traffic_shown(report: &Report, range: Option<(i64, i64)>) -> Traffic {
    let Some((first, last)) = range else {
        return report.traffic.clone();
    };
    let series = if report.fine_traffic.is_empty() {
        &report.traffic
    } else {
        &report.fine_traffic
    };
    series.zoom(first, last, report.offset_secs())
}

/// The offset `report`'s log was written in, for its times on the page.
pub fn log_offset(report: Signal<Option<Arc<Report>>>) -> i32 {
    report.with_untracked(|r| r.as_deref().map_or(0, Report::offset_secs))
}

/// The bucket of `traffic` `step` buckets from the one starting at `from` (the first
/// when none is picked yet), staying within the chart: the keyboard's way along a
/// time chart.
pub fn step_bucket(traffic: &Traffic, from: Option<i64>, step: isize) -> Option<i64> {
    let index = from
        .and_then(|start| {
            traffic
                .buckets
                .iter()
                .position(|b| b.start_epoch_secs == start)
        })
        .map_or(0, |i| {
            i.saturating_add_signed(step)
                .min(traffic.buckets.len().saturating_sub(1))
        });
    traffic.buckets.get(index).map(|b| b.start_epoch_secs)
}

/// The range two typed times name, `(first, last)` in seconds since the epoch: from the
/// start of what `from` names to the end of what `to` names, read on the log's clock
/// when they have no offset; an empty one is the file's first or last time.
pub fn range_from_texts(report: &Report, from: &str, to: &str) -> Result<(i64, i64), String> {
    let (Some(first), Some(last)) = (report.first_time, report.last_time) else {
        return Err("This log has no times to choose from.".to_owned());
    };
    let read = |text: &str, whole_file: i64, end: bool| -> Result<i64, String> {
        if text.trim().is_empty() {
            return Ok(whole_file);
        }
        let bound = TimeBound::parse(text).ok_or_else(|| {
            format!(
                "\"{}\" is not a time: write {}.",
                text.trim(),
                loglens_core::query::TIME_FORMS
            )
        })?;
        let instants = bound.instants(first.offset_secs);
        Ok(if end {
            instants.end - 1
        } else {
            instants.start
        })
    };
    let (from, to) = (
        read(from, first.epoch_secs, false)?,
        read(to, last.epoch_secs, true)?,
    );
    if from > to {
        return Err("The range ends before it starts.".to_owned());
    }
    Ok((from, to))
}

/// The query of every line in `range`, its times written in `offset_secs` (the log's).
pub fn range_query((first, last): (i64, i64), offset_secs: i32) -> String {
    let at = |epoch_secs| {
        LogTime {
            epoch_secs,
            offset_secs,
        }
        .format("%Y-%m-%dT%H:%M:%S%:z")
    };
    format!("time>={} and time<={}", at(first), at(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keyboard_steps_along_the_buckets_and_stops_at_the_ends() {
        let traffic = Traffic {
            bucket_secs: 60,
            buckets: (0..3)
                .map(|i| loglens_core::TrafficBucket {
                    start_epoch_secs: i * 60,
                    ..Default::default()
                })
                .collect(),
        };
        assert_eq!(step_bucket(&traffic, None, 1), Some(0));
        assert_eq!(step_bucket(&traffic, Some(0), 1), Some(60));
        assert_eq!(step_bucket(&traffic, Some(120), 1), Some(120));
        assert_eq!(step_bucket(&traffic, Some(0), -1), Some(0));
        assert_eq!(step_bucket(&Traffic::default(), None, 1), None);
    }

    #[test]
    fn typed_times_name_a_range_on_the_logs_clock() {
        let report = Report {
            first_time: Some(LogTime {
                epoch_secs: 1_722_038_436,
                offset_secs: 7_200,
            }),
            last_time: Some(LogTime {
                epoch_secs: 1_722_124_836,
                offset_secs: 7_200,
            }),
            ..Report::default()
        };
        // 05:00 to 05:59 at +02:00 is 03:00:00Z to 03:59:59Z.
        let five = 1_722_049_200;
        assert_eq!(
            range_from_texts(&report, "2024-07-27T05:00", "2024-07-27T05:59"),
            Ok((five, five + 3_599))
        );
        assert_eq!(
            range_from_texts(&report, "", "2024-07-27T05"),
            Ok((1_722_038_436, five + 3_599))
        );
        assert!(range_from_texts(&report, "2024-07-27T06:00", "2024-07-27T05:00").is_err());
        assert!(
            range_from_texts(&report, "27/Jul/2024", "")
                .unwrap_err()
                .contains("is not a time")
        );
        assert_eq!(
            range_query((five, five + 3_599), 7_200),
            "time>=2024-07-27T05:00:00+02:00 and time<=2024-07-27T05:59:59+02:00"
        );
    }
}
