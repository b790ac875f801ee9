//! Each labelled example log, scored against its own labels: the detectors must find the
//! attacks every format's example holds, and flag little else. The floors sit a little
//! under what the engine reaches today, so a real regression fails and noise does not.

use loglens_core::evaluation::{Labels, evaluate};
use loglens_core::{AnalysisOptions, FindingFilter, analyze_bytes};

/// Analyses `log`, evaluates it against `labels` (or the file's own Label column), and
/// checks per-line precision and recall.
fn check(name: &str, log: &[u8], labels: Option<&str>, min_precision: f64, min_recall: f64) {
    let report = analyze_bytes(log, AnalysisOptions::default());
    let labels = match labels {
        Some(text) => Labels::from_csv(text).unwrap(),
        None => report.ground_truth.clone(),
    };
    assert!(!labels.is_empty(), "{name}: no labelled lines");
    let scores = evaluate(&report, &labels, FindingFilter::default()).per_line;
    let (precision, recall) = (scores.precision().unwrap(), scores.recall().unwrap());
    assert!(
        precision >= min_precision && recall >= min_recall,
        "{name}: precision {precision:.3}, recall {recall:.3} ({scores:?})"
    );
}

macro_rules! labelled {
    ($($name:ident: $log:literal, $labels:expr, $precision:expr, $recall:expr;)*) => {$(
        #[test]
        fn $name() {
            check(
                stringify!($name),
                include_bytes!(concat!("../../../example_logs/", $log)),
                $labels,
                $precision,
                $recall,
            );
        }
    )*};
}

labelled! {
    access_combined: "access_combined.log", Some(include_str!("../../../example_logs/access_combined.labels.csv")), 0.99, 0.99;
    access_common: "access_common.log", Some(include_str!("../../../example_logs/access_common.labels.csv")), 0.99, 0.99;
    access_werkzeug: "access_werkzeug.log", Some(include_str!("../../../example_logs/access_werkzeug.labels.csv")), 0.99, 0.99;
    auth: "auth.log", Some(include_str!("../../../example_logs/auth.labels.csv")), 0.99, 0.99;
    auth_rfc5424: "auth_rfc5424.log", Some(include_str!("../../../example_logs/auth_rfc5424.labels.csv")), 0.99, 0.99;
    nginx_error: "nginx_error.log", Some(include_str!("../../../example_logs/nginx_error.labels.csv")), 0.99, 0.99;
    apache_error: "apache_error.log", Some(include_str!("../../../example_logs/apache_error.labels.csv")), 0.99, 0.9;
    app_python: "app_python.log", Some(include_str!("../../../example_logs/app_python.labels.csv")), 0.95, 0.95;
    app_generic: "app_generic.log", Some(include_str!("../../../example_logs/app_generic.labels.csv")), 0.95, 0.95;
    flows_cicids: "flows_cicids.csv", None, 0.99, 0.99;
}
