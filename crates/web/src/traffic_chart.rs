//! The traffic chart on the page: core's [`draw_traffic`] on a canvas, drawn at the
//! screen's pixel density so it stays sharp.

use crate::chart_style::page_chart_style;
use leptos::html::Canvas;
use leptos::prelude::*;
use loglens_core::Report;
use loglens_core::chart::draw_traffic;
use plotters::prelude::*;
use std::sync::Arc;

/// The traffic chart on the page, redrawn whenever the report changes.
#[component]
pub fn TrafficChart(report: Signal<Option<Arc<Report>>>) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        let (Some(canvas), Some(report)) = (canvas.get(), report.get()) else {
            return;
        };
        if let Err(message) = draw_on_canvas(&canvas, &report) {
            web_sys::console::error_1(
                &format!("The traffic chart could not be drawn: {message}").into(),
            );
        }
    });
    view! {
        <figure class="chart">
            <figcaption>"Activity over time"</figcaption>
            <canvas
                node_ref=canvas
                data-testid="chart-traffic"
                role="img"
                aria-label="Bar chart of log lines over time"
            ></canvas>
        </figure>
    }
}

/// Sizes the canvas to its on-screen size times the pixel ratio, then draws.
fn draw_on_canvas(canvas: &web_sys::HtmlCanvasElement, report: &Report) -> Result<(), String> {
    let scale = web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .max(1.0);
    let css_width = f64::from(canvas.client_width().max(320));
    let css_height = f64::from(canvas.client_height().max(200));
    // Canvas sizes are whole device pixels.
    canvas.set_width((css_width * scale).round() as u32);
    canvas.set_height((css_height * scale).round() as u32);
    let backend = plotters_canvas::CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or("the canvas has no 2D context")?;
    let area = backend.into_drawing_area();
    let offset_secs = report.first_time.map_or(0, |t| t.offset_secs);
    let style = page_chart_style(scale);
    draw_traffic(&area, &report.traffic, offset_secs, &style).map_err(|e| e.to_string())?;
    area.present().map_err(|e| e.to_string())
}
