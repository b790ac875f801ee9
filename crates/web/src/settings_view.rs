//! The detectors' settings: each one on or off, the thresholds people most often move,
//! and the forests' size. Remembered in this browser (see `settings_store`); applying them
//! reads the file again.

use crate::runner::Runner;
use leptos::prelude::*;
use loglens_core::DetectionOptions;
use loglens_core::detect::DETECTORS;
use loglens_core::model::ModelKind;

/// A number setting: its label, its test hook, and how to read and set it (`None` when
/// its detector is off).
struct Number {
    label: &'static str,
    id: &'static str,
    get: fn(&DetectionOptions) -> Option<u64>,
    set: fn(&mut DetectionOptions, u64),
}

const NUMBERS: [Number; 7] = [
    Number {
        label: "Failed logins before a client is reported",
        id: "brute_force.min_failures",
        get: |o| o.brute_force.as_ref().map(|b| b.min_failures),
        set: |o, n| {
            o.brute_force
                .iter_mut()
                .for_each(|b| b.min_failures = n.max(1))
        },
    },
    Number {
        label: "Distinct refused paths that make a scan",
        id: "scanning.min_distinct_refused_paths",
        get: |o| {
            o.scanning
                .as_ref()
                .map(|s| s.min_distinct_refused_paths as u64)
        },
        set: |o, n| {
            o.scanning
                .iter_mut()
                .for_each(|s| s.min_distinct_refused_paths = n.max(1) as usize)
        },
    },
    Number {
        label: "Requests per minute that can be a flood",
        id: "flood.min_per_minute",
        get: |o| o.flood.as_ref().map(|f| u64::from(f.min_per_minute)),
        set: |o, n| {
            o.flood
                .iter_mut()
                .for_each(|f| f.min_per_minute = u32::try_from(n.max(1)).unwrap_or(u32::MAX))
        },
    },
    Number {
        label: "Ports of one host that make a port scan",
        id: "port_scan.min_ports",
        get: |o| o.port_scan.as_ref().map(|p| p.min_ports as u64),
        set: |o, n| {
            o.port_scan
                .iter_mut()
                .for_each(|p| p.min_ports = n.max(1) as usize)
        },
    },
    Number {
        label: "Server errors in five minutes that make a burst",
        id: "error_burst.min_errors",
        get: |o| o.error_burst.as_ref().map(|e| u64::from(e.min_errors)),
        set: |o, n| {
            o.error_burst
                .iter_mut()
                .for_each(|e| e.min_errors = u32::try_from(n.max(1)).unwrap_or(u32::MAX))
        },
    },
    Number {
        label: "Trees in each forest",
        id: "forest.trees",
        get: |o| o.line_model.as_ref().map(|m| m.forest.trees as u64),
        set: |o, n| {
            let trees = n.clamp(1, 1000) as usize;
            o.line_model.iter_mut().for_each(|m| m.forest.trees = trees);
            o.client_model
                .iter_mut()
                .for_each(|m| m.forest.trees = trees);
        },
    },
    Number {
        label: "Points each tree is grown on",
        id: "forest.sample_size",
        get: |o| o.line_model.as_ref().map(|m| m.forest.sample_size as u64),
        set: |o, n| {
            let size = n.clamp(16, 4096) as usize;
            o.line_model
                .iter_mut()
                .for_each(|m| m.forest.sample_size = size);
            o.client_model
                .iter_mut()
                .for_each(|m| m.forest.sample_size = size);
        },
    },
];

#[component]
pub fn SettingsView(runner: StoredValue<Runner, LocalStorage>) -> impl IntoView {
    let options = RwSignal::new(runner.with_value(|r| r.detection()));
    let apply = move || {
        let mut chosen = options.get_untracked();
        // Rules have their own editor: these settings leave them as they are.
        chosen.custom_rules = runner.with_value(|r| r.detection().custom_rules);
        chosen.sigma_rules = runner.with_value(|r| r.detection().sigma_rules);
        crate::settings_store::remember_detection(&chosen);
        runner.with_value(|r| r.set_detection(chosen));
    };
    let switches = DETECTORS
        .iter()
        .map(|switch| {
            let (is_on, turn) = (switch.is_on, switch.turn);
            view! {
                <label class="setting">
                    <input
                        type="checkbox"
                        data-testid=format!("detector-{}", switch.name)
                        prop:checked=move || options.with(is_on)
                        on:change=move |event| {
                            let on = event_target_checked(&event);
                            options.update(|o| turn(o, on));
                        }
                    />
                    " "
                    {switch.label}
                </label>
            }
        })
        .collect_view();
    let numbers = NUMBERS
        .iter()
        .map(|number| {
            let (get, set) = (number.get, number.set);
            view! {
                <label class="setting number">
                    <span>{number.label}</span>
                    <input
                        type="number"
                        min="1"
                        data-testid=format!("setting-{}", number.id)
                        prop:value=move || options.with(|o| get(o).map(|n| n.to_string()).unwrap_or_default())
                        prop:disabled=move || options.with(|o| get(o).is_none())
                        on:change=move |event| {
                            if let Ok(n) = event_target_value(&event).parse::<u64>() {
                                options.update(|o| set(o, n));
                            }
                        }
                    />
                </label>
            }
        })
        .collect_view();
    let model_options = ModelKind::ALL
        .iter()
        .map(|kind| view! { <option value=kind.as_str()>{kind.label()}</option> })
        .collect_view();
    let chosen_model = move || {
        options.with(|o| {
            o.line_model
                .as_ref()
                .map(|m| m.model)
                .or(o.client_model.as_ref().map(|m| m.model))
                .unwrap_or_default()
                .as_str()
        })
    };
    view! {
        <details class="settings" data-testid="settings">
            <summary>"Detectors and models"</summary>
            <p class="note">"Remembered in this browser. Applying them reads the file again; the sensitivity slider by the findings re-scores without reading."</p>
            <label class="setting number">
                <span>"Model for unusual lines and clients"</span>
                <select
                    data-testid="setting-model"
                    prop:value=chosen_model
                    on:change=move |event| {
                        let name = event_target_value(&event);
                        if let Some(kind) = ModelKind::ALL.into_iter().find(|k| k.as_str() == name) {
                            options.update(|o| {
                                o.line_model.iter_mut().for_each(|m| m.model = kind);
                                o.client_model.iter_mut().for_each(|m| m.model = kind);
                            });
                        }
                    }
                >
                    {model_options}
                </select>
            </label>
            <div class="switches">{switches}</div>
            <div class="numbers">{numbers}</div>
            <p>
                <button type="button" class="button small primary" data-testid="settings-apply" on:click=move |_| apply()>
                    "Apply"
                </button>
                " "
                <button
                    type="button"
                    class="button small"
                    data-testid="settings-reset"
                    on:click=move |_| {
                        options.set(DetectionOptions::default());
                        apply();
                    }
                >
                    "Back to defaults"
                </button>
            </p>
        </details>
    }
}
