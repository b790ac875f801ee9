//! Which findings a reader sees: a severity floor and a sensitivity, applied to a finished
//! report, so turning either re-scores the view without reading the file again.
//!
//! Detectors report candidates below their default thresholds too (the models down to a
//! lower score), each with its 0–100 score. The sensitivity (0–100) sets the score a
//! finding needs: `100 - sensitivity`. At the default, 60, a finding needs 40, which is what
//! the detectors' default thresholds give; at 70 the models' near-misses (scores 30–39)
//! appear; at 40 only findings of 60 and above remain.

use crate::finding::{Finding, Severity};

/// The sensitivity a report is read at unless someone asks otherwise.
pub const DEFAULT_SENSITIVITY: u8 = 60;

/// What a view of the findings keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FindingFilter {
    /// Findings below this severity are left out.
    pub min_severity: Severity,
    /// 0 (only the surest) to 100 (every candidate); see the module docs.
    pub sensitivity: u8,
}

impl Default for FindingFilter {
    fn default() -> Self {
        Self {
            min_severity: Severity::Low,
            sensitivity: DEFAULT_SENSITIVITY,
        }
    }
}

impl FindingFilter {
    /// The score a finding needs at this sensitivity.
    pub fn min_score(&self) -> u8 {
        100 - self.sensitivity.min(100)
    }

    /// Whether the view shows `finding`. Kinds that are Low by nature (background noise,
    /// probing) are shown from the default sensitivity up, whatever their score: hiding
    /// them would drop what a busy server mostly receives without a word.
    pub fn keeps(&self, finding: &Finding) -> bool {
        finding.severity >= self.min_severity
            && (finding.score >= self.min_score()
                || (finding.kind.is_low_by_nature() && self.sensitivity >= DEFAULT_SENSITIVITY))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::FindingKind;
    use crate::time::LogTime;

    fn finding(score: u8) -> Finding {
        let time = LogTime {
            epoch_secs: 0,
            offset_secs: 0,
        };
        Finding {
            kind: FindingKind::AnomalousClient,
            severity: Severity::from_score(score),
            score,
            confidence: 0.7,
            client: "x".into(),
            first_seen: time,
            last_seen: time,
            lines: vec![],
            evidence_count: 1,
            description: String::new(),
            contributions: vec![],
        }
    }

    #[test]
    fn sensitivity_moves_the_score_needed() {
        let default = FindingFilter::default();
        assert!(default.keeps(&finding(40)) && !default.keeps(&finding(39)));
        let eager = FindingFilter {
            sensitivity: 70,
            ..default
        };
        assert!(eager.keeps(&finding(30)) && !eager.keeps(&finding(29)));
        let strict = FindingFilter {
            sensitivity: 0,
            ..default
        };
        assert!(strict.keeps(&finding(100)) && !strict.keeps(&finding(99)));
        assert!(
            FindingFilter {
                sensitivity: 255,
                ..default
            }
            .keeps(&finding(0))
        );
    }

    #[test]
    fn noise_is_shown_at_the_default_sensitivity() {
        let noise = Finding {
            kind: FindingKind::BackgroundNoise,
            ..finding(22)
        };
        assert!(FindingFilter::default().keeps(&noise));
        assert!(!FindingFilter::default().keeps(&finding(22)));
        let strict = FindingFilter {
            sensitivity: 40,
            ..FindingFilter::default()
        };
        assert!(!strict.keeps(&noise));
    }

    #[test]
    fn severity_still_applies() {
        let filter = FindingFilter {
            min_severity: Severity::High,
            sensitivity: 100,
        };
        assert!(!filter.keeps(&finding(64)) && filter.keeps(&finding(65)));
    }
}
