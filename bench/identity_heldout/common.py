"""Shared pieces of the generator: patients, base files, cases and how they are saved."""

from __future__ import annotations

import json
import os
import struct
import unicodedata

from dcmenc import (BASIC_TEXT_SR, CT_IMAGE, EXPLICIT_LE, MEDIA_DIR, El, Enc, file_bytes,
                    meta, uid)

CLASSES = {
    1: "names glued to other letters or digits",
    2: "short and CJK name parts",
    3: "patient IDs in other spellings",
    4: "birth dates in other spellings",
    5: "birth date in date elements outside Table E.1-1",
    6: "character sets (item charsets, NFD, national sets)",
    7: "retired / unknown standard elements stored as UN",
    8: "UTF-16 and other encodings inside safe private binary values",
    9: "per-patient date shift keyed on a stable identity",
    10: "UIDs at any depth, in text and URLs",
    11: "DICOMDIR sets rebuilt",
    12: "identifying folder and file names",
    13: "batches",
    14: "damaged files",
}


class Patient:
    def __init__(self, name, pid, dob, sex="F", issuer=None, charset=None, other=None):
        self.name = name
        self.pid = pid
        self.dob = dob
        self.sex = sex
        self.issuer = issuer
        self.charset = charset  # str or list for (0008,0005)
        self.other = other or {}


def tagpath(*parts) -> str:
    """tagpath(0x00081032, 0, 0x00080104) -> '(0008,1032)[0].(0008,0104)'"""
    out = ""
    for p in parts:
        if p > 0xFFFF:
            s = "(%04X,%04X)" % (p >> 16, p & 0xFFFF)
            out += ("." if out else "") + s
        else:
            out += "[%d]" % p
    return out


class DS:
    """An ordered element set keyed by tag, edited by the case functions."""

    def __init__(self):
        self.d: dict[int, El] = {}

    def put(self, tag, vr, value, **kw):
        self.d[tag] = El(tag, vr, value, **kw)
        return self

    def add(self, el: El):
        self.d[el.tag] = el
        return self

    def drop(self, tag):
        self.d.pop(tag, None)
        return self

    def els(self):
        return list(self.d.values())

    def bytes(self, ts=EXPLICIT_LE, **kw):
        return file_bytes(self.els(), ts, **kw)


def pixel_bytes(n=8):
    # values 0..15: no byte in the printable letter range, so a search never hits pixels
    return bytes((i * 7) % 16 if j == 0 else 0 for i in range(n * n) for j in range(2))


def base_ct(p: Patient, seed: str, *, study_date="20240315", desc="CT CHEST",
            series_desc="AXIAL 1.25MM", study_uid=None, series_uid=None, inst=1,
            sop_uid=None, charset=None) -> DS:
    d = DS()
    cs = charset if charset is not None else p.charset
    if cs:
        d.put(0x00080005, "CS", cs)
    d.put(0x00080008, "CS", ["ORIGINAL", "PRIMARY", "AXIAL"])
    d.put(0x00080016, "UI", CT_IMAGE)
    d.put(0x00080018, "UI", sop_uid or uid(seed, "sop", str(inst)))
    d.put(0x00080020, "DA", study_date)
    d.put(0x00080021, "DA", study_date)
    d.put(0x00080023, "DA", study_date)
    d.put(0x00080030, "TM", "101500")
    d.put(0x00080031, "TM", "101700")
    d.put(0x00080033, "TM", "101733")
    d.put(0x00080050, "SH", "A" + str(abs(hash_int(seed)) % 10**7).zfill(7))
    d.put(0x00080060, "CS", "CT")
    d.put(0x00080070, "LO", "HELDOUT MEDICAL SYSTEMS")
    d.put(0x00080080, "LO", "RIVERSIDE COMMUNITY HOSPITAL")
    d.put(0x00080090, "PN", "VOSS^KLARA")
    d.put(0x00081030, "LO", desc)
    d.put(0x0008103E, "LO", series_desc)
    d.put(0x00100010, "PN", p.name)
    d.put(0x00100020, "LO", p.pid)
    if p.issuer:
        d.put(0x00100021, "LO", p.issuer)
    d.put(0x00100030, "DA", p.dob)
    d.put(0x00100040, "CS", p.sex)
    d.put(0x00180050, "DS", "1.25")
    d.put(0x00180060, "DS", "120")
    d.put(0x00185100, "CS", "HFS")
    d.put(0x0020000D, "UI", study_uid or uid(seed, "study"))
    d.put(0x0020000E, "UI", series_uid or uid(seed, "series"))
    d.put(0x00200010, "SH", "S" + str(abs(hash_int(seed + "s")) % 10**5))
    d.put(0x00200011, "IS", "2")
    d.put(0x00200012, "IS", "1")
    d.put(0x00200013, "IS", str(inst))
    d.put(0x00200032, "DS", ["-120", "-120", str(-50 + inst)])
    d.put(0x00200037, "DS", ["1", "0", "0", "0", "1", "0"])
    d.put(0x00200052, "UI", uid(seed, "for"))
    d.put(0x00200060, "CS", "")
    d.put(0x00201040, "LO", "")
    d.put(0x00280002, "US", 1)
    d.put(0x00280004, "CS", "MONOCHROME2")
    d.put(0x00280010, "US", 8)
    d.put(0x00280011, "US", 8)
    d.put(0x00280030, "DS", ["0.5", "0.5"])
    d.put(0x00280100, "US", 16)
    d.put(0x00280101, "US", 12)
    d.put(0x00280102, "US", 11)
    d.put(0x00280103, "US", 0)
    d.put(0x00281050, "DS", "40")
    d.put(0x00281051, "DS", "400")
    d.put(0x00281052, "DS", "-1024")
    d.put(0x00281053, "DS", "1")
    d.put(0x7FE00010, "OW", pixel_bytes())
    return d


def code_item(value, scheme, meaning, extra=None):
    it = [El(0x00080100, "SH", value), El(0x00080102, "SH", scheme), El(0x00080104, "LO", meaning)]
    return it + (extra or [])


def base_sr(p: Patient, seed: str, texts, *, study_date="20240315", charset=None,
            text_items=None) -> DS:
    """A Basic Text SR whose root container holds one TEXT item per string."""
    d = DS()
    cs = charset if charset is not None else p.charset
    if cs:
        d.put(0x00080005, "CS", cs)
    d.put(0x00080016, "UI", BASIC_TEXT_SR)
    d.put(0x00080018, "UI", uid(seed, "sop"))
    d.put(0x00080020, "DA", study_date)
    d.put(0x00080023, "DA", study_date)
    d.put(0x00080030, "TM", "111500")
    d.put(0x00080033, "TM", "113000")
    d.put(0x00080050, "SH", "R" + str(abs(hash_int(seed)) % 10**6))
    d.put(0x00080060, "CS", "SR")
    d.put(0x00080070, "LO", "HELDOUT REPORTING")
    d.put(0x00080090, "PN", "VOSS^KLARA")
    d.put(0x00100010, "PN", p.name)
    d.put(0x00100020, "LO", p.pid)
    if p.issuer:
        d.put(0x00100021, "LO", p.issuer)
    d.put(0x00100030, "DA", p.dob)
    d.put(0x00100040, "CS", p.sex)
    d.put(0x0020000D, "UI", uid(seed, "study"))
    d.put(0x0020000E, "UI", uid(seed, "series"))
    d.put(0x00200010, "SH", "S1")
    d.put(0x00200011, "IS", "900")
    d.put(0x00200013, "IS", "1")
    d.put(0x00081111, "SQ", [])
    d.put(0x0040A372, "SQ", [])  # Performed Procedure Code Sequence (Type 2)
    d.put(0x0040A491, "CS", "COMPLETE")
    d.put(0x0040A493, "CS", "UNVERIFIED")
    d.put(0x0040A040, "CS", "CONTAINER")
    d.put(0x0040A043, "SQ", [code_item("18748-4", "LN", "Diagnostic Imaging Report")])
    d.put(0x0040A050, "CS", "SEPARATE")
    items = []
    for t in texts:
        items.append([
            El(0x0040A010, "CS", "CONTAINS"),
            El(0x0040A040, "CS", "TEXT"),
            El(0x0040A043, "SQ", [code_item("121071", "DCM", "Finding")]),
            El(0x0040A160, "UT", t),
        ])
    items += text_items or []
    d.put(0x0040A730, "SQ", items)
    return d


def hash_int(s: str) -> int:
    import hashlib
    return int.from_bytes(hashlib.sha256(s.encode()).digest()[:6], "big")


def private_block(d: DS, group: int, block: int, creator: str, elements):
    """elements: list of (element offset xx, vr, value, kw)"""
    d.put((group << 16) | block, "LO", creator)
    for e, vr, value, *kw in elements:
        d.put((group << 16) | (block << 8) | e, vr, value, **(kw[0] if kw else {}))


# ---------------------------------------------------------------------------------------
# cases


class Case:
    def __init__(self, cid, cls, title, *, options=(), kind="leak", validate=True):
        self.id = cid
        self.cls = cls
        self.title = title
        self.options = list(options)
        self.kind = kind
        self.files: dict[str, bytes] = {}
        self.symlinks: dict[str, str] = {}
        self.dirs: list[str] = []
        self.args: list[str] = []
        self.needles: list[dict] = []
        self.controls: list[dict] = []
        self.checks: dict = {}
        self.validate = validate
        self.extra_flags: list[str] = []
        self.identity: dict = {}

    def file(self, rel, data, arg=True):
        self.files[rel] = data
        if arg:
            self.args.append(rel)
        return rel

    def who(self, p: Patient):
        self.identity = {"name": p.name, "id": p.pid, "birth_date": p.dob}
        return self

    def leak(self, text, paths=(), *, word=False, nospace=False, scope="all", file=None,
             report=True, report_any=False):
        self.needles.append({"text": text, "report_paths": list(paths), "word": word,
                             "nospace": nospace, "scope": scope, "file": file,
                             "report": report, "report_any": report_any})
        return self

    def keep(self, text, path, *, file=None, binary=None):
        """A control: text that must survive in the output at path (decoded), or with
        binary=ENCODING in the raw bytes of the output file."""
        self.controls.append({"text": text, "path": path, "file": file, "binary": binary})
        return self

    def save(self, root):
        cdir = os.path.join(root, self.id)
        os.makedirs(cdir, exist_ok=True)
        for rel, data in self.files.items():
            p = os.path.join(cdir.encode(), rel.encode("utf-8", "surrogateescape"))
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(data)
        for rel in self.dirs:
            os.makedirs(os.path.join(cdir, rel), exist_ok=True)
        for rel, target in self.symlinks.items():
            p = os.path.join(cdir, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            if os.path.lexists(p):
                os.unlink(p)
            os.symlink(target, p)
        rec = {
            "id": self.id, "class": self.cls, "class_name": CLASSES[self.cls],
            "title": self.title, "kind": self.kind, "options": self.options,
            "extra_flags": self.extra_flags,
            "args": self.args, "identity": self.identity, "needles": self.needles,
            "controls": self.controls, "checks": self.checks, "validate": self.validate,
            "files": sorted(self.files),
        }
        with open(os.path.join(cdir, "case.json"), "w", encoding="utf-8") as f:
            json.dump(rec, f, ensure_ascii=True, indent=1, sort_keys=True)
        return rec


def nfd(s):
    return unicodedata.normalize("NFD", s)


def nfc(s):
    return unicodedata.normalize("NFC", s)


# ---------------------------------------------------------------------------------------
# DICOMDIR


def dicomdir_bytes(patients, fileset_id="HELDOUT", *, charset=None, undefined_items=False,
                   undefined_seq=False):
    """patients: list of dict(rec=[El...], studies=[dict(rec=[...], series=[dict(rec=[...],
    images=[ [El...] ])])]). Offsets are computed over the final layout (PS3.10 8.5)."""
    enc = Enc(EXPLICIT_LE, [charset] if charset else [])
    # flatten in pre-order; each node: (record_type, keys, children)
    def node(rtype, keys, children):
        return {"type": rtype, "keys": keys, "children": children}
    roots = []
    for p in patients:
        studies = []
        for s in p["studies"]:
            series = []
            for se in s["series"]:
                imgs = [node(im.get("type", "IMAGE"), im["keys"], []) for im in se["images"]]
                series.append(node("SERIES", se["rec"], imgs))
            studies.append(node("STUDY", s["rec"], series))
        roots.append(node("PATIENT", p["rec"], studies))
    order = []

    def walk(n):
        order.append(n)
        for c in n["children"]:
            walk(c)
    for r in roots:
        walk(r)

    def link(nodes):
        for i, n in enumerate(nodes):
            n["next"] = nodes[i + 1] if i + 1 < len(nodes) else None
            n["lower"] = n["children"][0] if n["children"] else None
            link(n["children"])
    link(roots)

    def rec_items(offsets):
        items = []
        for n in order:
            els = [
                El(0x00041400, "UL", offsets.get(id(n["next"]), 0) if n["next"] else 0),
                El(0x00041410, "US", 0xFFFF),
                El(0x00041420, "UL", offsets.get(id(n["lower"]), 0) if n["lower"] else 0),
                El(0x00041430, "CS", n["type"]),
            ] + n["keys"]
            if charset:
                els.append(El(0x00080005, "CS", charset))
            items.append(els)
        return items

    fs_uid = uid("fileset", fileset_id)
    head_meta = b"\0" * 128 + b"DICM" + meta(MEDIA_DIR, fs_uid, EXPLICIT_LE)

    def build(offsets):
        items = rec_items(offsets)
        first = offsets.get(id(roots[0]), 0) if roots else 0
        last = offsets.get(id(roots[-1]), 0) if roots else 0
        top = [El(0x00041130, "CS", fileset_id), El(0x00041200, "UL", first),
               El(0x00041202, "UL", last), El(0x00041212, "US", 0)]
        pre = enc.dataset(top, [charset] if charset else [])
        post = enc.dataset([El(0x00080005, "CS", charset)], []) if charset else b""
        item_bytes = [enc.item(it, [charset] if charset else [], undefined_items, enc) for it in items]
        seq_body = b"".join(item_bytes)
        if undefined_seq:
            seq = enc.header(0x00041220, "SQ", 0xFFFFFFFF) + seq_body + struct.pack("<HHI", 0xFFFE, 0xE0DD, 0)
        else:
            seq = enc.header(0x00041220, "SQ", len(seq_body)) + seq_body
        pos = len(head_meta) + len(pre) + 12
        new_offsets = {}
        for n, b in zip(order, item_bytes):
            new_offsets[id(n)] = pos
            pos += len(b)
        return head_meta + pre + seq + post, new_offsets

    data, offs = build({})
    data, offs2 = build(offs)
    assert offs == offs2
    return data


def dd_patient(p: Patient, charset=None):
    ks = [El(0x00100010, "PN", p.name), El(0x00100020, "LO", p.pid)]
    if p.dob:
        ks.append(El(0x00100030, "DA", p.dob))
    ks.append(El(0x00100040, "CS", p.sex))
    return ks


def dd_study(ds: DS):
    g = ds.d
    return [g[0x00080020], g[0x00080030], g[0x00080050], g[0x00081030], g[0x0020000D],
            g[0x00200010]]


def dd_series(ds: DS):
    g = ds.d
    return [g[0x00080060], g[0x0020000E], g[0x00200011]]


def dd_image(ds: DS, fid, ts=EXPLICIT_LE):
    g = ds.d
    return [El(0x00041500, "CS", fid), El(0x00041510, "UI", g[0x00080016].value),
            El(0x00041511, "UI", g[0x00080018].value), El(0x00041512, "UI", ts),
            g[0x00200013]]
