#!/usr/bin/env bash
# Installs what loglens needs to build, serve and test, and skips whatever is already
# there, so it is safe to run again. Sourced by scripts/serve.sh and scripts/test.sh; it
# leaves the tools on PATH. Everything comes from the package registries (rustup's wasm
# target, crates.io, npm, Debian); nothing else is downloaded, and Trunk never fetches tools.

set -euo pipefail

LOGLENS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
# The wasm-bindgen CLI must equal the wasm-bindgen crate in Cargo.lock, exactly.
WASM_BINDGEN_VERSION="$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;}' "$LOGLENS_ROOT/Cargo.lock")"
MIN_NODE_MAJOR=20

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\n\033[31mloglens: %s\033[0m\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$LOGLENS_ROOT/e2e/node_modules/.bin:$PATH"
# Trunk would otherwise ask the internet for a newer version of itself.
export TRUNK_SKIP_VERSION_CHECK=true

# What this script does not install itself: say so plainly rather than fail later.
check_prerequisites() {
  command -v rustup >/dev/null || fail "rustup is not installed; install Rust with rustup (https://rustup.rs) first."
  command -v cc >/dev/null || fail "no C compiler (cc); install build-essential (apt-get install build-essential)."
  command -v python3 >/dev/null || fail "python3 is not installed; it serves the site (apt-get install python3)."
  command -v npm >/dev/null || fail "npm is not installed; install Node.js $MIN_NODE_MAJOR or newer with npm."
  local node_major
  node_major="$(node --version 2>/dev/null | sed -n 's/^v\([0-9]*\)\..*/\1/p')"
  [ "${node_major:-0}" -ge "$MIN_NODE_MAJOR" ] || fail "Node.js $MIN_NODE_MAJOR or newer is needed (found ${node_major:-none})."
  case "$WASM_BINDGEN_VERSION" in
    [0-9]*.[0-9]*.[0-9]*) ;;
    *) fail "Cargo.lock does not name exactly one wasm-bindgen version (found '$WASM_BINDGEN_VERSION')." ;;
  esac
}

ensure_rust() {
  local components targets
  components="$(rustup component list --installed 2>/dev/null || true)"
  if [[ "$components" != *clippy* || "$components" != *rustfmt* ]]; then
    step "Adding the clippy and rustfmt components"
    rustup component add clippy rustfmt || fail "could not add clippy and rustfmt with rustup."
  fi
  targets="$(rustup target list --installed 2>/dev/null || true)"
  if [[ "$targets" != *wasm32-unknown-unknown* ]]; then
    step "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown || fail "could not add the wasm32 target with rustup."
  fi
}

# ensure_cargo_tool COMMAND CRATE VERSION: installs CRATE@VERSION unless COMMAND reports it.
ensure_cargo_tool() {
  local command="$1" crate="$2" version="$3"
  local installed
  installed="$("$command" --version 2>/dev/null || true)"
  if [ "$installed" = "$crate $version" ] || [ "$installed" = "$command $version" ]; then return; fi
  step "Installing $crate $version (a few minutes, once)"
  cargo install --locked "$crate" --version "$version" || fail "could not install $crate $version with cargo."
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then return; fi
  step "Installing Chromium from Debian (for the browser tests)"
  as_root apt-get update -qq || fail "apt-get update failed."
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null \
    || fail "could not install chromium and chromium-driver with apt-get."
}

# PyYAML, with which the site's build turns the shipped Sigma rules into JSON.
ensure_pyyaml() {
  if python3 -c 'import yaml' 2>/dev/null; then return; fi
  step "Installing PyYAML from Debian (the site's build reads the Sigma rules with it)"
  as_root apt-get update -qq || fail "apt-get update failed."
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-yaml >/dev/null || true
  # A python3 other than Debian's (pyenv's, say) does not see Debian's package.
  python3 -c 'import yaml' 2>/dev/null || python3 -m pip install --quiet 'PyYAML==6.0.3' \
    || fail "could not install PyYAML with apt-get or pip."
}

# pySigma and its SQLite backend, pinned: the tests check loglens's Sigma matches against
# them (scripts/sigma_crosscheck.py). Only the test command needs them.
ensure_pysigma() {
  if python3 -c 'import importlib.metadata as m, sys; sys.exit(not (m.version("pysigma") == "2.0.1" and m.version("pysigma-backend-sqlite") == "2.1.1"))' 2>/dev/null; then return; fi
  step "Installing pySigma and its SQLite backend from PyPI (pinned; the Sigma cross-check uses them)"
  python3 -m pip install --quiet 'pysigma==2.0.1' 'pysigma-backend-sqlite==2.1.1' \
    || fail "could not install pysigma and pysigma-backend-sqlite with pip."
}

# The Node tools (wasm-opt from binaryen, Playwright) at the exact versions of e2e/package-lock.json.
ensure_node_tools() {
  local stamp="$LOGLENS_ROOT/e2e/node_modules/.installed-from-lock"
  local lock_sum
  lock_sum="$(sha256sum "$LOGLENS_ROOT/e2e/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ]; then return; fi
  step "Installing the Node tools from e2e/package-lock.json"
  (cd "$LOGLENS_ROOT/e2e" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci failed in e2e/."
  echo "$lock_sum" >"$stamp"
}

check_prerequisites
ensure_rust
ensure_chromium
ensure_pyyaml
ensure_node_tools
ensure_cargo_tool wasm-bindgen wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
ensure_cargo_tool trunk trunk "$TRUNK_VERSION"
