//! One representation for every timestamp a log can carry.
//!
//! Logs write time in many shapes, but analysis needs to compare and bucket them, and a
//! report must still show the time as the server wrote it. So a [`LogTime`] keeps the
//! instant (seconds since the Unix epoch, UTC) and the UTC offset the line used.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An instant plus the UTC offset the log wrote it in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LogTime {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub epoch_secs: i64,
    /// The offset from UTC the line was written in, in seconds (east positive).
    pub offset_secs: i32,
}

impl LogTime {
    /// Builds a time from civil fields as written in a log, or `None` when they name no
    /// real instant (February 30th, hour 25, an offset beyond ±25 hours) or are out of range.
    pub fn from_civil(
        year: i32,
        month: i32,
        day: i32,
        hour: i32,
        minute: i32,
        second: i32,
        offset_secs: i32,
    ) -> Option<Self> {
        let date_time = jiff::civil::DateTime::new(
            i16::try_from(year).ok()?,
            i8::try_from(month).ok()?,
            i8::try_from(day).ok()?,
            i8::try_from(hour).ok()?,
            i8::try_from(minute).ok()?,
            i8::try_from(second).ok()?,
            0,
        )
        .ok()?;
        let offset = jiff::tz::Offset::from_seconds(offset_secs).ok()?;
        let instant = offset.to_timestamp(date_time).ok()?;
        Some(Self {
            epoch_secs: instant.as_second(),
            offset_secs,
        })
    }

    /// The wall-clock time in the line's own offset, formatted with a `strftime` pattern
    /// such as `%b %d %H:%M` (`%z` and `%:z` give the offset).
    pub fn format(self, pattern: &str) -> String {
        let (Ok(instant), Ok(offset)) = (
            jiff::Timestamp::from_second(self.epoch_secs),
            jiff::tz::Offset::from_seconds(self.offset_secs),
        ) else {
            return self.to_string();
        };
        let mut fields = jiff::fmt::strtime::BrokenDownTime::from(offset.to_datetime(instant));
        fields.set_offset(Some(offset));
        fields
            .to_string(pattern)
            .unwrap_or_else(|_| self.to_string())
    }

    /// Parses RFC 3339 / ISO 8601 with an offset: `2003-10-11T22:14:15.003Z`,
    /// `2024-03-11 10:00:00+01:00`. Fractions of a second are dropped (analysis works in
    /// whole seconds); a time without an offset is not accepted here.
    pub fn parse_rfc3339(text: &str) -> Option<Self> {
        let b = text.as_bytes();
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || !matches!(b[10], b'T' | b't' | b' ')
            || b[13] != b':'
            || b[16] != b':'
        {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<i32> {
            let digits = b.get(range)?;
            digits.iter().try_fold(0i32, |n, &d| {
                d.is_ascii_digit().then(|| n * 10 + i32::from(d - b'0'))
            })
        };
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
        let mut rest = &text[19..];
        if let Some(fraction) = rest.strip_prefix('.') {
            let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            rest = &fraction[digits..];
        }
        let offset_secs = match rest.as_bytes() {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let digit = |d: u8| d.is_ascii_digit().then(|| i32::from(d - b'0'));
                let (hours, minutes) = (
                    digit(*h1)? * 10 + digit(*h2)?,
                    digit(*m1)? * 10 + digit(*m2)?,
                );
                if minutes > 59 {
                    return None;
                }
                let sign = if *sign == b'-' { -1 } else { 1 };
                sign * (hours * 3600 + minutes * 60)
            }
            _ => return None,
        };
        Self::from_civil(year, month, day, hour, minute, second, offset_secs)
    }

    /// The calendar date (year, month, day) in the line's own offset.
    pub fn date(self) -> Option<(i16, i8, i8)> {
        let instant = jiff::Timestamp::from_second(self.epoch_secs).ok()?;
        let date = jiff::tz::Offset::from_seconds(self.offset_secs)
            .ok()?
            .to_datetime(instant)
            .date();
        Some((date.year(), date.month(), date.day()))
    }

    /// The earlier of two instants (offsets do not take part in the comparison).
    pub fn earliest(self, other: Self) -> Self {
        if other.epoch_secs < self.epoch_secs {
            other
        } else {
            self
        }
    }

    /// The later of two instants (offsets do not take part in the comparison).
    pub fn latest(self, other: Self) -> Self {
        if other.epoch_secs > self.epoch_secs {
            other
        } else {
            self
        }
    }
}

/// RFC 3339 in the line's own offset, e.g. `2015-05-17T10:05:03+00:00`; a time outside
/// the calendar's range (only possible from a hand-made value) shows as epoch seconds.
impl fmt::Display for LogTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (
            jiff::Timestamp::from_second(self.epoch_secs),
            jiff::tz::Offset::from_seconds(self.offset_secs),
        ) {
            (Ok(instant), Ok(offset)) => write!(f, "{}", instant.display_with_offset(offset)),
            _ => write!(f, "@{}", self.epoch_secs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_offset_and_converts_the_instant_to_utc() {
        let t = LogTime::from_civil(2000, 10, 10, 13, 55, 36, -7 * 3600).unwrap();
        // 13:55:36 at -07:00 is 20:55:36Z.
        assert_eq!(t.epoch_secs, 971_211_336);
        assert_eq!(t.offset_secs, -25_200);
        assert_eq!(t.to_string(), "2000-10-10T13:55:36-07:00");
        assert_eq!(t.format("%b %d %H:%M"), "Oct 10 13:55");
        assert_eq!(t.format("%H:%M %:z"), "13:55 -07:00");
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(LogTime::from_civil(2023, 2, 30, 0, 0, 0, 0).is_none());
        assert!(LogTime::from_civil(2023, 1, 1, 24, 0, 0, 0).is_none());
        assert!(LogTime::from_civil(2023, 1, 1, 0, 0, 0, 30 * 3600).is_none());
    }

    #[test]
    fn parses_rfc3339() {
        let t = LogTime::parse_rfc3339("2003-10-11T22:14:15.003Z").unwrap();
        assert_eq!(t.to_string(), "2003-10-11T22:14:15+00:00");
        let t = LogTime::parse_rfc3339("2024-03-11 10:00:00+01:00").unwrap();
        assert_eq!(
            (t.to_string(), t.offset_secs),
            ("2024-03-11T10:00:00+01:00".to_owned(), 3600)
        );
        for bad in [
            "2024-03-11T10:00:00",
            "2024-03-11T10:00:00.Z",
            "2024-13-11T10:00:00Z",
            "2024-03-11T10:00:00+01:60",
            "x",
        ] {
            assert!(LogTime::parse_rfc3339(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn out_of_range_values_still_display() {
        let wild = LogTime {
            epoch_secs: i64::MAX,
            offset_secs: i32::MAX,
        };
        assert_eq!(wild.to_string(), format!("@{}", i64::MAX));
        assert_eq!(wild.format("%H:%M"), format!("@{}", i64::MAX));
    }

    #[test]
    fn earliest_and_latest_compare_instants_not_wall_clocks() {
        let utc = LogTime::from_civil(2020, 1, 1, 12, 0, 0, 0).unwrap();
        // 13:00 at +02:00 is 11:00Z: earlier, although its wall clock reads later.
        let east = LogTime::from_civil(2020, 1, 1, 13, 0, 0, 7200).unwrap();
        assert_eq!(utc.earliest(east), east);
        assert_eq!(utc.latest(east), utc);
    }
}
