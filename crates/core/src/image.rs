//! The image of a file, for viewers: its attributes, one decoded frame at a time, overlay
//! planes, and the pixels searched for burned-in text. The file is parsed once when opened;
//! every frame is then decoded from the caller's bytes.

use crate::error::Error;
use crate::parse::{self, ParsedFile};
use crate::pixels::burned_in::{self, BurnedIn};
pub use crate::pixels::decode::Window;
use crate::pixels::decode::{self, Frame, ImageInfo, Plane};
use crate::pixels::overlay::{self, Overlay};
use crate::pixels::read::TextReader;

/// The burned-in text verdict of a whole file in memory, its frames decoded and searched (for
/// a file without Pixel Data: what the header says, overlays and annotations included). The
/// text found is not read (see `search_pixels_with`).
pub fn search_pixels(bytes: &[u8]) -> Result<BurnedIn, Error> {
    search_pixels_with(bytes, None)
}

/// `search_pixels`, the text found read by `reader` and matched with the file's patient.
pub fn search_pixels_with(bytes: &[u8], reader: Option<&TextReader>) -> Result<BurnedIn, Error> {
    let parsed = parse::parse(bytes)?;
    let identity = burned_in::identity_of(&parsed);
    Ok(burned_in::assess_with(
        &parsed,
        Some(burned_in::How {
            identity: &identity,
            reader,
            keep: None,
        }),
    ))
}

/// The pixels of a de-identified `output` searched again, and what is read there matched with
/// the patient of the `input` it was made from (the output's header no longer names anyone):
/// the after-cleaning check that text is really gone (PS3.15 E.3.1 asks Burned In Annotation
/// to say NO only then). Without a reader, the verdict says the text was not read.
pub fn recheck_pixels(
    output: &[u8],
    input: &[u8],
    reader: Option<&TextReader>,
) -> Result<BurnedIn, Error> {
    let identity = burned_in::identity_of(&parse::parse(input)?);
    Ok(burned_in::assess_with(
        &parse::parse(output)?,
        Some(burned_in::How {
            identity: &identity,
            reader,
            keep: None,
        }),
    ))
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
    /// `gray_values`): the file's VOI window, or one fitted to the frame's values when the
    /// file has none or its window shows almost nothing of this frame (`automatic`). The same
    /// window `luma8` uses, so a viewer's "auto" matches what the core sees.
    pub fn display_window(&self, gray_values: &[i32]) -> Window {
        decode::display_window(gray_values, &self.info)
    }

    /// The frame's 8-bit luminance, through the file's window when it has one.
    pub fn luma8(&self, frame: &Frame) -> Vec<u8> {
        frame.luma8(&self.info, &self.parsed)
    }

    /// The frame as the text finder sees it: stored values normalised per frame, never
    /// through the display window.
    pub fn search_plane(&self, frame: &Frame) -> Plane {
        frame.search_plane(&self.info, &self.parsed)
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
    /// of a file did not search them); the text found is not read.
    pub fn burned_in(&self) -> BurnedIn {
        self.burned_in_with(None)
    }

    /// `burned_in`, the text found read by `reader`.
    pub fn burned_in_with(&self, reader: Option<&TextReader>) -> BurnedIn {
        let identity = burned_in::identity_of(&self.parsed);
        burned_in::assess_with(
            &self.parsed,
            Some(burned_in::How {
                identity: &identity,
                reader,
                keep: None,
            }),
        )
    }
}
