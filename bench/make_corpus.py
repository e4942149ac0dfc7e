"""Builds the benchmark's input sets under OUT (default .cache/bench/corpus), with pydicom.

  python bench/make_corpus.py --pydicom CORPUS_DIR [--out DIR] [--quick]

Sets (each a flat folder, so tools that want one file at a time get plain paths):
  pydicom   every file of the pinned pydicom 3.0.2 test corpus that has a DICOM preamble
            ("DICM" at byte 128): 188 files, ~3 MB, every transfer syntax pydicom tests
  small     N copies (1,000; --quick: 20) of pydicom's CT_small.dcm, each with its own patient
            name/ID, study/series/instance UIDs, so no tool can cache a result
  mf-100    one uncompressed multi-frame 16-bit secondary capture of ~100 MB (--quick: ~10 MB)
  mf-500    one of ~500 MB (left out with --quick)

Every generated file carries the same fake identifying values (DOE^JANE, dates, institution),
so each tool has real work to do. Nothing real: the patient is invented, the pixels a ramp.
A set that already exists with the same recipe (stamp file) is kept as it is.
"""

import argparse
import json
import shutil
from pathlib import Path

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

# Fixed so every run generates byte-identical UIDs for the same recipe.
UID_PREFIX = "1.2.826.0.1.3680043.10.1234."


def stamp_ok(folder: Path, recipe: dict) -> bool:
    stamp = folder / ".recipe.json"
    return stamp.is_file() and json.loads(stamp.read_text()) == recipe


def write_stamp(folder: Path, recipe: dict) -> None:
    (folder / ".recipe.json").write_text(json.dumps(recipe))


def fresh(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def pydicom_set(src: Path, out: Path, limit: int | None) -> None:
    recipe = {"set": "pydicom", "limit": limit}
    if stamp_ok(out, recipe):
        return
    fresh(out)
    files = []
    for path in sorted(p for p in src.rglob("*") if p.is_file()):
        with open(path, "rb") as f:
            head = f.read(132)
        if len(head) == 132 and head[128:132] == b"DICM":
            files.append(path)
    if limit:
        files = files[:limit]
    for path in files:
        # Flatten: test_files/dicomdirtests/.../IM000001 -> test_files__dicomdirtests__..._IM000001.dcm
        name = "__".join(path.relative_to(src).parts)
        if not name.endswith(".dcm"):
            name += ".dcm"
        shutil.copyfile(path, out / name)
    write_stamp(out, recipe)


def small_set(src: Path, out: Path, count: int) -> None:
    recipe = {"set": "small", "count": count}
    if stamp_ok(out, recipe):
        return
    fresh(out)
    template = pydicom.dcmread(src / "test_files" / "CT_small.dcm")
    for i in range(count):
        ds = template.copy()
        ds.PatientName = f"DOE^JANE{i:04d}"
        ds.PatientID = f"LC-{100000 + i}"
        ds.PatientBirthDate = "19700101"
        ds.InstitutionName = "ST. ELSEWHERE"
        ds.StudyInstanceUID = f"{UID_PREFIX}1.{i // 100}"
        ds.SeriesInstanceUID = f"{UID_PREFIX}2.{i // 10}"
        ds.SOPInstanceUID = f"{UID_PREFIX}3.{i}"
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.save_as(out / f"small_{i:04d}.dcm", enforce_file_format=True)
    write_stamp(out, recipe)


def multiframe(out: Path, frames: int, name: str) -> None:
    """A Multi-frame Grayscale Word Secondary Capture, 512x512x16-bit, `frames` frames."""
    recipe = {"set": name, "frames": frames}
    if stamp_ok(out, recipe):
        return
    fresh(out)
    rows = cols = 512
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7.3"
    meta.MediaStorageSOPInstanceUID = f"{UID_PREFIX}4.{frames}"
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = f"{UID_PREFIX}5.{frames}"
    ds.SeriesInstanceUID = f"{UID_PREFIX}6.{frames}"
    ds.PatientName = "DOE^JANE"
    ds.PatientID = "LC-12345"
    ds.PatientBirthDate = "19700101"
    ds.PatientSex = "F"
    ds.StudyDate = ds.SeriesDate = ds.ContentDate = "20240102"
    ds.StudyTime = ds.ContentTime = "101500"
    ds.AccessionNumber = "ACC-778899"
    ds.InstitutionName = "ST. ELSEWHERE"
    ds.ReferringPhysicianName = "HOUSE^GREGORY"
    ds.StudyID = "S1"
    ds.SeriesNumber = 1
    ds.InstanceNumber = 1
    ds.Modality = "OT"
    ds.ConversionType = "WSD"
    ds.BurnedInAnnotation = "NO"
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.NumberOfFrames = frames
    ds.FrameIncrementPointer = 0x00181063  # Frame Time (required with NumberOfFrames)
    ds.FrameTime = 40.0
    ds.Rows, ds.Columns = rows, cols
    ds.BitsAllocated = ds.BitsStored = 16
    ds.HighBit = 15
    ds.PixelRepresentation = 0
    # A ramp that differs per frame: cheap to make, and not all zeros (no tool can shortcut).
    frame = (np.arange(rows * cols, dtype=np.uint32) % 4096).astype(np.uint16)
    data = bytearray(frame.nbytes * frames)
    for f in range(frames):
        data[f * frame.nbytes : (f + 1) * frame.nbytes] = (frame + f % 7).tobytes()
    ds.PixelData = bytes(data)
    ds["PixelData"].VR = "OW"
    ds.save_as(out / f"{name}.dcm", enforce_file_format=True)
    write_stamp(out, recipe)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pydicom", type=Path, required=True, help="unpacked pydicom corpus")
    ap.add_argument("--out", type=Path, default=Path(".cache/bench/corpus"))
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    pydicom_set(args.pydicom, args.out / "pydicom", 24 if args.quick else None)
    small_set(args.pydicom, args.out / "small", 20 if args.quick else 1000)
    # 512*512*2 bytes = 0.5 MiB per frame.
    multiframe(args.out / "mf-100", 20 if args.quick else 200, "mf-100")
    if not args.quick:
        multiframe(args.out / "mf-500", 1000, "mf-500")


if __name__ == "__main__":
    main()
