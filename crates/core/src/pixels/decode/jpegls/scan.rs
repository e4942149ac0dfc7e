//! One JPEG-LS scan: parameters, context modelling, Golomb codes and run mode (T.87 Annex A).

/// Golomb parameter steps of run lengths (T.87 A.7.1.1, table J).
const J: [u32; 32] = [
    0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 13,
    14, 15,
];

pub(super) struct Params {
    pub(super) maxval: i32,
    pub(super) near: i32,
    pub(super) range: i32,
    pub(super) qbpp: u32,
    pub(super) limit: u32,
    pub(super) t1: i32,
    pub(super) t2: i32,
    pub(super) t3: i32,
    pub(super) reset: i32,
}

/// Bits needed for values 0..n-1, at least 1.
fn ceil_log2(n: i32) -> u32 {
    let mut bits = 0;
    while (1i64 << bits) < i64::from(n) {
        bits += 1;
    }
    bits
}

impl Params {
    /// T.87 C.2.4.1.1: default thresholds from MAXVAL and NEAR, unless LSE gave them.
    pub(super) fn new(bits: u32, near: i32, preset: [i32; 5]) -> Params {
        let maxval = if preset[0] > 0 {
            preset[0]
        } else {
            (1 << bits) - 1
        };
        let range = (maxval + 2 * near) / (2 * near + 1) + 1;
        let bpp = ceil_log2(maxval + 1).max(2);
        let clamp = |i: i32, j: i32| if i > maxval || i < j { j } else { i };
        // BASIC_T1..3 = 3, 7, 21 (T.87 C.2.4.1.1.1), written out as the standard's formula.
        #[allow(clippy::identity_op)]
        let (t1, t2, t3) = if maxval >= 128 {
            let factor = (maxval.min(4095) + 128) / 256;
            let t1 = clamp(factor * (3 - 2) + 2 + 3 * near, near + 1);
            let t2 = clamp(factor * (7 - 3) + 3 + 5 * near, t1);
            (t1, t2, clamp(factor * (21 - 4) + 4 + 7 * near, t2))
        } else {
            let factor = 256 / (maxval + 1);
            let t1 = clamp((3 / factor).max(2) + 3 * near, near + 1);
            let t2 = clamp((7 / factor).max(3) + 5 * near, t1);
            (t1, t2, clamp((21 / factor).max(4) + 7 * near, t2))
        };
        let pick = |given: i32, default: i32| if given > 0 { given } else { default };
        Params {
            maxval,
            near,
            range,
            qbpp: ceil_log2(range),
            limit: 2 * (bpp + bpp.max(8)),
            t1: pick(preset[1], t1),
            t2: pick(preset[2], t2),
            t3: pick(preset[3], t3),
            reset: pick(preset[4], 64),
        }
    }

    fn quantize(&self, d: i32) -> i32 {
        match d {
            d if d <= -self.t3 => -4,
            d if d <= -self.t2 => -3,
            d if d <= -self.t1 => -2,
            d if d < -self.near => -1,
            d if d <= self.near => 0,
            d if d < self.t1 => 1,
            d if d < self.t2 => 2,
            d if d < self.t3 => 3,
            _ => 4,
        }
    }

    fn clamp(&self, v: i32) -> i32 {
        v.clamp(0, self.maxval)
    }

    /// Px + Errval * (2 NEAR + 1), taken back into range modulo RANGE (T.87 A.4.5).
    fn reconstruct(&self, px: i32, errval: i32) -> i32 {
        let step = 2 * self.near + 1;
        let mut v = px + errval * step;
        if v < -self.near {
            v += self.range * step;
        } else if v > self.maxval + self.near {
            v -= self.range * step;
        }
        self.clamp(v)
    }
}

#[derive(Clone, Copy)]
pub(super) struct Context {
    pub(super) a: i32,
    pub(super) b: i32,
    pub(super) c: i32,
    pub(super) n: i32,
}

pub(super) struct RunContext {
    pub(super) a: i32,
    pub(super) n: i32,
    pub(super) nn: i32,
    pub(super) ritype: i32,
}

pub(super) struct Bits<'a> {
    pub(super) data: &'a [u8],
    pub(super) pos: usize,
    pub(super) acc: u32,
    pub(super) count: u32,
}

impl Bits<'_> {
    /// One bit; after a 0xFF byte the next byte's top bit is a stuffed 0 (T.87 A.1).
    fn bit(&mut self) -> Option<u32> {
        if self.count == 0 {
            let byte = *self.data.get(self.pos)?;
            let after_ff = self.pos > 0 && self.data.get(self.pos - 1) == Some(&0xFF);
            if after_ff && byte & 0x80 != 0 {
                return None; // a marker: the scan's data ended
            }
            self.pos += 1;
            self.acc = u32::from(byte);
            self.count = if after_ff { 7 } else { 8 };
        }
        self.count -= 1;
        Some((self.acc >> self.count) & 1)
    }

    fn value(&mut self, n: u32) -> Option<i32> {
        let mut v = 0i32;
        for _ in 0..n {
            v = (v << 1) | self.bit()? as i32;
        }
        Some(v)
    }

    /// A limited-length Golomb code (T.87 A.5.3).
    fn golomb(&mut self, k: u32, limit: u32, qbpp: u32) -> Option<i32> {
        let mut high = 0u32;
        while self.bit()? == 0 {
            high += 1;
            if high > limit {
                return None;
            }
        }
        if high >= limit.saturating_sub(qbpp + 1) {
            return Some(self.value(qbpp)? + 1);
        }
        Some(((high as i32) << k) + self.value(k)?)
    }

    /// Byte position after this scan's data, at the next marker.
    pub(super) fn end(&self) -> usize {
        let mut pos = self.pos;
        while pos + 1 < self.data.len()
            && !(self.data[pos] == 0xFF && self.data[pos + 1] & 0x80 != 0)
        {
            pos += 1;
        }
        pos
    }
}

pub(super) struct Scan<'p> {
    pub(super) p: &'p Params,
    pub(super) contexts: Vec<Context>,
    pub(super) run: [RunContext; 2],
    pub(super) run_index: Vec<usize>,
}

impl Scan<'_> {
    fn regular(&mut self, bits: &mut Bits, qs: i32, predicted: i32) -> Option<i32> {
        let p = self.p;
        let sign = if qs < 0 { -1 } else { 1 };
        let ctx = self.contexts.get_mut((qs * sign) as usize)?;
        let mut k = 0;
        while (ctx.n << k) < ctx.a && k < 31 {
            k += 1;
        }
        let px = p.clamp(predicted + sign * ctx.c);
        let mapped = bits.golomb(k, p.limit, p.qbpp)?;
        // A mapped error beyond twice the range only comes from damaged data.
        if mapped > 2 * p.range + 2 {
            return None;
        }
        let mut errval = if mapped & 1 == 0 {
            mapped >> 1
        } else {
            -((mapped + 1) >> 1)
        };
        if p.near == 0 && k == 0 && 2 * ctx.b + ctx.n - 1 < 0 {
            errval = -errval - 1;
        }
        // Context update and bias correction (T.87 A.6).
        ctx.b += errval * (2 * p.near + 1);
        ctx.a += errval.abs();
        if ctx.n == p.reset {
            ctx.a >>= 1;
            ctx.b >>= 1;
            ctx.n >>= 1;
        }
        ctx.n += 1;
        if ctx.b + ctx.n <= 0 {
            ctx.b += ctx.n;
            if ctx.b <= -ctx.n {
                ctx.b = -ctx.n + 1;
            }
            if ctx.c > -128 {
                ctx.c -= 1;
            }
        } else if ctx.b > 0 {
            ctx.b -= ctx.n;
            if ctx.b > 0 {
                ctx.b = 0;
            }
            if ctx.c < 127 {
                ctx.c += 1;
            }
        }
        Some(p.reconstruct(px, errval * sign))
    }

    /// Run length in samples, up to `left` (T.87 A.7.1.2).
    fn run_length(&mut self, bits: &mut Bits, c: usize, left: usize) -> Option<usize> {
        let mut index = 0usize;
        while bits.bit()? == 1 {
            let step = 1usize << J[self.run_index[c]];
            let count = step.min(left - index);
            index += count;
            if count == step {
                self.run_index[c] = (self.run_index[c] + 1).min(31);
            }
            if index == left {
                return Some(index);
            }
        }
        let j = J[self.run_index[c]];
        if j > 0 {
            index += bits.value(j)? as usize;
        }
        (index <= left).then_some(index)
    }

    /// The sample that ends a run (T.87 A.7.2).
    fn interruption_error(&mut self, bits: &mut Bits, which: usize, c: usize) -> Option<i32> {
        let limit = self.p.limit - J[self.run_index[c]] - 1;
        let (qbpp, reset, range) = (self.p.qbpp, self.p.reset, self.p.range);
        let ctx = &mut self.run[which];
        let temp = ctx.a + (ctx.n >> 1) * ctx.ritype;
        let (mut k, mut n) = (0u32, ctx.n);
        while n < temp && k < 31 {
            n <<= 1;
            k += 1;
        }
        let em = bits.golomb(k, limit, qbpp)?;
        if em > 2 * range + 2 {
            return None;
        }
        let t = em + ctx.ritype;
        let map = t & 1;
        let abs = (t + map) / 2;
        let negative = (k != 0 || 2 * ctx.nn >= ctx.n) == (map == 1);
        let errval = if negative { -abs } else { abs };
        if errval < 0 {
            ctx.nn += 1;
        }
        ctx.a += (em + 1 - ctx.ritype) >> 1;
        if ctx.n == reset {
            ctx.a >>= 1;
            ctx.n >>= 1;
            ctx.nn >>= 1;
        }
        ctx.n += 1;
        Some(errval)
    }
}

fn sign(v: i32) -> i32 {
    if v < 0 {
        -1
    } else {
        1
    }
}

/// Decodes one line of `lines.len()` components together (sample interleaved) or one
/// component (`lines.len() == 1`). Lines hold width + 2 samples: index 0 is x = -1.
pub(super) fn decode_line(
    scan: &mut Scan,
    bits: &mut Bits,
    prev: &[Vec<i32>],
    cur: &mut [Vec<i32>],
    width: usize,
    run_slot: usize,
) -> Option<()> {
    let comps = cur.len();
    let mut x = 0usize;
    let mut qs = [0i32; 4];
    while x < width {
        let mut all_zero = true;
        for c in 0..comps {
            let (ra, rc, rb, rd) = (cur[c][x], prev[c][x], prev[c][x + 1], prev[c][x + 2]);
            let p = scan.p;
            qs[c] = (p.quantize(rd - rb) * 9 + p.quantize(rb - rc)) * 9 + p.quantize(rc - ra);
            all_zero &= qs[c] == 0;
        }
        if !all_zero {
            for c in 0..comps {
                let (ra, rc, rb) = (cur[c][x], prev[c][x], prev[c][x + 1]);
                // Median edge detector (T.87 A.4.1).
                let predicted = if rc >= ra.max(rb) {
                    ra.min(rb)
                } else if rc <= ra.min(rb) {
                    ra.max(rb)
                } else {
                    ra + rb - rc
                };
                cur[c][x + 1] = scan.regular(bits, qs[c], predicted)?;
            }
            x += 1;
            continue;
        }
        // Run mode: samples equal (within NEAR) to the one on the left.
        let run = scan.run_length(bits, run_slot, width - x)?;
        for line in cur.iter_mut() {
            let ra = line[x];
            for v in &mut line[x + 1..x + 1 + run] {
                *v = ra;
            }
        }
        x += run;
        if x == width {
            break;
        }
        for c in 0..comps {
            let (ra, rb) = (cur[c][x], prev[c][x + 1]);
            cur[c][x + 1] = if comps == 1 && (ra - rb).abs() <= scan.p.near {
                let e = scan.interruption_error(bits, 1, run_slot)?;
                scan.p.reconstruct(ra, e)
            } else {
                let e = scan.interruption_error(bits, 0, run_slot)?;
                scan.p.reconstruct(rb, e * sign(rb - ra))
            };
        }
        scan.run_index[run_slot] = scan.run_index[run_slot].saturating_sub(1);
        x += 1;
    }
    Some(())
}
