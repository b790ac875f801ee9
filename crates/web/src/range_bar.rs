//! The time range bar above the activity chart: type a range (or drag one on the chart),
//! step back out of a zoom, clear it, count on a log scale, and read what the range holds
//! from the report's per-bucket counts, with no second read of the file. Its lines are
//! one click away in the query view, which does read the file again.

use crate::ask_query::AskQuery;
use crate::finding_query::{FindingQuery, active_in};
use crate::time_view::{TimeView, log_offset, range_from_texts, range_query, traffic_shown};
use leptos::prelude::*;
use loglens_core::figures::{group_thousands, human_bytes, human_duration, percent};
use loglens_core::{LogTime, Report};
use std::sync::Arc;

/// How a range's ends are shown: on the log's own clock.
const SHOWN: &str = "%Y-%m-%dT%H:%M:%S";

#[component]
pub fn RangeBar(
    report: Signal<Option<Arc<Report>>>,
    query: RwSignal<FindingQuery>,
    view: TimeView,
) -> impl IntoView {
    let offset_secs = move || log_offset(report);
    let at = move |epoch_secs: i64| LogTime {
        epoch_secs,
        offset_secs: offset_secs(),
    };
    let from_text = RwSignal::new(String::new());
    let to_text = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    // The inputs follow the range, however it was set.
    Effect::new(move |_| {
        let range = view.range();
        from_text.set(range.map_or_else(String::new, |(first, _)| at(first).format(SHOWN)));
        to_text.set(range.map_or_else(String::new, |(_, last)| at(last).format(SHOWN)));
        problem.set(None);
    });
    let apply = move || {
        let Some(report) = report.get_untracked() else {
            return;
        };
        match range_from_texts(
            &report,
            &from_text.get_untracked(),
            &to_text.get_untracked(),
        ) {
            Ok((from, to)) => {
                problem.set(None);
                view.zoom_to(from, to);
            }
            Err(message) => problem.set(Some(message)),
        }
    };
    let on_key = move |event: web_sys::KeyboardEvent| {
        if event.key() == "Enter" {
            event.prevent_default();
            apply();
        }
    };
    let ask = use_context::<AskQuery>();
    let every_line = move |_| {
        if let (Some(ask), Some(range)) = (ask, view.range()) {
            ask.0.set(Some(range_query(range, offset_secs())));
        }
    };
    let placeholder = move |end: bool| {
        report.with(|r| {
            let time = r
                .as_ref()
                .and_then(|r| if end { r.last_time } else { r.first_time });
            time.map_or_else(String::new, |t| t.format("%Y-%m-%dT%H:%M"))
        })
    };
    view! {
        <section class="range-bar" aria-label="Time range" data-testid="range-bar">
            <form class="range-form" on:submit=move |event| { event.prevent_default(); apply(); }>
                <label>
                    "From "
                    <input type="text" data-testid="range-from" inputmode="numeric" spellcheck="false"
                        placeholder=move || placeholder(false)
                        prop:value=move || from_text.get()
                        on:input=move |e| from_text.set(event_target_value(&e))
                        on:keydown=on_key />
                </label>
                <label>
                    "to "
                    <input type="text" data-testid="range-to" inputmode="numeric" spellcheck="false"
                        placeholder=move || placeholder(true)
                        prop:value=move || to_text.get()
                        on:input=move |e| to_text.set(event_target_value(&e))
                        on:keydown=on_key />
                </label>
                <button type="submit" class="button small primary" data-testid="range-apply">"Show"</button>
                <button type="button" class="button small" data-testid="range-back"
                    prop:disabled=move || !view.can_go_back()
                    on:click=move |_| view.back()>"Zoom out"</button>
                <button type="button" class="button small" data-testid="range-clear"
                    prop:disabled=move || view.range().is_none()
                    on:click=move |_| view.clear()>"Whole file"</button>
                <label class="toggle">
                    <input type="checkbox" data-testid="range-log"
                        prop:checked=move || view.log_scale.get()
                        on:change=move |e| view.log_scale.set(event_target_checked(&e)) />
                    " Log scale"
                </label>
            </form>
            {move || problem.get().map(|message| view! {
                <p class="input-problem" role="alert" data-testid="range-problem">{message}</p>
            })}
            {move || {
                let range = view.range()?;
                let report = report.get()?;
                Some(view! {
                    <p class="range-figures" data-testid="range-figures">
                        {range_figures(&report, range, &query.get())}
                        " "
                        <button type="button" class="button small" data-testid="range-lines" on:click=every_line>
                            "Every line in this range"
                        </button>
                    </p>
                })
            }}
        </section>
    }
}

/// What the range holds, from the report's buckets: its lines (as a share of the file's),
/// answers by class, bytes, and the findings active in it at the table's sensitivity.
fn range_figures(
    report: &Report,
    range: (i64, i64),
    query: &FindingQuery,
) -> impl IntoView + use<> {
    let traffic = traffic_shown(report, Some(range));
    // Log content sets these numbers: they add up without overflowing.
    let lines = traffic
        .buckets
        .iter()
        .fold(0u64, |n, b| n.saturating_add(b.requests));
    let mut statuses = [0u64; 4];
    for bucket in &traffic.buckets {
        for (total, part) in statuses.iter_mut().zip(bucket.statuses) {
            *total = total.saturating_add(u64::from(part));
        }
    }
    let bytes = traffic
        .buckets
        .iter()
        .fold(0u64, |n, b| n.saturating_add(b.bytes));
    let filter = query.filter();
    let findings = report
        .visible_findings(filter)
        .filter(|f| active_in(f, Some(range)))
        .count();
    let answers = (statuses.iter().sum::<u64>() > 0).then(|| {
        format!(
            " · {} 2xx, {} 3xx, {} 4xx, {} 5xx",
            group_thousands(statuses[0]),
            group_thousands(statuses[1]),
            group_thousands(statuses[2]),
            group_thousands(statuses[3])
        )
    });
    let span = human_duration(range.1 - range.0 + 1);
    view! {
        <span data-testid="range-count" data-count=lines.to_string()>
            {format!("{span}: {} lines ({} of the file)", group_thousands(lines), percent(lines, report.parsed.max(1)))}
        </span>
        {answers}
        {(bytes > 0).then(|| format!(" · {} sent", human_bytes(bytes)))}
        <span data-testid="range-findings" data-count=findings.to_string()>
            {format!(" · {findings} findings active")}
        </span>
        <span class="note">
            {format!(
                " (counted in whole buckets of {}; times on the log's clock at its first line's offset, unless written with one)",
                human_duration(if report.fine_traffic.is_empty() {
                    report.traffic.bucket_secs
                } else {
                    report.fine_traffic.bucket_secs
                })
            )}
        </span>
    }
}
