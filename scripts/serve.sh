#!/usr/bin/env bash
# Sets up whatever is missing, builds the release site and serves it on 127.0.0.1.
# PORT=9000 scripts/serve.sh picks the port; otherwise the first free one from 8080.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$LOGLENS_ROOT"

step "Building the site (release)"
trunk build --release || fail "the site did not build (trunk build --release)."

port="${PORT:-$(python3 - <<'PY'
import socket
for port in range(8080, 8180):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(port)
        break
PY
)}"
[ -n "$port" ] || fail "no free port between 8080 and 8179; set PORT."
step "loglens is at http://127.0.0.1:$port/  (press Ctrl-C to stop)"
exec python3 scripts/static_server.py dist "$port"
