#!/usr/bin/env bash
# Runs the cargo-fuzz targets one after another, each for a given time, from the kept
# corpus (fuzz/corpus.tar.xz). Needs nightly Rust and cargo-fuzz (installed if missing).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     # default: 600 s, every target
#
# Stops at the first crash (libFuzzer leaves the input in fuzz/artifacts/<target>/) and
# exits non-zero. Afterwards, to keep what the runs reached:
#   cd fuzz && for t in $(cargo +nightly fuzz list); do cargo +nightly fuzz cmin "$t"; done
#   tar cJf corpus.tar.xz corpus
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${1:-600}"
shift || true
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
[ -d corpus ] || tar xJf corpus.tar.xz
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo +nightly fuzz list)
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    # A target that no longer builds must say so, not pass for a run without a crash.
    if ! cargo +nightly fuzz build "$target" >"/tmp/fuzz-build-$target.log" 2>&1; then
        echo "== $target: does not build, see /tmp/fuzz-build-$target.log"
        exit 1
    fi
    echo "== $target: ${seconds} s ($(date -u +%H:%M:%S) UTC)"
    status=0
    cargo +nightly fuzz run "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -max_len=8192 -print_final_stats=1 >"/tmp/fuzz-run-$target.log" 2>&1 || status=$?
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+== ERROR|SUMMARY|thread .* panicked|Done [0-9]+ runs)' "/tmp/fuzz-run-$target.log" || true
    if [ "$status" -ne 0 ] || [ -n "$(ls -A "artifacts/$target" 2>/dev/null)" ]; then
        echo "== $target: CRASH (status $status), see fuzz/artifacts/$target/ and /tmp/fuzz-run-$target.log"
        exit 1
    fi
    echo "== $target: no crash"
done
