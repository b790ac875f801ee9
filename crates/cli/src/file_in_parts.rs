//! A summary of one file read in parts at once, a thread for each part (see
//! [`loglens_core::PartPlan`]): parsing is nearly all of a summary's work, and each thread
//! parses its own range of the file.

use anyhow::Context;
use indicatif::ProgressBar;
use loglens_core::{AnalysisOptions, FilePart, Outcome, PLAN_SAMPLE_BYTES, PartPlan, PartsError};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// Bytes read at a time by each part.
const READ_BYTES: usize = 1 << 20;

/// The outcome of reading `path` in up to `threads` parts, or `None` when it is read
/// better (or only) in one: the plan has one part, or the parts counted more than can be
/// put together exactly.
pub fn analyze(
    path: &Path,
    options: &AnalysisOptions,
    threads: usize,
    progress: &ProgressBar,
) -> anyhow::Result<Option<Outcome>> {
    let mut file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let file_bytes = file
        .metadata()
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    let mut start = Vec::new();
    file.by_ref()
        .take(PLAN_SAMPLE_BYTES as u64)
        .read_to_end(&mut start)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let plan = PartPlan::new(options, &start, file_bytes, threads);
    if plan.parts() < 2 {
        return Ok(None);
    }
    let (first, later) = std::thread::scope(|scope| {
        let later: Vec<_> = (1..plan.parts())
            .filter_map(|index| plan.part(options.clone(), index))
            .map(|part| scope.spawn(|| read_part(path, part, progress).map(FilePart::finish)))
            .collect();
        let first = plan
            .part(options.clone(), 0)
            .context("the plan has no first part")
            .and_then(|part| read_part(path, part, progress));
        let later = later
            .into_iter()
            .map(|thread| {
                thread
                    .join()
                    .map_err(|_| anyhow::anyhow!("a thread reading {} failed", path.display()))?
            })
            .collect::<anyhow::Result<Vec<_>>>();
        (first, later)
    });
    match first?.finish_first(later?) {
        Ok(outcome) => Ok(Some(outcome)),
        Err(PartsError::Overflow(_)) => {
            progress.reset();
            Ok(None)
        }
        Err(problem) => Err(problem.into()),
    }
}

/// Reads `part`'s range of `path`, and on past it to the end of its last line.
fn read_part(path: &Path, mut part: FilePart, progress: &ProgressBar) -> anyhow::Result<FilePart> {
    let cannot_read = || format!("cannot read {}", path.display());
    let mut file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    file.seek(SeekFrom::Start(part.first_byte()))
        .with_context(cannot_read)?;
    let mut buffer = vec![0u8; READ_BYTES];
    let mut left = part.range().end - part.first_byte();
    while left > 0 {
        let want = usize::try_from(left).unwrap_or(READ_BYTES).min(READ_BYTES);
        let read = read_some(&mut file, &mut buffer[..want]).with_context(cannot_read)?;
        if read == 0 {
            // The file shrank while being read: what is there is what there is.
            return Ok(part);
        }
        part.feed(&buffer[..read]);
        progress.inc(read as u64);
        left -= read as u64;
    }
    while part.wants_more() {
        let read = read_some(&mut file, &mut buffer).with_context(cannot_read)?;
        if read == 0 || !part.feed_past_end(&buffer[..read]) {
            break;
        }
    }
    Ok(part)
}

/// One read, retried when a signal interrupts it.
fn read_some(file: &mut File, buffer: &mut [u8]) -> std::io::Result<usize> {
    loop {
        match file.read(buffer) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}
