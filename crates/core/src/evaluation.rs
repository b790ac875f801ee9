//! How well the detectors do against ground truth: precision, recall and F1 per line, per
//! client and per kind of attack.
//!
//! Labels are CSV with the header `line,client,kind`: one row per attack line (1-based),
//! every other line normal. `scripts/generate_access_log.py --labels` writes them.
//!
//! - **Per line:** a line is flagged when it is evidence of a finding.
//! - **Per client:** a client is flagged when a finding names it, and is an attacker when
//!   any of its lines is labelled.
//! - **Per kind:** recall is the share of lines labelled with that kind that are flagged
//!   (by a finding of any kind: a Nikto scan may surface as a sensitive-file probe);
//!   precision is the share of lines whose worst finding has that kind that are labelled
//!   attacks of any kind.

use crate::finding::Finding;
pub use crate::ground_truth::{Labels, LabelsError};
use crate::report::Report;
use crate::sensitivity::FindingFilter;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Counts and the measures derived from them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct Scores {
    /// Flagged and labelled.
    pub true_positives: u64,
    /// Flagged but normal.
    pub false_positives: u64,
    /// Labelled but not flagged.
    pub false_negatives: u64,
}

impl Scores {
    fn of<T: Eq + std::hash::Hash>(flagged: &HashSet<T>, labelled: &HashSet<T>) -> Self {
        let true_positives = flagged.intersection(labelled).count() as u64;
        Self {
            true_positives,
            false_positives: flagged.len() as u64 - true_positives,
            false_negatives: labelled.len() as u64 - true_positives,
        }
    }

    /// Share of what was flagged that is an attack; `None` when nothing was flagged.
    pub fn precision(&self) -> Option<f64> {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    /// Share of the attacks that were flagged; `None` when there are no attacks.
    pub fn recall(&self) -> Option<f64> {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }

    /// The harmonic mean of precision and recall; `None` when either is missing.
    pub fn f1(&self) -> Option<f64> {
        let (p, r) = (self.precision()?, self.recall()?);
        Some(if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        })
    }
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// One kind's row of the evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindScores {
    /// The kind's name, as in the labels and in [`crate::FindingKind::as_str`].
    pub kind: String,
    /// Lines labelled with this kind.
    pub labelled_lines: u64,
    /// Of those, flagged by any finding.
    pub flagged_lines: u64,
    /// Lines whose worst finding has this kind.
    pub reported_lines: u64,
    /// Of those, labelled attacks of any kind.
    pub reported_attack_lines: u64,
}

impl KindScores {
    /// Share of this kind's attack lines that were flagged.
    pub fn recall(&self) -> Option<f64> {
        ratio(self.flagged_lines, self.labelled_lines)
    }

    /// Share of the lines reported as this kind that are attacks.
    pub fn precision(&self) -> Option<f64> {
        ratio(self.reported_attack_lines, self.reported_lines)
    }
}

/// The whole evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// Over lines.
    pub per_line: Scores,
    /// Over clients.
    pub per_client: Scores,
    /// Per kind, labelled kinds and reported kinds alike, by name.
    pub per_kind: Vec<KindScores>,
}

/// Compares the findings `filter` shows in `report` with `labels`.
pub fn evaluate(report: &Report, labels: &Labels, filter: FindingFilter) -> Evaluation {
    let findings: Vec<&Finding> = report.visible_findings(filter).collect();
    // Findings come worst first: the first to claim a line names its kind.
    let mut worst_kind: HashMap<u64, &'static str> = HashMap::new();
    for finding in &findings {
        for &line in &finding.lines {
            worst_kind.entry(line).or_insert(finding.kind.as_str());
        }
    }
    let flagged_lines: HashSet<u64> = worst_kind.keys().copied().collect();
    let labelled_lines: HashSet<u64> = labels.by_line.keys().copied().collect();
    let flagged_clients: HashSet<&str> = findings.iter().map(|f| f.client.as_str()).collect();
    let labelled_clients: HashSet<&str> = labels
        .by_line
        .values()
        .map(|(client, _)| client.as_str())
        .collect();

    let mut per_kind: BTreeMap<String, KindScores> = BTreeMap::new();
    for (line, (_, kind)) in &labels.by_line {
        let scores = kind_row(&mut per_kind, kind);
        scores.labelled_lines += 1;
        scores.flagged_lines += u64::from(flagged_lines.contains(line));
    }
    for (line, kind) in &worst_kind {
        let scores = kind_row(&mut per_kind, kind);
        scores.reported_lines += 1;
        scores.reported_attack_lines += u64::from(labelled_lines.contains(line));
    }
    Evaluation {
        per_line: Scores::of(&flagged_lines, &labelled_lines),
        per_client: Scores::of(&flagged_clients, &labelled_clients),
        per_kind: per_kind.into_values().collect(),
    }
}

fn kind_row<'a>(rows: &'a mut BTreeMap<String, KindScores>, kind: &str) -> &'a mut KindScores {
    rows.entry(kind.to_owned()).or_insert_with(|| KindScores {
        kind: kind.to_owned(),
        labelled_lines: 0,
        flagged_lines: 0,
        reported_lines: 0,
        reported_attack_lines: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AnalysisOptions, analyze_bytes};

    const LOG: &str = concat!(
        "10.0.0.1 - - [01/Jan/2024:10:00:00 +0000] \"GET /.env HTTP/1.1\" 404 1 \"-\" \"x\"\n",
        "10.0.0.2 - - [01/Jan/2024:10:00:01 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"x\"\n",
        "10.0.0.3 - - [01/Jan/2024:10:00:02 +0000] \"GET /a?id=1%20union%20select%20null,null HTTP/1.1\" 200 1 \"-\" \"x\"\n",
        "10.0.0.4 - - [01/Jan/2024:10:00:03 +0000] \"GET /quiet-attack HTTP/1.1\" 200 1 \"-\" \"x\"\n",
    );

    #[test]
    fn counts_hits_misses_and_false_alarms() {
        let report = analyze_bytes(LOG.as_bytes(), AnalysisOptions::default());
        // Line 1 is a probe nobody labelled; lines 3 and 4 are labelled attacks.
        let labels =
            Labels::from_csv("line,client,kind\n3,10.0.0.3,sql_injection\n4,10.0.0.4,off_hours\n")
                .unwrap();
        let evaluation = evaluate(&report, &labels, FindingFilter::default());
        assert_eq!(
            evaluation.per_line,
            Scores {
                true_positives: 1,
                false_positives: 1,
                false_negatives: 1
            }
        );
        assert_eq!(evaluation.per_line.precision(), Some(0.5));
        assert_eq!(evaluation.per_line.recall(), Some(0.5));
        assert_eq!(evaluation.per_line.f1(), Some(0.5));
        assert_eq!(evaluation.per_client.true_positives, 1);
        let kinds: Vec<(&str, u64, u64, u64, u64)> = evaluation
            .per_kind
            .iter()
            .map(|k| {
                (
                    k.kind.as_str(),
                    k.labelled_lines,
                    k.flagged_lines,
                    k.reported_lines,
                    k.reported_attack_lines,
                )
            })
            .collect();
        assert_eq!(
            kinds,
            [
                ("off_hours", 1, 0, 0, 0),
                ("sensitive_file_probe", 0, 0, 1, 0),
                ("sql_injection", 1, 1, 1, 1)
            ]
        );
    }

    #[test]
    fn measures_are_missing_rather_than_invented() {
        let nothing = Scores {
            true_positives: 0,
            false_positives: 0,
            false_negatives: 0,
        };
        assert_eq!(
            (nothing.precision(), nothing.recall(), nothing.f1()),
            (None, None, None)
        );
    }

    #[test]
    fn rejects_bad_labels_with_the_row() {
        assert_eq!(Labels::from_csv("a,b,c\n"), Err(LabelsError::Header));
        let error = Labels::from_csv("line,client,kind\n1,x,scan\nzero,x,scan\n").unwrap_err();
        assert_eq!(
            error,
            LabelsError::Row {
                row: 3,
                text: "zero,x,scan".into()
            }
        );
        assert!(Labels::from_csv("line,client,kind\n0,x,scan\n").is_err());
    }
}
