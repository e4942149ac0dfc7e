//! 12-bit lossy JPEG (extended sequential process 4, PS3.5 A.4.1; ISO/IEC 10918-1 Annex F).
//! `jpeg-decoder` reads only 8-bit DCT data, and no pure-Rust decoder reads 12-bit, so this is a
//! small sequential Huffman decoder for it: one component, or several without subsampling
//! (what DICOM files with 12-bit JPEG hold in practice). Arithmetic coding is refused.

use super::{be16, decoded_size, Frame, ImageInfo, PixelError, PixelErrorKind};

/// Zig-zag order: the natural (row-major) index of the k-th coefficient (ISO/IEC 10918-1 A.3.6).
const ZIGZAG: [usize; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
    13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59,
    52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

#[derive(Clone, Default)]
struct Huffman {
    /// (code length, code) -> symbol, by the canonical construction of Annex C.
    maxcode: [i32; 17],
    valptr: [i32; 17],
    mincode: [i32; 17],
    values: Vec<u8>,
}

impl Huffman {
    fn new(counts: &[u8], values: &[u8]) -> Huffman {
        let mut h = Huffman {
            maxcode: [-1; 17],
            values: values.to_vec(),
            ..Huffman::default()
        };
        let mut code = 0i32;
        let mut k = 0i32;
        for len in 1..=16 {
            let n = i32::from(counts[len - 1]);
            if n > 0 {
                h.valptr[len] = k;
                h.mincode[len] = code;
                code += n;
                k += n;
                h.maxcode[len] = code - 1;
            }
            code <<= 1;
        }
        h
    }
}

struct Component {
    id: u8,
    h: u8,
    v: u8,
    tq: usize,
    td: usize,
    ta: usize,
    pred: i32,
}

struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    acc: u32,
    count: u32,
}

impl Bits<'_> {
    fn bit(&mut self) -> Option<u32> {
        if self.count == 0 {
            let byte = *self.data.get(self.pos)?;
            if byte == 0xFF {
                // A stuffed zero follows data 0xFF; anything else is a marker: no more data.
                if self.data.get(self.pos + 1) != Some(&0) {
                    return None;
                }
                self.pos += 2;
            } else {
                self.pos += 1;
            }
            self.acc = u32::from(byte);
            self.count = 8;
        }
        self.count -= 1;
        Some((self.acc >> self.count) & 1)
    }

    fn bits(&mut self, n: u32) -> Option<i32> {
        let mut v = 0i32;
        for _ in 0..n {
            v = (v << 1) | self.bit()? as i32;
        }
        Some(v)
    }

    fn decode(&mut self, h: &Huffman) -> Option<u8> {
        let mut code = 0i32;
        for len in 1..=16 {
            code = (code << 1) | self.bit()? as i32;
            if code <= h.maxcode[len] {
                let at = h.valptr[len] + code - h.mincode[len];
                return h.values.get(at as usize).copied();
            }
        }
        None
    }

    /// Skips to after the next RSTn marker (restart interval, F.1.2.3).
    fn restart(&mut self) -> bool {
        self.count = 0;
        while self.pos + 1 < self.data.len() {
            if self.data[self.pos] == 0xFF && (0xD0..=0xD7).contains(&self.data[self.pos + 1]) {
                self.pos += 2;
                return true;
            }
            self.pos += 1;
        }
        false
    }
}

fn extend(v: i32, s: u32) -> i32 {
    if s == 0 {
        0
    } else if v < (1 << (s - 1)) {
        v - (1 << s) + 1
    } else {
        v
    }
}

pub(crate) fn frame(bytes: &[u8], info: &ImageInfo, index: u32) -> Result<Frame, PixelError> {
    let damaged = |what: &str| {
        PixelError::new(
            PixelErrorKind::Damaged,
            format!("JPEG data of frame {index} is damaged: {what}"),
        )
    };
    if bytes.get(..2) != Some(&[0xFF, 0xD8][..]) {
        return Err(damaged("no start of image (FFD8)"));
    }
    let mut quant = [[0i32; 64]; 4];
    let mut dc: [Huffman; 4] = Default::default();
    let mut ac: [Huffman; 4] = Default::default();
    let mut comps: Vec<Component> = Vec::new();
    let (mut width, mut height, mut precision) = (0usize, 0usize, 8u32);
    let mut restart_interval = 0usize;
    let mut pos = 2;
    loop {
        // Markers may be preceded by fill bytes 0xFF.
        while bytes.get(pos) == Some(&0xFF) && bytes.get(pos + 1) == Some(&0xFF) {
            pos += 1;
        }
        if bytes.get(pos) != Some(&0xFF) {
            return Err(damaged("a marker was expected"));
        }
        let marker = *bytes
            .get(pos + 1)
            .ok_or_else(|| damaged("ends before the scan"))?;
        let length = be16(bytes, pos + 2).ok_or_else(|| damaged("a segment is cut short"))?;
        let seg = bytes
            .get(pos + 4..pos + 2 + length)
            .filter(|_| length >= 2)
            .ok_or_else(|| damaged("a segment is cut short"))?;
        match marker {
            0xDB => {
                let mut i = 0;
                while i < seg.len() {
                    let (pq, tq) = (seg[i] >> 4, usize::from(seg[i] & 3));
                    i += 1;
                    for (k, q) in quant[tq].iter_mut().enumerate() {
                        *q = if pq == 1 {
                            let v = be16(seg, i + 2 * k).ok_or_else(|| damaged("DQT"))?;
                            v as i32
                        } else {
                            i32::from(*seg.get(i + k).ok_or_else(|| damaged("DQT"))?)
                        };
                    }
                    i += if pq == 1 { 128 } else { 64 };
                }
            }
            0xC4 => {
                let mut i = 0;
                while i < seg.len() {
                    let (tc, th) = (seg[i] >> 4, usize::from(seg[i] & 3));
                    let counts = seg.get(i + 1..i + 17).ok_or_else(|| damaged("DHT"))?;
                    let total: usize = counts.iter().map(|c| usize::from(*c)).sum();
                    let values = seg
                        .get(i + 17..i + 17 + total)
                        .ok_or_else(|| damaged("DHT"))?;
                    let table = Huffman::new(counts, values);
                    if tc == 0 {
                        dc[th] = table;
                    } else {
                        ac[th] = table;
                    }
                    i += 17 + total;
                }
            }
            0xC0 | 0xC1 => {
                precision = u32::from(*seg.first().ok_or_else(|| damaged("SOF"))?);
                height = be16(seg, 1).ok_or_else(|| damaged("SOF"))?;
                width = be16(seg, 3).ok_or_else(|| damaged("SOF"))?;
                let n = usize::from(*seg.get(5).ok_or_else(|| damaged("SOF"))?);
                for c in 0..n {
                    let at = 6 + 3 * c;
                    let part = seg.get(at..at + 3).ok_or_else(|| damaged("SOF"))?;
                    comps.push(Component {
                        id: part[0],
                        h: part[1] >> 4,
                        v: part[1] & 15,
                        tq: usize::from(part[2] & 3),
                        td: 0,
                        ta: 0,
                        pred: 0,
                    });
                }
            }
            0xC2 | 0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                return Err(damaged(&format!(
                    "JPEG process with marker FF{marker:02X} is not a sequential Huffman one"
                )))
            }
            0xDD => restart_interval = be16(seg, 0).ok_or_else(|| damaged("DRI"))?,
            0xDA => {
                let n = usize::from(*seg.first().ok_or_else(|| damaged("SOS"))?);
                if n != comps.len() {
                    return Err(damaged("scans of some components only are not supported"));
                }
                for c in 0..n {
                    let part = seg
                        .get(1 + 2 * c..3 + 2 * c)
                        .ok_or_else(|| damaged("SOS"))?;
                    let comp = comps
                        .iter_mut()
                        .find(|k| k.id == part[0])
                        .ok_or_else(|| damaged("SOS names an unknown component"))?;
                    comp.td = usize::from(part[1] >> 4 & 3);
                    comp.ta = usize::from(part[1] & 3);
                }
                pos += 2 + length;
                break;
            }
            0xD9 => return Err(damaged("no scan before the end of image")),
            _ => {}
        }
        pos += 2 + length;
    }
    if comps.is_empty() || width == 0 || height == 0 {
        return Err(damaged("no frame header (SOF)"));
    }
    // Sequential DCT JPEG has 8 or 12-bit samples only (ISO/IEC 10918-1 B.2.2).
    if precision != 8 && precision != 12 {
        return Err(damaged(&format!("sample precision {precision}")));
    }
    if comps.len() > 1 && comps.iter().any(|c| c.h != 1 || c.v != 1) {
        return Err(damaged("subsampled colour in 12-bit JPEG is not supported"));
    }
    let probe = ImageInfo {
        rows: height as u32,
        columns: width as u32,
        samples_per_pixel: comps.len() as u16,
        ..info.clone()
    };
    let bytes_per_sample = if precision > 8 { 2 } else { 1 };
    let size = decoded_size(&probe, bytes_per_sample as u64)?;
    let ncomp = comps.len();
    let mut data = vec![0u8; size];
    let (bw, bh) = (width.div_ceil(8), height.div_ceil(8));
    let cos = idct_table();
    let mut bits = Bits {
        data: bytes.get(pos..).unwrap_or_default(),
        pos: 0,
        acc: 0,
        count: 0,
    };
    let max = (1i32 << precision) - 1;
    let shift = 1i32 << (precision - 1);
    let mut mcu = 0usize;
    for by in 0..bh {
        for bx in 0..bw {
            if restart_interval > 0 && mcu > 0 && mcu.is_multiple_of(restart_interval) {
                if !bits.restart() {
                    return Err(damaged("a restart marker is missing"));
                }
                for c in comps.iter_mut() {
                    c.pred = 0;
                }
            }
            mcu += 1;
            for (ci, comp) in comps.iter_mut().enumerate() {
                let mut coef = [0f32; 64];
                let s = bits
                    .decode(&dc[comp.td])
                    .ok_or_else(|| damaged("the scan ends early or has a bad code"))?;
                let diff = extend(
                    bits.bits(u32::from(s))
                        .ok_or_else(|| damaged("the scan ends early"))?,
                    u32::from(s),
                );
                comp.pred += diff;
                coef[0] = (comp.pred * quant[comp.tq][0]) as f32;
                let mut k = 1;
                while k < 64 {
                    let rs = bits
                        .decode(&ac[comp.ta])
                        .ok_or_else(|| damaged("the scan ends early or has a bad code"))?;
                    let (r, s) = (usize::from(rs >> 4), u32::from(rs & 15));
                    if s == 0 {
                        if r != 15 {
                            break;
                        }
                        k += 16;
                        continue;
                    }
                    k += r;
                    let v = extend(
                        bits.bits(s).ok_or_else(|| damaged("the scan ends early"))?,
                        s,
                    );
                    if k < 64 {
                        coef[ZIGZAG[k]] = (v * quant[comp.tq][k]) as f32;
                    }
                    k += 1;
                }
                let block = idct(&coef, &cos);
                for y in 0..8 {
                    for x in 0..8 {
                        let (px, py) = (bx * 8 + x, by * 8 + y);
                        if px < width && py < height {
                            let v = (block[y * 8 + x].round() as i32 + shift).clamp(0, max);
                            let at = ((py * width + px) * ncomp + ci) * bytes_per_sample;
                            if let Some(slot) = data.get_mut(at..at + bytes_per_sample) {
                                slot.copy_from_slice(&(v as u16).to_le_bytes()[..bytes_per_sample]);
                            }
                        }
                    }
                }
            }
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

/// cos((2x+1)uπ/16) * C(u) / 2, for the separable inverse DCT (A.3.3).
fn idct_table() -> [[f32; 8]; 8] {
    let mut t = [[0f32; 8]; 8];
    for (x, row) in t.iter_mut().enumerate() {
        for (u, v) in row.iter_mut().enumerate() {
            let c = if u == 0 {
                std::f32::consts::FRAC_1_SQRT_2
            } else {
                1.0
            };
            *v = c / 2.0 * ((2 * x + 1) as f32 * u as f32 * std::f32::consts::PI / 16.0).cos();
        }
    }
    t
}

fn idct(coef: &[f32; 64], t: &[[f32; 8]; 8]) -> [f32; 64] {
    let mut tmp = [0f32; 64];
    for v in 0..8 {
        for x in 0..8 {
            tmp[v * 8 + x] = (0..8).map(|u| t[x][u] * coef[v * 8 + u]).sum();
        }
    }
    let mut out = [0f32; 64];
    for y in 0..8 {
        for x in 0..8 {
            out[y * 8 + x] = (0..8).map(|v| t[y][v] * tmp[v * 8 + x]).sum();
        }
    }
    out
}
