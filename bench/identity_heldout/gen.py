#!/usr/bin/env python3
"""Generate the held-out identity cases (deterministic) into OUT/cases/<id>/.

usage: gen.py [--out DIR]   (default: <repo>/.cache/identity_heldout)
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cases_enc import class6, class7, class8, class9, class10  # noqa: E402
from cases_sets import class11, class12, class13, class14  # noqa: E402
from cases_text import class1, class2, class3, class4, class5  # noqa: E402
from common import CLASSES  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def all_cases():
    out = []
    for f in (class1, class2, class3, class4, class5, class6, class7, class8, class9, class10,
              class11, class12, class13, class14):
        out += f()
    ids = collections.Counter(c.id for c in out)
    dup = [i for i, n in ids.items() if n > 1]
    assert not dup, dup
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(REPO, ".cache", "identity_heldout"))
    a = ap.parse_args()
    root = os.path.join(a.out, "cases")
    if os.path.isdir(root):
        shutil.rmtree(root)
    os.makedirs(root)
    recs = [c.save(root) for c in all_cases()]
    with open(os.path.join(a.out, "cases.json"), "w", encoding="utf-8") as f:
        json.dump({"cases": [r["id"] for r in recs]}, f, indent=1)
    per = collections.Counter(r["class"] for r in recs)
    ctrl = collections.Counter(r["class"] for r in recs if r["kind"] == "control")
    needles = collections.Counter()
    keeps = collections.Counter()
    for r in recs:
        needles[r["class"]] += len(r["needles"])
        keeps[r["class"]] += len(r["controls"])
    for k in sorted(CLASSES):
        print("class %2d  %-62s %3d cases (%d control cases), %2d planted values, %2d controls" % (
            k, CLASSES[k], per[k], ctrl[k], needles[k], keeps[k]))
    print("total %d cases, %d planted values, %d controls in %s" % (
        len(recs), sum(needles.values()), sum(keeps.values()), root))


if __name__ == "__main__":
    main()
