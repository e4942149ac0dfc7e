//! DB (differentiable binarization) post-processing: from the detector's probability map to
//! text line boxes. Boxes are axis-aligned: burned-in DICOM text is horizontal, and an
//! axis-aligned box is what both the recogniser's crop and the product's black-out need.

/// A box in probability-map coordinates, before mapping back to the image.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct MapBox {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    pub score: f32,
}

pub(crate) struct DbParams {
    pub threshold: f32,
    pub box_threshold: f32,
    pub unclip_ratio: f32,
    pub min_size: f32,
    pub max_boxes: usize,
}

/// Finds the 8-connected components of `prob > threshold`, keeps those whose mean probability
/// reaches `box_threshold`, and grows each box by the DB "unclip" distance
/// (area * ratio / perimeter), the amount the network was trained to shrink text regions by.
pub(crate) fn boxes_from_map(prob: &[f32], w: usize, h: usize, p: &DbParams) -> Vec<MapBox> {
    let n = w.saturating_mul(h);
    if n == 0 || prob.len() < n {
        return Vec::new();
    }
    let mut seen = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for start in 0..n {
        if seen[start] || prob[start] <= p.threshold {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let (mut minx, mut miny, mut maxx, mut maxy) = (usize::MAX, usize::MAX, 0usize, 0usize);
        let (mut sum, mut count) = (0f64, 0u64);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            minx = minx.min(x);
            maxx = maxx.max(x);
            miny = miny.min(y);
            maxy = maxy.max(y);
            sum += f64::from(prob[i]);
            count += 1;
            for dy in -1isize..=1 {
                for dx in -1isize..=1 {
                    let (nx, ny) = (x as isize + dx, y as isize + dy);
                    if nx < 0 || ny < 0 || nx >= w as isize || ny >= h as isize {
                        continue;
                    }
                    let j = ny as usize * w + nx as usize;
                    if !seen[j] && prob[j] > p.threshold {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        let bw = (maxx - minx + 1) as f32;
        let bh = (maxy - miny + 1) as f32;
        if bw.min(bh) < p.min_size {
            continue;
        }
        let score = (sum / count as f64) as f32;
        if score < p.box_threshold {
            continue;
        }
        let d = bw * bh * p.unclip_ratio / (2.0 * (bw + bh));
        let b = MapBox {
            x0: (minx as f32 - d).max(0.0),
            y0: (miny as f32 - d).max(0.0),
            x1: (maxx as f32 + 1.0 + d).min(w as f32),
            y1: (maxy as f32 + 1.0 + d).min(h as f32),
            score,
        };
        if (b.x1 - b.x0).min(b.y1 - b.y0) < p.min_size + 2.0 {
            continue;
        }
        out.push(b);
        if out.len() >= p.max_boxes {
            break;
        }
    }
    out
}

/// Intersection over the smaller box's area: used to merge the boxes found on the image and
/// on its negative, where one is often a sub-box of the other.
pub(crate) fn overlap_of_smaller(a: &MapBox, b: &MapBox) -> f32 {
    let iw = (a.x1.min(b.x1) - a.x0.max(b.x0)).max(0.0);
    let ih = (a.y1.min(b.y1) - a.y0.max(b.y0)).max(0.0);
    let area = |m: &MapBox| (m.x1 - m.x0) * (m.y1 - m.y0);
    let smaller = area(a).min(area(b));
    if smaller <= 0.0 {
        0.0
    } else {
        iw * ih / smaller
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> DbParams {
        DbParams {
            threshold: 0.3,
            box_threshold: 0.6,
            unclip_ratio: 1.5,
            min_size: 3.0,
            max_boxes: 100,
        }
    }

    #[test]
    fn finds_one_box_per_blob_and_unclips() {
        let (w, h) = (64, 32);
        let mut prob = vec![0.0f32; w * h];
        for y in 10..16 {
            for x in 5..45 {
                prob[y * w + x] = 0.9;
            }
        }
        // A faint blob below box_threshold and a speck below min_size.
        for y in 20..28 {
            for x in 50..60 {
                prob[y * w + x] = 0.4;
            }
        }
        prob[2 * w + 2] = 0.95;
        let b = boxes_from_map(&prob, w, h, &params());
        assert_eq!(b.len(), 1);
        let d = 40.0 * 6.0 * 1.5 / (2.0 * 46.0);
        assert!((b[0].x0 - (5.0 - d)).abs() < 1e-4);
        assert!((b[0].y1 - (16.0 + d)).abs() < 1e-4);
        assert!((b[0].score - 0.9).abs() < 1e-4);
    }

    #[test]
    fn empty_and_short_maps() {
        assert!(boxes_from_map(&[], 0, 0, &params()).is_empty());
        assert!(boxes_from_map(&[1.0; 3], 4, 4, &params()).is_empty());
        let full = vec![1.0f32; 16 * 16];
        assert_eq!(boxes_from_map(&full, 16, 16, &params()).len(), 1);
    }
}
