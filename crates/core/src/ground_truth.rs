//! Ground truth: the lines a file's own labels (or a labels file) call attacks, to score
//! the findings against (see [`crate::evaluation`]).

use std::collections::HashMap;

/// Ground truth: which lines are attacks, from whom, of what kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels {
    pub(crate) by_line: HashMap<u64, (String, String)>,
}

/// A labels file that cannot be read, with the row that broke it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabelsError {
    /// The first row is not `line,client,kind`.
    #[error("the labels file must start with the header line,client,kind")]
    Header,
    /// A row is not `number,client,kind`.
    #[error("row {row} of the labels file is not line,client,kind with a line number: {text}")]
    Row {
        /// 1-based row in the labels file, header included.
        row: usize,
        /// The row as read.
        text: String,
    },
}

impl Labels {
    /// Reads labels from CSV text with the header `line,client,kind`.
    pub fn from_csv(text: &str) -> Result<Self, LabelsError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(text.as_bytes());
        let header_ok = reader
            .headers()
            .is_ok_and(|h| h.iter().eq(["line", "client", "kind"]));
        if !header_ok {
            return Err(LabelsError::Header);
        }
        let mut by_line = HashMap::new();
        for (index, record) in reader.records().enumerate() {
            let row = index + 2;
            let record = record.map_err(|e| LabelsError::Row {
                row,
                text: e.to_string(),
            })?;
            let parsed = match (
                record.get(0).and_then(|n| n.trim().parse::<u64>().ok()),
                record.get(1),
                record.get(2),
            ) {
                (Some(line), Some(client), Some(kind)) if line > 0 => Some((line, client, kind)),
                _ => None,
            };
            let (line, client, kind) = parsed.ok_or_else(|| LabelsError::Row {
                row,
                text: record.iter().collect::<Vec<_>>().join(","),
            })?;
            by_line.insert(line, (client.to_owned(), kind.to_owned()));
        }
        Ok(Self { by_line })
    }
}

impl Labels {
    /// Labels line `line` an attack of `kind` by `client` (a flow CSV's own Label column).
    pub fn insert(&mut self, line: u64, client: &str, kind: &str) {
        self.by_line
            .insert(line, (client.to_owned(), kind.to_owned()));
    }

    /// How many lines are labelled attacks.
    pub fn len(&self) -> usize {
        self.by_line.len()
    }

    /// Whether no line is labelled an attack.
    pub fn is_empty(&self) -> bool {
        self.by_line.is_empty()
    }
}
