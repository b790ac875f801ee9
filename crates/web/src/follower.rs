//! Following a growing file in the page: the File System Access API gives a handle to a
//! file that can be read again later; every few seconds the follower asks it for the
//! file as it is now and sends the worker only what was appended. The worker keeps the
//! analysis between steps and answers each with the report so far, which replaces the
//! page's report. Optionally, a new critical finding raises a browser notification (made
//! by the browser on this machine; nothing is sent anywhere).

use crate::js_error;
use crate::protocol::{WorkerEvent, WorkerRequest};
use crate::runner::Runner;
use crate::worker_client::AnalysisWorker;
use leptos::prelude::*;
use loglens_core::{FindingFilter, FindingKind, Report, Severity};
use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};

/// What a followed file's name is shown with (and how its reports are told apart).
pub const FOLLOWING: &str = " (following)";

/// How often the file is looked at.
pub const EVERY: Duration = Duration::from_secs(3);

/// What the page shows while following.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowStatus {
    pub name: String,
    pub bytes: u64,
    /// The page's clock at the last look, in milliseconds.
    pub checked_at: f64,
}

/// A read of the followed file: from the start, or what was appended since the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FollowStep {
    Start,
    More,
}

/// Whether this browser can follow a file (has `showOpenFilePicker`).
pub fn supported() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"showOpenFilePicker".into()).ok())
        .is_some_and(|f| f.is_function())
}

/// The follower; cheap to clone, clones share it.
#[derive(Clone)]
pub struct Follower {
    runner: Runner,
    pub status: RwSignal<Option<FollowStatus>>,
    pub problem: RwSignal<Option<String>>,
    /// Whether to raise a notification for each new critical finding.
    pub notify: RwSignal<bool>,
    inner: Rc<Inner>,
}

#[derive(Default)]
struct Inner {
    worker: RefCell<Option<AnalysisWorker>>,
    handle: RefCell<Option<JsValue>>,
    interval: RefCell<Option<leptos::leptos_dom::helpers::IntervalHandle>>,
    ticket: Cell<u64>,
    offset: Cell<f64>,
    /// A step is with the worker: the next look waits for it.
    waiting: Cell<bool>,
    /// Critical findings already seen (kind, client), not to notify twice.
    critical: RefCell<HashSet<(FindingKind, String)>>,
    /// The worker is reading the file from its start: what it finds was there before.
    initial: Cell<bool>,
    /// The file as last read, for reading evidence lines again.
    latest: RefCell<Option<web_sys::File>>,
}

impl Follower {
    pub fn new(runner: Runner) -> Self {
        Self {
            runner,
            status: RwSignal::new(None),
            problem: RwSignal::new(None),
            notify: RwSignal::new(false),
            inner: Rc::default(),
        }
    }

    /// Asks for a file and follows it.
    pub async fn open(&self) {
        self.problem.set(None);
        match pick_file().await {
            Ok(handle) => self.start(handle).await,
            // Closing the picker is not a problem worth a message.
            Err(message) if message.contains("AbortError") => {}
            Err(message) => self.problem.set(Some(message)),
        }
    }

    async fn start(&self, handle: JsValue) {
        self.stop();
        let file = match file_of(&handle).await {
            Ok(file) => file,
            Err(message) => return self.problem.set(Some(message)),
        };
        let name = file.name();
        let ticket = self.runner.begin(&format!("{name}{FOLLOWING}"));
        self.inner.ticket.set(ticket);
        *self.inner.handle.borrow_mut() = Some(handle);
        self.inner.critical.borrow_mut().clear();
        let follower = self.clone();
        let worker = AnalysisWorker::spawn(move |event| follower.on_event(event));
        match worker {
            Ok(worker) => *self.inner.worker.borrow_mut() = Some(worker),
            Err(message) => return self.problem.set(Some(message)),
        }
        self.send(&file, 0.0, FollowStep::Start);
        let follower = self.clone();
        let interval = leptos::leptos_dom::helpers::set_interval_with_handle(
            move || {
                let follower = follower.clone();
                wasm_bindgen_futures::spawn_local(async move { follower.look().await });
            },
            EVERY,
        );
        match interval {
            Ok(interval) => *self.inner.interval.borrow_mut() = Some(interval),
            Err(e) => self.problem.set(Some(js_error::describe(&e))),
        }
    }

    /// Stops following (the report so far stays).
    pub fn stop(&self) {
        if let Some(interval) = self.inner.interval.borrow_mut().take() {
            interval.clear();
        }
        self.inner.worker.borrow_mut().take();
        self.inner.handle.borrow_mut().take();
        self.status.set(None);
    }

    /// Reads what was appended since the last look, if anything.
    async fn look(&self) {
        if self.runner.ticket() != self.inner.ticket.get() {
            // Another analysis took the page's place.
            return self.stop();
        }
        if self.inner.waiting.get() {
            return;
        }
        let Some(handle) = self.inner.handle.borrow().clone() else {
            return;
        };
        let file = match file_of(&handle).await {
            Ok(file) => file,
            Err(message) => {
                self.problem.set(Some(message));
                return self.stop();
            }
        };
        let size = file.size();
        let offset = self.inner.offset.get();
        self.status.update(|status| {
            if let Some(status) = status {
                status.checked_at = js_sys::Date::now();
            }
        });
        if size < offset {
            // Truncated or rotated: read it again from its start.
            self.inner.critical.borrow_mut().clear();
            self.send(&file, 0.0, FollowStep::Start);
        } else if size > offset {
            self.send(&file, offset, FollowStep::More);
        }
    }

    /// Sends the worker `file` from `from` on.
    fn send(&self, file: &web_sys::File, from: f64, step: FollowStep) {
        let slice = match file.slice_with_f64(from) {
            Ok(slice) => slice,
            Err(e) => return self.problem.set(Some(js_error::describe(&e))),
        };
        let start = step == FollowStep::Start;
        let request = if start {
            WorkerRequest::FollowStart {
                input: slice,
                choices: self.runner.choices(),
            }
        } else {
            WorkerRequest::FollowMore { input: slice }
        };
        let sent = self
            .inner
            .worker
            .borrow()
            .as_ref()
            .map(|worker| worker.send(&request));
        match sent {
            Some(Ok(())) => {
                self.inner.waiting.set(true);
                self.inner.initial.set(start);
                *self.inner.latest.borrow_mut() = Some(file.clone());
                self.inner.offset.set(file.size());
                self.status.set(Some(FollowStatus {
                    name: file.name(),
                    bytes: file.size() as u64,
                    checked_at: js_sys::Date::now(),
                }));
            }
            Some(Err(message)) => self.problem.set(Some(message)),
            None => {}
        }
    }

    fn on_event(&self, event: WorkerEvent) {
        match event {
            WorkerEvent::Done { report, .. } => {
                self.inner.waiting.set(false);
                self.notify_new_critical(&report);
                let file = self.inner.latest.borrow().clone().map(web_sys::Blob::from);
                let source = self
                    .status
                    .with_untracked(|s| s.as_ref().map(|s| format!("{}{FOLLOWING}", s.name)))
                    .unwrap_or_default();
                self.runner
                    .show_report(self.inner.ticket.get(), source, *report, file);
            }
            WorkerEvent::Failed { message } => {
                self.inner.waiting.set(false);
                self.problem.set(Some(message));
                self.stop();
            }
            WorkerEvent::Progress { .. }
            | WorkerEvent::Lines { .. }
            | WorkerEvent::Shared { .. }
            | WorkerEvent::Hidden { .. }
            | WorkerEvent::RuleChecked { .. }
            | WorkerEvent::RulesRead { .. }
            | WorkerEvent::SigmaChecked { .. }
            | WorkerEvent::QueryProgress { .. }
            | WorkerEvent::Queried { .. }
            | WorkerEvent::QueryTable { .. } => {}
        }
    }

    /// A notification per critical finding not seen before (none for those already there
    /// when following began).
    fn notify_new_critical(&self, report: &Report) {
        let first = self.inner.initial.replace(false);
        let mut seen = self.inner.critical.borrow_mut();
        let filter = FindingFilter::default();
        for finding in report
            .visible_findings(filter)
            .filter(|f| f.severity == Severity::Critical)
        {
            let fresh = seen.insert((finding.kind, finding.client.clone()));
            if fresh && !first && self.notify.get_untracked() {
                let body = format!("{} from {}", finding.kind.label(), finding.client);
                let options = web_sys::NotificationOptions::new();
                options.set_body(&loglens_core::display_text::for_display(&body, 200));
                // A notification the browser refuses is no reason to stop following.
                let _ = web_sys::Notification::new_with_options(
                    "loglens: new critical finding",
                    &options,
                );
            }
        }
    }
}

/// `window.showOpenFilePicker()`, the first handle chosen.
async fn pick_file() -> Result<JsValue, String> {
    let window = web_sys::window().ok_or("there is no window")?;
    let picker = js_sys::Reflect::get(&window, &"showOpenFilePicker".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or(UNSUPPORTED)?;
    let promise = picker
        .call0(&window)
        .map_err(|e| js_error::describe(&e))?
        .dyn_into::<js_sys::Promise>()
        .map_err(|_| "the file picker answered strangely".to_owned())?;
    let handles = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|e| js_error::describe(&e))?;
    js_sys::Reflect::get(&handles, &0.into())
        .ok()
        .filter(|h| !h.is_undefined())
        .ok_or_else(|| "no file was chosen".to_owned())
}

/// The file behind `handle`, as it is now.
async fn file_of(handle: &JsValue) -> Result<web_sys::File, String> {
    let get_file = js_sys::Reflect::get(handle, &"getFile".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or("the file handle cannot be read")?;
    let promise = get_file
        .call0(handle)
        .map_err(|e| js_error::describe(&e))?
        .dyn_into::<js_sys::Promise>()
        .map_err(|_| "the file handle answered strangely".to_owned())?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|e| {
            format!(
                "The file could not be read again: {}",
                js_error::describe(&e)
            )
        })?
        .dyn_into::<web_sys::File>()
        .map_err(|_| "the file handle gave something that is not a file".to_owned())
}

/// What the page says where following is impossible.
pub const UNSUPPORTED: &str = "Following a growing file needs the File System Access API, which this browser does not have (Chromium-based browsers do). Drop the file again to read it as it is now.";
