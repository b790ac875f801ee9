//! Data exfiltration: responses far larger than what that kind of request normally returns.
//!
//! **What it detects:** responses of at least `min_bytes` that are far above their
//! baseline: for a static file (an installer, a video, a published log) the baseline is
//! that same path's usual size, so a 700 MB installer that is always 700 MB is normal; for
//! what a program writes per request (pages, APIs, scripts, `.csv`/`.sql` exports) it is
//! the site's usual dynamic response. One finding per client, with the total.
//!
//! **Why it matters:** a bulk export, a dumped table or a backup pulled by one account
//! is how stolen data leaves, and the access log records the bytes.
//!
//! **Example lines:**
//! ```text
//! 192.0.2.201 - j.miller [12/Mar/2024:02:41:30 +0100] "GET /export/customers.csv?page=1 HTTP/1.1" 200 52428800 "-" "curl/8.5.0"
//! ```

use super::client_map::{ClientKey, ClientMap};
use super::log_histogram::Log2Histogram;
use super::normalize::normalize_request_text;
use super::{Detector, Evidence, TextDigest, score_with_repetition};
use super::{KeyedMap, keyed_map};
use crate::display_text::for_display;
use crate::event::Event;
use crate::figures::human_bytes;
use crate::finding::{Finding, FindingKind};
use crate::limits::{MAX_CANDIDATES, MAX_TABLE_KEYS};
use crate::time::LogTime;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// Tuning for [`ExfiltrationDetector`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ExfiltrationOptions {
    /// The smallest response that can count.
    pub min_bytes: u64,
    /// How many times its baseline a response must be.
    pub min_times_baseline: f64,
}

impl Default for ExfiltrationOptions {
    fn default() -> Self {
        Self {
            min_bytes: 10 * 1024 * 1024,
            min_times_baseline: 50.0,
        }
    }
}

/// Extensions of responses a program writes per request: scripts and data exports. Any
/// other extension is a static file, whose size belongs to the file, not the request.
const DYNAMIC_EXTENSIONS: [&str; 20] = [
    "php", "asp", "aspx", "jsp", "cgi", "pl", "py", "do", "action", "csv", "json", "xml", "xls",
    "xlsx", "sql", "db", "sqlite", "bak", "dump", "mdb",
];

/// [`DYNAMIC_EXTENSIONS`], each packed by [`packed_lowercase`].
const PACKED_DYNAMIC_EXTENSIONS: [u64; DYNAMIC_EXTENSIONS.len()] = {
    let mut packed = [0; DYNAMIC_EXTENSIONS.len()];
    let mut i = 0;
    while i < DYNAMIC_EXTENSIONS.len() {
        packed[i] = match packed_lowercase(DYNAMIC_EXTENSIONS[i].as_bytes()) {
            Some(word) => word,
            None => panic!("a dynamic extension is too long to pack"),
        };
        i += 1;
    }
    packed
};

/// Up to seven bytes, lowercased, in one word with their count in the top byte; `None`
/// for more.
const fn packed_lowercase(bytes: &[u8]) -> Option<u64> {
    if bytes.len() > 7 {
        return None;
    }
    let mut word = (bytes.len() as u64) << 56;
    let mut i = 0;
    while i < bytes.len() {
        word |= (bytes[i].to_ascii_lowercase() as u64) << (8 * i);
        i += 1;
    }
    Some(word)
}

/// Whether `extension` is one of [`DYNAMIC_EXTENSIONS`], in any case. Asked for nearly
/// every line: lowercased into one word, in a register, and compared with the twenty
/// packed the same way, rather than compared case-blind one by one.
fn is_dynamic_extension(extension: &str) -> bool {
    packed_lowercase(extension.as_bytes())
        .is_some_and(|word| PACKED_DYNAMIC_EXTENSIONS.contains(&word))
}

/// Words in a path that mark data worth stealing.
const SENSITIVE_WORDS: [&str; 8] = [
    "export",
    "dump",
    "backup",
    "customers",
    "users",
    "accounts",
    "orders",
    "download",
];

/// A response big enough to judge once the baselines are known.
#[derive(Debug, Clone)]
struct Candidate {
    client: Box<str>,
    line_no: u64,
    time: LogTime,
    bytes: u64,
    /// The path's hash, for downloads; `None` for dynamic responses.
    download_path: Option<u64>,
    sensitive: bool,
    /// The client's requests just before, which show how it got there (a login, a page).
    lead_up: Vec<(u64, LogTime)>,
}

/// How many of a client's latest requests are kept as possible lead-up to an export.
const LEAD_UP_REQUESTS: usize = 3;
/// How long before an oversized response a request still counts as its lead-up.
const LEAD_UP_WINDOW_SECS: i64 = 300;

/// Finds oversized responses per client; see the module docs.
#[derive(Debug, Clone)]
pub struct ExfiltrationDetector {
    /// Digests of the texts counted as distinct.
    digest: TextDigest,
    options: ExfiltrationOptions,
    max_evidence_lines: usize,
    dynamic_sizes: Log2Histogram,
    /// Each download path's histogram in `download_sizes`: the map's entries stay small,
    /// where histograms in them (528 bytes each) made every growth copy megabytes.
    download_paths: KeyedMap<u64, u32>,
    download_sizes: Vec<Log2Histogram>,
    /// Downloads of paths beyond the [`MAX_TABLE_KEYS`] sized.
    untracked_download_lines: u64,
    /// Oversized responses, judged at the end, at most [`MAX_CANDIDATES`].
    candidates: Vec<Candidate>,
    /// Oversized responses beyond those.
    untracked_candidates: u64,
    /// Each client's latest few ordinary requests.
    recent: ClientMap<LatestRequests>,
}

impl ExfiltrationDetector {
    /// A detector listing at most `max_evidence_lines` lines per finding.
    pub fn new(options: ExfiltrationOptions, max_evidence_lines: usize) -> Self {
        Self {
            digest: TextDigest::default(),
            options,
            max_evidence_lines,
            dynamic_sizes: Log2Histogram::default(),
            download_paths: keyed_map(),
            download_sizes: Vec::new(),
            untracked_download_lines: 0,
            candidates: Vec::new(),
            untracked_candidates: 0,
            recent: ClientMap::default(),
        }
    }

    /// The client's recent requests within the lead-up window before `time`.
    fn lead_up(&self, client: &ClientKey<'_>, time: LogTime) -> Vec<(u64, LogTime)> {
        self.recent.get(client).map_or_else(Vec::new, |recent| {
            recent
                .oldest_first()
                .iter()
                .copied()
                .filter(|(_, at)| time.epoch_secs - at.epoch_secs <= LEAD_UP_WINDOW_SECS)
                .collect()
        })
    }

    /// Remembers an ordinary request as possible lead-up to a later export.
    fn remember(&mut self, client: &ClientKey<'_>, line_no: u64, time: LogTime) {
        if let Some(recent) = self
            .recent
            .get_or_insert_with(client, LatestRequests::default)
        {
            recent.push((line_no, time));
        }
    }
}

/// A client's latest [`LEAD_UP_REQUESTS`] requests (line and time), kept in the map's
/// slot: a vector per client was an allocation per client, and dropping the oldest
/// moved the rest on every request.
#[derive(Debug, Clone, Copy)]
struct LatestRequests {
    requests: [(u64, LogTime); LEAD_UP_REQUESTS],
    len: usize,
}

impl Default for LatestRequests {
    fn default() -> Self {
        Self {
            requests: [(
                0,
                LogTime {
                    epoch_secs: 0,
                    offset_secs: 0,
                },
            ); LEAD_UP_REQUESTS],
            len: 0,
        }
    }
}

impl LatestRequests {
    /// Adds the latest request, forgetting the oldest when full.
    fn push(&mut self, request: (u64, LogTime)) {
        if self.len == LEAD_UP_REQUESTS {
            self.requests.copy_within(1.., 0);
            self.requests[LEAD_UP_REQUESTS - 1] = request;
        } else {
            self.requests[self.len] = request;
            self.len += 1;
        }
    }

    /// The requests kept, oldest first.
    fn oldest_first(&self) -> &[(u64, LogTime)] {
        &self.requests[..self.len]
    }
}

/// The path without its query, and whether it names a static file (an extension that is
/// not a script's or a data export's).
fn path_and_kind(target: &str) -> (&str, bool) {
    // memchr: a byte search, where `split` decodes characters.
    let path = memchr::memchr2(b'?', b'#', target.as_bytes()).map_or(target, |at| &target[..at]);
    let file_name = memchr::memrchr(b'/', path.as_bytes()).map_or(path, |at| &path[at + 1..]);
    let extension = memchr::memrchr(b'.', file_name.as_bytes()).map(|at| &file_name[at + 1..]);
    let static_file = extension.is_some_and(|ext| !ext.is_empty() && !is_dynamic_extension(ext));
    (path, static_file)
}

impl Detector for ExfiltrationDetector {
    fn relative_cost(&self) -> u32 {
        8
    }

    fn untracked(&self) -> Option<crate::limits::LeftOut> {
        Some(if self.untracked_candidates > 0 {
            crate::limits::LeftOut::candidates(
                "data exfiltration",
                "oversized responses",
                self.untracked_candidates,
            )
        } else if self.untracked_download_lines > 0 {
            crate::limits::LeftOut {
                what: "data exfiltration".to_owned(),
                kept: MAX_TABLE_KEYS as u64,
                unit: "download paths".to_owned(),
                left_out: self.untracked_download_lines,
                left_out_what: "downloads of other paths".to_owned(),
            }
        } else {
            crate::limits::LeftOut::clients("data exfiltration", self.recent.untracked_lines())
        })
    }

    fn observe(&mut self, line_no: u64, event: &Event<'_>, client: &ClientKey<'_>) {
        let Event::Access(record) = event else { return };
        let sized = record
            .bytes_sent
            .zip(record.target)
            .filter(|_| (200..300).contains(&record.status));
        let Some((bytes, target)) = sized else {
            self.remember(client, line_no, record.time);
            return;
        };
        let (path, download) = path_and_kind(target);
        let download_path = download.then(|| self.digest.of(path));
        match download_path.map(|hash| self.download_paths.entry(hash)) {
            Some(Entry::Occupied(path)) => self.download_sizes[*path.get() as usize].add(bytes),
            Some(Entry::Vacant(path)) if self.download_sizes.len() < MAX_TABLE_KEYS => {
                path.insert(self.download_sizes.len() as u32);
                let mut sizes = Log2Histogram::default();
                sizes.add(bytes);
                self.download_sizes.push(sizes);
            }
            Some(Entry::Vacant(_)) => {
                self.untracked_download_lines = self.untracked_download_lines.saturating_add(1);
            }
            None => self.dynamic_sizes.add(bytes),
        }
        if bytes < self.options.min_bytes {
            self.remember(client, line_no, record.time);
            return;
        }
        if self.candidates.len() >= MAX_CANDIDATES {
            self.untracked_candidates = self.untracked_candidates.saturating_add(1);
            return;
        }
        let lower = normalize_request_text(path);
        self.candidates.push(Candidate {
            client: Box::from(record.client),
            line_no,
            time: record.time,
            bytes,
            download_path,
            sensitive: SENSITIVE_WORDS.iter().any(|w| lower.contains(w)),
            lead_up: self.lead_up(client, record.time),
        });
    }

    fn finish(self: Box<Self>) -> Vec<Finding> {
        struct PerClient {
            evidence: Evidence,
            oversized: u64,
            /// The last line in `evidence`: a lead-up shared by two exports counts once.
            last_line: u64,
            bytes: u64,
            largest_ratio: f64,
            sensitive: bool,
        }
        let mut clients: HashMap<Box<str>, PerClient> = HashMap::new();
        for candidate in self.candidates {
            let baseline = match candidate.download_path {
                Some(hash) => self
                    .download_paths
                    .get(&hash)
                    .map_or(1, |&at| self.download_sizes[at as usize].median()),
                None => self.dynamic_sizes.median(),
            };
            let ratio = candidate.bytes as f64 / baseline.max(1) as f64;
            if ratio < self.options.min_times_baseline {
                continue;
            }
            let lines = candidate
                .lead_up
                .iter()
                .copied()
                .chain([(candidate.line_no, candidate.time)]);
            match clients.get_mut(&candidate.client) {
                Some(client) => {
                    for (line, at) in lines.filter(|(line, _)| *line > client.last_line) {
                        client.evidence.add(line, at);
                    }
                    client.last_line = candidate.line_no;
                    client.oversized += 1;
                    client.bytes = client.bytes.saturating_add(candidate.bytes);
                    client.largest_ratio = client.largest_ratio.max(ratio);
                    client.sensitive |= candidate.sensitive;
                }
                None => {
                    let mut lines = lines;
                    let (first_line, first_at) =
                        lines.next().unwrap_or((candidate.line_no, candidate.time));
                    let mut evidence = Evidence::new(first_line, first_at, self.max_evidence_lines);
                    lines.for_each(|(line, at)| evidence.add(line, at));
                    let client = PerClient {
                        evidence,
                        oversized: 1,
                        last_line: candidate.line_no,
                        bytes: candidate.bytes,
                        largest_ratio: ratio,
                        sensitive: candidate.sensitive,
                    };
                    clients.insert(candidate.client, client);
                }
            }
        }
        clients
            .into_iter()
            .map(|(client, found)| {
                let base = if found.sensitive { 78 } else { 62 };
                let score = score_with_repetition(base, found.oversized, 10);
                let description = format!(
                    "{} sent to {} in {} oversized responses, up to {:.0} times the usual size{}",
                    human_bytes(found.bytes),
                    for_display(&client, 64),
                    found.oversized,
                    found.largest_ratio,
                    if found.sensitive {
                        ", from paths that name exported data"
                    } else {
                        ""
                    }
                );
                let confidence = if found.sensitive { 0.8 } else { 0.6 };
                found.evidence.into_finding(
                    FindingKind::DataExfiltration,
                    &client,
                    score,
                    confidence,
                    description,
                    Vec::new(),
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DetectionOptions;
    use crate::detect::test_lines::{findings, none};

    proptest::proptest! {
        /// The path ends at the first `?` or `#`, the file name follows its last `/`, and
        /// the extension its last `.`, as splitting by characters finds them.
        #[test]
        fn paths_and_kinds_are_found_as_by_splitting(target in "[/.?#a-zA-Zé]{0,24}") {
            let path = target.split(['?', '#']).next().unwrap_or(&target);
            let file_name = path.rsplit('/').next().unwrap_or(path);
            let static_file = file_name.rsplit_once('.').is_some_and(|(_, ext)| {
                !ext.is_empty() && !DYNAMIC_EXTENSIONS.iter().any(|d| ext.eq_ignore_ascii_case(d))
            });
            proptest::prop_assert_eq!(path_and_kind(&target), (path, static_file));
        }
    }

    #[test]
    fn oversized_responses_beyond_the_cap_are_counted_not_kept() {
        let mut detector = ExfiltrationDetector::new(ExfiltrationOptions::default(), 10);
        let extra = 150;
        for i in 0..(MAX_CANDIDATES + extra) as u64 {
            let line = format!(
                "198.51.{}.{} - - [11/Mar/2024:02:00:00 +0000] \"GET /export/{i}.csv HTTP/1.1\" 200 20971520 \"-\" \"curl/8\"",
                i / 256 % 256,
                i % 256
            );
            let mut parser = crate::parse::LineParser::for_format(
                crate::parse::LogFormat::Combined,
                crate::LogTime::parse_rfc3339("2024-06-01T00:00:00Z").unwrap(),
            );
            let Ok((_, event)) = parser.parse(&line) else {
                panic!("{line} does not parse")
            };
            let name = event.client().to_owned();
            detector.observe(i + 1, &event, &ClientKey::new(&name));
        }
        assert_eq!(detector.candidates.len(), MAX_CANDIDATES);
        let untracked = detector.untracked().expect("a limit was reached");
        assert_eq!(
            untracked.sentence(),
            format!(
                "data exfiltration keeps at most {} oversized responses; {extra} oversized responses were left out",
                crate::figures::group_thousands(MAX_CANDIDATES as u64)
            )
        );
    }

    #[test]
    fn dynamic_extensions_are_known_in_any_case_and_nothing_else() {
        for extension in DYNAMIC_EXTENSIONS {
            let upper = extension.to_ascii_uppercase();
            let mixed: String = extension
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    if i % 2 == 0 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect();
            for asked in [extension.to_owned(), upper, mixed] {
                assert!(is_dynamic_extension(&asked), "{asked}");
            }
            for other in [
                format!("{extension}x"),
                format!("x{extension}"),
                format!("{extension}\0"),
                extension[1..].to_owned(),
            ] {
                let listed = DYNAMIC_EXTENSIONS
                    .iter()
                    .any(|d| other.eq_ignore_ascii_case(d));
                assert_eq!(is_dynamic_extension(&other), listed, "{other}");
            }
        }
        for other in ["", "css", "png", "phpé", "ÄSP", "actions", "sqlitE3"] {
            assert!(!is_dynamic_extension(other), "{other}");
        }
    }

    #[test]
    fn static_files_and_programs_are_told_apart() {
        assert_eq!(path_and_kind("/img/logo.PNG?v=2"), ("/img/logo.PNG", true));
        assert_eq!(path_and_kind("/export.CSV#top"), ("/export.CSV", false));
        assert_eq!(path_and_kind("/v1.2/report"), ("/v1.2/report", false));
        assert_eq!(path_and_kind("/dir/archive."), ("/dir/archive.", false));
    }

    fn exfiltration_only() -> DetectionOptions {
        DetectionOptions {
            exfiltration: Some(ExfiltrationOptions::default()),
            ..none()
        }
    }

    fn sized(client: &str, secs: i64, target: &str, bytes: u64) -> String {
        crate::detect::test_lines::line(client, secs, "GET", target, 200)
            .replace(" 200 512 ", &format!(" 200 {bytes} "))
    }

    fn pages() -> Vec<String> {
        (0..200)
            .map(|i| {
                sized(
                    &format!("10.0.2.{}", i % 50),
                    i,
                    "/products",
                    20_000 + i as u64,
                )
            })
            .collect()
    }

    #[test]
    fn the_latest_requests_are_kept_oldest_first() {
        let mut latest = LatestRequests::default();
        let at = |secs| LogTime {
            epoch_secs: secs,
            offset_secs: 0,
        };
        let mut pushed = Vec::new();
        for line in 1..=5 {
            latest.push((line, at(line as i64 * 10)));
            pushed.push((line, at(line as i64 * 10)));
            let kept = pushed.len().min(LEAD_UP_REQUESTS);
            assert_eq!(latest.oldest_first(), &pushed[pushed.len() - kept..]);
        }
    }

    #[test]
    fn a_bulk_export_is_exfiltration() {
        let mut lines = pages();
        lines.push(sized("192.0.2.201", 480, "/account", 8_000));
        lines.extend((0..3).map(|i| {
            sized(
                "192.0.2.201",
                500 + i,
                &format!("/export/customers.csv?page={i}"),
                50_000_000,
            )
        }));
        let found = findings(&lines, exfiltration_only());
        assert_eq!(found.len(), 1);
        assert_eq!(
            (
                found[0].kind,
                found[0].client.as_str(),
                found[0].evidence_count
            ),
            (FindingKind::DataExfiltration, "192.0.2.201", 4)
        );
        // The login page just before the exports is part of the incident, once.
        assert_eq!(found[0].lines, [201, 202, 203, 204]);
        assert!(
            found[0].description.contains("exported data"),
            "{}",
            found[0].description
        );
    }

    #[test]
    fn an_installer_that_is_always_big_is_not() {
        let mut lines = pages();
        lines.extend((0..10).map(|i| {
            sized(
                &format!("10.0.3.{i}"),
                600 + i,
                "/downloads/app-2.3.dmg",
                700_000_000 + i as u64,
            )
        }));
        assert!(findings(&lines, exfiltration_only()).is_empty());
    }
}
