//! Figures written for people: the page, the command line and reports all show counts,
//! sizes, durations and shares the same way.

/// `1234567` as `1,234,567`.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A byte count in the largest binary unit that keeps it at least 1: `1.5 MiB`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// A duration in its two largest units, a zero second unit left out: `3d 4h`, `2h 5m`,
/// `5m`, `45s`.
pub fn human_duration(secs: i64) -> String {
    let secs = secs.unsigned_abs();
    let parts = [
        (secs / 86_400, "d"),
        (secs / 3600 % 24, "h"),
        (secs / 60 % 60, "m"),
        (secs % 60, "s"),
    ];
    let largest = parts
        .iter()
        .position(|(n, _)| *n > 0)
        .unwrap_or(parts.len() - 1);
    let (n, unit) = parts[largest];
    match parts.get(largest + 1) {
        Some((m, next_unit)) if *m > 0 => format!("{n}{unit} {m}{next_unit}"),
        _ => format!("{n}{unit}"),
    }
}

/// `part / whole` as a percentage with one decimal, rounded down so that `100.0%` means
/// all of it (6 108 of 6 111 lines parsed is `99.9%`, not `100.0%`); `0.0%` of nothing.
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0.0%".to_owned();
    }
    let tenths = u128::from(part) * 1000 / u128::from(whole);
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// When something happened, as short as it can be said: one time, or a range that
/// repeats the date only when it changes (`2024-03-11 21:04 → 21:09`).
pub fn time_range_text(first: crate::time::LogTime, last: crate::time::LogTime) -> String {
    if first.epoch_secs == last.epoch_secs {
        return first.format("%Y-%m-%d %H:%M:%S");
    }
    let same_day = first.format("%Y-%m-%d") == last.format("%Y-%m-%d");
    let end_pattern = if same_day { "%H:%M" } else { "%Y-%m-%d %H:%M" };
    format!(
        "{} → {}",
        first.format("%Y-%m-%d %H:%M"),
        last.format(end_pattern)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1,000");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
        assert_eq!(group_thousands(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn bytes_in_binary_units() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(3 * 1024 * 1024 * 1024), "3.0 GiB");
        assert_eq!(human_bytes(u64::MAX), "16.0 EiB");
    }

    #[test]
    fn durations_in_two_units() {
        assert_eq!(human_duration(0), "0s");
        assert_eq!(human_duration(45), "45s");
        assert_eq!(human_duration(300), "5m");
        assert_eq!(human_duration(86_400 + 60), "1d");
        assert_eq!(human_duration(125), "2m 5s");
        assert_eq!(human_duration(7_500), "2h 5m");
        assert_eq!(human_duration(3 * 86_400 + 4 * 3600 + 59), "3d 4h");
        assert_eq!(human_duration(i64::MIN), "106751991167300d 15h");
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(1, 3), "33.3%");
        assert_eq!(percent(2, 3), "66.6%");
        assert_eq!(percent(6_108, 6_111), "99.9%");
        assert_eq!(percent(7, 7), "100.0%");
        assert_eq!(percent(u64::MAX, u64::MAX), "100.0%");
        assert_eq!(percent(5, 0), "0.0%");
    }
}
