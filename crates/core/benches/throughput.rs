//! How fast the engine reads logs: the access-log parser alone, and the whole analysis
//! with and without the two Isolation Forests, over the bundled 10,332-line sample.
//!
//! `cargo bench -p loglens-core --bench throughput`; criterion prints the time per run and
//! the lines per second (its "thrpt"), as medians over many runs.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use loglens_core::detect::DetectionOptions;
use loglens_core::{AnalysisOptions, analyze_bytes};
use std::hint::black_box;

const SAMPLE: &[u8] = include_bytes!("../../../example_logs/access_combined.log");

fn lines() -> u64 {
    SAMPLE.iter().filter(|&&b| b == b'\n').count() as u64
}

fn parse(c: &mut Criterion) {
    let text = std::str::from_utf8(SAMPLE).expect("the sample is UTF-8");
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Elements(lines()));
    group.bench_function("combined", |b| {
        b.iter(|| {
            text.lines()
                .filter(|line| loglens_core::parse::combined::parse(black_box(line)).is_ok())
                .count()
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

criterion_group!(benches, parse, analyze);
criterion_main!(benches);
