//! The activity chart on the page: core's [`draw_traffic`] on a canvas, with the findings
//! marked, for the whole file or the range shown. Pointing at it reads out the bucket;
//! clicking a bucket zooms into it, dragging across zooms into what was crossed. From the
//! keyboard, the arrows move along the buckets, Enter zooms in, Backspace zooms out.

use crate::canvas_chart::{draw_soon, expose_plot, pointer_pixel};
use crate::finding_query::FindingQuery;
use crate::time_view::{TimeView, log_offset, traffic_shown};
use leptos::html::Canvas;
use leptos::prelude::*;
use loglens_core::chart::{TimePlot, draw_traffic};
use loglens_core::export::finding_marks;
use loglens_core::figures::{group_thousands, human_duration};
use loglens_core::{Finding, LogTime, Report, Traffic};
use std::sync::Arc;

/// A drag shorter than this (CSS pixels) is a click.
const DRAG_PX: i32 = 4;

/// The activity chart, redrawn when the report, the range, the scale or the table's
/// threshold changes.
#[component]
pub fn TrafficChart(
    report: Signal<Option<Arc<Report>>>,
    query: RwSignal<FindingQuery>,
    view: TimeView,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let plot = RwSignal::new(None::<TimePlot>);
    let readout = RwSignal::new(String::new());
    // Only the threshold and the range move the marks: searching or paging the table
    // redraws nothing.
    let filter = Memo::new(move |_| query.with(FindingQuery::filter));
    let range = Memo::new(move |_| view.range());
    let shown = Memo::new(move |_| {
        report.with(|r| r.as_ref().map(|r| Arc::new(traffic_shown(r, range.get()))))
    });
    let offset_secs = move || log_offset(report);
    Effect::new(move |_| {
        let (Some(canvas), Some(report), Some(traffic)) = (canvas.get(), report.get(), shown.get())
        else {
            return;
        };
        let shown_findings: Vec<&Finding> = report.visible_findings(filter.get()).collect();
        let marks = finding_marks(&shown_findings);
        let offset_secs = report.offset_secs();
        let log_values = view.log_scale.get();
        draw_soon(
            canvas,
            "traffic",
            move |area, style| {
                let style = loglens_core::chart::ChartStyle {
                    log_values,
                    ..*style
                };
                draw_traffic(area, &traffic, &marks, offset_secs, &style).map_err(|e| e.to_string())
            },
            move |canvas, drawn| {
                if let Some(drawn) = &drawn {
                    expose_plot(canvas, &drawn.x_pixels, &drawn.y_pixels);
                }
                plot.set(drawn);
            },
        );
    });
    // The bucket holding `time`, and its line count.
    let bucket_of = move |time: i64| -> Option<(i64, i64, u64)> {
        shown.with(|traffic| bucket_holding(traffic.as_deref()?, time))
    };
    let time_at = move |event: &web_sys::MouseEvent, anywhere_across: bool| {
        let canvas = canvas.get()?;
        let (x, y) = pointer_pixel(&canvas, event);
        plot.with(|p| {
            let p = p.as_ref()?;
            let y = if anywhere_across { p.y_pixels.start } else { y };
            let x = x.clamp(p.x_pixels.start, p.x_pixels.end - 1);
            p.time_at(x, y)
        })
    };
    let describe = move |(start, width, lines): (i64, i64, u64)| {
        format!(
            "{} · {} lines in {} · click or drag to zoom in",
            LogTime {
                epoch_secs: start,
                offset_secs: offset_secs(),
            }
            .format("%Y-%m-%d %H:%M"),
            group_thousands(lines),
            human_duration(width)
        )
    };
    // A drag in progress: where it started (CSS pixels, time) and where it is.
    let drag = RwSignal::new(None::<(i32, i64, i32)>);
    let on_down = move |event: web_sys::PointerEvent| {
        if event.button() != 0 {
            return;
        }
        if let Some(time) = time_at(&event, true) {
            drag.set(Some((event.offset_x(), time, event.offset_x())));
            if let Some(canvas) = canvas.get() {
                let _ = canvas.set_pointer_capture(event.pointer_id());
            }
        }
    };
    let on_move = move |event: web_sys::PointerEvent| {
        if drag.with(Option::is_some) {
            drag.update(|d| {
                if let Some(d) = d {
                    d.2 = event.offset_x();
                }
            });
            return;
        }
        let text = time_at(&event, false)
            .and_then(bucket_of)
            .map_or_else(String::new, describe);
        readout.set(text);
    };
    let on_up = move |event: web_sys::PointerEvent| {
        let Some((start_x, start_time, _)) = drag.get_untracked() else {
            return;
        };
        drag.set(None);
        let Some(end_time) = time_at(&event, true) else {
            return;
        };
        if (event.offset_x() - start_x).abs() < DRAG_PX {
            if let Some((start, width, _)) = bucket_of(end_time) {
                view.zoom_to(start, start + width - 1);
            }
        } else {
            view.zoom_to(start_time, end_time);
        }
    };
    // The bucket the keyboard is on, by its start.
    let focused = RwSignal::new(None::<i64>);
    let on_key = move |event: web_sys::KeyboardEvent| {
        shown.with_untracked(|traffic| view.chart_key(&event, focused, traffic.as_deref()));
        readout.set(
            focused
                .get_untracked()
                .and_then(bucket_of)
                .map_or_else(String::new, describe),
        );
    };
    let brush_style = move || {
        drag.get().map_or_else(
            || "display:none".to_owned(),
            |(from, _, to)| format!("left:{}px;width:{}px", from.min(to), (to - from).abs()),
        )
    };
    view! {
        <figure class="chart">
            <figcaption>
                "Activity over time"
                <span class="readout" data-testid="traffic-readout" aria-live="polite">{move || readout.get()}</span>
            </figcaption>
            <div class="brushable">
                <canvas
                    node_ref=canvas
                    data-testid="chart-traffic"
                    tabindex="0"
                    role="img"
                    aria-label="Bar chart of log lines over time; red marks show when findings began. Click or drag to zoom in; from the keyboard, arrows pick a bar, Enter zooms in, Backspace zooms out"
                    title=move || readout.get()
                    on:pointerdown=on_down
                    on:pointermove=on_move
                    on:pointerup=on_up
                    on:pointercancel=move |_| drag.set(None)
                    on:mouseleave=move |_| readout.set(String::new())
                    on:keydown=on_key
                ></canvas>
                <div class="brush" aria-hidden="true" style=brush_style></div>
            </div>
        </figure>
    }
}

/// The bucket of `traffic` holding `time`: its start, width and line count.
fn bucket_holding(traffic: &Traffic, time: i64) -> Option<(i64, i64, u64)> {
    let width = traffic.bucket_secs;
    let first = traffic.buckets.first()?.start_epoch_secs;
    let start = first + (time - first).div_euclid(width.max(1)) * width;
    let lines = traffic
        .buckets
        .iter()
        .find(|b| b.start_epoch_secs == start)
        .map_or(0, |b| b.requests);
    Some((start, width, lines))
}
