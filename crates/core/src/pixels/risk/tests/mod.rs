//! Tests of `header_risk` on synthetic headers built in code (every value here is invented):
//! the builders here, the table of cases in `table`, the rest in `other`.

mod corpus;
mod other;
mod table;

use super::signature::matching;
use super::*;
use crate::parse::parse;
use crate::sample::write_part10;
use dicom_core::value::{DataSetSequence, PrimitiveValue};
use dicom_core::{DataElement, Length, Tag, VR};
use dicom_object::InMemDicomObject;

type El = DataElement<InMemDicomObject>;

const CT: &str = "1.2.840.10008.5.1.4.1.1.2";
const MR: &str = "1.2.840.10008.5.1.4.1.1.4";
const CR: &str = "1.2.840.10008.5.1.4.1.1.1";
const US: &str = "1.2.840.10008.5.1.4.1.1.6.1";
const US_MULTIFRAME: &str = "1.2.840.10008.5.1.4.1.1.3.1";
const SC: &str = "1.2.840.10008.5.1.4.1.1.7";
const SC_TRUE_COLOR: &str = "1.2.840.10008.5.1.4.1.1.7.4";
const VL_PHOTO: &str = "1.2.840.10008.5.1.4.1.1.77.1.4";
const PDF: &str = "1.2.840.10008.5.1.4.1.1.104.1";
const SR: &str = "1.2.840.10008.5.1.4.1.1.88.22";
const RT_DOSE: &str = "1.2.840.10008.5.1.4.1.1.481.2";
const GSPS: &str = "1.2.840.10008.5.1.4.1.1.11.1";

fn text(group: u16, element: u16, vr: VR, value: &str) -> El {
    DataElement::new(Tag(group, element), vr, PrimitiveValue::from(value))
}

fn us(group: u16, element: u16, value: u16) -> El {
    DataElement::new(Tag(group, element), VR::US, PrimitiveValue::from(value))
}

fn ul(group: u16, element: u16, value: u32) -> El {
    DataElement::new(Tag(group, element), VR::UL, PrimitiveValue::from(value))
}

fn seq(group: u16, element: u16, items: Vec<Vec<El>>) -> El {
    let items: Vec<InMemDicomObject> = items
        .into_iter()
        .map(InMemDicomObject::from_element_iter)
        .collect();
    DataElement::new(
        Tag(group, element),
        VR::SQ,
        DataSetSequence::new(items, Length::UNDEFINED),
    )
}

fn pixels() -> El {
    DataElement::new(
        Tag(0x7FE0, 0x0010),
        VR::OW,
        PrimitiveValue::from(vec![0u8; 8]),
    )
}

fn modality(m: &str) -> El {
    text(0x0008, 0x0060, VR::CS, m)
}
fn manufacturer(m: &str) -> El {
    text(0x0008, 0x0070, VR::LO, m)
}
fn model(m: &str) -> El {
    text(0x0008, 0x1090, VR::LO, m)
}
fn image_type(t: &str) -> El {
    text(0x0008, 0x0008, VR::CS, t)
}
fn series_description(t: &str) -> El {
    text(0x0008, 0x103E, VR::LO, t)
}
fn size(rows: u16, columns: u16) -> [El; 2] {
    [us(0x0028, 0x0010, rows), us(0x0028, 0x0011, columns)]
}

/// A Part 10 file of SOP Class `sop` with `extra` elements (and nothing identifying).
fn file(sop: &str, extra: Vec<El>) -> Vec<u8> {
    let mut elements = vec![
        text(0x0008, 0x0016, VR::UI, sop),
        text(0x0008, 0x0018, VR::UI, "2.25.1234"),
    ];
    elements.extend(extra);
    let object = InMemDicomObject::from_element_iter(elements);
    write_part10(&object, "1.2.840.10008.1.2.1").expect("synthetic file writes")
}

fn risk_of(bytes: &[u8]) -> HeaderRisk {
    header_risk(&parse(bytes).expect("synthetic file parses"))
}

fn signature_ids(bytes: &[u8]) -> Vec<&'static str> {
    let parsed = parse(bytes).expect("synthetic file parses");
    matching(&Header::new(&parsed))
        .iter()
        .map(|s| s.id)
        .collect()
}
