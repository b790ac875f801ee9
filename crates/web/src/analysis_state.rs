//! Where the page is with the file being analysed: plain data the view reads, changed only
//! by the transitions below, so it is tested natively without a browser.

use crate::protocol::WorkerEvent;
use loglens_core::Report;
use std::sync::Arc;

/// The page's analysis, from before a file is chosen to a report or an error.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum AnalysisState {
    /// Nothing analysed yet.
    #[default]
    Idle,
    /// The user cancelled the last analysis.
    Cancelled {
        source: String,
    },
    Running(RunningAnalysis),
    Done {
        source: String,
        report: Arc<Report>,
    },
    Failed {
        source: String,
        message: String,
    },
}

/// An analysis under way, with what the worker last reported.
#[derive(Debug, Clone, PartialEq)]
pub struct RunningAnalysis {
    /// The file name, or a description such as "pasted text".
    pub source: String,
    pub total_bytes: u64,
    pub bytes_read: u64,
    pub lines: u64,
    /// Page clock (milliseconds) when the analysis started and when it last reported.
    pub started_at_ms: f64,
    pub updated_at_ms: f64,
}

impl RunningAnalysis {
    /// Share of the input read, from 0 to 1.
    pub fn fraction_read(&self) -> f64 {
        if self.total_bytes == 0 {
            0.0
        } else {
            (self.bytes_read as f64 / self.total_bytes as f64).min(1.0)
        }
    }

    fn elapsed_secs(&self) -> Option<f64> {
        let secs = (self.updated_at_ms - self.started_at_ms) / 1000.0;
        (secs > 0.0).then_some(secs)
    }

    /// Lines analysed per second so far, once there is a measurement.
    pub fn lines_per_sec(&self) -> Option<f64> {
        self.elapsed_secs()
            .filter(|_| self.lines > 0)
            .map(|secs| self.lines as f64 / secs)
    }

    /// Seconds left at the speed so far, once there is a measurement.
    pub fn secs_left(&self) -> Option<f64> {
        let secs = self.elapsed_secs().filter(|_| self.bytes_read > 0)?;
        let bytes_per_sec = self.bytes_read as f64 / secs;
        Some(self.total_bytes.saturating_sub(self.bytes_read) as f64 / bytes_per_sec)
    }
}

impl AnalysisState {
    /// An analysis of `total_bytes` from `source` starting at page time `now_ms`.
    pub fn start(source: String, total_bytes: u64, now_ms: f64) -> Self {
        Self::Running(RunningAnalysis {
            source,
            total_bytes,
            bytes_read: 0,
            lines: 0,
            started_at_ms: now_ms,
            updated_at_ms: now_ms,
        })
    }

    /// Takes in what the worker said. Only a running analysis listens: a late event from
    /// a cancelled worker changes nothing.
    pub fn apply(&mut self, event: WorkerEvent, now_ms: f64) {
        let Self::Running(running) = self else { return };
        match event {
            WorkerEvent::Progress {
                bytes_read,
                total_bytes,
                lines,
            } => {
                running.bytes_read = bytes_read;
                running.total_bytes = total_bytes;
                running.lines = lines;
                running.updated_at_ms = now_ms;
            }
            WorkerEvent::Done { report, .. } => {
                *self = Self::Done {
                    source: std::mem::take(&mut running.source),
                    report: Arc::from(report),
                };
            }
            // Lines answer a detail's request, and the helper's answers its jobs, through
            // other workers; never an analysis's. A team's work goes to its first member,
            // never to the page's state.
            WorkerEvent::Lines { .. }
            | WorkerEvent::Shared { .. }
            | WorkerEvent::Hidden { .. }
            | WorkerEvent::RuleChecked { .. }
            | WorkerEvent::RulesRead { .. }
            | WorkerEvent::SigmaChecked { .. }
            | WorkerEvent::QueryProgress { .. }
            | WorkerEvent::Queried { .. }
            | WorkerEvent::QueryTable { .. } => {}
            WorkerEvent::Failed { message } => {
                *self = Self::Failed {
                    source: std::mem::take(&mut running.source),
                    message,
                };
            }
        }
    }

    /// Stops a running analysis; anything else stays as it is.
    pub fn cancel(&mut self) {
        if let Self::Running(running) = self {
            *self = Self::Cancelled {
                source: std::mem::take(&mut running.source),
            };
        }
    }

    /// The `data-state` the page exposes for tests and scripts.
    pub fn status_name(&self) -> &'static str {
        match self {
            Self::Idle | Self::Cancelled { .. } => "idle",
            Self::Running(_) => "running",
            Self::Done { .. } => "done",
            Self::Failed { .. } => "error",
        }
    }

    /// The name of the input the state is about (empty when idle).
    pub fn source(&self) -> &str {
        match self {
            Self::Idle => "",
            Self::Running(running) => &running.source,
            Self::Done { source, .. }
            | Self::Failed { source, .. }
            | Self::Cancelled { source, .. } => source,
        }
    }

    pub fn report(&self) -> Option<&Arc<Report>> {
        match self {
            Self::Done { report, .. } => Some(report),
            _ => None,
        }
    }

    pub fn running(&self) -> Option<&RunningAnalysis> {
        match self {
            Self::Running(running) => Some(running),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress(bytes_read: u64, lines: u64) -> WorkerEvent {
        WorkerEvent::Progress {
            bytes_read,
            total_bytes: 1000,
            lines,
        }
    }

    #[test]
    fn progress_then_done() {
        let mut state = AnalysisState::start("a.log".into(), 1000, 0.0);
        assert_eq!(state.status_name(), "running");
        state.apply(progress(250, 500), 2_000.0);
        let running = state.running().unwrap();
        assert_eq!(running.fraction_read(), 0.25);
        assert_eq!(running.lines_per_sec(), Some(250.0));
        // 250 bytes in 2 s: the other 750 take 6 s.
        assert_eq!(running.secs_left(), Some(6.0));
        state.apply(
            WorkerEvent::Done {
                baseline: None,
                trained: None,
                memory_bytes: 0,
                report: Box::default(),
            },
            3_000.0,
        );
        assert_eq!(state.status_name(), "done");
        assert!(matches!(&state, AnalysisState::Done { source, .. } if source == "a.log"));
    }

    #[test]
    fn no_speed_before_time_has_passed() {
        let state = AnalysisState::start("a.log".into(), 0, 5.0);
        let running = state.running().unwrap();
        assert_eq!(
            (
                running.lines_per_sec(),
                running.secs_left(),
                running.fraction_read()
            ),
            (None, None, 0.0)
        );
    }

    #[test]
    fn failure_keeps_the_message() {
        let mut state = AnalysisState::start("a.log".into(), 10, 0.0);
        state.apply(
            WorkerEvent::Failed {
                message: "boom".into(),
            },
            1.0,
        );
        assert_eq!(state.status_name(), "error");
        assert_eq!(
            state,
            AnalysisState::Failed {
                source: "a.log".into(),
                message: "boom".into()
            }
        );
    }

    #[test]
    fn events_after_cancel_are_ignored() {
        let mut state = AnalysisState::start("a.log".into(), 10, 0.0);
        state.cancel();
        state.apply(progress(5, 5), 1.0);
        state.apply(
            WorkerEvent::Done {
                baseline: None,
                trained: None,
                memory_bytes: 0,
                report: Box::default(),
            },
            1.0,
        );
        assert_eq!(
            state,
            AnalysisState::Cancelled {
                source: "a.log".into()
            }
        );
        assert_eq!(state.status_name(), "idle");
    }

    #[test]
    fn cancel_leaves_a_finished_report_alone() {
        let mut state = AnalysisState::start("a.log".into(), 10, 0.0);
        state.apply(
            WorkerEvent::Done {
                baseline: None,
                trained: None,
                memory_bytes: 0,
                report: Box::default(),
            },
            1.0,
        );
        state.cancel();
        assert_eq!(state.status_name(), "done");
    }
}
