//! Horizontal bars with a label each: findings by kind, clients by their worst score.
//! Returns where the bars are, so a pointer can be mapped back to the bar under it.

use super::style::ChartStyle;
use crate::figures::group_thousands;
use plotters::coord::Shift;
use plotters::prelude::*;

/// One bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Shown left of the bar (log text must be made displayable by the caller).
    pub label: String,
    /// Its length.
    pub value: u64,
    /// Its fill.
    pub color: RGBColor,
}

/// Where a bar chart's plot is, in the drawing's pixels, and how many bars it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BarPlot {
    /// The plot's columns.
    pub x_pixels: std::ops::Range<i32>,
    /// The plot's rows.
    pub y_pixels: std::ops::Range<i32>,
    /// How many bars, top to bottom.
    pub bars: usize,
}

impl BarPlot {
    /// The index of the bar whose row holds pixel `(x, y)`, if any.
    pub fn bar_at(&self, x: i32, y: i32) -> Option<usize> {
        if !self.y_pixels.contains(&y) || x < self.x_pixels.start - 200 || self.bars == 0 {
            return None;
        }
        let height = (self.y_pixels.end - self.y_pixels.start).max(1);
        let row = usize::try_from((y - self.y_pixels.start) * self.bars as i32 / height).ok()?;
        (row < self.bars).then_some(row)
    }
}

/// Draws `bars`, the first on top, with `unit` naming the value axis.
pub fn draw_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    bars: &[Bar],
    unit: &str,
    style: &ChartStyle,
) -> Result<Option<BarPlot>, DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&style.background)?;
    if bars.is_empty() {
        let (width, height) = area.dim_in_pixel();
        let text = style.text(14.0).pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Center,
        ));
        let centre = (
            i32::try_from(width / 2).unwrap_or(0),
            i32::try_from(height / 2).unwrap_or(0),
        );
        area.draw_text("Nothing to show", &text, centre)?;
        return Ok(None);
    }
    let count = i32::try_from(bars.len()).unwrap_or(i32::MAX);
    let most = bars.iter().map(|b| b.value).max().unwrap_or(1).max(1);
    let longest_label = bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(4);
    let mut chart = ChartBuilder::on(area)
        .margin(style.px(10.0))
        .x_label_area_size(style.px(30.0))
        .y_label_area_size(style.px(12.0 + 6.5 * longest_label.min(28) as f64))
        .build_cartesian_2d(0..most + most / 8 + 1, (0..count).into_segmented())?;
    let label_of = |value: &SegmentValue<i32>| match value {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => usize::try_from(count - 1 - i)
            .ok()
            .and_then(|i| bars.get(i))
            .map(|b| b.label.clone())
            .unwrap_or_default(),
        SegmentValue::Last => String::new(),
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .bold_line_style(style.grid)
        .light_line_style(TRANSPARENT)
        .axis_style(style.axis)
        .label_style(style.text(12.0))
        .axis_desc_style(style.text(12.0))
        .y_labels(bars.len())
        .y_label_formatter(&label_of)
        .x_labels(5)
        .x_label_formatter(&|n: &u64| group_thousands(*n))
        .x_desc(unit)
        .draw()?;
    chart.draw_series(bars.iter().enumerate().map(|(i, bar)| {
        // The first bar is drawn on top.
        let row = count - 1 - i32::try_from(i).unwrap_or(0);
        let mut rect = Rectangle::new(
            [
                (0, SegmentValue::Exact(row)),
                (bar.value, SegmentValue::Exact(row + 1)),
            ],
            bar.color.filled(),
        );
        rect.set_margin(style.px(3.0), style.px(3.0), 0, 0);
        rect
    }))?;
    let (x_pixels, y_pixels) = chart.plotting_area().get_pixel_range();
    Ok(Some(BarPlot {
        x_pixels,
        y_pixels,
        bars: bars.len(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars() -> Vec<Bar> {
        ["SQL injection", "Scanning", "Brute force"]
            .iter()
            .zip([40, 7, 1])
            .map(|(label, value)| Bar {
                label: (*label).to_owned(),
                value,
                color: RGBColor(180, 35, 24),
            })
            .collect()
    }

    #[test]
    fn draws_a_labelled_bar_each_and_maps_rows_back() {
        let mut svg = String::new();
        let plot = {
            let area = SVGBackend::with_string(&mut svg, (600, 240)).into_drawing_area();
            let plot = draw_bars(&area, &bars(), "findings", &ChartStyle::light(1.0))
                .unwrap()
                .unwrap();
            area.present().unwrap();
            plot
        };
        assert_eq!(svg.matches("fill=\"#B42318\"").count(), 3, "{svg}");
        for label in ["SQL injection", "Scanning", "Brute force"] {
            assert!(svg.contains(label), "{label}");
        }
        let row_height = (plot.y_pixels.end - plot.y_pixels.start) / 3;
        let x = plot.x_pixels.start + 5;
        assert_eq!(
            plot.bar_at(x, plot.y_pixels.start + row_height / 2),
            Some(0)
        );
        assert_eq!(plot.bar_at(x, plot.y_pixels.end - 2), Some(2));
        assert_eq!(plot.bar_at(x, plot.y_pixels.end + 5), None);
    }
}
