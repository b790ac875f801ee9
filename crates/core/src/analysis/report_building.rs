//! The report, from an analysis whose input has ended: its counts, and every detector's
//! findings (its own, and its team's) in one order, worst first, with what any limit
//! left out said in words.

use super::Outcome;
use super::detector_results::MemberFindings;
use super::line_counts::{LineCounts, MAX_COUNTED_CLIENTS};
use super::line_handling::LineHandler;
use crate::baseline::{Baseline, BaselineUse};
use crate::finding::Finding;
use crate::input_problem::InputProblem;
use crate::limits::LeftOut;
use crate::parse::LogFormat;
use crate::report::{BaselineNote, FieldCount, LabelCount, Report};
use crate::supervised::TreesOptions;

/// Findings a report keeps, worst first; the rest are counted.
pub(super) const MAX_FINDINGS: usize = if cfg!(test) { 1_000 } else { 100_000 };

/// An analysis whose input has ended: what its report is made of.
#[derive(Debug)]
pub(super) struct Ended {
    /// The input's first bytes, to tell an empty or binary input.
    pub(super) start: Vec<u8>,
    pub(super) handler: LineHandler,
    pub(super) bytes_read: u64,
    pub(super) lines: u64,
    /// The year given to timestamps that had none.
    pub(super) year_assumed: Option<i16>,
}

impl Ended {
    /// The outcome, with the findings of the team's other members in `shares`.
    pub(super) fn into_outcome(self, shares: Vec<MemberFindings>) -> Outcome {
        let Self {
            start,
            mut handler,
            bytes_read,
            lines,
            year_assumed,
        } = self;
        let options = handler.options.clone();
        let mut counts = handler
            .counts
            .take()
            .unwrap_or_else(|| LineCounts::new(&options));
        let format = most_parsed_format(&counts);
        let mut learned = matches!(options.baseline, BaselineUse::Learn).then(|| {
            let mut baseline = Baseline::empty();
            baseline.source.learned_at = Some(options.now);
            baseline.source.format = format;
            baseline.source.parsed = counts.parsed;
            baseline.source.first_time = counts.first_time;
            baseline.source.last_time = counts.last_time;
            baseline
        });
        let mut results = handler.finish_detectors(learned.as_mut());
        results.extend(shares.into_iter().flat_map(|share| share.results));
        results.sort_by_key(|result| result.index);
        let mut untracked: Vec<LeftOut> = results
            .iter_mut()
            .filter_map(|result| result.untracked.take())
            .collect();
        untracked.extend(counts_left_out(&mut counts));
        let mut findings: Vec<Finding> = results
            .into_iter()
            .flat_map(|result| result.findings)
            .collect();
        sort_worst_first(&mut findings);
        // Worst first, so what the cap leaves out is the least of it.
        if findings.len() > MAX_FINDINGS {
            untracked.push(LeftOut {
                what: "the report".to_owned(),
                kept: MAX_FINDINGS as u64,
                unit: "findings".to_owned(),
                left_out: (findings.len() - MAX_FINDINGS) as u64,
                left_out_what: "findings (the mildest)".to_owned(),
            });
            findings.truncate(MAX_FINDINGS);
        }
        let baseline_note = options.baseline.applied().map(|applied| BaselineNote {
            name: applied.describe(),
            learned_format: applied.source.format,
            fits: match (applied.source.format, format) {
                (Some(learned), Some(read)) => learned.family() == read.family(),
                _ => true,
            },
        });
        let rejects = counts.rejects.finish();
        let (traffic, fine_traffic) = std::mem::take(&mut counts.traffic)
            .finish(counts.first_time.map_or(0, |t| t.offset_secs));
        let report = Report {
            untracked,
            baseline: baseline_note,
            format,
            year_assumed,
            input_problem: InputProblem::of(&start, counts.parsed, options.format),
            bytes_read,
            lines,
            parsed: counts.parsed,
            continued: counts.continued,
            rejected: rejects.by_reason.iter().map(|r| r.count).sum(),
            clients: counts.clients.len() as u64,
            first_time: counts.first_time,
            last_time: counts.last_time,
            traffic,
            fine_traffic,
            rejects,
            first_rows: counts.first_rows,
            findings,
            labels: most_first(counts.label_counts, |label, rows| LabelCount {
                label,
                rows,
            }),
            ground_truth: counts.ground_truth,
            extra_fields: most_first(counts.extra_fields, |name, lines| FieldCount {
                name,
                lines,
            }),
        };
        let classifier = counts.training.map(|training| {
            training
                .train(&TreesOptions::default(), "")
                .map(|mut trained| {
                    let evaluation = crate::evaluation::evaluate(
                        &report,
                        &report.ground_truth,
                        crate::FindingFilter::default(),
                    );
                    trained.detectors_without_training = Some(evaluation.per_line);
                    trained
                })
        });
        Outcome {
            report,
            baseline: learned,
            classifier,
        }
    }
}

/// The format most parsed lines had; ties go to the earlier in `LogFormat::ALL`.
fn most_parsed_format(counts: &LineCounts) -> Option<LogFormat> {
    LogFormat::ALL
        .iter()
        .zip(counts.format_counts)
        .filter(|&(_, count)| count > 0)
        .max_by_key(|&(format, count)| {
            (
                count,
                std::cmp::Reverse(LogFormat::ALL.iter().position(|f| f == format)),
            )
        })
        .map(|(format, _)| *format)
}

/// What the counts' own limits left out.
fn counts_left_out(counts: &mut LineCounts) -> Vec<LeftOut> {
    let mut untracked = Vec::new();
    let untracked_minute_lines = counts.traffic.untracked_lines();
    if untracked_minute_lines > 0 {
        untracked.push(LeftOut::minutes(
            "the traffic charts",
            untracked_minute_lines,
        ));
    }
    if counts.untracked_labels > 0 {
        untracked.push(LeftOut {
            what: "the file's own labels".to_owned(),
            kept: crate::limits::MAX_TABLE_KEYS as u64,
            unit: "attack lines".to_owned(),
            left_out: counts.untracked_labels,
            left_out_what: "labelled attack lines (not evaluated)".to_owned(),
        });
    }
    if counts.clients.untracked_lines() > 0 {
        untracked.push(LeftOut {
            kept: MAX_COUNTED_CLIENTS as u64,
            ..LeftOut::clients(
                "the count of distinct clients",
                counts.clients.untracked_lines(),
            )
        });
    }
    untracked
}

/// Worst first; ties in a fixed order, so reports are reproducible.
fn sort_worst_first(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (b.score, a.first_seen.epoch_secs, &a.client, a.kind).cmp(&(
            a.score,
            b.first_seen.epoch_secs,
            &b.client,
            b.kind,
        ))
    });
}

/// `counts` (a name and how many), most first, names in order within a count, each made
/// into the report's row by `row`.
fn most_first<T>(counts: Vec<(Box<str>, u64)>, row: impl Fn(String, u64) -> T) -> Vec<T> {
    let mut counts = counts;
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts
        .into_iter()
        .map(|(name, count)| row(name.into(), count))
        .collect()
}
