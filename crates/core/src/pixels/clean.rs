//! Blacking out regions of native (uncompressed) pixel data: the pixel part of the Clean Pixel
//! Data option (PS3.15 E.3.1). Works on one frame's bytes as they are stored in an uncompressed
//! file (little endian), so unaffected frames can be copied untouched.

use super::Rect;

/// How one frame's samples are laid out (PS3.3 C.7.6.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub rows: u32,
    pub columns: u32,
    pub samples: u16,
    pub bits_allocated: u16,
    pub bits_stored: u16,
    pub signed: bool,
    /// 1: all of one colour plane, then the next (PS3.3 C.7.6.3.1.3).
    pub planar_configuration: u16,
    pub photometric: String,
}

/// Margin added around every region before it is filled, in pixels: detector boxes are tight
/// and anti-aliased glyph edges reach a pixel or two beyond them.
pub const MARGIN: u32 = 3;

impl Layout {
    /// Bytes of one frame, or `None` when the layout cannot be cleaned sample by sample
    /// (1-bit data, or sizes that overflow).
    pub fn frame_bytes(&self) -> Option<usize> {
        if !matches!(self.bits_allocated, 8 | 16 | 32) || !matches!(self.samples, 1 | 3) {
            return None;
        }
        if self.is_ybr_422() {
            // Uncompressed YBR_FULL_422 keeps Y1 Y2 Cb Cr for each pair of pixels: two
            // samples per pixel (PS3.3 C.7.6.3.1.2, PS3.5 8.2.1).
            if self.bits_allocated != 8 || !self.columns.is_multiple_of(2) {
                return None;
            }
            return (self.rows as usize)
                .checked_mul(self.columns as usize)?
                .checked_mul(2);
        }
        (self.rows as usize)
            .checked_mul(self.columns as usize)?
            .checked_mul(self.samples as usize)?
            .checked_mul(self.bits_allocated as usize / 8)
    }

    fn is_ybr_422(&self) -> bool {
        self.samples == 3 && self.photometric.trim() == "YBR_FULL_422"
    }

    /// Why this layout cannot be cleaned in place, in plain words.
    pub fn unsupported(&self) -> Option<String> {
        if self.frame_bytes().is_some() {
            return None;
        }
        Some(format!(
            "pixels with {} bits allocated and {} samples per pixel cannot be cleaned",
            self.bits_allocated, self.samples
        ))
    }

    /// The stored value(s) shown as black for this photometric interpretation.
    fn black(&self) -> [u32; 3] {
        let bits = self.bits_stored.clamp(1, 32) as u32;
        let max_unsigned = if bits == 32 {
            u32::MAX
        } else {
            (1u32 << bits) - 1
        };
        let (min, max) = if self.signed {
            // Two's complement patterns of -(2^(bits-1)) and 2^(bits-1)-1, in the stored width.
            let half = 1u32 << (bits - 1);
            (half.wrapping_neg() & mask(self.bits_allocated), half - 1)
        } else {
            (0, max_unsigned)
        };
        match self.photometric.trim() {
            // MONOCHROME1: the highest value is black (PS3.3 C.7.6.3.1.2).
            "MONOCHROME1" => [max, 0, 0],
            // YBR: luminance 0, both chroma at the middle.
            p if p.starts_with("YBR") => {
                let mid = 1u32 << (bits - 1).min(31);
                [0, mid, mid]
            }
            _ => [min, min, min],
        }
    }
}

fn mask(bits_allocated: u16) -> u32 {
    match bits_allocated {
        8 => 0xFF,
        16 => 0xFFFF,
        _ => u32::MAX,
    }
}

/// Grows `rect` by `margin` and clips it to the frame; `None` when nothing is left.
pub fn clip(rect: Rect, margin: u32, columns: u32, rows: u32) -> Option<Rect> {
    let x0 = rect.x.saturating_sub(margin);
    let y0 = rect.y.saturating_sub(margin);
    let x1 = rect
        .x
        .saturating_add(rect.w)
        .saturating_add(margin)
        .min(columns);
    let y1 = rect
        .y
        .saturating_add(rect.h)
        .saturating_add(margin)
        .min(rows);
    (x0 < x1 && y0 < y1).then(|| Rect {
        x: x0,
        y: y0,
        w: x1 - x0,
        h: y1 - y0,
    })
}

/// Fills `rects` (grown by `margin`) with black in one frame's bytes. Returns the number of
/// pixels changed, or an error when the bytes do not hold a whole frame of this layout.
pub fn blank_frame(
    frame: &mut [u8],
    layout: &Layout,
    rects: &[Rect],
    margin: u32,
) -> Result<u64, String> {
    let expected = layout
        .frame_bytes()
        .ok_or_else(|| layout.unsupported().unwrap_or_default())?;
    if frame.len() < expected {
        return Err(format!(
            "a frame should hold {expected} bytes but only {} are there",
            frame.len()
        ));
    }
    let black = layout.black();
    let bytes_per_sample = layout.bits_allocated as usize / 8;
    let samples = layout.samples as usize;
    let columns = layout.columns as usize;
    let plane = layout.rows as usize * columns * bytes_per_sample;
    let pairs = layout.is_ybr_422();
    let mut changed = 0u64;
    for rect in rects {
        let Some(mut r) = clip(*rect, margin, layout.columns, layout.rows) else {
            continue;
        };
        if pairs {
            // A region must cover whole pairs: they share their chroma.
            let x1 = (r.x + r.w + 1) & !1;
            r.x &= !1;
            r.w = x1.min(layout.columns) - r.x;
            for y in r.y..r.y + r.h {
                for x in (r.x..r.x + r.w).step_by(2) {
                    let at = (y as usize * columns + x as usize) * 2;
                    if let Some(pair) = frame.get_mut(at..at + 4) {
                        pair.copy_from_slice(&[0, 0, 128, 128]);
                    }
                    changed += 2;
                }
            }
            continue;
        }
        for y in r.y..r.y + r.h {
            for x in r.x..r.x + r.w {
                let pixel = y as usize * columns + x as usize;
                for (s, value) in black.iter().enumerate().take(samples) {
                    let at = if layout.planar_configuration == 1 && samples > 1 {
                        s * plane + pixel * bytes_per_sample
                    } else {
                        (pixel * samples + s) * bytes_per_sample
                    };
                    if let Some(slot) = frame.get_mut(at..at + bytes_per_sample) {
                        slot.copy_from_slice(&value.to_le_bytes()[..bytes_per_sample]);
                    }
                }
                changed += 1;
            }
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(samples: u16, bits: u16, photometric: &str) -> Layout {
        Layout {
            rows: 4,
            columns: 6,
            samples,
            bits_allocated: bits,
            bits_stored: bits,
            signed: false,
            planar_configuration: 0,
            photometric: photometric.to_string(),
        }
    }

    #[test]
    fn fills_only_inside_the_grown_region() {
        let l = layout(1, 8, "MONOCHROME2");
        let mut frame = vec![200u8; 24];
        let rect = Rect {
            x: 2,
            y: 1,
            w: 1,
            h: 1,
        };
        let n = blank_frame(&mut frame, &l, &[rect], 1).expect("whole frame");
        assert_eq!(n, 9);
        for y in 0..4 {
            for x in 0..6 {
                let inside = (1..=3).contains(&x) && (0..=2).contains(&y);
                assert_eq!(frame[y * 6 + x] == 0, inside, "pixel {x},{y}");
            }
        }
    }

    #[test]
    fn monochrome1_black_is_the_highest_value_and_signed_black_the_lowest() {
        let mut l = layout(1, 16, "MONOCHROME1");
        l.bits_stored = 12;
        let mut frame = vec![0u8; 48];
        blank_frame(
            &mut frame,
            &l,
            &[Rect {
                x: 0,
                y: 0,
                w: 1,
                h: 1,
            }],
            0,
        )
        .expect("frame");
        assert_eq!(u16::from_le_bytes([frame[0], frame[1]]), 4095);
        let mut l = layout(1, 16, "MONOCHROME2");
        l.signed = true;
        let mut frame = vec![0u8; 48];
        blank_frame(
            &mut frame,
            &l,
            &[Rect {
                x: 0,
                y: 0,
                w: 1,
                h: 1,
            }],
            0,
        )
        .expect("frame");
        assert_eq!(i16::from_le_bytes([frame[0], frame[1]]), i16::MIN);
    }

    #[test]
    fn planar_rgb_is_blanked_in_every_plane() {
        let mut l = layout(3, 8, "RGB");
        l.planar_configuration = 1;
        let mut frame = vec![255u8; 72];
        blank_frame(
            &mut frame,
            &l,
            &[Rect {
                x: 5,
                y: 3,
                w: 1,
                h: 1,
            }],
            0,
        )
        .expect("frame");
        let pixel = 3 * 6 + 5;
        for plane in 0..3 {
            assert_eq!(frame[plane * 24 + pixel], 0);
        }
        assert_eq!(frame.iter().filter(|&&b| b == 0).count(), 3);
    }

    #[test]
    fn ybr_422_covers_whole_pairs_with_neutral_chroma() {
        let l = layout(3, 8, "YBR_FULL_422");
        assert_eq!(l.frame_bytes(), Some(48));
        let mut frame = vec![255u8; 48];
        blank_frame(
            &mut frame,
            &l,
            &[Rect {
                x: 3,
                y: 0,
                w: 1,
                h: 1,
            }],
            0,
        )
        .expect("frame");
        // Pixels 2 and 3 form a pair: both get Y=0 and the pair's chroma 128.
        assert_eq!(&frame[4..8], &[0, 0, 128, 128]);
        assert_eq!(&frame[..4], &[255; 4]);
        assert_eq!(frame[8], 255);
    }

    #[test]
    fn short_frames_and_one_bit_data_are_refused() {
        let l = layout(1, 8, "MONOCHROME2");
        let mut frame = vec![0u8; 10];
        assert!(blank_frame(&mut frame, &l, &[], 0).is_err());
        let l = layout(1, 1, "MONOCHROME2");
        assert!(l.unsupported().is_some());
    }

    #[test]
    fn regions_outside_the_frame_change_nothing() {
        let l = layout(1, 8, "MONOCHROME2");
        let mut frame = vec![9u8; 24];
        let far = Rect {
            x: 100,
            y: 100,
            w: 5,
            h: 5,
        };
        assert_eq!(blank_frame(&mut frame, &l, &[far], 3).expect("frame"), 0);
        assert!(frame.iter().all(|&b| b == 9));
    }
}
