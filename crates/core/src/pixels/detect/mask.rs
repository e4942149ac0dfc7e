//! Local-contrast masks: bright-on-dark and dark-on-bright pixels at once.

/// Mask values: not text-like, brighter than the surroundings, darker than the surroundings.
pub const NONE: u8 = 0;
pub const BRIGHT: u8 = 1;
pub const DARK: u8 = 2;

/// Half the side of the window of the local mean. Strokes of text up to ~40 px tall are 4-6 px
/// wide, far thinner than the 31 px window, so they stand out from its mean.
const RADIUS: usize = 15;
/// How far (grey levels) a pixel must be from its local mean. Low-contrast text (~40 levels)
/// puts its stroke pixels ~28 levels above the mean of a window it partly fills.
pub const THRESHOLD: i32 = 14;
/// The same for the strong mask: text drawn at the extremes of the range over busy anatomy
/// stands this far from its surroundings, most of the anatomy's own texture does not.
pub const STRONG_THRESHOLD: i32 = 32;

/// The summed-area table of a frame, for local means anywhere.
pub struct Integral {
    sums: Vec<u32>,
    w: usize,
    h: usize,
}

impl Integral {
    /// The mean of the `RADIUS` window around (x, y), clipped to the frame.
    pub fn local_mean(&self, x: usize, y: usize) -> i32 {
        let stride = self.w + 1;
        let (x0, x1) = (x.saturating_sub(RADIUS), (x + RADIUS + 1).min(self.w));
        let (y0, y1) = (y.saturating_sub(RADIUS), (y + RADIUS + 1).min(self.h));
        let s = &self.sums;
        let sum = s[y1 * stride + x1]
            .wrapping_add(s[y0 * stride + x0])
            .wrapping_sub(s[y1 * stride + x0])
            .wrapping_sub(s[y0 * stride + x1]);
        (sum / ((x1 - x0) * (y1 - y0)) as u32) as i32
    }
}

/// One byte per pixel: `NONE`, `BRIGHT` or `DARK`, and the integral image it was made from.
/// `px.len() == w * h` (checked by the caller).
pub fn contrast_mask(px: &[u8], w: usize, h: usize) -> (Vec<u8>, Integral) {
    let integral = Integral {
        sums: integral_image(px, w, h),
        w,
        h,
    };
    let mask = threshold_mask(px, &integral, THRESHOLD);
    (mask, integral)
}

/// The mask of pixels at least `threshold` grey levels from their local mean.
pub fn threshold_mask(px: &[u8], integral: &Integral, threshold: i32) -> Vec<u8> {
    let (w, h) = (integral.w, integral.h);
    let integral = &integral.sums;
    let stride = w + 1;
    let mut mask = vec![NONE; w * h];
    for y in 0..h {
        let y0 = y.saturating_sub(RADIUS);
        let y1 = (y + RADIUS + 1).min(h);
        let (top, bottom) = (y0 * stride, y1 * stride);
        let rows = (y1 - y0) as i32;
        let row_px = &px[y * w..(y + 1) * w];
        let row_mask = &mut mask[y * w..(y + 1) * w];
        for (x, (&p, m)) in row_px.iter().zip(row_mask.iter_mut()).enumerate() {
            let x0 = x.saturating_sub(RADIUS);
            let x1 = (x + RADIUS + 1).min(w);
            // One window's sum is at most 255 * 31 * 31, so i32 holds it and (p +- T) * count.
            let sum = integral[bottom + x1]
                .wrapping_add(integral[top + x0])
                .wrapping_sub(integral[bottom + x0])
                .wrapping_sub(integral[top + x1]) as i32;
            let count = rows * (x1 - x0) as i32;
            // p - mean > T  <=>  (p - T) * count > sum, without a division per pixel.
            let p = i32::from(p);
            if (p - threshold) * count > sum {
                *m = BRIGHT;
            } else if (p + threshold) * count < sum {
                *m = DARK;
            }
        }
    }
    mask
}

/// Summed-area table with a zero first row and column: `(w + 1) * (h + 1)` entries. u32 holds
/// the sum of any frame up to 16 M pixels (255 * 2^24 < 2^32); larger sums wrap, and the
/// wrapping differences of four corners are still exact as long as one window's sum fits.
fn integral_image(px: &[u8], w: usize, h: usize) -> Vec<u32> {
    let stride = w + 1;
    let mut s = vec![0u32; stride * (h + 1)];
    for y in 0..h {
        let mut row = 0u32;
        for x in 0..w {
            row = row.wrapping_add(u32::from(px[y * w + x]));
            s[(y + 1) * stride + x + 1] = s[y * stride + x + 1].wrapping_add(row);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bright_and_dark_strokes_are_marked_flat_areas_are_not() {
        let (w, h) = (40, 40);
        let mut px = vec![100u8; w * h];
        for y in 10..20 {
            px[y * w + 10] = 200; // bright vertical stroke
            px[y * w + 30] = 20; // dark vertical stroke
        }
        let (m, _) = contrast_mask(&px, w, h);
        assert_eq!(m[15 * w + 10], BRIGHT);
        assert_eq!(m[15 * w + 30], DARK);
        assert_eq!(m[15 * w + 20], NONE);
        assert_eq!(m.iter().filter(|&&v| v != NONE).count(), 20);
    }

    #[test]
    fn a_smooth_gradient_is_not_marked() {
        let (w, h) = (64, 16);
        let px: Vec<u8> = (0..w * h).map(|i| ((i % w) + 20) as u8).collect();
        let (m, _) = contrast_mask(&px, w, h);
        assert!(m.iter().all(|&v| v == NONE));
    }
}
