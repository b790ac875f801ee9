//! `loglens formats`: every format, the name `--format` takes, and a line in it.

use loglens_core::LogFormat;
use loglens_core::display_text::for_display;
use std::io::{self, Write};

/// Sample lines are cut to this many characters, so the list fits a terminal.
const SAMPLE_CHARS: usize = 110;

/// Writes one block per format, in detection's tie-breaking order.
pub fn write(out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "Formats, detected from the first lines of a file (ties go to the earlier one):"
    )?;
    for format in LogFormat::ALL {
        writeln!(out)?;
        writeln!(out, "  {:<16}{format}", format.as_str())?;
        if let Some(line) = format.example_line() {
            writeln!(out, "  {:<16}{}", "", for_display(line, SAMPLE_CHARS))?;
        }
    }
    Ok(())
}
