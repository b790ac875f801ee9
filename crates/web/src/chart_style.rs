//! The chart style for the page: core's light or dark theme, as the system prefers.

use loglens_core::chart::ChartStyle;

/// The style matching the page's theme (the system's light or dark preference).
pub fn page_chart_style(scale: f64) -> ChartStyle {
    let prefers_dark = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|query| query.matches());
    if prefers_dark {
        ChartStyle::dark(scale)
    } else {
        ChartStyle::light(scale)
    }
}
