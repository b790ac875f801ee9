//! Sigma's field names on our parsed lines, for the log sources we serve.
//!
//! | logsource | Sigma fields | our field |
//! |---|---|---|
//! | `category: webserver`, `proxy` | `cs-method`, `c-method` | method |
//! | | `cs-uri-query`, `cs-uri`, `c-uri`, `cs-uri-full` | target: path and query string (SigmaHQ's webserver rules look for path fragments such as `/etc/passwd` in `cs-uri-query`) |
//! | | `cs-uri-stem`, `c-uri-stem` | path |
//! | | `c-uri-query` | query string (after `?`) |
//! | | `c-uri-extension` | the path's file ending, without the dot |
//! | | `cs-user-agent`, `c-useragent` | user agent |
//! | | `cs-referer`, `cs-referrer` | referer |
//! | | `cs-host`, `r-dns` | virtual host |
//! | | `sc-status` | status |
//! | | `c-ip`, `src_ip` | client |
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

/// Whether `field` is one we can read for `source`.
pub fn is_known(source: Source, field: &str) -> bool {
    let fields: &[&str] = match source {
        Source::Web => &WEB_FIELDS,
        Source::Linux => &LINUX_FIELDS,
    };
    fields.iter().any(|f| f.eq_ignore_ascii_case(field))
}

const WEB_FIELDS: [&str; 21] = [
    "cs-method",
    "c-method",
    "cs-uri-query",
    "cs-uri",
    "c-uri",
    "cs-uri-full",
    "cs-uri-stem",
    "c-uri-stem",
    "c-uri-query",
    "c-uri-extension",
    "cs-user-agent",
    "c-useragent",
    "cs-referer",
    "cs-referrer",
    "cs-host",
    "r-dns",
    "sc-status",
    "c-ip",
    "src_ip",
    "cs-username",
    "sc-bytes",
];
const LINUX_FIELDS: [&str; 5] = ["hostname", "host", "program", "service", "user"];

/// `field`'s value in `event`, when the line has it.
pub fn value<'a>(field: &str, event: &Event<'a>) -> Option<Cow<'a, str>> {
    let field = field.to_ascii_lowercase();
    match event {
        Event::Access(r) => {
            let target = r.target.unwrap_or(r.request);
            let path = target.split(['?', '#']).next().unwrap_or(target);
            let text = match field.as_str() {
                "cs-method" | "c-method" => r.method?,
                "cs-uri-query" | "cs-uri" | "c-uri" | "cs-uri-full" => target,
                "cs-uri-stem" | "c-uri-stem" => path,
                "c-uri-query" => target.split_once('?').map_or("", |(_, q)| q),
                "c-uri-extension" => path
                    .rsplit('/')
                    .next()
                    .and_then(|name| name.rsplit_once('.'))
                    .map_or("", |(_, ending)| ending),
                "cs-user-agent" | "c-useragent" => r.user_agent?,
                "cs-referer" | "cs-referrer" => r.referer?,
                "cs-host" | "r-dns" => r.vhost?,
                "c-ip" | "src_ip" => r.client,
                "cs-username" => r.user?,
                "sc-status" => return Some(Cow::Owned(r.status.to_string())),
                "sc-bytes" => return r.bytes_sent.map(|b| Cow::Owned(b.to_string())),
                _ => return None,
            };
            Some(Cow::Borrowed(text))
        }
        Event::Syslog(r) => {
            let text = match field.as_str() {
                // An error log's request (`GET /x HTTP/1.1`): its method and target.
                "cs-method" | "c-method" => r.request?.split_whitespace().next()?,
                "cs-uri-query" | "cs-uri" | "c-uri" | "cs-uri-full" => {
                    r.request?.split_whitespace().nth(1)?
                }
                "hostname" | "host" => r.host,
                "program" | "service" => r.program,
                "user" => r.auth.as_ref()?.user?,
                _ => return None,
            };
            Some(Cow::Borrowed(text))
        }
        Event::Flow(_) => None,
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
