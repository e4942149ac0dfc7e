//! Table-driven tests of `header_risk` on synthetic headers built in code (every value here is
//! invented), and the counts of the signature table.

use super::signature::{matching, Cond, SignatureSource};
use super::*;
use crate::parse::parse;
use crate::pixels::signatures_table::SIGNATURES;
use crate::sample::write_part10;
use dicom_core::value::{DataSetSequence, PrimitiveValue};
use dicom_core::{DataElement, Length, Tag, VR};
use dicom_object::InMemDicomObject;
use std::collections::BTreeSet;

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

struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    level: RiskLevel,
    codes: &'static [&'static str],
    signatures: &'static [&'static str],
}

fn case(
    name: &'static str,
    bytes: Vec<u8>,
    level: RiskLevel,
    codes: &'static [&'static str],
    signatures: &'static [&'static str],
) -> Case {
    Case {
        name,
        bytes,
        level,
        codes,
        signatures,
    }
}

fn cases() -> Vec<Case> {
    use RiskLevel::{High, Low, Medium};
    let ct = |mut extra: Vec<El>| {
        extra.extend([modality("CT"), pixels()]);
        file(CT, extra)
    };
    let ultrasound = |mut extra: Vec<El>| {
        extra.extend([modality("US"), image_type("ORIGINAL\\PRIMARY"), pixels()]);
        file(US, extra)
    };
    let mut mindray = ultrasound(vec![]);
    // Our own Implementation Version Name (0002,0013), overwritten in place with a Mindray
    // one of the same length: the meta group is otherwise ours.
    let ours = crate::meta::IMPLEMENTATION_VERSION_NAME.as_bytes();
    if let Some(at) = mindray.windows(ours.len()).position(|w| w == ours) {
        let theirs = format!("{:X<width$}", "MINDRAY", width = ours.len());
        mindray[at..at + ours.len()].copy_from_slice(theirs.as_bytes());
    }
    vec![
        case(
            "plain CT",
            ct(vec![image_type("ORIGINAL\\PRIMARY\\AXIAL")]),
            Low,
            &["burned-in-annotation-absent", "acquired-image"],
            &[],
        ),
        case(
            "structured report without pixels",
            file(SR, vec![modality("SR")]),
            Low,
            &["no-image"],
            &[],
        ),
        case(
            "encapsulated PDF",
            file(
                PDF,
                vec![
                    modality("DOC"),
                    DataElement::new(
                        Tag(0x0042, 0x0011),
                        VR::OB,
                        PrimitiveValue::from(b"%PDF-1.4".to_vec()),
                    ),
                ],
            ),
            High,
            &["encapsulated-document"],
            &[],
        ),
        case(
            "Philips iU22 ultrasound 1024x768",
            ultrasound(
                [
                    vec![manufacturer("Philips Medical Systems"), model("iU22")],
                    size(768, 1024).to_vec(),
                ]
                .concat(),
            ),
            High,
            &["ultrasound", "known-screen-layout"],
            &["ctp-22"],
        ),
        case(
            "iU22 at an unknown size matches no layout",
            ultrasound(
                [
                    vec![manufacturer("Philips Medical Systems"), model("iU22")],
                    size(601, 800).to_vec(),
                ]
                .concat(),
            ),
            High,
            &["ultrasound"],
            &[],
        ),
        case(
            "ultrasound of an unknown make, multi-frame",
            file(
                US_MULTIFRAME,
                vec![manufacturer("Nobody Inc"), image_type("ORIGINAL"), pixels()],
            ),
            High,
            &["ultrasound"],
            &[],
        ),
        case(
            "Mindray ultrasound (Implementation Version Name)",
            mindray,
            High,
            &["ultrasound", "known-screen-layout"],
            &["ctp-17"],
        ),
        case(
            "secondary capture with its device attributes",
            file(
                SC,
                vec![
                    modality("OT"),
                    text(0x0018, 0x1016, VR::LO, "Screen Grabber Co"),
                    text(0x0018, 0x1019, VR::LO, "2.0"),
                    pixels(),
                ],
            ),
            High,
            &[
                "secondary-capture",
                "document-or-photo-modality",
                "secondary-capture-device",
                "image-type-missing",
            ],
            &[],
        ),
        case(
            "multi-frame true colour secondary capture",
            file(
                SC_TRUE_COLOR,
                vec![image_type("DERIVED\\SECONDARY"), pixels()],
            ),
            High,
            &["secondary-capture", "image-type-derived"],
            &[],
        ),
        case(
            "Burned In Annotation YES",
            ct(vec![
                image_type("ORIGINAL\\PRIMARY"),
                text(0x0028, 0x0301, VR::CS, "YES"),
            ]),
            High,
            &["burned-in-annotation-yes"],
            &[],
        ),
        case(
            "Burned In Annotation NO on MR",
            file(
                MR,
                vec![
                    modality("MR"),
                    image_type("ORIGINAL\\PRIMARY"),
                    text(0x0028, 0x0301, VR::CS, "NO"),
                    pixels(),
                ],
            ),
            Low,
            &["burned-in-annotation-no", "acquired-image"],
            &[],
        ),
        case(
            "Recognizable Visual Features YES on a photograph",
            file(
                VL_PHOTO,
                vec![
                    modality("XC"),
                    image_type("ORIGINAL\\PRIMARY"),
                    text(0x0028, 0x0302, VR::CS, "YES"),
                    pixels(),
                ],
            ),
            High,
            &[
                "recognizable-visual-features",
                "visible-light",
                "document-or-photo-modality",
            ],
            &[],
        ),
        case(
            "endoscopy modality alone is medium",
            file(
                CR,
                vec![modality("ES"), image_type("ORIGINAL\\PRIMARY"), pixels()],
            ),
            Medium,
            &["document-or-photo-modality"],
            &[],
        ),
        case(
            "derived CT alone is medium",
            ct(vec![image_type("DERIVED\\SECONDARY\\MPR")]),
            Medium,
            &["image-type-derived"],
            &[],
        ),
        case(
            "GE LightSpeed VCT screen save",
            ct(vec![
                image_type("DERIVED\\SECONDARY\\SCREEN SAVE"),
                manufacturer("GE MEDICAL SYSTEMS"),
                model("LightSpeed VCT"),
            ]),
            High,
            &["image-type-screen-or-report", "known-screen-layout"],
            &["deid-01"],
        ),
        case(
            "MR without Image Type",
            file(MR, vec![modality("MR"), pixels()]),
            Medium,
            &["image-type-missing"],
            &[],
        ),
        case(
            "GE dose report by series description",
            ct(vec![
                image_type("ORIGINAL\\PRIMARY"),
                manufacturer("GE MEDICAL SYSTEMS"),
                model("Revolution"),
                series_description("Dose Report"),
            ]),
            High,
            &["description-report", "known-screen-layout"],
            &["ctp-02"],
        ),
        case(
            "study described as a report is medium",
            ct(vec![
                image_type("ORIGINAL\\PRIMARY"),
                text(0x0008, 0x1030, VR::LO, "Chest CT report"),
                series_description("REPORTING AXIAL"),
            ]),
            Medium,
            &["description-report"],
            &[],
        ),
        case(
            "a low-dose CT series is not a dose report",
            ct(vec![
                image_type("ORIGINAL\\PRIMARY\\AXIAL"),
                series_description("LOW DOSE CHEST 1.25MM"),
            ]),
            Low,
            &["acquired-image"],
            &[],
        ),
        case(
            "overlay plane",
            ct(vec![
                image_type("ORIGINAL\\PRIMARY"),
                DataElement::new(
                    Tag(0x6002, 0x3000),
                    VR::OW,
                    PrimitiveValue::from(vec![0u8; 8]),
                ),
            ]),
            Medium,
            &["overlay-planes"],
            &[],
        ),
        case(
            "presentation state with graphic annotation over an image",
            file(
                GSPS,
                vec![
                    modality("PR"),
                    image_type("ORIGINAL"),
                    seq(
                        0x0070,
                        0x0001,
                        vec![vec![text(0x0070, 0x0002, VR::CS, "TEXT")]],
                    ),
                    pixels(),
                ],
            ),
            Medium,
            &["graphic-annotation"],
            &[],
        ),
        case(
            "icon image",
            ct(vec![
                image_type("ORIGINAL\\PRIMARY"),
                seq(0x0088, 0x0200, vec![size(64, 64).to_vec()]),
            ]),
            Medium,
            &["icon-image"],
            &[],
        ),
        case(
            "curve data",
            ct(vec![
                image_type("ORIGINAL\\PRIMARY"),
                DataElement::new(
                    Tag(0x5000, 0x3000),
                    VR::OW,
                    PrimitiveValue::from(vec![0u8; 4]),
                ),
            ]),
            Medium,
            &["curve-data"],
            &[],
        ),
        case(
            "ultrasound regions",
            ultrasound(vec![seq(
                0x0018,
                0x6011,
                vec![vec![
                    ul(0x0018, 0x6018, 10),
                    ul(0x0018, 0x601A, 60),
                    ul(0x0018, 0x601C, 630),
                    ul(0x0018, 0x601E, 470),
                ]],
            )]),
            High,
            &["ultrasound", "ultrasound-regions"],
            &[],
        ),
        case(
            "RT dose grid without Image Type is data, not a picture",
            file(RT_DOSE, vec![modality("RTDOSE"), pixels()]),
            Low,
            &["pixels-are-data"],
            &[],
        ),
        case(
            "radiograph with no signal",
            file(
                CR,
                vec![modality("CR"), image_type("ORIGINAL\\PRIMARY"), pixels()],
            ),
            Low,
            &["no-header-signal"],
            &[],
        ),
        case(
            "Toshiba Aquilion ONE dose screen (Window Width 1)",
            ct(vec![
                image_type("DERIVED\\SECONDARY"),
                manufacturer("TOSHIBA"),
                model("Aquilion ONE"),
                text(0x0028, 0x1051, VR::DS, "1"),
                size(512, 512)[0].clone(),
                size(512, 512)[1].clone(),
            ]),
            High,
            &["known-screen-layout", "image-type-derived"],
            &["ctp-12"],
        ),
        case(
            "Toshiba Aquilion ONE at another window is not the dose screen",
            ct(vec![
                image_type("DERIVED\\SECONDARY"),
                manufacturer("TOSHIBA"),
                model("Aquilion ONE"),
                text(0x0028, 0x1051, VR::DS, "400"),
                size(512, 512)[0].clone(),
                size(512, 512)[1].clone(),
            ]),
            Medium,
            &["image-type-derived"],
            &[],
        ),
        case(
            "GE dose phantom code meaning inside a sequence, lower case",
            ct(vec![
                image_type("ORIGINAL\\PRIMARY"),
                seq(
                    0x0018,
                    0x9346,
                    vec![vec![text(
                        0x0008,
                        0x0104,
                        VR::LO,
                        "iec body dosimetry phantom",
                    )]],
                ),
            ]),
            High,
            &["known-screen-layout"],
            &["ctp-01"],
        ),
        case(
            "Vitrea worksheet: an or inside an and",
            ct(vec![
                image_type("ORIGINAL\\PRIMARY"),
                manufacturer("Vital Images, Inc."),
                series_description("AAA Stent planning"),
                size(1041, 800)[0].clone(),
            ]),
            High,
            &["known-screen-layout"],
            &["ctp-09"],
        ),
    ]
}

#[test]
fn header_risk_table() {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for case in cases() {
        let risk = risk_of(&case.bytes);
        let codes: Vec<&str> = risk.reasons.iter().map(|r| r.code).collect();
        assert_eq!(risk.level, case.level, "{}: {codes:?}", case.name);
        for code in case.codes {
            assert!(
                codes.contains(code),
                "{}: {code} not in {codes:?}",
                case.name
            );
        }
        assert_eq!(
            signature_ids(&case.bytes),
            case.signatures,
            "{}: signatures",
            case.name
        );
        assert_eq!(
            risk.signatures.len(),
            case.signatures.len(),
            "{}",
            case.name
        );
        // The level is the maximum over the reasons, which come highest first.
        assert_eq!(
            risk.reasons.iter().map(|r| r.level).max(),
            Some(risk.level),
            "{}",
            case.name
        );
        assert!(risk.reasons.windows(2).all(|w| w[0].level >= w[1].level));
        for r in &risk.reasons {
            assert!(
                REASON_CODES.contains(&r.code),
                "{}: unknown {}",
                case.name,
                r.code
            );
            assert!(!r.text.is_empty() && !r.detail.is_empty());
        }
        seen.extend(codes);
    }
    let all: BTreeSet<&str> = REASON_CODES.iter().copied().collect();
    let missed: Vec<_> = all.difference(&seen).collect();
    assert!(
        missed.is_empty(),
        "reason codes no test produces: {missed:?}"
    );
}

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
