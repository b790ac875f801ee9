//! The file of attack payloads (`crates/core/tests/fixtures/hostile_payloads.log`) through
//! the CLI: the table drives no terminal, the CSV starts no formula, the HTML runs nothing.

use assert_cmd::Command;
use std::path::PathBuf;

fn hostile() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/hostile_payloads.log")
}

fn run(output: &str) -> String {
    let out = Command::cargo_bin("loglens")
        .unwrap()
        .args(["analyze", "--output", output])
        .arg(hostile())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_table_holds_no_control_character() {
    let table = run("table");
    assert!(
        table.lines().filter(|l| l.contains(" xss ")).count() == 5,
        "{table}"
    );
    assert!(
        !table.chars().any(|c| c.is_control() && c != '\n'),
        "{table:?}"
    );
}

#[test]
fn the_csv_starts_no_formula() {
    let csv = run("csv");
    for line in csv.lines().skip(1) {
        let client = line.split(',').nth(1).unwrap();
        assert!(!client.starts_with(['=', '+', '-', '@']), "{line}");
    }
    assert!(csv.contains("'=cmd|'/C_calc'!A0"), "{csv}");
    assert!(csv.contains("'@SUM(1+1)*cmd|'/C_calc'!A0"), "{csv}");
}

#[test]
fn the_html_report_runs_nothing() {
    let html = run("html");
    assert!(!html.to_ascii_lowercase().contains("<script"));
    assert!(
        html.contains("&lt;script&gt;document.title="),
        "the payload is not shown as text"
    );
    assert!(!html.contains('\u{1b}'));
}
