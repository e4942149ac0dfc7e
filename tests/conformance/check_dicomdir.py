#!/usr/bin/env python3
"""DICOMDIRs and output paths of `dicom-leakcheck deid`, checked with others' tools.

Makes a synthetic CD in code with pydicom (two made-up patients, their names and IDs in the
folder names, the File-set ID and the DICOMDIR's records; the DICOMDIR written by dcmtk's
dcmgpdir), then runs `deid` three ways and checks what it wrote:

  default        outputs at neutral paths (P001/ST001/SE001/IM0001, PS3.10 file IDs), no name
                 or ID in any path or in the new DICOMDIR, which replaces the input's;
  --keep-paths   the input's paths, the DICOMDIR rebuilt in its place;
  --dicomdir     a set without a DICOMDIR gets one.

Every DICOMDIR written must load in pydicom's FileSet with every instance it references (the
SOP Instance UID its record names), be followed by dicom3tools' dcdirdmp without a complaint,
and pass dciodvfy without an error. Exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, ImplicitVRLittleEndian, generate_uid

sys.path.insert(0, str(Path(__file__).parent))
from check_corpus import check_dicomdir  # noqa: E402

PATIENTS = [("DOE^JOHN", "LC12345"), ("ROE^JANE", "RJ777")]
IDENTIFYING = ["DOE", "JOHN", "LC12345", "ROE", "JANE", "RJ777"]


def image(name: str, pid: str, study: str, series: str, number: int, syntax) -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = CTImageStorage
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.file_meta.TransferSyntaxUID = syntax
    ds.SOPClassUID = CTImageStorage
    ds.PatientName, ds.PatientID, ds.PatientBirthDate = name, pid, "19700101"
    ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series
    ds.StudyDate, ds.StudyTime, ds.StudyID, ds.AccessionNumber = "20240102", "101010", "S1", "A" + pid
    ds.StudyDescription = f"CT HEAD {name.split('^')[0]}"
    ds.Modality, ds.SeriesNumber, ds.InstanceNumber = "CT", 1, number
    ds.Rows = ds.Columns = 4
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.PixelData = bytes(32)
    return ds


def make_cd(root: Path) -> None:
    for p, (name, pid) in enumerate(PATIENTS):
        study = generate_uid()
        for s in range(2):
            series = generate_uid()
            for n in range(2):
                folder = root / name.replace("^", "_") / f"SERIES{s + 1}"
                folder.mkdir(parents=True, exist_ok=True)
                syntax = ExplicitVRLittleEndian if p == 0 else ImplicitVRLittleEndian
                ds = image(name, pid, study, series, n + 1, syntax)
                ds.save_as(folder / f"IM{n + 1}", enforce_file_format=True)
    p = subprocess.run(["dcmgpdir", "+r", "+F", "DOE_JOHN_CD", "+id", str(root), "+D", str(root / "DICOMDIR")],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"dcmgpdir could not make the input DICOMDIR: {p.stderr}")


def deid(cli: str, src: Path, out: Path, *flags: str) -> dict:
    report = out.with_suffix(".json")
    p = subprocess.run([cli, "deid", *flags, "--out", str(out), "--report", str(report), str(src)],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"deid {' '.join(flags)} exited {p.returncode}: {p.stdout}{p.stderr}")
    return json.loads(report.read_text())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cli", required=True)
    ap.add_argument("--work", required=True, type=Path)
    args = ap.parse_args()
    if args.work.exists():
        shutil.rmtree(args.work)
    cd = args.work / "cd"
    make_cd(cd)
    problems: list[str] = []
    before = check_dicomdir(cd / "DICOMDIR")
    if before:
        problems.append(f"the input DICOMDIR itself: {before}")

    runs = {
        "default": deid(args.cli, cd, args.work / "neutral"),
        "--keep-paths": deid(args.cli, cd, args.work / "kept", "--keep-paths"),
    }
    bare = args.work / "bare"
    shutil.copytree(cd, bare, ignore=shutil.ignore_patterns("DICOMDIR"))
    runs["--dicomdir"] = deid(args.cli, bare, args.work / "flag", "--dicomdir")
    for name, report in runs.items():
        written = report["dicomdirs"]
        if len(written) != 1 or written[0]["files"] != 8 or written[0]["patients"] != 2:
            problems.append(f"{name}: expected one DICOMDIR of 8 files and 2 patients: {written}")
            continue
        path = Path(written[0]["output"])
        problems += [f"{name}: {p}" for p in check_dicomdir(path)]
        print(f"{name}: {path} indexes {written[0]['files']} files of {written[0]['patients']} patients")
        if name == "--keep-paths":
            continue
        # Neutral paths: nothing identifying in any path nor in the DICOMDIR.
        raw = path.read_bytes()
        for f in report["files"]:
            out = Path(f["output"]).relative_to(path.parent).as_posix()
            if any(word in out for word in IDENTIFYING) or not all(
                    len(c) <= 8 and c.isupper() | c.isdigit() for c in out.split("/")):
                problems.append(f"{name}: output path {out}")
        problems += [f"{name}: {word} in the DICOMDIR" for word in IDENTIFYING if word.encode() in raw]
    for p in problems:
        print(f"FAIL {p}")
    print(f"dicomdir: {len(runs)} runs, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
