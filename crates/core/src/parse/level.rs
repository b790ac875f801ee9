//! Level names, as loggers write them, mapped to syslog severities.

/// The syslog severity (0 emergency … 7 debug) of a level name, in any case: error 3,
/// warning 4, info 6, debug 7, and their usual spellings.
pub fn severity_of(level: &str) -> Option<u8> {
    Some(match level.to_ascii_lowercase().as_str() {
        "emerg" | "emergency" | "panic" => 0,
        "alert" => 1,
        "crit" | "critical" | "fatal" => 2,
        "err" | "error" => 3,
        "warn" | "warning" => 4,
        "notice" => 5,
        "info" | "information" => 6,
        "debug" | "trace" => 7,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_the_usual_spellings() {
        assert_eq!(
            ["ERROR", "Warning", "info", "TRACE", "fatal"].map(severity_of),
            [Some(3), Some(4), Some(6), Some(7), Some(2)]
        );
        assert_eq!(severity_of("verbose"), None);
    }
}
