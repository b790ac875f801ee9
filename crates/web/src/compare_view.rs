//! "Compare": two periods side by side, what is new in the second listed first. The
//! periods are two ranges of this file, or an earlier file and this one. Each is read
//! again in a worker of its own as a query with its inventory (`loglens_core::compare`);
//! for an earlier file, a third worker analyses it, so its findings can be told from
//! this file's.

use crate::ask_query::AskQuery;
use crate::finding_query::{FindingQuery, active_in};
use crate::protocol::{AnalyzeChoices, WorkerEvent, WorkerRequest};
use crate::runner::Runner;
use crate::time_view::{TimeView, log_offset, range_from_texts, range_query};
use crate::worker_client::AnalysisWorker;
use leptos::prelude::*;
use loglens_core::compare::{Comparison, Difference};
use loglens_core::display_text::for_display;
use loglens_core::figures::{group_thousands, human_bytes};
use loglens_core::query::QueryOutcome;
use loglens_core::{Finding, FindingFilter, LogTime, Report};
use std::collections::HashSet;
use std::sync::Arc;
use web_sys::Blob;

/// New findings listed, the worst first.
const LISTED_FINDINGS: usize = 20;

/// What the view shows.
#[derive(Debug, Clone, PartialEq)]
enum CompareState {
    Idle,
    Running,
    Done(Arc<Compared>),
    Failed(String),
}

/// A comparison and what the view says of it.
#[derive(Debug, Clone, PartialEq)]
struct Compared {
    /// What the two periods are, as the analyst named them.
    names: [String; 2],
    comparison: Comparison,
    /// Findings of the second period whose kind and client the first has not: how many,
    /// and the worst (kind, client, severity, score).
    new_findings: usize,
    listed_findings: Vec<(String, String, String, u8)>,
}

/// What the periods are, to tell their findings apart.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Basis {
    /// Two ranges of this file, `(first, last)` in seconds since the epoch.
    Ranges([(i64, i64); 2]),
    /// An earlier file (analysed in a worker of its own) and this one.
    EarlierFile,
}

/// The findings of `second` whose kind and client no finding of `first` has, worst first.
fn new_findings<'a>(
    first: impl Iterator<Item = &'a Finding>,
    second: impl Iterator<Item = &'a Finding>,
) -> Vec<&'a Finding> {
    let known: HashSet<(&str, &str)> = first
        .map(|f| (f.kind.as_str(), f.client.as_str()))
        .collect();
    let mut new: Vec<&Finding> = second
        .filter(|f| !known.contains(&(f.kind.as_str(), f.client.as_str())))
        .collect();
    new.sort_by_key(|f| std::cmp::Reverse(f.score));
    new
}

/// The ranges compared when none are typed: the range shown (else the file's second
/// half) and as long a range just before it.
fn default_ranges(report: &Report, shown: Option<(i64, i64)>) -> Option<[(i64, i64); 2]> {
    let (first, last) = (report.first_time?.epoch_secs, report.last_time?.epoch_secs);
    let second = shown.unwrap_or(((first + last) / 2 + 1, last));
    let length = second.1 - second.0 + 1;
    let before = ((second.0 - length).max(first), second.0 - 1);
    (before.0 <= before.1).then_some([before, second])
}

#[component]
pub fn CompareView(
    report: Signal<Option<Arc<Report>>>,
    query: RwSignal<FindingQuery>,
    view: TimeView,
    runner: StoredValue<Runner, LocalStorage>,
) -> impl IntoView {
    let state = RwSignal::new(CompareState::Idle);
    let texts: [[RwSignal<String>; 2]; 2] =
        std::array::from_fn(|_| std::array::from_fn(|_| RwSignal::new(String::new())));
    // The workers of the comparison running; a new one stops them.
    let workers = StoredValue::new_local(Vec::<AnalysisWorker>::new());
    let outcomes = StoredValue::new_local([None::<QueryOutcome>, None]);
    let earlier_findings = StoredValue::new_local(None::<Vec<Finding>>);
    let asked = StoredValue::new(0u64);
    let offset_secs = move || log_offset(report);

    // A failed comparison stops the workers still reading (not from inside a worker's
    // own handler, hence a moment later).
    Effect::new(move |_| {
        if matches!(state.get(), CompareState::Failed(_)) {
            wasm_bindgen_futures::spawn_local(async move { workers.set_value(Vec::new()) });
        }
    });
    // Once every part is in: the comparison, with the new findings.
    let settle = move |ticket: u64, names: [String; 2], basis: Basis| {
        if asked.get_value() != ticket {
            return;
        }
        let [Some(first), Some(second)] = outcomes.get_value() else {
            return;
        };
        let Some(report) = report.get_untracked() else {
            return;
        };
        let filter: FindingFilter = query.with_untracked(FindingQuery::filter);
        let Some(comparison) = Comparison::of(&first, &second) else {
            state.set(CompareState::Failed(
                "The periods could not be compared.".to_owned(),
            ));
            return;
        };
        let new: Vec<Finding> = match basis {
            // An earlier file: this file's findings against the earlier file's.
            Basis::EarlierFile => {
                let Some(earlier) = earlier_findings.get_value() else {
                    return;
                };
                new_findings(
                    earlier.iter().filter(|f| filter.keeps(f)),
                    report.visible_findings(filter),
                )
                .into_iter()
                .cloned()
                .collect()
            }
            // Two ranges: the findings active in each.
            Basis::Ranges([a, b]) => new_findings(
                report
                    .visible_findings(filter)
                    .filter(|f| active_in(f, Some(a))),
                report
                    .visible_findings(filter)
                    .filter(|f| active_in(f, Some(b))),
            )
            .into_iter()
            .cloned()
            .collect(),
        };
        state.set(CompareState::Done(Arc::new(Compared {
            names,
            comparison,
            new_findings: new.len(),
            listed_findings: new
                .iter()
                .take(LISTED_FINDINGS)
                .map(|f| {
                    (
                        f.kind.label().to_owned(),
                        f.client.clone(),
                        f.severity.as_str().to_owned(),
                        f.score,
                    )
                })
                .collect(),
        })));
        wasm_bindgen_futures::spawn_local(async move { workers.set_value(Vec::new()) });
    };

    // Reads `input` as `text` for side `side` of comparison `ticket`.
    let read_side = move |ticket: u64,
                          side: usize,
                          input: Blob,
                          text: String,
                          names: [String; 2],
                          basis: Basis| {
        let format = runner.with_value(|r| r.input().and_then(|(_, format)| format));
        let request = WorkerRequest::Query {
            input,
            query: text,
            format,
            skip: 0,
            keep: 0,
            inventory: true,
        };
        AnalysisWorker::start(&request, move |event| match event {
            WorkerEvent::Queried { outcome } => {
                outcomes.update_value(|o| o[side] = Some(*outcome));
                settle(ticket, names.clone(), basis);
            }
            WorkerEvent::Failed { message } if asked.get_value() == ticket => {
                state.set(CompareState::Failed(message));
            }
            _ => {}
        })
    };
    let begin = move || {
        asked.update_value(|n| *n += 1);
        outcomes.set_value([None, None]);
        earlier_findings.set_value(None);
        workers.set_value(Vec::new());
        state.set(CompareState::Running);
        asked.get_value()
    };

    let compare_ranges = move || {
        let Some(report) = report.get_untracked() else {
            return;
        };
        let Some((input, _)) = runner.with_value(Runner::input) else {
            state.set(CompareState::Failed("Open a file first.".to_owned()));
            return;
        };
        let defaults = default_ranges(&report, view.range());
        let mut ranges = [(0, 0); 2];
        for side in 0..2 {
            let [from, to] = texts[side];
            if from.with_untracked(String::is_empty) && to.with_untracked(String::is_empty) {
                let Some(defaults) = defaults else {
                    state.set(CompareState::Failed(
                        "This log's times do not make two ranges.".to_owned(),
                    ));
                    return;
                };
                let at = |epoch_secs| {
                    LogTime {
                        epoch_secs,
                        offset_secs: offset_secs(),
                    }
                    .format("%Y-%m-%dT%H:%M:%S")
                };
                from.set(at(defaults[side].0));
                to.set(at(defaults[side].1));
            }
            match range_from_texts(&report, &from.get_untracked(), &to.get_untracked()) {
                Ok(range) => ranges[side] = range,
                Err(message) => {
                    state.set(CompareState::Failed(message));
                    return;
                }
            }
        }
        let ticket = begin();
        let names = ranges.map(|(first, last)| {
            let at = |epoch_secs| {
                LogTime {
                    epoch_secs,
                    offset_secs: offset_secs(),
                }
                .format("%Y-%m-%d %H:%M")
            };
            format!("{} → {}", at(first), at(last))
        });
        for (side, range) in ranges.into_iter().enumerate() {
            match read_side(
                ticket,
                side,
                input.clone(),
                range_query(range, offset_secs()),
                names.clone(),
                Basis::Ranges(ranges),
            ) {
                Ok(worker) => workers.update_value(|w| w.push(worker)),
                Err(message) => return state.set(CompareState::Failed(message)),
            }
        }
    };

    let compare_file = move |earlier: web_sys::File| {
        let Some((input, _)) = runner.with_value(Runner::input) else {
            state.set(CompareState::Failed("Open a file first.".to_owned()));
            return;
        };
        let ticket = begin();
        let names = [earlier.name(), "this file".to_owned()];
        let choices: AnalyzeChoices = runner.with_value(Runner::choices);
        let analyse = WorkerRequest::Analyze {
            input: earlier.clone().into(),
            choices,
            team: None,
            relay: js_sys::Array::new(),
        };
        let names_for_report = names.clone();
        let analysis = AnalysisWorker::start(&analyse, move |event| match event {
            WorkerEvent::Done { report, .. } => {
                earlier_findings.set_value(Some(report.findings));
                settle(ticket, names_for_report.clone(), Basis::EarlierFile);
            }
            WorkerEvent::Failed { message } if asked.get_value() == ticket => {
                state.set(CompareState::Failed(format!(
                    "The earlier file could not be analysed: {message}"
                )));
            }
            _ => {}
        });
        let sides = [(0, earlier.into()), (1, input)];
        let started = analysis.and_then(|analysis| {
            workers.update_value(|w| w.push(analysis));
            for (side, blob) in sides {
                let worker = read_side(
                    ticket,
                    side,
                    blob,
                    "*".to_owned(),
                    names.clone(),
                    Basis::EarlierFile,
                )?;
                workers.update_value(|w| w.push(worker));
            }
            Ok(())
        });
        if let Err(message) = started {
            state.set(CompareState::Failed(message));
        }
    };
    let on_file = move |event: web_sys::Event| {
        use wasm_bindgen::JsCast;
        let Some(input) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            compare_file(file);
        }
        input.set_value("");
    };

    let range_inputs = move |side: usize, label: &'static str| {
        let [from, to] = texts[side];
        let names = ["compare-first", "compare-second"];
        view! {
            <span class="compare-range">
                <strong>{label}</strong>
                " from "
                <input type="text" data-testid=format!("{}-from", names[side]) spellcheck="false"
                    prop:value=move || from.get() on:input=move |e| from.set(event_target_value(&e)) />
                " to "
                <input type="text" data-testid=format!("{}-to", names[side]) spellcheck="false"
                    prop:value=move || to.get() on:input=move |e| to.set(event_target_value(&e)) />
            </span>
        }
    };
    view! {
        <section class="compare" aria-label="Compare" data-testid="compare">
            <h2>"Compare"</h2>
            <p class="note">
                "Two periods side by side, what is new in the second first: two ranges of this file (empty: the range shown, or the second half, against as long a time before it), or an earlier file against this one. The files are read again, here in this tab."
            </p>
            <form class="compare-form" on:submit=move |event| { event.prevent_default(); compare_ranges(); }>
                {range_inputs(0, "First")}
                {range_inputs(1, "Second")}
                <button type="submit" class="button small primary" data-testid="compare-ranges">"Compare ranges"</button>
                <label class="button small">
                    "Compare with an earlier file…"
                    <input type="file" class="visually-hidden" data-testid="compare-file" on:change=on_file />
                </label>
            </form>
            {move || match state.get() {
                CompareState::Idle => None,
                CompareState::Running => Some(view! { <p class="note" role="status">"Reading both periods…"</p> }.into_any()),
                CompareState::Failed(message) => Some(view! {
                    <p class="input-problem" role="alert" data-testid="compare-problem">{message}</p>
                }.into_any()),
                CompareState::Done(compared) => Some(result(&compared).into_any()),
            }}
        </section>
    }
}

/// The comparison: what is new first, then the side by side, then what is gone.
fn result(compared: &Compared) -> impl IntoView + use<> {
    let c = &compared.comparison;
    let ask = use_context::<AskQuery>();
    let [first, second] = compared.names.clone();
    let findings = compared
        .listed_findings
        .iter()
        .map(|(kind, client, severity, score)| {
            view! { <li>{format!("{kind} · {} · {severity} ({score})", for_display(client, 64))}</li> }
        })
        .collect_view();
    let new_clients = c
        .clients
        .new
        .iter()
        .map(|(client, lines)| {
            let asked = client.clone();
            view! {
                <li><button type="button" class="link" data-testid="compare-new-client" data-client=client.clone()
                    on:click=move |_| { if let Some(ask) = ask { ask.about_client(&asked) } }>
                    {format!("{} ({} lines)", for_display(client, 64), group_thousands(*lines))}
                </button></li>
            }
        })
        .collect_view();
    let change = |a: u64, b: u64| match (a, b) {
        (0, 0) => "—".to_owned(),
        (0, _) => "new".to_owned(),
        _ => format!("{:+.0}%", (b as f64 - a as f64) * 100.0 / a as f64),
    };
    let row = move |label: &'static str, a: u64, b: u64, show: fn(u64) -> String| {
        view! {
            <tr><th scope="row">{label}</th><td class="num">{show(a)}</td><td class="num">{show(b)}</td><td class="num">{change(a, b)}</td></tr>
        }
    };
    let classes = ["2xx", "3xx", "4xx", "5xx"];
    let status_rows = (0..4)
        .filter(|&i| c.statuses[0][i] + c.statuses[1][i] > 0)
        .map(|i| {
            row(
                classes[i],
                c.statuses[0][i],
                c.statuses[1][i],
                group_thousands,
            )
        })
        .collect_view();
    view! {
        <div class="compare-result" data-testid="compare-result">
            <h3>{format!("New in the second ({second}) since the first ({first})")}</h3>
            <p data-testid="compare-new-findings" data-count=compared.new_findings.to_string()>
                <strong>{format!("{} new findings", group_thousands(compared.new_findings as u64))}</strong>
                " (a kind and a client the first had not)"
            </p>
            <ul class="compare-list">{findings}</ul>
            {difference_view("clients", "compare-new-clients", &c.clients)}
            <ul class="compare-list">{new_clients}</ul>
            {difference_view("paths", "compare-new-paths", &c.paths)}
            {listed(&c.paths.new)}
            {difference_view("templates", "compare-new-templates", &c.templates)}
            {listed(&c.templates.new)}
            {c.capped.then(|| view! {
                <p class="note">"A period had more distinct values than are counted (10,000 of each): some listed as new may have been in the first."</p>
            })}
            <table class="compare-table" data-testid="compare-table">
                <thead><tr><th></th><th>{first.clone()}</th><th>{second.clone()}</th><th>"change"</th></tr></thead>
                <tbody>
                    {row("lines", c.lines[0], c.lines[1], group_thousands)}
                    {status_rows}
                    {row("bytes sent", c.bytes[0], c.bytes[1], human_bytes)}
                    {row("distinct clients", c.clients.distinct[0], c.clients.distinct[1], group_thousands)}
                    {row("distinct paths", c.paths.distinct[0], c.paths.distinct[1], group_thousands)}
                    {row("distinct templates", c.templates.distinct[0], c.templates.distinct[1], group_thousands)}
                </tbody>
            </table>
            <details class="compare-gone">
                <summary data-testid="compare-gone">{format!(
                    "Gone since the first: {} clients, {} paths, {} templates",
                    group_thousands(c.clients.gone_count),
                    group_thousands(c.paths.gone_count),
                    group_thousands(c.templates.gone_count)
                )}</summary>
                {listed(&c.clients.gone)}
                {listed(&c.paths.gone)}
                {listed(&c.templates.gone)}
            </details>
        </div>
    }
}

fn difference_view(
    what: &'static str,
    testid: &'static str,
    difference: &Difference,
) -> impl IntoView + use<> {
    view! {
        <p data-testid=testid data-count=difference.new_count.to_string()>
            <strong>{format!("{} new {what}", group_thousands(difference.new_count))}</strong>
            {format!(" ({} in both, {} gone)", group_thousands(difference.common), group_thousands(difference.gone_count))}
        </p>
    }
}

fn listed(values: &[(String, u64)]) -> impl IntoView + use<> {
    let items = values
        .iter()
        .map(|(value, lines)| view! { <li>{format!("{} ({})", for_display(value, 200), group_thousands(*lines))}</li> })
        .collect_view();
    view! { <ul class="compare-list">{items}</ul> }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_findings::finding;
    use loglens_core::FindingKind;

    #[test]
    fn a_finding_is_new_when_its_kind_and_client_were_not_there() {
        let first = [
            finding(FindingKind::Scanning, "a", 60),
            finding(FindingKind::SqlInjection, "b", 80),
        ];
        let second = [
            finding(FindingKind::Scanning, "a", 70),
            finding(FindingKind::Scanning, "b", 50),
            finding(FindingKind::SqlInjection, "c", 90),
        ];
        let new: Vec<(&str, u8)> = new_findings(first.iter(), second.iter())
            .iter()
            .map(|f| (f.client.as_str(), f.score))
            .collect();
        assert_eq!(new, [("c", 90), ("b", 50)]);
    }

    #[test]
    fn untyped_ranges_are_the_shown_one_and_as_long_before_it() {
        let report = Report {
            first_time: Some(LogTime {
                epoch_secs: 0,
                offset_secs: 0,
            }),
            last_time: Some(LogTime {
                epoch_secs: 999,
                offset_secs: 0,
            }),
            ..Report::default()
        };
        assert_eq!(default_ranges(&report, None), Some([(0, 499), (500, 999)]));
        assert_eq!(
            default_ranges(&report, Some((600, 699))),
            Some([(500, 599), (600, 699)])
        );
        assert_eq!(
            default_ranges(&report, Some((50, 199))),
            Some([(0, 49), (50, 199)])
        );
        assert_eq!(default_ranges(&report, Some((0, 10))), None);
    }
}
