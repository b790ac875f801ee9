//! Reading an input: a file or standard input, `.gz` inflated on the way, in chunks.

use anyhow::Context;
use loglens_core::InputDecoder;
use loglens_core::line_collector::{LineCollector, NumberedLine};
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Read size: large enough that system calls do not dominate, small enough to stay cheap.
const CHUNK_BYTES: usize = 256 * 1024;

/// Whether `path` means standard input (`-`).
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// How errors and reports name the input.
pub fn display_name(path: &Path) -> String {
    if is_stdin(path) {
        "standard input".to_owned()
    } else {
        path.display().to_string()
    }
}

/// Hands the input's (decompressed) bytes to `feed` until the end, or until `feed`
/// returns false.
pub fn stream(path: &Path, mut feed: impl FnMut(&[u8]) -> bool) -> anyhow::Result<()> {
    let mut input: Box<dyn Read> = if is_stdin(path) {
        Box::new(io::stdin().lock())
    } else {
        Box::new(File::open(path).with_context(|| format!("cannot open {}", path.display()))?)
    };
    let mut decoder = InputDecoder::new();
    let mut buffer = vec![0u8; CHUNK_BYTES];
    let mut more = true;
    let damaged = |e| anyhow::Error::new(e).context(format!("cannot read {}", display_name(path)));
    while more {
        match input.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => decoder
                .feed(&buffer[..n], |bytes| more = more && feed(bytes))
                .map_err(damaged)?,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", display_name(path))),
        }
    }
    if more {
        decoder
            .finish(|bytes| more = more && feed(bytes))
            .map_err(damaged)?;
    }
    Ok(())
}

/// The text of lines `wanted` of the file at `path`, read again; none from standard
/// input, which cannot be read twice.
pub fn lines(path: &Path, wanted: Vec<u64>) -> anyhow::Result<Vec<NumberedLine>> {
    if is_stdin(path) || wanted.is_empty() {
        return Ok(Vec::new());
    }
    let mut collector = LineCollector::new(wanted);
    stream(path, |bytes| {
        collector.feed(bytes);
        !collector.is_complete()
    })?;
    Ok(collector.finish())
}
