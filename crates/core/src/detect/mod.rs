//! Detectors: each reads parsed records as the file streams, keeps what it needs per
//! client, and at the end reports [`Finding`]s.
//!
//! The seam is [`Detector`]: `observe` sees every parsed line once, in file order;
//! `finish` turns what was kept into findings. Detectors never see each other, so each can
//! be switched off, tuned, tested and read on its own, one file each.

mod account_names;
mod brute_force;
mod classified;
mod client_map;
mod client_model;
mod custom_rules;
mod distinct;
mod error_burst;
mod evidence;
mod exfiltration;
mod flood;
mod keyed_hash;
mod line_model;
mod log_histogram;
mod login_connections;
mod memo;
mod normalize;
mod off_hours;
mod port_scan;
mod scanning;
mod signature;
mod site_wide;
mod slow_response;
mod stable_hash;
mod window;

pub use brute_force::{BruteForceDetector, BruteForceOptions};
pub use classified::ClassifiedFlowsDetector;
pub use client_map::{
    ClientHasher, ClientKey, ClientMap, MAX_CANDIDATES, MAX_TABLE_KEYS, MAX_TRACKED_CLIENTS,
};
pub use client_model::{CLIENT_FEATURES, ClientModelDetector, ClientModelOptions};
pub use custom_rules::{
    CustomRule, CustomRulesDetector, MAX_RULES, RuleError, RuleField, RuleTest, check_rules,
    rules_from_json, rules_to_json,
};
pub use error_burst::{ErrorBurstDetector, ErrorBurstOptions};
pub use evidence::Evidence;
pub use exfiltration::{ExfiltrationDetector, ExfiltrationOptions};
pub use flood::{FloodDetector, FloodOptions};
pub use keyed_hash::{KeyedMap, KeyedSet, TextDigest, keyed_map, keyed_set, set_client_hash_key};
pub use line_model::{LINE_FEATURES, LineModelDetector, LineModelOptions};
pub use normalize::normalize_request_text;
pub use off_hours::{OffHoursDetector, OffHoursOptions};
pub use port_scan::{PortScanDetector, PortScanOptions};
pub use scanning::{ScanningDetector, ScanningOptions};
pub use signature::{SignatureDetector, SignatureOptions};
pub use site_wide::{MANY_CLIENTS, SiteWideDetector, SiteWideOptions};
pub use slow_response::{SlowResponseDetector, SlowResponseOptions};

use crate::baseline::{Baseline, BaselineUse};
use crate::event::Event;
use crate::finding::Finding;

/// Something that finds attacks or oddities in a stream of records.
pub trait Detector: std::fmt::Debug + CloneDetector + Send {
    /// Looks at one parsed line (`line_no` is 1-based) of `client` ([`Event::client`]).
    fn observe(&mut self, line_no: u64, event: &Event<'_>, client: &ClientKey<'_>);

    /// Reports what it found, once the input has ended (and it has settled).
    fn finish(self: Box<Self>) -> Vec<Finding>;

    /// Called once the input has ended, before [`Detector::untracked`] and the finish: a
    /// detector that keeps lines waiting (to score them together) judges them now.
    fn settle(&mut self) {}

    /// What it left out because it reached a limit (clients beyond
    /// [`MAX_TRACKED_CLIENTS`], candidate lines); `None` when it has no limit to reach.
    fn untracked(&self) -> Option<crate::report::Untracked> {
        None
    }

    /// Roughly what observing a line costs, in hundredths of a whole single-threaded
    /// analysis of an access log: how an analysis shared between threads balances the
    /// detectors. Measured with `perf` over the generated million-line access log
    /// (`scripts/generate_access_log.py`), natively: each detector's share of the samples
    /// of a single-threaded run, its end included (parsing was 22, counting 9).
    fn relative_cost(&self) -> u32 {
        1
    }

    /// Reports what it found, and adds what it learned of normal to `baseline`; a
    /// detector that learns nothing just finishes.
    fn finish_learning(self: Box<Self>, baseline: &mut Baseline) -> Vec<Finding> {
        let _ = baseline;
        self.finish()
    }
}

/// A copy of a detector mid-stream, so an analysis can report what it has found so far
/// (following a growing file) and read on. Every `Clone` detector has it.
pub trait CloneDetector {
    /// A boxed copy of the detector as it stands.
    fn clone_box(&self) -> Box<dyn Detector>;
}

impl<T: Detector + Clone + 'static> CloneDetector for T {
    fn clone_box(&self) -> Box<dyn Detector> {
        Box::new(self.clone())
    }
}

impl Clone for Box<dyn Detector> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

/// Which detectors run, and how each is tuned. Every detector is on by default.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct DetectionOptions {
    /// Attack signatures in requests and headers; `None` turns them off.
    pub signatures: Option<SignatureOptions>,
    /// Failed logins per client; `None` turns it off.
    pub brute_force: Option<BruteForceOptions>,
    /// Many missing paths per client; `None` turns it off.
    pub scanning: Option<ScanningOptions>,
    /// Port scans and sweeps in network flows; `None` turns it off.
    pub port_scan: Option<PortScanOptions>,
    /// Request floods per client; `None` turns it off.
    pub flood: Option<FloodOptions>,
    /// Oversized responses per client; `None` turns it off.
    pub exfiltration: Option<ExfiltrationOptions>,
    /// Sensitive pages in quiet hours; `None` turns it off.
    pub off_hours: Option<OffHoursOptions>,
    /// Bursts of server errors per client; `None` turns it off.
    pub error_burst: Option<ErrorBurstOptions>,
    /// Site-wide traffic and error spikes; `None` turns them off.
    pub site_wide: Option<SiteWideOptions>,
    /// Responses far slower than their endpoint's usual; `None` turns it off.
    pub slow_response: Option<SlowResponseOptions>,
    /// The Isolation Forest over per-line features; `None` turns it off.
    pub line_model: Option<LineModelOptions>,
    /// The Isolation Forest over per-client behaviour; `None` turns it off.
    pub client_model: Option<ClientModelOptions>,
    /// Rules people wrote (see [`CustomRule`]); none by default.
    pub custom_rules: Vec<CustomRule>,
    /// How many evidence line numbers a finding lists (it still counts them all).
    pub max_evidence_lines: usize,
}

impl Default for DetectionOptions {
    fn default() -> Self {
        Self {
            signatures: Some(SignatureOptions::default()),
            brute_force: Some(BruteForceOptions::default()),
            scanning: Some(ScanningOptions::default()),
            port_scan: Some(PortScanOptions::default()),
            flood: Some(FloodOptions::default()),
            exfiltration: Some(ExfiltrationOptions::default()),
            off_hours: Some(OffHoursOptions::default()),
            error_burst: Some(ErrorBurstOptions::default()),
            site_wide: Some(SiteWideOptions::default()),
            slow_response: Some(SlowResponseOptions::default()),
            line_model: Some(LineModelOptions::default()),
            client_model: Some(ClientModelOptions::default()),
            custom_rules: Vec::new(),
            max_evidence_lines: 10_000,
        }
    }
}

impl DetectionOptions {
    /// Every detector off: only reading and summarising.
    pub fn none() -> Self {
        Self {
            signatures: None,
            brute_force: None,
            scanning: None,
            port_scan: None,
            flood: None,
            exfiltration: None,
            off_hours: None,
            error_burst: None,
            site_wide: None,
            slow_response: None,
            line_model: None,
            client_model: None,
            custom_rules: Vec::new(),
            max_evidence_lines: 0,
        }
    }

    /// Whether [`DetectionOptions::build`] builds no detector, known without building
    /// them (some allocate megabytes of cache).
    pub fn builds_none(&self) -> bool {
        let Self {
            signatures,
            brute_force,
            scanning,
            port_scan,
            flood,
            exfiltration,
            off_hours,
            error_burst,
            site_wide,
            slow_response,
            line_model,
            client_model,
            custom_rules,
            max_evidence_lines: _,
        } = self;
        signatures.is_none()
            && brute_force.is_none()
            && scanning.is_none()
            && port_scan.is_none()
            && flood.is_none()
            && exfiltration.is_none()
            && off_hours.is_none()
            && error_burst.is_none()
            && site_wide.is_none()
            && slow_response.is_none()
            && line_model.is_none()
            && client_model.is_none()
            && custom_rules.is_empty()
    }

    /// The detectors these options switch on, ready to observe, judging by the file
    /// itself, learning a baseline or applying one; `threads` as
    /// [`crate::AnalysisOptions::threads`] says.
    pub fn build(&self, baseline: &BaselineUse, threads: usize) -> Vec<Box<dyn Detector>> {
        let cap = self.max_evidence_lines;
        let mut detectors: Vec<Box<dyn Detector>> = Vec::new();
        if let Some(options) = &self.signatures {
            detectors.push(Box::new(SignatureDetector::new(options.clone(), cap)));
        }
        if let Some(options) = &self.brute_force {
            detectors.push(Box::new(BruteForceDetector::new(options.clone(), cap)));
        }
        if let Some(options) = &self.scanning {
            detectors.push(Box::new(ScanningDetector::new(options.clone(), cap)));
        }
        if let Some(options) = &self.port_scan {
            detectors.push(Box::new(PortScanDetector::new(options.clone(), cap)));
        }
        if let Some(options) = &self.flood {
            detectors.push(Box::new(FloodDetector::new(options.clone(), cap)));
        }
        if let Some(options) = &self.exfiltration {
            detectors.push(Box::new(ExfiltrationDetector::new(options.clone(), cap)));
        }
        if let Some(options) = &self.off_hours {
            detectors.push(Box::new(OffHoursDetector::new(
                options.clone(),
                cap,
                baseline,
            )));
        }
        if let Some(options) = &self.error_burst {
            detectors.push(Box::new(ErrorBurstDetector::new(options.clone(), cap)));
        }
        if let Some(options) = &self.site_wide {
            detectors.push(Box::new(SiteWideDetector::new(options.clone())));
        }
        if let Some(options) = &self.slow_response {
            detectors.push(Box::new(SlowResponseDetector::new(
                options.clone(),
                cap,
                baseline,
            )));
        }
        if let Some(options) = &self.line_model {
            detectors.push(Box::new(LineModelDetector::new(options.clone(), baseline)));
        }
        if let Some(options) = &self.client_model {
            detectors.push(Box::new(ClientModelDetector::new(
                options.clone(),
                baseline,
                threads,
            )));
        }
        if !self.custom_rules.is_empty() {
            detectors.push(Box::new(CustomRulesDetector::new(&self.custom_rules, cap)));
        }
        detectors
    }
}

pub(crate) use stable_hash::{StableHasher, hash_of};

/// A request target's path: what comes before its query (`?`). memchr, because `split`'s
/// character searcher was a measurable share of the detectors that did this per line.
pub(crate) fn without_query(target: &str) -> &str {
    memchr::memchr(b'?', target.as_bytes()).map_or(target, |at| &target[..at])
}

/// `base` raised by the weight of repetition: a few points per doubling of `count`,
/// at most `max_bonus`, and never above 100.
pub(crate) fn score_with_repetition(base: u8, count: u64, max_bonus: u8) -> u8 {
    let doublings = 64 - count.max(1).leading_zeros() - 1;
    let bonus = (doublings * 2).min(u32::from(max_bonus));
    u8::try_from((u32::from(base) + bonus).min(100)).unwrap_or(100)
}

/// Helpers for detector tests: write access-log lines, analyse them with one detector.
#[cfg(test)]
pub(crate) mod test_lines {
    use super::DetectionOptions;
    use crate::finding::Finding;
    use crate::{AnalysisOptions, analyze_bytes};

    /// A combined-format line at `secs` seconds after 2024-01-01 00:00 UTC.
    pub(crate) fn line(client: &str, secs: i64, method: &str, target: &str, status: u16) -> String {
        let time = crate::LogTime {
            epoch_secs: 1_704_067_200 + secs,
            offset_secs: 0,
        };
        format!(
            "{client} - - [{}] \"{method} {target} HTTP/1.1\" {status} 512 \"-\" \"Mozilla/5.0\"",
            time.format("%d/%b/%Y:%H:%M:%S +0000")
        )
    }

    /// The findings for `lines` with only the detectors `detection` turns on, as the
    /// default view (sensitivity) shows them.
    pub(crate) fn findings(lines: &[String], detection: DetectionOptions) -> Vec<Finding> {
        let options = AnalysisOptions {
            detection,
            ..AnalysisOptions::default()
        };
        let report = analyze_bytes(lines.join("\n").as_bytes(), options);
        report
            .visible_findings(crate::FindingFilter::default())
            .cloned()
            .collect()
    }

    /// Options with every detector off, to turn one on.
    pub(crate) fn none() -> DetectionOptions {
        DetectionOptions {
            max_evidence_lines: 10_000,
            ..DetectionOptions::none()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_none_says_what_build_gives() {
        let all = DetectionOptions::default();
        let none = DetectionOptions::none();
        let mut each_alone: Vec<DetectionOptions> = vec![none.clone(), all.clone()];
        macro_rules! alone {
            ($($field:ident),*) => {$(
                each_alone.push(DetectionOptions { $field: all.$field.clone(), ..none.clone() });
            )*};
        }
        alone!(
            signatures,
            brute_force,
            scanning,
            port_scan,
            flood,
            exfiltration,
            off_hours,
            error_burst,
            site_wide,
            slow_response,
            line_model,
            client_model
        );
        let rules = custom_rules::rules_from_json(
            r#"[{"name": "a", "field": "path", "test": {"matches": "x"}, "severity": "low"}]"#,
        )
        .unwrap();
        each_alone.push(DetectionOptions {
            custom_rules: rules,
            ..none.clone()
        });
        for options in each_alone {
            assert_eq!(
                options.builds_none(),
                options.build(&BaselineUse::Own, 1).is_empty(),
                "{options:?}"
            );
        }
    }

    #[test]
    fn repetition_raises_the_score_a_little_and_never_past_100() {
        assert_eq!(score_with_repetition(70, 1, 10), 70);
        assert_eq!(score_with_repetition(70, 2, 10), 72);
        assert_eq!(score_with_repetition(70, 1024, 10), 80);
        assert_eq!(score_with_repetition(95, u64::MAX, 20), 100);
        assert_eq!(score_with_repetition(50, 0, 10), 50);
    }
}
