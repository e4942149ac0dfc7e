//! Turning an element's raw bytes into text for previews and for searching.

use crate::iso2022::CodeExtensions;
use crate::parse::{Element, Syntax};
use dicom_core::VR;
use dicom_encoding::text::{SpecificCharacterSet, TextCodec};

/// Longest preview shown for one value, in characters.
pub const PREVIEW_CHARS: usize = 120;

/// The character set of a data set (0008,0005), for decoding its text values.
#[derive(Debug, Clone)]
pub struct Charset(Repertoire);

#[derive(Debug, Clone)]
enum Repertoire {
    /// ISO-IR 6 (ASCII), and terms nobody knows.
    Default,
    Codec(SpecificCharacterSet),
    /// A Latin-1 variant that dicom-rs does not decode: Latin-1 with these bytes changed.
    Latin1With(&'static [(u8, char)]),
    /// ISO 2022 code extensions: escape sequences switch sets inside a value (`iso2022.rs`).
    Extended(CodeExtensions),
}

/// ISO 8859-9, Latin alphabet No. 5 (ISO_IR 148, Turkish): Latin-1 but for six letters.
const LATIN_5: &[(u8, char)] = &[
    (0xD0, '\u{011E}'),
    (0xDD, '\u{0130}'),
    (0xDE, '\u{015E}'),
    (0xF0, '\u{011F}'),
    (0xFD, '\u{0131}'),
    (0xFE, '\u{015F}'),
];

/// ISO 8859-15, Latin alphabet No. 9 (ISO_IR 203): Latin-1 with the euro sign, Š, Ž, Œ, Ÿ.
const LATIN_9: &[(u8, char)] = &[
    (0xA4, '\u{20AC}'),
    (0xA6, '\u{0160}'),
    (0xA8, '\u{0161}'),
    (0xB4, '\u{017D}'),
    (0xB8, '\u{017E}'),
    (0xBC, '\u{0152}'),
    (0xBD, '\u{0153}'),
    (0xBE, '\u{0178}'),
];

impl Charset {
    pub fn default_repertoire() -> Charset {
        Charset(Repertoire::Default)
    }

    fn g0_is_ascii(&self) -> bool {
        use dicom_encoding::text::TextCodec;
        match &self.0 {
            Repertoire::Codec(c) => c.name() != "ISO_IR 13",
            Repertoire::Latin1With(_) | Repertoire::Default => true,
            Repertoire::Extended(_) => false,
        }
    }

    /// From the raw value of Specific Character Set (0008,0005). With several terms (ISO 2022
    /// code extensions) the first one other than ASCII is used. PS3.3 C.12.1.1.2
    /// defines the terms; ISO_IR 148 and ISO_IR 203, which dicom-rs lacks, are read here.
    pub fn from_value(raw: &[u8]) -> Charset {
        let text = String::from_utf8_lossy(raw);
        // "ISO 2022 IR 6\ISO 2022 IR 87" declares ASCII as the initial set and a code
        // extension for the rest: the extension is what decodes the names (PS3.5 6.1.2.5).
        let terms: Vec<&str> = text
            .split('\\')
            .map(|t| t.trim_matches(|c: char| c == ' ' || c == '\0'))
            .filter(|t| !t.is_empty())
            .collect();
        // Several terms, or a two-byte set in G1, switch sets by escape sequences (an empty
        // first term is ISO-IR 6).
        let all: Vec<&str> = text
            .trim_end_matches([' ', '\0'])
            .split('\\')
            .map(|t| t.trim_matches(|c: char| c == ' ' || c == '\0'))
            .collect();
        if let Some(extensions) = CodeExtensions::from_terms(&all) {
            return Charset(Repertoire::Extended(extensions));
        }
        let term = terms
            .iter()
            .find(|t| !matches!(**t, "ISO 2022 IR 6" | "ISO_IR 6"))
            .or(terms.first())
            .copied();
        let repertoire = match term {
            None => Repertoire::Default,
            Some("ISO_IR 148" | "ISO 2022 IR 148") => Repertoire::Latin1With(LATIN_5),
            Some("ISO_IR 203" | "ISO 2022 IR 203") => Repertoire::Latin1With(LATIN_9),
            Some(term) => {
                SpecificCharacterSet::from_code(term).map_or(Repertoire::Default, Repertoire::Codec)
            }
        };
        Charset(repertoire)
    }

    /// Encodes text in this character set; `None` if it cannot hold the text.
    pub fn encode(&self, text: &str) -> Option<Vec<u8>> {
        match &self.0 {
            Repertoire::Codec(charset) => charset.encode(text).ok(),
            Repertoire::Default => text.is_ascii().then(|| text.as_bytes().to_vec()),
            Repertoire::Extended(extensions) => extensions.encode(text),
            Repertoire::Latin1With(changed) => text
                .chars()
                .map(|c| match changed.iter().find(|(_, to)| *to == c) {
                    Some((byte, _)) => Some(*byte),
                    None if changed.iter().any(|(b, _)| u32::from(*b) == c as u32) => None,
                    None => u8::try_from(c as u32).ok(),
                })
                .collect(),
        }
    }

    /// Encodes `masked`, the decoded text of `original` with some characters replaced by
    /// X's. When the character set cannot encode it (a set nobody knows, a byte it does not
    /// define) but the text was read one character per byte, the X's are written over those
    /// bytes and every other byte is kept as it was; only otherwise is the whole text masked.
    pub fn encode_masked(&self, original: &[u8], masked: &str) -> Vec<u8> {
        if let Repertoire::Extended(extensions) = &self.0 {
            if let Some(bytes) = extensions.mask_in_place(original, masked) {
                return bytes;
            }
        }
        if let Some(bytes) = self.encode(masked) {
            return bytes;
        }
        let decoded: Vec<char> = self.decode(original).chars().collect();
        let count = masked.chars().count();
        let aligned = decoded.len() == original.len()
            && count <= decoded.len()
            && masked
                .chars()
                .zip(&decoded)
                .all(|(now, was)| now == *was || now == 'X');
        if aligned {
            return original[..count]
                .iter()
                .zip(masked.chars())
                .map(|(&byte, now)| if now == 'X' { b'X' } else { byte })
                .collect();
        }
        "X".repeat(count).into_bytes()
    }

    /// Decodes with the declared character set when it maps each byte to one character (the
    /// single-byte sets, e.g. ISO_IR 144 Cyrillic), so positions in the text are byte offsets;
    /// `None` for the default repertoire and for multi-byte sets.
    pub fn decode_one_to_one(&self, bytes: &[u8]) -> Option<String> {
        let text = match &self.0 {
            Repertoire::Codec(charset) => charset.decode(bytes).ok()?,
            Repertoire::Latin1With(_) => self.decode(bytes),
            Repertoire::Default | Repertoire::Extended(_) => return None,
        };
        (text.chars().count() == bytes.len()).then_some(text)
    }

    pub fn decode(&self, bytes: &[u8]) -> String {
        // Most values are plain ASCII, which reads the same in every character set whose G0
        // is ASCII (PS3.5 6.1.2.5.3): all but JIS X 0201 (ISO_IR 13, where 0x5C is a yen
        // sign). No escape byte: no ISO 2022 code extension switches it.
        if bytes.iter().all(|&b| b < 0x80 && b != 0x1B) && self.g0_is_ascii() {
            // Checked ASCII above: this is valid UTF-8.
            return String::from_utf8_lossy(bytes).into_owned();
        }
        match &self.0 {
            Repertoire::Codec(charset) => {
                if let Ok(text) = charset.decode(bytes) {
                    return text;
                }
            }
            Repertoire::Latin1With(changed) => {
                return bytes
                    .iter()
                    .map(|&b| {
                        changed
                            .iter()
                            .find(|(byte, _)| *byte == b)
                            .map_or(b as char, |(_, c)| *c)
                    })
                    .collect();
            }
            Repertoire::Extended(extensions) => return extensions.decode(bytes),
            Repertoire::Default => {}
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => text.to_string(),
            // Latin-1 never fails and keeps every byte visible.
            Err(_) => bytes.iter().map(|&b| b as char).collect(),
        }
    }
}

pub use crate::parse::syntax::is_text_vr;

/// The text of a text value, padding removed.
pub fn text_value(bytes: &[u8], charset: &Charset) -> String {
    let text = charset.decode(bytes);
    text.trim_end_matches(['\0', ' ']).to_string()
}

/// A short human-readable rendering of a value.
pub fn preview(element: &Element, bytes: &[u8], syntax: Syntax, charset: &Charset) -> String {
    use crate::parse::Body;
    match &element.body {
        Body::Sequence { items, .. } => {
            return format!(
                "{} item{}",
                items.len(),
                if items.len() == 1 { "" } else { "s" }
            )
        }
        Body::Encapsulated { fragments } => {
            return format!(
                "encapsulated, {fragments} fragments, {} bytes",
                element.value_len()
            )
        }
        Body::Value => {}
    }
    // Pixel Data is never text and its bytes may not be at hand (a large file is read without
    // them): its size says all there is to say.
    if matches!(
        element.tag,
        crate::parse::PIXEL_DATA
            | crate::parse::FLOAT_PIXEL_DATA
            | crate::parse::DOUBLE_FLOAT_PIXEL_DATA
    ) {
        return format!("({} bytes)", element.value_len());
    }
    if is_text_vr(element.vr) {
        // Only the start is shown: a long value (contour points, a report) is not decoded
        // whole. Eight bytes a character covers every encoding, escape sequences included.
        let shown = &bytes[..bytes.len().min(PREVIEW_CHARS * 8 + 8)];
        return truncate(&text_value(shown, charset));
    }
    let numbers = |size: usize, render: &dyn Fn(&[u8]) -> String| -> String {
        let mut parts: Vec<String> = bytes.chunks_exact(size).take(8).map(render).collect();
        if bytes.len() / size > 8 {
            parts.push(format!("… ({} values)", bytes.len() / size));
        }
        parts.join("\\")
    };
    let big = syntax.is_big_endian();
    macro_rules! num {
        ($t:ty, $n:expr) => {
            numbers($n, &|c: &[u8]| {
                let arr: [u8; $n] = c.try_into().unwrap_or([0; $n]);
                let v = if big {
                    <$t>::from_be_bytes(arr)
                } else {
                    <$t>::from_le_bytes(arr)
                };
                v.to_string()
            })
        };
    }
    match element.vr {
        VR::US => num!(u16, 2),
        VR::SS => num!(i16, 2),
        VR::UL => num!(u32, 4),
        VR::SL => num!(i32, 4),
        VR::FL => num!(f32, 4),
        VR::FD => num!(f64, 8),
        VR::UV => num!(u64, 8),
        VR::SV => num!(i64, 8),
        VR::AT => numbers(4, &|c: &[u8]| {
            let tag = syntax.read_tag(c).unwrap_or_default();
            crate::parse::tag_text(tag)
        }),
        _ => binary_preview(bytes),
    }
}

/// Binary values: show readable text if most of it is printable (private tags often hold
/// text), otherwise only the size.
fn binary_preview(bytes: &[u8]) -> String {
    let printable = bytes
        .iter()
        .filter(|b| b.is_ascii_graphic() || **b == b' ')
        .count();
    if !bytes.is_empty() && printable * 10 >= bytes.len() * 9 {
        truncate(String::from_utf8_lossy(bytes).trim_end_matches(['\0', ' ']))
    } else {
        format!("({} bytes)", bytes.len())
    }
}

fn truncate(text: &str) -> String {
    if text.chars().count() <= PREVIEW_CHARS {
        text.to_string()
    } else {
        let cut: String = text.chars().take(PREVIEW_CHARS).collect();
        format!("{cut}…")
    }
}
