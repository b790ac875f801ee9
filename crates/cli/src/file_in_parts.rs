//! A summary of one file read in parts at once, a thread for each (see
//! [`loglens_core::PartPlan`]): parsing is nearly all of a summary's work, and each thread
//! parses its own range of the file.
//!
//! Every thread reads through the one handle opened here, at its own offsets, so all read
//! the same file even if it is renamed meanwhile. The summary is exactly one thread's for a
//! file that does not change while it is read; one that shrinks or grows meanwhile is read
//! again front to back.

use anyhow::Context;
use indicatif::ProgressBar;
use loglens_core::{AnalysisOptions, FilePart, Outcome, PLAN_SAMPLE_BYTES, PartPlan, PartsError};
use std::fs::File;
use std::path::Path;

/// Bytes read at a time by each part.
const READ_BYTES: usize = 1 << 20;

/// The outcome of reading `path` in up to `threads` parts, or `None` when it is read
/// better (or only) front to back: not a regular file (a pipe cannot be read twice), a
/// plan of one part, a file that changed while read, or parts that counted more than can
/// be put together exactly. Nothing is read unless the file may be cut.
pub fn analyze(
    path: &Path,
    options: &AnalysisOptions,
    threads: usize,
    progress: &ProgressBar,
) -> anyhow::Result<Option<Outcome>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let metadata_of = |file: &File| {
        file.metadata()
            .with_context(|| format!("cannot read {}", path.display()))
    };
    let metadata = metadata_of(&file)?;
    let file_bytes = metadata.len();
    if !cfg!(unix) || !metadata.is_file() || !PartPlan::may_cut(options, file_bytes) {
        return Ok(None);
    }
    let mut start = vec![0; file_bytes.min(PLAN_SAMPLE_BYTES as u64) as usize];
    let read =
        read_at(&file, &mut start, 0).with_context(|| format!("cannot read {}", path.display()))?;
    start.truncate(read);
    let plan = PartPlan::new(options, &start, file_bytes, threads);
    if plan.parts() < 2 {
        return Ok(None);
    }
    let (first, later) = std::thread::scope(|scope| {
        let later: Vec<_> = (1..plan.parts())
            .filter_map(|index| plan.part(options.clone(), index))
            .map(|part| {
                let file = &file;
                scope.spawn(move || read_part(file, part, progress))
            })
            .collect();
        let first = plan
            .part(options.clone(), 0)
            .context("the plan has no first part")
            .and_then(|part| read_part(&file, part, progress));
        let later = later
            .into_iter()
            .map(|thread| {
                thread
                    .join()
                    .unwrap_or_else(|panic| Err(thread_failed(path, &*panic)))
            })
            .collect::<anyhow::Result<Vec<_>>>();
        (first, later)
    });
    let cannot_read = || format!("cannot read {}", path.display());
    let first = first.with_context(cannot_read)?;
    let later: Option<Vec<FilePart>> = later.with_context(cannot_read)?.into_iter().collect();
    let (Some(first), Some(later)) = (first, later) else {
        // The file ended before a part's range did: it shrank while read.
        progress.reset();
        return Ok(None);
    };
    if metadata_of(&file)?.len() != file_bytes {
        progress.reset();
        return Ok(None);
    }
    let later = later.into_iter().map(FilePart::finish).collect();
    match first.finish_first(later) {
        Ok(outcome) => Ok(Some(outcome)),
        Err(PartsError::Overflow(_)) => {
            progress.reset();
            Ok(None)
        }
        Err(problem) => Err(anyhow::Error::new(problem).context(cannot_read())),
    }
}

/// Reads `part`'s range of `file`, and on past it to the end of its last line; `None`
/// if the file ended before the range did (it shrank while read).
fn read_part(
    file: &File,
    mut part: FilePart,
    progress: &ProgressBar,
) -> anyhow::Result<Option<FilePart>> {
    let mut buffer = vec![0u8; READ_BYTES];
    let mut offset = part.first_byte();
    let end = part.range().end;
    while offset < end {
        let want = usize::try_from(end - offset)
            .unwrap_or(READ_BYTES)
            .min(READ_BYTES);
        let read = read_at(file, &mut buffer[..want], offset)?;
        if read == 0 {
            return Ok(None);
        }
        part.feed(&buffer[..read]);
        progress.inc(read as u64);
        offset += read as u64;
    }
    while part.wants_more() {
        let read = read_at(file, &mut buffer, offset)?;
        if read == 0 || !part.feed_past_end(&buffer[..read]) {
            break;
        }
        offset += read as u64;
    }
    Ok(Some(part))
}

/// One read of `file` at `offset`, leaving the handle's own position alone (so threads
/// share it), retried when a signal interrupts it.
#[cfg(unix)]
fn read_at(file: &File, buffer: &mut [u8], offset: u64) -> std::io::Result<usize> {
    use std::os::unix::fs::FileExt;
    loop {
        match file.read_at(buffer, offset) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}

/// Elsewhere files are read front to back (see [`analyze`]).
#[cfg(not(unix))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> std::io::Result<usize> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// The error of a thread that panicked, with what it said.
fn thread_failed(path: &Path, panic: &(dyn std::any::Any + Send)) -> anyhow::Error {
    anyhow::anyhow!(
        "a thread reading {} failed: {}",
        path.display(),
        crate::shared_analysis::panic_message(panic)
    )
}
