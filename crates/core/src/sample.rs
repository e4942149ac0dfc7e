//! A built-in synthetic DICOM file full of fake patient information, so anyone can see what
//! the tool finds without a real scan. Every name, ID and date here is invented.

mod us;
pub use us::{
    ultrasound_sample, ULTRASOUND_FILE_NAME, US_BANNER, US_BANNER_LINES, US_COLUMNS, US_FRAMES,
    US_ROWS,
};

use crate::meta::file_meta_bytes;
use dicom_core::value::{DataSetSequence, PrimitiveValue};
use dicom_core::{DataElement, Length, Tag, VR};
use dicom_encoding::TransferSyntaxIndex;
use dicom_object::InMemDicomObject;
use dicom_transfer_syntax_registry::TransferSyntaxRegistry;

pub const SAMPLE_FILE_NAME: &str = "sample-ct-with-fake-phi.dcm";
pub const SAMPLE_SOP_INSTANCE_UID: &str = "2.25.209787451339183513466711530917233815001";
pub const SAMPLE_STUDY_INSTANCE_UID: &str = "2.25.209787451339183513466711530917233815002";
pub const SAMPLE_SERIES_INSTANCE_UID: &str = "2.25.209787451339183513466711530917233815003";
const CT_IMAGE_STORAGE: &str = "1.2.840.10008.5.1.4.1.1.2";
const SIDE: u16 = 64;

fn text(tag: (u16, u16), vr: VR, value: &str) -> DataElement<InMemDicomObject> {
    DataElement::new(Tag(tag.0, tag.1), vr, PrimitiveValue::from(value))
}

fn sequence(tag: (u16, u16), items: Vec<InMemDicomObject>) -> DataElement<InMemDicomObject> {
    DataElement::new(
        Tag(tag.0, tag.1),
        VR::SQ,
        DataSetSequence::new(items, Length::UNDEFINED),
    )
}

/// The sample's data set: a small CT image of a fictitious patient.
pub fn sample_dataset() -> InMemDicomObject {
    let mut o = InMemDicomObject::new_empty();
    let elements = [
        text((0x0008, 0x0005), VR::CS, "ISO_IR 100"),
        text((0x0008, 0x0008), VR::CS, "ORIGINAL\\PRIMARY\\AXIAL"),
        text((0x0008, 0x0016), VR::UI, CT_IMAGE_STORAGE),
        text((0x0008, 0x0018), VR::UI, SAMPLE_SOP_INSTANCE_UID),
        text((0x0008, 0x0020), VR::DA, "20240302"),
        text((0x0008, 0x0021), VR::DA, "20240302"),
        text((0x0008, 0x0022), VR::DA, "20240302"),
        text((0x0008, 0x0023), VR::DA, "20240302"),
        text((0x0008, 0x0030), VR::TM, "101500"),
        text((0x0008, 0x0033), VR::TM, "101733"),
        text((0x0008, 0x0050), VR::SH, "ACC-98765"),
        text((0x0008, 0x0060), VR::CS, "CT"),
        text((0x0008, 0x0070), VR::LO, "ACME MEDICAL"),
        text((0x0008, 0x0080), VR::LO, "ST. ELSEWHERE GENERAL HOSPITAL"),
        text((0x0008, 0x0081), VR::ST, "1 HOSPITAL ROAD, SPRINGFIELD"),
        text((0x0008, 0x0090), VR::PN, "HOUSE^GREGORY"),
        text((0x0008, 0x1010), VR::SH, "CT-ROOM-2"),
        text((0x0008, 0x1030), VR::LO, "CT HEAD FOR JOHN DOE"),
        text((0x0008, 0x103E), VR::LO, "AXIAL 5MM"),
        text((0x0008, 0x1040), VR::LO, "NEURORADIOLOGY"),
        text((0x0008, 0x1050), VR::PN, "CAMERON^ALLISON"),
        text((0x0008, 0x1070), VR::PN, "TECH^TERRY"),
        text((0x0008, 0x1090), VR::LO, "SCANMASTER 3000"),
        sequence(
            (0x0008, 0x1110),
            vec![InMemDicomObject::from_element_iter([
                text((0x0008, 0x1150), VR::UI, "1.2.840.10008.3.1.2.3.1"),
                text(
                    (0x0008, 0x1155),
                    VR::UI,
                    "2.25.209787451339183513466711530917233815010",
                ),
            ])],
        ),
        text((0x0010, 0x0010), VR::PN, "DOE^JOHN"),
        text((0x0010, 0x0020), VR::LO, "LC-12345"),
        text((0x0010, 0x0030), VR::DA, "19700101"),
        text((0x0010, 0x0040), VR::CS, "M"),
        text((0x0010, 0x1010), VR::AS, "054Y"),
        text((0x0010, 0x1030), VR::DS, "80"),
        text((0x0010, 0x1040), VR::LO, "42 ELM STREET^SPRINGFIELD"),
        text((0x0010, 0x2154), VR::SH, "555-0100"),
        text(
            (0x0010, 0x4000),
            VR::LT,
            "Patient John Doe, born 1970-01-01, referred after a fall.",
        ),
        text((0x0018, 0x0050), VR::DS, "5"),
        text((0x0018, 0x1000), VR::LO, "SN-778899"),
        text((0x0020, 0x000D), VR::UI, SAMPLE_STUDY_INSTANCE_UID),
        text((0x0020, 0x000E), VR::UI, SAMPLE_SERIES_INSTANCE_UID),
        text((0x0020, 0x0010), VR::SH, "STUDY77"),
        text((0x0020, 0x0011), VR::IS, "1"),
        text((0x0020, 0x0013), VR::IS, "1"),
        text(
            (0x0020, 0x0052),
            VR::UI,
            "2.25.209787451339183513466711530917233815004",
        ),
        text(
            (0x0020, 0x4000),
            VR::LT,
            "Scanned for DOE^JOHN by TECH^TERRY",
        ),
        DataElement::new(Tag(0x0028, 0x0002), VR::US, PrimitiveValue::from(1_u16)),
        text((0x0028, 0x0004), VR::CS, "MONOCHROME2"),
        DataElement::new(Tag(0x0028, 0x0010), VR::US, PrimitiveValue::from(SIDE)),
        DataElement::new(Tag(0x0028, 0x0011), VR::US, PrimitiveValue::from(SIDE)),
        DataElement::new(Tag(0x0028, 0x0100), VR::US, PrimitiveValue::from(16_u16)),
        DataElement::new(Tag(0x0028, 0x0101), VR::US, PrimitiveValue::from(12_u16)),
        DataElement::new(Tag(0x0028, 0x0102), VR::US, PrimitiveValue::from(11_u16)),
        DataElement::new(Tag(0x0028, 0x0103), VR::US, PrimitiveValue::from(0_u16)),
        text((0x0028, 0x0301), VR::CS, "NO"),
        text((0x0028, 0x1050), VR::DS, "40"),
        text((0x0028, 0x1051), VR::DS, "400"),
        text((0x0028, 0x1052), VR::DS, "-1024"),
        text((0x0028, 0x1053), VR::DS, "1"),
        // A structured-report-like content item that repeats the name.
        sequence(
            (0x0040, 0xA730),
            vec![InMemDicomObject::from_element_iter([
                text((0x0040, 0xA040), VR::CS, "PNAME"),
                text((0x0040, 0xA123), VR::PN, "DOE^JOHN"),
            ])],
        ),
        // A vendor's private block that copies the patient's name and ID.
        text((0x0009, 0x0010), VR::LO, "ACME_PRIVATE_1"),
        text((0x0009, 0x1001), VR::LO, "DOE^JOHN LC-12345"),
        // A private element that PS3.15 Table E.3.10-1 lists as safe.
        text((0x7053, 0x0010), VR::LO, "Philips PET Private Group"),
        text((0x7053, 0x1000), VR::DS, "1.25"),
        // An overlay plane: overlays can carry text.
        DataElement::new(Tag(0x6000, 0x0010), VR::US, PrimitiveValue::from(SIDE)),
        DataElement::new(Tag(0x6000, 0x0011), VR::US, PrimitiveValue::from(SIDE)),
        text((0x6000, 0x0040), VR::CS, "G"),
        DataElement::new(
            Tag(0x6000, 0x0050),
            VR::SS,
            PrimitiveValue::I16(dicom_core::smallvec::smallvec![1, 1]),
        ),
        DataElement::new(Tag(0x6000, 0x0100), VR::US, PrimitiveValue::from(1_u16)),
        DataElement::new(Tag(0x6000, 0x0102), VR::US, PrimitiveValue::from(0_u16)),
        DataElement::new(
            Tag(0x6000, 0x3000),
            VR::OW,
            PrimitiveValue::from(vec![0_u8; usize::from(SIDE) * usize::from(SIDE) / 8]),
        ),
        DataElement::new(Tag(0x7FE0, 0x0010), VR::OW, PrimitiveValue::from(pixels())),
    ];
    for element in elements {
        o.put(element);
    }
    o
}

/// A smooth, round "head" so the preview looks like something.
fn pixels() -> Vec<u8> {
    let side = i32::from(SIDE);
    let mut bytes = Vec::with_capacity((side * side * 2) as usize);
    for y in 0..side {
        for x in 0..side {
            let (dx, dy) = (x - side / 2, y - side / 2);
            let r2 = dx * dx + dy * dy;
            let value: u16 = if r2 < (side * side) / 5 {
                1040 + (r2 % 40) as u16
            } else {
                24
            };
            bytes.extend_from_slice(&value.to_le_bytes());
        }
    }
    bytes
}

/// The sample file in Explicit VR Little Endian.
pub fn sample_file() -> Vec<u8> {
    sample_file_with_syntax(crate::parse::syntax::EXPLICIT_VR_LITTLE_ENDIAN).unwrap_or_default()
}

/// The sample file written in another native transfer syntax (for tests).
pub fn sample_file_with_syntax(transfer_syntax_uid: &str) -> Result<Vec<u8>, String> {
    write_part10(&sample_dataset(), transfer_syntax_uid)
}

/// Writes a data set as a Part 10 file with our meta group.
pub fn write_part10(
    dataset: &InMemDicomObject,
    transfer_syntax_uid: &str,
) -> Result<Vec<u8>, String> {
    let ts = TransferSyntaxRegistry
        .get(transfer_syntax_uid)
        .ok_or_else(|| format!("unknown transfer syntax {transfer_syntax_uid}"))?;
    let uid = |tag: Tag| {
        dataset
            .element(tag)
            .ok()
            .and_then(|e| {
                e.to_str()
                    .ok()
                    .map(|s| s.trim_end_matches('\0').to_string())
            })
            .unwrap_or_default()
    };
    let mut out = file_meta_bytes(
        &uid(Tag(0x0008, 0x0016)),
        &uid(Tag(0x0008, 0x0018)),
        transfer_syntax_uid,
    );
    dataset
        .write_dataset_with_ts(&mut out, ts)
        .map_err(|e| format!("cannot write the data set: {e}"))?;
    Ok(out)
}
