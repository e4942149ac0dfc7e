#!/usr/bin/env python3
"""Run a dicom-leakcheck binary over the held-out identity cases and score it.

usage: check.py --bin PATH [--cases DIR] [--work DIR] [--only SUBSTR]... [--json FILE]

For each case: `inspect --json` (is each planted value reported?), `deid --out DIR --key K
--report R` with the case's options, then the OUTPUT is searched (file names and bytes) for
every planted value in every encoding and normalisation, controls must survive, dciodvfy must
report no error the input did not have, DICOMDIR outputs must load in pydicom's FileSet with no
dcdirdmp error, and the class checks (paths, batches, damaged files, date shift, UID
consistency) are applied. Prints one table per class and one line per failing case.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import warnings

warnings.filterwarnings("ignore")

import pydicom  # noqa: E402
from pydicom.charset import convert_encodings, decode_bytes  # noqa: E402
from pydicom.datadict import dictionary_VR  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))

TEXT_VRS = {"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM",
            "UC", "UR", "UT", "UI"}
CHARSET_VRS = {"LO", "LT", "PN", "SH", "ST", "UC", "UT"}
ENCODINGS = ["utf-8", "latin-1", "iso8859-2", "iso8859-5", "iso8859-6", "iso8859-7",
             "iso8859-8", "iso8859-9", "cp1252", "shift_jis", "euc_jp", "euc_kr", "gb18030",
             "big5", "utf-16-le", "utf-16-be", "iso2022_jp", "iso2022_kr"]
TIMEOUT = 120


# ------------------------------------------------------------------------------ text

def strip_marks(s: str) -> str:
    d = unicodedata.normalize("NFD", s)
    return unicodedata.normalize("NFC", "".join(ch for ch in d if not unicodedata.combining(ch)))


def fold(s: str) -> str:
    """NFKC, case-folded, accents removed: the loosest comparison a reader would make."""
    s = unicodedata.normalize("NFKC", s).replace("\u0131", "i")  # Turkish dotless i
    return strip_marks(s.casefold())


def forms(t: str):
    out = {t, unicodedata.normalize("NFC", t), unicodedata.normalize("NFD", t)}
    for x in list(out):
        out |= {x.upper(), x.lower(), x.title(), x.casefold(), strip_marks(x), strip_marks(x).upper()}
    return {x for x in out if x}


def byte_patterns(t: str, extra_hex=None):
    pats = set()
    for f in forms(t):
        for enc in ENCODINGS:
            try:
                b = f.encode(enc)
            except (UnicodeEncodeError, LookupError):
                continue
            if enc.startswith("iso2022"):
                # the core between the escape sequences: DICOM writes its own escapes
                b = re.sub(rb"\x1b[\$\(\)][A-Z@]?[A-Z@]?", b"", b).replace(b"\x0e", b"").replace(b"\x0f", b"")
                if len(b) < 6 or b == f.encode("ascii", "ignore"):
                    continue
            pats.add(b)
    if extra_hex:
        pats.add(bytes.fromhex(extra_hex))
    return pats


def word_re(p: bytes):
    pre = rb"(?<![A-Za-z0-9])" if p[:1].isalnum() else b""
    post = rb"(?![A-Za-z0-9])" if p[-1:].isalnum() else b""
    return re.compile(pre + re.escape(p) + post)


def text_hit(needle: dict, text: str) -> bool:
    n, t = fold(needle["text"]), fold(text)
    if needle.get("nospace"):
        n, t = re.sub(r"\s+", "", n), re.sub(r"\s+", "", t)
    if not n:
        return False
    if needle.get("word"):
        return re.search(r"(?<![^\W_])" + re.escape(n) + r"(?![^\W_])", t) is not None
    return n in t


# ------------------------------------------------------------------------------ DICOM walk

def tagstr(tag) -> str:
    return "(%04X,%04X)" % (tag >> 16, tag & 0xFFFF)


def read_ds(data: bytes):
    try:
        return pydicom.dcmread(io.BytesIO(data), force=True)
    except Exception:
        return None


def walk(ds, charsets=None, prefix="", out=None, vrs=None):
    """{path: decoded text} for every element at any depth, each item in its own character
    set; binary values decoded as Latin-1, UTF-8 and UTF-16 (both orders, both alignments)."""
    out = {} if out is None else out
    vrs = {} if vrs is None else vrs
    try:
        cs = ds.get_item(0x00080005)
        if cs is not None:
            v = cs.value
            if isinstance(v, bytes):
                v = v.decode("ascii", "replace")
                v = [x.strip() for x in v.split("\\")]
            elif isinstance(v, str):
                v = [v]
            charsets = list(v)
    except Exception:
        pass
    encs = convert_encodings(charsets or None) if charsets is not None else convert_encodings(None)
    for tag in list(ds.keys()):
        try:
            raw = ds.get_item(tag)
        except Exception:
            continue
        path = (prefix + "." if prefix else "") + tagstr(int(tag))
        vr = getattr(raw, "VR", None)
        if vr is None:
            try:
                vr = dictionary_VR(tag)
            except Exception:
                vr = "UN"
        vrs[path] = vr
        if vr == "SQ" or (hasattr(raw, "value") and isinstance(getattr(raw, "value", None), pydicom.sequence.Sequence)):
            try:
                seq = ds[tag].value
            except Exception:
                continue
            for i, item in enumerate(seq or []):
                walk(item, charsets, path + "[%d]" % i, out, vrs)
            continue
        try:
            val = raw.value
        except Exception:
            continue
        if val is None:
            out[path] = ""
            continue
        if isinstance(val, (bytes, bytearray)):
            b = bytes(val)
            if vr in CHARSET_VRS:
                delim = {0x5E, 0x3D} if vr == "PN" else {0x5C, 0x0D, 0x0A, 0x09, 0x0C}
                try:
                    out[path] = decode_bytes(b, encs, delim)
                except Exception:
                    out[path] = b.decode("latin-1")
            elif vr in TEXT_VRS:
                out[path] = b.decode("latin-1")
            else:
                parts = [b.decode("latin-1"), b.decode("utf-8", "ignore")]
                for enc in ("utf-16-le", "utf-16-be"):
                    for off in (0, 1):
                        parts.append(b[off:].decode(enc, "ignore"))
                out[path] = "\n".join(parts)
        else:
            out[path] = str(val)
    return out, vrs


def decoded(data: bytes):
    ds = read_ds(data)
    if ds is None:
        return {}, {}, None
    try:
        meta = ds.file_meta
        m, _ = walk(meta) if meta is not None else ({}, {})
    except Exception:
        m = {}
    try:
        d, vrs = walk(ds)
    except Exception:
        d, vrs = {}, {}
    d.update(m)
    return d, vrs, ds


def related(a: str, b: str) -> bool:
    if a == b:
        return True
    for x, y in ((a, b), (b, a)):
        if y.startswith(x) and y[len(x):len(x) + 1] in ("[", "."):
            return True
    return False


# ------------------------------------------------------------------------------ running

def run(cmd, cwd, timeout=TIMEOUT):
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return None, "", "TIMEOUT"


def dciodvfy_errors(path):
    try:
        p = subprocess.run(["dciodvfy", "-new", path], capture_output=True, timeout=60)
    except Exception:  # noqa: BLE001
        return None
    lines = (p.stdout + p.stderr).decode("utf-8", "replace").splitlines()
    errs = []
    for ln in lines:
        if ln.startswith("Error"):
            ln = re.sub(r"= <[^>]*>", "= <>", ln)
            ln = re.sub(r"\[\d+\]", "[]", ln)
            errs.append(ln.strip())
    return errs


def list_outputs(out):
    files = []
    ob = os.fsencode(out)
    for root, _, names in os.walk(ob):
        for n in names:
            full = os.path.join(root, n)
            files.append((os.path.relpath(full, ob), full))
    return sorted(files)


def is_dicom(data: bytes) -> bool:
    return len(data) > 132 and data[128:132] == b"DICM" or (len(data) > 8 and data[:2] in (b"\x08\x00", b"\x02\x00"))


def normrel(p: str) -> str:
    return os.path.normpath(p)


class Result:
    def __init__(self, case):
        self.case = case
        self.leaks = []
        self.false_masks = []
        self.new_errors = []
        self.not_reported = []
        self.other = []
        self.notes = []

    def failed(self):
        return bool(self.leaks or self.false_masks or self.new_errors or self.not_reported or self.other)

    def line(self):
        parts = []
        for name, xs in (("LEAK", self.leaks), ("FALSE-MASK", self.false_masks),
                         ("NEW-ERROR", self.new_errors), ("NOT-REPORTED", self.not_reported),
                         ("OTHER", self.other)):
            for x in xs[:4]:
                parts.append("%s %s" % (name, x))
            if len(xs) > 4:
                parts.append("%s (+%d more)" % (name, len(xs) - 4))
        return "; ".join(parts)


def check_case(case, cdir, work, binary, key, keep_paths_ok):
    r = Result(case)
    if os.path.isdir(work):
        shutil.rmtree(work)
    os.makedirs(work)
    opts = []
    for o in case["options"]:
        opts += ["--option", o]
    flags = list(case.get("extra_flags") or [])
    if "--keep-paths" in flags and not keep_paths_ok:
        r.other.append("the binary has no --keep-paths option (opt-out of neutral paths)")
        flags.remove("--keep-paths")
    args = case["args"]

    # ---- inspect
    rc, so, se = run([binary, "inspect", "--json"] + opts + args, cdir)
    insp = None
    if rc is None:
        r.other.append("inspect timed out")
    else:
        try:
            insp = json.loads(so)
        except Exception:
            r.other.append("inspect --json printed no JSON (rc %s): %s" % (rc, se.strip()[:200]))
    insp_files = (insp or {}).get("files", [])

    # ---- deid
    runs = []
    shift = case["checks"].get("shift")
    if shift and shift.get("separate"):
        for i, f in enumerate(shift["files"]):
            out = os.path.join(work, "out%d" % i)
            rep = os.path.join(work, "report%d.json" % i)
            runs.append((out, rep, [f]))
    else:
        runs.append((os.path.join(work, "out"), os.path.join(work, "report.json"), args))
    mapping = {}
    deid_text = ""
    report_entries = []
    outputs = []
    for out, rep, a in runs:
        cmd = [binary, "deid", "--out", out, "--key", key, "--report", rep] + opts + flags + a
        rc, so, se = run(cmd, cdir)
        deid_text += so + "\n" + se + "\n"
        if rc is None:
            r.other.append("deid timed out")
            continue
        if rc not in (0, 1):
            r.other.append("deid exited %s: %s" % (rc, (se or so).strip()[:200]))
        if os.path.exists(rep):
            try:
                rj = json.load(open(rep, encoding="utf-8"))
                for e in rj.get("files", []):
                    report_entries.append(e)
                    if e.get("output"):
                        mapping.setdefault(normrel(e["path"]), []).append(os.path.join(cdir, e["output"]))
            except Exception as e:  # noqa: BLE001
                r.notes.append("report unreadable: %s" % e)
        if os.path.isdir(out):
            outputs += [(rel, full, out) for rel, full in list_outputs(out)]

    out_data = {}
    for rel, full, _ in outputs:
        with open(full, "rb") as f:
            out_data[full] = f.read()
    dec_cache = {}

    def dec(full):
        if full not in dec_cache:
            dec_cache[full] = decoded(out_data[full])
        return dec_cache[full]

    dicom_inputs = [f for f in case["files"] if os.path.isfile(os.path.join(cdir, f))]

    def out_for(inp):
        inp = normrel(inp)
        if inp in mapping:
            return mapping[inp][0]
        dcm = [full for _, full, _ in outputs if is_dicom(out_data[full]) and not full.endswith(b"DICOMDIR")]
        if len(dcm) == 1:
            return os.fsdecode(dcm[0])
        return None

    # ---- leaks
    for n in case["needles"]:
        hits = []
        if n.get("scope") == "host":
            inp = n.get("file") or dicom_inputs[0]
            o = out_for(inp)
            if o is not None:
                d, _, _ = dec(os.fsencode(o))
                for p in n["report_paths"]:
                    if p in d and text_hit(n, d[p]):
                        hits.append("%s in %s" % (n["text"], p))
        else:
            pats = byte_patterns(n["text"], n.get("raw_bytes_hex"))
            for rel, full, _ in outputs:
                data = out_data[full]
                relname = os.fsdecode(rel)
                # names
                if text_hit(n, relname) or text_hit(n, rel.decode("latin-1")) or \
                        any(p in rel for p in pats):
                    hits.append("%s in output path %r" % (n["text"], relname))
                    continue
                found = None
                for p in pats:
                    if n.get("word") and p.isascii():
                        if word_re(p).search(data):
                            found = "bytes"
                            break
                    elif len(p) >= 3 and p in data:
                        found = "bytes"
                        break
                if not found and is_dicom(data):
                    d, _, _ = dec(full)
                    for path, text in d.items():
                        if text_hit(n, text):
                            found = path
                            break
                if found:
                    hits.append("%s in %s %s" % (n["text"], relname, found))
        if hits:
            r.leaks.append(hits[0])
        elif n["report_paths"] and n.get("scope") != "host":
            # was the element that held the value kept (masked) or dropped? (informative)
            inp = n.get("file") or (dicom_inputs[0] if dicom_inputs else None)
            o = out_for(inp) if inp else None
            if o is not None and os.path.isfile(o):
                d, _, _ = dec(os.fsencode(o))
                if not any(p in d for p in n["report_paths"]):
                    r.notes.append("host removed: %s" % ",".join(n["report_paths"]))

    # ---- controls
    for ctl in case["controls"]:
        inp = ctl.get("file") or dicom_inputs[0]
        o = out_for(inp)
        if o is None:
            r.false_masks.append("%r: no output for %s" % (ctl["text"], inp))
            continue
        data = out_data.get(os.fsencode(o)) or open(o, "rb").read()
        if ctl.get("binary"):
            if ctl["text"].encode(ctl["binary"]) not in data:
                r.false_masks.append("%r (%s) changed in %s" % (ctl["text"], ctl["binary"], ctl["path"]))
            continue
        d, _, _ = dec(os.fsencode(o))
        if ctl["path"] not in d:
            r.false_masks.append("%r: %s removed" % (ctl["text"], ctl["path"]))
        elif unicodedata.normalize("NFC", ctl["text"]) not in unicodedata.normalize("NFC", d[ctl["path"]]):
            r.false_masks.append("%r became %r" % (ctl["text"], d[ctl["path"]][:80]))

    # ---- validity (new dciodvfy errors only)
    if case.get("validate", True):
        pairs = []
        for inp, outs in mapping.items():
            pairs.append((os.path.join(cdir, inp), outs[0]))
        for rel, full, outroot in outputs:
            if os.path.basename(rel) == b"DICOMDIR":
                src = [os.path.join(cdir, f) for f in case["files"] if os.path.basename(f) == "DICOMDIR"]
                if src:
                    pairs.append((src[0], os.fsdecode(full)))
        for a, b in sorted(set(pairs)):
            if not os.path.isfile(a) or not os.path.isfile(b):
                continue
            ea, eb = dciodvfy_errors(a), dciodvfy_errors(b)
            if ea is None or eb is None:
                continue
            r.notes.append("dciodvfy compared %s (%d errors in the input)" % (os.path.basename(b), len(ea)))
            new = collections.Counter(eb) - collections.Counter(ea)
            for e in new:
                r.new_errors.append("%s: %s" % (os.path.basename(b), e))

    # ---- reported by inspect
    def entry_for(inp):
        for e in insp_files:
            if normrel(e.get("path", "")) == normrel(inp):
                return e
        return None

    for n in case["needles"]:
        if not n.get("report", True) or insp is None:
            continue
        files = [n["file"]] if n.get("file") else dicom_inputs
        entries = [e for e in (entry_for(f) for f in files) if e is not None]
        ok = False
        if n.get("report_any"):
            # the file's own entry, or a top-level part of the document that names the file
            blobs = [json.dumps(e, ensure_ascii=False) for e in entries]
            for k, v in insp.items():
                if k != "files":
                    t = json.dumps(v, ensure_ascii=False)
                    if any(os.path.basename(f) in t for f in files):
                        blobs.append(t)
            ok = any(text_hit(n, b) for b in blobs)
        for e in entries:
            for f in e.get("findings", []):
                if not f.get("flagged"):
                    continue
                if any(related(f.get("path", ""), p) for p in n["report_paths"]):
                    ok = True
                elif f.get("value") and not f.get("path", "").startswith(("(0010,", "(0002,")) \
                        and text_hit(n, str(f["value"])):
                    # the value reported elsewhere than the patient's own elements
                    ok = True
        if not ok:
            r.not_reported.append("%s (%s)" % (n["text"], ",".join(n["report_paths"]) or "anywhere"))

    checks = case["checks"]
    # ---- DICOMDIR
    if "dicomdir" in checks:
        dd = checks["dicomdir"]
        dirs = [(rel, full) for rel, full, _ in outputs if os.path.basename(rel).upper() == b"DICOMDIR"]
        if not dirs:
            r.other.append("no DICOMDIR in the output")
        for rel, full in dirs:
            path = os.fsdecode(full)
            try:
                from pydicom.fileset import FileSet
                fs = FileSet(path)
                inst = list(fs)
                if len(inst) != dd["instances"]:
                    r.other.append("FileSet has %d instances, expected %d" % (len(inst), dd["instances"]))
                pats = [x for x in fs._tree.children] if hasattr(fs, "_tree") else []
                r.notes.append("FileSet: %d instances, %d patient records" % (len(inst), len(pats)))
                if len(pats) != dd["patients"]:
                    r.other.append("DICOMDIR has %d patient records, expected %d" % (len(pats), dd["patients"]))
                for i in inst:
                    p = i.path
                    if not os.path.isfile(p):
                        r.other.append("DICOMDIR references a missing file %s" % os.path.relpath(p, os.path.dirname(path)))
                        continue
                    try:
                        ids = pydicom.dcmread(p, force=True, stop_before_pixels=True)
                        if str(ids.SOPInstanceUID) != str(i.ReferencedSOPInstanceUIDInFile):
                            r.other.append("record UID != file's SOP Instance UID for %s" % os.path.basename(p))
                    except Exception as e:  # noqa: BLE001
                        r.other.append("referenced file unreadable: %s" % e)
            except Exception as e:  # noqa: BLE001
                r.other.append("pydicom FileSet fails: %s %s" % (type(e).__name__, str(e)[:160]))
            p = subprocess.run(["dcdirdmp", path], capture_output=True, timeout=60)
            txt = (p.stdout + p.stderr).decode("utf-8", "replace")
            errs = [ln.strip() for ln in txt.splitlines() if ln.startswith("Error")]
            if errs:
                r.other.append("dcdirdmp: %s" % errs[0][:160])
        # the inspect report must list the patients the records name
        if insp is not None:
            e = None
            for x in insp_files:
                if os.path.basename(x.get("path", "")).upper() == "DICOMDIR":
                    e = x
            if e is None:
                r.not_reported.append("DICOMDIR not inspected")

    # ---- paths
    if "paths" in checks:
        pc = checks["paths"]
        dcm = [rel for rel, full, _ in outputs if is_dicom(out_data[full])]
        if len(dcm) != pc["count"]:
            r.other.append("%d DICOM outputs, expected %d" % (len(dcm), pc["count"]))
        for exp in pc.get("expect", []):
            if os.fsencode(exp) not in [rel for rel, _, _ in outputs]:
                r.other.append("--keep-paths: %s not in the output" % exp)

    # ---- batches
    if "batch" in checks:
        bc = checks["batch"]
        dcm = [(rel, full) for rel, full, _ in outputs if is_dicom(out_data[full])]
        if len(dcm) != bc["outputs"]:
            r.other.append("%d DICOM outputs, expected %d" % (len(dcm), bc["outputs"]))
        if bc.get("distinct_outputs"):
            if len({hashlib.sha256(out_data[f]).hexdigest() for _, f in dcm}) != len(dcm):
                r.other.append("outputs are not distinct")
        for bad in bc.get("bad", []):
            if bad not in deid_text:
                r.not_reported.append("deid summary does not name %s" % bad)
        if "unique_inputs" in bc:
            n = len([e for e in report_entries if e.get("ok", True)])
            if n != bc["unique_inputs"]:
                r.other.append("deid report lists %d files, expected %d" % (n, bc["unique_inputs"]))
            if insp is not None and len(insp_files) != bc["unique_inputs"]:
                r.other.append("inspect lists %d files, expected %d" % (len(insp_files), bc["unique_inputs"]))
        m = re.search(r"de-identified (\d+) file", deid_text)
        if m and int(m.group(1)) != bc["outputs"]:
            r.other.append("summary says %s files de-identified, expected %d" % (m.group(1), bc["outputs"]))

    # ---- damaged
    if "damaged" in checks:
        dc = checks["damaged"]
        name = os.path.basename(dc["file"])
        warned = any(normrel(e.get("path", "")) == normrel(dc["file"]) and (e.get("warnings") or e.get("error"))
                     for e in report_entries)
        if name not in deid_text and not warned:
            r.not_reported.append("deid neither names %s nor warns about it" % name)
        dcm = [rel for rel, full, _ in outputs if is_dicom(out_data[full])]
        if len(dcm) < dc["good_outputs"]:
            r.other.append("%d outputs, expected at least the %d good files" % (len(dcm), dc["good_outputs"]))

    # ---- date shift
    if shift:
        deltas = []
        for f in shift["files"]:
            din = read_ds(open(os.path.join(cdir, f), "rb").read())
            o = out_for(f) if not shift.get("separate") else None
            if shift.get("separate"):
                cands = [full for rel, full, root in outputs
                         if root.endswith("out%d" % shift["files"].index(f))]
                o = os.fsdecode(cands[0]) if cands else None
            if o is None:
                r.other.append("no output for %s" % f)
                continue
            dout = read_ds(open(o, "rb").read())
            try:
                a = datetime.datetime.strptime(str(din.StudyDate), "%Y%m%d")
                b = datetime.datetime.strptime(str(dout.StudyDate), "%Y%m%d")
                deltas.append((b - a).days)
            except Exception:
                r.other.append("%s: Study Date not a date after deid (%r)" % (f, getattr(dout, "StudyDate", None)))
        r.notes.append("date shifts (days): %s" % deltas)
        if deltas and len(set(deltas)) > 1:
            r.other.append("date shifts differ between files of one patient: %s" % deltas)
        if deltas and 0 in deltas:
            r.other.append("dates not shifted")

    # ---- UID consistency
    for u in checks.get("uid_same", []):
        (fa, pa), (fb, pb) = u["a"], u["b"]
        oa, ob = out_for(fa), out_for(fb)
        if oa is None or ob is None:
            r.other.append("no output to compare UIDs")
            continue
        da, _, _ = dec(os.fsencode(oa))
        db, _, _ = dec(os.fsencode(ob))
        va, vb = da.get(pa, "").strip("\0 "), db.get(pb, "").strip("\0 ")
        r.notes.append("UIDs compared: %s / %s" % (va, vb))
        if va != vb:
            r.other.append("UID %s (%s) and %s (%s) no longer match" % (pa, va[:20], pb, vb[:20] or "absent"))
    for u in checks.get("uid_in_text", []):
        o = out_for(u["file"])
        if o is None:
            continue
        d, _, _ = dec(os.fsencode(o))
        if u["path"] in d and d.get(u["uid_of"], "").strip("\0 ") not in d[u["path"]]:
            r.other.append("UID in %s not replaced like %s" % (u["path"], u["uid_of"]))
    if "dicom_root_replaced" in checks and insp is not None:
        dr = checks["dicom_root_replaced"]
        e = entry_for(dr["file"])
        said = set()
        for f in (e or {}).get("findings", []):
            if f.get("value") in dr["uids"] and "replace" in str(f.get("effect", "")).lower():
                said.add(f["value"])
        o = out_for(dr["file"])
        kept = [x for x in dr["uids"] if o and x.encode() in open(o, "rb").read()]
        bad = [x for x in kept if x in said]
        if bad:
            r.other.append("inspect says replaced, deid kept: %s" % bad[0])
    return r


def write_key(path):
    k = "dicom-leakcheck-key-v1:" + hashlib.sha256(b"identity-heldout-2").hexdigest() + "\n"
    with open(path, "w") as f:
        f.write(k)
    os.chmod(path, 0o600)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(REPO, "target", "release", "dicom-leakcheck"))
    ap.add_argument("--cases", default=os.path.join(REPO, ".cache", "identity_heldout", "cases"))
    ap.add_argument("--work", default=os.path.join(REPO, "test-artifacts", "identity_heldout"))
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--json", default=None)
    ap.add_argument("--selftest", action="store_true",
                    help="the binary changes nothing: pass when every planted value is found and every control kept")
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    os.makedirs(a.work, exist_ok=True)
    key = os.path.join(os.path.abspath(a.work), "heldout.key")
    write_key(key)
    helptext = subprocess.run([binary, "deid", "--help"], capture_output=True).stdout.decode()
    keep_paths_ok = "--keep-paths" in helptext
    ids = sorted(os.listdir(a.cases))
    if a.only:
        ids = [i for i in ids if any(s in i for s in a.only)]
    results = []
    for cid in ids:
        cdir = os.path.join(a.cases, cid)
        case = json.load(open(os.path.join(cdir, "case.json"), encoding="utf-8"))
        r = check_case(case, cdir, os.path.join(os.path.abspath(a.work), "runs", cid), binary, key, keep_paths_ok)
        results.append(r)

    by = collections.defaultdict(list)
    for r in results:
        by[r.case["class"]].append(r)
    print("binary: %s" % binary)
    print()
    print("| class | what | cases | failed | leaks | false masks | new validity errors | not reported | other |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    tot = collections.Counter()
    for k in sorted(by):
        rs = by[k]
        row = collections.Counter(
            cases=len(rs), failed=sum(r.failed() for r in rs), leaks=sum(bool(r.leaks) for r in rs),
            fm=sum(bool(r.false_masks) for r in rs), ne=sum(bool(r.new_errors) for r in rs),
            nr=sum(bool(r.not_reported) for r in rs), other=sum(bool(r.other) for r in rs))
        tot.update(row)
        print("| %d | %s | %d | %d | %d | %d | %d | %d | %d |" % (
            k, rs[0].case["class_name"], row["cases"], row["failed"], row["leaks"], row["fm"], row["ne"], row["nr"], row["other"]))
    print("| all | | %d | %d | %d | %d | %d | %d | %d |" % (
        tot["cases"], tot["failed"], tot["leaks"], tot["fm"], tot["ne"], tot["nr"], tot["other"]))
    print()
    fails = [r for r in results if r.failed()]
    print("%d of %d cases fail:" % (len(fails), len(results)))
    for r in fails:
        print("FAIL %s: %s" % (r.case["id"], r.line()))
    removed = [r for r in results if any(x.startswith("host removed") for x in r.notes) and not r.leaks]
    if removed:
        print()
        print("%d passing leak cases pass because the element holding the value was removed, not masked:" % len(removed))
        for r in removed:
            print("  %s: %s" % (r.case["id"], "; ".join(x for x in r.notes if x.startswith("host removed"))))
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump([{"id": r.case["id"], "class": r.case["class"], "leaks": r.leaks,
                        "false_masks": r.false_masks, "new_errors": r.new_errors,
                        "not_reported": r.not_reported, "other": r.other, "notes": r.notes}
                       for r in results], f, ensure_ascii=False, indent=1)
    if a.selftest:
        missed = [(r.case["id"], len(r.case["needles"]) - len(r.leaks)) for r in results
                  if len(r.leaks) != len(r.case["needles"])]
        fm = [r.case["id"] for r in results if r.false_masks]
        nn = sum(len(r.case["needles"]) for r in results)
        nc = sum(len(r.case["controls"]) for r in results)
        print()
        if missed or fm:
            print("SELFTEST FAILED: planted values not found %s; controls lost %s" % (missed, fm))
            return 1
        print("selftest: all %d planted values found in the unchanged copies, all %d controls kept" % (nn, nc))
        return 0
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
