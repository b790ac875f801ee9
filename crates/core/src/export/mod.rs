//! Reports as files: JSON (the whole report) and CSV (flagged lines) for other programs,
//! one self-contained HTML file for people.
//!
//! These are contracts: people script against them, so field names and meanings only ever
//! grow. The CLI writes them, and the page will export the very same documents.

mod csv_lines;
mod html;
mod json;

pub(crate) use csv_lines::spreadsheet_safe;
pub use csv_lines::{FLAGGED_LINES_HEADER, wanted_flagged_lines, write_flagged_lines};
pub use html::{
    EVIDENCE_PER_FINDING, HtmlContext, finding_marks, html_report, wanted_evidence_lines,
};
pub use json::{JsonFinding, JsonReport, json_finding, json_report};
