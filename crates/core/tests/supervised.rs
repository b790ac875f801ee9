//! Training a classifier on a labelled flow file, measuring it on held-out rows, saving
//! it, and scoring flows with it.

use loglens_core::supervised::{ClassifierError, ClassifierFile, TrainedClassifier};
use loglens_core::{AnalysisOptions, FindingKind, analyze_bytes};
use std::sync::Arc;

const FLOWS: &[u8] = include_bytes!("../../../example_logs/flows_cicids.csv");

fn train(bytes: &[u8]) -> Result<TrainedClassifier, String> {
    let mut analysis = loglens_core::Analysis::new(AnalysisOptions {
        train_classifier: true,
        ..AnalysisOptions::default()
    });
    analysis.feed(bytes);
    analysis
        .finish_outcome()
        .classifier
        .expect("training was asked for")
}

#[test]
fn a_classifier_learns_the_example_attacks_and_is_measured_on_unseen_rows() {
    let trained = train(FLOWS).unwrap();
    let m = &trained.holdout;
    assert!(m.recall().unwrap() >= 0.98, "{m:?}");
    assert!(m.precision().unwrap() >= 0.98, "{m:?}");
    assert!(m.roc_auc.unwrap() >= 0.99, "{m:?}");
    // Every held-out row is counted once, in the matrix and under its label.
    let matrix = m.true_positives + m.false_positives + m.false_negatives + m.true_negatives;
    assert_eq!(matrix, trained.test_rows);
    assert_eq!(
        trained.per_label.iter().map(|l| l.rows).sum::<u64>(),
        trained.test_rows
    );
    // No row is both trained on and held out: together they are at most the file.
    assert!(trained.train_rows + trained.test_rows <= trained.rows_seen);
    assert_eq!(trained.rows_seen, 14_436);
    // Stratified: each label is held out in about the same share.
    for label in &trained.per_label {
        assert!(label.rows > 0, "{} has no held-out rows", label.label);
    }
}

#[test]
fn a_saved_classifier_scores_flows_as_the_trained_one_did() {
    let trained = train(FLOWS).unwrap();
    let loaded = ClassifierFile::from_json(&trained.file.to_json()).unwrap();
    assert_eq!(loaded, trained.file);
    let report = analyze_bytes(
        FLOWS,
        AnalysisOptions {
            classifier: Some(Arc::new(loaded)),
            ..AnalysisOptions::default()
        },
    );
    let classified: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::ClassifiedAttack)
        .collect();
    let text = std::str::from_utf8(FLOWS).unwrap();
    let mut attackers: Vec<&str> = text
        .lines()
        .skip(1)
        .filter(|l| !l.ends_with(",BENIGN"))
        .filter_map(|l| l.split(',').nth(1))
        .collect();
    attackers.sort_unstable();
    attackers.dedup();
    // Every attacking source of the example file (see its labels) is found; a benign
    // source may have a stray flow or two called an attack, never more.
    for attacker in &attackers {
        assert!(
            classified.iter().any(|f| f.client == *attacker),
            "{attacker} missed"
        );
    }
    let stray: u64 = classified
        .iter()
        .filter(|f| !attackers.contains(&f.client.as_str()))
        .map(|f| f.evidence_count)
        .sum();
    assert!(stray <= 2, "{stray} benign flows called attacks");
}

#[test]
fn without_both_classes_there_is_nothing_to_train() {
    let benign: String = std::str::from_utf8(FLOWS)
        .unwrap()
        .lines()
        .filter(|l| !l.contains(",DDoS") && !l.contains("Patator") && !l.contains(",PortScan"))
        .map(|l| format!("{l}\n"))
        .collect();
    let why = train(benign.as_bytes()).unwrap_err();
    assert!(
        why.starts_with("training needs rows labelled as attacks and rows labelled benign"),
        "{why}"
    );
}

#[test]
fn a_classifier_file_of_another_version_or_damaged_is_refused() {
    assert_eq!(
        ClassifierFile::from_json(r#"{"loglens_classifier": 4}"#)
            .unwrap_err()
            .to_string(),
        "the classifier is format version 4, and this loglens reads version 1: train it again with this version"
    );
    assert_eq!(
        ClassifierFile::from_json(r#"{"loglens_baseline": 1}"#),
        Err(ClassifierError::NotAClassifier)
    );
    let good = train(FLOWS).unwrap().file.to_json();
    let short_row = good.replacen("[", "[[1.0],", 2).replacen("[[1.0],", "[", 1);
    assert!(matches!(
        ClassifierFile::from_json(&short_row),
        Err(ClassifierError::Invalid(_))
    ));
}
