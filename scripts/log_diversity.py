#!/usr/bin/env python3
"""How diverse an access log is: distinct clients, requests, paths, agents and referrers.

Reads Apache or nginx access logs in the combined or common format (a `vhost:port` before
the client, as Apache's vhost_combined writes, is allowed; fields after the user agent are
ignored) and prints one column per file, so that a generated log can be set beside real
ones. Lines that are not access log lines are counted, not used.

Ratios are per parsed line. Bear in mind that ratios of distinct values fall as a log grows
(a small excerpt of a real log shows more distinct request lines per line than a large one).

  lines                      lines read (empty ones not counted)
  unparsed                   lines that are not combined or common format
  clients                    distinct client addresses (IPv6 share of them next)
  request lines /line        distinct "METHOD target PROTOCOL" strings per line
  paths /line                distinct targets without their query string, per line
  with query                 share of requests whose target has a query string
  query strings /line        distinct query strings per line
  user agents, referrers     distinct values ("-" counts as one); n/a in common format
  top-10 paths share         share of all requests that go to the ten most requested paths
                             (lower means a longer tail)
  2xx .. 5xx                 share of each status class
  lines/client median, max   how busy the typical and the busiest client are

Streams each file (memory grows only with the distinct values), reads bytes and decodes
them as UTF-8 with replacement, and opens files ending in .gz with gzip. Usage:

    python3 scripts/log_diversity.py example_logs/access_combined.log /tmp/big.log.gz
    python3 scripts/log_diversity.py --json a.log b.log
"""

import argparse
import collections
import gzip
import json
import os
import re
import statistics
import sys

# client ident user [time] "request" status size ["referer" "agent"] [anything]
# Quoted fields may hold backslash escapes (\" and \x16), as Apache writes them.
QUOTED = r'"([^"\\]*(?:\\.[^"\\]*)*)"'
ACCESS_LINE = re.compile(
    r"^(?:\S+:\d+ )?"                   # vhost:port (vhost_combined)
    r"(\S+) \S+ (.+?) \[([^\]]+)\] "     # client, ident, user (may hold spaces), time
    + QUOTED +                           # request line
    r" (\d{3}|-) (\S+)"                  # status, size
    r"(?: " + QUOTED + " " + QUOTED + r")?"  # referer, user agent
)


class FileStats:
    """Counts and distinct sets for one log file."""

    def __init__(self, name):
        self.name = name
        self.lines = 0
        self.unparsed = 0
        self.lines_per_client = collections.Counter()
        self.request_lines = set()
        self.path_counts = collections.Counter()
        self.with_query = 0
        self.query_strings = set()
        self.user_agents = set()
        self.referrers = set()
        self.has_agent_field = False
        self.status_classes = collections.Counter()

    def add(self, text):
        self.lines += 1
        match = ACCESS_LINE.match(text)
        if not match:
            self.unparsed += 1
            return
        client, _user, _time, request, status, _size, referer, agent = match.groups()
        self.lines_per_client[client] += 1
        self.request_lines.add(request)
        self.add_target(request)
        self.status_classes[status_class(status)] += 1
        if agent is not None:
            self.has_agent_field = True
            self.user_agents.add(agent)
            self.referrers.add(referer)

    def add_target(self, request):
        """Path and query of the request target; a request that is not three words is its own path."""
        parts = request.split(" ")
        target = parts[1] if len(parts) == 3 else request
        path, question_mark, query = target.partition("?")
        self.path_counts[path] += 1
        if question_mark:
            self.with_query += 1
            self.query_strings.add(query)

    def summary(self):
        parsed = self.lines - self.unparsed
        per_line = (lambda n: n / parsed) if parsed else (lambda n: 0.0)
        clients = self.lines_per_client
        busy = sorted(clients.values())
        top_ten = sum(count for _, count in self.path_counts.most_common(10))
        return {
            "file": self.name,
            "lines": self.lines,
            "unparsed": self.unparsed,
            "clients": len(clients),
            "ipv6_client_share": per_client_share(sum(1 for c in clients if ":" in c), len(clients)),
            "distinct_request_lines": len(self.request_lines),
            "request_lines_per_line": per_line(len(self.request_lines)),
            "paths_per_line": per_line(len(self.path_counts)),
            "query_share": per_line(self.with_query),
            "query_strings_per_line": per_line(len(self.query_strings)),
            "user_agents": len(self.user_agents) if self.has_agent_field else None,
            "referrers": len(self.referrers) if self.has_agent_field else None,
            "top10_paths_share": per_line(top_ten),
            "status_2xx": per_line(self.status_classes["2xx"]),
            "status_3xx": per_line(self.status_classes["3xx"]),
            "status_4xx": per_line(self.status_classes["4xx"]),
            "status_5xx": per_line(self.status_classes["5xx"]),
            "status_other": per_line(self.status_classes["other"]),
            "lines_per_client_median": statistics.median(busy) if busy else 0,
            "lines_per_client_max": busy[-1] if busy else 0,
        }


def status_class(status):
    if len(status) == 3 and status[0] in "2345":
        return status[0] + "xx"
    return "other"


def per_client_share(count, clients):
    return count / clients if clients else 0.0


def open_bytes(path):
    if path == "-":
        return sys.stdin.buffer
    if path.endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


def read_file(path):
    stats = FileStats(os.path.basename(path))
    with open_bytes(path) as raw:
        for raw_line in raw:
            text = raw_line.decode("utf-8", errors="replace").rstrip("\r\n")
            if text:
                stats.add(text)
    return stats.summary()


# (label, key, how to show the value)
ROWS = [
    ("lines", "lines", "count"),
    ("unparsed", "unparsed", "count"),
    ("clients", "clients", "count"),
    ("  IPv6 share", "ipv6_client_share", "percent"),
    ("request lines", "distinct_request_lines", "count"),
    ("request lines /line", "request_lines_per_line", "ratio"),
    ("paths /line", "paths_per_line", "ratio"),
    ("with query", "query_share", "percent"),
    ("query strings /line", "query_strings_per_line", "ratio"),
    ("user agents", "user_agents", "count"),
    ("referrers", "referrers", "count"),
    ("top-10 paths share", "top10_paths_share", "percent"),
    ("2xx", "status_2xx", "percent"),
    ("3xx", "status_3xx", "percent"),
    ("4xx", "status_4xx", "percent"),
    ("5xx", "status_5xx", "percent"),
    ("other status", "status_other", "percent"),
    ("lines/client median", "lines_per_client_median", "count"),
    ("lines/client max", "lines_per_client_max", "count"),
]


def show(value, kind):
    if value is None:
        return "n/a"
    if kind == "count":
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    if kind == "ratio":
        return f"{value:.4f}"
    if 0 < value < 0.01:
        return f"{100 * value:.2f}%"
    return f"{100 * value:.1f}%"


def table(summaries):
    headers = [""] + [s["file"] for s in summaries]
    body = [[label] + [show(s[key], kind) for s in summaries] for label, key, kind in ROWS]
    widths = [max(len(row[i]) for row in [headers] + body) for i in range(len(headers))]
    lines = []
    for row in [headers] + body:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", metavar="FILE", help="access log, .gz allowed, - for stdin")
    parser.add_argument("--json", action="store_true", help="print a JSON list, one object per file")
    args = parser.parse_args()
    summaries = [read_file(path) for path in args.files]
    if args.json:
        print(json.dumps(summaries, indent=2))
    else:
        print(table(summaries))


if __name__ == "__main__":
    main()
