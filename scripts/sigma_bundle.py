#!/usr/bin/env python3
"""Trunk post-build hook: the SigmaHQ rules that ship (rules/sigma/*.yml) as one JSON
file, dist/sigma-rules.json, which the page's Sigma panel offers. The page and its worker
then need no YAML parser for them. Each rule is kept whole (title, id, author,
references, level, detection) with `_source`, its path in SigmaHQ's repository; the
licence (DRL 1.1) is in rules/sigma/README.md.

Runs from Trunk.toml ([[hooks]], stage "post_build") with TRUNK_STAGING_DIR set, or by
hand: scripts/sigma_bundle.py [OUT_FILE].
"""

import json
import os
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent / "rules" / "sigma"


def main():
    if len(sys.argv) > 1:
        out = Path(sys.argv[1])
    else:
        out = Path(os.environ["TRUNK_STAGING_DIR"]) / "sigma-rules.json"
    rules = []
    for path in sorted(ROOT.rglob("*.yml")):
        with open(path, encoding="utf-8") as f:
            rule = yaml.safe_load(f)
        rule["_source"] = path.relative_to(ROOT).as_posix()
        rules.append(rule)
    # A `date: 2021-01-01` reads as a date: written as its ISO text.
    out.write_text(json.dumps(rules, default=str, ensure_ascii=False), encoding="utf-8")
    print(f"sigma_bundle: {len(rules)} rules into {out}")


if __name__ == "__main__":
    main()
