//! A file read in parts at once gives exactly the summary of one analysis.

mod common;

use common::{example, examples};
use loglens_core::{
    AnalysisOptions, DetectionOptions, FilePart, LogFormat, PLAN_SAMPLE_BYTES, PartPlan,
    PartSummary, PartsError, Report, analyze_bytes,
};
use proptest::prelude::*;

fn summary() -> AnalysisOptions {
    AnalysisOptions {
        detection: DetectionOptions::none(),
        ..AnalysisOptions::default()
    }
}

fn plan(input: &[u8], options: &AnalysisOptions, parts: usize) -> PartPlan {
    let start = &input[..input.len().min(PLAN_SAMPLE_BYTES)];
    PartPlan::with_min_part_bytes(options, start, input.len() as u64, parts, 1)
}

/// Reads `input` in the parts `plan` gives, each part fed in `chunk`-byte pieces as a
/// thread reading the file would, the later parts' counts sent across as JSON as the page's
/// workers send them, last first, with a worker's that had no part among them.
fn by_parts(
    input: &[u8],
    options: &AnalysisOptions,
    plan: &PartPlan,
    chunk: usize,
) -> Result<Report, PartsError> {
    let (first, mut later) = read_parts(input, options, plan, chunk);
    later.reverse();
    later.insert(later.len() / 2, PartSummary::nothing());
    first.finish_first(later).map(|outcome| outcome.report)
}

/// The first part of `plan` read, and what the later ones counted, in file order.
fn read_parts(
    input: &[u8],
    options: &AnalysisOptions,
    plan: &PartPlan,
    chunk: usize,
) -> (FilePart, Vec<PartSummary>) {
    let mut first = None;
    let mut later = Vec::new();
    for index in 0..plan.parts() {
        let mut part = plan
            .part(options.clone(), index)
            .expect("a part of the plan");
        let range = part.range();
        let (from, end) = (part.first_byte() as usize, range.end as usize);
        for piece in input[from..end].chunks(chunk) {
            part.feed(piece);
        }
        for piece in input[end..].chunks(chunk) {
            if !part.feed_past_end(piece) {
                break;
            }
        }
        if index == 0 {
            first = Some(part);
        } else {
            let json = serde_json::to_string(&part.finish()).expect("a summary is JSON");
            later.push(serde_json::from_str::<PartSummary>(&json).expect("and back"));
        }
    }
    assert!(plan.part(options.clone(), plan.parts()).is_none());
    (first.expect("a plan has a first part"), later)
}

#[test]
fn a_missing_or_repeated_part_is_an_error() {
    let access = example("access_combined.log");
    let cut = plan(&access, &summary(), 3);
    let (first, mut later) = read_parts(&access, &summary(), &cut, 65_536);
    let (again, _) = read_parts(&access, &summary(), &cut, 65_536);
    later.push(later[0].clone());
    assert_eq!(
        first.finish_first(later.clone()).map(|o| o.report.parsed),
        Err(PartsError::Incomplete {
            expected: 3,
            got: vec![1, 1, 2]
        })
    );
    later.truncate(1);
    assert!(matches!(
        again.finish_first(later),
        Err(PartsError::Incomplete { .. })
    ));
    // The later parts of another file, cut as many times.
    let other = example("access_common.log");
    let other_plan = plan(&other, &summary(), 3);
    let (_, others) = read_parts(&other, &summary(), &other_plan, 65_536);
    let (first, _) = read_parts(&access, &summary(), &cut, 65_536);
    assert!(matches!(
        first.finish_first(others),
        Err(PartsError::Misplaced(1))
    ));
    let (_, mut later) = read_parts(&access, &summary(), &cut, 65_536);
    let (second, _) = read_parts(&access, &summary(), &cut, 65_536);
    let not_first = cut.part(summary(), 1).expect("a second part");
    assert!(matches!(
        not_first.finish_first(std::mem::take(&mut later)),
        Err(PartsError::NotFirst(1))
    ));
    assert!(second.finish_first(Vec::new()).is_err());
}

/// Every bundled example, in two to five parts, matches one analysis; the formats whose
/// lines stand alone are really cut.
#[test]
fn every_example_read_in_parts_gives_one_analysis_summary() {
    let mut cut = 0;
    for (name, input) in examples() {
        let alone = analyze_bytes(&input, summary());
        assert!(alone.parsed > 0, "{name} parsed nothing");
        let format = alone.format.expect("a format");
        for parts in 2..=5 {
            let plan = plan(&input, &summary(), parts);
            let expected_parts = if format.lines_stand_alone() { parts } else { 1 };
            assert_eq!(plan.parts(), expected_parts, "{name} in {parts}");
            let report = by_parts(&input, &summary(), &plan, 4_099).expect("no cap reached");
            assert!(report == alone, "{name}: {parts} parts reported otherwise");
        }
        cut += usize::from(format.lines_stand_alone());
    }
    assert!(cut >= 6, "only {cut} examples were cut into parts");
}

/// Detectors follow clients across the whole file, compressed files cannot be cut, and a
/// format that was asked for is read by every part.
#[test]
fn what_cannot_be_cut_is_read_in_one_part() {
    let access = example("access_combined.log");
    assert_eq!(plan(&access, &AnalysisOptions::default(), 3).parts(), 1);
    assert_eq!(plan(&access, &summary(), 1).parts(), 1);
    let mut gzip = vec![0x1f, 0x8b];
    gzip.extend_from_slice(&access);
    assert_eq!(plan(&gzip, &summary(), 3).parts(), 1);
    let syslog_asked = AnalysisOptions {
        format: Some(LogFormat::Syslog3164),
        ..summary()
    };
    assert_eq!(plan(&access, &syslog_asked, 3).parts(), 1);
    let common_asked = AnalysisOptions {
        format: Some(LogFormat::Common),
        ..summary()
    };
    let plan = plan(&access, &common_asked, 3);
    assert_eq!(plan.parts(), 3);
    let report = by_parts(&access, &common_asked, &plan, 65_536).expect("no cap reached");
    assert!(report == analyze_bytes(&access, common_asked));
}

/// The format is decided from the first part's lines only when they hold enough of them:
/// with fewer, the parts would not know it, and the file is read in one part.
#[test]
fn a_format_not_decided_within_the_first_part_means_one_part() {
    let line =
        "203.0.113.9 - - [10/Oct/2024:13:55:36 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"x\"\n";
    let input = line.repeat(300);
    // 300 lines in 3 parts: 100 lines each, short of the 200 a format is decided on.
    assert_eq!(plan(input.as_bytes(), &summary(), 3).parts(), 1);
    assert_eq!(plan(input.as_bytes(), &summary(), 2).parts(), 1);
    let input = line.repeat(600);
    assert_eq!(plan(input.as_bytes(), &summary(), 2).parts(), 2);
}

/// JSON lines with more distinct field names than are counted: exact while the parts'
/// names fit, an error once a part may have missed some.
#[test]
fn json_field_names_come_together_or_say_they_cannot() {
    let line = |i: usize, field: usize| {
        format!(
            "{{\"time\":\"2024-03-01T10:{:02}:00Z\",\"ip\":\"198.51.100.{}\",\"path\":\"/\",\"status\":200,\"f{field}\":1}}\n",
            i % 60,
            i % 250
        )
    };
    // 40 names in the first half, 40 more in the second: 80, of which 64 are counted.
    let mut input = String::new();
    for i in 0..400 {
        input.push_str(&line(i, i % 40));
    }
    for i in 0..400 {
        input.push_str(&line(i, 40 + i % 40));
    }
    let plan2 = plan(input.as_bytes(), &summary(), 2);
    assert_eq!(plan2.parts(), 2);
    let alone = analyze_bytes(input.as_bytes(), summary());
    assert_eq!(alone.extra_fields.len(), 64);
    let report = by_parts(input.as_bytes(), &summary(), &plan2, 1_000).expect("fits");
    assert!(report == alone);
    // 80 names in the second half alone: that part kept 64 and missed the rest.
    let mut input = line(0, 0).repeat(400);
    for i in 0..400 {
        input.push_str(&line(i, 100 + i % 80));
    }
    let plan2 = plan(input.as_bytes(), &summary(), 2);
    assert!(by_parts(input.as_bytes(), &summary(), &plan2, 1_000).is_err());
}

fn arbitrary_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("203.0.113.9 - - [10/Oct/2024:13:55:36 +0000] \"GET /a HTTP/1.1\" 200 5 \"-\" \"x\"".to_owned()),
        Just("198.51.100.7 - bob [10/Oct/2024:13:58:01 -0700] \"POST /login HTTP/1.1\" 401 0".to_owned()),
        Just("example.org:443 192.0.2.1 - - [11/Oct/2024:00:00:00 +0000] \"GET / HTTP/2.0\" 500 9 \"-\" \"y\" 0.5".to_owned()),
        Just(String::new()),
        Just("\r".to_owned()),
        "[ -~]{0,60}",
        "[\u{0}-\u{ff}]{0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any mix of lines, cut into any number of parts, fed in pieces of any size, with or
    /// without a last line ending: the same summary as one analysis.
    #[test]
    fn any_cut_gives_one_analysis_summary(
        lines in proptest::collection::vec(arbitrary_line(), 200..400),
        parts in 1usize..7,
        chunk in 1usize..300,
        ends_with_newline: bool,
    ) {
        let mut input = lines.join("\n");
        if ends_with_newline {
            input.push('\n');
        }
        let options = AnalysisOptions { format: Some(LogFormat::Combined), ..summary() };
        let plan = plan(input.as_bytes(), &options, parts);
        prop_assert_eq!(plan.parts(), parts);
        let report = by_parts(input.as_bytes(), &options, &plan, chunk).expect("no cap reached");
        let alone = analyze_bytes(input.as_bytes(), options);
        prop_assert_eq!(report, alone);
    }
}

/// Found by the `file_parts` fuzz target: a first part shorter than the bytes that tell a
/// binary input from a text one must still judge the file by its first bytes.
#[test]
fn a_first_part_shorter_than_the_sniffed_start_judges_the_whole_start() {
    let input = b"\n\x01";
    let options = AnalysisOptions {
        format: Some(LogFormat::Common),
        ..summary()
    };
    let plan = plan(input, &options, 2);
    assert_eq!(plan.parts(), 2);
    let report = by_parts(input, &options, &plan, 7).expect("no cap reached");
    let alone = analyze_bytes(input, options);
    assert!(alone.input_problem.is_some());
    assert_eq!(report, alone);
}
