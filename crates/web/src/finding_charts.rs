//! The findings as charts: how many of each kind, which clients score worst, and how the
//! scores spread around the sensitivity's threshold. Clicking a bar filters the table.

use crate::canvas_chart::{draw_soon, expose_plot, pointer_pixel};
use crate::finding_query::{FindingQuery, active_in};
use leptos::html::Canvas;
use leptos::prelude::*;
use loglens_core::chart::{Bar, BarPlot, draw_bars, draw_scores};
use loglens_core::display_text::for_display;
use loglens_core::{Finding, FindingKind, Report, Severity};
use plotters::style::RGBColor;
use std::collections::HashMap;
use std::sync::Arc;

/// Clients shown on the worst-clients chart.
const TOP_CLIENTS: usize = 10;

/// The colour every view gives a severity.
fn severity_color(severity: Severity) -> RGBColor {
    match severity {
        Severity::Critical => RGBColor(180, 35, 24),
        Severity::High => RGBColor(217, 72, 15),
        Severity::Medium => RGBColor(176, 136, 0),
        Severity::Low => RGBColor(92, 102, 112),
    }
}

/// Kinds, most findings first, coloured by their worst severity.
fn kind_bars(findings: &[&Finding]) -> Vec<(FindingKind, Bar)> {
    let mut bars: Vec<(FindingKind, Bar)> = FindingKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let of_kind: Vec<&&Finding> = findings.iter().filter(|f| f.kind == kind).collect();
            let worst = of_kind.iter().map(|f| f.severity).max()?;
            Some((
                kind,
                Bar {
                    label: kind.label().to_owned(),
                    value: of_kind.len() as u64,
                    color: severity_color(worst),
                },
            ))
        })
        .collect();
    bars.sort_by_key(|(_, bar)| std::cmp::Reverse(bar.value));
    bars
}

/// Clients by their worst score, worst first.
fn client_bars(findings: &[&Finding]) -> Vec<(String, Bar)> {
    let mut by_client: HashMap<&str, (u8, Severity)> = HashMap::new();
    for finding in findings {
        let worst = by_client
            .entry(&finding.client)
            .or_insert((finding.score, finding.severity));
        if worst.0 < finding.score {
            *worst = (finding.score, finding.severity);
        }
    }
    let mut worst: Vec<(&str, u8, Severity)> = by_client
        .into_iter()
        .map(|(client, (score, severity))| (client, score, severity))
        .collect();
    worst.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    worst
        .into_iter()
        .take(TOP_CLIENTS)
        .map(|(client, score, severity)| {
            (
                client.to_owned(),
                Bar {
                    label: for_display(client, 24),
                    value: u64::from(score),
                    color: severity_color(severity),
                },
            )
        })
        .collect()
}

#[component]
pub fn FindingCharts(
    report: Signal<Option<Arc<Report>>>,
    query: RwSignal<FindingQuery>,
) -> impl IntoView {
    let kinds_canvas = NodeRef::<Canvas>::new();
    let clients_canvas = NodeRef::<Canvas>::new();
    let scores_canvas = NodeRef::<Canvas>::new();
    let kinds = RwSignal::new(Vec::<FindingKind>::new());
    let kinds_plot = RwSignal::new(None::<BarPlot>);
    let clients = RwSignal::new(Vec::<String>::new());
    let clients_plot = RwSignal::new(None::<BarPlot>);
    // Findings per ten points of score, and the threshold, for the keyboard's read-out.
    let score_tens = RwSignal::new(([0u64; 10], 0u8));
    // Only the threshold and the time range change the charts: searching or paging the
    // table redraws nothing.
    let filter = Memo::new(move |_| query.with(|q| (q.filter(), q.time_range)));
    Effect::new(move |_| {
        let Some(report) = report.get() else { return };
        let (filter, range) = filter.get();
        let findings: Vec<&Finding> = report
            .visible_findings(filter)
            .filter(|f| active_in(f, range))
            .collect();
        let threshold = filter.min_score();
        let by_kind = kind_bars(&findings);
        let by_client = client_bars(&findings);
        if let Some(canvas) = kinds_canvas.get() {
            let bars: Vec<Bar> = by_kind.iter().map(|(_, b)| b.clone()).collect();
            draw_soon(
                canvas,
                "kinds",
                move |area, style| {
                    draw_bars(area, &bars, "findings", style).map_err(|e| e.to_string())
                },
                move |canvas, plot| {
                    if let Some(plot) = &plot {
                        expose_plot(canvas, &plot.x_pixels, &plot.y_pixels);
                    }
                    kinds_plot.set(plot);
                },
            );
        }
        if let Some(canvas) = clients_canvas.get() {
            let bars: Vec<Bar> = by_client.iter().map(|(_, b)| b.clone()).collect();
            draw_soon(
                canvas,
                "clients",
                move |area, style| {
                    draw_bars(area, &bars, "worst score", style).map_err(|e| e.to_string())
                },
                move |canvas, plot| {
                    if let Some(plot) = &plot {
                        expose_plot(canvas, &plot.x_pixels, &plot.y_pixels);
                    }
                    clients_plot.set(plot);
                },
            );
        }
        if let Some(canvas) = scores_canvas.get() {
            let scores: Vec<u8> = report
                .findings
                .iter()
                .filter(|f| active_in(f, range))
                .map(|f| f.score)
                .collect();
            let mut tens = [0u64; 10];
            for &score in &scores {
                tens[usize::from(score.min(99) / 10)] += 1;
            }
            score_tens.set((tens, threshold));
            draw_soon(
                canvas,
                "scores",
                move |area, style| {
                    draw_scores(area, &scores, threshold, style).map_err(|e| e.to_string())
                },
                |_, ()| {},
            );
        }
        kinds.set(by_kind.into_iter().map(|(k, _)| k).collect());
        clients.set(by_client.into_iter().map(|(c, _)| c).collect());
    });
    let pick_kind = move |index: usize| {
        let Some(kind) = kinds.with(|k| k.get(index).copied()) else {
            return;
        };
        query.update(|q| {
            q.kind = if q.kind == Some(kind) {
                None
            } else {
                Some(kind)
            };
            q.page = 0;
        });
    };
    let pick_client = move |index: usize| {
        let Some(client) = clients.with(|c| c.get(index).cloned()) else {
            return;
        };
        query.update(|q| {
            q.client = if q.client.as_ref() == Some(&client) {
                None
            } else {
                Some(client)
            };
            q.page = 0;
        });
    };
    let bar_clicked = |canvas: NodeRef<Canvas>, plot: RwSignal<Option<BarPlot>>| {
        move |event: &web_sys::MouseEvent| {
            let canvas = canvas.get()?;
            let (x, y) = pointer_pixel(&canvas, event);
            plot.with(|p| p.as_ref().and_then(|p| p.bar_at(x, y)))
        }
    };
    let kind_at = bar_clicked(kinds_canvas, kinds_plot);
    let client_at = bar_clicked(clients_canvas, clients_plot);
    let score_keys = BarKeys::new(move || {
        score_tens.with(|(tens, threshold)| {
            tens.iter()
                .enumerate()
                .map(|(i, n)| {
                    let (low, high) = (i * 10, if i == 9 { 100 } else { i * 10 + 9 });
                    let threshold = usize::from(*threshold);
                    let shown = if high < threshold {
                        "hidden"
                    } else if low >= threshold {
                        "shown"
                    } else {
                        "partly shown"
                    };
                    format!("scores {low}–{high}: {n} findings, {shown} at this sensitivity")
                })
                .collect()
        })
    })
    .hint("");
    let kind_keys =
        BarKeys::new(move || kinds.with(|k| k.iter().map(|k| k.label().to_owned()).collect()));
    let client_keys =
        BarKeys::new(move || clients.with(|c| c.iter().map(|c| for_display(c, 64)).collect()));
    view! {
        <section class="finding-charts" aria-label="Findings as charts">
            <figure class="chart small">
                <figcaption>
                    "Findings by kind"
                    <span class="readout" data-testid="kinds-readout" aria-live="polite">{move || kind_keys.readout()}</span>
                </figcaption>
                <canvas node_ref=kinds_canvas data-testid="chart-kinds" tabindex="0" role="img"
                    aria-label="Bar chart of findings by kind; click a bar, or pick one with the arrow keys and press Enter, to show only that kind"
                    on:click=move |event| { if let Some(index) = kind_at(&event) { pick_kind(index) } }
                    on:keydown=move |event| kind_keys.key(&event, pick_kind)
                    on:blur=move |_| kind_keys.leave()></canvas>
            </figure>
            <figure class="chart small">
                <figcaption>
                    "Clients by worst score"
                    <span class="readout" data-testid="clients-readout" aria-live="polite">{move || client_keys.readout()}</span>
                </figcaption>
                <canvas node_ref=clients_canvas data-testid="chart-clients" tabindex="0" role="img"
                    aria-label="Bar chart of the clients with the worst findings; click a bar, or pick one with the arrow keys and press Enter, to show only that client"
                    on:click=move |event| { if let Some(index) = client_at(&event) { pick_client(index) } }
                    on:keydown=move |event| client_keys.key(&event, pick_client)
                    on:blur=move |_| client_keys.leave()></canvas>
            </figure>
            <figure class="chart small">
                <figcaption>
                    "Score distribution and the sensitivity's threshold"
                    <span class="readout" data-testid="scores-readout" aria-live="polite">{move || score_keys.readout()}</span>
                </figcaption>
                <canvas node_ref=scores_canvas data-testid="chart-scores" tabindex="0" role="img"
                    aria-label="Histogram of finding scores with the current threshold as a red line; the arrow keys read out each ten points of score"
                    on:keydown=move |event| score_keys.key(&event, |_| {})
                    on:blur=move |_| score_keys.leave()></canvas>
            </figure>
        </section>
    }
}

/// A bar chart from the keyboard: the arrows pick a bar (read out by its label), Enter
/// or Space does what a click on it does.
#[derive(Debug)]
struct BarKeys<L: Fn() -> Vec<String> + Copy + 'static> {
    labels: L,
    focused: RwSignal<Option<usize>>,
    /// What Enter does, read out after the bar.
    hint: &'static str,
}

impl<L: Fn() -> Vec<String> + Copy + 'static> Clone for BarKeys<L> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<L: Fn() -> Vec<String> + Copy + 'static> Copy for BarKeys<L> {}

impl<L: Fn() -> Vec<String> + Copy + 'static> BarKeys<L> {
    fn new(labels: L) -> Self {
        Self {
            labels,
            focused: RwSignal::new(None),
            hint: " · Enter to show only it",
        }
    }

    fn hint(self, hint: &'static str) -> Self {
        Self { hint, ..self }
    }

    fn key(self, event: &web_sys::KeyboardEvent, pick: impl Fn(usize)) {
        let count = (self.labels)().len();
        let current = self.focused.get_untracked();
        let next = match event.key().as_str() {
            "ArrowDown" | "ArrowRight" => {
                current.map_or(0, |i| (i + 1).min(count.saturating_sub(1)))
            }
            "ArrowUp" | "ArrowLeft" => current.map_or(0, |i| i.saturating_sub(1)),
            "Enter" | " " => {
                if let Some(index) = current {
                    event.prevent_default();
                    pick(index);
                }
                return;
            }
            _ => return,
        };
        event.prevent_default();
        if count > 0 {
            self.focused.set(Some(next));
        }
    }

    fn leave(self) {
        self.focused.set(None);
    }

    /// The picked bar's label and place, for the read-out.
    fn readout(self) -> String {
        let labels = (self.labels)();
        self.focused
            .get()
            .and_then(|i| {
                Some(format!(
                    "{} ({} of {}){}",
                    labels.get(i)?,
                    i + 1,
                    labels.len(),
                    self.hint
                ))
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_findings::finding;

    #[test]
    fn kinds_are_counted_and_clients_ranked_by_their_worst() {
        let findings = [
            finding(FindingKind::Scanning, "a", 60),
            finding(FindingKind::Scanning, "b", 62),
            finding(FindingKind::SqlInjection, "a", 90),
        ];
        let findings: Vec<&Finding> = findings.iter().collect();
        let kinds = kind_bars(&findings);
        assert_eq!(
            kinds.iter().map(|(k, b)| (*k, b.value)).collect::<Vec<_>>(),
            [(FindingKind::Scanning, 2), (FindingKind::SqlInjection, 1)]
        );
        assert_eq!(kinds[1].1.color, severity_color(Severity::Critical));
        let clients = client_bars(&findings);
        assert_eq!(
            clients
                .iter()
                .map(|(c, b)| (c.as_str(), b.value))
                .collect::<Vec<_>>(),
            [("a", 90), ("b", 62)]
        );
    }
}
