//! The de-identified file as a list of pieces: new bytes we wrote, and ranges of the input
//! copied as they are. Pixel Data is always a copied range, never re-encoded.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Bytes written by us.
    New(Vec<u8>),
    /// A range of the source data set bytes, copied unchanged.
    Copy(Range<usize>),
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
                Segment::Copy(range) => self.copy(range),
            }
        }
    }

    pub fn len(&self) -> usize {
        self.segments
            .iter()
            .map(|s| match s {
                Segment::New(b) => b.len(),
                Segment::Copy(r) => r.len(),
            })
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes the pieces out, reading copied ranges from `source`.
    pub fn write_to(&self, source: &[u8], out: &mut Vec<u8>) {
        out.reserve(self.len());
        for segment in &self.segments {
            match segment {
                Segment::New(bytes) => out.extend_from_slice(bytes),
                Segment::Copy(range) => out.extend_from_slice(&source[range.clone()]),
            }
        }
    }
}
