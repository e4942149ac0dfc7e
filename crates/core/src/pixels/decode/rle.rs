//! RLE Lossless (PS3.5 Annex G). Written here rather than through dicom-rs's RLE adapter: the
//! format is a 64-byte header and PackBits segments (a few dozen lines), while the adapter
//! would need the whole file wrapped as a `PixelDataObject` and decodes every frame at once.

use super::{decoded_size, Frame, ImageInfo, PixelError, PixelErrorKind};

pub(crate) fn frame(bytes: &[u8], info: &ImageInfo, index: u32) -> Result<Frame, PixelError> {
    let damaged = |what: String| {
        PixelError::new(
            PixelErrorKind::Damaged,
            format!("RLE data of frame {index} is damaged: {what}"),
        )
    };
    let bytes_per_sample = usize::from(info.bits_allocated / 8);
    let samples = usize::from(info.samples_per_pixel);
    let size = decoded_size(info, bytes_per_sample as u64)?;
    let pixels = info.rows as usize * info.columns as usize;
    let header = bytes.get(..64).ok_or_else(|| {
        damaged(format!(
            "{} bytes, shorter than the 64-byte header",
            bytes.len()
        ))
    })?;
    let word = |i: usize| {
        u32::from_le_bytes([
            header[i * 4],
            header[i * 4 + 1],
            header[i * 4 + 2],
            header[i * 4 + 3],
        ]) as usize
    };
    let count = word(0);
    // One segment per byte of every sample, most significant byte first (PS3.5 G.2).
    let expected = samples * bytes_per_sample;
    if count != expected || count > 15 {
        return Err(damaged(format!(
            "{count} segments where {samples} samples of {} bits need {expected}",
            info.bits_allocated
        )));
    }
    let offsets: Vec<usize> = (1..=count).map(word).collect();
    let mut data = vec![0u8; size];
    for (s, &start) in offsets.iter().enumerate() {
        let end = offsets.get(s + 1).copied().unwrap_or(bytes.len());
        let segment = bytes
            .get(start..end.min(bytes.len()))
            .filter(|_| start >= 64 && start <= end)
            .ok_or_else(|| damaged(format!("segment {s} has a bad offset {start}")))?;
        let sample = s / bytes_per_sample;
        // Segment 0 of a sample is its most significant byte; little endian puts it last.
        let byte = bytes_per_sample - 1 - s % bytes_per_sample;
        let stride = samples * bytes_per_sample;
        let first = sample * bytes_per_sample + byte;
        let written = unpack(segment, pixels, |i, v| {
            if let Some(slot) = data.get_mut(first + i * stride) {
                *slot = v;
            }
        });
        if written < pixels {
            return Err(damaged(format!(
                "segment {s} holds {written} of {pixels} bytes"
            )));
        }
    }
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

/// PackBits (PS3.5 G.3.1): a header byte n, then n+1 literal bytes (0..=127) or one byte
/// repeated 1-n times (-127..=-1); -128 is skipped. Stops after `limit` bytes; returns how many
/// were produced.
fn unpack(segment: &[u8], limit: usize, mut put: impl FnMut(usize, u8)) -> usize {
    let mut out = 0usize;
    let mut pos = 0usize;
    while out < limit {
        let Some(&n) = segment.get(pos) else { break };
        pos += 1;
        let n = n as i8;
        if n >= 0 {
            let count = n as usize + 1;
            let Some(run) = segment.get(pos..pos + count) else {
                break;
            };
            for &v in run.iter().take(limit - out) {
                put(out, v);
                out += 1;
            }
            pos += count;
        } else if n != -128 {
            let count = 1 - n as isize;
            let Some(&v) = segment.get(pos) else { break };
            pos += 1;
            for _ in 0..(count as usize).min(limit - out) {
                put(out, v);
                out += 1;
            }
        }
    }
    out
}

/// PackBits-encodes one segment (used by the tests to build RLE frames).
#[cfg(test)]
pub(crate) fn pack(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let mut run = 1;
        while i + run < bytes.len() && bytes[i + run] == bytes[i] && run < 128 {
            run += 1;
        }
        if run >= 2 {
            out.push((1i16 - run as i16) as i8 as u8);
            out.push(bytes[i]);
            i += run;
        } else {
            let start = i;
            while i < bytes.len()
                && i - start < 128
                && (i + 1 >= bytes.len() || bytes[i + 1] != bytes[i])
            {
                i += 1;
            }
            if i == start {
                i += 1;
            }
            out.push((i - start - 1) as u8);
            out.extend_from_slice(&bytes[start..i]);
        }
    }
    out
}
