//! What the analysis worker tells the page.
//!
//! The page posts the worker one `Blob` (a dropped file, a sample, pasted text) and the
//! worker answers with a stream of [`WorkerEvent`]s: progress after every chunk, then
//! exactly one `Done` or `Failed`. Cancelling is terminating the worker, so there is no
//! message for it. Events cross as plain JS objects (`serde-wasm-bindgen`), tagged by
//! `kind`, which `www/worker-loader.js` also uses to report a worker that cannot start.

use loglens_core::Report;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WorkerEvent {
    /// Sent after each chunk is analysed.
    Progress {
        bytes_read: u64,
        total_bytes: u64,
        lines: u64,
    },
    /// The analysis is complete.
    Done { report: Box<Report> },
    /// The analysis stopped; `message` is a sentence for the user.
    Failed { message: String },
}
