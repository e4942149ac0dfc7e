//! The table of synthetic headers: expected level, reason codes and signatures; every reason
//! code must come out of some case.

use super::*;
use std::collections::BTreeSet;

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
