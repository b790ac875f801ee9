//! One analysis shared between threads.
//!
//! A summary of one large file is read in parts, a thread for each (see
//! [`crate::file_in_parts`]). Otherwise each member of an [`Analysis::team_sharing_parse`]
//! runs in a thread of its own and runs its share of the detectors over every chunk. The
//! first member reads (and inflates) the input and parses for all: it says where each
//! access-log line's fields lie and hands each chunk on with that description, and the
//! others rebuild the records from it rather than parsing again. It waits for the others'
//! findings and puts the outcome together. Either way the outcome is exactly what one
//! analysis would have given, sooner on a machine with cores to spare.
//!
//! Reading on a thread of its own was a third thread on two cores: the first member then
//! waited for chunks, the others for descriptions, and a core stood idle a twentieth of
//! the time (timed with the threads' run and wait times).

use crate::file_in_parts;
use crate::input::{Chunk, Inputs};
use crate::reuse_pool::ReusePool;
use loglens_core::{Analysis, AnalysisOptions, MAX_USEFUL_TEAM, Outcome, ParsedLines, SharedWork};
use std::sync::Arc;
use std::sync::mpsc;

/// Described chunks waiting for a member before the first waits for it: enough to ride
/// out a slow moment, few enough that memory stays small (a chunk is 512 KB read, or
/// what 8 KB of a `.gz` inflates to). Four timed as fast as sixteen.
const QUEUED_CHUNKS: usize = 4;

/// Analyses `inputs` with up to `options.threads` threads: a summary of one large file in
/// parts; otherwise read once by a team of up to that many members (at most
/// [`MAX_USEFUL_TEAM`]; one when the analysis cannot be shared: then it runs here).
pub fn analyze(inputs: &Inputs, options: AnalysisOptions) -> anyhow::Result<Outcome> {
    let members = options.threads;
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
        let mut senders = Vec::new();
        let mut helper_threads = Vec::new();
        for mut member in members {
            let (sender, described) = mpsc::sync_channel::<Described>(QUEUED_CHUNKS);
            senders.push(sender);
            let share_sender = share_sender.clone();
            helper_threads.push(scope.spawn(move || {
                for (chunk, parsed) in described {
                    member.feed_described(&chunk, &parsed);
                }
                // The first member only goes away if it failed, which its join reports.
                let _ = share_sender.send(member.finish_share());
            }));
        }
        drop(share_sender);
        let progress = &progress;
        let lead = scope.spawn(move || {
            let mut descriptions = ReusePool::default();
            let read = inputs.stream_shared(progress, |chunk| {
                let mut parsed = descriptions.reclaim().unwrap_or_default();
                lead_member.feed_and_describe(&chunk, &mut parsed);
                let parsed = descriptions.lend(parsed);
                // A member that stopped has failed; its join says how.
                senders
                    .iter()
                    .all(|sender| sender.send((chunk.clone(), Arc::clone(&parsed))).is_ok())
            });
            drop(senders);
            progress.finish_and_clear();
            // Its own detectors are finished while the others finish theirs.
            let lead_member = lead_member.close_lead();
            // Ends early if a helper failed: its sender is gone.
            let shares: Vec<SharedWork> = shares.iter().take(helpers).collect();
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

/// A chunk and the first member's description of it.
type Described = (Chunk, Arc<ParsedLines>);

/// What a panicking thread said, when it said it in words.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("it stopped without saying why")
}
