//! Detectors: each reads parsed records as the file streams, keeps what it needs per
//! client, and at the end reports [`Finding`]s.
//!
//! The seam is [`Detector`]: `observe` sees every parsed line once, in file order;
//! `finish` turns what was kept into findings. Detectors never see each other, so each can
//! be switched off, tuned, tested and read on its own, one file each.

mod account_names;
#[macro_use]
mod registry;
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
mod line_model;
mod log_histogram;
mod login_connections;
mod normalize;
mod off_hours;
mod port_scan;
mod rule_hits;
mod scanning;
mod sigma_rules;
mod signature;
mod site_wide;
mod slow_response;
mod window;

pub use crate::features::{CLIENT_FEATURES, LINE_FEATURES};
pub use crate::keyed_hash::{
    KeyedMap, KeyedSet, TextDigest, keyed_map, keyed_set, set_client_hash_key,
};
pub use crate::limits::{MAX_CANDIDATES, MAX_TABLE_KEYS, MAX_TRACKED_CLIENTS};
pub use brute_force::{BruteForceDetector, BruteForceOptions};
pub use classified::ClassifiedFlowsDetector;
pub use client_map::{ClientHasher, ClientKey, ClientMap};
pub use client_model::{ClientModelDetector, ClientModelOptions};
pub use custom_rules::{
    CustomRule, CustomRulesDetector, MAX_RULES, RuleError, RuleField, RuleTest, check_rules,
    rules_from_json, rules_to_json,
};
pub use error_burst::{ErrorBurstDetector, ErrorBurstOptions};
pub use evidence::Evidence;
pub use exfiltration::{ExfiltrationDetector, ExfiltrationOptions};
pub use flood::{FloodDetector, FloodOptions};
pub use line_model::{LineModelDetector, LineModelOptions};
pub use normalize::normalize_request_text;
pub use off_hours::{OffHoursDetector, OffHoursOptions};
pub use port_scan::{PortScanDetector, PortScanOptions};
pub use scanning::{ScanningDetector, ScanningOptions};
pub use sigma_rules::SigmaRulesDetector;
pub use signature::{SignatureDetector, SignatureOptions};
pub use site_wide::{MANY_CLIENTS, SiteWideDetector, SiteWideOptions};
pub use slow_response::{SlowResponseDetector, SlowResponseOptions};

use crate::baseline::{Baseline, BaselineUse};
use crate::event::Event;
use crate::finding::Finding;
use crate::sigma::SigmaRules;
pub use registry::DetectorSwitch;

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
    fn untracked(&self) -> Option<crate::limits::LeftOut> {
        None
    }

    /// Roughly what observing a line costs, in hundredths of a whole single-threaded
    /// analysis of an access log, its end included: how a team (see
    /// `Analysis::team`) balances the detectors between threads. How the figures are
    /// measured is in `docs/performance.md`.
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

detector_registry! {
    /// Attack signatures in requests and headers.
    signatures: SignatureOptions, "Attack signatures",
        |options, cap, _| SignatureDetector::new(options.clone(), cap);
    /// Failed logins per client.
    brute_force: BruteForceOptions, "Password guessing",
        |options, cap, _| BruteForceDetector::new(options.clone(), cap);
    /// Many missing paths per client.
    scanning: ScanningOptions, "URL scanning",
        |options, cap, _| ScanningDetector::new(options.clone(), cap);
    /// Port scans and sweeps in network flows.
    port_scan: PortScanOptions, "Port scans (flows)",
        |options, cap, _| PortScanDetector::new(options.clone(), cap);
    /// Request floods per client.
    flood: FloodOptions, "Floods",
        |options, cap, _| FloodDetector::new(options.clone(), cap);
    /// Oversized responses per client.
    exfiltration: ExfiltrationOptions, "Data exfiltration",
        |options, cap, _| ExfiltrationDetector::new(options.clone(), cap);
    /// Sensitive pages in quiet hours.
    off_hours: OffHoursOptions, "Off-hours access",
        |options, cap, baseline| OffHoursDetector::new(options.clone(), cap, baseline);
    /// Bursts of server errors per client.
    error_burst: ErrorBurstOptions, "Error bursts",
        |options, cap, _| ErrorBurstDetector::new(options.clone(), cap);
    /// Site-wide traffic and error spikes.
    site_wide: SiteWideOptions, "Site-wide spikes",
        |options, _, _| SiteWideDetector::new(options.clone());
    /// Responses far slower than their endpoint's usual.
    slow_response: SlowResponseOptions, "Slow responses",
        |options, cap, baseline| SlowResponseDetector::new(options.clone(), cap, baseline);
    /// The Isolation Forest over per-line features.
    line_model: LineModelOptions, "Per-line model (Isolation Forest)",
        |options, _, baseline| LineModelDetector::new(options.clone(), baseline);
    /// The Isolation Forest over per-client behaviour.
    client_model: ClientModelOptions, "Per-client model (Isolation Forest)",
        |options, _, baseline| ClientModelDetector::new(options.clone(), baseline);
}

pub(crate) use crate::stable_hash::hash_of;

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
                options.build(&BaselineUse::Own).is_empty(),
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
