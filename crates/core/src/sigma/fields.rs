//! Sigma's field names on our parsed lines, for the log sources we serve.
//!
//! | logsource | Sigma fields | our field |
//! |---|---|---|
//! | `category: webserver`, `proxy` | `cs-method`, `c-method` | method (an error log's request: its first word, when a target follows) |
//! | | `cs-uri-query`, `cs-uri`, `c-uri`, `cs-uri-full` | target: path and query string (SigmaHQ's webserver rules look for path fragments such as `/etc/passwd` in `cs-uri-query`) |
//! | | `cs-uri-stem`, `c-uri-stem` | path |
//! | | `c-uri-query` | query string (after `?`) |
//! | | `c-uri-extension` | the path's file ending, without the dot |
//! | | `cs-user-agent`, `c-useragent` | user agent |
//! | | `cs-referer`, `cs-referrer` | referer |
//! | | `cs-host`, `r-dns` | virtual host, without a port (`shop.example:443` is `shop.example`) |
//! | | `sc-status` | status |
//! | | `c-ip`, `src_ip` | client (an error log's too) |
//! | | `cs-username` | user |
//! | | `sc-bytes` | bytes sent |
//! | `product: linux` (`service: sshd`, `auth`, `syslog` or none) | `keywords` | the message |
//! | | `hostname`, `host` | host that logged it |
//! | | `program`, `service` | program |
//! | | `user` | the user a login names |
//!
//! `keywords` search what a line says: a request's line, referer and user agent (the
//! parts a client wrote), a message's text.

use crate::event::Event;
use std::borrow::Cow;

/// The kind of line a rule's logsource is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Web requests: access logs, and the request an error log names.
    Web,
    /// Linux's messages: syslog, auth.log.
    Linux,
}

impl Source {
    /// The log source's name as rules write it: `webserver` (or `proxy`), `linux`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Web => "webserver",
            Self::Linux => "linux",
        }
    }

    /// The kind of line `event` is, if rules read it: an error log's request is a web
    /// request too, its other messages are Linux's.
    pub fn of(event: &Event<'_>) -> Option<Self> {
        match event {
            Event::Access(_) => Some(Self::Web),
            Event::Syslog(record) if record.request.is_some() => Some(Self::Web),
            Event::Syslog(_) => Some(Self::Linux),
            Event::Flow(_) => None,
        }
    }
}

/// The kind of line `logsource` names, or why we cannot serve it.
pub fn source_of(
    category: Option<&str>,
    product: Option<&str>,
    service: Option<&str>,
) -> Result<Source, String> {
    let lower = |s: Option<&str>| s.map(str::to_ascii_lowercase);
    match (
        lower(category).as_deref(),
        lower(product).as_deref(),
        lower(service).as_deref(),
    ) {
        (Some("webserver" | "proxy"), _, _) => Ok(Source::Web),
        (None, Some("linux"), None | Some("sshd" | "auth" | "syslog")) => Ok(Source::Linux),
        _ => Err(format!(
            "its logsource ({}) is not one loglens reads: webserver, proxy, or linux with sshd, auth or syslog",
            [
                ("category", category),
                ("product", product),
                ("service", service)
            ]
            .iter()
            .filter_map(|(k, v)| v.map(|v| format!("{k}: {v}")))
            .collect::<Vec<_>>()
            .join(", ")
        )),
    }
}

/// A Sigma field, resolved once when a rule is compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `cs-method`
    Method,
    /// `cs-uri-query`, `cs-uri`: path and query string.
    Target,
    /// `cs-uri-stem`
    Path,
    /// `c-uri-query`: the query string, after `?`.
    Query,
    /// `c-uri-extension`: the path's file ending, without the dot.
    Extension,
    /// `cs-user-agent`
    UserAgent,
    /// `cs-referer`
    Referer,
    /// `cs-host`; Linux's `hostname`.
    Host,
    /// `sc-status`
    Status,
    /// `c-ip`
    Client,
    /// `cs-username`; Linux's `user`.
    User,
    /// `sc-bytes`
    Bytes,
    /// Linux's `program`.
    Program,
    /// What `keywords` search: see [`keyword_text`].
    Keywords,
}

/// Every Sigma field name we read, per log source, with what it means: the table in the
/// module's docs.
pub const NAMES: &[(Source, &str, Field)] = &[
    (Source::Web, "cs-method", Field::Method),
    (Source::Web, "c-method", Field::Method),
    (Source::Web, "cs-uri-query", Field::Target),
    (Source::Web, "cs-uri", Field::Target),
    (Source::Web, "c-uri", Field::Target),
    (Source::Web, "cs-uri-full", Field::Target),
    (Source::Web, "cs-uri-stem", Field::Path),
    (Source::Web, "c-uri-stem", Field::Path),
    (Source::Web, "c-uri-query", Field::Query),
    (Source::Web, "c-uri-extension", Field::Extension),
    (Source::Web, "cs-user-agent", Field::UserAgent),
    (Source::Web, "c-useragent", Field::UserAgent),
    (Source::Web, "cs-referer", Field::Referer),
    (Source::Web, "cs-referrer", Field::Referer),
    (Source::Web, "cs-host", Field::Host),
    (Source::Web, "r-dns", Field::Host),
    (Source::Web, "sc-status", Field::Status),
    (Source::Web, "c-ip", Field::Client),
    (Source::Web, "src_ip", Field::Client),
    (Source::Web, "cs-username", Field::User),
    (Source::Web, "sc-bytes", Field::Bytes),
    (Source::Linux, "hostname", Field::Host),
    (Source::Linux, "host", Field::Host),
    (Source::Linux, "user", Field::User),
    (Source::Linux, "program", Field::Program),
    (Source::Linux, "service", Field::Program),
];

/// A line's Sigma fields that have a value, by name.
pub type NamedValues<'a> = Vec<(&'static str, Cow<'a, str>)>;

/// Each Sigma field of `event` that has a value, by name (every alias; `keywords` last),
/// with the log source it is read as: what a rule sees of the line.
pub fn sigma_fields<'a>(event: &Event<'a>) -> Option<(Source, NamedValues<'a>)> {
    let source = Source::of(event)?;
    let mut fields: Vec<_> = NAMES
        .iter()
        .filter(|(s, _, _)| *s == source)
        .filter_map(|(_, name, field)| Some((*name, field.value(event)?)))
        .collect();
    fields.push(("keywords", keyword_text(event)));
    Some((source, fields))
}

/// Where a field's text is found in a line, for the literal search that picks the rules
/// worth running on it ([`super::prefilter`]). Every field's value lies inside one of the
/// texts its haystack names for the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Haystack {
    /// A request's line, target and method; an error log's message.
    Request,
    /// A request's user agent.
    UserAgent,
    /// A request's referer.
    Referer,
    /// The virtual host, or the host that logged a message.
    Host,
    /// The client's address.
    Client,
    /// The user a line names.
    User,
    /// The program that logged a message.
    Program,
    /// A syslog message.
    Message,
}

impl Field {
    /// The field `name` means for `source`, if we read it.
    pub fn named(source: Source, name: &str) -> Option<Self> {
        NAMES
            .iter()
            .find(|(s, n, _)| *s == source && n.eq_ignore_ascii_case(name))
            .map(|(_, _, field)| *field)
    }

    /// Its first Sigma name in the table (`cs-uri-stem`), to say what is counted.
    pub fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(_, _, field)| *field == self)
            .map_or("keywords", |(_, name, _)| *name)
    }

    /// Whether its value is a number (compared as text, as Sigma's backends print it).
    pub fn is_number(self) -> bool {
        matches!(self, Self::Status | Self::Bytes)
    }

    /// Where the field's text lies: none for numbers, several for keywords.
    pub fn haystacks(self, source: Source) -> &'static [Haystack] {
        match self {
            Self::Method | Self::Target | Self::Path | Self::Query | Self::Extension => {
                &[Haystack::Request]
            }
            Self::UserAgent => &[Haystack::UserAgent],
            Self::Referer => &[Haystack::Referer],
            Self::Host => &[Haystack::Host],
            Self::Client => &[Haystack::Client],
            Self::User => &[Haystack::User],
            Self::Program => &[Haystack::Program],
            Self::Status | Self::Bytes => &[],
            Self::Keywords => match source {
                Source::Web => &[Haystack::Request, Haystack::UserAgent, Haystack::Referer],
                Source::Linux => &[Haystack::Message],
            },
        }
    }

    /// The field's value in `event`, when the line has it.
    pub fn value<'a>(self, event: &Event<'a>) -> Option<Cow<'a, str>> {
        if self == Self::Keywords {
            return Some(keyword_text(event));
        }
        match event {
            Event::Access(r) => {
                let target = r.target.unwrap_or(r.request);
                let path = target.split(['?', '#']).next().unwrap_or(target);
                let text = match self {
                    Self::Method => r.method?,
                    Self::Target => target,
                    Self::Path => path,
                    Self::Query => target.split_once('?').map_or("", |(_, q)| q),
                    Self::Extension => path
                        .rsplit('/')
                        .next()
                        .and_then(|name| name.rsplit_once('.'))
                        .map_or("", |(_, ending)| ending),
                    Self::UserAgent => r.user_agent?,
                    Self::Referer => r.referer?,
                    Self::Host => host_name(r.vhost?),
                    Self::Client => r.client,
                    Self::User => r.user?,
                    Self::Status => return Some(Cow::Owned(r.status.to_string())),
                    Self::Bytes => return r.bytes_sent.map(|b| Cow::Owned(b.to_string())),
                    Self::Program | Self::Keywords => return None,
                };
                Some(Cow::Borrowed(text))
            }
            Event::Syslog(r) => {
                let text = match self {
                    // An error log's request (`GET /x HTTP/1.1`): its method and target. A
                    // single word is a path on disk (Apache's "client denied by server
                    // configuration: /var/www/…"), neither.
                    Self::Method | Self::Target => {
                        let mut words = r.request?.split_whitespace();
                        let (method, target) = (words.next()?, words.next()?);
                        if self == Self::Method { method } else { target }
                    }
                    Self::Client => r.client?,
                    // A reader's placeholder for no host (an Apache error log's `-`).
                    Self::Host => Some(r.host).filter(|h| !matches!(*h, "" | "-"))?,
                    Self::Program => r.program,
                    Self::User => r.auth.as_ref()?.user?,
                    _ => return None,
                };
                Some(Cow::Borrowed(text))
            }
            Event::Flow(_) => None,
        }
    }
}

impl Haystack {
    /// The texts of `event` this haystack searches: each field's value that maps here lies
    /// inside one of them.
    pub fn texts<'a>(self, event: &Event<'a>) -> [Option<&'a str>; 3] {
        let within = |outer: &str, inner: &str| {
            let (o, i) = (
                outer.as_bytes().as_ptr_range(),
                inner.as_bytes().as_ptr_range(),
            );
            o.start <= i.start && i.end <= o.end
        };
        match (self, event) {
            (Self::Request, Event::Access(r)) => {
                let apart = |part: Option<&'a str>| part.filter(|p| !within(r.request, p));
                [Some(r.request), apart(r.target), apart(r.method)]
            }
            (Self::Request, Event::Syslog(r)) => [r.request, Some(r.message), None],
            (Self::UserAgent, Event::Access(r)) => [r.user_agent, None, None],
            (Self::Referer, Event::Access(r)) => [r.referer, None, None],
            (Self::Host, Event::Access(r)) => [r.vhost, None, None],
            (Self::Host, Event::Syslog(r)) => [Some(r.host), None, None],
            (Self::Client, Event::Access(r)) => [Some(r.client), None, None],
            (Self::Client, Event::Syslog(r)) => [r.client, None, None],
            (Self::User, Event::Access(r)) => [r.user, None, None],
            (Self::User, Event::Syslog(r)) => [r.auth.as_ref().and_then(|a| a.user), None, None],
            (Self::Program, Event::Syslog(r)) => [Some(r.program), None, None],
            (Self::Message, Event::Syslog(r)) => [Some(r.message), None, None],
            _ => [None, None, None],
        }
    }
}

/// A virtual host as Sigma's `cs-host` means it: the name, without the port an Apache
/// `%v:%p` log adds (`shop.example:443`); an address in brackets keeps them (`[::1]`).
fn host_name(vhost: &str) -> &str {
    match vhost.rsplit_once(':') {
        Some((name, port))
            if !name.is_empty()
                && !port.is_empty()
                && port.bytes().all(|b| b.is_ascii_digit())
                && (!name.contains(':') || name.ends_with(']')) =>
        {
            name
        }
        _ => vhost,
    }
}

/// What `keywords` search in `event`: a request's line, referer and user agent, one
/// after the other; a message's text.
pub fn keyword_text<'a>(event: &Event<'a>) -> Cow<'a, str> {
    match event {
        Event::Access(r) => Cow::Owned(
            [Some(r.request), r.referer, r.user_agent]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
        ),
        Event::Syslog(r) => Cow::Borrowed(r.message),
        Event::Flow(_) => Cow::Borrowed(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::LineParser;
    use crate::{LogFormat, LogTime};

    fn fields_of(format: LogFormat, line: &str) -> Vec<(&'static str, String)> {
        let now = LogTime::parse_rfc3339("2024-06-01T00:00:00Z").unwrap();
        let mut parser = LineParser::for_format(format, now);
        let (_, event) = parser.parse(line).unwrap();
        let (_, fields) = sigma_fields(&event).unwrap();
        fields
            .into_iter()
            .map(|(name, value)| (name, value.into_owned()))
            .collect()
    }

    fn value<'a>(fields: &'a [(&str, String)], name: &str) -> Option<&'a str> {
        fields
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn a_virtual_host_is_its_name_without_the_port() {
        assert_eq!(host_name("neutralbank.app:443"), "neutralbank.app");
        assert_eq!(host_name("api.telegram.org"), "api.telegram.org");
        assert_eq!(host_name("[2001:db8::1]:8080"), "[2001:db8::1]");
        assert_eq!(host_name("2001:db8::1"), "2001:db8::1");
        assert_eq!(host_name("odd:"), "odd:");
        let fields = fields_of(
            LogFormat::Combined,
            r#"www.example.com:443 203.0.113.7 - - [12/Mar/2024:10:03:07 +0100] "GET /setup.exe HTTP/1.1" 200 1843 "-" "Microsoft BITS/7.8""#,
        );
        assert_eq!(value(&fields, "cs-host"), Some("www.example.com"));
        assert_eq!(value(&fields, "r-dns"), Some("www.example.com"));
    }

    #[test]
    fn an_error_logs_path_on_disk_is_no_request_but_its_client_is_the_client() {
        let denied = fields_of(
            LogFormat::ApacheError,
            "[Mon Mar 11 03:12:02.973758 2024] [authz_core:error] [pid 2113:tid 140245] [client 203.0.113.9:52477] AH01630: client denied by server configuration: /var/www/shop/.git/config",
        );
        assert_eq!(value(&denied, "cs-method"), None);
        assert_eq!(value(&denied, "cs-uri-query"), None);
        assert_eq!(value(&denied, "c-ip"), Some("203.0.113.9"));
        assert_eq!(
            value(&denied, "cs-host"),
            None,
            "no host, not a host named -"
        );
        assert!(value(&denied, "keywords").unwrap().contains("/.git/config"));
    }
}
