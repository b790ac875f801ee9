#!/usr/bin/env bash
# Sets up whatever is missing, then runs every test: formatting, lints, import cycles,
# the native tests, Sigma matches against pySigma's, a check that the fuzz targets build,
# the lints for wasm32, the release site build, and the browser tests.
# Stops at the first failure and says which step failed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_pysigma
cd "$LOGLENS_ROOT"

step "Fetching crates (locked)"
cargo fetch --locked || fail "cargo fetch failed: is Cargo.lock up to date?"

step "Formatting"
cargo fmt --all --check || fail "code is not formatted: run cargo fmt --all."

step "Lints"
cargo clippy --workspace --all-targets --locked -- -D warnings || fail "clippy found problems."

step "No import cycles between modules"
python3 scripts/module_cycles.py || fail "modules import each other in a circle (listed above)."

# Runner output is kept to add up the totals at the end.
results="$(mktemp)"
trap 'rm -f "$results"' EXIT

step "Native tests"
if ! cargo test --workspace --locked 2>&1 | tee -a "$results"; then fail "native tests failed."; fi

step "Sigma matches agree with pySigma's SQLite backend (real logs, and lines written from the rules' values)"
sigma_lines="$(mktemp -d)"
python3 scripts/sigma_value_lines.py "$sigma_lines" || fail "could not write lines from the Sigma rules' values."
python3 scripts/sigma_crosscheck.py --loglens target/debug/loglens \
    || fail "loglens and pySigma match different lines on the real logs (listed above)."
python3 scripts/sigma_crosscheck.py --loglens target/debug/loglens "$sigma_lines"/*.log \
    || fail "loglens and pySigma match different lines written from the rules' values (listed above)."
rm -rf "$sigma_lines"

step "The fuzz targets still build (checked on stable; fuzzing itself: scripts/fuzz.sh)"
CARGO_TARGET_DIR=target/fuzz-check cargo check --manifest-path fuzz/Cargo.toml --bins --locked \
    || fail "a fuzz target no longer builds against the core."

# Linting the page for wasm32 builds the core there too (with every feature the page uses).
step "The page and the worker pass the lints for wasm32-unknown-unknown"
cargo clippy -p loglens-web --target wasm32-unknown-unknown --locked -- -D warnings \
    || fail "clippy found problems in the page (wasm32)."
cargo clippy -p loglens-web --no-default-features --bin worker --target wasm32-unknown-unknown --locked -- -D warnings \
    || fail "clippy found problems in the worker (wasm32, without the page's views)."

step "Building the site (release)"
trunk build --release || fail "the site did not build (trunk build --release)."

step "Browser tests (Playwright, headless Chromium)"
if ! (cd e2e && node --test --test-reporter=spec) 2>&1 | tee -a "$results"; then
  fail "browser tests failed; screenshots are in e2e/screenshots/."
fi

# Every step above stops the script on a failure, so reaching here means none failed.
passed=$(sed -n 's/^test result: ok\. \([0-9]*\) passed.*/\1/p; s/^ℹ pass \([0-9]*\)$/\1/p' "$results" | awk '{ n += $1 } END { print n + 0 }')
step "All tests passed"
echo "$passed passed, 0 failed"
