//! The analysis Web Worker: reads the posted `Blob` as a stream and runs the core on it.
//!
//! It runs off the page's thread, so a large file never freezes the page. It reads the
//! `Blob`'s `ReadableStream`, one piece at a time, so memory holds a piece and the
//! analysis' aggregates, never the file. Cancelling is the page terminating the worker,
//! which stops it wherever it is. It also does the page's small jobs that need the
//! engine (pseudonymising, checking rules), so the page's own module carries none of it.

use crate::js_error;
use crate::protocol::{AnalyzeChoices, TeamPlace, WorkerEvent, WorkerRequest};
use crate::relay::{RelayOut, read_relayed};
use js_sys::Uint8Array;
use loglens_core::detect::rules_from_json;
use loglens_core::line_collector::{LineCollector, NumberedLine};
use loglens_core::pseudonym::Pseudonymizer;
use loglens_core::query::{MatchTable, Query, QueryOutcome, QueryScan};
use loglens_core::supervised::ClassifierFile;
use loglens_core::{
    Analysis, AnalysisOptions, Baseline, BaselineUse, DetectionOptions, InputDecoder,
    LeadAwaitingShares, LogFormat, LogTime, MAX_USEFUL_TEAM, MemberFindings, Outcome,
};
use serde::Serialize;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, DedicatedWorkerGlobalScope, MessageEvent, MessagePort, ReadableStreamDefaultReader,
};

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
    let request: WorkerRequest = serde_wasm_bindgen::from_value(message.clone())
        .map_err(|e| format!("The analysis worker was sent a request it cannot read: {e}"))?;
    match request {
        WorkerRequest::Analyze {
            input,
            choices,
            team,
            relay,
        } => {
            let ports: Vec<MessagePort> = relay.iter().map(JsCast::unchecked_into).collect();
            analyze(scope, &input, &choices, team, ports).await
        }
        WorkerRequest::FinishTeam { shares } => Ok(finish_lead(shares)?.map(done)),
        WorkerRequest::FollowStart { input, choices } => {
            let analysis = Analysis::new(options_of(&choices, None)?);
            follow(&input, analysis).await
        }
        WorkerRequest::FollowMore { input } => {
            let analysis = FOLLOWED
                .with_borrow_mut(Option::take)
                .ok_or("Nothing is being followed: open the file again.")?;
            follow(&input, analysis).await
        }
        WorkerRequest::FindLines { input, lines } => Ok(Some(WorkerEvent::Lines {
            lines: find_lines(&input, lines).await?,
        })),
        WorkerRequest::Query {
            input,
            query,
            format,
            skip,
            keep,
            inventory,
        } => run_query(scope, &input, &query, format, (skip, keep), inventory)
            .await
            .map(|outcome| {
                Some(WorkerEvent::Queried {
                    outcome: Box::new(outcome),
                })
            }),
        WorkerRequest::QueryTable {
            input,
            query,
            format,
        } => {
            let (csv, rows, left_out) = query_table(&input, &query, format).await?;
            Ok(Some(WorkerEvent::QueryTable {
                csv,
                rows,
                left_out,
            }))
        }
        WorkerRequest::Hide {
            report,
            mode,
            source,
            mut lines,
        } => {
            let mut hider = Pseudonymizer::new(mode);
            let report = Box::new(hider.export(&report, &mut lines));
            let source = hider.source_name(&source);
            Ok(Some(WorkerEvent::Hidden {
                report,
                source,
                lines,
            }))
        }
        WorkerRequest::CheckRule { rule } => Ok(Some(WorkerEvent::RuleChecked {
            problem: rule.check().err(),
        })),
        WorkerRequest::ReadRules { text } => Ok(Some(WorkerEvent::RulesRead {
            rules: rules_from_json(&text),
        })),
        WorkerRequest::CheckSigma { rules } => Ok(Some(WorkerEvent::SigmaChecked {
            refused: serde_json::from_str::<Vec<serde_json::Value>>(&rules)
                .map(|documents| {
                    loglens_core::sigma::SigmaSet::compile(&documents)
                        .refused()
                        .to_vec()
                })
                .map_err(|e| format!("not a list of Sigma rules: {e}")),
        })),
    }
}

thread_local! {
    /// The analysis of the file being followed, kept between its steps.
    static FOLLOWED: std::cell::RefCell<Option<Analysis>> = const { std::cell::RefCell::new(None) };
    /// As the first member of a team: what has read its input and waits for the others'
    /// work.
    static WAITING_LEAD: std::cell::RefCell<Option<LeadAwaitingShares>> = const { std::cell::RefCell::new(None) };
    /// As the first member of a team: the others' work, when it came before this worker
    /// had read its own input (messages posted while the engine loads are replayed late).
    static WAITING_SHARES: std::cell::RefCell<Option<Vec<String>>> = const { std::cell::RefCell::new(None) };
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
fn finish_with(lead: LeadAwaitingShares, shares: &[String]) -> Result<Outcome, String> {
    let shares = shares
        .iter()
        .map(|json| serde_json::from_str::<MemberFindings>(json))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("A part of the shared analysis could not be read: {e}"))?;
    lead.finish_team(shares)
        .map_err(|problem| format!("The analysis could not be completed: {problem}."))
}

/// Feeds the followed `analysis` `input` (the file so far, or what was appended), keeps
/// it for the next step, and answers with the report so far.
async fn follow(input: &Blob, mut analysis: Analysis) -> Result<Option<WorkerEvent>, String> {
    stream(
        Source::File(input, None),
        |log| analysis.feed(log),
        |_| Ok(true),
    )
    .await?;
    let report = analysis.snapshot();
    FOLLOWED.with_borrow_mut(|followed| *followed = Some(analysis));
    Ok(Some(done(Outcome {
        report,
        baseline: None,
        classifier: None,
    })))
}

/// Reads `input`: alone, the outcome; as the first member of a team, nothing yet (the
/// analysis waits for the others' work); as another member, its work.
/// Analyses `input` alone or as a member of a team; `ports` are the team's relay (see
/// [`crate::relay`]): the first member's to the others, or another member's from it.
async fn analyze(
    scope: &DedicatedWorkerGlobalScope,
    input: &Blob,
    choices: &AnalyzeChoices,
    team: Option<TeamPlace>,
    ports: Vec<MessagePort>,
) -> Result<Option<WorkerEvent>, String> {
    let options = options_of(choices, team.map(|place| place.now_secs))?;
    let analysis = match team {
        None => Analysis::new(options),
        Some(TeamPlace { member, of, .. }) => (of <= MAX_USEFUL_TEAM)
            .then(|| Analysis::team_member(options, of, member))
            .flatten()
            .ok_or("This analysis cannot be shared between workers.")?,
    };
    let first = team.is_none_or(|place| place.member == 0);
    let relay_out = (first && !ports.is_empty()).then(|| RelayOut::new(ports.clone()));
    let source = match (first, ports.first()) {
        (false, Some(port)) => Source::Relayed(port),
        _ => Source::File(input, relay_out.as_ref()),
    };
    let analysis = read_all(scope, source, input.size() as u64, analysis, first).await?;
    drop(relay_out);
    match team {
        None => Ok(Some(done(analysis.finish_outcome()))),
        Some(TeamPlace { member: 0, .. }) => {
            // Its own detectors are finished while the others may still finish theirs.
            let lead = analysis.close_lead();
            match WAITING_SHARES.with_borrow_mut(Option::take) {
                Some(shares) => finish_with(lead, &shares).map(|outcome| Some(done(outcome))),
                None => {
                    WAITING_LEAD.with_borrow_mut(|waiting| *waiting = Some(lead));
                    Ok(None)
                }
            }
        }
        Some(_) => {
            let work = serde_json::to_string(&analysis.finish_share())
                .map_err(|e| format!("A part of the shared analysis could not be sent: {e}"))?;
            Ok(Some(WorkerEvent::Shared {
                work,
                memory_bytes: wasm_memory_bytes(),
            }))
        }
    }
}

/// `analysis` having read all of `source` (`total_bytes` long), progress posted on the
/// way when `reports_progress`.
async fn read_all(
    scope: &DedicatedWorkerGlobalScope,
    source: Source<'_>,
    total_bytes: u64,
    analysis: Analysis,
    reports_progress: bool,
) -> Result<Analysis, String> {
    let analysis = std::cell::RefCell::new(analysis);
    let mut reported = 0;
    stream(
        source,
        |log| analysis.borrow_mut().feed(log),
        |offset| {
            if !reports_progress || offset < reported + PROGRESS_EVERY_BYTES {
                return Ok(true);
            }
            reported = offset;
            let progress = analysis.borrow().progress();
            let event = WorkerEvent::Progress {
                bytes_read: progress.bytes_read.max(offset),
                total_bytes,
                lines: progress.lines,
            };
            post(scope, &event)
                .map_err(|problem| format!("Progress could not be sent to the page: {problem}"))?;
            Ok(true)
        },
    )
    .await?;
    Ok(analysis.into_inner())
}

/// The analysis the page asked for: format, detectors, baseline, classifier, training.
/// "Now" is `now_secs` when the page gives it (a team's members all read yearless times
/// alike), else the worker's clock: the core has none.
fn options_of(choices: &AnalyzeChoices, now_secs: Option<i64>) -> Result<AnalysisOptions, String> {
    let now = match now_secs {
        Some(epoch_secs) => LogTime {
            epoch_secs,
            offset_secs: 0,
        },
        None => clock_now(),
    };
    let baseline = match (&choices.baseline, choices.learn) {
        (_, true) => BaselineUse::Learn,
        (Some(json), false) => BaselineUse::Apply(std::sync::Arc::new(
            Baseline::from_json(json).map_err(|e| format!("The baseline cannot be used: {e}."))?,
        )),
        (None, false) => BaselineUse::Own,
    };
    let classifier = match &choices.classifier {
        Some(json) => Some(std::sync::Arc::new(
            ClassifierFile::from_json(json)
                .map_err(|e| format!("The classifier cannot be used: {e}."))?,
        )),
        None => None,
    };
    Ok(AnalysisOptions {
        baseline,
        classifier,
        train_classifier: choices.train,
        now,
        format: choices.format,
        detection: if choices.summary_only {
            DetectionOptions::none()
        } else {
            choices.detection.clone()
        },
        ..AnalysisOptions::default()
    })
}

/// "Now" by the worker's clock: the core has none.
fn clock_now() -> LogTime {
    LogTime {
        epoch_secs: (js_sys::Date::now() / 1000.0) as i64,
        offset_secs: 0,
    }
}

/// A scan for the query `text`, or why it cannot be read.
fn scan_for(
    text: &str,
    format: Option<LogFormat>,
    skip: u64,
    keep: usize,
) -> Result<QueryScan, String> {
    let query = Query::parse(text).map_err(|e| format!("The query cannot be read {e}."))?;
    Ok(QueryScan::new(query, format, clock_now(), skip, keep))
}

/// Runs `query` over `blob`, posting the matches so far on the way.
async fn run_query(
    scope: &DedicatedWorkerGlobalScope,
    blob: &Blob,
    query: &str,
    format: Option<LogFormat>,
    (skip, keep): (u64, usize),
    inventory: bool,
) -> Result<QueryOutcome, String> {
    let scan = scan_for(query, format, skip, keep)?;
    let scan = std::cell::RefCell::new(if inventory {
        scan.with_inventory()
    } else {
        scan
    });
    let total_bytes = blob.size() as u64;
    let mut reported = 0;
    stream(
        Source::File(blob, None),
        |log| scan.borrow_mut().feed(log),
        |offset| {
            if offset < reported + PROGRESS_EVERY_BYTES {
                return Ok(true);
            }
            reported = offset;
            let event = {
                let scan = scan.borrow();
                let (_, matched, lines) = scan.so_far();
                WorkerEvent::QueryProgress {
                    bytes_read: offset,
                    total_bytes,
                    matched,
                    lines: lines.to_vec(),
                }
            };
            post(scope, &event)
                .map_err(|problem| format!("Progress could not be sent to the page: {problem}"))?;
            Ok(true)
        },
    )
    .await?;
    Ok(scan.into_inner().finish())
}

/// Every line of `blob` that `query` matches, as CSV (see `MatchTable`): the text, its
/// rows, and the matching lines past the cap.
async fn query_table(
    blob: &Blob,
    query: &str,
    format: Option<LogFormat>,
) -> Result<(String, u64, u64), String> {
    let scan = std::cell::RefCell::new(scan_for(query, format, 0, 0)?);
    let table = std::cell::RefCell::new(MatchTable::default());
    stream(
        Source::File(blob, None),
        |log| {
            scan.borrow_mut()
                .feed_each(log, |line, event| table.borrow_mut().add(line, event));
        },
        |_| Ok(true),
    )
    .await?;
    scan.into_inner()
        .finish_each(|line, event| table.borrow_mut().add(line, event));
    Ok(table.into_inner().finish())
}

/// The text of lines `wanted` of `blob`, read again; stops at the last one.
async fn find_lines(blob: &Blob, wanted: Vec<u64>) -> Result<Vec<NumberedLine>, String> {
    let collector = std::cell::RefCell::new(LineCollector::new(wanted));
    stream(
        Source::File(blob, None),
        |log| collector.borrow_mut().feed(log),
        |_| Ok(!collector.borrow().is_complete()),
    )
    .await?;
    Ok(collector.into_inner().finish())
}

/// Where a worker reads its input.
enum Source<'a> {
    /// The file itself, each piece passed on to the rest of a team if there is one.
    File(&'a Blob, Option<&'a RelayOut>),
    /// The pieces a team's first member passes on.
    Relayed(&'a MessagePort),
}

/// Reads `source`, inflating it if it is gzip, and hands the bytes to `feed`; after each
/// piece read, `after_piece(bytes read so far)` says whether to go on.
async fn stream(
    source: Source<'_>,
    mut feed: impl FnMut(&[u8]),
    mut after_piece: impl FnMut(u64) -> Result<bool, String>,
) -> Result<(), String> {
    // A .gz file is inflated piece by piece, like the rest never whole in memory.
    let mut decoder = InputDecoder::new();
    let mut offset = 0;
    let take = |piece: &[u8]| {
        decoder.feed(piece, &mut feed).map_err(|e| e.to_string())?;
        offset += piece.len() as u64;
        after_piece(offset)
    };
    match source {
        Source::File(blob, relay) => read_stream(blob, relay, take).await?,
        Source::Relayed(port) => read_relayed(port, take).await?,
    }
    decoder.finish(&mut feed).map_err(|e| e.to_string())
}

/// Reads `blob` front to back through its `ReadableStream` (in Chromium, twice as fast as
/// `FileReaderSync` slices), passing each piece on through `relay` and handing it to
/// `take`, which says whether to go on.
async fn read_stream(
    blob: &Blob,
    relay: Option<&RelayOut>,
    mut take: impl FnMut(&[u8]) -> Result<bool, String>,
) -> Result<(), String> {
    let reader: ReadableStreamDefaultReader = blob.stream().get_reader().unchecked_into();
    let mut piece = Vec::new();
    let mut offset: u64 = 0;
    loop {
        let read = JsFuture::from(reader.read()).await.map_err(|e| {
            format!(
                "The file could not be read at byte {offset}: {}",
                js_error::describe(&e)
            )
        })?;
        let field = |name: &str| js_sys::Reflect::get(&read, &name.into()).unwrap_or_default();
        if field("done").is_truthy() {
            return relay.map_or(Ok(()), RelayOut::end);
        }
        let bytes: Uint8Array = field("value").unchecked_into();
        piece.resize(bytes.length() as usize, 0);
        bytes.copy_to(&mut piece);
        offset += piece.len() as u64;
        if let Some(relay) = relay {
            // Sent before this worker reads it, so the others read it meanwhile.
            relay.pass_on(&bytes).await?;
        }
        if !take(&piece)? {
            // Nothing more is wanted: let the browser stop reading.
            let _ = reader.cancel();
            return relay.map_or(Ok(()), RelayOut::end);
        }
    }
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
