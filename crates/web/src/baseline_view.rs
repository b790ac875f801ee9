//! The baseline panel: learn normal from the open file, load a model file, download the
//! one kept, switch judging against it on or off, forget it.

use crate::analysis_state::AnalysisState;
use crate::baseline_store::StoredBaseline;
use crate::runner::Runner;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub fn BaselineView(
    state: RwSignal<AnalysisState>,
    runner: StoredValue<Runner, LocalStorage>,
) -> impl IntoView {
    let signals = runner.with_value(|r| r.baseline);
    let can_learn = move || {
        state.with(|s| matches!(s, AnalysisState::Done { .. }))
            && runner.with_value(Runner::has_input)
            && !signals.learning.get()
    };
    let status = move || {
        if signals.learning.get() {
            return "Learning what normal looks like from this file…".to_owned();
        }
        match signals.stored.get() {
            None => "No baseline: each file is judged by itself.".to_owned(),
            Some(baseline) => {
                let when = baseline
                    .learned_at
                    .map(|t| format!(", learned {}", t.format("%Y-%m-%d %H:%M UTC")))
                    .unwrap_or_default();
                let format = baseline
                    .format
                    .map(|f| format!(" from {f}"))
                    .unwrap_or_default();
                format!("Baseline: {}{format}{when}.", baseline.description)
            }
        }
    };
    let on_load = move |event: web_sys::Event| {
        let input: web_sys::HtmlInputElement = event.target().unwrap().unchecked_into();
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        // The same file can be chosen again after a fix.
        input.set_value("");
        wasm_bindgen_futures::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|text| text.as_string());
            let read = text
                .ok_or_else(|| "The file could not be read.".to_owned())
                .and_then(|text| StoredBaseline::read(&text));
            match read {
                Ok(baseline) => runner.with_value(|r| r.keep_baseline(baseline, true)),
                Err(problem) => signals.problem.set(Some(problem)),
            }
        });
    };
    let on_download = move |_| {
        if let Some(baseline) = signals.stored.get_untracked() {
            let saved = crate::export_bar::download(
                &baseline.json,
                &baseline.file_name(),
                "application/json",
            );
            if let Err(problem) = saved {
                signals
                    .problem
                    .set(Some(format!("The baseline could not be saved: {problem}")));
            }
        }
    };
    view! {
        <section class="baseline-panel" data-testid="baseline" aria-labelledby="baseline-title">
            <h2 id="baseline-title" class="visually-hidden">"Baseline"</h2>
            <p class="baseline-status" data-testid="baseline-status" aria-live="polite">{status}</p>
            <div class="baseline-actions">
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
                <label class="button small">
                    "Load a baseline…"
                    <input type="file" accept=".json,application/json" class="visually-hidden" data-testid="baseline-load" on:change=on_load />
                </label>
                <Show when=move || signals.stored.with(Option::is_some)>
                    <label class="toggle">
                        <input
                            type="checkbox"
                            data-testid="baseline-in-use"
                            prop:checked=move || signals.in_use.get()
                            on:change=move |event| {
                                let on = event_target_checked(&event);
                                runner.with_value(|r| r.use_baseline(on));
                            }
                        />
                        " Judge files against it"
                    </label>
                    <button type="button" class="button small" data-testid="baseline-download" on:click=on_download>"Download"</button>
                    <button type="button" class="button small" data-testid="baseline-forget" on:click=move |_| runner.with_value(Runner::forget_baseline)>"Forget"</button>
                </Show>
            </div>
            <Show when=move || signals.problem.with(Option::is_some)>
                <p class="baseline-problem" role="alert" data-testid="baseline-problem">{move || signals.problem.get().unwrap_or_default()}</p>
            </Show>
        </section>
    }
}
