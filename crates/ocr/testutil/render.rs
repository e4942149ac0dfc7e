//! Synthetic burned-in text for tests and measurements: renders a line with ab_glyph onto
//! backgrounds like those of DICOM images. Shared by tests/ and examples/ via #[path].
// Not every includer uses every helper; draw() takes the whole description of a line.
#![allow(dead_code, clippy::too_many_arguments)]

use ab_glyph::{Font, FontVec, PxScale, ScaleFont};

/// The backgrounds and text colours measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    WhiteOnBlack,
    BlackOnWhite,
    /// Grey text (170) on a dark, noisy background (mean 35, noise +-20), as on ultrasound.
    GreyOnNoisyDark,
    /// Dark text (40) on a bright, textured background (180..240 gradients and noise).
    DarkOnBrightTexture,
}

impl Style {
    pub const ALL: [Style; 4] = [
        Style::WhiteOnBlack,
        Style::BlackOnWhite,
        Style::GreyOnNoisyDark,
        Style::DarkOnBrightTexture,
    ];
    pub fn name(&self) -> &'static str {
        match self {
            Style::WhiteOnBlack => "white-on-black",
            Style::BlackOnWhite => "black-on-white",
            Style::GreyOnNoisyDark => "grey-on-noisy-dark",
            Style::DarkOnBrightTexture => "dark-on-bright-texture",
        }
    }
    fn text_level(&self) -> f32 {
        match self {
            Style::WhiteOnBlack => 255.0,
            Style::BlackOnWhite => 0.0,
            Style::GreyOnNoisyDark => 170.0,
            Style::DarkOnBrightTexture => 40.0,
        }
    }
}

/// A small deterministic PRNG so every run renders the same pixels.
pub struct Lcg(pub u64);
impl Lcg {
    pub fn next_f32(&mut self) -> f32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 40) as f32) / ((1u64 << 24) as f32)
    }
}

pub struct Canvas {
    pub data: Vec<u8>,
    pub width: usize,
    pub height: usize,
}

impl Canvas {
    /// A background of the given style.
    pub fn new(width: usize, height: usize, style: Style, seed: u64) -> Canvas {
        let mut rng = Lcg(seed);
        let mut data = Vec::with_capacity(width * height);
        for y in 0..height {
            for x in 0..width {
                let v = match style {
                    Style::WhiteOnBlack => 0.0,
                    Style::BlackOnWhite => 255.0,
                    Style::GreyOnNoisyDark => 35.0 + (rng.next_f32() - 0.5) * 40.0,
                    Style::DarkOnBrightTexture => {
                        let t = ((x as f32 * 0.21).sin() * (y as f32 * 0.13).cos()) * 20.0;
                        let g = 180.0 + 40.0 * (x as f32 / width.max(1) as f32);
                        g + t + (rng.next_f32() - 0.5) * 24.0
                    }
                };
                data.push(v.clamp(0.0, 255.0) as u8);
            }
        }
        Canvas {
            data,
            width,
            height,
        }
    }
}

/// Where a rendered line went: its line box (ascent to descent, pen start to advance end).
#[derive(Clone, Copy, Debug)]
pub struct Placed {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

pub fn load_font(path: &str) -> Option<FontVec> {
    let bytes = std::fs::read(path).ok()?;
    FontVec::try_from_vec(bytes).ok()
}

/// The pixel scale at which capital letters of `font` are `cap_px` pixels high.
pub fn scale_for_cap_height(font: &FontVec, cap_px: f32) -> PxScale {
    let probe = PxScale::from(100.0);
    let g = font
        .glyph_id('H')
        .with_scale_and_position(probe, ab_glyph::point(0.0, 100.0));
    let h = font
        .outline_glyph(g)
        .map(|o| o.px_bounds().height())
        .unwrap_or(70.0);
    PxScale::from(100.0 * cap_px / h.max(1.0))
}

/// Size of the line box `text` needs at `cap_px`.
pub fn measure(font: &FontVec, cap_px: f32, text: &str) -> (u32, u32) {
    let sf = font.as_scaled(scale_for_cap_height(font, cap_px));
    let w: f32 = text.chars().map(|c| sf.h_advance(sf.glyph_id(c))).sum();
    (w.ceil() as u32, (sf.ascent() - sf.descent()).ceil() as u32)
}

/// Draws `text` with capital letters `cap_px` high, its line box's top-left at (x, y).
/// `antialias: false` draws hard pixels (coverage > 0.5), as many scanners' overlay fonts.
pub fn draw(
    canvas: &mut Canvas,
    font: &FontVec,
    cap_px: f32,
    text: &str,
    x: u32,
    y: u32,
    style: Style,
    antialias: bool,
) -> Placed {
    let scale = scale_for_cap_height(font, cap_px);
    let sf = font.as_scaled(scale);
    let baseline = y as f32 + sf.ascent();
    let mut pen = x as f32;
    let level = style.text_level();
    for c in text.chars() {
        let id = sf.glyph_id(c);
        let g = id.with_scale_and_position(scale, ab_glyph::point(pen.round(), baseline.round()));
        if let Some(o) = font.outline_glyph(g) {
            let b = o.px_bounds();
            o.draw(|gx, gy, cov| {
                let px = b.min.x as i64 + gx as i64;
                let py = b.min.y as i64 + gy as i64;
                if px < 0 || py < 0 || px >= canvas.width as i64 || py >= canvas.height as i64 {
                    return;
                }
                let cov = if antialias {
                    cov.clamp(0.0, 1.0)
                } else if cov > 0.5 {
                    1.0
                } else {
                    0.0
                };
                let i = py as usize * canvas.width + px as usize;
                let bg = canvas.data[i] as f32;
                canvas.data[i] = (bg * (1.0 - cov) + level * cov).round().clamp(0.0, 255.0) as u8;
            });
        }
        pen += sf.h_advance(id);
    }
    Placed {
        x,
        y,
        width: (pen - x as f32).ceil() as u32,
        height: (sf.ascent() - sf.descent()).ceil() as u32,
    }
}

/// A line alone on a canvas with `pad` pixels around its line box.
pub fn render_line(
    font: &FontVec,
    cap_px: f32,
    text: &str,
    style: Style,
    antialias: bool,
    pad: u32,
    seed: u64,
) -> (Canvas, Placed) {
    let (w, h) = measure(font, cap_px, text);
    let mut c = Canvas::new((w + 2 * pad) as usize, (h + 2 * pad) as usize, style, seed);
    let p = draw(&mut c, font, cap_px, text, pad, pad, style, antialias);
    (c, p)
}

/// Fonts used while tuning (defaults were chosen looking at these) and fonts kept out of it.
pub const TUNING_FONTS: [&str; 3] = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
];
pub const HELD_OUT_FONTS: [&str; 4] = [
    "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
    "/usr/share/fonts/truetype/freefont/FreeMono.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
];

pub const DICOM_LINES: [&str; 7] = [
    "Name: DOE^JANE",
    "DOE, JANE M",
    "Patient ID: AB-12345",
    "DOB: 03-Mar-1961",
    "12/03/1961",
    "Acc: 987654321",
    "ST. ELSEWHERE HOSPITAL",
];

/// Writes a binary PGM (for looking at what was rendered).
pub fn pgm(c: &Canvas) -> Vec<u8> {
    let mut v = format!("P5\n{} {}\n255\n", c.width, c.height).into_bytes();
    v.extend_from_slice(&c.data);
    v
}
