//! `loglens grep`: the lines a query matches, on real logs from the repository's corpus.
//! Every expected count was made with grep and awk over the file, not with loglens.

use assert_cmd::Command;
use std::path::PathBuf;

fn real_log(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../example_logs/real")
        .join(name)
}

/// Standard output and the exit code of `loglens grep ARGS… FILE`.
fn grep(args: &[&str], log: &str) -> (String, Option<i32>) {
    let output = Command::cargo_bin("loglens")
        .unwrap()
        .arg("grep")
        .args(args)
        .arg(real_log(log))
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        output.status.code(),
    )
}

const SCANNED: &str = "access_vhost_scanner_2024.log";
const SSH: &str = "auth_denyusers_2024.log";

#[test]
fn times_take_in_the_period_written() {
    // awk '{print substr($5,2,14)}' | uniq -c: 1,244 lines in 05:00-05:59, 2 on 28 July.
    for query in [
        "time>=2024-07-27T05:00 and time<=2024-07-27T05:59",
        "time=2024-07-27T05",
        "time>=2024-07-27T05:00:00Z and time<2024-07-27T06:00:00+00:00",
        "time>=2024-07-27T07:00+02:00 and time<2024-07-27T08:00+02:00",
    ] {
        let (out, code) = grep(&["-c", query], SCANNED);
        assert!(
            out.starts_with("1244 of 2765 lines match"),
            "{query}: {out}"
        );
        assert_eq!(code, Some(0));
    }
    assert!(
        grep(&["-c", "time>2024-07-27"], SCANNED)
            .0
            .starts_with("2 of 2765")
    );
    let (out, code) = grep(&["-c", "time>=27/Jul/2024"], SCANNED);
    assert_eq!((out.as_str(), code), ("", Some(2)));
}

#[test]
fn counts_what_grep_and_awk_count() {
    // grep -c cgi-bin
    assert!(
        grep(&["--count", "/cgi-bin/"], SCANNED)
            .0
            .starts_with("28 of 2765 lines match /cgi-bin/\n")
    );
    // awk: the status field is 404
    assert!(
        grep(&["-c", "status=404"], SCANNED)
            .0
            .starts_with("24 of 2765 lines match")
    );
    assert!(
        grep(&["-c", "status=404 and not /cgi-bin/"], SCANNED)
            .0
            .starts_with("24 of")
    );
    // grep "Failed password" | grep -c "from 218.92.0.94 "
    let (out, code) = grep(&["-c", "client=218.92.0.94 and /Failed password/"], SSH);
    assert!(out.starts_with("488 of 5792 lines match"), "{out}");
    assert_eq!(code, Some(0));
    // grep -c "Failed password for invalid user root from"
    assert!(
        grep(&["-c", r#"user=root and "failed password""#], SSH)
            .0
            .starts_with("937 of")
    );
}

#[test]
fn prints_the_matching_lines_as_written_with_their_numbers() {
    let (out, code) = grep(&["-n", "status=400 and /cgi-bin/"], SCANNED);
    assert_eq!(code, Some(0));
    let lines: Vec<&str> = out.lines().collect();
    assert!(!lines.is_empty());
    for line in &lines {
        let (number, text) = line.split_once(':').unwrap();
        assert!(number.parse::<u64>().is_ok(), "{line}");
        assert!(
            text.contains("cgi-bin") && text.contains("\" 400 "),
            "{line}"
        );
    }
    // The same lines as the file holds, in its order.
    let file = std::fs::read_to_string(real_log(SCANNED)).unwrap();
    let expected: Vec<String> = file
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("cgi-bin") && l.contains("\" 400 "))
        .map(|(i, l)| format!("{}:{l}", i + 1))
        .collect();
    assert_eq!(lines, expected);
}

#[test]
fn no_match_exits_1_and_a_bad_query_says_where() {
    let (out, code) = grep(&["status=999"], SCANNED);
    assert_eq!((out.as_str(), code), ("", Some(1)));
    let output = Command::cargo_bin("loglens")
        .unwrap()
        .args(["grep", "status>=abc"])
        .arg(real_log(SCANNED))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "loglens: the query cannot be read at character 9: status is a number, and \"abc\" is not one\n"
    );
}

#[test]
fn writes_the_matches_as_csv_with_time_and_client() {
    let (out, code) = grep(&["--csv", "/cgi-bin/"], SCANNED);
    assert_eq!(code, Some(0));
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["line", "time", "client", "text"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 28);
    // Line 343 of the file, as written: a vhost, then the client.
    assert_eq!(&rows[0][0], "343");
    assert_eq!(&rows[0][1], "2024-07-27T05:05:05+00:00");
    assert_eq!(&rows[0][2], "79.110.62.11");
    let file = std::fs::read_to_string(real_log(SCANNED)).unwrap();
    assert_eq!(&rows[0][3], file.lines().nth(342).unwrap());
}
