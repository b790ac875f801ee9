//! The summary figures at the top of a report.

use leptos::prelude::*;
use loglens_core::Report;
use loglens_core::text::{group_thousands, human_bytes, human_duration, percent};
use std::sync::Arc;

#[component]
pub fn SummaryView(report: Signal<Option<Arc<Report>>>) -> impl IntoView {
    move || {
        report.get().map(|r| {
            let span = match (r.first_time, r.last_time) {
                (Some(first), Some(last)) => format!(
                    "{} → {} ({})",
                    first.format("%Y-%m-%d %H:%M"),
                    last.format("%Y-%m-%d %H:%M %:z"),
                    human_duration(last.epoch_secs - first.epoch_secs)
                ),
                _ => "no timestamps".to_owned(),
            };
            let format = r.format.map_or_else(|| "not recognised".to_owned(), |f| f.to_string());
            view! {
                <section class="summary" aria-label="Summary">
                    <Stat id="stat-lines" label="lines" value=r.lines />
                    <Stat id="stat-parsed" label="parsed" value=r.parsed detail=percent(r.parsed, r.lines) />
                    <Stat id="stat-rejected" label="rejected" value=r.rejected />
                    <Stat id="stat-clients" label="clients" value=r.clients />
                    <dl class="facts">
                        <dt>"Format"</dt>
                        <dd data-testid="stat-format">{format}</dd>
                        <dt>"Time span"</dt>
                        <dd data-testid="stat-span">{span}</dd>
                        <dt>"Size"</dt>
                        <dd>{human_bytes(r.bytes_read)}</dd>
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
