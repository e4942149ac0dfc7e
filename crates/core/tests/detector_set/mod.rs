//! Synthetic frames for the text finder: medical-looking backgrounds with and without text drawn
//! with a real font (DejaVu, Debian package fonts-dejavu-core), from a seeded generator so every
//! run sees the same set. Shared by `tests/detector.rs` and `examples/detector_bench.rs`.
#![allow(dead_code)]

mod backgrounds;
mod text;

pub use backgrounds::Background;
pub use text::{Fonts, Line};

/// One synthetic frame: pixels, what it shows, and the ink boxes of the text lines drawn.
pub struct Frame {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
    pub background: Background,
    pub lines: Vec<Line>,
}

/// Frame sizes of the set (width, height).
pub const SIZES: [(u32, u32); 5] = [(256, 256), (512, 512), (640, 480), (800, 600), (1024, 768)];

/// The set: `n` frames, even indices with text, odd without, backgrounds and sizes in turn.
pub fn frame_set(fonts: &Fonts, n: usize, seed: u64) -> Vec<Frame> {
    let mut rng = fastrand::Rng::with_seed(seed);
    (0..n)
        .map(|i| {
            // Every background meets every size: k runs through 6 backgrounds x 5 sizes.
            let k = i / 2;
            let background = Background::ALL[k % Background::ALL.len()];
            let (w, h) = SIZES[(k + k / Background::ALL.len()) % SIZES.len()];
            let mut pixels = backgrounds::draw(background, w, h, &mut rng);
            let lines = if i % 2 == 0 {
                text::draw_text(fonts, &mut pixels, w, h, background, &mut rng)
            } else {
                Vec::new()
            };
            Frame {
                width: w,
                height: h,
                pixels,
                background,
                lines,
            }
        })
        .collect()
}

/// A cine loop: ultrasound-like sector whose tissue moves from frame to frame under still text.
pub fn cine(fonts: &Fonts, frames: usize, seed: u64) -> (Vec<Vec<u8>>, u32, u32, Vec<Line>) {
    let (w, h) = (512u32, 512u32);
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut text_layer = vec![0u8; (w * h) as usize];
    let mut alpha = vec![0f32; (w * h) as usize];
    let lines = text::draw_cine_text(fonts, &mut text_layer, &mut alpha, w, h, &mut rng);
    let out = (0..frames)
        .map(|k| {
            let mut px = backgrounds::ultrasound_at(w, h, k as f32 * 6.0, &mut rng);
            for ((p, &t), &a) in px.iter_mut().zip(&text_layer).zip(&alpha) {
                *p = (f32::from(*p) * (1.0 - a) + f32::from(t) * a).round() as u8;
            }
            px
        })
        .collect();
    (out, w, h, lines)
}
