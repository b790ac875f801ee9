//! The Sigma panel: SigmaHQ's rules that ship with the site, to choose from. They come
//! from `sigma-rules.json`, which the site's build makes from `rules/sigma/` (no YAML
//! parser in the page); the helper worker compiles them once to say which cannot run and
//! why. The chosen rules' documents are kept with the settings in this browser and go
//! with every analysis, whose matches are findings like any other.

use crate::runner::Runner;
use leptos::prelude::*;
use loglens_core::sigma::Unsupported;
use serde_json::Value;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The shipped rules, and the reason each one that cannot run gives.
#[derive(Debug)]
struct Shipped {
    rules: Vec<Value>,
    refused: Vec<Unsupported>,
}

impl Shipped {
    fn refusal(&self, id: &str) -> Option<&str> {
        self.refused
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.reason.as_str())
    }

    /// The documents of the rules whose ids are `ids`, in the shipped order.
    fn chosen(&self, ids: &[String]) -> Vec<Value> {
        self.rules
            .iter()
            .filter(|rule| ids.iter().any(|id| Some(id.as_str()) == text(rule, "id")))
            .cloned()
            .collect()
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
async fn load() -> Result<Shipped, String> {
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
    let refused = crate::helper_worker::refused_sigma_rules(body).await?;
    Ok(Shipped { rules, refused })
}

#[component]
pub fn SigmaView(runner: StoredValue<Runner, LocalStorage>) -> impl IntoView {
    let chosen = runner.with_value(|r| r.sigma);
    let shipped = RwSignal::new(None::<Result<Arc<Shipped>, String>>);
    let filter = RwSignal::new(String::new());
    let started = StoredValue::new(false);
    let on_toggle = move |_| {
        if !started.get_value() {
            started.set_value(true);
            wasm_bindgen_futures::spawn_local(async move {
                let loaded = load().await.map(Arc::new);
                match &loaded {
                    // Rules kept from an older site are replaced by the ones it ships now.
                    Ok(rules) => {
                        let kept = runner.with_value(|r| r.detection().sigma_rules);
                        let current = rules.chosen(&crate::runner::sigma_ids(&kept));
                        if current[..] != kept[..] {
                            runner.with_value(|r| r.set_sigma_rules(current));
                        }
                    }
                    // Opening the panel again tries again.
                    Err(_) => started.set_value(false),
                }
                shipped.set(Some(loaded));
            });
        }
    };
    let choose = move |ids: Vec<String>| {
        if let Some(Ok(rules)) = shipped.get_untracked() {
            let documents = rules.chosen(&ids);
            runner.with_value(|r| r.set_sigma_rules(documents));
        }
    };
    let all_that_run = move |_| {
        if let Some(Ok(rules)) = shipped.get_untracked() {
            let ids = rules
                .rules
                .iter()
                .filter_map(|rule| text(rule, "id"))
                .filter(|id| rules.refusal(id).is_none())
                .map(str::to_owned)
                .collect();
            choose(ids);
        }
    };
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
                let id = text(rule, "id").unwrap_or_default().to_owned();
                let title = text(rule, "title").unwrap_or("(no title)").to_owned();
                // The level names a style: only the ones Sigma defines.
                let level = text(rule, "level")
                    .filter(|l| ["informational", "low", "medium", "high", "critical"].contains(l))
                    .unwrap_or("")
                    .to_owned();
                let refused = rules.refusal(&id).map(str::to_owned);
                let cannot_run = refused.is_some();
                let is_chosen = {
                    let id = id.clone();
                    move || chosen.with(|c| c.contains(&id))
                };
                let toggle = {
                    let id = id.clone();
                    move |_| {
                        let mut ids = chosen.get_untracked();
                        if let Some(at) = ids.iter().position(|c| *c == id) {
                            ids.remove(at);
                        } else {
                            ids.push(id.clone());
                        }
                        choose(ids);
                    }
                };
                view! {
                    <li data-testid="sigma-rule" data-id=id.clone() data-refused=cannot_run.to_string()>
                        <label>
                            <input type="checkbox" prop:checked=is_chosen.clone()
                                prop:disabled=move || cannot_run && !is_chosen()
                                on:change=toggle />
                            " "
                            <span class="rule-name">{title}</span>
                        </label>
                        " "
                        <span class=format!("badge {level}")>{level.clone()}</span>
                        " "
                        <span class="rule-test">{log_source(rule)}</span>
                        {refused.map(|why| view! { <span class="rule-refused" data-testid="sigma-refused">" cannot run: "{why}</span> })}
                    </li>
                }
            })
            .collect_view()
            .into_any()
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
        <details class="rules sigma" data-testid="sigma" on:toggle=on_toggle>
            <summary>{move || format!("SigmaHQ rules ({} chosen)", chosen.with(Vec::len))}</summary>
            <p class="note">
                "The community's shared detections, run over every line here. Each match is a finding with the rule's title, level, ATT&CK tags and id. Rules by their authors at "
                <code>"github.com/SigmaHQ/sigma"</code>
                ", under the Detection Rule License 1.1. Also from the command line: "
                <code>"loglens analyze --sigma rules/sigma"</code>"."
            </p>
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
            <ul class="rule-list sigma-list">{listed}</ul>
        </details>
    }
}
