"""Writes a generated image as a DICOM file with pydicom, on the technical header of its source.

The source's identity is removed (patient group, names, dates, times, institution, accession,
descriptions, private and overlay groups, sequences other than the multi-frame functional groups
and the ultrasound regions) and the fake identity is set, so the only patient values in the file
are the ones the ground truth refers to. UIDs are derived from the file's id, so the set is the
same on every run.
"""
import copy

import numpy as np
import pydicom
from pydicom.dataset import FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, PYDICOM_IMPLEMENTATION_UID, RLELossless, generate_uid

KEEP_SEQUENCES = {"SharedFunctionalGroupsSequence", "AcquisitionContextSequence", "PerFrameFunctionalGroupsSequence",
                  "DimensionOrganizationSequence", "DimensionIndexSequence", "SequenceOfUltrasoundRegions"}
DROP_KEYWORDS = {
    "InstitutionName", "InstitutionAddress", "InstitutionalDepartmentName", "StationName", "AccessionNumber",
    "StudyID", "StudyDescription", "SeriesDescription", "ImageComments", "DeviceSerialNumber", "ProtocolName",
    "PerformedProcedureStepDescription", "PerformedProcedureStepID", "RequestedProcedureDescription",
    "AdditionalPatientHistory", "DerivationDescription", "OtherPatientIDs", "FrameOfReferenceUID",
    "SmallestImagePixelValue", "LargestImagePixelValue", "WindowCenterWidthExplanation",
    "RedPaletteColorLookupTableDescriptor", "GreenPaletteColorLookupTableDescriptor",
    "BluePaletteColorLookupTableDescriptor", "RedPaletteColorLookupTableData",
    "GreenPaletteColorLookupTableData", "BluePaletteColorLookupTableData",
    "PaletteColorLookupTableUID", "SegmentedRedPaletteColorLookupTableData",
    "SegmentedGreenPaletteColorLookupTableData", "SegmentedBluePaletteColorLookupTableData",
    "BurnedInAnnotation", "PixelPaddingValue", "FrameTimeVector", "FrameIncrementPointer",
    "PixelData", "NumberOfFrames", "PlanarConfiguration", "LossyImageCompression",
    "LossyImageCompressionRatio", "LossyImageCompressionMethod",
}
SOP_SC = "1.2.840.10008.5.1.4.1.1.7"


def strip_identity(ds):
    ds.remove_private_tags()
    for elem in list(ds):
        g, kw = elem.tag.group, elem.keyword
        if (g in (0x0010, 0x0012, 0x0032, 0x0038, 0x0040, 0x0088) or 0x5000 <= g <= 0x50FF or 0x6000 <= g <= 0x60FF
                or elem.VR in ("PN", "DA", "DT", "TM") or (elem.VR == "SQ" and kw not in KEEP_SEQUENCES)
                or kw in DROP_KEYWORDS):
            del ds[elem.tag]


def set_identity(ds, header, file_id, frame_of_reference=False):
    for kw, value in header.items():
        setattr(ds, kw, value)
    for kw in ("SeriesDate", "ContentDate", "AcquisitionDate"):
        setattr(ds, kw, header["StudyDate"])
    for kw in ("SeriesTime", "ContentTime", "AcquisitionTime"):
        setattr(ds, kw, header["StudyTime"])
    ds.StudyInstanceUID = generate_uid(entropy_srcs=[file_id, "study"])
    ds.SeriesInstanceUID = generate_uid(entropy_srcs=[file_id, "series"])
    ds.SOPInstanceUID = generate_uid(entropy_srcs=[file_id, "instance"])
    ds.StudyID = "1"
    if frame_of_reference:
        ds.FrameOfReferenceUID = generate_uid(entropy_srcs=[file_id, "frame-of-reference"])


def file_meta(ds, ts):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = ts
    meta.ImplementationClassUID = PYDICOM_IMPLEMENTATION_UID
    return meta


def write_untouched(path, src_ds, header, file_id, extra=None):
    """A copy of the source with the fake identity and the pixel data byte for byte as it was."""
    ds = copy.deepcopy(src_ds)
    pixel = ds.PixelData
    keep = {kw: ds[kw] for kw in ("NumberOfFrames", "PlanarConfiguration", "LossyImageCompression",
                                  "FrameIncrementPointer", "FrameTimeVector",
                                  "RedPaletteColorLookupTableDescriptor", "GreenPaletteColorLookupTableDescriptor",
                                  "BluePaletteColorLookupTableDescriptor", "RedPaletteColorLookupTableData",
                                  "GreenPaletteColorLookupTableData", "BluePaletteColorLookupTableData",
                                  "PixelPaddingValue", "BurnedInAnnotation") if kw in ds}
    ts = src_ds.file_meta.TransferSyntaxUID
    had_for = "FrameOfReferenceUID" in ds
    strip_identity(ds)
    for kw, elem in keep.items():
        ds[elem.tag] = elem
    set_identity(ds, header, file_id, had_for)
    for kw, value in (extra or {}).items():
        setattr(ds, kw, value)
    ds.PixelData = pixel
    if ts.is_encapsulated:
        ds["PixelData"].VR = "OB"
        ds["PixelData"].is_undefined_length = True
    else:
        ds["PixelData"].VR = "OB" if int(ds.BitsAllocated) == 8 else "OW"
    ds.file_meta = file_meta(ds, ts)
    ds.save_as(path, enforce_file_format=True)
    return ds


def write_image(path, src_ds, frames, photometric, bits_stored, signed, header, file_id, *,
                window=None, rescale="keep", bia=None, rle=False, sc=False, multiframe=None, extra=None):
    """frames: (F, R, C) or (F, R, C, 3) stored values. window: (center, width), None to remove,
    or "keep". rescale: (slope, intercept), None to remove, or "keep". bia: "YES", "NO" or None
    (attribute absent). sc: write as a Secondary Capture (a screenshot). multiframe: True to write
    NumberOfFrames even for one frame (default: when the source had it or there are several)."""
    ds = copy.deepcopy(src_ds)
    had_frames = "NumberOfFrames" in ds
    had_for = "FrameOfReferenceUID" in ds and not sc
    strip_identity(ds)
    if sc:
        for kw in ("ImageType",):
            if kw in ds:
                del ds[kw]
        ds.SOPClassUID = SOP_SC
        ds.Modality = "OT"
        ds.ConversionType = "WSD"
        ds.ImageType = ["DERIVED", "SECONDARY"]
        for kw in list(KEEP_SEQUENCES) + ["RescaleIntercept", "RescaleSlope", "RescaleType", "WindowCenter",
                                          "WindowWidth", "SliceThickness", "ImagePositionPatient",
                                          "ImageOrientationPatient", "PixelSpacing", "SliceLocation"]:
            if kw in ds:
                del ds[kw]
    set_identity(ds, header, file_id, had_for)
    if src_ds.PhotometricInterpretation != "PALETTE COLOR" and not sc:
        # a supplemental palette (enhanced CT/MR) and the enhanced modules' Type 1 values stay
        for kw in ("RedPaletteColorLookupTableDescriptor", "GreenPaletteColorLookupTableDescriptor",
                   "BluePaletteColorLookupTableDescriptor", "RedPaletteColorLookupTableData",
                   "GreenPaletteColorLookupTableData", "BluePaletteColorLookupTableData",
                   "LossyImageCompression", "DeviceSerialNumber"):
            if kw in src_ds:
                ds[src_ds[kw].tag] = copy.deepcopy(src_ds[kw])
        if "DeviceSerialNumber" in ds:
            ds.DeviceSerialNumber = "SN0001"
    rgb = frames.ndim == 4
    nf, rows, cols = frames.shape[:3]
    ds.Rows, ds.Columns = rows, cols
    ds.SamplesPerPixel = 3 if rgb else 1
    ds.PhotometricInterpretation = photometric
    if rgb:
        ds.PlanarConfiguration = 0
    ds.BitsAllocated = 8 if frames.dtype.itemsize == 1 else 16
    ds.BitsStored = bits_stored
    ds.HighBit = bits_stored - 1
    ds.PixelRepresentation = 1 if signed else 0
    if multiframe or (multiframe is None and (had_frames or nf > 1)):
        ds.NumberOfFrames = nf
        if "PerFrameFunctionalGroupsSequence" in ds and len(ds.PerFrameFunctionalGroupsSequence) != nf:
            ds.PerFrameFunctionalGroupsSequence = ds.PerFrameFunctionalGroupsSequence[:nf]
        if ds.SOPClassUID == "1.2.840.10008.5.1.4.1.1.3.1" and "FrameTime" in ds:   # US multi-frame
            ds.FrameIncrementPointer = 0x00181063
    if window != "keep":
        for kw in ("WindowCenter", "WindowWidth"):
            if kw in ds:
                del ds[kw]
        if window is not None:
            ds.WindowCenter, ds.WindowWidth = [round(float(v), 2) for v in window]
    if rescale != "keep":
        for kw in ("RescaleIntercept", "RescaleSlope", "RescaleType"):
            if kw in ds:
                del ds[kw]
        if rescale is not None:
            ds.RescaleSlope, ds.RescaleIntercept = [round(float(v), 4) for v in rescale]
    if bia is not None:
        ds.BurnedInAnnotation = bia
    for kw, value in (extra or {}).items():
        setattr(ds, kw, value)
    dtype = np.dtype(("i" if signed else "u") + str(ds.BitsAllocated // 8)).newbyteorder("<")
    data = np.ascontiguousarray(frames.astype(dtype))
    ds.PixelData = data.tobytes()
    ds["PixelData"].VR = "OB" if ds.BitsAllocated == 8 else "OW"
    ds.file_meta = file_meta(ds, ExplicitVRLittleEndian)
    if rle:
        arr = data if nf > 1 else data[0]
        ds.compress(RLELossless, arr, generate_instance_uid=False)
        ds.file_meta.TransferSyntaxUID = RLELossless
    ds.save_as(path, enforce_file_format=True)
    return ds
