#!/usr/bin/env python3
"""Checks the checker: runs check_cases.py against two stand-in CLIs and asserts what it must
find.

- `copy`: `deid` copies every input unchanged and `inspect` reports nothing. Every planted value
  must be found as a leak and as not reported, and no control may count as destroyed.
- `xmask`: `deid` rewrites every text value of every DICOM file as X's of the same length
  (pydicom). Every control must count as destroyed.

    selftest.py [--cases DIR] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

MOCK = r'''
import json, os, shutil, sys
from pathlib import Path
mode = os.environ["IDHELDOUT_MOCK"]
args = sys.argv[1:]
if args[:1] == ["--version"]:
    print("mock-" + mode); sys.exit(0)
if args[:1] == ["key"]:
    Path(args[args.index("--out") + 1]).write_text("mock\n"); sys.exit(0)
cmd, rest = args[0], args[1:]
paths, out, report, i = [], None, None, 0
while i < len(rest):
    a = rest[i]
    if a in ("--out", "--key", "--report", "--option"):
        if a == "--out": out = rest[i + 1]
        if a == "--report": report = rest[i + 1]
        i += 2; continue
    if a.startswith("--"):
        i += 1; continue
    paths.append(a); i += 1
files = []
for p in paths:
    if os.path.isdir(p):
        for d, _, fs in sorted(os.walk(p)):
            for f in sorted(fs):
                full = os.path.join(d, f)
                files.append((full, os.path.relpath(full, p)))
    else:
        files.append((p, os.path.basename(p)))
if cmd == "inspect":
    if "--json" in rest:
        print(json.dumps({"files": [{"path": f, "ok": True, "findings": [], "summary": {}}
                                    for f, _ in files]}))
    sys.exit(0)
entries = []
for src, rel in files:
    dst = os.path.join(out, rel)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    shutil.copyfile(src, dst)
    if mode == "xmask":
        import pydicom
        try:
            ds = pydicom.dcmread(dst, force=True)
            for el in ds.iterall():
                if el.VR in ("LO", "SH", "LT", "ST", "UT", "PN", "CS", "UC", "UI", "DA", "DT",
                             "UR") and el.value:
                    el.value = "X" * len(str(el.value))
            ds.save_as(dst)
        except Exception:
            pass
    entries.append({"path": src, "output": dst, "ok": True, "error": None, "residual": []})
if report:
    Path(report).write_text(json.dumps({"files": entries}))
print(f"de-identified {len(entries)} files")
'''


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", default=".cache/identity_cases/cases")
    ap.add_argument("--work", default="test-artifacts/identity_cases_selftest")
    args = ap.parse_args()
    work = Path(args.work).resolve()
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    (work / "mock_cli.py").write_text(MOCK)
    problems = []
    for mode in ("copy", "xmask"):
        wrapper = work / f"mock-{mode}"
        wrapper.write_text(f"#!/bin/sh\nIDHELDOUT_MOCK={mode} exec {sys.executable} "
                           f"{work / 'mock_cli.py'} \"$@\"\n")
        wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
        subprocess.run([sys.executable, str(HERE / "check_cases.py"), "--bin", str(wrapper),
                        "--cases", args.cases, "--work", str(work / mode), "--no-dciodvfy"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        res = json.loads((work / mode / "results.json").read_text())
        cases_dir = Path(args.cases)
        for c in res["cases"]:
            case = json.loads((cases_dir / c["id"] / "case.json").read_text())
            if mode == "copy":
                n_planted = len(case["planted"])
                if len(c["leaks"]) != n_planted:
                    problems.append(f"copy: {c['id']} found {len(c['leaks'])} of {n_planted} "
                                    "planted values")
                n_rep = len({(p["file"], p["where"]) for p in case["planted"]
                             if p.get("report") and p["file"]})
                n_un = len([u for u in c["unreported"] if not u.startswith("inspect")])
                if n_un != n_rep:
                    problems.append(f"copy: {c['id']} {n_un} of {n_rep} planted elements "
                                    "counted as not reported")
                if c["false_masks"]:
                    problems.append(f"copy: {c['id']} false masks {c['false_masks']}")
            else:
                if len(c["false_masks"]) != c["controls"]:
                    problems.append(f"xmask: {c['id']} {len(c['false_masks'])} of "
                                    f"{c['controls']} controls counted as destroyed")
    for p in problems:
        print(p)
    print("selftest: " + ("ok" if not problems else f"{len(problems)} problems"))
    return 1 if problems else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
