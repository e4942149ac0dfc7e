//! Text-free backgrounds: black, uniform grey, noise, smooth anatomy, ultrasound, CT.

use std::f32::consts::PI;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Background {
    Black,
    Grey,
    Noise,
    Anatomy,
    Ultrasound,
    Ct,
}

impl Background {
    pub const ALL: [Background; 6] = [
        Background::Black,
        Background::Grey,
        Background::Noise,
        Background::Anatomy,
        Background::Ultrasound,
        Background::Ct,
    ];
}

pub fn gauss(rng: &mut fastrand::Rng) -> f32 {
    // Box-Muller.
    let u = rng.f32().max(1e-7);
    let v = rng.f32();
    (-2.0 * u.ln()).sqrt() * (2.0 * PI * v).cos()
}

fn clamp(v: f32) -> u8 {
    v.round().clamp(0.0, 255.0) as u8
}

pub fn draw(kind: Background, w: u32, h: u32, rng: &mut fastrand::Rng) -> Vec<u8> {
    let n = (w * h) as usize;
    match kind {
        Background::Black => vec![rng.u8(0..12); n],
        Background::Grey => vec![rng.u8(30..230); n],
        Background::Noise => {
            let mean = rng.f32() * 120.0 + 60.0;
            let sigma = rng.f32() * 20.0 + 5.0;
            (0..n).map(|_| clamp(mean + sigma * gauss(rng))).collect()
        }
        Background::Anatomy => anatomy(w, h, rng),
        Background::Ultrasound => {
            let phase = rng.f32() * 100.0;
            let mut px = ultrasound_at(w, h, phase, rng);
            if rng.bool() {
                ticks(&mut px, w, h, rng);
            }
            px
        }
        Background::Ct => ct(w, h, rng),
    }
}

/// Smooth blobs with radial gradients over a dark base, mild noise.
fn anatomy(w: u32, h: u32, rng: &mut fastrand::Rng) -> Vec<u8> {
    let base = rng.f32() * 50.0 + 10.0;
    let mut f = vec![base; (w * h) as usize];
    for _ in 0..rng.usize(3..9) {
        let (cx, cy) = (rng.f32() * w as f32, rng.f32() * h as f32);
        let (rx, ry) = (
            rng.f32() * w as f32 * 0.3 + 15.0,
            rng.f32() * h as f32 * 0.3 + 15.0,
        );
        let peak = rng.f32() * 150.0 + 40.0;
        ellipse(&mut f, w, h, (cx, cy, rx, ry), |d| peak * (1.0 - d * d));
    }
    let sigma = rng.f32() * 4.0 + 1.0;
    f.iter().map(|&v| clamp(v + sigma * gauss(rng))).collect()
}

/// Adds `value(d)` (d = normalised radius 0..1) inside an ellipse.
fn ellipse(f: &mut [f32], w: u32, h: u32, e: (f32, f32, f32, f32), value: impl Fn(f32) -> f32) {
    let (cx, cy, rx, ry) = e;
    let ys = (cy - ry).max(0.0) as u32..((cy + ry).ceil().max(0.0) as u32).min(h);
    for y in ys {
        let xs = (cx - rx).max(0.0) as u32..((cx + rx).ceil().max(0.0) as u32).min(w);
        for x in xs {
            let (dx, dy) = ((x as f32 - cx) / rx, (y as f32 - cy) / ry);
            let d = (dx * dx + dy * dy).sqrt();
            if d < 1.0 {
                f[(y * w + x) as usize] += value(d);
            }
        }
    }
}

/// A fan from the top centre with speckled tissue; `phase` shifts the tissue (cine motion).
pub fn ultrasound_at(w: u32, h: u32, phase: f32, rng: &mut fastrand::Rng) -> Vec<u8> {
    let (ax, ay) = (w as f32 / 2.0, h as f32 * 0.08);
    let radius = h as f32 * 0.85;
    let half_angle = 0.6f32;
    // Speckle: exponential noise on a coarse grid, then a 3x3 box blur for grains of a few px.
    let mut raw = vec![0f32; (w * h) as usize];
    for y in 0..h {
        for x in 0..w {
            let (dx, dy) = (x as f32 - ax, y as f32 - ay);
            let r = (dx * dx + dy * dy).sqrt();
            let a = dx.atan2(dy);
            if r > radius || a.abs() > half_angle || dy < 0.0 {
                continue;
            }
            let tissue =
                60.0 + 40.0 * ((r + phase) * 0.03).sin() + 30.0 * ((a * 7.0 + phase * 0.05).cos());
            let speckle = -rng.f32().max(1e-6).ln();
            raw[(y * w + x) as usize] = tissue * speckle;
        }
    }
    blur3(&raw, w, h).iter().map(|&v| clamp(v)).collect()
}

fn blur3(f: &[f32], w: u32, h: u32) -> Vec<f32> {
    let (w, h) = (w as usize, h as usize);
    let mut out = vec![0f32; w * h];
    for y in 0..h {
        for x in 0..w {
            let mut s = 0.0;
            let mut n = 0.0;
            for yy in y.saturating_sub(1)..(y + 2).min(h) {
                for xx in x.saturating_sub(1)..(x + 2).min(w) {
                    s += f[yy * w + xx];
                    n += 1.0;
                }
            }
            out[y * w + x] = s / n;
        }
    }
    out
}

/// A depth scale: evenly spaced short ticks along one side (ultrasound, rulers).
fn ticks(px: &mut [u8], w: u32, h: u32, rng: &mut fastrand::Rng) {
    let x0 = w - rng.u32(12..30);
    let step = rng.u32(8..20);
    let len = rng.u32(3..8);
    let level = rng.u8(150..255);
    let mut y = h / 10;
    while y < h * 9 / 10 {
        let l = if (y / step).is_multiple_of(5) {
            len * 2
        } else {
            len
        };
        for x in x0..(x0 + l).min(w) {
            px[(y * w + x) as usize] = level;
        }
        y += step;
    }
}

/// A body disc with organs, bones and noise on black.
fn ct(w: u32, h: u32, rng: &mut fastrand::Rng) -> Vec<u8> {
    let mut f = vec![0f32; (w * h) as usize];
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let r = w.min(h) as f32 * (0.35 + rng.f32() * 0.1);
    ellipse(&mut f, w, h, (cx, cy, r * 1.1, r), |_| 100.0);
    for _ in 0..rng.usize(3..7) {
        let e = (
            cx + (rng.f32() - 0.5) * r,
            cy + (rng.f32() - 0.5) * r,
            rng.f32() * r * 0.3 + 8.0,
            rng.f32() * r * 0.3 + 8.0,
        );
        let v = rng.f32() * 60.0 - 20.0;
        ellipse(&mut f, w, h, e, |_| v);
    }
    for _ in 0..rng.usize(2..6) {
        let e = (
            cx + (rng.f32() - 0.5) * r * 1.4,
            cy + (rng.f32() - 0.5) * r * 1.4,
            rng.f32() * 10.0 + 4.0,
            rng.f32() * 10.0 + 4.0,
        );
        ellipse(&mut f, w, h, e, |_| 110.0);
    }
    let sigma = rng.f32() * 6.0 + 2.0;
    f.iter()
        .map(|&v| {
            if v > 0.0 {
                clamp(v + sigma * gauss(rng))
            } else {
                0
            }
        })
        .collect()
}
