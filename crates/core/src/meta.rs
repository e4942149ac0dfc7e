//! A fresh File Meta Information group (PS3.10 7.1) with a zeroed preamble. Elements are
//! encoded with dicom-encoding's Explicit VR Little Endian encoder. Media Storage SOP Class and
//! Instance UIDs are written only when known: an invented value would contradict the data set.

use crate::parse::syntax::{Syntax, EXPLICIT_VR_LITTLE_ENDIAN};
use dicom_core::header::DataElementHeader;
use dicom_core::{Length, Tag, VR};

/// Our Implementation Class UID (PS3.7 D.3.3.2): `2.25.` and a UUID's decimal (PS3.5 B.2).
pub const IMPLEMENTATION_CLASS_UID: &str = "2.25.67271491112865157656750821933071012465";
/// Implementation Version Name: at most 16 characters.
pub const IMPLEMENTATION_VERSION_NAME: &str = concat!("LEAKCHECK_", env!("CARGO_PKG_VERSION"));

/// Preamble (128 zero bytes), "DICM" and the meta group.
pub fn file_meta_bytes(
    sop_class_uid: &str,
    sop_instance_uid: &str,
    transfer_syntax_uid: &str,
) -> Vec<u8> {
    let syntax = Syntax::from_uid(EXPLICIT_VR_LITTLE_ENDIAN);
    let mut group = Vec::new();
    let mut put = |element: u16, vr: VR, value: &[u8]| {
        let mut value = value.to_vec();
        if value.len() % 2 == 1 {
            value.push(if vr == VR::UI { 0 } else { b' ' });
        }
        let header = DataElementHeader::new(Tag(0x0002, element), vr, Length(value.len() as u32));
        syntax.encode_header(&mut group, header);
        group.extend_from_slice(&value);
    };
    put(0x0001, VR::OB, &[0, 1]);
    if !sop_class_uid.is_empty() {
        put(0x0002, VR::UI, sop_class_uid.as_bytes());
    }
    if !sop_instance_uid.is_empty() {
        put(0x0003, VR::UI, sop_instance_uid.as_bytes());
    }
    put(0x0010, VR::UI, transfer_syntax_uid.as_bytes());
    put(0x0012, VR::UI, IMPLEMENTATION_CLASS_UID.as_bytes());
    put(0x0013, VR::SH, IMPLEMENTATION_VERSION_NAME.as_bytes());

    let mut out = vec![0u8; 128];
    out.extend_from_slice(b"DICM");
    let length = DataElementHeader::new(Tag(0x0002, 0x0000), VR::UL, Length(4));
    syntax.encode_header(&mut out, length);
    out.extend_from_slice(&(group.len() as u32).to_le_bytes());
    out.extend_from_slice(&group);
    out
}
