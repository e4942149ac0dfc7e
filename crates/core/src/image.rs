//! The image of a file, for viewers: its attributes, one decoded frame at a time, overlay
//! planes, and the pixels searched for burned-in text. The file is parsed once when opened;
//! every frame is then decoded from the caller's bytes.

use crate::error::Error;
use crate::parse::{self, ParsedFile};
use crate::pixels::burned_in::{self, BurnedIn};
use crate::pixels::decode::{self, Frame, ImageInfo};
use crate::pixels::overlay::{self, Overlay};

/// The burned-in text verdict of a whole file in memory, its frames decoded and searched (for
/// a file without Pixel Data: what the header says, overlays and annotations included).
pub fn search_pixels(bytes: &[u8]) -> Result<BurnedIn, Error> {
    Ok(burned_in::assess(&parse::parse(bytes)?, true))
}

/// A VOI window (PS3.3 C.11.2.1.2): centre and width in rescaled values.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Window {
    pub center: f64,
    pub width: f64,
}

/// A file's image, opened from the whole file in memory.
pub struct Image<'a> {
    parsed: ParsedFile<'a>,
    info: ImageInfo,
}

impl<'a> Image<'a> {
    /// Opens the image of `bytes`; `Ok(None)` when the file has no Pixel Data.
    pub fn open(bytes: &'a [u8]) -> Result<Option<Image<'a>>, Error> {
        let parsed = parse::parse(bytes)?;
        Ok(decode::image_info(&parsed)?.map(|info| Image { parsed, info }))
    }

    pub fn info(&self) -> &ImageInfo {
        &self.info
    }

    /// Frame `index` (from 0), decoded.
    pub fn frame(&self, index: u32) -> Result<Frame, Error> {
        Ok(decode::decode_frame(&self.parsed, &self.info, index)?)
    }

    /// A grey frame's values after the Modality LUT (rescale), or `None` for colour.
    pub fn gray_values(&self, frame: &Frame) -> Option<Vec<i32>> {
        frame.gray_values(&self.info)
    }

    /// A colour frame as RGB bytes, or `None` for grey images.
    pub fn rgb8(&self, frame: &Frame) -> Option<Vec<u8>> {
        frame.rgb8(&self.info, &self.parsed)
    }

    /// The window a grey frame is shown with by default (its values as given by
    /// `gray_values`): the file's VOI window, or one fitted to the frame's values. The same
    /// window `luma8` uses, so a viewer's "auto" matches what the core sees.
    pub fn display_window(&self, gray_values: &[i32]) -> Window {
        let (min, max) = decode::min_max(gray_values);
        let (center, width) = decode::display_window(min, max, &self.info, true);
        Window { center, width }
    }

    /// The frame's 8-bit luminance, through the file's window when it has one.
    pub fn luma8(&self, frame: &Frame) -> Vec<u8> {
        frame.luma8(&self.info, &self.parsed)
    }

    /// The overlay planes (60xx groups).
    pub fn overlays(&self) -> Vec<Overlay> {
        overlay::overlays(&self.parsed)
    }

    /// One frame of an overlay plane as one byte (0 or 1) per pixel.
    pub fn overlay_bits(&self, overlay: &Overlay, frame: u32) -> Option<Vec<u8>> {
        overlay::overlay_bits(&self.parsed, overlay, frame)
    }

    /// The burned-in text verdict with the frames searched (the page's header-first report
    /// of a file did not search them).
    pub fn burned_in(&self) -> BurnedIn {
        burned_in::assess(&self.parsed, true)
    }
}
