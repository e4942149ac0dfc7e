//! Chaining characters into rows and rows into line boxes.

use super::chars::Char;
use super::extend::extend;
use super::geometry::{bounding, merge_same_line, MAX_GAP};
use crate::pixels::Rect;
/// Neighbours' heights may differ this much (capitals next to lowercase, descenders).
const MAX_HEIGHT_RATIO: f32 = 2.2;

/// Line boxes (tight around the characters) for the rows found among `chars`.
pub fn lines(chars: &[Char]) -> Vec<Rect> {
    let mut order: Vec<usize> = (0..chars.len()).collect();
    order.sort_by_key(|&i| chars[i].x0);
    let mut parent: Vec<usize> = (0..chars.len()).collect();
    for (k, &i) in order.iter().enumerate() {
        let a = &chars[i];
        if a.loose {
            continue;
        }
        let reach = a.x1 as f32 + MAX_GAP * super::chars::MAX_HEIGHT as f32 + 1.0;
        for &j in &order[k + 1..] {
            let b = &chars[j];
            if b.x0 as f32 > reach {
                break;
            }
            if !b.loose && neighbours(a, b) {
                let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                parent[ri.max(rj)] = ri.min(rj);
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); chars.len()];
    for i in 0..chars.len() {
        let r = root(&mut parent, i);
        groups[r].push(i);
    }
    let mut taken = vec![false; chars.len()];
    let mut rows: Vec<(&Vec<usize>, bool)> = Vec::new();
    for g in groups.iter().filter(|g| !g.is_empty()) {
        if g.iter().all(|&i| chars[i].loose) || !row_ok(g.iter().map(|&i| &chars[i])) {
            continue;
        }
        for &i in g {
            taken[i] = true;
        }
        rows.push((g, g.iter().filter(|&&i| chars[i].strong).count() < 2));
    }
    // A lone glyph that a mark outside every row continues at a corner is a piece of a curve.
    rows.retain(|&(g, lone)| {
        let broken = lone
            && g.iter().any(|&i| {
                chars
                    .iter()
                    .zip(&taken)
                    .any(|(o, &t)| !t && continues_diagonally(&chars[i], o))
            });
        if broken {
            for &i in g {
                taken[i] = false;
            }
        }
        !broken
    });
    // A lone glyph takes only smaller marks: a square of a test pattern or a blob of anatomy
    // that passed the lone-glyph test would otherwise pick up its look-alikes.
    let rows: Vec<(Rect, u8, bool)> = rows
        .iter()
        .map(|&(g, lone)| {
            let row = bounding(g.iter().map(|&i| &chars[i]));
            (row, chars[g[0]].polarity, lone)
        })
        .collect();
    let mut boxes: Vec<Rect> = rows
        .iter()
        .map(|&(row, polarity, lone)| extend(row, polarity, lone, chars, &order, &mut taken))
        .collect();
    merge_same_line(&mut boxes);
    boxes.sort_by_key(|r| (r.y, r.x));
    boxes
}

/// `o` (same polarity, not a speck) sits at a corner of `c`, nearly touching it and overlapping
/// it by at most 2 px either way: a curve or outline broken into pieces (a skull edge, a head
/// holder), not a glyph. Lines of text stacked above each other overlap horizontally, and
/// glyphs of one line vertically.
fn continues_diagonally(c: &Char, o: &Char) -> bool {
    let overlap =
        |a0: u32, a1: u32, b0: u32, b1: u32| i64::from(a1.min(b1)) - i64::from(a0.max(b0)) + 1;
    let ox = overlap(c.x0, c.x1, o.x0, o.x1);
    let oy = overlap(c.y0, c.y1, o.y0, o.y1);
    o.polarity == c.polarity
        && o != c
        && o.height() >= 4
        && (-3..=2).contains(&ox)
        && (-3..=2).contains(&oy)
}

/// Same polarity, vertically overlapping by half the smaller height, similar heights, and a
/// horizontal gap of at most `MAX_GAP` heights.
pub fn neighbours(a: &Char, b: &Char) -> bool {
    if a.polarity != b.polarity {
        return false;
    }
    let (ha, hb) = (a.height() as f32, b.height() as f32);
    let (lo, hi) = (ha.min(hb), ha.max(hb));
    if hi > MAX_HEIGHT_RATIO * lo {
        return false;
    }
    let overlap = a.y1.min(b.y1) as f32 - a.y0.max(b.y0) as f32 + 1.0;
    if overlap < 0.5 * lo {
        return false;
    }
    // Glyphs of a line share a top (capitals, digits, ascenders) or a bottom (the baseline);
    // blobs of speckle that happen to sit side by side rarely do.
    let tol = (0.2 * hi).max(1.0);
    if a.y0.abs_diff(b.y0) as f32 > tol && a.y1.abs_diff(b.y1) as f32 > tol {
        return false;
    }
    let gap = (b.x0 as f32 - a.x1 as f32 - 1.0).max(a.x0 as f32 - b.x1 as f32 - 1.0);
    gap <= MAX_GAP * hi
}

/// A row with two or more strong characters is text unless every member is a solid bar (scale
/// ticks, rulers); weak characters only extend it. With one strong character, that one must be
/// clearly a glyph: tall enough, thin strokes, not solid, on a very flat background with strong
/// contrast (single banner letters such as "R" or "L").
fn row_ok<'a>(members: impl Iterator<Item = &'a Char> + Clone) -> bool {
    // A row is about one character tall; chains that climb (texture) are not rows.
    let tallest = members.clone().map(|c| c.height()).max().unwrap_or(0);
    if bounding(members.clone()).h * 2 > tallest * 3 {
        return false;
    }
    let mut strong = members.clone().filter(|c| c.strong);
    let count = strong.clone().count();
    if count >= 3 {
        // Ticks are thin solid bars; small fonts (6-8 px) are filled almost solid by the mask
        // but are as wide as half their height.
        return strong.any(|c| c.fill <= 0.8 || 2 * (c.x1 - c.x0 + 1) >= c.height());
    }
    if count == 2 {
        // Two-character tokens ("L5", "AB", "12"): same height, top and bottom aligned.
        let (Some(a), Some(b)) = (strong.next(), strong.next()) else {
            return false;
        };
        // Below 6 px two blobs of speckle too often look like a pair of tiny glyphs.
        let tol = (0.15 * a.height().max(b.height()) as f32).max(1.0);
        return a.height().max(b.height()) >= 6
            && (a.fill <= 0.8 || b.fill <= 0.8)
            && a.y0.abs_diff(b.y0) as f32 <= tol
            && a.y1.abs_diff(b.y1) as f32 <= tol;
    }
    strong.next().is_some_and(|c| {
        let (w, h) = (c.x1 - c.x0 + 1, c.height());
        // Cut by the frame border: part of something larger (anatomy, a panel), and its
        // background ring is half missing.
        let flat = !c.at_edge && c.ring_spread <= (c.contrast / 10.0).max(4.0);
        let glyph = h >= 8
            && w * 2 <= h * 3
            && c.fill >= 0.15
            && c.fill <= 0.75
            && c.run_ratio <= 0.35
            && c.contrast >= 30.0;
        // A short word of a small font (6-10 px) whose glyphs the mask joined into one
        // component ("Crd", "P21", "19"): up to a few glyphs wide, half filled, on a very
        // flat background (at this size strokes are a third of the height, so the run test
        // of larger glyphs does not apply).
        let word = (6..=10).contains(&h)
            && w * 2 >= h
            && w <= 3 * h
            && c.fill >= 0.45
            && c.fill <= 0.75
            && c.run_ratio <= 0.5
            && c.ring_spread <= 6.0
            && c.contrast >= 40.0;
        flat && (glyph || word)
    })
}

fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(x0: u32, y0: u32, w: u32, h: u32) -> Char {
        Char {
            polarity: 1,
            x0,
            y0,
            x1: x0 + w - 1,
            y1: y0 + h - 1,
            fill: 0.5,
            run_ratio: 0.2,
            ring_spread: 10.0,
            contrast: 30.0,
            strong: true,
            loose: false,
            at_edge: false,
        }
    }

    #[test]
    fn a_row_of_letters_becomes_one_tight_box() {
        let chars = [
            ch(10, 20, 7, 10),
            ch(19, 20, 6, 10),
            ch(27, 23, 6, 7),
            ch(40, 20, 7, 12),
        ];
        assert_eq!(
            lines(&chars),
            vec![Rect {
                x: 10,
                y: 20,
                w: 37,
                h: 12
            }]
        );
    }

    #[test]
    fn two_characters_are_a_row_one_is_not_unless_clearly_a_glyph() {
        assert_eq!(lines(&[ch(5, 5, 6, 10), ch(13, 5, 6, 10)]).len(), 1);
        assert!(lines(&[ch(5, 5, 6, 10)]).is_empty(), "busy background");
        let mut lone = ch(5, 5, 6, 10);
        lone.ring_spread = 1.0;
        lone.contrast = 120.0;
        assert_eq!(
            lines(&[lone]),
            vec![Rect {
                x: 5,
                y: 5,
                w: 6,
                h: 10
            }]
        );
    }

    #[test]
    fn weak_characters_extend_rows_but_do_not_start_them() {
        let mut weak = [ch(5, 5, 6, 10), ch(13, 5, 6, 10), ch(21, 5, 6, 10)];
        for c in &mut weak {
            c.strong = false;
        }
        assert!(lines(&weak).is_empty());
        weak[0].strong = true;
        assert!(
            lines(&weak).is_empty(),
            "one strong character on a busy background"
        );
        weak[2].strong = true;
        assert_eq!(
            lines(&weak),
            vec![Rect {
                x: 5,
                y: 5,
                w: 22,
                h: 10
            }]
        );
    }

    #[test]
    fn far_apart_different_heights_other_lines_or_polarity_do_not_chain() {
        let a = ch(0, 0, 6, 10);
        assert!(
            !neighbours(&a, &ch(30, 0, 6, 10)),
            "gap of 24 px > 1.2 heights"
        );
        assert!(!neighbours(&a, &ch(8, 0, 12, 30)), "three times taller");
        assert!(!neighbours(&a, &ch(8, 12, 6, 10)), "next line");
        let mut dark = ch(8, 0, 6, 10);
        dark.polarity = 2;
        assert!(!neighbours(&a, &dark));
        assert!(neighbours(&a, &ch(8, 2, 6, 10)));
    }

    #[test]
    fn a_lone_glyph_continued_at_a_corner_is_a_piece_of_a_curve() {
        let mut lone = ch(20, 20, 11, 16);
        lone.ring_spread = 1.0;
        lone.contrast = 120.0;
        assert_eq!(lines(&[lone]).len(), 1);
        let mut piece = ch(17, 13, 3, 7);
        piece.strong = false;
        assert!(lines(&[lone, piece]).is_empty());
        // A tick or speck at the corner does not count.
        let mut tick = ch(17, 17, 1, 3);
        tick.strong = false;
        assert_eq!(lines(&[lone, tick]).len(), 1);
    }

    #[test]
    fn scale_ticks_are_not_a_row() {
        let ticks: Vec<Char> = (0..10)
            .map(|k| {
                let mut t = ch(k * 6, 0, 2, 10);
                t.fill = 1.0;
                t
            })
            .collect();
        assert!(lines(&ticks).is_empty());
    }

    #[test]
    fn overlapping_boxes_merge() {
        let mut boxes = vec![
            Rect {
                x: 0,
                y: 0,
                w: 10,
                h: 10,
            },
            Rect {
                x: 20,
                y: 0,
                w: 5,
                h: 5,
            },
            Rect {
                x: 8,
                y: 8,
                w: 14,
                h: 4,
            },
        ];
        merge_same_line(&mut boxes);
        assert_eq!(
            boxes,
            vec![Rect {
                x: 0,
                y: 0,
                w: 25,
                h: 12
            }]
        );
    }
}
