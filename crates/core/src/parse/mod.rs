//! Parsers: one module per log format, each turning a line into a typed record or a
//! [`RejectReason`].

pub mod combined;
mod reject_reason;

pub use reject_reason::RejectReason;

use serde::{Deserialize, Serialize};
use std::fmt;

/// The log formats loglens reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LogFormat {
    /// Apache/Nginx combined: common plus quoted referer and user agent.
    Combined,
    /// Apache/Nginx common log format (CLF).
    Common,
}

impl LogFormat {
    /// Every format, so tests can check that each has samples.
    pub const ALL: [LogFormat; 2] = [LogFormat::Combined, LogFormat::Common];

    /// The stable machine name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            LogFormat::Combined => "combined",
            LogFormat::Common => "common",
        }
    }
}

impl fmt::Display for LogFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LogFormat::Combined => "Apache/Nginx combined",
            LogFormat::Common => "Apache/Nginx common",
        })
    }
}
