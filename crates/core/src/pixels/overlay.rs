//! Overlay planes (PS3.3 C.9.2): bitmaps in groups 6000-601E that viewers draw over the image;
//! they can hold burned-in-looking text too. Read from Overlay Data (60xx,3000), or for old
//! files from the unused high bits of native Pixel Data (60xx,0100/0102, retired usage).

use super::decode::{decode_frame, image_info, Attrs};
use crate::parse::ParsedFile;
use serde::Serialize;

/// One overlay plane. Coordinates and frame numbers are 0-based here (the file stores Overlay
/// Origin and Image Frame Origin 1-based).
#[derive(Debug, Clone, Serialize)]
pub struct Overlay {
    /// 0x6000, 0x6002, ... 0x601E.
    pub group: u16,
    pub rows: u32,
    pub columns: u32,
    /// Column of the overlay's first pixel in the image (Overlay Origin (60xx,0050) minus 1).
    pub origin_x: i32,
    /// Row of the overlay's first pixel in the image.
    pub origin_y: i32,
    /// Number of Frames in Overlay (60xx,0015), 1 when absent.
    pub frames: u32,
    /// The image frame the overlay's first frame belongs to (Image Frame Origin minus 1).
    pub first_frame: u32,
    /// "graphics" (G) or "ROI" (R), from Overlay Type (60xx,0040).
    pub kind: String,
    /// Overlay Description (60xx,0022) or Overlay Label (60xx,1500).
    pub description: Option<String>,
}

fn tag(group: u16, element: u16) -> u32 {
    (u32::from(group) << 16) | u32::from(element)
}

/// The overlay planes of the top-level data set, in group order.
pub fn overlays(parsed: &ParsedFile) -> Vec<Overlay> {
    let a = Attrs::new(parsed);
    let mut out = Vec::new();
    for group in (0x6000u16..=0x601E).step_by(2) {
        let (Some(rows), Some(columns)) = (a.u16(tag(group, 0x0010)), a.u16(tag(group, 0x0011)))
        else {
            continue;
        };
        if rows == 0 || columns == 0 {
            continue;
        }
        // Overlay Origin is SS: row then column, 1-based.
        let origin_row = a
            .u16_at(tag(group, 0x0050), 0)
            .map_or(1, |v| i32::from(v as i16));
        let origin_col = a
            .u16_at(tag(group, 0x0050), 1)
            .map_or(1, |v| i32::from(v as i16));
        let kind = match a.text(tag(group, 0x0040)).as_deref() {
            Some("R") => "ROI",
            _ => "graphics",
        };
        out.push(Overlay {
            group,
            rows: rows.into(),
            columns: columns.into(),
            origin_x: origin_col - 1,
            origin_y: origin_row - 1,
            frames: a
                .number(tag(group, 0x0015))
                .map_or(1, |n| n.clamp(1.0, f64::from(u32::MAX)) as u32),
            first_frame: a
                .u16(tag(group, 0x0051))
                .map_or(0, |v| u32::from(v.max(1)) - 1),
            kind: kind.to_string(),
            description: a
                .text(tag(group, 0x0022))
                .or_else(|| a.text(tag(group, 0x1500))),
        });
    }
    out
}

/// One byte (0 or 1) per overlay pixel, row by row, of the overlay's frame `frame` (0-based,
/// counted within the overlay). `None` when the data is missing or too short.
pub fn overlay_bits(parsed: &ParsedFile, overlay: &Overlay, frame: u32) -> Option<Vec<u8>> {
    if frame >= overlay.frames {
        return None;
    }
    let a = Attrs::new(parsed);
    let pixels = u64::from(overlay.rows) * u64::from(overlay.columns);
    if let Some(element) = a.element(tag(overlay.group, 0x3000)) {
        let data = parsed.value_bytes(element);
        let start = pixels * u64::from(frame);
        if (start + pixels).div_ceil(8) > data.len() as u64 {
            return None;
        }
        // Bits fill bytes from the least significant bit (PS3.5 8.1.1); big endian OW data is
        // 16-bit words, so its bytes come in swapped pairs.
        let swap = parsed.syntax.is_big_endian() && element.vr == dicom_core::VR::OW;
        return Some(
            (start..start + pixels)
                .map(|bit| {
                    let byte = (bit / 8) as usize;
                    let byte = if swap { byte ^ 1 } else { byte };
                    data.get(byte).map_or(0, |b| (b >> (bit % 8)) & 1)
                })
                .collect(),
        );
    }
    embedded_bits(parsed, overlay, frame)
}

/// Overlays in the high bits of Pixel Data (retired, PS3.3 2004 C.9.2.1.1): Overlay Bits
/// Allocated equal to the image's and Overlay Bit Position naming an unused bit.
fn embedded_bits(parsed: &ParsedFile, overlay: &Overlay, frame: u32) -> Option<Vec<u8>> {
    let a = Attrs::new(parsed);
    let position = a.u16(tag(overlay.group, 0x0102))?;
    let info = image_info(parsed).ok()??;
    if a.u16(tag(overlay.group, 0x0100))? != info.bits_allocated
        || info.bits_allocated != 16
        || info.samples_per_pixel != 1
        || position >= 16
        || overlay.rows != info.rows
        || overlay.columns != info.columns
        || info.encoding != "uncompressed"
    {
        return None;
    }
    let image = decode_frame(parsed, &info, overlay.first_frame.checked_add(frame)?).ok()?;
    Some(
        image
            .data
            .chunks_exact(2)
            .map(|c| ((u16::from_le_bytes([c[0], c[1]]) >> position) & 1) as u8)
            .collect(),
    )
}
