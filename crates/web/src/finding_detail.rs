//! One finding in full: what it says, the numbers behind its score, which features made a
//! model flag it, its evidence lines read again from the file, and what else is known
//! about the same client.

use crate::finding_query::FindingQuery;
use crate::runner::Runner;
use leptos::prelude::*;
use loglens_core::display_text::for_display;
use loglens_core::figures::group_thousands;
use loglens_core::figures::time_range_text;
use loglens_core::line_collector::NumberedLine;
use loglens_core::{Finding, Report};
use std::sync::Arc;

/// Evidence lines shown on one page of a detail, read again from the file.
const SHOWN_LINES: usize = 50;

/// Where the evidence text is.
#[derive(Debug, Clone, PartialEq)]
enum Evidence {
    Reading,
    Read(Vec<NumberedLine>),
    Unreadable(String),
}

#[component]
pub fn FindingDetail(
    report: Arc<Report>,
    index: usize,
    chosen: RwSignal<Option<usize>>,
    query: RwSignal<FindingQuery>,
    runner: StoredValue<Runner, LocalStorage>,
) -> impl IntoView {
    let finding = report.findings[index].clone();
    let evidence = RwSignal::new(Evidence::Reading);
    let page = RwSignal::new(0usize);
    let pages = finding.evidence_pages(SHOWN_LINES);
    // Each page's lines are read again from the file when it is turned to.
    let paged = finding.clone();
    Effect::new(move |_| {
        let wanted = paged.evidence_page(page.get(), SHOWN_LINES);
        evidence.set(Evidence::Reading);
        runner.with_value(|runner| {
            runner.fetch_lines(wanted, move |answer| {
                evidence.set(match answer {
                    Ok(lines) => Evidence::Read(lines),
                    Err(message) => Evidence::Unreadable(message),
                });
            })
        });
    });
    let client = finding.client.clone();
    let same_client: Vec<(usize, Finding)> = report
        .findings
        .iter()
        .enumerate()
        .filter(|(i, f)| *i != index && f.client == finding.client)
        .take(20)
        .map(|(i, f)| (i, f.clone()))
        .collect();
    let close = move || chosen.set(None);
    let ask = use_context::<crate::ask_query::AskQuery>();
    view! {
        <section
            class="detail"
            data-testid="finding-detail"
            aria-label="Finding detail"
        >
            <header class="detail-head">
                <h2>
                    <span class=format!("badge {}", finding.severity.as_str())>{finding.severity.as_str()}</span>
                    " "
                    {finding.kind.label()}
                    " · "
                    <span class="mono">{for_display(&finding.client, 64)}</span>
                </h2>
                {(finding.client != "-").then(|| ask.map(|ask| {
                    let client = finding.client.clone();
                    view! {
                        <button type="button" class="button small" data-testid="detail-client"
                            title="Every line of this client, read again from the file: its profile and its lines"
                            on:click=move |_| ask.about_client(&client)>
                            "Everything this client did"
                        </button>
                    }
                }))}
                <button type="button" class="button small" data-testid="detail-close" on:click=move |_| close()>
                    "Close"
                </button>
            </header>
            <p data-testid="detail-description">{finding.description.clone()}</p>
            <dl class="facts detail-facts">
                <dt>"Score"</dt>
                <dd data-testid="detail-score">
                    {format!(
                        "{} of 100 ({}: critical from 85, high from 65, medium from 40)",
                        finding.score,
                        finding.severity.as_str()
                    )}
                </dd>
                <dt>"Confidence"</dt>
                <dd>{format!("{:.0}%", finding.confidence * 100.0)}</dd>
                <dt>"When"</dt>
                <dd>{time_range_text(finding.first_seen, finding.last_seen)}</dd>
                <dt>"Evidence"</dt>
                <dd>
                    {format!(
                        "{} lines ({} listed in the report)",
                        group_thousands(finding.evidence_count),
                        group_thousands(finding.lines.len() as u64)
                    )}
                </dd>
                <dt>"Kind"</dt>
                <dd class="mono">{finding.kind.as_str()}</dd>
            </dl>
            <Contributions finding=finding.clone() />
            <h3>"Evidence lines"</h3>
            <EvidenceLines evidence=evidence />
            <EvidencePager page=page pages=pages listed=finding.lines.len() />
            <h3>"This client"</h3>
            <p>
                <button
                    type="button"
                    class="button small"
                    data-testid="filter-this-client"
                    on:click=move |_| {
                        let client = client.clone();
                        query.update(|q| {
                            q.client = Some(client);
                            q.page = 0;
                        });
                    }
                >
                    "Show only this client's findings"
                </button>
            </p>
            {if same_client.is_empty() {
                view! { <p class="note">"No other finding names this client."</p> }.into_any()
            } else {
                view! {
                    <ul class="same-client">
                        {same_client
                            .into_iter()
                            .map(|(i, other)| {
                                view! {
                                    <li>
                                        <button
                                            type="button"
                                            class="link"
                                            data-testid="same-client-finding"
                                            on:click=move |_| chosen.set(Some(i))
                                        >
                                            <span class=format!("badge {}", other.severity.as_str())>{other.severity.as_str()}</span>
                                            {format!(" {} · score {} · {}", other.kind.label(), other.score, time_range_text(other.first_seen, other.last_seen))}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// The features that made a model flag the finding, as bars of their share.
#[component]
fn Contributions(finding: Finding) -> impl IntoView {
    let mut shares: Vec<_> = finding
        .contributions
        .iter()
        .filter(|c| c.weight > 0.005)
        .cloned()
        .collect();
    shares.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    (!shares.is_empty()).then(|| {
        view! {
            <h3>"Why the model flagged it"</h3>
            <ul class="contributions" data-testid="contributions" aria-label="Each feature's share of the explanation">
                {shares
                    .into_iter()
                    .map(|c| {
                        let percent = (c.weight * 100.0).clamp(0.0, 100.0);
                        view! {
                            <li data-testid="contribution" data-feature=c.feature.clone()>
                                <span class="feature">{c.feature.replace('_', " ")}</span>
                                <span class="bar-track">
                                    <span class="bar" style=format!("width: {percent:.1}%")></span>
                                </span>
                                <span class="num">{format!("{percent:.0}%")}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

/// Pages through every listed evidence line, [`SHOWN_LINES`] at a time.
#[component]
fn EvidencePager(page: RwSignal<usize>, pages: usize, listed: usize) -> impl IntoView {
    (pages > 1).then(|| {
        let text = move || {
            let first = page.get() * SHOWN_LINES + 1;
            let last = ((page.get() + 1) * SHOWN_LINES).min(listed);
            format!(
                "Lines {}–{} of {} listed",
                group_thousands(first as u64),
                group_thousands(last as u64),
                group_thousands(listed as u64)
            )
        };
        view! {
            <p class="pager" data-testid="evidence-pager">
                <button
                    type="button"
                    class="button small"
                    data-testid="evidence-previous"
                    disabled=move || page.get() == 0
                    on:click=move |_| page.update(|p| *p = p.saturating_sub(1))
                >
                    "Previous"
                </button>
                " "
                <span data-testid="evidence-page">{text}</span>
                " "
                <button
                    type="button"
                    class="button small"
                    data-testid="evidence-next"
                    disabled=move || { page.get() + 1 >= pages }
                    on:click=move |_| page.update(|p| *p = (*p + 1).min(pages - 1))
                >
                    "Next"
                </button>
            </p>
        }
    })
}

/// The evidence lines' text, as text: a log line is never markup.
#[component]
fn EvidenceLines(evidence: RwSignal<Evidence>) -> impl IntoView {
    move || {
        match evidence.get() {
        Evidence::Reading => view! {
            <p class="note" data-testid="evidence-reading">"Reading the lines from the file…"</p>
        }
        .into_any(),
        Evidence::Unreadable(message) => view! {
            <p class="note" data-testid="evidence-error">{format!("The lines could not be read again: {message}")}</p>
        }
        .into_any(),
        Evidence::Read(lines) => {
            view! {
                <div class="table-scroll">
                    <table class="evidence" data-testid="evidence-lines">
                        <tbody>
                            {lines
                                .into_iter()
                                .map(|line| {
                                    let text = for_display(&line.text, 4096);
                                    view! {
                                        <tr data-testid="evidence-line" data-line=line.line_no.to_string()>
                                            <td class="num">{line.line_no}</td>
                                            <td class="raw">{text}{line.cut.then_some(" … (cut)")}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any()
        }
    }
    }
}
