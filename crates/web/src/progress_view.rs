//! The progress bar, with bytes read, speed, time left and a Cancel button.

use crate::analysis_state::AnalysisState;
use leptos::prelude::*;
use loglens_core::figures::{group_thousands, human_bytes, human_duration};

#[component]
pub fn ProgressView(
    state: RwSignal<AnalysisState>,
    on_cancel: impl Fn() + 'static,
) -> impl IntoView {
    let running = move || state.with(|s| s.running().cloned());
    let detail = move || {
        running().map(|r| {
            let mut parts = vec![format!(
                "{} of {}",
                human_bytes(r.bytes_read),
                human_bytes(r.total_bytes)
            )];
            parts.push(format!("{} lines", group_thousands(r.lines)));
            if let Some(rate) = r.lines_per_sec() {
                parts.push(format!("{} lines/s", group_thousands(rate.round() as u64)));
            }
            if let Some(left) = r.secs_left() {
                parts.push(format!("about {} left", human_duration(left.ceil() as i64)));
            }
            parts.join(" · ")
        })
    };
    view! {
        <Show when=move || running().is_some()>
            <div class="progress" data-testid="progress">
                <progress
                    max="1"
                    prop:value=move || running().map_or(0.0, |r| r.fraction_read())
                    aria-label="Share of the file read"
                ></progress>
                <span class="progress-detail">{detail}</span>
            </div>
        </Show>
        <button
            type="button"
            class="button"
            data-testid="cancel"
            hidden=move || running().is_none()
            on:click=move |_| on_cancel()
        >
            "Cancel"
        </button>
    }
}
