//! The page: owns the analysis state and lays out the parts.

use crate::analysis_state::AnalysisState;
use crate::ask_query::AskQuery;
use crate::baseline_view::BaselineView;
use crate::compare_view::CompareView;
use crate::drop_zone::DropZone;
use crate::export_bar::ExportBar;
use crate::finding_charts::FindingCharts;
use crate::finding_query::FindingQuery;
use crate::findings_table::FindingsTable;
use crate::follow_view::FollowView;
use crate::format_picker::FormatPicker;
use crate::history_view::HistoryView;
use crate::privacy::PseudonymStyle;
use crate::progress_view::ProgressView;
use crate::query_view::QueryView;
use crate::range_bar::RangeBar;
use crate::rejects_view::RejectsView;
use crate::rows_table::RowsTable;
use crate::rules_view::RulesView;
use crate::runner::Runner;
use crate::sample::{Sample, fetch_sample};
use crate::settings_store;
use crate::settings_view::SettingsView;
use crate::sigma_view::SigmaView;
use crate::status_line::StatusLine;
use crate::summary_view::SummaryView;
use crate::time_charts::TimeCharts;
use crate::time_view::TimeView;
use crate::traffic_chart::TrafficChart;
use crate::training_view::TrainingView;
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    crate::worker_client::keep_spares();
    let state = RwSignal::new(AnalysisState::default());
    let runner = Runner::new(state);
    let report = Signal::derive(move || state.with(|s| s.report().cloned()));
    let source = Signal::derive(move || state.with(|s| s.source().to_owned()));
    let query = RwSignal::new(FindingQuery {
        sensitivity: settings_store::sensitivity(),
        ..FindingQuery::default()
    });
    // The sensitivity is a setting: remembered in this browser as it changes.
    Effect::new(move |_| settings_store::remember_sensitivity(query.with(|q| q.sensitivity)));
    let chosen = RwSignal::new(None::<usize>);
    let time_view = TimeView::new(query);
    // Whether (and how) exports and the history are pseudonymised.
    let hiding = RwSignal::new(None::<PseudonymStyle>);
    // "Everything this client did", asked from a finding, answered by the query view.
    provide_context(AskQuery(RwSignal::new(None)));
    // A new report starts with no detail open and no client or time picked.
    Effect::new(move |_| {
        report.track();
        chosen.set(None);
        time_view.clear();
        query.update(|q| {
            q.client = None;
            q.page = 0;
        });
    });
    let runner_store = StoredValue::new_local(runner.clone());

    let on_file = {
        let runner = runner.clone();
        move |name: String, file: web_sys::Blob| runner.start(name, &file)
    };
    let on_sample = {
        let runner = runner.clone();
        move |sample: Sample| {
            let runner = runner.clone();
            let ticket = runner.begin(&sample.name());
            wasm_bindgen_futures::spawn_local(async move {
                match fetch_sample(sample).await {
                    Ok(blob) => runner.run(ticket, sample.name(), &blob),
                    Err(message) => runner.fail(ticket, sample.name(), message),
                }
            });
        }
    };
    let on_format = {
        let runner = runner.clone();
        move |format| runner.set_format(format)
    };
    let on_summary_only = {
        let runner = runner.clone();
        move |event: web_sys::Event| runner.set_summary_only(event_target_checked(&event))
    };
    let on_cancel = move || runner.cancel();

    view! {
        <header class="masthead">
            <h1>"loglens"</h1>
            <p class="tagline">"Find attacks and oddities in server logs."</p>
            <p class="privacy" data-testid="privacy-note">
                "Your file never leaves this computer: it is analysed in this browser tab, and nothing is uploaded."
            </p>
        </header>
        <main>
            <DropZone on_file=on_file on_sample=on_sample />
            <div class="toolbar">
                <FormatPicker on_change=on_format />
                <SettingsView runner=runner_store />
                <RulesView runner=runner_store />
                <SigmaView runner=runner_store />
                <label class="toggle">
                    <input type="checkbox" data-testid="summary-only" on:change=on_summary_only />
                    " Quick look: summarise only, no detectors"
                </label>
            </div>
            <BaselineView state=state runner=runner_store />
            <TrainingView state=state runner=runner_store />
            <FollowView runner=runner_store />
            <StatusLine state=state runner=runner_store />
            <ProgressView state=state on_cancel=on_cancel />
            <Show when=move || report.get().is_some()>
                <SummaryView report=report />
                <ExportBar report=report query=query source=source runner=runner_store hiding=hiding />
                <FindingsTable report=report query=query chosen=chosen runner=runner_store />
                <QueryView runner=runner_store report=report />
                <CompareView report=report query=query view=time_view runner=runner_store />
                <RangeBar report=report query=query view=time_view />
                <TrafficChart report=report query=query view=time_view />
                <FindingCharts report=report query=query />
                <TimeCharts report=report view=time_view />
                <RejectsView report=report />
                <RowsTable report=report />
            </Show>
            <HistoryView state=state runner=runner_store hiding=hiding />
        </main>
    }
}
