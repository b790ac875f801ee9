//! A query's matching lines as CSV, for a spreadsheet: the line's number, time and
//! client, and the line as written.

use crate::event::Event;
use crate::export::spreadsheet_safe;
use crate::line_collector::NumberedLine;
use crate::line_reader::Line;

/// Rows a table keeps, at most: a page's export must fit its memory (a row is the line,
/// a few hundred bytes). The command line streams every row instead.
pub const MAX_TABLE_ROWS: u64 = 100_000;

/// The columns of a table of matching lines.
pub const MATCH_COLUMNS: [&str; 4] = ["line", "time", "client", "text"];

/// One matching line's row: its number, time and client (empty when it did not parse),
/// and its text (cut as a kept line is). Log text that a spreadsheet would run as a
/// formula is written as text.
pub fn match_row(line: Line<'_>, event: Option<&Event<'_>>) -> [String; 4] {
    let kept = NumberedLine::of(line);
    let client = event.map(Event::client).unwrap_or_default();
    [
        kept.line_no.to_string(),
        event.map(|e| e.time().to_string()).unwrap_or_default(),
        spreadsheet_safe(client).into_owned(),
        spreadsheet_safe(&kept.text).into_owned(),
    ]
}

/// Matching lines written as CSV rows as they come, up to [`MAX_TABLE_ROWS`].
#[derive(Debug)]
pub struct MatchTable {
    writer: csv::Writer<Vec<u8>>,
    rows: u64,
    left_out: u64,
}

impl Default for MatchTable {
    fn default() -> Self {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let _ = writer.write_record(MATCH_COLUMNS);
        Self {
            writer,
            rows: 0,
            left_out: 0,
        }
    }
}

impl MatchTable {
    /// Adds `line` (parsed as `event`, if it parsed).
    pub fn add(&mut self, line: Line<'_>, event: Option<&Event<'_>>) {
        if self.rows >= MAX_TABLE_ROWS {
            self.left_out += 1;
            return;
        }
        self.rows += 1;
        let _ = self.writer.write_record(match_row(line, event));
    }

    /// The CSV text, the rows in it, and the matching lines left out of it.
    pub fn finish(self) -> (String, u64, u64) {
        let bytes = self.writer.into_inner().unwrap_or_default();
        (
            String::from_utf8_lossy(&bytes).into_owned(),
            self.rows,
            self.left_out,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formula_in_a_line_is_text_in_the_table() {
        let line = Line {
            number: 7,
            text: "=HYPERLINK(\"http://x\") - - [01/Mar/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200 1",
            truncated: false,
        };
        let row = match_row(line, None);
        assert_eq!(row[0], "7");
        assert!(row[3].starts_with("'=HYPERLINK"), "{}", row[3]);
        let mut table = MatchTable::default();
        table.add(line, None);
        let (csv, rows, left_out) = table.finish();
        assert_eq!((rows, left_out), (1, 0));
        assert!(
            csv.starts_with("line,time,client,text\n7,,,\"'=HYPERLINK"),
            "{csv}"
        );
    }
}
