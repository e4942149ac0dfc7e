//! The individual header signals of burned-in text. Each adds at most a few [`Reason`]s.
//! Signals outside the Pixel Data and the known layouts are in `outside`.

use super::header::Header;
use super::outside::{
    known_layouts, outside_pixel_data, secondary_capture_device, ultrasound_regions,
};
use super::{reason, Reason, RiskLevel, SignatureMatch};
use crate::parse::{tag_text, DOUBLE_FLOAT_PIXEL_DATA, FLOAT_PIXEL_DATA, PIXEL_DATA};
use crate::tags;
use RiskLevel::{High, Low, Medium};

/// PS3.4 B.5 Storage SOP Classes, by what they hold.
const ULTRASOUND_SOP: [(&str, &str); 4] = [
    ("1.2.840.10008.5.1.4.1.1.6.1", "Ultrasound Image Storage"),
    (
        "1.2.840.10008.5.1.4.1.1.3.1",
        "Ultrasound Multi-frame Image Storage",
    ),
    (
        "1.2.840.10008.5.1.4.1.1.6",
        "Ultrasound Image Storage (Retired)",
    ),
    (
        "1.2.840.10008.5.1.4.1.1.3",
        "Ultrasound Multi-frame Image Storage (Retired)",
    ),
];
const SECONDARY_CAPTURE_SOP: [(&str, &str); 5] = [
    (
        "1.2.840.10008.5.1.4.1.1.7",
        "Secondary Capture Image Storage",
    ),
    (
        "1.2.840.10008.5.1.4.1.1.7.1",
        "Multi-frame Single Bit Secondary Capture Image Storage",
    ),
    (
        "1.2.840.10008.5.1.4.1.1.7.2",
        "Multi-frame Grayscale Byte Secondary Capture Image Storage",
    ),
    (
        "1.2.840.10008.5.1.4.1.1.7.3",
        "Multi-frame Grayscale Word Secondary Capture Image Storage",
    ),
    (
        "1.2.840.10008.5.1.4.1.1.7.4",
        "Multi-frame True Color Secondary Capture Image Storage",
    ),
];
const DOCUMENT_SOP: [(&str, &str); 2] = [
    ("1.2.840.10008.5.1.4.1.1.104.1", "Encapsulated PDF Storage"),
    ("1.2.840.10008.5.1.4.1.1.104.2", "Encapsulated CDA Storage"),
];
/// Storage SOP Classes whose pixels are measurements rather than a picture (PS3.3 A.18 RT
/// Dose, A.51 Segmentation, A.75 Parametric Map): no screen, no drawn text, and their Image
/// Type is missing or DERIVED by definition, so those signals would only be noise.
const DATA_SOP: [(&str, &str); 4] = [
    ("1.2.840.10008.5.1.4.1.1.481.2", "RT Dose Storage"),
    ("1.2.840.10008.5.1.4.1.1.66.4", "Segmentation Storage"),
    (
        "1.2.840.10008.5.1.4.1.1.66.7",
        "Label Map Segmentation Storage",
    ),
    ("1.2.840.10008.5.1.4.1.1.30", "Parametric Map Storage"),
];
/// Visible Light: endoscopy, microscopy, photography, ophthalmology, whole slide imaging
/// (whose label images carry names), and their video forms.
const VISIBLE_LIGHT_SOP_PREFIX: &str = "1.2.840.10008.5.1.4.1.1.77.1.";

/// Image Type (0008,0008) values that name a screen save or a report page (PS3.3 C.7.6.1.1.2
/// leaves values 3 and on to the vendor; these are the ones CTP and deid key on).
const SCREEN_OR_REPORT_TYPES: [&str; 9] = [
    "SCREEN SAVE",
    "SCREENSAVE",
    "SAVE",
    "SCREEN",
    "SCREENSHOT",
    "REPORTDATA",
    "DEMOGRAPHICDATA",
    "DOSE",
    "DOSE_INFO",
];

/// Words and phrases in a description that name a page of text rather than an image. "DOSE"
/// alone is not one: "Low Dose Chest" is an ordinary CT series.
const REPORT_PHRASES: [&str; 19] = [
    "DOSE REPORT",
    "DOSE INFO",
    "PATIENT PROTOCOL",
    "SCREEN SAVE",
    "SCREEN CAPTURE",
    "SCREEN SHOT",
    "SECONDARY CAPTURE",
    "NOMINATION FORM",
    "OUTSIDE HOSPITAL",
    "REPORT",
    "REPORTS",
    "SAVE",
    "SCREENSAVE",
    "SCREENSHOT",
    "SNAPSHOT",
    "WORKSHEET",
    "SCANNED",
    "DOCUMENT",
    "SUMMARY",
];

/// Adds every signal of `header` to `reasons` and the matched signatures to `signatures`.
pub fn collect(header: &Header, reasons: &mut Vec<Reason>, signatures: &mut Vec<SignatureMatch>) {
    let has_pixels = header.any(|e| {
        matches!(
            e.tag,
            PIXEL_DATA | FLOAT_PIXEL_DATA | DOUBLE_FLOAT_PIXEL_DATA
        )
    });
    let sop = sop_class(header);
    let is_document = header.element(tags::ENCAPSULATED_DOCUMENT).is_some()
        || DOCUMENT_SOP.iter().any(|(uid, _)| *uid == sop);

    if is_document {
        let name = DOCUMENT_SOP
            .iter()
            .find(|(uid, _)| *uid == sop)
            .map_or("an encapsulated document", |(_, name)| name);
        reasons.push(reason(
            "encapsulated-document",
            High,
            "This file wraps a document (such as a PDF report): all of it is text, and it \
             usually names the patient. It must be read or removed, not just its header cleaned.",
            format!(
                "SOP Class UID {sop:?} ({name}); Encapsulated Document (0042,0011) {}; \
                 PS3.3 A.45 Encapsulated Document IODs",
                if header.element(tags::ENCAPSULATED_DOCUMENT).is_some() {
                    "present"
                } else {
                    "absent"
                }
            ),
        ));
    }
    if !has_pixels {
        if !is_document {
            reasons.push(reason(
                "no-image",
                Low,
                "This file holds no image, so no text can be burned into pixels.",
                "no Pixel Data (7FE0,0010), Float Pixel Data (7FE0,0008) or Double Float Pixel \
                 Data (7FE0,0009)"
                    .to_string(),
            ));
        }
        return;
    }

    burned_in_annotation(header, reasons);
    modality_and_sop(header, &sop, reasons);
    if let Some(name) = DATA_SOP.iter().find(|(uid, _)| *uid == sop).map(|(_, n)| n) {
        reasons.push(reason(
            "pixels-are-data",
            Low,
            "The image holds measurements (such as a dose map or a segmentation), not a \
             picture of a screen, so no text is drawn into it.",
            format!("SOP Class UID (0008,0016) {sop:?} ({name})"),
        ));
    } else {
        image_type(header, reasons);
    }
    descriptions(header, reasons);
    secondary_capture_device(header, reasons);
    outside_pixel_data(header, reasons);
    ultrasound_regions(header, reasons);
    known_layouts(header, reasons, signatures);

    // The reassuring reasons only when nothing raised the risk.
    if reasons
        .iter()
        .all(|r| r.level == Low && r.code != "pixels-are-data")
    {
        let modality = header.code(tags::MODALITY);
        if matches!(modality.as_str(), "CT" | "MR" | "PT" | "NM") {
            reasons.push(reason(
                "acquired-image",
                Low,
                format!(
                    "{modality} images do not normally contain burned-in text, and nothing in \
                     the header suggests this one does."
                ),
                format!(
                    "Modality (0008,0060) {modality:?}; PS3.15 E.3.1: \"CT images do not normally \
                     contain such burned in annotation, whereas Ultrasound images routinely do\""
                ),
            ));
        } else {
            reasons.push(reason(
                "no-header-signal",
                Low,
                "Nothing in the header points to text in the pixels. The header cannot prove \
                 there is none; only a look at the image can.",
                format!("Modality (0008,0060) {modality:?}; no signal of PS3.15 E.3.1 found"),
            ));
        }
    }
}

fn sop_class(header: &Header) -> String {
    header
        .text(tags::SOP_CLASS_UID)
        .filter(|s| !s.is_empty())
        .or_else(|| header.text(tags::MEDIA_STORAGE_SOP_CLASS_UID))
        .map(|s| s.trim_end_matches(['\0', ' ']).to_string())
        .unwrap_or_default()
}

fn burned_in_annotation(header: &Header, reasons: &mut Vec<Reason>) {
    match header
        .text(tags::BURNED_IN_ANNOTATION)
        .map(|v| v.to_uppercase())
    {
        Some(v) if v == "YES" => reasons.push(reason(
            "burned-in-annotation-yes",
            High,
            "The file itself says text is burned into the image.",
            "Burned In Annotation (0028,0301) = \"YES\"; PS3.3 C.7.6.1.1.7, PS3.15 E.3.1".into(),
        )),
        Some(v) if v == "NO" => reasons.push(reason(
            "burned-in-annotation-no",
            Low,
            "The file says no text is burned into the image. Devices often set this without \
             checking, so it is a claim, not proof.",
            "Burned In Annotation (0028,0301) = \"NO\"; PS3.15 E.3.1".into(),
        )),
        other => reasons.push(reason(
            "burned-in-annotation-absent",
            Low,
            "The file does not say whether text is burned into the image. Many files with the \
             patient's name in the picture lack this attribute, so its absence proves nothing.",
            match other {
                Some(v) => format!("Burned In Annotation (0028,0301) = {v:?}; PS3.3 C.7.6.1.1.7"),
                None => "Burned In Annotation (0028,0301) absent; PS3.3 C.7.6.1.1.7".into(),
            },
        )),
    }
    if header
        .text(tags::RECOGNIZABLE_VISUAL_FEATURES)
        .is_some_and(|v| v.eq_ignore_ascii_case("YES"))
    {
        reasons.push(reason(
            "recognizable-visual-features",
            High,
            "The file says the image shows features that can identify the person, such as a face.",
            "Recognizable Visual Features (0028,0302) = \"YES\"; PS3.3 C.7.6.1.1.7, PS3.15 E.1"
                .into(),
        ));
    }
}

fn modality_and_sop(header: &Header, sop: &str, reasons: &mut Vec<Reason>) {
    let modality = header.code(tags::MODALITY);
    let sop_name = |list: &[(&str, &'static str)]| {
        list.iter()
            .find(|(uid, _)| *uid == sop)
            .map(|(_, name)| *name)
    };
    let detail = |what: &str| {
        format!(
            "Modality (0008,0060) {modality:?}; SOP Class UID (0008,0016) {sop:?}{what}; \
             PS3.15 E.3.1"
        )
    };
    if modality == "US" || sop_name(&ULTRASOUND_SOP).is_some() {
        let name = sop_name(&ULTRASOUND_SOP).map(|n| format!(" ({n})"));
        reasons.push(reason(
            "ultrasound",
            High,
            "Ultrasound machines routinely write the patient's name, ID and the date into the \
             picture itself.",
            detail(name.as_deref().unwrap_or_default()),
        ));
    }
    if let Some(name) = sop_name(&SECONDARY_CAPTURE_SOP) {
        reasons.push(reason(
            "secondary-capture",
            High,
            "This is a captured screen or scanned page, which usually shows patient details as \
             text in the picture.",
            detail(&format!(" ({name}); PS3.3 A.8 Secondary Capture IODs")),
        ));
    }
    if sop.starts_with(VISIBLE_LIGHT_SOP_PREFIX) {
        reasons.push(reason(
            "visible-light",
            High,
            "This is a photograph, video, endoscopy or microscope image; such images often show \
             labels, screen banners or faces.",
            detail(" (a Visible Light IOD); PS3.3 A.32"),
        ));
    }
    let document_modality = match modality.as_str() {
        "DOC" => Some((High, "a scanned or attached document")),
        "XC" => Some((High, "a photograph taken with an ordinary camera")),
        "ES" => Some((Medium, "an endoscopy image, often with a text banner")),
        "OT" => Some((
            Medium,
            "an image of an unspecified kind, often a screen capture",
        )),
        _ => None,
    };
    if let Some((level, what)) = document_modality {
        reasons.push(reason(
            "document-or-photo-modality",
            level,
            format!("The file says it is {what}, which can show patient details."),
            format!("Modality (0008,0060) {modality:?}; PS3.3 C.7.3.1.1.1"),
        ));
    }
}

fn image_type(header: &Header, reasons: &mut Vec<Reason>) {
    let values: Vec<String> = header
        .values(tags::IMAGE_TYPE)
        .into_iter()
        .map(|v| v.to_uppercase())
        .collect();
    if values.iter().all(|v| v.is_empty()) {
        reasons.push(reason(
            "image-type-missing",
            Medium,
            "The file does not say what kind of image it is; screen captures and converted \
             pictures often leave this out.",
            format!(
                "Image Type (0008,0008) {}; PS3.3 C.7.6.1.1.2",
                if header.element(tags::IMAGE_TYPE).is_some() {
                    "empty"
                } else {
                    "absent"
                }
            ),
        ));
        return;
    }
    let joined = values.join("\\");
    let screen: Vec<&str> = SCREEN_OR_REPORT_TYPES
        .iter()
        .copied()
        .filter(|t| values.iter().any(|v| v == t))
        .collect();
    if !screen.is_empty() {
        reasons.push(reason(
            "image-type-screen-or-report",
            High,
            "The file says it is a saved screen or a report page, which shows text.",
            format!(
                "Image Type (0008,0008) {joined:?} has {}; PS3.3 C.7.6.1.1.2",
                screen.join(", ")
            ),
        ));
    } else if values.iter().any(|v| v == "DERIVED" || v == "SECONDARY") {
        reasons.push(reason(
            "image-type-derived",
            Medium,
            "This image was made from other images (a reconstruction, a rendering or a copy); \
             such images sometimes carry labels drawn into them.",
            format!("Image Type (0008,0008) {joined:?}; PS3.3 C.7.6.1.1.2"),
        ));
    }
}

fn descriptions(header: &Header, reasons: &mut Vec<Reason>) {
    for (tag, name, level) in [
        (tags::SERIES_DESCRIPTION, "Series Description", High),
        (tags::STUDY_DESCRIPTION, "Study Description", Medium),
    ] {
        let Some(text) = header.text(tag) else {
            continue;
        };
        let upper = text.to_uppercase();
        if let Some(phrase) = REPORT_PHRASES.iter().find(|p| contains_words(&upper, p)) {
            reasons.push(reason(
                "description-report",
                level,
                format!(
                    "The {} is described as \"{text}\", which suggests a page of text such as a \
                     dose report or a saved screen.",
                    if tag == tags::SERIES_DESCRIPTION {
                        "series"
                    } else {
                        "study"
                    }
                ),
                format!("{name} {} {text:?} contains {phrase:?}", tag_text(tag)),
            ));
        }
    }
}

/// Whether `phrase` occurs in `text` between non-alphanumeric characters (both upper case).
fn contains_words(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(start, _)| {
        let before = text[..start].chars().next_back();
        let after = text[start + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}
