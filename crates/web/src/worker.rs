//! The analysis Web Worker: reads the posted `Blob` in slices and runs the core on it.
//!
//! It runs off the page's thread, so a large file never freezes the page. It reads with
//! `FileReaderSync`, one slice at a time, so memory holds one slice and the analysis'
//! aggregates, never the file. The loop is synchronous on purpose: cancelling is the page
//! terminating the worker, which stops it between any two instructions.

use crate::js_error;
use crate::protocol::{FollowStep, TeamPlace, WorkerEvent, WorkerRequest};
use js_sys::Uint8Array;
use loglens_core::line_collector::{LineCollector, NumberedLine};
use loglens_core::supervised::ClassifierFile;
use loglens_core::{
    Analysis, AnalysisOptions, Baseline, BaselineUse, DetectionOptions, FilePart, InputDecoder,
    LogTime, Outcome, PLAN_SAMPLE_BYTES, PartPlan, PartSummary, PartsError, Report,
};
use serde::Serialize;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

/// Bytes read per slice: each read is a round trip to the browser, which at 1 MB slices
/// took a fifth of a quick look (bench_page.mjs: 1.18 s, 0.93 s at 4 MB; 8 MB gained
/// little more for twice the memory); progress still comes several times a second.
const SLICE_BYTES: u64 = 1 << 22;

/// Bytes read per slice past the end of a part's range, where only the rest of one line
/// is wanted.
const PAST_END_SLICE_BYTES: u64 = 1 << 16;

/// Installs the message handler. Called once by the worker binary's `main`.
pub fn start() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    // Client names come from the log: a random key keeps crafted ones from colliding.
    let mut key = [0u8; 8];
    if scope
        .crypto()
        .and_then(|crypto| crypto.get_random_values_with_u8_array(&mut key))
        .is_ok()
    {
        loglens_core::detect::set_client_hash_key(u64::from_le_bytes(key));
    }
    let handler_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let outcome = match WorkerRequest::from_js(&event.data()) {
            Some(WorkerRequest {
                input,
                lines: Some(lines),
                ..
            }) => find_lines(&input, lines).map(|lines| Some(WorkerEvent::Lines { lines })),
            Some(WorkerRequest {
                shares: Some(shares),
                ..
            }) => finish_lead(shares).map(|outcome| outcome.map(done)),
            Some(
                request @ WorkerRequest {
                    follow: Some(step), ..
                },
            ) => follow(&request, step).map(|report| {
                Some(done(Outcome {
                    report,
                    baseline: None,
                    classifier: None,
                }))
            }),
            Some(request) => analyze(&handler_scope, &request),
            None => Err("The analysis worker was sent something that is not a file.".to_owned()),
        };
        let last = match outcome {
            Ok(Some(event)) => event,
            // The first member of a team waits for the others' work.
            Ok(None) => return,
            Err(message) => WorkerEvent::Failed { message },
        };
        if let Err(problem) = post(&handler_scope, &last) {
            // The page must hear that the analysis ended, even when the report cannot travel.
            let message = format!("The report could not be sent to the page: {problem}");
            if let Err(problem) = post(&handler_scope, &WorkerEvent::Failed { message }) {
                web_sys::console::error_1(
                    &format!("loglens worker cannot reach the page: {problem}").into(),
                );
            }
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
}

thread_local! {
    /// The analysis of the file being followed, kept between its steps.
    static FOLLOWED: std::cell::RefCell<Option<Analysis>> = const { std::cell::RefCell::new(None) };
    /// As the first member of a team: what has read its input and waits for the others'
    /// work.
    static WAITING_LEAD: std::cell::RefCell<Option<WaitingLead>> = const { std::cell::RefCell::new(None) };
    /// As the first member of a team: the others' work, when it came before this worker
    /// had read its own input (messages posted while the engine loads are replayed late).
    static WAITING_SHARES: std::cell::RefCell<Option<Vec<String>>> = const { std::cell::RefCell::new(None) };
}

/// What the first member of a team holds while it waits for the others' work.
enum WaitingLead {
    /// A share of the detectors (`Analysis::team`): the others send `SharedWork`.
    Detectors(Box<Analysis>),
    /// The first part of a quick look read in parts (`PartPlan`): the others send
    /// `PartSummary`. The request is kept to read the file again in one part if the
    /// parts cannot be put together exactly.
    Parts(Box<(FilePart, WorkerRequest<Blob>)>),
}

/// The page's `Done` event for an outcome.
fn done(outcome: Outcome) -> WorkerEvent {
    WorkerEvent::Done {
        report: Box::new(outcome.report),
        baseline: outcome.baseline.map(|b| b.to_json()),
        trained: outcome
            .classifier
            .and_then(|trained| serde_json::to_string(&trained).ok()),
        memory_bytes: wasm_memory_bytes(),
    }
}

/// As the first member of a team, given the others' work (JSON text): the outcome, or
/// nothing yet if this worker has still to read its own input (then it finishes then).
fn finish_lead(shares: Vec<String>) -> Result<Option<Outcome>, String> {
    match WAITING_LEAD.with_borrow_mut(Option::take) {
        Some(lead) => finish_with(lead, &shares).map(Some),
        None => {
            WAITING_SHARES.with_borrow_mut(|waiting| *waiting = Some(shares));
            Ok(None)
        }
    }
}

/// The outcome of a team's first member `lead`, with the others' work (JSON text).
fn finish_with(lead: WaitingLead, shares: &[String]) -> Result<Outcome, String> {
    match lead {
        WaitingLead::Detectors(analysis) => analysis
            .finish_team(read_shares(shares)?)
            .map_err(|problem| format!("The analysis could not be completed: {problem}.")),
        WaitingLead::Parts(reading) => match reading.0.finish_first(read_shares(shares)?) {
            Ok(outcome) => Ok(outcome),
            // Rare (millions of clients, years of minutes): read it again, in one part.
            Err(PartsError::Overflow(_)) => {
                let request = &reading.1;
                let mut analysis = Analysis::new(options_of(request)?);
                stream_blob(&request.input, |log| analysis.feed(log), |_| Ok(true))?;
                Ok(analysis.finish_outcome())
            }
            Err(problem) => Err(format!("The analysis could not be completed: {problem}.")),
        },
    }
}

/// The others' work, from its JSON text.
fn read_shares<T: serde::de::DeserializeOwned>(shares: &[String]) -> Result<Vec<T>, String> {
    shares
        .iter()
        .map(|json| serde_json::from_str::<T>(json))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("A part of the shared analysis could not be read: {e}"))
}

/// A step of following a growing file: start (with the page's choices and the file so
/// far), or read what was appended; either way, the report so far.
fn follow(request: &WorkerRequest<Blob>, step: FollowStep) -> Result<Report, String> {
    let fresh = match step {
        FollowStep::Start => Some(Analysis::new(options_of(request)?)),
        FollowStep::More => None,
    };
    FOLLOWED.with_borrow_mut(|followed| {
        if let Some(analysis) = fresh {
            *followed = Some(analysis);
        }
        let analysis = followed
            .as_mut()
            .ok_or("Nothing is being followed: open the file again.")?;
        let analysis = std::cell::RefCell::new(analysis);
        stream_blob(
            &request.input,
            |log| analysis.borrow_mut().feed(log),
            |_| Ok(true),
        )?;
        Ok(analysis.borrow().snapshot())
    })
}

/// Reads the request's input: alone, the outcome; as the first member of a team, nothing
/// yet (the analysis waits for the others' work); as another member, its work.
fn analyze(
    scope: &DedicatedWorkerGlobalScope,
    request: &WorkerRequest<Blob>,
) -> Result<Option<WorkerEvent>, String> {
    let blob = &request.input;
    let total_bytes = blob.size() as u64;
    let options = options_of(request)?;
    if let Some(place) = request.team
        && request.summary_only
    {
        return summarise_part(scope, request, options, place);
    }
    let analysis = match request.team {
        None => Analysis::new(options),
        Some(TeamPlace { member, of, .. }) => Analysis::team_member(options, of, member)
            .ok_or("This analysis cannot be shared between workers.")?,
    };
    let reports_progress = request.team.is_none_or(|place| place.member == 0);
    let analysis = std::cell::RefCell::new(analysis);
    stream_blob(
        blob,
        |log| analysis.borrow_mut().feed(log),
        |offset| {
            if !reports_progress {
                return Ok(true);
            }
            let progress = analysis.borrow().progress();
            post(
                scope,
                &WorkerEvent::Progress {
                    bytes_read: progress.bytes_read.max(offset),
                    total_bytes,
                    lines: progress.lines,
                },
            )
            .map_err(|problem| format!("Progress could not be sent to the page: {problem}"))?;
            Ok(true)
        },
    )?;
    let analysis = analysis.into_inner();
    match request.team {
        None => Ok(Some(done(analysis.finish_outcome()))),
        Some(TeamPlace { member: 0, .. }) => {
            wait_as_lead(WaitingLead::Detectors(Box::new(analysis)))
        }
        Some(_) => shared(&analysis.finish_share()),
    }
}

/// As the first member of a team that has read its input: the outcome, if the others'
/// work has come; otherwise nothing yet (it finishes when their work comes).
fn wait_as_lead(lead: WaitingLead) -> Result<Option<WorkerEvent>, String> {
    match WAITING_SHARES.with_borrow_mut(Option::take) {
        Some(shares) => finish_with(lead, &shares).map(|outcome| Some(done(outcome))),
        None => {
            WAITING_LEAD.with_borrow_mut(|waiting| *waiting = Some(lead));
            Ok(None)
        }
    }
}

/// The `Shared` event for a member's work.
fn shared(work: &impl Serialize) -> Result<Option<WorkerEvent>, String> {
    let work = serde_json::to_string(work)
        .map_err(|e| format!("A part of the shared analysis could not be sent: {e}"))?;
    Ok(Some(WorkerEvent::Shared {
        work,
        memory_bytes: wasm_memory_bytes(),
    }))
}

/// A quick look as member `place` of a team that reads the file in parts (see
/// `PartPlan`): every member plans alike from the file's first bytes and reads its own
/// range. When the plan has one part (a small or compressed file, a format whose lines
/// lean on the ones before), the first member reads it all and the others send nothing.
fn summarise_part(
    scope: &DedicatedWorkerGlobalScope,
    request: &WorkerRequest<Blob>,
    options: AnalysisOptions,
    place: TeamPlace,
) -> Result<Option<WorkerEvent>, String> {
    let blob = &request.input;
    let total_bytes = blob.size() as u64;
    let reader = FileReaderSync::new().map_err(|e| js_error::describe(&e))?;
    let mut chunk = Vec::new();
    read_slice(
        &reader,
        blob,
        0..total_bytes.min(PLAN_SAMPLE_BYTES as u64),
        &mut chunk,
    )?;
    let plan = PartPlan::new(&options, &chunk, total_bytes, place.of);
    if plan.parts() == 1 {
        return match place.member {
            0 => analyze(
                scope,
                &WorkerRequest {
                    team: None,
                    ..request.clone()
                },
            ),
            _ => Ok(None),
        };
    }
    let Some(mut part) = plan.part(options, place.member) else {
        return shared(&PartSummary::nothing());
    };
    let range = part.range();
    let mut offset = part.first_byte();
    while offset < range.end {
        let end = (offset + SLICE_BYTES).min(range.end);
        read_slice(&reader, blob, offset..end, &mut chunk)?;
        part.feed(&chunk);
        offset = end;
        if place.member == 0 {
            // The parts read at about the same pace: the first one's share of its range
            // stands for the whole file's.
            let done = (offset - range.start) as f64 / (range.end - range.start).max(1) as f64;
            post(
                scope,
                &WorkerEvent::Progress {
                    bytes_read: (done * total_bytes as f64) as u64,
                    total_bytes,
                    lines: part.progress().lines * plan.parts() as u64,
                },
            )
            .map_err(|problem| format!("Progress could not be sent to the page: {problem}"))?;
        }
    }
    while part.wants_more() && offset < total_bytes {
        let end = (offset + PAST_END_SLICE_BYTES).min(total_bytes);
        read_slice(&reader, blob, offset..end, &mut chunk)?;
        part.feed_past_end(&chunk);
        offset = end;
    }
    match place.member {
        0 => wait_as_lead(WaitingLead::Parts(Box::new((part, request.clone())))),
        _ => shared(&part.finish()),
    }
}

/// The analysis the page asked for: format, detectors, baseline, classifier, training.
fn options_of(request: &WorkerRequest<Blob>) -> Result<AnalysisOptions, String> {
    // The core has no clock; the worker's says what "now" is, for logs without years (a
    // team's members are all given the page's, so they agree).
    let now = LogTime {
        epoch_secs: request.team.map_or_else(
            || (js_sys::Date::now() / 1000.0) as i64,
            |place| place.now_secs,
        ),
        offset_secs: 0,
    };
    let baseline = match (&request.baseline, request.learn) {
        (_, true) => BaselineUse::Learn,
        (Some(json), false) => BaselineUse::Apply(std::sync::Arc::new(
            Baseline::from_json(json).map_err(|e| format!("The baseline cannot be used: {e}."))?,
        )),
        (None, false) => BaselineUse::Own,
    };
    let classifier = match &request.classifier {
        Some(json) => Some(std::sync::Arc::new(
            ClassifierFile::from_json(json)
                .map_err(|e| format!("The classifier cannot be used: {e}."))?,
        )),
        None => None,
    };
    Ok(AnalysisOptions {
        baseline,
        classifier,
        train_classifier: request.train,
        now,
        format: request.format,
        detection: if request.summary_only {
            DetectionOptions::none()
        } else {
            request.detection.clone().unwrap_or_default()
        },
        ..AnalysisOptions::default()
    })
}

/// The text of lines `wanted` of `blob`, read again; stops at the last one.
fn find_lines(blob: &Blob, wanted: Vec<u64>) -> Result<Vec<NumberedLine>, String> {
    let collector = std::cell::RefCell::new(LineCollector::new(wanted));
    stream_blob(
        blob,
        |log| collector.borrow_mut().feed(log),
        |_| Ok(!collector.borrow().is_complete()),
    )?;
    Ok(collector.into_inner().finish())
}

/// Reads `blob` in slices, inflating it if it is gzip, and hands the bytes to `feed`;
/// after each slice, `after_slice(bytes read so far)` says whether to go on.
fn stream_blob(
    blob: &Blob,
    mut feed: impl FnMut(&[u8]),
    mut after_slice: impl FnMut(u64) -> Result<bool, String>,
) -> Result<(), String> {
    let reader = FileReaderSync::new().map_err(|e| js_error::describe(&e))?;
    // A Blob's size is an integral number of bytes, exactly representable up to 2^53.
    let total_bytes = blob.size() as u64;
    // A .gz file is inflated slice by slice, like the rest never whole in memory.
    let mut decoder = InputDecoder::new();
    let mut chunk = Vec::new();
    let mut offset = 0;
    while offset < total_bytes {
        let end = (offset + SLICE_BYTES).min(total_bytes);
        read_slice(&reader, blob, offset..end, &mut chunk)?;
        decoder.feed(&chunk, &mut feed).map_err(|e| e.to_string())?;
        offset = end;
        if !after_slice(offset)? {
            return Ok(());
        }
    }
    decoder.finish(&mut feed).map_err(|e| e.to_string())
}

/// Reads bytes `range` of `blob` into `chunk`.
fn read_slice(
    reader: &FileReaderSync,
    blob: &Blob,
    range: std::ops::Range<u64>,
    chunk: &mut Vec<u8>,
) -> Result<(), String> {
    let slice = blob
        .slice_with_f64_and_f64(range.start as f64, range.end as f64)
        .map_err(|e| js_error::describe(&e))?;
    let buffer = reader.read_as_array_buffer(&slice).map_err(|e| {
        format!(
            "The file could not be read at byte {}: {}",
            range.start,
            js_error::describe(&e)
        )
    })?;
    let bytes = Uint8Array::new(&buffer);
    chunk.resize(bytes.length() as usize, 0);
    bytes.copy_to(chunk);
    Ok(())
}

/// Posts an event to the page. 64-bit numbers travel as BigInt when they exceed what a JS
/// number holds exactly (a hostile log can claim a 2^60-byte response).
fn post(scope: &DedicatedWorkerGlobalScope, event: &WorkerEvent) -> Result<(), String> {
    let serializer =
        serde_wasm_bindgen::Serializer::new().serialize_large_number_types_as_bigints(true);
    let message = event.serialize(&serializer).map_err(|e| e.to_string())?;
    scope
        .post_message(&message)
        .map_err(|e| js_error::describe(&e))
}

/// The size of this worker's WebAssembly memory, in bytes.
fn wasm_memory_bytes() -> u64 {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length()
        .into()
}
