//! The loglens web page.
//!
//! A Leptos client-side app: the page takes a file (dropped, picked, or the bundled
//! sample), hands it to a Web Worker that runs `loglens-core` on it slice by slice, shows
//! progress, then the report. Nothing is uploaded: the only requests the page makes are
//! for its own static files.
//!
//! The state the view reads is plain Rust ([`analysis_state`]) tested natively; view code
//! only reads it. The worker side is [`worker`]; the page's handle on it is
//! [`worker_client`]; the messages between them are [`protocol`].

mod analysis_state;
mod app;
mod baseline_store;
mod baseline_view;
mod canvas_chart;
mod chart_style;
mod classifier_store;
mod download;
mod drop_zone;
mod export_bar;
mod finding_charts;
mod finding_detail;
mod finding_query;
mod findings_table;
mod follow_view;
mod follower;
mod format_picker;
mod helper_worker;
mod history_store;
mod history_view;
mod js_error;
mod kept_model;
mod model_actions;
mod model_file;
mod picked_file;
mod privacy;
mod progress_view;
mod protocol;
mod rejects_view;
mod rows_table;
mod rules_view;
mod runner;
mod sample;
mod settings_store;
mod settings_view;
mod status_line;
mod summary_view;
mod time_charts;
mod traffic_chart;
mod training_view;
pub mod worker;
mod worker_client;

pub use app::App;
