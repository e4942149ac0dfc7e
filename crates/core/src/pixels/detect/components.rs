//! 8-connected components of the contrast mask, one polarity per component.

use super::mask::NONE;

/// One connected set of mask pixels of the same polarity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Component {
    /// `mask::BRIGHT` or `mask::DARK`.
    pub polarity: u8,
    /// Bounding box, inclusive.
    pub x0: u32,
    pub y0: u32,
    pub x1: u32,
    pub y1: u32,
    pub area: u32,
    /// Horizontal runs: `area / runs` is the mean run length, about the stroke width for text.
    pub runs: u32,
    /// Sum of the grey levels of its pixels.
    pub sum: u64,
    /// Pixels that did not change across the sampled frames (0 without a still mask).
    pub still: u32,
}

impl Component {
    pub fn width(&self) -> u32 {
        self.x1 - self.x0 + 1
    }
    pub fn height(&self) -> u32 {
        self.y1 - self.y0 + 1
    }
}

/// Labels `mask` (`w * h`, checked by the caller) in two passes with union-find over
/// provisional labels, then gathers the statistics of each component in one more pass.
pub fn label(mask: &[u8], px: &[u8], still: Option<&[bool]>, w: usize, h: usize) -> Vec<Component> {
    let mut labels = vec![0u32; w * h];
    // parent[0] is unused: label 0 means "no component".
    let mut parent: Vec<u32> = vec![0];
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            let m = mask[i];
            if m == NONE {
                continue;
            }
            // Neighbours already visited: west, north-west, north, north-east. With 8-connection
            // the north one touches the other three, so when it matches nothing needs joining;
            // otherwise west and north-west touch each other and only north-east may join them.
            let same = |j: usize| mask[j] == m;
            let north = y > 0 && same(i - w);
            let found = if north {
                labels[i - w]
            } else {
                let west = if x > 0 && same(i - 1) {
                    labels[i - 1]
                } else if x > 0 && y > 0 && same(i - w - 1) {
                    labels[i - w - 1]
                } else {
                    0
                };
                let north_east = if y > 0 && x + 1 < w && same(i - w + 1) {
                    labels[i - w + 1]
                } else {
                    0
                };
                match (west, north_east) {
                    (0, 0) => {
                        // Labels never exceed the pixel count, which fits u32 for any frame
                        // we accept (width and height are u32 and the buffer is in memory).
                        let l = parent.len() as u32;
                        parent.push(l);
                        l
                    }
                    (a, 0) | (0, a) => a,
                    (a, b) if a == b => a,
                    (a, b) => union(&mut parent, a, b),
                }
            };
            labels[i] = found;
        }
    }
    // Final ids: roots numbered 0.. in order of first appearance.
    let mut id = vec![u32::MAX; parent.len()];
    let mut comps: Vec<Component> = Vec::new();
    for l in 1..parent.len() {
        let r = find(&mut parent, l as u32) as usize;
        if id[r] == u32::MAX {
            id[r] = comps.len() as u32;
            comps.push(Component {
                polarity: NONE,
                x0: u32::MAX,
                y0: u32::MAX,
                x1: 0,
                y1: 0,
                area: 0,
                runs: 0,
                sum: 0,
                still: 0,
            });
        }
        id[l] = id[r];
    }
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            let l = labels[i];
            if l == 0 {
                continue;
            }
            let c = &mut comps[id[l as usize] as usize];
            let (xu, yu) = (x as u32, y as u32);
            c.polarity = mask[i];
            c.x0 = c.x0.min(xu);
            c.x1 = c.x1.max(xu);
            c.y0 = c.y0.min(yu);
            c.y1 = c.y1.max(yu);
            c.area += 1;
            c.sum += u64::from(px[i]);
            if x == 0 || mask[i - 1] != mask[i] {
                c.runs += 1;
            }
            if still.is_some_and(|s| s[i]) {
                c.still += 1;
            }
        }
    }
    comps
}

fn find(parent: &mut [u32], mut l: u32) -> u32 {
    while parent[l as usize] != l {
        // Path halving keeps the trees flat.
        let grand = parent[parent[l as usize] as usize];
        parent[l as usize] = grand;
        l = grand;
    }
    l
}

/// Joins two trees under the smaller root and returns it.
fn union(parent: &mut [u32], a: u32, b: u32) -> u32 {
    let (ra, rb) = (find(parent, a), find(parent, b));
    let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
    parent[hi as usize] = lo;
    lo
}

#[cfg(test)]
mod tests {
    use super::super::mask::{BRIGHT, DARK};
    use super::*;

    fn grid(rows: &[&str]) -> (Vec<u8>, usize, usize) {
        let w = rows[0].len();
        let mask = rows
            .iter()
            .flat_map(|r| r.bytes())
            .map(|b| match b {
                b'#' => BRIGHT,
                b'o' => DARK,
                _ => NONE,
            })
            .collect();
        (mask, w, rows.len())
    }

    #[test]
    fn u_shape_merges_diagonals_join_polarities_stay_apart() {
        let (mask, w, h) = grid(&[
            "#..#..o.", //
            "#..#...o", //
            "####..o.", //
            "......oo", //
            ".#......", //
            "..#.....",
        ]);
        let px = vec![7u8; w * h];
        let mut comps = label(&mask, &px, None, w, h);
        comps.sort_by_key(|c| (c.y0, c.x0));
        assert_eq!(comps.len(), 3, "{comps:?}");
        let u = comps[0];
        assert_eq!(
            (u.x0, u.y0, u.x1, u.y1, u.area, u.polarity),
            (0, 0, 3, 2, 8, BRIGHT)
        );
        assert_eq!(
            u.runs, 5,
            "two runs in each of the first rows, one in the last"
        );
        assert_eq!(u.sum, 8 * 7);
        let zig = comps[1];
        assert_eq!((zig.x0, zig.y0, zig.x1, zig.y1, zig.area), (6, 0, 7, 3, 5));
        assert_eq!(zig.polarity, DARK);
        let diag = comps[2];
        assert_eq!(
            (diag.x0, diag.y0, diag.x1, diag.y1, diag.area),
            (1, 4, 2, 5, 2)
        );
    }

    #[test]
    fn a_spiral_that_needs_late_unions_is_one_component() {
        let (mask, w, h) = grid(&[
            "#.#.#.#", //
            "#.#.#.#", //
            "#######",
        ]);
        let still = vec![true; w * h];
        let comps = label(&mask, &vec![0; w * h], Some(&still), w, h);
        assert_eq!(comps.len(), 1);
        assert_eq!(comps[0].area, 15);
        assert_eq!(comps[0].still, 15);
    }
}
