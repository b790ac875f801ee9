//! No identity survives a pseudonymised export, whatever the format, the field or the
//! spelling: random addresses (IPv4 and IPv6, plain, mapped, bracketed, with ports and
//! zones, percent-encoded once or twice, `\x2e`, `&#46;`, `[.]`), host names and user
//! names are planted in random fields of every format; the report, its JSON, CSV and
//! HTML (evidence lines and file name included) must hold none of them.
//!
//! The property must also notice each part of the hiding gone: with any one part
//! switched off, some planted identity leaks. And the logs of the real-log corpus, which
//! nobody here wrote, keep none of their addresses or file names once exported.

use loglens_core::export::{
    HtmlContext, html_report, json_report, wanted_evidence_lines, wanted_flagged_lines,
    write_flagged_lines,
};
use loglens_core::line_collector::LineCollector;
use loglens_core::pseudonym::{HidingPart, PseudonymMode, Pseudonymizer};
use loglens_core::{AnalysisOptions, FindingFilter, LogTime, analyze_bytes};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use regex::Regex;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::LazyLock;

/// The identities of one case and the log they were planted in.
#[derive(Debug, Clone)]
struct Planted {
    v4: Ipv4Addr,
    v6: Ipv6Addr,
    host: String,
    free_host: String,
    single_host: String,
    user: String,
    token: String,
    file_name: String,
    log: String,
}

impl Planted {
    /// The words that must not appear (besides the two addresses).
    fn names(&self) -> Vec<&str> {
        vec![
            &self.host,
            &self.free_host,
            &self.single_host,
            &self.user,
            &self.token,
            self.file_name.trim_end_matches(".log"),
        ]
    }
}

/// How the IPv4 address is written where it is free text.
fn v4_spelling(address: Ipv4Addr, how: usize) -> String {
    let plain = address.to_string();
    match how {
        0 => plain,
        1 => plain.replace('.', "[.]"),
        2 => plain.replace('.', "%2E"),
        3 => plain.replace('.', "%252e"),
        4 => plain.replace('.', r"\x2e"),
        5 => plain.replace('.', "&#46;"),
        6 => format!("::ffff:{plain}"),
        _ => format!("{plain}:8443"),
    }
}

/// How the IPv6 address is written.
fn v6_spelling(address: Ipv6Addr, how: usize) -> String {
    let plain = address.to_string();
    match how {
        0 => plain,
        1 => plain.to_uppercase(),
        2 => address.segments().map(|s| format!("{s:04x}")).join(":"),
        3 => format!("[{plain}]:443"),
        4 => format!("{plain}%eth0"),
        _ => plain.replace(':', "%3A"),
    }
}

fn word(letters: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::char::range('a', 'z'), letters)
        .prop_map(|chars| chars.into_iter().collect())
}

prop_compose! {
    fn planted()(
        v4 in (1u32..=223, any::<[u8; 3]>()).prop_map(|(a, [b, c, d])| Ipv4Addr::new(a as u8, b, c, d)),
        v6 in any::<[u16; 7]>().prop_map(|s| Ipv6Addr::new(0x2a01, s[0], s[1], s[2], s[3], s[4], s[5], s[6] | 1)),
        host in (word(4..=9), word(4..=9), 0usize..7),
        free_host in (word(4..=9), word(4..=9), 0usize..7),
        single_host in (word(5..=9), 10u8..99),
        user in (word(4..=8), 1u16..999),
        token in word(12..=16),
        file_name in (word(3..=8), word(3..=8)),
        format in 0usize..7,
        v4_how in 0usize..8,
        v6_how in 0usize..6,
        client_is_v6 in any::<bool>(),
    ) -> Planted {
        const TLDS: [&str; 7] = ["com", "net", "org", "io", "example", "internal", "de"];
        let host = format!("{}.{}.{}", host.0, host.1, TLDS[host.2]);
        let free_host = format!("{}.{}.{}", free_host.0, free_host.1, TLDS[free_host.2]);
        let single_host = format!("{}{}", single_host.0, single_host.1);
        let user = format!("{}{}", user.0, user.1);
        let file_name = format!("{}-{}.log", file_name.0, file_name.1);
        let mut planted = Planted { v4, v6, host, free_host, single_host, user, token, file_name, log: String::new() };
        planted.log = log(&planted, format, v4_how, v6_how, client_is_v6);
        planted
    }
}

/// A log of one format, every line an attack (so every line is evidence), the
/// identities in the fields that format has, and one line no parser reads. A name stands
/// at least once where logs put names (a host field, `user=`): a bare word elsewhere
/// cannot be told from any other word.
fn log(p: &Planted, format: usize, v4_how: usize, v6_how: usize, client_is_v6: bool) -> String {
    let v4 = v4_spelling(p.v4, v4_how);
    let v6 = v6_spelling(p.v6, v6_how);
    let client = if client_is_v6 {
        p.v6.to_string()
    } else {
        p.v4.to_string()
    };
    let other = if client_is_v6 { v4.clone() } else { v6.clone() };
    let (host, free, single, user, token) =
        (&p.host, &p.free_host, &p.single_host, &p.user, &p.token);
    let query = format!(
        "id=1%27%20UNION%20SELECT%20password%20FROM%20users--&peer={other}&site={free}&user={user}&home=/home/{user}/&token={token}"
    );
    let mut lines: Vec<String> = (0..24)
        .map(|i| match format {
            0 => format!(r#"{client} - {user} [11/Mar/2024:10:{i:02}:00 +0000] "GET /item?{query} HTTP/1.1" 200 512 "http://{host}/from" "Mozilla/5.0 (X11; Linux x86_64)""#),
            1 => format!("Mar 11 10:{i:02}:00 {single} sshd[42]: Failed password for invalid user {user} from {client} port 4{i:04} ssh2 [{free}] peer {other}"),
            2 => format!("<38>1 2024-03-11T10:{i:02}:00Z {single} sshd 42 - - pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={host} user={user} peer={other} site={free}"),
            3 => format!(r#"{{"time":"2024-03-11T10:{i:02}:00+00:00","remote_addr":"{client}","request":"GET /item?{query} HTTP/1.1","status":"200","body_bytes_sent":"43","http_referer":"https://{host}/","http_user_agent":"sqlmap/1.7"}}"#),
            4 => format!("[Mon Mar 11 10:{i:02}:00.000000 2024] [core:error] [pid 1:tid 2] [client {client}:5{i:04}] AH00126: Invalid URI in request GET /../../etc/passwd?{query} HTTP/1.1, referer: http://{host}/"),
            5 => format!(r#"2024/03/11 10:{i:02}:00 [error] 550#0: *1 open() "/var/www/.env" failed (2: No such file or directory), client: {client}, server: {single}, request: "GET /.env?{query} HTTP/1.1", host: "{host}""#),
            _ => format!(r#"{client} - - [11/Mar/2024 10:{i:02}:00] "GET /item?{query} HTTP/1.1" 200 -"#),
        })
        .collect();
    lines.insert(3, format!("\u{1}garbage {client} {user}@{host} {other}"));
    let mut log = lines.join("\n");
    log.push('\n');
    log
}

/// Everything an export may show of `planted`'s log.
fn exports(planted: &Planted, hiding: Option<Pseudonymizer>) -> String {
    exports_of(planted.log.as_bytes(), &planted.file_name, hiding)
}

/// Everything an export may show of a log: the report the page keeps, the JSON, the CSV
/// and the HTML report with its evidence lines and the file's name.
fn exports_of(input: &[u8], file_name: &str, hiding: Option<Pseudonymizer>) -> String {
    let options = AnalysisOptions {
        now: LogTime::parse_rfc3339("2024-06-01T00:00:00Z").unwrap(),
        ..AnalysisOptions::default()
    };
    let report = analyze_bytes(input, options);
    // Every candidate, so near-misses cannot hide a leak.
    let everything = FindingFilter {
        sensitivity: 100,
        ..FindingFilter::default()
    };
    // The HTML report's evidence and the CSV's flagged lines, read again from the input.
    let mut wanted = wanted_evidence_lines(&report, everything);
    wanted.extend(wanted_flagged_lines(&report, everything));
    wanted.sort_unstable();
    wanted.dedup();
    let mut collector = LineCollector::new(wanted);
    collector.feed(input);
    let mut lines = collector.finish();
    let (report, source) = match hiding {
        Some(mut hider) => (
            hider.export(&report, &mut lines),
            hider.source_name(file_name),
        ),
        None => (report, file_name.to_owned()),
    };
    let mut csv = Vec::new();
    write_flagged_lines(&mut csv, &report, everything, &lines).unwrap();
    let context = HtmlContext {
        source,
        generated: String::new(),
        pseudonymized: true,
    };
    [
        html_report(&report, everything, &context, &lines),
        serde_json::to_string(&json_report(&report, everything)).unwrap(),
        String::from_utf8(csv).unwrap(),
        serde_json::to_string(&report).unwrap(),
    ]
    .join("\n")
}

/// `text` with every escape an export or a payload may use undone, lowercased.
fn normalized(text: &str) -> String {
    static PERCENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"%([0-9A-Fa-f]{2})").unwrap());
    static HEX: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\\x([0-9A-Fa-f]{2})").unwrap());
    let mut text = text
        .replace("&amp;", "&")
        .replace("&#46;", ".")
        .replace("[.]", ".")
        .replace("\\\\", "\\");
    for _ in 0..3 {
        for pattern in [&*PERCENT, &*HEX] {
            text = pattern
                .replace_all(&text, |caps: &regex::Captures<'_>| {
                    let byte = u8::from_str_radix(&caps[1], 16).unwrap();
                    if byte.is_ascii() {
                        char::from(byte).to_string()
                    } else {
                        caps[0].to_owned()
                    }
                })
                .into_owned();
        }
    }
    text.to_lowercase()
}

/// The planted identities `export` still holds.
fn leaks(planted: &Planted, export: &str) -> Vec<String> {
    static V4: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}").unwrap());
    static V6: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[0-9a-f:]*:[0-9a-f:]*:[0-9a-f:.]*").unwrap());
    let text = normalized(export);
    let mut found = Vec::new();
    let v4_seen = V4
        .find_iter(&text)
        .any(|m| m.as_str().parse::<Ipv4Addr>().ok() == Some(planted.v4));
    let v6_seen = V6.find_iter(&text).any(|m| {
        let candidate = m.as_str().trim_matches(':');
        [candidate, m.as_str()]
            .iter()
            .any(|c| match c.parse::<IpAddr>() {
                Ok(IpAddr::V6(v6)) => v6 == planted.v6 || v6.to_ipv4_mapped() == Some(planted.v4),
                _ => false,
            })
    });
    if v4_seen {
        found.push(planted.v4.to_string());
    }
    if v6_seen {
        found.push(planted.v6.to_string());
    }
    for name in planted.names() {
        let word = Regex::new(&format!(
            r"(^|[^a-z0-9]){}($|[^a-z0-9])",
            regex::escape(name)
        ))
        .unwrap();
        if word.is_match(&text) {
            found.push(name.to_owned());
        }
    }
    found
}

const KEY: [u8; 16] = *b"leaks last years";

fn keyed() -> Pseudonymizer {
    Pseudonymizer::new(PseudonymMode::Keyed(KEY))
}

fn check(planted: &Planted, off: Option<HidingPart>) -> Result<(), TestCaseError> {
    let raw = leaks(planted, &exports(planted, None));
    // The plant reached the export: otherwise hiding it proves nothing.
    prop_assert!(
        raw.len() >= 5,
        "only {raw:?} reached the export of\n{}",
        planted.log
    );
    let mut hider = keyed();
    if let Some(part) = off {
        hider = hider.without(part);
    }
    let hidden = exports(planted, Some(hider));
    let leaked = leaks(planted, &hidden);
    prop_assert!(leaked.is_empty(), "{leaked:?} leaked from\n{}", planted.log);
    Ok(())
}

proptest! {
    #![proptest_config(Config { cases: 64, ..Config::default() })]

    #[test]
    fn no_planted_identity_survives_any_export(planted in planted()) {
        check(&planted, None)?;
    }
}

#[test]
fn switching_off_any_part_of_the_hiding_leaks() {
    for part in [
        HidingPart::Addresses,
        HidingPart::MappedAddresses,
        HidingPart::Escapes,
        HidingPart::PlacedNames,
        HidingPart::KnownNames,
        HidingPart::DottedHosts,
        HidingPart::Secrets,
        HidingPart::SourceName,
    ] {
        let mut runner = TestRunner::new(Config {
            cases: 128,
            failure_persistence: None,
            max_shrink_iters: 0,
            ..Config::default()
        });
        let outcome = runner.run(&planted(), |planted| check(&planted, Some(part)));
        assert!(
            outcome.is_err(),
            "with {part:?} off, nothing leaked in 128 cases"
        );
    }
}

/// Every IPv4 and IPv6 address a text writes plainly.
fn plain_addresses(text: &str) -> Vec<IpAddr> {
    static CANDIDATE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[0-9A-Fa-f:.]*[:.][0-9A-Fa-f:.]*").unwrap());
    CANDIDATE
        .find_iter(text)
        .filter_map(|m| m.as_str().trim_matches(['.', ':']).parse().ok())
        .filter(|address: &IpAddr| !address.is_loopback() && !address.is_unspecified())
        .collect()
}

#[test]
fn no_address_of_the_real_logs_survives_their_exports() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../example_logs/real");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !path.is_file() || name.ends_with(".md") || name.ends_with(".txt") {
            continue;
        }
        let log = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        let planted = Planted {
            v4: Ipv4Addr::UNSPECIFIED,
            v6: Ipv6Addr::UNSPECIFIED,
            host: String::new(),
            free_host: String::new(),
            single_host: String::new(),
            user: String::new(),
            token: String::new(),
            file_name: name.clone(),
            log,
        };
        let originals = plain_addresses(&planted.log);
        let export = exports(
            &planted,
            Some(Pseudonymizer::new(PseudonymMode::Keyed(KEY))),
        );
        let left: Vec<IpAddr> = plain_addresses(&export)
            .into_iter()
            .filter(|address| originals.contains(address))
            .collect();
        assert!(left.is_empty(), "{name}: {left:?} survived");
        assert!(
            !export.contains(name.trim_end_matches(".log")),
            "{name} names itself"
        );
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} real logs");
}

/// Each of `originals` that `export` holds as a word.
fn present<'o>(export: &str, originals: &'o [String]) -> Vec<&'o str> {
    originals
        .iter()
        .filter(|original| {
            Regex::new(&format!(r"(^|[^\w.]){}($|[^\w])", regex::escape(original)))
                .unwrap()
                .is_match(export)
        })
        .map(String::as_str)
        .collect()
}

/// The distinct IPv4 addresses `text` writes.
fn ipv4_texts(text: &str) -> Vec<String> {
    let v4 = Regex::new(r"\b\d{1,3}(?:\.\d{1,3}){3}\b").unwrap();
    let mut found: Vec<String> = v4.find_iter(text).map(|m| m.as_str().to_owned()).collect();
    found.sort();
    found.dedup();
    found
}

#[test]
fn an_auth_log_export_keeps_no_address_or_user_name() {
    let input = include_str!("../../../example_logs/auth.log");
    let export = exports_of(input.as_bytes(), "auth.log", Some(keyed()));
    assert!(export.contains("brute_force"), "no findings to hide");
    let mut originals = ipv4_texts(input);
    assert!(originals.len() >= 3);
    // The generator's accounts and the names attackers tried: even names every system
    // has are hidden where they name a user.
    for name in [
        "alice", "bob", "deploy", "root", "admin", "test", "oracle", "postgres", "ubuntu", "guest",
        "git", "ftp",
    ] {
        if input.contains(name) {
            originals.push(name.to_owned());
        }
    }
    assert_eq!(present(&export, &originals), Vec::<&str>::new());
}

#[test]
fn an_access_log_export_keeps_no_address_user_email_or_secret() {
    let lines = [
        r#"203.0.113.77 - j.miller [11/Mar/2024:14:20:00 +0100] "POST /login?next=/account&session=9f8e7d6c5b4a HTTP/1.1" 401 43 "https://bob:hunter2@intranet.example/" "python-requests/2.31.0""#,
        r#"198.51.100.23 - - [11/Mar/2024:14:20:01 +0100] "GET /reset?email=jane.doe@example.org&api_key=AKIA1234SECRET HTTP/1.1" 200 5 "-" "sqlmap/1.7""#,
        r#"2001:4860:4860::8888 - - [11/Mar/2024:14:20:02 +0100] "GET /search?q=1%27%20union%20select%20password%20from%20users--&token=tok_live_777 HTTP/1.1" 200 5 "-" "curl/8""#,
        r#"192.0.2.150 - ops [11/Mar/2024:14:20:03 +0100] "GET /.env HTTP/1.1" 404 5 "-" "Authorization: Bearer abcdefghijklmnopqrstuvwxyz""#,
    ];
    let mut input = lines.join("\n");
    input.push('\n');
    // Repeat the guesses so there is a brute-force finding too.
    for second in 10..40 {
        input.push_str(&format!(
            "203.0.113.77 - j.miller [11/Mar/2024:14:21:{second} +0100] \"POST /login HTTP/1.1\" 401 43 \"-\" \"python-requests/2.31.0\"\n"
        ));
    }
    let export = exports_of(input.as_bytes(), "input.log", Some(keyed()));
    let mut originals = ipv4_texts(&input);
    originals.extend(
        [
            "2001:4860:4860::8888",
            "j.miller",
            "ops",
            "jane.doe@example.org",
            "hunter2",
            "9f8e7d6c5b4a",
            "AKIA1234SECRET",
            "tok_live_777",
            "abcdefghijklmnopqrstuvwxyz",
            "intranet.example",
        ]
        .map(String::from),
    );
    assert_eq!(present(&export, &originals), Vec::<&str>::new());
    // What was found is still there to read.
    assert!(export.contains("brute_force") && export.contains("sensitive_file_probe"));
}
