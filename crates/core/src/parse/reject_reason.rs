//! Why a line was not understood.
//!
//! A line that does not parse is data, not an error: the analysis counts it under its
//! reason and keeps a few examples, so an analyst can see what was skipped and why.

use crate::record::Field;
use serde::{Deserialize, Serialize};

/// The first thing wrong with a line, in the order the parser reads it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    thiserror::Error,
)]
pub enum RejectReason {
    /// Longer than the reader keeps (`line_reader::MAX_LINE_BYTES`); only its start was read.
    #[error("the line is too long (over 1 MiB); only its start was kept")]
    LineTooLong,
    /// Nothing but whitespace.
    #[error("the line is empty")]
    Empty,
    /// The line stops before this field.
    #[error("the line ends before the {0}")]
    MissingField(Field),
    /// This field should be in double quotes and is not.
    #[error("the {0} is not in double quotes")]
    Unquoted(Field),
    /// This field opens a double quote that never closes.
    #[error("the {0} has no closing double quote")]
    UnterminatedQuote(Field),
    /// The timestamp is not `[dd/Mon/yyyy:hh:mm:ss ±hhmm]` or names no real instant.
    #[error("the timestamp is not [dd/Mon/yyyy:hh:mm:ss +hhmm]")]
    BadTimestamp,
    /// The status is not a three-digit number.
    #[error("the status code is not a three-digit number")]
    BadStatus,
    /// The response size is neither a number nor `-`.
    #[error("the response size is neither a number nor \"-\"")]
    BadBytesSent,
    /// A syslog line without a time where one must be (`Mmm dd hh:mm:ss` or RFC 3339).
    #[error("the line does not start with a syslog timestamp")]
    NoSyslogTimestamp,
    /// A line that does not start with a recognisable time (the generic format).
    #[error("the line does not start with a recognisable timestamp")]
    NoLeadingTimestamp,
    /// A line that should be a JSON object and is not (or is not valid JSON).
    #[error("the line is not a JSON object")]
    NotJsonObject,
    /// A JSON object without a field that holds a time.
    #[error("the JSON object has no time field (time, ts, timestamp, @timestamp…)")]
    NoJsonTime,
    /// A JSON object that is neither a request nor has a message.
    #[error("the JSON object has neither a request (status, method, path) nor a message")]
    NoJsonMessage,
    /// A syslog line without its host and program (`host program[pid]: message`).
    #[error("the line has no syslog host and program")]
    NoSyslogHeader,
    /// An error or application log line without a level where one must be (`[error]`).
    #[error("the line has no level (such as [error] or WARNING) where its format puts one")]
    NoLevel,
    /// An nginx error line without its `pid#tid:`.
    #[error("the line has no process and thread ids (pid#tid:) after its level")]
    NoProcessId,
    /// An indented line or a traceback's first line: the rest of the entry above.
    #[error("the line continues the entry above it (a traceback or a wrapped message)")]
    Continuation,
    /// A line in a layout without times, before any line with a time.
    #[error("the line has no time and no earlier line gave one")]
    NoTimeYet,
    /// A CSV header row: read for its column names, not a record.
    #[error("the line is a CSV header row (its column names were read)")]
    HeaderRow,
    /// A CSV row before any header row named the columns.
    #[error("the CSV row comes before any header row naming its columns")]
    NoCsvHeader,
    /// A CSV row with fewer cells than its header has columns.
    #[error("the CSV row has fewer cells than the header has columns")]
    ShortCsvRow,
    /// A flow whose `Timestamp` cell is not a time.
    #[error("the flow's Timestamp is not yyyy-mm-dd hh:mm:ss or d/m/yyyy h:mm[:ss]")]
    BadFlowTime,
    /// A flow whose `Destination Port` cell is not a port number.
    #[error("the flow's Destination Port is not a number from 0 to 65535")]
    BadFlowPort,
}
