//! Charts drawn with plotters on any backend: the page's canvas, the HTML report's SVG.
//! Pure drawing code, no browser APIs, so the report and the page share every chart.

mod bars;
mod scores;
mod style;
mod traffic;

pub use bars::{Bar, BarPlot, draw_bars};
pub use scores::draw_scores;
pub use style::ChartStyle;
pub use traffic::{
    STATUS_COLORS, Series, TimePlot, draw_bytes, draw_statuses, draw_time_bars, draw_traffic,
};

/// `draw` rendered as an SVG document of `width` by `height` pixels.
pub fn svg<E: std::fmt::Display>(
    width: u32,
    height: u32,
    draw: impl FnOnce(
        &plotters::drawing::DrawingArea<plotters::prelude::SVGBackend<'_>, plotters::coord::Shift>,
    ) -> Result<(), E>,
) -> Result<String, String> {
    use plotters::prelude::IntoDrawingArea;
    let mut text = String::new();
    {
        let area = plotters::prelude::SVGBackend::with_string(&mut text, (width, height))
            .into_drawing_area();
        draw(&area).map_err(|e| e.to_string())?;
        area.present().map_err(|e| e.to_string())?;
    }
    Ok(text)
}
