//! The summary figures at the top of a report.

use leptos::prelude::*;
use loglens_core::display_text::for_display;
use loglens_core::figures::{group_thousands, human_bytes, human_duration, percent};
use loglens_core::{FindingFilter, LogTime, Report};
use std::sync::Arc;

#[component]
pub fn SummaryView(report: Signal<Option<Arc<Report>>>) -> impl IntoView {
    move || {
        report.get().map(|r| {
            let span = match (r.first_time, r.last_time) {
                (Some(first), Some(last)) => span_text(first, last),
                _ => "no timestamps".to_owned(),
            };
            let format = r.format.map_or_else(|| "not recognised".to_owned(), |f| f.to_string());
            let problem = r.input_problem.map(|problem| {
                view! { <p class="input-problem" data-testid="input-problem" role="alert">{problem.to_string()}</p> }
            });
            view! {
                {problem}
                <section class="summary" aria-label="Summary">
                    <Stat id="stat-lines" label="lines" value=r.lines />
                    <Stat id="stat-parsed" label="records" value=r.parsed detail=percent(r.parsed + r.continued, r.lines) />
                    {(r.continued > 0).then(|| view! {
                        <Stat id="stat-continued" label="lines continuing a record" value=r.continued />
                    })}
                    <Stat id="stat-rejected" label="rejected" value=r.rejected />
                    <Stat id="stat-clients" label="clients" value=r.clients />
                    <Stat
                        id="stat-findings"
                        label="findings"
                        value=r.visible_findings(FindingFilter::default()).count() as u64
                        detail=severity_breakdown(&r)
                    />
                    <dl class="facts">
                        <dt>"Format"</dt>
                        <dd data-testid="stat-format">{format}</dd>
                        <dt>"Time span"</dt>
                        <dd data-testid="stat-span">{span}</dd>
                        <dt>"Size"</dt>
                        <dd>{human_bytes(r.bytes_read)}</dd>
                        {(!r.untracked.is_empty()).then(|| view! {
                            <dt>"Left out"</dt>
                            <dd data-testid="stat-untracked">
                                {r.untracked
                                    .iter()
                                    .map(loglens_core::LeftOut::sentence)
                                    .collect::<Vec<_>>()
                                    .join("; ")}
                                " (so memory stays bounded)"
                            </dd>
                        })}
                        {r.baseline.clone().map(|baseline| {
                            let text = if baseline.fits {
                                format!("Judged against {}", baseline.name)
                            } else {
                                format!(
                                    "{}, learned from {}: its models cannot judge these lines, so they were judged by this file alone",
                                    baseline.name,
                                    baseline.learned_format.map_or_else(|| "another format".to_owned(), |f| f.to_string())
                                )
                            };
                            view! {
                                <dt>"Baseline"</dt>
                                <dd data-testid="stat-baseline" data-fits=baseline.fits.to_string()>{text}</dd>
                            }
                        })}
                        {r.year_assumed.map(|year| view! {
                            <dt>"Year"</dt>
                            <dd data-testid="stat-year-assumed">
                                {format!("{year}, assumed: the timestamps do not say")}
                            </dd>
                        })}
                        {(!r.extra_fields.is_empty()).then(|| view! {
                            <dt>"Other fields"</dt>
                            <dd data-testid="stat-extra-fields">{extra_fields_text(&r)}</dd>
                        })}
                        {(!r.labels.is_empty()).then(|| view! {
                            <dt>"Labels"</dt>
                            <dd data-testid="stat-labels">{labels_text(&r)}</dd>
                        })}
                    </dl>
                </section>
            }
        })
    }
}

/// One figure, with its raw integer in `data-value` for tests and scripts.
#[component]
fn Stat(
    id: &'static str,
    label: &'static str,
    value: u64,
    #[prop(optional)] detail: String,
) -> impl IntoView {
    view! {
        <div class="stat" data-testid=id data-value=value.to_string()>
            <span class="stat-value">{group_thousands(value)}</span>
            <span class="stat-label">{label}</span>
            <span class="stat-detail">{detail}</span>
        </div>
    }
}

/// `3 critical · 2 high`: how the findings split by severity, worst first.
fn severity_breakdown(report: &Report) -> String {
    let counts = report.findings_by_severity(FindingFilter::default());
    counts
        .iter()
        .map(|(severity, count)| format!("{count} {severity}"))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// `first → last (+01:00, 2d 3h)`, each end in its own offset; when the two offsets
/// differ (a DST change, mixed servers) each end names its own.
fn span_text(first: LogTime, last: LogTime) -> String {
    let duration = human_duration(last.epoch_secs - first.epoch_secs);
    if first.offset_secs == last.offset_secs {
        let pattern = "%Y-%m-%d %H:%M";
        format!(
            "{} → {} ({}, {duration})",
            first.format(pattern),
            last.format(pattern),
            last.format("%:z")
        )
    } else {
        let pattern = "%Y-%m-%d %H:%M %:z";
        format!(
            "{} → {} ({duration})",
            first.format(pattern),
            last.format(pattern)
        )
    }
}

/// JSON fields no mapping reads, with the lines that have them: `trace_id 2 · region 1`.
fn extra_fields_text(report: &Report) -> String {
    report
        .extra_fields
        .iter()
        .take(12)
        .map(|f| format!("{} {}", for_display(&f.name, 40), group_thousands(f.lines)))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The file's own ground-truth labels and their rows: `BENIGN 11,216 · DDoS 1,800`.
fn labels_text(report: &Report) -> String {
    report
        .labels
        .iter()
        .map(|l| format!("{} {}", for_display(&l.label, 40), group_thousands(l.rows)))
        .collect::<Vec<_>>()
        .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_offset_is_named_once() {
        let first = LogTime::from_civil(2024, 3, 11, 1, 27, 38, 3600).unwrap();
        let last = LogTime::from_civil(2024, 3, 12, 23, 37, 5, 3600).unwrap();
        assert_eq!(
            span_text(first, last),
            "2024-03-11 01:27 → 2024-03-12 23:37 (+01:00, 1d 22h)"
        );
    }

    #[test]
    fn differing_offsets_are_named_at_each_end() {
        let first = LogTime::from_civil(2019, 2, 3, 1, 40, 11, 0).unwrap();
        let last = LogTime::from_civil(2019, 3, 2, 17, 8, 45, 7 * 3600).unwrap();
        assert_eq!(
            span_text(first, last),
            "2019-02-03 01:40 +00:00 → 2019-03-02 17:08 +07:00 (27d 8h)"
        );
    }
}
