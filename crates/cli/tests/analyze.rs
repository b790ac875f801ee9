//! `loglens analyze` run as a user runs it, on the bundled example log.

use assert_cmd::Command;
use std::collections::HashSet;
use std::path::PathBuf;

fn example_log() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../example_logs/access_combined.log")
}

fn loglens() -> Command {
    Command::cargo_bin("loglens").expect("the loglens binary is built for tests")
}

/// The figure printed after `label` on its own summary line, without thousands separators.
fn figure(stdout: &str, label: &str) -> u64 {
    let line = stdout
        .lines()
        .find(|l| l.trim_start().starts_with(label))
        .unwrap_or_else(|| panic!("no {label} line in:\n{stdout}"));
    let value = line.trim_start()[label.len()..]
        .split_whitespace()
        .next()
        .unwrap_or_default();
    value
        .replace(',', "")
        .parse()
        .unwrap_or_else(|_| panic!("no number on: {line}"))
}

#[test]
fn prints_the_figures_of_the_example_log() {
    let text = std::fs::read_to_string(example_log()).unwrap();
    // An independent count: every line, and the first field of each well-formed line.
    let lines = text.lines().count() as u64;
    let well_formed: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("] \"") && l.ends_with('"'))
        .collect();
    let clients: HashSet<&str> = well_formed
        .iter()
        .filter_map(|l| l.split(' ').next())
        .collect();

    let output = loglens()
        .arg("analyze")
        .arg(example_log())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();

    assert!(
        stdout.contains("format     Apache/Nginx combined"),
        "{stdout}"
    );
    assert_eq!(figure(&stdout, "lines"), lines);
    assert_eq!(figure(&stdout, "parsed"), well_formed.len() as u64);
    assert_eq!(
        figure(&stdout, "rejected"),
        lines - well_formed.len() as u64
    );
    assert!(
        figure(&stdout, "rejected") > 0,
        "the example log should hold malformed lines"
    );
    assert_eq!(figure(&stdout, "clients"), clients.len() as u64);
}

#[test]
fn reads_standard_input() {
    let output = loglens()
        .args(["analyze", "-"])
        .write_stdin(
            "10.0.0.1 - - [01/Jan/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200 1\nnot a log line\n",
        )
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.starts_with("standard input\n"), "{stdout}");
    assert_eq!(
        (
            figure(&stdout, "lines"),
            figure(&stdout, "parsed"),
            figure(&stdout, "rejected")
        ),
        (2, 1, 1)
    );
    assert!(stdout.contains("first at line 2"), "{stdout}");
}

#[test]
fn a_missing_file_is_one_clear_error() {
    let output = loglens()
        .args(["analyze", "no/such/file.log"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("loglens: cannot open no/such/file.log: "),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}
