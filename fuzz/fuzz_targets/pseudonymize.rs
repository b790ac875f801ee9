//! Pseudonymisation of any text, and of the report and evidence lines of any input: never
//! a panic, and no IPv4 address written plainly in the input comes out.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loglens_core::line_collector::NumberedLine;
use loglens_core::pseudonym::{PseudonymMode, Pseudonymizer};
use loglens_core::{AnalysisOptions, analyze_bytes};
use regex::Regex;
use std::net::Ipv4Addr;
use std::sync::LazyLock;

static DOTTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}").unwrap());

/// The IPv4 addresses `text` writes plainly.
fn addresses(text: &str) -> Vec<Ipv4Addr> {
    DOTTED
        .find_iter(text)
        .filter_map(|m| m.as_str().parse().ok())
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, bytes)) = data.split_first() else {
        return;
    };
    let key = *b"fuzzing the hide";
    let mode = match mode % 3 {
        0 => PseudonymMode::Keyed(key),
        1 => PseudonymMode::Documentation(key),
        _ => PseudonymMode::Truncated(key),
    };
    let text = String::from_utf8_lossy(bytes);
    let mut hider = Pseudonymizer::new(mode);
    let mut lines: Vec<NumberedLine> = text
        .lines()
        .enumerate()
        .map(|(i, line)| NumberedLine {
            line_no: i as u64 + 1,
            text: line.to_owned(),
            cut: false,
        })
        .collect();
    let report = analyze_bytes(bytes, AnalysisOptions::default());
    let hidden = hider.export(&report, &mut lines);
    let _ = hider.source_name(&text);
    if matches!(mode, PseudonymMode::Keyed(_)) {
        let before = addresses(&text);
        let after: Vec<String> = lines.iter().map(|l| l.text.clone()).collect();
        for address in addresses(&after.join("\n")) {
            assert!(!before.contains(&address), "{address} came through");
        }
        for finding in &hidden.findings {
            for address in addresses(&finding.description) {
                assert!(!before.contains(&address), "{address} came through a description");
            }
        }
    }
});
