//! "Query every line": a query (`loglens_core::query`'s language, as `loglens grep`
//! takes it) run over the whole file again in a worker of its own, its count and its
//! matching lines shown a page at a time as they are found.

use crate::ask_query::AskQuery;
use crate::canvas_chart::{draw_soon, expose_plot};
use crate::protocol::{WorkerEvent, WorkerRequest};
use crate::runner::Runner;
use crate::worker_client::AnalysisWorker;
use leptos::html::Canvas;
use leptos::prelude::*;
use loglens_core::Report;
use loglens_core::chart::draw_traffic;
use loglens_core::display_text::for_display;
use loglens_core::figures::group_thousands;
use loglens_core::line_collector::NumberedLine;
use loglens_core::query::{MAX_TABLE_ROWS, QueryOutcome};
use std::sync::Arc;

/// Matching lines shown per page.
const PAGE_LINES: usize = 100;
/// Characters of a line shown.
const SHOWN_CHARS: usize = 400;

/// What the view shows of a query.
#[derive(Debug, Clone, PartialEq)]
enum QueryState {
    Idle,
    /// Reading: matches so far, and how far through the file.
    Running {
        matched: u64,
        lines: Vec<NumberedLine>,
        percent: u64,
    },
    /// Shared, so that each part of the view reads it without a copy.
    Done(Arc<QueryOutcome>),
    Failed(String),
}

#[component]
pub fn QueryView(
    runner: StoredValue<Runner, LocalStorage>,
    report: Signal<Option<Arc<Report>>>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let state = RwSignal::new(QueryState::Idle);
    let skip = RwSignal::new(0u64);
    // The worker reading for the current query: a new query drops (stops) the last one's,
    // and one that has answered is let go. `asked` tells the queries apart.
    let worker = StoredValue::new_local(None::<AnalysisWorker>);
    let asked = StoredValue::new(0u64);
    let let_go = move |ticket: u64| {
        // Not from inside the worker's own handler.
        wasm_bindgen_futures::spawn_local(async move {
            if asked.get_value() == ticket {
                worker.set_value(None);
            }
        });
    };
    let run = move |from: u64| {
        let query = text.get_untracked();
        let Some((input, format)) = runner.with_value(Runner::input) else {
            state.set(QueryState::Failed("Open a file first.".to_owned()));
            return;
        };
        skip.set(from);
        asked.update_value(|n| *n += 1);
        let ticket = asked.get_value();
        state.set(QueryState::Running {
            matched: 0,
            lines: Vec::new(),
            percent: 0,
        });
        let request = WorkerRequest::Query {
            input,
            query,
            format,
            skip: from,
            keep: PAGE_LINES,
            inventory: false,
        };
        let started = AnalysisWorker::start(&request, move |event| match event {
            WorkerEvent::QueryProgress {
                bytes_read,
                total_bytes,
                matched,
                lines,
            } => state.set(QueryState::Running {
                matched,
                lines,
                percent: (bytes_read * 100).checked_div(total_bytes).unwrap_or(0),
            }),
            WorkerEvent::Queried { outcome } => {
                state.set(QueryState::Done(Arc::from(outcome)));
                let_go(ticket);
            }
            WorkerEvent::Failed { message } => {
                state.set(QueryState::Failed(message));
                let_go(ticket);
            }
            _ => {}
        });
        match started {
            Ok(w) => worker.set_value(Some(w)),
            Err(message) => state.set(QueryState::Failed(message)),
        }
    };
    // The matches over time, drawn once the whole file is read.
    let canvas = NodeRef::<Canvas>::new();
    let over_time = Memo::new(move |_| match state.get() {
        QueryState::Done(outcome) if outcome.traffic.buckets.len() > 1 => {
            Some((outcome.traffic.clone(), outcome.offset_secs))
        }
        _ => None,
    });
    Effect::new(move |_| {
        let (Some(canvas), Some((traffic, offset_secs))) = (canvas.get(), over_time.get()) else {
            return;
        };
        draw_soon(
            canvas,
            "query",
            move |area, style| {
                draw_traffic(area, &traffic, &[], offset_secs, style).map_err(|e| e.to_string())
            },
            |canvas, drawn| {
                if let Some(drawn) = &drawn {
                    expose_plot(canvas, &drawn.x_pixels, &drawn.y_pixels);
                }
            },
        );
    });
    // From the keyboard: the arrows read out a bucket's matches.
    let focused = RwSignal::new(None::<i64>);
    let chart_key = move |event: web_sys::KeyboardEvent| {
        let step = match event.key().as_str() {
            "ArrowRight" => 1,
            "ArrowLeft" => -1,
            _ => return,
        };
        event.prevent_default();
        let next = over_time.with_untracked(|t| {
            crate::time_view::step_bucket(&t.as_ref()?.0, focused.get_untracked(), step)
        });
        focused.set(next);
    };
    let chart_readout = move || {
        let start = focused.get()?;
        over_time.with(|t| {
            let (traffic, offset_secs) = t.as_ref()?;
            let bucket = traffic
                .buckets
                .iter()
                .find(|b| b.start_epoch_secs == start)?;
            let when = loglens_core::LogTime {
                epoch_secs: start,
                offset_secs: *offset_secs,
            };
            Some(format!(
                "{}: {} matching lines in {}",
                when.format("%Y-%m-%d %H:%M"),
                group_thousands(bucket.requests),
                loglens_core::figures::human_duration(traffic.bucket_secs)
            ))
        })
    };
    // Every matching line as CSV, read again in a worker of its own.
    let export_problem = RwSignal::new(None::<String>);
    let table_worker = StoredValue::new_local(None::<AnalysisWorker>);
    let export = move || {
        let QueryState::Done(outcome) = state.get_untracked() else {
            return;
        };
        let Some((input, format)) = runner.with_value(Runner::input) else {
            return;
        };
        export_problem.set(None);
        let request = WorkerRequest::QueryTable {
            input,
            query: outcome.query.clone(),
            format,
        };
        let started = AnalysisWorker::start(&request, move |event| {
            let saved = match event {
                WorkerEvent::QueryTable { csv, left_out, .. } => {
                    let saved = crate::download::save(&csv, "loglens-query.csv", "text/csv");
                    match (saved, left_out) {
                        (Err(why), _) => Err(why),
                        (Ok(()), 0) => Ok(()),
                        (Ok(()), n) => Err(format!(
                            "The CSV holds the first {} matching lines; {} more were left out (loglens grep --csv writes them all).",
                            group_thousands(MAX_TABLE_ROWS),
                            group_thousands(n)
                        )),
                    }
                }
                WorkerEvent::Failed { message } => Err(message),
                _ => return,
            };
            export_problem.set(saved.err());
            wasm_bindgen_futures::spawn_local(async move { table_worker.set_value(None) });
        });
        match started {
            Ok(w) => table_worker.set_value(Some(w)),
            Err(message) => export_problem.set(Some(message)),
        }
    };
    // A query asked from elsewhere: shown, run, and scrolled to.
    let ask = use_context::<AskQuery>().unwrap_or(AskQuery(RwSignal::new(None)));
    let section = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        let Some(query) = ask.0.get() else { return };
        ask.0.set(None);
        text.set(query);
        run(0);
        if let Some(section) = section.get_untracked() {
            section.scroll_into_view();
        }
    });
    let (count_text, count) = (
        move || match state.get() {
            QueryState::Running {
                matched, percent, ..
            } => {
                format!(
                    "{} lines match so far ({percent}% read)",
                    group_thousands(matched)
                )
            }
            QueryState::Done(outcome) => format!(
                "{} of {} lines match",
                group_thousands(outcome.matched),
                group_thousands(outcome.lines_read)
            ),
            _ => String::new(),
        },
        move || match state.get() {
            QueryState::Done(outcome) => Some(outcome.matched.to_string()),
            _ => None,
        },
    );
    let lines = move || match state.get() {
        QueryState::Running { lines, .. } => lines,
        QueryState::Done(outcome) => outcome.lines.clone(),
        _ => Vec::new(),
    };
    let pages = move || match state.get() {
        QueryState::Done(outcome) => {
            Some((outcome.skipped, outcome.lines.len() as u64, outcome.matched))
        }
        _ => None,
    };
    view! {
        <section class="query" aria-label="Query every line" data-testid="query" node_ref=section>
            <h2>"Query every line"</h2>
            <form class="query-form" on:submit=move |event| { event.prevent_default(); run(0); }>
                <input type="search" data-testid="query-input" aria-label="Query"
                    placeholder=r#"status>=500 and path~"^/api"   or   /default\.ida/   or   not ua~bot"#
                    prop:value=move || text.get()
                    on:input=move |e| text.set(event_target_value(&e)) />
                <button type="submit" class="button small primary" data-testid="query-run">"Run"</button>
                <button type="button" class="button small" data-testid="overview-run"
                    title="Every line: top paths, refused paths, referers, browsers and systems, robots and people, visitors per day"
                    on:click=move |_| { text.set("*".to_owned()); run(0); }>"Overview"</button>
            </form>
            <p class="note">
                "A word or "<code>"/expression/"</code>" searches the raw line; "
                <code>"field op value"</code>" tests a field ("<code>"client method path target status bytes duration ua referer user host program message level destination port"</code>
                "; "<code>"= != > >= < <="</code>", "<code>"~"</code>" a regular expression ignoring case), or the time ("<code>"time>=2024-03-01T10:00"</code>"), or "<code>"browser os visitor"</code>" from the user agent; join with "
                <code>"and or not ( )"</code>". The file is read again, here in this tab."
            </p>
            {move || match state.get() {
                QueryState::Failed(message) => Some(view! {
                    <p class="input-problem" role="alert" data-testid="query-problem">{message}</p>
                }.into_any()),
                _ => None,
            }}
            <p class="query-count" data-testid="query-count" data-count=count role="status" aria-live="polite">{count_text}</p>
            <figure class="chart query-chart" class:hidden=move || over_time.with(Option::is_none)>
                <figcaption class="readout" data-testid="query-chart-readout" aria-live="polite">{chart_readout}</figcaption>
                <canvas node_ref=canvas data-testid="chart-query" tabindex="0" role="img"
                    aria-label="Bar chart of the matching lines over time; the arrow keys read out each bar"
                    on:keydown=chart_key on:blur=move |_| focused.set(None)></canvas>
            </figure>
            {move || match state.get() {
                QueryState::Done(outcome) => Some(crate::match_profile::profile(&outcome, report.get())),
                _ => None,
            }}
            <ol class="query-lines" data-testid="query-lines">
                {move || lines().into_iter().map(|line| view! {
                    <li data-testid="query-line" data-line=line.line_no>
                        <span class="line-no">{line.line_no}</span>
                        <code class="raw">{for_display(&line.text, SHOWN_CHARS)}</code>
                    </li>
                }).collect_view()}
            </ol>
            {move || match state.get() {
                QueryState::Done(outcome) => Some(view! {
                    <p class="query-actions">
                        <button type="button" class="button small" data-testid="query-export"
                            prop:disabled=outcome.matched == 0
                            on:click=move |_| export()>"Export CSV"</button>
                        {outcome.as_rule.clone().map(|rule| view! {
                        <button type="button" class="button small" data-testid="query-to-rule"
                            title="Flag every line this query matches in every analysis, one finding per client, at High"
                            on:click=move |_| {
                                let rule = rule.clone();
                                runner.with_value(|r| {
                                    let mut rules = r.rules.get_untracked();
                                    if !rules.contains(&rule) {
                                        rules.push(rule);
                                        r.set_rules(rules);
                                    }
                                });
                            }>"Make it a rule"</button>
                        })}
                    </p>
                }),
                _ => None,
            }}
            {move || export_problem.get().map(|message| view! {
                <p class="input-problem" role="alert" data-testid="query-export-problem">{message}</p>
            })}
            {move || pages().map(|(skipped, shown, matched)| {
                let previous = skipped > 0;
                let next = skipped + shown < matched;
                (previous || next).then(|| view! {
                    <p class="query-pages">
                        <button type="button" class="button small" data-testid="query-previous"
                            prop:disabled=!previous
                            on:click=move |_| run(skip.get_untracked().saturating_sub(PAGE_LINES as u64))>"Previous"</button>
                        <span>{format!(" matches {} to {} ", group_thousands(skipped + 1), group_thousands(skipped + shown))}</span>
                        <button type="button" class="button small" data-testid="query-next"
                            prop:disabled=!next
                            on:click=move |_| run(skip.get_untracked() + PAGE_LINES as u64)>"Next"</button>
                    </p>
                })
            })}
        </section>
    }
}
