#!/usr/bin/env bash
# Checks that a change leaves every report as it was: builds the CLI at BASE (a commit,
# default HEAD) and in the work tree, runs both over every example log and every real log
# of the repository with the same options, and compares the outputs byte for byte.
# A refactoring must print "same" for every file; any difference is shown and the script
# exits 1.
#
#     scripts/same_reports.sh [BASE]
#
# Builds BASE in target/same-reports (a git worktree beside it), so a second run reuses
# that build. Reports are JSON (and the table for a few), with one and with two threads,
# on the analysis and on the summary only; pseudonymized output is not compared, since
# its key is drawn afresh for each run.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-HEAD}
base_commit=$(git rev-parse --verify "$base^{commit}")
work=target/same-reports
mkdir -p "$work"
if [ ! -d "$work/tree" ]; then
  git worktree add --detach "$work/tree" "$base_commit" >/dev/null
else
  git -C "$work/tree" checkout --quiet --detach "$base_commit"
fi
echo "building $base ($base_commit) and the work tree" >&2
(cd "$work/tree" && CARGO_TARGET_DIR="$PWD/../target" cargo build --quiet --release --locked -p loglens-cli)
cargo build --quiet --release --locked -p loglens-cli
before="$work/target/release/loglens"
after=target/release/loglens

logs=$(find example_logs -type f \( -name '*.log' -o -name '*.jsonl' -o -name '*.json' -o -name '*.csv' \) \
  ! -name '*.labels.csv' | sort)
variants=(
  "--output json --threads 1"
  "--output json --threads 2"
  "--output json --summary-only --threads 2"
  "--output table --threads 2"
)
out_before=$(mktemp) out_after=$(mktemp)
trap 'rm -f "$out_before" "$out_after"' EXIT
differ=0 compared=0
for log in $logs; do
  for variant in "${variants[@]}"; do
    # shellcheck disable=SC2086 # the variant is a list of words
    "$before" analyze $variant "$log" >"$out_before" 2>&1 || true
    # shellcheck disable=SC2086
    "$after" analyze $variant "$log" >"$out_after" 2>&1 || true
    compared=$((compared + 1))
    if ! cmp -s "$out_before" "$out_after"; then
      differ=$((differ + 1))
      echo "DIFFERS: $log ($variant)"
      diff <(head -c 200000 "$out_before") <(head -c 200000 "$out_after") | head -20 || true
    fi
  done
done
# Rotated logs read as one: the line numbers run on from file to file.
for variant in "${variants[@]}"; do
  # shellcheck disable=SC2086
  "$before" analyze $variant example_logs/access_combined.log example_logs/access_common.log >"$out_before" 2>&1 || true
  # shellcheck disable=SC2086
  "$after" analyze $variant example_logs/access_combined.log example_logs/access_common.log >"$out_after" 2>&1 || true
  compared=$((compared + 1))
  cmp -s "$out_before" "$out_after" || { differ=$((differ + 1)); echo "DIFFERS: two files ($variant)"; }
done
if [ "$differ" -eq 0 ]; then
  echo "same: $compared reports on $(echo "$logs" | wc -l) logs, byte for byte, against $base"
else
  echo "$differ of $compared reports differ from $base"
  exit 1
fi
