#!/usr/bin/env python3
"""Writes log lines made from the Sigma rules' own values, for scripts/sigma_crosscheck.py.

The real logs in example_logs/ make only a few of the shipped rules match, so a crosscheck
over them leaves most rules' values, modifiers and conditions untried. The lines written
here carry each rule's values, one selection at a time and all together: as the rule
writes them, with one character dropped (a near miss), in swapped case, in upper case, with
the long s (ſ) and the Kelvin sign (K) for `s` and `k` (Unicode's case folding makes them
`s` and `k`), and with fields empty or absent. Between them they make nearly every rule
match some lines and miss others.

Writing lines from the rules would prove nothing in a test of loglens alone: a rule read
wrongly would write lines that agree with the wrong reading. It is fine here because the
crosscheck does not ask whether a line should match; it asks loglens and pySigma, an
independent implementation reading the same rules, and fails where they answer apart.

    python3 scripts/sigma_value_lines.py OUT
    python3 scripts/sigma_crosscheck.py --loglens target/release/loglens OUT/*.log

Files written to OUT, each in one layout loglens reads (it detects a file's layout from its
first lines), its first line an ordinary request or message:

    web_vhost.log         combined access log with the virtual host (`%v:%p`, or `%v`)
    web_combined.log      the same requests without it: no `cs-host`
    web_nginx_error.log   nginx's error log: the request, client and server in the trailer
    web_apache_error.log  Apache's error log: `Invalid URI in request …`, and
                          `File does not exist: /path` (a path on disk, no method)
    syslog.log            syslog messages holding the Linux rules' keywords

The same rules give the same files: the near misses are drawn from a fixed seed.
"""

import argparse
import random
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = 27

# How a rule's value is written into a line.
FORMS = ("exact", "near_miss", "swapped_case", "upper_case", "unicode_case")
# The error logs are there for the fields they lack (no path, user agent or status; a path
# on disk without a method): the access logs try every form, these need fewer, and fewer
# lines keep the crosscheck quick.
ERROR_LOG_FORMS = ("exact", "near_miss", "swapped_case")
# Per form, lines for the 1st, 2nd, … of a rule's values (and of its maps in a list);
# also which filler a wildcard gets and what surrounds a `contains` value.
VARIANTS = 4

# Text that each `|re` value of the shipped rules matches (Python's `re.search` is checked
# at start). A rule whose expression is missing here stops the script: its lines would
# carry the expression itself, which matches nothing.
REGEX_SAMPLES = {
    r"\?d=[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}": "/MSHTML_C7/x.htm?d=10.1.2.3",
    r"\.(zip|asp|htm|url|xml|chm|mht|vbs|search-ms)\?d=[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}":
        "/a/b.search-ms?d=1.22.3.44",
    r".{150}": "h" * 160 + ".example.com",
    r"-[a-z0-9]{3}\.[a-z0-9-]{3,}-s-account\.workers\.dev|\.up\.railway\.app":
        "https://x-ab1.foo-bar-s-account.workers.dev/x",
    r"(?i)(ipfs\.io/|ipfs\.io\s).+\..+@.+\.[a-z]+": "https://IPFS.io/ipfs/Qm.html#victim@corp.com",
}

# Sigma's web fields, by the part of a request that holds them (crates/core/src/sigma/fields.rs).
SLOTS = {
    **dict.fromkeys(("cs-uri-query", "cs-uri", "c-uri", "cs-uri-full"), "target"),
    **dict.fromkeys(("cs-uri-stem", "c-uri-stem"), "path"),
    "c-uri-query": "query",
    "c-uri-extension": "extension",
    **dict.fromkeys(("cs-method", "c-method"), "method"),
    **dict.fromkeys(("cs-user-agent", "c-useragent"), "user_agent"),
    **dict.fromkeys(("cs-referer", "cs-referrer"), "referer"),
    **dict.fromkeys(("cs-host", "r-dns"), "host"),
    "sc-status": "status",
    **dict.fromkeys(("c-ip", "src_ip"), "client"),
    "cs-username": "user",
    "sc-bytes": "bytes",
}
# Parts that several values of one selection add up in (`contains` each), and the parts
# an access log writes as `-` when absent.
APPENDED = {"target", "path", "query", "user_agent", "referer"}
DASHED = {"user_agent", "referer", "user"}
NUMBERS = {"status", "bytes"}

CLIENTS = ("203.0.113.9", "198.51.100.23", "2001:db8::7", "192.0.2.44")
PORTS = (":443", ":80", "", ":8080")
REFERERS = ("-", "https://www.example.com/", "-", "https://search.example/?q=shop")
ACCESS_TIME = "[27/Jul/2024:00:00:36 +0000]"
NGINX_TIME = "2024/07/27 00:00:36"
APACHE_TIME = "[Sat Jul 27 00:00:36.123456 2024]"
SYSLOG_PROGRAMS = ("sshd[4242]", "named[812]", "sudo", "systemd[1]")


class Fail(Exception):
    """A reason to stop, with the rule or sample it is about."""


def check_samples() -> None:
    for expression, sample in REGEX_SAMPLES.items():
        try:
            found = re.search(expression, sample)
        except re.error as e:
            raise Fail(f"REGEX_SAMPLES: {expression!r} is no expression Python reads: {e}")
        if not found:
            raise Fail(f"REGEX_SAMPLES: the sample {sample!r} does not match {expression!r}")


def source_of(logsource: dict) -> str | None:
    """The lines loglens reads for a logsource (as scripts/sigma_crosscheck.py says)."""
    category, product, service = (
        str(logsource.get(key) or "").lower() or None for key in ("category", "product", "service")
    )
    if category in ("webserver", "proxy"):
        return "web"
    if category is None and product == "linux" and service in (None, "sshd", "auth", "syslog"):
        return "linux"
    return None


def regex_values(detection) -> list[str]:
    """Every `|re` value in a rule's detection."""
    found = []

    def walk(node, modifiers=()):
        if isinstance(node, dict):
            for key, value in node.items():
                if key not in ("condition", "timeframe"):
                    walk(value, tuple(str(key).split("|")[1:]))
        elif isinstance(node, list):
            for item in node:
                walk(item, modifiers)
        elif "re" in modifiers and node is not None:
            found.append(str(node))

    walk(detection)
    return found


def load_rules(rules: Path) -> list[tuple[dict, str]]:
    """Each rule loglens may run, with its log source; stops on a `|re` value without a
    sample."""
    loaded, missing = [], []
    if rules.is_file():
        paths = [rules]
    else:
        paths = sorted(p for p in rules.rglob("*") if p.suffix in (".yml", ".yaml"))
    for path in paths:
        for rule in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if not isinstance(rule, dict) or "detection" not in rule:
                continue
            source = source_of(rule.get("logsource") or {})
            if source is None:
                continue
            full = path.resolve()
            shown = full.relative_to(ROOT) if full.is_relative_to(ROOT) else path
            for expression in regex_values(rule["detection"]):
                if expression not in REGEX_SAMPLES:
                    missing.append(
                        f"rule \"{rule.get('title')}\" ({shown}): "
                        f"no sample for its |re value {expression!r}"
                    )
            loaded.append((rule, source))
    if missing:
        raise Fail("\n".join(missing) + "\nadd a text it matches to REGEX_SAMPLES")
    return loaded


def unwildcard(value: str, filler: str) -> str:
    """A Sigma value as text that its wildcards match: `*` as `filler`, `?` as `q`."""
    out, i = [], 0
    while i < len(value):
        c = value[i]
        if c == "\\" and i + 1 < len(value) and value[i + 1] in "*?\\":
            out.append(value[i + 1])
            i += 2
            continue
        out.append(filler if c == "*" else "q" if c == "?" else c)
        i += 1
    return "".join(out)


def text_for(modifiers: list[str], value, variant: int) -> str | None:
    """Text that `value` with `modifiers` matches (None for `null`), written differently
    per variant: what fills a wildcard, what comes before or after the value."""
    if value is None:
        return None
    text = str(value)
    if "re" in modifiers:
        return REGEX_SAMPLES[text]
    text = unwildcard(text, ("", "zz", "/")[variant % 3])
    if "contains" in modifiers or "all" in modifiers:
        return ("", "a", "/x/")[variant % 3] + text + ("", "b", "&y=1")[variant % 3]
    if "startswith" in modifiers:
        return text + ("", "tail")[variant % 2]
    if "endswith" in modifiers:
        return ("", "/head")[variant % 2] + text
    return text


def reshape(text: str, form: str, rng: random.Random) -> str:
    if form == "swapped_case":
        return text.swapcase()
    if form == "upper_case":
        return text.upper()
    if form == "near_miss" and len(text) > 2:
        k = rng.randrange(len(text))
        return text[:k] + text[k + 1 :]
    if form == "unicode_case":
        # Unicode's case folding makes these `k` and `s`; ASCII's does not.
        return text.replace("k", "\u212a").replace("s", "\u017f")
    return text


def keyword_values(definition) -> list[tuple[list[str], str]] | None:
    """A keyword selection's values with their modifiers: a list, a single value, or
    `'|all': [...]` (all of them in one text, and each alone, which `all` must not match)."""
    if isinstance(definition, list) and not all(isinstance(d, dict) for d in definition):
        return [([], v) for v in definition]
    if isinstance(definition, dict) and all(str(k).startswith("|") for k in definition):
        key, values = next(iter(definition.items()))
        modifiers = key.split("|")[1:]
        values = values if isinstance(values, list) else [values]
        if "all" in modifiers:
            together = " ".join(str(v) for v in values)
            return [(modifiers, together)] + [(modifiers, v) for v in values]
        return [(modifiers, v) for v in values]
    if isinstance(definition, (str, int)):
        return [([], definition)]
    return None


def field_maps(definition) -> list[dict] | None:
    if isinstance(definition, dict) and not all(str(k).startswith("|") for k in definition):
        return [definition]
    if isinstance(definition, list) and definition and all(isinstance(d, dict) for d in definition):
        return definition
    return None


def put(parts: dict, field: str, text: str | None) -> None:
    """Sets the part of a request that `field` reads; a second value for the same part is
    appended, so that a selection's values (`contains` each) are all in the line."""
    slot = SLOTS.get(field.lower())
    if slot is None:
        return  # a field loglens does not read: the rule is refused, and not compared
    if slot in NUMBERS:
        text = text if text is not None and str(text).isdigit() else None
    if text is None:
        parts[slot] = "-" if slot in DASHED else None
    elif slot in APPENDED and parts.get(slot) not in (None, "-"):
        parts[slot] += text
    else:
        parts[slot] = text


def request_parts(detection: dict, chosen: list[str], variant: int, form: str, rng) -> dict:
    """The parts of a request holding the values of the `chosen` selections."""
    parts: dict = {}
    for name in chosen:
        definition = detection[name]
        maps = field_maps(definition)
        if maps is None:
            values = keyword_values(definition) or []
            if not values:
                continue
            modifiers, value = values[variant % len(values)]
            text = reshape(text_for(modifiers + ["contains"], value, variant), form, rng)
            # Keywords search the request line, the referer and the user agent.
            slot = ("target", "user_agent", "referer", "target")[variant]
            parts[slot] = "/s?q=" + text if slot == "target" else text
            continue
        for key, values in maps[variant % len(maps)].items():
            field, *modifiers = str(key).split("|")
            values = values if isinstance(values, list) else [values]
            if "all" in modifiers:
                text = "".join(str(text_for(modifiers, v, variant)) for v in values)
            else:
                text = text_for(modifiers, values[variant % len(values)], variant)
            if text is not None and SLOTS.get(field.lower()) not in NUMBERS:
                text = reshape(text, form, rng)
            if field == "":
                # A keyword with modifiers (`'|contains': …`) beside fields.
                parts["target"] = "/k?" + str(text)
            else:
                put(parts, field, text)
    return parts


def target_of(parts: dict) -> str:
    path, target, query = parts.get("path"), parts.get("target"), parts.get("query")
    if target is None:
        extension = parts.get("extension")
        target = path or ("/file." + extension if extension else "/index.php")
    elif path is not None:
        target = path + target
    if query is not None:
        target += ("&" if "?" in target else "?") + query
    return target


def escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def access_line(parts: dict, variant: int, vhost: bool) -> str:
    user = str(parts.get("user") or "-").replace(" ", "_")
    line = (
        f'{parts.get("client") or CLIENTS[variant]} - {user} {ACCESS_TIME} '
        f'"{escaped(parts.get("method") or "GET")} {escaped(target_of(parts))} HTTP/1.1" '
        f'{parts.get("status") or 200} {parts.get("bytes") or 1234} '
        f'"{escaped(parts.get("referer", REFERERS[variant]))}" '
        f'"{escaped(parts.get("user_agent", "Mozilla/5.0 (X11; Linux x86_64)"))}"'
    )
    if not vhost:
        return line
    return f'{parts.get("host") or "www.example.com"}{PORTS[variant]} {line}'


def nginx_error_line(parts: dict, variant: int) -> str:
    host = parts.get("host") or "www.example.com"
    request = f'{parts.get("method") or "GET"} {target_of(parts)} HTTP/1.1'
    referer = parts.get("referer", REFERERS[variant])
    return (
        f"{NGINX_TIME} [error] 812#812: *{1000 + variant} open() \"/var/www/html/missing\" failed "
        f"(2: No such file or directory), client: {parts.get('client') or CLIENTS[variant]}, "
        f'server: {host}, request: "{request}", host: "{host}"'
        + (f', referrer: "{referer}"' if referer not in ("-", "") else "")
    )


def apache_error_line(parts: dict, variant: int) -> str:
    client = parts.get("client") or CLIENTS[variant]
    head = f"{APACHE_TIME} [core:error] [pid 2113:tid 140245] [client {client}:52144]"
    target = target_of(parts)
    if variant == 3:
        # A path on disk: one word, neither a method nor a target.
        return f"{head} AH00128: File does not exist: /var/www/html{target.split('?')[0]}"
    referer = parts.get("referer", REFERERS[variant])
    return (
        f'{head} AH00126: Invalid URI in request {parts.get("method") or "GET"} {target} HTTP/1.1'
        + (f", referer: {referer}" if referer not in ("-", "") else "")
    )


def web_lines(rule: dict, rng: random.Random, out: dict[str, list[str]]) -> None:
    detection = rule["detection"]
    names = [n for n in detection if n not in ("condition", "timeframe")]
    # Each selection alone, the ones that are not filters together, and all together.
    positive = [n for n in names if not n.startswith(("filter", "valid"))]
    for chosen in [[n] for n in names] + [positive, names]:
        for variant in range(VARIANTS):
            for form in FORMS:
                parts = request_parts(detection, chosen, variant, form, rng)
                out["web_vhost.log"].append(access_line(parts, variant, vhost=True))
                out["web_combined.log"].append(access_line(parts, variant, vhost=False))
                if form in ERROR_LOG_FORMS:
                    out["web_nginx_error.log"].append(nginx_error_line(parts, variant))
                    out["web_apache_error.log"].append(apache_error_line(parts, variant))
                if form == "exact" and variant == 0:
                    # Empty rather than `-` where the rule has nothing.
                    empty = {k: "" if v == "-" else v for k, v in parts.items()}
                    empty.setdefault("referer", "")
                    empty.setdefault("user_agent", "")
                    out["web_vhost.log"].append(access_line(empty, variant, vhost=True))
                    out["web_combined.log"].append(access_line(empty, variant, vhost=False))


def linux_lines(rule: dict, rng: random.Random, out: dict[str, list[str]]) -> None:
    detection = rule["detection"]
    for name in detection:
        if name in ("condition", "timeframe"):
            continue
        for variant, (modifiers, value) in enumerate(keyword_values(detection[name]) or []):
            for form in FORMS:
                text = reshape(text_for(modifiers, value, 0), form, rng)
                program = SYSLOG_PROGRAMS[variant % len(SYSLOG_PROGRAMS)]
                out["syslog.log"].append(f"Mar 11 03:12:44 web1 {program}: prefix {text} suffix")
                out["syslog.log"].append(f"Mar 11 03:12:44 web1 {program}: {text}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rules", type=Path, default=ROOT / "rules/sigma",
                        help="a Sigma rule file or folder (default: rules/sigma)")
    parser.add_argument("out", type=Path, help="the folder to write the logs to")
    args = parser.parse_args()
    try:
        check_samples()
        rules = load_rules(args.rules)
    except Fail as e:
        print(f"sigma_value_lines: {e}", file=sys.stderr)
        return 1

    rng = random.Random(SEED)
    # First an ordinary line each, from which loglens detects the layout.
    ordinary = {"method": "GET", "target": "/index.html", "referer": "-"}
    out = {
        "web_vhost.log": [access_line(ordinary, 0, vhost=True)],
        "web_combined.log": [access_line(ordinary, 0, vhost=False)],
        "web_nginx_error.log": [nginx_error_line(ordinary, 0)],
        "web_apache_error.log": [apache_error_line(ordinary, 0)],
        "syslog.log": [
            "Mar 11 03:12:40 web1 sshd[4242]: Accepted publickey for deploy from 192.0.2.5 port 50022 ssh2"
        ],
    }
    for rule, source in rules:
        (web_lines if source == "web" else linux_lines)(rule, rng, out)

    args.out.mkdir(parents=True, exist_ok=True)
    for name, lines in out.items():
        (args.out / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    total = sum(map(len, out.values()))
    print(f"{len(rules)} rules, {total} lines: "
          + ", ".join(f"{name} {len(lines)}" for name, lines in out.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
