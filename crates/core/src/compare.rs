//! Two periods side by side, for "what changed since last week?": each period's volume,
//! answers and bytes, and for clients, paths and templates what is new in the second,
//! what is gone since the first, and what both have. Each period is a query's outcome
//! with its inventory (`QueryScan::with_inventory`): two files, or two ranges of one.

use crate::query::{Inventory, QueryOutcome};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Values listed as new or gone, the most lines first.
pub const LISTED: usize = 20;

/// Two periods compared: `[first, second]` in each pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Lines matched in each.
    pub lines: [u64; 2],
    /// Requests answered 2xx, 3xx, 4xx and 5xx in each.
    pub statuses: [[u64; 4]; 2],
    /// Bytes sent in each.
    pub bytes: [u64; 2],
    /// Clients.
    pub clients: Difference,
    /// Request paths.
    pub paths: Difference,
    /// Templates of requests and messages (`crate::template`).
    pub templates: Difference,
    /// Whether a period had more distinct values than are counted, so some "new" ones
    /// may have been seen before.
    pub capped: bool,
}

/// How one field's distinct values differ between the periods.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    /// Distinct values in each period.
    pub distinct: [u64; 2],
    /// Values in both.
    pub common: u64,
    /// Values only in the second.
    pub new_count: u64,
    /// The [`LISTED`] of them with the most lines there, with their lines.
    pub new: Vec<(String, u64)>,
    /// Values only in the first.
    pub gone_count: u64,
    /// The [`LISTED`] of them with the most lines there, with their lines.
    pub gone: Vec<(String, u64)>,
}

impl Difference {
    fn of(first: &[(String, u64)], second: &[(String, u64)]) -> Self {
        let in_first: HashMap<&str, u64> = first.iter().map(|(v, n)| (v.as_str(), *n)).collect();
        let in_second: HashMap<&str, u64> = second.iter().map(|(v, n)| (v.as_str(), *n)).collect();
        // Both lists come most lines first, so the first LISTED only-here ones are the top.
        let only = |list: &[(String, u64)], other: &HashMap<&str, u64>| {
            let all: Vec<&(String, u64)> = list
                .iter()
                .filter(|(v, _)| !other.contains_key(v.as_str()))
                .collect();
            (
                all.len() as u64,
                all.into_iter().take(LISTED).cloned().collect::<Vec<_>>(),
            )
        };
        let (new_count, new) = only(second, &in_first);
        let (gone_count, gone) = only(first, &in_second);
        Self {
            distinct: [first.len() as u64, second.len() as u64],
            common: second.len() as u64 - new_count,
            new_count,
            new,
            gone_count,
            gone,
        }
    }
}

impl Comparison {
    /// `first` and `second` compared; `None` when either was scanned without its
    /// inventory.
    pub fn of(first: &QueryOutcome, second: &QueryOutcome) -> Option<Self> {
        let (a, b): (&Inventory, &Inventory) = (
            first.summary.inventory.as_ref()?,
            second.summary.inventory.as_ref()?,
        );
        Some(Self {
            lines: [first.matched, second.matched],
            statuses: [first.summary.statuses, second.summary.statuses],
            bytes: [first.summary.bytes, second.summary.bytes],
            clients: Difference::of(&a.clients, &b.clients),
            paths: Difference::of(&a.paths, &b.paths),
            templates: Difference::of(&a.templates, &b.templates),
            capped: a.capped || b.capped,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LogTime;
    use crate::query::{Query, QueryScan};

    const NOW: LogTime = LogTime {
        epoch_secs: 1_717_200_000,
        offset_secs: 0,
    };

    fn period(query: &str, log: &str) -> QueryOutcome {
        let mut scan =
            QueryScan::new(Query::parse(query).unwrap(), None, NOW, 0, 0).with_inventory();
        scan.feed(log.as_bytes());
        scan.finish()
    }

    #[test]
    fn what_is_new_in_the_second_period_comes_first() {
        let line = |client: &str, hour: u8, path: &str, status: u16| {
            format!(
                "{client} - - [01/Mar/2024:{hour:02}:00:00 +0000] \"GET {path} HTTP/1.1\" {status} 10 \"-\" \"x\"\n"
            )
        };
        let log: String = [
            line("10.0.0.1", 1, "/orders/1", 200),
            line("10.0.0.2", 1, "/", 200),
            line("10.0.0.1", 2, "/orders/2", 200),
            line("10.0.0.2", 2, "/", 200),
            line("203.0.113.9", 2, "/.env", 404),
            line("203.0.113.9", 2, "/.git/config", 404),
        ]
        .concat();
        let first = period("time=2024-03-01T01", &log);
        let second = period("time=2024-03-01T02", &log);
        let compared = Comparison::of(&first, &second).unwrap();
        assert_eq!(compared.lines, [2, 4]);
        assert_eq!(compared.statuses, [[2, 0, 0, 0], [2, 0, 2, 0]]);
        assert_eq!(compared.clients.new, [("203.0.113.9".to_owned(), 2)]);
        assert_eq!(
            (compared.clients.common, compared.clients.gone_count),
            (2, 0)
        );
        // /orders/1 and /orders/2 are two paths but one template.
        assert_eq!(compared.paths.new_count, 3);
        assert_eq!(compared.paths.gone, [("/orders/1".to_owned(), 1)]);
        assert_eq!(
            compared.templates.new,
            [
                ("GET /.env".to_owned(), 1),
                ("GET /.git/config".to_owned(), 1)
            ]
        );
        assert_eq!(compared.templates.common, 2);
        assert!(!compared.capped);
        // Without inventories there is nothing to compare.
        let mut plain = QueryScan::new(Query::parse("*").unwrap(), None, NOW, 0, 0);
        plain.feed(log.as_bytes());
        assert_eq!(Comparison::of(&plain.finish(), &second), None);
    }
}
