//! Learning a baseline from a good day and judging later files against it.

use loglens_core::{
    AnalysisOptions, Baseline, BaselineUse, FindingKind, LogTime, Report, analyze_bytes,
};
use std::sync::Arc;

const DAY: i64 = 1_709_251_200; // 2024-03-01 00:00 UTC

/// A combined-format line with a trailing request time in seconds.
fn line(
    client: &str,
    secs: i64,
    method: &str,
    target: &str,
    status: u16,
    bytes: u64,
    time: f64,
) -> String {
    let at = LogTime {
        epoch_secs: DAY + secs,
        offset_secs: 0,
    };
    format!(
        "{client} - - [{}] \"{method} {target} HTTP/1.1\" {status} {bytes} \"-\" \"Mozilla/5.0\" {time:.3}",
        at.format("%d/%b/%Y:%H:%M:%S +0000")
    )
}

/// Office-hours traffic of 80 clients browsing a shop: the good day.
fn ordinary_day(day: i64, lines: usize) -> Vec<String> {
    let pages = [
        "/",
        "/products",
        "/product/12",
        "/product/981",
        "/cart",
        "/search?q=lamp",
        "/static/app.js",
    ];
    let mut state = 0x9e37_79b9_u64.wrapping_add(day as u64);
    (0..lines)
        .map(|i| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let r = (state >> 33) as usize;
            let client = format!("10.0.{}.{}", r % 4, 10 + r % 80 / 4);
            let page = pages[r % pages.len()];
            // 08:00 to 18:00.
            let secs = day * 86_400 + 8 * 3600 + (i as i64 * 36_000 / lines as i64);
            let time = 0.02 + (r % 50) as f64 / 1000.0;
            line(
                &client,
                secs,
                "GET",
                page,
                200,
                2_000 + (r % 3_000) as u64,
                time,
            )
        })
        .collect()
}

fn analyze(lines: &[String], baseline: BaselineUse) -> (Report, Option<Baseline>) {
    let mut analysis = loglens_core::Analysis::new(AnalysisOptions {
        baseline,
        ..AnalysisOptions::default()
    });
    analysis.feed(lines.join("\n").as_bytes());
    let outcome = analysis.finish_outcome();
    (outcome.report, outcome.baseline)
}

fn learned() -> Baseline {
    let (_, baseline) = analyze(&ordinary_day(0, 20_000), BaselineUse::Learn);
    let mut baseline = baseline.expect("learning gives a baseline");
    baseline.source.name = "good-day.log".to_owned();
    baseline
}

/// The night the baseline never saw: four clients pulling the admin export, slowly.
fn attack_night() -> Vec<String> {
    (0..3_000)
        .map(|i| {
            let client = format!("198.51.100.{}", i % 4);
            line(
                &client,
                86_400 + 3 * 3600 + i,
                "GET",
                "/admin/export?table=users",
                200,
                90_000,
                4.0,
            )
        })
        .collect()
}

fn apply(baseline: &Baseline) -> BaselineUse {
    BaselineUse::Apply(Arc::new(baseline.clone()))
}

fn kinds(report: &Report) -> Vec<FindingKind> {
    let mut kinds: Vec<FindingKind> = report
        .visible_findings(loglens_core::FindingFilter::default())
        .map(|f| f.kind)
        .collect();
    kinds.dedup();
    kinds
}

#[test]
fn a_baseline_holds_every_part_and_no_log_text() {
    let baseline = learned();
    let lines = baseline.lines.as_ref().expect("line model learned");
    assert_eq!(lines.vectors.len(), 4096, "the reservoir is full");
    assert!(lines.templates.len() >= 6, "{:?}", lines.templates);
    assert!(
        baseline
            .clients
            .as_ref()
            .expect("80 clients are a crowd")
            .vectors
            .len()
            >= 50
    );
    assert!(!baseline.endpoints.is_empty());
    let hours = baseline.hours.expect("hours learned");
    assert_eq!(hours[3], 0);
    assert!(hours[10] > 1_000);
    let json = baseline.to_json();
    assert!(json.len() < 1_000_000, "{} bytes is not small", json.len());
    for text in ["10.0.", "/product", "lamp", "Mozilla"] {
        assert!(!json.contains(text), "the baseline leaks {text:?}");
    }
    // Not assert_eq: a failure would print thousands of vectors.
    assert!(
        Baseline::from_json(&json).as_ref() == Ok(&baseline),
        "reads back as written"
    );
}

#[test]
fn a_file_that_is_all_attack_is_caught_only_against_the_baseline() {
    let baseline = learned();
    // The next day, a few clients hammer an export endpoint, at night, slowly.
    let attack = attack_night();
    let (own, _) = analyze(&attack, BaselineUse::Own);
    assert_eq!(kinds(&own), vec![], "by itself the file looks uniform");
    let (judged, none) = analyze(&attack, apply(&baseline));
    assert!(none.is_none(), "only learning gives a baseline");
    let note = judged
        .baseline
        .as_ref()
        .expect("the report names the baseline");
    assert!(note.fits);
    assert_eq!(note.name, "good-day.log (20,000 lines)");
    let found = kinds(&judged);
    for kind in [
        FindingKind::AnomalousLines,
        FindingKind::OffHours,
        FindingKind::AnomalousClient,
    ] {
        assert!(found.contains(&kind), "{kind:?} missing from {found:?}");
    }
    for finding in judged.findings.iter().filter(|f| {
        matches!(
            f.kind,
            FindingKind::AnomalousLines | FindingKind::OffHours | FindingKind::AnomalousClient
        )
    }) {
        assert!(
            finding
                .description
                .contains("baseline learned from good-day.log"),
            "{}",
            finding.description
        );
    }
}

#[test]
fn a_slow_endpoint_is_slow_by_the_baseline_even_when_always_slow_today() {
    let baseline = learned();
    let slow: Vec<String> = (0..200)
        .map(|i| {
            line(
                &format!("10.0.0.{}", 10 + i % 20),
                86_400 + 10 * 3600 + i,
                "GET",
                "/products",
                200,
                2_500,
                3.5,
            )
        })
        .collect();
    let (own, _) = analyze(&slow, BaselineUse::Own);
    assert!(
        !own.findings
            .iter()
            .any(|f| f.kind == FindingKind::SlowResponse)
    );
    let (judged, _) = analyze(&slow, apply(&baseline));
    let finding = judged
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::SlowResponse)
        .expect("slow against the baseline");
    assert!(
        finding
            .description
            .contains("usual times from the baseline"),
        "{}",
        finding.description
    );
}

#[test]
fn an_ordinary_day_against_its_baseline_stays_quiet() {
    let baseline = learned();
    let (judged, _) = analyze(&ordinary_day(1, 20_000), apply(&baseline));
    assert_eq!(kinds(&judged), vec![]);
}

#[test]
fn a_loaded_baseline_judges_exactly_as_the_learned_one() {
    let baseline = learned();
    let loaded = Baseline::from_json(&baseline.to_json()).expect("reads back");
    let next: Vec<String> = ordinary_day(2, 5_000)
        .into_iter()
        .chain((0..40).map(|i| {
            line(
                "203.0.113.7",
                86_400 * 2 + 9 * 3600 + i,
                "DELETE",
                "/api/users/1?force=%27%3B",
                500,
                0,
                0.2,
            )
        }))
        .collect();
    let (a, _) = analyze(&next, apply(&baseline));
    let (b, _) = analyze(&next, apply(&loaded));
    assert_eq!(a, b);
    assert!(a.findings.iter().any(|f| f.client == "203.0.113.7"));
}

#[test]
fn a_baseline_of_requests_leaves_messages_to_be_judged_by_their_own_file() {
    let baseline = learned();
    let mut syslog = String::new();
    for i in 0..400 {
        let host = if i == 200 { "203.0.113.9" } else { "10.0.0.5" };
        syslog.push_str(&format!(
            "Mar  1 10:{:02}:{:02} web sshd[1]: Accepted publickey for deploy from {host} port {} ssh2\n",
            i / 60,
            i % 60,
            40_000 + i
        ));
    }
    let judged = analyze_bytes(
        syslog.as_bytes(),
        AnalysisOptions {
            baseline: apply(&baseline),
            ..AnalysisOptions::default()
        },
    );
    let note = judged
        .baseline
        .clone()
        .expect("the report names the baseline");
    assert!(!note.fits);
    let own = analyze_bytes(syslog.as_bytes(), AnalysisOptions::default());
    assert_eq!(
        Report {
            baseline: None,
            ..judged
        },
        own
    );
}

#[test]
fn the_one_class_svm_judges_against_the_baseline_too() {
    let baseline = learned();
    let svm = |mut detection: loglens_core::DetectionOptions| {
        if let Some(lines) = &mut detection.line_model {
            lines.model = loglens_core::model::ModelKind::OneClassSvm;
        }
        if let Some(clients) = &mut detection.client_model {
            clients.model = loglens_core::model::ModelKind::OneClassSvm;
        }
        detection
    };
    let judge = |lines: &[String]| {
        let mut analysis = loglens_core::Analysis::new(AnalysisOptions {
            baseline: apply(&baseline),
            detection: svm(loglens_core::DetectionOptions::default()),
            ..AnalysisOptions::default()
        });
        analysis.feed(lines.join("\n").as_bytes());
        analysis.finish()
    };
    let found = kinds(&judge(&attack_night()));
    assert!(found.contains(&FindingKind::AnomalousLines), "{found:?}");
    assert_eq!(kinds(&judge(&ordinary_day(1, 20_000))), vec![]);
}
