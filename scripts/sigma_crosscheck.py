#!/usr/bin/env python3
"""Checks loglens's Sigma matches against an independent implementation (issue #27):
pySigma's SQLite backend, run over the same parsed fields.

    scripts/sigma_crosscheck.py [--loglens BIN] [--rules DIR] [--sql] [LOG ...]

For each log, `loglens sigma --json` prints every line the rules can read: its number,
its log source (`webserver` or `linux`), its Sigma fields and the ids of the rules loglens
matched. The fields go into an in-memory SQLite table, one column per field name. Every
rule loglens runs is converted by pySigma into SQL and run over the lines of its log
source; per rule, the lines SQLite returns must be the lines loglens matched.

Exits 1 when a rule's lines differ (unless the rule is in KNOWN_DIFFERENCES, with its
reason, or the lines differ only by Unicode case folding, below), when pySigma cannot
convert a rule loglens runs (or SQLite run its query), when loglens runs a rule for a
log source it does not read, or when it names a rule that is not in the rules given.

Needs pySigma and its SQLite backend, pinned (keyword search needs the backend's 2.x):
    pip install --user pysigma==2.0.1 pysigma-backend-sqlite==2.1.1

How the backend is set up, and why:
- `table`: one view per log source (`webserver`, `linux`) over the lines, so a rule's
  query sees only lines of its log source.
- `fulltext_field="keywords"`: the backend's keyword search (values without a field) is
  `keywords LIKE '%value%'`, a contains that ignores case, as Sigma's keywords are;
  loglens prints as the field `keywords` the text its keywords search.
- `collate_nocase=True`: Sigma compares values ignoring case, SQLite's `=` does not;
  the backend then writes `field='value' COLLATE NOCASE`. LIKE ignores case already;
  `|cased` would be GLOB, which does not.
- `|re`: SQLite has no REGEXP function; the backend writes the rule's flags as a `(?ims)`
  prefix, and Python's `re` searches with the expression.
- Numbers (`sc-status`, `sc-bytes`) are integers in INTEGER columns: `sc-status: 404`
  and `sc-status: '404'` both equal them (SQLite gives the text the column's numeric
  affinity), and LIKE reads them as their digits.
- A field a line lacks is NULL, one it has empty is ''. Sigma leaves what `field: null`
  means to the tool: the backend reads it as absent (`IS NULL`), loglens as absent or
  empty (`Matcher::Null` in crates/core/src/sigma/rule.rs). The backend is told to read
  it as loglens does (`LoglensSqlite`), so that the check is of loglens's reading.

One difference is the backend's and is told apart, not counted: SQLite's LIKE and NOCASE
fold ASCII letters only, while loglens ignores case as Unicode does, so the long s (ſ)
matches `s` and the Kelvin sign (K) matches `k`. A line that differs is put down to this
only when it holds one of them and SQLite, given the line with them folded, agrees.
"""

import argparse
import json
import re
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

try:
    from sigma.backends.sqlite import sqliteBackend
    from sigma.collection import SigmaCollection
    from sigma.conditions import ConditionFieldEqualsValueExpression, ConditionValueExpression
except ImportError:
    sys.exit(
        "sigma_crosscheck: needs pySigma and its SQLite backend:\n"
        "    pip install --user pysigma==2.0.1 pysigma-backend-sqlite==2.1.1"
    )

# Rules whose lines may differ, by id, each with its reason. Keep it empty: a rule belongs
# here only for the backend's limitation, never for loglens's bug.
KNOWN_DIFFERENCES: dict[str, str] = {}

# Real logs (example_logs/real/) of each kind the rules read, small, that between them make
# rules of each kind match: access logs (combined with and without the virtual host,
# common), a web server's error log, and sshd's messages.
DEFAULT_LOGS = [
    "example_logs/real/access_apache_noise_2024.log",
    "example_logs/real/access_apache_webshell_scan_2020.log",
    "example_logs/real/access_vhost_scanner_2024.log",
    "example_logs/real/caddy1_common_2019.log",
    "example_logs/real/nginx_error_scanners_2024.log",
    "example_logs/real/loghub_OpenSSH_2k.log",
]

# Fields whose values are numbers.
NUMBER_FIELDS = {"sc-status", "sc-bytes"}

# The only characters outside ASCII whose case folds onto ASCII letters (Unicode's
# CaseFolding.txt): SQLite does not fold them.
ASCII_FOLDS = str.maketrans({"\u017f": "s", "\u212a": "k"})

REFUSED = re.compile(r'^loglens: Sigma rule "(?P<title>.*)" (?P<id>\S*) ?not run: (?P<reason>.*)$')

SOURCES = ("webserver", "linux")
EXAMPLES = 3


class LoglensSqlite(sqliteBackend):
    """The SQLite backend, with `field: null` meaning absent or empty, as in loglens."""

    field_null_expression = "({field} IS NULL OR {field} = '')"


def source_of(rule) -> str | None:
    """The lines loglens reads for a rule's logsource, as its docs say: web requests for
    `category: webserver` or `proxy`; Linux's messages for `product: linux` with
    `service: sshd`, `auth`, `syslog` or none."""
    category, product, service = (
        (getattr(rule.logsource, key) or "").lower() or None
        for key in ("category", "product", "service")
    )
    if category in ("webserver", "proxy"):
        return "webserver"
    if category is None and product == "linux" and service in (None, "sshd", "auth", "syslog"):
        return "linux"
    return None


@dataclass
class Rule:
    path: Path
    title: str
    id: str
    source: str | None
    queries: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    error: str | None = None


def load_rules(rules: Path, backends: dict) -> list[Rule]:
    """Every rule file in `rules` (a file, or a folder's `.yml` and `.yaml` files),
    converted to SQL where pySigma can."""
    if rules.is_file():
        paths = [rules]
    else:
        paths = sorted(p for p in rules.rglob("*") if p.suffix in (".yml", ".yaml"))
    loaded = []
    for path in paths:
        try:
            collection = SigmaCollection.from_yaml(path.read_text(encoding="utf-8"))
        except Exception as e:  # pySigma's errors say what it could not read
            loaded.append(Rule(path, path.name, "", None, error=f"{type(e).__name__}: {e}"))
            continue
        for sigma_rule in collection.rules:
            if not hasattr(sigma_rule, "logsource"):
                continue  # a correlation or filter: loglens runs neither
            rule = Rule(
                path,
                sigma_rule.title or path.name,
                str(sigma_rule.id) if sigma_rule.id else "",
                source_of(sigma_rule),
            )
            if rule.source is not None:
                try:
                    rule.queries = backends[rule.source].convert_rule(sigma_rule)
                    rule.fields = fields_read(sigma_rule)
                except Exception as e:  # as above: kept with the rule, and reported
                    rule.error = f"{type(e).__name__}: {e}"
            loaded.append(rule)
    return loaded


def fields_read(sigma_rule) -> list[str]:
    """The fields a rule reads, in order (`keywords` for its keywords)."""
    names = []

    def walk(cond):
        if isinstance(cond, ConditionFieldEqualsValueExpression) and cond.field:
            names.append(cond.field)
        elif isinstance(cond, ConditionValueExpression):
            names.append("keywords")
        for arg in getattr(cond, "args", []):
            walk(arg)

    for condition in sigma_rule.detection.parsed_condition:
        walk(condition.parsed)
    return list(dict.fromkeys(names))


@lru_cache(maxsize=None)
def compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def regexp(pattern: str, value) -> bool:
    """SQLite's `value REGEXP pattern`: false for a field the line lacks, as in Sigma."""
    return value is not None and compiled(pattern).search(str(value)) is not None


@dataclass
class Log:
    name: str
    lines: list[dict]
    refused: dict[str, tuple[str, str]]  # rule id -> (title, reason)


def run_loglens(binary: Path, rules: Path, log: Path) -> Log:
    done = subprocess.run(
        [str(binary), "sigma", "--rules", str(rules), "--json", str(log)],
        capture_output=True,
        text=True,
    )
    # As grep: 0 when a line matched, 1 when none did, 2 on an error.
    if done.returncode not in (0, 1):
        sys.exit(f"sigma_crosscheck: {binary} failed on {log}:\n{done.stderr}")
    refused = {}
    for message in done.stderr.splitlines():
        if m := REFUSED.match(message):
            refused[m["id"]] = (m["title"], m["reason"])
    lines = [json.loads(text) for text in done.stdout.splitlines() if text.strip()]
    full = log.resolve()
    name = str(full.relative_to(ROOT)) if full.is_relative_to(ROOT) else str(log)
    return Log(name, lines, refused)


def lines_table(lines: list[dict], columns: set[str]) -> sqlite3.Connection:
    """`lines` in table `lines` (line, logsource, one column per field), with a view per
    log source for the rules' queries."""
    db = sqlite3.connect(":memory:")
    db.create_function("regexp", 2, regexp, deterministic=True)
    # SQLite's names ignore case: one column per name, whatever case rules write it in.
    names = {}
    for name in [n for line in lines for n in line["fields"]] + sorted(columns):
        names.setdefault(name.lower(), name)
    order = sorted(names)
    quote = lambda name: '"' + name.replace('"', '""') + '"'  # noqa: E731
    declared = ", ".join(
        f"{quote(names[n])} {'INTEGER' if n in NUMBER_FIELDS else 'TEXT'}" for n in order
    )
    db.execute(f"CREATE TABLE lines (line INTEGER, logsource TEXT, {declared})")
    index = {n: i for i, n in enumerate(order)}
    rows = []
    for line in lines:
        row = [line["line"], line["logsource"]] + [None] * len(order)
        for name, value in line["fields"].items():
            row[2 + index[name.lower()]] = value
        rows.append(row)
    db.executemany(f"INSERT INTO lines VALUES ({', '.join('?' * (len(order) + 2))})", rows)
    for source in SOURCES:
        db.execute(f"CREATE VIEW {source} AS SELECT * FROM lines WHERE logsource = '{source}'")
    return db


def matching(db: sqlite3.Connection, rule: Rule) -> set[int]:
    """The lines the rule's queries return (a condition list: any of them)."""
    lines = set()
    for query in rule.queries:
        # The backend writes `SELECT * FROM <table> WHERE …`; the line number will do.
        head = "SELECT * FROM "
        assert query.startswith(head), query
        lines.update(n for (n,) in db.execute("SELECT line FROM " + query[len(head):]))
    return lines


def folded(line: dict) -> dict | None:
    """The line with the characters SQLite does not fold folded, if it holds any."""
    fields = {
        k: v.translate(ASCII_FOLDS) if isinstance(v, str) else v for k, v in line["fields"].items()
    }
    return {**line, "fields": fields} if fields != line["fields"] else None


def shorten(value, width=160) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class Matches:
    """Per rule id, the lines (log, line number) each side matched."""

    loglens: dict[str, set] = field(default_factory=dict)
    pysigma: dict[str, set] = field(default_factory=dict)
    # pySigma's answer on lines holding ſ or K, once those are folded.
    pysigma_folded: dict[str, set] = field(default_factory=dict)
    folded_lines: set = field(default_factory=set)
    fields: dict[tuple, dict] = field(default_factory=dict)


def compare_log(log: Log, rules: list[Rule], columns: set[str], found: Matches) -> None:
    ours, theirs = {}, {}
    for line in log.lines:
        for rule_id in line["rules"]:
            ours.setdefault(rule_id, set()).add(line["line"])
    runnable = [r for r in rules if r.queries and not r.error and r.id not in log.refused]
    db = lines_table(log.lines, columns)
    for rule in runnable:
        try:
            theirs[rule.id] = matching(db, rule)
        except sqlite3.Error as e:  # say so with the rule, as for one pySigma cannot convert
            rule.error = f"SQLite cannot run its query: {e}"
    db.close()
    runnable = [r for r in runnable if not r.error]
    folds = [f for f in map(folded, log.lines) if f is not None]
    if folds:
        db = lines_table(folds, columns)
        for rule in runnable:
            found.pysigma_folded.setdefault(rule.id, set()).update(
                (log.name, n) for n in matching(db, rule)
            )
        db.close()
        found.folded_lines.update((log.name, f["line"]) for f in folds)
    for side, answers in ((found.loglens, ours), (found.pysigma, theirs)):
        for rule_id, lines in answers.items():
            side.setdefault(rule_id, set()).update((log.name, n) for n in lines)
    shown = set().union(*ours.values(), *theirs.values())
    for line in log.lines:
        if line["line"] in shown:
            found.fields[(log.name, line["line"])] = line["fields"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loglens", type=Path, default=ROOT / "target/release/loglens",
                        help="the loglens binary (default: target/release/loglens)")
    parser.add_argument("--rules", type=Path, default=ROOT / "rules/sigma",
                        help="a Sigma rule file or folder (default: rules/sigma)")
    parser.add_argument("--sql", action="store_true",
                        help="also print the SQL of each rule whose lines differ")
    parser.add_argument("logs", nargs="*", type=Path,
                        help="log files (default: a few of example_logs/)")
    args = parser.parse_args()
    logs = args.logs or [ROOT / p for p in DEFAULT_LOGS]
    started = time.monotonic()

    backends = {
        source: LoglensSqlite(table=source, fulltext_field="keywords", collate_nocase=True)
        for source in SOURCES
    }
    rules = load_rules(args.rules, backends)
    columns = {name for rule in rules for name in rule.fields}
    found = Matches()
    refused: dict[str, tuple[str, str]] = {}
    read = 0
    for path in logs:
        log = run_loglens(args.loglens, args.rules, path)
        refused.update(log.refused)
        read += len(log.lines)
        compare_log(log, rules, columns, found)

    run = [r for r in rules if r.id not in refused and (r.source or r.error)]
    unconvertible = [r for r in run if r.error]
    compared = [r for r in run if not r.error]
    elsewhere = [r for r in rules if r.source is None and not r.error and r.id not in refused]
    unknown = sorted(set(found.loglens) - {r.id for r in rules})

    print(f"{len(logs)} logs, {read} lines the rules read; {len(rules)} rules: "
          f"{len(compared)} compared, {len(refused)} refused by loglens, "
          f"{len(unconvertible)} pySigma cannot convert (or SQLite run)\n")
    width = 60
    print(f"{'rule':<{width}} {'id':<36} {'loglens':>7} {'pySigma':>7}  agree")
    differing, folding = [], []
    for rule in sorted(compared, key=lambda r: r.title.lower()):
        ours = found.loglens.get(rule.id, set())
        theirs = found.pysigma.get(rule.id, set())
        if not ours and not theirs:
            continue
        unexplained = {
            key
            for key in ours ^ theirs
            if key not in found.folded_lines
            or (key in found.pysigma_folded.get(rule.id, set())) != (key in ours)
        }
        if unexplained:
            mark = "known" if rule.id in KNOWN_DIFFERENCES else "NO"
            differing.append(rule)
        elif ours != theirs:
            mark = "case*"
            folding.append(rule)
        else:
            mark = "yes"
        title = rule.title if len(rule.title) <= width else rule.title[: width - 1] + "…"
        print(f"{title:<{width}} {rule.id:<36} {len(ours):>7} {len(theirs):>7}  {mark}")
    matched = sum(1 for r in compared if found.loglens.get(r.id) or found.pysigma.get(r.id))
    known = sum(r.id in KNOWN_DIFFERENCES for r in differing)
    print(f"\n{matched} rules matched lines: {matched - len(differing) - len(folding)} agree, "
          f"{len(folding)} differ only by Unicode case folding (case*), "
          f"{len(differing)} differ ({known} known)")

    for rule in differing + folding:
        ours = found.loglens.get(rule.id, set())
        theirs = found.pysigma.get(rule.id, set())
        where = rule.path.relative_to(args.rules) if args.rules.is_dir() else rule.path
        print(f"\n{rule.title} ({rule.id}), {where}")
        if rule in folding:
            print("  case*: every line differs only by ſ or K, which SQLite does not fold")
        elif rule.id in KNOWN_DIFFERENCES:
            print(f"  known: {KNOWN_DIFFERENCES[rule.id]}")
        for label, only in (("only loglens", ours - theirs), ("only pySigma", theirs - ours)):
            if not only:
                continue
            print(f"  {label}: {len(only)} lines")
            for key in sorted(only)[: 1 if rule in folding else EXAMPLES]:
                values = found.fields.get(key, {})
                shown = ", ".join(
                    f"{f}={shorten(values[f]) if f in values else '(absent)'}" for f in rule.fields
                )
                print(f"    {key[0]}:{key[1]}  {shown}")
        if args.sql:
            for query in rule.queries:
                print(f"  SQL: {query}")

    if refused:
        print(f"\nRefused by loglens ({len(refused)}), not compared:")
        for rule_id, (title, reason) in sorted(refused.items(), key=lambda kv: kv[1][0].lower()):
            print(f"  {title} ({rule_id}): {reason}")
    if unconvertible:
        print(f"\npySigma cannot convert, or SQLite run ({len(unconvertible)}):")
        for rule in unconvertible:
            print(f"  {rule.title} ({rule.id}), {rule.path}: {rule.error}")
    if elsewhere:
        print(f"\nloglens runs rules for log sources it does not read ({len(elsewhere)}):")
        for rule in elsewhere:
            print(f"  {rule.title} ({rule.id})")
    if unknown:
        print(f"\nloglens matched rules not in {args.rules}: {', '.join(unknown)}")
    print(f"\n{time.monotonic() - started:.1f}s")

    failed = [r for r in differing if r.id not in KNOWN_DIFFERENCES]
    return 1 if failed or unconvertible or elsewhere or unknown else 0


if __name__ == "__main__":
    sys.exit(main())
