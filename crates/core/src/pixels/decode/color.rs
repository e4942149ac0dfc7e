//! From a frame's stored samples to what people see: gray values (PS3.3 C.7.6.3.1.1), 8-bit
//! RGB from RGB, YBR (C.7.6.3.1.2) and PALETTE COLOR (C.7.6.3.1.5), and 8-bit luminance through
//! the Modality LUT and VOI window (C.11.1, C.11.2.1.2).

use super::attrs::Attrs;
use super::levels;
use super::{Frame, ImageInfo, Plane};
use crate::parse::ParsedFile;
use crate::tags;
use serde::Serialize;

/// Every sample of the frame as an unsigned number, in stored order.
fn raw_samples(frame: &Frame) -> Vec<u32> {
    match frame.bits_allocated {
        1 => {
            let count = frame.width as usize * frame.height as usize * usize::from(frame.samples);
            (0..count)
                .map(|i| {
                    let byte = frame.data.get(i / 8).copied().unwrap_or(0);
                    u32::from((byte >> (i % 8)) & 1)
                })
                .collect()
        }
        8 => frame.data.iter().map(|b| u32::from(*b)).collect(),
        16 => frame
            .data
            .chunks_exact(2)
            .map(|c| u32::from(u16::from_le_bytes([c[0], c[1]])))
            .collect(),
        32 => frame
            .data
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
        _ => Vec::new(),
    }
}

/// The stored bits of each sample: shifted down from High Bit, masked to Bits Stored and
/// sign-extended when Pixel Representation is 1 (PS3.5 8.1.1: bits outside Bits Stored may
/// hold overlays or garbage).
fn stored_values(frame: &Frame, info: &ImageInfo) -> Vec<i32> {
    let allocated = u32::from(frame.bits_allocated.max(1));
    let stored = u32::from(info.bits_stored).clamp(1, allocated);
    let high = u32::from(info.high_bit).min(allocated - 1);
    let shift = (high + 1).saturating_sub(stored);
    let mask: u64 = (1u64 << stored) - 1;
    let signed = frame.signed && stored > 1;
    raw_samples(frame)
        .into_iter()
        .map(|v| {
            let v = (u64::from(v) >> shift) & mask;
            if signed && v & (1 << (stored - 1)) != 0 {
                (v as i64 - (1i64 << stored)) as i32
            } else {
                v as i32
            }
        })
        .collect()
}

pub(crate) fn gray_values(frame: &Frame, info: &ImageInfo) -> Option<Vec<i32>> {
    if frame.samples != 1 || !frame.photometric.starts_with("MONOCHROME") {
        return None;
    }
    Some(stored_values(frame, info))
}

pub(crate) fn rgb8(frame: &Frame, info: &ImageInfo, parsed: &ParsedFile) -> Option<Vec<u8>> {
    let pixels = frame.width as usize * frame.height as usize;
    if frame.samples == 1 && frame.photometric == "PALETTE COLOR" {
        return palette(&stored_values(frame, info), parsed);
    }
    if frame.samples != 3 {
        return None;
    }
    let values = stored_values(frame, info);
    let bits = u32::from(info.bits_stored).clamp(1, u32::from(frame.bits_allocated.max(1)));
    let to8 = |v: i32| -> f32 {
        let v = v.max(0) as u32;
        if bits > 8 {
            (v >> (bits - 8)) as f32
        } else if bits < 8 {
            (v * 255 / ((1 << bits) - 1)) as f32
        } else {
            v as f32
        }
    };
    let mut out = Vec::with_capacity(pixels * 3);
    match frame.photometric.as_str() {
        "YBR_FULL_422" if values.len() == pixels * 2 => {
            // Two pixels share one Cb and Cr: Y1 Y2 Cb Cr (PS3.3 C.7.6.3.1.2).
            for chunk in values.chunks_exact(4) {
                let (cb, cr) = (to8(chunk[2]), to8(chunk[3]));
                for y in &chunk[..2] {
                    out.extend_from_slice(&ybr_full(to8(*y), cb, cr));
                }
            }
            if frame.width % 2 == 1 {
                // An odd width has no such layout; show what there is.
                out.resize(pixels * 3, 0);
            }
        }
        p if p.starts_with("YBR_FULL") => {
            for c in values.chunks_exact(3).take(pixels) {
                out.extend_from_slice(&ybr_full(to8(c[0]), to8(c[1]), to8(c[2])));
            }
        }
        p if p.starts_with("YBR_PARTIAL") => {
            for c in values.chunks_exact(3).take(pixels) {
                let y = (to8(c[0]) - 16.0) * 255.0 / 219.0;
                let cb = (to8(c[1]) - 128.0) * 255.0 / 224.0 + 128.0;
                let cr = (to8(c[2]) - 128.0) * 255.0 / 224.0 + 128.0;
                out.extend_from_slice(&ybr_full(y, cb, cr));
            }
        }
        // RGB, and YBR_ICT/RCT that a decoder left alone, are shown as RGB.
        _ => {
            for c in values.chunks_exact(3).take(pixels) {
                out.extend_from_slice(&[to8(c[0]) as u8, to8(c[1]) as u8, to8(c[2]) as u8]);
            }
        }
    }
    (out.len() == pixels * 3).then_some(out)
}

/// YCbCr (full range, PS3.3 C.7.6.3.1.2) to RGB.
fn ybr_full(y: f32, cb: f32, cr: f32) -> [u8; 3] {
    let r = y + 1.402 * (cr - 128.0);
    let g = y - 0.344_136 * (cb - 128.0) - 0.714_136 * (cr - 128.0);
    let b = y + 1.772 * (cb - 128.0);
    [clamp8(r), clamp8(g), clamp8(b)]
}

fn clamp8(v: f32) -> u8 {
    v.round().clamp(0.0, 255.0) as u8
}

/// One palette colour table (PS3.3 C.7.6.3.1.5): descriptor [entries, first mapped, bits].
struct Lut {
    first: i32,
    entries: Vec<u8>,
}

fn lut(parsed: &ParsedFile, descriptor: u32, data: u32) -> Option<Lut> {
    let a = Attrs::new(parsed);
    let count = match a.u16_at(descriptor, 0)? {
        0 => 65536usize,
        n => usize::from(n),
    };
    let first_raw = a.u16_at(descriptor, 1)?;
    let bits = a.u16_at(descriptor, 2)?;
    let bytes = a.bytes(data)?;
    let s = parsed.syntax;
    let words: Vec<u16> = bytes
        .chunks_exact(2)
        .filter_map(|c| s.read_u16(c))
        .collect();
    let entries: Vec<u8> = if bits == 8 && bytes.len() == count {
        bytes.to_vec()
    } else if bits == 8 {
        words.iter().map(|w| *w as u8).collect()
    } else {
        // 16-bit entries: the top 8 bits for display.
        words.iter().map(|w| (w >> 8) as u8).collect()
    };
    if entries.is_empty() {
        return None;
    }
    // First mapped is US or SS depending on Pixel Representation; a value above 32767 with
    // signed pixels is negative.
    let signed = a.u16(tags::PIXEL_REPRESENTATION) == Some(1);
    let first = if signed {
        i32::from(first_raw as i16)
    } else {
        i32::from(first_raw)
    };
    Some(Lut { first, entries })
}

fn palette(values: &[i32], parsed: &ParsedFile) -> Option<Vec<u8>> {
    let luts = [
        lut(
            parsed,
            tags::RED_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR,
            tags::RED_PALETTE_COLOR_LOOKUP_TABLE_DATA,
        )?,
        lut(
            parsed,
            tags::GREEN_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR,
            tags::GREEN_PALETTE_COLOR_LOOKUP_TABLE_DATA,
        )?,
        lut(
            parsed,
            tags::BLUE_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR,
            tags::BLUE_PALETTE_COLOR_LOOKUP_TABLE_DATA,
        )?,
    ];
    let mut out = Vec::with_capacity(values.len() * 3);
    for v in values {
        for l in &luts {
            // Values below the first mapped use the first entry, above the last the last.
            let at = (i64::from(*v) - i64::from(l.first)).clamp(0, l.entries.len() as i64 - 1);
            out.push(l.entries.get(at as usize).copied().unwrap_or(0));
        }
    }
    Some(out)
}

pub(crate) fn luma8(frame: &Frame, info: &ImageInfo, parsed: &ParsedFile) -> Vec<u8> {
    let pixels = frame.width as usize * frame.height as usize;
    if let Some(rgb) = rgb8(frame, info, parsed) {
        return rgb.chunks_exact(3).map(luma_of).collect();
    }
    // Monochrome, or colour we cannot convert: the first sample of each pixel as gray.
    let samples = usize::from(frame.samples.max(1));
    let stored: Vec<i32> = stored_values(frame, info)
        .into_iter()
        .step_by(samples)
        .take(pixels)
        .collect();
    let mut out = window(&stored, info, frame.photometric.starts_with("MONOCHROME"));
    out.resize(pixels, 0);
    if frame.photometric == "MONOCHROME1" {
        for v in &mut out {
            *v = 255 - *v;
        }
    }
    out
}

/// The text finder's view of a frame (see `Plane`): monochrome stored values normalised per
/// frame (`levels::normalise`), never through the window; colour frames as their luminance and
/// colourfulness.
pub(crate) fn search_plane(frame: &Frame, info: &ImageInfo, parsed: &ParsedFile) -> Plane {
    let pixels = frame.width as usize * frame.height as usize;
    let (luma, chroma) = match rgb8(frame, info, parsed) {
        Some(rgb) => {
            let luma = rgb.chunks_exact(3).map(luma_of).collect();
            let chroma = rgb
                .chunks_exact(3)
                .map(|c| c[0].max(c[1]).max(c[2]) - c[0].min(c[1]).min(c[2]))
                .collect();
            (luma, Some(chroma))
        }
        None => {
            let samples = usize::from(frame.samples.max(1));
            let stored: Vec<i32> = stored_values(frame, info)
                .into_iter()
                .step_by(samples)
                .take(pixels)
                .collect();
            let mut luma = levels::normalise(&stored, frame.photometric == "MONOCHROME1");
            luma.resize(pixels, 0);
            (luma, None)
        }
    };
    Plane {
        width: frame.width,
        height: frame.height,
        luma,
        chroma,
    }
}

/// ITU-R BT.601 luma of one RGB pixel (the one luma formula: the search, the preview and the
/// wasm `detect_text` use it).
pub fn luma_of(c: &[u8]) -> u8 {
    ((299 * u32::from(c[0]) + 587 * u32::from(c[1]) + 114 * u32::from(c[2])) / 1000) as u8
}

/// A VOI window (PS3.3 C.11.2.1.2.1) and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Window {
    pub center: f64,
    pub width: f64,
    /// Chosen from the frame's values: the file has no window, or its window shows almost
    /// nothing of this frame (fewer than 2% of the pixels between black and white).
    pub automatic: bool,
}

/// The window a monochrome frame is shown with (see `Window::automatic`).
pub(crate) fn display_window(stored: &[i32], info: &ImageInfo) -> Window {
    let rescale = rescaler(info);
    if let (Some(center), Some(width)) = (info.window_center, info.window_width) {
        if width >= 1.0 {
            let header = Window {
                center,
                width,
                automatic: false,
            };
            if levels::share_inside(&apply_window(stored, &rescale, header))
                >= levels::MIN_SHARE_INSIDE
            {
                return header;
            }
            let (center, width) = levels::automatic_window(stored, &rescale);
            return Window {
                center,
                width,
                automatic: true,
            };
        }
    }
    let (min, max) = min_max(stored);
    let (lo, hi) = (
        rescale(min).min(rescale(max)),
        rescale(min).max(rescale(max)),
    );
    // A window that spans exactly min..max.
    Window {
        center: (lo + hi) / 2.0 + 0.5,
        width: (hi - lo + 1.0).max(1.0),
        automatic: true,
    }
}

/// Modality rescale then the VOI window (PS3.3 C.11.2.1.2.1, linear): the file's window when
/// it shows the frame, else one chosen from the frame's values (`display_window`).
pub(crate) fn window(stored: &[i32], info: &ImageInfo, use_header_window: bool) -> Vec<u8> {
    let chosen = if use_header_window {
        display_window(stored, info)
    } else {
        let mut plain = info.clone();
        plain.window_center = None;
        display_window(stored, &plain)
    };
    apply_window(stored, &rescaler(info), chosen)
}

/// Modality rescale (PS3.3 C.11.1); a slope of 0 is taken as 1.
fn rescaler(info: &ImageInfo) -> impl Fn(i32) -> f64 {
    let slope = if info.rescale_slope == 0.0 {
        1.0
    } else {
        info.rescale_slope
    };
    let intercept = info.rescale_intercept;
    move |v: i32| f64::from(v) * slope + intercept
}

fn apply_window(stored: &[i32], rescale: &impl Fn(i32) -> f64, w: Window) -> Vec<u8> {
    let (center, width) = (w.center, w.width);
    let (min, max) = min_max(stored);
    let low = center - 0.5 - (width - 1.0) / 2.0;
    let high = center - 0.5 + (width - 1.0) / 2.0;
    let map = |v: i32| -> u8 {
        let x = rescale(v);
        if x <= low {
            0
        } else if x > high || width <= 1.0 {
            255
        } else {
            (((x - (center - 0.5)) / (width - 1.0) + 0.5) * 255.0)
                .round()
                .clamp(0.0, 255.0) as u8
        }
    };
    // Stored values of up to 16 bits: one table entry per value beats per-pixel arithmetic.
    let span = i64::from(max) - i64::from(min);
    if span < 1 << 17 && stored.len() as i64 > span {
        let table: Vec<u8> = (min..=max).map(map).collect();
        return stored
            .iter()
            .map(|v| table.get((v - min) as usize).copied().unwrap_or(0))
            .collect();
    }
    stored.iter().map(|v| map(*v)).collect()
}

pub(crate) fn min_max(values: &[i32]) -> (i32, i32) {
    let mut min = i32::MAX;
    let mut max = i32::MIN;
    for v in values {
        min = min.min(*v);
        max = max.max(*v);
    }
    if values.is_empty() {
        (0, 0)
    } else {
        (min, max)
    }
}
