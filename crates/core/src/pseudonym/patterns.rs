//! Where identifiers stand in log text: addresses anywhere, user and host names where
//! logs put them, and secrets.

use regex::Regex;
use std::sync::LazyLock;

fn compiled(what: &str, pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("the {what} pattern does not compile: {e}"))
}

/// An IPv4 octet, leading zeros allowed.
const OCTET: &str = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|0*[1-9]?[0-9])";
/// A dot, or the ways threat reports and payloads write one (`[.]`, `(dot)`).
const DOT: &str = r"(?:\.|\[\.\]|\(\.\)|\[dot\]|\(dot\))";

/// An IPv4 address: four octets, dots in any of [`DOT`]'s spellings. No word boundaries:
/// in `x2F198.51.100.9` the address follows a letter, and hiding a few digits too many is
/// better than leaking an address.
pub(crate) static IPV4: LazyLock<Regex> = LazyLock::new(|| {
    compiled(
        "IPv4",
        &format!("{OCTET}{DOT}{OCTET}{DOT}{OCTET}{DOT}{OCTET}"),
    )
});

/// An IPv4 address, or something shaped like an IPv6 one (hex groups and colons, an IPv4
/// tail as in `::ffff:203.0.113.9`, a zone id as in `fe80::1%eth0`): the caller keeps
/// only what parses as an address.
pub(crate) static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    let v4 = format!("{OCTET}{DOT}{OCTET}{DOT}{OCTET}{DOT}{OCTET}");
    compiled(
        "address",
        &format!(
            r"(?P<v6>(?:[0-9A-Fa-f]{{0,4}}:){{2,7}}(?:{v4}|[0-9A-Fa-f]{{1,4}})?(?:%(?:25)?[A-Za-z][0-9A-Za-z]*)?)|(?P<v4>{v4})"
        ),
    )
});

/// What a name found in a fixed place names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum NameKind {
    User,
    Host,
}

/// A name a log puts in a known place, in the group `name`: sshd, PAM, sudo and Cowrie
/// users; access logs' client, ident and user fields; syslog's host; URL hosts;
/// `host=`-style keys; the sources a campaign lists (group `list`, names joined by `, `).
pub(crate) static PLACED_NAMES: LazyLock<Vec<(NameKind, Regex)>> = LazyLock::new(|| {
    const USER: &str = r"[A-Za-z0-9_][A-Za-z0-9._@$-]{0,63}";
    const HOST: &str = r"[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?)*";
    let user = |pattern: &str| {
        (
            NameKind::User,
            compiled("user", &pattern.replace("NAME", USER)),
        )
    };
    let host = |pattern: &str| {
        (
            NameKind::Host,
            compiled("host", &pattern.replace("NAME", HOST)),
        )
    };
    vec![
        user(r"\b(?:[Ii]nvalid|[Ii]llegal|authenticating|[Uu]ser|for) user (?P<name>NAME)"),
        user(
            r"\b(?:password|publickey|keyboard-interactive(?:/pam)?|none|hostbased|gssapi-with-mic|pam) for (?:invalid user )?(?P<name>NAME)",
        ),
        user(r"\buser (?P<name>NAME)"),
        user(
            r"\b(?:r?user|logname|USER|user_?name|login|account|usr)(?:=|[\x22']\s*:\s*[\x22']?)(?P<name>NAME)",
        ),
        user(r"\bby (?P<name>NAME)\(uid="),
        user(r"login attempt \[(?P<name>[^/\]\s]{1,64})/"),
        user(r"(?m)^(?:.*?:\s+)?(?P<name>NAME) : (?:TTY|PWD|USER|COMMAND)="),
        user(r"(?m)^[^\s\[]+ (?P<name>[^\s\[-][^\s\[]*) \S+ \["),
        user(r"(?m)^[^\s\[]+ \S+ (?P<name>[^\s\[-][^\s\[]*) \["),
        host(r"(?m)^(?P<name>NAME)(?::\d+)? \S+ \S+ \["),
        host(
            r"(?m)^(?:<\d{1,3}>\d?\s*)?(?:[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT[0-9:.]+(?:Z|[+-]\d\d:?\d\d)?) (?P<name>NAME) ",
        ),
        host(r"(?i)[a-z][a-z0-9+.-]*://(?:[^/\s@\x22']*@)?(?P<name>NAME)"),
        host(
            r"(?i)\b(?:r?host(?:_?name)?|server(?:_?name)?|vhost|domain|fqdn|client|peer|src|dst|remote(?:_?addr)?)(?:=|[\x22']?\s*:\s*[\x22']?)(?P<name>NAME)",
        ),
        host(r"\bfrom (?P<name>NAME)(?: port\b|\[)"),
        host(r"\[client (?P<name>NAME)"),
        host(r"\bsources?: (?P<list>NAME(?:, NAME)*)"),
    ]
});

/// Secrets: query values, URL credentials, bearer tokens and JWTs; e-mail addresses.
pub(crate) static SECRET: LazyLock<Regex> = LazyLock::new(|| {
    compiled(
        "secret",
        r"(?xi)
        (?P<param>[?&;](?:[a-z0-9_.-]*(?:token|key|pass(?:word|wd)?|pwd|secret|session|sessid|sid|auth|sig|signature|code|credential)[a-z0-9_.-]*)=)[^&\s\x22']+
        | (?P<scheme>[a-z][a-z0-9+.-]*://)[^/\s:@\x22']+:[^/\s@\x22']+@
        | (?P<bearer>bearer\s+)[A-Za-z0-9._~+/=-]{8,}
        | \beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*
        | (?P<email>\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b)",
    )
});

/// A word that may be a known name or a dotted host: letters, digits, `.`, `_`, `-`.
pub(crate) static WORD: LazyLock<Regex> =
    LazyLock::new(|| compiled("word", r"[A-Za-z0-9_][A-Za-z0-9._-]*"));
