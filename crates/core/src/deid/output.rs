//! The de-identified file as a list of pieces: new bytes we wrote, and ranges of the input
//! copied as they are. Pixel Data is always a copied range, never re-encoded, so a caller with
//! a huge file copies it from the original file without ever holding it (see
//! `Deidentifier::deidentify_sparse`).

use crate::error::OutputError;
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Bytes written by us.
    New(Vec<u8>),
    /// A range of the source data set bytes, copied unchanged. In a whole output
    /// (`DeidentifiedPieces::pieces`) these are offsets in the original file. `u64`: files can
    /// exceed `usize` on 32-bit targets.
    Copy(Range<u64>),
}

#[derive(Debug, Default, Clone)]
pub struct Pieces {
    pub segments: Vec<Segment>,
}

impl Pieces {
    /// Appends new bytes, merging with a preceding new piece.
    pub fn bytes(&mut self) -> &mut Vec<u8> {
        if !matches!(self.segments.last(), Some(Segment::New(_))) {
            self.segments.push(Segment::New(Vec::new()));
        }
        match self.segments.last_mut() {
            Some(Segment::New(bytes)) => bytes,
            _ => unreachable!("a New segment was just pushed"),
        }
    }

    /// Appends a copied range, merging with an adjacent preceding range.
    pub fn copy(&mut self, range: Range<usize>) {
        self.copy_u64(range.start as u64..range.end as u64);
    }

    /// Appends a copied range given in `u64` offsets.
    pub fn copy_u64(&mut self, range: Range<u64>) {
        if range.is_empty() {
            return;
        }
        if let Some(Segment::Copy(last)) = self.segments.last_mut() {
            if last.end == range.start {
                last.end = range.end;
                return;
            }
        }
        self.segments.push(Segment::Copy(range));
    }

    pub fn append(&mut self, other: Pieces) {
        for segment in other.segments {
            match segment {
                Segment::New(bytes) => self.bytes().extend_from_slice(&bytes),
                Segment::Copy(range) => self.copy_u64(range),
            }
        }
    }

    /// Overwrites `bytes` at output offset `at`, inside one new piece; `false` when they
    /// are not all in one (a copied range is never changed: it is the input's).
    pub(crate) fn overwrite(&mut self, at: u64, bytes: &[u8]) -> bool {
        let mut start = 0u64;
        for segment in &mut self.segments {
            let length = match segment {
                Segment::New(b) => b.len() as u64,
                Segment::Copy(r) => r.end.saturating_sub(r.start),
            };
            if at >= start && at < start + length {
                let Segment::New(piece) = segment else {
                    return false;
                };
                let from = (at - start) as usize;
                return match piece.get_mut(from..from + bytes.len()) {
                    Some(target) => {
                        target.copy_from_slice(bytes);
                        true
                    }
                    None => false,
                };
            }
            start += length;
        }
        false
    }

    /// The total length in bytes.
    pub fn len(&self) -> u64 {
        self.segments
            .iter()
            .map(|s| match s {
                Segment::New(b) => b.len() as u64,
                Segment::Copy(r) => r.end.saturating_sub(r.start),
            })
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes the pieces out, reading copied ranges from `source`. Fails (instead of writing a
    /// wrong file) if a range lies outside `source`.
    pub fn write_to(&self, source: &[u8], out: &mut Vec<u8>) -> Result<(), OutputError> {
        for segment in &self.segments {
            match segment {
                Segment::New(bytes) => out.extend_from_slice(bytes),
                Segment::Copy(range) => {
                    let bytes = usize::try_from(range.start)
                        .ok()
                        .zip(usize::try_from(range.end).ok())
                        .and_then(|(start, end)| source.get(start..end))
                        .ok_or_else(|| OutputError::CopyOutsideInput {
                            range: range.clone(),
                            input_length: source.len() as u64,
                        })?;
                    out.extend_from_slice(bytes);
                }
            }
        }
        Ok(())
    }
}
