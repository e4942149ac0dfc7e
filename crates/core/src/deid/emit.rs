//! Carrying out the decisions element by element. Unchanged elements, items and sequences are
//! copied byte for byte; only what changes is encoded anew (with dicom-encoding's encoders).

use super::dates::{shift_da, shift_dt};
use super::output::Pieces;
use super::uid::{is_dicom_defined, mask_uids_in_text, replace_uids_in_text, replacement_uid};
use crate::decide::{dummy_text, Cursor, Decider};
use crate::key::Key;
use crate::options::ProfileOption;
use crate::parse::syntax::IMPLICIT_VR_LITTLE_ENDIAN;
use crate::parse::{Body, Element, Syntax, ITEM, ITEM_DELIMITER, SEQUENCE_DELIMITER};
use crate::rules::model::Action;
use crate::value::is_text_vr;
use dicom_core::header::DataElementHeader;
use dicom_core::{Length, Tag, VR};
use std::collections::HashSet;

/// Counts of what was done, for the run's summary.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Changes {
    pub removed: usize,
    pub emptied: usize,
    pub replaced: usize,
    pub uids_replaced: usize,
    pub dates_shifted: usize,
    pub cleaned: usize,
    /// Frames whose burned-in text was blacked out (Clean Pixel Data).
    pub frames_cleaned: usize,
}

pub struct Emitter<'d, 'a> {
    pub decider: &'d Decider<'a>,
    /// The inspection's decisions, read in the same order as the elements are emitted.
    pub decisions: Cursor<'d>,
    pub key: &'d Key,
    /// Days to shift dates by, when dates are shifted.
    pub date_offset: Option<i64>,
    /// Every value we wrote, so the re-inspection can tell our values from leftovers.
    pub produced: HashSet<String>,
    pub changes: Changes,
    pub warnings: Vec<String>,
}

/// An element to add at the top level, already encoded; it replaces the file's own element
/// with the same tag (empty pieces: the element is removed).
pub struct Insertion {
    pub tag: u32,
    pub pieces: Pieces,
}

impl Insertion {
    pub fn bytes(tag: u32, bytes: Vec<u8>) -> Insertion {
        Insertion {
            tag,
            pieces: Pieces {
                segments: vec![super::output::Segment::New(bytes)],
            },
        }
    }

    pub fn remove(tag: u32) -> Insertion {
        Insertion {
            tag,
            pieces: Pieces::default(),
        }
    }
}

impl Emitter<'_, '_> {
    /// Emits a list of sibling elements. Returns `None` when nothing in it changes, so the
    /// caller can copy the enclosing item verbatim.
    pub fn elements(
        &mut self,
        elements: &[Element],
        syntax: Syntax,
        insertions: &mut Vec<Insertion>,
    ) -> Option<Pieces> {
        let mut pieces = Pieces::default();
        let mut changed = false;
        let mut pending = std::mem::take(insertions).into_iter().peekable();
        for element in elements {
            let decided = self.decisions.take();
            let end = self.decisions.end_of(decided);
            let mut replaced = false;
            while let Some(insert) = pending.next_if(|i| i.tag <= element.tag) {
                pieces.append(insert.pieces);
                changed = true;
                // Our value replaces the file's own element with the same tag.
                replaced |= insert.tag == element.tag;
            }
            if !replaced {
                match self.element(element, decided.action, syntax) {
                    Some(out) => {
                        changed = true;
                        pieces.append(out);
                    }
                    None => pieces.copy(element.start..element.end),
                }
            }
            // Past the element's nested decisions, whether or not its items were emitted.
            self.decisions.resume_at(end);
        }
        for insert in pending {
            pieces.append(insert.pieces);
            changed = true;
        }
        changed.then_some(pieces)
    }

    /// Emits one element; `None` means "unchanged, copy it".
    fn element(&mut self, element: &Element, action: Action, syntax: Syntax) -> Option<Pieces> {
        let mut pieces = Pieces::default();
        match (action, &element.body) {
            (Action::X, _) => {
                self.changes.removed += 1;
            }
            (Action::Z, _) => {
                if element.value_len() == 0 && !element.undefined_length {
                    return None;
                }
                self.changes.emptied += 1;
                self.header(&mut pieces, element, syntax, 0);
            }
            (_, Body::Sequence { items, implicit_vr }) => {
                let inner = if *implicit_vr {
                    Syntax::from_uid(IMPLICIT_VR_LITTLE_ENDIAN)
                } else {
                    syntax
                };
                let mut rebuilt: Vec<Option<Pieces>> = Vec::with_capacity(items.len());
                for item in items {
                    rebuilt.push(self.elements(&item.elements, inner, &mut Vec::new()));
                }
                let faulty = items.iter().any(|item| item.length_was_wrong);
                if rebuilt.iter().all(Option::is_none) && !faulty {
                    return None;
                }
                self.header(&mut pieces, element, syntax, u32::MAX);
                for (item, contents) in items.iter().zip(rebuilt) {
                    match contents {
                        None if !item.length_was_wrong => pieces.copy(item.start..item.end),
                        None => {
                            // Re-frame the item's original elements with a correct delimiter.
                            inner.encode_delimiter(pieces.bytes(), ITEM, u32::MAX);
                            if let (Some(first), Some(last)) =
                                (item.elements.first(), item.elements.last())
                            {
                                pieces.copy(first.start..last.end);
                            }
                            inner.encode_delimiter(pieces.bytes(), ITEM_DELIMITER, 0);
                        }
                        Some(contents) => {
                            inner.encode_delimiter(pieces.bytes(), ITEM, u32::MAX);
                            pieces.append(contents);
                            inner.encode_delimiter(pieces.bytes(), ITEM_DELIMITER, 0);
                        }
                    }
                }
                syntax.encode_delimiter(pieces.bytes(), SEQUENCE_DELIMITER, 0);
            }
            (Action::K, _) | (_, Body::Encapsulated { .. }) => return None,
            (action, Body::Value) => {
                let new_value = self.new_value(element, action)?;
                self.value(&mut pieces, element, syntax, new_value);
            }
        }
        Some(pieces)
    }

    /// The replacement text for D, U and C on a plain value; `None` keeps it unchanged.
    fn new_value(&mut self, element: &Element, action: Action) -> Option<Vec<u8>> {
        let vr = element.vr;
        let original = self.decider.text(element);
        let text = match action {
            Action::U | Action::D if vr == VR::UI => {
                let mut changed = false;
                let replaced = original
                    .split('\\')
                    .map(|uid| {
                        let uid = uid.trim_matches(|c| c == '\0' || c == ' ');
                        if uid.is_empty() || is_dicom_defined(uid) {
                            uid.to_string()
                        } else {
                            changed = true;
                            replacement_uid(self.key, uid)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\\");
                // Counted only when a UID really changed (DICOM-defined ones stay).
                if changed {
                    self.changes.uids_replaced += 1;
                }
                replaced
            }
            Action::C if matches!(vr, VR::DA | VR::DT | VR::TM) => self.clean_date(vr, &original),
            Action::C if matches!(vr, VR::UN | VR::OB | VR::OW) => {
                // Binary values are masked in the bytes of the encoding the text was found in.
                let bytes = self.decider.file.value_bytes(element);
                let charset = self.decider.charset_for(element);
                let masked = self
                    .decider
                    .identity
                    .mask_bytes(bytes, element.tag, charset)?;
                self.changes.cleaned += 1;
                return Some(masked);
            }
            Action::C => {
                if !is_text_vr(vr) {
                    return None;
                }
                // UIDs first: masking an ID inside a UID would leave the rest of it.
                let with_uids = self.uids_replaced_in_text(vr, &original);
                let text = with_uids.as_deref().unwrap_or(&original);
                let masked = match self.decider.identity.mask(text, element.tag) {
                    Some(masked) => masked,
                    None => with_uids?,
                };
                self.changes.cleaned += 1;
                // Re-encode in the element's character set (or write the X's over the bytes
                // of a set that cannot be re-encoded).
                return Some(pad(
                    self.decider
                        .charset_for(element)
                        .encode_masked(self.decider.file.value_bytes(element), &masked),
                    vr,
                    &mut self.produced,
                    &masked,
                ));
            }
            _ => {
                self.changes.replaced += 1;
                match dummy_text(vr) {
                    Some(dummy) => dummy.to_string(),
                    // Binary VRs: a zero of the VR's unit size.
                    None => {
                        let size = match vr {
                            VR::FD | VR::SV | VR::UV | VR::OD | VR::OV => 8,
                            VR::UL | VR::SL | VR::FL | VR::AT | VR::OF | VR::OL => 4,
                            _ => 2,
                        };
                        return Some(vec![0; size]);
                    }
                }
            }
        };
        let bytes = text.clone().into_bytes();
        Some(pad(bytes, vr, &mut self.produced, &text))
    }

    /// The text with the UIDs written in it replaced (or masked, where the VR's length limit
    /// has no room for the longer new UID); `None` when it holds none.
    fn uids_replaced_in_text(&self, vr: VR, text: &str) -> Option<String> {
        if self.decider.options.has(ProfileOption::RetainUids) {
            return None;
        }
        let replaced = replace_uids_in_text(self.key, text)?;
        let limit = match vr {
            VR::AE | VR::SH => 16,
            VR::LO | VR::PN => 64,
            VR::ST => 1024,
            VR::LT => 10240,
            _ => usize::MAX,
        };
        if replaced.chars().count() <= limit {
            Some(replaced)
        } else {
            mask_uids_in_text(text)
        }
    }

    /// Modified Dates shifts; otherwise a C on a date (no such cell in the 2026c table) is
    /// treated as a dummy.
    fn clean_date(&mut self, vr: VR, original: &str) -> String {
        let shifted = match (self.date_offset, vr) {
            (Some(days), VR::DA) => shift_da(original, days),
            (Some(days), VR::DT) => shift_dt(original, days),
            // Whole-day shifts leave times of day as they are.
            (Some(_), VR::TM) => Some(original.to_string()),
            _ => None,
        };
        match shifted {
            Some(value) => {
                self.changes.dates_shifted += 1;
                value
            }
            None => {
                if self.date_offset.is_some() {
                    self.warnings.push(format!(
                        "a date that could not be shifted (\"{original}\") was replaced with a dummy"
                    ));
                }
                self.changes.replaced += 1;
                dummy_text(vr).unwrap_or_default().to_string()
            }
        }
    }

    fn header(&self, pieces: &mut Pieces, element: &Element, syntax: Syntax, length: u32) {
        let header = DataElementHeader::new(
            Tag(element.group(), element.element()),
            element.vr,
            Length(length),
        );
        syntax.encode_header(pieces.bytes(), header);
    }

    fn value(&self, pieces: &mut Pieces, element: &Element, syntax: Syntax, value: Vec<u8>) {
        self.header(pieces, element, syntax, value.len() as u32);
        pieces.bytes().extend_from_slice(&value);
    }
}

/// Values have even length: text is padded with a space, UIDs with a NUL (PS3.5 6.2, 9.1).
fn pad(mut bytes: Vec<u8>, vr: VR, produced: &mut HashSet<String>, text: &str) -> Vec<u8> {
    produced.insert(text.trim_end().to_string());
    for one in text.split('\\') {
        produced.insert(one.trim().to_string());
    }
    if bytes.len() % 2 == 1 {
        bytes.push(if vr == VR::UI { 0 } else { b' ' });
    }
    bytes
}

/// Encodes a top-level element we add (PS3.15 E.1.1 attributes).
pub fn encode_text_element(syntax: Syntax, tag: u32, vr: VR, text: &str) -> Vec<u8> {
    encode_element(syntax, tag, vr, text.as_bytes())
}

/// Encodes one element, padding an odd-length value to even length (UI with a NUL, others
/// with a space; PS3.5 6.2).
pub fn encode_element(syntax: Syntax, tag: u32, vr: VR, value: &[u8]) -> Vec<u8> {
    let mut value = value.to_vec();
    if value.len() % 2 == 1 {
        value.push(if vr == VR::UI { 0 } else { b' ' });
    }
    let mut out = Vec::new();
    let header = DataElementHeader::new(
        Tag((tag >> 16) as u16, tag as u16),
        vr,
        Length(value.len() as u32),
    );
    syntax.encode_header(&mut out, header);
    out.extend_from_slice(&value);
    out
}

/// Encodes a sequence of items, each a list of already-encoded elements.
pub fn encode_sequence(syntax: Syntax, tag: u32, items: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    let header = DataElementHeader::new(
        Tag((tag >> 16) as u16, tag as u16),
        VR::SQ,
        Length::UNDEFINED,
    );
    syntax.encode_header(&mut out, header);
    for item in items {
        syntax.encode_delimiter(&mut out, ITEM, u32::MAX);
        out.extend_from_slice(item);
        syntax.encode_delimiter(&mut out, ITEM_DELIMITER, 0);
    }
    syntax.encode_delimiter(&mut out, SEQUENCE_DELIMITER, 0);
    out
}
