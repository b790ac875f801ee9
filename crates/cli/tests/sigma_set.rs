//! The compiled Sigma set (every literal searched at once, answers remembered per text)
//! matches exactly the lines each shipped SigmaHQ rule matches when run alone, every
//! test of it: on every example and real log of the repository, and on lines written
//! from the rules' own values (combined and JSON, where a method and target may come
//! apart from the request line), some with letters only Unicode folds onto ASCII.

use loglens_core::LogTime;
use loglens_core::event::Event;
use loglens_core::query::{Query, QueryScan};
use loglens_core::sigma::{Scratch, SigmaSet};
use std::path::{Path, PathBuf};

const NOW: LogTime = LogTime {
    epoch_secs: 1_800_000_000,
    offset_secs: 0,
};

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yml") {
            out.push(path);
        }
    }
}

fn shipped_rules() -> Vec<serde_json::Value> {
    let mut files = Vec::new();
    yaml_files(&repo("rules/sigma"), &mut files);
    files
        .iter()
        .flat_map(|f| {
            loglens_core::sigma::yaml_documents(&std::fs::read_to_string(f).unwrap()).unwrap()
        })
        .collect()
}

/// Every text value in a rule's detection.
fn values(node: &serde_json::Value, out: &mut Vec<String>) {
    match node {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|i| values(i, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| values(v, out)),
        _ => {}
    }
}

/// Every text value in the rules' detections.
fn all_values(rules: &[serde_json::Value]) -> Vec<String> {
    let mut all = Vec::new();
    for rule in rules {
        if let Some(detection) = rule.get("detection") {
            values(detection, &mut all);
        }
    }
    all
}

/// Lines that carry each value (its wildcards written as text) in the target, referer
/// and user agent, and once more with k and s written as the Kelvin sign and long s.
fn lines_from_values(rules: &[serde_json::Value]) -> String {
    let all = all_values(rules);
    let mut text = String::new();
    for (i, value) in all.iter().enumerate() {
        let plain: String = value
            .chars()
            .map(|c| match c {
                '*' => 'x',
                '?' => 'y',
                '"' | '\n' | '\r' => '_',
                c => c,
            })
            .collect();
        let folded = plain.replace('k', "\u{212A}").replace('s', "\u{17F}");
        for v in [&plain, &folded] {
            let target = if v.starts_with('/') {
                v.clone()
            } else {
                format!("/{v}")
            };
            text.push_str(&format!(
                "10.0.{}.{} - - [01/Mar/2027:10:00:00 +0000] \"{} {target} HTTP/1.1\" {} 512 \"{v}\" \"{v}\"\n",
                i / 250,
                i % 250,
                if i % 3 == 0 { "POST" } else { "GET" },
                [200, 404, 500][i % 3],
            ));
        }
    }
    text
}

/// The same values as JSON lines: the method and path given apart, the request line
/// alone, or a target standing for the whole line; the value as host and user too.
fn json_lines_from_values(rules: &[serde_json::Value]) -> String {
    let all = all_values(rules);
    let mut text = String::new();
    for (i, value) in all.iter().enumerate() {
        let target = if value.starts_with('/') {
            value.clone()
        } else {
            format!("/{value}")
        };
        // Each value in every form, one after another: the same request line read two
        // ways must not share an answer.
        for form in [1, 2, 0] {
            let status = [200, 404, 500][form];
            let mut line = serde_json::json!({
                "time": "2027-03-01T10:00:00Z",
                "remote_addr": format!("10.1.{}.{}", i / 250, i % 250),
                "status": status,
                "http_user_agent": value,
                "host": value,
                "user": value,
            });
            match form {
                0 => {
                    line["method"] = "POST".into();
                    line["uri"] = target.clone().into();
                }
                1 => line["request"] = format!("GET {target} HTTP/1.1").into(),
                _ => line["uri"] = format!("GET {target} HTTP/1.1").into(),
            }
            text.push_str(&line.to_string());
            text.push('\n');
        }
    }
    text
}

/// How many lines matched some rule, after checking each line both ways.
fn compare(set: &SigmaSet, text: &str, name: &str) -> usize {
    let mut scratch = Scratch::default();
    let mut matched_lines = 0;
    let mut scan = QueryScan::new(Query::parse("*").unwrap(), None, NOW, 0, 0);
    let mut check = |line: loglens_core::Line<'_>, event: Option<&Event<'_>>| {
        let Some(event) = event else { return };
        let alone: Vec<usize> = (0..set.rules().len())
            .filter(|&i| set.rules()[i].matches(event))
            .collect();
        let compiled = set.matching(event, &mut scratch).to_vec();
        let titles = |found: &[usize]| -> Vec<String> {
            found
                .iter()
                .map(|&i| set.rules()[i].info.title.clone())
                .collect()
        };
        assert_eq!(
            titles(&compiled),
            titles(&alone),
            "{name}, line {}: {:?}",
            line.number,
            line.text
        );
        matched_lines += usize::from(!alone.is_empty());
    };
    scan.feed_each(text.as_bytes(), &mut check);
    scan.finish_each(&mut check);
    matched_lines
}

#[test]
fn the_compiled_set_matches_as_each_rule_alone() {
    let rules = shipped_rules();
    assert_eq!(rules.len(), 149);
    let set = SigmaSet::compile(&rules);
    let unsupported = set.refused();
    assert_eq!(set.rules().len(), 145, "{unsupported:?}");

    let mut logs = Vec::new();
    for dir in ["example_logs", "example_logs/real"] {
        let mut entries: Vec<_> = std::fs::read_dir(repo(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file() && !p.to_string_lossy().ends_with(".csv"))
            .collect();
        entries.sort();
        logs.extend(entries);
    }
    let mut matched_in_logs = 0;
    for log in &logs {
        let bytes = std::fs::read(log).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        matched_in_logs += compare(&set, &text, &log.display().to_string());
    }
    // The real logs' scanners: .git/, recon user agents, webshell paths and more.
    assert!(matched_in_logs >= 20, "{matched_in_logs} lines matched");

    let written = lines_from_values(&rules);
    let matched_written = compare(&set, &written, "lines from the rules' values");
    assert!(
        matched_written >= 1000,
        "{matched_written} of {} lines matched",
        written.lines().count()
    );
    let json = json_lines_from_values(&rules);
    let matched_json = compare(&set, &json, "JSON lines from the rules' values");
    assert!(
        matched_json >= 300,
        "{matched_json} of {} JSON lines matched",
        json.lines().count()
    );
}
