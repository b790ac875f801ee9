//! Timestamps as the error and application logs write them, shared by their parsers. Each
//! reader takes the start of a text and returns the time and how many bytes it used, so a
//! parser can check what follows.
//!
//! ```text
//! 2024-03-11T10:00:00.123+01:00     ISO 8601 / RFC 3339 (`T` or a space, `.` or `,` fractions)
//! 2024/03/11 10:00:00               nginx's error log (no offset: read as UTC)
//! Mon Mar 11 10:00:00.123456 2024   C's asctime, as Apache's error log writes it
//! 081109 203615                     Hadoop's yymmdd hhmmss
//! ```

use super::combined::month_number;
use crate::time::LogTime;

pub(super) fn number(b: &[u8], range: std::ops::Range<usize>) -> Option<i32> {
    let digits = b.get(range)?;
    digits.iter().try_fold(0i32, |n, &d| {
        d.is_ascii_digit().then(|| n * 10 + i32::from(d - b'0'))
    })
}

/// `yyyy-mm-dd[T ]hh:mm:ss[.,fraction][Z|±hh:mm|±hhmm]` or with `/` between the date's
/// parts; returns the time and how many bytes it took.
pub fn iso_time(text: &str) -> Option<(LogTime, usize)> {
    let b = text.as_bytes();
    let separator = *b.get(4)?;
    if !matches!(separator, b'-' | b'/')
        || b.get(7) != Some(&separator)
        || !matches!(b.get(10), Some(b'T' | b' '))
    {
        return None;
    }
    if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return None;
    }
    let (year, month, day) = (number(b, 0..4)?, number(b, 5..7)?, number(b, 8..10)?);
    let (hour, minute, second) = (number(b, 11..13)?, number(b, 14..16)?, number(b, 17..19)?);
    let mut at = 19;
    if matches!(b.get(at), Some(b'.' | b',')) && b.get(at + 1).is_some_and(u8::is_ascii_digit) {
        at += 1;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
    }
    let mut offset_secs = 0;
    match b.get(at) {
        Some(b'Z' | b'z') => at += 1,
        Some(&sign @ (b'+' | b'-')) => {
            let hours = number(b, at + 1..at + 3)?;
            let colon = usize::from(b.get(at + 3) == Some(&b':'));
            let minutes = number(b, at + 3 + colon..at + 5 + colon)?;
            if minutes > 59 {
                return None;
            }
            offset_secs = (hours * 3600 + minutes * 60) * if sign == b'-' { -1 } else { 1 };
            at += 5 + colon;
        }
        _ => {}
    }
    let time = LogTime::from_civil(year, month, day, hour, minute, second, offset_secs)?;
    Some((time, at))
}

/// Hadoop's `yymmdd hhmmss` (two-digit years read as 20yy, times as UTC).
pub fn compact_time(text: &str) -> Option<(LogTime, usize)> {
    let b = text.as_bytes();
    if b.get(6) != Some(&b' ') || b.len() < 13 {
        return None;
    }
    let (year, month, day) = (number(b, 0..2)?, number(b, 2..4)?, number(b, 4..6)?);
    let (hour, minute, second) = (number(b, 7..9)?, number(b, 9..11)?, number(b, 11..13)?);
    let time = LogTime::from_civil(2000 + year, month, day, hour, minute, second, 0)?;
    Some((time, 13))
}

/// C's asctime, as Apache writes it: `Mon Mar 11 10:00:00[.ffffff] 2024`.
pub fn asctime(text: &str) -> Option<(LogTime, usize)> {
    let b = text.as_bytes();
    if b.get(3) != Some(&b' ') || b.get(7) != Some(&b' ') || b.get(10) != Some(&b' ') {
        return None;
    }
    let month = month_number(b.get(4..7)?)?;
    let day = if b[8] == b' ' {
        number(b, 9..10)?
    } else {
        number(b, 8..10)?
    };
    if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return None;
    }
    let (hour, minute, second) = (number(b, 11..13)?, number(b, 14..16)?, number(b, 17..19)?);
    let mut at = 19;
    if b.get(at) == Some(&b'.') {
        at += 1;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
    }
    if b.get(at) != Some(&b' ') {
        return None;
    }
    let year = number(b, at + 1..at + 5)?;
    let time = LogTime::from_civil(year, month, day, hour, minute, second, 0)?;
    Some((time, at + 5))
}
