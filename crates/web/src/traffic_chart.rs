//! The traffic chart on the page: core's [`draw_traffic`] on a canvas, with the findings
//! marked. Pointing at it reads out the bucket; clicking it shows only the findings
//! active in that bucket's time.

use crate::canvas_chart::{draw_soon, expose_plot, pointer_pixel};
use crate::finding_query::FindingQuery;
use leptos::html::Canvas;
use leptos::prelude::*;
use loglens_core::chart::{TimePlot, draw_traffic};
use loglens_core::export::finding_marks;
use loglens_core::figures::{group_thousands, human_duration};
use loglens_core::{Finding, LogTime, Report};
use std::sync::Arc;

/// The traffic chart, redrawn whenever the report or the table's threshold changes.
#[component]
pub fn TrafficChart(
    report: Signal<Option<Arc<Report>>>,
    query: RwSignal<FindingQuery>,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let plot = RwSignal::new(None::<TimePlot>);
    let readout = RwSignal::new(String::new());
    // Only the threshold moves the marks: searching or paging the table redraws nothing.
    let filter = Memo::new(move |_| query.with(FindingQuery::filter));
    Effect::new(move |_| {
        let (Some(canvas), Some(report)) = (canvas.get(), report.get()) else {
            return;
        };
        let shown: Vec<&Finding> = report.visible_findings(filter.get()).collect();
        let marks = finding_marks(&shown);
        let offset_secs = report.first_time.map_or(0, |t| t.offset_secs);
        draw_soon(
            canvas,
            "traffic",
            move |area, style| {
                draw_traffic(area, &report.traffic, &marks, offset_secs, style)
                    .map_err(|e| e.to_string())
            },
            move |canvas, drawn| {
                if let Some(drawn) = &drawn {
                    expose_plot(canvas, &drawn.x_pixels, &drawn.y_pixels);
                }
                plot.set(drawn);
            },
        );
    });
    // The bucket under the pointer: its start and its line count.
    let bucket_at = move |event: &web_sys::MouseEvent| {
        let canvas = canvas.get()?;
        let (x, y) = pointer_pixel(&canvas, event);
        let time = plot.with(|p| p.as_ref().and_then(|p| p.time_at(x, y)))?;
        report.with(|r| {
            let traffic = &r.as_ref()?.traffic;
            let first = traffic.buckets.first()?.start_epoch_secs;
            let start =
                first + (time - first).div_euclid(traffic.bucket_secs) * traffic.bucket_secs;
            let lines = traffic
                .buckets
                .iter()
                .find(|b| b.start_epoch_secs == start)
                .map_or(0, |b| b.requests);
            Some((start, traffic.bucket_secs, lines))
        })
    };
    let on_move = move |event: web_sys::MouseEvent| {
        let text = bucket_at(&event).map_or_else(String::new, |(start, width, lines)| {
            let offset_secs = report.with(|r| {
                r.as_ref()
                    .and_then(|r| r.first_time)
                    .map_or(0, |t| t.offset_secs)
            });
            format!(
                "{} · {} lines in {} · click to show the findings then",
                LogTime {
                    epoch_secs: start,
                    offset_secs
                }
                .format("%Y-%m-%d %H:%M"),
                group_thousands(lines),
                human_duration(width)
            )
        });
        readout.set(text);
    };
    let on_click = move |event: web_sys::MouseEvent| {
        if let Some((start, width, _)) = bucket_at(&event) {
            query.update(|q| {
                q.time_range = Some((start, start + width - 1));
                q.page = 0;
            });
        }
    };
    view! {
        <figure class="chart">
            <figcaption>
                "Activity over time"
                <span class="readout" data-testid="traffic-readout" aria-live="polite">{move || readout.get()}</span>
            </figcaption>
            <canvas
                node_ref=canvas
                data-testid="chart-traffic"
                role="img"
                aria-label="Bar chart of log lines over time; red marks show when findings began"
                title=move || readout.get()
                on:mousemove=on_move
                on:mouseleave=move |_| readout.set(String::new())
                on:click=on_click
            ></canvas>
        </figure>
    }
}
