//! JPEG-LS (PS3.5 A.4.3; ITU-T T.87), lossless and near-lossless, written here because no
//! pure-Rust JPEG-LS decoder exists (CharLS is C++ and does not build for the browser).
//! Covers what DICOM uses: one or more components, interleave modes none, line and sample
//! (sample: 3 components), default or LSE-given thresholds; no restart markers, no colour
//! transforms (PS3.5 A.4.3 forbids them).

use super::{be16, decoded_size, Frame, ImageInfo, PixelError, PixelErrorKind};

mod scan;

use scan::{decode_line, Bits, Context, Params, RunContext, Scan};

pub(crate) fn frame(bytes: &[u8], info: &ImageInfo, index: u32) -> Result<Frame, PixelError> {
    let damaged = |what: &str| {
        PixelError::new(
            PixelErrorKind::Damaged,
            format!("JPEG-LS data of frame {index} is damaged: {what}"),
        )
    };
    if bytes.get(..2) != Some(&[0xFF, 0xD8][..]) {
        return Err(damaged("no start of image (FFD8)"));
    }
    let (mut width, mut height, mut precision, mut ncomp) = (0usize, 0usize, 0u32, 0usize);
    let mut ids: Vec<u8> = Vec::new();
    let mut preset = [0i32; 5];
    let mut samples: Vec<Vec<i32>> = Vec::new();
    let mut pos = 2;
    loop {
        while bytes.get(pos) == Some(&0xFF) && bytes.get(pos + 1) == Some(&0xFF) {
            pos += 1;
        }
        if bytes.get(pos) != Some(&0xFF) {
            return Err(damaged("a marker was expected"));
        }
        let marker = *bytes.get(pos + 1).ok_or_else(|| damaged("ends early"))?;
        if marker == 0xD9 {
            break;
        }
        let length = be16(bytes, pos + 2).ok_or_else(|| damaged("a segment is cut short"))?;
        let seg = bytes
            .get(pos + 4..pos + 2 + length)
            .filter(|_| length >= 2)
            .ok_or_else(|| damaged("a segment is cut short"))?;
        pos += 2 + length;
        match marker {
            0xF7 => {
                precision = u32::from(*seg.first().ok_or_else(|| damaged("SOF55"))?);
                height = be16(seg, 1).ok_or_else(|| damaged("SOF55"))?;
                width = be16(seg, 3).ok_or_else(|| damaged("SOF55"))?;
                ncomp = usize::from(*seg.get(5).ok_or_else(|| damaged("SOF55"))?);
                ids = (0..ncomp)
                    .filter_map(|c| seg.get(6 + 3 * c).copied())
                    .collect();
                if !(2..=16).contains(&precision)
                    || width == 0
                    || height == 0
                    || !(1..=4).contains(&ncomp)
                    || ids.len() != ncomp
                {
                    return Err(damaged("unusable frame header (SOF55)"));
                }
                let probe = ImageInfo {
                    rows: height as u32,
                    columns: width as u32,
                    samples_per_pixel: ncomp as u16,
                    ..info.clone()
                };
                decoded_size(&probe, 4)?;
                samples = vec![vec![0; width * height]; ncomp];
            }
            0xF8 if seg.first() == Some(&1) => {
                for (i, v) in preset.iter_mut().enumerate() {
                    *v = be16(seg, 1 + 2 * i).ok_or_else(|| damaged("LSE"))? as i32;
                }
            }
            0xF8 => return Err(damaged("mapping tables (LSE) are not supported")),
            0xDA => {
                if samples.is_empty() {
                    return Err(damaged("a scan before the frame header"));
                }
                let ns = usize::from(*seg.first().ok_or_else(|| damaged("SOS"))?);
                let comps: Vec<usize> = (0..ns)
                    .filter_map(|i| seg.get(1 + 2 * i))
                    .filter_map(|id| ids.iter().position(|x| x == id))
                    .collect();
                let near = i32::from(*seg.get(1 + 2 * ns).ok_or_else(|| damaged("SOS"))?);
                let ilv = *seg.get(2 + 2 * ns).ok_or_else(|| damaged("SOS"))?;
                if comps.len() != ns
                    || ns == 0
                    || ilv > 2
                    || (ilv == 2 && ns != 3)
                    || (ilv == 0 && ns != 1)
                {
                    return Err(damaged("unsupported scan layout"));
                }
                let params = Params::new(precision, near, preset);
                if params.near > params.maxval / 2 || params.maxval <= 0 {
                    return Err(damaged("bad NEAR or MAXVAL"));
                }
                let mut scan = Scan {
                    p: &params,
                    contexts: vec![
                        Context {
                            a: ((params.range + 32) / 64).max(2),
                            b: 0,
                            c: 0,
                            n: 1
                        };
                        365
                    ],
                    run: [0, 1].map(|ritype| RunContext {
                        a: ((params.range + 32) / 64).max(2),
                        n: 1,
                        nn: 0,
                        ritype,
                    }),
                    run_index: vec![0; ns],
                };
                let mut bits = Bits {
                    data: bytes.get(pos..).unwrap_or_default(),
                    pos: 0,
                    acc: 0,
                    count: 0,
                };
                let mut prev = vec![vec![0i32; width + 2]; ns];
                let mut cur = vec![vec![0i32; width + 2]; ns];
                for y in 0..height {
                    std::mem::swap(&mut prev, &mut cur);
                    for c in 0..ns {
                        // Edges (T.87 A.2.1): Rd past the end repeats the last sample; Ra at
                        // x = 0 is the sample above.
                        prev[c][width + 1] = prev[c][width];
                        cur[c][0] = prev[c][1];
                    }
                    let ok = if ilv == 2 {
                        decode_line(&mut scan, &mut bits, &prev, &mut cur, width, 0)
                    } else {
                        (0..ns).try_for_each(|c| {
                            decode_line(
                                &mut scan,
                                &mut bits,
                                &prev[c..c + 1],
                                &mut cur[c..c + 1],
                                width,
                                c,
                            )
                        })
                    };
                    ok.ok_or_else(|| damaged(&format!("line {y} cannot be decoded")))?;
                    for (c, &target) in comps.iter().enumerate() {
                        samples[target][y * width..(y + 1) * width]
                            .copy_from_slice(&cur[c][1..width + 1]);
                    }
                }
                pos += bits.end();
            }
            _ => {}
        }
    }
    if samples.is_empty() {
        return Err(damaged("no frame header (SOF55)"));
    }
    let bytes_per_sample = if precision > 8 { 2 } else { 1 };
    let mut data = Vec::with_capacity(width * height * ncomp * bytes_per_sample);
    for p in 0..width * height {
        for comp in &samples {
            let v = comp[p] as u16;
            data.extend_from_slice(&v.to_le_bytes()[..bytes_per_sample]);
        }
    }
    Ok(Frame {
        index,
        width: width as u32,
        height: height as u32,
        samples: ncomp as u16,
        bits_allocated: (bytes_per_sample * 8) as u16,
        signed: info.signed,
        photometric: info.photometric.clone(),
        data,
    })
}
