#!/usr/bin/env python3
"""The whole job, side by side: loglens, the usual Python notebook pipeline, and GoAccess.

On a realistic, labelled access log of a million lines (scripts/generate_realistic_access_log.py:
a week of a shop, 4,500 clients, 107,000 distinct request lines, 1,757 user agents, 0.26%
attack lines; its diversity beside real logs' is in docs/performance.md), and with
`--regular` also on the older generated log (generate_access_log.py, ten days, 412
distinct request lines and 21 user agents: every cache in loglens hits, so it flatters
loglens and is labelled as such). In the same run:

  loglens     `loglens analyze --output json`: parse, every detector, both forests, the
              detectors shared between one thread per core; and again with `--threads 1`
  python      what the popular notebooks do: pandas reads the lines and splits them with a
              regex, features per line (status, size, lengths, odd characters, hour), a
              CountVectorizer over the request line, scikit-learn's IsolationForest with
              100 trees over both; its outliers are its findings
  goaccess    Debian's GoAccess, `--log-format=COMBINED -o report.json` (it summarises
              traffic and finds nothing, so it has no precision or recall)

Each is a whole process, timed to the millisecond from start to exit (GNU time, which
gives its peak memory as the maximum resident set, starts it: the same millisecond or so
for every tool), `--runs` times, the tools taking turns so a slow spell of the machine
falls on all of them; the table gives medians, the ratio of each time to loglens's, and
each one's per-line precision, recall and F1 against the labels.

    pip install pandas==3.1.1 scikit-learn==1.6.1 && apt-get install goaccess
    cargo build --release -p loglens-cli
    python3 scripts/bench_whole_file.py [--runs 3] [--regular]
"""

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOGLENS = os.path.join(ROOT, "target", "release", "loglens")

PIPELINE = r'''
import re, sys
import numpy as np, pandas as pd
from scipy.sparse import csr_matrix, hstack
from sklearn.ensemble import IsolationForest
from sklearn.feature_extraction.text import CountVectorizer

COMBINED = (r'^(?P<client>\S+) (?P<ident>\S+) (?P<user>\S+) \[(?P<time>[^\]]+)\] '
            r'"(?P<request>[^"]*)" (?P<status>\d{3}) (?P<size>\S+)'
            r'(?: "(?P<referer>[^"]*)" "(?P<agent>[^"]*)")?')
with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
    lines = pd.Series(f.read().splitlines())
df = lines.str.extract(COMBINED)
df["line"] = np.arange(1, len(df) + 1)
df = df.dropna(subset=["client"])
df["status"] = pd.to_numeric(df["status"], errors="coerce").fillna(0)
df["size"] = pd.to_numeric(df["size"].replace("-", "0"), errors="coerce").fillna(0)
df["time"] = pd.to_datetime(df["time"], format="%d/%b/%Y:%H:%M:%S %z", errors="coerce")
request = df["request"].fillna("")
numeric = np.column_stack([
    df["status"].to_numpy(), np.log1p(df["size"].to_numpy()),
    request.str.len().to_numpy(), request.str.count(r"[^A-Za-z0-9/._ -]").to_numpy(),
    df["agent"].fillna("").str.len().to_numpy(), df["time"].dt.hour.fillna(0).to_numpy(),
])
words = CountVectorizer(token_pattern=r"[A-Za-z0-9_]+", max_features=2000).fit_transform(request)
features = hstack([csr_matrix(numeric.astype(float)), words]).tocsr()
model = IsolationForest(n_estimators=100, random_state=0).fit(features)
flagged = df["line"].to_numpy()[model.predict(features) == -1]
with open(sys.argv[2], "w") as out:
    out.write("\n".join(str(n) for n in flagged))
'''


def timed(command):
    """Runs `command` under GNU time; returns (seconds, peak MiB). The seconds are
    measured here: GNU time gives hundredths, a few percent of loglens's time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as stats:
        start = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", stats.name, *command],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        kib = stats.read().split()[-1]
    return seconds, int(kib) / 1024


def scores(flagged, attacks):
    tp = len(flagged & attacks)
    precision = tp / len(flagged) if flagged else 0.0
    recall = tp / len(attacks) if attacks else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--regular", action="store_true",
                        help="also the older generated log, whose every line is alike")
    args = parser.parse_args()
    for tool in [LOGLENS, "/usr/bin/time"]:
        if not os.path.exists(tool):
            sys.exit(f"{tool} is missing (see the usage at the top of this script)")
    scripts = os.path.join(ROOT, "scripts")
    logs = [("realistic", lambda log, labels: [
        os.path.join(scripts, "generate_realistic_access_log.py"), "--lines", "1000000",
        "--out", log, "--labels", labels])]
    if args.regular:
        logs.append(("regular (every line alike)", lambda log, labels: [
            os.path.join(scripts, "generate_access_log.py"), "--days", "10", "--visits", "58000",
            "--labels", labels]))
    for name, generator in logs:
        compare(name, generator, args.runs)


def compare(log_name, generator, runs_wanted):
    """Generates the log, runs every tool on it in turns, and prints the table."""
    with tempfile.TemporaryDirectory() as work:
        log, labels = os.path.join(work, "access.log"), os.path.join(work, "labels.csv")
        with open(log, "w") as out:
            subprocess.run([sys.executable, *generator(log, labels)], check=True, stdout=out)
        lines = sum(1 for _ in open(log, "rb"))
        megabytes = os.path.getsize(log) / 1e6
        with open(labels) as f:
            attacks = {int(row["line"]) for row in csv.DictReader(f)}
        pipeline = os.path.join(work, "pipeline.py")
        with open(pipeline, "w") as f:
            f.write(PIPELINE)
        report, flagged_file = os.path.join(work, "report.json"), os.path.join(work, "flagged.txt")
        tools = {
            "loglens": [LOGLENS, "analyze", "--output", "json", "--out", report, log],
            "loglens --threads 1": [LOGLENS, "analyze", "--threads", "1", "--output", "json",
                                    "--out", report + ".1", log],
            "python (pandas + sklearn)": [sys.executable, pipeline, log, flagged_file],
        }
        if shutil.which("goaccess"):
            tools["goaccess"] = ["goaccess", log, "--log-format=COMBINED", "-o", os.path.join(work, "goaccess.json")]
        runs = {name: [] for name in tools}
        for _ in range(runs_wanted):
            for name, command in tools.items():
                runs[name].append(timed(command))
        results = {name: (statistics.median(r[0] for r in done), statistics.median(r[1] for r in done))
                   for name, done in runs.items()}
        with open(report) as f, open(report + ".1") as g:
            findings, findings_one_thread = json.load(f)["findings"], json.load(g)["findings"]
        if findings != findings_one_thread:
            sys.exit("loglens with one thread found otherwise than with several")
        loglens_flagged = {n for finding in findings for n in finding["lines"]}
        with open(flagged_file) as f:
            python_flagged = {int(n) for n in f.read().split()}
        quality = {"loglens": scores(loglens_flagged, attacks),
                   "loglens --threads 1": scores(loglens_flagged, attacks),
                   "python (pandas + sklearn)": scores(python_flagged, attacks)}

    print(f"\n{log_name}: {lines:,} lines, {megabytes:.0f} MB, {len(attacks):,} attack lines; {os.cpu_count()} cores; "
          f"median of {runs_wanted} runs each, in one run")
    print(f"{'':27}{'seconds':>9}{'lines/s':>12}{'peak MB':>9}{'× loglens':>11}{'precision':>11}{'recall':>8}{'F1':>7}")
    base = results["loglens"][0]
    for name, (seconds, peak) in results.items():
        p, r, f1 = (f"{v:.3f}" for v in quality[name]) if name in quality else ("n/a",) * 3
        print(f"{name:27}{seconds:9.3f}{lines / seconds:12,.0f}{peak:9.0f}{seconds / base:11.1f}{p:>11}{r:>8}{f1:>7}")


if __name__ == "__main__":
    main()
