//! What the detectors found: one row per incident, filtered, searched, sorted and paged
//! by a [`FindingQuery`]; choosing a row opens its detail.

use crate::finding_detail::FindingDetail;
use crate::finding_query::{FindingQuery, PAGE_ROWS, SortKey, page_count, select, table_rows};
use crate::runner::Runner;
use leptos::prelude::*;
use loglens_core::campaign::{CampaignSummary, Folded, campaign_description};
use loglens_core::display_text::for_display;
use loglens_core::figures::group_thousands;
use loglens_core::{Finding, FindingKind, Report, Severity};
use std::sync::Arc;

/// The table, its controls and the detail of the chosen row. `query` is shared with the
/// charts, which filter it; `chosen` is the index in `report.findings` of the open detail.
#[component]
pub fn FindingsTable(
    report: Signal<Option<Arc<Report>>>,
    query: RwSignal<FindingQuery>,
    chosen: RwSignal<Option<usize>>,
    runner: StoredValue<Runner, LocalStorage>,
) -> impl IntoView {
    let rows = Memo::new(move |_| {
        report.with(|r| {
            r.as_ref()
                .map(|r| query.with(|q| select(r, q)))
                .unwrap_or_default()
        })
    });
    let update = move |change: Box<dyn FnOnce(&mut FindingQuery)>| {
        query.update(|q| {
            change(q);
            q.page = 0;
        });
    };
    // Esc closes the detail wherever the focus is: a click on a row leaves it there.
    let closing = window_event_listener(leptos::ev::keydown, move |event| {
        if event.key() == "Escape" && chosen.get_untracked().is_some() {
            chosen.set(None);
        }
    });
    on_cleanup(move || closing.remove());
    view! {
        <section class="findings" aria-label="Findings">
            <h2 data-testid="findings-heading">
                {move || format!("Findings ({})", group_thousands(rows.with(Vec::len) as u64))}
            </h2>
            <FindingControls report=report query=query update=update />
            <FilterChips query=query update=update />
            {move || {
                let r = report.get()?;
                let rows = rows.get();
                if rows.is_empty() {
                    return Some(view! {
                        <p class="note" data-testid="no-findings">
                            {query.with(|q| empty_note(&r, q))}
                        </p>
                    }.into_any());
                }
                let table = query.with(|q| table_rows(&r, &rows, q));
                let page = query.with(|q| q.page).min(page_count(table.len()) - 1);
                let body = table
                    .into_iter()
                    .skip(page * PAGE_ROWS)
                    .take(PAGE_ROWS)
                    .map(|row| match row {
                        Folded::One(index) => finding_row(&r.findings[index], index, chosen).into_any(),
                        Folded::Campaign { kind, members } => group_row(&r, kind, &members, update).into_any(),
                    })
                    .collect_view();
                let rows = query.with(|q| table_rows(&r, &rows, q)).len();
                Some(view! {
                    <div class="table-scroll">
                        <table data-testid="findings-table">
                            <thead>
                                <tr>
                                    <th>"Severity"</th>
                                    <SortHeader label="Score" key=SortKey::Score query=query />
                                    <SortHeader label="Kind" key=SortKey::Kind query=query />
                                    <SortHeader label="Client" key=SortKey::Client query=query />
                                    <SortHeader label="When" key=SortKey::FirstSeen query=query />
                                    <SortHeader label="Lines" key=SortKey::Lines query=query />
                                    <th>"Description"</th>
                                </tr>
                            </thead>
                            <tbody>{body}</tbody>
                        </table>
                    </div>
                    <Pager rows=rows page=page query=query />
                }.into_any())
            }}
        </section>
        {move || {
            let r = report.get()?;
            let index = chosen.get().filter(|&i| i < r.findings.len())?;
            Some(view! { <FindingDetail report=r index=index chosen=chosen query=query runner=runner /> })
        }}
    }
}

/// Search, severity floor, kind and sensitivity.
#[component]
fn FindingControls(
    report: Signal<Option<Arc<Report>>>,
    query: RwSignal<FindingQuery>,
    update: impl Fn(Box<dyn FnOnce(&mut FindingQuery)>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    // The kinds this report has, in the report's order of kinds.
    let kinds = move || {
        report.with(|r| {
            let present: Vec<FindingKind> = r
                .as_ref()
                .map(|r| {
                    FindingKind::ALL
                        .into_iter()
                        .filter(|k| r.findings.iter().any(|f| f.kind == *k))
                        .collect()
                })
                .unwrap_or_default();
            present
                .into_iter()
                .map(|kind| {
                    let selected = move || query.with(|q| q.kind == Some(kind));
                    view! { <option value=kind.as_str() selected=selected>{kind.label()}</option> }
                })
                .collect_view()
        })
    };
    view! {
        <div class="finding-controls">
            <label class="search">
                <span class="visually-hidden">"Search the findings"</span>
                <input
                    type="search"
                    placeholder="Search client, kind, description…"
                    data-testid="finding-search"
                    prop:value=move || query.with(|q| q.search.clone())
                    on:input=move |event| {
                        let text = event_target_value(&event);
                        update(Box::new(move |q| q.search = text));
                    }
                />
            </label>
            <label>
                "Severity "
                <select
                    data-testid="finding-min-severity"
                    on:change=move |event| {
                        let floor = event_target_value(&event).parse().unwrap_or(Severity::Low);
                        update(Box::new(move |q| q.min_severity = floor));
                    }
                >
                    {[Severity::Low, Severity::Medium, Severity::High, Severity::Critical]
                        .into_iter()
                        .map(|severity| {
                            let selected = move || query.with(|q| q.min_severity == severity);
                            view! {
                                <option value=severity.as_str() selected=selected>
                                    {format!("{} and above", severity.as_str())}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                "Kind "
                <select
                    data-testid="finding-kind"
                    on:change=move |event| {
                        let kind = FindingKind::ALL
                            .into_iter()
                            .find(|k| k.as_str() == event_target_value(&event));
                        update(Box::new(move |q| q.kind = kind));
                    }
                >
                    <option value="" selected=move || query.with(|q| q.kind.is_none())>"every kind"</option>
                    {kinds}
                </select>
            </label>
            <label class="sensitivity" title="Higher shows the models' near-misses too; lower keeps only the surest findings. The file is not read again.">
                "Sensitivity "
                <input
                    type="range"
                    min="0"
                    max="100"
                    step="5"
                    data-testid="sensitivity"
                    prop:value=move || query.with(|q| q.sensitivity.to_string())
                    on:input=move |event| {
                        let value = event_target_value(&event).parse().unwrap_or(60);
                        update(Box::new(move |q| q.sensitivity = value));
                    }
                />
                <output data-testid="sensitivity-value">{move || query.with(|q| q.sensitivity)}</output>
            </label>
        </div>
    }
}

/// The client and time filters set from elsewhere (a detail, a chart), each with a way out.
#[component]
fn FilterChips(
    query: RwSignal<FindingQuery>,
    update: impl Fn(Box<dyn FnOnce(&mut FindingQuery)>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        let (client, range) = query.with(|q| (q.client.clone(), q.time_range));
        let ask = use_context::<crate::ask_query::AskQuery>();
        let client_chip = client.map(|client| {
            let asked = client.clone();
            view! {
                <span class="chip" data-testid="filter-client">
                    {format!("client {}", for_display(&client, 64))}
                    <button type="button" class="link" data-testid="filter-client-view"
                        on:click=move |_| { if let Some(ask) = ask { ask.about_client(&asked) } }>"everything it did"</button>
                    <button type="button" aria-label="Show every client" on:click=move |_| update(Box::new(|q| q.client = None))>"×"</button>
                </span>
            }
        });
        let range_chip = range.map(|(start, end)| {
            let text = |epoch_secs| {
                loglens_core::LogTime { epoch_secs, offset_secs: 0 }.format("%Y-%m-%d %H:%M")
            };
            view! {
                <span class="chip" data-testid="filter-time" data-start=start.to_string() data-end=end.to_string()>
                    {format!("{} → {} UTC", text(start), text(end))}
                    <button type="button" aria-label="Show every time" on:click=move |_| update(Box::new(|q| q.time_range = None))>"×"</button>
                </span>
            }
        });
        view! { <div class="chips">{client_chip}{range_chip}</div> }
    }
}

/// A column header that sorts by its column; a second click reverses the order.
#[component]
fn SortHeader(label: &'static str, key: SortKey, query: RwSignal<FindingQuery>) -> impl IntoView {
    let state = move || {
        query.with(|q| match (q.sort == key, q.descending) {
            (false, _) => "none",
            (true, true) => "descending",
            (true, false) => "ascending",
        })
    };
    let arrow = move || match state() {
        "descending" => " ↓",
        "ascending" => " ↑",
        _ => "",
    };
    view! {
        <th aria-sort=state>
            <button
                type="button"
                class="sort"
                data-testid=format!("sort-{}", label.to_lowercase())
                on:click=move |_| {
                    query.update(|q| {
                        if q.sort == key {
                            q.descending = !q.descending;
                        } else {
                            q.sort = key;
                            q.descending = key.descending_first();
                        }
                        q.page = 0;
                    })
                }
            >
                {label}
                {arrow}
            </button>
        </th>
    }
}

/// "Rows 101–200 of 12,345" with the way to the other pages.
#[component]
fn Pager(rows: usize, page: usize, query: RwSignal<FindingQuery>) -> impl IntoView {
    let pages = page_count(rows);
    let first = page * PAGE_ROWS + 1;
    let last = ((page + 1) * PAGE_ROWS).min(rows);
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label="Pages of findings">
                <button
                    type="button"
                    class="button small"
                    data-testid="page-prev"
                    disabled={page == 0}
                    on:click=move |_| query.update(|q| q.page = page.saturating_sub(1))
                >
                    "← Previous"
                </button>
                <span data-testid="page-status">
                    {format!(
                        "Rows {}–{} of {}",
                        group_thousands(first as u64),
                        group_thousands(last as u64),
                        group_thousands(rows as u64)
                    )}
                </span>
                <button
                    type="button"
                    class="button small"
                    data-testid="page-next"
                    disabled={page + 1 >= pages}
                    on:click=move |_| query.update(|q| q.page = page + 1)
                >
                    "Next →"
                </button>
            </nav>
        }
    })
}

/// When a finding happened, as short as it can be said.
fn when_text(finding: &Finding) -> String {
    loglens_core::figures::time_range_text(finding.first_seen, finding.last_seen)
}

/// Why the table is empty, in words that say what was read and what to change.
fn empty_note(report: &Report, query: &FindingQuery) -> String {
    let narrowed = query.kind.is_some()
        || query.client.is_some()
        || query.time_range.is_some()
        || !query.search.trim().is_empty()
        || query.min_severity > Severity::Low;
    if report.findings.is_empty() {
        report.nothing_found_note()
    } else if narrowed {
        format!(
            "No finding matches these filters; clear them to see all {}.",
            group_thousands(report.findings.len() as u64)
        )
    } else {
        let count = report.findings.len();
        format!(
            "{} candidate finding{} below what this sensitivity shows; raise the sensitivity to see {}.",
            group_thousands(count as u64),
            if count == 1 { " scores" } else { "s score" },
            if count == 1 { "it" } else { "them" },
        )
    }
}

/// One row for many findings of a kind: their sources, worst score and lines; choosing
/// it narrows the table to that kind, where each is a row again.
fn group_row<U>(
    report: &Report,
    kind: FindingKind,
    findings: &[usize],
    update: U,
) -> impl IntoView + use<U>
where
    U: Fn(Box<dyn FnOnce(&mut FindingQuery)>) + Copy + Send + Sync + 'static,
{
    let members: Vec<&Finding> = findings.iter().map(|&i| &report.findings[i]).collect();
    let summary = CampaignSummary::of(&members);
    let severity = summary.severity;
    let description = format!("{}. Open to see each.", campaign_description(&members, 8));
    let open = move || update(Box::new(move |q: &mut FindingQuery| q.kind = Some(kind)));
    view! {
        <tr
            data-testid="finding-group"
            data-kind=kind.as_str()
            data-count=members.len().to_string()
            class="group"
            tabindex="0"
            aria-label=format!("{} {}: {} findings, open them", severity.as_str(), kind.label(), members.len())
            on:click=move |_| open()
            on:keydown=move |event| {
                if event.key() == "Enter" || event.key() == " " {
                    event.prevent_default();
                    open();
                }
            }
        >
            <td data-label="Severity"><span class=format!("badge {}", severity.as_str())>{severity.as_str()}</span></td>
            <td data-label="Score" class="num">{summary.worst_score}</td>
            <td data-label="Kind" class="nowrap">{format!("{} ({})", kind.label(), members.len())}</td>
            <td data-label="Client" class="mono">{format!("{} sources", group_thousands(summary.sources as u64))}</td>
            <td data-label="When" class="nowrap">{summary.when}</td>
            <td data-label="Lines" class="num">{group_thousands(summary.lines)}</td>
            <td class="description" data-label="Description">{description}</td>
        </tr>
    }
}

fn finding_row(
    finding: &Finding,
    index: usize,
    chosen: RwSignal<Option<usize>>,
) -> impl IntoView + use<> {
    let confidence = format!("confidence {:.0}%", finding.confidence * 100.0);
    let open = move || chosen.set(Some(index));
    view! {
        <tr
            data-testid="finding-row"
            data-kind=finding.kind.as_str()
            data-severity=finding.severity.as_str()
            data-client=finding.client.clone()
            data-score=finding.score.to_string()
            data-lines=finding.evidence_count.to_string()
            data-first-seen=finding.first_seen.epoch_secs.to_string()
            data-last-seen=finding.last_seen.epoch_secs.to_string()
            class:chosen=move || chosen.get() == Some(index)
            tabindex="0"
            aria-label=format!("{} {} from {}: open the detail", finding.severity.as_str(), finding.kind.label(), for_display(&finding.client, 64))
            on:click=move |_| open()
            on:keydown=move |event| {
                if event.key() == "Enter" || event.key() == " " {
                    event.prevent_default();
                    open();
                }
            }
        >
            <td data-label="Severity"><span class=format!("badge {}", finding.severity.as_str())>{finding.severity.as_str()}</span></td>
            <td data-label="Score" class="num" title=confidence>{finding.score}</td>
            <td data-label="Kind" class="nowrap">{finding.kind.label()}</td>
            <td data-label="Client" class="mono">{for_display(&finding.client, 64)}</td>
            <td data-label="When" class="nowrap">{when_text(finding)}</td>
            <td data-label="Lines" class="num">{group_thousands(finding.evidence_count)}</td>
            <td class="description" data-label="Description">{finding.description.clone()}</td>
        </tr>
    }
}
