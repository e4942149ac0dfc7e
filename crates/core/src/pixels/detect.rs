//! A classical text finder for text burned into pixels (no OCR).
//!
//! Why: header anonymizers leave pixels alone, and ultrasound, secondary capture and screen
//! saves routinely carry the patient's name, ID and dates drawn into the image (PS3.15 E.3.1:
//! "Ultrasound images routinely do"). This finder only says *where* text probably is, so the
//! cleaner can black it out (with a margin it adds itself) and a person can confirm.
//!
//! Steps, each in its own module:
//! 1. `mask`: local contrast. A pixel is "bright" when it is clearly above the mean of the
//!    window around it, "dark" when clearly below (integral image, no division per pixel), so
//!    text of any grey level on dark or light backgrounds shows up.
//! 2. `components`: 8-connected components of each polarity, with bounding box, area, number
//!    of horizontal runs (mean run length ~ stroke width), sum of grey levels, still pixels.
//! 3. `chars`: components shaped like characters (height, aspect, fill, stroke width) that sit
//!    on a locally uniform background (ring around the box: low spread, clear contrast).
//! 4. `rows`: characters of similar height and polarity chained left to right into rows; a row
//!    of two is enough (banner tokens such as "L5"), a lone character only when it is very
//!    clearly a glyph on a flat background (or a short word of a small font whose glyphs the
//!    mask joined), and not a lone piece of a curve continued at a corner. Row boxes that
//!    touch are merged.
//! 5. `extend`: each accepted row is completed along its baseline with what the row test alone
//!    would not take: small-font glyphs the mask fills almost solid, single digits, punctuation.
//! 6. `lines`: the recall tier. Bands of strokes along rows, found without asking each glyph
//!    to look like a character: small print (5-8 px) and text over busy anatomy. A band that
//!    meets a row of steps 1-5 completes it; the others are only *possible* text, for a reader
//!    (OCR) to confirm or reject, never shown on their own.
//!
//! Colour frames may pass a chroma cue (`find_text_with_chroma`): a glyph whose ring mixes
//! grey and strongly coloured pixels sits on colour flow (Doppler), not on a text background.
//!
//! For cine loops `find_text_in_frames` runs the same steps on the temporal mean of up to
//! eight sampled frames (moving anatomy blurs, still text stays sharp) and uses the mask of
//! unchanging pixels as an extra cue: a still character over a moving background is kept even
//! where the background is too busy for the single-frame test.

mod chars;
mod components;
mod extend;
mod geometry;
mod lines;
mod mask;
mod rows;

use super::{Luma, Rect};

/// How sure the finder is that a box holds text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// Rows of character-shaped marks on a uniform background (steps 1-5): shown as text
    /// even when nobody reads them.
    Confident,
    /// A band of strokes (step 6) only: text if a reader can read it.
    Possible,
    /// A lone character-shaped mark on a flat background that joined no row or band (step 3
    /// only): a single letter ("F", "H") or a short label the row test rejected, as often a
    /// speck. Never read nor shown; the check after cleaning counts it as possible text.
    Glyph,
}

/// A box that may hold a line of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub rect: Rect,
    pub tier: Tier,
    /// How far its strokes stand from their surroundings (mean grey levels; 255 for
    /// confident rows): text drawn at the ends of the range stands far, texture that just
    /// passed the mask does not. Readers read the strongest first.
    pub strength: u8,
}

/// Frames sampled from a cine loop for the temporal cues.
const MAX_SAMPLED_FRAMES: usize = 8;
/// A pixel whose value moves by at most this much across the sampled frames is "still".
const STILL_TOLERANCE: u8 = 3;

/// A checked view of one frame: `px.len() == w * h`.
#[derive(Clone, Copy)]
struct View<'a> {
    w: usize,
    h: usize,
    px: &'a [u8],
    /// Per-pixel colourfulness (max - min of R, G, B) of colour frames, same length as `px`.
    chroma: Option<&'a [u8]>,
}

impl<'a> View<'a> {
    /// `None` for an empty frame or one whose pixel buffer is shorter than width x height.
    fn new(image: &Luma<'a>) -> Option<Self> {
        let w = usize::try_from(image.width).ok()?;
        let h = usize::try_from(image.height).ok()?;
        let n = w.checked_mul(h)?;
        if w == 0 || h == 0 {
            return None;
        }
        let px = image.pixels.get(..n)?;
        Some(View {
            w,
            h,
            px,
            chroma: None,
        })
    }
}

/// Boxes around lines of text in one 8-bit luminance frame (the confident ones).
pub fn find_text(image: &Luma) -> Vec<Rect> {
    confident(find_candidates(image, None))
}

/// Every box that may hold a line of text in one frame, confident and possible. `chroma` as
/// in `find_text_with_chroma`.
pub fn find_candidates(image: &Luma, chroma: Option<&[u8]>) -> Vec<Candidate> {
    match View::new(image) {
        Some(mut view) => {
            view.chroma = chroma.filter(|c| c.len() == view.px.len());
            detect(view, None)
        }
        None => Vec::new(),
    }
}

fn confident(candidates: Vec<Candidate>) -> Vec<Rect> {
    candidates
        .into_iter()
        .filter(|c| c.tier == Tier::Confident)
        .map(|c| c.rect)
        .collect()
}

/// `find_text` for a colour frame: `chroma` holds, per pixel, max - min of its R, G and B
/// (0 for grey). Glyphs whose surroundings are coloured are colour-flow (Doppler) or other
/// colour-coded data, not text on a flat background; the luma alone cannot tell the bright
/// core of a Doppler blob from a glyph. A `chroma` of the wrong length is ignored.
pub fn find_text_with_chroma(image: &Luma, chroma: &[u8]) -> Vec<Rect> {
    confident(find_candidates(image, Some(chroma)))
}

/// For cine/multi-frame: text stays still while anatomy moves. Uses a mask of pixels that do not
/// change across the given frames (sampled, up to 8) as an extra cue; returns boxes that apply
/// to every frame. Frames whose size differs from the first one are ignored.
pub fn find_text_in_frames(frames: &[Luma]) -> Vec<Rect> {
    confident(find_candidates_in_frames(frames))
}

/// `find_candidates` for cine/multi-frame (see `find_text_in_frames`).
pub fn find_candidates_in_frames(frames: &[Luma]) -> Vec<Candidate> {
    match StillText::of(frames) {
        Some(cine) => cine.candidates(),
        None => frames
            .first()
            .map(|f| find_candidates(f, None))
            .unwrap_or_default(),
    }
}

/// What a cine's sampled frames have in common: their mean (moving anatomy blurs, still text
/// stays sharp; the text is best read there too) and which pixels do not change.
pub struct StillText {
    pub width: u32,
    pub height: u32,
    /// The temporal mean, `width * height` bytes.
    pub mean: Vec<u8>,
    still: Vec<bool>,
}

impl StillText {
    /// Up to `MAX_SAMPLED_FRAMES` frames spread over `frames` (those of the first frame's
    /// size); `None` with fewer than two such frames.
    pub fn of(frames: &[Luma]) -> Option<StillText> {
        let first = frames.first().and_then(View::new)?;
        let views: Vec<View> = frames
            .iter()
            .filter_map(View::new)
            .filter(|v| v.w == first.w && v.h == first.h)
            .collect();
        if views.len() < 2 {
            return None;
        }
        let sampled: Vec<View> = if views.len() <= MAX_SAMPLED_FRAMES {
            views
        } else {
            (0..MAX_SAMPLED_FRAMES)
                .filter_map(|k| {
                    views
                        .get(k * (views.len() - 1) / (MAX_SAMPLED_FRAMES - 1))
                        .copied()
                })
                .collect()
        };
        let n = first.px.len();
        let mut sum = vec![0u16; n];
        let mut lo = vec![u8::MAX; n];
        let mut hi = vec![0u8; n];
        for v in &sampled {
            for (((s, l), h), &p) in sum.iter_mut().zip(&mut lo).zip(&mut hi).zip(v.px) {
                *s += u16::from(p);
                *l = (*l).min(p);
                *h = (*h).max(p);
            }
        }
        // At most 8 frames: the sum fits u16 and the mean fits u8.
        let count = sampled.len() as u16;
        Some(StillText {
            width: first.w as u32,
            height: first.h as u32,
            mean: sum.iter().map(|&s| (s / count) as u8).collect(),
            still: lo
                .iter()
                .zip(&hi)
                .map(|(&l, &h)| h - l <= STILL_TOLERANCE)
                .collect(),
        })
    }

    /// Boxes that may hold text on every frame.
    pub fn candidates(&self) -> Vec<Candidate> {
        let view = View {
            w: self.width as usize,
            h: self.height as usize,
            px: &self.mean,
            chroma: None,
        };
        detect(view, Some(&self.still))
    }
}

fn detect(view: View, still: Option<&[bool]>) -> Vec<Candidate> {
    let (mask, integral) = mask::contrast_mask(view.px, view.w, view.h);
    let comps = components::label(&mask, view.px, still, view.w, view.h);
    let found = chars::characters(&comps, view, &integral, still);
    let mut rows = rows::lines(&found);
    let mut possible = Vec::new();
    // Bands in a strong mask: busy anatomy under the text would join the usual mask's strokes
    // into blobs, and faint bands are anatomy far more often than text.
    let strong = mask::threshold_mask(view.px, &integral, mask::STRONG_THRESHOLD);
    for (band, polarity) in lines::lines(&strong, view.w, view.h) {
        match rows.iter_mut().find(|r| geometry::same_line(r, &band)) {
            // Along the row only: a band may reach into the line above or below.
            Some(row) => {
                let grown = geometry::union(row, &band);
                (row.x, row.w) = (grown.x, grown.w);
            }
            None => possible.push((band, polarity)),
        }
    }
    let strength_of =
        |(band, polarity): &(Rect, u8)| strength(view, &integral, &strong, band, *polarity);
    let mut possible: Vec<(Rect, u8)> = possible.iter().map(|p| (p.0, strength_of(p))).collect();
    geometry::merge_same_line(&mut rows);
    // Bands split by a wide gap join along their line only (the stronger one's strength):
    // blobs of anatomy made of many bands are not one line of text.
    geometry::merge_same_line_with(&mut possible);
    possible.retain(|(b, _)| {
        b.h as usize <= lines::MAX_HEIGHT && !rows.iter().any(|r| geometry::intersects(r, b))
    });
    let glyphs: Vec<Rect> = found
        .iter()
        .map(|c| geometry::bounding(std::iter::once(c)))
        .filter(|g| {
            !rows.iter().any(|r| geometry::intersects(r, g))
                && !possible.iter().any(|(b, _)| geometry::intersects(b, g))
        })
        .collect();
    rows.into_iter()
        .map(|rect| Candidate {
            rect,
            tier: Tier::Confident,
            strength: u8::MAX,
        })
        .chain(possible.into_iter().map(|(rect, strength)| Candidate {
            rect,
            tier: Tier::Possible,
            strength,
        }))
        .chain(glyphs.into_iter().map(|rect| Candidate {
            rect,
            tier: Tier::Glyph,
            strength: 0,
        }))
        .collect()
}

/// Mean distance (grey levels) of a band's strokes from their local means.
fn strength(
    view: View,
    integral: &mask::Integral,
    strokes: &[u8],
    band: &Rect,
    polarity: u8,
) -> u8 {
    let (mut sum, mut n) = (0u64, 0u64);
    for y in band.y as usize..(band.y + band.h) as usize {
        for x in band.x as usize..(band.x + band.w) as usize {
            let i = y * view.w + x;
            if strokes.get(i) == Some(&polarity) {
                sum +=
                    u64::from((i32::from(view.px[i]) - integral.local_mean(x, y)).unsigned_abs());
                n += 1;
            }
        }
    }
    (sum / n.max(1)).min(255) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A dark 80x40 frame with a row of four bright 7x10 "H" glyphs at y 15.
    fn row_of_h() -> (Vec<u8>, usize, usize) {
        let (w, h) = (80, 40);
        let mut px = vec![20u8; w * h];
        for k in 0..4 {
            let x0 = 10 + k * 11;
            for y in 15..25 {
                px[y * w + x0] = 220;
                px[y * w + x0 + 1] = 220;
                px[y * w + x0 + 5] = 220;
                px[y * w + x0 + 6] = 220;
            }
            for x in x0..x0 + 7 {
                px[19 * w + x] = 220;
                px[20 * w + x] = 220;
            }
        }
        (px, w, h)
    }

    #[test]
    fn glyphs_on_a_colour_flow_background_are_not_text_on_a_uniform_colour_they_are() {
        let (px, w, h) = row_of_h();
        let image = Luma {
            width: w as u32,
            height: h as u32,
            pixels: &px,
        };
        assert_eq!(find_text(&image).len(), 1);
        // A banner in one colour: every pixel equally colourful.
        assert_eq!(find_text_with_chroma(&image, &vec![90; w * h]).len(), 1);
        // Colour flow: grey and strongly coloured pixels mixed around the glyphs.
        let doppler: Vec<u8> = (0..w * h)
            .map(|i| if (i / w + i % w) % 2 == 0 { 0 } else { 200 })
            .collect();
        assert!(find_text_with_chroma(&image, &doppler).is_empty());
        // A chroma buffer of the wrong size is ignored.
        assert_eq!(find_text_with_chroma(&image, &[0; 3]).len(), 1);
    }
}
