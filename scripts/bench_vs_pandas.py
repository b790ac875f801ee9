#!/usr/bin/env python3
"""Parses one access log with loglens and with the usual Python approach, side by side.

The Python side is what log-analysis notebooks do: read the lines into a pandas
DataFrame, split them with a regular expression (`str.extract`), and convert the time,
status and size columns. The loglens side is `loglens analyze --summary-only` (read,
parse every line, summarise; no detectors), a whole process, start to finish. Both read
the same file, in the same run; each is timed three times and the medians compared.

    pip install pandas==3.1.1
    cargo build --release -p loglens-cli
    python3 scripts/bench_vs_pandas.py [--lines 1000000] [--runs 3]

The file is the labelled shop log from generate_access_log.py (5 days, 112k lines),
repeated until it has the requested number of lines.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOGLENS = os.path.join(ROOT, "target", "release", "loglens")

# The combined format, as the notebooks write it.
COMBINED = (
    r'^(?P<client>\S+) (?P<ident>\S+) (?P<user>\S+) \[(?P<time>[^\]]+)\] '
    r'"(?P<method>\S+) (?P<target>\S+) (?P<protocol>[^"]*)" (?P<status>\d{3}) (?P<size>\S+)'
    r'(?: "(?P<referer>[^"]*)" "(?P<agent>[^"]*)")?'
)


def make_log(lines, directory):
    base = subprocess.run(
        [sys.executable, os.path.join(ROOT, "scripts", "generate_access_log.py"), "--days", "5", "--visits", "6000"],
        check=True, capture_output=True, text=True,
    ).stdout
    base_lines = base.count("\n")
    path = os.path.join(directory, "bench.log")
    with open(path, "w", encoding="utf-8") as out:
        written = 0
        while written < lines:
            out.write(base)
            written += base_lines
    return path, written


def pandas_parse(path):
    import pandas as pd

    start = time.perf_counter()
    with open(path, encoding="utf-8", errors="replace") as source:
        frame = pd.DataFrame({"line": source.read().splitlines()})
    fields = frame["line"].str.extract(COMBINED)
    fields["time"] = pd.to_datetime(fields["time"], format="%d/%b/%Y:%H:%M:%S %z", errors="coerce")
    fields["status"] = pd.to_numeric(fields["status"], errors="coerce")
    fields["size"] = pd.to_numeric(fields["size"], errors="coerce")
    parsed = int(fields["client"].notna().sum())
    return time.perf_counter() - start, parsed


def loglens_parse(path, threads=None):
    command = [LOGLENS, "analyze", "--summary-only", path]
    if threads is not None:
        command += ["--threads", str(threads)]
    start = time.perf_counter()
    result = subprocess.run(command, check=True, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    parsed_line = next(line for line in result.stdout.splitlines() if line.strip().startswith("parsed"))
    parsed = int(parsed_line.split()[1].replace(",", ""))
    return elapsed, parsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not os.path.exists(LOGLENS):
        sys.exit(f"build the CLI first: cargo build --release -p loglens-cli ({LOGLENS} is missing)")
    with tempfile.TemporaryDirectory() as directory:
        path, lines = make_log(args.lines, directory)
        size_mb = os.path.getsize(path) / 1e6
        results = {}
        for name, run in (
            ("pandas + regex", pandas_parse),
            ("loglens --summary-only", loglens_parse),
        ):
            timings = [run(path) for _ in range(args.runs)]
            results[name] = (statistics.median(t for t, _ in timings), timings[0][1])
        print(f"{lines:,} lines, {size_mb:.0f} MB, median of {args.runs} runs each, in the same run")
        print(f"{'':24} {'seconds':>9} {'lines/s':>12} {'parsed':>10}")
        for name, (seconds, parsed) in results.items():
            print(f"{name:24} {seconds:9.2f} {lines / seconds:12,.0f} {parsed:10,}")
        ratio = results["pandas + regex"][0] / results["loglens --summary-only"][0]
        print(f"loglens is {ratio:.0f} times as fast")


if __name__ == "__main__":
    main()
