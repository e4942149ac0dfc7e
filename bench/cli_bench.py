"""Command-line part of the benchmark: the same de-identification job, tool by tool.

  python bench/cli_bench.py --corpus DIR --work DIR --cli BIN --venv DIR --reps N --out FILE.json

For every input set (a folder of DICOM files under --corpus) and every tool, the whole set is
processed in one batch command (every tool here takes a folder or a list of files, so no tool
pays process start-up per file), N times; each run is wrapped in `/usr/bin/time -v` for the
peak RSS and timed on the wall clock. The output folder is emptied before each run and is not
part of the timing. Reported: the median wall time, the median CPU time (user + system), the largest peak RSS of the runs, how many
files the tool wrote and its exit codes.

Before timing, each tool runs once over the set (untimed warm-up, which also fills the page
cache). gdcmanon and dicognito stop the whole batch at the first file they cannot handle, so a
tool whose warm-up exits non-zero is then run file by file to find the files it fails on; the
timed runs use only the files that every tool handles (a "-common" copy of the set, hard links),
and the files each tool failed on are listed in the JSON.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


class Tool:
    """name, how to run it over IN writing into OUT, and what its job is."""

    def __init__(self, name, version, job, command, prepare=None):
        self.name, self.version, self.job = name, version, job
        self.command, self.prepare = command, prepare


def tools(args, work: Path) -> list[Tool]:
    venv_bin = Path(args.venv) / "bin"
    py = str(venv_bin / "python")
    key = work / "bench.key"
    if not key.exists():
        subprocess.run([args.cli, "key", "--out", str(key)], check=True)
    cert, pkey = work / "gdcm-cert.pem", work / "gdcm-key.pem"
    if not cert.exists():
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(pkey),
             "-out", str(cert), "-days", "3650", "-subj", "/CN=dicom-leakcheck-bench"],
            check=True, capture_output=True,
        )
    table = (ROOT / "crates" / "core" / "src" / "rules" / "table_e1_1.rs").read_text(encoding="utf-8")
    sys.path.insert(0, str(HERE))
    from dcmodify_args import arguments  # noqa: E402 (needs pydicom: run with the bench venv)

    dcmodify_args = arguments(table)

    def copy_in(src: Path, out: Path):
        # dcmodify edits files in place: give it copies (untimed).
        for p in files_in(src):
            shutil.copyfile(p, out / p.name)

    def copy_in_halves(src: Path, out: Path):
        # Two dcmodify processes at once, half of the files each (xargs -P 2): dcmodify has no
        # threads of its own, so this is how it uses 2 cores.
        copy_in(src, out)
        names = [str(p) for p in files_in(out)]
        (out.parent / f"{out.name}.list").write_text("\0".join(names))

    ours = version(["dicom-leakcheck", args.cli, "--version"])
    return [
        Tool("dicom-leakcheck", ours,
             "Basic Profile (PS3.15 Table E.1-1, every row) with a keyed UID/date mapping; "
             "files in parallel (--jobs: one per core)",
             lambda i, o: [args.cli, "deid", "--out", str(o), "--key", str(key), str(i)]),
        Tool("dcmodify", version(["dcmodify", "dcmodify", "--version"]),
             f"{len(dcmodify_args)} arguments generated from Table E.1-1 (bench/dcmodify_args.py)",
             lambda i, o: ["dcmodify", *dcmodify_args, *map(str, files_in(o))],
             prepare=copy_in),
        Tool("dcmodify-2", version(["dcmodify", "dcmodify", "--version"]),
             "the same dcmodify arguments, two processes at once (xargs -P 2), half the files each",
             lambda i, o: ["xargs", "-0", "-P", "2", "-n", str(max(1, (len(files_in(i)) + 1) // 2)),
                           "-a", str(o.parent / f"{o.name}.list"), "dcmodify", *dcmodify_args],
             prepare=copy_in_halves),
        Tool("inspect-json", ours,
             "dicom-leakcheck inspect --json (the pixels searched), the document written to a file",
             lambda i, o: ["sh", "-c", 'exec "$0" inspect --json "$1" > "$2"', args.cli, str(i),
                           str(o / "report.json")]),
        Tool("gdcmanon", version(["gdcmanon", "gdcmanon", "--version"]),
             "gdcmanon -e (its PS3.15 E.1.1 Basic Profile mode) with a self-signed certificate",
             lambda i, o: ["gdcmanon", "-e", "-c", str(cert), "-r", "--continue",
                           "-i", str(i), "-o", str(o)]),
        Tool("deid", pip_version(venv_bin, "deid"),
             "deid's default recipe (deid identifiers --action all, no --deid file)",
             lambda i, o: [str(venv_bin / "deid"), "--quiet", "-o", str(o), "--overwrite",
                           "identifiers", "--input", str(i), "--action", "all"]),
        Tool("dicognito", pip_version(venv_bin, "dicognito"),
             "dicognito defaults (its own profile; outputs named by new SOP Instance UID)",
             lambda i, o: [py, "-m", "dicognito", "--quiet", "--seed", "bench",
                           "--output-directory", str(o), str(i)]),
        Tool("dcmanon", pip_version(venv_bin, "dcmanon"),
             "dcmanon Anonymizer() defaults, one Python process (bench/dcmanon_run.py)",
             lambda i, o: [py, str(HERE / "dcmanon_run.py"), str(i), str(o)]),
    ]


def version(cmd: list[str]) -> str:
    name, *argv = cmd
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except OSError as e:
        return f"unavailable ({e})"
    text = (out.stdout + out.stderr).strip()
    m = re.search(r"v?(\d+\.\d+(?:\.\d+)?)", text)
    return m.group(1) if m else text.splitlines()[0] if text else "?"


def pip_version(venv_bin: Path, package: str) -> str:
    out = subprocess.run([str(venv_bin / "python"), "-m", "pip", "show", package],
                         capture_output=True, text=True)
    m = re.search(r"^Version: (.+)$", out.stdout, re.M)
    return m.group(1) if m else "not installed"


def run_once(tool: Tool, src: Path, out: Path, log: Path) -> dict:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    if tool.prepare:
        tool.prepare(src, out)
    timing = log.with_suffix(".time")
    cmd = ["/usr/bin/time", "-v", "-o", str(timing), *tool.command(src, out)]
    with open(log, "w") as logf:
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=logf, stderr=subprocess.STDOUT)
        seconds = time.perf_counter() - start
    text = timing.read_text()
    rss_kb = int(m.group(1)) if (m := re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)) else 0
    # CPU seconds (user + system, children included): steadier than wall time on a shared machine.
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", text))
    written = len(files_in(out))
    shutil.rmtree(out)
    # The 1-minute load average at the end: others' work on a shared machine slows every tool.
    return {"seconds": seconds, "cpu_seconds": cpu, "load_1min": os.getloadavg()[0], "peak_rss_mb": rss_kb / 1024, "written": written, "exit": proc.returncode}


def probe_failures(tool: Tool, src: Path, work: Path) -> list[str]:
    """The files of src that tool fails on (non-zero exit or nothing written), one at a time."""
    failed = []
    single = work / "probe-in"
    for p in files_in(src):
        if single.exists():
            shutil.rmtree(single)
        single.mkdir(parents=True)
        os.link(p, single / p.name)
        r = run_once(tool, single, work / "out" / tool.name, work / "logs" / "probe.log")
        if r["exit"] != 0 or r["written"] == 0:
            failed.append(p.name)
    shutil.rmtree(single, ignore_errors=True)
    return failed


def common_set(src: Path, exclude: set[str], work: Path) -> Path:
    """src without the excluded files, as hard links in work/sets/<name>-common."""
    dst = work / "sets" / f"{src.name}-common"
    if dst.exists():
        shutil.rmtree(dst)
    dst.mkdir(parents=True)
    for p in files_in(src):
        if p.name not in exclude:
            os.link(p, dst / p.name)
    return dst


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--venv", required=True)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--only", help="comma-separated tool names")
    ap.add_argument("--sets", help="comma-separated set names (default: every folder of --corpus)")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    logs = args.work / "logs"
    logs.mkdir(exist_ok=True)

    all_tools = tools(args, args.work)
    if args.only:
        keep = set(args.only.split(","))
        all_tools = [t for t in all_tools if t.name in keep]
    sets = sorted((p for p in args.corpus.iterdir() if p.is_dir()), key=lambda p: p.name)
    if args.sets:
        sets = [p for p in sets if p.name in args.sets.split(",")]
    results = []
    failures = {}
    for s in sets:
        # Warm-up and failure probe (untimed).
        bad: dict[str, list[str]] = {}
        for tool in all_tools:
            r = run_once(tool, s, args.work / "out" / tool.name, logs / f"{s.name}.{tool.name}.warmup.log")
            if r["exit"] != 0:
                bad[tool.name] = probe_failures(tool, s, args.work)
                print(f"  {s.name:8} {tool.name:16} fails on {len(bad[tool.name])} of "
                      f"{len(files_in(s))} files: {', '.join(bad[tool.name][:8])}"
                      f"{' ...' if len(bad[tool.name]) > 8 else ''}", file=sys.stderr, flush=True)
        if bad:
            failures[s.name] = bad
            s = common_set(s, set().union(*bad.values()), args.work)
        inputs = files_in(s)
        mb = sum(p.stat().st_size for p in inputs) / 1e6
        # A B A B: the tools take turns, so a change in the machine's speed (others' work on a
        # shared machine) falls on every tool alike.
        runs_of = {tool.name: [] for tool in all_tools}
        for rep in range(args.reps):
            for tool in all_tools:
                log = logs / f"{s.name}.{tool.name}.log"
                r = run_once(tool, s, args.work / "out" / tool.name, log)
                runs_of[tool.name].append(r)
                print(f"  {s.name:8} {tool.name:16} run {rep + 1}/{args.reps}: {r['seconds']:8.2f} s "
                      f"{r['peak_rss_mb']:8.1f} MB RSS, {r['written']}/{len(inputs)} written, exit {r['exit']}",
                      file=sys.stderr, flush=True)
        for tool in all_tools:
            runs = runs_of[tool.name]
            secs = statistics.median(r["seconds"] for r in runs)
            results.append({
                "set": s.name, "tool": tool.name, "files": len(inputs), "mb": mb,
                "seconds": secs, "files_per_s": len(inputs) / secs, "mb_per_s": mb / secs,
                "cpu_seconds": statistics.median(r["cpu_seconds"] for r in runs),
                "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
                "written": min(r["written"] for r in runs),
                "exit_codes": sorted({r["exit"] for r in runs}),
                "runs": runs,
            })
    doc = {
        "reps": args.reps,
        "tools": {t.name: {"version": t.version, "job": t.job} for t in all_tools},
        "failures": failures,
        "results": results,
    }
    args.out.write_text(json.dumps(doc, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
