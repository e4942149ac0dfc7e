//! Region cutting, ultrasound region details, the condition operators, the signature counts
//! and broken values.

use super::*;
use crate::pixels::risk::signature::{Cond, SignatureSource};
use crate::pixels::signatures_table::SIGNATURES;
use std::collections::BTreeSet;

#[test]
fn signature_regions_are_cut_to_the_image() {
    let bytes = file(
        US,
        [
            vec![
                modality("US"),
                image_type("ORIGINAL"),
                manufacturer("GE Healthcare"),
                model("LOGIQS8"),
                pixels(),
            ],
            size(768, 1024).to_vec(),
        ]
        .concat(),
    );
    let risk = risk_of(&bytes);
    let m = &risk.signatures[0];
    assert_eq!(m.source, "pydicom/deid deid.dicom");
    assert_eq!(m.name, "GE LOGIQ S8 ultrasound, 768 rows");
    // deid's 1150-wide banner on a 1024-wide screen.
    assert_eq!(
        m.regions,
        vec![Rect {
            x: 0,
            y: 0,
            w: 1024,
            h: 60
        }]
    );
    let detail = &risk
        .reasons
        .iter()
        .find(|r| r.code == "known-screen-layout")
        .expect("a layout reason")
        .detail;
    assert!(detail.contains("deid-32"), "{detail}");
}

#[test]
fn ultrasound_regions_are_described() {
    let bytes = file(
        US,
        vec![
            modality("US"),
            seq(
                0x0018,
                0x6011,
                vec![vec![
                    ul(0x0018, 0x6018, 10),
                    ul(0x0018, 0x601A, 60),
                    ul(0x0018, 0x601C, 630),
                    ul(0x0018, 0x601E, 470),
                ]],
            ),
            pixels(),
        ],
    );
    let risk = risk_of(&bytes);
    let r = risk
        .reasons
        .iter()
        .find(|r| r.code == "ultrasound-regions")
        .expect("regions reason");
    assert!(r.detail.contains("(10,60)-(630,470)"), "{}", r.detail);
    assert!(r.text.contains("1 area of the screen"), "{}", r.text);
}

#[test]
fn starts_with_and_case() {
    let bytes = file(
        CT,
        vec![
            modality("ct"),
            manufacturer("Philips Medical Systems"),
            pixels(),
        ],
    );
    let parsed = parse(&bytes).unwrap();
    let header = Header::new(&parsed);
    const MANUFACTURER: u32 = 0x0008_0070;
    const MODALITY: u32 = 0x0008_0060;
    assert!(Cond::StartsWith(MANUFACTURER, "PHILIPS").matches(&header));
    assert!(!Cond::StartsWith(MANUFACTURER, "Medical").matches(&header));
    assert!(Cond::Contains(MANUFACTURER, "medical sys").matches(&header));
    assert!(Cond::Equals(MODALITY, "CT").matches(&header));
    assert!(!Cond::Equals(MANUFACTURER, "Philips").matches(&header));
    // An absent attribute satisfies nothing.
    assert!(!Cond::Contains(0x0008_1090, "").matches(&header));
    assert!(!Cond::NumberEquals(0x0028_0010, 0).matches(&header));
}

#[test]
fn signature_counts_match_the_sources() {
    let count = |source| SIGNATURES.iter().filter(|s| s.source == source).count();
    // RSNA CTP DicomPixelAnonymizer.script (commit 867f893): 52 signatures, 62 rectangles.
    assert_eq!(count(SignatureSource::Ctp), 52);
    let ctp_rectangles: usize = SIGNATURES
        .iter()
        .filter(|s| s.source == SignatureSource::Ctp)
        .map(|s| s.regions.len())
        .sum();
    assert_eq!(ctp_rectangles, 62);
    // pydicom/deid deid.dicom (commit 031ddcf): 56 layouts that are not copies of CTP's.
    assert_eq!(count(SignatureSource::Deid), 56);
    let ids: BTreeSet<&str> = SIGNATURES.iter().map(|s| s.id).collect();
    assert_eq!(ids.len(), SIGNATURES.len());
    assert!(SIGNATURES
        .iter()
        .all(|s| !s.regions.is_empty() && s.regions.iter().all(|r| r.w > 0 && r.h > 0)));
}

#[test]
fn broken_values_do_not_panic() {
    // Rows with an odd length, Image Type of backslashes only, a sequence with empty items.
    let bytes = file(
        US,
        vec![
            modality("US"),
            image_type("\\\\"),
            DataElement::new(
                Tag(0x0028, 0x0010),
                VR::US,
                PrimitiveValue::from(vec![1u8, 2, 3]),
            ),
            seq(0x0018, 0x6011, vec![vec![], vec![ul(0x0018, 0x6018, 1)]]),
            pixels(),
        ],
    );
    let risk = risk_of(&bytes);
    assert_eq!(risk.level, RiskLevel::High);
    assert!(risk.reasons.iter().any(|r| r.code == "image-type-missing"));
}
