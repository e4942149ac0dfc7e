//! What a directory record needs of one de-identified file: the UIDs that reference it (from
//! its File Meta Information, PS3.3 F.5: "Referenced ... in File") and the key attributes of
//! PS3.3 F.5 found at the top level of its data set, re-encoded as Explicit VR Little Endian
//! (a DICOMDIR's own transfer syntax, PS3.10 8.6) whatever the file's transfer syntax is.
//!
//! Taken from the output as it is written, so a record can only repeat what the de-identified
//! file itself says.

use super::records::all_key_tags;
use crate::parse::syntax::{Syntax, EXPLICIT_VR_LITTLE_ENDIAN};
use crate::parse::{Body, Element, ParsedFile, ITEM};
use dicom_core::header::DataElementHeader;
use dicom_core::{Length, Tag, VR};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Media Storage Directory Storage (PS3.4 Annex I): the SOP Class of a DICOMDIR.
pub const MEDIA_STORAGE_DIRECTORY: &str = "1.2.840.10008.1.3.10";

/// A key attribute larger than this is left out of the record (a record is an index entry,
/// not a copy of the file; PS3.3 F.5 keys are short values and small code sequences).
const MAX_KEY_BYTES: usize = 64 * 1024;

/// The keys of one de-identified file for its directory records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordKeys {
    /// Media Storage SOP Class UID (0002,0002) of the file.
    pub sop_class_uid: String,
    /// Media Storage SOP Instance UID (0002,0003) of the file.
    pub sop_instance_uid: String,
    /// Transfer Syntax UID (0002,0010) of the file.
    pub transfer_syntax_uid: String,
    /// The key attributes present at the top level of the data set, each a whole Explicit VR
    /// Little Endian element, in tag order (a hex string in JSON).
    #[serde(with = "hex_bytes")]
    pub elements: Vec<u8>,
}

impl RecordKeys {
    /// The keys of a parsed file (its header is enough; Pixel Data is never read).
    pub fn of(parsed: &ParsedFile<'_>) -> RecordKeys {
        let meta_text = |tag: u32| {
            parsed
                .meta
                .iter()
                .find(|e| e.tag == tag)
                .map(|e| uid_text(parsed.meta_value_bytes(e)))
                .unwrap_or_default()
        };
        let wanted: Vec<u32> = all_key_tags().collect();
        let mut elements = Vec::new();
        for element in &parsed.dataset {
            if !wanted.contains(&element.tag) {
                continue;
            }
            let mut encoded = Vec::new();
            if encode(parsed, element, &mut encoded, 0) && encoded.len() <= MAX_KEY_BYTES {
                elements.extend_from_slice(&encoded);
            }
        }
        RecordKeys {
            sop_class_uid: meta_text(0x0002_0002),
            sop_instance_uid: meta_text(0x0002_0003),
            transfer_syntax_uid: meta_text(0x0002_0010),
            elements,
        }
    }

    /// The file is itself a DICOMDIR.
    pub fn is_directory(&self) -> bool {
        self.sop_class_uid == MEDIA_STORAGE_DIRECTORY
    }

    /// A key's value as text, padding removed (UIDs, codes); `None` when absent.
    pub fn text(&self, tag: u32) -> Option<String> {
        let element = self.element(tag)?;
        Some(uid_text(&self.elements[element.value]))
    }

    /// Where the element with `tag` is in `elements`.
    pub(crate) fn element(&self, tag: u32) -> Option<Encoded> {
        split(&self.elements)
            .ok()?
            .into_iter()
            .find(|e| e.tag == tag)
    }

    /// Every element, or why `elements` is not a list of whole elements (keys that came back
    /// from JavaScript are not trusted).
    pub(crate) fn split(&self) -> Result<Vec<Encoded>, String> {
        split(&self.elements)
    }
}

/// One whole element in `RecordKeys::elements`.
#[derive(Debug, Clone)]
pub(crate) struct Encoded {
    pub tag: u32,
    pub whole: Range<usize>,
    pub value: Range<usize>,
}

fn uid_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .trim_end_matches(['\0', ' '])
        .trim()
        .to_string()
}

/// VRs with a 4-byte length in Explicit VR: all but those of PS3.5 Table 7.1-2.
fn long_length(vr: [u8; 2]) -> bool {
    !matches!(
        &vr,
        b"AE"
            | b"AS"
            | b"AT"
            | b"CS"
            | b"DA"
            | b"DS"
            | b"DT"
            | b"FL"
            | b"FD"
            | b"IS"
            | b"LO"
            | b"LT"
            | b"PN"
            | b"SH"
            | b"SL"
            | b"SS"
            | b"ST"
            | b"TM"
            | b"UI"
            | b"UL"
            | b"US"
    )
}

/// Splits Explicit VR Little Endian elements of defined length.
fn split(bytes: &[u8]) -> Result<Vec<Encoded>, String> {
    let mut out = Vec::new();
    let mut at = 0usize;
    let bad = |at: usize| format!("the record keys are not whole elements at byte {at}");
    while at < bytes.len() {
        let head = bytes.get(at..at + 8).ok_or_else(|| bad(at))?;
        let tag = (u32::from(u16::from_le_bytes([head[0], head[1]])) << 16)
            | u32::from(u16::from_le_bytes([head[2], head[3]]));
        let vr = [head[4], head[5]];
        let (value_start, length) = if long_length(vr) {
            let field = bytes.get(at + 8..at + 12).ok_or_else(|| bad(at))?;
            let length = u32::from_le_bytes([field[0], field[1], field[2], field[3]]);
            if length == u32::MAX {
                return Err(bad(at));
            }
            (at + 12, length as usize)
        } else {
            (at + 8, usize::from(u16::from_le_bytes([head[6], head[7]])))
        };
        let end = value_start.checked_add(length).ok_or_else(|| bad(at))?;
        if end > bytes.len() {
            return Err(bad(at));
        }
        out.push(Encoded {
            tag,
            whole: at..end,
            value: value_start..end,
        });
        at = end;
    }
    Ok(out)
}

/// Encodes `element` (and any items) as Explicit VR Little Endian with defined lengths.
/// Returns false when it cannot be (encapsulated data, a value too long for its VR's length
/// field, nesting past the parser's limit): the key is then left out.
fn encode(parsed: &ParsedFile<'_>, element: &Element, out: &mut Vec<u8>, depth: usize) -> bool {
    let syntax = Syntax::from_uid(EXPLICIT_VR_LITTLE_ENDIAN);
    let tag = Tag((element.tag >> 16) as u16, element.tag as u16);
    match &element.body {
        Body::Encapsulated { .. } => false,
        Body::Sequence { items, .. } => {
            if depth >= crate::parse::MAX_DEPTH {
                return false;
            }
            let mut body = Vec::new();
            for item in items {
                let mut elements = Vec::new();
                for child in &item.elements {
                    if !encode(parsed, child, &mut elements, depth + 1) {
                        return false;
                    }
                }
                syntax.encode_delimiter(&mut body, ITEM, elements.len() as u32);
                body.extend_from_slice(&elements);
            }
            let Ok(length) = u32::try_from(body.len()) else {
                return false;
            };
            syntax.encode_header(out, DataElementHeader::new(tag, VR::SQ, Length(length)));
            out.extend_from_slice(&body);
            true
        }
        Body::Value => {
            let mut value = parsed.value_bytes(element).to_vec();
            if value.len() != element.value_len() {
                // Not every byte of the value is at hand (a sparse read): leave it out.
                return false;
            }
            if parsed.syntax.is_big_endian() {
                swap_to_little_endian(element.vr, &mut value);
            }
            if value.len() % 2 == 1 {
                value.push(if element.vr == VR::UI { 0 } else { b' ' });
            }
            let short = !long_length(element.vr.to_bytes());
            if short && value.len() > usize::from(u16::MAX) {
                return false;
            }
            syntax.encode_header(
                out,
                DataElementHeader::new(tag, element.vr, Length(value.len() as u32)),
            );
            out.extend_from_slice(&value);
            true
        }
    }
}

/// Binary values of a Big Endian file in little-endian order (PS3.5 7.3).
fn swap_to_little_endian(vr: VR, value: &mut [u8]) {
    let unit = match vr {
        VR::US | VR::SS | VR::OW | VR::AT => 2,
        VR::UL | VR::SL | VR::FL | VR::OL | VR::OF => 4,
        VR::FD | VR::OD | VR::SV | VR::UV | VR::OV => 8,
        _ => return,
    };
    for chunk in value.chunks_exact_mut(unit) {
        chunk.reverse();
    }
}

/// `elements` as a hex string in JSON: compact for the page, which keeps the keys of every
/// cleaned file until the zip is written.
mod hex_bytes {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        let mut text = String::with_capacity(bytes.len() * 2);
        for b in bytes {
            text.push_str(&format!("{b:02x}"));
        }
        serializer.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(deserializer)?;
        if text.len() % 2 != 0 || !text.is_ascii() {
            return Err(D::Error::custom("record keys must be a hex string"));
        }
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16))
            .collect::<Result<Vec<u8>, _>>()
            .map_err(|_| D::Error::custom("record keys must be a hex string"))
    }
}
