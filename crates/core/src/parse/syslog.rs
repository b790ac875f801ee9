//! Syslog, in both of its shapes: the traditional BSD format (RFC 3164, what
//! `/var/log/syslog` and `/var/log/auth.log` hold) and the structured RFC 5424.
//!
//! Specs: <https://www.rfc-editor.org/rfc/rfc3164> and <https://www.rfc-editor.org/rfc/rfc5424>.
//!
//! ```text
//! RFC 3164:  [<PRI>]Mmm dd hh:mm:ss HOST TAG[PID]: MESSAGE
//!            Mar 11 03:12:44 web1 sshd[4242]: Failed password for root from 203.0.113.9 port 52144 ssh2
//!            (rsyslog's high-precision variant puts an RFC 3339 time first)
//! RFC 5424:  <PRI>1 TIMESTAMP HOST APP-NAME PROCID MSGID [STRUCTURED-DATA|-] [MESSAGE]
//!            <34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed for lonvick on /dev/pts/8
//! ```
//!
//! RFC 3164 times have no year and no zone. The first such line gets the latest year that
//! does not put it after the caller's "now" (a log read in March that starts in December is
//! from last December); the year moves on when the months wrap from December to January,
//! and the report says a year was assumed. Times are read as UTC.

use super::RejectReason;
use super::auth::auth_attempt;
use crate::event::{Event, SyslogRecord};
use crate::time::LogTime;

/// Real-looking lines in these formats: two RFC 3164 lines in the shape of Debian's
/// auth.log, the high-precision variant, and the RFC 5424 spec's own examples.
pub const SAMPLES: &[&str] = &[
    "Mar 11 03:12:44 web1 sshd[4242]: Failed password for invalid user admin from 203.0.113.9 port 52144 ssh2",
    "Mar  9 17:01:02 web1 CRON[1187]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)",
    "2024-03-11T10:00:00.123456+01:00 web1 sudo: alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls",
    "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed for lonvick on /dev/pts/8",
    "<165>1 2003-10-11T22:14:15.003000-07:00 mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"] An application event log entry...",
];

/// Which of the two shapes a line has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyslogVersion {
    /// RFC 3164 (BSD syslog), with or without `<PRI>`, classic or RFC 3339 time.
    Rfc3164,
    /// RFC 5424.
    Rfc5424,
}

/// Reads syslog lines, carrying the assumed year across a December-to-January wrap.
#[derive(Debug, Clone)]
pub struct SyslogParser {
    /// The caller's "now" as a date, to keep assumed years out of the future.
    today: (i16, i8, i8),
    /// The year given to the first yearless line, once there was one.
    first_year: Option<i16>,
    year: i16,
    last_month: Option<i8>,
}

impl SyslogParser {
    /// A parser that dates yearless lines as late as possible but not after `now`.
    pub fn new(now: LogTime) -> Self {
        let today = now.date().unwrap_or((2000, 1, 1));
        Self {
            today,
            first_year: None,
            year: today.0,
            last_month: None,
        }
    }

    /// The year given to the first line without one, if any line lacked it.
    pub fn first_assumed_year(&self) -> Option<i16> {
        self.first_year
    }

    /// Parses one line.
    pub fn parse<'a>(&mut self, line: &'a str) -> Result<(SyslogVersion, Event<'a>), RejectReason> {
        if line.trim().is_empty() {
            return Err(RejectReason::Empty);
        }
        let (severity, rest) = split_priority(line)?;
        if let Some(rfc5424) = rest.strip_prefix("1 ") {
            return parse_5424(severity, rfc5424)
                .map(|record| (SyslogVersion::Rfc5424, Event::Syslog(record)));
        }
        let (time, rest) = match LogTime::parse_rfc3339(rest.split(' ').next().unwrap_or("")) {
            Some(time) => (time, &rest[rest.find(' ').unwrap_or(rest.len())..]),
            None => self.classic_time(rest)?,
        };
        let record = parse_3164_body(time, severity, rest.trim_start())?;
        Ok((SyslogVersion::Rfc3164, Event::Syslog(record)))
    }

    /// `Mmm dd hh:mm:ss` (day space-padded), dated in the assumed year.
    fn classic_time<'a>(&mut self, text: &'a str) -> Result<(LogTime, &'a str), RejectReason> {
        let b = text.as_bytes();
        if b.len() < 16
            || b[3] != b' '
            || b[6] != b' '
            || b[9] != b':'
            || b[12] != b':'
            || b[15] != b' '
        {
            return Err(RejectReason::NoSyslogTimestamp);
        }
        let month =
            super::combined::month_number(&b[0..3]).ok_or(RejectReason::NoSyslogTimestamp)?;
        let day = if b[4] == b' ' {
            two_digits(b'0', b[5])
        } else {
            two_digits(b[4], b[5])
        };
        let (hour, minute, second) = (
            two_digits(b[7], b[8]),
            two_digits(b[10], b[11]),
            two_digits(b[13], b[14]),
        );
        let (Some(day), Some(hour), Some(minute), Some(second)) = (day, hour, minute, second)
        else {
            return Err(RejectReason::NoSyslogTimestamp);
        };
        let month = i8::try_from(month).map_err(|_| RejectReason::NoSyslogTimestamp)?;
        if self.first_year.is_none() {
            // A day's slack for time zones: "today" elsewhere may be tomorrow here.
            let (year, today_month, today_day) = self.today;
            self.year = if (month, day) <= (today_month, today_day.saturating_add(1)) {
                year
            } else {
                year - 1
            };
            self.first_year = Some(self.year);
        }
        if self.last_month.is_some_and(|last| month + 6 < last) {
            // December, then January: the log went on into the next year.
            self.year = self.year.saturating_add(1);
        }
        self.last_month = Some(month);
        let time = LogTime::from_civil(
            i32::from(self.year),
            i32::from(month),
            i32::from(day),
            i32::from(hour),
            i32::from(minute),
            i32::from(second),
            0,
        )
        .ok_or(RejectReason::NoSyslogTimestamp)?;
        Ok((time, &text[15..]))
    }
}

fn two_digits(tens: u8, ones: u8) -> Option<i8> {
    (tens.is_ascii_digit() && ones.is_ascii_digit())
        .then(|| ((tens - b'0') * 10 + (ones - b'0')) as i8)
}

/// `<PRI>` if present: the severity (PRI mod 8) and the rest of the line.
fn split_priority(line: &str) -> Result<(Option<u8>, &str), RejectReason> {
    let Some(rest) = line.strip_prefix('<') else {
        return Ok((None, line));
    };
    let close = rest
        .find('>')
        .filter(|&i| (1..=3).contains(&i))
        .ok_or(RejectReason::NoSyslogHeader)?;
    let priority: u8 = rest[..close]
        .parse()
        .map_err(|_| RejectReason::NoSyslogHeader)?;
    if priority > 191 {
        return Err(RejectReason::NoSyslogHeader);
    }
    Ok((Some(priority % 8), &rest[close + 1..]))
}

/// A log level as application loggers write it in capitals, which no host is named.
fn is_level_word(word: &str) -> bool {
    matches!(
        word,
        "TRACE" | "DEBUG" | "INFO" | "NOTICE" | "WARN" | "WARNING" | "ERROR" | "CRITICAL" | "FATAL"
    )
}

/// `HOST TAG[PID]: MESSAGE` after the time.
fn parse_3164_body(
    time: LogTime,
    severity: Option<u8>,
    text: &str,
) -> Result<SyslogRecord<'_>, RejectReason> {
    let (host, rest) = text.split_once(' ').ok_or(RejectReason::NoSyslogHeader)?;
    let (tag, message) = rest
        .split_once(": ")
        .or_else(|| rest.strip_suffix(':').map(|t| (t, "")))
        .ok_or(RejectReason::NoSyslogHeader)?;
    let (program, pid) = match tag.split_once('[') {
        Some((program, pid)) => (program, pid.strip_suffix(']')),
        None => (tag, None),
    };
    // Some daemons put their version in the tag: "syslogd 1.4.1: restart."
    let program = program.split(' ').next().unwrap_or(program);
    // An application log (`2024-03-11T10:00:00Z WARN worker: …`) has the shape too, with
    // a level where the host would be: that is not syslog, and the generic format reads it.
    if host.is_empty() || program.is_empty() || is_level_word(host) {
        return Err(RejectReason::NoSyslogHeader);
    }
    Ok(SyslogRecord {
        time,
        host,
        program,
        pid,
        severity,
        message,
        auth: auth_attempt(program, message),
        client: None,
        request: None,
        action: None,
    })
}

/// `TIMESTAMP HOST APP-NAME PROCID MSGID SD [MSG]` after `<PRI>1 `.
fn parse_5424(severity: Option<u8>, text: &str) -> Result<SyslogRecord<'_>, RejectReason> {
    let fields: Vec<&str> = text.splitn(6, ' ').collect();
    let [timestamp, host, program, pid, _message_id, rest @ ..] = fields.as_slice() else {
        return Err(
            if fields.len() <= 1 && LogTime::parse_rfc3339(text).is_none() {
                RejectReason::NoSyslogTimestamp
            } else {
                RejectReason::NoSyslogHeader
            },
        );
    };
    let time = LogTime::parse_rfc3339(timestamp).ok_or(RejectReason::NoSyslogTimestamp)?;
    let (host, program, pid) = (*host, *program, *pid);
    let rest = rest.first().copied().unwrap_or("");
    let message = skip_structured_data(rest).ok_or(RejectReason::NoSyslogHeader)?;
    let message = message.strip_prefix('\u{feff}').unwrap_or(message);
    let program = nil(program).unwrap_or("-");
    Ok(SyslogRecord {
        time,
        host: nil(host).unwrap_or("-"),
        program,
        pid: nil(pid),
        severity,
        message,
        auth: auth_attempt(program, message),
        client: None,
        request: None,
        action: None,
    })
}

/// RFC 5424's NILVALUE `-` as `None`.
fn nil(field: &str) -> Option<&str> {
    (field != "-").then_some(field)
}

/// The message after the structured data: `-`, or one or more `[id k="v" …]` elements
/// (values may hold escaped `\]` and `\"`).
fn skip_structured_data(text: &str) -> Option<&str> {
    if let Some(rest) = text.strip_prefix('-') {
        return Some(rest.strip_prefix(' ').unwrap_or(rest));
    }
    let bytes = text.as_bytes();
    let mut at = 0;
    while bytes.get(at) == Some(&b'[') {
        let mut in_quotes = false;
        loop {
            at += 1;
            match bytes.get(at)? {
                b'\\' => at += 1,
                b'"' => in_quotes = !in_quotes,
                b']' if !in_quotes => break,
                _ => {}
            }
        }
        at += 1;
    }
    if at == 0 {
        return None;
    }
    let rest = text.get(at..)?;
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::AuthOutcome;
    use proptest::prelude::*;

    /// 2024-06-01T00:00:00Z: "now" for the tests, after every sample's date.
    const NOW: LogTime = LogTime {
        epoch_secs: 1_717_200_000,
        offset_secs: 0,
    };

    #[test]
    fn a_date_after_now_belongs_to_last_year() {
        let mut parser = SyslogParser::new(NOW);
        let Ok((_, Event::Syslog(r))) = parser.parse("Dec 10 06:55:46 LabSZ sshd[24200]: x") else {
            panic!()
        };
        assert_eq!(r.time.format("%Y-%m-%d"), "2023-12-10");
        assert_eq!(parser.first_assumed_year(), Some(2023));
        let mut parser = SyslogParser::new(NOW);
        let Ok((_, Event::Syslog(r))) = parser.parse("Jun  1 06:55:46 h cron: x") else {
            panic!()
        };
        assert_eq!(r.time.format("%Y-%m-%d"), "2024-06-01");
        // A line with its own year assumes nothing.
        let mut parser = SyslogParser::new(NOW);
        assert!(parser.parse(SAMPLES[3]).is_ok());
        assert_eq!(parser.first_assumed_year(), None);
    }

    fn parse(line: &str) -> Result<(SyslogVersion, SyslogRecord<'_>), RejectReason> {
        SyslogParser::new(NOW)
            .parse(line)
            .map(|(version, event)| match event {
                Event::Syslog(record) => (version, record),
                _ => unreachable!("the syslog parser makes syslog events"),
            })
    }

    #[test]
    fn every_sample_parses() {
        for sample in SAMPLES {
            assert!(parse(sample).is_ok(), "{sample}: {:?}", parse(sample).err());
        }
    }

    #[test]
    fn reads_a_classic_sshd_line() {
        let (version, r) = parse(SAMPLES[0]).unwrap();
        assert_eq!(version, SyslogVersion::Rfc3164);
        assert_eq!(r.time.to_string(), "2024-03-11T03:12:44+00:00");
        assert_eq!(
            (r.host, r.program, r.pid, r.severity),
            ("web1", "sshd", Some("4242"), None)
        );
        let auth = r.auth.unwrap();
        assert_eq!(
            (auth.outcome, auth.user, auth.source),
            (AuthOutcome::Failed, Some("admin"), Some("203.0.113.9"))
        );
    }

    #[test]
    fn reads_a_space_padded_day_and_the_high_precision_variant() {
        assert_eq!(
            parse(SAMPLES[1]).unwrap().1.time.to_string(),
            "2024-03-09T17:01:02+00:00"
        );
        let (version, r) = parse(SAMPLES[2]).unwrap();
        assert_eq!(
            (version, r.time.offset_secs, r.program, r.pid),
            (SyslogVersion::Rfc3164, 3600, "sudo", None)
        );
    }

    #[test]
    fn reads_rfc5424_with_and_without_structured_data() {
        let (version, r) = parse(SAMPLES[3]).unwrap();
        assert_eq!(version, SyslogVersion::Rfc5424);
        assert_eq!(
            (r.host, r.program, r.pid, r.severity),
            ("mymachine.example.com", "su", None, Some(2))
        );
        assert_eq!(r.message, "'su root' failed for lonvick on /dev/pts/8");
        let (_, r) = parse(SAMPLES[4]).unwrap();
        assert_eq!(r.message, "An application event log entry...");
        assert_eq!(r.time.offset_secs, -7 * 3600);
        let (_, r) =
            parse(r#"<13>1 2024-01-01T00:00:00Z h app 1 - [a x="]\"" y="2"][b] text"#).unwrap();
        assert_eq!(r.message, "text");
    }

    #[test]
    fn the_year_moves_on_after_december() {
        let mut parser = SyslogParser::new(LogTime::parse_rfc3339("2024-02-01T00:00:00Z").unwrap());
        let year = |parser: &mut SyslogParser, line: &str| match parser.parse(line).unwrap().1 {
            Event::Syslog(r) => r.time.format("%Y-%m"),
            _ => unreachable!(),
        };
        assert_eq!(year(&mut parser, "Dec 31 23:59:59 h cron[1]: x"), "2023-12");
        assert_eq!(year(&mut parser, "Jan  1 00:00:01 h cron[1]: x"), "2024-01");
        assert_eq!(year(&mut parser, "Jan  2 00:00:01 h cron[1]: x"), "2024-01");
    }

    #[test]
    fn rejects_what_is_not_syslog() {
        let reject = |line| parse(line).map(|_| ()).unwrap_err();
        assert_eq!(reject(""), RejectReason::Empty);
        assert_eq!(reject("hello world"), RejectReason::NoSyslogTimestamp);
        assert_eq!(reject("Mar 11 03:12:44 web1"), RejectReason::NoSyslogHeader);
        assert_eq!(
            reject("2024-03-11T00:00:26.795Z INFO shop.orders: order 80607 placed"),
            RejectReason::NoSyslogHeader
        );
        assert_eq!(
            reject("Mar 11 03:12:44 web1 no colon here"),
            RejectReason::NoSyslogHeader
        );
        // A version in the tag is not a reason to reject.
        assert_eq!(
            parse("Jun 19 04:09:11 combo syslogd 1.4.1: restart.")
                .unwrap()
                .1
                .program,
            "syslogd"
        );
        assert_eq!(
            reject("Foo 11 03:12:44 web1 sshd: x"),
            RejectReason::NoSyslogTimestamp
        );
        assert_eq!(
            reject("<999>Mar 11 03:12:44 web1 sshd: x"),
            RejectReason::NoSyslogHeader
        );
        assert_eq!(
            reject("<34>1 yesterday host app - - - x"),
            RejectReason::NoSyslogTimestamp
        );
        assert_eq!(
            reject("<34>1 2003-10-11T22:14:15Z host app - - [unclosed"),
            RejectReason::NoSyslogHeader
        );
    }

    proptest! {
        #[test]
        fn never_panics(line in "[<>0-9 A-Za-z:\\[\\]\"\\\\=.-]{0,120}") {
            let _ = SyslogParser::new(NOW).parse(&line);
        }

        #[test]
        fn never_panics_on_damaged_samples(which in 0..SAMPLES.len(), cut in 0usize..200) {
            let sample = SAMPLES[which];
            let mut at = cut.min(sample.len());
            while !sample.is_char_boundary(at) { at -= 1; }
            let _ = SyslogParser::new(NOW).parse(&sample[..at]);
        }
    }
}
