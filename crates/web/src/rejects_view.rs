//! The lines that did not parse: counts by reason, and the first ones with their numbers.

use leptos::prelude::*;
use loglens_core::Report;
use loglens_core::figures::group_thousands;
use std::sync::Arc;

#[component]
pub fn RejectsView(report: Signal<Option<Arc<Report>>>) -> impl IntoView {
    move || {
        report.get().filter(|r| r.rejected > 0).map(|r| {
            let reasons = r
                .rejects
                .by_reason
                .iter()
                .map(|reason| view! { <li>{group_thousands(reason.count)} " — " {reason.reason.to_string()}</li> })
                .collect_view();
            let samples = r
                .rejects
                .samples
                .iter()
                .map(|line| {
                    view! {
                        <tr>
                            <td class="num">{line.line_no}</td>
                            <td>{line.reason.to_string()}</td>
                            <td class="raw">{line.text.clone()}</td>
                        </tr>
                    }
                })
                .collect_view();
            let shown = r.rejects.samples.len();
            view! {
                <details class="rejects" data-testid="rejected-lines">
                    <summary>{format!(
                        "{} {} could not be read — show why",
                        group_thousands(r.rejected),
                        if r.rejected == 1 { "line" } else { "lines" }
                    )}</summary>
                    <ul>{reasons}</ul>
                    <p class="note">{format!("The first {shown} of them:")}</p>
                    <table>
                        <thead><tr><th>"Line"</th><th>"Reason"</th><th>"Text"</th></tr></thead>
                        <tbody>{samples}</tbody>
                    </table>
                </details>
            }
        })
    }
}
