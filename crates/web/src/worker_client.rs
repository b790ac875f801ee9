//! The page's handle on one analysis worker.
//!
//! One worker per analysis: starting another or cancelling drops the handle, which
//! terminates the worker at once, wherever it is in the file. The worker is started through
//! `worker-loader.js`, which holds messages posted before its wasm is ready (Trunk's own
//! worker glue drops them) and reports a worker that cannot start.

use crate::js_error;
use crate::protocol::{FollowStep, WorkerEvent, WorkerRequest};
use loglens_core::{DetectionOptions, LogFormat};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, ErrorEvent, MessageEvent, Worker};

/// Where Trunk's `copy-file` puts the loader, next to the unhashed `worker.js`.
const LOADER_URL: &str = "./worker-loader.js";

/// A running worker and the handlers that feed its events to the page.
pub struct AnalysisWorker {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl std::fmt::Debug for AnalysisWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnalysisWorker").finish_non_exhaustive()
    }
}

impl AnalysisWorker {
    /// Starts a worker whose events, including its crashes, go to `on_event`.
    pub fn spawn(on_event: impl Fn(WorkerEvent) + 'static) -> Result<Self, String> {
        let worker = Worker::new(LOADER_URL).map_err(|e| {
            format!(
                "The analysis worker could not start: {}",
                js_error::describe(&e)
            )
        })?;
        let on_event = Rc::new(on_event);

        let deliver = on_event.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |message: MessageEvent| {
            let event = serde_wasm_bindgen::from_value(message.data()).unwrap_or_else(|e| {
                WorkerEvent::Failed {
                    message: format!(
                        "The analysis worker sent a message the page cannot read: {e}"
                    ),
                }
            });
            deliver(event);
        });
        // An uncaught exception or a wasm trap (a panic) in the worker arrives here.
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |error: ErrorEvent| {
            error.prevent_default();
            on_event(WorkerEvent::Failed {
                message: crash_message(&error.message()),
            });
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Self {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Sends the worker the input to analyse and how (see [`AnalyzeChoices`]).
    pub fn analyze(&self, input: &Blob, choices: AnalyzeChoices) -> Result<(), String> {
        self.send(&WorkerRequest {
            input,
            format: choices.format,
            summary_only: choices.summary_only,
            detection: Some(choices.detection),
            lines: None,
            baseline: choices.baseline,
            learn: choices.learn,
            classifier: choices.classifier,
            train: choices.train,
            follow: choices.follow,
        })
    }

    /// Asks the worker for the text of lines `lines` of `input`.
    pub fn find_lines(&self, input: &Blob, lines: Vec<u64>) -> Result<(), String> {
        self.send(&WorkerRequest {
            input,
            format: None,
            summary_only: false,
            detection: None,
            lines: Some(lines),
            baseline: None,
            learn: false,
            classifier: None,
            train: false,
            follow: None,
        })
    }

    fn send(&self, request: &WorkerRequest<&Blob>) -> Result<(), String> {
        self.worker.post_message(&request.to_js()).map_err(|e| {
            format!(
                "The file could not be handed to the analysis worker: {}",
                js_error::describe(&e)
            )
        })
    }
}

impl Drop for AnalysisWorker {
    fn drop(&mut self) {
        // Detach first: the closures die with this handle and must never be called after.
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

/// How to analyse an input: what the page's choices say.
#[derive(Debug, Clone)]
pub struct AnalyzeChoices {
    /// The format to read it in; `None` detects it.
    pub format: Option<LogFormat>,
    /// Only read and summarise, no detectors.
    pub summary_only: bool,
    /// The detectors' settings.
    pub detection: DetectionOptions,
    /// A baseline (JSON text) to judge it against.
    pub baseline: Option<String>,
    /// Also learn a baseline from it.
    pub learn: bool,
    /// A trained classifier (JSON text) to score flows with.
    pub classifier: Option<String>,
    /// Also train a classifier on its labels.
    pub train: bool,
    /// A step of following a growing file, if that is what this is.
    pub follow: Option<FollowStep>,
}

/// What the page says when the worker dies: a trap (a panic in the engine aborts with
/// `unreachable`) or memory exhausted, told apart, each with what to do next.
pub fn crash_message(error: &str) -> String {
    let lower = error.to_ascii_lowercase();
    if lower.contains("memory") {
        format!(
            "The analysis ran out of memory ({error}). Try again, try the Quick look (it keeps far less), or split the file."
        )
    } else if lower.contains("unreachable") || lower.contains("runtimeerror") {
        format!(
            "The analysis engine crashed ({error}): a fault in loglens, not in your file. Try again; if it happens again, the Quick look may still read the file."
        )
    } else {
        format!("The analysis stopped with an error: {error}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crash_and_an_exhausted_memory_are_told_apart() {
        assert!(
            crash_message("Uncaught RuntimeError: unreachable")
                .starts_with("The analysis engine crashed")
        );
        assert!(
            crash_message(
                "Uncaught RangeError: WebAssembly.Memory.grow(): Maximum memory size exceeded"
            )
            .starts_with("The analysis ran out of memory")
        );
        assert_eq!(
            crash_message("Uncaught TypeError: x"),
            "The analysis stopped with an error: Uncaught TypeError: x"
        );
    }
}
