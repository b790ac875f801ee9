//! Flows a trained classifier calls attacks (see [`crate::supervised`]).
//!
//! **What it detects:** whatever the labelled file it was trained on taught it: DDoS,
//! port scans, password guessing, each as the flows looked there. Flows it calls attacks
//! (at least `threshold` of its trees agree) make one finding per source.
//!
//! **Why it matters:** where labelled traffic exists, a supervised model catches what
//! it was shown far more surely than rules or unsupervised models can.
//!
//! Flows are scored in batches, so the trees walk many rows per call.

use super::client_map::{ClientKey, ClientMap};
use super::{Detector, Evidence, score_with_repetition};
use crate::display_text::for_display;
use crate::event::Event;
use crate::finding::{Finding, FindingKind};
use crate::supervised::{BaggedTrees, ClassifierFile, flow_features};
use crate::time::LogTime;

/// Flows scored per call into the trees.
const BATCH: usize = 1_024;

/// Scores flows with a trained classifier; see the module docs.
#[derive(Debug, Clone)]
pub struct ClassifiedFlowsDetector {
    model: BaggedTrees,
    threshold: f64,
    trained_on: String,
    max_evidence_lines: usize,
    pending: Vec<(u64, LogTime, Box<str>, Vec<f64>)>,
    /// Per source: its flows called attacks, and the sum of their probabilities.
    attacks: ClientMap<(Evidence, f64)>,
}

impl ClassifiedFlowsDetector {
    /// A detector for `file`'s classifier; `None` when its rows cannot train one.
    pub fn new(file: &ClassifierFile, max_evidence_lines: usize) -> Option<Self> {
        Some(Self {
            model: file.model()?,
            threshold: file.threshold,
            trained_on: file.trained_on.clone(),
            max_evidence_lines,
            pending: Vec::new(),
            attacks: ClientMap::default(),
        })
    }

    fn score_pending(&mut self) {
        let rows: Vec<Vec<f64>> = self.pending.iter().map(|(.., f)| f.clone()).collect();
        let probabilities = self.model.probabilities(&rows);
        for ((line_no, time, client, _), p) in self.pending.drain(..).zip(probabilities) {
            if p < self.threshold {
                continue;
            }
            let key = ClientKey::new(&client);
            let known = self.attacks.get(&key).is_some();
            let cap = self.max_evidence_lines;
            let Some((evidence, sum)) = self
                .attacks
                .get_or_insert_with(&key, || (Evidence::new(line_no, time, cap), 0.0))
            else {
                continue;
            };
            if known {
                evidence.add(line_no, time);
            }
            *sum += p;
        }
    }
}

impl Detector for ClassifiedFlowsDetector {
    fn untracked(&self) -> Option<crate::limits::LeftOut> {
        Some(crate::limits::LeftOut::clients(
            "the classifier",
            self.attacks.untracked_lines(),
        ))
    }

    fn observe(&mut self, line_no: u64, event: &Event<'_>, _client: &ClientKey<'_>) {
        let Event::Flow(flow) = event else { return };
        self.pending
            .push((line_no, flow.time, flow.source.into(), flow_features(flow)));
        if self.pending.len() >= BATCH {
            self.score_pending();
        }
    }

    fn finish(mut self: Box<Self>) -> Vec<Finding> {
        self.score_pending();
        let trained_on = self.trained_on.clone();
        self.attacks
            .into_iter()
            .map(|(client, (evidence, sum))| {
                let count = evidence.count();
                let mean = sum / count as f64;
                let description = format!(
                    "{count} {} from {} the classifier trained on {} calls attacks ({:.0}% of its trees agree, on average)",
                    if count == 1 { "flow" } else { "flows" },
                    for_display(&client, 64),
                    for_display(&trained_on, 80),
                    mean * 100.0
                );
                // Half the trees: 50; all of them: 80; more flows add a little.
                let base = (50.0 + (mean - 0.5).max(0.0) * 60.0).round() as u8;
                let score = score_with_repetition(base, count, 10);
                evidence.into_finding(FindingKind::ClassifiedAttack, &client, score, mean, description, Vec::new())
            })
            .collect()
    }
}
