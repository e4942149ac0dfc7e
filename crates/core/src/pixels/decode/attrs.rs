//! Reading the few top-level attributes pixels need, whatever their VR and byte order.

use crate::parse::{Element, ParsedFile};
use crate::value::is_text_vr;
use dicom_core::VR;

/// The top-level data set of a parsed file, read by tag.
pub(crate) struct Attrs<'p, 'a> {
    pub parsed: &'p ParsedFile<'a>,
}

impl<'p, 'a> Attrs<'p, 'a> {
    pub fn new(parsed: &'p ParsedFile<'a>) -> Self {
        Attrs { parsed }
    }

    pub fn element(&self, tag: u32) -> Option<&'p Element> {
        self.parsed.dataset.iter().find(|e| e.tag == tag)
    }

    pub fn bytes(&self, tag: u32) -> Option<&'p [u8]> {
        let parsed: &'p ParsedFile<'a> = self.parsed;
        self.element(tag).map(|e| parsed.value_bytes(e))
    }

    /// The value as text, trimmed of padding (first value of a multi-valued string).
    pub fn text(&self, tag: u32) -> Option<String> {
        let e = self.element(tag)?;
        if !is_text_vr(e.vr) {
            return None;
        }
        let bytes = self.parsed.value_bytes(e);
        let text = String::from_utf8_lossy(bytes);
        let first = text.split('\\').next().unwrap_or("");
        let first = first.trim_matches(|c: char| c == ' ' || c == '\0');
        (!first.is_empty()).then(|| first.to_string())
    }

    /// The `index`th value of a 16-bit binary element (US, SS, OW, or a text number).
    pub fn u16_at(&self, tag: u32, index: usize) -> Option<u16> {
        let e = self.element(tag)?;
        if is_text_vr(e.vr) {
            return self.numbers(tag)?.get(index).map(|v| *v as u16);
        }
        let bytes = self.parsed.value_bytes(e);
        self.parsed.syntax.read_u16(bytes.get(index * 2..)?)
    }

    pub fn u16(&self, tag: u32) -> Option<u16> {
        self.u16_at(tag, 0)
    }

    /// Every value of a numeric text element (DS, IS), or the first binary value.
    pub fn numbers(&self, tag: u32) -> Option<Vec<f64>> {
        let e = self.element(tag)?;
        if is_text_vr(e.vr) {
            let text = String::from_utf8_lossy(self.parsed.value_bytes(e)).into_owned();
            let values: Vec<f64> = text
                .split('\\')
                .filter_map(|v| v.trim_matches(|c: char| c == ' ' || c == '\0').parse().ok())
                .filter(|v: &f64| v.is_finite())
                .collect();
            return (!values.is_empty()).then_some(values);
        }
        let bytes = self.parsed.value_bytes(e);
        let s = self.parsed.syntax;
        let value = match e.vr {
            VR::SS => f64::from(s.read_u16(bytes)? as i16),
            VR::UL => f64::from(s.read_u32(bytes)?),
            VR::SL => f64::from(s.read_u32(bytes)? as i32),
            VR::FL => f64::from(f32::from_bits(s.read_u32(bytes)?)),
            _ => f64::from(s.read_u16(bytes)?),
        };
        Some(vec![value])
    }

    pub fn number(&self, tag: u32) -> Option<f64> {
        self.numbers(tag)?.first().copied()
    }
}
