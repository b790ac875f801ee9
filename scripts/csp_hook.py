#!/usr/bin/env python3
"""Trunk post-build hook: gives dist/index.html a strict Content-Security-Policy.

Trunk writes the wasm loader as an inline module script, which a strict policy would
block; its SHA-256 is computed here, after Trunk has written it, and allowed by hash
alone. Everything else may only come from the page's own origin: no remote scripts, no
requests elsewhere (connect-src 'self'), no plugins, no forms, no framing.

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


if __name__ == "__main__":
    main()
