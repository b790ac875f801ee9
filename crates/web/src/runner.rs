//! Starts, replaces and cancels analyses: at most one runs at a time.
//!
//! Every start takes a new ticket. Work begun for an older ticket (a sample still
//! downloading, a worker's last message) finds its ticket stale and is dropped, so a late
//! answer can never overwrite what the user asked for since.

use crate::analysis_state::AnalysisState;
use crate::kept_model::{KeptModelKind, ModelFile, ModelSlot};
use crate::protocol::AnalyzeChoices;
use crate::protocol::{WorkerEvent, WorkerRequest};
use crate::worker_client::{AnalysisTeam, AnalysisWorker};
use leptos::prelude::*;
use loglens_core::line_collector::NumberedLine;
use loglens_core::supervised::TrainedClassifier;
use loglens_core::{DetectionOptions, LogFormat};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use web_sys::Blob;

/// The page's one analysis slot. Cheap to clone; clones share the slot.
#[derive(Clone)]
pub struct Runner {
    state: RwSignal<AnalysisState>,
    // Not in a signal: a Worker is neither Send nor Sync.
    worker: Rc<RefCell<Option<AnalysisTeam>>>,
    ticket: Rc<Cell<u64>>,
    /// The format chosen in the page; `None` detects it.
    format: Rc<Cell<Option<LogFormat>>>,
    /// Whether to only read and summarise, without detectors.
    summary_only: Rc<Cell<bool>>,
    /// The detectors' settings.
    detection: Rc<RefCell<DetectionOptions>>,
    /// The worker finding evidence lines for a detail, apart from the analysis.
    line_worker: Rc<RefCell<Option<AnalysisWorker>>>,
    /// The last input run, to read again in another format.
    last_input: Rc<RefCell<Option<(String, Blob)>>>,
    /// The baseline kept in this browser, and whether analyses use it.
    pub baseline: ModelSlot,
    /// The flow classifier kept in this browser, and whether analyses use it.
    pub classifier: ModelSlot,
    /// Whether the next run also learns a baseline, or trains a classifier.
    learn_next: Rc<Cell<bool>>,
    train_next: Rc<Cell<bool>>,
    /// The last training's figures, or why it failed.
    pub trained: RwSignal<Option<Result<TrainedClassifier, String>>>,
    /// The engine's memory at the end of the last analysis, in bytes.
    pub engine_memory: RwSignal<Option<u64>>,
    /// People's own rules, as the rules editor lists them (a query can add one).
    pub rules: RwSignal<Vec<loglens_core::detect::CustomRule>>,
    /// The ids of the Sigma rules chosen, as the Sigma panel lists them.
    pub sigma: RwSignal<Vec<String>>,
}

impl std::fmt::Debug for Runner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner")
            .field("ticket", &self.ticket.get())
            .finish_non_exhaustive()
    }
}

impl Runner {
    pub fn new(state: RwSignal<AnalysisState>) -> Self {
        let detection = crate::settings_store::detection();
        Self {
            rules: RwSignal::new(detection.custom_rules.clone()),
            sigma: RwSignal::new(sigma_ids(&detection.sigma_rules)),
            state,
            worker: Rc::default(),
            ticket: Rc::default(),
            format: Rc::default(),
            summary_only: Rc::default(),
            detection: Rc::new(RefCell::new(detection)),
            line_worker: Rc::default(),
            last_input: Rc::default(),
            baseline: ModelSlot::remembered(KeptModelKind::Baseline),
            classifier: ModelSlot::remembered(KeptModelKind::Classifier),
            train_next: Rc::default(),
            trained: RwSignal::new(None),
            engine_memory: RwSignal::new(None),
            learn_next: Rc::default(),
        }
    }

    /// Whether a file is open to learn from or read again.
    pub fn has_input(&self) -> bool {
        self.last_input.borrow().is_some()
    }

    /// The file open, to read again (a query), and the format chosen for it.
    pub fn input(&self) -> Option<(Blob, Option<LogFormat>)> {
        let input = self
            .last_input
            .borrow()
            .as_ref()
            .map(|(_, blob)| blob.clone());
        input.map(|blob| (blob, self.format.get()))
    }

    /// Reads the last input again, learning what normal looks like from it.
    pub fn learn_baseline(&self) {
        if self.has_input() {
            self.learn_next.set(true);
            self.rerun();
        }
    }

    /// Reads the last input again, training a classifier on its labels.
    pub fn train_classifier(&self) {
        if self.has_input() {
            self.train_next.set(true);
            self.rerun();
        }
    }

    fn slot(&self, which: KeptModelKind) -> ModelSlot {
        match which {
            KeptModelKind::Baseline => self.baseline,
            KeptModelKind::Classifier => self.classifier,
        }
    }

    /// Keeps `model` (learned, trained or loaded), uses it from now on, and reads the last
    /// input again with it when `rerun`.
    pub fn keep_model(&self, which: KeptModelKind, model: ModelFile, rerun: bool) {
        self.slot(which).keep(model);
        if rerun {
            self.rerun();
        }
    }

    /// Uses the kept model, or not, from now on, and reads the last input again.
    pub fn use_model(&self, which: KeptModelKind, in_use: bool) {
        self.slot(which).set_in_use(in_use);
        self.rerun();
    }

    /// Forgets the kept model, reading the last input again if it was in use.
    pub fn forget_model(&self, which: KeptModelKind) {
        if self.slot(which).forget() {
            self.rerun();
        }
    }

    /// Reads inputs in `format` from now on (`None`: detect it), and reads the last input
    /// again in it, if there was one.
    pub fn set_format(&self, format: Option<LogFormat>) {
        self.format.set(format);
        self.rerun();
    }

    /// Runs detectors from now on, or only summarises (a quick look at a huge file), and
    /// reads the last input again so.
    pub fn set_summary_only(&self, summary_only: bool) {
        self.summary_only.set(summary_only);
        self.rerun();
    }

    /// Reads lines `lines` of the last input again and gives their text to `on_done`; a
    /// newer request replaces an unanswered one.
    pub fn fetch_lines(
        &self,
        lines: Vec<u64>,
        on_done: impl FnOnce(Result<Vec<NumberedLine>, String>) + 'static,
    ) {
        let Some((_, input)) = self.last_input.borrow().clone() else {
            on_done(Err("The file is no longer open in this page.".to_owned()));
            return;
        };
        let slot = self.line_worker.clone();
        type OnDone = Box<dyn FnOnce(Result<Vec<NumberedLine>, String>)>;
        let on_done: Rc<RefCell<Option<OnDone>>> = Rc::new(RefCell::new(Some(Box::new(on_done))));
        let answer_to = on_done.clone();
        let request = WorkerRequest::FindLines { input, lines };
        let started = AnalysisWorker::start(&request, move |event| {
            let answer = match event {
                WorkerEvent::Lines { lines } => Ok(lines),
                WorkerEvent::Failed { message } => Err(message),
                WorkerEvent::Progress { .. }
                | WorkerEvent::Done { .. }
                | WorkerEvent::Shared { .. }
                | WorkerEvent::Hidden { .. }
                | WorkerEvent::RuleChecked { .. }
                | WorkerEvent::RulesRead { .. }
                | WorkerEvent::SigmaChecked { .. }
                | WorkerEvent::QueryProgress { .. }
                | WorkerEvent::Queried { .. }
                | WorkerEvent::QueryTable { .. } => return,
            };
            if let Some(on_done) = answer_to.borrow_mut().take() {
                on_done(answer);
            }
            // Free the worker a moment later, not from inside its own handler.
            let slot = slot.clone();
            wasm_bindgen_futures::spawn_local(async move {
                slot.borrow_mut().take();
            });
        });
        match started {
            Ok(worker) => *self.line_worker.borrow_mut() = Some(worker),
            Err(message) => {
                if let Some(on_done) = on_done.borrow_mut().take() {
                    on_done(Err(message));
                }
            }
        }
    }

    /// Shows a saved report: no file is at hand, so nothing can be read again for it.
    pub fn show_saved(&self, source: String, report: loglens_core::Report) {
        self.ticket.set(self.ticket.get() + 1);
        self.worker.borrow_mut().take();
        self.last_input.borrow_mut().take();
        self.state.set(AnalysisState::Done {
            source,
            report: std::sync::Arc::new(report),
        });
    }

    /// The detectors' settings the next analysis runs with.
    pub fn detection(&self) -> DetectionOptions {
        self.detection.borrow().clone()
    }

    /// Runs the detectors with `detection` from now on, and reads the last input again.
    pub fn set_detection(&self, detection: DetectionOptions) {
        *self.detection.borrow_mut() = detection;
        self.rerun();
    }

    /// How the page's choices say to analyse: format, detectors, the kept models in use.
    pub fn choices(&self) -> AnalyzeChoices {
        AnalyzeChoices {
            format: self.format.get(),
            summary_only: self.summary_only.get(),
            detection: self.detection(),
            baseline: self.baseline.json_in_use(),
            learn: false,
            classifier: self.classifier.json_in_use(),
            train: false,
        }
    }

    /// The ticket of the analysis the page shows or runs.
    pub fn ticket(&self) -> u64 {
        self.ticket.get()
    }

    /// Shows `report` as `ticket`'s result, unless a newer analysis has begun since;
    /// `input` is the file it came from, to read evidence lines from.
    pub fn show_report(
        &self,
        ticket: u64,
        source: String,
        report: loglens_core::Report,
        input: Option<Blob>,
    ) {
        if ticket == self.ticket.get() {
            *self.last_input.borrow_mut() = input.map(|input| (source.clone(), input));
            self.state.set(AnalysisState::Done {
                source,
                report: std::sync::Arc::new(report),
            });
        }
    }

    /// No run is learning or training any more.
    fn end_busy(&self) {
        self.baseline.busy.set(false);
        self.classifier.busy.set(false);
    }

    /// Runs with `rules` as the custom rules from now on, remembers them with the other
    /// settings, and reads the last input again.
    pub fn set_rules(&self, rules: Vec<loglens_core::detect::CustomRule>) {
        let mut detection = self.detection();
        self.rules.set(rules.clone());
        detection.custom_rules = rules;
        crate::settings_store::remember_detection(&detection);
        self.set_detection(detection);
    }

    /// Runs with the Sigma rules `documents` from now on, remembers them with the other
    /// settings, and reads the last input again.
    pub fn set_sigma_rules(&self, documents: Vec<serde_json::Value>) {
        let mut detection = self.detection();
        self.sigma.set(sigma_ids(&documents));
        detection.sigma_rules = documents.into();
        crate::settings_store::remember_detection(&detection);
        self.set_detection(detection);
    }

    /// Reads the last input again with the current choices (after a failure, or when a
    /// choice changes).
    pub fn rerun(&self) {
        let last = self.last_input.borrow().clone();
        if let Some((source, input)) = last {
            self.start(source, &input);
        }
    }

    /// Stops whatever runs and shows `source` as started; returns the new ticket.
    pub fn begin(&self, source: &str) -> u64 {
        self.worker.borrow_mut().take();
        let ticket = self.ticket.get() + 1;
        self.ticket.set(ticket);
        self.state
            .set(AnalysisState::start(source.to_owned(), 0, now_ms()));
        ticket
    }

    /// Analyses `input` for `ticket`, unless a newer analysis has begun since.
    pub fn run(&self, ticket: u64, source: String, input: &Blob) {
        if ticket != self.ticket.get() {
            return;
        }
        self.state.set(AnalysisState::start(
            source.clone(),
            input.size() as u64,
            now_ms(),
        ));
        let runner = self.clone();
        *self.last_input.borrow_mut() = Some((source.clone(), input.clone()));
        let learn = self.learn_next.replace(false) && !self.summary_only.get();
        let train = self.train_next.replace(false) && !self.summary_only.get();
        self.baseline.busy.set(learn);
        self.classifier.busy.set(train);
        let choices = AnalyzeChoices {
            baseline: if learn {
                None
            } else {
                self.baseline.json_in_use()
            },
            learn,
            train,
            ..self.choices()
        };
        match AnalysisTeam::start(input, choices, move |event| runner.on_event(ticket, event)) {
            Ok(team) => *self.worker.borrow_mut() = Some(team),
            Err(message) => self.fail(ticket, source, message),
        }
    }

    /// Begins and runs at once, for input that is already at hand.
    pub fn start(&self, source: String, input: &Blob) {
        let ticket = self.begin(&source);
        self.run(ticket, source, input);
    }

    /// Ends `ticket`'s analysis with an error, unless a newer one has begun since.
    pub fn fail(&self, ticket: u64, source: String, message: String) {
        if ticket == self.ticket.get() {
            self.end_busy();
            self.worker.borrow_mut().take();
            self.state.set(AnalysisState::Failed { source, message });
        }
    }

    /// Stops the running analysis at once.
    pub fn cancel(&self) {
        self.ticket.set(self.ticket.get() + 1);
        self.worker.borrow_mut().take();
        self.end_busy();
        self.state.update(AnalysisState::cancel);
    }

    fn on_event(&self, ticket: u64, event: WorkerEvent) {
        if ticket != self.ticket.get() {
            return;
        }
        let finished = !matches!(event, WorkerEvent::Progress { .. });
        if finished {
            self.end_busy();
        }
        if let WorkerEvent::Done {
            baseline,
            trained,
            memory_bytes,
            ..
        } = &event
        {
            self.engine_memory.set(Some(*memory_bytes));
            let source = self.state.with_untracked(|s| s.source().to_owned());
            if let Some(json) = baseline {
                match crate::baseline_store::learned(json, &source) {
                    Ok(model) => self.keep_model(KeptModelKind::Baseline, model, false),
                    Err(problem) => self.baseline.problem.set(Some(problem)),
                }
            }
            if let Some(json) = trained {
                let outcome = serde_json::from_str::<Result<TrainedClassifier, String>>(json)
                    .unwrap_or_else(|e| {
                        Err(format!("the training's result could not be read: {e}"))
                    });
                if let Ok(trained) = &outcome {
                    let model = crate::classifier_store::trained(trained.file.clone(), &source);
                    self.keep_model(KeptModelKind::Classifier, model, false);
                }
                self.trained.set(Some(outcome));
            }
        }
        self.state.update(|state| state.apply(event, now_ms()));
        if finished {
            // Free the worker's memory, but not from inside its own message handler,
            // which dropping it would destroy mid-call: a moment later instead.
            let runner = self.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if runner.ticket.get() == ticket {
                    runner.worker.borrow_mut().take();
                }
            });
        }
    }
}

/// The page's clock in milliseconds, for progress rates.
fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The ids of Sigma rule documents.
pub fn sigma_ids(documents: &[serde_json::Value]) -> Vec<String> {
    documents
        .iter()
        .filter_map(|d| d.get("id").and_then(|id| id.as_str()).map(str::to_owned))
        .collect()
}
