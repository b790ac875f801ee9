//! Per-client counts over fixed time windows, keeping the lines of busy windows only.
//!
//! Floods and error bursts are "too many in too little time" from one client. Each
//! client's current window counts its requests and the ones that match (all of them, or
//! errors); the window's line numbers are held only until the matches reach `floor`, when
//! the window is hot and its lines become evidence. Quiet windows cost a few numbers and
//! are forgotten when the next window starts, so memory follows the busiest clients, not
//! the file. Logs are close to time order per client; a line from an earlier window starts
//! a new window, which undercounts a scrambled log rather than mixing windows.

use super::Evidence;
use super::client_map::{ClientKey, ClientMap};
use crate::time::LogTime;

/// A client's hot windows: the most matches in any window, and the lines of every hot one.
#[derive(Debug, Clone)]
pub struct HotWindows {
    /// The most matching requests in any one window.
    pub peak_matches: u32,
    /// Requests in the window with the peak.
    pub peak_total: u32,
    /// Every line of every hot window, `None` if no window got hot.
    pub evidence: Option<Evidence>,
}

#[derive(Debug, Clone)]
struct ClientWindow {
    window: i64,
    total: u32,
    matches: u32,
    pending: Vec<(u64, LogTime)>,
    hot: HotWindows,
}

/// Counts requests and matches per client per window of `window_secs`.
#[derive(Debug, Clone)]
pub struct WindowCounter {
    window_secs: i64,
    floor: u32,
    max_evidence_lines: usize,
    clients: ClientMap<ClientWindow>,
}

impl WindowCounter {
    /// Windows of `window_secs`; a window with `floor` matches is hot.
    pub fn new(window_secs: i64, floor: u32, max_evidence_lines: usize) -> Self {
        Self {
            window_secs: window_secs.max(1),
            floor: floor.max(1),
            max_evidence_lines,
            clients: ClientMap::default(),
        }
    }

    /// Counts one request; `matches` says whether it is what this counter looks for.
    pub fn add(&mut self, client: &ClientKey<'_>, line_no: u64, time: LogTime, matches: bool) {
        let window = time.epoch_secs.div_euclid(self.window_secs);
        // A client is remembered from its first match on.
        let state = self
            .clients
            .get_or_insert_if(client, matches, || ClientWindow {
                window,
                total: 0,
                matches: 0,
                pending: Vec::new(),
                hot: HotWindows {
                    peak_matches: 0,
                    peak_total: 0,
                    evidence: None,
                },
            });
        let Some(state) = state else {
            return;
        };
        if state.window != window {
            state.window = window;
            state.total = 0;
            state.matches = 0;
            state.pending.clear();
        }
        state.total += 1;
        if !matches {
            return;
        }
        state.matches += 1;
        if state.matches > state.hot.peak_matches {
            state.hot.peak_matches = state.matches;
            state.hot.peak_total = state.total;
        }
        if state.matches < self.floor {
            // A counter that lists no lines only counts.
            if self.max_evidence_lines > 0 {
                state.pending.push((line_no, time));
            }
            return;
        }
        let evidence = &mut state.hot.evidence;
        for (line, at) in state.pending.drain(..).chain([(line_no, time)]) {
            match evidence {
                Some(evidence) => evidence.add(line, at),
                None => *evidence = Some(Evidence::new(line, at, self.max_evidence_lines)),
            }
        }
    }

    /// Lines of clients not tracked because too many were.
    pub fn untracked_lines(&self) -> u64 {
        self.clients.untracked_lines()
    }

    /// Every client that matched at least once, with its hot windows.
    pub fn finish(self) -> impl Iterator<Item = (Box<str>, HotWindows)> {
        self.clients
            .into_iter()
            .map(|(client, state)| (client, state.hot))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> LogTime {
        LogTime {
            epoch_secs: secs,
            offset_secs: 0,
        }
    }

    #[test]
    fn a_hot_window_keeps_all_its_lines_and_a_quiet_one_none() {
        let mut counter = WindowCounter::new(60, 3, 100);
        // Window 0: two matches (quiet). Window 1: four matches and one other request.
        counter.add(&ClientKey::new("a"), 1, at(0), true);
        counter.add(&ClientKey::new("a"), 2, at(10), true);
        for (i, secs) in [60, 61, 62, 63].into_iter().enumerate() {
            counter.add(&ClientKey::new("a"), 3 + i as u64, at(secs), true);
        }
        counter.add(&ClientKey::new("a"), 7, at(64), false);
        let (client, hot) = counter.finish().next().unwrap();
        assert_eq!(&*client, "a");
        assert_eq!((hot.peak_matches, hot.peak_total), (4, 4));
        let evidence = hot.evidence.unwrap();
        assert_eq!(evidence.count(), 4);
        assert_eq!(evidence.first_seen(), at(60));
    }

    #[test]
    fn clients_without_matches_are_not_remembered() {
        let mut counter = WindowCounter::new(60, 3, 100);
        counter.add(&ClientKey::new("quiet"), 1, at(0), false);
        assert_eq!(counter.finish().count(), 0);
    }
}
