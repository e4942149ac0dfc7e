//! The borrowed grayscale image type and the pixel operations the pipeline needs: cropping,
//! resampling into model tensors, and the polarity estimate.

use crate::OcrError;

/// An axis-aligned rectangle in image pixel coordinates (`x`, `y` of the top-left corner).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Rect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

impl Rect {
    pub const fn new(x: u32, y: u32, width: u32, height: u32) -> Rect {
        Rect {
            x,
            y,
            width,
            height,
        }
    }

    /// One past the right edge, computed in u64 so that no rectangle overflows.
    pub fn right(&self) -> u64 {
        u64::from(self.x) + u64::from(self.width)
    }

    /// One past the bottom edge.
    pub fn bottom(&self) -> u64 {
        u64::from(self.y) + u64::from(self.height)
    }

    pub fn is_empty(&self) -> bool {
        self.width == 0 || self.height == 0
    }

    /// The part of this rectangle inside a `width` x `height` image, if any.
    pub fn clip(&self, width: usize, height: usize) -> Option<Rect> {
        let x1 = self.right().min(width as u64);
        let y1 = self.bottom().min(height as u64);
        let x0 = u64::from(self.x);
        let y0 = u64::from(self.y);
        if x0 >= x1 || y0 >= y1 {
            return None;
        }
        // All four values are <= u32::MAX here because x0, y0 came from u32 and x1, y1 are
        // below them or below the image size.
        Some(Rect {
            x: self.x,
            y: self.y,
            width: u32::try_from(x1 - x0).ok()?,
            height: u32::try_from(y1 - y0).ok()?,
        })
    }
}

/// An 8-bit grayscale image borrowed from the caller (row-major, `stride` bytes a row).
#[derive(Clone, Copy, Debug)]
pub struct GrayImage<'a> {
    data: &'a [u8],
    width: usize,
    height: usize,
    stride: usize,
}

impl<'a> GrayImage<'a> {
    /// A tightly packed image (`stride == width`).
    pub fn new(data: &'a [u8], width: usize, height: usize) -> Result<Self, OcrError> {
        Self::with_stride(data, width, height, width)
    }

    /// An image whose rows are `stride` bytes apart (a view into a larger frame, for example).
    pub fn with_stride(
        data: &'a [u8],
        width: usize,
        height: usize,
        stride: usize,
    ) -> Result<Self, OcrError> {
        if width == 0 || height == 0 {
            return Err(OcrError::EmptyImage { width, height });
        }
        let needed = (height - 1)
            .checked_mul(stride)
            .and_then(|n| n.checked_add(width));
        let bad = |needed: usize| OcrError::ImageBuffer {
            width,
            height,
            stride,
            len: data.len(),
            needed,
        };
        match needed {
            Some(n) if stride >= width && data.len() >= n => Ok(GrayImage {
                data,
                width,
                height,
                stride,
            }),
            Some(n) => Err(bad(n)),
            None => Err(bad(usize::MAX)),
        }
    }

    pub fn width(&self) -> usize {
        self.width
    }

    pub fn height(&self) -> usize {
        self.height
    }

    /// The whole image as a rectangle (saturating: images wider than u32::MAX are not real).
    pub fn bounds(&self) -> Rect {
        Rect::new(
            0,
            0,
            u32::try_from(self.width).unwrap_or(u32::MAX),
            u32::try_from(self.height).unwrap_or(u32::MAX),
        )
    }

    /// The pixel at (x, y); callers keep x < width and y < height.
    #[inline]
    fn px(&self, x: usize, y: usize) -> u8 {
        // get() rather than indexing: a wrong caller yields black, not a panic.
        self.data.get(y * self.stride + x).copied().unwrap_or(0)
    }

    /// Bilinear sample at a continuous position (pixel centres at +0.5), clamped to the edges.
    #[inline]
    fn sample(&self, fx: f32, fy: f32) -> f32 {
        let maxx = (self.width - 1) as f32;
        let maxy = (self.height - 1) as f32;
        let x = (fx - 0.5).clamp(0.0, maxx);
        let y = (fy - 0.5).clamp(0.0, maxy);
        let x0 = x.floor();
        let y0 = y.floor();
        let ax = x - x0;
        let ay = y - y0;
        let x0 = x0 as usize;
        let y0 = y0 as usize;
        let x1 = (x0 + 1).min(self.width - 1);
        let y1 = (y0 + 1).min(self.height - 1);
        let top = f32::from(self.px(x0, y0)) * (1.0 - ax) + f32::from(self.px(x1, y0)) * ax;
        let bot = f32::from(self.px(x0, y1)) * (1.0 - ax) + f32::from(self.px(x1, y1)) * ax;
        top * (1.0 - ay) + bot * ay
    }

    /// Resamples the region (`x0`, `y0`, `w`, `h`, in pixels, may be fractional) to
    /// `out_w` x `out_h` values in 0..=255. Upscaling is bilinear; downscaling averages a grid
    /// of bilinear samples over each output pixel's footprint so that thin strokes do not
    /// vanish between samples. Cost is bounded by the output size (at most 8x8 taps a pixel),
    /// whatever the size of the source.
    pub(crate) fn resample(
        &self,
        x0: f32,
        y0: f32,
        w: f32,
        h: f32,
        out_w: usize,
        out_h: usize,
    ) -> Vec<f32> {
        let sx = w / out_w as f32;
        let sy = h / out_h as f32;
        let nx = (sx.ceil() as usize).clamp(1, 8);
        let ny = (sy.ceil() as usize).clamp(1, 8);
        let norm = 1.0 / (nx * ny) as f32;
        let mut out = Vec::with_capacity(out_w * out_h);
        for oy in 0..out_h {
            for ox in 0..out_w {
                let mut acc = 0.0;
                for j in 0..ny {
                    let fy = y0 + (oy as f32 + (j as f32 + 0.5) / ny as f32) * sy;
                    for i in 0..nx {
                        let fx = x0 + (ox as f32 + (i as f32 + 0.5) / nx as f32) * sx;
                        acc += self.sample(fx, fy);
                    }
                }
                out.push(acc * norm);
            }
        }
        out
    }

    /// Histogram statistics of `rect`: whether text in it is light on dark, and its spread.
    /// Text strokes cover a minority of a line's pixels, so after splitting the pixels in two
    /// by Otsu's threshold the smaller class is the text: if that class is the bright one,
    /// the text is light on dark (None when nothing separates, a flat region). The spread is
    /// the distance between the 2nd and 98th percentiles: below a few grey levels there is no
    /// text to read, and the recogniser would only hallucinate on the noise.
    pub(crate) fn stats(&self, rect: Rect) -> RegionStats {
        let mut hist = [0u64; 256];
        // Subsample big regions: the decision needs a few thousand pixels, not millions.
        let step_x = (rect.width as usize / 256).max(1);
        let step_y = (rect.height as usize / 64).max(1);
        let mut n = 0u64;
        let mut y = rect.y as usize;
        while y < (rect.bottom() as usize).min(self.height) {
            let mut x = rect.x as usize;
            while x < (rect.right() as usize).min(self.width) {
                hist[usize::from(self.px(x, y))] += 1;
                n += 1;
                x += step_x;
            }
            y += step_y;
        }
        let light_text = otsu(&hist, n).map(|t| {
            let below: u64 = hist[..=t].iter().sum();
            n - below < below
        });
        let pct = |q: f64| {
            let target = (q * n as f64).ceil() as u64;
            let mut acc = 0;
            for (i, &c) in hist.iter().enumerate() {
                acc += c;
                if acc >= target.max(1) {
                    return i;
                }
            }
            255
        };
        RegionStats {
            light_text,
            spread: pct(0.98).saturating_sub(pct(0.02)) as u8,
        }
    }

    pub(crate) fn light_text(&self, rect: Rect) -> Option<bool> {
        self.stats(rect).light_text
    }
}

/// See [`GrayImage::stats`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RegionStats {
    pub light_text: Option<bool>,
    pub spread: u8,
}

/// Otsu's threshold of a histogram: the level t that best splits it into [0, t] and (t, 255].
/// None if every pixel has the same value.
fn otsu(hist: &[u64; 256], n: u64) -> Option<usize> {
    if n == 0 {
        return None;
    }
    let total: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &c)| i as f64 * c as f64)
        .sum();
    let (mut w0, mut sum0) = (0f64, 0f64);
    let mut best = (0f64, None);
    for (t, &c) in hist.iter().enumerate().take(255) {
        w0 += c as f64;
        sum0 += t as f64 * c as f64;
        let w1 = n as f64 - w0;
        if w0 == 0.0 || w1 == 0.0 {
            continue;
        }
        let m0 = sum0 / w0;
        let m1 = (total - sum0) / w1;
        let between = w0 * w1 * (m0 - m1) * (m0 - m1);
        if between > best.0 {
            best = (between, Some(t));
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_empty_and_short_buffers() {
        assert!(matches!(
            GrayImage::new(&[], 0, 0),
            Err(OcrError::EmptyImage { .. })
        ));
        assert!(matches!(
            GrayImage::new(&[0; 10], 4, 3),
            Err(OcrError::ImageBuffer { needed: 12, .. })
        ));
        assert!(matches!(
            GrayImage::with_stride(&[0; 100], 10, 2, 5),
            Err(OcrError::ImageBuffer { .. })
        ));
        assert!(matches!(
            GrayImage::with_stride(&[0; 100], usize::MAX, usize::MAX, usize::MAX),
            Err(OcrError::ImageBuffer { .. })
        ));
        // The last row needs only `width` bytes, not a whole stride.
        assert!(GrayImage::with_stride(&[0; 14], 4, 3, 5).is_ok());
    }

    #[test]
    fn clip_handles_extremes() {
        let r = Rect::new(u32::MAX, u32::MAX, u32::MAX, u32::MAX);
        assert_eq!(r.clip(100, 100), None);
        assert_eq!(
            Rect::new(90, 0, 50, 10).clip(100, 100),
            Some(Rect::new(90, 0, 10, 10))
        );
    }

    #[test]
    fn resample_keeps_constant_and_bounds() {
        let data = vec![200u8; 12];
        let img = GrayImage::new(&data, 4, 3).unwrap();
        let out = img.resample(-5.0, -5.0, 100.0, 100.0, 7, 5);
        assert_eq!(out.len(), 35);
        assert!(out.iter().all(|&v| (v - 200.0).abs() < 1e-3));
    }

    #[test]
    fn polarity_from_minority_class() {
        // Dark background with a few bright "strokes".
        let mut data = vec![10u8; 100];
        for v in data.iter_mut().step_by(7) {
            *v = 240;
        }
        let img = GrayImage::new(&data, 10, 10).unwrap();
        assert_eq!(img.light_text(img.bounds()), Some(true));
        let inv: Vec<u8> = data.iter().map(|v| 255 - v).collect();
        let img = GrayImage::new(&inv, 10, 10).unwrap();
        assert_eq!(img.light_text(img.bounds()), Some(false));
        let flat = vec![7u8; 100];
        let img = GrayImage::new(&flat, 10, 10).unwrap();
        assert_eq!(img.light_text(img.bounds()), None);
    }
}
