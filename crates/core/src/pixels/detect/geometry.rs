//! Boxes: the bounding box of characters, unions, and merging boxes of one line. Shared by
//! row chaining (`rows`), row completion (`extend`) and the line finder (`lines`).

use super::chars::Char;
use crate::pixels::Rect;

/// Largest gap between neighbours in a row, in character heights (word spaces are ~0.3-0.5,
/// a space after a comma or between banner fields up to ~2).
pub const MAX_GAP: f32 = 2.0;

pub fn bounding<'a>(members: impl Iterator<Item = &'a Char>) -> Rect {
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for c in members {
        x0 = x0.min(c.x0);
        y0 = y0.min(c.y0);
        x1 = x1.max(c.x1);
        y1 = y1.max(c.y1);
    }
    Rect {
        x: x0,
        y: y0,
        w: x1 - x0 + 1,
        h: y1 - y0 + 1,
    }
}

/// Merges boxes that overlap and share at least half the height of the smaller one (bright
/// text and the dark halo around it, a row split by a wide gap that another row bridges, two
/// findings of one line) until none do. Lines stacked above each other stay apart even when
/// they touch: a reader reads one line at a time.
pub fn merge_same_line(boxes: &mut Vec<Rect>) {
    merge_while_same_line(boxes, |b| b, union);
}

/// `merge_same_line` for boxes carrying a value (the larger one is kept).
pub fn merge_same_line_with(boxes: &mut Vec<(Rect, u8)>) {
    merge_while_same_line(boxes, |b| &b.0, |a, b| (union(&a.0, &b.0), a.1.max(b.1)));
}

/// Joins items whose boxes are on the same line (`join`) until no two are.
fn merge_while_same_line<T>(
    items: &mut Vec<T>,
    rect: impl Fn(&T) -> &Rect,
    join: impl Fn(&T, &T) -> T,
) {
    let mut changed = true;
    while changed {
        changed = false;
        let mut i = 0;
        while i < items.len() {
            let mut j = i + 1;
            while j < items.len() {
                if same_line(rect(&items[i]), rect(&items[j])) {
                    let other = items.swap_remove(j);
                    items[i] = join(&items[i], &other);
                    changed = true;
                } else {
                    j += 1;
                }
            }
            i += 1;
        }
    }
}

/// The boxes overlap and share at least half the height of the smaller one.
pub fn same_line(a: &Rect, b: &Rect) -> bool {
    let top = a.y.max(b.y);
    let bottom = (a.y + a.h).min(b.y + b.h);
    intersects(a, b) && bottom > top && 2 * (bottom - top) >= a.h.min(b.h)
}

pub fn intersects(a: &Rect, b: &Rect) -> bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

pub fn union(a: &Rect, b: &Rect) -> Rect {
    let (x0, y0) = (a.x.min(b.x), a.y.min(b.y));
    let (x1, y1) = ((a.x + a.w).max(b.x + b.w), (a.y + a.h).max(b.y + b.h));
    Rect {
        x: x0,
        y: y0,
        w: x1 - x0,
        h: y1 - y0,
    }
}
