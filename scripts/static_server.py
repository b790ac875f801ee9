#!/usr/bin/env python3
"""Serves a built site the way a static host with a `_headers` file does (Netlify,
Cloudflare Pages): every response carries the headers the file gives for `/*`, so the
page and its worker run under the same Content-Security-Policy as when deployed.

    python3 scripts/static_server.py DIRECTORY PORT [--headers dist/_headers]

Without --headers, DIRECTORY/_headers is used when it exists.
"""

import argparse
import functools
import http.server
import os


def read_headers(path):
    """The (name, value) pairs of the `/*` rule in a _headers file."""
    pairs, in_rule = [], False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            if not line[0].isspace():
                in_rule = line.strip() == "/*"
                continue
            if in_rule and ":" in line:
                name, value = line.strip().split(":", 1)
                pairs.append((name.strip(), value.strip()))
    return pairs


class Handler(http.server.SimpleHTTPRequestHandler):
    extra_headers = []

    def end_headers(self):
        for name, value in self.extra_headers:
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory")
    parser.add_argument("port", type=int)
    parser.add_argument("--headers", help="the _headers file (default: DIRECTORY/_headers)")
    args = parser.parse_args()
    headers = args.headers or os.path.join(args.directory, "_headers")
    Handler.extra_headers = read_headers(headers) if os.path.exists(headers) else []
    handler = functools.partial(Handler, directory=args.directory)
    http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler).serve_forever()


if __name__ == "__main__":
    main()
