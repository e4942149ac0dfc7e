//! Pixels: decoding frames for the preview, finding text burned into them, judging the risk of
//! burned-in text from the header, and blacking out regions (the Clean Pixel Data option,
//! PS3.15 E.3.1).
//!
//! - `decode`: the image's attributes and one frame at a time, for every supported encoding.
//! - `detect`: a classical text finder on 8-bit luminance frames (no OCR).
//! - `risk`: header signals and known vendor screen layouts (signatures).

pub mod burned_in;
pub mod clean;
pub mod decode;
pub mod detect;
pub mod overlay;
pub mod risk;
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
}

/// A region of one frame that holds (or may hold) burned-in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
}

/// An 8-bit luminance view of one frame, row by row, `width * height` bytes.
#[derive(Debug, Clone, Copy)]
pub struct Luma<'a> {
    pub width: u32,
    pub height: u32,
    pub pixels: &'a [u8],
}
