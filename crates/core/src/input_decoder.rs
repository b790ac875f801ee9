//! Compressed input, inflated as it streams: a `.gz` log (what logrotate leaves behind)
//! is read like the plain file it holds, chunk by chunk, never whole in memory.
//!
//! The decoder looks at the first two bytes: the gzip magic (`1f 8b`) switches on
//! inflation (flate2, pure Rust, so the same in the browser), anything else passes
//! through untouched. Concatenated gzip members are read one after another, as `zcat` does.

use std::io::Write;

/// Damaged compressed input, with how far it got.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the gzip data is damaged or cut short after {compressed_bytes} compressed bytes: {reason}"
)]
pub struct DecodeError {
    /// Compressed bytes read before the problem.
    pub compressed_bytes: u64,
    /// What the inflater said.
    pub reason: String,
}

/// Where decompressed bytes go until the caller takes them.
#[derive(Debug, Default)]
struct Spill(Vec<u8>);

impl Write for Spill {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[derive(Debug)]
enum State {
    /// Fewer than two bytes seen: cannot tell yet.
    Sniffing(Vec<u8>),
    Plain,
    Gzip(Box<flate2::write::MultiGzDecoder<Spill>>),
}

/// Turns the bytes of a file, compressed or not, into the bytes of the log.
#[derive(Debug)]
pub struct InputDecoder {
    state: State,
    compressed_bytes: u64,
}

impl Default for InputDecoder {
    fn default() -> Self {
        Self {
            state: State::Sniffing(Vec::new()),
            compressed_bytes: 0,
        }
    }
}

/// Compressed bytes inflated at a time: gzip inflates at most about a thousandfold, so
/// what one piece gives stays in the megabytes.
const INFLATE_PIECE_BYTES: usize = 8 * 1024;

impl InputDecoder {
    /// A decoder at the start of a file.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the input turned out to be gzip.
    pub fn is_gzip(&self) -> bool {
        matches!(self.state, State::Gzip(_))
    }

    /// Feeds the next chunk of the file; `out` receives the log's bytes as they come.
    pub fn feed(&mut self, chunk: &[u8], mut out: impl FnMut(&[u8])) -> Result<(), DecodeError> {
        self.compressed_bytes += chunk.len() as u64;
        let compressed_bytes = self.compressed_bytes;
        let error = |e: std::io::Error| DecodeError {
            compressed_bytes,
            reason: e.to_string(),
        };
        match &mut self.state {
            State::Plain => out(chunk),
            State::Gzip(decoder) => Self::inflate(decoder, chunk, &mut out).map_err(error)?,
            State::Sniffing(held) => {
                held.extend_from_slice(chunk);
                if held.len() < 2 {
                    return Ok(());
                }
                let held = std::mem::take(held);
                if held.starts_with(&[0x1f, 0x8b]) {
                    let mut decoder =
                        Box::new(flate2::write::MultiGzDecoder::new(Spill::default()));
                    Self::inflate(&mut decoder, &held, &mut out).map_err(error)?;
                    self.state = State::Gzip(decoder);
                } else {
                    out(&held);
                    self.state = State::Plain;
                }
            }
        }
        Ok(())
    }

    /// Ends the file: passes on what is left, and says if compressed data was cut short.
    pub fn finish(mut self, mut out: impl FnMut(&[u8])) -> Result<(), DecodeError> {
        let compressed_bytes = self.compressed_bytes;
        match &mut self.state {
            State::Sniffing(held) => out(held),
            State::Plain => {}
            State::Gzip(decoder) => {
                decoder.try_finish().map_err(|e| DecodeError {
                    compressed_bytes,
                    reason: e.to_string(),
                })?;
                Self::drain(decoder, &mut out);
            }
        }
        Ok(())
    }

    /// Inflates `compressed` a small piece at a time, passing each piece's output on: a
    /// chunk of a few MB of a log that compresses a thousandfold would otherwise inflate
    /// to gigabytes in one buffer.
    fn inflate(
        decoder: &mut flate2::write::MultiGzDecoder<Spill>,
        compressed: &[u8],
        out: &mut impl FnMut(&[u8]),
    ) -> std::io::Result<()> {
        for piece in compressed.chunks(INFLATE_PIECE_BYTES) {
            decoder.write_all(piece)?;
            Self::drain(decoder, out);
        }
        Ok(())
    }

    fn drain(decoder: &mut flate2::write::MultiGzDecoder<Spill>, out: &mut impl FnMut(&[u8])) {
        let spill = &mut decoder.get_mut().0;
        if !spill.is_empty() {
            out(spill);
            spill.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    fn decode(input: &[u8], chunk: usize) -> Result<(Vec<u8>, bool), DecodeError> {
        let mut decoder = InputDecoder::new();
        let mut out = Vec::new();
        for part in input.chunks(chunk.max(1)) {
            decoder.feed(part, |bytes| out.extend_from_slice(bytes))?;
        }
        let gzip = decoder.is_gzip();
        decoder.finish(|bytes| out.extend_from_slice(bytes))?;
        Ok((out, gzip))
    }

    #[test]
    fn plain_input_passes_through_in_any_chunks() {
        for chunk in [1, 2, 3, 1000] {
            assert_eq!(
                decode(b"a line\nanother\n", chunk).unwrap(),
                (b"a line\nanother\n".to_vec(), false)
            );
        }
        assert_eq!(decode(b"x", 1).unwrap(), (b"x".to_vec(), false));
        assert_eq!(decode(b"", 1).unwrap(), (Vec::new(), false));
    }

    #[test]
    fn gzip_is_inflated_in_any_chunks() {
        let text =
            "10.0.0.1 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1\n".repeat(500);
        let packed = gzip(text.as_bytes());
        for chunk in [1, 7, 4096, packed.len()] {
            assert_eq!(
                decode(&packed, chunk).unwrap(),
                (text.clone().into_bytes(), true),
                "chunk {chunk}"
            );
        }
    }

    #[test]
    fn a_chunk_that_inflates_a_thousandfold_comes_out_in_bounded_pieces() {
        let line =
            b"192.0.2.1 - - [01/Mar/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"x\"\n";
        let plain: Vec<u8> = line.iter().copied().cycle().take(64 << 20).collect();
        let compressed = gzip(&plain);
        assert!(compressed.len() < plain.len() / 200, "{}", compressed.len());
        let mut decoder = InputDecoder::new();
        let (mut total, mut largest) = (0, 0);
        let mut take = |bytes: &[u8]| {
            total += bytes.len();
            largest = largest.max(bytes.len());
        };
        // The whole file as one chunk, as the page's 4 MB slices hand over a small .gz.
        decoder.feed(&compressed, &mut take).unwrap();
        decoder.finish(&mut take).unwrap();
        assert_eq!(total, plain.len());
        assert!(largest <= 16 << 20, "one piece of {largest} bytes");
    }

    #[test]
    fn concatenated_members_are_read_one_after_another() {
        let mut packed = gzip(b"first\n");
        packed.extend(gzip(b"second\n"));
        assert_eq!(decode(&packed, 5).unwrap().0, b"first\nsecond\n");
    }

    #[test]
    fn damage_is_reported_not_hidden() {
        let packed = gzip(&b"some text that compresses\n".repeat(100));
        let cut = &packed[..packed.len() / 2];
        assert!(decode(cut, 16).is_err(), "a gzip file cut in half");
        let mut corrupt = packed.clone();
        corrupt[12] ^= 0xff;
        corrupt[20] ^= 0xff;
        assert!(decode(&corrupt, 16).is_err(), "flipped bytes");
    }
}
