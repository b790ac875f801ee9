//! What happens to each line once its format is known: it is parsed, its client named,
//! and it is handed to the detectors and counted (or its reject counted).

use super::AnalysisOptions;
use super::detector_results::DetectorResult;
use super::line_counts::LineCounts;
use crate::baseline::Baseline;
use crate::connection_addresses::ConnectionAddresses;
use crate::detect::{ClassifiedFlowsDetector, ClientHasher, ClientKey, Detector};
use crate::event::Event;
use crate::line_reader::Line;
use crate::parse::{LineParser, LogFormat, RejectReason};

/// Takes every line of an analysis.
#[derive(Debug, Clone)]
pub(super) struct LineHandler {
    pub(super) options: AnalysisOptions,
    /// The addresses of recent processes, for lines that name their client by host name.
    connection_addresses: ConnectionAddresses,
    /// Hashes each line's client once for every per-client map.
    client_hasher: ClientHasher,
    /// The detectors this analysis runs, each with its place among all of them.
    pub(super) detectors: Vec<(usize, Box<dyn Detector>)>,
    /// How many detectors the analysis runs in all, its team's included.
    pub(super) all_detectors: usize,
    /// The counts, charts and rejects; `None` in a team member that leaves them to the
    /// first (see [`super::Analysis::team`]).
    pub(super) counts: Option<LineCounts>,
}

impl LineHandler {
    /// Every detector `options` asks for, and the counts.
    pub(super) fn new(options: AnalysisOptions) -> Self {
        let mut detectors = options.detection.build(&options.baseline);
        if let Some(detector) = options.classifier.as_ref().and_then(|file| {
            ClassifiedFlowsDetector::new(file, options.detection.max_evidence_lines)
        }) {
            detectors.push(Box::new(detector));
        }
        Self {
            counts: Some(LineCounts::new(&options)),
            all_detectors: detectors.len(),
            detectors: detectors.into_iter().enumerate().collect(),
            options,
            connection_addresses: ConnectionAddresses::default(),
            client_hasher: ClientHasher::new(),
        }
    }

    /// Parses `line` and takes what it holds, or its reject.
    pub(super) fn observe(&mut self, parser: &mut LineParser, line: Line<'_>) {
        // Whether a line that does not parse may continue the record above it.
        let multi_line = parser.has_multi_line_records();
        // The event is read where it was made, never moved: it is a few hundred bytes.
        let parsed = if line.truncated {
            self.take(line, Err(RejectReason::LineTooLong), false)
        } else {
            let parsed = parser.parse(line.text);
            self.take(line, parsed.as_ref().map_err(Clone::clone), multi_line)
        };
        if parsed
            && let Some(counts) = &mut self.counts
            && let LineParser::Json(json) = parser
        {
            counts.count_extra_fields(line.number, json);
        }
    }

    /// Hands a parsed line to the detectors and counts it, or counts its reject. Whether
    /// it parsed.
    fn take(
        &mut self,
        line: Line<'_>,
        parsed: Result<&(LogFormat, Event<'_>), RejectReason>,
        multi_line: bool,
    ) -> bool {
        match parsed {
            Ok((format, event)) => {
                // A host name PAM wrote is the address its sshd process named.
                let resolved = self.connection_addresses.address_for(event);
                let name = resolved.as_deref().unwrap_or(event.client());
                let client = ClientKey::with(name, &self.client_hasher);
                for (_, detector) in &mut self.detectors {
                    detector.observe(line.number, event, &client);
                }
                if let Some(counts) = &mut self.counts {
                    counts.count_event(line.number, *format, event, &client);
                }
                true
            }
            Err(reason) => {
                if let Some(counts) = &mut self.counts {
                    counts.count_reject(line, reason, multi_line);
                }
                false
            }
        }
    }

    /// Finishes each detector (adding what it learned to `learned`, when learning).
    pub(super) fn finish_detectors(
        &mut self,
        mut learned: Option<&mut Baseline>,
    ) -> Vec<DetectorResult> {
        std::mem::take(&mut self.detectors)
            .into_iter()
            .map(|(index, mut detector)| {
                detector.settle();
                DetectorResult {
                    index,
                    untracked: detector.untracked().filter(|u| u.left_out > 0),
                    findings: match learned.as_deref_mut() {
                        Some(baseline) => detector.finish_learning(baseline),
                        None => detector.finish(),
                    },
                }
            })
            .collect()
    }
}
