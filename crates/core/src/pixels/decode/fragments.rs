//! Encapsulated Pixel Data (PS3.5 A.4): a Basic Offset Table item, then one item per fragment.
//! The parse layer only counts fragments, so the items are walked here again, each length
//! checked against the bytes that exist. Which fragments make a frame comes from, in order:
//! the Extended Offset Table (7FE0,0001/0002), the Basic Offset Table, one fragment per frame
//! when the counts match, all fragments for a single frame, or the codec's start marker.

use super::attrs::Attrs;
use super::{ImageInfo, PixelError, PixelErrorKind};
use crate::parse::{Element, ParsedFile};
use crate::tags;
use std::ops::Range;

const ITEM: [u8; 4] = [0xFE, 0xFF, 0x00, 0xE0];

pub(crate) struct Fragments {
    /// The Basic Offset Table's bytes (range in the value).
    table: Range<usize>,
    /// Each fragment: offset of its item header from the first fragment's item header (what
    /// offset tables count), and its data range in the value.
    items: Vec<(u64, Range<usize>)>,
}

impl Fragments {
    pub fn read(parsed: &ParsedFile, element: &Element) -> Result<Fragments, PixelError> {
        let value = parsed.value_bytes(element);
        let mut pos = 0usize;
        let mut table = None;
        let mut items = Vec::new();
        let mut first_item = 0usize;
        while pos + 8 <= value.len() {
            let header = &value[pos..pos + 8];
            if header[..4] != ITEM {
                // A sequence delimiter or garbage: the fragments end here.
                break;
            }
            let length = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
            let start = pos + 8;
            let end = match start.checked_add(length) {
                Some(end) if end <= value.len() => end,
                // A length past the end: keep what is there; the codec reports the damage.
                _ => value.len(),
            };
            if table.is_none() {
                table = Some(start..end);
                first_item = end;
            } else {
                items.push(((pos - first_item) as u64, start..end));
            }
            pos = end;
        }
        let table = table.ok_or_else(|| {
            PixelError::new(
                PixelErrorKind::Damaged,
                "the encapsulated Pixel Data has no items (no Basic Offset Table)",
            )
        })?;
        if items.is_empty() {
            return Err(PixelError::new(
                PixelErrorKind::Damaged,
                "the encapsulated Pixel Data has no fragments (no compressed data)",
            ));
        }
        Ok(Fragments { table, items })
    }

    /// The compressed bytes of frame `index`, its fragments joined.
    pub fn frame(
        &self,
        parsed: &ParsedFile,
        info: &ImageInfo,
        index: u32,
        marker: Option<[u8; 2]>,
    ) -> Result<Vec<u8>, PixelError> {
        let element = parsed.pixel_data().ok_or_else(|| {
            PixelError::new(PixelErrorKind::NoPixelData, "the file has no Pixel Data")
        })?;
        let value = parsed.value_bytes(element);
        let groups = self.groups(parsed, info, value, marker).ok_or_else(|| {
            PixelError::new(PixelErrorKind::UnknownFrameLayout, format!(
                "cannot tell which of the {} fragments belong to which of the {} frames (no usable offset table)",
                self.items.len(),
                info.frames
            ))
        })?;
        let group = groups.get(index as usize).ok_or_else(|| {
            PixelError::new(
                PixelErrorKind::MissingFrame,
                format!(
                    "frame {index}: the Pixel Data holds only {} frames",
                    groups.len()
                ),
            )
        })?;
        let mut out = Vec::new();
        for item in &self.items[group.clone()] {
            out.extend_from_slice(value.get(item.1.clone()).unwrap_or_default());
        }
        if out.is_empty() {
            return Err(PixelError::new(
                PixelErrorKind::MissingFrame,
                format!("frame {index} has no compressed data"),
            ));
        }
        Ok(out)
    }

    /// Fragment index ranges, one per frame.
    fn groups(
        &self,
        parsed: &ParsedFile,
        info: &ImageInfo,
        value: &[u8],
        marker: Option<[u8; 2]>,
    ) -> Option<Vec<Range<usize>>> {
        let frames = info.frames as usize;
        if let Some(offsets) = self.extended_offsets(parsed) {
            if let Some(groups) = self.by_offsets(&offsets, frames) {
                return Some(groups);
            }
        }
        let table = value.get(self.table.clone()).unwrap_or_default();
        if !table.is_empty() {
            let offsets: Vec<u64> = table
                .chunks_exact(4)
                .map(|c| u64::from(u32::from_le_bytes([c[0], c[1], c[2], c[3]])))
                .collect();
            if let Some(groups) = self.by_offsets(&offsets, frames) {
                return Some(groups);
            }
        }
        if self.items.len() == frames {
            return Some((0..frames).map(|i| i..i + 1).collect());
        }
        if frames == 1 {
            #[allow(clippy::single_range_in_vec_init)] // one frame made of all fragments
            return Some(vec![0..self.items.len()]);
        }
        let marker = marker?;
        let starts: Vec<usize> = self
            .items
            .iter()
            .enumerate()
            .filter(|(_, (_, r))| value.get(r.start..r.start + 2) == Some(&marker[..]))
            .map(|(i, _)| i)
            .collect();
        if starts.len() != frames || starts.first() != Some(&0) {
            return None;
        }
        let mut groups = Vec::with_capacity(frames);
        for (n, start) in starts.iter().enumerate() {
            let end = starts.get(n + 1).copied().unwrap_or(self.items.len());
            groups.push(*start..end);
        }
        Some(groups)
    }

    /// The Extended Offset Table (PS3.3 C.7.6.3.1.8): 64-bit offsets, checked to match
    /// the lengths table in count.
    fn extended_offsets(&self, parsed: &ParsedFile) -> Option<Vec<u64>> {
        let a = Attrs::new(parsed);
        let table = a.bytes(tags::EXTENDED_OFFSET_TABLE)?;
        let lengths = a.bytes(tags::EXTENDED_OFFSET_TABLE_LENGTHS)?;
        if table.is_empty() || table.len() % 8 != 0 || table.len() != lengths.len() {
            return None;
        }
        Some(
            table
                .chunks_exact(8)
                .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
                .collect(),
        )
    }

    /// Groups fragments by frame start offsets; `None` unless the offsets are one per frame,
    /// start at 0, increase, and each lands exactly on a fragment's item header.
    fn by_offsets(&self, offsets: &[u64], frames: usize) -> Option<Vec<Range<usize>>> {
        if offsets.len() != frames || offsets.first() != Some(&0) {
            return None;
        }
        let mut starts = Vec::with_capacity(frames);
        for offset in offsets {
            let at = self.items.binary_search_by_key(offset, |(o, _)| *o).ok()?;
            if starts.last().is_some_and(|last| *last >= at) {
                return None;
            }
            starts.push(at);
        }
        let mut groups = Vec::with_capacity(frames);
        for (n, start) in starts.iter().enumerate() {
            let end = starts.get(n + 1).copied().unwrap_or(self.items.len());
            groups.push(*start..end);
        }
        Some(groups)
    }
}
