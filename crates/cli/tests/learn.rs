//! `loglens learn` and `analyze --model`: a baseline saved by one run judges the next.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../example_logs")
        .join(name)
}

fn loglens() -> Command {
    Command::cargo_bin("loglens").expect("the loglens binary is built for tests")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("loglens-learn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn learn(log: &Path, model: &Path) -> String {
    let output = loglens()
        .args(["learn", "--out"])
        .arg(model)
        .arg(log)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn a_learned_model_judges_the_next_file_and_says_so() {
    let model = scratch("elastic.json");
    let said = learn(&example("elastic_apache_combined.log"), &model);
    assert!(said.starts_with("Learned "), "{said}");
    assert!(
        said.contains("line templates") && said.contains("traffic by hour"),
        "{said}"
    );
    let text = std::fs::read_to_string(&model).unwrap();
    assert!(
        text.starts_with("{\"loglens_baseline\":1"),
        "{}",
        &text[..40]
    );
    // Numbers and hashes only: not one client address of the log is in it.
    let log = std::fs::read_to_string(example("elastic_apache_combined.log")).unwrap();
    // Each client once: 1,753 searches of the model's text rather than 9,999.
    let clients: std::collections::BTreeSet<&str> =
        log.lines().filter_map(|l| l.split(' ').next()).collect();
    let leaked = clients.into_iter().find(|client| text.contains(client));
    assert_eq!(leaked, None);

    let judged = loglens()
        .args(["analyze", "--output", "json", "--model"])
        .arg(&model)
        .arg(example("access_combined.log"))
        .output()
        .unwrap();
    assert!(judged.status.success());
    let report: serde_json::Value = serde_json::from_slice(&judged.stdout).unwrap();
    assert!(
        report["baseline"]
            .as_str()
            .unwrap()
            .ends_with("elastic_apache_combined.log (9,999 lines)"),
        "{}",
        report["baseline"]
    );
    let own = loglens()
        .args(["analyze", "--output", "json"])
        .arg(example("access_combined.log"))
        .output()
        .unwrap();
    let own: serde_json::Value = serde_json::from_slice(&own.stdout).unwrap();
    assert!(own.get("baseline").is_none());
    // The rules do not change; the models' yardstick does.
    let rule_findings = |report: &serde_json::Value| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["kind"] == "sql_injection" || f["kind"] == "brute_force")
            .count()
    };
    assert_eq!(rule_findings(&report), rule_findings(&own));
    assert!(rule_findings(&own) > 0);
}

#[test]
fn a_model_of_another_version_or_kind_is_one_clear_error() {
    let cases = [
        (
            r#"{"loglens_baseline": 9, "lines": []}"#,
            "format version 9, and this loglens reads version 1: learn it again",
        ),
        (
            r#"{"format": "combined", "findings": []}"#,
            "is not a loglens baseline",
        ),
        ("lines\nof text", "is not JSON"),
        (
            r#"{"loglens_baseline": 1, "source": {}}"#,
            "the baseline is damaged",
        ),
    ];
    for (i, (text, expected)) in cases.into_iter().enumerate() {
        let model = scratch(&format!("bad-{i}.json"));
        std::fs::write(&model, text).unwrap();
        let output = loglens()
            .args(["analyze", "--model"])
            .arg(&model)
            .arg(example("access_combined.log"))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains(expected), "{text}: {stderr}");
        assert!(
            stderr.contains("cannot use") && stderr.contains(&format!("bad-{i}.json")),
            "{stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}

#[test]
fn nothing_to_learn_from_is_an_error_and_writes_nothing() {
    let empty = scratch("empty.log");
    std::fs::write(&empty, "").unwrap();
    let model = scratch("never.json");
    let output = loglens()
        .args(["learn", "-o"])
        .arg(&model)
        .arg(&empty)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("too few parsed lines"));
    assert!(!model.exists());
}
