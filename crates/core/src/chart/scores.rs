//! How the findings' scores are spread, with the line the current sensitivity draws: what
//! is shown sits right of it, the near-misses left.

use super::style::ChartStyle;
use crate::figures::group_thousands;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Scores are counted in bins this wide.
const BIN: u32 = 5;

/// Draws a histogram of `scores` (0–100) with a vertical line at `threshold`.
pub fn draw_scores<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scores: &[u8],
    threshold: u8,
    style: &ChartStyle,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&style.background)?;
    let mut bins = [0u64; (100 / BIN + 1) as usize];
    for &score in scores {
        bins[(u32::from(score.min(100)) / BIN) as usize] += 1;
    }
    let most = bins.iter().copied().max().unwrap_or(0).max(1);
    let mut chart = ChartBuilder::on(area)
        .margin(style.px(10.0))
        .x_label_area_size(style.px(30.0))
        .y_label_area_size(style.px(44.0))
        .build_cartesian_2d(0u32..101, 0..most + most / 8 + 1)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(style.grid)
        .light_line_style(TRANSPARENT)
        .axis_style(style.axis)
        .label_style(style.text(12.0))
        .axis_desc_style(style.text(12.0))
        .x_labels(6)
        .y_labels(4)
        .y_label_formatter(&|n: &u64| group_thousands(*n))
        .x_desc("score")
        .draw()?;
    chart.draw_series(
        bins.iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, &n)| {
                let start = i as u32 * BIN;
                let color = if start + BIN > u32::from(threshold) {
                    style.bar.to_rgba()
                } else {
                    style.axis.color
                };
                let mut rect =
                    Rectangle::new([(start, 0), ((start + BIN).min(101), n)], color.filled());
                rect.set_margin(0, 0, style.px(1.0), style.px(1.0));
                rect
            }),
    )?;
    let top = most + most / 8;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(u32::from(threshold), 0), (u32::from(threshold), top)],
        style.mark.stroke_width(style.px(2.0)),
    )))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_above_the_threshold_are_in_colour_and_the_line_is_drawn() {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (500, 200)).into_drawing_area();
            draw_scores(
                &area,
                &[12, 33, 33, 52, 90, 96],
                40,
                &ChartStyle::light(1.0),
            )
            .unwrap();
            area.present().unwrap();
        }
        // Bins 50, 90 and 95 are shown (at or above 40); 10 and 30 are near-misses.
        assert_eq!(svg.matches("fill=\"#2563EB\"").count(), 3, "{svg}");
        assert_eq!(svg.matches("stroke=\"#B42318\"").count(), 1);
    }
}
