//! Which components look like characters: shape first (cheap), then the background around.

use super::components::Component;
use super::mask::Integral;
use super::View;

/// Character heights the finder looks for (text drawn ~7-40 px tall; lowercase x-height of the
/// smallest sizes is ~4-5 px).
pub const MIN_HEIGHT: u32 = 4;
pub const MAX_HEIGHT: u32 = 48;
/// Grey levels between a character and its background (the low-contrast text is ~40).
const MIN_CONTRAST: f32 = 22.0;
/// The background must be this many of its own standard deviations away from the glyph.
const CONTRAST_PER_SPREAD: f32 = 4.0;
/// The same for weak characters.
const WEAK_CONTRAST: f32 = 16.0;
const WEAK_CONTRAST_PER_SPREAD: f32 = 2.0;
/// A ring pixel whose colourfulness (max - min of R, G, B) differs this much from the ring's
/// median is colour-coded data (Doppler red/blue over grey anatomy), not a flat background;
/// a uniformly coloured banner background does not count.
const COLOURED: i32 = 40;
/// Rings with more such pixels than this share are not a text background.
const MAX_COLOURED_SHARE: f32 = 0.2;

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
    /// |glyph mean - ring level|.
    pub contrast: f32,
    /// Passed the full background test; weak characters (fainter or on a busier background)
    /// only extend rows that strong ones start.
    pub strong: bool,
    /// Failed the character shape test but passed a looser one (small glyphs that the mask
    /// fills almost solid, punctuation): never starts or confirms a row, only completes one.
    pub loose: bool,
    /// Touches the frame border.
    pub at_edge: bool,
}

impl Char {
    pub fn height(&self) -> u32 {
        self.y1 - self.y0 + 1
    }
}

/// The components that pass both the shape and the background tests.
pub fn characters(
    comps: &[Component],
    view: View,
    integral: &Integral,
    still: Option<&[bool]>,
) -> Vec<Char> {
    let mut scratch = Scratch::default();
    comps
        .iter()
        .filter_map(|c| {
            let loose = if shape_ok(c) {
                false
            } else if loose_shape_ok(c) {
                true
            } else {
                return None;
            };
            let mut found = background_ok(c, view, integral, still, &mut scratch)?;
            found.loose = loose;
            Some(found)
        })
        .collect()
}

/// What may complete a row found from real characters: glyphs of small fonts (at 6-8 px the
/// contrast mask fills "0", "8" or "B" almost solid, so they fail `shape_ok`) and punctuation
/// (":", ";", ",", "=", "-", "."). Only one or a few glyphs wide, and not large solid blocks.
fn loose_shape_ok(c: &Component) -> bool {
    let (w, h) = (c.width(), c.height());
    if !(2..=MAX_HEIGHT).contains(&h) || w > 3 * h.max(3) || c.area < 3 {
        return false;
    }
    // Large solid blocks are bars, panels or anatomy, not small glyphs.
    h <= 12 || (c.area as f32) <= 0.85 * (w * h) as f32
}

/// Character-shaped: height in range, not much wider than a few characters (touching glyphs
/// merge at small sizes), neither a speck nor a solid blob, strokes thin for the height.
pub fn shape_ok(c: &Component) -> bool {
    let (w, h) = (c.width(), c.height());
    if !(MIN_HEIGHT..=MAX_HEIGHT).contains(&h) || w > 30 * h || c.area < 6 {
        return false;
    }
    let fill = c.area as f32 / (w * h) as f32;
    // Wider than a few characters: glyphs touching at small sizes, which leave little empty.
    if w > 4 * h && fill < 0.2 {
        return false;
    }
    let run = c.area as f32 / c.runs.max(1) as f32;
    // Solid boxes only as thin vertical bars ("l", "1", "I", "|").
    if fill > 0.85 && w * 3 > h {
        return false;
    }
    fill >= 0.1 && run <= (0.45 * h as f32).max(3.5)
}

/// Looks at a ring around the box (beyond a 1 px gap for anti-aliased edges). Text sits on a
/// flat background that differs clearly from the glyph; speckle, noise and texture do not. The
/// ring's level is its median; its spread is the median absolute deviation of each pixel from
/// its local mean, so a smooth gradient under the text is not texture, and neighbouring
/// characters inside the ring (less than half of it) do not count either.
fn background_ok(
    c: &Component,
    view: View,
    integral: &Integral,
    still: Option<&[bool]>,
    scratch: &mut Scratch,
) -> Option<Char> {
    let h = c.height();
    let margin = (h / 3).max(2) as usize;
    let (x0, y0, x1, y1) = (c.x0 as usize, c.y0 as usize, c.x1 as usize, c.y1 as usize);
    let (ox0, oy0) = (x0.saturating_sub(margin), y0.saturating_sub(margin));
    let (ox1, oy1) = ((x1 + margin).min(view.w - 1), (y1 + margin).min(view.h - 1));
    // The local trend: local means at the four corners, interpolated (a plane is enough over a
    // ring this small, and costs four look-ups instead of one per pixel).
    let (m00, m10) = (integral.local_mean(ox0, oy0), integral.local_mean(ox1, oy0));
    let (m01, m11) = (integral.local_mean(ox0, oy1), integral.local_mean(ox1, oy1));
    let (dx, dy) = ((ox1 - ox0).max(1) as i32, (oy1 - oy0).max(1) as i32);
    // Large characters have large rings: every second pixel is plenty.
    let step = 1 + h as usize / 16;
    scratch.values.clear();
    scratch.detrended.clear();
    let mut n_still = 0u32;
    scratch.chroma.clear();
    for y in (oy0..=oy1).step_by(step) {
        let inner_y = y + 1 >= y0 && y <= y1 + 1;
        let row = &view.px[y * view.w..(y + 1) * view.w];
        let fy = (y - oy0) as i32;
        let left = m00 + (m01 - m00) * fy / dy;
        let right = m10 + (m11 - m10) * fy / dy;
        for x in (ox0..=ox1).step_by(step) {
            if inner_y && x + 1 >= x0 && x <= x1 + 1 {
                continue;
            }
            let p = i32::from(row[x]);
            let trend = left + (right - left) * (x - ox0) as i32 / dx;
            scratch.values.push(p);
            scratch.detrended.push(p - trend);
            if still.is_some_and(|s| s[y * view.w + x]) {
                n_still += 1;
            }
            if let Some(c) = view.chroma {
                scratch.chroma.push(i32::from(c[y * view.w + x]));
            }
        }
    }
    let n = scratch.values.len();
    if n < 8 {
        return None;
    }
    if !scratch.chroma.is_empty() {
        let typical = median(&mut scratch.chroma);
        let off = scratch
            .chroma
            .iter()
            .filter(|&&c| (c - typical).abs() >= COLOURED)
            .count();
        if off as f32 > MAX_COLOURED_SHARE * n as f32 {
            return None;
        }
    }
    let level = median(&mut scratch.values);
    let centre = median(&mut scratch.detrended);
    for d in scratch.detrended.iter_mut() {
        *d = (*d - centre).abs();
    }
    // 1.4826 * MAD estimates the standard deviation of a normal background.
    let spread = 1.4826 * median(&mut scratch.detrended) as f32;
    let glyph = c.sum as f32 / c.area as f32;
    let contrast = (glyph - level as f32).abs();
    // Cine cue: a glyph that stays still over a background that moves is text over anatomy;
    // the temporal mean has already smoothed that background, so only contrast is asked.
    let still_over_motion = still.is_some()
        && c.still as f32 >= 0.9 * c.area as f32
        && (n_still as f32) < 0.6 * n as f32 / (step * step) as f32;
    let flat = contrast >= MIN_CONTRAST.max(CONTRAST_PER_SPREAD * spread);
    let strong = flat || still_over_motion && contrast >= MIN_CONTRAST;
    if !strong && contrast < WEAK_CONTRAST.max(WEAK_CONTRAST_PER_SPREAD * spread) {
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
        strong,
        loose: false,
        at_edge: x0 == 0 || y0 == 0 || x1 + 1 >= view.w || y1 + 1 >= view.h,
    })
}

/// The lower median (reorders `v`, which is not empty).
fn median(v: &mut [i32]) -> i32 {
    let mid = (v.len() - 1) / 2;
    *v.select_nth_unstable(mid).1
}

/// Buffers reused from one component to the next.
#[derive(Default)]
pub struct Scratch {
    values: Vec<i32>,
    detrended: Vec<i32>,
    chroma: Vec<i32>,
}
