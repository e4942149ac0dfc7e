"""A small, explicit DICOM encoder for the held-out identity cases.

pydicom is used for what it does well (character set encoding, DICOMDIR reading in the
checker); the bytes of each file are laid out here so that a case can control exactly what
is written: the VR on the wire (UN for a standard element), undefined lengths, a Specific
Character Set inside a sequence item, raw bytes in a text element, a cut at any byte.
"""

from __future__ import annotations

import hashlib
import struct

from pydicom.charset import convert_encodings, encode_string
from pydicom.valuerep import PersonName

EXPLICIT_LE = "1.2.840.10008.1.2.1"
IMPLICIT_LE = "1.2.840.10008.1.2"
EXPLICIT_BE = "1.2.840.10008.1.2.2"
JPEG_BASELINE = "1.2.840.10008.1.2.4.50"

CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2"
MR_IMAGE = "1.2.840.10008.5.1.4.1.1.4"
SC_IMAGE = "1.2.840.10008.5.1.4.1.1.7"
US_IMAGE = "1.2.840.10008.5.1.4.1.1.6.1"
BASIC_TEXT_SR = "1.2.840.10008.5.1.4.1.1.88.11"
ENHANCED_SR = "1.2.840.10008.5.1.4.1.1.88.22"
KOS = "1.2.840.10008.5.1.4.1.1.88.59"
MEDIA_DIR = "1.2.840.10008.1.3.10"

IMPL_CLASS_UID = "2.25.301046307329137195432216119360146457611"
IMPL_VERSION = "HELDOUT2_GEN_1"

LONG_VRS = {"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"}
TEXT_VRS = {"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM",
            "UC", "UR", "UT", "UI"}
CHARSET_VRS = {"LO", "LT", "PN", "SH", "ST", "UC", "UT"}
NUM_FMT = {"US": "H", "SS": "h", "UL": "I", "SL": "i", "FL": "f", "FD": "d", "AT": None,
           "UV": "Q", "SV": "q"}


def uid(*parts: str) -> str:
    """A deterministic 2.25 UID from labels."""
    h = hashlib.sha256("/".join(parts).encode()).digest()[:16]
    n = int.from_bytes(h, "big")
    return "2.25." + str(n)


def org_uid(root: str, *parts: str) -> str:
    """A deterministic UID under an organisation-like root (as scanners mint them)."""
    h = hashlib.sha256("/".join(parts).encode()).hexdigest()
    digits = str(int(h[:14], 16))
    u = f"{root}.{digits[:6]}.{digits[6:12]}.{int(h[14:18], 16)}"
    return u[:64]


class El:
    """One element. value: bytes (raw, written as is), str / list[str] (text), numbers,
    or for SQ a list of items (each a list of El). undefined: undefined length (SQ / UN-SQ).
    wire_vr: the VR written on the wire in explicit syntaxes (e.g. 'UN'); by default vr."""

    def __init__(self, tag: int, vr: str, value, *, undefined=False, wire_vr=None,
                 item_undefined=False, raw_len=None):
        self.tag = tag
        self.vr = vr
        self.value = value
        self.undefined = undefined
        self.item_undefined = item_undefined
        self.wire_vr = wire_vr or vr
        self.raw_len = raw_len  # force a (lying) length in the header


class Enc:
    def __init__(self, ts: str, charsets=None):
        self.explicit = ts != IMPLICIT_LE
        self.little = ts != EXPLICIT_BE
        self.charsets = charsets or []

    # -- values -------------------------------------------------------------------------
    def value_bytes(self, el: El, charsets) -> bytes:
        v = el.value
        vr = el.vr
        if isinstance(v, (bytes, bytearray)):
            b = bytes(v)
        elif vr == "SQ":
            raise AssertionError
        elif vr in NUM_FMT:
            vals = v if isinstance(v, (list, tuple)) else [v]
            end = "<" if self.little else ">"
            if vr == "AT":
                b = b"".join(struct.pack(end + "HH", t >> 16, t & 0xFFFF) for t in vals)
            else:
                b = b"".join(struct.pack(end + NUM_FMT[vr], x) for x in vals)
        elif vr in ("OW",) and isinstance(v, (list, tuple)):
            end = "<" if self.little else ">"
            b = b"".join(struct.pack(end + "H", x) for x in v)
        else:
            vals = v if isinstance(v, (list, tuple)) else [v]
            encs = convert_encodings(list(charsets) or None)
            parts = []
            for s in vals:
                s = str(s)
                if vr == "PN":
                    parts.append(PersonName(s, encodings=encs).encode(encs) if s else b"")
                elif vr in CHARSET_VRS:
                    parts.append(encode_string(s, encs))
                else:
                    parts.append(s.encode("ascii"))
            b = b"\\".join(parts)
        if len(b) % 2:
            if vr == "UI" or vr in ("OB", "UN", "OW"):
                b += b"\0"
            elif vr in TEXT_VRS:
                b += b" "
            else:
                b += b"\0"
        return b

    def header(self, tag: int, vr: str, length: int, force_implicit=False) -> bytes:
        g, e = tag >> 16, tag & 0xFFFF
        end = "<" if self.little else ">"
        if not self.explicit or force_implicit or g == 0xFFFE:
            return struct.pack(end + "HHI", g, e, length)
        if vr in LONG_VRS:
            return struct.pack(end + "HH", g, e) + vr.encode() + b"\0\0" + struct.pack(end + "I", length)
        return struct.pack(end + "HH", g, e) + vr.encode() + struct.pack(end + "H", length)

    def item(self, els, charsets, undefined, sub: "Enc") -> bytes:
        body = sub.dataset(els, charsets)
        end = "<" if self.little else ">"
        if undefined:
            return struct.pack(end + "HHI", 0xFFFE, 0xE000, 0xFFFFFFFF) + body + \
                struct.pack(end + "HHI", 0xFFFE, 0xE00D, 0)
        return struct.pack(end + "HHI", 0xFFFE, 0xE000, len(body)) + body

    def element(self, el: El, charsets) -> bytes:
        end = "<" if self.little else ">"
        if el.vr == "SQ":
            # a sequence written as UN (undefined length) is encoded Implicit VR LE inside
            sub = self if el.wire_vr == "SQ" else Enc(IMPLICIT_LE)
            body = b"".join(self.item(it, charsets, el.item_undefined, sub) for it in el.value)
            wire = el.wire_vr
            if el.undefined:
                h = self.header(el.tag, wire, 0xFFFFFFFF)
                return h + body + struct.pack(end + "HHI", 0xFFFE, 0xE0DD, 0)
            return self.header(el.tag, wire, len(body)) + body
        b = self.value_bytes(el, charsets)
        ln = len(b) if el.raw_len is None else el.raw_len
        return self.header(el.tag, el.wire_vr, ln) + b

    def dataset(self, els, charsets=None) -> bytes:
        charsets = self.charsets if charsets is None else charsets
        own = [e for e in els if e.tag == 0x00080005]
        if own:
            v = own[0].value
            charsets = list(v) if isinstance(v, (list, tuple)) else [v]
            charsets = [c.strip() if isinstance(c, str) else c for c in charsets]
            if len(charsets) > 1 and charsets[0] == "":
                charsets[0] = "ISO_IR 6"
        out = []
        for el in sorted(els, key=lambda e: e.tag):
            out.append(self.element(el, charsets))
        return b"".join(out)


def meta(sop_class: str, sop_inst: str, ts: str, extra=None) -> bytes:
    e = Enc(EXPLICIT_LE)
    els = [
        El(0x00020001, "OB", b"\x00\x01"),
        El(0x00020002, "UI", sop_class),
        El(0x00020003, "UI", sop_inst),
        El(0x00020010, "UI", ts),
        El(0x00020012, "UI", IMPL_CLASS_UID),
        El(0x00020013, "SH", IMPL_VERSION),
    ] + (extra or [])
    body = e.dataset(els, [])
    return e.header(0x00020000, "UL", 4) + struct.pack("<I", len(body)) + body


def file_bytes(els, ts=EXPLICIT_LE, *, preamble=True, with_meta=True, sop_class=None,
               sop_inst=None) -> bytes:
    d = {e.tag: e for e in els}
    charsets = []
    if 0x00080005 in d:
        v = d[0x00080005].value
        charsets = list(v) if isinstance(v, (list, tuple)) else [v]
        if len(charsets) > 1 and charsets[0] == "":
            charsets[0] = "ISO_IR 6"
    sc = sop_class or (d[0x00080016].value if 0x00080016 in d else CT_IMAGE)
    si = sop_inst or (d[0x00080018].value if 0x00080018 in d else uid("x"))
    body = Enc(ts, charsets).dataset(els, charsets)
    out = b""
    if preamble:
        out += b"\0" * 128 + b"DICM"
    if with_meta:
        out += meta(sc, si, ts)
    return out + body
