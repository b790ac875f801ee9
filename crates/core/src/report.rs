//! What an analysis found, in a shape every front end receives: the worker sends it to the
//! page, the CLI prints it. Plain owned data, serialisable, no log-sized collections.

use crate::finding::{Finding, Severity};
use crate::ground_truth::Labels;
use crate::input_problem::InputProblem;
use crate::limits::LeftOut;
use crate::parse::LogFormat;
use crate::rejects::RejectTally;
use crate::sensitivity::FindingFilter;
use crate::time::LogTime;
use crate::traffic::Traffic;
use serde::{Deserialize, Serialize};

/// The result of analysing one file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The format most parsed lines had; `None` when no line parsed.
    pub format: Option<LogFormat>,
    /// Why there is nothing to analyse, when the input is empty, binary or unreadable.
    pub input_problem: Option<InputProblem>,
    /// The year given to timestamps that had none (RFC 3164 syslog), when any had none.
    pub year_assumed: Option<i16>,
    /// Bytes read from the input.
    pub bytes_read: u64,
    /// Lines read, blank ones included; always `parsed + continued + rejected`.
    pub lines: u64,
    /// Lines understood: the records.
    pub parsed: u64,
    /// Lines that continue the record above them (tracebacks, stack traces).
    #[serde(default)]
    pub continued: u64,
    /// Lines not understood, each counted under a reason in `rejects`.
    pub rejected: u64,
    /// Distinct client addresses.
    pub clients: u64,
    /// The earliest request (not the first line: logs are not always in order).
    pub first_time: Option<LogTime>,
    /// The latest request.
    pub last_time: Option<LogTime>,
    /// Requests over time.
    pub traffic: Traffic,
    /// The same counts in finer buckets, only those with lines: what a chart of a time
    /// range regroups ([`Traffic::zoom`]) without reading the file again.
    #[serde(default, skip_serializing_if = "Traffic::is_empty")]
    pub fine_traffic: Traffic,
    /// Why lines were rejected, with examples.
    pub rejects: RejectTally,
    /// The first parsed requests, for a first look at the data.
    pub first_rows: Vec<RequestRow>,
    /// What the detectors found, worst first, near-misses included: read it through a
    /// [`FindingFilter`] (`visible_findings`), as every front end does.
    pub findings: Vec<Finding>,
    /// JSON lines' fields that no mapping read, with the lines that have each, most
    /// common first (at most 64 names).
    #[serde(default)]
    pub extra_fields: Vec<FieldCount>,
    /// Rows per ground-truth label, when the file labels its own lines (a flow CSV's
    /// `Label` column), most common first.
    pub labels: Vec<LabelCount>,
    /// What was left out because a limit was reached (a detector's clients, the count of
    /// distinct clients), so the report says it is incomplete rather than seem whole.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub untracked: Vec<LeftOut>,
    /// The baseline the file was judged against, when one was applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineNote>,
    /// The lines the file itself labels as attacks, to evaluate the findings against;
    /// kept out of exports and messages (it can be as long as the file).
    #[serde(skip)]
    pub ground_truth: Labels,
}

impl Report {
    /// The UTC offset the log was written in (its first line's), in seconds: how its
    /// times are shown; 0 when it has none.
    pub fn offset_secs(&self) -> i32 {
        self.first_time.map_or(0, |t| t.offset_secs)
    }
}

/// How many lines carry one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldCount {
    /// The field's name, as written.
    pub name: String,
    /// Lines with it.
    pub lines: u64,
}

/// How many rows carry one ground-truth label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelCount {
    /// The label as written (`BENIGN`, `DDoS`, `PortScan`…).
    pub label: String,
    /// Rows with it.
    pub rows: u64,
}

impl Report {
    /// The findings `filter` shows, worst first.
    pub fn visible_findings(&self, filter: FindingFilter) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| filter.keeps(f))
    }

    /// What to say when nothing was found: what was read, and what was looked for and
    /// not recognised in it, so that an empty table is not mistaken for a filter.
    pub fn nothing_found_note(&self) -> String {
        use crate::parse::LogFormat::*;
        let Some(format) = self.format else {
            return "No line was in a format loglens reads, so nothing was looked for.".to_owned();
        };
        let looked_for = match format {
            Syslog3164 | Syslog5424 => {
                "no failed logins, invalid users, pre-auth disconnects, bursts or unusual messages recognised"
            }
            Combined | Common | Werkzeug | JsonLines => {
                "no attack signatures, failed logins, scans, floods, background noise or unusual clients recognised"
            }
            NginxError | ApacheError => {
                "no attack in the requests, error bursts or unusual messages recognised"
            }
            FlowCsv => "no port scans, floods, password guessing or unusual flows recognised",
            PythonLogging | Generic => "no error bursts or unusual messages recognised",
        };
        let rejected = if self.rejected > 0 {
            format!(
                " ({} not read: see the rejected lines)",
                crate::figures::group_thousands(self.rejected)
            )
        } else {
            String::new()
        };
        format!(
            "{} of {} lines read as {format}{rejected}; {looked_for}.",
            crate::figures::group_thousands(self.parsed),
            crate::figures::group_thousands(self.lines),
        )
    }

    /// How many findings `filter` shows of each severity, worst first, leaving out
    /// severities with none.
    pub fn findings_by_severity(&self, filter: FindingFilter) -> Vec<(Severity, usize)> {
        Severity::WORST_FIRST
            .into_iter()
            .map(|severity| {
                (
                    severity,
                    self.visible_findings(filter)
                        .filter(|f| f.severity == severity)
                        .count(),
                )
            })
            .filter(|&(_, count)| count > 0)
            .collect()
    }
}

/// One parsed line, owned, for showing in a table: a request (method, target, status…)
/// or a syslog message (program as `method`, message as `target`). Text fields have control
/// characters escaped and are cut to 2 000 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRow {
    /// 1-based line number in the file.
    pub line_no: u64,
    /// The client address or host name.
    pub client: String,
    /// When the request was received.
    pub time: LogTime,
    /// The method, or empty when the request line had none.
    pub method: String,
    /// The target, or the raw request line when it could not be split.
    pub target: String,
    /// The final HTTP status, for requests.
    pub status: Option<u16>,
    /// Response body bytes, when logged.
    pub bytes_sent: Option<u64>,
    /// The `User-Agent` header, when logged.
    pub user_agent: Option<String>,
    /// A JSON line's fields that no mapping read, as `name=value` pairs (clipped).
    #[serde(default)]
    pub extra: Option<String>,
}

/// Which baseline a report was judged against, and whether it suits the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaselineNote {
    /// Its name and size, as findings quote it.
    pub name: String,
    /// The format it was learned from.
    pub learned_format: Option<LogFormat>,
    /// False when it was learned from another kind of log than this one, so its models
    /// could not judge these lines.
    pub fits: bool,
}
