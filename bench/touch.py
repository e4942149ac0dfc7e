"""What each tool's job actually does to one file: the benchmark's jobs are not identical.

  python bench/touch.py --cli BIN --venv DIR --work DIR --out FILE.json

Runs every tool of bench/cli_bench.py on our built-in synthetic sample (`dicom-leakcheck
sample`: a CT with fake patient data in top-level and nested elements) and compares output to
input with pydicom, element by element at every nesting level: removed, emptied, changed,
unchanged; and which of the sample's identifying values still appear in the output's bytes.
"""

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pydicom

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from cli_bench import files_in, tools  # noqa: E402

# The sample's fake identifying values (tests/web/helpers.mjs IDENTIFYING).
IDENTIFYING = ["DOE", "LC-12345", "19700101", "ST. ELSEWHERE", "555-0100", "HOUSE^GREGORY"]


def walk(ds, prefix=""):
    """{path: value-as-text} for every element at every level (sequence items by index)."""
    out = {}
    for elem in ds:
        if elem.tag == 0x7FE00010:
            continue
        path = f"{prefix}({elem.tag.group:04X},{elem.tag.element:04X})"
        if elem.VR == "SQ":
            out[path] = "<SQ>"
            for i, item in enumerate(elem.value):
                out.update(walk(item, f"{path}[{i}]."))
        else:
            out[path] = str(elem.value)
    return out


def compare(before: dict, after: dict) -> dict:
    removed = [p for p in before if p not in after]
    emptied = [p for p in before if p in after and before[p] not in ("", "<SQ>") and after[p] == ""]
    changed = [p for p in before if p in after and p not in emptied and before[p] != after[p]]
    return {"elements": len(before), "removed": len(removed), "emptied": len(emptied),
            "changed": len(changed), "unchanged": len(before) - len(removed) - len(emptied) - len(changed),
            "added": len([p for p in after if p not in before])}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--venv", required=True)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    src = args.work / "touch-in"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    subprocess.run([args.cli, "sample", "--out", str(src / "sample.dcm")], check=True, capture_output=True)
    before = walk(pydicom.dcmread(src / "sample.dcm"))
    result = {}
    for tool in tools(args, args.work):
        out = args.work / "touch-out" / tool.name
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        if tool.prepare:
            tool.prepare(src, out)
        subprocess.run(tool.command(src, out), capture_output=True)
        written = files_in(out)
        if not written:
            result[tool.name] = {"error": "no output"}
            continue
        data = written[0].read_bytes()
        after = walk(pydicom.dcmread(written[0], force=True))
        row = compare(before, after)
        row["leaked_values"] = [v for v in IDENTIFYING if v.encode() in data]
        result[tool.name] = row
        print(f"  {tool.name:16} {json.dumps(row)}", file=sys.stderr)
    args.out.write_text(json.dumps({"file": "dicom-leakcheck sample", "tools": result}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
