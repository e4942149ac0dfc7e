//! Text drawn with DejaVu through ab_glyph: banners, corner blocks, lone tokens.

use ab_glyph::{point, Font, FontVec, PxScale, ScaleFont};

use super::backgrounds::Background;

/// Where Debian's fonts-dejavu-core puts the fonts; `LEAKCHECK_FONT_DIR` overrides it.
const FONT_DIR: &str = "/usr/share/fonts/truetype/dejavu";
const FONT_FILES: [&str; 2] = ["DejaVuSans.ttf", "DejaVuSansMono.ttf"];

pub struct Fonts {
    faces: Vec<FontVec>,
}

impl Fonts {
    /// The fonts, or a message that says how to install them.
    pub fn load() -> Result<Fonts, String> {
        let dir = std::env::var("LEAKCHECK_FONT_DIR").unwrap_or_else(|_| FONT_DIR.to_string());
        let mut faces = Vec::new();
        for name in FONT_FILES {
            let path = std::path::Path::new(&dir).join(name);
            let bytes = std::fs::read(&path).map_err(|e| {
                format!(
                    "cannot read {} ({e}): the detector tests draw text with DejaVu fonts; \
                     install them with `sudo apt-get install fonts-dejavu-core` (or run \
                     scripts/setup.sh), or point LEAKCHECK_FONT_DIR at a folder holding {}",
                    path.display(),
                    FONT_FILES.join(" and ")
                )
            })?;
            faces.push(
                FontVec::try_from_vec(bytes).map_err(|e| format!("{}: {e}", path.display()))?,
            );
        }
        Ok(Fonts { faces })
    }
}

/// The ink box of one drawn line of text (pixels covered at least half).
#[derive(Debug, Clone)]
pub struct Line {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    pub text: String,
    pub size: f32,
    pub style: Style,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Bright,
    DarkOnLight,
    MidGrey,
    LowContrast,
}

const STYLES: [Style; 4] = [
    Style::Bright,
    Style::DarkOnLight,
    Style::MidGrey,
    Style::LowContrast,
];

const NAMES: [&str; 8] = [
    "DOE^JOHN",
    "SMITH, ANNA",
    "MUELLER HANS",
    "Garcia Lopez, Maria",
    "NGUYEN^THI",
    "O'BRIEN, P",
    "Kowalski Jan",
    "TANAKA^YUKI",
];
const TOKENS: [&str; 10] = ["R", "L", "L5", "AB", "12", "RT", "AP", "H", "F", "C7"];

fn field(rng: &mut fastrand::Rng) -> String {
    match rng.u8(0..9) {
        0 | 1 => NAMES[rng.usize(..NAMES.len())].to_string(),
        2 => format!("ID: {}", rng.u32(1_000_000..99_999_999)),
        3 => format!("MRN {:07}", rng.u32(0..9_999_999)),
        4 => format!(
            "{:02}/{:02}/{}",
            rng.u8(1..29),
            rng.u8(1..13),
            rng.u16(1940..2025)
        ),
        5 => format!(
            "{}-{:02}-{:02} {:02}:{:02}:{:02}",
            rng.u16(2000..2025),
            rng.u8(1..13),
            rng.u8(1..29),
            rng.u8(0..24),
            rng.u8(0..60),
            rng.u8(0..60)
        ),
        6 => ["ST MARY HOSPITAL", "City Clinic Radiology", "UNIV MED CTR"][rng.usize(..3)]
            .to_string(),
        7 => format!("Acc# A{}", rng.u32(100_000..9_999_999)),
        _ => [
            "5.0 MHz",
            "Gain 54 dB",
            "HR 72 bpm",
            "DR 60",
            "FR 32 Hz",
            "Depth 16 cm",
        ][rng.usize(..6)]
        .to_string(),
    }
}

struct Canvas<'a> {
    px: &'a mut [u8],
    alpha: Option<&'a mut [f32]>,
    w: u32,
    h: u32,
}

/// Draws `text` with its top-left ink near (x, y); returns the ink box.
fn draw_line(
    font: &FontVec,
    size: f32,
    text: &str,
    (x, y): (f32, f32),
    color: u8,
    c: &mut Canvas,
) -> Option<Line> {
    let scaled = font.as_scaled(PxScale::from(size));
    let baseline = y + scaled.ascent();
    let mut caret = x;
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0u32, 0u32);
    let mut prev = None;
    for ch in text.chars() {
        let id = font.glyph_id(ch);
        if let Some(p) = prev {
            caret += scaled.kern(p, id);
        }
        let glyph = id.with_scale_and_position(PxScale::from(size), point(caret, baseline));
        caret += scaled.h_advance(id);
        prev = Some(id);
        let Some(outline) = font.outline_glyph(glyph) else {
            continue;
        };
        let b = outline.px_bounds();
        outline.draw(|gx, gy, cov| {
            let (px, py) = (b.min.x as i64 + gx as i64, b.min.y as i64 + gy as i64);
            if px < 0 || py < 0 || px >= c.w as i64 || py >= c.h as i64 || cov <= 0.0 {
                return;
            }
            let (px, py) = (px as u32, py as u32);
            let i = (py * c.w + px) as usize;
            let cov = cov.min(1.0);
            match c.alpha.as_deref_mut() {
                Some(a) => {
                    a[i] = a[i].max(cov);
                    c.px[i] = color;
                }
                None => {
                    let old = f32::from(c.px[i]);
                    c.px[i] = (old * (1.0 - cov) + f32::from(color) * cov).round() as u8;
                }
            }
            if cov >= 0.5 {
                x0 = x0.min(px);
                y0 = y0.min(py);
                x1 = x1.max(px);
                y1 = y1.max(py);
            }
        });
    }
    (x0 <= x1).then(|| Line {
        x: x0,
        y: y0,
        w: x1 - x0 + 1,
        h: y1 - y0 + 1,
        text: text.to_string(),
        size,
        style: Style::Bright,
    })
}

fn text_width(font: &FontVec, size: f32, text: &str) -> f32 {
    let scaled = font.as_scaled(PxScale::from(size));
    text.chars()
        .map(|c| scaled.h_advance(font.glyph_id(c)))
        .sum()
}

fn line_height(font: &FontVec, size: f32) -> f32 {
    let s = font.as_scaled(PxScale::from(size));
    s.ascent() - s.descent()
}

fn stats(px: &[u8], w: u32, r: (u32, u32, u32, u32)) -> (f32, f32) {
    let (mut n, mut s, mut q) = (0f32, 0f32, 0f32);
    for y in r.1..r.1 + r.3 {
        for x in r.0..r.0 + r.2 {
            let v = f32::from(px[(y * w + x) as usize]);
            n += 1.0;
            s += v;
            q += v * v;
        }
    }
    let m = s / n.max(1.0);
    (m, (q / n.max(1.0) - m * m).max(0.0).sqrt())
}

fn fill(px: &mut [u8], w: u32, r: (u32, u32, u32, u32), v: u8) {
    for y in r.1..r.1 + r.3 {
        for x in r.0..r.0 + r.2 {
            px[(y * w + x) as usize] = v;
        }
    }
}

/// Draws 1-3 text items (banner, corner block, lone token, label over the image) that do not
/// overlap; returns the ink boxes of all lines.
pub fn draw_text(
    fonts: &Fonts,
    px: &mut [u8],
    w: u32,
    h: u32,
    _bg: Background,
    rng: &mut fastrand::Rng,
) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut taken: Vec<(u32, u32, u32, u32)> = Vec::new();
    for _ in 0..rng.usize(1..4) {
        let font = &fonts.faces[rng.usize(..fonts.faces.len())];
        let mut size = rng.u32(8..33) as f32;
        let kind = rng.u8(0..4);
        let texts: Vec<String> = match kind {
            0 => vec![(0..rng.usize(1..4))
                .map(|_| field(rng))
                .collect::<Vec<_>>()
                .join("   ")],
            1 => (0..rng.usize(2..6)).map(|_| field(rng)).collect(),
            2 => vec![TOKENS[rng.usize(..TOKENS.len())].to_string()],
            _ => vec![field(rng)],
        };
        let widest = |size: f32| {
            texts
                .iter()
                .map(|t| text_width(font, size, t))
                .fold(0.0, f32::max)
        };
        while size > 8.0 && widest(size) > w as f32 - 16.0 {
            size -= 1.0;
        }
        let lh = (line_height(font, size) * 1.15).ceil();
        let (bw, bh) = (
            widest(size).ceil() as u32 + 4,
            (lh * texts.len() as f32) as u32 + 4,
        );
        if bw + 8 > w || bh + 8 > h {
            continue;
        }
        let margin = rng.u32(2..10);
        let (bx, by) = match kind {
            0 => (margin, if rng.bool() { margin } else { h - bh - margin }),
            1 => (
                if rng.bool() { margin } else { w - bw - margin },
                if rng.bool() { margin } else { h - bh - margin },
            ),
            _ => (rng.u32(4..w - bw - 4), rng.u32(4..h - bh - 4)),
        };
        let area = (bx, by, bw, bh);
        let overlaps = taken.iter().any(|t| {
            area.0 < t.0 + t.2 + 4
                && t.0 < area.0 + area.2 + 4
                && area.1 < t.1 + t.3 + 4
                && t.1 < area.1 + area.3 + 4
        });
        if overlaps {
            continue;
        }
        taken.push(area);
        let style = STYLES[rng.usize(..STYLES.len())];
        let (mean, spread) = stats(px, w, area);
        let pad = (size / 4.0).ceil() as u32;
        let plate = (
            bx.saturating_sub(pad),
            by.saturating_sub(pad),
            (bw + 2 * pad).min(w - bx.saturating_sub(pad)),
            (bh + 2 * pad).min(h - by.saturating_sub(pad)),
        );
        let color = match style {
            Style::Bright if mean < 150.0 => {
                rng.u8(0..56).saturating_add((mean + 90.0).max(200.0) as u8)
            }
            Style::Bright => {
                fill(px, w, plate, rng.u8(0..25));
                rng.u8(180..=255)
            }
            Style::DarkOnLight if mean > 150.0 && spread < 15.0 => rng.u8(0..50),
            Style::DarkOnLight => {
                fill(px, w, plate, rng.u8(190..240));
                rng.u8(0..40)
            }
            Style::MidGrey => {
                let c = rng.u8(108..148);
                if (mean - f32::from(c)).abs() < 70.0 || spread > 15.0 {
                    fill(px, w, plate, rng.u8(0..15));
                }
                c
            }
            Style::LowContrast => {
                let mut m = mean;
                if spread > 6.0 {
                    m = f32::from(rng.u8(20..220));
                    fill(px, w, plate, m as u8);
                }
                if m < 200.0 {
                    (m + 40.0) as u8
                } else {
                    (m - 40.0) as u8
                }
            }
        };
        let mut canvas = Canvas {
            px: &mut *px,
            alpha: None,
            w,
            h,
        };
        for (k, t) in texts.iter().enumerate() {
            let y = by as f32 + 2.0 + k as f32 * lh;
            if let Some(mut line) =
                draw_line(font, size, t, (bx as f32 + 2.0, y), color, &mut canvas)
            {
                line.style = style;
                lines.push(line);
            }
        }
    }
    lines
}

/// The text of the cine loop: a banner on the black band above the fan, a block in a bottom
/// corner, and a label drawn over the moving tissue.
pub fn draw_cine_text(
    fonts: &Fonts,
    px: &mut [u8],
    alpha: &mut [f32],
    w: u32,
    h: u32,
    rng: &mut fastrand::Rng,
) -> Vec<Line> {
    let mut canvas = Canvas {
        px,
        alpha: Some(alpha),
        w,
        h,
    };
    let sans = &fonts.faces[0];
    let mut out = Vec::new();
    let banner = format!(
        "{}   ID: {}   {}",
        NAMES[0],
        rng.u32(1_000_000..9_999_999),
        "12/03/2024"
    );
    out.extend(draw_line(sans, 14.0, &banner, (6.0, 4.0), 230, &mut canvas));
    for (k, t) in ["Gain 54 dB", "DR 60", "5.0 MHz"].iter().enumerate() {
        out.extend(draw_line(
            sans,
            12.0,
            t,
            (6.0, 440.0 + k as f32 * 16.0),
            200,
            &mut canvas,
        ));
    }
    out.extend(draw_line(
        &fonts.faces[1],
        16.0,
        "LIVER RT",
        (230.0, 300.0),
        250,
        &mut canvas,
    ));
    out
}
