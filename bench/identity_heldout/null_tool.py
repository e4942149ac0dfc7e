#!/usr/bin/env python3
"""A stand-in for the CLI that changes nothing: `deid` copies every input as it is and
`inspect --json` reports nothing. Run the checker with it (selftest.sh) to prove that every
planted value is found when it is left in place: each case with a planted value must fail."""

import json
import os
import shutil
import sys


def files_of(args):
    for a in args:
        if os.path.isdir(a):
            for root, _, names in os.walk(a):
                for n in sorted(names):
                    yield a, os.path.join(root, n)
        elif os.path.isfile(a):
            yield None, a


def main():
    argv = sys.argv[1:]
    if not argv:
        return 2
    cmd, rest = argv[0], argv[1:]
    if "--help" in rest:
        print("null tool")
        return 0
    paths, out, report = [], None, None
    i = 0
    while i < len(rest):
        if rest[i] in ("--out", "--key", "--report", "--option"):
            if rest[i] == "--out":
                out = rest[i + 1]
            if rest[i] == "--report":
                report = rest[i + 1]
            i += 2
            continue
        if rest[i].startswith("--"):
            i += 1
            continue
        paths.append(rest[i])
        i += 1
    if cmd == "inspect":
        print(json.dumps({"files": [{"path": p, "ok": True, "findings": []} for _, p in files_of(paths)]}))
        return 0
    if cmd == "deid":
        entries = []
        for base, p in files_of(paths):
            rel = os.path.relpath(p, base) if base else os.path.basename(p)
            dst = os.path.join(out, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(p, dst)
            entries.append({"path": p, "output": os.path.abspath(dst), "ok": True})
        if report:
            with open(report, "w") as f:
                json.dump({"files": entries}, f)
        print("copied %d files" % len(entries))
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
