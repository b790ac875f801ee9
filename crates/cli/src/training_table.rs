//! What `loglens train` prints: the classifier's figures on held-out rows, per label, and
//! how the detectors did on the same labels without any training.

use loglens_core::figures::group_thousands;
use loglens_core::supervised::TrainedClassifier;
use std::io::{self, Write};

fn measure(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.3}"))
}

pub fn write(out: &mut impl Write, source: &str, trained: &TrainedClassifier) -> io::Result<()> {
    let m = &trained.holdout;
    writeln!(
        out,
        "{source}: {} labelled flows; trained on {} sampled rows, measured on {} held out (stratified by label)",
        group_thousands(trained.rows_seen),
        group_thousands(trained.train_rows),
        group_thousands(trained.test_rows)
    )?;
    writeln!(
        out,
        "  {:<26} {:>9} {:>7} {:>7} {:>8}",
        "", "precision", "recall", "f1", "roc_auc"
    )?;
    writeln!(
        out,
        "  {:<26} {:>9} {:>7} {:>7} {:>8}",
        "classifier (held out)",
        measure(m.precision()),
        measure(m.recall()),
        measure(m.f1()),
        measure(m.roc_auc)
    )?;
    if let Some(line) = &trained.detectors_without_training {
        writeln!(
            out,
            "  {:<26} {:>9} {:>7} {:>7} {:>8}",
            "detectors, no training",
            measure(line.precision()),
            measure(line.recall()),
            measure(line.f1()),
            "n/a"
        )?;
    }
    writeln!(out)?;
    writeln!(out, "  confusion (held out)   called attack  called benign")?;
    writeln!(
        out,
        "  {:<22} {:>13} {:>14}",
        "attack", m.true_positives, m.false_negatives
    )?;
    writeln!(
        out,
        "  {:<22} {:>13} {:>14}",
        "benign", m.false_positives, m.true_negatives
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "  {:<22} {:>9} {:>14}",
        "label", "held out", "called attack"
    )?;
    for label in &trained.per_label {
        writeln!(
            out,
            "  {:<22} {:>9} {:>14}",
            loglens_core::display_text::for_display(&label.label, 22),
            label.rows,
            label.called_attack
        )?;
    }
    Ok(())
}
