//! What the findings table shows: the sensitivity and severity floor, a kind, a client,
//! free text, the sort and the page. Plain data and a pure function over the report, so
//! the table's logic is tested natively and a change re-selects without reading the file.

use loglens_core::campaign::{Folded, fold_campaigns};
use loglens_core::{DEFAULT_SENSITIVITY, Finding, FindingFilter, FindingKind, Report, Severity};

/// Rows on one page of the table: enough to scan, few enough that the page stays quick
/// with a hundred thousand findings.
pub const PAGE_ROWS: usize = 100;

/// The columns the table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Score,
    Kind,
    Client,
    FirstSeen,
    Lines,
}

impl SortKey {
    /// The order a first click on the column gives: numbers and times worst or latest
    /// first, names alphabetically.
    pub fn descending_first(self) -> bool {
        matches!(self, SortKey::Score | SortKey::Lines | SortKey::FirstSeen)
    }
}

/// The table's view of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingQuery {
    /// 0 (only the surest) to 100 (every candidate).
    pub sensitivity: u8,
    pub min_severity: Severity,
    pub kind: Option<FindingKind>,
    /// Only findings about this client (exact).
    pub client: Option<String>,
    /// Case-insensitive text looked for in the client, the kind and the description.
    pub search: String,
    /// Only findings active at some point in `[start, end]` (epoch seconds), as picked
    /// on a chart.
    pub time_range: Option<(i64, i64)>,
    pub sort: SortKey,
    pub descending: bool,
    /// 0-based.
    pub page: usize,
}

impl Default for FindingQuery {
    fn default() -> Self {
        Self {
            sensitivity: DEFAULT_SENSITIVITY,
            min_severity: Severity::Low,
            kind: None,
            client: None,
            search: String::new(),
            time_range: None,
            sort: SortKey::Score,
            descending: true,
            page: 0,
        }
    }
}

impl FindingQuery {
    /// Its severity floor and sensitivity: what exports and charts follow, whatever kind,
    /// client, time or text the table narrows to.
    pub fn filter(&self) -> FindingFilter {
        FindingFilter {
            min_severity: self.min_severity,
            sensitivity: self.sensitivity,
        }
    }
}

/// Whether `finding` was active at some point of `range` (`None`: the whole file).
pub fn active_in(finding: &Finding, range: Option<(i64, i64)>) -> bool {
    range.is_none_or(|(first, last)| {
        finding.first_seen.epoch_secs <= last && finding.last_seen.epoch_secs >= first
    })
}

/// The rows a query selects: indices into `report.findings`, sorted, all pages.
pub fn select(report: &Report, query: &FindingQuery) -> Vec<usize> {
    let filter = query.filter();
    let needle = query.search.trim().to_lowercase();
    let mut rows: Vec<usize> = report
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| filter.keeps(f))
        .filter(|(_, f)| query.kind.is_none_or(|kind| f.kind == kind))
        .filter(|(_, f)| query.client.as_ref().is_none_or(|c| &f.client == c))
        .filter(|(_, f)| active_in(f, query.time_range))
        .filter(|(_, f)| needle.is_empty() || mentions(f, &needle))
        .map(|(i, _)| i)
        .collect();
    let findings = &report.findings;
    // Ties keep the report's order (worst first), so every sort is stable and repeatable.
    rows.sort_by(|&a, &b| {
        let (a, b) = (&findings[a], &findings[b]);
        let order = match query.sort {
            SortKey::Score => a.score.cmp(&b.score),
            SortKey::Kind => a
                .kind
                .label()
                .to_lowercase()
                .cmp(&b.kind.label().to_lowercase()),
            SortKey::Client => a.client.cmp(&b.client),
            SortKey::FirstSeen => a.first_seen.epoch_secs.cmp(&b.first_seen.epoch_secs),
            SortKey::Lines => a.evidence_count.cmp(&b.evidence_count),
        };
        if query.descending {
            order.reverse()
        } else {
            order
        }
    });
    rows
}

/// A row of the table: one finding (its index in `report.findings`), or a campaign of
/// many of a kind, folded as [`fold_campaigns`] folds them.
pub type TableRow = Folded<usize>;

/// The table's rows for the selected `rows`: campaigns folded, unless the view is already
/// narrowed to one kind or one client.
pub fn table_rows(report: &Report, rows: &[usize], query: &FindingQuery) -> Vec<TableRow> {
    if query.kind.is_some() || query.client.is_some() {
        return rows.iter().map(|&i| Folded::One(i)).collect();
    }
    fold_campaigns(rows, |i| &report.findings[i])
}

/// Whether the finding's client, kind or description contains `needle` (lower case).
fn mentions(finding: &Finding, needle: &str) -> bool {
    finding.client.to_lowercase().contains(needle)
        || finding.kind.label().to_lowercase().contains(needle)
        || finding.kind.as_str().contains(needle)
        || finding.description.to_lowercase().contains(needle)
}

/// The pages `rows` fill.
pub fn page_count(rows: usize) -> usize {
    rows.div_ceil(PAGE_ROWS).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use loglens_core::LogTime;

    fn finding(kind: FindingKind, client: &str, score: u8, first: i64, lines: u64) -> Finding {
        let at = |epoch_secs| LogTime {
            epoch_secs,
            offset_secs: 0,
        };
        Finding {
            kind,
            severity: Severity::from_score(score),
            score,
            confidence: 0.8,
            client: client.to_owned(),
            first_seen: at(first),
            last_seen: at(first + 60),
            lines: vec![1],
            evidence_count: lines,
            description: format!("{lines} requests from {client}"),
            contributions: vec![],
        }
    }

    fn report() -> Report {
        Report {
            findings: vec![
                finding(FindingKind::SqlInjection, "10.0.0.1", 90, 300, 4),
                finding(FindingKind::Scanning, "10.0.0.2", 70, 100, 200),
                finding(FindingKind::BruteForce, "10.0.0.1", 55, 200, 60),
                finding(FindingKind::AnomalousLines, "10.0.0.3", 35, 50, 9),
            ],
            ..Report::default()
        }
    }

    #[test]
    fn the_default_view_is_worst_first_above_the_default_threshold() {
        assert_eq!(select(&report(), &FindingQuery::default()), [0, 1, 2]);
        let everything = FindingQuery {
            sensitivity: 100,
            ..FindingQuery::default()
        };
        assert_eq!(select(&report(), &everything), [0, 1, 2, 3]);
    }

    #[test]
    fn filters_by_severity_kind_client_time_and_text() {
        let r = report();
        let query = |change: fn(&mut FindingQuery)| {
            let mut q = FindingQuery::default();
            change(&mut q);
            select(&r, &q)
        };
        assert_eq!(query(|q| q.min_severity = Severity::High), [0, 1]);
        assert_eq!(query(|q| q.kind = Some(FindingKind::Scanning)), [1]);
        assert_eq!(query(|q| q.client = Some("10.0.0.1".into())), [0, 2]);
        assert_eq!(query(|q| q.time_range = Some((150, 250))), [1, 2]);
        assert_eq!(query(|q| q.search = "BRUTE".into()), [2]);
        assert_eq!(query(|q| q.search = "200 req".into()), [1]);
        assert_eq!(
            query(|q| q.search = "nothing like it".into()),
            [] as [usize; 0]
        );
    }

    #[test]
    fn sorts_by_any_column_both_ways() {
        let r = report();
        let sorted = |sort, descending| {
            select(
                &r,
                &FindingQuery {
                    sort,
                    descending,
                    ..FindingQuery::default()
                },
            )
        };
        assert_eq!(sorted(SortKey::Lines, true), [1, 2, 0]);
        assert_eq!(sorted(SortKey::FirstSeen, false), [1, 2, 0]);
        assert_eq!(sorted(SortKey::Kind, false), [2, 1, 0]);
        // Equal clients keep the report's order.
        assert_eq!(sorted(SortKey::Client, false), [0, 2, 1]);
        assert_eq!(sorted(SortKey::Score, false), [2, 1, 0]);
    }

    /// The sample report and six findings of `kind` at `score`, from six sources.
    fn with_six(kind: FindingKind, score: u8) -> Report {
        let mut r = report();
        for n in 0..6 {
            r.findings
                .push(finding(kind, &format!("192.0.2.{n}"), score, 400 + n, 2));
        }
        r
    }

    /// Whether the default view of `r` shows every finding as a row of its own.
    fn folds_nothing(r: &Report) -> bool {
        let query = FindingQuery::default();
        let rows = select(r, &query);
        table_rows(r, &rows, &query)
            .iter()
            .all(|row| matches!(row, Folded::One(_)))
    }

    #[test]
    fn many_lesser_findings_of_a_kind_fold_into_one_row() {
        let mut r = with_six(FindingKind::BackgroundNoise, 30);
        let query = FindingQuery::default();
        let rows = select(&r, &query);
        assert_eq!(
            table_rows(&r, &rows, &query),
            [
                Folded::One(0),
                Folded::One(1),
                Folded::One(2),
                Folded::Campaign {
                    kind: FindingKind::BackgroundNoise,
                    members: vec![4, 5, 6, 7, 8, 9],
                },
            ]
        );
        // Opened (the view narrowed to the kind), each is its own row again.
        let opened = FindingQuery {
            kind: Some(FindingKind::BackgroundNoise),
            ..query
        };
        let rows = select(&r, &opened);
        assert_eq!(table_rows(&r, &rows, &opened).len(), 6);
        // Four do not fold.
        r.findings.truncate(8);
        assert!(folds_nothing(&r));
    }

    #[test]
    fn a_models_findings_never_fold() {
        assert!(folds_nothing(&with_six(FindingKind::AnomalousLines, 45)));
    }

    #[test]
    fn high_findings_never_fold() {
        assert!(folds_nothing(&with_six(FindingKind::BruteForce, 70)));
    }

    #[test]
    fn counts_pages() {
        assert_eq!((page_count(0), page_count(100), page_count(101)), (1, 1, 2));
    }
}
