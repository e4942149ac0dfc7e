"""Loads a source image (sources.py) as stored pixel values ready to draw on.

Returns the frames as a numpy array (frames, rows, cols) for grey images or (frames, rows, cols, 3)
for colour, in the dtype they are stored with, plus the source dataset (its technical header is
the template of the generated files). Colour encodings are normalised to plain RGB: PALETTE
COLOR through its lookup table, YBR JPEG through pydicom's decoder, because the set writes
uncompressed RGB for every colour image it draws on.
"""
import os
from dataclasses import dataclass

import numpy as np
import pydicom
from pydicom.pixels import apply_color_lut

from sources import SOURCES

_CACHE = {}


@dataclass
class SourceImage:
    key: str
    ds: pydicom.Dataset          # the source dataset, pixel data included (for untouched copies)
    frames: np.ndarray           # (F, R, C) or (F, R, C, 3), stored values
    photometric: str             # MONOCHROME1, MONOCHROME2 or RGB after normalising
    bits_stored: int
    signed: bool
    family: str                  # CT, MR, CR, DX, US, SC

    @property
    def is_rgb(self):
        return self.frames.ndim == 4

    @property
    def stored_min(self):
        return -(1 << (self.bits_stored - 1)) if self.signed else 0

    @property
    def stored_max(self):
        return (1 << (self.bits_stored - 1)) - 1 if self.signed else (1 << self.bits_stored) - 1


def source_path(cache, key):
    s = SOURCES[key]
    return os.path.join(cache, "sources", s["pkg"], s["path"])


def load(cache, key, max_frames=12):
    if key in _CACHE:
        return _CACHE[key]
    s = SOURCES[key]
    ds = pydicom.dcmread(source_path(cache, key))
    arr = ds.pixel_array
    nframes = int(ds.get("NumberOfFrames", 1) or 1)
    pi = ds.PhotometricInterpretation
    if pi == "PALETTE COLOR":
        arr = apply_color_lut(arr, ds)
        if arr.dtype != np.uint8:              # 16-bit palettes: keep the top 8 bits
            arr = (arr >> 8).astype(np.uint8)
        pi, bits, signed = "RGB", 8, False
    elif arr.ndim >= 3 and arr.shape[-1] == 3 and ds.SamplesPerPixel == 3:
        pi, bits, signed = "RGB", 8, False     # pydicom has already turned YBR into RGB
    else:
        bits, signed = int(ds.BitsStored), bool(ds.PixelRepresentation)
    if nframes == 1:
        arr = arr[None]
    arr = np.ascontiguousarray(arr[:max_frames])
    img = SourceImage(key, ds, arr, pi, bits, signed, s["family"])
    _CACHE[key] = img
    return img


def display8(frame, photometric, lo=None, hi=None):
    """A display rendering (8-bit, percentile window, MONOCHROME1 inverted) for previews and for
    pasting into screenshots. Never used to decide where text goes in stored values."""
    f = frame.astype(np.float32)
    if lo is None:
        lo, hi = np.percentile(f, 0.5), np.percentile(f, 99.5)
    if hi <= lo:
        hi = lo + 1
    out = np.clip((f - lo) / (hi - lo) * 255.0, 0, 255).astype(np.uint8)
    if photometric == "MONOCHROME1":
        out = 255 - out
    return out
