//! loglens core: reads server logs and finds what is odd in them.
//!
//! The engine behind both the web page (compiled to WebAssembly, run in a Web Worker) and
//! the command line. It is pure on purpose: no file system, no clock, no randomness of its
//! own, no browser APIs. Callers hand it bytes (in chunks, as they arrive) and receive a
//! [`Report`]; whatever needs a seed or "now" will take it as an argument. That keeps
//! every result reproducible and every part testable natively.
//!
//! The seams follow the data: a [`LineReader`] turns chunks into lines, a parser in
//! [`parse`] turns lines into records or reasons for rejecting them, and an [`Analysis`]
//! aggregates records into a [`Report`].

#![warn(missing_docs)]

mod analysis;
pub mod baseline;
pub mod campaign;
pub mod chart;
mod connection_addresses;
pub mod detect;
pub mod display_text;
mod distinct_clients;
pub mod evaluation;
pub mod event;

pub mod export;
mod features;
pub mod figures;
mod ground_truth;
mod input_decoder;
mod input_problem;
mod keyed_hash;

mod finding;
mod limits;
pub mod line_collector;
pub mod line_fields;
pub mod line_reader;
mod memo;
pub mod model;

pub mod parse;
pub mod pseudonym;
pub mod query;
pub mod record;
mod rejects;
mod report;
mod robust;
mod sensitivity;
pub mod supervised;

pub mod compare;
pub mod sigma;
mod stable_hash;
pub mod template;
mod time;
mod traffic;
pub mod user_agent;

pub use analysis::{
    Analysis, AnalysisOptions, IncompleteTeam, LeadAwaitingShares, MAX_USEFUL_TEAM, MemberFindings,
    Outcome, Progress, analyze_bytes,
};
pub use baseline::{Baseline, BaselineError, BaselineUse};
pub use detect::DetectionOptions;
pub use finding::{Contribution, Finding, FindingKind, Severity};
pub use input_decoder::{DecodeError, InputDecoder};
pub use input_problem::InputProblem;
pub use limits::LeftOut;
pub use line_reader::{Line, LineReader};
pub use parse::{LogFormat, RejectReason};
pub use rejects::{ReasonCount, RejectTally, RejectedLine};
pub use report::{BaselineNote, FieldCount, LabelCount, Report, RequestRow};
pub use sensitivity::{DEFAULT_SENSITIVITY, FindingFilter};
pub use time::LogTime;
pub use traffic::{MAX_BUCKETS, Traffic, TrafficBucket};
