//! Times in queries and time ranges: `time>=2024-03-01T10:00`, to the precision written.
//!
//! A time names a period as long as its last field: `2024-03-01` a day, `…T10` an hour,
//! `…T10:00` a minute, `…T10:00:00` a second. So `time<=2024-03-01` takes in the whole
//! day, `time=2024-03-01T10:00` the whole minute. Without an offset (`Z`, `+01:00`) a
//! time is read on each line's own clock, as the log shows it; with one, it is an instant.

use super::comparison::Comparison;
use crate::time::LogTime;

/// How to write a time, for the sentences that ask for one.
pub const TIME_FORMS: &str = "2024-03-01, 2024-03-01T10:00 or 2024-03-01T10:00:00+01:00";

/// A period a query names; see the module docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeBound {
    /// Its start: seconds since the epoch, or, on a line's own clock, the wall-clock
    /// time counted as if it were UTC.
    pub start_secs: i64,
    /// How long it lasts, in seconds: from a day to one second.
    pub length_secs: i64,
    /// Whether it was written without an offset, so it is read on each line's clock.
    pub wall_clock: bool,
}

impl TimeBound {
    /// Reads `2024-03-01`, `2024-03-01T10`, `2024-03-01T10:00`, `2024-03-01 10:00:00.5`,
    /// each with an optional `Z` or `±HH:MM` (or `±HHMM`); `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let b = text.trim().as_bytes();
        let digits = |at: usize, count: usize| number(b.get(at..at + count)?);
        let (year, month, day) = (digits(0, 4)?, digits(5, 2)?, digits(8, 2)?);
        if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let mut at = 10;
        let mut clock = [0i32; 3];
        let mut length_secs = 86_400;
        if matches!(b.get(at), Some(b'T' | b't' | b' ')) {
            clock[0] = digits(at + 1, 2)?;
            at += 3;
            length_secs = 3_600;
            for (field, length) in [(1, 60), (2, 1)] {
                if b.get(at) == Some(&b':') && b.get(at + 1).is_some_and(u8::is_ascii_digit) {
                    clock[field] = digits(at + 1, 2)?;
                    at += 3;
                    length_secs = length;
                } else {
                    break;
                }
            }
            if length_secs == 1 && b.get(at) == Some(&b'.') {
                at += 1 + b[at + 1..]
                    .iter()
                    .take_while(|d| d.is_ascii_digit())
                    .count();
            }
        }
        let offset_secs = match &b[at..] {
            [] => None,
            [b'Z' | b'z'] => Some(0),
            [sign @ (b'+' | b'-'), h1, h2, rest @ ..] => {
                let minutes = match rest {
                    [b':', m1, m2] | [m1, m2] => [*m1, *m2],
                    [] => [b'0', b'0'],
                    _ => return None,
                };
                let (hours, minutes) = (number(&[*h1, *h2])?, number(&minutes)?);
                if minutes > 59 {
                    return None;
                }
                let sign = if *sign == b'-' { -1 } else { 1 };
                Some(sign * (hours * 3_600 + minutes * 60))
            }
            _ => return None,
        };
        let start = LogTime::from_civil(
            year,
            month,
            day,
            clock[0],
            clock[1],
            clock[2],
            offset_secs.unwrap_or(0),
        )?;
        Some(Self {
            start_secs: start.epoch_secs,
            length_secs,
            wall_clock: offset_secs.is_none(),
        })
    }

    /// Whether `time` compares with this period so: `=` within it, `<` before it, `<=`
    /// before its end, `>` after it, `>=` from its start.
    pub(crate) fn holds(self, comparison: Comparison, time: LogTime) -> bool {
        let secs = if self.wall_clock {
            time.epoch_secs + i64::from(time.offset_secs)
        } else {
            time.epoch_secs
        };
        let end = self.start_secs.saturating_add(self.length_secs);
        match comparison {
            Comparison::Equal => (self.start_secs..end).contains(&secs),
            Comparison::NotEqual => !(self.start_secs..end).contains(&secs),
            Comparison::Less => secs < self.start_secs,
            Comparison::LessOrEqual => secs < end,
            Comparison::Greater => secs >= end,
            Comparison::GreaterOrEqual => secs >= self.start_secs,
        }
    }

    /// The instants it covers, `start..end` in seconds since the epoch, a wall-clock
    /// time read in `offset_secs` (the log's).
    pub fn instants(self, offset_secs: i32) -> std::ops::Range<i64> {
        let start = if self.wall_clock {
            self.start_secs - i64::from(offset_secs)
        } else {
            self.start_secs
        };
        start..start.saturating_add(self.length_secs)
    }
}

/// The number ASCII `digits` write; `None` if one is not a digit.
fn number(digits: &[u8]) -> Option<i32> {
    digits.iter().try_fold(0i32, |n, &d| {
        d.is_ascii_digit().then(|| n * 10 + i32::from(d - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARCH_1: i64 = 1_709_251_200;

    fn at(epoch_secs: i64, offset_secs: i32) -> LogTime {
        LogTime {
            epoch_secs,
            offset_secs,
        }
    }

    #[test]
    fn each_precision_names_its_period() {
        let bound = |text: &str| TimeBound::parse(text).unwrap_or_else(|| panic!("{text}"));
        assert_eq!(
            bound("2024-03-01"),
            TimeBound {
                start_secs: MARCH_1,
                length_secs: 86_400,
                wall_clock: true
            }
        );
        assert_eq!(bound("2024-03-01T10").length_secs, 3_600);
        assert_eq!(bound("2024-03-01T10:30").start_secs, MARCH_1 + 37_800);
        assert_eq!(bound("2024-03-01 10:30").length_secs, 60);
        assert_eq!(bound("2024-03-01T10:30:15").length_secs, 1);
        assert_eq!(
            bound("2024-03-01T10:30:15.250").start_secs,
            MARCH_1 + 37_815
        );
        let utc = bound("2024-03-01T10:30Z");
        assert!(!utc.wall_clock);
        assert_eq!(utc.start_secs, MARCH_1 + 37_800);
        assert_eq!(bound("2024-03-01T10:30+01:00").start_secs, MARCH_1 + 34_200);
        assert_eq!(bound("2024-03-01T10:30-0130").start_secs, MARCH_1 + 43_200);
        for not_a_time in [
            "",
            "2024",
            "2024-3-1",
            "2024-03-01T",
            "2024-03-01T1",
            "2024-02-30",
            "2024-03-01T25:00",
            "2024-03-01T10:00+1",
            "2024-03-01T10:00:00junk",
            "today",
        ] {
            assert_eq!(TimeBound::parse(not_a_time), None, "{not_a_time}");
        }
    }

    #[test]
    fn comparisons_take_in_the_whole_period() {
        let day = TimeBound::parse("2024-03-01").unwrap();
        let morning = at(MARCH_1 + 3_600, 0);
        let next_day = at(MARCH_1 + 86_400, 0);
        assert!(day.holds(Comparison::Equal, morning));
        assert!(!day.holds(Comparison::Equal, next_day));
        assert!(day.holds(Comparison::LessOrEqual, morning));
        assert!(!day.holds(Comparison::Less, morning));
        assert!(day.holds(Comparison::Greater, next_day));
        assert!(!day.holds(Comparison::Greater, morning));
        assert!(day.holds(Comparison::GreaterOrEqual, morning));
        assert!(day.holds(Comparison::NotEqual, next_day));
    }

    #[test]
    fn a_time_without_offset_is_read_on_the_lines_clock() {
        let ten = TimeBound::parse("2024-03-01T10:00").unwrap();
        // 10:00 at +02:00 is 08:00Z: ten o'clock on that line's clock.
        assert!(ten.holds(Comparison::Equal, at(MARCH_1 + 8 * 3_600, 7_200)));
        assert!(!ten.holds(Comparison::Equal, at(MARCH_1 + 8 * 3_600, 0)));
        let ten_utc = TimeBound::parse("2024-03-01T10:00Z").unwrap();
        assert!(ten_utc.holds(Comparison::Equal, at(MARCH_1 + 10 * 3_600, 7_200)));
        assert_eq!(
            ten.instants(7_200),
            MARCH_1 + 8 * 3_600..MARCH_1 + 8 * 3_600 + 60
        );
        assert_eq!(
            ten_utc.instants(7_200),
            MARCH_1 + 10 * 3_600..MARCH_1 + 10 * 3_600 + 60
        );
    }
}
