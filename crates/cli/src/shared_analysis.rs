//! One analysis shared between threads.
//!
//! The calling thread reads (and inflates) the input; each member of an
//! [`Analysis::team`] runs in a thread of its own, gets every chunk, and runs its share of
//! the detectors. The first member waits for the others' findings and puts the outcome
//! together: exactly what one analysis would have given, sooner on a machine with cores
//! to spare.

use crate::input::Inputs;
use loglens_core::{Analysis, AnalysisOptions, Outcome, SharedWork};
use std::sync::Arc;
use std::sync::mpsc;

/// Chunks waiting for a member before the reader waits for it: enough to ride out a
/// slow moment, few enough that memory stays small (chunks are 256 KB at most).
const QUEUED_CHUNKS: usize = 16;

/// Reads `inputs` once and analyses them with `threads` threads (one reads the others'
/// input: with one thread, that one does everything).
pub fn analyze(
    inputs: &Inputs,
    options: AnalysisOptions,
    threads: usize,
) -> anyhow::Result<Outcome> {
    let progress = inputs.progress_bar();
    let mut team = Analysis::team(options, threads);
    if team.len() == 1 {
        let mut analysis = team.remove(0);
        inputs.stream(&progress, |bytes| {
            analysis.feed(bytes);
            true
        })?;
        progress.finish_and_clear();
        return Ok(analysis.finish_outcome());
    }
    let helpers = team.len() - 1;
    std::thread::scope(|scope| {
        let (share_sender, shares) = mpsc::channel::<SharedWork>();
        let mut shares = Some(shares);
        let mut chunk_senders = Vec::new();
        let mut lead = None;
        for (index, mut member) in team.into_iter().enumerate() {
            let (chunk_sender, chunks) = mpsc::sync_channel::<Arc<[u8]>>(QUEUED_CHUNKS);
            chunk_senders.push(chunk_sender);
            if let (0, Some(shares)) = (index, shares.take()) {
                lead = Some(scope.spawn(move || {
                    for chunk in chunks {
                        member.feed(&chunk);
                    }
                    let shares: Vec<SharedWork> = shares.iter().take(helpers).collect();
                    (shares.len() == helpers).then(|| member.finish_team(shares))
                }));
            } else {
                let share_sender = share_sender.clone();
                scope.spawn(move || {
                    for chunk in chunks {
                        member.feed(&chunk);
                    }
                    // The lead only goes away if it failed, which it reports.
                    let _ = share_sender.send(member.finish_share());
                });
            }
        }
        drop(share_sender);
        let read = inputs.stream(&progress, |bytes| {
            let chunk: Arc<[u8]> = Arc::from(bytes);
            // A member that stopped has failed; the join below says so.
            chunk_senders
                .iter()
                .all(|sender| sender.send(Arc::clone(&chunk)).is_ok())
        });
        drop(chunk_senders);
        progress.finish_and_clear();
        let outcome = lead.map(|lead| lead.join());
        read?;
        match outcome {
            Some(Ok(Some(outcome))) => Ok(outcome),
            _ => anyhow::bail!("an analysis thread failed"),
        }
    })
}
