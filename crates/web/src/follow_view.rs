//! The follow panel: open a file and keep reading what is appended (see
//! [`crate::follower`]), or say why this browser cannot.

use crate::follower::{self, Follower};
use crate::runner::Runner;
use leptos::prelude::*;

#[component]
pub fn FollowView(runner: StoredValue<Runner, LocalStorage>) -> impl IntoView {
    let follower = StoredValue::new_local(Follower::new(runner.with_value(Runner::clone)));
    let (status, problem, notify) = follower.with_value(|f| (f.status, f.problem, f.notify));
    let supported = follower::supported();
    let open = move |_| {
        let follower = follower.get_value();
        wasm_bindgen_futures::spawn_local(async move { follower.open().await });
    };
    let on_notify = move |event: web_sys::Event| {
        let wanted = event_target_checked(&event);
        notify.set(wanted);
        if wanted {
            // The browser asks the person once; a refusal just means no notifications.
            let _ = web_sys::Notification::request_permission();
        }
    };
    let said = move || {
        status.get().map(|s| {
            let checked = js_sys::Date::new(&s.checked_at.into());
            format!(
                "Following {}: {} read, last looked at {:02}:{:02}:{:02}; every {} s.",
                s.name,
                loglens_core::figures::human_bytes(s.bytes),
                checked.get_hours(),
                checked.get_minutes(),
                checked.get_seconds(),
                follower::EVERY.as_secs()
            )
        })
    };
    view! {
        <section class="model-panel follow" data-testid="follow" aria-label="Follow a growing file">
            {if supported {
                view! {
                    <p class="model-status" data-testid="follow-status" aria-live="polite">
                        {move || said().unwrap_or_else(|| "Follow a log as it grows: open it once, and what is appended is read every few seconds.".to_owned())}
                    </p>
                    <div class="model-actions">
                        <Show
                            when=move || status.with(Option::is_some)
                            fallback=move || view! {
                                <button type="button" class="button small" data-testid="follow-open" on:click=open>"Follow a growing file…"</button>
                            }
                        >
                            <button type="button" class="button small" data-testid="follow-stop" on:click=move |_| follower.with_value(Follower::stop)>"Stop following"</button>
                        </Show>
                        <label class="toggle">
                            <input type="checkbox" data-testid="follow-notify" prop:checked=move || notify.get() on:change=on_notify />
                            " Notify me of new critical findings"
                        </label>
                    </div>
                }
                .into_any()
            } else {
                view! { <p class="model-status" data-testid="follow-unsupported">{follower::UNSUPPORTED}</p> }.into_any()
            }}
            <Show when=move || problem.with(Option::is_some)>
                <p class="model-problem" role="alert" data-testid="follow-problem">{move || problem.get().unwrap_or_default()}</p>
            </Show>
        </section>
    }
}
