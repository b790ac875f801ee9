#!/usr/bin/env python3
"""Trunk post-build hook: gives dist/index.html a strict Content-Security-Policy, and
writes dist/_headers, the same policy as HTTP headers for hosts that read that file
(Netlify, Cloudflare Pages; docs/hosting.md has nginx and Apache's equivalent).

Trunk writes the wasm loader as an inline module script, which a strict policy would
block; its SHA-256 is computed here, after Trunk has written it, and allowed by hash
alone. Everything else may only come from the page's own origin: no remote scripts, no
requests elsewhere (connect-src 'self'), no plugins, no forms, no framing.

As a header the policy also covers what a meta tag cannot: framing (frame-ancestors) and
the worker's own scripts, which take their policy from their response, not the page.

Runs from Trunk.toml ([[hooks]], stage "post_build") with TRUNK_STAGING_DIR set.
"""

import base64
import hashlib
import os
import re
import sys

POLICY = (
    "default-src 'self'; "
    "script-src 'self' 'wasm-unsafe-eval' {hashes}; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; "
    "connect-src 'self'; "
    "worker-src 'self'; "
    "manifest-src 'self'; "
    "object-src 'none'; "
    "base-uri 'none'; "
    "form-action 'none'"
)


def main():
    staging = os.environ.get("TRUNK_STAGING_DIR")
    if not staging:
        sys.exit("csp_hook.py: TRUNK_STAGING_DIR is not set; run it from Trunk's post_build hook")
    path = os.path.join(staging, "index.html")
    with open(path, encoding="utf-8") as f:
        html = f.read()
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
    if not inline:
        sys.exit("csp_hook.py: Trunk's inline loader script was not found in index.html")
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
        for body in inline
    )
    meta = f'<meta http-equiv="Content-Security-Policy" content="{POLICY.format(hashes=hashes)}" />'
    html, count = re.subn(r'(<meta charset="utf-8" />)', r"\1\n    " + meta, html, count=1)
    if count != 1:
        sys.exit("csp_hook.py: no <meta charset> to put the policy after")
    with open(path, "w", encoding="utf-8") as f:
        f.write(html)
    with open(os.path.join(staging, "_headers"), "w", encoding="utf-8") as f:
        f.write(headers(POLICY.format(hashes=hashes)))


def headers(policy):
    """The _headers file: every path gets the policy and the headers that go with it."""
    return (
        "/*\n"
        f"  Content-Security-Policy: {policy}; frame-ancestors 'none'\n"
        "  X-Content-Type-Options: nosniff\n"
        "  Referrer-Policy: no-referrer\n"
        "  X-Frame-Options: DENY\n"
        "  Cross-Origin-Opener-Policy: same-origin\n"
        "  Permissions-Policy: camera=(), microphone=(), geolocation=(), interest-cohort=()\n"
    )


if __name__ == "__main__":
    main()
