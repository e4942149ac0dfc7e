#!/usr/bin/env python3
"""Conformance check of the dicom-leakcheck CLI against a corpus of real DICOM files.

Usage:
    check_corpus.py --cli target/release/dicom-leakcheck --corpus DIR --work DIR [--skip-rerun]

Independent checkers only: dcmtk's dcmdump (is the file readable), dicom3tools' dciodvfy (is the
output as valid as the input) and pydicom (values, pixel data, UIDs). Nothing here uses the
project's own code apart from the CLI under test.

Test set: every regular file under --corpus (dot files excepted) that `dcmdump` reads with exit
status 0. The others are listed as skipped with dcmdump's complaint.

Steps:
  1. `cli key --out WORK/key-a`, then `cli deid --out WORK/out --key WORK/key-a --report ... CORPUS`
     (outputs at neutral paths; the report maps each input to its output), once for the
     whole corpus, timed. Its exit status must be 0 or 1 (1 = some input could not be written,
     expected for the deliberately broken files); anything else is a global failure.
  2. Per test-set file:
     (a) output exists at WORK/out/<path relative to CORPUS> and dcmdump reads it;
     (b) dciodvfy -new on input and output; every normalised "Error" line of the output that the
         input does not have (as a multiset) is a new error and fails the file;
     (c) no identifying value of the input (IDENTIFYING_KEYWORDS, at any depth; whole values
         and person-name components; at least MIN_LEN = 4 characters, 2 when non-ASCII; as the
         input's stored bytes, encoded in the input's and the output's character sets, and in
         UTF-8; case-sensitive) occurs anywhere in the output's bytes, except inside Pixel Data
         (kept byte for byte by design; noted), Manufacturer (device identity, kept by the Basic
         Profile);
     (d) the raw Pixel Data (and Float/Double Float Pixel Data) value bytes are identical;
     (e) SOP Instance, Study Instance and Series Instance UIDs differ from the input's and start
         with "2.25." (a UID under the DICOM root 1.2.840.10008. may also be kept); across all files one input UID maps to one output UID (and two different
         input UIDs never to the same output UID); the file meta Media Storage SOP Instance UID
         equals the output SOP Instance UID; Patient Identity Removed (0012,0062) is "YES"
         (for every file that has a SOP Class UID, i.e. not for a DICOMDIR).
  3. Unless --skip-rerun: the corpus is de-identified again with the same key (UIDs must be
     identical per file) and with a new key (every UID must differ).

Prints a table and, last, `corpus: N passed, M failed`; exits 1 when anything failed. Writes
WORK/summary.json.
"""

from __future__ import annotations

import argparse
import collections
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

try:
    import pydicom
    from pydicom.charset import encode_string
    from pydicom.dataelem import RawDataElement
    from pydicom.multival import MultiValue
except ImportError:  # pragma: no cover - the test script installs it
    sys.exit("check_corpus.py needs pydicom (pip install -r tests/conformance/requirements.txt)")

# Identifying attributes whose input values must not survive anywhere in the output.
IDENTIFYING_KEYWORDS = (
    "PatientName",
    "PatientID",
    "PatientBirthDate",
    "AccessionNumber",
    "InstitutionName",
    "ReferringPhysicianName",
    "PerformingPhysicianName",
    "OperatorsName",
)
PN_KEYWORDS = {"PatientName", "ReferringPhysicianName", "PerformingPhysicianName", "OperatorsName"}

# Threshold for a value (or a person name component) to be searched for. Short strings match by
# coincidence: an AccessionNumber "1", a PatientID "ID1" or a name component "G" or "Jan" can be
# part of anything (a date, a description, a UID). So: at least MIN_LEN characters when the value
# is plain ASCII, at least MIN_LEN_NON_ASCII characters otherwise (a CJK family name such as
# "山田" is two characters but four or more bytes in any of its encodings). A value must also
# contain a letter or digit ("----" is not identifying). Matching is case-sensitive on bytes.
MIN_LEN = 4
MIN_LEN_NON_ASCII = 2

UID_KEYWORDS = ("SOPInstanceUID", "StudyInstanceUID", "SeriesInstanceUID")
UID_PREFIX = "2.25."
# UIDs under the DICOM root are defined by the standard itself (e.g. the well-known SOP Instance
# UIDs of the standard color palettes, 1.2.840.10008.1.5.x): they identify nobody, so keeping
# them is fine (replacing them is accepted too).
WELL_KNOWN_UID_ROOT = "1.2.840.10008."
PIXEL_TAGS = (0x7FE00010, 0x7FE00008, 0x7FE00009)  # Pixel Data, Float, Double Float Pixel Data
# Output elements whose content does not count as a leak:
# - Manufacturer: kept by the Basic Profile and not about the patient (InstitutionName "TOSHIBA"
#   or "GE MEDICAL SYSTEMS" in files whose Manufacturer is the same string).
# (A DICOMDIR's ReferencedFileID is no longer exempt: outputs get neutral paths, so file IDs
# such as pydicom's dicomdirtests/77654033/..., a PatientID, must not survive.)
LEAK_EXEMPT_KEYWORDS = {"Manufacturer"}

TOOL_TIMEOUT = 120
DEID_TIMEOUT = 1800


# ----------------------------------------------------------------------------------------------
# small helpers


def run(cmd: list[str], timeout: int = TOOL_TIMEOUT) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as e:
        return subprocess.CompletedProcess(cmd, 124, e.stdout or b"", (e.stderr or b"") + b"\n[timeout]")


def first_line(b: bytes, limit: int = 160) -> str:
    s = b.decode("utf-8", "replace").strip()
    lines = [ln for ln in s.splitlines() if ln.strip()]
    # dcmtk prints warnings before the error: prefer an "E:"/"F:" line.
    for ln in lines:
        if ln.startswith(("E:", "F:")):
            return ln[:limit]
    return (lines[0] if lines else "")[:limit]


def corpus_files(corpus: Path) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(corpus):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                p = Path(dirpath) / name
                if p.is_file():
                    out.append(p)
    return out


def dcmdump_ok(path: Path) -> tuple[bool, str]:
    p = run(["dcmdump", str(path)])
    if p.returncode == 0:
        return True, ""
    return False, f"dcmdump exit {p.returncode}: {first_line(p.stderr) or first_line(p.stdout)}"


# ----------------------------------------------------------------------------------------------
# dciodvfy
#
# dciodvfy writes everything to stderr (stdout stays empty): one line per message, the bare IOD
# name it chose (e.g. "CTImage") on a line of its own, and messages as
#   Error - </Path(gggg,eeee)[item]/Attr(gggg,eeee)> - text [= <value>] [- Module=<Name>]
#   Warning - ...
# A value may contain newlines, so its continuation lines start with anything. Exit status is 0
# without errors, 1 with errors; on a few inputs it aborts on an assertion (status 134).

_VALUE_END_RE = re.compile(r">(?= - |\s*$)")
_HEX_RE = re.compile(r"0x[0-9a-fA-F]+")


def normalise_error(line: str) -> str:
    """Error line without the parts that legitimately change with de-identification: values
    (`= <...>`; a value may itself hold '<' and '>', or be cut by a newline) and hexadecimal
    offsets/lengths. The attribute path, the message and Module=<...> stay."""
    line = line.rstrip()
    parts, i = [], 0
    while True:
        j = line.find("= <", i)
        if j < 0:
            parts.append(line[i:])
            break
        parts.append(line[i:j] + "= <>")
        m = _VALUE_END_RE.search(line, j + 3)
        if m is None:  # the value goes on past this line
            break
        i = m.end()
    line = _HEX_RE.sub("0x?", "".join(parts))
    return re.sub(r"\s+", " ", line)


@dataclass
class Dciodvfy:
    status: int
    iod: str
    errors: list[str]  # normalised
    raw_errors: list[str]


def dciodvfy(path: Path) -> Dciodvfy:
    p = run(["dciodvfy", "-new", str(path)])
    text = (p.stderr + p.stdout).decode("latin-1")
    errors, raw, iod = [], [], ""
    for ln in text.splitlines():
        if ln.startswith("Error"):
            raw.append(ln.rstrip())
            errors.append(normalise_error(ln))
        elif not iod and re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", ln.strip() or "-"):
            iod = ln.strip()
    if p.returncode not in (0, 1):
        why = "timeout" if p.returncode == 124 else f"exit status {p.returncode}"
        if p.returncode < 0 or p.returncode >= 128:
            why = f"abort (signal {-p.returncode if p.returncode < 0 else p.returncode - 128})"
        errors.append(f"Error - dciodvfy did not finish: {why}")
        raw.append(errors[-1])
    return Dciodvfy(p.returncode, iod, errors, raw)


UNREADABLE_INPUT_MARKERS = ("Tags out of order", "Dicom dataset read failed")


def input_unreadable_by_dciodvfy(inp: Dciodvfy) -> bool:
    return any(marker in e for e in inp.errors for marker in UNREADABLE_INPUT_MARKERS)


def new_errors(inp: Dciodvfy, out: Dciodvfy) -> list[str]:
    remaining = collections.Counter(inp.errors)
    new = []
    for e in out.errors:
        if remaining[e] > 0:
            remaining[e] -= 1
        else:
            new.append(e)
    return new


# ----------------------------------------------------------------------------------------------
# pydicom helpers


def read_ds(path: Path):
    return pydicom.dcmread(str(path), force=True)


def walk_raw(ds, prefix: str = ""):
    """Yield (path, keyword, tag, raw_bytes_or_None) for every element, recursing into
    sequences. Raw bytes are the element's value as stored (decoded for deflate)."""
    for tag in list(ds.keys()):
        try:
            elem = ds.get_item(tag)
        except Exception:
            continue
        kw = pydicom.datadict.keyword_for_tag(tag) or ""
        here = f"{prefix}({tag.group:04X},{tag.element:04X})"
        vr = getattr(elem, "VR", None)
        if vr == "SQ" or (isinstance(elem, RawDataElement) and vr is None and _is_sq(ds, tag)):
            try:
                seq = ds[tag].value
            except Exception:
                yield here, kw, tag, None
                continue
            for i, item in enumerate(seq or []):
                yield from walk_raw(item, f"{here}[{i + 1}]/")
            continue
        if isinstance(elem, RawDataElement):
            yield here, kw, tag, bytes(elem.value or b"")
        else:
            try:
                val = elem.value
                if isinstance(val, (bytes, bytearray)):
                    yield here, kw, tag, bytes(val)
                else:
                    yield here, kw, tag, str(val).encode("utf-8", "replace")
            except Exception:
                yield here, kw, tag, None


def _is_sq(ds, tag) -> bool:
    try:
        return ds[tag].VR == "SQ"
    except Exception:
        return False


def charsets(ds) -> list[str]:
    try:
        cs = ds._character_set  # pydicom's Python codec names for (0008,0005)
        return list(cs) if cs else ["iso8859"]
    except Exception:
        return ["iso8859"]


def values_of(ds, keyword: str):
    """Every value of `keyword` anywhere in ds (top level and inside sequences), as str."""
    found = []

    def visit(d):
        for tag in list(d.keys()):
            try:
                elem = d[tag]
            except Exception:
                continue
            if elem.VR == "SQ":
                for item in elem.value or []:
                    visit(item)
            elif elem.keyword == keyword:
                v = elem.value
                vals = list(v) if isinstance(v, (MultiValue, list, tuple)) else [v]
                for x in vals:
                    if x is None:
                        continue
                    s = x.decode("latin-1") if isinstance(x, bytes) else str(x)
                    s = s.strip(" \0")
                    if s:
                        found.append((s, d))

    visit(ds)
    return found


def qualifies(s: str) -> bool:
    if not any(ch.isalnum() for ch in s):
        return False
    if s.isascii():
        return len(s) >= MIN_LEN
    return len(s) >= MIN_LEN_NON_ASCII


def needles_for(in_ds, out_ds) -> dict[bytes, str]:
    """Byte strings to look for in the output -> a description of where they came from."""
    raw_needles: dict[bytes, str] = {}
    needles: dict[bytes, str] = {}
    # The raw stored bytes of each identifying element (catches a verbatim copy whatever the
    # charset handling). First, while pydicom has not yet decoded (converted) the elements.
    for _path, kw, _tag, raw in walk_raw(in_ds):
        if kw in IDENTIFYING_KEYWORDS and raw:
            b = raw.strip(b" \0")
            if len(b) >= MIN_LEN and qualifies(b.decode("latin-1")):
                raw_needles.setdefault(b, f"{kw} raw bytes {b[:40]!r}")
    out_cs = charsets(out_ds) if out_ds is not None else []
    for kw in IDENTIFYING_KEYWORDS:
        for value, owner in values_of(in_ds, kw):
            candidates = [value]
            if kw in PN_KEYWORDS:
                for group in value.split("="):
                    candidates += [c.strip() for c in group.split("^")]
                    candidates.append(group.strip("^ "))
            for s in candidates:
                if not s or not qualifies(s):
                    continue
                encs = {s.encode("utf-8")}
                for cs in (charsets(owner), charsets(in_ds), out_cs):
                    if not cs:
                        continue
                    try:
                        with warnings.catch_warnings():
                            warnings.simplefilter("ignore")
                            enc = encode_string(s, cs)
                    except Exception:
                        continue
                    # pydicom replaces characters a charset cannot encode with '?'
                    if enc.count(b"?") <= s.count("?"):
                        encs.add(enc)
                for b in encs:
                    needles.setdefault(b, f"{kw}={s!r}")
    return {**raw_needles, **needles}


def pixel_values(ds) -> dict[int, bytes]:
    out = {}
    for t in PIXEL_TAGS:
        if t in ds:
            try:
                el = ds.get_item(t)
                v = el.value
                out[t] = bytes(v) if v is not None else b""
            except Exception as e:  # pragma: no cover
                out[t] = f"<unreadable: {e}>".encode()
    return out


def uid_value(ds, keyword: str) -> str | None:
    try:
        v = ds.get(keyword)
    except Exception:
        return None
    if v is None:
        return None
    s = str(v).strip(" \0")
    return s or None


def meta_uid(ds, keyword: str) -> str | None:
    fm = getattr(ds, "file_meta", None)
    if fm is None:
        return None
    return uid_value(fm, keyword)


# ----------------------------------------------------------------------------------------------


@dataclass
class FileResult:
    rel: str
    checks: dict = field(default_factory=dict)  # name -> "ok" | "n/a" | "FAIL"
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    new_errors: list[str] = field(default_factory=list)
    unverified: bool = False
    leaks: list[dict] = field(default_factory=list)
    uids: dict = field(default_factory=dict)  # keyword -> [in, out]

    def fail(self, check: str, why: str):
        self.checks[check] = "FAIL"
        self.failures.append(f"{check}: {why}")

    def ok(self, check: str):
        self.checks.setdefault(check, "ok")

    def na(self, check: str, why: str | None = None):
        self.checks.setdefault(check, "n/a")
        if why:
            self.notes.append(f"{check}: {why}")

    @property
    def passed(self) -> bool:
        return not self.failures


def check_leaks(res: FileResult, in_ds, out_ds, out_bytes: bytes):
    needles = needles_for(in_ds, out_ds)
    exempt_regions: list[tuple[str, bytes]] = []
    located: list[tuple[str, str, bytes]] = []
    if out_ds is not None:
        for path, kw, tag, raw in walk_raw(out_ds):
            if raw is None:
                continue
            located.append((path, kw, raw))
            if int(tag) in PIXEL_TAGS or kw in LEAK_EXEMPT_KEYWORDS:
                exempt_regions.append((f"{kw or path}", raw))
    for needle, origin in needles.items():
        total = out_bytes.count(needle)
        if total == 0:
            continue
        exempt = sum(raw.count(needle) for _, raw in exempt_regions)
        if total <= exempt:
            where = sorted({name for name, raw in exempt_regions if needle in raw})
            res.notes.append(f"leak: {origin} only inside {', '.join(where)} (not counted)")
            continue
        where = [f"{p} {kw}".strip() for p, kw, raw in located if needle in raw
                 and not (kw in LEAK_EXEMPT_KEYWORDS or p.endswith(("(7FE0,0010)", "(7FE0,0008)", "(7FE0,0009)")))]
        res.leaks.append({"value": origin, "bytes": needle.decode("latin-1"), "count": total - exempt,
                          "where": where or ["not inside any element value pydicom read"]})
    if res.leaks:
        res.fail("leaks", "; ".join(f"{l['value']} in {', '.join(l['where'][:3])}" for l in res.leaks[:4]))
    else:
        res.ok("leaks")


def check_pixels(res: FileResult, in_ds, out_ds):
    pin, pout = pixel_values(in_ds), pixel_values(out_ds)
    if not pin:
        res.na("pixels")
        if pout:
            res.notes.append("pixels: output has pixel data the input has not")
        return
    for t, vin in pin.items():
        name = f"({t >> 16:04X},{t & 0xFFFF:04X})"
        vout = pout.get(t)
        if vout is None:
            res.fail("pixels", f"{name} missing in output")
        elif vout == vin:
            continue
        elif len(vin) % 2 == 1 and vout == vin + b"\0":
            res.notes.append(f"pixels: {name} odd length padded to even with one zero byte")
        else:
            diff = next((i for i, (a, b) in enumerate(zip(vin, vout)) if a != b), min(len(vin), len(vout)))
            res.fail("pixels", f"{name} differs (input {len(vin)} bytes, output {len(vout)} bytes, first difference at {diff})")
    res.ok("pixels")


def check_uids(res: FileResult, in_ds, out_ds, pairs: dict):
    any_uid = False
    for kw in UID_KEYWORDS:
        uin, uout = uid_value(in_ds, kw), uid_value(out_ds, kw)
        res.uids[kw] = [uin, uout]
        if uin is None:
            continue
        any_uid = True
        if uout is None:
            res.fail("uids", f"{kw} missing in output")
            continue
        if uin.startswith(WELL_KNOWN_UID_ROOT) and uout == uin:
            res.notes.append(f"uids: {kw} {uin} is a well-known DICOM UID, kept")
            pairs.setdefault(uin, {}).setdefault(uout, []).append(f"{res.rel}:{kw}")
            continue
        if uout == uin:
            res.fail("uids", f"{kw} unchanged ({uin})")
        if not uout.startswith(UID_PREFIX):
            res.fail("uids", f"{kw} {uout!r} does not start with {UID_PREFIX}")
        elif not re.fullmatch(r"2\.25\.(0|[1-9][0-9]*)", uout) or len(uout) > 64:
            res.fail("uids", f"{kw} {uout!r} is not a valid 2.25 UID")
        pairs.setdefault(uin, {}).setdefault(uout, []).append(f"{res.rel}:{kw}")
    sop_out = uid_value(out_ds, "SOPInstanceUID")
    ms_out = meta_uid(out_ds, "MediaStorageSOPInstanceUID")
    res.uids["MediaStorageSOPInstanceUID"] = [meta_uid(in_ds, "MediaStorageSOPInstanceUID"), ms_out]
    if sop_out is not None:
        if ms_out != sop_out:
            res.fail("uids", f"file meta MediaStorageSOPInstanceUID {ms_out!r} != SOPInstanceUID {sop_out!r}")
    if uid_value(in_ds, "SOPClassUID") is not None:
        any_uid = True
        pir = uid_value(out_ds, "PatientIdentityRemoved")
        if pir != "YES":
            res.fail("uids", f"PatientIdentityRemoved is {pir!r}, not 'YES'")
    if any_uid:
        res.ok("uids")
    else:
        res.na("uids", "no SOP Class/Instance, Study or Series UID in the input")


def check_mapping(results: dict[str, FileResult], pairs: dict) -> list[str]:
    """The input UID -> output UID relation must be a function, and injective."""
    problems = []
    for uin, outs in pairs.items():
        if len(outs) > 1:
            where = sorted({w.rsplit(":", 1)[0] for ws in outs.values() for w in ws})
            problems.append(f"input UID {uin} maps to {len(outs)} different output UIDs")
            for rel in where:
                results[rel].fail("uids", f"input UID {uin} maps to {len(outs)} different output UIDs across files")
    rev: dict[str, set] = {}
    for uin, outs in pairs.items():
        for uout in outs:
            rev.setdefault(uout, set()).add(uin)
    for uout, ins in rev.items():
        if len(ins) > 1:
            problems.append(f"output UID {uout} comes from {len(ins)} different input UIDs")
            for uin in ins:
                for ws in pairs[uin].values():
                    for w in ws:
                        results[w.rsplit(":", 1)[0]].fail("uids", f"output UID {uout} comes from {len(ins)} input UIDs")
    return problems


def read_uids(path: Path) -> dict | None:
    try:
        ds = pydicom.dcmread(str(path), force=True, stop_before_pixels=True)
    except Exception:
        return None
    return {kw: uid_value(ds, kw) for kw in UID_KEYWORDS}


# ----------------------------------------------------------------------------------------------


@dataclass
class DeidRun:
    exit: int
    seconds: float
    # input path relative to the corpus -> its output (the --report's mapping)
    outputs: dict
    # the DICOMDIRs written ({output, replaces, files, patients, left_out})
    dicomdirs: list


def run_deid(cli: str, out: Path, key: Path, corpus: Path, log_prefix: Path) -> DeidRun:
    if out.exists():
        shutil.rmtree(out)
    report = log_prefix.with_suffix(".report.json")
    t0 = time.monotonic()
    p = run([cli, "deid", "--out", str(out), "--key", str(key), "--report", str(report), str(corpus)],
            timeout=DEID_TIMEOUT)
    dt = time.monotonic() - t0
    log_prefix.with_suffix(".stdout").write_bytes(p.stdout)
    log_prefix.with_suffix(".stderr").write_bytes(p.stderr)
    doc = json.loads(report.read_text()) if report.is_file() else {"files": [], "dicomdirs": []}
    outputs = {Path(f["path"]).resolve().relative_to(corpus).as_posix(): Path(f["output"]).resolve()
               for f in doc["files"] if f.get("output")}
    return DeidRun(p.returncode, dt, outputs, doc.get("dicomdirs", []))


def check_dicomdir(path: Path) -> list[str]:
    """A DICOMDIR written by deid, read by others' tools: pydicom's FileSet loads it and every
    instance it references (with the SOP Instance UID its record names), dcdirdmp follows its
    offsets without a complaint, and dciodvfy finds no error."""
    problems = []
    try:
        from pydicom.fileset import FileSet
        fs = FileSet(str(path))
        for instance in fs:
            ds = instance.load()
            if ds.SOPInstanceUID != instance.ReferencedSOPInstanceUIDInFile:
                problems.append(f"pydicom: {instance.path} is not the instance its record names")
    except Exception as e:
        problems.append(f"pydicom FileSet: {e}")
    p = run(["dcdirdmp", str(path)])
    said = (p.stdout + p.stderr).decode("latin-1")
    complaints = [l for l in said.splitlines() if re.search(r"error|invalid|warning", l, re.I)]
    if p.returncode != 0 or complaints:
        problems.append(f"dcdirdmp (exit {p.returncode}): {complaints[:3]}")
    errors = [e for e in dciodvfy(path).errors]
    if errors:
        problems.append(f"dciodvfy: {errors[:3]}")
    return problems


def make_key(cli: str, path: Path) -> None:
    if path.exists():
        path.unlink()
    p = run([cli, "key", "--out", str(path)])
    if p.returncode != 0 or not path.is_file():
        raise SystemExit(
            f"check_corpus: `{cli} key --out {path}` failed (exit {p.returncode}): "
            f"{first_line(p.stderr) or first_line(p.stdout)}"
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cli", required=True, help="path of the dicom-leakcheck binary")
    ap.add_argument("--corpus", required=True, type=Path)
    ap.add_argument("--work", required=True, type=Path)
    ap.add_argument("--skip-rerun", action="store_true", help="skip the same-key/new-key reruns")
    ap.add_argument("--verbose", "-v", action="store_true", help="print notes of passing files too")
    args = ap.parse_args()
    warnings.simplefilter("ignore")  # pydicom warns about every oddity of the corpus
    logging.getLogger("pydicom").setLevel(logging.CRITICAL)

    cli = str(Path(args.cli).resolve()) if os.sep in args.cli else args.cli
    corpus: Path = args.corpus.resolve()
    work: Path = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    for tool in ("dcmdump", "dciodvfy"):
        if shutil.which(tool) is None:
            raise SystemExit(f"check_corpus: {tool} not on PATH (scripts/setup.sh installs it)")
    if not corpus.is_dir():
        raise SystemExit(f"check_corpus: corpus dir {corpus} does not exist")

    # ---- test set
    files = corpus_files(corpus)
    if not files:
        raise SystemExit(f"check_corpus: no files under {corpus}")
    test_set, skipped = [], []
    for f in files:
        ok, why = dcmdump_ok(f)
        (test_set.append(f) if ok else skipped.append((f, why)))
    print(f"corpus {corpus}: {len(files)} files, {len(test_set)} in the test set (dcmdump reads them), "
          f"{len(skipped)} skipped")

    # ---- de-identify once
    key_a = work / "key-a"
    make_key(cli, key_a)
    out_dir = work / "out"
    first = run_deid(cli, out_dir, key_a, corpus, work / "deid")
    rc, deid_seconds = first.exit, first.seconds
    print(f"deid: exit status {rc} in {deid_seconds:.2f} s ({len(files)} files; logs in {work}/deid.stderr)")
    global_failures = []
    if rc not in (0, 1):
        global_failures.append(f"deid exited with status {rc} (expected 0, or 1 when some inputs failed)")

    for f, why in skipped:
        rel = f.relative_to(corpus).as_posix()
        written = rel in first.outputs
        print(f"  skipped {rel}: {why}{' (the CLI wrote an output for it)' if written else ''}")

    # ---- per file
    results: dict[str, FileResult] = {}
    pairs: dict = {}
    for f in test_set:
        rel = f.relative_to(corpus).as_posix()
        res = FileResult(rel)
        results[rel] = res
        out = first.outputs.get(rel)
        if out is None or not out.is_file():
            res.fail("read", "no output file")
            continue
        ok, why = dcmdump_ok(out)
        if not ok:
            res.fail("read", why)
            continue
        res.ok("read")

        vin, vout = dciodvfy(f), dciodvfy(out)
        res.new_errors = new_errors(vin, vout)
        if input_unreadable_by_dciodvfy(vin):
            # dciodvfy stopped reading the input early (it cannot read Deflated data, or the
            # input's tags are out of order): there is no baseline to compare against.
            res.ok("dciodvfy")
            res.notes.append("dciodvfy: cannot read the input fully, no baseline: " + vin.errors[0])
            res.unverified = True
            res.new_errors = []
        elif res.new_errors:
            res.fail("dciodvfy", f"{len(res.new_errors)} new error(s): {res.new_errors[0]}")
        else:
            res.ok("dciodvfy")
        if vin.iod != vout.iod:
            res.notes.append(f"dciodvfy: IOD {vin.iod or '?'} -> {vout.iod or '?'}")

        try:
            in_ds = read_ds(f)
        except Exception as e:
            for c in ("leaks", "pixels", "uids"):
                res.na(c, f"pydicom cannot read the input: {e}")
            continue
        out_bytes = out.read_bytes()
        try:
            out_ds = read_ds(out)
        except Exception as e:
            res.fail("pixels", f"pydicom cannot read the output: {e}")
            res.fail("uids", "pydicom cannot read the output")
            check_leaks(res, in_ds, None, out_bytes)
            continue
        try:
            check_leaks(res, in_ds, out_ds, out_bytes)
        except Exception as e:
            res.fail("leaks", f"checker error: {e!r}")
        try:
            check_pixels(res, in_ds, out_ds)
        except Exception as e:
            res.fail("pixels", f"checker error: {e!r}")
        try:
            check_uids(res, in_ds, out_ds, pairs)
        except Exception as e:
            res.fail("uids", f"checker error: {e!r}")

    mapping_problems = check_mapping(results, pairs)

    # ---- the DICOMDIRs written anew over the de-identified files
    for written in first.dicomdirs:
        problems = check_dicomdir(Path(written["output"]))
        print(f"dicomdir {written['output']}: {written['files']} files, {written['patients']} patients, "
              f"{len(written['left_out'])} not indexed; {'ok' if not problems else 'FAIL'}")
        global_failures.extend(f"DICOMDIR {written['output']}: {p}" for p in problems)
    if not first.dicomdirs:
        global_failures.append("no DICOMDIR was written, though the corpus has DICOMDIRs")

    # ---- reruns: same key -> same UIDs; new key -> different UIDs
    rerun = {}
    if not args.skip_rerun:
        same = run_deid(cli, work / "out-samekey", key_a, corpus, work / "deid-samekey")
        rc_same, t_same = same.exit, same.seconds
        key_b = work / "key-b"
        make_key(cli, key_b)
        if key_b.read_bytes() == key_a.read_bytes():
            global_failures.append("`key --out` wrote the same key twice")
        other = run_deid(cli, work / "out-otherkey", key_b, corpus, work / "deid-otherkey")
        rc_other, t_other = other.exit, other.seconds
        rerun = {"same_key": {"exit": rc_same, "seconds": round(t_same, 3)},
                 "other_key": {"exit": rc_other, "seconds": round(t_other, 3)}}
        identical_bytes = 0
        for rel, res in results.items():
            base = first.outputs.get(rel)
            if base is None or not base.is_file() or res.checks.get("read") != "ok":
                continue
            same_path, other_path = same.outputs.get(rel), other.outputs.get(rel)
            if same_path is None or same_path.relative_to(work / "out-samekey") != base.relative_to(out_dir):
                res.fail("rerun", "the same key put the output at another path")
            u1 = read_uids(base)
            u_same = read_uids(same_path) if same_path else None
            u_other = read_uids(other_path) if other_path else None
            if u1 is None:
                continue
            if u_same is None:
                res.fail("rerun", "no readable output in the same-key rerun")
            elif u_same != u1:
                d = [k for k in UID_KEYWORDS if u_same[k] != u1[k]]
                res.fail("rerun", f"same key gave different {', '.join(d)}")
            else:
                if same_path.read_bytes() == base.read_bytes():
                    identical_bytes += 1
            if u_other is None:
                res.fail("rerun", "no readable output in the new-key rerun")
            else:
                d = [k for k in UID_KEYWORDS if u1[k] is not None and u_other[k] == u1[k]
                     and not u1[k].startswith(WELL_KNOWN_UID_ROOT)]
                if d:
                    res.fail("rerun", f"a new key gave the same {', '.join(d)}")
            res.ok("rerun")
        rerun["same_key"]["byte_identical_outputs"] = identical_bytes
        print(f"rerun: same key exit {rc_same} ({t_same:.2f} s), {identical_bytes} outputs byte-identical; "
              f"new key exit {rc_other} ({t_other:.2f} s)")

    # ---- table
    cols = ("read", "dciodvfy", "leaks", "pixels", "uids", "rerun")
    width = max([len(r) for r in results] + [4])
    print()
    print(f"{'file':<{width}}  " + "  ".join(f"{c:<8}" for c in cols) + "  result")
    print("-" * (width + 2 + 10 * len(cols) + 6))
    for rel, res in results.items():
        cells = "  ".join(f"{res.checks.get(c, '-'):<8}" for c in cols)
        print(f"{rel:<{width}}  {cells}  {'PASS' if res.passed else 'FAIL'}")
        lines = res.failures + (res.notes if args.verbose else [])
        for why in lines:
            print(f"{'':<{width}}    {why}")
        for e in res.new_errors[1:6]:
            print(f"{'':<{width}}      new: {e}")
    for p in mapping_problems[:20]:
        print(f"uid mapping: {p}")
    if len(mapping_problems) > 20:
        print(f"uid mapping: ... and {len(mapping_problems) - 20} more (summary.json)")
    for g in global_failures:
        print(f"FAILED: {g}")

    passed = sum(1 for r in results.values() if r.passed)
    failed = len(results) - passed + len(global_failures)

    summary = {
        "cli": cli,
        "corpus": str(corpus),
        "files_in_corpus": len(files),
        "files_processed": len(test_set),
        "skipped": [{"path": f.relative_to(corpus).as_posix(), "reason": why} for f, why in skipped],
        "deid": {"exit": rc, "seconds": round(deid_seconds, 3)},
        "total_deid_seconds": round(deid_seconds + sum(v["seconds"] for v in rerun.values()), 3),
        "rerun": rerun,
        "passed": passed,
        "failed": failed,
        "global_failures": global_failures,
        "uid_mapping_problems": mapping_problems,
        "new_dciodvfy_errors": {r.rel: r.new_errors for r in results.values() if r.new_errors},
        "new_dciodvfy_error_count": sum(len(r.new_errors) for r in results.values()),
        "dciodvfy_no_baseline": sorted(r.rel for r in results.values() if r.unverified),
        "leaked_values": {r.rel: r.leaks for r in results.values() if r.leaks},
        "leaked_value_count": sum(len(r.leaks) for r in results.values()),
        "files": [
            {"path": r.rel, "passed": r.passed, "checks": r.checks, "failures": r.failures,
             "notes": r.notes, "uids": r.uids}
            for r in results.values()
        ],
    }
    (work / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    print(f"summary: {work / 'summary.json'}  (deid {deid_seconds:.2f} s, "
          f"{summary['new_dciodvfy_error_count']} new dciodvfy errors, "
          f"{summary['leaked_value_count']} leaked values)")
    print(f"corpus: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
