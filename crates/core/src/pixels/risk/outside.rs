//! Signals of text outside the Pixel Data (overlays, annotations, icons, curves), of a
//! captured screen, ultrasound regions, and the known vendor screen layouts.

use super::header::Header;
use super::signature::{clip, matching};
use super::{reason, Reason, RiskLevel, SignatureMatch};
use crate::parse::{tag_text, Element};
use crate::tags;
use RiskLevel::{High, Medium};

pub(super) fn secondary_capture_device(header: &Header, reasons: &mut Vec<Reason>) {
    let present: Vec<String> = [
        (tags::DATE_OF_SECONDARY_CAPTURE, "Date of Secondary Capture"),
        (tags::TIME_OF_SECONDARY_CAPTURE, "Time of Secondary Capture"),
        (
            tags::SECONDARY_CAPTURE_DEVICE_MANUFACTURER,
            "Secondary Capture Device Manufacturer",
        ),
        (
            tags::SECONDARY_CAPTURE_DEVICE_MANUFACTURER_MODEL_NAME,
            "Secondary Capture Device Manufacturer's Model Name",
        ),
        (
            tags::SECONDARY_CAPTURE_DEVICE_SOFTWARE_VERSIONS,
            "Secondary Capture Device Software Versions",
        ),
    ]
    .iter()
    .filter(|(tag, _)| header.element(*tag).is_some())
    .map(|(tag, name)| format!("{name} {}", tag_text(*tag)))
    .collect();
    if !present.is_empty() {
        reasons.push(reason(
            "secondary-capture-device",
            Medium,
            "The image was captured from a screen or converted by another device, which often \
             keeps the text that was on the screen.",
            format!(
                "{} present; PS3.3 C.8.6.1 SC Equipment Module",
                present.join(", ")
            ),
        ));
    }
}

/// Repeating groups 60xx and 50xx: even groups from xx00 to xx1E (PS3.5 7.6).
fn in_repeating_group(element: &Element, base: u16) -> bool {
    let group = element.group();
    group >= base && group <= base + 0x1E && group.is_multiple_of(2)
}

pub(super) fn outside_pixel_data(header: &Header, reasons: &mut Vec<Reason>) {
    let overlays: Vec<String> = header
        .file
        .dataset
        .iter()
        .filter(|e| in_repeating_group(e, 0x6000) && e.element() == 0x3000)
        .map(|e| tag_text(e.tag))
        .collect();
    if !overlays.is_empty() {
        reasons.push(reason(
            "overlay-planes",
            Medium,
            "The file carries overlay drawings shown on top of the image; they can hold text \
             such as names or dates, and viewers draw them into the picture.",
            format!(
                "Overlay Data {} present; PS3.3 C.9.2 Overlay Plane Module; PS3.15 E.3.1 \
                 (Clean Pixel Data) and Table E.1-1 (60xx,3000)",
                overlays.join(", ")
            ),
        ));
    }
    if header.element(tags::GRAPHIC_ANNOTATION_SEQUENCE).is_some() {
        reasons.push(reason(
            "graphic-annotation",
            Medium,
            "The file carries text and drawings to show over an image; they can hold \
             identifying words.",
            "Graphic Annotation Sequence (0070,0001) present; PS3.3 C.10.5; PS3.15 E.3.3 Clean \
             Graphics Option"
                .into(),
        ));
    }
    if header.element(tags::ICON_IMAGE_SEQUENCE).is_some() {
        reasons.push(reason(
            "icon-image",
            Medium,
            "The file carries a small preview picture, which shows any text burned into the \
             image and must be cleaned too.",
            "Icon Image Sequence (0088,0200) present; PS3.3 F.7; PS3.15 Table E.1-1 (0088,0200)"
                .into(),
        ));
    }
    let curves: Vec<String> = header
        .file
        .dataset
        .iter()
        .filter(|e| in_repeating_group(e, 0x5000) && e.element() == 0x3000)
        .map(|e| tag_text(e.tag))
        .collect();
    if !curves.is_empty() {
        reasons.push(reason(
            "curve-data",
            Medium,
            "The file carries curves (graphs) shown with the image, which can include labels.",
            format!(
                "Curve Data {} present (retired); PS3.15 Table E.1-1 (50xx,xxxx)",
                curves.join(", ")
            ),
        ));
    }
}

pub(super) fn ultrasound_regions(header: &Header, reasons: &mut Vec<Reason>) {
    let Some(sequence) = header.element(tags::SEQUENCE_OF_ULTRASOUND_REGIONS) else {
        return;
    };
    let items = sequence.items();
    let corners: Vec<String> = items
        .iter()
        .take(8)
        .filter_map(|item| {
            let corner = |tag: u32| -> Option<u32> {
                let e = item.elements.iter().find(|e| e.tag == tag)?;
                header.file.syntax.read_u32(header.file.value_bytes(e))
            };
            Some(format!(
                "({},{})-({},{})",
                corner(tags::REGION_LOCATION_MIN_X0)?,
                corner(tags::REGION_LOCATION_MIN_Y0)?,
                corner(tags::REGION_LOCATION_MAX_X1)?,
                corner(tags::REGION_LOCATION_MAX_Y1)?
            ))
        })
        .collect();
    reasons.push(reason(
        "ultrasound-regions",
        Medium,
        format!(
            "The file marks {} area{} of the screen as the scan image; the rest of the screen \
             is where machines put the patient's details.",
            items.len(),
            if items.len() == 1 { "" } else { "s" }
        ),
        format!(
            "Sequence of Ultrasound Regions (0018,6011), {} item(s){}; PS3.3 C.8.5.5",
            items.len(),
            if corners.is_empty() {
                String::new()
            } else {
                format!(", regions (x0,y0)-(x1,y1): {}", corners.join(" "))
            }
        ),
    ));
}

pub(super) fn known_layouts(
    header: &Header,
    reasons: &mut Vec<Reason>,
    out: &mut Vec<SignatureMatch>,
) {
    let size = |tag: u32| header.numbers(tag).first().map(|n| *n as u32);
    let (columns, rows) = (size(tags::COLUMNS), size(tags::ROWS));
    for signature in matching(header) {
        let regions: Vec<_> = signature
            .regions
            .iter()
            .filter_map(|r| clip(*r, columns, rows))
            .collect();
        reasons.push(reason(
            "known-screen-layout",
            High,
            format!(
                "The header matches a known screen layout ({}) that shows patient details at \
                 known places in the picture.",
                signature.name
            ),
            format!(
                "signature {} from {}: {}",
                signature.id,
                signature.source.attribution(),
                signature.when
            ),
        ));
        out.push(SignatureMatch {
            name: signature.name.to_string(),
            source: signature.source.attribution().to_string(),
            regions,
        });
    }
}
