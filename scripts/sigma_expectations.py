#!/usr/bin/env python3
# The expected counts of crates/core/tests/sigma_rules.rs, made without loglens:
#   python3 scripts/sigma_expectations.py example_logs/real/access_*.log
# Independent of loglens: the rules' own semantics by hand (contains, any case) over the
# raw lines of real access logs, fields split as the combined format writes them.
import json, re, sys
rules = json.load(open("crates/core/tests/fixtures/sigma/rules.json"))
by = {r["title"]: r for r in rules}
line_re = re.compile(r'^(?:(\S+) )?(\S+) \S+ \S+ \[[^\]]+\] "((\S+) (\S+)[^"]*)" (\d{3}) \S+ "([^"]*)" "([^"]*)"')
def has(text, values): return any(v.lower() in text.lower() for v in values)
for log in sys.argv[1:]:
    counts = {}
    for raw in open(log, encoding="utf-8", errors="replace"):
        raw = raw.rstrip("\n")
        m = line_re.match(raw)
        if not m: continue
        request, method, target = m.group(3), m.group(4), m.group(5)
        status, referer, ua = int(m.group(6)), m.group(7), m.group(8)
        # Keywords search what the client wrote: the request line, referer and agent.
        said = " ".join([request] + [v for v in (referer, ua) if v != "-"])
        hit = lambda t: counts.__setitem__(t, counts.get(t, 0) + 1)
        d = by["Path Traversal Exploitation Attempts"]["detection"]
        if has(target, d["selection"]["cs-uri-query|contains"]): hit("traversal")
        d = by["SQL Injection Strings In URI"]["detection"]
        if method.upper() == "GET" and has(said, d["keywords"]) and status != 404: hit("sqli")
        d = by["Suspicious User-Agents Related To Recon Tools"]["detection"]
        if has(ua, d["selection"]["cs-user-agent|contains"]): hit("ua")
        if has(said, by["JNDIExploit Pattern"]["detection"]["keywords"]): hit("jndi")
        if has(said, by["Source Code Enumeration Detection by Keyword"]["detection"]["keywords"]): hit("git")
        d = by["Cross Site Scripting Strings"]["detection"]
        if method.upper() == "GET" and has(said, d["keywords"]) and status != 404: hit("xss")
    print(log, counts)
