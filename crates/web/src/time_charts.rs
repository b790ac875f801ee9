//! How requests were answered over time: responses stacked by status class, and bytes
//! sent, for the whole file or the range shown. Shown when the log has them (access logs,
//! JSON requests, flows for bytes).

use crate::canvas_chart::draw_soon;
use crate::time_view::{TimeView, traffic_shown};
use leptos::html::Canvas;
use leptos::prelude::*;
use loglens_core::Report;
use loglens_core::chart::{ChartStyle, draw_bytes, draw_statuses};
use std::sync::Arc;

#[component]
pub fn TimeCharts(report: Signal<Option<Arc<Report>>>, view: TimeView) -> impl IntoView {
    let statuses_canvas = NodeRef::<Canvas>::new();
    let bytes_canvas = NodeRef::<Canvas>::new();
    let has_statuses = move || {
        report.with(|r| {
            r.as_ref().is_some_and(|r| {
                r.traffic
                    .buckets
                    .iter()
                    .any(|b| b.statuses.iter().any(|&n| n > 0))
            })
        })
    };
    let has_bytes = move || {
        report.with(|r| {
            r.as_ref()
                .is_some_and(|r| r.traffic.buckets.iter().any(|b| b.bytes > 0))
        })
    };
    Effect::new(move |_| {
        let Some(report) = report.get() else { return };
        let offset_secs = report.first_time.map_or(0, |t| t.offset_secs);
        let traffic = Arc::new(traffic_shown(&report, view.range()));
        let log_values = view.log_scale.get();
        if let Some(canvas) = statuses_canvas.get() {
            let traffic = traffic.clone();
            draw_soon(
                canvas,
                "status codes",
                move |area, style| {
                    let style = ChartStyle {
                        log_values,
                        ..*style
                    };
                    draw_statuses(area, &traffic, offset_secs, &style)
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                },
                |_, ()| {},
            );
        }
        if let Some(canvas) = bytes_canvas.get() {
            draw_soon(
                canvas,
                "bytes",
                move |area, style| {
                    let style = ChartStyle {
                        log_values,
                        ..*style
                    };
                    draw_bytes(area, &traffic, offset_secs, &style)
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                },
                |_, ()| {},
            );
        }
    });
    view! {
        <section class="time-charts" aria-label="Responses over time">
            <figure class="chart small" class:hidden=move || !has_statuses()>
                <figcaption>
                    "Status codes over time "
                    <span class="legend s2">"2xx"</span>
                    <span class="legend s3">"3xx"</span>
                    <span class="legend s4">"4xx"</span>
                    <span class="legend s5">"5xx"</span>
                </figcaption>
                <canvas node_ref=statuses_canvas data-testid="chart-statuses" role="img" aria-label="Stacked bars of responses per time bucket by status class"></canvas>
            </figure>
            <figure class="chart small" class:hidden=move || !has_bytes()>
                <figcaption>"Bytes sent over time"</figcaption>
                <canvas node_ref=bytes_canvas data-testid="chart-bytes" role="img" aria-label="Bar chart of response bytes sent per time bucket"></canvas>
            </figure>
        </section>
    }
}
