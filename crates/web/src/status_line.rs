//! One sentence on where the analysis is, carrying `data-state` for tests and scripts.

use crate::analysis_state::AnalysisState;
use crate::runner::Runner;
use leptos::prelude::*;

/// The sentence, and after a failure a way to try again (the page stays usable either way:
/// any other file or sample can be analysed at once).
#[component]
pub fn StatusLine(
    state: RwSignal<AnalysisState>,
    runner: StoredValue<Runner, LocalStorage>,
) -> impl IntoView {
    let failed = move || state.with(|s| matches!(s, AnalysisState::Failed { .. }));
    let memory = runner.with_value(|r| r.engine_memory);
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
            <Show when=move || state.with(|s| matches!(s, AnalysisState::Done { .. })) && memory.get().is_some_and(|m| m > 0)>
                " "
                <span class="note" data-testid="engine-memory" data-bytes=move || memory.get().unwrap_or(0).to_string()>
                    {move || format!("(the engine used {} of memory)", loglens_core::figures::human_bytes(memory.get().unwrap_or(0)))}
                </span>
            </Show>
            <Show when=failed>
                " "
                <button
                    type="button"
                    class="button small"
                    data-testid="retry"
                    on:click=move |_| runner.with_value(|r| r.rerun())
                >
                    "Try again"
                </button>
            </Show>
        </p>
    }
}
