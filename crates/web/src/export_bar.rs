//! Exports from the page: the JSON report, the flagged lines as CSV and the HTML report,
//! the very documents the CLI writes, pseudonymised on request (by the helper worker). They
//! are made here, in this tab, and saved through a download link: nothing is sent anywhere.

use crate::download;
use crate::finding_query::FindingQuery;
use crate::privacy::{PseudonymStyle, as_shown};
use crate::runner::Runner;
use leptos::prelude::*;
use loglens_core::LogTime;
use loglens_core::export::{
    HtmlContext, html_report, json_report, wanted_evidence_lines, wanted_flagged_lines,
    write_flagged_lines,
};
use loglens_core::line_collector::NumberedLine;
use loglens_core::{FindingFilter, Report};
use std::sync::Arc;

/// The export buttons and the pseudonymise switch, which the history follows too.
#[component]
pub fn ExportBar(
    report: Signal<Option<Arc<Report>>>,
    query: RwSignal<FindingQuery>,
    source: Signal<String>,
    runner: StoredValue<Runner, LocalStorage>,
    /// `Some` while exports are pseudonymised, in this style.
    hiding: RwSignal<Option<PseudonymStyle>>,
) -> impl IntoView {
    let pseudonymize = RwSignal::new(hiding.get_untracked().is_some());
    let style = RwSignal::new(hiding.get_untracked().unwrap_or(PseudonymStyle::Keyed));
    Effect::new(move |_| hiding.set(pseudonymize.get().then(|| style.get())));
    let hiding = move || hiding.get_untracked();
    let problem = RwSignal::new(None::<String>);
    let export_json = move || {
        let Some(report) = report.get_untracked() else {
            return;
        };
        let filter = query.with_untracked(FindingQuery::filter);
        let hide = hiding();
        problem.set(None);
        wasm_bindgen_futures::spawn_local(async move {
            let made = as_shown(hide, "", &report, Vec::new())
                .await
                .and_then(|(_, report, _)| json_document(&report, filter))
                .and_then(|text| download::save(&text, "loglens-report.json", "application/json"));
            problem.set(made.err());
        });
    };
    // The CSV and the HTML report show log lines: read them from the file first.
    let export_with_lines = move |kind: WithLines| {
        let Some(report) = report.get_untracked() else {
            return;
        };
        let filter = query.with_untracked(FindingQuery::filter);
        let hide = hiding();
        let name = source.get_untracked();
        problem.set(None);
        let wanted = match kind {
            WithLines::Csv => wanted_flagged_lines(&report, filter),
            WithLines::Html => wanted_evidence_lines(&report, filter),
        };
        runner.with_value(|runner| {
            runner.fetch_lines(wanted, move |lines| {
                wasm_bindgen_futures::spawn_local(async move {
                    let shown = match lines {
                        Ok(lines) => as_shown(hide, &name, &report, lines).await,
                        Err(why) => Err(why),
                    };
                    let made = shown.and_then(|(source, report, lines)| match kind {
                        WithLines::Csv => csv_document(&report, filter, &lines).and_then(|text| {
                            download::save(&text, "loglens-flagged-lines.csv", "text/csv")
                        }),
                        WithLines::Html => {
                            let text =
                                html_document(&report, filter, hide.is_some(), source, &lines);
                            download::save(&text, "loglens-report.html", "text/html")
                        }
                    });
                    problem.set(made.err());
                });
            })
        });
    };
    view! {
        <section class="export-bar" aria-label="Export">
            <label class="toggle" title="Every address, host and user name replaced by a consistent pseudonym (ip-…, host-…, user-…), the file's name too, and e-mails and secrets in URLs redacted, in exports and in the history. The key stays in this browser.">
                <input
                    type="checkbox"
                    data-testid="pseudonymize"
                    prop:checked=move || pseudonymize.get()
                    on:change=move |event| pseudonymize.set(event_target_checked(&event))
                />
                " Pseudonymise exports and history"
            </label>
            <select
                data-testid="pseudonym-mode"
                aria-label="How addresses are hidden"
                prop:disabled=move || !pseudonymize.get()
                prop:value=move || style.get().value()
                on:change=move |event| style.set(PseudonymStyle::from_value(&event_target_value(&event)))
            >
                <option value="keyed">"addresses as ip-… pseudonyms"</option>
                <option value="documentation">"addresses in documentation ranges"</option>
                <option value="truncate">"addresses cut to /24 and /48"</option>
            </select>
            <button type="button" class="button small" data-testid="export-json" on:click=move |_| export_json()>
                "Export JSON"
            </button>
            <button type="button" class="button small" data-testid="export-csv" on:click=move |_| export_with_lines(WithLines::Csv)>
                "Export CSV (flagged lines)"
            </button>
            <button type="button" class="button small" data-testid="export-html" on:click=move |_| export_with_lines(WithLines::Html)>
                "Export HTML report"
            </button>
            <span class="note">"The findings at the table's severity and sensitivity."</span>
            {move || problem.get().map(|message| view! { <p class="input-problem" role="alert">{message}</p> })}
        </section>
    }
}

/// The exports that show log lines, read again from the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WithLines {
    Csv,
    Html,
}

fn json_document(report: &Report, filter: FindingFilter) -> Result<String, String> {
    serde_json::to_string_pretty(&json_report(report, filter))
        .map_err(|e| format!("The JSON report could not be written: {e}"))
}

fn csv_document(
    report: &Report,
    filter: FindingFilter,
    lines: &[NumberedLine],
) -> Result<String, String> {
    let mut bytes = Vec::new();
    write_flagged_lines(&mut bytes, report, filter, lines)
        .map_err(|e| format!("The CSV could not be written: {e}"))?;
    String::from_utf8(bytes).map_err(|e| format!("The CSV could not be written: {e}"))
}

/// The HTML report of `report` and its evidence `lines`, pseudonymised already when
/// `pseudonymized`.
fn html_document(
    report: &Report,
    filter: FindingFilter,
    pseudonymized: bool,
    source: String,
    lines: &[NumberedLine],
) -> String {
    let now = LogTime {
        epoch_secs: (js_sys::Date::now() / 1000.0) as i64,
        offset_secs: 0,
    };
    let context = HtmlContext {
        source,
        generated: now.format("%Y-%m-%d %H:%M UTC"),
        pseudonymized,
    };
    html_report(report, filter, &context, lines)
}
