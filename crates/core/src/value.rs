//! Turning an element's raw bytes into text for previews and for searching.

use crate::parse::{Element, Syntax};
use dicom_core::VR;
use dicom_encoding::text::{SpecificCharacterSet, TextCodec};

/// Longest preview shown for one value, in characters.
pub const PREVIEW_CHARS: usize = 120;

/// The character set of a data set (0008,0005), for decoding its text values.
#[derive(Debug, Clone)]
pub struct Charset(Option<SpecificCharacterSet>);

impl Charset {
    pub fn default_repertoire() -> Charset {
        Charset(None)
    }

    fn g0_is_ascii(&self) -> bool {
        use dicom_encoding::text::TextCodec;
        self.0.as_ref().is_none_or(|c| c.name() != "ISO_IR 13")
    }

    /// From the raw value of Specific Character Set (0008,0005). With several terms (ISO 2022
    /// code extensions) the first non-empty one is used for the preview.
    pub fn from_value(raw: &[u8]) -> Charset {
        let text = String::from_utf8_lossy(raw);
        let term = text
            .split('\\')
            .map(|t| t.trim_matches(|c: char| c == ' ' || c == '\0'))
            .find(|t| !t.is_empty());
        Charset(term.and_then(SpecificCharacterSet::from_code))
    }

    /// Encodes text in this character set; `None` if it cannot hold the text.
    pub fn encode(&self, text: &str) -> Option<Vec<u8>> {
        match &self.0 {
            Some(charset) => charset.encode(text).ok(),
            None => text.is_ascii().then(|| text.as_bytes().to_vec()),
        }
    }

    /// Decodes with the declared character set when it maps each byte to one character (the
    /// single-byte sets, e.g. ISO_IR 144 Cyrillic), so positions in the text are byte offsets;
    /// `None` for the default repertoire and for multi-byte sets.
    pub fn decode_one_to_one(&self, bytes: &[u8]) -> Option<String> {
        let text = self.0.as_ref()?.decode(bytes).ok()?;
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
        if let Some(charset) = &self.0 {
            if let Ok(text) = charset.decode(bytes) {
                return text;
            }
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
