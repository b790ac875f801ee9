//! What a report counts about the lines, besides what the detectors find: lines parsed,
//! continued and rejected, formats, clients, times, traffic, the first rows, unmapped
//! fields and a flow file's own labels. Everything here is bounded.

use super::AnalysisOptions;
use crate::detect::ClientKey;
use crate::display_text::for_display;
use crate::distinct_clients::DistinctClients;
use crate::event::Event;
use crate::ground_truth::Labels;
use crate::line_reader::Line;
use crate::parse::{LogFormat, RejectReason};
use crate::rejects::RejectCounter;
use crate::report::RequestRow;
use crate::supervised::FlowTraining;
use crate::time::LogTime;
use crate::traffic::TrafficCounter;

/// The longest text field kept in a sample row, in characters.
const ROW_FIELD_CHARS: usize = 2_000;

/// Distinct clients counted exactly; beyond, the count stops and the report says so.
pub(super) const MAX_COUNTED_CLIENTS: usize = if cfg!(test) { 5_000 } else { 250_000 };

/// Distinct unmapped JSON field names counted.
const MAX_EXTRA_FIELDS: usize = 64;

/// Distinct ground-truth labels counted; a column with more is not a label.
const MAX_LABELS: usize = 64;

/// The counts of the lines seen so far.
#[derive(Debug, Clone)]
pub(super) struct LineCounts {
    pub(super) parsed: u64,
    /// Lines that continue the record above them.
    pub(super) continued: u64,
    /// Parsed lines per format, in the order of `LogFormat::ALL`.
    pub(super) format_counts: [u64; LogFormat::ALL.len()],
    /// Distinct clients, counted up to [`MAX_COUNTED_CLIENTS`].
    pub(super) clients: DistinctClients,
    pub(super) first_time: Option<LogTime>,
    pub(super) last_time: Option<LogTime>,
    pub(super) traffic: TrafficCounter,
    pub(super) rejects: RejectCounter,
    /// The first parsed lines, as the report shows them.
    pub(super) first_rows: Vec<RequestRow>,
    /// How many first rows to keep.
    first_rows_wanted: usize,
    /// Lines per unmapped JSON field name (at most [`MAX_EXTRA_FIELDS`] names).
    pub(super) extra_fields: Vec<(Box<str>, u64)>,
    /// Rows per ground-truth label (at most [`MAX_LABELS`] labels).
    pub(super) label_counts: Vec<(Box<str>, u64)>,
    /// The lines labelled as attacks.
    pub(super) ground_truth: Labels,
    /// Labelled attack lines not kept, the labels being full.
    pub(super) untracked_labels: u64,
    /// Labelled flows sampled for training, when asked.
    pub(super) training: Option<FlowTraining>,
}

impl LineCounts {
    pub(super) fn new(options: &AnalysisOptions) -> Self {
        Self {
            parsed: 0,
            continued: 0,
            format_counts: [0; LogFormat::ALL.len()],
            clients: DistinctClients::with_limit(MAX_COUNTED_CLIENTS),
            first_time: None,
            last_time: None,
            traffic: TrafficCounter::default(),
            rejects: RejectCounter::new(options.rejected_samples),
            first_rows: Vec::new(),
            first_rows_wanted: options.first_rows,
            extra_fields: Vec::new(),
            label_counts: Vec::new(),
            ground_truth: Labels::default(),
            untracked_labels: 0,
            training: options.train_classifier.then(|| {
                FlowTraining::new(
                    options
                        .detection
                        .line_model
                        .as_ref()
                        .map_or(7, |m| m.forest.seed),
                )
            }),
        }
    }

    /// Counts a parsed line.
    pub(super) fn count_event(
        &mut self,
        line_no: u64,
        format: LogFormat,
        event: &Event<'_>,
        client: &ClientKey<'_>,
    ) {
        self.parsed += 1;
        if let Some(index) = LogFormat::ALL.iter().position(|f| *f == format) {
            self.format_counts[index] += 1;
        }
        self.clients.count(client);
        let time = event.time();
        self.first_time = Some(self.first_time.map_or(time, |t| t.earliest(time)));
        self.last_time = Some(self.last_time.map_or(time, |t| t.latest(time)));
        let (status, bytes) = match event {
            Event::Access(record) => (Some(record.status), record.bytes_sent),
            Event::Flow(flow) => (None, flow.total_bytes()),
            Event::Syslog(_) => (None, None),
        };
        self.traffic.add(time.epoch_secs, status, bytes);
        if self.first_rows.len() < self.first_rows_wanted {
            self.first_rows.push(row_of(line_no, event));
        }
        if let (Some(training), Event::Flow(flow)) = (&mut self.training, event) {
            training.observe(flow);
        }
        if let Event::Flow(flow) = event
            && let Some(label) = flow.label
        {
            self.count_label(line_no, flow.source, label, flow.is_labelled_attack());
        }
    }

    /// Counts a line that did not parse: as the continuation of the record above it when
    /// the format has records of several lines (`multi_line`) and it reads as one, else
    /// as a reject.
    pub(super) fn count_reject(&mut self, line: Line<'_>, reason: RejectReason, multi_line: bool) {
        if multi_line && crate::parse::continues_a_record(line.text) {
            self.continued += 1;
        } else {
            self.rejects.add(line.number, reason, line.text);
        }
    }

    /// Counts a JSON line's unmapped fields, and shows them on its row if it has one.
    pub(super) fn count_extra_fields(
        &mut self,
        line_no: u64,
        json: &crate::parse::json_lines::JsonLinesParser,
    ) {
        let mut shown = String::new();
        for (name, value) in json.extra_fields() {
            count_capped(&mut self.extra_fields, name, 1, MAX_EXTRA_FIELDS);
            if shown.len() < ROW_FIELD_CHARS {
                let value = match value {
                    serde_json::Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                if !shown.is_empty() {
                    shown.push_str(", ");
                }
                shown.push_str(&format!("{name}={value}"));
            }
        }
        if let Some(row) = self.first_rows.last_mut().filter(|r| r.line_no == line_no)
            && !shown.is_empty()
        {
            row.extra = Some(for_display(&shown, ROW_FIELD_CHARS));
        }
    }

    fn count_label(&mut self, line_no: u64, client: &str, label: &str, attack: bool) {
        count_capped(&mut self.label_counts, label, 1, MAX_LABELS);
        if attack && self.ground_truth.len() < crate::limits::MAX_TABLE_KEYS {
            self.ground_truth.insert(line_no, client, label);
        } else if attack {
            self.untracked_labels += 1;
        }
    }
}

/// Adds `lines` to `name`'s count in `counts`, which holds at most `cap` names: a name
/// that comes when it is full is not counted.
fn count_capped(counts: &mut Vec<(Box<str>, u64)>, name: &str, lines: u64, cap: usize) {
    let room = counts.len() < cap;
    match counts.iter_mut().find(|(n, _)| **n == *name) {
        Some((_, total)) => *total += lines,
        None if room => counts.push((name.into(), lines)),
        None => {}
    }
}

/// A parsed line as the report's first rows show it, every field cut to
/// [`ROW_FIELD_CHARS`] and made safe to display.
fn row_of(line_no: u64, event: &Event<'_>) -> RequestRow {
    let clip = |text: &str| for_display(text, ROW_FIELD_CHARS);
    match event {
        Event::Access(record) => RequestRow {
            line_no,
            client: clip(record.client),
            time: record.time,
            method: record.method.map(clip).unwrap_or_default(),
            target: clip(record.target.unwrap_or(record.request)),
            status: Some(record.status),
            bytes_sent: record.bytes_sent,
            user_agent: record.user_agent.map(clip),
            extra: None,
        },
        Event::Syslog(record) => RequestRow {
            line_no,
            client: clip(event.client()),
            time: record.time,
            method: clip(record.program),
            target: clip(record.message),
            status: None,
            bytes_sent: None,
            user_agent: None,
            extra: None,
        },
        Event::Flow(flow) => RequestRow {
            line_no,
            client: clip(flow.source),
            time: flow.time,
            method: match flow.protocol {
                Some(6) => "TCP".to_owned(),
                Some(17) => "UDP".to_owned(),
                Some(1) => "ICMP".to_owned(),
                Some(other) => other.to_string(),
                None => String::new(),
            },
            target: clip(&format!("{}:{}", flow.destination, flow.destination_port)),
            status: None,
            bytes_sent: flow.total_bytes(),
            user_agent: None,
            extra: None,
        },
    }
}
