//! A small element encoder for hand-made damage in every encoding, and data sets built with it.

use crate::common::*;
use crate::support::{check, runs, Base, Outcome};
use dicom_core::Tag;

/// Encodings for hand-made elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Enc {
    ImplicitLe,
    ExplicitLe,
    ExplicitBe,
}

impl Enc {
    /// Writes one element with exactly these value bytes; `length` overrides the length field.
    pub fn element(self, tag: Tag, vr: &[u8; 2], value: &[u8], length: Option<u32>) -> Vec<u8> {
        let len = length.unwrap_or(value.len() as u32);
        let mut out = Vec::new();
        let long = matches!(
            vr,
            b"OB" | b"OD" | b"OF" | b"OL" | b"OV" | b"OW" | b"SQ" | b"UC" | b"UN" | b"UR" | b"UT"
        );
        let u16b = |v: u16| match self {
            Enc::ExplicitBe => v.to_be_bytes(),
            _ => v.to_le_bytes(),
        };
        let u32b = |v: u32| match self {
            Enc::ExplicitBe => v.to_be_bytes(),
            _ => v.to_le_bytes(),
        };
        out.extend_from_slice(&u16b(tag.0));
        out.extend_from_slice(&u16b(tag.1));
        match self {
            Enc::ImplicitLe => out.extend_from_slice(&u32b(len)),
            _ if long => {
                out.extend_from_slice(vr);
                out.extend_from_slice(&[0, 0]);
                out.extend_from_slice(&u32b(len));
            }
            _ => {
                out.extend_from_slice(vr);
                out.extend_from_slice(&u16b(len as u16));
            }
        }
        out.extend_from_slice(value);
        out
    }

    /// An item or delimiter tag (FFFE,xxxx) with a 32-bit length.
    pub fn marker(self, element: u16, length: u32) -> Vec<u8> {
        let mut out = Vec::new();
        if self == Enc::ExplicitBe {
            out.extend_from_slice(&0xFFFE_u16.to_be_bytes());
            out.extend_from_slice(&element.to_be_bytes());
            out.extend_from_slice(&length.to_be_bytes());
        } else {
            out.extend_from_slice(&0xFFFE_u16.to_le_bytes());
            out.extend_from_slice(&element.to_le_bytes());
            out.extend_from_slice(&length.to_le_bytes());
        }
        out
    }
}

/// The three element encodings, and Deflated (Explicit VR Little Endian, compressed).
pub fn encodings() -> Vec<(&'static str, Enc, &'static str)> {
    vec![
        ("implicit LE", Enc::ImplicitLe, IMPLICIT_LE),
        ("explicit LE", Enc::ExplicitLe, EXPLICIT_LE),
        ("explicit BE", Enc::ExplicitBe, EXPLICIT_BE),
        ("deflated", Enc::ExplicitLe, DEFLATED),
    ]
}

/// SOP Class and Instance UIDs, then `rest`.
pub fn dataset(enc: Enc, rest: &[Vec<u8>]) -> Vec<u8> {
    let mut out = enc.element(SOP_CLASS_UID, b"UI", b"1.2.840.10008.5.1.4.1.1.2\0", None);
    out.extend(enc.element(SOP_INSTANCE_UID, b"UI", b"2.25.777", None));
    for part in rest {
        out.extend_from_slice(part);
    }
    out
}

/// Runs one hand-made data set through every Deidentifier; returns the outcomes.
pub fn run_case(name: &'static str, uid: &str, plain: Vec<u8>, what: &str) -> Vec<Outcome> {
    let base = Base::new(name, uid, plain);
    runs()
        .into_iter()
        .map(|(run_name, run)| check(&run, &base.whole(), &format!("{name}: {what}, {run_name}")))
        .collect()
}
