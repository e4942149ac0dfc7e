//! Decoding Pixel Data (7FE0,0010) one frame at a time, for the preview and the text detector.
//!
//! - `attrs`: the Image Pixel module attributes (PS3.3 C.7.6.3) read from the parsed file.
//! - `syntax`: what each transfer syntax means for pixels (PS3.5 Annex A, 8).
//! - `native`: uncompressed frames (PS3.5 8.1.1), all byte orders and planar configurations.
//! - `fragments`: encapsulated fragments and which belong to which frame (PS3.5 A.4).
//! - `rle`, `jpeg`, `jpeg12` (12-bit lossy JPEG), `jpegls`, `j2k`: the codecs.
//! - `color`: stored values to gray values, 8-bit RGB and 8-bit luminance (PS3.3 C.7.6.3.1,
//!   C.11.2).
//!
//! Only the requested frame is decoded; every declared size is checked against the bytes that
//! exist (or a fixed cap for decoded data) before anything is allocated.

mod attrs;
mod color;
pub(crate) use color::display_window;
mod fragments;
mod j2k;
mod jpeg;
mod jpeg12;
mod jpegls;
mod levels;
mod native;
mod rle;
mod syntax;
#[cfg(test)]
mod tests;

use crate::parse::ParsedFile;
use crate::tags;
use serde::Serialize;
use std::fmt;

pub(crate) use attrs::Attrs;
pub use color::{luma_of, Window};

/// Largest decoded frame we make, in bytes: no real image comes near (a 64k x 32k 8-bit frame).
pub const MAX_FRAME_BYTES: u64 = 1 << 31;

/// The image's attributes as far as decoding and display need them (PS3.3 C.7.6.3).
#[derive(Debug, Clone, Serialize)]
pub struct ImageInfo {
    pub rows: u32,
    pub columns: u32,
    pub frames: u32,
    pub samples_per_pixel: u16,
    pub bits_allocated: u16,
    pub bits_stored: u16,
    pub high_bit: u16,
    pub signed: bool,
    pub photometric: String,
    pub planar_configuration: u16,
    pub rescale_slope: f64,
    pub rescale_intercept: f64,
    pub window_center: Option<f64>,
    pub window_width: Option<f64>,
    /// Plain name of the pixel encoding: "uncompressed", "RLE", "JPEG baseline", ...
    pub encoding: String,
    /// A lossy transfer syntax, or Lossy Image Compression (0028,2110) is "01".
    pub lossy: bool,
    /// Why this encoding cannot be previewed, in plain words; `None` when it can.
    pub cannot_decode: Option<String>,
}

/// One decoded frame.
#[derive(Debug, Clone)]
pub struct Frame {
    pub index: u32,
    pub width: u32,
    pub height: u32,
    pub samples: u16,
    pub bits_allocated: u16,
    pub signed: bool,
    /// After decoding: JPEG YBR and JPEG 2000 YBR_ICT/RCT come out as "RGB".
    pub photometric: String,
    /// Little-endian, interleaved (planar configuration 0), exactly as the frame would be in an
    /// Explicit VR Little Endian file (1-bit data: packed, starting at bit 0 of byte 0).
    pub data: Vec<u8>,
}

/// One frame as the text finder and the reader see it, 8 bits a pixel, row by row: monochrome
/// stored values normalised per frame (the lowest value black, the highest white, the middle
/// 98% spread in between), never through the display window, so text that the window hides
/// is still there; colour frames as their luminance.
#[derive(Debug, Clone)]
pub struct Plane {
    pub width: u32,
    pub height: u32,
    pub luma: Vec<u8>,
    /// Colour frames: per pixel, max - min of R, G and B (0 for grey).
    pub chroma: Option<Vec<u8>>,
}

/// What kind of problem stopped a frame from being decoded. Callers and tests branch on
/// this, never on the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PixelErrorKind {
    /// The file has no Pixel Data (7FE0,0010).
    NoPixelData,
    /// An image attribute the decoder needs is missing or out of range (PS3.3 C.7.6.3).
    BadAttributes,
    /// An encoding or layout that is not decoded here (the message says which).
    Unsupported,
    /// A frame number past the last frame.
    NoSuchFrame,
    /// A frame that the Pixel Data should hold is not there.
    MissingFrame,
    /// The fragments of a compressed image cannot be matched to its frames.
    UnknownFrameLayout,
    /// Native Pixel Data shorter than its attributes say.
    Truncated,
    /// Compressed data (or its encapsulation) that the decoder rejects.
    Damaged,
    /// A frame larger than allowed.
    TooLarge,
}

/// A decoding failure: its kind, in plain specific words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PixelError {
    pub kind: PixelErrorKind,
    pub message: String,
}

impl PixelError {
    pub fn new(kind: PixelErrorKind, message: impl Into<String>) -> PixelError {
        PixelError {
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for PixelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PixelError {}

/// The image's attributes; `None` when the file has no Pixel Data (7FE0,0010).
pub fn image_info(parsed: &ParsedFile) -> Result<Option<ImageInfo>, PixelError> {
    if parsed.pixel_data().is_none() {
        return Ok(None);
    }
    let a = Attrs::new(parsed);
    let rows = a
        .u16(tags::ROWS)
        .ok_or_else(|| missing("Rows (0028,0010)"))?;
    let columns = a
        .u16(tags::COLUMNS)
        .ok_or_else(|| missing("Columns (0028,0011)"))?;
    let bits_allocated = a
        .u16(tags::BITS_ALLOCATED)
        .ok_or_else(|| missing("Bits Allocated (0028,0100)"))?;
    // Defaults below follow what readers commonly assume for old files that leave them out.
    let bits_stored = a.u16(tags::BITS_STORED).unwrap_or(bits_allocated);
    let high_bit = a
        .u16(tags::HIGH_BIT)
        .unwrap_or(bits_stored.saturating_sub(1));
    let samples_per_pixel = a.u16(tags::SAMPLES_PER_PIXEL).unwrap_or(1);
    let photometric = a
        .text(tags::PHOTOMETRIC_INTERPRETATION)
        .unwrap_or_else(|| {
            if samples_per_pixel == 3 {
                "RGB".into()
            } else {
                "MONOCHROME2".into()
            }
        })
        .to_ascii_uppercase();
    let frames = a
        .number(tags::NUMBER_OF_FRAMES)
        .map(|n| n.max(1.0).min(u32::MAX as f64) as u32)
        .unwrap_or(1);
    let kind = syntax::PixelSyntax::from_uid(&parsed.transfer_syntax_uid);
    let lossy_flag = a
        .text(tags::LOSSY_IMAGE_COMPRESSION)
        .is_some_and(|v| v.trim() == "01");
    let mut info = ImageInfo {
        rows: rows.into(),
        columns: columns.into(),
        frames,
        samples_per_pixel,
        bits_allocated,
        bits_stored,
        high_bit,
        signed: a.u16(tags::PIXEL_REPRESENTATION) == Some(1),
        photometric,
        planar_configuration: a.u16(tags::PLANAR_CONFIGURATION).unwrap_or(0),
        rescale_slope: a.number(tags::RESCALE_SLOPE).unwrap_or(1.0),
        rescale_intercept: a.number(tags::RESCALE_INTERCEPT).unwrap_or(0.0),
        window_center: a.number(tags::WINDOW_CENTER),
        window_width: a.number(tags::WINDOW_WIDTH).filter(|w| *w > 0.0),
        encoding: kind.name(),
        lossy: kind.lossy() || lossy_flag,
        cannot_decode: None,
    };
    info.cannot_decode = kind.cannot_decode(&info, parsed);
    Ok(Some(info))
}

/// Decodes frame `index` (0-based) only.
pub fn decode_frame(
    parsed: &ParsedFile,
    info: &ImageInfo,
    index: u32,
) -> Result<Frame, PixelError> {
    if index >= info.frames {
        return Err(PixelError::new(
            PixelErrorKind::NoSuchFrame,
            format!("frame {index} of {} (frames count from 0)", info.frames),
        ));
    }
    if let Some(reason) = &info.cannot_decode {
        return Err(PixelError::new(PixelErrorKind::Unsupported, reason.clone()));
    }
    if info.rows == 0 || info.columns == 0 {
        return Err(PixelError::new(
            PixelErrorKind::BadAttributes,
            "the image has no pixels (Rows or Columns is 0)",
        ));
    }
    if !matches!(info.samples_per_pixel, 1 | 3 | 4) {
        return Err(PixelError::new(
            PixelErrorKind::Unsupported,
            format!(
                "Samples per Pixel is {}; only 1, 3 or 4 can be shown",
                info.samples_per_pixel
            ),
        ));
    }
    let element = parsed.pixel_data().ok_or_else(|| {
        PixelError::new(PixelErrorKind::NoPixelData, "the file has no Pixel Data")
    })?;
    let kind = syntax::PixelSyntax::from_uid(&parsed.transfer_syntax_uid);
    match kind {
        syntax::PixelSyntax::Native => native::frame(parsed, element, info, index),
        _ => {
            let frags = fragments::Fragments::read(parsed, element)?;
            let bytes = frags.frame(parsed, info, index, kind.start_marker())?;
            match kind {
                syntax::PixelSyntax::Rle => rle::frame(&bytes, info, index),
                syntax::PixelSyntax::Jpeg { process }
                    if process != syntax::JpegProcess::Lossless && info.bits_stored > 8 =>
                {
                    jpeg12::frame(&bytes, info, index)
                }
                syntax::PixelSyntax::Jpeg { .. } => jpeg::frame(&bytes, info, index),
                syntax::PixelSyntax::J2k { .. } => j2k::frame(&bytes, info, index),
                syntax::PixelSyntax::JpegLs { .. } => jpegls::frame(&bytes, info, index),
                _ => Err(PixelError::new(
                    PixelErrorKind::Unsupported,
                    format!("{} pixel data cannot be decoded", kind.name()),
                )),
            }
        }
    }
}

/// Checks that one decoded frame of this size stays under the cap; returns its byte count.
pub(crate) fn decoded_size(info: &ImageInfo, bytes_per_sample: u64) -> Result<usize, PixelError> {
    let size = u64::from(info.rows)
        * u64::from(info.columns)
        * u64::from(info.samples_per_pixel)
        * bytes_per_sample;
    if size > MAX_FRAME_BYTES {
        return Err(PixelError::new(
            PixelErrorKind::TooLarge,
            format!(
                "one frame would need {size} bytes ({}x{}, {} samples); more than the {} allowed",
                info.columns, info.rows, info.samples_per_pixel, MAX_FRAME_BYTES
            ),
        ));
    }
    usize::try_from(size).map_err(|_| {
        PixelError::new(
            PixelErrorKind::TooLarge,
            "the frame is too large for this machine",
        )
    })
}

/// Runs a third-party decoder so that a bug in it (a panic on odd data) becomes an error for
/// this file instead of ending the program. Under wasm32 panics abort, so this only helps
/// natively; the page replaces a worker that trapped.
pub(crate) fn guard<T>(decode: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(decode)).ok()
}

fn missing(what: &str) -> PixelError {
    PixelError::new(
        PixelErrorKind::BadAttributes,
        format!("the file has Pixel Data but no {what}"),
    )
}

impl Frame {
    /// Monochrome frames: the stored values, masked to Bits Stored and sign-extended.
    pub fn gray_values(&self, info: &ImageInfo) -> Option<Vec<i32>> {
        color::gray_values(self, info)
    }

    /// 8-bit interleaved RGB for RGB, YBR and PALETTE COLOR frames (PS3.3 C.7.6.3.1.2, .5).
    pub fn rgb8(&self, info: &ImageInfo, parsed: &ParsedFile) -> Option<Vec<u8>> {
        color::rgb8(self, info, parsed)
    }

    /// 8-bit luminance, `width * height` bytes: the VOI window (or the frame's min/max, or
    /// an automatic window when the file's shows almost nothing; see `display_window`),
    /// MONOCHROME1 inverted, colour frames as luma.
    pub fn luma8(&self, info: &ImageInfo, parsed: &ParsedFile) -> Vec<u8> {
        color::luma8(self, info, parsed)
    }

    /// The frame as the text finder sees it (see `Plane`).
    pub fn search_plane(&self, info: &ImageInfo, parsed: &ParsedFile) -> Plane {
        color::search_plane(self, info, parsed)
    }
}

/// A big-endian 16-bit field of a JPEG marker segment (ITU-T T.81 B.1.1.4), shared by the
/// 12-bit JPEG and JPEG-LS readers.
fn be16(data: &[u8], at: usize) -> Option<usize> {
    Some(usize::from(u16::from_be_bytes([
        *data.get(at)?,
        *data.get(at + 1)?,
    ])))
}
