//! The history of analyses in this browser, off until the analyst turns it on: each
//! finished analysis is then saved (summary and findings only, pseudonymised when
//! exports are), listed here, reopened or deleted.

use crate::analysis_state::AnalysisState;
use crate::history_store::{self, SavedAnalysis};
use crate::privacy::{PseudonymStyle, as_shown};
use crate::runner::Runner;
use leptos::prelude::*;
use loglens_core::LogTime;
use loglens_core::display_text::for_display;
use loglens_core::figures::group_thousands;

#[component]
pub fn HistoryView(
    state: RwSignal<AnalysisState>,
    runner: StoredValue<Runner, LocalStorage>,
    /// `Some` while exports are pseudonymised: what is saved is too.
    hiding: RwSignal<Option<PseudonymStyle>>,
) -> impl IntoView {
    let entries = RwSignal::new(Vec::<SavedAnalysis>::new());
    let problem = RwSignal::new(None::<String>);
    let keep = RwSignal::new(history_store::keeping());
    // Set while a saved analysis is shown, so showing it does not save it again.
    let showing_saved = RwSignal::new(false);
    let refresh = move || {
        wasm_bindgen_futures::spawn_local(async move {
            match history_store::list().await {
                Ok(list) => entries.set(list),
                Err(message) => problem.set(Some(message)),
            }
        })
    };
    refresh();
    Effect::new(move |_| {
        let finished = state.with(|s| match s {
            AnalysisState::Done { source, report } => Some((source.clone(), report.clone())),
            AnalysisState::Running(_) => {
                showing_saved.set(false);
                None
            }
            _ => None,
        });
        let Some((source, report)) = finished else {
            return;
        };
        // A followed file is reported again every few seconds: none of those is kept.
        if showing_saved.get_untracked()
            || !keep.get_untracked()
            || source.ends_with(crate::follower::FOLLOWING)
        {
            return;
        }
        let id = js_sys::Date::now();
        let style = hiding.get_untracked();
        wasm_bindgen_futures::spawn_local(async move {
            let saved = match as_shown(style, &source, &report, Vec::new())
                .await
                .and_then(|(source, report, _)| SavedAnalysis::of(id, &source, &report))
            {
                Ok(saved) => history_store::save(&saved).await,
                Err(message) => Err(message),
            };
            match saved {
                Ok(()) => refresh(),
                Err(message) => problem.set(Some(message)),
            }
        });
    });
    let open = move |entry: SavedAnalysis| match entry.report() {
        Ok(report) => {
            showing_saved.set(true);
            let source = format!("{} (saved {})", entry.source, saved_at(entry.id));
            runner.with_value(|runner| runner.show_saved(source, report));
        }
        Err(message) => problem.set(Some(message)),
    };
    let delete = move |id: Option<f64>| {
        wasm_bindgen_futures::spawn_local(async move {
            match history_store::delete(id).await {
                Ok(()) => refresh(),
                Err(message) => problem.set(Some(message)),
            }
        })
    };
    view! {
        <section class="history" data-testid="history" aria-label="History">
            <h2>"History"</h2>
            <label class="toggle">
                <input
                    type="checkbox"
                    data-testid="keep-history"
                    prop:checked=move || keep.get()
                    on:change=move |event| {
                        let on = event_target_checked(&event);
                        keep.set(on);
                        history_store::set_keeping(on);
                    }
                />
                " Keep a history of analyses in this browser"
            </label>
            <p class="note" data-testid="history-keeps">
                "Off until you turn it on. For each analysis it keeps the file's name, the summary figures and every finding: its client, its description (which can quote the first matching request, query string included) and its line numbers; never the log's lines. With "
                <em>"Pseudonymise exports and history"</em>
                " on, it keeps the pseudonymised form. It stays in this browser until deleted."
            </p>
            {move || problem.get().map(|message| view! { <p class="note" role="alert">{message}</p> })}
            {move || {
                let list = entries.get();
                if list.is_empty() {
                    return view! { <p class="note" data-testid="history-empty">"No saved analyses."</p> }.into_any();
                }
                view! {
                    <ul class="history-list">
                        {list
                            .into_iter()
                            .map(|entry| {
                                let id = entry.id;
                                let label = format!(
                                    "{} · {} · {} lines · {} findings",
                                    for_display(&entry.source, 80),
                                    saved_at(entry.id),
                                    group_thousands(entry.lines),
                                    group_thousands(entry.findings)
                                );
                                view! {
                                    <li data-testid="history-entry">
                                        <span>{label}</span>
                                        <button type="button" class="button small" data-testid="history-open" on:click=move |_| open(entry.clone())>
                                            "Open"
                                        </button>
                                        <button type="button" class="button small" data-testid="history-delete" on:click=move |_| delete(Some(id))>
                                            "Delete"
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    <button type="button" class="button small" data-testid="history-clear" on:click=move |_| delete(None)>
                        "Delete all"
                    </button>
                }
                .into_any()
            }}
        </section>
    }
}

/// When an entry was saved, in the browser's UTC clock.
fn saved_at(id_ms: f64) -> String {
    LogTime {
        epoch_secs: (id_ms / 1000.0) as i64,
        offset_secs: 0,
    }
    .format("%Y-%m-%d %H:%M UTC")
}
