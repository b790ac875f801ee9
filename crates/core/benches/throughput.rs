//! How fast the engine reads logs: each format's parser alone over its bundled example,
//! the whole analysis with and without the two Isolation Forests over the 10,332-line
//! access log, and the forest's fit and score on their own.
//!
//! `cargo bench -p loglens-core --bench throughput`; criterion prints the time per run and
//! the lines per second (its "thrpt"), as medians over many runs.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use loglens_core::detect::DetectionOptions;
use loglens_core::model::forest::{ForestOptions, IsolationForest};
use loglens_core::parse::LineParser;
use loglens_core::{AnalysisOptions, LogFormat, LogTime, analyze_bytes};
use std::hint::black_box;

const SAMPLE: &[u8] = include_bytes!("../../../example_logs/access_combined.log");

fn lines() -> u64 {
    SAMPLE.iter().filter(|&&b| b == b'\n').count() as u64
}

/// Each format's example, read by that format's parser alone (no detection, no reader).
fn parse(c: &mut Criterion) {
    let examples: [(&str, LogFormat, &[u8]); 6] = [
        ("combined", LogFormat::Combined, SAMPLE),
        (
            "nginx_error",
            LogFormat::NginxError,
            include_bytes!("../../../example_logs/nginx_error.log"),
        ),
        (
            "syslog_rfc3164",
            LogFormat::Syslog3164,
            include_bytes!("../../../example_logs/auth.log"),
        ),
        (
            "json_lines",
            LogFormat::JsonLines,
            include_bytes!("../../../example_logs/access_caddy.jsonl"),
        ),
        (
            "python_logging",
            LogFormat::PythonLogging,
            include_bytes!("../../../example_logs/app_python.log"),
        ),
        (
            "flow_csv",
            LogFormat::FlowCsv,
            include_bytes!("../../../example_logs/flows_cicids.csv"),
        ),
    ];
    let mut group = c.benchmark_group("parse");
    for (name, format, bytes) in examples {
        let text = std::str::from_utf8(bytes).expect("the examples are UTF-8");
        group.throughput(Throughput::Elements(text.lines().count() as u64));
        let now = LogTime::parse_rfc3339("2024-06-01T00:00:00Z").expect("a valid time");
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut parser = LineParser::for_format(format, now);
                text.lines()
                    .filter(|line| parser.parse(black_box(line)).is_ok())
                    .count()
            })
        });
    }
    group.finish();
}

/// The Isolation Forest alone: fitting 100 trees, and scoring 10,000 points with them.
fn forest(c: &mut Criterion) {
    // A deterministic spread of 8-feature points, as the per-line model sees them.
    let points: Vec<Vec<f64>> = (0..10_000u64)
        .map(|i| {
            (0..8u64)
                .map(|k| ((i.wrapping_mul(2_654_435_761) >> (k * 3)) % 1000) as f64 / 100.0)
                .collect()
        })
        .collect();
    let options = ForestOptions::default();
    let mut group = c.benchmark_group("forest");
    group.bench_function("fit_100_trees", |b| {
        b.iter(|| IsolationForest::fit(black_box(&points), &options))
    });
    let fitted = IsolationForest::fit(&points, &options).expect("points to fit");
    group.throughput(Throughput::Elements(points.len() as u64));
    group.bench_function("score", |b| {
        b.iter(|| {
            points
                .iter()
                .map(|p| fitted.score(black_box(p)))
                .sum::<f64>()
        })
    });
    // All at once, as the per-client model scores its clients.
    group.bench_function("scores", |b| b.iter(|| fitted.scores(black_box(&points))));
    // Only the unusual ones, as both models need them: ordinary points stop early.
    group.bench_function("scores_reaching_0.65", |b| {
        b.iter(|| fitted.scores_reaching(black_box(&points), 0.65))
    });
    group.bench_function("explain", |b| {
        b.iter(|| {
            points
                .iter()
                .map(|p| fitted.explain(black_box(p)).score)
                .sum::<f64>()
        })
    });
    group.finish();
}

fn analyze(c: &mut Criterion) {
    let mut group = c.benchmark_group("analyze");
    group.throughput(Throughput::Elements(lines()));
    group.sample_size(20);
    group.bench_function("everything", |b| {
        b.iter(|| analyze_bytes(black_box(SAMPLE), AnalysisOptions::default()))
    });
    let rules_only = AnalysisOptions {
        detection: DetectionOptions {
            line_model: None,
            client_model: None,
            ..DetectionOptions::default()
        },
        ..AnalysisOptions::default()
    };
    group.bench_function("without_models", |b| {
        b.iter(|| analyze_bytes(black_box(SAMPLE), rules_only.clone()))
    });
    group.finish();
}

criterion_group!(benches, parse, analyze, forest);
criterion_main!(benches);
