//! Pixels: decoding frames for the preview, finding text burned into them, judging the risk of
//! burned-in text from the header, and blacking out regions (the Clean Pixel Data option,
//! PS3.15 E.3.1).
//!
//! - `decode`: the image's attributes and one frame at a time, for every supported encoding.
//! - `detect`: a classical text finder on 8-bit frames: confident rows, and possible lines
//!   for the reader to confirm.
//! - `read`: the OCR engine that reads candidate boxes (`TextReader`, models passed in).
//! - `read_match`: whether what was read names the patient (fuzzy, forgiving OCR errors).
//! - `burned_in`: the verdict of one file, from all of the above.
//! - `risk`: header signals and known vendor screen layouts (signatures).

pub mod burned_in;
pub mod clean;
pub mod decode;
pub mod detect;
pub mod frames;
pub mod overlay;
pub mod read;
pub mod read_match;
pub mod risk;
pub mod search;
pub mod signature_model;
pub mod signatures_table;

use serde::{Deserialize, Serialize};

/// A rectangle in the pixel coordinates of one frame (x to the right, y down).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rect {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

/// Where a region to clean came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegionSource {
    /// Found by the pixel text detector.
    Detector,
    /// A known vendor screen layout (signature) says text is drawn there.
    Signature,
    /// Drawn by the user on the preview.
    User,
    /// Read by the text reader (OCR) where the text finder alone would not have shown a box.
    Ocr,
}

/// A region of one frame that holds (or may hold) burned-in text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    /// The frame (from 0); ignored when `all_frames` is set.
    pub frame: u32,
    /// The region applies to every frame (a vendor layout, or text that stays still in a cine).
    #[serde(default)]
    pub all_frames: bool,
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    pub source: RegionSource,
    /// What the text reader read there; `None` when nothing was read (no reader, or a box
    /// that was not read: a vendor layout, a user's box).
    #[serde(default)]
    pub text: Option<String>,
    /// Keywords of the attributes whose values the text shows ("PatientName", "PatientID",
    /// "PatientBirthDate", ...), empty when it shows none or was not read.
    #[serde(default)]
    pub identifies: Vec<String>,
    /// Why the text looks identifying without matching the header: "date", "label" (such as
    /// "Name:" or "MRN"), "number" (a long run of digits) or "name" ("LAST, FIRST").
    #[serde(default)]
    pub pattern: Option<String>,
}

impl Region {
    /// A region with nothing read in it.
    pub fn new(frame: Option<u32>, rect: Rect, source: RegionSource) -> Region {
        Region {
            frame: frame.unwrap_or(0),
            all_frames: frame.is_none(),
            x: rect.x,
            y: rect.y,
            w: rect.w,
            h: rect.h,
            source,
            text: None,
            identifies: Vec::new(),
            pattern: None,
        }
    }

    pub fn rect(&self) -> Rect {
        Rect {
            x: self.x,
            y: self.y,
            w: self.w,
            h: self.h,
        }
    }
}

/// An 8-bit luminance view of one frame, row by row, `width * height` bytes.
#[derive(Debug, Clone, Copy)]
pub struct Luma<'a> {
    pub width: u32,
    pub height: u32,
    pub pixels: &'a [u8],
}
