//! Drawing core's charts on a page canvas: sized to the canvas's on-screen box times the
//! screen's pixel ratio (so it stays sharp), in the page's theme, with pointer positions
//! mapped to the drawing's pixels for clicks and hover read-outs.

use crate::chart_style::page_chart_style;
use loglens_core::chart::ChartStyle;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::{HtmlCanvasElement, MouseEvent};

/// Draws with `draw` on `canvas`; returns what `draw` returned (where the plot is).
fn draw_on<T>(
    canvas: &HtmlCanvasElement,
    draw: impl FnOnce(&DrawingArea<CanvasBackend, Shift>, &ChartStyle) -> Result<T, String>,
) -> Result<T, String> {
    let scale = web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .max(1.0);
    let css_width = f64::from(canvas.client_width().max(280));
    let css_height = f64::from(canvas.client_height().max(160));
    // Canvas sizes are whole device pixels.
    canvas.set_width((css_width * scale).round() as u32);
    canvas.set_height((css_height * scale).round() as u32);
    let backend =
        CanvasBackend::with_canvas_object(canvas.clone()).ok_or("the canvas has no 2D context")?;
    let area = backend.into_drawing_area();
    let drawn = draw(&area, &page_chart_style(scale))?;
    area.present().map_err(|e| e.to_string())?;
    Ok(drawn)
}

/// Draws with `draw` on `canvas` in a task of its own, a moment later, then hands the
/// result to `done`: a report's charts then draw one task each, and no single task holds
/// the page long enough to be felt. A failure is logged with `what`.
pub fn draw_soon<T: 'static>(
    canvas: HtmlCanvasElement,
    what: &'static str,
    draw: impl FnOnce(&DrawingArea<CanvasBackend, Shift>, &ChartStyle) -> Result<T, String> + 'static,
    done: impl FnOnce(&HtmlCanvasElement, T) + 'static,
) {
    // `data-drawn` tells scripts and tests when the picture is the current one.
    let _ = canvas.remove_attribute("data-drawn");
    leptos::prelude::set_timeout(
        move || match draw_on(&canvas, draw) {
            Ok(drawn) => {
                done(&canvas, drawn);
                let _ = canvas.set_attribute("data-drawn", "");
            }
            Err(message) => web_sys::console::error_1(
                &format!("The {what} chart could not be drawn: {message}").into(),
            ),
        },
        std::time::Duration::ZERO,
    );
}

/// Records where the plot is on `canvas`, in CSS pixels, as `data-plot="left top right
/// bottom"`: scripts and tests can then point at a bar as a person would.
pub fn expose_plot(canvas: &HtmlCanvasElement, x: &std::ops::Range<i32>, y: &std::ops::Range<i32>) {
    let scale = f64::from(canvas.width()) / f64::from(canvas.client_width().max(1));
    let css = |px: i32| (f64::from(px) / scale).round();
    let _ = canvas.set_attribute(
        "data-plot",
        &format!(
            "{} {} {} {}",
            css(x.start),
            css(y.start),
            css(x.end),
            css(y.end)
        ),
    );
}

/// Where the pointer of `event` is on `canvas`, in the drawing's pixels.
pub fn pointer_pixel(canvas: &HtmlCanvasElement, event: &MouseEvent) -> (i32, i32) {
    let css_width = f64::from(canvas.client_width().max(1));
    let scale = f64::from(canvas.width()) / css_width;
    (
        (f64::from(event.offset_x()) * scale).round() as i32,
        (f64::from(event.offset_y()) * scale).round() as i32,
    )
}
