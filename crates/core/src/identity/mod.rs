//! The patient's own identifying values, and finding them repeated anywhere else in a file:
//! PS3.15 E.1 warns that attributes outside Table E.1-1 can carry identifying text, so a
//! description that repeats the patient's name is flagged even though its tag is "safe".

use crate::parse::{Element, ParsedFile};
use crate::value::{text_value, Charset};

mod binary;
mod dates;
mod fold;
mod ids;
mod matching;
mod names;
mod words;

use binary::{for_each_view, mask_range};
use dates::Ymd;
use fold::{fold_needle, Folded};
use matching::hits;

/// One identifying value to look for, folded (Unicode NFKC, upper case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Needle {
    pub text: String,
    /// What it is, in words: "the patient's name".
    pub what: &'static str,
    /// The element it came from; that element itself is not a "repeat".
    pub source_tag: u32,
    pub kind: Kind,
    /// For `Kind::Id`: the offsets in `text` where the ID splits into groups.
    splits: Vec<usize>,
}

/// How a needle is matched (see `names.rs` for the name rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A part of a person's name; `person` tells the parts of one name value apart.
    NamePart { person: u16 },
    /// Two parts of one name written together without a separator ("SMITHJOHN", "長谷川健太郎").
    FullName { person: u16 },
    /// An ID, address part, institution, phone number ...: matched as a whole word.
    Value,
    /// An ID by its letters and digits, whatever separates its groups (`ids.rs`).
    Id,
    /// The birth date: found by reading dates in the text (`dates.rs`).
    BirthDate,
}

/// Shortest value (other than a name part) we search for: shorter ones match by coincidence.
pub const MIN_NEEDLE_CHARS: usize = 3;

/// Fewest digits of an ID written as its digits only ("12345" for "AB-12345"): a 5-digit run
/// equals a given one by chance once in 100,000, and must be a whole run of digits; 4 digits
/// would match years (1900-2099) and everyday measurements.
pub const MIN_ID_DIGITS: usize = 5;

/// Most values we search for. A patient has a handful; a hostile file with thousands of name
/// components (or of nested names) must not make every element's search quadratic.
pub const MAX_NEEDLES: usize = 256;

/// Most name parts of one name value that are paired into full names (6 pairs at most).
const MAX_PAIRED_PARTS: usize = 3;

#[derive(Debug, Clone, Default)]
pub struct Identity {
    pub needles: Vec<Needle>,
    /// The patient's birth dates, read from (0010,0030).
    birth_dates: Vec<Ymd>,
    /// Name values seen, numbering `Kind::NamePart::person`.
    people: u16,
}

/// How a source's value is turned into needles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Name,
    Id,
    BirthDate,
    /// Split into words (an address).
    Words,
    Whole,
}

/// (tag, description, how to read it)
const SOURCES: &[(u32, &str, Source)] = &[
    (0x0010_0010, "the patient's name", Source::Name),
    (0x0010_0020, "the patient's ID", Source::Id),
    (0x0010_1000, "another ID of the patient", Source::Id),
    (0x0010_1001, "another name of the patient", Source::Name),
    (0x0010_1005, "the patient's birth name", Source::Name),
    (
        0x0010_1060,
        "the patient's mother's birth name",
        Source::Name,
    ),
    (0x0010_0030, "the patient's birth date", Source::BirthDate),
    (0x0008_0050, "the accession number", Source::Id),
    (0x0010_1040, "the patient's address", Source::Words),
    (0x0010_2154, "the patient's phone number", Source::Id),
    (
        0x0010_1090,
        "the patient's medical record locator",
        Source::Id,
    ),
    (0x0038_0010, "the patient's admission ID", Source::Id),
    // People and places that the Basic Profile removes elsewhere (PS3.15 E.3.5 asks cleaned
    // descriptors to drop them too).
    (0x0008_0090, "the referring physician's name", Source::Name),
    (0x0008_1050, "a performing physician's name", Source::Name),
    (0x0008_1060, "a reading physician's name", Source::Name),
    (0x0008_1070, "an operator's name", Source::Name),
    (0x0032_1032, "the requesting physician's name", Source::Name),
    (0x0008_0080, "the institution's name", Source::Whole),
];

/// Specific Character Set.
const SPECIFIC_CHARACTER_SET: u32 = 0x0008_0005;

/// The character set of a sequence item: its own Specific Character Set (0008,0005) if it
/// has one, else the enclosing one (PS3.3 C.12.1.1.2: the attribute may be present in a
/// Sequence Item, and then applies to that item and the items nested in it).
pub fn item_charset(file: &ParsedFile<'_>, elements: &[Element], outer: &Charset) -> Charset {
    elements
        .iter()
        .find(|e| e.tag == SPECIFIC_CHARACTER_SET)
        .map(|e| Charset::from_value(file.value_bytes(e)))
        .unwrap_or_else(|| outer.clone())
}

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
            if let Some(&(tag, what, source)) = SOURCES.iter().find(|s| s.0 == element.tag) {
                let text = text_value(file.value_bytes(element), charset);
                // Other Patient IDs Sequence (0010,1002): each item's Patient ID.
                if in_other_ids && tag == 0x0010_0020 {
                    self.add_value(0x0010_1002, "another ID of the patient", &text, source);
                } else {
                    self.add_value(tag, what, &text, source);
                }
            }
            for item in element.items() {
                let inner = item_charset(file, &item.elements, charset);
                self.collect(file, &item.elements, element.tag == 0x0010_1002, &inner);
            }
        }
    }

    fn add_value(&mut self, tag: u32, what: &'static str, text: &str, source: Source) {
        for value in text.split('\\') {
            let value = value.trim();
            match source {
                Source::Name => {
                    self.push(tag, what, value, Kind::Value);
                    self.add_name(tag, what, value);
                }
                Source::Id => self.add_id(tag, what, value),
                Source::BirthDate => {
                    if let Some(date) = Ymd::from_da(value) {
                        self.birth_dates.push(date);
                        self.push(tag, what, value, Kind::BirthDate);
                    } else {
                        self.push(tag, what, value, Kind::Value);
                    };
                }
                Source::Words => {
                    self.push(tag, what, value, Kind::Value);
                    for part in value.split([' ', ',', '^']) {
                        self.push(tag, what, part, Kind::Value);
                    }
                }
                Source::Whole => {
                    self.push(tag, what, value, Kind::Value);
                }
            }
        }
    }

    /// A person name (PS3.5 6.2 PN): up to three component groups (alphabetic, ideographic,
    /// phonetic) separated by '=', each with components separated by '^'. Every part is a
    /// needle; the first parts of each group are also paired into glued full names.
    fn add_name(&mut self, tag: u32, what: &'static str, value: &str) {
        for group in value.split('=') {
            let person = self.people;
            self.people = self.people.saturating_add(1);
            let mut parts: Vec<&str> = Vec::new();
            // U+3000, the ideographic space, separates family and given name in CJK text.
            for part in group.split(['^', ' ', ',', '\u{3000}']).map(str::trim) {
                if part.is_empty() {
                    continue;
                }
                self.push(tag, what, part, Kind::NamePart { person });
                // "MÜLLER" is also written "MUELLER", "ÅGÅRD" "AAGAARD" (folding already
                // finds "MULLER" and "AGARD").
                let spelled_out = words::spell_out(part);
                if spelled_out != part {
                    self.push(tag, what, &spelled_out, Kind::NamePart { person });
                }
                parts.push(part);
                // "O'BRIEN", "SMITH-JONES": each piece, and the part without its punctuation.
                let pieces: Vec<&str> = part.split(['-', '\'', '.']).collect();
                if pieces.len() > 1 {
                    for piece in &pieces {
                        self.push(tag, what, piece, Kind::NamePart { person });
                    }
                    self.push(tag, what, &pieces.concat(), Kind::NamePart { person });
                }
            }
            parts.truncate(MAX_PAIRED_PARTS);
            for (i, first) in parts.iter().enumerate() {
                for (j, second) in parts.iter().enumerate() {
                    let glued = format!("{first}{second}");
                    // Two single CJK characters ("张伟" for 张^伟) are the name in the order
                    // written; reversed, two characters too often spell an ordinary word.
                    let short_reversed = j < i && is_short_cjk_name(&glued);
                    if i != j && !short_reversed {
                        self.push(tag, what, &glued, Kind::FullName { person });
                    }
                }
            }
        }
    }

    /// An ID as written, without its separators ("AB12345" for "AB-12345"), and its digits
    /// alone when there are at least `MIN_ID_DIGITS` of them.
    fn add_id(&mut self, tag: u32, what: &'static str, value: &str) {
        self.push(tag, what, value, Kind::Value);
        let (joined, splits) = ids::id_groups(&fold_needle(value));
        if self.push(tag, what, &joined, Kind::Id) {
            if let Some(needle) = self.needles.last_mut() {
                needle.splits = splits;
            }
        }
        for (form, splits) in ids::other_century_forms(&joined) {
            if self.push(tag, what, &form, Kind::Id) {
                if let Some(needle) = self.needles.last_mut() {
                    needle.splits = splits;
                }
            }
        }
        let digits: String = value.chars().filter(char::is_ascii_digit).collect();
        let longest_run = value
            .split(|c: char| !c.is_ascii_digit())
            .max_by_key(|run| run.len())
            .unwrap_or_default();
        // The digits alone, and without their leading zeros ("562311" for "00562311": a
        // number loses them when it passes through a spreadsheet or a numeric field).
        for number in [digits.as_str(), longest_run] {
            for form in [number, number.trim_start_matches('0')] {
                if form.len() >= MIN_ID_DIGITS {
                    self.push(tag, what, form, Kind::Value);
                }
            }
        }
    }

    /// Adds a needle; false when it is too short, a duplicate, or over the limit.
    fn push(&mut self, tag: u32, what: &'static str, value: &str, kind: Kind) -> bool {
        let text = fold_needle(value);
        let shortest = match kind {
            Kind::NamePart { .. } => 1,
            // Chinese names are often two characters, one for each part.
            Kind::FullName { .. } if is_short_cjk_name(&text) => 2,
            _ => MIN_NEEDLE_CHARS,
        };
        if self.needles.len() >= MAX_NEEDLES
            || text.chars().count() < shortest
            || !text.chars().any(char::is_alphanumeric)
        {
            return false;
        }
        if let Some(same) = self.needles.iter_mut().find(|n| n.text == text) {
            // A whole name value that folds to one of its parts or full names ("诸葛亮", or
            // "山田^太郎" without its separator) is matched as the name, by the name rules: as
            // a value it would need word boundaries, which CJK text does not have.
            let is_name = matches!(kind, Kind::NamePart { .. } | Kind::FullName { .. });
            if is_name && same.kind == Kind::Value {
                same.kind = kind;
            }
            return false;
        }
        self.needles.push(Needle {
            text,
            what,
            source_tag: tag,
            kind,
            splits: Vec::new(),
        });
        true
    }

    /// The identifying values found in `text`, longest first.
    pub fn find_in(&self, text: &str, element_tag: u32) -> Vec<&Needle> {
        if self.needles.is_empty() || text.is_empty() {
            return Vec::new();
        }
        let folded = Folded::from_str(text);
        self.needles_of(hits(self, &folded, element_tag).iter().map(|h| h.needle))
    }

    /// Replaces every occurrence of any needle with X's, one per character, so the value's
    /// length and format survive (an X is valid in every text VR).
    pub fn mask(&self, text: &str, element_tag: u32) -> Option<String> {
        if self.needles.is_empty() || text.is_empty() {
            return None;
        }
        let folded = Folded::from_str(text);
        let found = hits(self, &folded, element_tag);
        if found.is_empty() {
            return None;
        }
        let mut chars: Vec<char> = text.chars().collect();
        let count = chars.len();
        for hit in found {
            let (start, end) = folded.source_range(hit.start, hit.end);
            for c in &mut chars[start..end.min(count)] {
                *c = 'X';
            }
        }
        Some(chars.into_iter().collect())
    }

    /// The identifying values found in a binary value read as text in any encoding
    /// (`binary.rs`), longest first.
    pub fn find_in_bytes(&self, bytes: &[u8], element_tag: u32, charset: &Charset) -> Vec<&Needle> {
        let mut found = Vec::new();
        if self.needles.is_empty() {
            return Vec::new();
        }
        for_each_view(bytes, charset, |view| {
            found.extend(
                hits(self, &view.folded, element_tag)
                    .iter()
                    .map(|h| h.needle),
            );
        });
        self.needles_of(found.into_iter())
    }

    /// Masks every occurrence in a binary value in the encoding it was found in; `None` when
    /// there is none.
    pub fn mask_bytes(&self, bytes: &[u8], element_tag: u32, charset: &Charset) -> Option<Vec<u8>> {
        if self.needles.is_empty() {
            return None;
        }
        let mut ranges = Vec::new();
        for_each_view(bytes, charset, |view| {
            for hit in hits(self, &view.folded, element_tag) {
                let (start, end) = view.folded.source_range(hit.start, hit.end);
                ranges.push((start, end, view.encoding));
            }
        });
        if ranges.is_empty() {
            return None;
        }
        let mut masked = bytes.to_vec();
        for (start, end, encoding) in ranges {
            mask_range(&mut masked, start, end, encoding);
        }
        Some(masked)
    }

    /// Whether a DA or DT value (single, multiple or a range) holds one of the patient's
    /// birth dates.
    pub fn holds_birth_date(&self, value: &str) -> bool {
        !self.birth_dates.is_empty()
            && value.split(['\\', '-']).any(|part| {
                let date = part.trim().get(..8).and_then(Ymd::from_da);
                date.is_some_and(|d| self.birth_dates.contains(&d))
            })
    }

    fn needles_of(&self, indexes: impl Iterator<Item = usize>) -> Vec<&Needle> {
        let mut seen: Vec<usize> = indexes.collect();
        seen.sort_unstable();
        seen.dedup();
        let mut found: Vec<&Needle> = seen.into_iter().map(|i| &self.needles[i]).collect();
        found.sort_by_key(|n| std::cmp::Reverse(n.text.len()));
        found
    }
}

/// A name of two CJK characters (shorter than `MIN_NEEDLE_CHARS`, and still a whole name).
fn is_short_cjk_name(text: &str) -> bool {
    text.chars().count() == 2 && text.chars().all(|c| fold::class_of(c) == fold::Class::Cjk)
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
        id.add_value(0x0010_0010, "the patient's name", "DOE^JOHN", Source::Name);
        id.add_value(
            0x0010_0030,
            "the patient's birth date",
            "19700101",
            Source::BirthDate,
        );
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
