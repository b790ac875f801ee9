#!/usr/bin/env python3
"""Two builds of loglens side by side on one file: is a change faster, slower, or noise?

Runs `BEFORE analyze ARGS FILE` and `AFTER analyze ARGS FILE` in turns, `--runs` times
each (so a slow spell of the machine falls on both), and prints each one's median wall
time, CPU time (user and system, which a busy neighbour disturbs less than the wall
clock) and peak memory (the maximum resident set), and the ratios of the medians. Keep a copy of the binary before the change:

    cp target/release/loglens /tmp/loglens-before
    # change, then cargo build --release -p loglens-cli
    python3 scripts/bench_ab.py /tmp/loglens-before target/release/loglens FILE \
        [--runs 9] [--args "--output json --threads 2"]

The same binary with more options for the second, for what an option costs (the
shipped Sigma rules, say):

    python3 scripts/bench_ab.py target/release/loglens target/release/loglens FILE \
        --after-args "--sigma rules/sigma"
"""

import argparse
import shlex
import statistics
import os
import subprocess
import time


def measure(binary, args, path):
    """Wall seconds, CPU seconds and peak resident kilobytes of one whole process."""
    proc_start = time.perf_counter()
    proc = subprocess.Popen([binary, "analyze", *args, path],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - proc_start
    if status != 0:
        raise SystemExit(f"{binary} failed with status {status}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("file")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--args", default="--output json",
                        help="options given to both, before the file")
    parser.add_argument("--after-args", default="",
                        help="options given to the second only")
    options = parser.parse_args()
    args = shlex.split(options.args)
    after_args = args + shlex.split(options.after_args)
    results = {"before": [], "after": []}
    for _ in range(options.runs):
        for name, binary, given in (("before", options.before, args),
                                    ("after", options.after, after_args)):
            results[name].append(measure(binary, given, options.file))
    print(f"{options.runs} runs each, taking turns: analyze {options.args} {options.file}"
          + (f"; after adds {options.after_args}" if options.after_args else ""))
    medians, cpu = {}, {}
    for name in ("before", "after"):
        times = sorted(t for t, _, _ in results[name])
        cpu[name] = statistics.median(c for _, c, _ in results[name])
        memory = statistics.median(m for _, _, m in results[name]) / 1024
        medians[name] = statistics.median(times)
        print(f"  {name:<6} median {medians[name]:.3f} s  (runs {times[0]:.3f}–{times[-1]:.3f} s)"
              f"  CPU {cpu[name]:.3f} s  peak memory {memory:.0f} MB")
    for what, values in (("wall", medians), ("CPU", cpu)):
        change = values["after"] / values["before"] - 1
        print(f"  after/before, {what}: {values['after'] / values['before']:.3f} ({change:+.1%})")


if __name__ == "__main__":
    main()
