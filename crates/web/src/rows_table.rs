//! A first look at the data: the first parsed lines (requests or messages), as written.

use leptos::prelude::*;
use loglens_core::Report;
use std::sync::Arc;

#[component]
pub fn RowsTable(report: Signal<Option<Arc<Report>>>) -> impl IntoView {
    move || {
        report.get().map(|r| {
            // JSON lines may carry fields no mapping reads: a column for them when they do.
            let extras = r.first_rows.iter().any(|row| row.extra.is_some());
            let rows = r
                .first_rows
                .iter()
                .map(|row| {
                    view! {
                        <tr>
                            <td class="num">{row.line_no}</td>
                            <td class="nowrap">{row.time.format("%Y-%m-%d %H:%M:%S")}</td>
                            <td>{row.client.clone()}</td>
                            <td>{row.method.clone()}</td>
                            <td class="raw">{row.target.clone()}</td>
                            <td class="num">{row.status.map(|s| s.to_string()).unwrap_or_else(|| "-".into())}</td>
                            <td class="num">{row.bytes_sent.map(|b| b.to_string()).unwrap_or_else(|| "-".into())}</td>
                            <td class="raw clip" title=row.user_agent.clone()>{row.user_agent.clone().unwrap_or_default()}</td>
                            {extras.then(|| view! {
                                <td class="raw clip" data-testid="row-extra" title=row.extra.clone()>{row.extra.clone().unwrap_or_default()}</td>
                            })}
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <section class="rows">
                    <h2>{format!("First {} lines", r.first_rows.len())}</h2>
                    <div class="table-scroll">
                        <table data-testid="rows-table">
                            <thead>
                                <tr>
                                    <th>"Line"</th><th>"Time"</th><th>"Client"</th><th>"Method or program"</th>
                                    <th>"Target or message"</th><th>"Status"</th><th>"Bytes"</th><th>"User agent"</th>
                                    {extras.then(|| view! { <th>"Other fields"</th> })}
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                </section>
            }
        })
    }
}
