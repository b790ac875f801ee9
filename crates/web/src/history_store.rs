//! Past analyses, kept in this browser's IndexedDB once the analyst turns that on (the
//! choice is remembered in localStorage): the summary and the findings, never the log's
//! lines (the report's first rows and rejected samples are dropped before saving).
//! Nothing here leaves the browser.

use crate::js_error;
use js_sys::{Array, Promise};
use loglens_core::{FindingFilter, Report};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransactionMode};

/// Where the choice to keep a history is remembered (localStorage).
const KEEP_STORAGE: &str = "loglens.keep-history";

const DATABASE: &str = "loglens";
const STORE: &str = "analyses";
/// Bumped when the store's shape changes.
const VERSION: u32 = 1;

/// Whether the analyst turned the history on (never, until they do).
pub fn keeping() -> bool {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(KEEP_STORAGE).ok().flatten())
        .is_some_and(|value| value == "yes")
}

/// Remembers whether to keep a history.
pub fn set_keeping(on: bool) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(KEEP_STORAGE, if on { "yes" } else { "no" });
    }
}

/// One saved analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedAnalysis {
    /// When it was saved, in milliseconds since the epoch: also its key.
    pub id: f64,
    /// The file's name.
    pub source: String,
    /// The report, without log lines (serialised as JSON text).
    pub report_json: String,
    /// For the list, without reading the report.
    pub lines: u64,
    pub findings: u64,
}

/// Evidence line numbers a saved finding keeps.
const SAVED_EVIDENCE_LINES: usize = 100;

impl SavedAnalysis {
    /// A saved copy of `report`: every figure and finding, none of the log's lines.
    pub fn of(id: f64, source: &str, report: &Report) -> Result<Self, String> {
        let mut kept = report.clone();
        kept.first_rows.clear();
        kept.rejects.samples.clear();
        kept.ground_truth = Default::default();
        // A saved analysis cannot read its file again, so thousands of evidence line
        // numbers per finding only make saving slow (each finding still counts them all).
        for finding in &mut kept.findings {
            finding.lines.truncate(SAVED_EVIDENCE_LINES);
        }
        Ok(Self {
            id,
            source: source.to_owned(),
            report_json: serde_json::to_string(&kept)
                .map_err(|e| format!("The report could not be saved: {e}"))?,
            lines: report.lines,
            findings: report.visible_findings(FindingFilter::default()).count() as u64,
        })
    }

    /// The report it keeps.
    pub fn report(&self) -> Result<Report, String> {
        serde_json::from_str(&self.report_json)
            .map_err(|e| format!("This saved analysis cannot be read any more: {e}"))
    }
}

/// Waits for an IndexedDB request to succeed, with its result.
async fn settled(request: &IdbRequest) -> Result<JsValue, String> {
    let promise = Promise::new(&mut |resolve, reject| {
        let done = request.clone();
        let on_success = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &done.result().unwrap_or(JsValue::UNDEFINED));
        });
        let on_error = Closure::once_into_js(move |event: web_sys::Event| {
            let _ = reject.call1(&JsValue::NULL, &event);
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise)
        .await
        .map_err(|e| format!("The browser's storage refused: {}", js_error::describe(&e)))
}

async fn open() -> Result<IdbDatabase, String> {
    let factory = web_sys::window()
        .ok_or("there is no window")?
        .indexed_db()
        .ok()
        .flatten()
        .ok_or("this browser keeps no IndexedDB here (a private window?)")?;
    let request = factory
        .open_with_u32(DATABASE, VERSION)
        .map_err(|e| js_error::describe(&e))?;
    let upgrade = request.clone();
    let on_upgrade = Closure::once_into_js(move || {
        if let Ok(result) = upgrade.result()
            && let Ok(database) = result.dyn_into::<IdbDatabase>()
            && !database.object_store_names().contains(STORE)
        {
            let options = web_sys::IdbObjectStoreParameters::new();
            options.set_key_path(&"id".into());
            let _ = database.create_object_store_with_optional_parameters(STORE, &options);
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    settled(&request)
        .await?
        .dyn_into::<IdbDatabase>()
        .map_err(|_| "the browser's storage did not open".to_owned())
}

fn store(
    database: &IdbDatabase,
    mode: IdbTransactionMode,
) -> Result<web_sys::IdbObjectStore, String> {
    database
        .transaction_with_str_and_mode(STORE, mode)
        .and_then(|transaction| transaction.object_store(STORE))
        .map_err(|e| js_error::describe(&e))
}

/// Saves `analysis`.
pub async fn save(analysis: &SavedAnalysis) -> Result<(), String> {
    let database = open().await?;
    let value = serde_wasm_bindgen::to_value(analysis).map_err(|e| e.to_string())?;
    let request = store(&database, IdbTransactionMode::Readwrite)?
        .put(&value)
        .map_err(|e| js_error::describe(&e))?;
    settled(&request).await.map(|_| ())
}

/// Every saved analysis, newest first.
pub async fn list() -> Result<Vec<SavedAnalysis>, String> {
    let database = open().await?;
    let request = store(&database, IdbTransactionMode::Readonly)?
        .get_all()
        .map_err(|e| js_error::describe(&e))?;
    let all: Array = settled(&request).await?.unchecked_into();
    let mut saved: Vec<SavedAnalysis> = all
        .iter()
        .filter_map(|value| serde_wasm_bindgen::from_value(value).ok())
        .collect();
    saved.sort_by(|a, b| b.id.total_cmp(&a.id));
    Ok(saved)
}

/// Deletes one saved analysis, or all of them (`None`).
pub async fn delete(id: Option<f64>) -> Result<(), String> {
    let database = open().await?;
    let store = store(&database, IdbTransactionMode::Readwrite)?;
    let request = match id {
        Some(id) => store.delete(&JsValue::from(id)),
        None => store.clear(),
    }
    .map_err(|e| js_error::describe(&e))?;
    settled(&request).await.map(|_| ())
}
