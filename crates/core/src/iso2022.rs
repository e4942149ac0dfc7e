//! ISO 2022 code extensions (PS3.5 6.1.2.5; PS3.3 C.12.1.1.2, Tables C.12-3 and C.12-4): a
//! Specific Character Set with several terms, e.g. `ISO 2022 IR 13\ISO 2022 IR 87` (Japanese:
//! JIS X 0201 with half-width katakana in G1, JIS X 0208 kanji after `ESC $ B`) or
//! `\ISO 2022 IR 149` (Korean after `ESC $ ) C`). Escape sequences switch the sets inside one
//! value, so a value is decoded unit by unit, each character remembering the bytes it came
//! from, and masked in place: a character of a two-byte set becomes the full-width `Ｘ` of
//! that set, any other one an `X`, so the escape structure (and the value's length) survive.

use dicom_encoding::text::{SpecificCharacterSet, TextCodec};

const ESC: u8 = 0x1B;

/// A graphic set designated into G0 (bytes 0x21-0x7E) or G1 (bytes 0xA1-0xFE).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Set {
    /// ISO-IR 6 (ASCII) and ISO-IR 14 (JIS X 0201 Roman): read as ASCII.
    Ascii,
    /// ISO-IR 13 JIS X 0201 katakana: half-width katakana.
    Katakana,
    /// ISO-IR 87 JIS X 0208 and ISO-IR 159 JIS X 0212: two bytes per character in G0.
    Jis(&'static [u8]),
    /// ISO-IR 149 KS X 1001 and ISO-IR 58 GB 2312: two bytes per character in G1.
    WideG1(&'static str),
    /// A 96-character set in G1 (ISO-IR 100, 126, 144 ...), by its DICOM term.
    Single(&'static str),
}

/// The ISO 2022 terms of a Specific Character Set and what the first one puts in G0 and G1.
#[derive(Debug, Clone)]
pub struct CodeExtensions {
    initial_g0: Set,
    initial_g1: Option<Set>,
    /// The sets other terms may designate: the first two-byte one encodes new text.
    terms: Vec<Set>,
}

/// One decoded character and the bytes [start, end) of the value it came from.
#[derive(Debug, Clone, Copy)]
pub struct Unit {
    pub c: char,
    pub start: usize,
    pub end: usize,
    set: Set,
}

/// The escape sequences of PS3.3 Table C.12-4 (multi-byte) and C.12-3 (single-byte), the
/// set each designates, and whether into G1.
const ESCAPES: &[(&[u8], Set, bool)] = &[
    (b"(B", Set::Ascii, false),
    (b"(J", Set::Ascii, false),
    (b")I", Set::Katakana, true),
    (b"(I", Set::Katakana, false),
    (b"$B", Set::Jis(b"$B"), false),
    (b"$@", Set::Jis(b"$B"), false),
    (b"$(D", Set::Jis(b"$(D"), false),
    (b"$)C", Set::WideG1("ISO_IR 149"), true),
    (b"$)A", Set::WideG1("GBK"), true),
    (b"-A", Set::Single("ISO_IR 100"), true),
    (b"-B", Set::Single("ISO_IR 101"), true),
    (b"-C", Set::Single("ISO_IR 109"), true),
    (b"-D", Set::Single("ISO_IR 110"), true),
    (b"-F", Set::Single("ISO_IR 126"), true),
    (b"-G", Set::Single("ISO_IR 127"), true),
    (b"-H", Set::Single("ISO_IR 138"), true),
    (b"-L", Set::Single("ISO_IR 144"), true),
    (b"-T", Set::Single("ISO_IR 166"), true),
];

/// The set a defined term designates (`ISO 2022 IR 87` ...), and whether into G1.
fn set_of_term(term: &str) -> Option<(Set, bool)> {
    let number = term.strip_prefix("ISO 2022 IR ")?;
    Some(match number {
        "6" => (Set::Ascii, false),
        "13" => (Set::Katakana, true),
        "87" => (Set::Jis(b"$B"), false),
        "159" => (Set::Jis(b"$(D"), false),
        "149" => (Set::WideG1("ISO_IR 149"), true),
        "58" => (Set::WideG1("GBK"), true),
        "100" => (Set::Single("ISO_IR 100"), true),
        "101" => (Set::Single("ISO_IR 101"), true),
        "109" => (Set::Single("ISO_IR 109"), true),
        "110" => (Set::Single("ISO_IR 110"), true),
        "126" => (Set::Single("ISO_IR 126"), true),
        "127" => (Set::Single("ISO_IR 127"), true),
        "138" => (Set::Single("ISO_IR 138"), true),
        "144" => (Set::Single("ISO_IR 144"), true),
        "166" => (Set::Single("ISO_IR 166"), true),
        _ => return None,
    })
}

impl CodeExtensions {
    /// From the terms of (0008,0005) (an empty first term is ISO-IR 6). `None` unless they
    /// use code extensions with a set that other decoders get wrong: several terms, or a
    /// single two-byte ISO 2022 term other than IR 87 (which dicom-rs reads itself).
    pub fn from_terms(terms: &[&str]) -> Option<CodeExtensions> {
        let sets: Vec<(Set, bool)> = terms
            .iter()
            .map(|t| {
                if t.is_empty() {
                    Some((Set::Ascii, false))
                } else {
                    set_of_term(t)
                }
            })
            .collect::<Option<_>>()?;
        let extended = sets.len() > 1 || matches!(sets.first(), Some((Set::WideG1(_), _)));
        if !extended {
            return None;
        }
        let (first, first_in_g1) = sets[0];
        Some(CodeExtensions {
            initial_g0: if first_in_g1 { Set::Ascii } else { first },
            initial_g1: first_in_g1.then_some(first),
            terms: sets.iter().map(|s| s.0).collect(),
        })
    }

    /// Decodes a value unit by unit.
    pub fn decode_units(&self, bytes: &[u8]) -> Vec<Unit> {
        let mut units = Vec::with_capacity(bytes.len());
        let (mut g0, mut g1) = (self.initial_g0, self.initial_g1);
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b == ESC {
                if let Some(&(seq, set, in_g1)) = ESCAPES
                    .iter()
                    .find(|(seq, ..)| bytes[i + 1..].starts_with(seq))
                {
                    if in_g1 {
                        g1 = Some(set);
                    } else {
                        g0 = set;
                    }
                    i += 1 + seq.len();
                    continue;
                }
            }
            let (c, len, set) = match (b, g0, g1) {
                (0x21..=0x7E, Set::Jis(designation), _)
                    if bytes.get(i + 1).is_some_and(|n| (0x21..=0x7E).contains(n)) =>
                {
                    (jis_char(designation, &bytes[i..i + 2]), 2, g0)
                }
                (0x21..=0x5F, Set::Katakana, _) => (half_width_kana(b - 0x21), 1, g0),
                (0x00..=0x7F, ..) => (b as char, 1, Set::Ascii),
                (0xA1..=0xDF, _, Some(Set::Katakana)) => {
                    (half_width_kana(b - 0xA1), 1, Set::Katakana)
                }
                (0xA1..=0xFE, _, Some(Set::WideG1(term)))
                    if bytes.get(i + 1).is_some_and(|n| (0xA1..=0xFE).contains(n)) =>
                {
                    (decode_with(term, &bytes[i..i + 2]), 2, Set::WideG1(term))
                }
                (_, _, Some(Set::Single(term))) => (decode_with(term, &[b]), 1, Set::Single(term)),
                _ => (char::from(b), 1, Set::Ascii),
            };
            units.push(Unit {
                c,
                start: i,
                end: i + len,
                set,
            });
            i += len;
        }
        units
    }

    pub fn decode(&self, bytes: &[u8]) -> String {
        self.decode_units(bytes).into_iter().map(|u| u.c).collect()
    }

    /// `masked` is the decoded value with some characters replaced by `X`: writes the X's
    /// over the bytes those characters came from, in their own set. `None` when `masked` is
    /// not the value character for character.
    pub fn mask_in_place(&self, original: &[u8], masked: &str) -> Option<Vec<u8>> {
        let units = self.decode_units(original);
        if masked.chars().count() > units.len() {
            return None;
        }
        let mut out = original.to_vec();
        for (unit, now) in units.iter().zip(masked.chars()) {
            if now == unit.c {
                continue;
            }
            if now != 'X' {
                return None;
            }
            let x: &[u8] = match unit.set {
                // Row 3 of JIS X 0208, KS X 1001 and GB 2312 holds the full-width Latin letters.
                Set::Jis(_) => b"\x23\x58",
                Set::WideG1(_) => b"\xA3\xD8",
                _ => b"X",
            };
            out[unit.start..unit.end].copy_from_slice(&x[..unit.end - unit.start]);
        }
        // Characters past the end of `masked` (trailing padding) stay as they were.
        Some(out)
    }

    /// Encodes new text: ASCII as it is, anything else in the first set the terms declare
    /// that holds it, with its escape sequence.
    pub fn encode(&self, text: &str) -> Option<Vec<u8>> {
        if text.is_ascii() {
            return Some(text.as_bytes().to_vec());
        }
        self.terms.iter().find_map(|set| match *set {
            Set::Jis(b"$B") => codec("ISO_IR 87")?.encode(text).ok(),
            Set::WideG1(term) | Set::Single(term) => {
                let bytes = codec(term)?.encode(text).ok()?;
                let (seq, ..) = ESCAPES.iter().find(|(_, s, g1)| *s == *set && *g1)?;
                // The designation goes before the first byte above ASCII (PS3.5 6.1.2.5.3).
                let first_high = bytes.iter().position(|b| *b >= 0x80)?;
                Some([&bytes[..first_high], &[ESC], seq, &bytes[first_high..]].concat())
            }
            _ => None,
        })
    }
}

fn codec(term: &str) -> Option<SpecificCharacterSet> {
    SpecificCharacterSet::from_code(term)
}

fn decode_with(term: &str, bytes: &[u8]) -> char {
    codec(term)
        .and_then(|c| c.decode(bytes).ok())
        .and_then(|s| {
            let mut chars = s.chars();
            chars.next().filter(|_| chars.next().is_none())
        })
        .unwrap_or('\u{FFFD}')
}

/// A JIS X 0208 (or 0212) character from its two bytes, through dicom-rs's ISO-2022-JP codec.
fn jis_char(designation: &[u8], pair: &[u8]) -> char {
    let framed = [&[ESC][..], designation, pair, b"\x1B(B"].concat();
    codec("ISO_IR 87")
        .and_then(|c| c.decode(&framed).ok())
        .and_then(|s| {
            let mut chars = s.chars();
            chars.next().filter(|_| chars.next().is_none())
        })
        .unwrap_or('\u{FFFD}')
}

/// JIS X 0201 katakana: offset 0 is U+FF61 (half-width ideographic full stop).
fn half_width_kana(offset: u8) -> char {
    char::from_u32(0xFF61 + u32::from(offset)).unwrap_or('\u{FFFD}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn japanese() -> CodeExtensions {
        CodeExtensions::from_terms(&["ISO 2022 IR 13", "ISO 2022 IR 87"]).unwrap()
    }

    /// PS3.5 H.3.2: "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう" in ISO 2022 IR 13 \ ISO 2022 IR 87.
    const YAMADA: &[u8] = b"\xD4\xCF\xC0\xDE^\xC0\xDB\xB3=\x1B$B;3ED\x1B(J^\x1B$BB@O:\x1B(J=\x1B$B$d$^$@\x1B(J^\x1B$B$?$m$&\x1B(J";

    #[test]
    fn half_width_katakana_in_g1_and_kanji_after_escapes_decode() {
        assert_eq!(japanese().decode(YAMADA), "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう");
    }

    #[test]
    fn masking_keeps_the_escapes_and_writes_full_width_x_in_kanji() {
        let ext = japanese();
        let masked: String = ext
            .decode(YAMADA)
            .chars()
            .map(|c| {
                if matches!(c, '山' | '田' | 'ﾔ') {
                    'X'
                } else {
                    c
                }
            })
            .collect();
        let out = ext.mask_in_place(YAMADA, &masked).unwrap();
        assert_eq!(out.len(), YAMADA.len());
        assert_eq!(ext.decode(&out), "Xﾏﾀﾞ^ﾀﾛｳ=ＸＸ^太郎=やまだ^たろう");
    }

    #[test]
    fn korean_in_g1_after_its_designation() {
        let ext = CodeExtensions::from_terms(&["", "ISO 2022 IR 149"]).unwrap();
        // "Hong^Gildong=洪^吉洞" style value: 홍길동 in KS X 1001 (EUC-KR bytes).
        let bytes = b"Hong^Gildong=\x1B$)C\xC8\xAB^\x1B$)C\xB1\xE6\xB5\xBF";
        assert_eq!(ext.decode(bytes), "Hong^Gildong=홍^길동");
        let encoded = ext.encode("홍길동 X").unwrap();
        assert_eq!(ext.decode(&encoded), "홍길동 X");
    }

    #[test]
    fn single_terms_without_extensions_are_left_to_the_plain_codecs() {
        assert!(CodeExtensions::from_terms(&["ISO 2022 IR 87"]).is_none());
        assert!(CodeExtensions::from_terms(&["ISO 2022 IR 100"]).is_none());
        assert!(CodeExtensions::from_terms(&["ISO_IR 192"]).is_none());
    }
}
