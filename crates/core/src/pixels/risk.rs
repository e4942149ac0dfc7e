//! The risk that text (the patient's name, ID, dates, the institution) is burned into the
//! pixels, judged from the header alone: instantly, before any pixel is decoded.
//!
//! Header-only anonymizers leave pixels alone, so PS3.15 E.3.1 (Clean Pixel Data Option) asks
//! for the pixels to be checked where "the image contains burned in identifying information".
//! It names the signals itself: Burned In Annotation (0028,0301), and that "CT images do not
//! normally contain such burned in annotation, whereas Ultrasound images routinely do". The
//! other signals here (SOP Class, Image Type, descriptions, overlays, ...) and the known vendor
//! layouts (signatures, see `signature`) follow the practice of RSNA CTP and pydicom/deid.
//!
//! The header can raise the risk but never rule it out: a file without any signal may still
//! carry text, which only the pixel detector can find.

mod header;
mod outside;
mod signals;
pub mod signature;
#[cfg(test)]
mod tests;

use crate::parse::ParsedFile;
use crate::pixels::Rect;
use serde::Serialize;

pub use header::Header;

/// How likely the pixels carry identifying text, from the header alone.
#[derive(Serialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
#[serde(rename_all = "lowercase")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
}

/// One signal found in the header.
#[derive(Serialize, Clone, Debug)]
pub struct Reason {
    /// Stable kebab-case id of the signal (see [`REASON_CODES`]).
    pub code: &'static str,
    /// Plain words for a clinician or patient.
    pub text: String,
    /// The DICOM detail: tag, value, and the part of the standard it comes from.
    pub detail: String,
    pub level: RiskLevel,
}

/// A reason of `level` with its plain words and DICOM detail (used by every signal).
fn reason(code: &'static str, level: RiskLevel, text: impl Into<String>, detail: String) -> Reason {
    Reason {
        code,
        text: text.into(),
        detail,
        level,
    }
}

/// A known vendor screen layout that the header matches.
#[derive(Serialize, Clone, Debug)]
pub struct SignatureMatch {
    pub name: String,
    /// Attribution: "RSNA CTP DicomPixelAnonymizer.script" or "pydicom/deid deid.dicom".
    pub source: String,
    /// Where that layout draws text, on every frame, cut to the image's size.
    pub regions: Vec<Rect>,
}

/// The verdict: the highest level of any reason, the reasons (highest first) and the matched
/// signatures.
#[derive(Serialize, Clone, Debug)]
pub struct HeaderRisk {
    pub level: RiskLevel,
    pub reasons: Vec<Reason>,
    pub signatures: Vec<SignatureMatch>,
}

/// Every reason code `header_risk` can give.
pub const REASON_CODES: [&str; 24] = [
    "no-image",
    "burned-in-annotation-yes",
    "burned-in-annotation-no",
    "burned-in-annotation-absent",
    "recognizable-visual-features",
    "ultrasound",
    "secondary-capture",
    "visible-light",
    "encapsulated-document",
    "document-or-photo-modality",
    "acquired-image",
    "pixels-are-data",
    "image-type-screen-or-report",
    "image-type-derived",
    "image-type-missing",
    "description-report",
    "secondary-capture-device",
    "overlay-planes",
    "graphic-annotation",
    "icon-image",
    "curve-data",
    "ultrasound-regions",
    "known-screen-layout",
    "no-header-signal",
];

/// Judges the risk of burned-in text from the header of a parsed file. Never panics.
pub fn header_risk(parsed: &ParsedFile) -> HeaderRisk {
    let header = Header::new(parsed);
    let mut reasons = Vec::new();
    let mut signatures = Vec::new();
    signals::collect(&header, &mut reasons, &mut signatures);
    // Highest first; the sort is stable, so signals of one level keep their order.
    reasons.sort_by_key(|r| std::cmp::Reverse(r.level));
    let level = reasons
        .iter()
        .map(|r| r.level)
        .max()
        .unwrap_or(RiskLevel::Low);
    HeaderRisk {
        level,
        reasons,
        signatures,
    }
}
