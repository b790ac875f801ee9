//! Apache/Nginx access logs in the common (CLF) and combined formats.
//!
//! Specs: <https://httpd.apache.org/docs/2.4/logs.html#accesslog> and
//! <https://nginx.org/en/docs/http/ngx_http_log_module.html#log_format>.
//!
//! ```text
//! common:   %h %l %u %t "%r" %>s %b
//! combined: %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"
//!
//! 127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"
//! │         │ │      │                            │                            │   │    │                                   └ user agent
//! │         │ │      │                            │                            │   │    └ referer ("-" when absent)
//! │         │ │      │                            │                            │   └ body bytes ("-" when none)
//! │         │ │      │                            │                            └ final status
//! │         │ │      │                            └ request line, quotes inside escaped as \"
//! │         │ │      └ time with UTC offset
//! │         │ └ authenticated user ("-" when none)
//! │         └ identd identity ("-")
//! └ client address or host name
//! ```
//!
//! Variants read as well: a leading virtual host (`%v %h …`, `%v:%p %h …`), and fields
//! after the standard ones, of which the request time is kept: nginx's `$request_time`
//! (seconds, `0.123`), Apache's `%D` (microseconds, `123456`) or an `rt=0.123` key. A line
//! with no quoted referer after the size is read as common format.

use super::{LogFormat, RejectReason};
use crate::record::{AccessRecord, Field};
use crate::time::LogTime;

/// Real lines in these formats: the first from the Apache documentation, the rest from
/// `elastic/examples` (Apache-2.0), a public 2015 access log of semicomplete.com.
pub const SAMPLES: &[&str] = &[
    // Werkzeug, Flask's development server, in the shape its log lines take.
    r#"172.31.98.241 - - [24/Aug/2015 10:39:14] "OPTIONS /api/entities HTTP/1.1" 200 -"#,
    // nginx with $request_time $upstream_response_time, and Apache with a vhost and %D.
    r#"203.0.113.7 - - [12/Mar/2024:10:03:07 +0100] "GET /api/v1/items?page=2 HTTP/1.1" 200 1843 "-" "okhttp/4.12.0" 0.482 0.480"#,
    r#"shop.example:443 203.0.113.7 - - [12/Mar/2024:10:03:07 +0100] "GET / HTTP/2.0" 200 5120 "-" "Mozilla/5.0" 23817"#,
    r#"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)""#,
    r#"83.149.9.216 - - [17/May/2015:10:05:03 +0000] "GET /presentations/logstash-monitorama-2013/images/kibana-search.png HTTP/1.1" 200 203023 "http://semicomplete.com/presentations/logstash-monitorama-2013/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0.1700.77 Safari/537.36""#,
    r#"144.76.194.187 - - [17/May/2015:13:05:28 +0000] "GET /wp-login.php HTTP/1.0" 404 292 "-" "-""#,
    r#"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326"#,
];

/// Parses one line of a common or combined access log, and says which of the two it is.
// Inlined into `LineParser::parse`, so the record is built where the event goes rather
// than moved there (a record is a few hundred bytes).
#[inline]
pub fn parse(line: &str) -> Result<(LogFormat, AccessRecord<'_>), RejectReason> {
    parse_from(line, true)
}

/// [`parse`], trying [`Cursor::plain_start`] first when `plain_start_first`: the same
/// result either way (a test holds them to it), sooner with it.
#[inline]
fn parse_from(
    line: &str,
    plain_start_first: bool,
) -> Result<(LogFormat, AccessRecord<'_>), RejectReason> {
    if line.trim().is_empty() {
        return Err(RejectReason::Empty);
    }
    let mut cursor = Cursor { line, pos: 0 };
    let plain = if plain_start_first {
        cursor.plain_start()
    } else {
        None
    };
    let (vhost, client, identity, user) = match plain {
        Some((client, identity, user)) => (None, client, identity, user),
        None => {
            cursor.pos = 0;
            cursor.start_by_words()?
        }
    };
    // Some shippers wrap each line in quotes, some servers the client in brackets.
    let client = unwrapped_client(client);
    let identity = dash_is_none(identity);
    let user = dash_is_none(user);
    let time_text = cursor.bracketed(Field::Time)?;
    let time = parse_clf_time(time_text).ok_or(RejectReason::BadTimestamp)?;
    let request = cursor.quoted(Field::Request)?;
    let status = parse_status(cursor.token(Field::Status)?).ok_or(RejectReason::BadStatus)?;
    let bytes_sent = parse_bytes_sent(cursor.token(Field::BytesSent)?)?;
    let (method, target, protocol) = split_request(request);

    let mut record = AccessRecord {
        vhost,
        client,
        identity,
        user,
        time,
        request,
        method,
        target,
        protocol,
        status,
        bytes_sent,
        referer: None,
        user_agent: None,
        duration_secs: None,
    };
    let format = if time_text.len() == 20 {
        // Only Werkzeug writes the zoneless time.
        if cursor.next_is_quote() {
            record.referer = dash_is_none(cursor.quoted(Field::Referer)?);
            record.user_agent = dash_is_none(cursor.quoted(Field::UserAgent)?);
        }
        LogFormat::Werkzeug
    } else if cursor.next_is_quote() {
        record.referer = dash_is_none(cursor.quoted(Field::Referer)?);
        record.user_agent = dash_is_none(cursor.quoted(Field::UserAgent)?);
        LogFormat::Combined
    } else {
        LogFormat::Common
    };
    record.duration_secs = request_time(cursor.rest());
    Ok((format, record))
}

/// `"192.0.2.4` (the line was quoted) or `[2001:db8::1]` → the address inside.
fn unwrapped_client(client: &str) -> &str {
    let inner = client
        .trim_start_matches(['"', '\''])
        .trim_end_matches(['"', '\'']);
    match inner.strip_prefix('[').and_then(|i| i.strip_suffix(']')) {
        Some(address) if !address.is_empty() => address,
        _ if inner.is_empty() => client,
        _ => inner,
    }
}

/// The request time among the fields after the standard ones, if one is there: the first
/// of `rt=0.123` / `request_time=0.123` (seconds), a decimal number (seconds, as nginx's
/// `$request_time` writes it) or a whole number (microseconds, as Apache's `%D` writes it).
/// Later numbers (`$upstream_response_time`) are left alone.
fn request_time(rest: &str) -> Option<f64> {
    if rest.is_empty() {
        // Most lines: nothing after the standard fields.
        return None;
    }
    for word in rest.split_whitespace() {
        let word = word.trim_matches('"');
        let (value, unit) = match word.split_once('=') {
            Some(("rt" | "request_time", value)) => (value, 1.0),
            Some(_) => continue,
            None if word.contains('.') => (word, 1.0),
            None => (word, 1e6),
        };
        if let Ok(number) = value.parse::<f64>()
            && number.is_finite()
            && number >= 0.0
        {
            return Some(number / unit);
        }
    }
    None
}

/// Reads space-separated, bracketed and quoted fields left to right. Every position it
/// slices at is an ASCII delimiter, so slicing never splits a UTF-8 character.
struct Cursor<'a> {
    line: &'a str,
    pos: usize,
}

/// The fields before the time: virtual host (if any), client, identity, user.
type Start<'a> = (Option<&'a str>, &'a str, &'a str, &'a str);

impl<'a> Cursor<'a> {
    fn byte(&self, at: usize) -> Option<u8> {
        self.line.as_bytes().get(at).copied()
    }

    /// Client, identity and user, when the line starts as nearly every line does: three
    /// words of visible ASCII, then ` [`. The text before the first ` [` then has at most
    /// three words, so no virtual host leads the line, and the words are the fields
    /// [`Cursor::start_by_words`] would read; `None` (the cursor moved) otherwise.
    fn plain_start(&mut self) -> Option<(&'a str, &'a str, &'a str)> {
        let fields = (
            self.plain_token()?,
            self.plain_token()?,
            self.plain_token()?,
        );
        (self.byte(self.pos) == Some(b' ') && self.byte(self.pos + 1) == Some(b'['))
            .then_some(fields)
    }

    /// A run of visible ASCII characters after spaces or tabs, if one is there.
    fn plain_token(&mut self) -> Option<&'a str> {
        self.skip_spaces();
        let start = self.pos;
        while self.byte(self.pos).is_some_and(|b| b.is_ascii_graphic()) {
            self.pos += 1;
        }
        (self.pos > start).then(|| &self.line[start..self.pos])
    }

    /// The fields before the time, a virtual host among them when the text before the
    /// first ` [` has four words (`%v %h %l %u %t`).
    fn start_by_words(&mut self) -> Result<Start<'a>, RejectReason> {
        // The first `[` after a space (memchr: the generic substring search was a tenth
        // of parsing).
        let bytes = self.line.as_bytes();
        let words_before_time = memchr::memchr_iter(b'[', bytes)
            .find(|&at| at > 0 && bytes[at - 1] == b' ')
            .map_or(0, |at| words(&self.line[..at - 1]));
        let vhost = if words_before_time == 4 {
            Some(self.token(Field::Client)?)
        } else {
            None
        };
        Ok((
            vhost,
            self.token(Field::Client)?,
            self.token(Field::Identity)?,
            self.token(Field::User)?,
        ))
    }

    fn skip_spaces(&mut self) {
        while matches!(self.byte(self.pos), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    /// Everything not read yet.
    fn rest(&self) -> &'a str {
        &self.line[self.pos..]
    }

    fn next_is_quote(&mut self) -> bool {
        self.skip_spaces();
        self.byte(self.pos) == Some(b'"')
    }

    /// A run of non-space characters.
    fn token(&mut self, field: Field) -> Result<&'a str, RejectReason> {
        self.skip_spaces();
        let start = self.pos;
        while matches!(self.byte(self.pos), Some(b) if b != b' ' && b != b'\t') {
            self.pos += 1;
        }
        if start == self.pos {
            return Err(RejectReason::MissingField(field));
        }
        Ok(&self.line[start..self.pos])
    }

    /// The text between `[` and the next `]`.
    fn bracketed(&mut self, field: Field) -> Result<&'a str, RejectReason> {
        self.skip_spaces();
        match self.byte(self.pos) {
            None => return Err(RejectReason::MissingField(field)),
            Some(b'[') => {}
            Some(_) => return Err(RejectReason::BadTimestamp),
        }
        let start = self.pos + 1;
        let len = memchr::memchr(b']', &self.line.as_bytes()[start..])
            .ok_or(RejectReason::BadTimestamp)?;
        self.pos = start + len + 1;
        Ok(&self.line[start..start + len])
    }

    /// The text between a `"` and the next `"` not escaped by a backslash.
    fn quoted(&mut self, field: Field) -> Result<&'a str, RejectReason> {
        self.skip_spaces();
        match self.byte(self.pos) {
            None => return Err(RejectReason::MissingField(field)),
            Some(b'"') => {}
            Some(_) => return Err(RejectReason::Unquoted(field)),
        }
        let bytes = self.line.as_bytes();
        let start = self.pos + 1;
        let mut from = start;
        let at = loop {
            // memchr jumps to the next quote (a user agent is a hundred bytes or more).
            // The backslashes just before it say whether it is escaped: an odd run
            // escapes it, as reading escapes in pairs from the left would find. One
            // byte to look for, not two, and a backslash is rare.
            let Some(found) = memchr::memchr(b'"', bytes.get(from..).unwrap_or_default()) else {
                return Err(RejectReason::UnterminatedQuote(field));
            };
            let quote = from + found;
            let backslashes = bytes[start..quote]
                .iter()
                .rev()
                .take_while(|&&b| b == b'\\')
                .count();
            if backslashes % 2 == 0 {
                break quote;
            }
            from = quote + 1;
        };
        self.pos = at + 1;
        Ok(&self.line[start..at])
    }
}

/// How many whitespace-separated words `text` has, as `split_whitespace` counts them;
/// by the bytes when the text is ASCII (nearly always), which is several times faster.
fn words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    // The ASCII characters `char::is_whitespace` accepts: space, and tab to carriage
    // return.
    let space = |b: u8| (b == b' ') | (b.wrapping_sub(b'\t') < 5);
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else {
        return 0;
    };
    // A word starts at the first byte or after a space; each pair of bytes is looked at
    // on its own, which the compiler turns into vector instructions.
    usize::from(!space(first))
        + bytes
            .iter()
            .zip(&bytes[1..])
            .map(|(&before, &at)| usize::from(space(before) & !space(at)))
            .sum::<usize>()
}

fn dash_is_none(value: &str) -> Option<&str> {
    (value != "-").then_some(value)
}

/// Bytes looked at one by one before memchr takes over: its set-up costs more than a
/// short look.
const SHORT_SEARCH: usize = 16;

/// Splits `METHOD TARGET PROTOCOL` (or `METHOD TARGET` from HTTP/0.9). A target with raw
/// spaces in it stays whole. Anything else (TLS handshakes, `-`) has no parts.
pub(crate) fn split_request(request: &str) -> (Option<&str>, Option<&str>, Option<&str>) {
    // The method is short: a look at the first bytes finds its end sooner than memchr
    // (for whole requests `split_once(' ')`'s char searcher was a twentieth of parsing).
    let bytes = request.as_bytes();
    let near = bytes.len().min(SHORT_SEARCH);
    let space = bytes[..near]
        .iter()
        .position(|&b| b == b' ')
        .or_else(|| memchr::memchr(b' ', &bytes[near..]).map(|at| near + at));
    let Some(space) = space else {
        return (None, None, None);
    };
    let (method, rest) = (&request[..space], &request[space + 1..]);
    let is_method = !method.is_empty()
        && method
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b == b'-' || b == b'_');
    if !is_method || rest.is_empty() {
        return (None, None, None);
    }
    // The protocol is short too: the last space is near the end.
    let bytes = rest.as_bytes();
    let near = bytes.len().saturating_sub(SHORT_SEARCH);
    let last_space = bytes[near..]
        .iter()
        .rposition(|&b| b == b' ')
        .map(|at| near + at)
        .or_else(|| memchr::memrchr(b' ', &bytes[..near]));
    match last_space.map(|at| (&rest[..at], &rest[at + 1..])) {
        Some((target, protocol)) if protocol.starts_with("HTTP/") && !target.is_empty() => {
            (Some(method), Some(target), Some(protocol))
        }
        _ => (Some(method), Some(rest), None),
    }
}

fn parse_status(token: &str) -> Option<u16> {
    if token.len() != 3 {
        return None;
    }
    digits(token.as_bytes()).and_then(|n| u16::try_from(n).ok())
}

/// `-` (none) or a number of bytes: decimal digits only (no sign), within a u64.
fn parse_bytes_sent(token: &str) -> Result<Option<u64>, RejectReason> {
    if token == "-" {
        return Ok(None);
    }
    if token.is_empty() {
        return Err(RejectReason::BadBytesSent);
    }
    // By hand: the standard parser's generality (signs, radixes) was half the cost.
    token
        .bytes()
        .try_fold(0u64, |value, b| {
            let digit = b.is_ascii_digit().then(|| u64::from(b - b'0'))?;
            value.checked_mul(10)?.checked_add(digit)
        })
        .map(Some)
        .ok_or(RejectReason::BadBytesSent)
}

/// Parses `10/Oct/2000:13:55:36 -0700`, quickly when the day is the last line's day.
pub(crate) fn parse_clf_time(text: &str) -> Option<LogTime> {
    let b = text.as_bytes();
    if b.len() == 26 && b[11] == b':' && b[14] == b':' && b[17] == b':' && b[20] == b' ' {
        // Logs are mostly in order, so consecutive lines share a day and an offset: the
        // calendar work is done once per day, the rest is adding the time of day.
        let key = day_key(b);
        let (hour, minute, second) = (
            digits(&b[12..14])?,
            digits(&b[15..17])?,
            digits(&b[18..20])?,
        );
        if hour < 24
            && minute < 60
            && second < 60
            && let Some(midnight) = LAST_DAY
                .with(|last| last.get())
                .filter(|(k, _)| *k == key)
                .map(|(_, m)| m)
        {
            return Some(LogTime {
                epoch_secs: midnight.epoch_secs + i64::from(hour * 3600 + minute * 60 + second),
                offset_secs: midnight.offset_secs,
            });
        }
        let time = parse_clf_time_slowly(text)?;
        let midnight = time.epoch_secs - i64::from(hour * 3600 + minute * 60 + second);
        LAST_DAY.with(|last| {
            last.set(Some((
                key,
                LogTime {
                    epoch_secs: midnight,
                    offset_secs: time.offset_secs,
                },
            )))
        });
        return Some(time);
    }
    parse_clf_time_slowly(text)
}

thread_local! {
    /// The last day parsed: its date and offset bytes, and the instant of its local midnight.
    static LAST_DAY: std::cell::Cell<Option<(u128, LogTime)>> = const { std::cell::Cell::new(None) };
}

/// `dd/Mon/yyyy` and `±hhmm` of a CLF time, packed: equal keys, equal day and offset.
fn day_key(b: &[u8]) -> u128 {
    // Two 8-byte loads: the first eight bytes, then the date's last three and the
    // offset's five.
    let word = |bytes: [u8; 8]| u128::from(u64::from_le_bytes(bytes));
    let mut second = [0u8; 8];
    second[..3].copy_from_slice(&b[8..11]);
    second[3..].copy_from_slice(&b[21..26]);
    let first: [u8; 8] = b[0..8].try_into().unwrap_or_default();
    word(first) << 64 | word(second)
}

/// Parses the time with the calendar: Werkzeug's zoneless form, and any new day.
fn parse_clf_time_slowly(text: &str) -> Option<LogTime> {
    let b = text.as_bytes();
    // Werkzeug (Flask's server) writes `24/Aug/2015 10:39:14`: a space, no offset (UTC).
    let zoneless = b.len() == 20 && b[11] == b' ';
    if !(b.len() == 26 || zoneless)
        || b[2] != b'/'
        || b[6] != b'/'
        || !(b[11] == b':' || zoneless)
        || b[14] != b':'
        || b[17] != b':'
        || (!zoneless && b[20] != b' ')
    {
        return None;
    }
    let day = digits(&b[0..2])?;
    let month = month_number(&b[3..6])?;
    let year = digits(&b[7..11])?;
    let hour = digits(&b[12..14])?;
    let minute = digits(&b[15..17])?;
    let second = digits(&b[18..20])?;
    if zoneless {
        return LogTime::from_civil(year, month, day, hour, minute, second, 0);
    }
    let sign = match b[21] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (offset_hours, offset_minutes) = (digits(&b[22..24])?, digits(&b[24..26])?);
    if offset_minutes > 59 {
        return None;
    }
    let offset_secs = sign * (offset_hours * 3600 + offset_minutes * 60);
    // Every value fits its type: at most four digits each.
    LogTime::from_civil(year, month, day, hour, minute, second, offset_secs)
}

/// The value of a short run of ASCII digits, or `None` if any byte is not a digit.
fn digits(bytes: &[u8]) -> Option<i32> {
    if bytes.is_empty() || bytes.len() > 9 {
        return None;
    }
    bytes.iter().try_fold(0i32, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + i32::from(b - b'0'))
    })
}

/// `Jan` is 1 … `Dec` is 12.
pub(crate) fn month_number(name: &[u8]) -> Option<i32> {
    const MONTHS: [&[u8; 3]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    let index = MONTHS.iter().position(|m| m.as_slice() == name)?;
    i32::try_from(index + 1).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_sample_parses() {
        for sample in SAMPLES {
            assert!(parse(sample).is_ok(), "sample did not parse: {sample}");
        }
    }

    #[test]
    fn reads_every_field_of_a_combined_line() {
        let (format, r) = parse(SAMPLES[3]).unwrap();
        assert_eq!(format, LogFormat::Combined);
        assert_eq!(r.client, "127.0.0.1");
        assert_eq!(r.identity, None);
        assert_eq!(r.user, Some("frank"));
        assert_eq!(r.time.to_string(), "2000-10-10T13:55:36-07:00");
        assert_eq!(r.request, "GET /apache_pb.gif HTTP/1.0");
        assert_eq!(
            (r.method, r.target, r.protocol),
            (Some("GET"), Some("/apache_pb.gif"), Some("HTTP/1.0"))
        );
        assert_eq!(r.status, 200);
        assert_eq!(r.bytes_sent, Some(2326));
        assert_eq!(r.referer, Some("http://www.example.com/start.html"));
        assert_eq!(r.user_agent, Some("Mozilla/4.08 [en] (Win98; I ;Nav)"));
    }

    #[test]
    fn reads_werkzeug() {
        let (format, r) = parse(SAMPLES[0]).unwrap();
        assert_eq!(
            (format, r.method, r.status, r.bytes_sent),
            (LogFormat::Werkzeug, Some("OPTIONS"), 200, None)
        );
        assert_eq!(r.time.to_string(), "2015-08-24T10:39:14+00:00");
    }

    #[test]
    fn reads_request_times_and_virtual_hosts() {
        let (format, r) = parse(SAMPLES[1]).unwrap();
        assert_eq!(
            (format, r.vhost, r.client, r.duration_secs),
            (LogFormat::Combined, None, "203.0.113.7", Some(0.482))
        );
        let (_, r) = parse(SAMPLES[2]).unwrap();
        assert_eq!(
            (r.vhost, r.client, r.duration_secs),
            (Some("shop.example:443"), "203.0.113.7", Some(0.023817))
        );
        assert_eq!(request_time(r#" "-" rt=1.5 uct="0.000""#), Some(1.5));
        assert_eq!(request_time(" upstream=x"), None);
        assert_eq!(request_time(""), None);
        let (format, r) =
            parse(r#"10.0.0.1 - - [01/Jan/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 5 0.25"#)
                .unwrap();
        assert_eq!((format, r.duration_secs), (LogFormat::Common, Some(0.25)));
    }

    #[test]
    fn a_line_without_referer_and_agent_is_common() {
        let (format, r) = parse(SAMPLES[6]).unwrap();
        assert_eq!(format, LogFormat::Common);
        assert_eq!((r.referer, r.user_agent), (None, None));
    }

    #[test]
    fn dashes_mean_absent() {
        let (_, r) = parse(SAMPLES[5]).unwrap();
        assert_eq!((r.referer, r.user_agent, r.user), (None, None, None));
        let (_, r) =
            parse(r#"10.0.0.1 - - [01/Jan/2024:00:00:00 +0000] "HEAD / HTTP/1.1" 304 -"#).unwrap();
        assert_eq!(r.bytes_sent, None);
    }

    #[test]
    fn escaped_quotes_stay_inside_their_field() {
        let line = r#"10.0.0.1 - - [01/Jan/2024:00:00:00 +0000] "GET /q?x=\"a b\" HTTP/1.1" 200 5 "-" "curl \"7\"""#;
        let (_, r) = parse(line).unwrap();
        assert_eq!(r.target, Some(r#"/q?x=\"a b\""#));
        assert_eq!(r.user_agent, Some(r#"curl \"7\""#));
    }

    #[test]
    fn issue_22_a_quoted_or_bracketed_client_is_the_address_inside() {
        let quoted = r#""192.168.4.164 - - [01/Jan/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8""#;
        assert_eq!(parse(quoted).unwrap().1.client, "192.168.4.164");
        let bracketed = r#"[2001:db8::1] - - [01/Jan/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 5"#;
        assert_eq!(parse(bracketed).unwrap().1.client, "2001:db8::1");
    }

    #[test]
    fn a_request_that_is_not_http_keeps_its_raw_text() {
        let line = r#"45.1.2.3 - - [01/Jan/2024:00:00:00 +0000] "\x16\x03\x01\x00\xF1\x01" 400 157 "-" "-""#;
        let (_, r) = parse(line).unwrap();
        assert_eq!(r.request, r"\x16\x03\x01\x00\xF1\x01");
        assert_eq!((r.method, r.target, r.protocol), (None, None, None));
    }

    #[test]
    fn splits_request_lines() {
        assert_eq!(split_request("GET /"), (Some("GET"), Some("/"), None));
        assert_eq!(
            split_request("GET /a b HTTP/1.1"),
            (Some("GET"), Some("/a b"), Some("HTTP/1.1"))
        );
        assert_eq!(split_request("-"), (None, None, None));
        assert_eq!(split_request("get / HTTP/1.1"), (None, None, None));
        assert_eq!(split_request("GET "), (None, None, None));
    }

    #[test]
    fn the_day_cache_gives_what_the_calendar_gives() {
        let slow = |t: &str| parse_clf_time_slowly(t).map(|t| (t.epoch_secs, t.offset_secs));
        let fast = |t: &str| parse_clf_time(t).map(|t| (t.epoch_secs, t.offset_secs));
        for text in [
            "10/Oct/2000:13:55:36 -0700",
            "10/Oct/2000:23:59:59 -0700",
            "10/Oct/2000:00:00:00 -0700",
            "10/Oct/2000:00:00:00 +0100",
            "11/Oct/2000:00:00:00 -0700",
            "10/Oct/2000:24:00:00 -0700",
            "10/Oct/2000:13:60:00 -0700",
            "10/Oct/2000:13:55:60 -0700",
            "10/Oct/2000:1x:55:36 -0700",
            "31/Feb/2000:10:00:00 +0000",
        ] {
            // Twice each: once filling the cache, once reading it.
            assert_eq!(fast(text), slow(text), "{text}");
            assert_eq!(fast(text), slow(text), "{text}, cached");
        }
    }

    macro_rules! rejects {
        ($($name:ident: $line:expr => $reason:expr;)*) => {$(
            #[test]
            fn $name() {
                assert_eq!(parse($line).map(|(_, r)| r.client), Err($reason));
            }
        )*};
    }

    const T: &str = "[10/Oct/2000:13:55:36 -0700]";

    rejects! {
        rejects_blank: "  \t" => RejectReason::Empty;
        rejects_a_lone_word: "hello" => RejectReason::MissingField(Field::Identity);
        rejects_missing_time: "1.2.3.4 - -" => RejectReason::MissingField(Field::Time);
        rejects_unbracketed_time: "1.2.3.4 - - 10/Oct/2000" => RejectReason::BadTimestamp;
        rejects_unclosed_time: "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700" => RejectReason::BadTimestamp;
        rejects_bad_month: r#"1.2.3.4 - - [10/Foo/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 1"# => RejectReason::BadTimestamp;
        rejects_offset_minutes_past_59: r#"1.2.3.4 - - [10/Oct/2000:13:55:36 +0099] "GET / HTTP/1.0" 200 1"# => RejectReason::BadTimestamp;
        rejects_february_30: r#"1.2.3.4 - - [30/Feb/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 1"# => RejectReason::BadTimestamp;
        rejects_missing_request: &format!("1.2.3.4 - - {T}") => RejectReason::MissingField(Field::Request);
        rejects_unquoted_request: &format!("1.2.3.4 - - {T} GET / 200 1") => RejectReason::Unquoted(Field::Request);
        rejects_unterminated_request: &format!(r#"1.2.3.4 - - {T} "GET / 200 1"#) => RejectReason::UnterminatedQuote(Field::Request);
        rejects_a_trailing_backslash: &format!(r#"1.2.3.4 - - {T} "GET \"#) => RejectReason::UnterminatedQuote(Field::Request);
        rejects_missing_status: &format!(r#"1.2.3.4 - - {T} "GET / HTTP/1.0""#) => RejectReason::MissingField(Field::Status);
        rejects_word_status: &format!(r#"1.2.3.4 - - {T} "GET / HTTP/1.0" OK 1"#) => RejectReason::BadStatus;
        rejects_four_digit_status: &format!(r#"1.2.3.4 - - {T} "GET / HTTP/1.0" 2000 1"#) => RejectReason::BadStatus;
        rejects_missing_size: &format!(r#"1.2.3.4 - - {T} "GET / HTTP/1.0" 200"#) => RejectReason::MissingField(Field::BytesSent);
        rejects_negative_size: &format!(r#"1.2.3.4 - - {T} "GET / HTTP/1.0" 200 -5"#) => RejectReason::BadBytesSent;
        rejects_huge_size: &format!(r#"1.2.3.4 - - {T} "GET / HTTP/1.0" 200 99999999999999999999999"#) => RejectReason::BadBytesSent;
        rejects_missing_agent: &format!(r#"1.2.3.4 - - {T} "GET / HTTP/1.0" 200 1 "-""#) => RejectReason::MissingField(Field::UserAgent);
        rejects_unterminated_agent: &format!(r#"1.2.3.4 - - {T} "GET / HTTP/1.0" 200 1 "-" "Mozilla"#) => RejectReason::UnterminatedQuote(Field::UserAgent);
    }

    proptest! {
        /// The byte-wise word count agrees with `split_whitespace` on any text, ASCII
        /// control characters and Unicode spaces included.
        #[test]
        fn bytes_sent_parse_as_the_standard_parser_would(
            token in "(-|[0-9+a ]{0,4}|[0-9]{18,22})",
        ) {
            let standard = if token == "-" {
                Ok(None)
            } else if token.bytes().all(|b| b.is_ascii_digit()) {
                token.parse::<u64>().map(Some).map_err(|_| RejectReason::BadBytesSent)
            } else {
                Err(RejectReason::BadBytesSent)
            };
            prop_assert_eq!(parse_bytes_sent(&token), standard);
        }

        #[test]
        fn requests_split_as_by_the_first_and_last_space(
            request in "[A-Z]{0,3}[ a/.]{0,3}[a-z/ ]{0,30}( HTTP/1.[01]| HTTP/| x)?",
        ) {
            // What the split is defined as, with the standard library's searches.
            let expected = match request.split_once(' ') {
                Some((method, rest))
                    if !method.is_empty()
                        && !rest.is_empty()
                        && method.bytes().all(|b| b.is_ascii_uppercase() || b == b'-' || b == b'_') =>
                {
                    match rest.rsplit_once(' ') {
                        Some((target, protocol))
                            if protocol.starts_with("HTTP/") && !target.is_empty() =>
                        {
                            (Some(method), Some(target), Some(protocol))
                        }
                        _ => (Some(method), Some(rest), None),
                    }
                }
                _ => (None, None, None),
            };
            prop_assert_eq!(split_request(&request), expected);
        }

        #[test]
        fn times_of_a_remembered_day_read_as_a_fresh_day_would(
            times in proptest::collection::vec(
                (1u32..29, 0usize..12, 1999u32..2030, 0u32..24, 0u32..60, 0u32..60,
                 proptest::sample::select(vec!["+0000", "-0700", "+0530", "+1400"])),
                1..12,
            ),
        ) {
            const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
                "Aug", "Sep", "Oct", "Nov", "Dec"];
            for (day, month, year, hour, minute, second, offset) in times {
                let text = format!(
                    "{day:02}/{}/{year}:{hour:02}:{minute:02}:{second:02} {offset}",
                    MONTHS[month]
                );
                prop_assert_eq!(parse_clf_time(&text), parse_clf_time_slowly(&text), "{}", text);
            }
        }

        #[test]
        fn words_are_counted_as_split_whitespace_counts(text in "[ a-z\t\n\r\x0B\x0C\x1F\u{A0}\u{2003}]{0,40}") {
            prop_assert_eq!(words(&text), text.split_whitespace().count());
        }

        /// A quoted field ends where a scan from its start, skipping each backslash and
        /// the byte after it, meets a bare quote.
        #[test]
        fn a_quoted_field_ends_at_its_first_unescaped_quote(text in "[a\\\\\"é ]{0,24}") {
            let line = format!("\"{text}");
            let bytes = line.as_bytes();
            let mut at = 1;
            let scanned = loop {
                match bytes.get(at) {
                    None => break Err(RejectReason::UnterminatedQuote(Field::Request)),
                    Some(b'\\') => at += 2,
                    Some(b'"') => break Ok(&line[1..at]),
                    Some(_) => at += 1,
                }
            };
            let mut cursor = Cursor { line: &line, pos: 0 };
            prop_assert_eq!(cursor.quoted(Field::Request), scanned);
        }

        /// Reading the usual start first changes nothing: lines whose first words are
        /// of every kind (tabs, other whitespace, non-ASCII spaces, brackets, a fourth
        /// word) parse as counting the words before the time parses them.
        #[test]
        fn the_plain_start_reads_as_counting_words_reads(
            words in proptest::collection::vec("[a-z0-9.:\\[\\]-]{0,4}", 2..6),
            separators in proptest::collection::vec(prop_oneof![
                8 => Just(" "),
                1 => Just("  "),
                1 => Just("\t"),
                1 => Just(" \x0B"),
                1 => Just("\r"),
                1 => Just("\u{A0}"),
                1 => Just("\u{2003}"),
                1 => Just(" é"),
            ], 6),
            rest in prop_oneof![
                4 => Just(r#"[10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 1 "-" "a""#),
                1 => Just("["),
                1 => Just(""),
            ],
        ) {
            let mut line = String::new();
            for (word, separator) in words.iter().zip(&separators) {
                line.push_str(word);
                line.push_str(separator);
            }
            line.push_str(rest);
            prop_assert_eq!(parse_from(&line, true), parse_from(&line, false), "{:?}", line);
        }

        /// No input makes the parser panic.
        #[test]
        fn never_panics_on_any_text(line in "[\\PC\t\\x00-\\x1F]{0,300}") {
            let _ = parse(&line);
        }

        /// Nor does any corruption of a real line: cut, or with a byte range replaced.
        #[test]
        fn never_panics_on_damaged_samples(
            which in 0..SAMPLES.len(),
            cut in 0usize..400,
            insert in "[\\[\\]\" \\\\a-z0-9:/+-]{0,8}",
        ) {
            let sample = SAMPLES[which];
            let mut at = cut.min(sample.len());
            while !sample.is_char_boundary(at) { at -= 1; }
            let _ = parse(&sample[..at]);
            let _ = parse(&format!("{}{}{}", &sample[..at], insert, &sample[at..]));
        }
    }
}
