//! The time range the analyst looks at: set by typing it, or a click or a drag on the
//! activity chart; each zoom can be stepped back out of. The range itself lives in the
//! findings table's query (`FindingQuery::time_range`), so the table, the charts and the
//! exports agree on it.

use crate::finding_query::FindingQuery;
use leptos::prelude::*;
use loglens_core::{Report, Traffic};

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

    fn set(self, range: Option<(i64, i64)>) {
        self.query.update(|q| {
            q.time_range = range;
            q.page = 0;
        });
    }
}

/// What the time charts draw for `range`: the report's own buckets for the whole file,
/// else the range's, regrouped from the report's fine series (the chart's buckets in the
/// range when a report from an older version has none).
pub fn traffic_shown(report: &Report, range: Option<(i64, i64)>) -> Traffic {
    let Some((first, last)) = range else {
        return report.traffic.clone();
    };
    let offset_secs = report.first_time.map_or(0, |t| t.offset_secs);
    if report.fine_traffic.is_empty() {
        let width = report.traffic.bucket_secs;
        return Traffic {
            bucket_secs: width,
            buckets: report
                .traffic
                .buckets
                .iter()
                .filter(|b| b.start_epoch_secs <= last && b.start_epoch_secs + width > first)
                .copied()
                .collect(),
        };
    }
    report.fine_traffic.zoom(first, last, offset_secs)
}
