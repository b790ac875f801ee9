#!/usr/bin/env python3
"""Peak memory of `loglens analyze` on inputs built to make it grow, and what each cost.

Memory should follow the analysis' limits, not the file (see README, "Speed"). Each input
is built to grow one kind of structure that could grow with the file; sizes are at the
default scale (`--lines 10000000 --spread 3000000`):

  repeated      the labelled shop log (scripts/generate_access_log.py) repeated to
                10 million lines, about 2.2 GB: many lines, 88 clients
  clients       3 million lines from 3 million distinct clients, each failing a login
  minutes       3 million lines, one a minute for 5.7 years (timestamps far apart)
  oversized     2 million combined lines, each a 200 answering a 20 MB download
                (/export/data-N.csv) to a client of its own: every line an
                exfiltration candidate, about 230 MB
  paths         2 million combined lines from 12 clients, each a path and query string
                with ids of its own (and a referer to match), about 350 MB
  agents        2 million combined lines from 4,096 clients, each with a user agent of
                its own, about 350 MB
  long_lines    1,000 combined lines of 50 to 500 KB (a long search URL or a long user
                agent), every 40th of 1.5 to 3 MB instead, over the reader's 1 MiB line
                limit, about 320 MB
  users         3 million auth.log lines (RFC 3164, sshd): "Failed password for invalid
                user NAME" and every tenth "Accepted password for NAME", a user name of
                their own each, from 250,000 sources in bursts of 12 (each a password-guessing
                finding), about 340 MB
  json_fields   2.5 million JSON lines, each with a field name of its own beside the
                mapped ones, about 390 MB
  syslog_hosts  3 million syslog lines (RFC 3164), each from a host and a program of its
                own, about 280 MB
  flows         3 million network-flow CSV rows (CIC-IDS2017 columns): half from 750,000
                sources, half from 16 scanners labelled PortScan, every row to a
                destination address and port of its own, about 370 MB

Each is one `loglens analyze --output json` process, timed with GNU time's maximum
resident set; the report's "left out" sentences (`untracked`) say which limits were
reached, "parsed" that the lines were read as the format meant, not rejected, and the
report's distinct clients and findings hint at what was kept. At the end each input is
held to two limits: peak memory under half the file's size, and under 200 MB (MB are
10^6 bytes throughout). The script exits with status 1 when any input went over either
(or loglens failed on it). Files are written to $TMPDIR (or /tmp) and deleted after
each input.

    cargo build --release -p loglens-cli
    python3 scripts/bench_memory.py [--lines 10000000] [--spread 3000000] [--only NAME]
                                    [--loglens target/release/loglens]
"""

import argparse
import base64
import datetime
import json
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOGLENS = os.path.join(ROOT, "target", "release", "loglens")
START = datetime.datetime(2024, 3, 1)
HALF_FILE = 0.5
CEILING_MB = 200
FLOW_HEADER = ("Flow ID, Source IP, Source Port, Destination IP, Destination Port, Protocol, Timestamp,"
               " Flow Duration, Total Fwd Packets, Total Backward Packets,Total Length of Fwd Packets,"
               " Total Length of Bwd Packets, Label")


def write(path, rows):
    """Writes the lines `rows` yields, a few megabytes at a time."""
    with open(path, "w", buffering=1 << 22) as out:
        block = []
        for row in rows:
            block.append(row)
            if len(block) == 65536:
                out.write("".join(block))
                block.clear()
        out.write("".join(block))


def clock(fmt, lines):
    """`lines` timestamps a second apart from START, in strftime `fmt` (its `%S` filled here)."""
    head, tail = fmt.split("%S")
    minute = None
    for second in range(lines):
        if second // 60 != minute:
            minute = second // 60
            at = START + datetime.timedelta(minutes=minute)
            before, after = at.strftime(head), at.strftime(tail)
        yield f"{before}{second % 60:02d}{after}"


def address(n, first=10):
    """The `n`th IPv4 address from `first`.0.0.0 on."""
    return f"{first + n // 16777216}.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


CLF = "%d/%b/%Y:%H:%M:%S +0000"


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


def oversized(path, lines):
    write(path, (
        f'{address(i, 20)} - - [{at}] "GET /export/data-{i}.csv HTTP/1.1" 200 20971520 "-" "curl/8.5.0"\n'
        for i, at in enumerate(clock(CLF, lines))
    ))


def paths(path, lines):
    write(path, (
        f'192.0.2.{10 + i % 12} - - [{at}] "GET /api/v2/orders/{i}/items?session={i * 2654435761 % 2**32:08x}&n={i} HTTP/1.1" '
        f'200 {300 + i % 4000} "https://shop.example/orders/{i}" "okhttp/4.12.0"\n'
        for i, at in enumerate(clock(CLF, lines))
    ))


def agents(path, lines):
    write(path, (
        f'{address(i % 4096, 100)} - - [{at}] "GET /products/{i % 500} HTTP/1.1" 200 {900 + i % 9000} "-" '
        f'"Mozilla/5.0 (Linux; Android 14; SM-S{i % 1000:03d}) Chrome/124.0.{i}.{i % 97} Mobile Safari/537.36"\n'
        for i, at in enumerate(clock(CLF, lines))
    ))


def long_lines(path, lines):
    filler = base64.urlsafe_b64encode(random.Random(1).randbytes(3 << 20)).decode()  # 4 MiB
    def rows():
        for i, at in enumerate(clock(CLF, lines)):
            size = 1_500_000 + i * 7919 % 1_500_000 if i % 40 == 39 else 50_000 + i * 7919 % 450_000
            text = filler[i * 4099 % (len(filler) - size):][:size]
            client = f"198.51.100.{i % 64}"
            if i % 2:
                yield f'{client} - - [{at}] "GET /search?q={text} HTTP/1.1" 200 512 "-" "Mozilla/5.0"\n'
            else:
                yield f'{client} - - [{at}] "GET /search?q={i} HTTP/1.1" 200 512 "-" "Mozilla/5.0 ({text})"\n'
    write(path, rows())


def users(path, lines):
    names = ["admin", "oracle", "postgres", "test", "ubuntu", "git", "deploy", "support"]
    def rows():
        for i, at in enumerate(clock("%b %e %H:%M:%S", lines)):
            source = address(i // 12 % 400_000, 45)
            if i % 10 == 9:
                message = f"Accepted password for {names[i % 8]}{i} from {source} port {1024 + i % 60000} ssh2"
            else:
                message = f"Failed password for invalid user {names[i % 8]}{i} from {source} port {1024 + i % 60000} ssh2"
            yield f"{at} web1 sshd[{1000 + i // 12 % 30000}]: {message}\n"
    write(path, rows())


def json_fields(path, lines):
    write(path, (
        f'{{"ts":{1709251200 + i}.25,"level":"info","remote_ip":"{address(i % 5000, 100)}","method":"GET",'
        f'"uri":"/api/cart","status":200,"size":{200 + i % 900},"duration":0.012,"cart_item_{i}":1}}\n'
        for i in range(lines)
    ))


def syslog_hosts(path, lines):
    write(path, (
        f"{at} node-{i:07d}.dc1.example job-{i}[{1000 + i % 30000}]: worker started, queue depth {i % 512}\n"
        for i, at in enumerate(clock("%b %e %H:%M:%S", lines))
    ))


def flows(path, lines):
    def rows():
        yield FLOW_HEADER + "\n"
        for i, at in enumerate(clock("%Y-%m-%d %H:%M:%S", lines)):
            source, label = (f"172.16.0.{i // 2 % 16 + 1}", "PortScan") if i % 2 else (address(i // 4, 10), "BENIGN")
            destination, sport, dport = address(i, 20), 1024 + i * 13 % 64511, 1 + i * 7 % 65535
            yield (f"{source}-{destination}-{sport}-{dport}-6,{source},{sport},{destination},{dport},6,"
                   f"{at}.{i * 7919 % 1000000:06d},{40 + i % 900},1,1,0,0,{label}\n")
    write(path, rows())


def inputs(args):
    """(name, writer, lines) for every input, at the scale asked for."""
    spread = args.spread
    return [
        ("repeated", repeated, args.lines),
        ("clients", many_clients, spread),
        ("minutes", many_minutes, spread),
        ("oversized", oversized, spread * 2 // 3),
        ("paths", paths, spread * 2 // 3),
        ("agents", agents, spread * 2 // 3),
        ("long_lines", long_lines, max(1, spread // 3000)),
        ("users", users, spread),
        ("json_fields", json_fields, spread * 5 // 6),
        ("syslog_hosts", syslog_hosts, spread),
        ("flows", flows, spread),
    ]


def measure(loglens, path):
    """Seconds, peak MB and the report (None when loglens failed, with its error)."""
    timed = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", loglens, "analyze", path, "--output", "json"],
        capture_output=True,
        text=True,
    )
    seconds, kilobytes = timed.stderr.strip().splitlines()[-1].split()
    if timed.returncode != 0:
        said = [line for line in timed.stderr.strip().splitlines()[:-1] if not line.startswith("Command exited")]
        return float(seconds), int(kilobytes) * 1024 / 1e6, None, f"loglens failed ({timed.returncode}): {' / '.join(said[-2:])[:200]}"
    return float(seconds), int(kilobytes) * 1024 / 1e6, json.loads(timed.stdout), None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=10_000_000, help="lines of the repeated shop log")
    parser.add_argument("--spread", type=int, default=3_000_000,
                        help="lines of the clients and minutes files; the other inputs scale with it")
    parser.add_argument("--only", metavar="NAME", help="run this input only")
    parser.add_argument("--loglens", default=LOGLENS, metavar="PATH", help="the loglens binary (default: %(default)s)")
    args = parser.parse_args()
    chosen = [i for i in inputs(args) if args.only in (None, i[0])]
    if not chosen:
        parser.error(f"--only: no input {args.only!r}; there are {', '.join(i[0] for i in inputs(args))}")
    verdicts = []
    with tempfile.TemporaryDirectory() as directory:
        print(f"{'input':<12} {'lines':>11} {'parsed':>7} {'MB':>6} {'seconds':>8} {'peak MB':>8} {'peak/file':>9} "
              f"{'clients':>10} {'findings':>8}  left out",
              flush=True)
        for name, make, lines in chosen:
            path = os.path.join(directory, f"{name}.log")
            make(path, lines)
            size = os.path.getsize(path) / 1e6
            try:
                seconds, peak, report, failure = measure(args.loglens, path)
            finally:
                os.remove(path)
            if report is None:
                read = parsed = clients = findings = "?"
                left_out = [failure]
            else:
                read = f"{report['lines_total']:,}"
                parsed = f"{report['lines_parsed'] / max(1, report['lines_total']):.0%}"
                clients, findings = f"{report['clients']:,}", f"{len(report['findings']):,}"
                left_out = [f"{u['what']}: {u['left_out']:,} {u['left_out_what']}" for u in report.get("untracked", [])]
            print(f"{name:<12} {read:>11} {parsed:>7} {size:>6.0f} {seconds:>8.1f} {peak:>8.0f} {peak / size:>9.0%} "
                  f"{clients:>10} {findings:>8}  {'; '.join(left_out) or '-'}", flush=True)
            over = []
            if report is None:
                over.append("loglens failed")
            if peak >= size * HALF_FILE:
                over.append(f"half the file ({peak:,.0f} MB >= {size * HALF_FILE:,.0f} MB)")
            if peak >= CEILING_MB:
                over.append(f"{CEILING_MB} MB ({peak:,.0f} MB)")
            verdicts.append((name, over))
    print(f"\nlimits: peak < {HALF_FILE:.0%} of the file and < {CEILING_MB} MB")
    for name, over in verdicts:
        print(f"  {name:<12} {'over: ' + ', '.join(over) if over else 'under both'}")
    if any(over for _, over in verdicts):
        sys.exit(1)


if __name__ == "__main__":
    main()
