//! The page's handle on the analysis workers.
//!
//! One worker per analysis, or a team of them sharing the detectors on a machine with
//! cores to spare ([`AnalysisTeam`]): starting another or cancelling drops the handle,
//! which terminates the workers at once, wherever they are in the file. The worker is started through
//! `worker-loader.js`, which holds messages posted before its wasm is ready (Trunk's own
//! worker glue drops them) and reports a worker that cannot start.

use crate::js_error;
use crate::protocol::{AnalyzeChoices, TeamPlace, WorkerEvent, WorkerRequest};
use std::cell::RefCell;
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

thread_local! {
    /// Workers started before they are needed, their engine loading or loaded: an analysis
    /// then starts at once instead of after the engine loads (70 to 100 ms in Chromium).
    static SPARES: RefCell<Vec<Worker>> = const { RefCell::new(Vec::new()) };
}

/// Starts spare workers until there are as many as an analysis on this machine starts at
/// once (one per core, at most `MAX_USEFUL_TEAM`). The page calls it when it opens and
/// after each analysis, so the next one finds them loaded.
pub fn keep_spares() {
    let wanted = cores().clamp(1, loglens_core::MAX_USEFUL_TEAM);
    SPARES.with_borrow_mut(|spares| {
        while spares.len() < wanted {
            match Worker::new(LOADER_URL) {
                Ok(worker) => spares.push(worker),
                // The analysis itself will try again, and say why it cannot.
                Err(_) => break,
            }
        }
    });
}

/// How long after an analysis ends new spare workers start.
const SPARES_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

/// A spare worker, or a new one.
fn take_worker() -> Result<Worker, String> {
    if let Some(worker) = SPARES.with_borrow_mut(Vec::pop) {
        return Ok(worker);
    }
    Worker::new(LOADER_URL).map_err(|e| {
        format!(
            "The analysis worker could not start: {}",
            js_error::describe(&e)
        )
    })
}

/// The cores the browser says this machine has.
fn cores() -> usize {
    web_sys::window().map_or(1, |w| w.navigator().hardware_concurrency() as usize)
}

impl AnalysisWorker {
    /// Starts a worker (a spare if there is one) whose events, including its crashes, go
    /// to `on_event`.
    pub fn spawn(on_event: impl Fn(WorkerEvent) + 'static) -> Result<Self, String> {
        let worker = take_worker()?;
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
            if matches!(
                event,
                WorkerEvent::Done { .. }
                    | WorkerEvent::Failed { .. }
                    | WorkerEvent::Lines { .. }
                    | WorkerEvent::Queried { .. }
                    | WorkerEvent::QueryTable { .. }
            ) {
                // This worker's job is done: have spares ready for the next one, once the
                // page has shown the outcome (their engines loading meanwhile would slow it).
                leptos::prelude::set_timeout(keep_spares, SPARES_AFTER);
            }
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

    /// Starts a worker (a spare if there is one) on `request`; its events, including
    /// its crashes, go to `on_event`.
    pub fn start(
        request: &WorkerRequest,
        on_event: impl Fn(WorkerEvent) + 'static,
    ) -> Result<Self, String> {
        let worker = Self::spawn(on_event)?;
        worker.send(request)?;
        Ok(worker)
    }

    /// Posts the worker `request`.
    pub fn send(&self, request: &WorkerRequest) -> Result<(), String> {
        send_to(&self.worker, request)
    }
}

/// Posts `request` to `worker`; the file's `Blob` crosses by reference, and the relay's
/// ports (if any) are transferred.
fn send_to(worker: &Worker, request: &WorkerRequest) -> Result<(), String> {
    let message = serde_wasm_bindgen::to_value(request).map_err(|e| e.to_string());
    let ports = match request {
        WorkerRequest::Analyze { relay, .. } => relay.clone(),
        _ => js_sys::Array::new(),
    };
    message
        .and_then(|message| {
            worker
                .post_message_with_transfer(&message, &ports)
                .map_err(|e| js_error::describe(&e))
        })
        .map_err(|problem| {
            format!("The file could not be handed to the analysis worker: {problem}")
        })
}

impl Drop for AnalysisWorker {
    fn drop(&mut self) {
        // Detach first: the closures die with this handle and must never be called after.
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

/// One analysis, in one worker or shared between several, the detectors shared out
/// (`loglens_core::Analysis::team`). The first reports progress and the outcome; the
/// others' work goes to it through the page when they are done, and the outcome is the
/// one a single worker would give.
pub struct AnalysisTeam {
    _workers: Vec<AnalysisWorker>,
}

impl std::fmt::Debug for AnalysisTeam {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnalysisTeam")
            .field("workers", &self._workers.len())
            .finish()
    }
}

impl AnalysisTeam {
    /// Analyses `input` as `choices` say, in as many workers as help: one when the
    /// analysis cannot be shared (learning, training), has no detectors to share (a quick
    /// look), or the machine has one core. `on_event` hears progress and the ending, as
    /// from one worker.
    pub fn start(
        input: &Blob,
        choices: AnalyzeChoices,
        on_event: impl Fn(WorkerEvent) + 'static,
    ) -> Result<Self, String> {
        let shareable = !(choices.learn || choices.train || choices.summary_only);
        let members = if shareable {
            cores().clamp(1, loglens_core::MAX_USEFUL_TEAM)
        } else {
            1
        };
        if members == 1 {
            let request = WorkerRequest::Analyze {
                input: input.clone(),
                choices,
                team: None,
                relay: js_sys::Array::new(),
            };
            return Ok(Self {
                _workers: vec![AnalysisWorker::start(&request, on_event)?],
            });
        }
        let on_event = Rc::new(on_event);
        // The others' work and memory, gathered until every one has sent it.
        let shares: Rc<RefCell<Vec<(String, u64)>>> = Rc::default();
        let helpers_memory = Rc::clone(&shares);
        let deliver = Rc::clone(&on_event);
        let lead = AnalysisWorker::spawn(move |event| match event {
            // The engine's memory is every member's.
            WorkerEvent::Done {
                report,
                baseline,
                trained,
                memory_bytes,
            } => deliver(WorkerEvent::Done {
                report,
                baseline,
                trained,
                memory_bytes: memory_bytes
                    + helpers_memory.borrow().iter().map(|(_, m)| m).sum::<u64>(),
            }),
            other => deliver(other),
        })?;
        let now_secs = (js_sys::Date::now() / 1000.0) as i64;
        let place = |member| TeamPlace {
            member,
            of: members,
            now_secs,
        };
        let mut workers = Vec::with_capacity(members);
        // The first member reads the file and passes it on (`crate::relay`), through a
        // channel to each other member.
        let to_others = js_sys::Array::new();
        for member in 1..members {
            let channel = web_sys::MessageChannel::new().map_err(|e| {
                format!(
                    "The workers could not be connected: {}",
                    js_error::describe(&e)
                )
            })?;
            to_others.push(&channel.port1());
            let shares = Rc::clone(&shares);
            let on_event = Rc::clone(&on_event);
            let lead_worker = lead.worker.clone();
            let helper = AnalysisWorker::spawn(move |event| match event {
                WorkerEvent::Shared { work, memory_bytes } => {
                    shares.borrow_mut().push((work, memory_bytes));
                    if shares.borrow().len() < members - 1 {
                        return;
                    }
                    // The first member handles this after its own reading, in order.
                    // Taken, not copied: the shares can be large, and the page needs
                    // only their memory figures after this.
                    let texts = shares
                        .borrow_mut()
                        .iter_mut()
                        .map(|(work, _)| std::mem::take(work))
                        .collect();
                    let handed =
                        send_to(&lead_worker, &WorkerRequest::FinishTeam { shares: texts });
                    if let Err(message) = handed {
                        on_event(WorkerEvent::Failed { message });
                    }
                }
                // Only the first member's progress is shown.
                WorkerEvent::Progress { .. } => {}
                other => on_event(other),
            })?;
            helper.send(&WorkerRequest::Analyze {
                input: input.clone(),
                choices: choices.clone(),
                team: Some(place(member)),
                relay: js_sys::Array::of1(&channel.port2()),
            })?;
            workers.push(helper);
        }
        lead.send(&WorkerRequest::Analyze {
            input: input.clone(),
            choices,
            team: Some(place(0)),
            relay: to_others,
        })?;
        workers.insert(0, lead);
        Ok(Self { _workers: workers })
    }
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
