//! The patient's own identifying values, and finding them repeated anywhere else in a file:
//! PS3.15 E.1 warns that attributes outside Table E.1-1 can carry identifying text, so a
//! description that repeats the patient's name is flagged even though its tag is "safe".

use crate::parse::{Element, ParsedFile};
use crate::value::{text_value, Charset};

/// One identifying value to look for, upper-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Needle {
    pub text: String,
    /// What it is, in words: "the patient's name".
    pub what: &'static str,
    /// The element it came from; that element itself is not a "repeat".
    pub source_tag: u32,
}

/// Shortest value we search for: shorter ones match by coincidence far too often.
pub const MIN_NEEDLE_CHARS: usize = 3;

/// Most values we search for. A patient has a handful; a hostile file with thousands of name
/// components (or of nested names) must not make every element's search quadratic.
pub const MAX_NEEDLES: usize = 256;

#[derive(Debug, Clone, Default)]
pub struct Identity {
    pub needles: Vec<Needle>,
}

/// (tag, description, split into parts?)
const SOURCES: &[(u32, &str, bool)] = &[
    (0x0010_0010, "the patient's name", true),
    (0x0010_0020, "the patient's ID", false),
    (0x0010_1000, "another ID of the patient", false),
    (0x0010_1001, "another name of the patient", true),
    (0x0010_1005, "the patient's birth name", true),
    (0x0010_1060, "the patient's mother's birth name", true),
    (0x0010_0030, "the patient's birth date", false),
    (0x0008_0050, "the accession number", false),
    (0x0010_1040, "the patient's address", true),
    (0x0010_2154, "the patient's phone number", false),
    (0x0010_1090, "the patient's medical record locator", false),
    (0x0038_0010, "the patient's admission ID", false),
    // People and places that the Basic Profile removes elsewhere (PS3.15 E.3.5 asks cleaned
    // descriptors to drop them too).
    (0x0008_0090, "the referring physician's name", true),
    (0x0008_1050, "a performing physician's name", true),
    (0x0008_1060, "a reading physician's name", true),
    (0x0008_1070, "an operator's name", true),
    (0x0032_1032, "the requesting physician's name", true),
    (0x0008_0080, "the institution's name", false),
];

impl Identity {
    /// Collects the identifying values from the data set, sequence items included: a source
    /// nested in an item (a DICOMDIR record, or a file whose missing delimiter pulled the
    /// patient's elements into a sequence) identifies someone just the same.
    pub fn from_file(file: &ParsedFile<'_>, charset: &Charset) -> Identity {
        let mut identity = Identity::default();
        identity.collect(file, &file.dataset, false, charset);
        identity
    }

    /// Depth is bounded by the parser's sequence depth limit.
    fn collect(
        &mut self,
        file: &ParsedFile<'_>,
        elements: &[Element],
        in_other_ids: bool,
        charset: &Charset,
    ) {
        for element in elements {
            if let Some(&(tag, what, split)) = SOURCES.iter().find(|s| s.0 == element.tag) {
                let text = text_value(file.value_bytes(element), charset);
                // Other Patient IDs Sequence (0010,1002): each item's Patient ID.
                if in_other_ids && tag == 0x0010_0020 {
                    self.add_value(0x0010_1002, "another ID of the patient", &text, false);
                } else {
                    self.add_value(tag, what, &text, split);
                }
            }
            for item in element.items() {
                self.collect(file, &item.elements, element.tag == 0x0010_1002, charset);
            }
        }
    }

    fn add_value(&mut self, tag: u32, what: &'static str, text: &str, split: bool) {
        for value in text.split('\\') {
            let value = value.trim();
            self.push(tag, what, value);
            if tag == 0x0010_0030 {
                self.add_date_forms(tag, what, value);
            }
            if split {
                for part in value.split(['^', '=', ' ', ',']) {
                    self.push(tag, what, part);
                }
            }
        }
    }

    /// A birth date written in text is rarely in DICOM's YYYYMMDD form.
    fn add_date_forms(&mut self, tag: u32, what: &'static str, value: &str) {
        let digits: Vec<char> = value.chars().collect();
        if digits.len() != 8 || !digits.iter().all(|c| c.is_ascii_digit()) {
            return;
        }
        let (y, m, d) = (&value[0..4], &value[4..6], &value[6..8]);
        for form in [
            format!("{y}-{m}-{d}"),
            format!("{y}/{m}/{d}"),
            format!("{d}/{m}/{y}"),
            format!("{m}/{d}/{y}"),
            format!("{d}.{m}.{y}"),
        ] {
            self.push(tag, what, &form);
        }
    }

    fn push(&mut self, tag: u32, what: &'static str, value: &str) {
        let text = value.trim().to_uppercase();
        if self.needles.len() >= MAX_NEEDLES
            || text.chars().count() < MIN_NEEDLE_CHARS
            || self.needles.iter().any(|n| n.text == text)
        {
            return;
        }
        self.needles.push(Needle {
            text,
            what,
            source_tag: tag,
        });
    }

    /// The identifying values found in `text` (as whole words), longest first.
    pub fn find_in(&self, text: &str, element_tag: u32) -> Vec<&Needle> {
        if self.needles.is_empty() || text.is_empty() {
            return Vec::new();
        }
        let haystack = text.to_uppercase();
        let mut found: Vec<&Needle> = self
            .needles
            .iter()
            .filter(|n| n.source_tag != element_tag && contains_word(&haystack, &n.text))
            .collect();
        found.sort_by_key(|n| std::cmp::Reverse(n.text.len()));
        found
    }

    /// Replaces every whole-word occurrence of any needle with X's of the same length, so
    /// lengths and the value's format survive (an X is valid in every text VR).
    pub fn mask(&self, text: &str, element_tag: u32) -> Option<String> {
        let found = self.find_in(text, element_tag);
        if found.is_empty() {
            return None;
        }
        let mut chars: Vec<char> = text.chars().collect();
        let upper: Vec<char> = text.to_uppercase().chars().collect();
        if upper.len() != chars.len() {
            // Upper-casing changed the length (e.g. 'ß'): mask the whole value instead.
            return Some("X".repeat(chars.len().max(1)));
        }
        for needle in found {
            let pattern: Vec<char> = needle.text.chars().collect();
            let mut i = 0;
            while i + pattern.len() <= upper.len() {
                if upper[i..i + pattern.len()] == pattern[..]
                    && word_edges(&upper, i, pattern.len())
                {
                    for c in &mut chars[i..i + pattern.len()] {
                        *c = 'X';
                    }
                    i += pattern.len();
                } else {
                    i += 1;
                }
            }
        }
        Some(chars.into_iter().collect())
    }
}

fn contains_word(haystack: &str, needle: &str) -> bool {
    let mut from = 0;
    while let Some(found) = haystack[from..].find(needle) {
        let start = from + found;
        let end = start + needle.len();
        let before = haystack[..start].chars().next_back();
        let after = haystack[end..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return true;
        }
        from = start + haystack[start..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

fn word_edges(chars: &[char], start: usize, len: usize) -> bool {
    let before = start.checked_sub(1).map(|i| chars[i]);
    let after = chars.get(start + len).copied();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Whether an element is one of the sources of the identity (those are table findings).
pub fn is_identity_source(element: &Element) -> bool {
    SOURCES.iter().any(|s| s.0 == element.tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity() -> Identity {
        let mut id = Identity::default();
        id.add_value(0x0010_0010, "the patient's name", "DOE^JOHN", true);
        id.add_value(0x0010_0030, "the patient's birth date", "19700101", false);
        id
    }

    #[test]
    fn finds_name_parts_as_whole_words_only() {
        let id = identity();
        assert_eq!(id.find_in("CT head for John Doe", 0).len(), 2);
        assert!(id.find_in("DOES NOT MATCH JOHNSON", 0).is_empty());
    }

    #[test]
    fn finds_birth_date_written_with_dashes() {
        let id = identity();
        let found = id.find_in("born 1970-01-01", 0);
        assert_eq!(found[0].what, "the patient's birth date");
    }

    #[test]
    fn mask_keeps_length_and_other_words() {
        let id = identity();
        assert_eq!(
            id.mask("Doe, John: knee", 0).as_deref(),
            Some("XXX, XXXX: knee")
        );
        assert_eq!(id.mask("knee", 0), None);
    }

    #[test]
    fn source_element_is_not_its_own_repeat() {
        let id = identity();
        assert!(id.find_in("DOE^JOHN", 0x0010_0010).is_empty());
    }
}
