//! What a user agent says it is, for overviews and queries: a browser family, an
//! operating system, and whether a person's browser or a program sent it.
//!
//! A short table of the tokens browsers write, checked in the order that tells them apart
//! (Edge and Opera also say Chrome, Chrome also says Safari, nearly all say Mozilla).
//! woothee does more, but it asks for regex with every Unicode table, a data segment the
//! worker does not otherwise carry; overviews only need the families.

/// Words in a user agent that say a program, not a person, sent it: crawlers, monitors,
/// scanners and the HTTP libraries scripts use.
pub const ROBOT_WORDS: [&str; 24] = [
    "bot",
    "crawl",
    "spider",
    "slurp",
    "scan",
    "curl",
    "wget",
    "python",
    "go-http-client",
    "java/",
    "libwww",
    "okhttp",
    "httpclient",
    "headless",
    "zgrab",
    "nikto",
    "sqlmap",
    "nmap",
    "monitor",
    "uptime",
    "fetch",
    "axios",
    "ruby",
    "perl",
];

/// Who sent a request, as its user agent says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visitor {
    /// A browser, as people use.
    Person,
    /// A crawler, monitor, scanner or script.
    Robot,
    /// No user agent.
    Unknown,
}

impl Visitor {
    /// Its name in queries and overviews.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Robot => "robot",
            Self::Unknown => "unknown",
        }
    }
}

/// The robot word `agent` holds, if it holds one (any case).
pub fn robot_word(agent: &str) -> Option<&'static str> {
    robot_word_in(&agent.to_ascii_lowercase())
}

/// The robot word an agent already in lower case holds.
fn robot_word_in(lower: &str) -> Option<&'static str> {
    ROBOT_WORDS.into_iter().find(|word| lower.contains(word))
}

/// Who sent a request with this user agent.
pub fn visitor(agent: &str) -> Visitor {
    match browser(agent) {
        "none" => Visitor::Unknown,
        "robot" | "other program" => Visitor::Robot,
        _ => Visitor::Person,
    }
}

/// The browser family: `Chrome`, `Firefox`, `Safari`, `Edge`, `Opera`, `Samsung
/// Internet`, `Internet Explorer`, `other browser`; or `robot`, `other program`, `none`.
pub fn browser(agent: &str) -> &'static str {
    let agent = agent.trim();
    if agent.is_empty() || agent == "-" {
        return "none";
    }
    let lower = agent.to_ascii_lowercase();
    if robot_word_in(&lower).is_some() {
        return "robot";
    }
    let has = |token: &str| lower.contains(token);
    if has("edg/") || has("edge/") || has("edga/") || has("edgios/") {
        "Edge"
    } else if has("opr/") || has("opera") {
        "Opera"
    } else if has("samsungbrowser/") {
        "Samsung Internet"
    } else if has("firefox/") || has("fxios/") {
        "Firefox"
    } else if has("chrome/") || has("crios/") || has("chromium/") {
        "Chrome"
    } else if has("msie ") || has("trident/") {
        "Internet Explorer"
    } else if has("safari/") && has("version/") {
        "Safari"
    } else if lower.starts_with("mozilla/") {
        "other browser"
    } else {
        "other program"
    }
}

/// The operating system: `Windows`, `Android`, `iOS`, `macOS`, `ChromeOS`, `Linux`, or
/// `unknown`.
pub fn system(agent: &str) -> &'static str {
    let lower = agent.to_ascii_lowercase();
    let has = |token: &str| lower.contains(token);
    if has("windows") {
        "Windows"
    } else if has("android") {
        "Android"
    } else if has("iphone") || has("ipad") || has("ipod") {
        "iOS"
    } else if has("mac os x") || has("macintosh") {
        "macOS"
    } else if has("cros ") {
        "ChromeOS"
    } else if has("linux") || has("x11") {
        "Linux"
    } else {
        "unknown"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Agents as real logs write them (the repository's real corpus and browsers' own).
    const AGENTS: [(&str, &str, &str, Visitor); 13] = [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/109.0",
            "Firefox",
            "Windows",
            Visitor::Person,
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.2 Safari/605.1.15",
            "Safari",
            "macOS",
            Visitor::Person,
        ),
        (
            "Mozilla/5.0 (Linux; Android 8.0.0; LG-H932) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/76.0.3809.111 Mobile Safari/537.36",
            "Chrome",
            "Android",
            Visitor::Person,
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0",
            "Edge",
            "Windows",
            Visitor::Person,
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/119.0 Mobile/15E148 Safari/604.1",
            "Chrome",
            "iOS",
            Visitor::Person,
        ),
        (
            "Opera/9.5 (Microsoft Windows; PPC; Opera Mobi; U) SonyEricssonX1i/R2AA Profile/MIDP-2.0 Configuration/CLDC-1.1",
            "Opera",
            "Windows",
            Visitor::Person,
        ),
        (
            "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0)",
            "Internet Explorer",
            "Windows",
            Visitor::Person,
        ),
        (
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "robot",
            "unknown",
            Visitor::Robot,
        ),
        (
            "Mozilla/5.0 (compatible; PRTG Network Monitor (www.paessler.com); Windows)",
            "robot",
            "Windows",
            Visitor::Robot,
        ),
        ("python-requests/2.32.3", "robot", "unknown", Visitor::Robot),
        ("Custom-AsyncHttpClient", "robot", "unknown", Visitor::Robot),
        (
            "Expanse, a Palo Alto Networks company, searches across the global IPv4 space",
            "other program",
            "unknown",
            Visitor::Robot,
        ),
        ("-", "none", "unknown", Visitor::Unknown),
    ];

    #[test]
    fn real_agents_read_as_their_family_and_system() {
        for (agent, family, os, who) in AGENTS {
            assert_eq!(browser(agent), family, "{agent}");
            assert_eq!(system(agent), os, "{agent}");
            assert_eq!(visitor(agent), who, "{agent}");
        }
        assert_eq!(robot_word("Mozilla/5.0 zgrab/0.x"), Some("zgrab"));
        assert_eq!(browser(""), "none");
    }
}
