//! The fields every format maps, by name, and each one's value in a parsed line: what
//! queries (`query`) and people's own rules (`detect::custom_rules`) test.

use crate::event::Event;

/// A field every format that has it maps to the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryField {
    /// The client: a request's address, a login's source, a flow's source.
    Client,
    /// The HTTP method.
    Method,
    /// The request's path, without its query string.
    Path,
    /// The request's target: path and query string.
    Target,
    /// The HTTP status.
    Status,
    /// Bytes sent (a flow's bytes both ways).
    Bytes,
    /// Seconds the request took (a flow's duration).
    Duration,
    /// The user agent.
    UserAgent,
    /// The referer.
    Referer,
    /// The user name: of an authenticated request or of a login attempt.
    User,
    /// The virtual host of a request, the host that logged a message.
    Host,
    /// The program that logged a message.
    Program,
    /// A message's text.
    Message,
    /// A message's syslog severity, 0 (emergency) to 7 (debug).
    Level,
    /// A flow's destination address.
    Destination,
    /// A flow's destination port.
    Port,
    /// The browser family the user agent names (`user_agent::browser`).
    Browser,
    /// The operating system the user agent names.
    System,
    /// Who sent a request: `person`, `robot` or `unknown`, as the user agent says.
    Visitor,
}

/// Each field's names: the first is the one error messages use.
const NAMES: [(QueryField, &[&str]); 19] = [
    (QueryField::Client, &["client", "ip", "source"]),
    (QueryField::Method, &["method"]),
    (QueryField::Path, &["path"]),
    (QueryField::Target, &["target", "url", "request"]),
    (QueryField::Status, &["status"]),
    (QueryField::Bytes, &["bytes", "size"]),
    (QueryField::Duration, &["duration"]),
    (QueryField::UserAgent, &["ua", "user_agent", "agent"]),
    (QueryField::Referer, &["referer", "referrer"]),
    (QueryField::User, &["user"]),
    (QueryField::Host, &["host", "vhost"]),
    (QueryField::Program, &["program"]),
    (QueryField::Message, &["message", "msg"]),
    (QueryField::Level, &["level", "severity"]),
    (QueryField::Destination, &["destination", "dst"]),
    (QueryField::Port, &["port", "destination_port"]),
    (QueryField::Browser, &["browser"]),
    (QueryField::System, &["os", "system"]),
    (QueryField::Visitor, &["visitor"]),
];

/// Syslog's severity names (RFC 5424), by number, with the spellings programs use.
const LEVELS: [&[&str]; 8] = [
    &["emerg", "emergency", "panic"],
    &["alert"],
    &["crit", "critical"],
    &["err", "error"],
    &["warning", "warn"],
    &["notice"],
    &["info", "informational"],
    &["debug"],
];

/// A field's value in one line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldValue<'a> {
    /// Text, as the line has it.
    Text(&'a str),
    /// A number (a status, a size, a level).
    Number(f64),
}

impl QueryField {
    /// The field called `name` (any case), if there is one.
    pub fn named(name: &str) -> Option<Self> {
        NAMES
            .iter()
            .find(|(_, names)| names.iter().any(|n| n.eq_ignore_ascii_case(name)))
            .map(|(field, _)| *field)
    }

    /// The field's name.
    pub fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(field, _)| *field == self)
            .map_or("?", |(_, names)| names[0])
    }

    /// Every field's name, for an error that lists them.
    pub fn all_names() -> String {
        NAMES
            .iter()
            .map(|(_, names)| names[0])
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether `=` ignores case: names the field's values come from a short list of.
    pub fn equals_any_case(self) -> bool {
        matches!(
            self,
            Self::Method | Self::Browser | Self::System | Self::Visitor
        )
    }

    /// Whether the field is a number, compared as one.
    pub fn is_number(self) -> bool {
        matches!(
            self,
            Self::Status | Self::Bytes | Self::Duration | Self::Level | Self::Port
        )
    }

    /// The field's value in `event`, when the line has it.
    pub fn value_in<'a>(self, event: &Event<'a>) -> Option<FieldValue<'a>> {
        use FieldValue::{Number, Text};
        match (event, self) {
            (_, Self::Client) => Some(Text(event.client())),
            (Event::Access(r), Self::Method) => r.method.map(Text),
            (Event::Access(r), Self::Path) => {
                let target = r.target.unwrap_or(r.request);
                Some(Text(target.split(['?', '#']).next().unwrap_or(target)))
            }
            (Event::Access(r), Self::Target) => Some(Text(r.target.unwrap_or(r.request))),
            (Event::Access(r), Self::Status) => Some(Number(f64::from(r.status))),
            (Event::Access(r), Self::Bytes) => r.bytes_sent.map(|b| Number(b as f64)),
            (Event::Access(r), Self::Duration) => r.duration_secs.map(Number),
            (Event::Access(r), Self::UserAgent) => r.user_agent.map(Text),
            (Event::Access(r), Self::Browser) => {
                Some(Text(crate::user_agent::browser(r.user_agent.unwrap_or(""))))
            }
            (Event::Access(r), Self::System) => {
                Some(Text(crate::user_agent::system(r.user_agent.unwrap_or(""))))
            }
            (Event::Access(r), Self::Visitor) => Some(Text(
                crate::user_agent::visitor(r.user_agent.unwrap_or("")).as_str(),
            )),
            (Event::Access(r), Self::Referer) => r.referer.map(Text),
            (Event::Access(r), Self::User) => r.user.map(Text),
            (Event::Access(r), Self::Host) => r.vhost.map(Text),
            (Event::Syslog(r), Self::Host) => Some(Text(r.host)),
            (Event::Syslog(r), Self::Program) => Some(Text(r.program)),
            (Event::Syslog(r), Self::Message) => Some(Text(r.message)),
            (Event::Syslog(r), Self::Level) => r.severity.map(|s| Number(f64::from(s))),
            (Event::Syslog(r), Self::Target) => r.request.map(Text),
            (Event::Syslog(r), Self::Path) => r
                .request
                .map(|request| Text(request.split(['?', '#']).next().unwrap_or(request))),
            (Event::Syslog(r), Self::User) => r.auth.as_ref().and_then(|a| a.user).map(Text),
            (Event::Flow(f), Self::Bytes) => f.total_bytes().map(|b| Number(b as f64)),
            (Event::Flow(f), Self::Duration) => f.duration_secs.map(Number),
            (Event::Flow(f), Self::Destination) => Some(Text(f.destination)),
            (Event::Flow(f), Self::Port) => Some(Number(f64::from(f.destination_port))),
            _ => None,
        }
    }

    /// The number `text` stands for in this field: a number, or a level's name.
    pub fn number_from(self, text: &str) -> Option<f64> {
        if self == Self::Level
            && let Some(level) = LEVELS
                .iter()
                .position(|names| names.iter().any(|n| n.eq_ignore_ascii_case(text)))
        {
            return Some(level as f64);
        }
        text.parse::<f64>().ok().filter(|n| n.is_finite())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aliases_find_one_field_each() {
        for (field, names) in NAMES {
            for name in names {
                assert_eq!(QueryField::named(name), Some(field), "{name}");
                assert_eq!(QueryField::named(&name.to_uppercase()), Some(field));
            }
            assert_eq!(QueryField::named(field.name()), Some(field));
        }
        assert_eq!(QueryField::named("colour"), None);
    }

    #[test]
    fn levels_read_as_syslog_numbers() {
        assert_eq!(QueryField::Level.number_from("error"), Some(3.0));
        assert_eq!(QueryField::Level.number_from("WARN"), Some(4.0));
        assert_eq!(QueryField::Level.number_from("6"), Some(6.0));
        assert_eq!(QueryField::Status.number_from("error"), None);
        assert_eq!(QueryField::Status.number_from("inf"), None);
    }
}
