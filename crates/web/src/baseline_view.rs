//! The baseline panel: learn normal from the open file, or load, download, switch and
//! forget the baseline kept (see [`crate::kept_model`]).

use crate::analysis_state::AnalysisState;
use crate::model_actions::{ModelFileActions, ModelProblem};
use crate::runner::Runner;
use leptos::prelude::*;

#[component]
pub fn BaselineView(
    state: RwSignal<AnalysisState>,
    runner: StoredValue<Runner, LocalStorage>,
) -> impl IntoView {
    let slot = runner.with_value(|r| r.baseline);
    let can_learn = move || {
        state.with(|s| matches!(s, AnalysisState::Done { .. }))
            && runner.with_value(Runner::has_input)
            && !slot.busy.get()
    };
    let status = move || {
        if slot.busy.get() {
            return "Learning what normal looks like from this file…".to_owned();
        }
        slot.kept.with(|kept| match kept {
            None => "No baseline: each file is judged by itself.".to_owned(),
            Some(model) => model.summary.clone(),
        })
    };
    view! {
        <section class="model-panel" data-testid="baseline" aria-labelledby="baseline-title">
            <h2 id="baseline-title" class="visually-hidden">"Baseline"</h2>
            <p class="model-status" data-testid="baseline-status" aria-live="polite">{status}</p>
            <div class="model-actions">
                <button
                    type="button"
                    class="button small"
                    data-testid="baseline-learn"
                    title="Read this file again and keep what normal looks like in it, to judge later files against"
                    disabled=move || !can_learn()
                    on:click=move |_| runner.with_value(Runner::learn_baseline)
                >
                    "Learn normal from this file"
                </button>
                <ModelFileActions of=slot runner=runner use_label="Judge files against it" load_label="Load a baseline…" />
            </div>
            <ModelProblem of=slot />
        </section>
    }
}
