//! Reading binary values (OB, UN, and private elements of unknown content) as text in every
//! encoding a vendor may have used: one byte per character (ASCII, Latin-1, or the data set's
//! single-byte character set), UTF-8, and UTF-16 little and big endian at either byte
//! alignment (Windows software writes UTF-16LE). A match is masked in the bytes of the
//! encoding it was found in, keeping the value's length.
//!
//! Large values are read in windows that overlap by more than any needle and its context, so
//! memory stays proportional to the window, not to the value.

use super::fold::Folded;
use crate::value::Charset;

const WINDOW: usize = 64 * 1024;
/// Longer than a needle (at most 64 characters, 128 bytes in UTF-16) and its glued context.
const OVERLAP: usize = 512;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    SingleByte,
    Utf8,
    Utf16Le,
    Utf16Be,
}

/// One reading of one window: the folded text and its encoding (origins are absolute byte
/// offsets into the value).
pub struct View {
    pub encoding: Encoding,
    pub folded: Folded,
}

/// Calls `visit` with every reading of every window of `bytes`.
pub fn for_each_view(bytes: &[u8], charset: &Charset, mut visit: impl FnMut(View)) {
    let mut start = 0;
    loop {
        let end = (start + WINDOW + OVERLAP).min(bytes.len());
        views_of(&bytes[start..end], start, charset, &mut visit);
        if end == bytes.len() {
            break;
        }
        start += WINDOW;
    }
}

fn views_of(window: &[u8], base: usize, charset: &Charset, visit: &mut impl FnMut(View)) {
    let single: Vec<(char, usize, usize)> = match charset.decode_one_to_one(window) {
        Some(text) => text
            .chars()
            .enumerate()
            .map(|(i, c)| (c, base + i, base + i + 1))
            .collect(),
        None => window
            .iter()
            .enumerate()
            .map(|(i, &b)| (b as char, base + i, base + i + 1))
            .collect(),
    };
    visit_readings(single, Encoding::SingleByte, visit);
    if window.iter().any(|&b| b >= 0x80) {
        visit_readings(utf8_units(window, base), Encoding::Utf8, visit);
    }
    for align in 0..2 {
        for encoding in [Encoding::Utf16Le, Encoding::Utf16Be] {
            if looks_like_utf16(window, align, encoding) {
                visit_readings(utf16_units(window, base, align, encoding), encoding, visit);
            }
        }
    }
}

/// Visits a reading, and again with its edge residue taken for separators when it has some.
fn visit_readings(
    mut units: Vec<(char, usize, usize)>,
    encoding: Encoding,
    visit: &mut impl FnMut(View),
) {
    visit(View {
        encoding,
        folded: Folded::build(units.iter().copied()),
    });
    if blank_edge_residue(&mut units) {
        visit(View {
            encoding,
            folded: Folded::build(units.into_iter()),
        });
    }
}

/// Binary fields before and after a text decode as stray characters glued to it: a header
/// "07 00 01" before UTF-16LE text at an odd offset reads as "Ā" + "IN-0042-18", a length
/// byte 0xC9 before ASCII as "É" + "SMITH". A character beyond ASCII between a control (or
/// the end of the window) and an ASCII letter or digit is such residue; it is blanked so the
/// text's first or last word stands on its own. (The reading as it is is kept too: a name
/// may start with such a letter, "Łukasz".) Returns whether anything was blanked.
fn blank_edge_residue(units: &mut [(char, usize, usize)]) -> bool {
    let is_void = |c: Option<char>| c.is_none_or(|c| c.is_control());
    let is_ascii_word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let mut residue = Vec::new();
    for i in 0..units.len() {
        let c = units[i].0;
        if c.is_ascii() || c.is_control() {
            continue;
        }
        let before = i.checked_sub(1).map(|j| units[j].0);
        let after = units.get(i + 1).map(|u| u.0);
        if (is_void(before) && is_ascii_word(after)) || (is_ascii_word(before) && is_void(after)) {
            residue.push(i);
        }
    }
    for &i in &residue {
        units[i].0 = '\0';
    }
    !residue.is_empty()
}

fn utf8_units(window: &[u8], base: usize) -> Vec<(char, usize, usize)> {
    let mut units = Vec::new();
    let mut at = base;
    for chunk in window.utf8_chunks() {
        for (i, c) in chunk.valid().char_indices() {
            units.push((c, at + i, at + i + c.len_utf8()));
        }
        at += chunk.valid().len();
        for _ in chunk.invalid() {
            units.push(('\0', at, at + 1));
            at += 1;
        }
    }
    units
}

/// Text in UTF-16 has, for Latin script, one zero byte in most code units: at least a
/// quarter of the units must look so (and 3 of them) before the reading is tried. CJK text
/// has no zero bytes: its units are ideographs, kana and Hangul, which make up 60% of all
/// 16-bit values, so most units (three quarters, and 2 ideographs at least) must be CJK or
/// ASCII before random binary data is taken for such text.
fn looks_like_utf16(window: &[u8], align: usize, encoding: Encoding) -> bool {
    let units = window.get(align..).unwrap_or_default().chunks_exact(2);
    let total = units.len();
    let (mut latin, mut cjk) = (0, 0);
    for u in units {
        let unit = match encoding {
            Encoding::Utf16Le => u16::from_le_bytes([u[0], u[1]]),
            _ => u16::from_be_bytes([u[0], u[1]]),
        };
        match unit {
            0x30..=0x39 | 0x41..=0x5A | 0x61..=0x7A => latin += 1,
            0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF => cjk += 1,
            _ => {}
        }
    }
    let bom = match encoding {
        Encoding::Utf16Le => [0xFF, 0xFE],
        _ => [0xFE, 0xFF],
    };
    let short = total <= SHORT_VALUE_UNITS && cjk * 2 >= total;
    window.get(align..).is_some_and(|w| w.starts_with(&bom))
        || (latin >= 3 && latin * 4 >= total)
        || (cjk >= 2 && ((cjk + latin) * 4 >= total * 3 || short))
}

/// A short value (a name, a label after a small binary header) is read as CJK UTF-16 when
/// half of its units are CJK: reading it costs little.
const SHORT_VALUE_UNITS: usize = 64;

fn utf16_units(
    window: &[u8],
    base: usize,
    align: usize,
    encoding: Encoding,
) -> Vec<(char, usize, usize)> {
    let words = window
        .get(align..)
        .unwrap_or_default()
        .chunks_exact(2)
        .map(|u| {
            if encoding == Encoding::Utf16Le {
                u16::from_le_bytes([u[0], u[1]])
            } else {
                u16::from_be_bytes([u[0], u[1]])
            }
        });
    let mut units = Vec::new();
    let mut at = base + align;
    for decoded in char::decode_utf16(words) {
        let (c, len) = match decoded {
            Ok(c) => (c, c.len_utf16() * 2),
            Err(_) => ('\0', 2),
        };
        units.push((c, at, at + len));
        at += len;
    }
    units
}

/// Masks bytes [start, end) of `bytes` as found in `encoding`: an `X` per character, in that
/// encoding, so the value keeps its length and its other bytes.
pub fn mask_range(bytes: &mut [u8], start: usize, end: usize, encoding: Encoding) {
    let end = end.min(bytes.len());
    match encoding {
        Encoding::SingleByte | Encoding::Utf8 => {
            for b in &mut bytes[start..end] {
                *b = b'X';
            }
        }
        Encoding::Utf16Le | Encoding::Utf16Be => {
            for unit in bytes[start..end].chunks_exact_mut(2) {
                let x = if encoding == Encoding::Utf16Le {
                    [b'X', 0]
                } else {
                    [0, b'X']
                };
                unit.copy_from_slice(&x);
            }
        }
    }
}
