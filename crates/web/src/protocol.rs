//! What the analysis worker tells the page.
//!
//! The page posts the worker one [`WorkerRequest`] (the `Blob` of a dropped file, a
//! sample or pasted text, and the format chosen, if any) and the worker answers with a
//! stream of [`WorkerEvent`]s: progress after every chunk, then exactly one `Done` or
//! `Failed`. Cancelling is terminating the worker, so there is no message for it.
//!
//! An analysis shared between workers (see [`TeamPlace`]) differs: only the first member
//! sends progress; the others send nothing but `Shared` at the end; the page hands their
//! work to the first member in a second request (`shares`), and that one answers `Done`.
//! A quick look (`summary_only`) shared so is read in parts; when its file cannot be cut,
//! the first member answers `Done` alone and the others send nothing. Events cross as plain JS objects (`serde-wasm-bindgen`), tagged by
//! `kind`, which `www/worker-loader.js` also uses to report a worker that cannot start.

use loglens_core::line_collector::NumberedLine;
use loglens_core::{DetectionOptions, LogFormat, Report};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Blob;

/// What to analyse and how, or which lines to find. Sent as a plain object
/// `{ input, format, summary_only, detection, lines, baseline, learn }`: a `Blob` crosses to the worker by reference,
/// so the file is never copied whole.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerRequest<B> {
    /// The bytes.
    pub input: B,
    /// The format to read them in; `None` detects it.
    pub format: Option<LogFormat>,
    /// Only read and summarise, no detectors: a quick look at a huge file.
    pub summary_only: bool,
    /// The detectors' settings (sent as JSON text); `None` runs the defaults.
    pub detection: Option<DetectionOptions>,
    /// Instead of analysing, find these lines (by number) and send their text back: the
    /// evidence of a finding, read again from the file.
    pub lines: Option<Vec<u64>>,
    /// A baseline (its JSON text) to judge the file against.
    pub baseline: Option<String>,
    /// Also learn a baseline from the file, and send it back with the report.
    pub learn: bool,
    /// A trained classifier (its JSON text) to score flows with.
    pub classifier: Option<String>,
    /// Also train a classifier on the file's labels, and send it back with the report.
    pub train: bool,
    /// Following a growing file: `Start` reads `input` (the file so far) and keeps the
    /// analysis in the worker; `More` feeds it `input` (what was appended). Each answers
    /// with `Done` and the report so far.
    pub follow: Option<FollowStep>,
    /// This worker's place in an analysis shared between workers, if it is one.
    pub team: Option<TeamPlace>,
    /// For the first member of a team once it has read the input: the others' work
    /// (`Shared` JSON text), to put the outcome together with.
    pub shares: Option<Vec<String>>,
}

/// A worker's place in an analysis shared between workers (`loglens_core::Analysis::team`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TeamPlace {
    /// 0 for the first member, which reports progress and the outcome.
    pub member: usize,
    /// How many share the analysis.
    pub of: usize,
    /// "Now" for every member alike (seconds since 1970), so all read yearless times
    /// the same way.
    pub now_secs: i64,
}

/// A step of following a growing file (see [`WorkerRequest::follow`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowStep {
    Start,
    More,
}

impl<B> WorkerRequest<B> {
    /// A request for `input` with nothing asked yet: detect the format, run the defaults.
    pub fn of(input: B) -> Self {
        Self {
            input,
            format: None,
            summary_only: false,
            detection: None,
            lines: None,
            baseline: None,
            learn: false,
            classifier: None,
            train: false,
            follow: None,
            team: None,
            shares: None,
        }
    }
}

impl WorkerRequest<&Blob> {
    /// The message to post.
    pub fn to_js(&self) -> JsValue {
        let object = js_sys::Object::new();
        // Setting a property on a fresh plain object cannot fail.
        let set = |name: &str, value: &JsValue| {
            let _ = js_sys::Reflect::set(&object, &name.into(), value);
        };
        set("input", self.input);
        if let Some(format) = self.format {
            set("format", &format.as_str().into());
        }
        set("summary_only", &self.summary_only.into());
        if let Some(json) = self
            .detection
            .as_ref()
            .and_then(|d| serde_json::to_string(d).ok())
        {
            set("detection", &json.into());
        }
        if let Some(baseline) = &self.baseline {
            set("baseline", &baseline.into());
        }
        set("learn", &self.learn.into());
        if let Some(classifier) = &self.classifier {
            set("classifier", &classifier.into());
        }
        set("train", &self.train.into());
        if let Some(step) = self.follow {
            let name = match step {
                FollowStep::Start => "start",
                FollowStep::More => "more",
            };
            set("follow", &name.into());
        }
        if let Some(place) = self.team {
            set("member", &(place.member as f64).into());
            set("of", &(place.of as f64).into());
            set("now", &(place.now_secs as f64).into());
        }
        if let Some(shares) = &self.shares {
            let texts: js_sys::Array = shares.iter().map(JsValue::from).collect();
            set("shares", &texts);
        }
        if let Some(lines) = &self.lines {
            // Line numbers stay far below 2^53, so they cross exactly as JS numbers.
            let numbers: js_sys::Array = lines.iter().map(|&n| JsValue::from(n as f64)).collect();
            set("lines", &numbers);
        }
        object.into()
    }
}

impl WorkerRequest<Blob> {
    /// Reads a posted message; `None` when it is not a request.
    pub fn from_js(message: &JsValue) -> Option<Self> {
        let get = |name: &str| js_sys::Reflect::get(message, &name.into()).ok();
        let text = |name: &str| get(name).and_then(|value| value.as_string());
        let flag = |name: &str| get(name).and_then(|value| value.as_bool()).unwrap_or(false);
        let number = |name: &str| {
            get(name)
                .and_then(|value| value.as_f64())
                .filter(|n| n.is_finite())
        };
        let array = |name: &str| get(name).and_then(|value| value.dyn_into::<js_sys::Array>().ok());
        let input = get("input")?.dyn_into::<Blob>().ok()?;
        let lines = array("lines").map(|array| {
            array
                .iter()
                .filter_map(|n| n.as_f64())
                .filter(|n| n.is_finite() && *n >= 1.0)
                .map(|n| n as u64)
                .collect()
        });
        let follow = text("follow").and_then(|step| match step.as_str() {
            "start" => Some(FollowStep::Start),
            "more" => Some(FollowStep::More),
            _ => None,
        });
        let team = match (number("member"), number("of"), number("now")) {
            (Some(member), Some(of), Some(now))
                if member >= 0.0 && (1.0..=loglens_core::MAX_USEFUL_TEAM as f64).contains(&of) =>
            {
                Some(TeamPlace {
                    member: member as usize,
                    of: of as usize,
                    now_secs: now as i64,
                })
            }
            _ => None,
        };
        Some(Self {
            team,
            shares: array("shares")
                .map(|array| array.iter().filter_map(|text| text.as_string()).collect()),
            format: text("format").and_then(|name| LogFormat::from_name(&name)),
            summary_only: flag("summary_only"),
            detection: text("detection").and_then(|json| serde_json::from_str(&json).ok()),
            lines,
            baseline: text("baseline"),
            learn: flag("learn"),
            classifier: text("classifier"),
            train: flag("train"),
            follow,
            input,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WorkerEvent {
    /// Sent after each chunk is analysed.
    Progress {
        bytes_read: u64,
        total_bytes: u64,
        lines: u64,
    },
    /// The analysis is complete; when asked to learn, with the baseline (JSON text).
    Done {
        /// Crosses as JSON text: a report of 10 million lines carries hundreds of thousands
        /// of evidence line numbers, which as a tree of JS values took the page's thread
        /// 180 ms to turn back into Rust, and as one string takes a few.
        #[serde(with = "report_as_json")]
        report: Box<Report>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        baseline: Option<String>,
        /// When asked to train: the classifier and its figures, or why none could be
        /// trained (JSON text of a `Result`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trained: Option<String>,
        /// The worker's WebAssembly memory at the end, in bytes: its peak, since wasm
        /// memory never shrinks.
        #[serde(default)]
        memory_bytes: u64,
    },
    /// A member of a shared analysis other than the first has read the input: what its
    /// detectors found (`loglens_core::SharedWork` as JSON text), and its memory.
    Shared {
        work: String,
        #[serde(default)]
        memory_bytes: u64,
    },
    /// The lines asked for, found in the file (those past its end are absent).
    Lines { lines: Vec<NumberedLine> },
    /// The analysis stopped; `message` is a sentence for the user.
    Failed { message: String },
}

/// A report as JSON text inside a message (see [`WorkerEvent::Done`]).
mod report_as_json {
    use loglens_core::Report;
    use serde::{Deserialize, Deserializer, Serializer, de, ser};

    pub fn serialize<S: Serializer>(report: &Report, serializer: S) -> Result<S::Ok, S::Error> {
        let json = serde_json::to_string(report).map_err(ser::Error::custom)?;
        serializer.serialize_str(&json)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Box<Report>, D::Error> {
        let json = String::deserialize(deserializer)?;
        serde_json::from_str(&json)
            .map(Box::new)
            .map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_crosses_as_json_text_and_comes_back_whole() {
        let report = loglens_core::analyze_bytes(
            b"10.0.0.1 - - [01/Mar/2024:10:00:00 +0000] \"GET /.env HTTP/1.1\" 404 1 \"-\" \"x\"\n",
            loglens_core::AnalysisOptions::default(),
        );
        let event = WorkerEvent::Done {
            report: Box::new(report.clone()),
            baseline: None,
            trained: None,
            memory_bytes: 7,
        };
        let wire = serde_json::to_value(&event).unwrap();
        assert!(wire["report"].is_string(), "{wire}");
        let WorkerEvent::Done { report: back, .. } = serde_json::from_value(wire).unwrap() else {
            panic!("not a Done event");
        };
        assert_eq!(*back, report);
    }
}
