"""Small builders for the held-out identity cases: a minimal CT image, a Basic Text SR,
private blocks, raw (UN) elements, damaged files and DICOMDIR file sets.

Everything here is deterministic: UIDs come from pydicom's generate_uid with fixed entropy
sources, there are no timestamps, and pixel values are a fixed ramp.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.fileset import FileSet
from pydicom.sequence import Sequence
from pydicom.uid import (
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    JPEGBaseline8Bit,
    generate_uid,
)

CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2"
BASIC_TEXT_SR = "1.2.840.10008.5.1.4.1.1.88.11"
SALT = "dicom-leakcheck identity-heldout v1"


def uid(case_id: str, what: str) -> str:
    """A fixed UID for (case, role); the same inputs always give the same UID."""
    return str(generate_uid(entropy_srcs=[SALT, case_id, what]))


def code(value: str, scheme: str, meaning: str) -> Dataset:
    item = Dataset()
    item.CodeValue = value
    item.CodingSchemeDesignator = scheme
    item.CodeMeaning = meaning
    return item


def _meta(sop_class: str, sop_instance: str, ts: str) -> FileMetaDataset:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = sop_instance
    meta.TransferSyntaxUID = ts
    meta.ImplementationClassUID = "1.2.826.0.1.3680043.8.498.1"
    meta.ImplementationVersionName = "IDHELDOUT_1"
    return meta


def patient_study(ds: Dataset, case_id: str, ident: dict, study: str = "") -> None:
    """Patient and general study modules. `ident` holds name, id, birth, sex and optional
    issuer, accession, charset; `study` varies the study (for several studies of a case)."""
    if ident.get("charset"):
        ds.SpecificCharacterSet = ident["charset"]
    ds.PatientName = ident["name"]
    ds.PatientID = ident["id"]
    if ident.get("issuer"):
        ds.IssuerOfPatientID = ident["issuer"]
    ds.PatientBirthDate = ident.get("birth", "")
    ds.PatientSex = ident.get("sex", "O")
    ds.StudyInstanceUID = uid(case_id, "study" + study)
    ds.StudyDate = ident.get("study_date", "20230614")
    ds.StudyTime = ident.get("study_time", "101500")
    ds.ReferringPhysicianName = ident.get("referrer", "")
    ds.StudyID = ident.get("study_id", "S1")
    ds.AccessionNumber = ident.get("accession", "")


def ct_image(case_id: str, ident: dict, *, instance: int = 1, series: str = "1",
             study: str = "", ts: str = ExplicitVRLittleEndian, rows: int = 8) -> Dataset:
    """A minimal but complete CT Image (8x8, 16-bit) for the given identity."""
    ds = Dataset()
    sop = uid(case_id, f"sop{study}.{series}.{instance}")
    ds.file_meta = _meta(CT_IMAGE, sop, ts)
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.SOPClassUID = CT_IMAGE
    ds.SOPInstanceUID = sop
    patient_study(ds, case_id, ident, study)
    ds.SeriesDate = ds.StudyDate
    ds.ContentDate = ds.StudyDate
    ds.SeriesTime = "101600"
    ds.ContentTime = "101700"
    ds.Modality = "CT"
    ds.Manufacturer = "HELDOUT MEDICAL"
    ds.SeriesInstanceUID = uid(case_id, f"series{study}.{series}")
    ds.SeriesNumber = int(series) if series.isdigit() else 1
    ds.InstanceNumber = instance
    ds.PatientPosition = "HFS"
    ds.Laterality = ""
    ds.FrameOfReferenceUID = uid(case_id, "for" + study)
    ds.PositionReferenceIndicator = ""
    ds.AcquisitionNumber = 1
    ds.KVP = "120"
    ds.ImagePositionPatient = [0, 0, instance * 5]
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.SliceThickness = "5"
    ds.PixelSpacing = [0.5, 0.5]
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = rows
    ds.Columns = 8
    ds.BitsAllocated = 16
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelRepresentation = 0
    ds.RescaleIntercept = "-1024"
    ds.RescaleSlope = "1"
    ds.PixelData = bytes(b for i in range(rows * 8) for b in ((i * 3) % 200, 0))
    return ds


def basic_text_sr(case_id: str, ident: dict, texts: list[tuple[str, str, str]],
                  nested: bool = True) -> Dataset:
    """A Basic Text SR document. `texts` are (code value, meaning, text value); with
    `nested`, the texts sit inside a CONTAINER item (depth 2)."""
    ds = Dataset()
    sop = uid(case_id, "sr")
    ds.file_meta = _meta(BASIC_TEXT_SR, sop, ExplicitVRLittleEndian)
    ds.SOPClassUID = BASIC_TEXT_SR
    ds.SOPInstanceUID = sop
    patient_study(ds, case_id, ident)
    ds.Modality = "SR"
    ds.Manufacturer = "HELDOUT MEDICAL"
    ds.SeriesInstanceUID = uid(case_id, "srseries")
    ds.SeriesNumber = 99
    ds.InstanceNumber = 1
    ds.ContentDate = ds.StudyDate
    ds.ContentTime = "120000"
    ds.ReferencedPerformedProcedureStepSequence = Sequence()
    ds.PerformedProcedureCodeSequence = Sequence()
    ds.CompletionFlag = "COMPLETE"
    ds.VerificationFlag = "UNVERIFIED"
    ds.ValueType = "CONTAINER"
    ds.ConceptNameCodeSequence = Sequence([code("18748-4", "LN", "Diagnostic Imaging Report")])
    ds.ContinuityOfContent = "SEPARATE"
    items = []
    for value, meaning, text in texts:
        it = Dataset()
        it.RelationshipType = "CONTAINS"
        it.ValueType = "TEXT"
        it.ConceptNameCodeSequence = Sequence([code(value, "LN", meaning)])
        it.TextValue = text
        items.append(it)
    if nested:
        box = Dataset()
        box.RelationshipType = "CONTAINS"
        box.ValueType = "CONTAINER"
        box.ConceptNameCodeSequence = Sequence([code("121070", "DCM", "Findings")])
        box.ContinuityOfContent = "SEPARATE"
        box.ContentSequence = Sequence(items)
        ds.ContentSequence = Sequence([box])
    else:
        ds.ContentSequence = Sequence(items)
    return ds


def private(ds: Dataset, group: int, creator: str, offset: int, vr: str, value) -> int:
    """Adds a private element in the first free block of `group` for `creator`; returns
    the full tag."""
    block = ds.private_block(group, creator, create=True)
    block.add_new(offset, vr, value)
    return block.get_tag(offset)


def save(ds: Dataset, path: Path, implicit: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if implicit:
        ds.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian
    ds.save_as(path, enforce_file_format=True)


def truncate(path: Path, keep: int) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:keep])


def offset_of(path: Path, tag: int, start: int = 132) -> int:
    """Byte offset of the first occurrence of `tag` (little endian) after `start`; exact for
    these small files, whose tags are not repeated inside values."""
    data = path.read_bytes()
    g, e = tag >> 16, tag & 0xFFFF
    needle = g.to_bytes(2, "little") + e.to_bytes(2, "little")
    pos = data.find(needle, start)
    if pos < 0:
        raise ValueError(f"tag {tag:08X} not found in {path}")
    return pos


def encapsulate_fake(ds: Dataset, frames: list[bytes]) -> None:
    """Pixel Data as encapsulated JPEG Baseline with the given fragment payloads (not a real
    codestream: the cases that use it are damaged files, which never get decoded)."""
    from pydicom.encaps import encapsulate

    ds.file_meta.TransferSyntaxUID = JPEGBaseline8Bit
    ds.BitsAllocated = 8
    ds.BitsStored = 8
    ds.HighBit = 7
    ds.PhotometricInterpretation = "YBR_FULL_422"
    ds.SamplesPerPixel = 3
    ds.PlanarConfiguration = 0
    ds.PixelData = encapsulate(frames)
    ds["PixelData"].VR = "OB"
    ds.LossyImageCompression = "01"


def write_fileset(root: Path, datasets: list[Dataset], fs_id: str, fs_uid: str,
                  rename: dict[str, str] | None = None) -> Path:
    """Writes `datasets` as a File-set with a DICOMDIR under root; `rename` maps pydicom's
    File ID components (e.g. "PT000000") to others (a CD burner's naming), rewriting the
    DICOMDIR with correct offsets."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    fs = FileSet()
    fs.ID = fs_id
    fs.UID = fs_uid
    for ds in datasets:
        fs.add(ds)
    fs.write(root)
    if rename:
        fs = FileSet(pydicom.dcmread(root / "DICOMDIR"))
        moves = []
        for inst in fs:
            old = list(inst.node._record.ReferencedFileID)
            new = [rename.get(c, c) for c in old]
            inst.node._record.ReferencedFileID = new
            moves.append((root.joinpath(*old), root.joinpath(*new)))
        for old, new in moves:
            new.parent.mkdir(parents=True, exist_ok=True)
            os.replace(old, new)
        # remove the emptied folders of the old layout
        for dirpath, dirnames, filenames in sorted(os.walk(root), reverse=True):
            if Path(dirpath) != root and not os.listdir(dirpath):
                os.rmdir(dirpath)
        fs._stage["^"] = True  # the records changed: make pydicom rewrite the DICOMDIR
        fs.write(use_existing=True)
    return root / "DICOMDIR"
