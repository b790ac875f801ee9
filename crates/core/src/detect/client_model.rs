//! Clients unlike the others: an Isolation Forest over per-client behaviour.
//!
//! **What it detects:** clients whose mix of behaviour is rare in this file: how much they
//! ask, how varied the paths, how often refused or failing, how often they POST, how large
//! the answers, how bursty, how many user agents. No rule says what is bad; the forest
//! says what is unusual *here*, and the explanation says which features made it so.
//!
//! **Why it matters:** rules only find what someone anticipated. A client that is
//! different in ways no rule names (a new tool, a slow crawl of account pages, a scraper
//! varying its agent) still stands out from the crowd.
//!
//! **Example:** a client with 40 requests, 38 distinct paths, 90 % refused, 6 user agents,
//! in a file where clients typically make 20 requests to 8 paths with one agent.
//!
//! The model needs a crowd: with fewer than `min_clients` clients it reports nothing.
//! Findings list the client's first lines as evidence and count all of them.

use super::client_map::{ClientKey, ClientMap};
use super::distinct::DistinctDigests;
use super::{Detector, Evidence, TextDigest, without_query};
use crate::baseline::{Baseline, BaselineUse, ClientBaseline, MAX_VECTORS, rounded};
use crate::display_text::for_display;
use crate::event::Event;
use crate::features::CLIENT_FEATURES;
use crate::finding::{Contribution, Finding, FindingKind};
use crate::model::forest::ForestOptions;
use crate::model::one_class_svm::SvmOptions;
use crate::model::{AnomalyModel, ModelKind, ModelOptions};
use crate::time::LogTime;

/// Tuning for [`ClientModelDetector`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ClientModelOptions {
    /// Which model scores the clients: the Isolation Forest (default) or the One-Class SVM.
    pub model: ModelKind,
    /// The forest's trees, sample size and seed.
    pub forest: ForestOptions,
    /// The SVM's features, ν, passes and seed.
    pub svm: SvmOptions,
    /// Clients scoring at least this are reported (0.5 is ordinary, 1 is isolated at once);
    /// the default sensitivity shows those from 0.75, higher sensitivities the rest.
    pub min_score: f64,
    /// The fewest clients worth modelling.
    pub min_clients: usize,
}

impl ClientModelOptions {
    /// The model and its settings, as these options say.
    fn model_options(&self) -> ModelOptions {
        ModelOptions {
            kind: self.model,
            forest: self.forest.clone(),
            svm: self.svm.clone(),
        }
    }
}

impl Default for ClientModelOptions {
    fn default() -> Self {
        Self {
            model: ModelKind::IsolationForest,
            forest: ForestOptions::default(),
            svm: SvmOptions::default(),
            min_score: 0.65,
            min_clients: 50,
        }
    }
}

/// Distinct paths and agents remembered per client; beyond, the count saturates.
const MAX_DISTINCT_PATHS: usize = 256;
const MAX_DISTINCT_AGENTS: usize = 16;
/// Paths and agents a client's record holds inline before it needs a set: most clients
/// ask for few paths with one agent, and a smaller record is cheaper to reach.
const PATHS_INLINE: usize = 8;
const AGENTS_INLINE: usize = 2;
/// Evidence lines listed per client.
const LISTED_LINES: usize = 16;

#[derive(Debug, Clone)]
struct Profile {
    requests: u64,
    refused: u64,
    server_errors: u64,
    posts: u64,
    with_query: u64,
    log_bytes_sum: f64,
    paths: DistinctDigests<PATHS_INLINE>,
    agents: DistinctDigests<AGENTS_INLINE>,
    evidence: Option<Evidence>,
    /// The minute (since the epoch) the client's last request was in, and its requests
    /// in it: a request of another minute starts the count again (so a scrambled log
    /// undercounts rather than mixing minutes).
    minute: i64,
    in_minute: u32,
    /// The most requests in one minute.
    busiest_minute: u32,
}

impl Default for Profile {
    fn default() -> Self {
        Self {
            requests: 0,
            refused: 0,
            server_errors: 0,
            posts: 0,
            with_query: 0,
            log_bytes_sum: 0.0,
            paths: DistinctDigests::default(),
            agents: DistinctDigests::default(),
            evidence: None,
            minute: i64::MIN,
            in_minute: 0,
            busiest_minute: 0,
        }
    }
}

impl Profile {
    /// Counts a request at `time` in its minute.
    fn count_minute(&mut self, time: LogTime) {
        let minute = time.epoch_secs.div_euclid(60);
        if minute != self.minute {
            self.minute = minute;
            self.in_minute = 0;
        }
        self.in_minute += 1;
        self.busiest_minute = self.busiest_minute.max(self.in_minute);
    }

    fn features(&self) -> Vec<f64> {
        let n = self.requests.max(1) as f64;
        vec![
            (1.0 + self.requests as f64).ln(),
            self.paths.len() as f64 / n,
            self.refused as f64 / n,
            self.server_errors as f64 / n,
            self.posts as f64 / n,
            self.log_bytes_sum / n,
            (1.0 + f64::from(self.busiest_minute)).ln(),
            self.agents.len() as f64,
            self.with_query as f64 / n,
        ]
    }
}

/// Profiles every client, then scores them with an Isolation Forest; see the module docs.
#[derive(Debug, Clone)]
pub struct ClientModelDetector {
    /// Digests of the texts counted as distinct.
    digest: TextDigest,
    options: ClientModelOptions,
    profiles: ClientMap<Profile>,
    /// The crowd clients are compared with, when it is a baseline's.
    baseline: Option<CrowdOf>,
}

/// A baseline's crowd: a model fitted on it, its typical client, and its name.
#[derive(Debug, Clone)]
struct CrowdOf {
    forest: AnomalyModel,
    typical: Vec<f64>,
    name: String,
}

impl ClientModelDetector {
    /// A detector with these options, judging clients against each other or against a
    /// baseline's.
    pub fn new(options: ClientModelOptions, baseline: &BaselineUse) -> Self {
        let baseline = baseline.applied().and_then(|applied| {
            Some(CrowdOf {
                forest: applied.client_model(&options.model_options())?,
                typical: applied.clients.as_ref()?.typical.clone(),
                name: applied.describe(),
            })
        });
        Self {
            digest: TextDigest::default(),
            options,
            profiles: ClientMap::default(),
            baseline,
        }
    }

    /// Scores every client against the crowd (this file's, or the baseline's) and, when
    /// learning, adds this file's crowd to `learn`.
    fn judge(self: Box<Self>, learn: Option<&mut Baseline>) -> Vec<Finding> {
        let crowd = self.profiles.len() >= self.options.min_clients;
        if !crowd && self.baseline.is_none() {
            return Vec::new();
        }
        // Borrowed, not taken: sorting ten thousand names and profiles by value moved
        // every profile and boxed every name, on the time the whole analysis waits for.
        let mut clients: Vec<(&str, &Profile)> = self.profiles.iter().collect();
        // A fixed order, so the same file always gives the same forest (clients are
        // distinct, so an unstable sort gives that order too).
        clients.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let vectors: Vec<Vec<f64>> = clients.iter().map(|(_, p)| p.features()).collect();
        if let Some(baseline) = learn
            && crowd
        {
            // Evenly spaced clients when there are too many to keep.
            let step = vectors.len().div_ceil(MAX_VECTORS).max(1);
            baseline.clients = Some(ClientBaseline {
                vectors: vectors.iter().step_by(step).map(|v| rounded(v)).collect(),
                typical: rounded(&medians(&vectors)),
            });
        }
        let (forest, typical, yardstick) = match self.baseline {
            Some(crowd) => (
                crowd.forest,
                crowd.typical,
                format!("the clients of the baseline learned from {}", crowd.name),
            ),
            None => {
                let Some(forest) = AnomalyModel::fit(&vectors, &self.options.model_options())
                else {
                    return Vec::new();
                };
                (forest, medians(&vectors), "other clients here".to_owned())
            }
        };
        // Most clients are ordinary: their score alone says so, without the explanation's
        // bookkeeping of every split on every path.
        let min_score = self.options.min_score;
        let scores = forest.scores_reaching(&vectors, min_score);
        let unusual: Vec<((&str, &Profile), &Vec<f64>)> = clients
            .into_iter()
            .zip(&vectors)
            .zip(scores)
            .filter_map(|(client, score)| score.map(|_| client))
            .collect();
        // Explained together, tree by tree, as they were scored.
        let points: Vec<&[f64]> = unusual
            .iter()
            .map(|(_, vector)| vector.as_slice())
            .collect();
        unusual
            .into_iter()
            .zip(forest.explain_many(&points))
            .filter_map(|(((client, profile), vector), explained)| {
                let evidence = profile.evidence.clone()?;
                let contributions: Vec<Contribution> = CLIENT_FEATURES
                    .iter()
                    .zip(&explained.contributions)
                    .map(|(feature, weight)| Contribution {
                        feature: (*feature).to_owned(),
                        weight: *weight,
                    })
                    .collect();
                let description = describe(
                    client,
                    &yardstick,
                    explained.score,
                    &contributions,
                    vector,
                    &typical,
                );
                // 0.75 maps to 40 (shown by default), 0.65 to 30, an isolated client (1.0) to 65.
                let score = (40.0 + (explained.score - 0.75) * 100.0)
                    .round()
                    .clamp(0.0, 100.0) as u8;
                Some(evidence.into_finding(
                    FindingKind::AnomalousClient,
                    client,
                    score,
                    explained.score,
                    description,
                    contributions,
                ))
            })
            .collect()
    }
}

impl Detector for ClientModelDetector {
    fn relative_cost(&self) -> u32 {
        6
    }

    fn untracked(&self) -> Option<crate::limits::LeftOut> {
        Some(crate::limits::LeftOut::clients(
            "the per-client model",
            self.profiles.untracked_lines(),
        ))
    }

    fn observe(&mut self, line_no: u64, event: &Event<'_>, client: &ClientKey<'_>) {
        let Event::Access(record) = event else { return };
        let Some(profile) = self.profiles.get_or_insert_with(client, Profile::default) else {
            return;
        };
        profile.count_minute(record.time);
        profile.requests += 1;
        profile.refused += u64::from(matches!(record.status, 400 | 403 | 404 | 405 | 410));
        profile.server_errors += u64::from(record.status >= 500);
        profile.posts += u64::from(record.method == Some("POST"));
        let target = record.target.unwrap_or(record.request);
        let path = without_query(target);
        profile.with_query += u64::from(path.len() < target.len());
        profile.log_bytes_sum += (1.0 + record.bytes_sent.unwrap_or(0) as f64).ln();
        profile
            .paths
            .insert_below(self.digest.of(path), MAX_DISTINCT_PATHS);
        profile.agents.insert_below(
            self.digest.of(record.user_agent.unwrap_or("")),
            MAX_DISTINCT_AGENTS,
        );
        match &mut profile.evidence {
            Some(evidence) => evidence.add(line_no, record.time),
            None => profile.evidence = Some(Evidence::new(line_no, record.time, LISTED_LINES)),
        }
    }

    fn finish(self: Box<Self>) -> Vec<Finding> {
        self.judge(None)
    }

    fn finish_learning(self: Box<Self>, baseline: &mut Baseline) -> Vec<Finding> {
        self.judge(Some(baseline))
    }
}

/// Each feature's median over all clients: what "typical here" means in descriptions.
fn medians(vectors: &[Vec<f64>]) -> Vec<f64> {
    (0..CLIENT_FEATURES.len())
        .map(|feature| {
            let mut values: Vec<f64> = vectors.iter().map(|v| v[feature]).collect();
            values.sort_by(f64::total_cmp);
            values.get(values.len() / 2).copied().unwrap_or(0.0)
        })
        .collect()
}

/// "… behaves unlike other clients here (score 0.81): busiest_minute 54% (310 vs
/// typically 3), …": the features with most credit, leaving out any whose value is the
/// typical one (credit there is the model's noise, not a reason).
fn describe(
    client: &str,
    yardstick: &str,
    score: f64,
    contributions: &[Contribution],
    vector: &[f64],
    typical: &[f64],
) -> String {
    let mut ranked: Vec<usize> = (0..contributions.len()).collect();
    ranked.sort_by(|&a, &b| contributions[b].weight.total_cmp(&contributions[a].weight));
    let reasons: Vec<String> = ranked
        .iter()
        .filter(|&&i| contributions[i].weight > 0.05 && shown(i, vector[i]) != shown(i, typical[i]))
        .take(3)
        .map(|&i| {
            format!(
                "{} {:.0}% ({} vs typically {})",
                CLIENT_FEATURES[i],
                contributions[i].weight * 100.0,
                shown(i, vector[i]),
                shown(i, typical[i])
            )
        })
        .collect();
    format!(
        "{} behaves unlike {yardstick} (score {score:.2}): {}",
        for_display(client, 64),
        reasons.join(", ")
    )
}

/// A feature's value in its natural unit (counts for the logged ones, percentages for shares).
fn shown(feature: usize, value: f64) -> String {
    match CLIENT_FEATURES[feature] {
        "requests" | "busiest_minute" => format!("{:.0}", value.exp() - 1.0),
        "mean_response_size" => crate::figures::human_bytes((value.exp() - 1.0) as u64),
        "user_agents" => format!("{value:.0}"),
        _ => format!("{:.0}%", value * 100.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DetectionOptions;
    use crate::detect::test_lines::{findings, line, none};

    #[test]
    fn the_busiest_minute_counts_requests_in_one_minute_in_a_row() {
        let mut profile = Profile::default();
        // Three in the minute from 60 s, then one back in the first minute, which starts
        // its count again rather than adding to its two.
        for secs in [0, 10, 60, 70, 119, 5, 120] {
            profile.count_minute(LogTime {
                epoch_secs: secs,
                offset_secs: 0,
            });
        }
        assert_eq!(profile.busiest_minute, 3);
        let mut early = Profile::default();
        early.count_minute(LogTime {
            epoch_secs: -30,
            offset_secs: 0,
        });
        assert_eq!(early.busiest_minute, 1);
    }

    fn model_only() -> DetectionOptions {
        DetectionOptions {
            client_model: Some(ClientModelOptions::default()),
            ..none()
        }
    }

    /// Eighty clients browsing alike: a few pages each, all answered.
    fn crowd() -> Vec<String> {
        (0..80)
            .flat_map(|c| {
                (0..12).map(move |i| {
                    line(
                        &format!("10.0.6.{c}"),
                        c * 100 + i * 7,
                        "GET",
                        &format!("/page/{}", i % 5),
                        200,
                    )
                })
            })
            .collect()
    }

    #[test]
    fn a_client_unlike_the_crowd_is_reported_with_its_reasons() {
        let mut lines = crowd();
        // Refused on nearly every path, in a burst: no rule is asked for, the model notices.
        lines.extend((0..150).map(|i| {
            line(
                "192.0.2.77",
                9_000 + i / 10,
                "POST",
                &format!("/x{i}?q={i}"),
                405,
            )
        }));
        let found = findings(&lines, model_only());
        assert_eq!(found.len(), 1, "{found:#?}");
        let finding = &found[0];
        assert_eq!(
            (finding.kind, finding.client.as_str()),
            (FindingKind::AnomalousClient, "192.0.2.77")
        );
        assert!(finding.confidence >= 0.75);
        assert_eq!(finding.contributions.len(), CLIENT_FEATURES.len());
        let total: f64 = finding.contributions.iter().map(|c| c.weight).sum();
        assert!((total - 1.0).abs() < 1e-9);
        assert!(
            finding.description.contains("vs typically"),
            "{}",
            finding.description
        );
        assert_eq!(
            (finding.evidence_count, finding.lines.len()),
            (150, LISTED_LINES)
        );
    }

    #[test]
    fn a_crowd_of_alike_clients_has_no_outlier() {
        assert!(findings(&crowd(), model_only()).is_empty());
    }

    #[test]
    fn too_few_clients_are_not_modelled() {
        let lines: Vec<String> = (0..10)
            .map(|c| {
                line(
                    &format!("10.0.7.{c}"),
                    c,
                    "GET",
                    "/",
                    if c == 0 { 500 } else { 200 },
                )
            })
            .collect();
        assert!(findings(&lines, model_only()).is_empty());
    }
}
