//! Transfer syntaxes as far as the element walk cares: VR explicit or not, byte order,
//! deflated or not (PS3.5 Section 10 and Annex A).

use dicom_core::header::DataElementHeader;
use dicom_encoding::decode::explicit_be::ExplicitVRBigEndianDecoder;
use dicom_encoding::decode::explicit_le::ExplicitVRLittleEndianDecoder;
use dicom_encoding::decode::implicit_le::ImplicitVRLittleEndianDecoder;
use dicom_encoding::decode::Decode;
use dicom_encoding::encode::explicit_be::ExplicitVRBigEndianEncoder;
use dicom_encoding::encode::explicit_le::ExplicitVRLittleEndianEncoder;
use dicom_encoding::encode::implicit_le::ImplicitVRLittleEndianEncoder;
use dicom_encoding::encode::Encode;

pub const IMPLICIT_VR_LITTLE_ENDIAN: &str = "1.2.840.10008.1.2";
pub const EXPLICIT_VR_LITTLE_ENDIAN: &str = "1.2.840.10008.1.2.1";
pub const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN: &str = "1.2.840.10008.1.2.1.99";
pub const EXPLICIT_VR_BIG_ENDIAN: &str = "1.2.840.10008.1.2.2";
/// JPIP Referenced Deflate (PS3.5 A.6): deflated too.
pub const JPIP_REFERENCED_DEFLATE: &str = "1.2.840.10008.1.2.4.95";

/// The encoding of a data set's elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    ImplicitLittle,
    ExplicitLittle,
    ExplicitBig,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Syntax {
    pub encoding: Encoding,
    /// The data set after the meta group is a raw deflate stream (PS3.5 A.5).
    pub deflated: bool,
}

impl Syntax {
    /// Every transfer syntax not listed as native is encapsulated Explicit VR Little Endian
    /// (PS3.5 A.4), whatever its codec: the walk never decodes pixels.
    pub fn from_uid(uid: &str) -> Syntax {
        let encoding = match uid {
            IMPLICIT_VR_LITTLE_ENDIAN => Encoding::ImplicitLittle,
            EXPLICIT_VR_BIG_ENDIAN => Encoding::ExplicitBig,
            _ => Encoding::ExplicitLittle,
        };
        let deflated = matches!(
            uid,
            DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN | JPIP_REFERENCED_DEFLATE
        );
        Syntax { encoding, deflated }
    }

    pub fn is_big_endian(self) -> bool {
        self.encoding == Encoding::ExplicitBig
    }

    pub fn decode_header(self, source: &mut &[u8]) -> Option<(DataElementHeader, usize)> {
        let result = match self.encoding {
            Encoding::ImplicitLittle => {
                ImplicitVRLittleEndianDecoder::with_std_dict().decode_header(source)
            }
            Encoding::ExplicitLittle => {
                ExplicitVRLittleEndianDecoder::default().decode_header(source)
            }
            Encoding::ExplicitBig => ExplicitVRBigEndianDecoder::default().decode_header(source),
        };
        result.ok()
    }

    /// Writes a data element header in this encoding.
    pub fn encode_header(self, out: &mut Vec<u8>, header: DataElementHeader) {
        // Writing into a Vec cannot fail.
        let _ = match self.encoding {
            Encoding::ImplicitLittle => {
                ImplicitVRLittleEndianEncoder::default().encode_element_header(out, header)
            }
            Encoding::ExplicitLittle => {
                ExplicitVRLittleEndianEncoder::default().encode_element_header(out, header)
            }
            Encoding::ExplicitBig => {
                ExplicitVRBigEndianEncoder::default().encode_element_header(out, header)
            }
        };
    }

    /// Writes an item, item delimiter or sequence delimiter tag with its 32-bit length.
    pub fn encode_delimiter(self, out: &mut Vec<u8>, tag: u32, length: u32) {
        let group = (tag >> 16) as u16;
        let element = tag as u16;
        if self.is_big_endian() {
            out.extend_from_slice(&group.to_be_bytes());
            out.extend_from_slice(&element.to_be_bytes());
            out.extend_from_slice(&length.to_be_bytes());
        } else {
            out.extend_from_slice(&group.to_le_bytes());
            out.extend_from_slice(&element.to_le_bytes());
            out.extend_from_slice(&length.to_le_bytes());
        }
    }

    pub fn read_u16(self, bytes: &[u8]) -> Option<u16> {
        let two: [u8; 2] = bytes.get(..2)?.try_into().ok()?;
        Some(if self.is_big_endian() {
            u16::from_be_bytes(two)
        } else {
            u16::from_le_bytes(two)
        })
    }

    pub fn read_u32(self, bytes: &[u8]) -> Option<u32> {
        let four: [u8; 4] = bytes.get(..4)?.try_into().ok()?;
        Some(if self.is_big_endian() {
            u32::from_be_bytes(four)
        } else {
            u32::from_le_bytes(four)
        })
    }

    /// Reads a tag (group, element) at the start of `bytes`.
    pub fn read_tag(self, bytes: &[u8]) -> Option<u32> {
        let group = self.read_u16(bytes)?;
        let element = self.read_u16(bytes.get(2..)?)?;
        Some((u32::from(group) << 16) | u32::from(element))
    }
}

/// Guesses the encoding of a data set that has no File Meta Information, from its first
/// element. Returns `None` unless the first element looks like a real, small, even group tag
/// with a length that fits: random bytes must not pass (they once made a parser reserve GBs).
pub fn guess_encoding(bytes: &[u8]) -> Option<(Encoding, &'static str)> {
    guess_encoding_within(bytes, bytes.len())
}

/// `guess_encoding` when only the first bytes are at hand: `left` counts the bytes from the
/// start of `bytes` to the end of the file.
pub fn guess_encoding_within(bytes: &[u8], left: usize) -> Option<(Encoding, &'static str)> {
    if bytes.len() < 8 || left < 8 {
        return None;
    }
    let le_group = u16::from_le_bytes([bytes[0], bytes[1]]);
    let be_group = u16::from_be_bytes([bytes[0], bytes[1]]);
    let has_vr = bytes[4].is_ascii_uppercase() && bytes[5].is_ascii_uppercase();
    // A data set starts with a low, even group: 0008 (Specific Character Set, SOP Class UID)
    // usually, sometimes 0002..0010.
    let plausible = |group: u16| (0x0002..=0x0010).contains(&group) && group.is_multiple_of(2);
    if has_vr && dicom_core::VR::from_binary([bytes[4], bytes[5]]).is_some() {
        if plausible(le_group) {
            return Some((Encoding::ExplicitLittle, EXPLICIT_VR_LITTLE_ENDIAN));
        }
        if plausible(be_group) {
            return Some((Encoding::ExplicitBig, EXPLICIT_VR_BIG_ENDIAN));
        }
        return None;
    }
    if plausible(le_group) {
        let length = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
        if (length as usize) <= left - 8 {
            return Some((Encoding::ImplicitLittle, IMPLICIT_VR_LITTLE_ENDIAN));
        }
    }
    None
}

/// VRs whose value is character text.
pub fn is_text_vr(vr: dicom_core::VR) -> bool {
    use dicom_core::VR;
    matches!(
        vr,
        VR::AE
            | VR::AS
            | VR::CS
            | VR::DA
            | VR::DS
            | VR::DT
            | VR::IS
            | VR::LO
            | VR::LT
            | VR::PN
            | VR::SH
            | VR::ST
            | VR::TM
            | VR::UC
            | VR::UI
            | VR::UR
            | VR::UT
    )
}
