//! Broken input gets a clear message or a sensible result, never a panic and never an
//! empty report without a reason: one test per kind of breakage an analyst will drop.

use loglens_core::{
    AnalysisOptions, InputProblem, LogFormat, LogTime, RejectReason, Report, analyze_bytes,
};

fn line(client: &str, time: &str, target: &str) -> String {
    format!("{client} - - [{time}] \"GET {target} HTTP/1.1\" 200 512 \"-\" \"curl/8\"")
}

fn analyze(input: &[u8]) -> Report {
    let report = analyze_bytes(input, AnalysisOptions::default());
    assert_eq!(
        report.lines,
        report.parsed + report.rejected,
        "every line accounted for"
    );
    report
}

fn reasons(report: &Report) -> Vec<RejectReason> {
    report.rejects.by_reason.iter().map(|r| r.reason).collect()
}

#[test]
fn an_empty_file_says_it_is_empty() {
    let report = analyze(b"");
    assert_eq!(report.input_problem, Some(InputProblem::Empty));
    assert!(report.input_problem.unwrap().to_string().contains("empty"));
}

#[test]
fn a_binary_file_says_it_is_binary() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..4000u32).map(|i| (i * 7 % 256) as u8));
    let report = analyze(&png);
    assert!(matches!(
        report.input_problem,
        Some(InputProblem::Binary { .. })
    ));
    assert!(report.findings.is_empty());
}

#[test]
fn a_file_cut_mid_line_keeps_every_whole_line() {
    let whole = [
        line("10.0.0.1", "01/Jan/2024:10:00:00 +0000", "/a"),
        line("10.0.0.2", "01/Jan/2024:10:00:01 +0000", "/b"),
    ];
    let input = format!("{}\n{}\n10.0.0.3 - - [01/Jan/2024:10:0", whole[0], whole[1]);
    let report = analyze(input.as_bytes());
    assert_eq!((report.lines, report.parsed, report.rejected), (3, 2, 1));
    assert_eq!(report.rejects.samples[0].line_no, 3);
    assert_eq!(reasons(&report), [RejectReason::BadTimestamp]);
}

#[test]
fn mixed_formats_read_the_majority_and_count_the_rest() {
    let mut input = String::new();
    for i in 0..6 {
        input += &line("10.0.0.1", &format!("01/Jan/2024:10:00:0{i} +0000"), "/a");
        input.push('\n');
    }
    input +=
        "Mar 11 03:12:44 web1 sshd[4242]: Failed password for root from 203.0.113.9 port 22 ssh2\n";
    input += "{\"time\":\"2024-01-01T10:00:00Z\",\"msg\":\"hello\"}\n";
    let report = analyze(input.as_bytes());
    assert_eq!(report.format, Some(LogFormat::Combined));
    assert_eq!((report.parsed, report.rejected), (6, 2));
    let lines: Vec<u64> = report.rejects.samples.iter().map(|s| s.line_no).collect();
    assert_eq!(lines, [7, 8]);
}

#[test]
fn mixed_line_endings_are_all_line_endings() {
    let input = format!(
        "{}\r\n{}\n{}\r\n",
        line("10.0.0.1", "01/Jan/2024:10:00:00 +0000", "/a"),
        line("10.0.0.2", "01/Jan/2024:10:00:01 +0000", "/b"),
        line("10.0.0.3", "01/Jan/2024:10:00:02 +0000", "/c"),
    );
    let report = analyze(input.as_bytes());
    assert_eq!((report.lines, report.parsed, report.rejected), (3, 3, 0));
    assert_eq!(report.clients, 3);
}

#[test]
fn a_50_mb_line_is_rejected_as_too_long_and_the_next_line_is_read() {
    let mut input = Vec::with_capacity(50 * 1024 * 1024 + 200);
    input.extend(line("10.0.0.1", "01/Jan/2024:10:00:00 +0000", "/a").as_bytes());
    input.push(b'\n');
    input.extend(std::iter::repeat_n(b'A', 50 * 1024 * 1024));
    input.push(b'\n');
    input.extend(line("10.0.0.2", "01/Jan/2024:10:00:01 +0000", "/b").as_bytes());
    input.push(b'\n');
    let report = analyze(&input);
    assert_eq!((report.lines, report.parsed, report.rejected), (3, 2, 1));
    assert_eq!(reasons(&report), [RejectReason::LineTooLong]);
    // The sample kept of it is bounded, not 50 MB.
    assert!(
        report.rejects.samples[0].text.len() <= 1024,
        "{}",
        report.rejects.samples[0].text.len()
    );
}

#[test]
fn invalid_utf8_and_nul_bytes_do_not_stop_a_line_from_being_read() {
    let mut input = line("10.0.0.1", "01/Jan/2024:10:00:00 +0000", "/caf\u{e9}").into_bytes();
    input.push(b'\n');
    // Latin-1 é in the path, and a NUL in the user agent, after the sniffed start.
    input.extend(b"10.0.0.2 - - [01/Jan/2024:10:00:01 +0000] \"GET /caf\xe9 HTTP/1.1\" 200 5 \"-\" \"cu\0rl\"\n");
    let report = analyze(&input);
    assert_eq!(report.input_problem, None);
    assert_eq!((report.lines, report.parsed), (2, 2));
    assert_eq!(report.clients, 2);
}

#[test]
fn times_out_of_order_give_the_true_span() {
    let input = [
        line("10.0.0.1", "01/Jan/2024:12:00:00 +0000", "/a"),
        line("10.0.0.2", "01/Jan/2024:09:00:00 +0000", "/b"),
        line("10.0.0.3", "01/Jan/2024:11:00:00 +0000", "/c"),
    ]
    .join("\n");
    let report = analyze(input.as_bytes());
    let at = |text: &str| LogTime::parse_rfc3339(text).unwrap();
    assert_eq!(report.first_time, Some(at("2024-01-01T09:00:00Z")));
    assert_eq!(report.last_time, Some(at("2024-01-01T12:00:00Z")));
    assert_eq!(
        report
            .traffic
            .buckets
            .iter()
            .map(|b| b.requests)
            .sum::<u64>(),
        3
    );
}

#[test]
fn times_in_the_future_are_read_as_written() {
    // A year ahead of the caller's "now": a clock gone wrong, or a forged line.
    let options = AnalysisOptions {
        now: LogTime::parse_rfc3339("2024-06-01T00:00:00Z").unwrap(),
        ..AnalysisOptions::default()
    };
    let input = line("10.0.0.1", "01/Jun/2025:10:00:00 +0000", "/a");
    let report = analyze_bytes(input.as_bytes(), options.clone());
    assert_eq!(report.parsed, 1);
    assert_eq!(
        report.last_time,
        Some(LogTime::parse_rfc3339("2025-06-01T10:00:00Z").unwrap())
    );
    // A yearless syslog line is never put in the future: it gets last year.
    let syslog = analyze_bytes(b"Dec 31 23:59:59 web1 cron[1]: x\n", options);
    assert_eq!(syslog.year_assumed, Some(2023));
}
