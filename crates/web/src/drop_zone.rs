//! Where a file comes in: dropped on the zone, picked in a dialog, or a bundled sample.

use crate::sample::{SAMPLES, Sample};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, DragEvent, File, FileList, HtmlInputElement};

/// `on_file(name, bytes)` receives a dropped or picked file; `on_sample(sample)` asks for
/// one of the bundled samples.
#[component]
pub fn DropZone(
    on_file: impl Fn(String, Blob) + Clone + 'static,
    on_sample: impl Fn(Sample) + Clone + 'static,
) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let take_files = move |files: Option<FileList>| {
        if let Some(file) = files.and_then(|list| list.get(0)) {
            on_file(file.name(), File::into(file));
        }
    };
    let on_drop = {
        let take_files = take_files.clone();
        move |event: DragEvent| {
            event.prevent_default();
            dragging.set(false);
            take_files(event.data_transfer().and_then(|transfer| transfer.files()));
        }
    };
    let on_pick = move |event: web_sys::Event| {
        let input = event
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok());
        if let Some(input) = input {
            take_files(input.files());
            // Picking the same file again should analyse it again.
            input.set_value("");
        }
    };
    view! {
        <section
            class="drop-zone"
            class:dragging=move || dragging.get()
            data-testid="drop-zone"
            on:dragover=move |event: DragEvent| {
                event.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <p class="drop-title">"Drop a log file here"</p>
            <p class="drop-hint">"Access logs, error logs, syslog and auth.log, JSON lines, Python logging, network-flow CSV, any timestamped log, .gz too; any size. The format is detected."</p>
            <div class="drop-actions">
                <label class="button primary">
                    "Choose a file…"
                    <input type="file" class="visually-hidden" data-testid="file-input" on:change=on_pick />
                </label>
                {sample_button(SAMPLES[0], "button", on_sample.clone())}
            </div>
            <div class="more-samples" role="group" aria-label="Samples in other formats">
                <span class="more-samples-label">"Samples in other formats:"</span>
                {SAMPLES[1..]
                    .iter()
                    .map(|&sample| sample_button(sample, "button small", on_sample.clone()))
                    .collect_view()}
            </div>
        </section>
    }
}

fn sample_button(
    sample: Sample,
    class: &'static str,
    on_sample: impl Fn(Sample) + 'static,
) -> impl IntoView {
    view! {
        <button type="button" class=class data-testid=sample.test_id on:click=move |_| on_sample(sample)>
            {sample.label}
        </button>
    }
}
