//! Which components look like characters: shape first (cheap), then the background around.

use super::components::Component;
use super::View;

/// Character heights the finder looks for (text drawn ~7-40 px tall; lowercase x-height of the
/// smallest sizes is ~4-5 px).
pub const MIN_HEIGHT: u32 = 4;
pub const MAX_HEIGHT: u32 = 48;
/// Grey levels between a character and its background (the low-contrast text is ~40).
const MIN_CONTRAST: f32 = 22.0;
/// The background must be this many of its own standard deviations away from the glyph.
const CONTRAST_PER_SPREAD: f32 = 3.0;

/// A component kept as a character, with what row chaining and the lone-glyph test need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Char {
    pub polarity: u8,
    pub x0: u32,
    pub y0: u32,
    pub x1: u32,
    pub y1: u32,
    /// Area over box area.
    pub fill: f32,
    /// Mean horizontal run over height: small for strokes, large for blobs.
    pub run_ratio: f32,
    /// Standard deviation of the background ring.
    pub ring_spread: f32,
    /// |glyph mean - ring mean|.
    pub contrast: f32,
}

impl Char {
    pub fn height(&self) -> u32 {
        self.y1 - self.y0 + 1
    }
}

/// The components that pass both the shape and the background tests.
pub fn characters(
    comps: &[Component],
    mask: &[u8],
    view: View,
    still: Option<&[bool]>,
) -> Vec<Char> {
    comps
        .iter()
        .filter(|c| shape_ok(c))
        .filter_map(|c| background_ok(c, mask, view, still))
        .collect()
}

/// Character-shaped: height in range, not much wider than a few characters (touching glyphs
/// merge at small sizes), neither a speck nor a solid blob, strokes thin for the height.
pub fn shape_ok(c: &Component) -> bool {
    let (w, h) = (c.width(), c.height());
    if !(MIN_HEIGHT..=MAX_HEIGHT).contains(&h) || w > 6 * h || c.area < 6 {
        return false;
    }
    let fill = c.area as f32 / (w * h) as f32;
    let run = c.area as f32 / c.runs.max(1) as f32;
    // Solid boxes only as thin vertical bars ("l", "1", "I", "|").
    if fill > 0.85 && w * 3 > h {
        return false;
    }
    fill >= 0.1 && run <= (0.45 * h as f32).max(2.5)
}

/// Looks at a ring around the box (beyond a 1 px gap for anti-aliased edges), leaving out
/// pixels of the same polarity (the neighbouring characters). Text sits on a flat background
/// that differs clearly from the glyph; speckle, noise and texture do not.
fn background_ok(c: &Component, mask: &[u8], view: View, still: Option<&[bool]>) -> Option<Char> {
    let h = c.height();
    let margin = (h / 3).max(2) as usize;
    let (x0, y0, x1, y1) = (c.x0 as usize, c.y0 as usize, c.x1 as usize, c.y1 as usize);
    let (ox0, oy0) = (x0.saturating_sub(margin), y0.saturating_sub(margin));
    let (ox1, oy1) = ((x1 + margin).min(view.w - 1), (y1 + margin).min(view.h - 1));
    let (mut n, mut sum, mut sq, mut n_still) = (0u32, 0u64, 0u64, 0u32);
    for y in oy0..=oy1 {
        let inner_y = y + 1 >= y0 && y <= y1 + 1;
        for x in ox0..=ox1 {
            if inner_y && x + 1 >= x0 && x <= x1 + 1 {
                continue;
            }
            let i = y * view.w + x;
            if mask[i] == c.polarity {
                continue;
            }
            let p = u64::from(view.px[i]);
            n += 1;
            sum += p;
            sq += p * p;
            if still.is_some_and(|s| s[i]) {
                n_still += 1;
            }
        }
    }
    if n < 8 {
        return None;
    }
    let mean = sum as f32 / n as f32;
    let spread = (sq as f32 / n as f32 - mean * mean).max(0.0).sqrt();
    let glyph = c.sum as f32 / c.area as f32;
    let contrast = (glyph - mean).abs();
    // Cine cue: a glyph that stays still over a background that moves is text over anatomy;
    // the temporal mean has already smoothed that background, so only contrast is asked.
    let still_over_motion = still.is_some()
        && c.still as f32 >= 0.9 * c.area as f32
        && (n_still as f32) < 0.6 * n as f32;
    let flat = contrast >= MIN_CONTRAST.max(CONTRAST_PER_SPREAD * spread);
    if !(flat || still_over_motion && contrast >= MIN_CONTRAST) {
        return None;
    }
    let (w, hf) = (c.width() as f32, h as f32);
    Some(Char {
        polarity: c.polarity,
        x0: c.x0,
        y0: c.y0,
        x1: c.x1,
        y1: c.y1,
        fill: c.area as f32 / (w * hf),
        run_ratio: c.area as f32 / c.runs.max(1) as f32 / hf,
        ring_spread: spread,
        contrast,
    })
}
