//! Reading the few header values the burned-in text signals and signatures look at.

use crate::parse::{Element, ParsedFile};
use crate::tags;
use crate::value::{is_text_vr, text_value, Charset};
use dicom_core::VR;

/// How deep the Code Meaning search goes: code sequences sit at most a few levels down.
const MAX_DEPTH: usize = 8;

/// A parsed file with its character set, for reading values by tag.
pub struct Header<'p, 'a> {
    pub file: &'p ParsedFile<'a>,
    pub charset: Charset,
}

impl<'p, 'a> Header<'p, 'a> {
    pub fn new(file: &'p ParsedFile<'a>) -> Self {
        let charset = file
            .dataset
            .iter()
            .find(|e| e.tag == tags::SPECIFIC_CHARACTER_SET)
            .map(|e| Charset::from_value(file.value_bytes(e)))
            .unwrap_or_else(Charset::default_repertoire);
        Header { file, charset }
    }

    /// The element with `tag`: from the File Meta Information for group 0002, otherwise from
    /// the top level of the data set.
    pub fn element(&self, tag: u32) -> Option<&'p Element> {
        let list = if tag >> 16 == 0x0002 {
            &self.file.meta
        } else {
            &self.file.dataset
        };
        list.iter().find(|e| e.tag == tag)
    }

    /// Whether any top-level element satisfies `predicate`.
    pub fn any(&self, predicate: impl Fn(&Element) -> bool) -> bool {
        self.file.dataset.iter().any(predicate)
    }

    /// The whole text of a value (all values joined by `\`), padding removed; `None` when the
    /// attribute is absent. Numbers held in binary VRs come out as decimal text.
    pub fn text(&self, tag: u32) -> Option<String> {
        if tag == tags::CODE_MEANING {
            return self.deep_text(&self.file.dataset, tag, 0);
        }
        self.element(tag).map(|e| self.render(e))
    }

    /// The values of a multi-valued attribute, each trimmed.
    pub fn values(&self, tag: u32) -> Vec<String> {
        self.text(tag)
            .map(|t| t.split('\\').map(|v| v.trim().to_string()).collect())
            .unwrap_or_default()
    }

    /// The values as numbers (those that read as numbers).
    pub fn numbers(&self, tag: u32) -> Vec<f64> {
        self.values(tag)
            .iter()
            .filter_map(|v| v.parse::<f64>().ok())
            .collect()
    }

    /// The upper-cased, trimmed text of a single-valued code string such as Modality.
    pub fn code(&self, tag: u32) -> String {
        self.text(tag)
            .map(|t| t.trim().to_uppercase())
            .unwrap_or_default()
    }

    fn render(&self, element: &Element) -> String {
        let bytes = self.file.value_bytes(element);
        if is_text_vr(element.vr) {
            return text_value(bytes, &self.charset).trim().to_string();
        }
        let syntax = if element.in_meta {
            self.file.syntax_meta()
        } else {
            self.file.syntax
        };
        match element.vr {
            VR::US => bytes
                .chunks_exact(2)
                .filter_map(|c| syntax.read_u16(c))
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join("\\"),
            VR::UL => bytes
                .chunks_exact(4)
                .filter_map(|c| syntax.read_u32(c))
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join("\\"),
            // Unknown VR (private or odd encodings): read it as text if it looks like text.
            _ if bytes
                .iter()
                .all(|b| b.is_ascii_graphic() || *b == b' ' || *b == 0) =>
            {
                text_value(bytes, &self.charset).trim().to_string()
            }
            _ => String::new(),
        }
    }

    fn deep_text(&self, elements: &[Element], tag: u32, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        for element in elements {
            if element.tag == tag {
                return Some(self.render(element));
            }
            for item in element.items() {
                if let Some(found) = self.deep_text(&item.elements, tag, depth + 1) {
                    return Some(found);
                }
            }
        }
        None
    }
}
