//! `loglens train` and `analyze --classifier`: a classifier trained on one labelled flow
//! file, its held-out figures printed, then used on a file.

use assert_cmd::Command;
use std::path::PathBuf;

fn flows() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../example_logs/flows_cicids.csv")
}

#[test]
fn train_prints_held_out_figures_and_the_file_scores_flows() {
    let dir = std::env::temp_dir().join(format!("loglens-train-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model = dir.join("classifier.json");
    let output = Command::cargo_bin("loglens")
        .unwrap()
        .args(["train", "-o"])
        .arg(&model)
        .arg(flows())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let row: Vec<&str> = stdout
        .lines()
        .find(|l| l.trim_start().starts_with("classifier (held out)"))
        .unwrap_or_else(|| panic!("{stdout}"))
        .split_whitespace()
        .skip(3)
        .collect();
    let figures: Vec<f64> = row.iter().map(|v| v.parse().unwrap()).collect();
    assert_eq!(figures.len(), 4, "{row:?}");
    assert!(figures.iter().all(|&f| f > 0.95), "{stdout}");
    for label in ["BENIGN", "DDoS", "PortScan", "SSH-Patator", "FTP-Patator"] {
        assert!(
            stdout.lines().any(|l| l.trim_start().starts_with(label)),
            "{label} missing:\n{stdout}"
        );
    }
    assert!(stdout.contains("detectors, no training"));

    let scored = Command::cargo_bin("loglens")
        .unwrap()
        .args(["analyze", "--output", "json", "--classifier"])
        .arg(&model)
        .arg(flows())
        .output()
        .unwrap();
    assert!(scored.status.success());
    let report: serde_json::Value = serde_json::from_slice(&scored.stdout).unwrap();
    let classified = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "classified_attack")
        .count();
    assert!(classified >= 4, "{classified} sources classified");

    std::fs::write(&model, r#"{"loglens_classifier": 2}"#).unwrap();
    let refused = Command::cargo_bin("loglens")
        .unwrap()
        .args(["analyze", "--classifier"])
        .arg(&model)
        .arg(flows())
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("train it again with this version"));
}

#[test]
fn a_file_without_labels_cannot_train() {
    let log =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../example_logs/access_combined.log");
    let output = Command::cargo_bin("loglens")
        .unwrap()
        .args(["train", "-o", "/dev/null"])
        .arg(log)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("training needs rows labelled as attacks"),
        "{stderr}"
    );
}
