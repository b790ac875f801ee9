//! Colours, fonts and sizes shared by every chart, for the light and dark themes: the
//! page's canvas and the HTML report's SVG look alike because they share these.

use plotters::style::{Color, IntoFont, RGBColor, ShapeStyle, TextStyle};

/// How a chart looks; `scale` multiplies every size, for high-density screens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartStyle {
    /// The plot's background.
    pub background: RGBColor,
    /// Text.
    pub foreground: RGBColor,
    /// Grid lines.
    pub grid: ShapeStyle,
    /// Axes.
    pub axis: ShapeStyle,
    /// Bars.
    pub bar: RGBColor,
    /// Marks for findings on time charts, and the threshold on the score chart.
    pub mark: RGBColor,
    /// Device pixels per CSS pixel.
    pub scale: f64,
    /// Whether time charts count on a logarithmic axis, so one flood's spike does not
    /// flatten every other bar.
    pub log_values: bool,
}

impl ChartStyle {
    /// The light theme's colours.
    pub fn light(scale: f64) -> Self {
        Self {
            background: RGBColor(255, 255, 255),
            foreground: RGBColor(33, 37, 41),
            grid: RGBColor(222, 226, 230).stroke_width(1),
            axis: RGBColor(134, 142, 150).stroke_width(1),
            bar: RGBColor(37, 99, 235),
            mark: RGBColor(180, 35, 24),
            scale,
            log_values: false,
        }
    }

    /// The dark theme's colours.
    pub fn dark(scale: f64) -> Self {
        Self {
            background: RGBColor(24, 26, 31),
            foreground: RGBColor(222, 226, 230),
            grid: RGBColor(55, 60, 68).stroke_width(1),
            axis: RGBColor(120, 128, 138).stroke_width(1),
            bar: RGBColor(96, 165, 250),
            mark: RGBColor(249, 112, 102),
            scale,
            log_values: false,
        }
    }

    /// A length of `css_px` CSS pixels in drawing pixels.
    pub fn px(&self, css_px: f64) -> u32 {
        (css_px * self.scale).round() as u32
    }

    /// Chart text of `css_px` CSS pixels.
    pub fn text(&self, css_px: f64) -> TextStyle<'static> {
        ("sans-serif", css_px * self.scale)
            .into_font()
            .color(&self.foreground)
    }
}
