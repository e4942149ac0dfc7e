#!/usr/bin/env python3
"""Runs the dicom-leakcheck CLI on every held-out identity case and checks the result
independently (pydicom, dciodvfy, dcdirdmp). See README.md.

    check_cases.py --bin PATH/TO/dicom-leakcheck [--cases DIR] [--work DIR] [--only ID...]

For each case: `inspect --json` (is every planted value reported?), `deid --out` with the
case's options, then a search of the OUTPUT for every planted value in every encoding
(per-element text decoded by pydicom with the item's own character set; the raw bytes as
Latin-1, UTF-8, UTF-16LE/BE at both alignments and the case's legacy charsets; NFC and NFD;
case-insensitive), the controls that must survive, new dciodvfy errors against the input's,
and the class-specific checks (date shifts, UID consistency, DICOMDIR, paths, batches, damaged
files). Prints a table per class and one line per failing case; writes results.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import warnings
from pathlib import Path

import pydicom
from pydicom.dataset import Dataset
from pydicom.fileset import FileSet

pydicom.config.replace_un_with_known_vr = False
pydicom.config.settings.reading_validation_mode = pydicom.config.IGNORE
pydicom.config.convert_wrong_length_to_UN = True

TEXT_VRS = {"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC",
            "UI", "UR", "UT"}
FIXED_KEY = "dicom-leakcheck-key-v1:" + hashlib.sha256(b"identity-heldout fixed key").hexdigest()
CLASS_NAMES = {
    1: "names glued to letters/digits", 2: "short and CJK name parts", 3: "IDs in other spellings",
    4: "dates in other spellings", 5: "birth date outside E.1-1", 6: "character sets",
    7: "retired elements as UN", 8: "UTF-16 in safe private OB", 9: "date shift key",
    10: "UIDs", 11: "DICOMDIR", 12: "paths", 13: "batches", 14: "damaged files",
}


# =============================================================================================
# text search
# =============================================================================================
def forms(s: str) -> set[str]:
    return {unicodedata.normalize("NFC", s).casefold(), unicodedata.normalize("NFD", s).casefold()}


def _pattern(value: str, word: bool) -> re.Pattern:
    esc = re.escape(value)
    if word:
        esc = r"(?<![^\W_])" + esc + r"(?![^\W_])"
    return re.compile(esc)


class Needle:
    def __init__(self, value: str, word: bool):
        self.value = value
        self.pats = [_pattern(f, word) for f in forms(value)]

    def find(self, text_forms) -> bool:
        return any(p.search(t) for t in text_forms for p in self.pats)


def text_forms(s: str) -> list[str]:
    return list(forms(s))


def decode_all(data: bytes, codecs: list[str]) -> list[str]:
    """The raw bytes decoded every way a value could have been written."""
    outs = [data.decode("latin-1"), data.decode("utf-8", "replace")]
    for enc in ("utf-16-le", "utf-16-be"):
        for start in (0, 1):
            chunk = data[start:]
            chunk = chunk[: len(chunk) // 2 * 2]
            outs.append(chunk.decode(enc, "replace"))
    for enc in codecs:
        try:
            outs.append(data.decode(enc, "replace"))
        except Exception:  # noqa: BLE001 (a codec that cannot even start is skipped)
            pass
    res = []
    for o in outs:
        res.extend(text_forms(o))
    return res


# =============================================================================================
# reading outputs
# =============================================================================================
def read_ds(path: Path) -> Dataset | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ds = pydicom.dcmread(path, force=True)
            ds.decode()
            if len(ds) == 0 and not getattr(ds, "file_meta", None):
                return None
            return ds
    except Exception:  # noqa: BLE001
        return None


def elem_text(elem) -> list[str]:
    """Every text form of one element's value."""
    v = elem.value
    if v is None:
        return []
    if elem.VR in TEXT_VRS:
        if isinstance(v, (list, pydicom.multival.MultiValue)):
            s = "\\".join(str(x) for x in v)
        elif isinstance(v, bytes):
            return decode_all(v, [])
        else:
            s = str(v)
        return text_forms(s)
    if isinstance(v, (bytes, bytearray)):
        return decode_all(bytes(v), [])
    return []


def walk(ds: Dataset, prefix: str = ""):
    """(path, element) for every element at any depth, paths as the product writes them."""
    for elem in ds:
        path = prefix + f"({elem.tag.group:04X},{elem.tag.element:04X})"
        if elem.VR == "SQ":
            yield path, elem
            for i, item in enumerate(elem.value or []):
                yield from walk(item, f"{path}[{i}].")
        else:
            yield path, elem


PATH_RE = re.compile(r"\(([0-9A-Fa-f]{4}),([0-9A-Fa-f]{4})\)(?:\[(\d+)\])?")


def find_elem(ds: Dataset, where: str, creator: str | None = None):
    """The element at a product-style tag path; a private element is found through its
    creator (its block may move). None when absent."""
    cur = ds
    parts = where.split(".(")
    parts = [parts[0]] + ["(" + p for p in parts[1:]]
    for n, part in enumerate(parts):
        m = PATH_RE.fullmatch(part)
        if not m:
            return None
        group, elem_no, idx = int(m.group(1), 16), int(m.group(2), 16), m.group(3)
        tag = (group << 16) | elem_no
        last = n == len(parts) - 1
        if group % 2 == 1 and elem_no >= 0x1000 and creator and last:
            try:
                block = cur.private_block(group, creator)
                tag = block.get_tag(elem_no & 0xFF)
            except (KeyError, ValueError):
                return None
        if tag not in cur:
            return None
        el = cur[tag]
        if last and idx is None:
            return el
        if el.VR != "SQ" or idx is None:
            return None
        items = el.value or []
        if int(idx) >= len(items):
            return None
        cur = items[int(idx)]
    return None


def value_str(elem) -> str:
    if elem is None or elem.value is None:
        return ""
    v = elem.value
    if isinstance(v, (list, pydicom.multival.MultiValue)):
        return "\\".join(str(x) for x in v)
    if isinstance(v, bytes):
        return v.decode("latin-1")
    return str(v)


# =============================================================================================
# external validators
# =============================================================================================
_DCIODVFY_CACHE: dict[str, list[str]] = {}


def dciodvfy_errors(path: Path) -> list[str]:
    key = hashlib.sha256(path.read_bytes()).hexdigest()
    if key in _DCIODVFY_CACHE:
        return _DCIODVFY_CACHE[key]
    try:
        p = subprocess.run(["dciodvfy", "-new", str(path)], capture_output=True, timeout=60)
        out = (p.stdout + p.stderr).decode("latin-1")
    except subprocess.TimeoutExpired:
        out = "Error - dciodvfy timed out"
    errs = sorted({re.sub(r"= <[^>]*>", "= <>", ln.strip()) for ln in out.splitlines()
                   if ln.startswith("Error")})
    _DCIODVFY_CACHE[key] = errs
    return errs


def dcdirdmp_errors(path: Path) -> list[str]:
    p = subprocess.run(["dcdirdmp", str(path)], capture_output=True, timeout=60)
    out = (p.stdout + p.stderr).decode("latin-1")
    return [ln.strip() for ln in out.splitlines()
            if re.search(r"\berror\b|invalid|not found|cannot|failed", ln, re.I)]


# =============================================================================================
# one case
# =============================================================================================
class Result:
    def __init__(self, case: dict):
        self.case = case
        self.leaks: list[str] = []
        self.false_masks: list[str] = []
        self.validity: list[str] = []
        self.unreported: list[str] = []
        self.other: list[str] = []
        self.notes: list[str] = []

    @property
    def failed(self) -> bool:
        return bool(self.leaks or self.false_masks or self.validity or self.unreported
                    or self.other)

    def line(self) -> str:
        bits = []
        if self.leaks:
            bits.append("LEAK " + "; ".join(self.leaks))
        if self.false_masks:
            bits.append("FALSE MASK " + "; ".join(self.false_masks))
        if self.validity:
            shown = self.validity[:3] + ([f"... {len(self.validity) - 3} more"]
                                         if len(self.validity) > 3 else [])
            bits.append("INVALID " + "; ".join(shown))
        if self.unreported:
            bits.append("NOT REPORTED " + "; ".join(self.unreported))
        if self.other:
            bits.append("FAILED " + "; ".join(self.other))
        return f"{self.case['id']} ({self.case['title']}): " + " | ".join(bits)

    def to_json(self) -> dict:
        return {"id": self.case["id"], "class": self.case["class"], "title": self.case["title"],
                "failed": self.failed, "leaks": self.leaks, "false_masks": self.false_masks,
                "validity": self.validity, "unreported": self.unreported, "other": self.other,
                "notes": self.notes, "controls": len(self.case["controls"])}


def run(cmd, cwd, timeout=300):
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8",
                                                                                    "replace")
    except subprocess.TimeoutExpired:
        return -999, "", "timed out"


def norm_rel(p: str, cdir: Path) -> str:
    q = Path(p)
    if not q.is_absolute():
        q = cdir / q
    try:
        return os.path.relpath(os.path.normpath(q), cdir)
    except ValueError:
        return str(q)


def check_case(case: dict, cdir: Path, work: Path, binary: str, key: Path,
               use_dciodvfy: bool) -> Result:
    r = Result(case)
    wdir = work / case["id"]
    if wdir.exists():
        shutil.rmtree(wdir)
    wdir.mkdir(parents=True)
    out = wdir / "out"
    report = wdir / "report.json"
    opts = [a for o in case["options"] for a in ("--option", o)]
    inputs = case["inputs"]
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest()
              for p in (cdir / "input").rglob("*") if p.is_file()}

    # ---- inspect -------------------------------------------------------------------------
    rc_i, so_i, se_i = run([binary, "inspect", "--json", *opts, *inputs], cdir)
    (wdir / "inspect.json").write_text(so_i)
    (wdir / "inspect.stderr").write_text(se_i)
    try:
        ins = json.loads(so_i)
    except json.JSONDecodeError:
        ins = {"files": []}
        if case["kind"] not in ("batch",):
            r.other.append(f"inspect --json printed no JSON (exit {rc_i})")
    ins_files: dict[str, dict] = {}
    for f in ins.get("files", []):
        ins_files[norm_rel(f.get("path", ""), cdir)] = f

    # ---- deid ----------------------------------------------------------------------------
    cmd = [binary, "deid", "--out", str(out), "--key", str(key), "--report", str(report), *opts,
           *case["extra_args"], *inputs]
    rc_d, so_d, se_d = run(cmd, cdir)
    (wdir / "deid.stdout").write_text(so_d)
    (wdir / "deid.stderr").write_text(se_d)
    cli_text = so_d + "\n" + se_d
    if rc_d not in (0, 1):
        if rc_d == 2 and case["extra_args"]:
            first = next((ln for ln in se_d.splitlines() if ln.strip()), "")
            r.other.append(f"deid refused {' '.join(case['extra_args'])} (exit 2: "
                           f"{first.strip()[:100]})")
        else:
            r.other.append(f"deid exit {rc_d}: {(se_d.strip().splitlines() or [''])[-1][:120]}")
    try:
        rep = json.loads(report.read_text())
    except (OSError, json.JSONDecodeError):
        rep = {"files": []}
    mapping: dict[str, Path] = {}
    rep_by_in: dict[str, dict] = {}
    for f in rep.get("files", []):
        src = norm_rel(f.get("path") or "", cdir)
        rep_by_in.setdefault(src, f)
        if f.get("output"):
            o = Path(f["output"])
            mapping[src] = o if o.is_absolute() else (cdir / o)
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest()
             for p in (cdir / "input").rglob("*") if p.is_file()}
    if before != after:
        r.other.append("an input file was changed")

    out_files = sorted(p for p in out.rglob("*") if p.is_file()) if out.exists() else []
    out_ds: dict[Path, Dataset | None] = {p: read_ds(p) for p in out_files}
    dicom_out = [p for p, d in out_ds.items() if d is not None]

    def output_of(rel: str) -> Path | None:
        if rel in mapping and mapping[rel].exists():
            return mapping[rel]
        # fall back to the same relative path under out (a folder argument)
        for arg in inputs:
            base = Path(arg)
            if (cdir / base).is_dir():
                try:
                    cand = out / Path(rel).relative_to(base)
                except ValueError:
                    continue
                if cand.exists():
                    return cand
            elif Path(rel) == base:
                cand = out / base.name
                if cand.exists():
                    return cand
        n_in = len([f for f in case["files"] if not f.endswith(".txt")])
        if n_in == 1 and len(dicom_out) == 1:
            return dicom_out[0]
        return None

    # ---- search index over every output file ---------------------------------------------
    codecs = case.get("codecs", [])
    raw_forms = {p: decode_all(p.read_bytes(), codecs) for p in out_files}
    elem_forms: dict[Path, list[tuple[str, list[str]]]] = {}
    for p, d in out_ds.items():
        if d is None:
            continue
        lst = []
        try:
            for path, el in walk(d):
                if el.VR != "SQ":
                    lst.append((path, elem_text(el)))
        except Exception as exc:  # noqa: BLE001
            r.notes.append(f"walk failed on {p.name}: {exc}")
        elem_forms[p] = lst
    rel_paths = [os.path.relpath(p, out) for p in out_files]

    # ---- planted values -----------------------------------------------------------------
    reported_seen: set[tuple] = set()
    for pl in case["planted"]:
        needle = Needle(pl["value"], pl["word"])
        label = f"'{pl['value']}'"
        hit = None
        if pl["scope"] == "path":
            for rp in rel_paths:
                if needle.find(text_forms(rp)):
                    hit = f"in output path {rp}"
                    break
            for p in out_files if not hit else []:
                # a path in a file's content (e.g. an old-to-new path map left in the output)
                if needle.find(raw_forms[p]):
                    hit = f"inside output file {os.path.relpath(p, out)}"
                    break
        elif pl["scope"] == "element":
            op = output_of(pl["file"]) if pl["file"] else None
            d = out_ds.get(op) if op else None
            if d is not None and pl["where"]:
                el = find_elem(d, pl["where"], pl.get("creator"))
                if el is not None and needle.find(elem_text(el)):
                    hit = f"in {pl['where']}"
        else:
            for p in out_files:
                for path, tf in elem_forms.get(p, []):
                    if needle.find(tf):
                        hit = f"in {path}" + (f" of {p.name}" if len(out_files) > 1 else "")
                        break
                if hit:
                    break
                if pl["raw"] and needle.find(raw_forms[p]):
                    hit = "in the raw bytes" + (f" of {p.name}" if len(out_files) > 1 else "")
                    break
        if hit:
            residual = any((rep_by_in.get(k) or {}).get("residual") for k in rep_by_in)
            r.leaks.append(f"{label} ({pl['form']}) {hit}"
                           + ("" if residual else " [deid called it clean]"))
        # inspect must report the planted element
        if pl.get("report") and pl["file"]:
            key_ = (pl["file"], pl["where"])
            if key_ in reported_seen:
                continue
            reported_seen.add(key_)
            entry = ins_files.get(norm_rel(pl["file"], cdir))
            ok = False
            if entry:
                for fnd in entry.get("findings", []):
                    if not fnd.get("flagged", True):
                        continue
                    if pl["where"] and fnd.get("path") == pl["where"]:
                        ok = True
                        break
                    if not pl["where"] and needle.find(text_forms(str(fnd.get("value", "")))):
                        ok = True
                        break
            if not ok:
                r.unreported.append(f"{label} at {pl['where'] or pl['file']}")

    # ---- controls -----------------------------------------------------------------------
    for ct in case["controls"]:
        op = output_of(ct["file"])
        d = out_ds.get(op) if op else None
        el = find_elem(d, ct["where"], ct.get("creator")) if d is not None else None
        want = unicodedata.normalize("NFC", ct["value"])
        if el is None:
            r.false_masks.append(f"'{ct['value']}' at {ct['where']}: element gone")
            continue
        got = [unicodedata.normalize("NFC", t) for t in
               ([value_str(el)] if el.VR in TEXT_VRS else [])]
        if el.VR not in TEXT_VRS and isinstance(el.value, bytes):
            b = el.value
            got = [b.decode("latin-1"), b.decode("utf-8", "replace"),
                   b[: len(b) // 2 * 2].decode("utf-16-le", "replace"),
                   b[1:][: (len(b) - 1) // 2 * 2].decode("utf-16-le", "replace")]
        if not any(want in g for g in got):
            shown = value_str(el)[:60] if el.VR in TEXT_VRS else "(binary changed)"
            r.false_masks.append(f"'{ct['value']}' at {ct['where']} became '{shown}'")

    # ---- validity: dciodvfy, new errors only -------------------------------------------
    if use_dciodvfy:
        for rel in case["files"]:
            if rel.endswith(".txt"):
                continue
            op = output_of(rel)
            if not op or out_ds.get(op) is None:
                continue
            src = cdir / rel
            ein, eout = set(dciodvfy_errors(src)), dciodvfy_errors(op)
            for e in eout:
                if e not in ein:
                    r.validity.append(f"{Path(rel).name}: {e}")

    # ---- class-specific checks ----------------------------------------------------------
    for chk in case["checks"]:
        fn = CHECKS[chk["type"]]
        fn(chk, r, ctx={"case": case, "cdir": cdir, "out": out, "out_ds": out_ds,
                        "output_of": output_of, "ins": ins_files, "cli": cli_text,
                        "rep": rep_by_in, "rc_deid": rc_d, "dicom_out": dicom_out,
                        "binary": binary, "opts": opts, "inputs": inputs, "mapping": mapping,
                        "rel_paths": rel_paths, "ins_raw": ins})
    return r


# =============================================================================================
# class-specific checks
# =============================================================================================
def _da(s: str) -> dt.date | None:
    s = (s or "").strip()[:8]
    try:
        return dt.datetime.strptime(s, "%Y%m%d").date()
    except ValueError:
        return None


def chk_dateshift(chk, r: Result, ctx):
    shifts = []
    for rel in chk["files"]:
        src = pydicom.dcmread(ctx["cdir"] / rel)
        op = ctx["output_of"](rel)
        d = ctx["out_ds"].get(op) if op else None
        if d is None:
            r.other.append(f"{Path(rel).name}: no output")
            return
        a, b = _da(src.StudyDate), _da(getattr(d, "StudyDate", ""))
        if b is None or b.year == 1900:
            r.other.append(f"{Path(rel).name}: Study Date not shifted "
                           f"(output '{getattr(d, 'StudyDate', '')}')")
            return
        s = (b - a).days
        for kw in ("SeriesDate", "ContentDate"):
            a2, b2 = _da(getattr(src, kw, "")), _da(getattr(d, kw, ""))
            if a2 and b2 and (b2 - a2).days != s:
                r.other.append(f"{Path(rel).name}: {kw} shifted by {(b2 - a2).days} days, "
                               f"Study Date by {s}")
        shifts.append(s)
    r.notes.append(f"shifts {shifts}")
    if chk["expect"] == "same" and len(set(shifts)) != 1:
        r.other.append(f"one patient got different date shifts {shifts}")
    if chk["expect"] == "different" and len(set(shifts)) != len(shifts):
        r.other.append(f"two different patients got the same date shift {shifts}")


def _out_elem(ctx, rel, where):
    op = ctx["output_of"](rel)
    d = ctx["out_ds"].get(op) if op else None
    return find_elem(d, where) if d is not None else None


def chk_uid_same(chk, r: Result, ctx):
    src = pydicom.dcmread(ctx["cdir"] / chk["file"])
    a_in = value_str(find_elem(src, chk["a"]))
    a = _out_elem(ctx, chk["file"], chk["a"])
    if a is None:
        r.other.append(f"{chk['a']} missing in the output")
        return
    a_out = value_str(a)
    for w in chk["b"]:
        b = _out_elem(ctx, chk["file"], w)
        if b is None:
            r.other.append(f"{w} removed instead of replaced like {chk['a']}")
            continue
        if value_str(b) != a_out:
            r.other.append(f"{w} = {value_str(b)[:40]} but {chk['a']} = {a_out[:40]} "
                           f"(same input UID {a_in[:40]})")


def chk_uid_in_text(chk, r: Result, ctx):
    src = pydicom.dcmread(ctx["cdir"] / chk["file"])
    t = _out_elem(ctx, chk["file"], chk["text"])
    if t is None or not value_str(t).strip():
        r.notes.append(f"{chk['text']} removed or empty")
        return
    text = value_str(t)
    for w in chk["uids"]:
        orig = value_str(find_elem(src, w))
        new = _out_elem(ctx, chk["file"], w)
        if new is None:
            continue
        if orig in value_str(find_elem(src, chk["text"])) and value_str(new) not in text:
            r.other.append(f"the UID of {w} in {chk['text']} was not replaced by its new "
                           f"value {value_str(new)[:30]}...")


def chk_uid_agree(chk, r: Result, ctx):
    src = pydicom.dcmread(ctx["cdir"] / chk["file"])
    entry = ctx["ins"].get(chk["file"], {})
    for w in chk["where"]:
        orig = value_str(find_elem(src, w))
        outel = _out_elem(ctx, chk["file"], w)
        changed = outel is None or value_str(outel) != orig
        fnd = next((f for f in entry.get("findings", []) if f.get("path") == w), None)
        said = None
        if fnd is not None:
            said = fnd.get("action") == "U" or "replace" in str(fnd.get("effect", ""))
        else:
            said = False
        if said != changed:
            r.other.append(f"{w}: inspect says {'replaced' if said else 'kept'}, deid "
                           f"{'replaced' if changed else 'kept'} it")


def chk_uid_cross(chk, r: Result, ctx):
    a = _out_elem(ctx, chk["src"]["file"], chk["src"]["where"])
    b = _out_elem(ctx, chk["dst"]["file"], chk["dst"]["where"])
    if a is None:
        r.other.append(f"{chk['src']['where']} missing in {chk['src']['file']}")
        return
    if b is None:
        r.other.append(f"{chk['dst']['where']} removed from {Path(chk['dst']['file']).name} "
                       "instead of replaced")
        return
    if value_str(a) not in value_str(b).split("\\"):
        r.other.append(f"{Path(chk['dst']['file']).name} {chk['dst']['where']} "
                       f"({value_str(b)[:30]}...) does not follow "
                       f"{Path(chk['src']['file']).name}'s new SOP Instance UID")


def chk_dicomdir(chk, r: Result, ctx):
    out: Path = ctx["out"]
    op = ctx["output_of"](chk["dicomdir"])
    if op is None or op.name.upper() != "DICOMDIR":
        cands = [p for p in out.rglob("*") if p.is_file() and p.name.upper() == "DICOMDIR"]
        op = cands[0] if cands else None
    if op is None:
        r.validity.append("no DICOMDIR in the output")
        return
    root = op.parent
    # pydicom FileSet
    try:
        with warnings.catch_warnings(record=True) as wl:
            warnings.simplefilter("always")
            FileSet(pydicom.dcmread(op))
        for w in wl:
            r.validity.append(f"FileSet warning: {str(w.message)[:120]}")
    except Exception as exc:  # noqa: BLE001
        r.validity.append(f"pydicom FileSet fails: {type(exc).__name__} {str(exc)[:140]}")
    for e in dcdirdmp_errors(op):
        r.validity.append(f"dcdirdmp: {e[:140]}")
    # records against the files they reference
    try:
        dd = pydicom.dcmread(op)
    except Exception as exc:  # noqa: BLE001
        r.validity.append(f"DICOMDIR unreadable: {exc}")
        return
    recs = list(dd.get("DirectoryRecordSequence", []))
    n_images, missing, mismatch = 0, [], []
    # rebuild the hierarchy from record types, in order (PATIENT > STUDY > SERIES > leaf)
    level = {"PATIENT": 0, "STUDY": 1, "SERIES": 2}
    stack: dict[int, Dataset] = {}
    for rec in recs:
        typ = str(getattr(rec, "DirectoryRecordType", ""))
        if typ in level:
            stack[level[typ]] = rec
            for k in list(stack):
                if k > level[typ]:
                    del stack[k]
            continue
        if "ReferencedFileID" not in rec:
            continue
        n_images += 1
        fid = rec.ReferencedFileID
        parts = [fid] if isinstance(fid, str) else list(fid)
        path = root.joinpath(*parts)
        if not path.exists():
            missing.append("/".join(parts))
            continue
        f = read_ds(path)
        if f is None:
            mismatch.append(f"{'/'.join(parts)} unreadable")
            continue
        pairs = [(rec, "ReferencedSOPInstanceUIDInFile", f, "SOPInstanceUID"),
                 (rec, "ReferencedSOPClassUIDInFile", f, "SOPClassUID")]
        if 2 in stack:
            pairs.append((stack[2], "SeriesInstanceUID", f, "SeriesInstanceUID"))
        if 1 in stack:
            pairs += [(stack[1], "StudyInstanceUID", f, "StudyInstanceUID"),
                      (stack[1], "StudyDate", f, "StudyDate")]
        if 0 in stack:
            pairs += [(stack[0], "PatientID", f, "PatientID"),
                      (stack[0], "PatientName", f, "PatientName")]
        for a, ka, b, kb in pairs:
            if ka in a and kb in b and str(a[ka].value or "") != str(b[kb].value or ""):
                mismatch.append(f"{ka} of the {str(getattr(a, 'DirectoryRecordType', ''))} "
                                f"record ({str(a[ka].value)[:24]}) != file's "
                                f"({str(b[kb].value)[:24]})")
    for m in missing:
        r.validity.append(f"Referenced File ID {m} does not exist")
    for m in sorted(set(mismatch)):
        r.validity.append(f"record/file mismatch: {m}")
    n_files = len([p for p in ctx["dicom_out"] if p.name.upper() != "DICOMDIR"])
    if n_images != n_files:
        r.validity.append(f"{n_images} image records for {n_files} output files")
    # inspect must name the patients of the records (the card "names no patient")
    entry = ctx["ins"].get(chk["dicomdir"])
    blob = json.dumps(entry.get("summary", {}) if entry else {}, ensure_ascii=False)
    names_missing = [n for n in chk["names"]
                     if not Needle(n.split("^")[0], True).find(text_forms(blob))]
    if names_missing:
        r.unreported.append("inspect summary of the DICOMDIR names none of "
                            + ", ".join(n.split("^")[0] for n in names_missing))


def chk_count_outputs(chk, r: Result, ctx):
    n = len(ctx["dicom_out"])
    if n != chk["n"]:
        r.other.append(f"{n} DICOM files written for {chk['n']} inputs")


def chk_keep_paths(chk, r: Result, ctx):
    if ctx["rc_deid"] == 2:
        return  # already reported as a refused option
    have = set(ctx["rel_paths"])
    for e in chk["expect"]:
        if e not in have:
            r.other.append(f"--keep-paths did not keep {e} (got {sorted(have)[:3]})")


def _named(ctx, rel: str) -> tuple[bool, str]:
    cli = ctx["cli"]
    base = Path(rel).name
    for line in cli.splitlines():
        if rel in line or (base and base in line):
            rest = line.replace(rel, "").replace(base, "").strip(" :-")
            return True, rest
    rep = ctx["rep"].get(rel)
    if rep and rep.get("error"):
        return True, rep["error"]
    return False, ""


def chk_named(chk, r: Result, ctx):
    for rel in chk["files"]:
        ok, why = _named(ctx, rel)
        if not ok:
            r.other.append(f"{Path(rel).name} left out without being named")
        elif len(why) < 10:
            r.other.append(f"{Path(rel).name} named without a reason")


def chk_accounted(chk, r: Result, ctx):
    case = ctx["case"]
    seen: dict[str, str] = {}
    for rel, o in sorted(ctx["mapping"].items()):
        k = os.path.realpath(o)
        if k in seen and seen[k] != rel:
            r.other.append(f"{seen[k]} and {rel} written to the same output "
                           f"{os.path.relpath(o, ctx['out'])} (one overwrote the other)")
        seen[k] = rel
    for rel in case["files"]:
        if rel.endswith(".txt"):
            continue
        written = rel in ctx["mapping"] and ctx["mapping"][rel].exists()
        ok, _ = _named(ctx, rel) if not written else (True, "")
        rep = ctx["rep"].get(rel)
        already = any(Path(rel).name in m for m in r.other)
        if not written and not already and not (rep and rep.get("error")) and not (
                ok and any(rel in ln for ln in ctx["cli"].splitlines())):
            r.other.append(f"{rel} neither written nor named")


def chk_once(chk, r: Result, ctx):
    files = ctx["ins_raw"].get("files", [])
    if len(files) != chk["n"]:
        r.other.append(f"inspect lists {len(files)} files for {chk['n']} distinct inputs")
    rep_n = len(ctx["rep"])
    rep_total = None
    try:
        rep_total = len(json.loads((ctx["out"].parent / "report.json").read_text())["files"])
    except (OSError, json.JSONDecodeError, KeyError):
        pass
    if rep_total is not None and rep_total != chk["n"]:
        r.other.append(f"deid report lists {rep_total} files for {chk['n']} distinct inputs")
    m = re.search(r"de-identified (\d+) files?", ctx["cli"])
    if m and int(m.group(1)) != chk["n"]:
        r.other.append(f"deid summary says {m.group(1)} files for {chk['n']} distinct inputs")
    if len(ctx["dicom_out"]) != chk["n"]:
        r.other.append(f"{len(ctx['dicom_out'])} output files for {chk['n']} distinct inputs")
    if ctx["rc_deid"] != 0:
        r.other.append(f"deid exits {ctx['rc_deid']} although every input is readable")
    del rep_n


def chk_damaged(chk, r: Result, ctx):
    entry = ctx["ins"].get(chk["file"])
    blob = json.dumps(entry, ensure_ascii=False) if entry else ""
    miss = [n for n in chk["names"] if not Needle(n, False).find(text_forms(blob))]
    if miss:
        r.unreported.append("inspect --json does not name " + ", ".join(miss))
    rc, so, se = run([ctx["binary"], "inspect", *ctx["opts"], *ctx["inputs"]], ctx["cdir"])
    miss = [n for n in chk["names"] if not Needle(n, False).find(text_forms(so + se))]
    if miss:
        r.unreported.append("inspect (text) does not name " + ", ".join(miss))
    if rc not in (0, 1):
        r.other.append(f"inspect exit {rc}")


CHECKS = {"dateshift": chk_dateshift, "uid_same": chk_uid_same, "uid_in_text": chk_uid_in_text,
          "uid_agree": chk_uid_agree, "uid_cross": chk_uid_cross, "dicomdir": chk_dicomdir,
          "count_outputs": chk_count_outputs, "keep_paths": chk_keep_paths,
          "named": chk_named, "accounted": chk_accounted, "once": chk_once,
          "damaged": chk_damaged}


# =============================================================================================
# main
# =============================================================================================
def table(results: list[Result]) -> str:
    head = ("| class | what | cases | failing cases | leaking cases (leaked values) | false masks: "
            "controls destroyed / controls | new validity errors | not reported by inspect | "
            "other failed checks |\n"
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
    rows = []
    tot = [0] * 9
    for cls in sorted({x.case["class"] for x in results}):
        rs = [x for x in results if x.case["class"] == cls]
        vals = [len(rs), sum(x.failed for x in rs), sum(bool(x.leaks) for x in rs),
                sum(len(x.leaks) for x in rs), sum(len(x.false_masks) for x in rs),
                sum(len(x.case["controls"]) for x in rs), sum(len(x.validity) for x in rs),
                sum(len(x.unreported) for x in rs)]
        oth = sum(len(x.other) for x in rs)
        tot = [a + b for a, b in zip(tot, vals + [oth])]
        rows.append(f"| {cls} | {CLASS_NAMES.get(cls, '')} | {vals[0]} | {vals[1]} | "
                    f"{vals[2]} ({vals[3]}) | {vals[4]} / {vals[5]} | {vals[6]} | {vals[7]} | "
                    f"{oth} |")
    rows.append(f"| **all** | | **{tot[0]}** | **{tot[1]}** | **{tot[2]} ({tot[3]})** | "
                f"**{tot[4]} / {tot[5]}** | **{tot[6]}** | **{tot[7]}** | **{tot[-1]}** |")
    return head + "\n".join(rows) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, help="the dicom-leakcheck binary to test")
    ap.add_argument("--cases", default=".cache/identity_cases/cases")
    ap.add_argument("--work", default="test-artifacts/identity_cases")
    ap.add_argument("--only", nargs="*", help="case ids (or prefixes such as c02)")
    ap.add_argument("--no-dciodvfy", action="store_true")
    args = ap.parse_args()

    binary = str(Path(args.bin).resolve())
    cases_dir = Path(args.cases).resolve()
    work = Path(args.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    use_dv = not args.no_dciodvfy
    for tool in (["dciodvfy"] if use_dv else []) + ["dcdirdmp"]:
        if not shutil.which(tool):
            print(f"{tool} is missing (apt-get install dicom3tools)", file=sys.stderr)
            return 2
    manifest = json.loads((cases_dir / "manifest.json").read_text(encoding="utf-8"))
    key = work / "fixed.key"
    key.write_text(FIXED_KEY + "\n")
    os.chmod(key, 0o600)
    # A binary whose key format differs gets a key of its own making.
    probe = subprocess.run([binary, "deid", "--out", str(work / "_probe"), "--key", str(key),
                            str(cases_dir / manifest["cases"][0]["id"] / "input")],
                           capture_output=True)
    if probe.returncode == 2:
        key.unlink()
        subprocess.run([binary, "key", "--out", str(key)], check=True, capture_output=True)
        print("note: the binary rejected the fixed key; using a fresh one", file=sys.stderr)
    shutil.rmtree(work / "_probe", ignore_errors=True)

    results = []
    for entry in manifest["cases"]:
        if args.only and not any(entry["id"].startswith(o) for o in args.only):
            continue
        cdir = cases_dir / entry["id"]
        case = json.loads((cdir / "case.json").read_text(encoding="utf-8"))
        res = check_case(case, cdir, work, binary, key, use_dv)
        results.append(res)
        print(("FAIL " if res.failed else "ok   ") + case["id"], file=sys.stderr)

    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"\n## {version or binary}: {len(results)} cases\n")
    print(table(results))
    failing = [x for x in results if x.failed]
    if failing:
        print(f"Failing cases ({len(failing)}):\n")
        for x in failing:
            print("- " + x.line())
    (work / "results.json").write_text(json.dumps(
        {"binary": binary, "version": version, "cases": [x.to_json() for x in results]},
        indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\n(details: {work}/results.json and {work}/<case>/)")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
