//! The same actions for either kept model: load one from a file, download it, switch it
//! on or off, forget it; and the slot's problem, if any.

use crate::kept_model::ModelSlot;
use crate::picked_file::read_picked_text;
use crate::runner::Runner;
use leptos::prelude::*;

/// Load, use, download and forget, for one slot (the prop is not called `slot`: in a
/// Leptos view that word marks a slot, and the component would silently vanish).
#[component]
pub fn ModelFileActions(
    of: ModelSlot,
    runner: StoredValue<Runner, LocalStorage>,
    /// What the switch says: "Judge files against it".
    use_label: &'static str,
    /// What the load button says: "Load a baseline…".
    load_label: &'static str,
) -> impl IntoView {
    let id = of.which.test_id();
    let on_load = move |event: web_sys::Event| {
        read_picked_text(&event, move |text| {
            let read = text
                .ok_or_else(|| "The file could not be read.".to_owned())
                .and_then(|text| of.which.read(&text));
            match read {
                Ok(model) => runner.with_value(|r| r.keep_model(of.which, model, true)),
                Err(problem) => of.problem.set(Some(problem)),
            }
        });
    };
    let on_download = move |_| {
        if let Some(model) = of.kept.get_untracked() {
            let saved = crate::download::save(&model.json, &model.file_name, "application/json");
            if let Err(problem) = saved {
                of.problem
                    .set(Some(format!("It could not be saved: {problem}")));
            }
        }
    };
    view! {
        <label class="button small">
            {load_label}
            <input type="file" accept=".json,application/json" class="visually-hidden" data-testid=format!("{id}-load") on:change=on_load />
        </label>
        <Show when=move || of.kept.with(Option::is_some)>
            <label class="toggle">
                <input
                    type="checkbox"
                    data-testid=format!("{id}-in-use")
                    prop:checked=move || of.in_use.get()
                    on:change=move |event| {
                        let on = event_target_checked(&event);
                        runner.with_value(|r| r.use_model(of.which, on));
                    }
                />
                " "
                {use_label}
            </label>
            <button type="button" class="button small" data-testid=format!("{id}-download") on:click=on_download>"Download"</button>
            <button type="button" class="button small" data-testid=format!("{id}-forget") on:click=move |_| runner.with_value(|r| r.forget_model(of.which))>"Forget"</button>
        </Show>
    }
}

/// The slot's problem, if any, as an alert.
#[component]
pub fn ModelProblem(of: ModelSlot) -> impl IntoView {
    let id = of.which.test_id();
    view! {
        <Show when=move || of.problem.with(Option::is_some)>
            <p class="model-problem" role="alert" data-testid=format!("{id}-problem")>{move || of.problem.get().unwrap_or_default()}</p>
        </Show>
    }
}
