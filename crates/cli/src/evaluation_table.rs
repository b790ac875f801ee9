//! The table `loglens evaluate` prints.

use loglens_core::FindingFilter;
use loglens_core::evaluation::{Evaluation, Scores};
use std::io::{self, Write};

/// A measure to three decimals, or `n/a` when it is undefined (nothing to divide by).
fn measure(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.3}"))
}

fn scores_row(out: &mut impl Write, name: &str, scores: &Scores) -> io::Result<()> {
    writeln!(
        out,
        "  {name:<12} {:>9} {:>7} {:>7} {:>8} {:>8} {:>8}",
        measure(scores.precision()),
        measure(scores.recall()),
        measure(scores.f1()),
        scores.true_positives,
        scores.false_positives,
        scores.false_negatives
    )
}

pub fn write(
    out: &mut impl Write,
    source: &str,
    filter: FindingFilter,
    evaluation: &Evaluation,
) -> io::Result<()> {
    writeln!(
        out,
        "{source}: findings at or above {} at sensitivity {}, against the labels",
        filter.min_severity, filter.sensitivity
    )?;
    writeln!(
        out,
        "  {:<12} {:>9} {:>7} {:>7} {:>8} {:>8} {:>8}",
        "", "precision", "recall", "f1", "tp", "fp", "fn"
    )?;
    scores_row(out, "per line", &evaluation.per_line)?;
    scores_row(out, "per client", &evaluation.per_client)?;
    writeln!(out)?;
    writeln!(
        out,
        "  {:<22} {:>9} {:>8} {:>7} {:>9} {:>9}",
        "kind", "labelled", "flagged", "recall", "reported", "precision"
    )?;
    for kind in &evaluation.per_kind {
        writeln!(
            out,
            "  {:<22} {:>9} {:>8} {:>7} {:>9} {:>9}",
            kind.kind,
            kind.labelled_lines,
            kind.flagged_lines,
            measure(kind.recall()),
            kind.reported_lines,
            measure(kind.precision())
        )?;
    }
    Ok(())
}

/// The unsupervised models side by side: each alone (no rules), against the same labels.
pub fn write_models(out: &mut impl Write, models: &[(&str, Evaluation)]) -> io::Result<()> {
    writeln!(out)?;
    writeln!(
        out,
        "  models alone (per-line and per-client model, no rules), per line and per client:"
    )?;
    writeln!(
        out,
        "  {:<22} {:>9} {:>7} {:>7} {:>9} {:>7} {:>7}",
        "model", "precision", "recall", "f1", "client p", "r", "f1"
    )?;
    for (name, evaluation) in models {
        let (line, client) = (&evaluation.per_line, &evaluation.per_client);
        writeln!(
            out,
            "  {name:<22} {:>9} {:>7} {:>7} {:>9} {:>7} {:>7}",
            measure(line.precision()),
            measure(line.recall()),
            measure(line.f1()),
            measure(client.precision()),
            measure(client.recall()),
            measure(client.f1())
        )?;
    }
    Ok(())
}
