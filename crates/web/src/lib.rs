//! The loglens web page.
//!
//! A Leptos client-side app: the page takes a file (dropped, picked, or the bundled
//! sample), hands it to a Web Worker that runs `loglens-core` on it slice by slice, shows
//! progress, then the report. Nothing is uploaded: the only requests the page makes are
//! for its own static files.
//!
//! The state the view reads is plain Rust ([`analysis_state`]) tested natively; view code
//! only reads it. The worker side is [`worker`]; the page's handle on it is
//! [`worker_client`]; the messages between them are [`protocol`]. The worker is built
//! without the `page` feature, so it carries none of the views.

#[cfg(feature = "page")]
mod analysis_state;
#[cfg(feature = "page")]
mod app;
#[cfg(feature = "page")]
mod ask_query;
#[cfg(feature = "page")]
mod baseline_store;
#[cfg(feature = "page")]
mod baseline_view;
#[cfg(feature = "page")]
mod canvas_chart;
#[cfg(feature = "page")]
mod chart_style;
#[cfg(feature = "page")]
mod classifier_store;
#[cfg(feature = "page")]
mod compare_view;
#[cfg(feature = "page")]
mod download;
#[cfg(feature = "page")]
mod drop_zone;
#[cfg(feature = "page")]
mod export_bar;
#[cfg(feature = "page")]
mod finding_charts;
#[cfg(feature = "page")]
mod finding_detail;
#[cfg(feature = "page")]
mod finding_query;
#[cfg(feature = "page")]
mod findings_table;
#[cfg(feature = "page")]
mod follow_view;
#[cfg(feature = "page")]
mod follower;
#[cfg(feature = "page")]
mod format_picker;
#[cfg(feature = "page")]
mod helper_worker;
#[cfg(feature = "page")]
mod history_store;
#[cfg(feature = "page")]
mod history_view;
mod js_error;
#[cfg(feature = "page")]
mod kept_model;
#[cfg(feature = "page")]
mod match_profile;
#[cfg(feature = "page")]
mod model_actions;
#[cfg(feature = "page")]
mod model_file;
#[cfg(feature = "page")]
mod picked_file;
#[cfg(feature = "page")]
mod privacy;
#[cfg(feature = "page")]
mod progress_view;
mod protocol;
#[cfg(feature = "page")]
mod query_view;
#[cfg(feature = "page")]
mod range_bar;
#[cfg(feature = "page")]
mod rejects_view;
mod relay;
#[cfg(feature = "page")]
mod rows_table;
#[cfg(feature = "page")]
mod rules_view;
#[cfg(feature = "page")]
mod runner;
#[cfg(feature = "page")]
mod sample;
#[cfg(feature = "page")]
mod settings_store;
#[cfg(feature = "page")]
mod settings_view;
#[cfg(feature = "page")]
mod sigma_own_rules;
#[cfg(feature = "page")]
mod sigma_view;
#[cfg(feature = "page")]
mod sigma_yaml_client;
pub mod sigma_yaml_worker;
#[cfg(feature = "page")]
mod status_line;
#[cfg(feature = "page")]
mod summary_view;
#[cfg(all(test, feature = "page"))]
mod test_findings;
#[cfg(feature = "page")]
mod time_charts;
#[cfg(feature = "page")]
mod time_view;
#[cfg(feature = "page")]
mod traffic_chart;
#[cfg(feature = "page")]
mod training_view;
pub mod worker;
#[cfg(feature = "page")]
mod worker_client;

#[cfg(feature = "page")]
pub use app::App;
