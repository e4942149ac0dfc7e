//! JPEG 2000 (PS3.5 A.4.4), reversible and irreversible, through the pure-Rust
//! `hayro-jpeg2000`. The decoder hands out each component as floating-point samples with the
//! DC level shift undone for unsigned data; signed data gets the shift taken back here
//! (ISO/IEC 15444-1 G.1.2), and the inverse multi-component transform (YBR_RCT/YBR_ICT) has
//! already been applied, so such frames are RGB.

use super::{decoded_size, Frame, ImageInfo, PixelError, PixelErrorKind};
use hayro_jpeg2000::{DecodeSettings, DecoderContext, Image};

pub(crate) fn frame(bytes: &[u8], info: &ImageInfo, index: u32) -> Result<Frame, PixelError> {
    let damaged = |e: &dyn std::fmt::Display| {
        PixelError::new(
            PixelErrorKind::Damaged,
            format!("JPEG 2000 data of frame {index} is damaged: {e}"),
        )
    };
    let settings = DecodeSettings {
        // A DICOM frame's samples are what the Photometric Interpretation says; a JP2 palette
        // would be a different image.
        resolve_palette_indices: false,
        ..DecodeSettings::default()
    };
    let image = super::guard(|| Image::new(bytes, &settings))
        .ok_or_else(|| damaged(&"the decoder failed"))?
        .map_err(|e| damaged(&e))?;
    let (width, height) = (image.width(), image.height());
    let probe = ImageInfo {
        rows: height,
        columns: width,
        ..info.clone()
    };
    let bytes_per_sample = if info.bits_allocated > 8 { 2usize } else { 1 };
    let size = decoded_size(&probe, bytes_per_sample as u64)?;
    let mut context = DecoderContext::default();
    let decoded = super::guard(|| image.decode(&mut context))
        .ok_or_else(|| damaged(&"the decoder failed"))?
        .map_err(|e| damaged(&e))?;
    let components = decoded.components();
    let count = components.len();
    if count != usize::from(info.samples_per_pixel) {
        return Err(damaged(&format!(
            "{count} components where Samples per Pixel is {}",
            info.samples_per_pixel
        )));
    }
    let pixels = width as usize * height as usize;
    if components.iter().any(|c| c.samples().len() < pixels) {
        return Err(damaged(&"a component has fewer samples than pixels"));
    }
    let mut data = vec![0u8; size];
    for (c, component) in components.iter().enumerate() {
        let depth = u32::from(component.bit_depth().clamp(1, 16));
        let (low, high, shift) = if codestream_signed(bytes, c).unwrap_or(info.signed) {
            let half = f32::from(1u16 << (depth - 1).min(15));
            (-half, half - 1.0, half)
        } else {
            (0.0, ((1u32 << depth) - 1) as f32, 0.0)
        };
        for (p, sample) in component.samples().iter().take(pixels).enumerate() {
            let value = (sample - shift).round().clamp(low, high) as i32;
            let at = (p * count + c) * bytes_per_sample;
            if bytes_per_sample == 2 {
                if let Some(slot) = data.get_mut(at..at + 2) {
                    slot.copy_from_slice(&(value as u16).to_le_bytes());
                }
            } else if let Some(slot) = data.get_mut(at) {
                *slot = value as u8;
            }
        }
    }
    // Pixel Representation says how to read the stored bits; the samples themselves are
    // written as the codestream's sign says (they disagree in some files; PS3.5 A.4.4 wants
    // them equal).
    let photometric = match info.photometric.as_str() {
        "YBR_RCT" | "YBR_ICT" => "RGB".to_string(),
        other => other.to_string(),
    };
    Ok(Frame {
        index,
        width,
        height,
        samples: info.samples_per_pixel,
        bits_allocated: (bytes_per_sample * 8) as u16,
        signed: info.signed,
        photometric,
        data,
    })
}

/// Whether component `c` is signed per the codestream's SIZ marker (ISO/IEC 15444-1 A.5.1:
/// bit 7 of Ssiz), for a raw codestream that starts with SOC then SIZ.
fn codestream_signed(bytes: &[u8], c: usize) -> Option<bool> {
    if bytes.get(..4)? != [0xFF, 0x4F, 0xFF, 0x51] {
        return None;
    }
    // SOC(2) SIZ(2) Lsiz(2) Rsiz(2), eight 32-bit sizes, Csiz(2), then 3 bytes per component.
    let ssiz = *bytes.get(2 + 40 + 3 * c)?;
    Some(ssiz & 0x80 != 0)
}
