//! Where the parser reads bytes from: a whole file in memory, or a sparse file — its total
//! length plus the byte ranges the caller has read so far. A 2 GB ultrasound cine is inspected
//! and de-identified from its header (and anything after Pixel Data) alone: the walk skips
//! Pixel Data by arithmetic and, when it meets bytes it does not have, says which ranges it
//! needs instead of failing (see `ParseOutcome`).
//!
//! Offsets in the public API are `u64` (files beyond 4 GB); inside, they are `usize`, and a
//! file longer than `usize::MAX` (4 GB on wasm32) is refused with a clear error.

use super::{ParseError, ParseErrorKind};
use std::borrow::Cow;
use std::ops::Range;

/// How much to ask for at once when the walk runs out of header bytes: the header of most files
/// fits in one chunk, so the caller's loop is short.
pub const HEADER_CHUNK: u64 = 1 << 20;

/// The result of parsing a sparse file: done, or the byte ranges still needed (absolute file
/// offsets, sorted, non-overlapping). Give them (and every segment given before) and call again.
#[derive(Debug)]
pub enum ParseOutcome<T> {
    Parsed(T),
    Need(Vec<Range<u64>>),
}

impl<T> ParseOutcome<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ParseOutcome<U> {
        match self {
            ParseOutcome::Parsed(t) => ParseOutcome::Parsed(f(t)),
            ParseOutcome::Need(ranges) => ParseOutcome::Need(ranges),
        }
    }
}

/// A file known only in parts: its total length and some byte segments.
pub struct SparseFile<'a> {
    total: usize,
    /// Sorted, non-overlapping and non-adjacent (adjacent segments are merged, so any range
    /// that is present lies in one segment).
    segments: Vec<(usize, Cow<'a, [u8]>)>,
}

impl std::fmt::Debug for SparseFile<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ranges: Vec<Range<usize>> = self
            .segments
            .iter()
            .map(|(start, bytes)| *start..start + bytes.len())
            .collect();
        f.debug_struct("SparseFile")
            .field("total", &self.total)
            .field("segments", &ranges)
            .finish()
    }
}

impl<'a> SparseFile<'a> {
    /// A sparse file of `total_length` bytes of which `segments` (offset, bytes) are known.
    /// Segments may come in any order and may overlap or touch; they are merged (copying only
    /// where two must become one). A segment reaching past the end is an error.
    pub fn new(
        total_length: u64,
        segments: impl IntoIterator<Item = (u64, Cow<'a, [u8]>)>,
    ) -> Result<SparseFile<'a>, ParseError> {
        let total = usize::try_from(total_length).map_err(|_| {
            ParseError::new(ParseErrorKind::TooLarge, format!(
                "the file is {total_length} bytes long; files over {} bytes cannot be read on this platform",
                usize::MAX
            ))
        })?;
        let mut given: Vec<(usize, Cow<'a, [u8]>)> = Vec::new();
        for (offset, bytes) in segments {
            let end = offset.checked_add(bytes.len() as u64);
            match end {
                Some(end) if end <= total_length => {}
                _ => {
                    return Err(ParseError::new(ParseErrorKind::BadRanges, format!(
                        "a segment of {} bytes at offset {offset} reaches past the end of the {total_length}-byte file",
                        bytes.len()
                    )))
                }
            }
            if !bytes.is_empty() {
                // offset <= total <= usize::MAX, checked above.
                given.push((offset as usize, bytes));
            }
        }
        given.sort_by_key(|(offset, _)| *offset);
        let mut merged: Vec<(usize, Cow<'a, [u8]>)> = Vec::with_capacity(given.len());
        for (offset, bytes) in given {
            if let Some((last_start, last)) = merged.last_mut() {
                let last_end = *last_start + last.len();
                if offset <= last_end {
                    let end = offset + bytes.len();
                    if end > last_end {
                        let skip = last_end - offset;
                        let tail = bytes.get(skip..).unwrap_or_default();
                        last.to_mut().extend_from_slice(tail);
                    }
                    continue;
                }
            }
            merged.push((offset, bytes));
        }
        Ok(SparseFile {
            total,
            segments: merged,
        })
    }

    /// A whole file in memory, as one segment.
    pub fn whole(bytes: &'a [u8]) -> SparseFile<'a> {
        SparseFile {
            total: bytes.len(),
            segments: if bytes.is_empty() {
                Vec::new()
            } else {
                vec![(0, Cow::Borrowed(bytes))]
            },
        }
    }

    pub fn total_length(&self) -> u64 {
        self.total as u64
    }

    /// Every byte is present.
    pub fn is_complete(&self) -> bool {
        self.total == 0
            || self.segments.first().map(|(o, b)| (*o, b.len())) == Some((0, self.total))
    }

    /// The bytes of `range`, when all of them are present.
    pub fn get(&self, range: Range<u64>) -> Option<&[u8]> {
        let start = usize::try_from(range.start).ok()?;
        let end = usize::try_from(range.end).ok()?;
        self.slice(start, end.checked_sub(start)?)
    }

    /// The parts of `range` that are missing.
    pub fn missing(&self, range: Range<u64>) -> Vec<Range<u64>> {
        let mut out = Vec::new();
        let mut at = range.start;
        for (start, bytes) in &self.segments {
            let (start, end) = (*start as u64, (*start + bytes.len()) as u64);
            if end <= at {
                continue;
            }
            if start >= range.end {
                break;
            }
            if start > at {
                out.push(at..start);
            }
            at = at.max(end);
        }
        if at < range.end {
            out.push(at..range.end);
        }
        out
    }

    /// The present parts of `range`: (offset, bytes).
    pub fn present(&self, range: Range<u64>) -> Vec<(u64, &[u8])> {
        let mut out = Vec::new();
        for (start, bytes) in &self.segments {
            let (s, e) = (*start as u64, (*start + bytes.len()) as u64);
            let (from, to) = (s.max(range.start), e.min(range.end));
            if from < to {
                // from and to lie within this segment, so the subtraction and slice hold.
                let part = bytes
                    .get((from - s) as usize..(to - s) as usize)
                    .unwrap_or_default();
                out.push((from, part));
            }
        }
        out
    }

    /// The segment that starts at offset 0 (empty if there is none).
    pub(crate) fn head(&self) -> &[u8] {
        match self.segments.first() {
            Some((0, bytes)) => bytes,
            _ => &[],
        }
    }

    pub(crate) fn slice(&self, start: usize, len: usize) -> Option<&[u8]> {
        let end = start.checked_add(len)?;
        // The last segment starting at or before `start`.
        let index = self
            .segments
            .partition_point(|(offset, _)| *offset <= start)
            .checked_sub(1)?;
        let (offset, bytes) = self.segments.get(index)?;
        bytes.get(start - offset..end - offset)
    }

    /// The longest present run of bytes from `start`, at most `len` long.
    pub(crate) fn prefix(&self, start: usize, len: usize) -> &[u8] {
        let Some(index) = self
            .segments
            .partition_point(|(offset, _)| *offset <= start)
            .checked_sub(1)
        else {
            return &[];
        };
        let Some((offset, bytes)) = self.segments.get(index) else {
            return &[];
        };
        let from = start - offset;
        let to = from.saturating_add(len).min(bytes.len());
        bytes.get(from..to).unwrap_or_default()
    }
}

/// What the walk reads: a whole file, or a sparse one.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Input<'a> {
    Whole(&'a [u8]),
    Sparse(&'a SparseFile<'a>),
}

impl<'a> Input<'a> {
    pub fn len(self) -> usize {
        match self {
            Input::Whole(bytes) => bytes.len(),
            Input::Sparse(file) => file.total,
        }
    }

    /// `len` bytes from `start`, when present.
    pub fn get(self, start: usize, len: usize) -> Option<&'a [u8]> {
        match self {
            Input::Whole(bytes) => bytes.get(start..start.checked_add(len)?),
            Input::Sparse(file) => file.slice(start, len),
        }
    }

    /// The bytes of `range` that are present from its start on (all of them for a whole file).
    pub fn prefix(self, range: Range<usize>) -> &'a [u8] {
        let len = range.end.saturating_sub(range.start);
        match self {
            Input::Whole(bytes) => bytes.get(range).unwrap_or_default(),
            Input::Sparse(file) => file.prefix(range.start, len),
        }
    }

    /// The bytes present from offset 0 on.
    pub fn head(self) -> &'a [u8] {
        match self {
            Input::Whole(bytes) => bytes,
            Input::Sparse(file) => file.head(),
        }
    }

    pub fn is_complete(self) -> bool {
        match self {
            Input::Whole(_) => true,
            Input::Sparse(file) => file.is_complete(),
        }
    }

    /// The present parts of `range`: (offset, bytes).
    pub fn present(self, range: Range<u64>) -> Vec<(u64, &'a [u8])> {
        match self {
            Input::Whole(bytes) => {
                let end = range.end.min(bytes.len() as u64);
                if range.start >= end {
                    return Vec::new();
                }
                // Both bounds are at most bytes.len() here, so they fit in usize.
                match bytes.get(range.start as usize..end as usize) {
                    Some(part) if !part.is_empty() => vec![(range.start, part)],
                    _ => Vec::new(),
                }
            }
            Input::Sparse(file) => file.present(range),
        }
    }

    pub fn missing(self, range: Range<usize>) -> Vec<Range<u64>> {
        let range = range.start as u64..range.end as u64;
        match self {
            Input::Whole(_) => Vec::new(),
            Input::Sparse(file) => file.missing(range),
        }
    }
}
