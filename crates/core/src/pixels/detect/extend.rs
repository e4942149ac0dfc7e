//! Completing accepted rows: the glyphs the row test alone would not take.

use super::chars::Char;
use super::geometry::{bounding, union, MAX_GAP};
use crate::pixels::Rect;

/// Grows an accepted row along its baseline: glyphs of about the row's height whose top or
/// bottom lines up with it, and punctuation inside its band, within `MAX_GAP` row heights of
/// the box so far (single digits, ";", "=" and small-font glyphs the row test alone would not
/// take). The band stays that of the row as found, so a row cannot creep up or down.
pub fn extend(
    row: Rect,
    polarity: u8,
    lone: bool,
    chars: &[Char],
    order: &[usize],
    taken: &mut [bool],
) -> Rect {
    let (top, bottom, rh) = (row.y, row.y + row.h - 1, row.h);
    let tol = (rh / 5).max(1);
    let reach = (MAX_GAP * rh as f32) as u32 + 1;
    let mut grown = row;
    loop {
        let mut changed = false;
        for &i in order {
            let c = &chars[i];
            // Loose shapes only on a flat background: noise and anatomy next to a line give
            // plenty of small blobs that pass the weak test.
            if taken[i] || c.polarity != polarity || (c.loose && !c.strong) {
                continue;
            }
            let (left, right) = (grown.x, grown.x + grown.w - 1);
            // Zero when the glyph overlaps the box horizontally.
            let gap = c.x0.saturating_sub(right).max(left.saturating_sub(c.x1));
            if gap > reach {
                continue;
            }
            let h = c.height();
            let (top_ok, bottom_ok) = (c.y0.abs_diff(top) <= tol, c.y1.abs_diff(bottom) <= tol);
            // Weak glyphs (fainter, busier background) must line up at both ends.
            let glyph = !lone
                && 2 * h >= rh
                && h * 10 <= rh * 13
                && if c.strong {
                    top_ok || bottom_ok
                } else {
                    top_ok && bottom_ok
                };
            // Next to a lone glyph, no solid squares: test patterns and chequered panels.
            let solid_square = c.fill > 0.8 && (c.x1 - c.x0 + 1).abs_diff(h) <= 1;
            let punctuation = c.strong
                && !(lone && solid_square)
                && 2 * h < rh
                && c.y0 + 1 >= top
                && c.y1 <= bottom + 1
                && c.x1 - c.x0 < rh;
            if glyph || punctuation {
                taken[i] = true;
                grown = union(&grown, &bounding(std::iter::once(c)));
                changed = true;
            }
        }
        if !changed {
            return grown;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(x0: u32, y0: u32, w: u32, h: u32, fill: f32, loose: bool) -> Char {
        Char {
            polarity: 1,
            x0,
            y0,
            x1: x0 + w - 1,
            y1: y0 + h - 1,
            fill,
            run_ratio: 0.4,
            ring_spread: 3.0,
            contrast: 150.0,
            strong: true,
            loose,
            at_edge: false,
        }
    }

    fn run(row: Rect, lone: bool, chars: &[Char]) -> Rect {
        let mut order: Vec<usize> = (0..chars.len()).collect();
        order.sort_by_key(|&i| chars[i].x0);
        extend(row, 1, lone, chars, &order, &mut vec![false; chars.len()])
    }

    #[test]
    fn a_row_takes_small_solid_glyphs_and_punctuation_on_its_baseline() {
        // Row "P6" found at x 20-29, y 10-15; "63" to the left are solid (loose), ";" and
        // "30" to the right, then a glyph on the next line and one too far away.
        let row = Rect {
            x: 20,
            y: 10,
            w: 9,
            h: 6,
        };
        let chars = [
            ch(10, 10, 4, 6, 0.92, true),
            ch(15, 10, 4, 6, 0.92, true),
            ch(31, 12, 1, 3, 1.0, true),
            ch(34, 10, 4, 6, 0.6, false),
            ch(39, 10, 4, 6, 0.92, true),
            ch(39, 18, 4, 6, 0.6, false),
            ch(70, 10, 4, 6, 0.6, false),
        ];
        assert_eq!(
            run(row, false, &chars),
            Rect {
                x: 10,
                y: 10,
                w: 33,
                h: 6
            }
        );
    }

    #[test]
    fn a_lone_glyph_takes_punctuation_but_not_look_alikes_or_solid_squares() {
        let row = Rect {
            x: 100,
            y: 100,
            w: 20,
            h: 20,
        };
        let chars = [
            ch(124, 100, 20, 20, 0.5, false), // same-sized square of a test pattern
            ch(90, 106, 6, 6, 1.0, true),     // small solid square
            ch(122, 114, 3, 5, 0.6, true),    // a comma-sized mark
        ];
        assert_eq!(
            run(row, true, &chars),
            Rect {
                x: 100,
                y: 100,
                w: 25,
                h: 20
            }
        );
    }

    #[test]
    fn busy_background_loose_shapes_do_not_extend() {
        let row = Rect {
            x: 20,
            y: 10,
            w: 9,
            h: 6,
        };
        let mut blob = ch(30, 10, 4, 6, 0.92, true);
        blob.strong = false;
        assert_eq!(run(row, false, &[blob]), row);
    }
}
