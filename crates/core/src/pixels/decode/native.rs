//! Native (uncompressed) frames, PS3.5 8.1.1 and 8.2: the frame's bytes are cut out of the
//! value, swapped to little endian by Bits Allocated, and made interleaved.

use super::{Frame, ImageInfo, PixelError, PixelErrorKind};
use crate::parse::{Element, ParsedFile};
use dicom_core::VR;

/// The stored size of one frame in bits: Rows x Columns x Samples x Bits Allocated, except
/// YBR_FULL_422 whose two chroma samples are shared by two pixels (PS3.3 C.7.6.3.1.2).
pub(crate) fn frame_bits(info: &ImageInfo) -> u64 {
    let pixels = u64::from(info.rows) * u64::from(info.columns);
    let samples = if info.photometric == "YBR_FULL_422" && info.samples_per_pixel == 3 {
        pixels * 2
    } else {
        pixels * u64::from(info.samples_per_pixel)
    };
    samples * u64::from(info.bits_allocated)
}

pub(crate) fn frame(
    parsed: &ParsedFile,
    element: &Element,
    info: &ImageInfo,
    index: u32,
) -> Result<Frame, PixelError> {
    let value = parsed.value_bytes(element);
    let bits = frame_bits(info);
    let start_bit = bits * u64::from(index);
    let end_bit = start_bit + bits;
    let available = value.len() as u64 * 8;
    if end_bit > available {
        return Err(PixelError::new(PixelErrorKind::Truncated, format!(
            "the Pixel Data is too short: frame {index} needs bytes {} to {} but there are only {} ({}x{}, {} samples of {} bits, {} frames)",
            start_bit / 8,
            end_bit.div_ceil(8),
            value.len(),
            info.columns,
            info.rows,
            info.samples_per_pixel,
            info.bits_allocated,
            info.frames
        )));
    }
    let big = parsed.syntax.is_big_endian();
    let data = if info.bits_allocated == 1 {
        one_bit_frame(value, start_bit, bits, big && element.vr == VR::OW)
    } else {
        // In range: checked above; whole bytes because Bits Allocated is a multiple of 8.
        let bytes = value
            .get((start_bit / 8) as usize..(end_bit / 8) as usize)
            .ok_or_else(|| {
                PixelError::new(PixelErrorKind::Truncated, "the Pixel Data is too short")
            })?;
        let (start, end) = ((start_bit / 8) as usize, (end_bit / 8) as usize);
        let mut data = if big && element.vr == VR::OW && info.bits_allocated == 8 {
            // Explicit VR Big Endian OW holds 16-bit words: 8-bit samples come in swapped
            // pairs, counted from the start of the value (a frame may start mid-word).
            (start..end)
                .map(|i| value.get(i ^ 1).copied().unwrap_or(0))
                .collect()
        } else {
            bytes.to_vec()
        };
        // Explicit VR Big Endian: each sample is big endian in its Bits Allocated (PS3.5 7.3);
        // OB (8-bit) values have nothing to swap.
        if big && element.vr != VR::OB {
            swap(&mut data, usize::from(info.bits_allocated / 8));
        }
        if info.planar_configuration == 1
            && info.samples_per_pixel > 1
            && info.photometric != "YBR_FULL_422"
        {
            data = interleave(
                &data,
                usize::from(info.samples_per_pixel),
                usize::from(info.bits_allocated / 8),
            );
        }
        data
    };
    Ok(Frame {
        index,
        width: info.columns,
        height: info.rows,
        samples: info.samples_per_pixel,
        bits_allocated: info.bits_allocated,
        signed: info.signed,
        photometric: info.photometric.clone(),
        data,
    })
}

/// Reverses the byte order of every `width`-byte sample.
pub(crate) fn swap(data: &mut [u8], width: usize) {
    if width > 1 {
        for chunk in data.chunks_exact_mut(width) {
            chunk.reverse();
        }
    }
}

/// Planar configuration 1 (RRR..GGG..BBB..) to 0 (RGBRGB..), PS3.3 C.7.6.3.1.3.
pub(crate) fn interleave(data: &[u8], samples: usize, bytes: usize) -> Vec<u8> {
    let plane = data.len() / samples;
    let pixels = plane / bytes;
    let mut out = Vec::with_capacity(data.len());
    for p in 0..pixels {
        for s in 0..samples {
            let at = s * plane + p * bytes;
            out.extend_from_slice(data.get(at..at + bytes).unwrap_or(&[]));
        }
    }
    out
}

/// The frame's bits, realigned to start at bit 0 of byte 0 (bits fill bytes from the least
/// significant bit, PS3.5 8.1.1). Big endian OW data is first read as 16-bit words.
fn one_bit_frame(value: &[u8], start_bit: u64, bits: u64, swap_words: bool) -> Vec<u8> {
    let byte_at = |i: usize| -> u8 {
        let i = if swap_words { i ^ 1 } else { i };
        value.get(i).copied().unwrap_or(0)
    };
    let mut out = vec![0u8; bits.div_ceil(8) as usize];
    for (i, slot) in out.iter_mut().enumerate() {
        let mut byte = 0u8;
        for b in 0..8u64 {
            let bit = i as u64 * 8 + b;
            if bit >= bits {
                break;
            }
            let src = start_bit + bit;
            if (byte_at((src / 8) as usize) >> (src % 8)) & 1 == 1 {
                byte |= 1 << b;
            }
        }
        *slot = byte;
    }
    out
}
