//! `analyze --follow`: findings in lines appended after the start are written as they
//! appear.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

fn line(client: &str, minute: u32, target: &str) -> String {
    format!(
        "{client} - - [01/Mar/2024:10:{minute:02}:00 +0000] \"GET {target} HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0\"\n"
    )
}

#[test]
fn appended_attacks_are_reported_as_they_arrive() {
    let dir = std::env::temp_dir().join(format!("loglens-follow-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("growing.log");
    let quiet: String = (0..50)
        .map(|i| line("10.0.0.1", i % 60, "/index.html"))
        .collect();
    std::fs::write(&path, &quiet).unwrap();

    let child = Command::new(env!("CARGO_BIN_EXE_loglens"))
        .args([
            "analyze",
            "--output",
            "json",
            "--follow",
            "--follow-every",
            "0.2",
            "--follow-checks",
            "20",
        ])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    for i in 0..3 {
        file.write_all(
            line(
                "203.0.113.5",
                30 + i,
                "/item?id=1%27%20UNION%20SELECT%20password%20FROM%20users--",
            )
            .as_bytes(),
        )
        .unwrap();
    }
    // Half a line: not read as a line until it ends.
    file.write_all(b"198.51.100.7 - - [01/Mar/2024:10:40:00 +0000] \"GET /../../etc/passwd")
        .unwrap();
    drop(file);
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let findings: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f["kind"].as_str().unwrap(), f["client"].as_str().unwrap()))
        .collect();
    assert!(
        kinds.contains(&("sql_injection", "203.0.113.5")),
        "{kinds:?}"
    );
    assert!(
        !kinds.iter().any(|(_, client)| *client == "198.51.100.7"),
        "an unfinished line was read: {kinds:?}"
    );
    assert!(
        !kinds.iter().any(|(_, client)| *client == "10.0.0.1"),
        "{kinds:?}"
    );
}

#[test]
fn following_needs_one_plain_file() {
    let output = Command::new(env!("CARGO_BIN_EXE_loglens"))
        .args(["analyze", "--follow", "--output", "csv", "a.log"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("--follow writes a table or JSON lines")
    );
    let two = Command::new(env!("CARGO_BIN_EXE_loglens"))
        .args(["analyze", "--follow", "a.log", "b.log"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&two.stderr).contains("--follow follows one file; 2 were given")
    );
}

#[test]
fn following_pseudonymised_into_a_file_writes_no_address() {
    let dir = std::env::temp_dir().join(format!("loglens-follow-hidden-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("acme-web.log");
    let out = dir.join("findings.jsonl");
    let attack: String = (0..3)
        .map(|i| {
            line(
                "203.0.113.5",
                30 + i,
                "/item?id=1%27%20UNION%20SELECT%20password%20FROM%20users--",
            )
        })
        .collect();
    std::fs::write(&path, attack).unwrap();
    for output in ["json", "table"] {
        let run = Command::new(env!("CARGO_BIN_EXE_loglens"))
            .args([
                "analyze",
                "--output",
                output,
                "--pseudonymize",
                "--follow",
                "--follow-every",
                "0.1",
                "--follow-checks",
                "1",
                "--out",
            ])
            .arg(&out)
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(run.stdout.is_empty(), "--out was ignored");
        let written = std::fs::read_to_string(&out).unwrap();
        assert!(
            written.contains("sql_injection") && written.contains("ip-"),
            "{written}"
        );
        for identity in ["203.0.113.5", "acme-web"] {
            assert!(!written.contains(identity), "{identity} in {written}");
        }
    }
}

#[test]
fn following_refuses_what_it_cannot_do() {
    for (flags, says) in [
        (&["--fail-on", "high"][..], "--fail-on needs the log's end"),
        (&["--summary-only"][..], "--summary-only looks for none"),
        (&["--threads", "2"][..], "--follow reads with one thread"),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_loglens"))
            .args(["analyze", "--follow"])
            .args(flags)
            .arg("a.log")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{flags:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{flags:?}: {stderr}");
    }
}
