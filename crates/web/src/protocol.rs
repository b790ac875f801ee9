//! What the page and the analysis workers say to each other.
//!
//! The page posts a worker a [`WorkerRequest`] and the worker answers with a stream of
//! [`WorkerEvent`]s:
//!
//! | request | answer |
//! |---|---|
//! | `Analyze`, alone or as a team's first member | `Progress`…, then `Done` or `Failed` |
//! | `Analyze` as another member of a team | `Shared` (or `Failed`) |
//! | `FinishTeam` (to the first member: the others' `Shared` work) | `Done` or `Failed` |
//! | `FollowStart`, `FollowMore` | `Done` with the report so far, or `Failed` |
//! | `FindLines` | `Lines` or `Failed` |
//! | `Query` | `QueryProgress`…, then `Queried` or `Failed` |
//! | `QueryTable` | `QueryTable` (the CSV) or `Failed` |
//! | `Hide` | `Hidden` or `Failed` |
//! | `CheckRule` | `RuleChecked` |
//! | `ReadRules` | `RulesRead` |
//! | `CheckSigma` | `SigmaChecked` |
//!
//! Cancelling is terminating the worker, so there is no message for it. Both cross as
//! plain JS objects (`serde-wasm-bindgen`), a request by its one key and an event by its
//! `kind`; the file's
//! `Blob` crosses by reference, so it is never copied whole. `www/worker-loader.js` also
//! sends `Failed` for a worker that cannot start.

use loglens_core::detect::CustomRule;
use loglens_core::line_collector::NumberedLine;
use loglens_core::pseudonym::PseudonymMode;
use loglens_core::query::QueryOutcome;
use loglens_core::{DetectionOptions, LogFormat, Report};
use serde::{Deserialize, Serialize};
use web_sys::Blob;

/// What the page asks of a worker. Tagged from outside (`{ analyze: {…} }`): the `Blob`
/// survives only a tag serde need not buffer the request to find.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkerRequest {
    /// Analyse `input` as `choices` say: alone, or as one member of an analysis shared
    /// between workers (`loglens_core::Analysis::team`).
    Analyze {
        #[serde(with = "serde_wasm_bindgen::preserve")]
        input: Blob,
        choices: AnalyzeChoices,
        team: Option<TeamPlace>,
        /// In a team, the `MessagePort`s the file's pieces pass through (`crate::relay`):
        /// the first member's to each other member, or another member's one from it.
        /// Empty otherwise. Ports cross in the message's transfer list.
        #[serde(with = "serde_wasm_bindgen::preserve")]
        relay: js_sys::Array,
    },
    /// To a team's first member: the other members' work (their `Shared` JSON text), to
    /// put the outcome together with once it has read the input itself.
    FinishTeam { shares: Vec<String> },
    /// Start following a growing file: analyse `input` (the file so far) and keep the
    /// analysis in the worker.
    FollowStart {
        #[serde(with = "serde_wasm_bindgen::preserve")]
        input: Blob,
        choices: AnalyzeChoices,
    },
    /// Feed the analysis being followed `input`: what was appended.
    FollowMore {
        #[serde(with = "serde_wasm_bindgen::preserve")]
        input: Blob,
    },
    /// Find these lines of `input` (by number) and send their text back: the evidence of
    /// a finding, read again from the file.
    FindLines {
        #[serde(with = "serde_wasm_bindgen::preserve")]
        input: Blob,
        lines: Vec<u64>,
    },
    /// Run `query` over every line of `input` (read in `format`, detected when `None`),
    /// keeping `keep` matching lines after the first `skip`; with `inventory`, every
    /// distinct client, path and template too, for a comparison.
    Query {
        #[serde(with = "serde_wasm_bindgen::preserve")]
        input: Blob,
        query: String,
        format: Option<LogFormat>,
        skip: u64,
        keep: usize,
        #[serde(default)]
        inventory: bool,
    },
    /// Write every line `query` matches in `input` as CSV (at most
    /// `loglens_core::query::MAX_TABLE_ROWS`).
    QueryTable {
        #[serde(with = "serde_wasm_bindgen::preserve")]
        input: Blob,
        query: String,
        format: Option<LogFormat>,
    },
    /// Pseudonymise `report`, `lines` (the evidence an HTML export shows) and `source`
    /// (the file's name) with `mode`, for an export or a saved analysis.
    Hide {
        #[serde(with = "json_text")]
        report: Box<Report>,
        mode: PseudonymMode,
        source: String,
        lines: Vec<NumberedLine>,
    },
    /// Check a rule as the editor has it.
    CheckRule { rule: CustomRule },
    /// Read and check a rules file's text.
    ReadRules { text: String },
    /// Compile Sigma rules (a JSON array of rule documents), to say which cannot run.
    CheckSigma { rules: String },
}

/// How to analyse an input: what the page's choices say.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyzeChoices {
    /// The format to read it in; `None` detects it.
    pub format: Option<LogFormat>,
    /// Only read and summarise, no detectors: a quick look at a huge file.
    pub summary_only: bool,
    /// The detectors' settings, as JSON text: their numbers cross exactly.
    #[serde(with = "json_text")]
    pub detection: DetectionOptions,
    /// A baseline (its JSON text) to judge the file against.
    pub baseline: Option<String>,
    /// Also learn a baseline from the file, and send it back with the report.
    pub learn: bool,
    /// A trained classifier (its JSON text) to score flows with.
    pub classifier: Option<String>,
    /// Also train a classifier on the file's labels, and send it back with the report.
    pub train: bool,
}

/// A worker's place in an analysis shared between workers (`loglens_core::Analysis::team`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamPlace {
    /// 0 for the first member, which reports progress and the outcome.
    pub member: usize,
    /// How many share the analysis.
    pub of: usize,
    /// "Now" for every member alike (seconds since 1970), so all read yearless times
    /// the same way.
    pub now_secs: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WorkerEvent {
    /// Sent after each chunk is analysed.
    Progress {
        bytes_read: u64,
        total_bytes: u64,
        lines: u64,
    },
    /// The analysis is complete; when asked to learn, with the baseline (JSON text).
    Done {
        /// Crosses as JSON text: a report of 10 million lines carries hundreds of thousands
        /// of evidence line numbers, which as a tree of JS values took the page's thread
        /// 180 ms to turn back into Rust, and as one string takes a few.
        #[serde(with = "json_text")]
        report: Box<Report>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        baseline: Option<String>,
        /// When asked to train: the classifier and its figures, or why none could be
        /// trained (JSON text of a `Result`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trained: Option<String>,
        /// The worker's WebAssembly memory at the end, in bytes: its peak, since wasm
        /// memory never shrinks.
        #[serde(default)]
        memory_bytes: u64,
    },
    /// A member of a shared analysis other than the first has read the input: what its
    /// detectors found (`loglens_core::MemberFindings` as JSON text), and its memory.
    Shared {
        work: String,
        #[serde(default)]
        memory_bytes: u64,
    },
    /// The lines asked for, found in the file (those past its end are absent).
    Lines { lines: Vec<NumberedLine> },
    /// A query's matches so far, every few megabytes read.
    QueryProgress {
        bytes_read: u64,
        total_bytes: u64,
        matched: u64,
        lines: Vec<NumberedLine>,
    },
    /// A query's whole outcome (as JSON text: its minutes can be many).
    Queried {
        #[serde(with = "json_text")]
        outcome: Box<QueryOutcome>,
    },
    /// A query's matching lines as CSV: `rows` of them, `left_out` more past the cap.
    QueryTable {
        csv: String,
        rows: u64,
        left_out: u64,
    },
    /// What `Hide` was given, pseudonymised.
    Hidden {
        #[serde(with = "json_text")]
        report: Box<Report>,
        source: String,
        lines: Vec<NumberedLine>,
    },
    /// What is wrong with the rule `CheckRule` was given, if anything.
    RuleChecked { problem: Option<String> },
    /// The rules `ReadRules` found, or why the text holds none that can be used.
    RulesRead {
        rules: Result<Vec<CustomRule>, String>,
    },
    /// The rules `CheckSigma` was given that cannot run, with the reason; or why the
    /// text is not a list of rules.
    SigmaChecked {
        refused: Result<Vec<loglens_core::sigma::Unsupported>, String>,
    },
    /// The request failed (the analysis stopped); `message` is a sentence for the user.
    Failed { message: String },
}

/// A value as JSON text inside a message.
mod json_text {
    use serde::de::DeserializeOwned;
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de, ser};

    pub fn serialize<T: Serialize, S: Serializer>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let json = serde_json::to_string(value).map_err(ser::Error::custom)?;
        serializer.serialize_str(&json)
    }

    pub fn deserialize<'de, T: DeserializeOwned, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        let json = String::deserialize(deserializer)?;
        serde_json::from_str(&json).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_crosses_as_json_text_and_comes_back_whole() {
        let report = loglens_core::analyze_bytes(
            b"10.0.0.1 - - [01/Mar/2024:10:00:00 +0000] \"GET /.env HTTP/1.1\" 404 1 \"-\" \"x\"\n",
            loglens_core::AnalysisOptions::default(),
        );
        let event = WorkerEvent::Done {
            report: Box::new(report.clone()),
            baseline: None,
            trained: None,
            memory_bytes: 7,
        };
        let wire = serde_json::to_value(&event).unwrap();
        assert!(wire["report"].is_string(), "{wire}");
        let WorkerEvent::Done { report: back, .. } = serde_json::from_value(wire).unwrap() else {
            panic!("not a Done event");
        };
        assert_eq!(*back, report);
    }
}
