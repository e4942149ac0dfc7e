//! The burned-in text verdict of one file: header signals and vendor signatures (`risk`) plus
//! what the pixel search (`search`: the text finder, and the reader when one is given) finds
//! in the decoded frames, and whom the text read there names (`read_match`). One result
//! drives the file card, `inspect --json` and what Clean Pixel Data blacks out.

use super::decode::image_info;
use super::frames::DecodedFrames;
use super::read::TextReader;
use super::read_match::Patient;
use super::risk::{header_risk, Reason, RiskLevel};
use super::search::{search, Found, Search, MAX_POSSIBLE_PER_FRAME, MAX_READ_PER_FRAME};
use super::{Rect, Region};
use crate::identity::Identity;
use crate::parse::ParsedFile;
use crate::value::Charset;
use serde::Serialize;

/// The reason code of text found in the pixels that does not name the patient (or was not
/// read).
pub const TEXT_IN_PIXELS: &str = "text-in-pixels";
/// Text read in the pixels shows one of the patient's identifying values.
pub const IDENTIFYING_TEXT: &str = "identifying-text-in-pixels";
/// Text read in the pixels looks identifying (a date, a "Name:" label, a long number, a name
/// written "LAST, FIRST") without matching the header.
pub const IDENTIFYING_LOOKING_TEXT: &str = "identifying-looking-text-in-pixels";
/// Text-like marks were found but no reader was given, so nobody knows what they say.
pub const TEXT_NOT_READ: &str = "text-not-read";
/// The pixel search's own reason codes (the header's are `risk::REASON_CODES`).
pub const SEARCH_REASON_CODES: [&str; 7] = [
    TEXT_IN_PIXELS,
    IDENTIFYING_TEXT,
    IDENTIFYING_LOOKING_TEXT,
    TEXT_NOT_READ,
    "pixels-cleaned",
    "pixels-not-read",
    "pixels-not-checked",
];

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
    /// A text reader (OCR) read what the search found: regions carry `text` and
    /// `identifies`. False: no reader was given (or nothing was searched), and the verdict
    /// says that the text was not read.
    pub text_read: bool,
    /// Boxes where the search found marks that may be text but which it does not show as
    /// regions: possible lines the reader did not read as text (or that nobody read), and
    /// boxes left unread over the per-frame limit. Nothing to black out on their own; the
    /// check after cleaning keeps Burned In Annotation from saying NO while any is left
    /// (PS3.15 E.3.1), since it cannot rule out that they are text.
    pub unconfirmed: Vec<Region>,
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
            text_read: false,
            unconfirmed: Vec::new(),
        }
    }

    /// Regions whose text names the patient (or looks as if it does).
    pub fn identifying_regions(&self) -> impl Iterator<Item = &Region> {
        self.regions
            .iter()
            .filter(|r| !r.identifies.is_empty() || r.pattern.is_some())
    }
}

/// The patient's identifying values of a parsed file (for a caller without a `Decider`).
pub fn identity_of(parsed: &ParsedFile<'_>) -> Identity {
    let charset = parsed
        .dataset
        .iter()
        .find(|e| e.tag == 0x0008_0005)
        .map(|e| Charset::from_value(parsed.value_bytes(e)))
        .unwrap_or_else(Charset::default_repertoire);
    Identity::from_file(parsed, &charset)
}

/// Judges one parsed file; `search_pixels` false uses the header alone. No text is read (see
/// `assess_with`). Never fails: what cannot be checked becomes a reason.
pub fn assess(parsed: &ParsedFile<'_>, search_pixels: bool) -> BurnedIn {
    let identity = identity_of(parsed);
    let how = search_pixels.then_some(How {
        identity: &identity,
        reader: None,
        keep: None,
    });
    assess_with(parsed, how)
}

/// How far `assess_with` goes beyond the header.
pub struct How<'a> {
    /// The patient's identifying values, to match what is read.
    pub identity: &'a Identity,
    /// Reads the text found (`None`: the verdict says it was not read).
    pub reader: Option<&'a TextReader>,
    /// Keeps the decoded frames for the cleaning step of the same request.
    pub keep: Option<&'a mut DecodedFrames>,
}

/// Judges one parsed file: the header alone (`how` is `None`), or the pixels searched too.
pub fn assess_with(parsed: &ParsedFile<'_>, how: Option<How<'_>>) -> BurnedIn {
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
                .map(|r| Region::new(None, *r, super::RegionSource::Signature)),
        );
    }
    let mut pixels_checked = false;
    let mut text_read = false;
    let mut unconfirmed = Vec::new();
    if let (Some(info), Some(how)) = (info.as_ref(), how) {
        match &info.cannot_decode {
            Some(why) => reasons.push(not_checked(why.clone())),
            None => {
                let patient = Patient::new(how.identity, parsed);
                let run = Search {
                    reader: how.reader,
                    patient: &patient,
                    text_expected: header.level >= RiskLevel::High,
                    keep: how.keep,
                };
                match search(parsed, info, run) {
                    Ok(found) => {
                        pixels_checked = true;
                        text_read = found.read;
                        let size = (info.columns, info.rows);
                        reasons.extend(found_reasons(&found, &patient, header.level, size));
                        regions.extend(found.regions);
                        unconfirmed = found.unconfirmed;
                    }
                    Err(e) => reasons.push(not_checked(e)),
                }
            }
        }
    }
    let level_of = |reasons: &mut dyn Iterator<Item = &Reason>| {
        reasons.map(|r| r.level).max().unwrap_or(RiskLevel::Low)
    };
    let risk = level_of(&mut reasons.iter());
    let header_risk = level_of(
        &mut reasons
            .iter()
            .filter(|r| !SEARCH_REASON_CODES[..4].contains(&r.code)),
    );
    BurnedIn {
        risk,
        header_risk,
        reasons,
        regions,
        pixels_checked,
        text_read,
        unconfirmed,
    }
}

/// The reasons for what the search found: each identifying value read (high), text that
/// looks identifying (high), other text (medium on images that rarely carry text, high on
/// those that do), and what was not read.
fn found_reasons(
    found: &Found,
    patient: &Patient,
    header: RiskLevel,
    size: (u32, u32),
) -> Vec<Reason> {
    let mut reasons = Vec::new();
    let mut named: Vec<&str> = Vec::new();
    for r in &found.regions {
        let Some(text) = &r.text else { continue };
        for keyword in &r.identifies {
            let keyword = keyword.as_str();
            if named.contains(&keyword) {
                continue;
            }
            named.push(keyword);
            let what = patient
                .describe(keyword)
                .unwrap_or_else(|| format!("The value of {keyword}"));
            reasons.push(Reason {
                code: IDENTIFYING_TEXT,
                text: format!(
                    "{what} is written in the image ({}).",
                    place(&r.rect(), size)
                ),
                detail: format!(
                    "Read in the pixels: \"{text}\"; it shows {keyword}. Header anonymizers leave pixels alone (PS3.15 E.3.1 Clean Pixel Data)."
                ),
                level: RiskLevel::High,
            });
        }
    }
    if let Some(r) = found
        .regions
        .iter()
        .find(|r| r.identifies.is_empty() && r.pattern.is_some())
    {
        let looks = match r.pattern.as_deref() {
            Some("date") => "a date",
            Some("label") => "a label such as Name or ID",
            Some("number") => "a long number",
            _ => "a name written as LAST, FIRST",
        };
        reasons.push(Reason {
            code: IDENTIFYING_LOOKING_TEXT,
            text: format!(
                "Text that looks identifying ({looks}) is written in the image ({}): \"{}\".",
                place(&r.rect(), size),
                r.text.as_deref().unwrap_or_default()
            ),
            detail: "Read in the pixels; it matches none of this file's identifying values, which may have been changed already (PS3.15 E.3.1 Clean Pixel Data).".to_string(),
            level: RiskLevel::High,
        });
    }
    let other: Vec<&Region> = found
        .regions
        .iter()
        .filter(|r| r.identifies.is_empty() && r.pattern.is_none())
        .collect();
    if !other.is_empty() {
        let n = other.len();
        let (text, detail) = if found.read {
            let example = other
                .iter()
                .find_map(|r| r.text.as_deref())
                .map(|t| format!(", such as \"{t}\""))
                .unwrap_or_default();
            (
                format!(
                    "Text is written in the image ({n} area{}{example}); it does not name the patient.",
                    plural(n)
                ),
                "Read in the pixels by the text reader (PS3.15 E.3.1 Clean Pixel Data).".to_string(),
            )
        } else {
            (
                format!(
                    "Text-like marks were found in the image itself ({n} area{}). Text drawn into the picture is not removed by cleaning the header.",
                    plural(n)
                ),
                "Pixel text finder: rows of character-shaped marks on a uniform background (PS3.15 E.3.1 Clean Pixel Data).".to_string(),
            )
        };
        reasons.push(Reason {
            code: TEXT_IN_PIXELS,
            text,
            detail,
            // On an image the header calls low risk (a CT, say) a find is more often
            // anatomy that looks like letters, or harmless text: medium there.
            level: if header >= RiskLevel::Medium {
                RiskLevel::High
            } else {
                RiskLevel::Medium
            },
        });
    }
    if !found.read && (found.unread > 0 || !found.regions.is_empty()) {
        let why = match &found.reader_failed {
            Some(failed) => format!("the text reader failed: {failed}"),
            None => "no text reader was loaded: the OCR models were not given".to_string(),
        };
        reasons.push(Reason {
            code: TEXT_NOT_READ,
            text: format!("What the image shows was not read ({why}), so whether it names the patient is not known."),
            detail: format!(
                "{} possible line(s) of small text or text over anatomy were found and left for a reader to confirm.",
                found.unread
            ),
            level: RiskLevel::Low,
        });
    }
    if found.skipped > 0 {
        reasons.push(Reason {
            code: TEXT_NOT_READ,
            text: format!(
                "{} faint text-like area(s) were not read: the image had too many in one frame (texture such as ultrasound speckle).",
                found.skipped
            ),
            detail: format!("The reader reads every confident line and the {MAX_POSSIBLE_PER_FRAME} strongest possible ones of each frame, at most {MAX_READ_PER_FRAME}."),
            level: RiskLevel::Low,
        });
    }
    reasons
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Where a box sits in a frame of `size`, in words: "upper left", "bottom", "middle" ...
pub fn place(r: &Rect, (width, height): (u32, u32)) -> &'static str {
    let third = |at: u64, of: u32| (at * 3 / u64::from(of.max(1))).min(2);
    let cx = third(u64::from(r.x) + u64::from(r.w) / 2, width);
    let cy = third(u64::from(r.y) + u64::from(r.h) / 2, height);
    match (cy, cx) {
        (0, 0) => "upper left",
        (0, 1) => "top",
        (0, _) => "upper right",
        (1, 0) => "left",
        (1, 1) => "middle",
        (1, _) => "right",
        (_, 0) => "lower left",
        (_, 1) => "bottom",
        _ => "lower right",
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
