#!/usr/bin/env python3
"""What the page's two WebAssembly modules are made of: each module's size as shipped
(and gzipped), and its code by crate, from the unoptimised build that still has function
names (`twiggy`, `cargo install twiggy`). For deciding what the page module should not
carry: the engine belongs in the worker.

    source scripts/setup.sh && trunk build --release
    python3 scripts/wasm_sizes.py [--top 12]
"""

import argparse
import collections
import csv
import glob
import gzip
import io
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULES = [
    ("page", "dist/web-*_bg.wasm", "target/wasm32-unknown-unknown/wasm-release/web.wasm"),
    ("worker", "dist/worker_bg.wasm", "target/wasm32-unknown-unknown/wasm-worker/worker.wasm"),
]
# Path segments that name no crate of their own (a derived serde impl belongs to the
# type's crate): the crate is the next one.
NOT_CRATES = {"impl", "_", "serde_core", "serde"}
STD = {"core", "alloc", "std"}


def crate_of(item):
    """The crate a function's name says it belongs to, or "other" (no name to go by)."""
    segments = [s for s in re.findall(r"([a-z_][a-z0-9_]*)::", item) if s not in NOT_CRATES]
    if not segments:
        return "other"
    return "std (core, alloc)" if segments[0] in STD else segments[0]


def code_by_crate(path):
    """Bytes of code per crate in the module at `path`, names and data left out."""
    table = subprocess.run(["twiggy", "top", "-n", "1000000", "-f", "csv", path],
                           check=True, capture_output=True, text=True).stdout
    sizes = collections.Counter()
    for row in csv.DictReader(io.StringIO(table)):
        name = row["Name"]
        if name.startswith(('"function names"', "custom section", "Σ")) or "data segment" in name:
            continue
        sizes[crate_of(name)] += int(row["ShallowSize"])
    return sizes


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    for name, shipped_glob, named in MODULES:
        shipped = glob.glob(os.path.join(ROOT, shipped_glob))
        if not shipped:
            sys.exit(f"{shipped_glob} is missing: build the site first (trunk build --release)")
        data = open(shipped[0], "rb").read()
        print(f"{name}: {len(data):,} bytes shipped, {len(gzip.compress(data, 9)):,} gzipped")
        sizes = code_by_crate(os.path.join(ROOT, named))
        total = sum(sizes.values())
        for crate, size in sizes.most_common(args.top):
            print(f"  {crate:<20} {size:>10,}  {size / total:6.1%}")
        print(f"  {'code in all':<20} {total:>10,}  (before wasm-opt)")


if __name__ == "__main__":
    main()
