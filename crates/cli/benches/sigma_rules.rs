//! What SigmaHQ's shipped rules cost per line: reading each line alone, and reading it
//! then running the compiled set (`rules/sigma`) on it; the difference is the rules'.
//!
//! `cargo bench -p loglens-cli --bench sigma_rules` runs on the real Elastic access log
//! in `example_logs/`; `LOGLENS_BENCH_LOG=FILE` runs on the first 200,000 lines of another
//! (the realistic generated log: `scripts/generate_realistic_access_log.py`). Criterion
//! prints medians.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use loglens_core::parse::LineParser;
use loglens_core::sigma::{Scratch, SigmaSet};
use loglens_core::{LogFormat, LogTime};
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn rule_documents(dir: &Path, out: &mut Vec<serde_json::Value>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the rules folder")
        .map(|e| e.expect("a folder entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rule_documents(&path, out);
        } else if path.extension().is_some_and(|e| e == "yml") {
            let text = std::fs::read_to_string(&path).expect("a rule file");
            out.extend(loglens_core::sigma::yaml_documents(&text).expect("YAML"));
        }
    }
}

fn sigma(c: &mut Criterion) {
    let log = std::env::var_os("LOGLENS_BENCH_LOG").map_or_else(
        || repo("example_logs/elastic_apache_combined.log"),
        PathBuf::from,
    );
    let text = std::fs::read_to_string(&log).expect("the log");
    let lines: Vec<&str> = text.lines().take(200_000).collect();
    let mut documents = Vec::new();
    rule_documents(&repo("rules/sigma"), &mut documents);
    let now = LogTime::parse_rfc3339("2024-06-01T00:00:00Z").expect("a valid time");

    let mut group = c.benchmark_group("sigma");
    group.sample_size(10);
    group.throughput(Throughput::Elements(lines.len() as u64));
    group.bench_function("read", |b| {
        b.iter(|| {
            let mut parser = LineParser::for_format(LogFormat::Combined, now);
            lines
                .iter()
                .filter(|line| parser.parse(black_box(line)).is_ok())
                .count()
        });
    });
    group.bench_function("read_and_match", |b| {
        let set = SigmaSet::compile(&documents);
        let mut scratch = Scratch::default();
        b.iter(|| {
            let mut parser = LineParser::for_format(LogFormat::Combined, now);
            let mut matched = 0;
            for line in &lines {
                if let Ok((_, event)) = parser.parse(black_box(line)) {
                    matched += set.matching(&event, &mut scratch).len();
                }
            }
            matched
        });
    });
    group.bench_function("compile", |b| {
        b.iter(|| SigmaSet::compile(black_box(&documents)).rules().len());
    });
    group.finish();
}

criterion_group!(benches, sigma);
criterion_main!(benches);
