#!/usr/bin/env python3
"""Generates the held-out identity-leak cases (issue 10) into a folder (default
.cache/identity_cases/cases). Each case is a folder with `case.json` and its input files under
`input/`; `manifest.json` lists every case. Deterministic: the same pydicom gives the same bytes.

Every case hides the patient's identity in one place (or is a control that must survive). The
identity itself sits in the standard Patient module; the planted copy is what the product has to
find. See README.md for the record format.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import unicodedata
from pathlib import Path

import pydicom
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dicomgen as g  # noqa: E402

# Class 7 writes standard (retired) elements with VR UN on purpose: keep them UN.
pydicom.config.replace_un_with_known_vr = False

CASES: list["Case"] = []

CODECS = {  # DICOM Specific Character Set term -> Python codec (for raw byte searches)
    "ISO_IR 100": "latin-1", "ISO_IR 101": "iso8859-2", "ISO_IR 126": "iso8859-7",
    "ISO_IR 127": "iso8859-6", "ISO_IR 138": "iso8859-8", "ISO_IR 144": "iso8859-5",
    "ISO_IR 148": "iso8859-9", "ISO_IR 192": "utf-8", "GB18030": "gb18030",
    "ISO 2022 IR 87": "iso2022_jp", "ISO 2022 IR 149": "euc_kr",
}


def tagstr(tag: int) -> str:
    return f"({tag >> 16:04X},{tag & 0xFFFF:04X})"


class Case:
    def __init__(self, cid: str, cls: int, title: str, ident: dict | None = None, *,
                 options: tuple = (), extra_args: tuple = (), inputs: list | None = None,
                 kind: str = "header", description: str = ""):
        self.id = cid
        self.cls = cls
        self.title = title
        self.description = description or title
        self.ident = ident
        self.options = list(options)
        self.extra_args = list(extra_args)
        self.inputs = inputs or ["input"]
        self.kind = kind
        self.files: dict[str, object] = {}  # relpath -> Dataset | callable(path)
        self.implicit: set[str] = set()
        self.planted: list[dict] = []
        self.controls: list[dict] = []
        self.checks: list[dict] = []
        self.charsets: set[str] = set()
        self.post: list = []  # callables(case_dir) run after every file is written
        CASES.append(self)

    # --- building -------------------------------------------------------------------------
    def add(self, rel: str, ds, implicit: bool = False):
        self.files["input/" + rel] = ds
        if implicit:
            self.implicit.add("input/" + rel)
        return ds

    def plant(self, value: str, where: str | None, form: str, *, file: str | None = None,
              scope: str = "file", word: bool | None = None, raw: bool | None = None,
              report: bool = True, creator: str | None = None):
        short = len(value) <= 3
        self.planted.append({
            "value": value,
            "form": form,
            "file": file or self._only_file(),
            "where": where,
            "creator": creator,
            "scope": scope,
            "word": short and _is_alnum_ascii(value) if word is None else word,
            "raw": (len(value) >= 4) if raw is None else raw,
            "report": report,
        })

    def control(self, value: str, where: str, note: str, *, file: str | None = None,
                creator: str | None = None):
        self.controls.append({"value": value, "where": where, "note": note,
                              "file": file or self._only_file(), "creator": creator})

    def _only_file(self) -> str:
        dcm = [f for f in self.files if not f.endswith(".txt")]
        return dcm[0] if dcm else "input"

    # --- writing --------------------------------------------------------------------------
    def write(self, root: Path) -> dict:
        cdir = root / self.id
        if cdir.exists():
            shutil.rmtree(cdir)
        (cdir / "input").mkdir(parents=True)
        for rel, obj in self.files.items():
            path = cdir / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(obj, Dataset):
                for cs in _charsets(obj):
                    self.charsets.add(cs)
                g.save(obj, path, implicit=rel in self.implicit)
            elif isinstance(obj, bytes):
                path.write_bytes(obj)
            else:
                obj(path)
        for fn in self.post:
            fn(cdir)
        if self.ident:
            self._identity_plants()
        record = {
            "id": self.id,
            "class": self.cls,
            "title": self.title,
            "description": self.description,
            "kind": self.kind,
            "inputs": self.inputs,
            "options": self.options,
            "extra_args": self.extra_args,
            "identity": self.ident,
            "codecs": sorted({CODECS[c] for c in self.charsets if c in CODECS}),
            "planted": self.planted,
            "controls": self.controls,
            "checks": self.checks,
            "files": sorted(str(p.relative_to(cdir)) for p in (cdir / "input").rglob("*")
                            if p.is_file()),
        }
        (cdir / "case.json").write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n",
                                        encoding="utf-8")
        return record

    def _identity_plants(self):
        """The identity in its standard elements must be gone from the output too."""
        name = self.ident.get("name", "")
        seen = {p["value"] for p in self.planted}
        for value, form in ((name, "Patient's Name as stored"),
                            (self.ident.get("id", ""), "Patient ID as stored"),
                            (self.ident.get("birth", ""), "Patient's Birth Date as stored")):
            if value and len(value) >= 4 and value not in seen:
                self.planted.append({"value": value, "form": form, "file": None,
                                     "where": None, "creator": None, "scope": "file",
                                     "word": True, "raw": True, "report": False})


def _is_alnum_ascii(s: str) -> bool:
    return s.isascii() and s.isalnum()


def _charsets(ds: Dataset):
    for elem in ds.iterall():
        if elem.tag == 0x00080005 and elem.value:
            vals = elem.value if isinstance(elem.value, (list, pydicom.multival.MultiValue)) \
                else [elem.value]
            for v in vals:
                if v:
                    yield v.strip()


def ident(name, pid, birth, sex="O", **kw) -> dict:
    d = {"name": name, "id": pid, "birth": birth, "sex": sex}
    d.update(kw)
    return d


def ct(case: Case, rel: str = "im1.dcm", **kw) -> Dataset:
    ds = g.ct_image(case.id, case.ident, **kw)
    return case.add(rel, ds)


def sr(case: Case, texts, rel: str = "sr.dcm", nested=True) -> Dataset:
    ds = g.basic_text_sr(case.id, case.ident, texts, nested=nested)
    return case.add(rel, ds)


F = "input/im1.dcm"
DESC = "clean-descriptors"
SC = "clean-structured-content"
SAFE = "retain-safe-private"
MOD = "retain-long-modified-dates"
FULL = "retain-long-full-dates"


# =============================================================================================
# Class 1: names glued to other letters or digits
# =============================================================================================
def class1():
    c = Case("c01-01", 1, "family+given glued after a prefix in a kept element (Window Center & "
             "Width Explanation)", ident("KOWALSKI^MAREK", "PL-600412", "19580203", "M"))
    ds = ct(c)
    ds.WindowCenterWidthExplanation = "QAKOWALSKIMAREK"
    c.plant("KOWALSKI", "(0028,1055)", "family name glued between QA and the given name")
    c.plant("MAREK", "(0028,1055)", "given name glued to the family name")

    c = Case("c01-02", 1, "given+family glued in a kept Code Meaning (Procedure Code Sequence)",
             ident("BRANDT^OSKAR", "DE-77120-4", "19700811", "M"))
    ds = ct(c)
    ds.ProcedureCodeSequence = Sequence([g.code("CTTHX", "99LOCAL", "CT THORAX OSKARBRANDT")])
    c.plant("OSKARBRANDT", "(0008,1032)[0].(0008,0104)", "given+family glued")
    c.plant("BRANDT", "(0008,1032)[0].(0008,0104)", "family name glued to the given name")

    c = Case("c01-03", 1, "family name glued to a year in Series Description",
             ident("FERREIRA^ANA^LUISA", "PT-1009-33", "19850317", "F"), options=(DESC,))
    ds = ct(c)
    ds.SeriesDescription = "FERREIRA2019 AXIAL 5MM"
    c.plant("FERREIRA", "(0008,103E)", "family name glued to digits")

    c = Case("c01-04", 1, "lower-case name glued inside a word in Image Comments",
             ident("WEISS^HANNA", "CH-4412", "19631120", "F"), options=(DESC,))
    ds = ct(c)
    ds.ImageComments = "drweissfollowup requested by ward"
    c.plant("weiss", "(0020,4000)", "lower-case family name glued on both sides")

    c = Case("c01-05", 1, "family+given glued in an SR text value at depth 2",
             ident("NAKAMURA^KENJI", "JP-0088123", "19490704", "M"), options=(SC,))
    sr(c, [("121071", "Finding", "NAKAMURAKENJI PRIOR COMPARED, NO CHANGE")], rel="sr.dcm")
    c.plant("NAKAMURA", "(0040,A730)[0].(0040,A730)[0].(0040,A160)", "glued family+given",
            file="input/sr.dcm")
    c.plant("KENJI", "(0040,A730)[0].(0040,A730)[0].(0040,A160)", "glued given name",
            file="input/sr.dcm")

    c = Case("c01-06", 1, "camel-case name inside Protocol Name",
             ident("HENDERSON^CLAIRE", "UK-55120", "19770129", "F"), options=(DESC,))
    ds = ct(c)
    ds.ProtocolName = "ProtocolHendersonRightKnee"
    c.plant("Henderson", "(0018,1030)", "camel-case family name glued on both sides")

    c = Case("c01-07", 1, "glued name inside a safe private OB (SIEMENS Ultrasound SC2000 "
             "Common Acoustic Meta Information) under retain-safe-private",
             ident("MACDONALD^EWAN", "SC-0031-77", "19661005", "M"), options=(SAFE,))
    ds = ct(c)
    tag = g.private(ds, 0x0119, "SIEMENS Ultrasound SC2000", 0x01, "OB",
                    b"VER=2;PROBE=4V1c;PT=MACDONALDEWAN;GAIN=12\x00")
    c.plant("MACDONALD", tagstr(tag), "ASCII family+given glued inside a safe private OB",
            creator="SIEMENS Ultrasound SC2000")
    c.control("PROBE=4V1c", tagstr(tag), "the rest of the safe private value",
              creator="SIEMENS Ultrasound SC2000")

    c = Case("c01-08", 1, "non-ASCII name glued in a Latin-1 Study Description",
             ident("DUBOIS^AMÉLIE", "FR-300991", "19900228", "F", charset="ISO_IR 100"),
             options=(DESC,))
    ds = ct(c)
    ds.StudyDescription = "IRM GENOU DUBOISAMÉLIE"
    c.plant("AMÉLIE", "(0008,1030)", "accented given name glued to the family name")
    c.plant("DUBOIS", "(0008,1030)", "family name glued to the given name")

    c = Case("c01-09", 1, "family name between letters and digits in a kept Content Label",
             ident("OKAFOR^CHIDI", "NG-4471-09", "19811201", "M"))
    ds = ct(c)
    ds.ContentLabel = "SEGOKAFOR01"
    c.plant("OKAFOR", "(0070,0080)", "family name glued to SEG and 01")

    c = Case("c01-10", 1, "name glued to a sequence name in a safe private LO (GEMS_ACQU_01 "
             "Internal Pulse Sequence Name)", ident("PETROV^IVAN", "RU-1200-45", "19721009", "M"),
             options=(SAFE,))
    ds = ct(c)
    tag = g.private(ds, 0x0019, "GEMS_ACQU_01", 0x9E, "LO", "FSEPETROVIVAN")
    c.plant("PETROV", tagstr(tag), "family name glued after FSE", creator="GEMS_ACQU_01")
    c.plant("IVAN", tagstr(tag), "given name glued to the family name", creator="GEMS_ACQU_01")

    c = Case("c01-11", 1, "CONTROL: name parts that occur inside ordinary words",
             ident("ROSS^ELLA", "AU-5521-09", "19880822", "F"), options=(DESC,))
    ds = ct(c)
    ds.SeriesDescription = "CROSSTABLE LATERAL PATELLA"
    ds.StudyDescription = "KNEE ELLA ROSS"
    c.plant("ELLA ROSS", "(0008,1030)", "given+family with a space (the real mention)",
            scope="element")
    c.control("CROSSTABLE LATERAL PATELLA", "(0008,103E)",
              "ROSS inside CROSSTABLE and ELLA inside PATELLA are not the patient")


# =============================================================================================
# Class 2: short and CJK name parts
# =============================================================================================
def class2():
    c = Case("c02-01", 2, "two-letter family name in a full-name sequence",
             ident("WU^FEI", "CN-880123", "19790312", "M"), options=(DESC,))
    ds = ct(c)
    ds.ImageComments = "PT WU FEI, CONSENT ON FILE"
    c.plant("WU", "(0020,4000)", "two-letter family name", scope="element")
    c.plant("FEI", "(0020,4000)", "three-letter given name", scope="element")
    c.control("CONSENT ON FILE", "(0020,4000)", "the rest of the comment (ON as a word)")

    c = Case("c02-02", 2, "family name that is an English word (TO): name masked, the word kept",
             ident("TO^HUNG", "VN-20331", "19680505", "M"), options=(DESC,))
    ds = ct(c)
    ds.ImageComments = "CALLBACK PT TO HUNG"
    ds.StudyDescription = "REFERRED TO ORTHO"
    c.plant("TO", "(0020,4000)", "two-letter family name in the full name", scope="element")
    c.plant("HUNG", "(0020,4000)", "given name", scope="element")
    c.control("REFERRED TO ORTHO", "(0008,1030)", "TO as an English word")

    c = Case("c02-03", 2, "two-letter family and three-letter given name (Korean romanised)",
             ident("YI^JUN", "KR-5500-81", "19920630", "F"), options=(DESC,))
    ds = ct(c)
    ds.RequestedProcedureDescription = "MRI BRAIN YI JUN"
    c.plant("YI", "(0032,1060)", "two-letter family name", scope="element")
    c.plant("JUN", "(0032,1060)", "three-letter given name", scope="element")
    c.control("MRI BRAIN", "(0032,1060)", "the rest of the description")

    c = Case("c02-04", 2, "one-letter given name; the letter elsewhere is kept",
             ident("PEREZ^E", "MX-30012", "19550119", "M"), options=(DESC,))
    ds = ct(c)
    ds.ImageComments = "E PEREZ CALLBACK"
    ds.SeriesDescription = "SERIES E AXIAL"
    c.plant("E", "(0020,4000)", "one-letter given name before the family name",
            scope="element", word=True)
    c.plant("PEREZ", "(0020,4000)", "family name", scope="element")
    c.control("SERIES E AXIAL", "(0008,103E)", "the letter E as a series label")

    c = Case("c02-05", 2, "family name Li: the name masked, CLINIC and LIVER kept",
             ident("LI^QIANG", "CN-77120-3", "19830909", "M"), options=(DESC,))
    ds = ct(c)
    ds.ImageComments = "Li Qiang, seen in clinic"
    ds.StudyDescription = "CLINIC LIVER PROTOCOL"
    c.plant("Li", "(0020,4000)", "two-letter family name", scope="element")
    c.plant("Qiang", "(0020,4000)", "given name", scope="element")
    c.control("seen in clinic", "(0020,4000)", "the rest of the comment")
    c.control("CLINIC LIVER PROTOCOL", "(0008,1030)", "LI inside CLINIC and LIVER")

    c = Case("c02-06", 2, "given-family order with a two-letter family name; ECHO and HOLTER kept",
             ident("HO^MEI", "HK-E12345", "19710101", "F"), options=(DESC,))
    ds = ct(c)
    ds.PerformedProcedureStepDescription = "MEI HO ECHO"
    ds.StudyDescription = "ECHO HOLTER REVIEW"
    c.plant("HO", "(0040,0254)", "two-letter family name after the given name",
            scope="element")
    c.plant("MEI", "(0040,0254)", "three-letter given name", scope="element")
    c.control("ECHO HOLTER REVIEW", "(0008,1030)", "HO inside ECHO and HOLTER")

    c = Case("c02-07", 2, "family name DO (Vietnamese): the name masked, DO NOT kept",
             ident("DO^HANH", "VN-44120", "19870402", "F"), options=(DESC,))
    ds = ct(c)
    ds.RequestedProcedureDescription = "CT ABD DO HANH"
    ds.ImageComments = "DO NOT REPEAT CONTRAST"
    c.plant("DO", "(0032,1060)", "two-letter family name", scope="element")
    c.plant("HANH", "(0032,1060)", "given name", scope="element")
    c.control("DO NOT REPEAT CONTRAST", "(0020,4000)", "DO as an English word")

    c = Case("c02-08", 2, "family name AN: the name masked, the article kept",
             ident("AN^SANG", "KR-7723", "19600707", "M"), options=(DESC,))
    ds = ct(c)
    ds.PerformedProcedureStepDescription = "CALLBACK FOR SANG AN"
    ds.ImageComments = "AN INCIDENTAL NODULE"
    c.plant("AN", "(0040,0254)", "two-letter family name after the given name",
            scope="element")
    c.plant("SANG", "(0040,0254)", "given name", scope="element")
    c.control("AN INCIDENTAL NODULE", "(0020,4000)", "AN as an English article")

    c = Case("c02-09", 2, "family name LE: the name masked, LE FORT kept",
             ident("LE^MINH", "VN-99021", "19940815", "M"), options=(DESC,))
    ds = ct(c)
    ds.SeriesDescription = "LE MINH FACE 1MM"
    ds.StudyDescription = "LE FORT FRACTURE"
    c.plant("LE", "(0008,103E)", "two-letter family name", scope="element")
    c.plant("MINH", "(0008,103E)", "given name", scope="element")
    c.control("LE FORT FRACTURE", "(0008,1030)", "LE as part of an eponym")

    c = Case("c02-10", 2, "Japanese name without a space (ISO 2022 IR 87)",
             ident("YAMAMOTO^HANAKO=山本^花子=やまもと^はなこ", "JP-3320-11", "19750521", "F",
                   charset="\\ISO 2022 IR 87"), options=(DESC,))
    ds = ct(c)
    ds.StudyDescription = "山本花子 胸部CT"
    c.plant("山本花子", "(0008,1030)", "family+given ideographic without a space")
    c.plant("花子", "(0008,1030)", "given name ideographic", scope="element")
    c.control("胸部CT", "(0008,1030)", "the rest of the description (chest CT)")

    c = Case("c02-11", 2, "Chinese compound family name glued to the given name (UTF-8)",
             ident("OUYANG^NANA=欧阳^娜娜", "CN-330119", "19980211", "F", charset="ISO_IR 192"),
             options=(DESC,))
    ds = ct(c)
    ds.SeriesDescription = "欧阳娜娜复查"
    c.plant("欧阳娜娜", "(0008,103E)", "family+given without a space")

    c = Case("c02-12", 2, "Chinese name split somewhere else than in Patient's Name",
             ident("OU^YANGMINGHUA=欧^阳明华", "CN-661022", "19661212", "M", charset="ISO_IR 192"),
             options=(DESC,))
    ds = ct(c)
    ds.StudyDescription = "欧阳 明华 术后"
    c.plant("欧阳", "(0008,1030)", "compound family name (split after 2 characters)",
            scope="element")
    c.plant("明华", "(0008,1030)", "given name (2 characters)", scope="element")

    c = Case("c02-13", 2, "Korean name without a space (ISO 2022 IR 149)",
             ident("Kim^Minjun=김^민준", "KR-0091-55", "19890130", "M",
                   charset="\\ISO 2022 IR 149"), options=(DESC,))
    ds = ct(c)
    ds.StudyDescription = "김민준 추적검사"
    c.plant("김민준", "(0008,1030)", "family+given hangul without a space")

    c = Case("c02-14", 2, "single-character Chinese name parts (GB18030)",
             ident("Zhang^Wei=张^伟", "CN-5510-07", "19700104", "M", charset="GB18030"),
             options=(DESC,))
    ds = ct(c)
    ds.ImageComments = "张伟 胸片 复查"
    c.plant("张伟", "(0020,4000)", "one-character family and given name, glued")

    c = Case("c02-15", 2, "CONTROL: a one-character given name inside an ordinary word",
             ident("Lin^Hai=林^海", "CN-2207-31", "19630618", "M", charset="ISO_IR 192"),
             options=(DESC,))
    ds = ct(c)
    ds.StudyDescription = "肝脏 海绵状血管瘤"
    ds.ImageComments = "林海 随访"
    c.plant("林海", "(0020,4000)", "family+given glued (the real mention)", scope="element")
    c.control("海绵状血管瘤", "(0008,1030)", "海 inside the word for cavernous haemangioma")


# =============================================================================================
# Class 3: patient IDs in other spellings
# =============================================================================================
def class3():
    c = Case("c03-01", 3, "ID without its hyphen in Study Description",
             ident("ABERNATHY^LOIS", "MR-448812", "19530611", "F"), options=(DESC,))
    ds = ct(c)
    ds.StudyDescription = "CT CHEST MR448812"
    c.plant("MR448812", "(0008,1030)", "ID without the hyphen")
    c.control("CT CHEST", "(0008,1030)", "the rest of the description")

    c = Case("c03-02", 3, "ID without separators as a kept procedure Code Value",
             ident("QUINN^DECLAN", "0047-1193-22", "19610923", "M"))
    ds = ct(c)
    ds.ProcedureCodeSequence = Sequence([g.code("0047119322", "99RIS", "CT ABDOMEN")])
    c.plant("0047119322", "(0008,1032)[0].(0008,0100)", "ID digits only, separators dropped")

    c = Case("c03-03", 3, "ID with spaces written two other ways in Image Comments",
             ident("HARGREAVES^TOM", "943 476 5919", "19820306", "M"), options=(DESC,))
    ds = ct(c)
    ds.ImageComments = "NHS NO 9434765919 / 943-476-5919"
    c.plant("9434765919", "(0020,4000)", "ID without spaces")
    c.plant("943-476-5919", "(0020,4000)", "ID with hyphens instead of spaces")

    c = Case("c03-04", 3, "ID with slashes written without them",
             ident("NOWAK^EWA", "K/2019/00871", "19750419", "F"), options=(DESC,))
    ds = ct(c)
    ds.SeriesDescription = "K201900871 SAG T2"
    c.plant("K201900871", "(0008,103E)", "ID without slashes")

    c = Case("c03-05", 3, "ID with dots written as digits only",
             ident("SILVA^JOAO", "HN.7731.204", "19590730", "M"), options=(DESC,))
    ds = ct(c)
    ds.RequestedProcedureDescription = "CT SINUS 7731204"
    c.plant("7731204", "(0032,1060)", "ID digits only")

    c = Case("c03-06", 3, "ID in lower case without its hyphen in a kept LUT Explanation",
             ident("ZIMMER^KLAUS", "ZK-05521", "19500802", "M"))
    ds = ct(c)
    ds.VOILUTSequence = Sequence([Dataset()])
    ds.VOILUTSequence[0].add_new(0x00283002, "US", [4, 0, 16])
    ds.VOILUTSequence[0].LUTExplanation = "zk05521 custom"
    ds.VOILUTSequence[0].add_new(0x00283006, "US", [0, 100, 200, 300])
    c.plant("zk05521", "(0028,3010)[0].(0028,3003)", "ID lower case, hyphen dropped")

    c = Case("c03-07", 3, "ID with its leading zeros dropped",
             ident("BAKER^JUNE", "00562311", "19440116", "F"), options=(DESC,))
    ds = ct(c)
    ds.ImageComments = "MRN 562311 CONFIRMED"
    c.plant("562311", "(0020,4000)", "ID without its leading zeros")

    c = Case("c03-08", 3, "ID digits as a Code Value in Requested Procedure Code Sequence",
             ident("VARGA^BENCE", "ORD-55-0193", "19911105", "M"))
    ds = ct(c)
    ds.RequestedProcedureCodeSequence = Sequence([g.code("550193", "99ORD", "CT KNEE")])
    c.plant("550193", "(0032,1064)[0].(0008,0100)", "ID digits only")

    c = Case("c03-09", 3, "ID without hyphens in a safe private LO (Philips Imaging DD 002 "
             "Workflow Step Id)", ident("DEVRIES^SANNE", "A-773-4210", "19830614", "F"),
             options=(SAFE,))
    ds = ct(c)
    tag = g.private(ds, 0x2001, "Philips Imaging DD 002", 0x52, "LO", "WS_A7734210")
    c.plant("A7734210", tagstr(tag), "ID without hyphens after an underscore",
            creator="Philips Imaging DD 002")

    c = Case("c03-10", 3, "ID without separators in an SR text at depth 2",
             ident("IBRAHIM^AMINA", "55-190-342", "19860908", "F"), options=(SC,))
    sr(c, [("121106", "Comment", "MRN 55190342 verified at reception")])
    c.plant("55190342", "(0040,A730)[0].(0040,A730)[0].(0040,A160)", "ID without hyphens",
            file="input/sr.dcm")

    c = Case("c03-11", 3, "CONTROL: a year that is also a component of the ID",
             ident("MORENO^PILAR", "HN-2024-0007", "19700525", "F"), options=(DESC,))
    ds = ct(c)
    ds.ImageComments = "HN20240007 DOSE CHECK"
    ds.StudyDescription = "PROTOCOL REV 2024"
    c.plant("HN20240007", "(0020,4000)", "ID without hyphens")
    c.control("PROTOCOL REV 2024", "(0008,1030)", "2024 as a year, not the ID")


# =============================================================================================
# Class 4: dates in other spellings
# =============================================================================================
def class4():
    c = Case("c04-01", 4, "birth date as day, short month, year",
             ident("GRANT^PAULA", "US-40411", "19720415", "F"), options=(DESC,))
    ds = ct(c)
    ds.ImageComments = "born 15 Apr 1972"
    ds.StudyDescription = "PROTOCOL REV 03 Feb 2015"
    c.plant("15 Apr 1972", "(0020,4000)", "day short-month year")
    c.control("03 Feb 2015", "(0008,1030)", "a date that is not the birth date")

    c = Case("c04-02", 4, "birth date as full month name, day, comma, year",
             ident("HOLLOWAY^RAY", "US-99031", "19550930", "M"), options=(DESC,))
    ds = ct(c)
    ds.StudyDescription = "DOB September 30, 1955"
    ds.SeriesDescription = "CONTRAST LOT EXP September 30, 2027"
    c.plant("September 30, 1955", "(0008,1030)", "month-name day, year")
    c.control("September 30, 2027", "(0008,103E)", "same day and month, other year")

    c = Case("c04-03", 4, "birth date in Oracle style DD-MON-YYYY",
             ident("CASTILLO^MARTA", "ES-5503-2", "19881102", "F"), options=(DESC,))
    ds = ct(c)
    ds.RequestedProcedureComments = "DOB 02-NOV-1988 VERIFIED"
    c.plant("02-NOV-1988", "(0040,1400)", "DD-MON-YYYY")
    c.control("VERIFIED", "(0040,1400)", "the rest of the comment")

    c = Case("c04-04", 4, "birth date glued after DOB",
             ident("LAM^KEVIN", "CA-88012", "20040709", "M"), options=(DESC,))
    ds = ct(c)
    ds.SeriesDescription = "DOB20040709 PEDS"
    c.plant("20040709", "(0008,103E)", "YYYYMMDD glued after DOB")

    c = Case("c04-05", 4, "birth date with a two-digit year and a short month",
             ident("ODONNELL^SIOBHAN", "IE-22871", "19670228", "F"), options=(DESC,))
    ds = ct(c)
    ds.ImageComments = "pt dob 28-Feb-67"
    c.plant("28-Feb-67", "(0020,4000)", "DD-Mon-YY")

    c = Case("c04-06", 4, "birth date with a French month name",
             ident("LEFEBVRE^CHLOÉ", "FR-771203", "19930317", "F", charset="ISO_IR 100"),
             options=(DESC,))
    ds = ct(c)
    ds.StudyDescription = "IRM née le 17 mars 1993"
    c.plant("17 mars 1993", "(0008,1030)", "day French-month year")

    c = Case("c04-07", 4, "birth date with a German month name",
             ident("KRÜGER^LENA", "DE-30021-8", "19801224", "F", charset="ISO_IR 100"),
             options=(DESC,))
    ds = ct(c)
    ds.ImageComments = "geb. 24. Dezember 1980"
    c.plant("24. Dezember 1980", "(0020,4000)", "day. German-month year")

    c = Case("c04-08", 4, "birth date with an ordinal day",
             ident("PRICE^OWEN", "UK-60233", "20110105", "M"), options=(DESC,))
    ds = ct(c)
    ds.StudyDescription = "PEDS HIP born Jan 5th, 2011"
    c.plant("Jan 5th, 2011", "(0008,1030)", "Mon Dth, YYYY")

    c = Case("c04-09", 4, "birth date with a full month name in an SR text at depth 2",
             ident("MBEKI^THANDO", "ZA-4410-2", "19760611", "M"), options=(SC,))
    sr(c, [("121106", "Comment", "Patient born 11 June 1976, history of asthma")])
    c.plant("11 June 1976", "(0040,A730)[0].(0040,A730)[0].(0040,A160)", "day month-name year",
            file="input/sr.dcm")

    c = Case("c04-10", 4, "birth date glued as DDMONYYYY in a kept Content Description",
             ident("FLEMING^ROSE", "UK-11223", "19451231", "F"))
    ds = ct(c)
    ds.ContentDescription = "KEY IMAGES 31DEC1945"
    c.plant("31DEC1945", "(0070,0081)", "DDMONYYYY glued")

    c = Case("c04-11", 4, "CONTROL: same day and month as the birth date in another year",
             ident("NOLAN^FRANK", "UK-33009", "19700101", "M"), options=(DESC,))
    ds = ct(c)
    ds.ImageComments = "ANNUAL REVIEW 1 JAN 2020"
    ds.StudyDescription = "DOB 1 Jan 1970"
    c.plant("1 Jan 1970", "(0008,1030)", "D Mon YYYY")
    c.control("1 JAN 2020", "(0020,4000)", "a date that is not the birth date")


# =============================================================================================
# Class 5: the birth date in date elements outside Table E.1-1
# =============================================================================================
def class5():
    c = Case("c05-01", 5, "birth date in Secondary Review Date (0014,0102)",
             ident("HUGHES^MEGAN", "UK-50091", "19631108", "F"))
    ds = ct(c)
    ds.SecondaryReviewDate = "19631108"
    c.plant("19631108", "(0014,0102)", "DA equal to the birth date")

    c = Case("c05-02", 5, "birth date in Procedure Creation Date (0014,4076) with full dates kept",
             ident("SATO^KEN", "JP-55012", "19580722", "M"), options=(FULL,))
    ds = ct(c)
    ds.ProcedureCreationDate = "19580722"
    c.plant("19580722", "(0014,4076)", "DA equal to the birth date")

    c = Case("c05-03", 5, "birth date with a time in Expiration DateTime (0008,0416)",
             ident("NIELSEN^FREJA", "DK-120381", "19810312", "F"))
    ds = ct(c)
    ds.ExpirationDateTime = "19810312120000"
    c.plant("19810312", "(0008,0416)", "DT starting with the birth date")

    c = Case("c05-04", 5, "birth date in an unknown even-group DA with dates shifted",
             ident("ORTEGA^LUIS", "MX-88412", "19770930", "M"), options=(MOD,))
    ds = ct(c)
    ds.add_new(0x00567777, "DA", "19770930")
    c.plant("19770930", "(0056,7777)", "unknown even-group DA equal to the birth date")

    c = Case("c05-05", 5, "birth date in an unknown DA inside a kept sequence item",
             ident("PAPP^ZSOLT", "HU-4410-92", "19690214", "M"))
    ds = ct(c)
    item = g.code("P5-0800A", "99LOCAL", "CT PROTOCOL")
    item.add_new(0x0018A0A0, "DA", "19690214")
    ds.PerformedProtocolCodeSequence = Sequence([item])
    c.plant("19690214", "(0040,0260)[0].(0018,A0A0)", "unknown DA at depth 1")

    c = Case("c05-06", 5, "birth date as the second value of a multi-valued unknown DA",
             ident("KAYA^EMRE", "TR-220193", "19820519", "M"))
    ds = ct(c)
    ds.add_new(0x00627001, "DA", ["20210310", "19820519"])
    c.plant("19820519", "(0062,7001)", "second value of a DA with VM 2")

    c = Case("c05-07", 5, "birth date with time zone in Item Inventory DateTime (0008,0404) with "
             "full dates kept", ident("ROSSI^GIULIA", "IT-50122", "19900101", "F"),
             options=(FULL,))
    ds = ct(c)
    ds.ItemInventoryDateTime = "19900101083000.000000+0100"
    c.plant("19900101", "(0008,0404)", "DT with time zone starting with the birth date")

    c = Case("c05-08", 5, "birth date in an unknown even-group element of an Implicit VR file",
             ident("MOREAU^LUC", "FR-55310", "19761201", "M"), kind="header")
    ds = ct(c)
    ds.add_new(0x00561234, "DA", "19761201")
    c.implicit.add(F)
    c.plant("19761201", "(0056,1234)", "implicit VR unknown element holding the birth date")

    c = Case("c05-09", 5, "birth date in Date of Gain Calibration (0014,3076) at depth 2",
             ident("AHMED^FATIMA", "PK-77102", "19880417", "F"))
    ds = ct(c)
    inner = g.code("GAIN", "99LOCAL", "GAIN CALIBRATION")
    inner.DateOfGainCalibration = "19880417"
    outer = g.code("CAL", "99LOCAL", "CALIBRATION")
    outer.PerformedProtocolCodeSequence = Sequence([inner])
    ds.ProcedureCodeSequence = Sequence([outer])
    c.plant("19880417", "(0008,1032)[0].(0040,0260)[0].(0014,3076)", "DA at depth 2")


# =============================================================================================
# Class 6: character sets
# =============================================================================================
def class6():
    c = Case("c06-01", 6, "Greek outer set; a kept item declares UTF-8 and repeats the name",
             ident("ΠΑΠΑΔΟΠΟΥΛΟΥ^ΕΛΕΝΗ", "GR-330120", "19710808", "F", charset="ISO_IR 126"))
    ds = ct(c)
    item = g.code("CTHD", "99LOCAL", "")
    item.SpecificCharacterSet = "ISO_IR 192"
    item.CodeMeaning = "ΑΞΟΝΙΚΗ ΠΑΠΑΔΟΠΟΥΛΟΥ ΕΛΕΝΗ"
    ds.ProcedureCodeSequence = Sequence([item])
    c.plant("ΠΑΠΑΔΟΠΟΥΛΟΥ", "(0008,1032)[0].(0008,0104)", "family name in UTF-8 inside an item "
            "that declares ISO_IR 192 (outer ISO_IR 126)")

    c = Case("c06-02", 6, "UTF-8 outer set; an SR item declares Latin-1 and repeats the name",
             ident("Müller^Jürgen", "DE-5512-3", "19570301", "M", charset="ISO_IR 192"),
             options=(SC,))
    ds = sr(c, [("121106", "Comment", "placeholder")])
    text_item = ds.ContentSequence[0].ContentSequence[0]
    text_item.SpecificCharacterSet = "ISO_IR 100"
    text_item.TextValue = "Befund für Jürgen Müller"
    c.plant("Müller", "(0040,A730)[0].(0040,A730)[0].(0040,A160)",
            "family name in Latin-1 in an item declaring ISO_IR 100 (outer UTF-8)",
            file="input/sr.dcm")
    c.plant("Jürgen", "(0040,A730)[0].(0040,A730)[0].(0040,A160)", "given name, Latin-1",
            file="input/sr.dcm")

    c = Case("c06-03", 6, "ISO 2022 IR 87 outer set; a kept item declares UTF-8",
             ident("SATO^YUKI=佐藤^由紀", "JP-88120", "19660402", "F",
                   charset="\\ISO 2022 IR 87"))
    ds = ct(c)
    item = g.code("MRBR", "99LOCAL", "")
    item.SpecificCharacterSet = "ISO_IR 192"
    item.CodeMeaning = "頭部MRI 佐藤由紀"
    ds.ProcedureCodeSequence = Sequence([item])
    c.plant("佐藤由紀", "(0008,1032)[0].(0008,0104)", "ideographic name in UTF-8 inside an "
            "item declaring ISO_IR 192 (outer ISO 2022)")

    c = Case("c06-04", 6, "Cyrillic outer set; an item at depth 2 declares UTF-8",
             ident("ИВАНОВА^МАРИЯ", "RU-4471-0", "19790115", "F", charset="ISO_IR 144"))
    ds = ct(c)
    inner = g.code("CT1", "99LOCAL", "")
    inner.SpecificCharacterSet = "ISO_IR 192"
    inner.CodeMeaning = "КТ Иванова Мария"
    outer = g.code("PR", "99LOCAL", "PROTOCOL")
    outer.PerformedProtocolCodeSequence = Sequence([inner])
    ds.ProcedureCodeSequence = Sequence([outer])
    c.plant("Иванова", "(0008,1032)[0].(0040,0260)[0].(0008,0104)",
            "mixed-case family name in UTF-8 at depth 2 (outer ISO_IR 144)")

    c = Case("c06-05", 6, "decomposed (NFD) Vietnamese name in Image Comments",
             ident("NGUYỄN^THỊ HƯƠNG", "VN-30017", "19850908", "F", charset="ISO_IR 192"),
             options=(DESC,))
    ds = ct(c)
    ds.ImageComments = unicodedata.normalize("NFD", "kiểm tra Nguyễn Thị Hương")
    c.plant(unicodedata.normalize("NFD", "Nguyễn"), "(0020,4000)", "family name, NFD")
    c.plant(unicodedata.normalize("NFD", "Hương"), "(0020,4000)", "given name, NFD")
    c.control("kiểm tra", "(0020,4000)", "the rest of the comment (check-up), NFD")

    c = Case("c06-06", 6, "Patient's Name stored decomposed, description composed",
             ident(unicodedata.normalize("NFD", "Ströbele^Käthe"), "DE-4411-7", "19480620", "F",
                   charset="ISO_IR 192"), options=(DESC,))
    ds = ct(c)
    ds.StudyDescription = "Kontrolle Käthe Ströbele"
    c.plant("Ströbele", "(0008,1030)", "family name, NFC (the name element is NFD)")
    c.plant("Käthe", "(0008,1030)", "given name, NFC")

    c = Case("c06-07", 6, "Latin-2 outer set; an item declares UTF-8 with NFD text",
             ident("WIŚNIEWSKA^ŻANETA", "PL-99102", "19770707", "F", charset="ISO_IR 101"))
    ds = ct(c)
    item = g.code("RTG", "99LOCAL", "")
    item.SpecificCharacterSet = "ISO_IR 192"
    item.CodeMeaning = unicodedata.normalize("NFD", "RTG Żaneta Wiśniewska")
    ds.ProcedureCodeSequence = Sequence([item])
    c.plant(unicodedata.normalize("NFD", "Wiśniewska"), "(0008,1032)[0].(0008,0104)",
            "mixed-case NFD family name in a UTF-8 item (outer ISO_IR 101)")

    c = Case("c06-08", 6, "Turkish name in upper case in the name, mixed case in the text",
             ident("ÇELİK^ŞÜKRÜ", "TR-50019", "19640919", "M", charset="ISO_IR 148"),
             options=(DESC,))
    ds = ct(c)
    ds.StudyDescription = "Çelik Şükrü kontrol"
    c.plant("Çelik", "(0008,1030)", "mixed-case family name (dotted capital İ in the name)")
    c.plant("Şükrü", "(0008,1030)", "mixed-case given name")
    c.control("kontrol", "(0008,1030)", "the rest of the description")

    c = Case("c06-09", 6, "Arabic outer set (ISO_IR 127); a kept item declares UTF-8",
             ident("محمد^أحمد", "EG-330012", "19830330", "M", charset="ISO_IR 127"))
    ds = ct(c)
    item = g.code("CTC", "99LOCAL", "")
    item.SpecificCharacterSet = "ISO_IR 192"
    item.CodeMeaning = "أشعة مقطعية أحمد محمد"
    ds.ProcedureCodeSequence = Sequence([item])
    c.plant("أحمد محمد", "(0008,1032)[0].(0008,0104)", "given+family in UTF-8 inside an item "
            "declaring ISO_IR 192")


# =============================================================================================
# Class 7: retired standard elements stored as UN
# =============================================================================================
def class7():
    c = Case("c07-01", 7, "text in Zonal Map (1010,0004) stored as UN",
             ident("OBRIEN^SEAMUS", "IE-66012", "19520315", "M"))
    ds = ct(c)
    ds.add_new(0x10100004, "UN", b"SEAMUS O'BRIEN 19520315 ")
    c.plant("SEAMUS", "(1010,0004)", "given name in a retired US element stored as UN")
    c.plant("19520315", "(1010,0004)", "birth date in the same UN value")

    c = Case("c07-02", 7, "name in Image Location (0028,0200) stored as UN",
             ident("DZIEDZIC^TOMASZ", "PL-771203", "19790504", "M"))
    ds = ct(c)
    ds.add_new(0x00280200, "UN", b"DZIEDZIC^TOMASZ ")
    c.plant("DZIEDZIC", "(0028,0200)", "family name in a retired US element stored as UN")

    c = Case("c07-03", 7, "ID in Image Dimensions (0028,0005) stored as UN",
             ident("HAAS^PETRA", "AT-7781102", "19620130", "F"))
    ds = ct(c)
    ds.add_new(0x00280005, "UN", b"AT-7781102")
    c.plant("AT-7781102", "(0028,0005)", "patient ID in a retired US element stored as UN")

    c = Case("c07-04", 7, "name and birth date in Original Image Identification (0020,5000) "
             "stored as UN", ident("VARGAS^ROSA", "CO-300021", "19590214", "F"))
    ds = ct(c)
    ds.add_new(0x00205000, "UN", b"VARGAS ROSA 1959-02-14")
    c.plant("VARGAS", "(0020,5000)", "family name in a retired AT element stored as UN")
    c.plant("1959-02-14", "(0020,5000)", "birth date ISO form in the same value")

    c = Case("c07-05", 7, "text in a retired element of an Implicit VR file (Zonal Map "
             "(1010,0008))", ident("HALVORSEN^INGRID", "NO-12077", "19730816", "F"))
    ds = ct(c)
    ds.add_new(0x10100008, "UN", b"HALVORSEN^INGRID")
    c.implicit.add(F)
    c.plant("HALVORSEN", "(1010,0008)", "family name in a retired US element (implicit VR)")

    c = Case("c07-06", 7, "retired element stored as UN inside a kept sequence item",
             ident("KOVAC^MILAN", "SK-330912", "19580611", "M"))
    ds = ct(c)
    item = g.code("CT1", "99LOCAL", "CT HEAD")
    item.add_new(0x10100002, "UN", b"KOVAC MILAN ")
    ds.ProcedureCodeSequence = Sequence([item])
    c.plant("KOVAC", "(0008,1032)[0].(1010,0002)", "family name in a UN element at depth 1")


# =============================================================================================
# Class 8: UTF-16 text inside safe private OB
# =============================================================================================
def class8():
    c = Case("c08-01", 8, "UTF-16LE name in SIEMENS Ultrasound SC2000 Common Acoustic Meta "
             "Information (0119,xx01)", ident("LINDQVIST^ASTRID", "SE-8812-0", "19810514", "F"),
             options=(SAFE,))
    ds = ct(c)
    data = "PROBE=4V1c;Patient: LINDQVIST, ASTRID;".encode("utf-16-le")
    tag = g.private(ds, 0x0119, "SIEMENS Ultrasound SC2000", 0x01, "OB", data)
    c.plant("LINDQVIST", tagstr(tag), "family name, UTF-16LE", creator="SIEMENS Ultrasound SC2000")
    c.plant("ASTRID", tagstr(tag), "given name, UTF-16LE", creator="SIEMENS Ultrasound SC2000")
    c.control("PROBE=4V1c", tagstr(tag), "the non-identifying part of the value",
              creator="SIEMENS Ultrasound SC2000")

    c = Case("c08-02", 8, "UTF-16BE with BOM, non-ASCII name, in Philips Imaging DD 097 Volume "
             "Mask Data (2001,xx2f)", ident("GONZÁLEZ^ROCÍO", "ES-66120", "19790919", "F",
                                            charset="ISO_IR 100"), options=(SAFE,))
    ds = ct(c)
    data = "\ufeffMASK v2 owner=GONZÁLEZ ROCÍO".encode("utf-16-be")
    if len(data) % 2:
        data += b"\x00"
    tag = g.private(ds, 0x2001, "Philips Imaging DD 097", 0x2F, "OB", data)
    c.plant("GONZÁLEZ", tagstr(tag), "accented family name, UTF-16BE",
            creator="Philips Imaging DD 097")

    c = Case("c08-03", 8, "UTF-16LE XML with ID and birth date in SC2000 Application State "
             "Information (0129,xx10)", ident("HOLM^ERIK", "SE-5532-09", "19840319", "M"),
             options=(SAFE,))
    ds = ct(c)
    data = '<State><Patient id="SE-5532-09" dob="1984-03-19"/></State>'.encode("utf-16-le")
    tag = g.private(ds, 0x0129, "SIEMENS Ultrasound SC2000", 0x10, "OB", data)
    c.plant("SE-5532-09", tagstr(tag), "patient ID, UTF-16LE", creator="SIEMENS Ultrasound SC2000")
    c.plant("1984-03-19", tagstr(tag), "birth date ISO form, UTF-16LE",
            creator="SIEMENS Ultrasound SC2000")

    c = Case("c08-04", 8, "UTF-16LE with BOM in TOYON After Payload (7FD1,xx11)",
             ident("ABARA^CHIOMA", "NG-77012", "19900807", "F"), options=(SAFE,))
    ds = ct(c)
    data = "\ufeffexported for ABARA CHIOMA".encode("utf-16-le")
    tag = g.private(ds, 0x7FD1, "SIEMENS SYNGO ULTRA-SOUND TOYON DATA STREAMING", 0x11, "OB", data)
    c.plant("ABARA", tagstr(tag), "family name, UTF-16LE with BOM",
            creator="SIEMENS SYNGO ULTRA-SOUND TOYON DATA STREAMING")
    c.plant("CHIOMA", tagstr(tag), "given name, UTF-16LE with BOM",
            creator="SIEMENS SYNGO ULTRA-SOUND TOYON DATA STREAMING")

    c = Case("c08-05", 8, "UTF-16LE odd-aligned after a binary header in HOLOGIC Codec Content "
             "(7E01,xx12)", ident("PATEL^NIKHIL", "IN-0042-18", "19700222", "M"),
             options=(SAFE,))
    ds = ct(c)
    data = b"\x07\x00\x01" + "IN-0042-18 PATEL".encode("utf-16-le") + b"\x00"
    tag = g.private(ds, 0x7E01, "HOLOGIC, Inc.", 0x12, "OB", data)
    c.plant("PATEL", tagstr(tag), "family name, UTF-16LE at an odd byte offset",
            creator="HOLOGIC, Inc.")
    c.plant("IN-0042-18", tagstr(tag), "patient ID, UTF-16LE at an odd byte offset",
            creator="HOLOGIC, Inc.")


# =============================================================================================
# Class 9: the per-patient date shift
# =============================================================================================
def class9():
    def shift_case(cid, title, idents, expect, note=""):
        c = Case(cid, 9, title, idents[0], options=(MOD,), kind="dateshift",
                 description=note or title)
        files = []
        for i, idn in enumerate(idents):
            ds = g.ct_image(cid, idn, study=str(i), instance=1)
            ds.StudyDate = ["20220301", "20220915", "20230110"][i]
            ds.SeriesDate = ds.ContentDate = ds.StudyDate
            rel = f"visit{i + 1}.dcm"
            c.add(rel, ds)
            files.append("input/" + rel)
            for value in dict.fromkeys((idn.get("name", ""), idn["id"])):
                if value and len(value) >= 4:
                    c.plant(value, None, "identity of visit %d" % (i + 1), file=files[-1],
                            report=False, word=True)
            c.plant(ds.StudyDate, None, "original study date of visit %d" % (i + 1),
                    file=files[-1], report=False, word=True)
            c.plant(idn["birth"], None, "original birth date", file=files[-1], report=False,
                    word=True)
        c.checks.append({"type": "dateshift", "files": files, "expect": expect})
        c.ident = None  # plants made per file above
        return c

    shift_case("c09-01", "same ID and issuer, name with and without a middle initial",
               [ident("GARCIA^LUCIA", "GH-30018", "19760202", "F", issuer="ST LUKE"),
                ident("GARCIA^LUCIA^M", "GH-30018", "19760202", "F", issuer="ST LUKE")], "same")
    shift_case("c09-02", "same ID, name in mixed case and in upper case",
               [ident("Okonkwo^Chinedu", "LG-55012", "19690416", "M"),
                ident("OKONKWO^CHINEDU", "LG-55012", "19690416", "M")], "same")
    shift_case("c09-03", "same ID, name with and without an ideographic group",
               [ident("TANAKA^AOI", "JP-41200", "19880612", "F"),
                ident("TANAKA^AOI=田中^葵", "JP-41200", "19880612", "F",
                      charset="\\ISO 2022 IR 87")], "same")
    shift_case("c09-04", "same ID, one visit with an empty name",
               [ident("BERG^NILS", "NO-80021", "19550918", "M"),
                ident("", "NO-80021", "19550918", "M")], "same")
    shift_case("c09-05", "same ID, trailing empty components and padding in one name",
               [ident("NOVAK^PETR^^^", "CZ-11990", "19710523", "M"),
                ident("NOVAK^PETR", "CZ-11990", "19710523", "M")], "same")
    shift_case("c09-06", "same ID, three spellings (accents, hyphen, second given name)",
               [ident("Ruiz Soto^José", "ES-90233", "19800808", "M", charset="ISO_IR 100"),
                ident("RUIZ SOTO^JOSE", "ES-90233", "19800808", "M"),
                ident("Ruiz-Soto^José Antonio", "ES-90233", "19800808", "M",
                      charset="ISO_IR 100")], "same")
    shift_case("c09-07", "two patients with the same name and different IDs",
               [ident("SMITH^ANNA", "US-10001", "19700101", "F"),
                ident("SMITH^ANNA", "US-20002", "19820606", "F")], "different",
               "two different patients (different IDs) who share a name must not share a key: "
               "the shift is keyed on the ID")
    shift_case("c09-08", "same ID value from two different issuers",
               [ident("WONG^ALICE", "100234", "19660614", "F", issuer="HOSP A"),
                ident("WONG^ALICE", "100234", "19721103", "F", issuer="HOSP B")], "different",
               "the same ID string from two issuers is two patients (ID plus issuer is the key)")
    shift_case("c09-09", "no Patient ID: the normalised name is the fallback key",
               [ident("Doe^Jane", "", "19810101", "F"),
                ident("DOE^JANE", "", "19810101", "F")], "same",
               "without an ID the shift falls back to the normalised name, so a change of "
               "case must not change it")


# =============================================================================================
# Class 10: UIDs
# =============================================================================================
def class10():
    c = Case("c10-01", 10, "Frame of Reference UID repeated in Table and Target Frame of "
             "Reference UIDs (not in Table E.1-1)",
             ident("FISCHER^MAX", "DE-44120", "19660921", "M"))
    ds = ct(c)
    ds.TableFrameOfReferenceUID = ds.FrameOfReferenceUID
    ds.add_new(0x0018991E, "UI", ds.FrameOfReferenceUID)
    c.plant(ds.FrameOfReferenceUID, "(0020,9313)", "Frame of Reference UID repeated",
            raw=True, word=True)
    c.plant(ds.FrameOfReferenceUID, "(0018,991E)", "Frame of Reference UID repeated again",
            raw=True, word=True)
    c.checks.append({"type": "uid_same", "file": F, "a": "(0020,0052)",
                     "b": ["(0020,9313)", "(0018,991E)"]})

    c = Case("c10-02", 10, "Study and Series UIDs inside a kept Retrieve URL",
             ident("COSTA^BEATRIZ", "BR-50123", "19840202", "F"))
    ds = ct(c)
    ds.RetrieveURL = ("https://pacs.example.org/dicomweb/studies/%s/series/%s"
                      % (ds.StudyInstanceUID, ds.SeriesInstanceUID))
    c.plant(ds.StudyInstanceUID, "(0008,1190)", "Study Instance UID in a URL", word=True)
    c.plant(ds.SeriesInstanceUID, "(0008,1190)", "Series Instance UID in a URL", word=True)
    c.checks.append({"type": "uid_in_text", "file": F, "text": "(0008,1190)",
                     "uids": ["(0020,000D)", "(0020,000E)"]})

    c = Case("c10-03", 10, "a referenced SOP Instance UID repeated in Image Comments",
             ident("JENSEN^OLE", "DK-30019", "19571117", "M"), options=(DESC,))
    ds = ct(c)
    prior = g.uid(c.id, "prior-image")
    ref = Dataset()
    ref.ReferencedSOPClassUID = g.CT_IMAGE
    ref.ReferencedSOPInstanceUID = prior
    ds.ReferencedImageSequence = Sequence([ref])
    ds.ImageComments = "compare with prior %s" % prior
    c.plant(prior, "(0020,4000)", "referenced SOP Instance UID in free text", word=True)
    c.checks.append({"type": "uid_in_text", "file": F, "text": "(0020,4000)",
                     "uids": ["(0008,1140)[0].(0008,1155)"]})

    c = Case("c10-04", 10, "Irradiation Event UID repeated as Radiopharmaceutical "
             "Administration Event UID at depth 1",
             ident("KELLY^AOIFE", "IE-99120", "19800712", "F"))
    ds = ct(c)
    ev = g.uid(c.id, "irradiation-event")
    ds.IrradiationEventUID = ev
    rp = Dataset()
    rp.add_new(0x00083012, "UI", ev)
    rp.Radiopharmaceutical = "FDG"
    ds.RadiopharmaceuticalInformationSequence = Sequence([rp])
    c.plant(ev, "(0054,0016)[0].(0008,3012)", "event UID repeated at depth 1", word=True)
    c.checks.append({"type": "uid_same", "file": F, "a": "(0008,3010)",
                     "b": ["(0054,0016)[0].(0008,3012)"]})

    c = Case("c10-05", 10, "Frame of Reference UID repeated as Equipment Frame of Reference "
             "UID at depth 3", ident("MARTIN^CLAIRE", "FR-61023", "19741009", "F"))
    ds = ct(c)
    l3 = Dataset()
    l3.add_new(0x300A0675, "UI", ds.FrameOfReferenceUID)
    l2 = g.code("EQ", "99LOCAL", "EQUIPMENT")
    l2.ProcedureCodeSequence = Sequence([l3])
    l1 = g.code("PL", "99LOCAL", "PLAN")
    l1.PerformedProtocolCodeSequence = Sequence([l2])
    ds.ProcedureCodeSequence = Sequence([l1])
    w = "(0008,1032)[0].(0040,0260)[0].(0008,1032)[0].(300A,0675)"
    c.plant(ds.FrameOfReferenceUID, w, "Frame of Reference UID at depth 3", word=True)
    c.checks.append({"type": "uid_same", "file": F, "a": "(0020,0052)", "b": [w]})

    c = Case("c10-06", 10, "an instance UID made under the DICOM root: inspect and deid agree",
             ident("ADEYEMI^TUNDE", "NG-33012", "19650105", "M"))
    ds = ct(c)
    bad = "1.2.840.10008.99.7.20200101.1"
    ds.SOPInstanceUID = bad
    ds.file_meta.MediaStorageSOPInstanceUID = bad
    c.plant(bad, "(0008,0018)", "SOP Instance UID under 1.2.840.10008 (not a DICOM-defined UID)",
            word=True)
    c.checks.append({"type": "uid_agree", "file": F, "where": ["(0008,0018)"]})

    c = Case("c10-07", 10, "a Series UID under the DICOM root repeated in a reference",
             ident("LARSEN^KAJA", "NO-44102", "19890925", "F"))
    ds = ct(c)
    bad = "1.2.840.10008.5.1.4.1.1.2.20200101.5"
    ds.SeriesInstanceUID = bad
    rs = Dataset()
    rs.SeriesInstanceUID = bad
    ds.ReferencedSeriesSequence = Sequence([rs])
    c.plant(bad, "(0020,000E)", "Series Instance UID under the DICOM root", word=True)
    c.checks.append({"type": "uid_agree", "file": F,
                     "where": ["(0020,000E)", "(0008,1115)[0].(0020,000E)"]})
    c.checks.append({"type": "uid_same", "file": F, "a": "(0020,000E)",
                     "b": ["(0008,1115)[0].(0020,000E)"]})

    c = Case("c10-08", 10, "CONTROL: DICOM-defined and coding-scheme UIDs stay",
             ident("BAUER^JONAS", "AT-55102", "19720304", "M"))
    ds = ct(c)
    ref = Dataset()
    ref.ReferencedSOPClassUID = g.CT_IMAGE
    ref.ReferencedSOPInstanceUID = g.uid(c.id, "other")
    ds.ReferencedImageSequence = Sequence([ref])
    cs = g.code("T-D1100", "SRT", "Head")
    cs.add_new(0x0008010C, "UI", "2.16.840.1.113883.6.96")
    ds.AnatomicRegionSequence = Sequence([cs])
    c.control(g.CT_IMAGE, "(0008,1140)[0].(0008,1150)", "Referenced SOP Class UID (DICOM)")
    c.control("2.16.840.1.113883.6.96", "(0008,2218)[0].(0008,010C)", "SNOMED CT coding "
              "scheme UID")

    c = Case("c10-09", 10, "two files: one references the other's SOP Instance UID in a "
             "Multi-frame Source list and in a URL",
             ident("SHAW^DANIEL", "UK-88001", "19630513", "M"))
    a = ct(c, "a.dcm", instance=1)
    b = ct(c, "b.dcm", instance=2)
    b.add_new(0x00081167, "UI", [a.SOPInstanceUID])
    b.RetrieveURL = "https://pacs.example.org/dicomweb/instances/%s" % a.SOPInstanceUID
    c.plant(a.SOPInstanceUID, "(0008,1190)", "file A's SOP Instance UID in file B's URL",
            file="input/b.dcm", word=True)
    c.checks.append({"type": "uid_cross", "src": {"file": "input/a.dcm", "where": "(0008,0018)"},
                     "dst": {"file": "input/b.dcm", "where": "(0008,1167)"}})


# =============================================================================================
# Class 11: DICOMDIR
# =============================================================================================
def class11():
    def dicomdir_case(cid, title, patients, rename=None, sub="", extra=None, options=()):
        """patients: list of (ident, [(study, series, n_images)])"""
        first = patients[0][0]
        c = Case(cid, 11, title, first, kind="dicomdir", options=options)
        datasets = []
        for pi, (idn, layout) in enumerate(patients):
            for study, series, n in layout:
                for k in range(1, n + 1):
                    ds = g.ct_image(cid, idn, instance=k, series=series, study=f"{pi}.{study}")
                    ds.StudyDescription = "CT THORAX"
                    ds.SeriesDescription = "AXIAL %s" % series
                    if extra:
                        extra(ds)
                    datasets.append(ds)
            for value in (idn["name"], idn["id"], idn["birth"]):
                if len(value) >= 4:
                    c.plant(value, None, "identity of patient %d" % (pi + 1), file=None,
                            report=False, word=True)

        def build(cdir, datasets=datasets):
            root = cdir / "input" / sub if sub else cdir / "input"
            g.write_fileset(root, datasets, "HELDOUT", g.uid(cid, "fileset"), rename=rename)
        c.post.append(build)
        dd = "input/%sDICOMDIR" % (sub + "/" if sub else "")
        for pi, (idn, _) in enumerate(patients):
            c.plant(idn["name"].split("^")[0], None, "family name in the DICOMDIR patient "
                    "record %d" % (pi + 1), file=dd, report=True, word=True)
        c.checks.append({"type": "dicomdir", "dicomdir": dd,
                         "names": [p[0]["name"] for p in patients]})
        c.ident = None
        return c

    dicomdir_case("c11-01", "one patient with a long name, two series, three images",
                  [(ident("VAN DER BERG-OOSTERHUIS^JOHANNA MARIA", "NL-300912-4", "19510404",
                          "F"), [("1", "1", 2), ("1", "2", 1)])])
    dicomdir_case("c11-02", "two patients of very different name lengths",
                  [(ident("POE^AL", "US-7", "19900101", "M"), [("1", "1", 2)]),
                   (ident("ALEXANDROPOULOS-KARAGIANNIS^KONSTANTINOS", "GR-99120331", "19450707",
                          "M"), [("1", "1", 1), ("2", "1", 1)])])
    dicomdir_case("c11-03", "File IDs named after the patient (a CD burner's folders)",
                  [(ident("KIM^SOYEON", "KR-66012", "19870312", "F"), [("1", "1", 2)])],
                  rename={"PT000000": "KIMSOYEO", "ST000000": "KR66012"})
    c = CASES[-1]
    for v, form in (("KIMSOYEO", "name glued and cut to 8 characters, as a File ID component"),
                    ("KR66012", "ID without its hyphen, as a File ID component")):
        c.plant(v, None, form + " (in the DICOMDIR)", file=None, report=False)
        c.plant(v, None, form + " (in the output paths)", scope="path", report=False)
    dicomdir_case("c11-04", "DICOMDIR in a sub-folder of the argument, dates shifted",
                  [(ident("ESPOSITO^MARCO", "IT-88120", "19720818", "M"), [("1", "1", 2)])],
                  sub="CDROM", options=(MOD,))

    def add_desc(ds):
        ds.AccessionNumber = "ACC55012"
        ds.StudyDescription = "CT FOR OYELARAN"
    c = dicomdir_case("c11-05", "records carrying birth date, accession and description",
                      [(ident("OYELARAN^FOLAKE", "NG-20331", "19780625", "F"), [("1", "1", 2)])],
                      extra=add_desc)
    c.plant("ACC55012", None, "accession number in the study record", file=None, report=False)


# =============================================================================================
# Class 12: paths
# =============================================================================================
def class12():
    c = Case("c12-01", 12, "folder named after the patient's name and ID, and a dated folder",
             ident("ROSSI^MARIO", "RS-55123", "19601010", "M"), kind="paths")
    ct(c, "ROSSI_MARIO_RS-55123/CT 2021-05-04/IM0001.dcm")
    for v, form in (("ROSSI", "family name in a folder"), ("MARIO", "given name in a folder"),
                    ("RS-55123", "patient ID in a folder")):
        c.plant(v, None, form, scope="path", report=False)
    c.checks.append({"type": "count_outputs", "n": 1})

    c = Case("c12-02", 12, "file given by name, the name holds the patient's name",
             ident("KOWALCZYK^ANNA", "PL-66102", "19830130", "F"), kind="paths",
             inputs=["input/Kowalczyk Anna.dcm"])
    ct(c, "Kowalczyk Anna.dcm")
    c.plant("Kowalczyk", None, "family name in the file name", scope="path", report=False)
    c.checks.append({"type": "count_outputs", "n": 1})

    c = Case("c12-03", 12, "file names made of the ID without separators",
             ident("LUND^SVEN", "AB-77120", "19580808", "M"), kind="paths")
    ct(c, "AB77120_thorax_1.dcm", instance=1)
    ct(c, "AB77120_thorax_2.dcm", instance=2)
    c.plant("AB77120", None, "ID without its hyphen in file names", scope="path", report=False)
    c.checks.append({"type": "count_outputs", "n": 2})

    c = Case("c12-04", 12, "non-ASCII name and birth date in a folder name",
             ident("JØRGENSEN^SØREN", "DK-55012", "19550630", "M", charset="ISO_IR 100"),
             kind="paths")
    ct(c, "Jørgensen, Søren (1955-06-30)/series 3/img.dcm")
    c.plant("Jørgensen", None, "family name (UTF-8 folder name)", scope="path", report=False)
    c.plant("1955-06-30", None, "birth date in a folder name", scope="path", report=False)
    c.checks.append({"type": "count_outputs", "n": 1})

    c = Case("c12-05", 12, "two patients: folders with caret names and accession numbers",
             ident("NAKAJIMA^REN", "JP-22019", "19910412", "M", accession="ACC445566"),
             kind="paths")
    ct(c, "PATIENTS/NAKAJIMA^REN/ACC445566/1.dcm")
    other = ident("OSEI^ABENA", "GH-10293", "19880101", "F", accession="ACC778899")
    ds2 = g.ct_image(c.id + "-b", other)
    c.add("PATIENTS/OSEI^ABENA/ACC778899/1.dcm", ds2)
    for v in ("NAKAJIMA", "ACC445566", "OSEI", "ACC778899"):
        c.plant(v, None, "name or accession in a folder", scope="path", report=False)
    c.checks.append({"type": "count_outputs", "n": 2})

    c = Case("c12-06", 12, "file named by its original SOP Instance UID",
             ident("REYES^CARMEN", "PH-4410", "19700909", "F"), kind="paths")
    sop = g.uid(c.id, "sop.1.1")
    ct(c, sop + ".dcm")
    c.plant(sop, None, "original SOP Instance UID as the file name", scope="path",
            report=False)
    c.checks.append({"type": "count_outputs", "n": 1})

    c = Case("c12-07", 12, "CONTROL: --keep-paths keeps the folder names (the opt-out)",
             ident("ROSSI^MARIA", "RS-55124", "19621212", "F"), kind="paths",
             extra_args=("--keep-paths",))
    ct(c, "ROSSI_MARIA_RS-55124/IM0001.dcm")
    c.checks.append({"type": "keep_paths", "expect": ["ROSSI_MARIA_RS-55124/IM0001.dcm"]})


# =============================================================================================
# Class 13: batches
# =============================================================================================
def class13():
    def good(c, rel, k):
        ds = g.ct_image(c.id, c.ident, instance=k)
        c.add(rel, ds)

    c = Case("c13-01", 13, "a file cut inside its file meta group in a folder of good files",
             ident("MOYO^TENDAI", "ZW-33012", "19790101", "M"), kind="batch")
    for k in range(1, 4):
        good(c, f"im{k}.dcm", k)
    bad = g.ct_image(c.id, c.ident, instance=9)

    def write_cut(path, bad=bad):
        g.save(bad, path)
        g.truncate(path, 160)
    c.add("bad_ward3.dcm", write_cut)
    c.checks.append({"type": "named", "files": ["input/bad_ward3.dcm"]})
    c.checks.append({"type": "accounted"})

    c = Case("c13-02", 13, "an empty .dcm file and a text file next to good files",
             ident("NAIR^ANJALI", "IN-55102", "19850505", "F"), kind="batch")
    good(c, "im1.dcm", 1)
    good(c, "im2.dcm", 2)
    c.add("EMPTY.dcm", b"")
    c.add("notes.txt", b"scan notes, nothing identifying\n")
    c.checks.append({"type": "named", "files": ["input/EMPTY.dcm"]})
    c.checks.append({"type": "accounted"})

    c = Case("c13-03", 13, "a file with a preamble and DICM but garbage after it",
             ident("SALO^AINO", "FI-22013", "19770303", "F"), kind="batch")
    good(c, "im1.dcm", 1)
    junk = bytes(128) + b"DICM" + hashlib.sha256(b"junk").digest() * 8
    c.add("corrupt.dcm", junk)
    c.checks.append({"type": "named", "files": ["input/corrupt.dcm"]})
    c.checks.append({"type": "accounted"})

    c = Case("c13-04", 13, "the same file given twice on the command line",
             ident("DIALLO^MOUSSA", "SN-77012", "19690909", "M"), kind="batch",
             inputs=["input/im1.dcm", "input/im1.dcm"])
    good(c, "im1.dcm", 1)
    c.checks.append({"type": "once", "n": 1})

    c = Case("c13-05", 13, "a folder and a file inside it, both given",
             ident("FRANCO^ELENA", "AR-33019", "19920202", "F"), kind="batch",
             inputs=["input", "input/sub/im2.dcm"])
    good(c, "im1.dcm", 1)
    good(c, "sub/im2.dcm", 2)
    c.checks.append({"type": "once", "n": 2})

    c = Case("c13-06", 13, "CONTROL: two identical copies in different folders are both "
             "accounted for", ident("HAMID^YUSUF", "SD-99012", "19800410", "M"), kind="batch")
    ds = g.ct_image(c.id, c.ident, instance=1)
    c.add("copyA/im.dcm", ds)
    c.add("copyB/im.dcm", g.ct_image(c.id, c.ident, instance=1))
    c.checks.append({"type": "accounted"})

    c = Case("c13-07", 13, "CONTROL: a file without preamble or meta group is still cleaned",
             ident("PAJARI^OTTO", "FI-80013", "19610606", "M"), kind="batch")
    good(c, "im1.dcm", 1)
    bare = g.ct_image(c.id, c.ident, instance=2)

    def write_bare(path, bare=bare):
        from pydicom.filewriter import dcmwrite
        bare2 = Dataset()
        bare2.update(bare)
        dcmwrite(path, bare2, implicit_vr=False, little_endian=True,
                 enforce_file_format=False)
    c.add("legacy/im2", write_bare)
    c.checks.append({"type": "accounted"})
    c.checks.append({"type": "count_outputs", "n": 2})


# =============================================================================================
# Class 14: damaged files
# =============================================================================================
def class14():
    def damaged(cid, title, idn, make, names):
        c = Case(cid, 14, title, idn, kind="damaged")

        def write(path):
            make(path)
        c.add("damaged.dcm", write)
        c.checks.append({"type": "damaged", "file": "input/damaged.dcm", "names": names})
        return c

    def cut_in_pixels(cid, idn, frac=0.4, implicit=False, rows=64):
        def make(path):
            ds = g.ct_image(cid, idn, rows=rows)
            g.save(ds, path, implicit=implicit)
            px = g.offset_of(path, 0x7FE00010)
            size = path.stat().st_size
            g.truncate(path, px + int((size - px) * frac))
        return make

    i1 = ident("FITZGERALD^NIAMH", "IE-3321-77", "19840915", "F")
    damaged("c14-01", "native Pixel Data cut off at 40%, header intact", i1,
            cut_in_pixels("c14-01", i1), ["FITZGERALD", "IE-3321-77"])

    i2 = ident("ABARA^OLUWASEUN", "NG-6610-23", "19910312", "M")

    def make2(path):
        ds = g.ct_image("c14-02", i2)
        g.encapsulate_fake(ds, [bytes(range(256)) * 4, bytes(range(255, -1, -1)) * 4])
        g.save(ds, path)
        size = path.stat().st_size
        g.truncate(path, size - 700)
    damaged("c14-02", "encapsulated Pixel Data cut inside its second fragment", i2, make2,
            ["ABARA", "NG-6610-23"])

    i3 = ident("LINDGREN^KARIN", "SE-4410-88", "19700221", "F")

    def make3(path):
        ds = g.ct_image("c14-03", i3)
        ds.ImageComments = "routine " * 200
        g.save(ds, path)
        off = g.offset_of(path, 0x00204000)
        g.truncate(path, off + 8 + 300)
    damaged("c14-03", "file cut inside a long Image Comments, after the patient module", i3,
            make3, ["LINDGREN", "SE-4410-88"])

    i4 = ident("SZABÓ^ZSÓFIA", "HU-2201-45", "19820707", "F", charset="ISO_IR 100")
    damaged("c14-04", "Implicit VR file cut inside its Pixel Data (Latin-1 name)", i4,
            cut_in_pixels("c14-04", i4, 0.5, implicit=True), ["SZABÓ", "HU-2201-45"])

    i5 = ident("MWANGI^WANJIRU", "KE-7712-03", "19930811", "F")

    def make5(path):
        ds = g.ct_image("c14-05", i5)
        g.private(ds, 0x0029, "HELDOUT VENDOR", 0x10, "OB", b"\x01\x02" * 40)
        g.save(ds, path)
        off = g.offset_of(path, 0x00291010)
        data = bytearray(path.read_bytes())
        # explicit VR OB: tag(4) VR(2) reserved(2) length(4)
        data[off + 8:off + 12] = (0xFFFFFFF0).to_bytes(4, "little")
        path.write_bytes(bytes(data))
    damaged("c14-05", "a private element after the patient module declares 4 GB", i5, make5,
            ["MWANGI", "KE-7712-03"])

    i6 = ident("HAUGEN^TORBJØRN", "NO-5520-91", "19750430", "M", charset="ISO_IR 100")

    def make6(path):
        ds = g.ct_image("c14-06", i6)
        icon = Dataset()
        icon.SamplesPerPixel = 1
        icon.PhotometricInterpretation = "MONOCHROME2"
        icon.Rows = 16
        icon.Columns = 16
        icon.BitsAllocated = 8
        icon.BitsStored = 8
        icon.HighBit = 7
        icon.PixelRepresentation = 0
        icon.PixelData = bytes(256)
        ds.IconImageSequence = Sequence([icon])
        ds["IconImageSequence"].is_undefined_length = True
        g.save(ds, path)
        off = g.offset_of(path, 0x00880200)
        g.truncate(path, off + 12 + 8 + 120)
    damaged("c14-06", "file cut inside an undefined-length Icon Image Sequence", i6, make6,
            ["HAUGEN", "NO-5520-91"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default=".cache/identity_cases/cases",
                    help="folder to write the cases into (emptied first)")
    args = ap.parse_args()
    if pydicom.__version__ != "3.0.2":
        print(f"pydicom 3.0.2 is required (found {pydicom.__version__})", file=sys.stderr)
        return 2
    for fn in (class1, class2, class3, class4, class5, class6, class7, class8, class9, class10,
               class11, class12, class13, class14):
        fn()
    out = Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    records = [c.write(out) for c in CASES]
    manifest = {"generator": "bench/identity_cases/gen_cases.py", "pydicom": pydicom.__version__,
                "cases": [{"id": r["id"], "class": r["class"], "title": r["title"]}
                          for r in records]}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    by_class: dict[int, int] = {}
    for r in records:
        by_class[r["class"]] = by_class.get(r["class"], 0) + 1
    digest = hashlib.sha256()
    for p in sorted(out.rglob("*")):
        if p.is_file():
            digest.update(str(p.relative_to(out)).encode() + b"\0")
            digest.update(hashlib.sha256(p.read_bytes()).digest())
    print(f"wrote {len(records)} cases into {out}: " +
          ", ".join(f"class {k}: {v}" for k, v in sorted(by_class.items())))
    print(f"digest of the case tree: {digest.hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
