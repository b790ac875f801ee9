//! One analysis on several threads: a team (see [`Analysis::team`]) with a thread per
//! member. The first member reads (and inflates) the input and hands each chunk on to the
//! others; every member runs its share of the detectors over every chunk. The first then
//! waits for the others' findings and puts together exactly the outcome one analysis
//! would have given. Std's scoped threads and bounded channels are all this needs.

use crate::input::{Chunk, Inputs};
use loglens_core::{Analysis, AnalysisOptions, MAX_USEFUL_TEAM, MemberFindings, Outcome};
use std::sync::mpsc;

/// Chunks waiting for a member before the first waits for it: enough to ride out a slow
/// moment, few enough that memory stays small (a chunk is 512 KB read, or what 8 KB of a
/// `.gz` inflates to).
const QUEUED_CHUNKS: usize = 4;

/// Analyses `inputs` with up to `threads` threads: a team of up to that many members (at
/// most [`MAX_USEFUL_TEAM`]; one when the analysis cannot be shared: then it runs here).
pub fn analyze(
    inputs: &Inputs,
    options: AnalysisOptions,
    threads: usize,
) -> anyhow::Result<Outcome> {
    let progress = inputs.progress_bar();
    let mut team = Analysis::team(options, threads.min(MAX_USEFUL_TEAM));
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
    let mut members = team.into_iter();
    let Some(mut lead_member) = members.next() else {
        anyhow::bail!("the analysis has no first member");
    };
    std::thread::scope(|scope| {
        let (share_sender, shares) = mpsc::channel::<MemberFindings>();
        let mut senders = Vec::new();
        let mut helper_threads = Vec::new();
        for mut member in members {
            let (sender, chunks) = mpsc::sync_channel::<Chunk>(QUEUED_CHUNKS);
            senders.push(sender);
            let share_sender = share_sender.clone();
            helper_threads.push(scope.spawn(move || {
                for chunk in chunks {
                    member.feed(&chunk);
                }
                // The first member only goes away if it failed, which its join reports.
                let _ = share_sender.send(member.finish_share());
            }));
        }
        drop(share_sender);
        let progress = &progress;
        let lead = scope.spawn(move || {
            let read = inputs.stream_shared(progress, |chunk| {
                lead_member.feed(&chunk);
                // A member that stopped has failed; its join says how.
                senders
                    .iter()
                    .all(|sender| sender.send(chunk.clone()).is_ok())
            });
            drop(senders);
            progress.finish_and_clear();
            // Its own detectors are finished while the others finish theirs.
            let lead_member = lead_member.close_lead();
            // Ends early if a helper failed: its sender is gone.
            let shares: Vec<MemberFindings> = shares.iter().take(helpers).collect();
            read.map(|()| lead_member.finish_team(shares))
        });
        let helper_panic = helper_threads
            .into_iter()
            .filter_map(|thread| thread.join().err())
            .next();
        let outcome = lead.join();
        if let Some(panic) = helper_panic {
            anyhow::bail!("an analysis thread failed: {}", panic_message(&*panic));
        }
        match outcome {
            Ok(outcome) => Ok(outcome??),
            Err(panic) => anyhow::bail!("an analysis thread failed: {}", panic_message(&*panic)),
        }
    })
}

/// What a panicking thread said, when it said it in words.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("it stopped without saying why")
}
