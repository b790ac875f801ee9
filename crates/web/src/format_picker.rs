//! The format override: detection picks the format by default; the analyst can name it,
//! and the last file is read again in the chosen one.

use leptos::prelude::*;
use loglens_core::LogFormat;

/// The value of the "detect" choice.
const DETECT: &str = "auto";

/// A `<select>` of every format; `on_change(None)` asks for detection.
#[component]
pub fn FormatPicker(on_change: impl Fn(Option<LogFormat>) + 'static) -> impl IntoView {
    view! {
        <label class="format-picker">
            "Format "
            <select
                data-testid="format-select"
                on:change=move |event| on_change(LogFormat::from_name(&event_target_value(&event)))
            >
                <option value=DETECT selected=true>
                    "detect automatically"
                </option>
                {LogFormat::ALL
                    .into_iter()
                    .map(|format| view! { <option value=format.as_str()>{format.to_string()}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}
