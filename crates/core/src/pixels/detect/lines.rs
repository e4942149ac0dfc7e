//! The recall tier: lines of small text found as bands of strokes, without asking each glyph
//! to look like a character.
//!
//! Why: at 5-8 px the contrast mask joins a word's glyphs into blobs and a busy background
//! (anatomy under the text) fails the glyph's background test, so the character tier misses
//! most small print, which is exactly what exported viewer screens use for the patient's
//! details. Here the mask of one polarity is smeared along each row over gaps narrower than a
//! character space, and the pieces that come out as short, wide bands full of vertical
//! strokes are lines. Their false finds (hatching, ribs, a scale) are meant to be rejected by
//! reading them (OCR): these candidates are never shown on their own.

use super::mask::NONE;
use crate::pixels::Rect;

/// Side of the solid squares that make a part of the mask thick (see `thin`).
const THICK: usize = 4;
/// Gaps along a row bridged between stroke pixels (spaces between small glyphs are 1-3 px,
/// between words 2-4 px at these sizes).
const GAP: usize = 4;
/// Line heights looked for. Taller text makes real characters, which the character tier finds.
const MIN_HEIGHT: usize = 4;
pub const MAX_HEIGHT: usize = 20;
/// At least this many line heights long (two or three glyphs).
const MIN_LENGTH_IN_HEIGHTS: usize = 2;
/// Share of the band's pixels that are strokes: text leaves room between its strokes; solid
/// bars do not, and sparse specks are not letters.
const MIN_INK: f32 = 0.15;
const MAX_INK: f32 = 0.8;
/// Stroke starts along the band's rows per line height: glyphs have two or three vertical
/// strokes each, an edge of anatomy one.
const MIN_STROKES_PER_HEIGHT: f32 = 0.6;
/// Empty columns between strokes per line height of length: text leaves one between most
/// characters (small bold glyphs touch now and then); the edge of a bone or an organ, which
/// the smear also turns into a band, has none.
const MIN_GAPS_PER_HEIGHT: f32 = 0.15;
/// Rows whose stroke count is at most this share of the band's busiest row separate lines
/// that the smear joined.
const ROW_GAP_SHARE: f32 = 0.1;
/// A row with at most this share of the strokes of the busiest rows on both sides separates
/// two lines.
const VALLEY_SHARE: f32 = 0.35;
/// Most candidates one frame yields: beyond that the frame is texture, not text.
pub const MAX_CANDIDATES: usize = 200;

/// Line candidates of one frame: `mask` is the contrast mask (`w * h`, checked by the caller).
pub fn lines(mask: &[u8], w: usize, h: usize) -> Vec<(Rect, u8)> {
    let mut found = Vec::new();
    for polarity in [super::mask::BRIGHT, super::mask::DARK] {
        let strokes = thin(mask, polarity, w, h);
        let mask = &strokes[..];
        let smeared = smear(mask, polarity, w, h);
        for (x0, y0, x1, y1) in boxes(&smeared, w, h) {
            for (b0, b1) in split_rows(mask, polarity, w, x0, y0, x1, y1) {
                if let Some(rect) = line_ok(mask, polarity, w, x0, b0, x1, b1) {
                    found.push((rect, polarity));
                    if found.len() >= MAX_CANDIDATES {
                        return found;
                    }
                }
            }
        }
    }
    found
}

/// The mask of `polarity` without its thick parts: pixels covered by a solid `THICK` x `THICK`
/// square, and those next to them, are bone, organs or panels, not strokes of small print
/// (whose strokes are 1-3 px wide). Text written across the edge of a bone stays, cut off from
/// it, instead of joining it into one blob.
fn thin(mask: &[u8], polarity: u8, w: usize, h: usize) -> Vec<u8> {
    let on: Vec<u8> = mask.iter().map(|&m| u8::from(m == polarity)).collect();
    if w < THICK || h < THICK {
        return on;
    }
    // Summed-area table of `on`, to test each square in four look-ups.
    let stride = w + 1;
    let mut sums = vec![0u32; stride * (h + 1)];
    for y in 0..h {
        let mut row = 0u32;
        for x in 0..w {
            row += u32::from(on[y * w + x]);
            sums[(y + 1) * stride + x + 1] = sums[y * stride + x + 1] + row;
        }
    }
    let full = (THICK * THICK) as u32;
    let mut thick = vec![false; w * h];
    for y in 0..=h - THICK {
        for x in 0..=w - THICK {
            let (x1, y1) = (x + THICK, y + THICK);
            let n = sums[y1 * stride + x1] + sums[y * stride + x]
                - sums[y1 * stride + x]
                - sums[y * stride + x1];
            if n == full {
                // The square and a pixel around it.
                for yy in y.saturating_sub(1)..(y1 + 1).min(h) {
                    thick[yy * w + x.saturating_sub(1)..yy * w + (x1 + 1).min(w)].fill(true);
                }
            }
        }
    }
    on.iter()
        .zip(&thick)
        .map(|(&o, &t)| if t { 0 } else { o * polarity })
        .collect()
}

/// One byte per pixel: 1 where the mask has `polarity` or lies in a gap of at most `GAP`
/// pixels between two such pixels of the same row.
fn smear(mask: &[u8], polarity: u8, w: usize, h: usize) -> Vec<u8> {
    let mut out = vec![0u8; w * h];
    for y in 0..h {
        let row = &mask[y * w..(y + 1) * w];
        let dst = &mut out[y * w..(y + 1) * w];
        let mut last: Option<usize> = None;
        for (x, &m) in row.iter().enumerate() {
            if m != polarity {
                continue;
            }
            if let Some(l) = last.filter(|l| x - l <= GAP + 1) {
                dst[l..=x].fill(1);
            }
            dst[x] = 1;
            last = Some(x);
        }
    }
    out
}

/// Bounding boxes (inclusive) of the 4-connected pieces of `smeared`, skipping pieces taller
/// than a line: a flood fill with an explicit stack, each pixel visited once.
fn boxes(smeared: &[u8], w: usize, h: usize) -> Vec<(usize, usize, usize, usize)> {
    let mut seen = vec![false; w * h];
    let mut stack = Vec::new();
    let mut out = Vec::new();
    for start in 0..w * h {
        if smeared[start] == 0 || seen[start] {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
            let mut visit = |j: usize| {
                if smeared[j] != 0 && !seen[j] {
                    seen[j] = true;
                    stack.push(j);
                }
            };
            if x > 0 {
                visit(i - 1);
            }
            if x + 1 < w {
                visit(i + 1);
            }
            if y > 0 {
                visit(i - w);
            }
            if y + 1 < h {
                visit(i + w);
            }
        }
        // Up to three lines joined by the smear are split later.
        if y1 - y0 < 3 * MAX_HEIGHT && x1 - x0 + 1 >= MIN_LENGTH_IN_HEIGHTS * MIN_HEIGHT {
            out.push((x0, y0, x1, y1));
        }
    }
    out
}

/// The bands of rows of a box that hold strokes, split where a row is (nearly) empty.
fn split_rows(
    mask: &[u8],
    polarity: u8,
    w: usize,
    x0: usize,
    y0: usize,
    x1: usize,
    y1: usize,
) -> Vec<(usize, usize)> {
    let counts: Vec<usize> = (y0..=y1)
        .map(|y| {
            mask[y * w + x0..=y * w + x1]
                .iter()
                .filter(|&&m| m == polarity)
                .count()
        })
        .collect();
    let busiest = counts.iter().copied().max().unwrap_or(0);
    let gap = (ROW_GAP_SHARE * busiest as f32) as usize;
    let mut bands = Vec::new();
    let mut start: Option<usize> = None;
    for (k, &c) in counts.iter().enumerate() {
        match (c > gap, start) {
            (true, None) => start = Some(k),
            (false, Some(s)) => {
                bands.push((y0 + s, y0 + k - 1));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        bands.push((y0 + s, y1));
    }
    bands
        .into_iter()
        .flat_map(|(b0, b1)| split_at_valley(&counts[b0 - y0..=b1 - y0], b0))
        .collect()
}

/// A band of two lines whose descenders and capitals nearly touch: its rows' stroke counts
/// dip between two peaks. Split there, once.
fn split_at_valley(counts: &[usize], y0: usize) -> Vec<(usize, usize)> {
    let n = counts.len();
    let whole = vec![(y0, y0 + n - 1)];
    if n < 2 * MIN_HEIGHT + 1 {
        return whole;
    }
    let Some((at, &low)) = counts
        .iter()
        .enumerate()
        .take(n - MIN_HEIGHT)
        .skip(MIN_HEIGHT)
        .min_by_key(|(_, c)| **c)
    else {
        return whole;
    };
    let above = counts[..at].iter().copied().max().unwrap_or(0);
    let below = counts[at + 1..].iter().copied().max().unwrap_or(0);
    if (low as f32) > VALLEY_SHARE * above.min(below) as f32 {
        return whole;
    }
    vec![(y0, y0 + at - 1), (y0 + at + 1, y0 + n - 1)]
}

/// The band as a line when it is shaped and filled like one; its box shrinks to its strokes.
fn line_ok(
    mask: &[u8],
    polarity: u8,
    w: usize,
    x0: usize,
    y0: usize,
    x1: usize,
    y1: usize,
) -> Option<Rect> {
    let height = y1 - y0 + 1;
    if !(MIN_HEIGHT..=MAX_HEIGHT).contains(&height) {
        return None;
    }
    let (mut left, mut right) = (usize::MAX, 0);
    let (mut ink, mut strokes) = (0usize, 0usize);
    for y in y0..=y1 {
        let row = &mask[y * w..(y + 1) * w];
        let mut previous = NONE;
        for (x, &m) in row.iter().enumerate().take(x1 + 1).skip(x0) {
            if m == polarity {
                ink += 1;
                left = left.min(x);
                right = right.max(x);
                if previous != polarity {
                    strokes += 1;
                }
            }
            previous = m;
        }
    }
    if right < left {
        return None;
    }
    let length = right - left + 1;
    if length < MIN_LENGTH_IN_HEIGHTS * height {
        return None;
    }
    // Columns without a stroke between glyphs: text has one after nearly every character.
    let mut gaps = 0usize;
    let mut previous_empty = false;
    for x in left..=right {
        let empty = (y0..=y1).all(|y| mask[y * w + x] != polarity);
        if empty && !previous_empty {
            gaps += 1;
        }
        previous_empty = empty;
    }
    let gaps_per_height = gaps as f32 / (length as f32 / height as f32);
    let area = (length * height) as f32;
    let fill = ink as f32 / area;
    // Stroke starts per row, per line height of length.
    let per_height = strokes as f32 / height as f32 / (length as f32 / height as f32);
    if !(MIN_INK..=MAX_INK).contains(&fill)
        || per_height < MIN_STROKES_PER_HEIGHT
        || gaps_per_height < MIN_GAPS_PER_HEIGHT
    {
        return None;
    }
    Some(Rect {
        x: left as u32,
        y: y0 as u32,
        w: length as u32,
        h: height as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::super::mask::BRIGHT;
    use super::*;

    fn grid(rows: &[&str]) -> (Vec<u8>, usize, usize) {
        let w = rows[0].len();
        let mask = rows
            .iter()
            .flat_map(|r| r.bytes())
            .map(|b| if b == b'#' { BRIGHT } else { NONE })
            .collect();
        (mask, w, rows.len())
    }

    #[test]
    fn a_band_of_small_glyphs_is_a_line_a_bar_and_an_edge_are_not() {
        let (mask, w, h) = grid(&[
            "..............................",
            ".#.#.##..#.#.###.#..#.##......",
            ".#.#.#.#.#.#..#..##.#.#.#.....",
            ".###.##..###..#..#.##.#.#.....",
            ".#.#.#.#.#.#..#..#..#.#.#.....",
            ".#.#.##..#.#.###.#..#.##......",
            "..............................",
            "..............................",
            ".#############################",
            ".#############################",
            ".#############################",
            ".#############################",
            "..............................",
            "........#.....................",
            "........#.....................",
            "........#.....................",
            "........#.....................",
        ]);
        let found = lines(&mask, w, h);
        assert_eq!(
            found,
            vec![(
                Rect {
                    x: 1,
                    y: 1,
                    w: 24,
                    h: 5
                },
                BRIGHT
            )]
        );
    }

    #[test]
    fn two_lines_joined_by_the_smear_are_split_at_the_empty_row() {
        let line = ".#.#.##..#.#.###.#..#.##.";
        let blank = ".........................";
        let link = ".#.......................";
        let (mask, w, h) = grid(&[
            blank, line, line, line, line, link, line, line, line, line, blank,
        ]);
        let found = lines(&mask, w, h);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!((found[0].0.y, found[0].0.h), (1, 4));
        assert_eq!((found[1].0.y, found[1].0.h), (6, 4));
    }
}
