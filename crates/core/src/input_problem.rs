//! What is wrong with an input as a whole, when it is not a log we can read: empty,
//! binary, or text in which no line parsed. Said plainly, so an analyst who dropped the
//! wrong file knows it instead of staring at an empty report.

use crate::parse::LogFormat;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How many of the first bytes are looked at to tell text from binary.
pub const SNIFF_BYTES: usize = 4096;

/// Why an input yielded nothing to analyse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum InputProblem {
    /// No bytes at all.
    Empty,
    /// NUL or other control bytes where text would have none: an image, an archive other
    /// than gzip, a database file.
    Binary {
        /// Control bytes among the first bytes looked at.
        control_bytes: u32,
        /// How many bytes were looked at.
        looked_at: u32,
    },
    /// Text, but no line is in any known format.
    NothingParsed,
    /// Text, but no line is in the format the user chose.
    NothingParsedAs {
        /// The format chosen instead of detected.
        format: LogFormat,
    },
}

impl InputProblem {
    /// The problem with an input whose first bytes are `start` and of which `parsed`
    /// lines parsed when read in the `chosen` format (`None`: detected), if there is one.
    pub fn of(start: &[u8], parsed: u64, chosen: Option<LogFormat>) -> Option<Self> {
        if start.is_empty() {
            return Some(Self::Empty);
        }
        // Lines were read: stray NULs (a log truncated in place by copytruncate starts with
        // them) or colour codes are noise in a text log, not a sign of a binary file.
        if parsed > 0 {
            return None;
        }
        let control_bytes = start
            .iter()
            .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
            .count();
        // A NUL never belongs in a text log; a few other controls can (terminal colours).
        if start.contains(&0) || control_bytes * 20 > start.len() {
            let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
            return Some(Self::Binary {
                control_bytes: count(control_bytes),
                looked_at: count(start.len()),
            });
        }
        (parsed == 0).then_some(match chosen {
            Some(format) => Self::NothingParsedAs { format },
            None => Self::NothingParsed,
        })
    }
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("The file is empty."),
            Self::Binary { control_bytes, looked_at } => write!(
                f,
                "The file looks binary, not like a text log: {control_bytes} of its first {looked_at} bytes are control bytes. (Gzip is read; other archives are not.)"
            ),
            Self::NothingParsed => f.write_str(
                "No line is in a format loglens reads (access and error logs, syslog, JSON lines, Python logging, flow CSV, timestamped lines); the rejected lines show why.",
            ),
            Self::NothingParsedAs { format } => write!(
                f,
                "No line is in the format chosen ({format}); the rejected lines show why. Choose another format, or let loglens detect it."
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_empty_binary_unreadable_and_fine_apart() {
        assert_eq!(InputProblem::of(b"", 0, None), Some(InputProblem::Empty));
        assert!(matches!(
            InputProblem::of(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 0, None),
            Some(InputProblem::Binary { .. })
        ));
        assert!(matches!(
            InputProblem::of(&[1u8; 100], 0, None),
            Some(InputProblem::Binary {
                control_bytes: 100,
                looked_at: 100
            })
        ));
        assert_eq!(
            InputProblem::of(b"just some prose\n", 0, None),
            Some(InputProblem::NothingParsed)
        );
        assert_eq!(InputProblem::of(b"a log line\n", 1, None), None);
        // NULs before readable lines, as copytruncate leaves them: not binary.
        assert_eq!(InputProblem::of(b"\0\0\0\0a log line\n", 1, None), None);
        assert_eq!(
            InputProblem::of(b"a log line\n", 0, Some(LogFormat::FlowCsv)),
            Some(InputProblem::NothingParsedAs {
                format: LogFormat::FlowCsv
            })
        );
        // Colour codes in a text log are not binary.
        assert_eq!(InputProblem::of(b"\x1b[31mERROR\x1b[0m x\n", 1, None), None);
    }

    #[test]
    fn says_what_is_wrong() {
        let binary = InputProblem::Binary {
            control_bytes: 7,
            looked_at: 64,
        };
        assert!(binary.to_string().contains("7 of its first 64 bytes"));
        assert!(InputProblem::Empty.to_string().contains("empty"));
    }
}
