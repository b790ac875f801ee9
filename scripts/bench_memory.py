#!/usr/bin/env python3
"""Peak memory of `loglens analyze` on inputs built to make it grow, and what each cost.

Memory should follow the analysis' limits, not the file (see README, "Speed"):

  repeated    the labelled shop log (scripts/generate_access_log.py) repeated to
              10 million lines, about 2.2 GB: many lines, 88 clients
  clients     3 million lines from 3 million distinct clients, each failing a login
  minutes     3 million lines, one a minute for 5.7 years (timestamps far apart)

Each is one `loglens analyze --output json` process, timed with GNU time's maximum
resident set; the report's "left out" sentences say which limits were reached.

    cargo build --release -p loglens-cli
    python3 scripts/bench_memory.py [--lines 10000000] [--spread 3000000]
"""

import argparse
import datetime
import json
import os
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOGLENS = os.path.join(ROOT, "target", "release", "loglens")


def repeated(path, lines):
    base = subprocess.run(
        ["python3", os.path.join(ROOT, "scripts", "generate_access_log.py"), "--days", "5", "--visits", "6000"],
        check=True,
        capture_output=True,
    ).stdout
    copies = -(-lines // base.count(b"\n"))
    with open(path, "wb") as out:
        for _ in range(copies):
            out.write(base)


def many_clients(path, lines):
    with open(path, "w") as out:
        for i in range(lines):
            client = f"{10 + i // 16777216}.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"
            out.write(f'{client} - - [01/Mar/2024:10:{i % 60:02d}:00 +0000] "POST /login?u={i} HTTP/1.1" 401 20 "-" "bot"\n')


def many_minutes(path, lines):
    start = datetime.datetime(2020, 1, 1)
    with open(path, "w") as out:
        for i in range(lines):
            at = (start + datetime.timedelta(minutes=i)).strftime("%d/%b/%Y:%H:%M:%S +0000")
            out.write(f'10.0.0.1 - - [{at}] "GET /p/{i} HTTP/1.1" 200 5 "-" "x" 0.01\n')


def measure(path):
    timed = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", LOGLENS, "analyze", path, "--output", "json"],
        check=True,
        capture_output=True,
        text=True,
    )
    seconds, kilobytes = timed.stderr.strip().splitlines()[-1].split()
    report = json.loads(timed.stdout)
    left_out = [f"{u['what']}: {u['left_out']:,} {u['left_out_what']}" for u in report.get("untracked", [])]
    return float(seconds), int(kilobytes) / 1024, report["lines_total"], left_out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=10_000_000, help="lines of the repeated shop log")
    parser.add_argument("--spread", type=int, default=3_000_000, help="lines of the clients and minutes files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        print(f"{'input':<10} {'lines':>12} {'MB':>8} {'seconds':>8} {'peak MB':>8}  left out")
        for name, make, lines in [
            ("repeated", repeated, args.lines),
            ("clients", many_clients, args.spread),
            ("minutes", many_minutes, args.spread),
        ]:
            path = os.path.join(directory, f"{name}.log")
            make(path, lines)
            size = os.path.getsize(path) / 1e6
            seconds, peak, read, left_out = measure(path)
            print(f"{name:<10} {read:>12,} {size:>8.0f} {seconds:>8.1f} {peak:>8.0f}  {'; '.join(left_out) or '-'}")
            os.remove(path)


if __name__ == "__main__":
    main()
