//! A worker kept for the page's small jobs that need the engine: pseudonymising an export
//! or a saved analysis, checking rules. They run off the page's thread, and the page's
//! own module carries no regular expressions (a sixth of its code) and none of the
//! pseudonymiser.
//!
//! The worker answers these jobs one at a time, in the order asked, so each answer goes
//! to the oldest question. A worker that fails (a crash) is let go, and the next job
//! starts another.

use crate::protocol::{WorkerEvent, WorkerRequest};
use crate::worker_client::AnalysisWorker;
use loglens_core::Report;
use loglens_core::detect::CustomRule;
use loglens_core::line_collector::NumberedLine;
use loglens_core::pseudonym::PseudonymMode;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// Who waits for an answer.
type Waiter = Box<dyn FnOnce(WorkerEvent)>;

struct Helper {
    worker: AnalysisWorker,
    /// The waiters of the questions asked and not yet answered, oldest first.
    waiting: Rc<RefCell<VecDeque<Waiter>>>,
}

thread_local! {
    static HELPER: RefCell<Option<Helper>> = const { RefCell::new(None) };
}

impl Helper {
    fn start() -> Result<Self, String> {
        let waiting: Rc<RefCell<VecDeque<Waiter>>> = Rc::default();
        let answered = Rc::clone(&waiting);
        let worker = AnalysisWorker::spawn(move |event| {
            let failed = matches!(event, WorkerEvent::Failed { .. });
            if matches!(event, WorkerEvent::Progress { .. }) {
                return;
            }
            let waiter = answered.borrow_mut().pop_front();
            if let Some(waiter) = waiter {
                waiter(event);
            }
            if failed {
                // Let it go a moment later, not from inside its own handler.
                wasm_bindgen_futures::spawn_local(async {
                    HELPER.with_borrow_mut(Option::take);
                });
            }
        })?;
        // It took a spare worker: have another ready for the next analysis.
        leptos::prelude::set_timeout(
            crate::worker_client::keep_spares,
            std::time::Duration::from_secs(1),
        );
        Ok(Self { worker, waiting })
    }
}

impl Drop for Helper {
    fn drop(&mut self) {
        // Nobody is left waiting forever.
        let waiters: Vec<Waiter> = self.waiting.borrow_mut().drain(..).collect();
        for waiter in waiters {
            waiter(WorkerEvent::Failed {
                message: "The page's helper worker stopped before it answered.".to_owned(),
            });
        }
    }
}

/// Posts `request` to the helper (started if need be), `waiter` to hear the answer.
fn post(request: &WorkerRequest, waiter: Waiter) -> Result<(), String> {
    HELPER.with_borrow_mut(|helper| {
        if helper.is_none() {
            *helper = Some(Helper::start()?);
        }
        let Some(helper) = helper.as_ref() else {
            return Err("The page's helper worker could not start.".to_owned());
        };
        helper.worker.send(request)?;
        helper.waiting.borrow_mut().push_back(waiter);
        Ok(())
    })
}

/// The helper's answer to `request`.
async fn ask(request: WorkerRequest) -> WorkerEvent {
    let answer: Rc<RefCell<Option<WorkerEvent>>> = Rc::default();
    let mut posted = Ok(());
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let answer = Rc::clone(&answer);
        posted = post(
            &request,
            Box::new(move |event| {
                *answer.borrow_mut() = Some(event);
                let _ = resolve.call0(&JsValue::NULL);
            }),
        );
    });
    if let Err(message) = posted {
        return WorkerEvent::Failed { message };
    }
    let _ = JsFuture::from(promise).await;
    answer.take().unwrap_or_else(|| WorkerEvent::Failed {
        message: "The page's helper worker did not answer.".to_owned(),
    })
}

/// `report`, `lines` and the file's name `source`, pseudonymised with `mode`.
pub async fn hide(
    mode: PseudonymMode,
    source: &str,
    report: &Report,
    lines: Vec<NumberedLine>,
) -> Result<(String, Report, Vec<NumberedLine>), String> {
    let request = WorkerRequest::Hide {
        report: Box::new(report.clone()),
        mode,
        source: source.to_owned(),
        lines,
    };
    match ask(request).await {
        WorkerEvent::Hidden {
            report,
            source,
            lines,
        } => Ok((source, *report, lines)),
        WorkerEvent::Failed { message } => Err(message),
        _ => Err("The page's helper worker answered something else.".to_owned()),
    }
}

/// What is wrong with `rule`, if anything (`CustomRule::check`'s sentence).
pub async fn rule_problem(rule: CustomRule) -> Option<String> {
    match ask(WorkerRequest::CheckRule { rule }).await {
        WorkerEvent::RuleChecked { problem } => problem,
        WorkerEvent::Failed { message } => Some(message),
        _ => Some("the page's helper worker answered something else".to_owned()),
    }
}

/// The Sigma rules in `rules` (a JSON array of rule documents) that cannot run, with
/// the reason.
pub async fn refused_sigma_rules(
    rules: String,
) -> Result<Vec<loglens_core::sigma::Unsupported>, String> {
    match ask(WorkerRequest::CheckSigma { rules }).await {
        WorkerEvent::SigmaChecked { refused } => refused,
        WorkerEvent::Failed { message } => Err(message),
        _ => Err("the page's helper worker answered something else".to_owned()),
    }
}

/// The rules in a rules file's `text`, checked (`rules_from_json`).
pub async fn read_rules(text: String) -> Result<Vec<CustomRule>, String> {
    match ask(WorkerRequest::ReadRules { text }).await {
        WorkerEvent::RulesRead { rules } => rules,
        WorkerEvent::Failed { message } => Err(message),
        _ => Err("the page's helper worker answered something else".to_owned()),
    }
}
