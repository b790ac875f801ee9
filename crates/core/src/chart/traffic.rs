//! Charts over time, a bar per time bucket: lines ([`draw_traffic`]), lines by status
//! class ([`draw_statuses`]) and bytes sent ([`draw_bytes`]), all on one time axis
//! ([`draw_time_bars`]).
//!
//! They take any plotters drawing area: the page draws on a canvas, the HTML report and
//! the tests draw SVG.

use super::style::ChartStyle;
use crate::figures::{group_thousands, human_bytes};
use crate::time::LogTime;
use crate::traffic::{Traffic, TrafficBucket};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Draws `traffic` filling `area`, with a thin red mark at the start of each `(start,
/// end)` in `marks` (when findings began), and a light red span to its end when it lasts
/// (an outage, a spike: an episode). Times on the axis are shown in `offset_secs`, the offset the log
/// itself was written in. Returns where the plot is, and the time span it shows, so a
/// pointer can be mapped back to a time.
pub fn draw_traffic<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    traffic: &Traffic,
    marks: &[(i64, i64)],
    offset_secs: i32,
    style: &ChartStyle,
) -> Result<Option<TimePlot>, DrawingAreaErrorKind<DB::ErrorType>> {
    let lines = [Series {
        color: style.bar,
        value: |b: &TrafficBucket| b.requests,
    }];
    draw_time_bars(
        area,
        traffic,
        &lines,
        "lines",
        group_thousands,
        marks,
        offset_secs,
        style,
    )
}

/// The colours of the 2xx, 3xx, 4xx and 5xx stacks.
pub const STATUS_COLORS: [RGBColor; 4] = [
    RGBColor(47, 158, 68),
    RGBColor(37, 99, 235),
    RGBColor(217, 72, 15),
    RGBColor(180, 35, 24),
];

/// Lines per bucket stacked by status class (2xx, 3xx, 4xx, 5xx), for logs with statuses.
pub fn draw_statuses<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    traffic: &Traffic,
    offset_secs: i32,
    style: &ChartStyle,
) -> Result<Option<TimePlot>, DrawingAreaErrorKind<DB::ErrorType>> {
    let series = [
        Series {
            color: STATUS_COLORS[0],
            value: |b| u64::from(b.statuses[0]),
        },
        Series {
            color: STATUS_COLORS[1],
            value: |b| u64::from(b.statuses[1]),
        },
        Series {
            color: STATUS_COLORS[2],
            value: |b| u64::from(b.statuses[2]),
        },
        Series {
            color: STATUS_COLORS[3],
            value: |b| u64::from(b.statuses[3]),
        },
    ];
    draw_time_bars(
        area,
        traffic,
        &series,
        "responses",
        group_thousands,
        &[],
        offset_secs,
        style,
    )
}

/// Response bytes sent per bucket.
pub fn draw_bytes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    traffic: &Traffic,
    offset_secs: i32,
    style: &ChartStyle,
) -> Result<Option<TimePlot>, DrawingAreaErrorKind<DB::ErrorType>> {
    let bytes = [Series {
        color: style.bar,
        value: |b: &TrafficBucket| b.bytes,
    }];
    draw_time_bars(
        area,
        traffic,
        &bytes,
        "bytes sent",
        human_bytes,
        &[],
        offset_secs,
        style,
    )
}

/// One stack of a time chart: its colour and what it counts in a bucket.
#[derive(Debug)]
pub struct Series {
    /// The fill.
    pub color: RGBColor,
    /// The bucket's value for this stack.
    pub value: fn(&TrafficBucket) -> u64,
}

/// Bars per bucket, the `series` stacked bottom up, the value axis named "`noun` per
/// bucket width" and labelled with `format`, and
/// the `marks` as [`draw_traffic`] draws them. Times on the axis are shown in
/// `offset_secs`, the offset the log itself was written in. Returns where the plot is,
/// and the time span it shows, so a pointer can be mapped back to a time.
#[allow(clippy::too_many_arguments)]
pub fn draw_time_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    traffic: &Traffic,
    series: &[Series],
    noun: &str,
    format: fn(u64) -> String,
    marks: &[(i64, i64)],
    offset_secs: i32,
    style: &ChartStyle,
) -> Result<Option<TimePlot>, DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&style.background)?;
    let (Some(first), Some(last)) = (traffic.buckets.first(), traffic.buckets.last()) else {
        let (width, height) = area.dim_in_pixel();
        let centre = (
            i32::try_from(width / 2).unwrap_or(0),
            i32::try_from(height / 2).unwrap_or(0),
        );
        let text = style.text(14.0).pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Center,
        ));
        area.draw_text("No timestamps to plot", &text, centre)?;
        return Ok(None);
    };
    let x_range = first.start_epoch_secs..last.start_epoch_secs + traffic.bucket_secs;
    let x_span = x_range.clone();
    let total = |b: &TrafficBucket| {
        series
            .iter()
            .map(|s| (s.value)(b))
            .fold(0, u64::saturating_add)
    };
    let most = traffic.buckets.iter().map(total).max().unwrap_or(0).max(1);
    let axis = ValueAxis::new(most, style.log_values);
    let ticks = time_ticks(x_range.clone(), offset_secs);
    let time_pattern = tick_pattern(&ticks, offset_secs);
    let format_time = |t: &i64| {
        LogTime {
            epoch_secs: *t,
            offset_secs,
        }
        .format(time_pattern)
    };
    let format_count = |y: &i64| format(axis.value_at(*y));

    let mut chart = ChartBuilder::on(area)
        .margin(style.px(12.0))
        .x_label_area_size(style.px(34.0))
        // Room for the widest value label, and the axis name beside it.
        .y_label_area_size(style.px(30.0 + 7.0 * format(most).chars().count() as f64))
        .build_cartesian_2d(
            x_span.with_key_points(ticks),
            (0..axis.top).with_key_points(axis.ticks()),
        )?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(style.grid)
        .light_line_style(TRANSPARENT)
        .axis_style(style.axis)
        .label_style(style.text(12.0))
        .axis_desc_style(style.text(12.0))
        .x_label_formatter(&format_time)
        .y_label_formatter(&format_count)
        .y_desc(format!(
            "{noun} per {}{}",
            crate::figures::human_duration(traffic.bucket_secs),
            if style.log_values { " (log scale)" } else { "" }
        ))
        .draw()?;
    let bar_width = traffic.bucket_secs;
    // Each bucket's stacks, bottom up: a rectangle per non-empty stack.
    chart.draw_series(traffic.buckets.iter().flat_map(|bucket| {
        let start = bucket.start_epoch_secs;
        let mut base = 0u64;
        series.iter().filter_map(move |stack| {
            let value = (stack.value)(bucket);
            let bottom = base;
            base = base.saturating_add(value);
            (value > 0).then(|| {
                Rectangle::new(
                    [(start, axis.y(bottom)), (start + bar_width, axis.y(base))],
                    stack.color.filled(),
                )
            })
        })
    }))?;
    let top = axis.top;
    let shown = |&&(start, end): &&(i64, i64)| start < x_range.end && end >= x_range.start;
    chart.draw_series(
        marks
            .iter()
            .filter(shown)
            .filter(|(start, end)| end > start)
            .map(|&(start, end)| {
                Rectangle::new(
                    [(start.max(x_range.start), 0), (end.min(x_range.end), top)],
                    style.mark.mix(0.12).filled(),
                )
            }),
    )?;
    chart.draw_series(
        marks
            .iter()
            .filter(shown)
            .filter(|(start, _)| x_range.contains(start))
            .map(|&(t, _)| {
                PathElement::new(
                    vec![(t, 0), (t, top)],
                    style.mark.mix(0.55).stroke_width(style.px(1.5)),
                )
            }),
    )?;
    let (x_pixels, y_pixels) = chart.plotting_area().get_pixel_range();
    Ok(Some(TimePlot {
        x_pixels,
        y_pixels,
        start_epoch_secs: x_range.start,
        end_epoch_secs: x_range.end,
    }))
}

/// A time chart's value axis, linear or logarithmic: where a value is drawn (in
/// thousandths of a power of ten on a log axis), and its ticks.
#[derive(Debug, Clone, Copy)]
struct ValueAxis {
    log: bool,
    /// The largest value drawn, with a tenth of room above it.
    most: u64,
    /// The axis's top, drawn.
    top: i64,
}

impl ValueAxis {
    fn new(most: u64, log: bool) -> Self {
        let mut axis = Self { log, most, top: 0 };
        axis.top = if log {
            axis.y(most) + axis.y(most) / 10 + 1
        } else {
            axis.y(most.saturating_add(most / 10).saturating_add(1))
        };
        axis
    }

    /// Where `value` is drawn.
    fn y(self, value: u64) -> i64 {
        if self.log {
            ((value as f64 + 1.0).log10() * 1000.0).round() as i64
        } else {
            i64::try_from(value).unwrap_or(i64::MAX)
        }
    }

    /// The value drawn at `y`.
    fn value_at(self, y: i64) -> u64 {
        if self.log {
            // Two significant figures: what the thousandths of a log axis can tell.
            let value = (10f64.powf(y as f64 / 1000.0) - 1.0).max(0.0);
            let unit = 10f64.powi((value.max(1.0).log10().floor() as i32 - 1).max(0));
            ((value / unit).round() * unit) as u64
        } else {
            u64::try_from(y).unwrap_or(0)
        }
    }

    /// Round values to label: 1, 10, 100… on a log axis; about five steps of 1, 2 or 5
    /// times a power of ten on a linear one.
    fn ticks(self) -> Vec<i64> {
        let values: Vec<u64> = if self.log {
            std::iter::once(0)
                .chain(std::iter::successors(Some(1u64), |v| v.checked_mul(10)))
                .take_while(|&v| v <= self.most)
                .collect()
        } else {
            let rough = (self.most / 5).max(1);
            let power = 10u64.pow(rough.ilog10());
            let step = [1, 2, 5, 10]
                .into_iter()
                .map(|m| m * power)
                .find(|&step| step >= rough)
                .unwrap_or(10 * power);
            std::iter::successors(Some(0u64), |v| v.checked_add(step))
                .take_while(|&v| self.y(v) <= self.top)
                .collect()
        };
        values.into_iter().map(|v| self.y(v)).collect()
    }
}

/// Where a time chart's plot is, in the drawing's pixels, and the span it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimePlot {
    /// The plot's columns.
    pub x_pixels: std::ops::Range<i32>,
    /// The plot's rows.
    pub y_pixels: std::ops::Range<i32>,
    /// The time at the left edge.
    pub start_epoch_secs: i64,
    /// The time at the right edge.
    pub end_epoch_secs: i64,
}

impl TimePlot {
    /// The time under pixel `(x, y)`, if it is on the plot.
    pub fn time_at(&self, x: i32, y: i32) -> Option<i64> {
        if !self.x_pixels.contains(&x) || !self.y_pixels.contains(&y) {
            return None;
        }
        let width = i64::from((self.x_pixels.end - self.x_pixels.start).max(1));
        let span = self.end_epoch_secs - self.start_epoch_secs;
        Some(self.start_epoch_secs + span * i64::from(x - self.x_pixels.start) / width)
    }
}

/// Tick steps for a time axis, smallest first.
const TICK_STEPS_SECS: [i64; 13] = [
    60, 300, 900, 1800, 3600, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800, 2_592_000,
    31_536_000,
];
/// The most ticks a time axis gets before labels crowd each other.
const MAX_TICKS: i64 = 7;

/// Ticks at round wall-clock times in the log's own offset (every 3 hours, every day…),
/// the smallest step that needs at most [`MAX_TICKS`].
fn time_ticks(range: std::ops::Range<i64>, offset_secs: i32) -> Vec<i64> {
    let span = (range.end - range.start).max(1);
    let step = TICK_STEPS_SECS
        .into_iter()
        .find(|step| span / step < MAX_TICKS)
        .unwrap_or_else(|| span / MAX_TICKS + 1);
    let offset = i64::from(offset_secs);
    // The first multiple of `step` in local time at or after the start.
    let first = (range.start + offset).div_euclid(step) * step - offset;
    let first = if first < range.start {
        first + step
    } else {
        first
    };
    (0..=MAX_TICKS)
        .map(|i| first + i * step)
        .take_while(|t| *t < range.end)
        .collect()
}

/// A label pattern that shows what changes between ticks and nothing more: the clock
/// when all ticks fall on one local day, the date when ticks are days apart, else both.
fn tick_pattern(ticks: &[i64], offset_secs: i32) -> &'static str {
    let local_day = |t: i64| (t + i64::from(offset_secs)).div_euclid(86_400);
    match ticks {
        [first, .., last] if local_day(*first) == local_day(*last) => "%H:%M",
        [first, second, ..] if second - first >= 86_400 => "%b %d",
        [_, _, ..] => "%b %d %H:%M",
        _ => "%b %d %H:%M",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traffic::TrafficBucket;

    fn svg_of(traffic: &Traffic) -> String {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (800, 300)).into_drawing_area();
            draw_traffic(&area, traffic, &[], 3600, &ChartStyle::light(1.0)).unwrap();
            area.present().unwrap();
        }
        svg
    }

    fn bar_fill() -> String {
        let RGBColor(r, g, b) = ChartStyle::light(1.0).bar;
        format!("fill=\"#{r:02X}{g:02X}{b:02X}\"")
    }

    #[test]
    fn draws_one_bar_per_non_empty_bucket() {
        let buckets = [3, 0, 7, 1]
            .iter()
            .enumerate()
            .map(|(i, &requests)| TrafficBucket {
                start_epoch_secs: 1_700_000_000 + i as i64 * 300,
                requests,
                ..TrafficBucket::default()
            });
        let traffic = Traffic {
            bucket_secs: 300,
            buckets: buckets.collect(),
        };
        let svg = svg_of(&traffic);
        assert_eq!(svg.matches(&bar_fill()).count(), 3, "{svg}");
        assert!(
            svg.contains("lines per 5m"),
            "the axis names the bucket width"
        );
    }

    #[test]
    fn labels_times_in_the_logs_own_offset() {
        // 22:13:20Z is 23:13:20 at +01:00; the first round minute on the axis is 23:14.
        let traffic = Traffic {
            bucket_secs: 60,
            buckets: vec![TrafficBucket {
                start_epoch_secs: 1_700_000_000,
                requests: 1,
                ..TrafficBucket::default()
            }],
        };
        let svg = svg_of(&traffic);
        assert!(svg.contains("\nNov 14 23:14\n"), "{svg}");
        assert!(!svg.contains("22:14"), "{svg}");
    }

    #[test]
    fn ticks_fall_on_round_local_times() {
        // 2023-11-14 22:13:20Z to 24 hours later; at +01:00 the ticks are 00:00, 03:00, …
        let start = 1_700_000_000;
        let ticks = time_ticks(start..start + 86_400, 3600);
        let labels: Vec<String> = ticks
            .iter()
            .map(|&t| {
                LogTime {
                    epoch_secs: t,
                    offset_secs: 3600,
                }
                .format("%d %H:%M")
            })
            .collect();
        assert_eq!(labels, ["15 00:00", "15 06:00", "15 12:00", "15 18:00"]);
        assert_eq!(tick_pattern(&ticks, 3600), "%H:%M");
        // Over two days, ticks every 12 hours cross midnight: the labels need the date.
        let two_days = time_ticks(start..start + 2 * 86_400, 3600);
        assert_eq!(two_days.len(), 4);
        assert_eq!(tick_pattern(&two_days, 3600), "%b %d %H:%M");
    }

    #[test]
    fn short_spans_get_clock_labels_and_long_ones_dates() {
        let hour = time_ticks(0..3600, 0);
        assert_eq!(hour, [0, 900, 1800, 2700]);
        assert_eq!(tick_pattern(&hour, 0), "%H:%M");
        let month = time_ticks(0..30 * 86_400, 0);
        assert_eq!(month.len(), 5);
        assert_eq!(tick_pattern(&month, 0), "%b %d");
        assert!(time_ticks(0..1, 0).len() <= 1);
    }

    #[test]
    fn marks_findings_and_maps_pixels_back_to_times() {
        let traffic = Traffic {
            bucket_secs: 60,
            buckets: (0..60)
                .map(|i| TrafficBucket {
                    start_epoch_secs: 1_700_000_040 + i * 60,
                    requests: 5,
                    ..TrafficBucket::default()
                })
                .collect(),
        };
        let mut svg = String::new();
        let plot = {
            let area = SVGBackend::with_string(&mut svg, (800, 300)).into_drawing_area();
            let plot = draw_traffic(
                &area,
                &traffic,
                &[
                    (1_700_001_000, 1_700_001_000),
                    (1_700_002_000, 1_700_002_600),
                ],
                0,
                &ChartStyle::light(1.0),
            )
            .unwrap()
            .unwrap();
            area.present().unwrap();
            plot
        };
        let RGBColor(r, g, b) = ChartStyle::light(1.0).mark;
        assert_eq!(
            svg.matches(&format!("stroke=\"#{r:02X}{g:02X}{b:02X}\""))
                .count(),
            2
        );
        // The episode is a span as well as a mark; the moment is a mark alone.
        assert_eq!(
            svg.matches(&format!("fill=\"#{r:02X}{g:02X}{b:02X}\""))
                .count(),
            1
        );
        let middle_y = (plot.y_pixels.start + plot.y_pixels.end) / 2;
        assert_eq!(
            plot.time_at(plot.x_pixels.start, middle_y),
            Some(1_700_000_040)
        );
        let last = plot.time_at(plot.x_pixels.end - 1, middle_y).unwrap();
        assert!((1_700_003_580..1_700_003_640).contains(&last), "{last}");
        assert_eq!(plot.time_at(0, middle_y), None);
    }

    #[test]
    fn value_axes_tick_on_round_numbers() {
        let linear = ValueAxis::new(1_234, false);
        let values: Vec<u64> = linear
            .ticks()
            .into_iter()
            .map(|y| linear.value_at(y))
            .collect();
        assert_eq!(values, [0, 500, 1_000]);
        let log = ValueAxis::new(12_345, true);
        let values: Vec<u64> = log.ticks().into_iter().map(|y| log.value_at(y)).collect();
        assert_eq!(values, [0, 1, 10, 100, 1_000, 10_000]);
        assert!(log.y(12_345) < log.top);
        assert_eq!(ValueAxis::new(u64::MAX, true).ticks().len(), 21);
    }

    #[test]
    fn a_log_axis_shows_the_small_bars_a_spike_hides() {
        // One flood minute of 100,000 lines beside minutes of 5: on a linear axis in a
        // 300-pixel chart the small bars are under a pixel tall, on a log axis a third.
        let traffic = Traffic {
            bucket_secs: 60,
            buckets: [5, 5, 100_000, 5]
                .iter()
                .enumerate()
                .map(|(i, &requests)| TrafficBucket {
                    start_epoch_secs: i as i64 * 60,
                    requests,
                    ..TrafficBucket::default()
                })
                .collect(),
        };
        let heights = |log_values: bool| -> Vec<f64> {
            let mut svg = String::new();
            {
                let area = SVGBackend::with_string(&mut svg, (800, 300)).into_drawing_area();
                let style = ChartStyle {
                    log_values,
                    ..ChartStyle::light(1.0)
                };
                draw_traffic(&area, &traffic, &[], 0, &style).unwrap();
                area.present().unwrap();
            }
            assert_eq!(svg.contains("(log scale)"), log_values);
            svg.lines()
                .filter(|line| line.contains(&bar_fill()))
                .filter_map(|line| {
                    let at = line.find("height=\"")? + 8;
                    line[at..].split('"').next()?.parse().ok()
                })
                .collect()
        };
        let linear = heights(false);
        let log = heights(true);
        assert!(
            linear.len() <= 4 && linear.iter().filter(|h| **h >= 2.0).count() == 1,
            "{linear:?}"
        );
        assert_eq!(log.len(), 4);
        assert!(log.iter().all(|h| *h >= 30.0), "{log:?}");
    }

    #[test]
    fn says_so_when_there_is_nothing_to_plot() {
        let svg = svg_of(&Traffic::default());
        assert!(svg.contains("No timestamps to plot"));
        assert!(!svg.contains(&bar_fill()));
    }
}
