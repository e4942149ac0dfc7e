//! The burned-in text verdict of one file: header signals and vendor signatures (`risk`) plus
//! what the pixel text finder (`detect`) sees in the decoded frames. One result drives the file
//! card, `inspect --json` and what Clean Pixel Data blacks out.

use super::decode::{decode_frame, image_info, ImageInfo};
use super::detect::{find_text, find_text_in_frames, find_text_with_chroma};
use super::risk::{header_risk, Reason, RiskLevel};
use super::{Luma, Rect, Region, RegionSource};
use crate::parse::ParsedFile;
use serde::Serialize;

/// The reason code of text found by the pixel text finder.
pub const TEXT_IN_PIXELS: &str = "text-in-pixels";

/// Frames of a multi-frame image looked at by the text finder: text burned into a cine stays
/// still while the anatomy moves, so a handful spread over the loop is enough.
const SAMPLED_FRAMES: u32 = 8;

#[derive(Debug, Clone, Serialize)]
pub struct BurnedIn {
    pub risk: RiskLevel,
    /// The risk from the header alone (signals and vendor layouts), before the pixels.
    pub header_risk: RiskLevel,
    pub reasons: Vec<Reason>,
    /// Regions that hold or may hold text; `all_frames` regions apply to every frame.
    pub regions: Vec<Region>,
    /// The pixels were decoded and searched (false: no image, an encoding we cannot decode,
    /// or pixel data not read).
    pub pixels_checked: bool,
}

impl BurnedIn {
    /// Nothing was assessed (the request asked for no pixel work): low, no reasons, nothing
    /// checked. Never shown to a user as a verdict.
    pub fn not_assessed() -> BurnedIn {
        BurnedIn {
            risk: RiskLevel::Low,
            header_risk: RiskLevel::Low,
            reasons: Vec::new(),
            regions: Vec::new(),
            pixels_checked: false,
        }
    }
}

/// Judges one parsed file; `search_pixels` false uses the header alone. Never fails: what
/// cannot be checked becomes a reason.
pub fn assess(parsed: &ParsedFile<'_>, search_pixels: bool) -> BurnedIn {
    let header = header_risk(parsed);
    let cleaned = declares_pixels_cleaned(parsed);
    let mut reasons = header.reasons;
    if cleaned {
        // The pixels were blacked out where text was (ours, or another tool's, declared with
        // code 113101): what the header says about the kind of image no longer raises the
        // risk. Text outside Pixel Data (overlays, annotations, icons) still does, and the
        // pixel text finder still looks.
        for reason in reasons.iter_mut() {
            if CLEANED_BY_CLEAN_PIXEL_DATA.contains(&reason.code) {
                reason.level = RiskLevel::Low;
            }
        }
        reasons.push(Reason {
            code: "pixels-cleaned",
            text: "This file says its burned-in text was already blacked out.".to_string(),
            detail: "Burned In Annotation (0028,0301) NO and Clean Pixel Data (113101) in De-identification Method Code Sequence (0012,0064), PS3.15 E.3.1.".to_string(),
            level: RiskLevel::Low,
        });
    }
    let mut regions: Vec<Region> = Vec::new();
    let info = match image_info(parsed) {
        Ok(info) => info,
        Err(e) => {
            reasons.push(not_checked(format!("the image could not be read: {e}")));
            None
        }
    };
    for signature in header.signatures.iter().filter(|_| !cleaned) {
        regions.extend(
            signature
                .regions
                .iter()
                .map(|r| region(*r, None, RegionSource::Signature)),
        );
    }
    let mut pixels_checked = false;
    if let Some(info) = info.as_ref().filter(|_| search_pixels) {
        match &info.cannot_decode {
            Some(why) => reasons.push(not_checked(why.clone())),
            None => match find_in_pixels(parsed, info) {
                Ok(found) => {
                    pixels_checked = true;
                    if !found.is_empty() {
                        reasons.push(Reason {
                            code: TEXT_IN_PIXELS,
                            text: format!(
                                "Text-like marks were found in the image itself ({} area{}). Text drawn into the picture is not removed by cleaning the header.",
                                found.len(),
                                if found.len() == 1 { "" } else { "s" }
                            ),
                            detail: "Pixel text finder: rows of character-shaped marks on a uniform background (PS3.15 E.3.1 Clean Pixel Data).".to_string(),
                            // On an image the header calls low risk (a CT, say) a find is
                            // more often anatomy that looks like letters: medium there.
                            level: if header.level >= RiskLevel::Medium {
                                RiskLevel::High
                            } else {
                                RiskLevel::Medium
                            },
                        });
                    }
                    regions.extend(found);
                }
                Err(e) => reasons.push(not_checked(e)),
            },
        }
    }
    let level_of = |reasons: &mut dyn Iterator<Item = &Reason>| {
        reasons.map(|r| r.level).max().unwrap_or(RiskLevel::Low)
    };
    let risk = level_of(&mut reasons.iter());
    let header_risk = level_of(&mut reasons.iter().filter(|r| r.code != TEXT_IN_PIXELS));
    BurnedIn {
        risk,
        header_risk,
        reasons,
        regions,
        pixels_checked,
    }
}

/// Header reasons about the kind of image, which cleaning the pixels answers.
const CLEANED_BY_CLEAN_PIXEL_DATA: [&str; 12] = [
    "burned-in-annotation-absent",
    "ultrasound",
    "secondary-capture",
    "visible-light",
    "document-or-photo-modality",
    "image-type-screen-or-report",
    "image-type-derived",
    "image-type-missing",
    "description-report",
    "secondary-capture-device",
    "ultrasound-regions",
    "known-screen-layout",
];

/// Burned In Annotation is NO and the method codes include Clean Pixel Data (113101).
fn declares_pixels_cleaned(parsed: &ParsedFile<'_>) -> bool {
    let text = |element: &crate::parse::Element| {
        String::from_utf8_lossy(parsed.value_bytes(element))
            .trim_matches(['\0', ' '])
            .to_string()
    };
    let burned_in_no = parsed
        .dataset
        .iter()
        .any(|e| e.tag == 0x0028_0301 && text(e).eq_ignore_ascii_case("NO"));
    let coded = parsed
        .dataset
        .iter()
        .filter(|e| e.tag == 0x0012_0064)
        .flat_map(|e| e.items())
        .flat_map(|item| item.elements.iter())
        .any(|e| e.tag == 0x0008_0100 && text(e) == "113101");
    burned_in_no && coded
}

fn region(rect: Rect, frame: Option<u32>, source: RegionSource) -> Region {
    Region {
        frame: frame.unwrap_or(0),
        all_frames: frame.is_none(),
        x: rect.x,
        y: rect.y,
        w: rect.w,
        h: rect.h,
        source,
    }
}

/// The reason given when only the header of a large file was read.
pub fn pixels_not_read() -> Reason {
    Reason {
        code: "pixels-not-read",
        text: "This large file was read without its pixels, so the image itself was not searched for text.".to_string(),
        detail: "Header-only reading (ranges); the verdict rests on the header signals.".to_string(),
        level: RiskLevel::Low,
    }
}

fn not_checked(why: String) -> Reason {
    Reason {
        code: "pixels-not-checked",
        text: format!("The image itself could not be searched for text: {why}."),
        detail: "Only the header signals were used for this file.".to_string(),
        level: RiskLevel::Low,
    }
}

/// Text boxes in the decoded frames: one frame searched alone, or a sample of a multi-frame
/// image searched with the still-pixel cue (boxes then apply to all frames).
fn find_in_pixels(parsed: &ParsedFile<'_>, info: &ImageInfo) -> Result<Vec<Region>, String> {
    let frames = info.frames.max(1);
    let picked: Vec<u32> = if frames <= SAMPLED_FRAMES {
        (0..frames).collect()
    } else {
        (0..SAMPLED_FRAMES)
            .map(|i| (i as u64 * (frames - 1) as u64 / (SAMPLED_FRAMES - 1) as u64) as u32)
            .collect()
    };
    let mut lumas = Vec::with_capacity(picked.len());
    let mut chroma: Option<Vec<u8>> = None;
    for &index in &picked {
        let frame = decode_frame(parsed, info, index).map_err(|e| e.to_string())?;
        if picked.len() == 1 {
            // Colour flow is drawn in colour, text in grey: the finder uses that (see
            // `find_text_with_chroma`).
            chroma = frame.rgb8(info, parsed).map(|rgb| {
                rgb.chunks_exact(3)
                    .map(|p| p.iter().max().unwrap_or(&0) - p.iter().min().unwrap_or(&0))
                    .collect()
            });
        }
        lumas.push((frame.width, frame.height, frame.luma8(info, parsed)));
    }
    let views: Vec<Luma<'_>> = lumas
        .iter()
        .map(|(width, height, pixels)| Luma {
            width: *width,
            height: *height,
            pixels,
        })
        .collect();
    Ok(match views.as_slice() {
        [one] => match &chroma {
            Some(c) => find_text_with_chroma(one, c),
            None => find_text(one),
        }
        .into_iter()
        .map(|r| region(r, Some(0), RegionSource::Detector))
        .collect(),
        many => find_text_in_frames(many)
            .into_iter()
            .map(|r| region(r, None, RegionSource::Detector))
            .collect(),
    })
}
