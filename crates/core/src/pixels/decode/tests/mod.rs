//! Synthetic frames built in code, in every layout the decoder reads: a small Part 10 writer
//! here, the cases in `native`, `compressed` and `overlay`.

mod compressed;
mod corpus;
mod native;
mod overlay;

use super::*;
use crate::parse::parse;

pub(super) const EXPLICIT_LE: &str = "1.2.840.10008.1.2.1";
pub(super) const IMPLICIT_LE: &str = "1.2.840.10008.1.2";
pub(super) const EXPLICIT_BE: &str = "1.2.840.10008.1.2.2";
pub(super) const RLE: &str = "1.2.840.10008.1.2.5";
pub(super) const JPEG_BASELINE: &str = "1.2.840.10008.1.2.4.50";
pub(super) const JPEG_LS: &str = "1.2.840.10008.1.2.4.80";
pub(super) const HTJ2K: &str = "1.2.840.10008.1.2.4.201";

pub(super) enum V {
    Us(Vec<u16>),
    Text(&'static str, String),
    /// Already in the file's byte order.
    Raw(&'static str, Vec<u8>),
    /// Items: the Basic Offset Table first, then the fragments.
    Encapsulated(Vec<Vec<u8>>),
}

/// A Part 10 file: preamble, meta group, then the elements in the transfer syntax's encoding.
pub(super) fn file(ts: &str, mut elements: Vec<(u32, V)>) -> Vec<u8> {
    let mut out = vec![0u8; 128];
    out.extend_from_slice(b"DICM");
    let mut uid = ts.as_bytes().to_vec();
    if uid.len() % 2 == 1 {
        uid.push(0);
    }
    let mut meta = Vec::new();
    meta.extend_from_slice(&[0x02, 0x00, 0x10, 0x00, b'U', b'I']);
    meta.extend_from_slice(&(uid.len() as u16).to_le_bytes());
    meta.extend_from_slice(&uid);
    out.extend_from_slice(&[0x02, 0x00, 0x00, 0x00, b'U', b'L', 4, 0]);
    out.extend_from_slice(&(meta.len() as u32).to_le_bytes());
    out.extend_from_slice(&meta);
    let big = ts == EXPLICIT_BE;
    let implicit = ts == IMPLICIT_LE;
    let u16b = |v: u16| {
        if big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    let u32b = |v: u32| {
        if big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    elements.sort_by_key(|(tag, _)| *tag);
    for (tag, value) in elements {
        let (vr, bytes, undefined) = match value {
            V::Us(values) => ("US", values.iter().flat_map(|v| u16b(*v)).collect(), false),
            V::Text(vr, text) => {
                let mut b = text.into_bytes();
                if b.len() % 2 == 1 {
                    b.push(if vr == "UI" { 0 } else { b' ' });
                }
                (vr, b, false)
            }
            V::Raw(vr, bytes) => (vr, bytes, false),
            V::Encapsulated(items) => {
                let mut b = Vec::new();
                for item in items {
                    b.extend_from_slice(&[0xFE, 0xFF, 0x00, 0xE0]);
                    b.extend_from_slice(&(item.len() as u32).to_le_bytes());
                    b.extend_from_slice(&item);
                }
                b.extend_from_slice(&[0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0]);
                ("OB", b, true)
            }
        };
        out.extend_from_slice(&u16b((tag >> 16) as u16));
        out.extend_from_slice(&u16b(tag as u16));
        let length = if undefined {
            u32::MAX
        } else {
            bytes.len() as u32
        };
        if implicit {
            out.extend_from_slice(&u32b(length));
        } else {
            out.extend_from_slice(vr.as_bytes());
            if matches!(vr, "OB" | "OW" | "OV" | "UN" | "UT") {
                out.extend_from_slice(&[0, 0]);
                out.extend_from_slice(&u32b(length));
            } else {
                out.extend_from_slice(&u16b(length as u16));
            }
        }
        out.extend_from_slice(&bytes);
    }
    out
}

/// The Image Pixel module attributes.
pub(super) fn image(
    rows: u16,
    columns: u16,
    samples: u16,
    bits: (u16, u16),
    signed: bool,
    photometric: &str,
    frames: u32,
) -> Vec<(u32, V)> {
    vec![
        (0x0028_0002, V::Us(vec![samples])),
        (0x0028_0004, V::Text("CS", photometric.to_string())),
        (0x0028_0008, V::Text("IS", frames.to_string())),
        (0x0028_0010, V::Us(vec![rows])),
        (0x0028_0011, V::Us(vec![columns])),
        (0x0028_0100, V::Us(vec![bits.0])),
        (0x0028_0101, V::Us(vec![bits.1])),
        (0x0028_0102, V::Us(vec![bits.1 - 1])),
        (0x0028_0103, V::Us(vec![u16::from(signed)])),
    ]
}

pub(super) fn with(mut base: Vec<(u32, V)>, more: Vec<(u32, V)>) -> Vec<(u32, V)> {
    base.extend(more);
    base
}

pub(super) fn decode(bytes: &[u8], index: u32) -> Result<(ImageInfo, Frame), PixelError> {
    let parsed = parse(bytes).expect("the test file parses");
    let info = image_info(&parsed)?.expect("pixel data");
    let frame = decode_frame(&parsed, &info, index)?;
    Ok((info, frame))
}

pub(super) fn gray(bytes: &[u8], index: u32) -> Vec<i32> {
    let (info, frame) = decode(bytes, index).expect("decodes");
    frame.gray_values(&info).expect("monochrome")
}

pub(super) fn le16(values: &[i16]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}
