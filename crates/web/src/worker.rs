//! The analysis Web Worker: reads the posted `Blob` in slices and runs the core on it.
//!
//! It runs off the page's thread, so a large file never freezes the page. It reads with
//! `FileReaderSync`, one slice at a time, so memory holds one slice and the analysis'
//! aggregates, never the file. The loop is synchronous on purpose: cancelling is the page
//! terminating the worker, which stops it between any two instructions.

use crate::js_error;
use crate::protocol::WorkerEvent;
use js_sys::Uint8Array;
use loglens_core::{Analysis, AnalysisOptions, Report};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

/// Bytes read per slice: large enough to keep the loop fast, small enough for frequent
/// progress updates.
const SLICE_BYTES: u64 = 1 << 20;

/// Installs the message handler. Called once by the worker binary's `main`.
pub fn start() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let handler_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let outcome = match event.data().dyn_into::<Blob>() {
            Ok(blob) => analyze(&handler_scope, &blob),
            Err(_) => Err("The analysis worker was sent something that is not a file.".to_owned()),
        };
        let last = match outcome {
            Ok(report) => WorkerEvent::Done {
                report: Box::new(report),
            },
            Err(message) => WorkerEvent::Failed { message },
        };
        post(&handler_scope, &last);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
}

fn analyze(scope: &DedicatedWorkerGlobalScope, blob: &Blob) -> Result<Report, String> {
    let reader = FileReaderSync::new().map_err(|e| js_error::describe(&e))?;
    // A Blob's size is an integral number of bytes, exactly representable up to 2^53.
    let total_bytes = blob.size() as u64;
    let mut analysis = Analysis::new(AnalysisOptions::default());
    let mut chunk = Vec::new();
    let mut offset = 0;
    while offset < total_bytes {
        let end = (offset + SLICE_BYTES).min(total_bytes);
        let slice = blob
            .slice_with_f64_and_f64(offset as f64, end as f64)
            .map_err(|e| js_error::describe(&e))?;
        let buffer = reader.read_as_array_buffer(&slice).map_err(|e| {
            format!(
                "The file could not be read at byte {offset}: {}",
                js_error::describe(&e)
            )
        })?;
        let bytes = Uint8Array::new(&buffer);
        chunk.resize(bytes.length() as usize, 0);
        bytes.copy_to(&mut chunk);
        analysis.feed(&chunk);
        offset = end;
        let progress = analysis.progress();
        post(
            scope,
            &WorkerEvent::Progress {
                bytes_read: progress.bytes_read,
                total_bytes,
                lines: progress.lines,
            },
        );
    }
    Ok(analysis.finish())
}

fn post(scope: &DedicatedWorkerGlobalScope, event: &WorkerEvent) {
    let message = serde_wasm_bindgen::to_value(event)
        .map_err(|e| e.to_string())
        .and_then(|value| {
            scope
                .post_message(&value)
                .map_err(|e| js_error::describe(&e))
        });
    if let Err(problem) = message {
        // Nothing else can tell the page; the console at least shows it.
        web_sys::console::error_1(
            &format!("loglens worker could not post a message: {problem}").into(),
        );
    }
}
