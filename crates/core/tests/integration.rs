//! The core's integration tests, one module a file, in one test binary: a binary a file
//! meant linking the engine into each of them, minutes of every test run.

mod baseline;
mod broken_input;
mod common;
mod example_labels;
mod golden;
mod hash_key;
mod hostile_payloads;
mod huge_figures;
mod json_extra_fields;
mod pseudonymization_leaks;
mod real_corpus;
mod real_logs;
mod sigma_rules;
mod supervised;
mod team;
