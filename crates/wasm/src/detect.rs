//! The pixel text finder for the page: `detect_text(pixels, width, height, channels)`.

use dicom_leakcheck::pixels::decode::luma_of;
use dicom_leakcheck::pixels::detect::find_text;
use dicom_leakcheck::{Luma, Rect};
use wasm_bindgen::prelude::*;

/// Boxes `[{x, y, w, h}]` around lines of text burned into one frame. `pixels`: row by row,
/// `channels` bytes per pixel: 1 = luminance, 3 = RGB, 4 = RGBA (alpha ignored). Throws when
/// the buffer is shorter than `width * height * channels` or `channels` is not 1, 3 or 4.
#[wasm_bindgen]
pub fn detect_text(
    pixels: &[u8],
    width: u32,
    height: u32,
    channels: u32,
) -> Result<JsValue, JsValue> {
    let boxes = boxes(pixels, width, height, channels).map_err(|m| crate::error(&m))?;
    crate::to_js(&boxes)
}

fn boxes(pixels: &[u8], width: u32, height: u32, channels: u32) -> Result<Vec<Rect>, String> {
    let luma = to_luma(pixels, width, height, channels)?;
    Ok(find_text(&Luma {
        width,
        height,
        pixels: &luma,
    }))
}

/// Luminance from grey, RGB or RGBA bytes: the core's `luma_of` (one formula for the page and
/// the core).
fn to_luma(pixels: &[u8], width: u32, height: u32, channels: u32) -> Result<Vec<u8>, String> {
    let count = (width as usize)
        .checked_mul(height as usize)
        .ok_or_else(|| format!("a {width}x{height} frame is too large"))?;
    let step = match channels {
        1 | 3 | 4 => channels as usize,
        _ => return Err(format!("{channels} channels per pixel: expected 1, 3 or 4")),
    };
    let needed = count
        .checked_mul(step)
        .filter(|&n| n <= pixels.len())
        .ok_or_else(|| {
            format!(
                "{} bytes of pixels for a {width}x{height} frame with {channels} channels",
                pixels.len()
            )
        })?;
    let pixels = &pixels[..needed];
    Ok(match step {
        1 => pixels.to_vec(),
        _ => pixels
            .chunks_exact(step)
            .map(|p| luma_of(&p[..3]))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rgb_and_rgba_become_luma_and_short_buffers_are_refused() {
        assert_eq!(
            to_luma(&[255, 255, 255, 0, 0, 0], 2, 1, 3),
            Ok(vec![255, 0])
        );
        assert_eq!(
            to_luma(&[255, 0, 0, 9, 0, 255, 0, 9], 2, 1, 4),
            Ok(vec![76, 149])
        );
        assert_eq!(to_luma(&[1, 2, 3], 3, 1, 1), Ok(vec![1, 2, 3]));
        assert!(to_luma(&[1, 2], 3, 1, 1).is_err());
        assert!(to_luma(&[1, 2, 3], 1, 1, 2).is_err());
        assert!(to_luma(&[], u32::MAX, u32::MAX, 4).is_err());
    }

    #[test]
    fn a_flat_frame_has_no_boxes() {
        assert_eq!(boxes(&[40; 64 * 64 * 3], 64, 64, 3), Ok(vec![]));
    }
}
