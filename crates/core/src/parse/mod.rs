//! Reading a DICOM file into a tree of element positions, without copying values.
//!
//! Headers are decoded with dicom-rs (`dicom-encoding`'s decoders for each transfer syntax); the
//! walk over them is ours because it must (1) record where every element sits in the file,
//! (2) refuse any length larger than the bytes that are left instead of reserving it, (3) stop
//! at a bounded sequence depth, and (4) skip over Pixel Data without reading it.

mod error;
mod source;
pub mod syntax;
mod walk;

pub use error::{ParseError, ParseErrorKind};
pub use source::{ParseOutcome, SparseFile, HEADER_CHUNK};
pub use syntax::Syntax;

use dicom_core::VR;
use std::borrow::Cow;
use std::ops::Range;

/// Deepest sequence nesting we follow; real files rarely go past 6.
pub const MAX_DEPTH: usize = 32;

/// A parsed file: where each element is, not what it holds.
#[derive(Debug)]
pub struct ParsedFile<'a> {
    /// The whole input; for a sparse input, its first segment (from offset 0) only.
    pub file: &'a [u8],
    /// Where bytes are read from (the whole input, or the sparse file).
    pub(crate) input: source::Input<'a>,
    /// File Meta Information elements (group 0002), offsets into `file`.
    pub meta: Vec<Element>,
    /// Where the meta group ends and the data set starts in `file`.
    pub dataset_start: usize,
    /// True when the file had the 128-byte preamble and "DICM".
    pub has_preamble: bool,
    pub syntax: Syntax,
    /// The transfer syntax UID as found (meta) or guessed (no meta).
    pub transfer_syntax_uid: String,
    /// The data set's bytes: `file` (offsets are file offsets), or the inflated stream for
    /// Deflated syntaxes. Element offsets in `dataset` are relative to this buffer. For a
    /// sparse input this is only the first segment: read values with `value_bytes`.
    pub dataset_bytes: Cow<'a, [u8]>,
    pub dataset: Vec<Element>,
    /// Things that were odd but not fatal, in plain words.
    pub warnings: Vec<String>,
}

/// One data element and where its bytes are.
#[derive(Debug, Clone)]
pub struct Element {
    /// group << 16 | element.
    pub tag: u32,
    pub vr: VR,
    /// Offset of the element's first header byte.
    pub start: usize,
    /// The value's bytes (for sequences and encapsulated pixel data: the items/fragments,
    /// without the closing delimiter).
    pub value: Range<usize>,
    /// One past the last byte of the element, closing delimiter included.
    pub end: usize,
    /// The length field said "undefined" (0xFFFFFFFF).
    pub undefined_length: bool,
    /// Part of the File Meta Information (its offsets count bytes of the file itself).
    pub in_meta: bool,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub enum Body {
    /// A plain value; read it from `value` when needed.
    Value,
    /// A sequence of items. `implicit_vr` is set for UN sequences of undefined length, whose
    /// contents are Implicit VR Little Endian (PS3.5 6.2.2).
    Sequence { items: Vec<Item>, implicit_vr: bool },
    /// Encapsulated (compressed) Pixel Data: fragments are skipped, only counted.
    Encapsulated { fragments: usize },
}

#[derive(Debug, Clone)]
pub struct Item {
    pub start: usize,
    pub end: usize,
    pub elements: Vec<Element>,
    /// The item's length field overstated its size; copying it verbatim would copy the error.
    pub length_was_wrong: bool,
}

impl Element {
    pub fn group(&self) -> u16 {
        (self.tag >> 16) as u16
    }

    pub fn element(&self) -> u16 {
        self.tag as u16
    }

    pub fn value_len(&self) -> usize {
        self.value.end - self.value.start
    }

    pub fn is_private(&self) -> bool {
        self.group() % 2 == 1
    }

    pub fn items(&self) -> &[Item] {
        match &self.body {
            Body::Sequence { items, .. } => items,
            _ => &[],
        }
    }
}

impl ParsedFile<'_> {
    /// The raw bytes of a data set element's value.
    /// For a sparse input, Pixel Data's value holds only the bytes that happened to be given
    /// (often none): the walk never asks for them.
    pub fn value_bytes(&self, element: &Element) -> &[u8] {
        // Meta elements are read from the file itself, data set elements from the data set
        // bytes (which differ for Deflated files).
        if self.syntax.deflated && !element.in_meta {
            return self
                .dataset_bytes
                .get(element.value.clone())
                .unwrap_or_default();
        }
        self.input.prefix(element.value.clone())
    }

    /// The raw bytes of a meta element's value.
    pub fn meta_value_bytes(&self, element: &Element) -> &[u8] {
        self.input.prefix(element.value.clone())
    }

    /// The input's total length in bytes.
    pub fn total_length(&self) -> u64 {
        self.input.len() as u64
    }

    /// The encoding of the File Meta Information: always Explicit VR Little Endian.
    pub fn syntax_meta(&self) -> Syntax {
        Syntax::from_uid(syntax::EXPLICIT_VR_LITTLE_ENDIAN)
    }

    /// Pixel Data (7FE0,0010) of the top-level data set, if present.
    pub fn pixel_data(&self) -> Option<&Element> {
        self.dataset.iter().find(|e| e.tag == PIXEL_DATA)
    }
}

pub use crate::tags::{DOUBLE_FLOAT_PIXEL_DATA, FLOAT_PIXEL_DATA, PIXEL_DATA};
/// Item, Item Delimitation and Sequence Delimitation (PS3.5 7.5): the parser's own framing.
pub const ITEM: u32 = 0xFFFE_E000;
pub const ITEM_DELIMITER: u32 = 0xFFFE_E00D;
pub const SEQUENCE_DELIMITER: u32 = 0xFFFE_E0DD;

/// Parses a whole file held in memory. Never panics; every failure names what and where.
pub fn parse(file: &[u8]) -> Result<ParsedFile<'_>, ParseError> {
    match walk::parse_input(source::Input::Whole(file))? {
        ParseOutcome::Parsed(parsed) => Ok(parsed),
        // Every byte of a whole file is present; kept as an error rather than a panic.
        ParseOutcome::Need(_) => Err(ParseError::new(
            ParseErrorKind::Internal,
            "the parser asked for bytes beyond a whole file",
        )),
    }
}

/// Parses a file known only in parts: the header, and whatever the parser asks for next.
/// Pixel Data's value is never read (of encapsulated Pixel Data, only each fragment's 8-byte
/// item header and the Basic Offset Table). Returns `Need(ranges)` when more bytes are
/// required: read them, add them to the segments given so far, and call again.
pub fn parse_sparse<'a>(
    file: &'a SparseFile<'a>,
) -> Result<ParseOutcome<ParsedFile<'a>>, ParseError> {
    walk::parse_input(source::Input::Sparse(file))
}

/// Where the next encapsulated Pixel Data fragment's header starts, given the 8 bytes of a
/// fragment's item header at `offset` (PS3.5 A.4: tag (FFFE,E000) and a 32-bit length, little
/// endian); `None` when `header` is not an item header.
///
/// For callers of `parse_sparse` that read ahead: without a Basic Offset Table the parser can
/// ask for only one fragment header per round (it cannot know where the next one is), so a
/// caller may follow the chain with this and give all the headers at once. The parser never
/// trusts these extra bytes more than any other: a wrong guess costs a read, never a result.
pub fn next_fragment(offset: u64, header: &[u8]) -> Option<u64> {
    let bytes: [u8; 8] = header.get(..8)?.try_into().ok()?;
    if bytes[..4] != [0xFE, 0xFF, 0x00, 0xE0] {
        return None;
    }
    let length = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
    if length == u32::MAX {
        return None;
    }
    offset.checked_add(8)?.checked_add(u64::from(length))
}

/// Formats a tag as the standard prints it: `(0010,0010)`.
pub fn tag_text(tag: u32) -> String {
    format!("({:04X},{:04X})", tag >> 16, tag & 0xFFFF)
}
