//! The analysis Web Worker: reads the posted `Blob` as a stream and runs the core on it.
//!
//! It runs off the page's thread, so a large file never freezes the page. It reads the
//! `Blob`'s `ReadableStream`, one piece at a time, so memory holds a piece and the
//! analysis' aggregates, never the file. Cancelling is the page terminating the worker,
//! which stops it wherever it is.

use crate::js_error;
use crate::protocol::{FollowStep, TeamPlace, WorkerEvent, WorkerRequest};
use js_sys::Uint8Array;
use loglens_core::line_collector::{LineCollector, NumberedLine};
use loglens_core::supervised::ClassifierFile;
use loglens_core::{
    Analysis, AnalysisOptions, Baseline, BaselineUse, ClosedLead, DetectionOptions, FilePart,
    InputDecoder, LogTime, Outcome, PLAN_SAMPLE_BYTES, PartPlan, PartSummary, PartsError, Report,
};
use serde::Serialize;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent, ReadableStreamDefaultReader};

/// Bytes read between two progress events: several a second, few enough to cost nothing.
const PROGRESS_EVERY_BYTES: u64 = 1 << 22;

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
        let scope = handler_scope.clone();
        // Each request runs as a task of its own; tasks interleave wherever one waits for
        // the file. The state kept between requests (below) is taken or put back between
        // waits, never held across one.
        wasm_bindgen_futures::spawn_local(async move {
            let last = match answer(&scope, &event.data()).await {
                Ok(Some(event)) => event,
                // The first member of a team waits for the others' work.
                Ok(None) => return,
                Err(message) => WorkerEvent::Failed { message },
            };
            if let Err(problem) = post(&scope, &last) {
                // The page must hear that the analysis ended, even when the report cannot
                // travel.
                let message = format!("The report could not be sent to the page: {problem}");
                if let Err(problem) = post(&scope, &WorkerEvent::Failed { message }) {
                    web_sys::console::error_1(
                        &format!("loglens worker cannot reach the page: {problem}").into(),
                    );
                }
            }
        });
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
}

/// The last event of a request: its answer, or nothing (yet).
async fn answer(
    scope: &DedicatedWorkerGlobalScope,
    message: &JsValue,
) -> Result<Option<WorkerEvent>, String> {
    match WorkerRequest::from_js(message) {
        Some(WorkerRequest {
            input,
            lines: Some(lines),
            ..
        }) => Ok(Some(WorkerEvent::Lines {
            lines: find_lines(&input, lines).await?,
        })),
        Some(WorkerRequest {
            shares: Some(shares),
            ..
        }) => Ok(finish_lead(scope, shares).await?.map(done)),
        Some(
            request @ WorkerRequest {
                follow: Some(step), ..
            },
        ) => follow(&request, step).await.map(|report| {
            Some(done(Outcome {
                report,
                baseline: None,
                classifier: None,
            }))
        }),
        Some(request) => analyze(scope, &request).await,
        None => Err("The analysis worker was sent something that is not a file.".to_owned()),
    }
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
    /// A share of the detectors (`Analysis::team`), its own already finished: the others
    /// send `SharedWork`.
    Detectors(Box<ClosedLead>),
    /// The first part of a quick look read in parts (`PartPlan`): the others send
    /// `PartSummary`.
    Parts(Box<FirstPart>),
}

/// The first part of a quick look read in parts, and its request, kept to read the file
/// again in one part if the parts cannot be put together exactly.
struct FirstPart {
    part: FilePart,
    request: WorkerRequest<Blob>,
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
async fn finish_lead(
    scope: &DedicatedWorkerGlobalScope,
    shares: Vec<String>,
) -> Result<Option<Outcome>, String> {
    match WAITING_LEAD.with_borrow_mut(Option::take) {
        Some(lead) => finish_with(scope, lead, &shares).await.map(Some),
        None => {
            WAITING_SHARES.with_borrow_mut(|waiting| *waiting = Some(shares));
            Ok(None)
        }
    }
}

/// The outcome of a team's first member `lead`, with the others' work (JSON text).
async fn finish_with(
    scope: &DedicatedWorkerGlobalScope,
    lead: WaitingLead,
    shares: &[String],
) -> Result<Outcome, String> {
    match lead {
        WaitingLead::Detectors(lead) => lead
            .finish_team(read_shares(shares)?)
            .map_err(|problem| format!("The analysis could not be completed: {problem}.")),
        WaitingLead::Parts(first) => {
            let FirstPart { part, request } = *first;
            match part.finish_first(read_shares(shares)?) {
                Ok(outcome) => Ok(outcome),
                // Rare (millions of clients, years of minutes): read it again, in one part.
                Err(PartsError::Overflow(_)) => {
                    let analysis = Analysis::new(options_of(&request)?);
                    Ok(read_all(scope, &request.input, analysis, true)
                        .await?
                        .finish_outcome())
                }
                Err(problem) => Err(format!("The analysis could not be completed: {problem}.")),
            }
        }
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
async fn follow(request: &WorkerRequest<Blob>, step: FollowStep) -> Result<Report, String> {
    // Taken out while the file is read, and put back after (the page sends one step at
    // a time).
    let mut analysis = match step {
        FollowStep::Start => Analysis::new(options_of(request)?),
        FollowStep::More => FOLLOWED
            .with_borrow_mut(Option::take)
            .ok_or("Nothing is being followed: open the file again.")?,
    };
    stream_blob(&request.input, |log| analysis.feed(log), |_| Ok(true)).await?;
    let report = analysis.snapshot();
    FOLLOWED.with_borrow_mut(|followed| *followed = Some(analysis));
    Ok(report)
}

/// Reads the request's input: alone, the outcome; as the first member of a team, nothing
/// yet (the analysis waits for the others' work); as another member, its work.
async fn analyze(
    scope: &DedicatedWorkerGlobalScope,
    request: &WorkerRequest<Blob>,
) -> Result<Option<WorkerEvent>, String> {
    let blob = &request.input;
    let options = options_of(request)?;
    if let Some(place) = request.team
        && request.summary_only
    {
        return Box::pin(summarise_part(scope, request, options, place)).await;
    }
    let analysis = match request.team {
        None => Analysis::new(options),
        Some(TeamPlace { member, of, .. }) => Analysis::team_member(options, of, member)
            .ok_or("This analysis cannot be shared between workers.")?,
    };
    let reports_progress = request.team.is_none_or(|place| place.member == 0);
    let analysis = read_all(scope, blob, analysis, reports_progress).await?;
    match request.team {
        None => Ok(Some(done(analysis.finish_outcome()))),
        Some(TeamPlace { member: 0, .. }) => {
            // Its own detectors are finished while the others may still finish theirs.
            wait_as_lead(
                scope,
                WaitingLead::Detectors(Box::new(analysis.close_lead())),
            )
            .await
        }
        Some(_) => shared(&analysis.finish_share()),
    }
}

/// `analysis` having read all of `blob`, progress posted on the way when
/// `reports_progress`.
async fn read_all(
    scope: &DedicatedWorkerGlobalScope,
    blob: &Blob,
    analysis: Analysis,
    reports_progress: bool,
) -> Result<Analysis, String> {
    let total_bytes = blob.size() as u64;
    let analysis = std::cell::RefCell::new(analysis);
    let mut reported = 0;
    stream_blob(
        blob,
        |log| analysis.borrow_mut().feed(log),
        |offset| {
            if !reports_progress || offset < reported + PROGRESS_EVERY_BYTES {
                return Ok(true);
            }
            reported = offset;
            let progress = analysis.borrow().progress();
            post_progress(
                scope,
                progress.bytes_read.max(offset),
                total_bytes,
                progress.lines,
            )?;
            Ok(true)
        },
    )
    .await?;
    Ok(analysis.into_inner())
}

/// As the first member of a team that has read its input: the outcome, if the others'
/// work has come; otherwise nothing yet (it finishes when their work comes).
async fn wait_as_lead(
    scope: &DedicatedWorkerGlobalScope,
    lead: WaitingLead,
) -> Result<Option<WorkerEvent>, String> {
    match WAITING_SHARES.with_borrow_mut(Option::take) {
        Some(shares) => finish_with(scope, lead, &shares)
            .await
            .map(|outcome| Some(done(outcome))),
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
async fn summarise_part(
    scope: &DedicatedWorkerGlobalScope,
    request: &WorkerRequest<Blob>,
    options: AnalysisOptions,
    place: TeamPlace,
) -> Result<Option<WorkerEvent>, String> {
    let blob = &request.input;
    let total_bytes = blob.size() as u64;
    let mut start = Vec::new();
    read_stream(&slice(blob, 0, PLAN_SAMPLE_BYTES as u64)?, 0, |piece| {
        start.extend_from_slice(piece);
        Ok(true)
    })
    .await?;
    let plan = PartPlan::new(&options, &start, total_bytes, place.of);
    drop(start);
    if plan.parts() == 1 {
        return match place.member {
            0 => {
                let alone = WorkerRequest {
                    team: None,
                    ..request.clone()
                };
                Box::pin(analyze(scope, &alone)).await
            }
            _ => Ok(None),
        };
    }
    let Some(mut part) = plan.part(options, place.member) else {
        return shared(&PartSummary::nothing());
    };
    let range = part.range();
    let mut offset = part.first_byte();
    let mut reported = offset;
    read_stream(&slice(blob, offset, range.end)?, offset, |piece| {
        part.feed(piece);
        offset += piece.len() as u64;
        if place.member == 0 && offset >= reported + PROGRESS_EVERY_BYTES {
            reported = offset;
            // The parts read at about the same pace: the first one's share of its range
            // stands for the whole file's.
            let done = (offset - range.start) as f64 / (range.end - range.start).max(1) as f64;
            let lines = part.progress().lines * plan.parts() as u64;
            post_progress(
                scope,
                (done * total_bytes as f64) as u64,
                total_bytes,
                lines,
            )?;
        }
        Ok(true)
    })
    .await?;
    if part.wants_more() {
        read_stream(&slice(blob, range.end, total_bytes)?, range.end, |piece| {
            Ok(part.feed_past_end(piece))
        })
        .await?;
    }
    match place.member {
        0 => {
            let first = FirstPart {
                part,
                request: request.clone(),
            };
            wait_as_lead(scope, WaitingLead::Parts(Box::new(first))).await
        }
        _ => shared(&part.finish()),
    }
}

/// Posts how far the reading has got.
fn post_progress(
    scope: &DedicatedWorkerGlobalScope,
    bytes_read: u64,
    total_bytes: u64,
    lines: u64,
) -> Result<(), String> {
    post(
        scope,
        &WorkerEvent::Progress {
            bytes_read,
            total_bytes,
            lines,
        },
    )
    .map_err(|problem| format!("Progress could not be sent to the page: {problem}"))
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
async fn find_lines(blob: &Blob, wanted: Vec<u64>) -> Result<Vec<NumberedLine>, String> {
    let collector = std::cell::RefCell::new(LineCollector::new(wanted));
    stream_blob(
        blob,
        |log| collector.borrow_mut().feed(log),
        |_| Ok(!collector.borrow().is_complete()),
    )
    .await?;
    Ok(collector.into_inner().finish())
}

/// Reads `blob`, inflating it if it is gzip, and hands the bytes to `feed`; after each
/// piece read, `after_piece(bytes read so far)` says whether to go on.
async fn stream_blob(
    blob: &Blob,
    mut feed: impl FnMut(&[u8]),
    mut after_piece: impl FnMut(u64) -> Result<bool, String>,
) -> Result<(), String> {
    // A .gz file is inflated piece by piece, like the rest never whole in memory.
    let mut decoder = InputDecoder::new();
    let mut offset = 0;
    read_stream(blob, 0, |piece| {
        decoder.feed(piece, &mut feed).map_err(|e| e.to_string())?;
        offset += piece.len() as u64;
        after_piece(offset)
    })
    .await?;
    decoder.finish(&mut feed).map_err(|e| e.to_string())
}

/// Reads `blob` (which starts at byte `from` of the file, for messages) front to back
/// through its `ReadableStream` (twice as fast as
/// `FileReaderSync` slices of 4 MB: 2.2 GB in 1.4 to 1.8 s against 3.3 s in Chromium),
/// handing each piece to `take`, which says whether to go on.
async fn read_stream(
    blob: &Blob,
    from: u64,
    mut take: impl FnMut(&[u8]) -> Result<bool, String>,
) -> Result<(), String> {
    let reader: ReadableStreamDefaultReader = blob.stream().get_reader().unchecked_into();
    let mut piece = Vec::new();
    let mut offset = from;
    loop {
        let read = JsFuture::from(reader.read()).await.map_err(|e| {
            format!(
                "The file could not be read at byte {offset}: {}",
                js_error::describe(&e)
            )
        })?;
        let field = |name: &str| js_sys::Reflect::get(&read, &name.into()).unwrap_or_default();
        if field("done").is_truthy() {
            return Ok(());
        }
        let bytes: Uint8Array = field("value").unchecked_into();
        piece.resize(bytes.length() as usize, 0);
        bytes.copy_to(&mut piece);
        offset += piece.len() as u64;
        if !take(&piece)? {
            // Nothing more is wanted: let the browser stop reading.
            let _ = reader.cancel();
            return Ok(());
        }
    }
}

/// Bytes `start..end` of `blob` (clamped to its size).
fn slice(blob: &Blob, start: u64, end: u64) -> Result<Blob, String> {
    blob.slice_with_f64_and_f64(start as f64, end as f64)
        .map_err(|e| js_error::describe(&e))
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
