//! One analysis shared between threads.
//!
//! A summary of one large file is read in parts, a thread for each (see
//! [`crate::file_in_parts`]). Otherwise the calling thread reads (and inflates) the input;
//! each member of an [`Analysis::team_sharing_parse`] runs in a thread of its own, gets
//! every chunk, and runs its share of the detectors. The first member also parses for all:
//! it says where each access-log line's fields lie, and the others rebuild the records
//! from that rather than parsing again. It waits for the others' findings and puts the
//! outcome together. Either way the outcome is exactly what one analysis would
//! have given, sooner on a machine with cores to spare.

use crate::file_in_parts;
use crate::input::{Chunk, Inputs};
use crate::reuse_pool::ReusePool;
use loglens_core::{Analysis, AnalysisOptions, MAX_USEFUL_TEAM, Outcome, ParsedLines, SharedWork};
use std::sync::Arc;
use std::sync::mpsc;

/// Chunks waiting for a member before the reader waits for it: enough to ride out a slow
/// moment, few enough that memory stays small (a chunk is 1 MB read, or what 8 KB of a
/// `.gz` inflates to). Four timed as fast as sixteen.
const QUEUED_CHUNKS: usize = 4;

/// Analyses `inputs` with up to `members` threads: a summary of one large file in parts;
/// otherwise read once, on this thread, by a team of up to `members` (at most
/// [`MAX_USEFUL_TEAM`]; one when the analysis cannot be shared: then it runs here).
pub fn analyze(
    inputs: &Inputs,
    options: AnalysisOptions,
    members: usize,
) -> anyhow::Result<Outcome> {
    let progress = inputs.progress_bar();
    if members > 1
        && let Some(path) = inputs.single_file()
        && let Some(outcome) = file_in_parts::analyze(path, &options, members, &progress)?
    {
        progress.finish_and_clear();
        return Ok(outcome);
    }
    let mut team = Analysis::team_sharing_parse(options, members.min(MAX_USEFUL_TEAM));
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
        let (share_sender, shares) = mpsc::channel::<SharedWork>();
        let (lead_sender, lead_chunks) = mpsc::sync_channel::<Chunk>(QUEUED_CHUNKS);
        let mut chunk_senders = vec![lead_sender];
        let mut parsed_senders = Vec::new();
        let mut helper_threads = Vec::new();
        for mut member in members {
            let (chunk_sender, chunks) = mpsc::sync_channel::<Chunk>(QUEUED_CHUNKS);
            let (parsed_sender, parsed) = mpsc::sync_channel::<Arc<ParsedLines>>(QUEUED_CHUNKS);
            chunk_senders.push(chunk_sender);
            parsed_senders.push(parsed_sender);
            let share_sender = share_sender.clone();
            helper_threads.push(scope.spawn(move || {
                for chunk in chunks {
                    // The first member's description of the same chunk; without it (the
                    // first member failed) the lines are parsed here.
                    match parsed.recv() {
                        Ok(parsed) => member.feed_described(&chunk, &parsed),
                        Err(_) => member.feed(&chunk),
                    }
                }
                // The first member only goes away if it failed, which its join reports.
                let _ = share_sender.send(member.finish_share());
            }));
        }
        let lead = scope.spawn(move || {
            let mut descriptions = ReusePool::default();
            for chunk in lead_chunks {
                let mut parsed = descriptions.reclaim().unwrap_or_default();
                lead_member.feed_and_describe(&chunk, &mut parsed);
                let parsed = descriptions.lend(parsed);
                for sender in &parsed_senders {
                    // A helper that failed is reported by its join.
                    let _ = sender.send(Arc::clone(&parsed));
                }
            }
            drop(parsed_senders);
            // Its own detectors are finished while the others finish theirs.
            let lead_member = lead_member.close_lead();
            // Ends early if a helper failed: its sender is gone.
            let shares: Vec<SharedWork> = shares.iter().take(helpers).collect();
            lead_member.finish_team(shares)
        });
        drop(share_sender);
        let read = inputs.stream_shared(&progress, |chunk| {
            // A member that stopped has failed; its join below says how.
            chunk_senders
                .iter()
                .all(|sender| sender.send(chunk.clone()).is_ok())
        });
        drop(chunk_senders);
        progress.finish_and_clear();
        let helper_panic = helper_threads
            .into_iter()
            .filter_map(|thread| thread.join().err())
            .next();
        let outcome = lead.join();
        read?;
        if let Some(panic) = helper_panic {
            anyhow::bail!("an analysis thread failed: {}", panic_message(&*panic));
        }
        match outcome {
            Ok(outcome) => Ok(outcome?),
            Err(panic) => anyhow::bail!("an analysis thread failed: {}", panic_message(&*panic)),
        }
    })
}

/// What a panicking thread said, when it said it in words.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("it stopped without saying why")
}
