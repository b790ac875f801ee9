//! Where a file comes in: dropped on the zone, picked in a dialog, or the bundled sample.

use crate::js_error;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, DragEvent, File, FileList, HtmlInputElement};

/// The sample log bundled into the site (Trunk copies `example_logs/`).
const SAMPLE_URL: &str = "example_logs/access_combined.log";
const SAMPLE_NAME: &str = "access_combined.log (sample)";

/// `on_input(name, bytes)` receives whatever the user chose; `on_error(name, message)`
/// hears about an input that could not be had at all.
#[component]
pub fn DropZone(
    on_input: impl Fn(String, Blob) + Clone + 'static,
    on_error: impl Fn(String, String) + Copy + 'static,
) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let take_files = {
        let on_input = on_input.clone();
        move |files: Option<FileList>| {
            if let Some(file) = files.and_then(|list| list.get(0)) {
                on_input(file.name(), File::into(file));
            }
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
    let on_sample = move |_| {
        let on_input = on_input.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match fetch_blob(SAMPLE_URL).await {
                Ok(blob) => on_input(SAMPLE_NAME.to_owned(), blob),
                Err(message) => on_error(SAMPLE_NAME.to_owned(), message),
            }
        });
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
            <p class="drop-title">"Drop an access log here"</p>
            <p class="drop-hint">"Apache or Nginx, common or combined format, any size."</p>
            <div class="drop-actions">
                <label class="button primary">
                    "Choose a file…"
                    <input type="file" class="visually-hidden" data-testid="file-input" on:change=on_pick />
                </label>
                <button type="button" class="button" data-testid="try-sample" on:click=on_sample>
                    "Try a sample"
                </button>
            </div>
        </section>
    }
}

/// Fetches a file of the site itself as a Blob.
async fn fetch_blob(url: &str) -> Result<Blob, String> {
    let window = web_sys::window().ok_or("there is no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| js_error::describe(&e))?
        .unchecked_into();
    if !response.ok() {
        return Err(format!(
            "the sample could not be loaded (HTTP {})",
            response.status()
        ));
    }
    let blob = JsFuture::from(response.blob().map_err(|e| js_error::describe(&e))?)
        .await
        .map_err(|e| js_error::describe(&e))?;
    Ok(blob.unchecked_into())
}
