//! Where a frame's values lie: percentiles of its stored values, and from them the two 8-bit
//! views that must not depend on the header's window: the text finder's plane (stored values
//! normalised per frame) and the automatic display window used when the stored window shows
//! almost nothing (PS3.3 C.11.2.1.2 defines the window; nothing obliges it to fit the data).

/// Stored values spanning at most this many steps are counted in a histogram; wider spans
/// (32-bit data) are sorted from a sample.
const HISTOGRAM_SPAN: i64 = 1 << 20;
/// Values sampled from very wide-span frames.
const SAMPLE: usize = 1 << 16;

/// The value below which a share `q` (0..=1) of the values lie, for several `q` at once
/// (ascending). Empty input: zeros.
pub(crate) fn percentiles(values: &[i32], qs: &[f64]) -> Vec<i32> {
    if values.is_empty() {
        return vec![0; qs.len()];
    }
    let (min, max) = super::color::min_max(values);
    let span = i64::from(max) - i64::from(min);
    let rank =
        |q: f64, n: usize| ((q.clamp(0.0, 1.0) * (n - 1) as f64).round() as usize).min(n - 1);
    if span < HISTOGRAM_SPAN {
        let mut counts = vec![0u32; span as usize + 1];
        for v in values {
            counts[(i64::from(*v) - i64::from(min)) as usize] += 1;
        }
        let mut out = Vec::with_capacity(qs.len());
        let (mut seen, mut at) = (0usize, 0usize);
        for q in qs {
            let want = rank(*q, values.len());
            while at < counts.len() && seen + counts[at] as usize <= want {
                seen += counts[at] as usize;
                at += 1;
            }
            out.push((i64::from(min) + at.min(counts.len() - 1) as i64) as i32);
        }
        return out;
    }
    let step = (values.len() / SAMPLE).max(1);
    let mut sample: Vec<i32> = values.iter().step_by(step).copied().collect();
    sample.sort_unstable();
    qs.iter().map(|q| sample[rank(*q, sample.len())]).collect()
}

/// Levels of the finder's plane: the lowest value maps to 0, the 1st percentile to `LOW`, the
/// 99th to `HIGH`, the highest to 255, linearly in between. Text drawn at the extremes of the
/// stored range (or of the data) keeps a clear step from the brightest and darkest anatomy,
/// whatever the window says and however the rest of the range is used.
const LOW: f64 = 40.0;
const HIGH: f64 = 215.0;
const LOW_Q: f64 = 0.01;
const HIGH_Q: f64 = 0.99;

/// Stored values normalised per frame to 8 bits (see `LOW`, `HIGH`). `invert` flips the
/// result (MONOCHROME1, so that the plane looks like the displayed image).
pub(crate) fn normalise(values: &[i32], invert: bool) -> Vec<u8> {
    let p = percentiles(values, &[0.0, LOW_Q, HIGH_Q, 1.0]);
    let knots = [
        (f64::from(p[0]), 0.0),
        (f64::from(p[1]), LOW),
        (f64::from(p[2]), HIGH),
        (f64::from(p[3]), 255.0),
    ];
    let map = |v: i32| -> u8 {
        let v = f64::from(v);
        let mut out = 255.0;
        for pair in knots.windows(2) {
            let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
            if v <= x1 {
                out = if x1 > x0 {
                    y0 + (v - x0) * (y1 - y0) / (x1 - x0)
                } else {
                    y1
                };
                break;
            }
        }
        let level = out.round().clamp(0.0, 255.0) as u8;
        if invert {
            255 - level
        } else {
            level
        }
    };
    let span = i64::from(p[3]) - i64::from(p[0]);
    if span < 1 << 17 && values.len() as i64 > span {
        let table: Vec<u8> = (p[0]..=p[3]).map(map).collect();
        return values
            .iter()
            .map(|v| table.get((v - p[0]) as usize).copied().unwrap_or(0))
            .collect();
    }
    values.iter().map(|v| map(*v)).collect()
}

/// A window shows "almost nothing" when fewer than this share of the pixels fall strictly
/// inside it: everything else is black or white (a CT stored as 0-255 with rescale -1024 and
/// window 40/400, or a window set far above the data).
pub(crate) const MIN_SHARE_INSIDE: f64 = 0.02;
/// The automatic window spans these percentiles of the rescaled values.
const AUTO_LOW_Q: f64 = 0.005;
const AUTO_HIGH_Q: f64 = 0.995;

/// Share of the windowed levels strictly between black and white.
pub(crate) fn share_inside(levels: &[u8]) -> f64 {
    if levels.is_empty() {
        return 1.0;
    }
    let inside = levels.iter().filter(|v| **v != 0 && **v != 255).count();
    inside as f64 / levels.len() as f64
}

/// Centre and width of a window over the middle 99% of the stored values (then rescaled by
/// `rescale`, which is linear and may flip the order).
pub(crate) fn automatic_window(values: &[i32], rescale: impl Fn(i32) -> f64) -> (f64, f64) {
    let p = percentiles(values, &[AUTO_LOW_Q, AUTO_HIGH_Q]);
    let (a, b) = (rescale(p[0]), rescale(p[1]));
    let (lo, hi) = (a.min(b), a.max(b));
    ((lo + hi) / 2.0 + 0.5, (hi - lo + 1.0).max(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_histogram_and_by_sample_agree_on_order() {
        let values: Vec<i32> = (0..1000).collect();
        assert_eq!(percentiles(&values, &[0.0, 0.5, 1.0]), vec![0, 500, 999]);
        let wide: Vec<i32> = (0..1000).map(|v| v * 1_000_000).collect();
        assert_eq!(
            percentiles(&wide, &[0.0, 0.5, 1.0]),
            vec![0, 500_000_000, 999_000_000]
        );
        assert_eq!(percentiles(&[], &[0.5]), vec![0]);
    }

    #[test]
    fn text_at_the_top_of_the_stored_range_stays_apart_from_bright_anatomy() {
        // Anatomy 0..2000 (bone near 2000), text pixels (0.5%) at 4095.
        let mut values: Vec<i32> = (0..20_000).map(|i| i % 2001).collect();
        values.extend(std::iter::repeat_n(4095, 100));
        let plane = normalise(&values, false);
        let bone = plane[2000];
        let text = *plane.last().unwrap();
        assert_eq!(text, 255);
        assert!(text - bone >= 35, "bone {bone}, text {text}");
        // MONOCHROME1 looks like its display: inverted.
        assert_eq!(*normalise(&values, true).last().unwrap(), 0);
    }

    #[test]
    fn a_flat_frame_normalises_without_dividing_by_zero() {
        let plane = normalise(&[7; 100], false);
        assert!(plane.iter().all(|v| *v == plane[0]));
    }
}
