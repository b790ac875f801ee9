//! Reading the inputs: files or standard input, `.gz` inflated on the way, in chunks, one
//! after another as one stream (rotated logs read in order make one timeline).

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use loglens_core::InputDecoder;
use loglens_core::line_collector::{LineCollector, NumberedLine};
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Read size: large enough that system calls and the hand-over of chunks between threads
/// do not weigh, small enough that a chunk is still in the reading core's cache when it
/// is parsed there.
const CHUNK_BYTES: usize = 512 * 1024;

/// Whether `path` means standard input (`-`).
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// How errors and reports name one input.
pub fn display_name(path: &Path) -> String {
    if is_stdin(path) {
        "standard input".to_owned()
    } else {
        path.display().to_string()
    }
}

/// The inputs of one analysis, read in the order given. Line numbers run on from one
/// file to the next.
#[derive(Debug, Clone)]
pub struct Inputs {
    paths: Vec<PathBuf>,
}

impl Inputs {
    /// The inputs at `paths`; standard input may be one of them, once.
    pub fn new(paths: Vec<PathBuf>) -> anyhow::Result<Self> {
        if paths.iter().filter(|p| is_stdin(p)).count() > 1 {
            anyhow::bail!("standard input (-) can be read only once");
        }
        Ok(Self { paths })
    }

    /// How reports name the inputs: the file, or the files joined.
    pub fn name(&self) -> String {
        let names: Vec<String> = self.paths.iter().map(|p| display_name(p)).collect();
        match names.len() {
            1 => names.join(""),
            n => format!("{} ({n} files, read in this order)", names.join(", ")),
        }
    }

    /// A progress bar over the inputs' bytes, drawn on standard error only when it is a
    /// terminal (silent in pipes, scripts and CI).
    pub fn progress_bar(&self) -> ProgressBar {
        let sizes: Option<u64> = self
            .paths
            .iter()
            .map(|p| (!is_stdin(p)).then(|| std::fs::metadata(p).map_or(0, |m| m.len())))
            .sum();
        let bar = match sizes {
            Some(total) => ProgressBar::new(total),
            None => ProgressBar::no_length(),
        };
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} {bytes}/{total_bytes} read, {bytes_per_sec}, {eta} left {wide_bar}",
        ) {
            bar.set_style(style);
        }
        bar
    }

    /// Hands the inputs' (decompressed) bytes to `feed`, file after file, until the end or
    /// until `feed` returns false. A file that does not end its last line gets one, so no
    /// line runs into the next file's first.
    pub fn stream(
        &self,
        progress: &ProgressBar,
        mut feed: impl FnMut(&[u8]) -> bool,
    ) -> anyhow::Result<()> {
        self.stream_shared(progress, |chunk| feed(&chunk))
    }

    /// [`Inputs::stream`], in chunks that can be handed to other threads.
    pub fn stream_shared(
        &self,
        progress: &ProgressBar,
        mut feed: impl FnMut(Chunk) -> bool,
    ) -> anyhow::Result<()> {
        let mut last_byte = b'\n';
        for path in &self.paths {
            if last_byte != b'\n' {
                if !feed(Chunk::from(&b"\n"[..])) {
                    return Ok(());
                }
                last_byte = b'\n';
            }
            let more = stream_one(path, progress, |chunk| {
                if let Some(&byte) = chunk.last() {
                    last_byte = byte;
                }
                feed(chunk)
            })?;
            if !more {
                return Ok(());
            }
        }
        Ok(())
    }

    /// The text of lines `wanted`, read again; none when standard input is among the
    /// inputs, which cannot be read twice.
    pub fn lines(&self, wanted: Vec<u64>) -> anyhow::Result<Vec<NumberedLine>> {
        if self.paths.iter().any(|p| is_stdin(p)) || wanted.is_empty() {
            return Ok(Vec::new());
        }
        let mut collector = LineCollector::new(wanted);
        self.stream(&ProgressBar::hidden(), |bytes| {
            collector.feed(bytes);
            !collector.is_complete()
        })?;
        Ok(collector.finish())
    }
}

/// A chunk of input, shared between the threads that read it.
pub type Chunk = Arc<[u8]>;

/// Streams one input; returns whether `feed` wants more.
fn stream_one(
    path: &Path,
    progress: &ProgressBar,
    mut feed: impl FnMut(Chunk) -> bool,
) -> anyhow::Result<bool> {
    let mut input: Box<dyn Read> = if is_stdin(path) {
        Box::new(io::stdin().lock())
    } else {
        Box::new(File::open(path).with_context(|| format!("cannot open {}", path.display()))?)
    };
    let mut decoder = InputDecoder::new();
    let mut more = true;
    let damaged = |e| anyhow::Error::new(e).context(format!("cannot read {}", display_name(path)));
    let mut buffer = vec![0; CHUNK_BYTES];
    while more {
        match input.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => {
                progress.inc(n as u64);
                decoder
                    .feed(&buffer[..n], |bytes| {
                        more = more && feed(Chunk::from(bytes))
                    })
                    .map_err(damaged)?;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", display_name(path))),
        }
    }
    if more {
        decoder
            .finish(|bytes| more = more && feed(Chunk::from(bytes)))
            .map_err(damaged)?;
    }
    Ok(more)
}
