//! The rules editor: people's own rules (a field, a test, a severity), checked as they are
//! typed (by the helper worker, which compiles the expression), kept with the settings in
//! this browser, exported and imported as JSON (the file `loglens analyze --rules` reads).

use crate::picked_file::read_picked_text;
use crate::runner::Runner;
use leptos::prelude::*;
use loglens_core::Severity;
use loglens_core::detect::{CustomRule, RuleField, RuleTest, rules_to_json};

/// The tests a rule can make, as the form names them.
const TESTS: [(&str, &str); 4] = [
    ("matches", "matches the expression"),
    ("equals", "is exactly"),
    ("at_least", "is at least"),
    ("at_most", "is at most"),
];

/// The form's fields, before they make a rule.
#[derive(Debug, Clone, PartialEq)]
struct Draft {
    name: String,
    field: RuleField,
    test: &'static str,
    value: String,
    severity: Severity,
}

impl Default for Draft {
    fn default() -> Self {
        Self {
            name: String::new(),
            field: RuleField::Path,
            test: "matches",
            value: String::new(),
            severity: Severity::High,
        }
    }
}

impl Draft {
    /// The rule the form describes, or why it is not one yet; the rest of the checking
    /// (`CustomRule::check`) is the helper worker's.
    fn rule(&self) -> Result<CustomRule, String> {
        let number = || {
            self.value
                .trim()
                .parse::<f64>()
                .map_err(|_| format!("\"{}\" is not a number", self.value.trim()))
        };
        let test = match self.test {
            "equals" => RuleTest::Equals(self.value.clone()),
            "at_least" => RuleTest::AtLeast(number()?),
            "at_most" => RuleTest::AtMost(number()?),
            _ => RuleTest::Matches(self.value.clone()),
        };
        Ok(CustomRule {
            name: self.name.trim().to_owned(),
            field: self.field,
            test,
            severity: self.severity,
            min_lines: 1,
        })
    }

    /// The rule the form describes, fully checked, or why it is not one yet.
    async fn checked_rule(self) -> Result<CustomRule, String> {
        let rule = self.rule()?;
        match crate::helper_worker::rule_problem(rule.clone()).await {
            Some(problem) => Err(problem),
            None => Ok(rule),
        }
    }

    /// Whether anything has been typed yet: an empty form is not an error.
    fn touched(&self) -> bool {
        !self.name.is_empty() || !self.value.is_empty()
    }
}

/// "path matches /x/", for the list.
fn describe(rule: &CustomRule) -> String {
    let field = rule.field.as_str();
    match &rule.test {
        RuleTest::Matches(pattern) => format!("{field} matches /{pattern}/"),
        RuleTest::Equals(value) => format!("{field} is \"{value}\""),
        RuleTest::AtLeast(limit) => format!("{field} ≥ {limit}"),
        RuleTest::AtMost(limit) => format!("{field} ≤ {limit}"),
    }
}

#[component]
pub fn RulesView(runner: StoredValue<Runner, LocalStorage>) -> impl IntoView {
    let rules = runner.with_value(|r| r.rules);
    let draft = RwSignal::new(Draft::default());
    let problem = RwSignal::new(None::<String>);
    // The draft's verdict: `None` while it is checked (or before anything is typed).
    let checked = RwSignal::new(None::<Result<CustomRule, String>>);
    let asked = StoredValue::new(0u64);
    Effect::new(move |_| {
        let typed = draft.get();
        checked.set(None);
        if !typed.touched() {
            // Nothing to check yet, and no worker started for it.
            return;
        }
        asked.update_value(|n| *n += 1);
        let ticket = asked.get_value();
        wasm_bindgen_futures::spawn_local(async move {
            let verdict = typed.checked_rule().await;
            // A later draft's answer is the one that counts.
            if asked.get_value() == ticket {
                checked.set(Some(verdict));
            }
        });
    });
    let save = move |next: Vec<CustomRule>| runner.with_value(|r| r.set_rules(next));
    let add = move || {
        if let Some(Ok(rule)) = checked.get_untracked() {
            let mut next = rules.get_untracked();
            next.push(rule);
            save(next);
            draft.set(Draft::default());
        }
    };
    let on_import = move |event: web_sys::Event| {
        read_picked_text(&event, move |text| {
            wasm_bindgen_futures::spawn_local(async move {
                let read = match text {
                    Some(text) => crate::helper_worker::read_rules(text).await,
                    None => Err("the file could not be read".to_owned()),
                };
                match read {
                    Ok(imported) => {
                        problem.set(None);
                        let mut next = rules.get_untracked();
                        next.extend(imported);
                        save(next);
                    }
                    Err(why) => {
                        problem.set(Some(format!("Those rules cannot be imported: {why}.")));
                    }
                }
            });
        });
    };
    let on_export = move |_| {
        let json = rules.with_untracked(|r| rules_to_json(r));
        if let Err(why) = crate::download::save(&json, "loglens-rules.json", "application/json") {
            problem.set(Some(format!("The rules could not be saved: {why}")));
        }
    };
    let field_options = RuleField::ALL
        .iter()
        .map(|field| view! { <option value=field.as_str()>{field.as_str().replace('_', " ")}</option> })
        .collect_view();
    let test_options = TESTS
        .iter()
        .map(|(value, label)| view! { <option value=*value>{*label}</option> })
        .collect_view();
    let severity_options = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ]
    .iter()
    .map(|s| view! { <option value=s.as_str()>{s.as_str()}</option> })
    .collect_view();
    let listed = move || {
        rules
            .get()
            .into_iter()
            .enumerate()
            .map(|(index, rule)| {
                view! {
                    <li data-testid="rule" data-severity=rule.severity.as_str()>
                        <span class="rule-name">{rule.name.clone()}</span>
                        <span class="rule-test">{describe(&rule)}</span>
                        <span class=format!("badge {}", rule.severity.as_str())>{rule.severity.as_str()}</span>
                        <button
                            type="button"
                            class="button small"
                            data-testid="rule-remove"
                            aria-label=format!("Remove the rule {}", rule.name)
                            on:click=move |_| {
                                let mut next = rules.get_untracked();
                                if index < next.len() {
                                    next.remove(index);
                                }
                                save(next);
                            }
                        >
                            "Remove"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <details class="rules" data-testid="rules">
            <summary>{move || format!("Your rules ({})", rules.with(Vec::len))}</summary>
            <p class="note">"A rule flags every line whose field passes its test, one finding per client, at the severity you choose. Kept in this browser; export them for "<code>"loglens analyze --rules"</code>"."</p>
            <ul class="rule-list">{listed}</ul>
            <form class="rule-form" on:submit=move |event| { event.prevent_default(); add(); }>
                <label>"Name "
                    <input type="text" data-testid="rule-name" placeholder="Old admin tool"
                        prop:value=move || draft.with(|d| d.name.clone())
                        on:input=move |e| draft.update(|d| d.name = event_target_value(&e)) />
                </label>
                <label>"Field "
                    <select data-testid="rule-field"
                        prop:value=move || draft.with(|d| d.field.as_str())
                        on:change=move |e| {
                            let name = event_target_value(&e);
                            if let Some(field) = RuleField::ALL.iter().find(|f| f.as_str() == name) {
                                draft.update(|d| d.field = *field);
                            }
                        }>{field_options}</select>
                </label>
                <label>"Test "
                    <select data-testid="rule-test"
                        prop:value=move || draft.with(|d| d.test)
                        on:change=move |e| {
                            let name = event_target_value(&e);
                            if let Some((test, _)) = TESTS.iter().find(|(t, _)| *t == name) {
                                draft.update(|d| d.test = test);
                            }
                        }>{test_options}</select>
                </label>
                <label>"Value "
                    <input type="text" data-testid="rule-value" placeholder="^/cgi-bin/admin"
                        prop:value=move || draft.with(|d| d.value.clone())
                        on:input=move |e| draft.update(|d| d.value = event_target_value(&e)) />
                </label>
                <label>"Severity "
                    <select data-testid="rule-severity"
                        prop:value=move || draft.with(|d| d.severity.as_str())
                        on:change=move |e| {
                            let name = event_target_value(&e);
                            if let Some(severity) = [Severity::Critical, Severity::High, Severity::Medium, Severity::Low]
                                .into_iter()
                                .find(|s| s.as_str() == name)
                            {
                                draft.update(|d| d.severity = severity);
                            }
                        }>{severity_options}</select>
                </label>
                <button type="submit" class="button small primary" data-testid="rule-add"
                    prop:disabled=move || !checked.with(|c| matches!(c, Some(Ok(_))))>"Add rule"</button>
            </form>
            <p class="rule-check" data-testid="rule-check" role="status" aria-live="polite">
                {move || match (checked.get(), draft.with(Draft::touched)) {
                    (Some(Err(why)), true) => format!("Not yet a rule: {why}."),
                    (Some(Ok(_)), _) => "Ready to add.".to_owned(),
                    (None, true) => "Checking…".to_owned(),
                    (_, false) => String::new(),
                }}
            </p>
            <p class="rule-actions">
                <button type="button" class="button small" data-testid="rules-export" on:click=on_export
                    prop:disabled=move || rules.with(Vec::is_empty)>"Export rules"</button>
                <label class="button small">"Import rules…"
                    <input type="file" accept=".json,application/json" class="visually-hidden" data-testid="rules-import" on:change=on_import />
                </label>
            </p>
            <Show when=move || problem.with(Option::is_some)>
                <p class="rule-problem" role="alert" data-testid="rules-problem">{move || problem.get().unwrap_or_default()}</p>
            </Show>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_becomes_a_rule_or_says_why_not() {
        let mut draft = Draft {
            name: "Old tool".to_owned(),
            value: "^/admin".to_owned(),
            ..Draft::default()
        };
        assert_eq!(
            draft.rule().unwrap().test,
            RuleTest::Matches("^/admin".to_owned())
        );
        draft.test = "at_least";
        assert_eq!(draft.rule().unwrap_err(), "\"^/admin\" is not a number");
        draft.field = RuleField::Bytes;
        draft.value = "1e6".to_owned();
        assert_eq!(draft.rule().unwrap().test, RuleTest::AtLeast(1e6));
    }
}
