//! Findings many sources share, folded into one row: a busy server's background noise, a
//! botnet spraying one exploit or guessing the same accounts from fifty addresses. Read
//! one by one they drown the table; an analyst writes them up as one campaign, with its
//! sources listed. Only the kinds sources send alike fold, and only below High: an
//! attack that may have worked stays a row of its own.

use crate::finding::{Finding, FindingKind, Severity};

/// Findings of one kind that make a campaign.
pub const CAMPAIGN_MIN_FINDINGS: usize = 5;

impl FindingKind {
    /// Whether many sources send findings of this kind alike (noise, probes, a signature
    /// sprayed, guessing): these fold into campaigns. A model's, a flood's or an outage's
    /// findings are each their own story.
    pub fn folds_into_campaigns(self) -> bool {
        matches!(
            self,
            FindingKind::BackgroundNoise
                | FindingKind::LoginProbe
                | FindingKind::SensitiveFileProbe
                | FindingKind::ScannerUserAgent
                | FindingKind::PathTraversal
                | FindingKind::SqlInjection
                | FindingKind::Xss
                | FindingKind::CommandInjection
                | FindingKind::Scanning
                | FindingKind::BruteForce
                | FindingKind::UserEnumeration
        )
    }
}

/// A row of a findings table: one finding, or a campaign of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Folded<T> {
    /// One finding, as it was.
    One(T),
    /// Findings of one kind from many sources, in their order, where the first stood.
    Campaign {
        /// Their kind.
        kind: FindingKind,
        /// The findings folded.
        members: Vec<T>,
    },
}

/// `items` (findings, or handles to them that `finding` opens) with each foldable kind
/// that has at least [`CAMPAIGN_MIN_FINDINGS`] findings below High folded into one
/// campaign row, where its first finding stood.
pub fn fold_campaigns<'a, T: Copy>(
    items: &[T],
    finding: impl Fn(T) -> &'a Finding,
) -> Vec<Folded<T>> {
    let foldable = |item: T| {
        let f = finding(item);
        f.kind.folds_into_campaigns() && f.severity < Severity::High
    };
    let crowded: Vec<FindingKind> = FindingKind::ALL
        .into_iter()
        .filter(|&kind| {
            items
                .iter()
                .filter(|&&item| foldable(item) && finding(item).kind == kind)
                .count()
                >= CAMPAIGN_MIN_FINDINGS
        })
        .collect();
    let mut rows: Vec<Folded<T>> = Vec::new();
    for &item in items {
        let kind = finding(item).kind;
        if !(foldable(item) && crowded.contains(&kind)) {
            rows.push(Folded::One(item));
            continue;
        }
        let campaign = rows.iter_mut().find_map(|row| match row {
            Folded::Campaign { kind: k, members } if *k == kind => Some(members),
            _ => None,
        });
        match campaign {
            Some(members) => members.push(item),
            None => rows.push(Folded::Campaign {
                kind,
                members: vec![item],
            }),
        }
    }
    rows
}

/// The figures of a campaign row: the worst of its findings, its sources, its lines and
/// its time span.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignSummary {
    /// The highest score among the findings.
    pub worst_score: u8,
    /// The severity of that score.
    pub severity: Severity,
    /// Distinct clients.
    pub sources: usize,
    /// Evidence lines, all findings together.
    pub lines: u64,
    /// "from → to", as the table writes a finding's time.
    pub when: String,
}

impl CampaignSummary {
    /// The summary of `members`.
    pub fn of(members: &[&Finding]) -> Self {
        let worst_score = members.iter().map(|f| f.score).max().unwrap_or(0);
        let first = members
            .iter()
            .map(|f| f.first_seen)
            .min_by_key(|t| t.epoch_secs);
        let last = members
            .iter()
            .map(|f| f.last_seen)
            .max_by_key(|t| t.epoch_secs);
        Self {
            worst_score,
            severity: Severity::from_score(worst_score),
            sources: sources(members).len(),
            lines: members.iter().map(|f| f.evidence_count).sum(),
            when: first
                .zip(last)
                .map(|(first, last)| crate::figures::time_range_text(first, last))
                .unwrap_or_default(),
        }
    }
}

/// The distinct clients of `members`, sorted.
fn sources<'a>(members: &[&'a Finding]) -> Vec<&'a str> {
    let mut sources: Vec<&str> = members.iter().map(|f| f.client.as_str()).collect();
    sources.sort_unstable();
    sources.dedup();
    sources
}

/// What a campaign row says: how many findings from how many sources, naming the first
/// `shown` sources (in order) and how many more.
pub fn campaign_description(members: &[&Finding], shown: usize) -> String {
    let sources = sources(members);
    let named: Vec<String> = sources
        .iter()
        .take(shown)
        .map(|s| crate::display_text::for_display(s, 40))
        .collect();
    let more = if sources.len() > shown {
        format!(" and {} more", sources.len() - shown)
    } else {
        String::new()
    };
    format!(
        "{} findings from {} sources: {}{more}",
        crate::figures::group_thousands(members.len() as u64),
        crate::figures::group_thousands(sources.len() as u64),
        named.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::LogTime;

    fn finding(kind: FindingKind, client: &str, score: u8) -> Finding {
        let at = LogTime {
            epoch_secs: 0,
            offset_secs: 0,
        };
        Finding {
            kind,
            severity: Severity::from_score(score),
            score,
            confidence: 0.8,
            client: client.to_owned(),
            first_seen: at,
            last_seen: at,
            lines: vec![1],
            evidence_count: 1,
            description: String::new(),
            contributions: vec![],
        }
    }

    fn shape(findings: &[Finding]) -> Vec<String> {
        let refs: Vec<&Finding> = findings.iter().collect();
        fold_campaigns(&refs, |f| f)
            .iter()
            .map(|row| match row {
                Folded::One(f) => f.client.clone(),
                Folded::Campaign { kind, members } => format!("{kind} x{}", members.len()),
            })
            .collect()
    }

    #[test]
    fn five_lesser_findings_of_a_sprayed_kind_fold_where_the_first_stood() {
        let mut findings = vec![finding(FindingKind::SqlInjection, "10.0.0.1", 90)];
        findings.extend(
            (0..5).map(|n| finding(FindingKind::BackgroundNoise, &format!("192.0.2.{n}"), 30)),
        );
        findings.push(finding(FindingKind::AnomalousLines, "10.0.0.3", 45));
        assert_eq!(
            shape(&findings),
            ["10.0.0.1", "background_noise x5", "10.0.0.3"]
        );
        let refs: Vec<&Finding> = findings[1..6].iter().collect();
        assert_eq!(
            campaign_description(&refs, 2),
            "5 findings from 5 sources: 192.0.2.0, 192.0.2.1 and 3 more"
        );
        let summary = CampaignSummary::of(&refs);
        assert_eq!(
            (
                summary.worst_score,
                summary.severity,
                summary.sources,
                summary.lines
            ),
            (30, Severity::Low, 5, 5)
        );
    }

    #[test]
    fn four_high_ones_and_a_models_never_fold() {
        let four: Vec<Finding> = (0..4)
            .map(|n| finding(FindingKind::BackgroundNoise, &format!("a{n}"), 30))
            .collect();
        assert_eq!(shape(&four).len(), 4);
        let high: Vec<Finding> = (0..6)
            .map(|n| finding(FindingKind::BruteForce, &format!("b{n}"), 70))
            .collect();
        assert_eq!(shape(&high).len(), 6);
        let model: Vec<Finding> = (0..6)
            .map(|n| finding(FindingKind::AnomalousLines, &format!("c{n}"), 45))
            .collect();
        assert_eq!(shape(&model).len(), 6);
    }
}
