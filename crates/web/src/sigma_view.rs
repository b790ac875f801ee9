//! The Sigma panel: SigmaHQ's rules that ship with the site, and the analyst's own, to
//! choose from. The shipped ones come from `sigma-rules.json`, which the site's build
//! makes from `rules/sigma/` (no YAML parser in the page); rule files the analyst adds
//! are read by a small worker of their own ([`crate::sigma_yaml_client`]) and kept in
//! this browser ([`crate::sigma_own_rules`]). The helper worker compiles each list once to
//! say which rules cannot run and why. The chosen rules' documents are kept with the
//! settings and go with every analysis, whose matches are findings like any other.

use crate::runner::Runner;
use crate::sigma_own_rules;
use leptos::prelude::*;
use loglens_core::sigma::Unsupported;
use serde_json::Value;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DragEvent, File, FileList};

/// Rules, and the reason each one that cannot run gives.
#[derive(Debug, Default)]
struct CheckedRules {
    rules: Vec<Value>,
    refused: Vec<Unsupported>,
}

impl CheckedRules {
    /// `rules`, checked by the helper worker.
    async fn check(rules: Vec<Value>) -> Result<Self, String> {
        if rules.is_empty() {
            return Ok(Self::default());
        }
        let json = serde_json::to_string(&rules).map_err(|e| e.to_string())?;
        let refused = crate::helper_worker::refused_sigma_rules(json).await?;
        Ok(Self { rules, refused })
    }

    fn refusal(&self, id: &str) -> Option<&str> {
        self.refused
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.reason.as_str())
    }

    /// The documents of the rules whose ids are `ids`, in this list's order.
    fn chosen(&self, ids: &[String]) -> impl Iterator<Item = Value> {
        self.rules
            .iter()
            .filter(|rule| ids.iter().any(|id| Some(id.as_str()) == text(rule, "id")))
            .cloned()
    }

    /// The ids of those that can run.
    fn runnable(&self) -> impl Iterator<Item = String> {
        self.rules
            .iter()
            .filter_map(|rule| text(rule, "id"))
            .filter(|id| self.refusal(id).is_none())
            .map(str::to_owned)
    }
}

fn text<'a>(rule: &'a Value, key: &str) -> Option<&'a str> {
    rule.get(key).and_then(Value::as_str)
}

/// "webserver", "linux, sshd": what a rule reads.
fn log_source(rule: &Value) -> String {
    let source = rule.get("logsource");
    ["category", "product", "service"]
        .iter()
        .filter_map(|key| source.and_then(|s| s.get(*key)).and_then(Value::as_str))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Fetches the shipped rules from the site itself and has them checked.
async fn load_shipped() -> Result<CheckedRules, String> {
    let window = web_sys::window().ok_or("there is no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str("sigma-rules.json"))
        .await
        .map_err(|e| crate::js_error::describe(&e))?
        .unchecked_into();
    if !response.ok() {
        return Err(format!(
            "the rules could not be loaded (HTTP {})",
            response.status()
        ));
    }
    let body = JsFuture::from(response.text().map_err(|e| crate::js_error::describe(&e))?)
        .await
        .map_err(|e| crate::js_error::describe(&e))?
        .as_string()
        .unwrap_or_default();
    let rules: Vec<Value> =
        serde_json::from_str(&body).map_err(|e| format!("the rules are not readable: {e}"))?;
    CheckedRules::check(rules).await
}

/// The analyst's rules with those of the rule file `text` added, checked and kept, and
/// the added rules' ids.
async fn add_rule_file(
    kept: Vec<Value>,
    text: String,
) -> Result<(CheckedRules, Vec<String>), String> {
    let documents = crate::sigma_yaml_client::rule_documents(text).await?;
    let mut rules = kept;
    let ids = sigma_own_rules::merge(&mut rules, documents)?;
    let checked = CheckedRules::check(rules).await?;
    sigma_own_rules::save(&checked.rules)?;
    Ok((checked, ids))
}

/// One rule as the lists show it, its box choosing it, and a button to remove it for the
/// analyst's own.
fn rule_item<F: Fn(String) + Copy + 'static>(
    rule: &Value,
    refusal: Option<&str>,
    chosen: RwSignal<Vec<String>>,
    toggle: F,
    remove: Option<Callback<String>>,
) -> impl IntoView + use<F> {
    let id = text(rule, "id").unwrap_or_default().to_owned();
    let title = text(rule, "title").unwrap_or("(no title)").to_owned();
    // The level names a style: only the ones Sigma defines.
    let level = text(rule, "level")
        .filter(|l| ["informational", "low", "medium", "high", "critical"].contains(l))
        .unwrap_or("")
        .to_owned();
    let refused = refusal.map(str::to_owned);
    let cannot_run = refused.is_some();
    let is_chosen = {
        let id = id.clone();
        move || chosen.with(|c| c.contains(&id))
    };
    let toggled = id.clone();
    let removed = id.clone();
    view! {
        <li data-testid="sigma-rule" data-id=id data-refused=cannot_run.to_string()>
            <label>
                <input type="checkbox" prop:checked=is_chosen.clone()
                    prop:disabled=move || cannot_run && !is_chosen()
                    on:change=move |_| toggle(toggled.clone()) />
                " "
                <span class="rule-name">{title}</span>
            </label>
            " "
            <span class=format!("badge {level}")>{level.clone()}</span>
            " "
            <span class="rule-test">{log_source(rule)}</span>
            {remove.map(|remove| view! {
                <button type="button" class="button small" data-testid="sigma-remove"
                    on:click=move |_| remove.run(removed.clone())>"Remove"</button>
            })}
            {refused.map(|why| view! { <span class="rule-refused" data-testid="sigma-refused">" cannot run: "{why}</span> })}
        </li>
    }
}

#[component]
pub fn SigmaView(runner: StoredValue<Runner, LocalStorage>) -> impl IntoView {
    let chosen = runner.with_value(|r| r.sigma);
    let shipped = RwSignal::new(None::<Result<Arc<CheckedRules>, String>>);
    // Read from this browser when the panel first opens, not when the page does.
    let own = RwSignal::new(Arc::new(CheckedRules::default()));
    let own_status = RwSignal::new(None::<Result<String, String>>);
    let pasted = RwSignal::new(String::new());
    let filter = RwSignal::new(String::new());
    let started = StoredValue::new(false);
    // One change to the analyst's rules at a time: each reads the kept rules, waits for a
    // worker, then writes them back.
    let busy = StoredValue::new(false);
    // Takes the turn to change the rules, or says to wait.
    let begin_change = move || {
        if busy.get_value() {
            own_status.set(Some(Err(
                "The rules are still being changed: try again in a moment.".to_owned(),
            )));
            return false;
        }
        busy.set_value(true);
        true
    };

    // The documents of the rules whose ids are `ids`: shipped ones first, then own.
    let documents = move |ids: &[String]| -> Vec<Value> {
        let mut documents: Vec<Value> = match shipped.get_untracked() {
            Some(Ok(rules)) => rules.chosen(ids).collect(),
            _ => Vec::new(),
        };
        documents.extend(own.get_untracked().chosen(ids));
        documents
    };
    let choose = move |ids: Vec<String>| {
        let chosen_documents = documents(&ids);
        runner.with_value(|r| r.set_sigma_rules(chosen_documents));
    };
    let toggle = move |id: String| {
        let mut ids = chosen.get_untracked();
        if let Some(at) = ids.iter().position(|c| *c == id) {
            ids.remove(at);
        } else {
            ids.push(id);
        }
        choose(ids);
    };
    let on_toggle = move |_| {
        if !started.get_value() {
            started.set_value(true);
            own.set(Arc::new(CheckedRules {
                rules: sigma_own_rules::load(),
                refused: Vec::new(),
            }));
            wasm_bindgen_futures::spawn_local(async move {
                let loaded = load_shipped().await.map(Arc::new);
                if !busy.get_value() {
                    busy.set_value(true);
                    let own_checked = CheckedRules::check(own.get_untracked().rules.clone()).await;
                    if let Ok(checked) = own_checked {
                        own.set(Arc::new(checked));
                    }
                    busy.set_value(false);
                }
                // Opening the panel again tries again.
                let failed = loaded.is_err();
                shipped.set(Some(loaded));
                if failed {
                    started.set_value(false);
                    return;
                }
                // Rules kept from an older site are replaced by the ones it ships now,
                // and the analyst's by the ones this browser keeps.
                let kept = runner.with_value(|r| r.detection().sigma_rules);
                let current = documents(&crate::runner::sigma_ids(&kept));
                if current[..] != kept[..] {
                    runner.with_value(|r| r.set_sigma_rules(current));
                }
            });
        }
    };
    let all_that_run = move |_| {
        let mut ids: Vec<String> = match shipped.get_untracked() {
            Some(Ok(rules)) => rules.runnable().collect(),
            _ => Vec::new(),
        };
        ids.extend(own.get_untracked().runnable());
        choose(ids);
    };

    // Rule files in turn (each `(name, text)`): each added, its runnable rules chosen.
    let add_in_turn = move |files: Vec<(String, Option<String>)>| async move {
        let mut said = Vec::new();
        for (name, text) in files {
            let Some(text) = text else {
                return Err(format!("{name} could not be read."));
            };
            own_status.set(Some(Ok(format!("Reading {name}…"))));
            let kept = own.get_untracked().rules.clone();
            match add_rule_file(kept, text).await {
                Ok((checked, ids)) => {
                    let mut chosen_ids = chosen.get_untracked();
                    let mut cannot_run = 0;
                    for id in &ids {
                        if checked.refusal(id).is_some() {
                            cannot_run += 1;
                        } else if !chosen_ids.contains(id) {
                            chosen_ids.push(id.clone());
                        }
                    }
                    own.set(Arc::new(checked));
                    choose(chosen_ids);
                    let rules = if ids.len() == 1 { "rule" } else { "rules" };
                    said.push(match cannot_run {
                        0 => format!("Added {} {rules} from {name}.", ids.len()),
                        n => format!(
                            "Added {} {rules} from {name}; {n} cannot run (see below).",
                            ids.len()
                        ),
                    });
                }
                Err(why) => return Err(format!("{name}: {why}.")),
            }
        }
        Ok(said.join(" "))
    };
    let add_files = move |files: Vec<(String, Option<String>)>| {
        if !begin_change() {
            return;
        }
        wasm_bindgen_futures::spawn_local(async move {
            let said = add_in_turn(files).await;
            busy.set_value(false);
            own_status.set(Some(said));
        });
    };
    let take_files = move |list: Option<FileList>| {
        let files: Vec<File> = list
            .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
            .unwrap_or_default();
        if files.is_empty() {
            return;
        }
        if let Some(big) = files
            .iter()
            .find(|f| f.size() > sigma_own_rules::MAX_KEPT_BYTES as f64)
        {
            own_status.set(Some(Err(format!(
                "{} is larger than the {} KB of rules this page keeps.",
                big.name(),
                sigma_own_rules::MAX_KEPT_BYTES / 1024
            ))));
            return;
        }
        wasm_bindgen_futures::spawn_local(async move {
            let mut read = Vec::new();
            for file in &files {
                read.push((file.name(), crate::picked_file::file_text(file).await));
            }
            add_files(read);
        });
    };
    let on_pick = move |event: web_sys::Event| {
        let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let files = input.files();
        take_files(files);
        input.set_value("");
    };
    // A rule file dropped on the panel is a rule, not a log to analyse.
    let on_drop = move |event: DragEvent| {
        event.prevent_default();
        event.stop_propagation();
        take_files(event.data_transfer().and_then(|d| d.files()));
    };
    let on_paste = move |_| {
        let text = pasted.get_untracked();
        if !text.trim().is_empty() {
            pasted.set(String::new());
            add_files(vec![("the pasted rule".to_owned(), Some(text))]);
        }
    };
    let remove = Callback::new(move |id: String| {
        if !begin_change() {
            return;
        }
        wasm_bindgen_futures::spawn_local(async move {
            let mut rules = own.get_untracked().rules.clone();
            rules.retain(|rule| text(rule, "id") != Some(id.as_str()));
            // Checked again: a correlation over the removed rule cannot run now.
            let removed = match sigma_own_rules::save(&rules) {
                Ok(()) => CheckedRules::check(rules).await,
                Err(why) => Err(why),
            };
            busy.set_value(false);
            match removed {
                Ok(checked) => {
                    let mut ids = chosen.get_untracked();
                    ids.retain(|c| *c != id && checked.refusal(c).is_none());
                    own.set(Arc::new(checked));
                    choose(ids);
                    own_status.set(None);
                }
                Err(why) => {
                    own_status.set(Some(Err(format!("The rule could not be removed: {why}."))));
                }
            }
        });
    });

    let listed = move || {
        let Some(Ok(rules)) = shipped.get() else {
            return ().into_any();
        };
        let wanted = filter.get().to_lowercase();
        rules
            .rules
            .iter()
            .filter(|rule| {
                wanted.is_empty()
                    || text(rule, "title").is_some_and(|t| t.to_lowercase().contains(&wanted))
            })
            .map(|rule| {
                let refusal = rules.refusal(text(rule, "id").unwrap_or_default());
                rule_item(rule, refusal, chosen, toggle, None)
            })
            .collect_view()
            .into_any()
    };
    let own_listed = move || {
        let rules = own.get();
        rules
            .rules
            .iter()
            .map(|rule| {
                let refusal = rules.refusal(text(rule, "id").unwrap_or_default());
                rule_item(rule, refusal, chosen, toggle, Some(remove))
            })
            .collect_view()
    };
    let status = move || match shipped.get() {
        None => "Loading the rules…".to_owned(),
        Some(Err(why)) => format!("The rules could not be loaded: {why}."),
        Some(Ok(rules)) => format!(
            "{} rules from SigmaHQ for web servers, proxies and Linux; {} cannot run here.",
            rules.rules.len(),
            rules.refused.len()
        ),
    };
    view! {
        <details class="rules sigma" data-testid="sigma" on:toggle=on_toggle
            on:dragover=|e: DragEvent| e.prevent_default() on:drop=on_drop>
            <summary>{move || format!("Sigma rules ({} chosen)", chosen.with(Vec::len))}</summary>
            <p class="note">
                "The community's shared detections, run over every line here. Each match is a finding with the rule's title, level, ATT&CK tags and id. Rules by their authors at "
                <code>"github.com/SigmaHQ/sigma"</code>
                ", under the Detection Rule License 1.1. Also from the command line: "
                <code>"loglens analyze --sigma rules/sigma"</code>"."
            </p>
            <h3>"Your rules"</h3>
            <p class="note">"Add Sigma rule files (YAML): pick them, drop them on this panel, or paste one. They stay in this browser, and an added rule with the same id replaces the kept one."</p>
            <div class="sigma-actions">
                <label class="button small">"Add rule files…"
                    <input type="file" multiple accept=".yml,.yaml,text/yaml,application/yaml" class="visually-hidden" data-testid="sigma-add" on:change=on_pick />
                </label>
            </div>
            <textarea class="sigma-paste" data-testid="sigma-paste" rows="4" spellcheck="false"
                placeholder="title: …\nlogsource:\n  category: webserver\ndetection: …"
                prop:value=move || pasted.get()
                on:input=move |e| pasted.set(event_target_value(&e))></textarea>
            <div class="sigma-actions">
                <button type="button" class="button small" data-testid="sigma-paste-add" on:click=on_paste>"Add the pasted rule"</button>
            </div>
            {move || own_status.get().map(|said| match said {
                Ok(said) => view! { <p class="rule-check" role="status" data-testid="sigma-own-status">{said}</p> }.into_any(),
                Err(why) => view! { <p class="rule-problem" role="alert" data-testid="sigma-own-problem">{why}</p> }.into_any(),
            })}
            <ul class="rule-list sigma-list sigma-own" data-testid="sigma-own">{own_listed}</ul>
            <h3>"From SigmaHQ"</h3>
            <p class="rule-check" data-testid="sigma-status" role="status" aria-live="polite">{status}</p>
            <div class="sigma-actions">
                <button type="button" class="button small" data-testid="sigma-all" on:click=all_that_run>"Choose all that run"</button>
                " "
                <button type="button" class="button small" data-testid="sigma-none" on:click=move |_| runner.with_value(|r| r.set_sigma_rules(Vec::new()))>"None"</button>
                " "
                <label>"Find "
                    <input type="search" data-testid="sigma-filter" placeholder="a title: log4j, webshell…"
                        prop:value=move || filter.get()
                        on:input=move |e| filter.set(event_target_value(&e)) />
                </label>
            </div>
            <ul class="rule-list sigma-list" data-testid="sigma-shipped">{listed}</ul>
        </details>
    }
}
