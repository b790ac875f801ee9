//! How requests were answered over time: responses stacked by status class, and bytes
//! sent, for the whole file or the range shown. Shown when the log has them (access logs,
//! JSON requests, flows for bytes). From the keyboard, the arrows read out a bucket's
//! figures, Enter zooms into it and Backspace zooms out, as on the activity chart.

use crate::canvas_chart::draw_soon;
use crate::time_view::{TimeView, log_offset, traffic_shown};
use leptos::html::Canvas;
use leptos::prelude::*;
use loglens_core::chart::{ChartStyle, draw_bytes, draw_statuses};
use loglens_core::figures::{group_thousands, human_bytes};
use loglens_core::{LogTime, Report, Traffic, TrafficBucket};
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
    let shown = Memo::new(move |_| {
        report.with(|r| r.as_ref().map(|r| Arc::new(traffic_shown(r, view.range()))))
    });
    let offset_secs = move || log_offset(report);
    // The bucket the keyboard is on in each chart, by its start, and what it says of it.
    let statuses_focus = RwSignal::new(None::<i64>);
    let bytes_focus = RwSignal::new(None::<i64>);
    let bucket = move |focused: RwSignal<Option<i64>>| -> Option<TrafficBucket> {
        let start = focused.get()?;
        shown.with(|t| {
            let t: &Traffic = t.as_deref()?;
            t.buckets
                .iter()
                .find(|b| b.start_epoch_secs == start)
                .copied()
        })
    };
    let when = move |start: i64| {
        LogTime {
            epoch_secs: start,
            offset_secs: offset_secs(),
        }
        .format("%Y-%m-%d %H:%M")
    };
    let statuses_readout = move || {
        bucket(statuses_focus).map_or_else(String::new, |b| {
            let [ok, moved, refused, failed] = b.statuses.map(|n| group_thousands(u64::from(n)));
            format!(
                "{}: 2xx {ok} · 3xx {moved} · 4xx {refused} · 5xx {failed}",
                when(b.start_epoch_secs)
            )
        })
    };
    let bytes_readout = move || {
        bucket(bytes_focus).map_or_else(String::new, |b| {
            format!(
                "{}: {} sent",
                when(b.start_epoch_secs),
                human_bytes(b.bytes)
            )
        })
    };
    let on_key = move |event: web_sys::KeyboardEvent, focused: RwSignal<Option<i64>>| {
        shown.with_untracked(|traffic| view.chart_key(&event, focused, traffic.as_deref()));
    };
    Effect::new(move |_| {
        let Some(report) = report.get() else { return };
        let offset_secs = report.offset_secs();
        let Some(traffic) = shown.get() else { return };
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
                    <span class="readout" data-testid="statuses-readout" aria-live="polite">{statuses_readout}</span>
                </figcaption>
                <canvas node_ref=statuses_canvas data-testid="chart-statuses" tabindex="0" role="img"
                    aria-label="Stacked bars of responses per time bucket by status class; the arrow keys read out a bucket, Enter zooms into it, Backspace zooms out"
                    on:keydown=move |e| on_key(e, statuses_focus) on:blur=move |_| statuses_focus.set(None)></canvas>
            </figure>
            <figure class="chart small" class:hidden=move || !has_bytes()>
                <figcaption>
                    "Bytes sent over time"
                    <span class="readout" data-testid="bytes-readout" aria-live="polite">{bytes_readout}</span>
                </figcaption>
                <canvas node_ref=bytes_canvas data-testid="chart-bytes" tabindex="0" role="img"
                    aria-label="Bar chart of response bytes sent per time bucket; the arrow keys read out a bucket, Enter zooms into it, Backspace zooms out"
                    on:keydown=move |e| on_key(e, bytes_focus) on:blur=move |_| bytes_focus.set(None)></canvas>
            </figure>
        </section>
    }
}
