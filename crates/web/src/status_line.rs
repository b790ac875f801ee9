//! One sentence on where the analysis is, carrying `data-state` for tests and scripts.

use crate::analysis_state::AnalysisState;
use leptos::prelude::*;

#[component]
pub fn StatusLine(state: RwSignal<AnalysisState>) -> impl IntoView {
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
