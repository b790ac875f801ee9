//! The page: owns the analysis state and the worker, and lays out the parts.

use crate::analysis_state::AnalysisState;
use crate::drop_zone::DropZone;
use crate::progress_view::ProgressView;
use crate::rejects_view::RejectsView;
use crate::rows_table::RowsTable;
use crate::summary_view::SummaryView;
use crate::traffic_chart::TrafficChart;
use crate::worker_client::AnalysisWorker;
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::Blob;

#[component]
pub fn App() -> impl IntoView {
    let state = RwSignal::new(AnalysisState::default());
    // Not a signal: a Worker is neither Send nor Sync. Replacing or clearing it
    // terminates the worker it held.
    let worker: Rc<RefCell<Option<AnalysisWorker>>> = Rc::default();

    let start = {
        let worker = worker.clone();
        move |source: String, input: Blob| {
            worker.borrow_mut().take();
            state.set(AnalysisState::start(
                source.clone(),
                input.size() as u64,
                now_ms(),
            ));
            let spawned =
                AnalysisWorker::spawn(move |event| state.update(|s| s.apply(event, now_ms())));
            match spawned.and_then(|w| w.analyze(&input).map(|()| w)) {
                Ok(started) => *worker.borrow_mut() = Some(started),
                Err(message) => state.set(AnalysisState::Failed { source, message }),
            }
        }
    };
    let fail =
        move |source: String, message: String| state.set(AnalysisState::Failed { source, message });
    let cancel = move || {
        worker.borrow_mut().take();
        state.update(AnalysisState::cancel);
    };
    let report = Signal::derive(move || state.with(|s| s.report().cloned()));

    view! {
        <header class="masthead">
            <h1>"loglens"</h1>
            <p class="tagline">"Find attacks and oddities in server logs."</p>
            <p class="privacy" data-testid="privacy-note">
                "Your file never leaves this computer: it is analysed in this browser tab, and nothing is uploaded."
            </p>
        </header>
        <main>
            <DropZone on_input=start on_error=fail />
            <StatusLine state=state />
            <ProgressView state=state on_cancel=cancel />
            <Show when=move || report.get().is_some()>
                <SummaryView report=report />
                <TrafficChart report=report />
                <RejectsView report=report />
                <RowsTable report=report />
            </Show>
        </main>
    }
}

/// One sentence on where the analysis is, carrying `data-state` for tests and scripts.
#[component]
fn StatusLine(state: RwSignal<AnalysisState>) -> impl IntoView {
    let text = move || {
        state.with(|s| match s {
            AnalysisState::Idle => "Drop a log file to begin.".to_owned(),
            AnalysisState::Cancelled { source } => format!("Cancelled the analysis of {source}."),
            AnalysisState::Running(running) => format!("Analysing {}…", running.source),
            AnalysisState::Done { source, .. } => format!("Analysed {source}."),
            AnalysisState::Failed { source, message } => {
                format!("Could not analyse {source}: {message}")
            }
        })
    };
    view! {
        <p
            class="status"
            data-testid="analysis-status"
            data-state=move || state.with(AnalysisState::status_name)
            role="status"
            aria-live="polite"
        >
            {text}
        </p>
    }
}

/// The page's clock in milliseconds, for progress rates.
fn now_ms() -> f64 {
    js_sys::Date::now()
}
