//! Where logs come in: files dropped on the zone or picked in a dialog (several are read
//! as one log), lines pasted, or a bundled sample.

use crate::js_error;
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
    let problem = RwSignal::new(None::<String>);
    let on_file_for_paste = on_file.clone();
    let take_files = move |files: Option<FileList>| {
        let files: Vec<File> = files
            .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
            .unwrap_or_default();
        problem.set(None);
        match files.len() {
            0 => {}
            1 => {
                let file = files.into_iter().next().expect("one file");
                on_file(file.name(), File::into(file));
            }
            _ => {
                let on_file = on_file.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    match join_files(&files).await {
                        Ok((name, blob)) => on_file(name, blob),
                        Err(message) => problem.set(Some(message)),
                    }
                });
            }
        }
    };
    let pasted = RwSignal::new(String::new());
    let on_paste = {
        let on_file = on_file_for_paste;
        move |_| {
            let text = pasted.get_untracked();
            if text.trim().is_empty() {
                return;
            }
            let parts = js_sys::Array::of1(&text.into());
            match Blob::new_with_str_sequence(&parts) {
                Ok(blob) => on_file("pasted text".to_owned(), blob),
                Err(e) => problem.set(Some(js_error::describe(&e))),
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
            <p class="drop-title">"Drop log files here"</p>
            <p class="drop-hint">"Access logs, error logs, syslog and auth.log, JSON lines, Python logging, network-flow CSV, any timestamped log, .gz too; any size. The format is detected."</p>
            <div class="drop-actions">
                <label class="button primary">
                    "Choose a file…"
                    <input type="file" multiple class="visually-hidden" data-testid="file-input" on:change=on_pick />
                </label>
                {sample_button(SAMPLES[0], "button", on_sample.clone())}
            </div>
            {move || problem.get().map(|message| view! { <p class="input-problem" role="alert" data-testid="drop-problem">{message}</p> })}
            <details class="paste">
                <summary>"…or paste log lines"</summary>
                <textarea
                    data-testid="paste-text"
                    rows="6"
                    spellcheck="false"
                    aria-label="Log lines to analyse"
                    placeholder="Paste lines from any log here"
                    prop:value=move || pasted.get()
                    on:input=move |event| pasted.set(event_target_value(&event))
                ></textarea>
                <button type="button" class="button" data-testid="paste-analyze" on:click=on_paste>
                    "Analyse the pasted lines"
                </button>
            </details>
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

/// Several dropped files as one input, in the order given (rotated logs read as one log):
/// plain files with a line ending between any two where the first lacks its last, or gzip
/// files back to back (one gzip stream of several members). Mixing the two is refused.
async fn join_files(files: &[File]) -> Result<(String, Blob), String> {
    let gzipped = |file: &File| file.name().to_ascii_lowercase().ends_with(".gz");
    let parts = js_sys::Array::new();
    if files.iter().all(gzipped) {
        files.iter().for_each(|file| {
            parts.push(file);
        });
    } else if files.iter().any(gzipped) {
        return Err(
            "Drop .gz files and plain files separately: they cannot be read as one log.".to_owned(),
        );
    } else {
        for (i, file) in files.iter().enumerate() {
            parts.push(file);
            if i + 1 < files.len() && !ends_with_newline(file).await? {
                parts.push(&"\n".into());
            }
        }
    }
    let blob = Blob::new_with_blob_sequence(&parts).map_err(|e| js_error::describe(&e))?;
    let names: Vec<String> = files.iter().map(File::name).collect();
    Ok((
        format!("{} ({} files)", names.join(", "), files.len()),
        blob,
    ))
}

/// Whether `file` ends with a line ending (or is empty).
async fn ends_with_newline(file: &File) -> Result<bool, String> {
    let size = file.size();
    if size < 1.0 {
        return Ok(true);
    }
    let last = file
        .slice_with_f64(size - 1.0)
        .map_err(|e| js_error::describe(&e))?;
    let buffer = wasm_bindgen_futures::JsFuture::from(last.array_buffer())
        .await
        .map_err(|e| js_error::describe(&e))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec() == [b'\n'])
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
