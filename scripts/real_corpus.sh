#!/usr/bin/env bash
# Prints what loglens finds in each log of the real-log corpus (example_logs/real/): its
# format, how much parsed, and the findings shown at the default sensitivity, worst first.
# The expectations are checked by `cargo test -p loglens-core --test integration real_corpus`; this is
# for reading. Usage: scripts/real_corpus.sh [--all]   (--all: every finding, not the top 12)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
limit=12
[ "${1:-}" = "--all" ] && limit=100000
cargo build --release --locked -q -p loglens-cli
for log in example_logs/real/*; do
  case "$log" in *.md|*.txt) continue ;; esac
  [ -f "$log" ] || continue
  echo "=== ${log#example_logs/real/}"
  ./target/release/loglens analyze "$log" --threads 1 \
    | awk -v limit="$limit" '
        /^  (format|parsed|findings) / { print; next }
        /^  score  severity/ { table = 1; print; next }
        table && NF > 0 { if (shown++ < limit) print; next }
      ' | cut -c1-200
done
