//! What the detectors found: one row per incident, worst first.

use leptos::prelude::*;
use loglens_core::display_text::for_display;
use loglens_core::figures::group_thousands;
use loglens_core::{Finding, FindingFilter, Report};
use std::sync::Arc;

#[component]
pub fn FindingsTable(report: Signal<Option<Arc<Report>>>) -> impl IntoView {
    move || {
        report.get().map(|r| {
            // The default view until the page has a sensitivity control.
            let shown: Vec<&Finding> = r.visible_findings(FindingFilter::default()).collect();
            if shown.is_empty() {
                return view! {
                    <section class="findings">
                        <h2>"Findings"</h2>
                        <p class="note" data-testid="no-findings">"Nothing suspicious found."</p>
                    </section>
                }
                .into_any();
            }
            let rows = shown.iter().map(|f| finding_row(f)).collect_view();
            view! {
                <section class="findings">
                    <h2>{format!("Findings ({})", shown.len())}</h2>
                    <div class="table-scroll">
                        <table data-testid="findings-table">
                            <thead>
                                <tr>
                                    <th>"Severity"</th><th>"Score"</th><th>"Kind"</th><th>"Client"</th>
                                    <th>"When"</th><th>"Lines"</th><th>"Description"</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                </section>
            }
            .into_any()
        })
    }
}

fn finding_row(finding: &Finding) -> impl IntoView + use<> {
    let when = if finding.first_seen.epoch_secs == finding.last_seen.epoch_secs {
        finding.first_seen.format("%Y-%m-%d %H:%M:%S")
    } else {
        let same_day =
            finding.first_seen.format("%Y-%m-%d") == finding.last_seen.format("%Y-%m-%d");
        let end_pattern = if same_day { "%H:%M" } else { "%Y-%m-%d %H:%M" };
        format!(
            "{} → {}",
            finding.first_seen.format("%Y-%m-%d %H:%M"),
            finding.last_seen.format(end_pattern)
        )
    };
    let confidence = format!("confidence {:.0}%", finding.confidence * 100.0);
    view! {
        <tr
            data-testid="finding-row"
            data-kind=finding.kind.as_str()
            data-severity=finding.severity.as_str()
            data-client=finding.client.clone()
            data-score=finding.score.to_string()
        >
            <td><span class=format!("badge {}", finding.severity.as_str())>{finding.severity.as_str()}</span></td>
            <td class="num" title=confidence>{finding.score}</td>
            <td class="nowrap">{finding.kind.label()}</td>
            <td class="mono">{for_display(&finding.client, 64)}</td>
            <td class="nowrap">{when}</td>
            <td class="num">{group_thousands(finding.evidence_count)}</td>
            <td>{finding.description.clone()}</td>
        </tr>
    }
}
