//! A request on a file read by ranges, without the core doing any I/O ("sans-IO"): the caller
//! asks the session what it `need`s, reads those byte ranges however it can (positioned reads
//! in the CLI, `File.slice` in the browser's worker) and `give`s them back, until `need` is
//! empty; then `finish` gives the outcome. A 2 GB cine is inspected and de-identified from its
//! header and the few bytes after Pixel Data; Pixel Data is copied from the original file.
//!
//! ```
//! # use dicom_leakcheck::{Options, Request, Session};
//! # let file = dicom_leakcheck::sample::sample_file();
//! let mut session = Session::new(Request::inspect(Options::basic()), file.len() as u64);
//! loop {
//!     let ranges = session.need();
//!     if ranges.is_empty() {
//!         break;
//!     }
//!     for range in ranges {
//!         let bytes = file[range.start as usize..range.end as usize].to_vec();
//!         session.give(range.start, bytes)?;
//!     }
//! }
//! let outcome = session.finish()?;
//! assert!(outcome.report.summary.flagged > 0);
//! # Ok::<(), dicom_leakcheck::Error>(())
//! ```
//!
//! The read-ahead lives here too: encapsulated Pixel Data without a Basic Offset Table (PS3.5
//! A.4) can only be walked one fragment header at a time, so when the session is given a
//! fragment header it asks for the next one straight away, without parsing the file again.

use crate::check::{attempt, Outcome, Request, PIXEL_SEARCH_MAX_BYTES};
use crate::error::{Error, SessionError};
use crate::parse::{next_fragment, ParseOutcome, SparseFile, HEADER_CHUNK};
use std::borrow::Cow;
use std::ops::Range;

/// Fragment headers followed ahead in one chain: 8 bytes each, so at most a few MB.
const MAX_CHAINED: usize = 1 << 16;

/// One request on one file known by its length and the ranges given so far.
pub struct Session {
    request: Request,
    total: u64,
    /// Bytes given so far: sorted, non-overlapping, adjacent ones merged (so the parser
    /// borrows them instead of copying).
    segments: Vec<(u64, Vec<u8>)>,
    /// The next fragment header to read ahead, and how many were followed in this chain.
    ahead: Option<u64>,
    chained: usize,
    done: Option<Result<Outcome, Error>>,
}

impl Session {
    /// A session for a file of `total_length` bytes.
    pub fn new(request: Request, total_length: u64) -> Session {
        Session {
            request,
            total: total_length,
            segments: Vec::new(),
            ahead: None,
            chained: 0,
            done: None,
        }
    }

    pub fn total_length(&self) -> u64 {
        self.total
    }

    /// The byte ranges to read and `give` next (absolute offsets, sorted, non-overlapping).
    /// Empty when the session has its answer: call `finish`.
    // A list that holds one range, not the range's numbers.
    #[allow(clippy::single_range_in_vec_init)]
    pub fn need(&mut self) -> Vec<Range<u64>> {
        if self.done.is_some() {
            return Vec::new();
        }
        // A header read ahead may have arrived meanwhile among other bytes.
        if let Some(at) = self.ahead.take().filter(|at| !self.has(*at..*at + 8)) {
            return vec![at..at + 8];
        }
        if self.segments.is_empty() && self.total > 0 {
            return vec![0..self.first_read()];
        }
        let outcome = SparseFile::new(
            self.total,
            self.segments
                .iter()
                .map(|(offset, bytes)| (*offset, Cow::Borrowed(bytes.as_slice()))),
        )
        .map_err(Error::from)
        .and_then(|file| {
            let outcome = attempt(&file, &self.request)?;
            // A range asked for again means no progress: refuse rather than loop forever.
            if let ParseOutcome::Need(ranges) = &outcome {
                if ranges.is_empty() || ranges.iter().any(|r| file.missing(r.clone()).is_empty()) {
                    return Err(Error::Session(SessionError::NoProgress {
                        ranges: ranges.clone(),
                    }));
                }
            }
            Ok(outcome)
        });
        match outcome {
            Ok(ParseOutcome::Need(ranges)) => ranges,
            Ok(ParseOutcome::Parsed(outcome)) => {
                self.done = Some(Ok(outcome));
                Vec::new()
            }
            Err(e) => {
                self.done = Some(Err(e));
                Vec::new()
            }
        }
    }

    /// The bytes read at `offset`: any range of the file, usually one `need` asked for.
    pub fn give(&mut self, offset: u64, bytes: Vec<u8>) -> Result<(), Error> {
        let end = offset
            .checked_add(bytes.len() as u64)
            .filter(|end| *end <= self.total)
            .ok_or(Error::Session(SessionError::PastEnd {
                offset,
                length: bytes.len() as u64,
                total: self.total,
            }))?;
        if bytes.len() == 8 {
            self.read_ahead(offset, &bytes);
        }
        self.insert(offset, end, bytes);
        Ok(())
    }

    /// The outcome; an error when the file could not be read, or when the session still
    /// needs bytes.
    pub fn finish(self) -> Result<Outcome, Error> {
        self.done
            .unwrap_or(Err(Error::Session(SessionError::NotFinished)))
    }

    /// The first read: the whole file when its pixels will be read anyway, else the header.
    fn first_read(&self) -> u64 {
        let whole = self.request.reads_pixels()
            && (self.request.cleans_pixels() || self.total <= PIXEL_SEARCH_MAX_BYTES);
        if whole {
            self.total
        } else {
            self.total.min(HEADER_CHUNK)
        }
    }

    /// After an 8-byte read that is a fragment header, the next fragment header is asked for
    /// at once (see the module's documentation); a wrong guess costs one read, never a result.
    fn read_ahead(&mut self, offset: u64, header: &[u8]) {
        let Some(next) = next_fragment(offset, header) else {
            self.chained = 0;
            return;
        };
        let within = next.checked_add(8).is_some_and(|end| end <= self.total);
        if within && self.chained < MAX_CHAINED && !self.has(next..next + 8) {
            self.chained += 1;
            self.ahead = Some(next);
        } else {
            self.chained = 0;
        }
    }

    fn has(&self, range: Range<u64>) -> bool {
        let index = self.segments.partition_point(|(o, _)| *o <= range.start);
        index
            .checked_sub(1)
            .and_then(|i| self.segments.get(i))
            .is_some_and(|(o, b)| o + b.len() as u64 >= range.end)
    }

    /// Keeps the segments sorted, without overlaps, and adjacent ones merged.
    fn insert(&mut self, offset: u64, end: u64, bytes: Vec<u8>) {
        if bytes.is_empty() || self.has(offset..end) {
            return;
        }
        // Segments that overlap or touch [offset, end) become one with the new bytes.
        let first = self
            .segments
            .partition_point(|(o, b)| o + (b.len() as u64) < offset);
        let last = self.segments.partition_point(|(o, _)| *o <= end);
        if first == last {
            self.segments.insert(first, (offset, bytes));
            return;
        }
        let start = offset.min(self.segments[first].0);
        let (last_offset, last_bytes) = &self.segments[last - 1];
        let stop = end.max(last_offset + last_bytes.len() as u64);
        let mut merged = vec![0u8; (stop - start) as usize];
        for (o, b) in self.segments.drain(first..last) {
            let at = (o - start) as usize;
            merged[at..at + b.len()].copy_from_slice(&b);
        }
        let at = (offset - start) as usize;
        merged[at..at + bytes.len()].copy_from_slice(&bytes);
        self.segments.insert(first, (start, merged));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::Options;
    use crate::sample::sample_file;

    fn drive(session: &mut Session, file: &[u8], mut rounds: usize) -> usize {
        loop {
            let ranges = session.need();
            if ranges.is_empty() {
                return rounds;
            }
            rounds += 1;
            for r in ranges {
                session
                    .give(r.start, file[r.start as usize..r.end as usize].to_vec())
                    .expect("in bounds");
            }
        }
    }

    #[test]
    fn a_session_gives_the_same_report_as_whole_bytes() {
        let file = sample_file();
        let request = Request::inspect(Options::basic());
        let mut session = Session::new(request.clone(), file.len() as u64);
        drive(&mut session, &file, 0);
        let by_ranges = session.finish().expect("the sample reads");
        let whole = crate::check(&file, &request).expect("the sample reads");
        assert_eq!(by_ranges.report.elements.len(), whole.report.elements.len());
        assert_eq!(
            by_ranges.report.summary.flagged,
            whole.report.summary.flagged
        );
    }

    #[test]
    fn bytes_past_the_end_and_early_finish_are_errors() {
        let mut session = Session::new(Request::inspect(Options::basic()), 10);
        assert!(matches!(
            session.give(8, vec![0; 3]),
            Err(Error::Session(_))
        ));
        assert!(matches!(session.finish(), Err(Error::Session(_))));
    }

    #[test]
    fn overlapping_and_touching_segments_merge_into_one() {
        let mut session = Session::new(Request::inspect(Options::basic()), 100);
        session.give(10, vec![1; 10]).unwrap();
        session.give(30, vec![3; 10]).unwrap();
        session.give(15, vec![2; 15]).unwrap();
        assert_eq!(session.segments.len(), 1);
        let (offset, bytes) = &session.segments[0];
        assert_eq!((*offset, bytes.len()), (10, 30));
        assert_eq!(&bytes[..5], &[1; 5]);
        assert_eq!(&bytes[5..20], &[2; 15]);
        assert_eq!(&bytes[20..], &[3; 10]);
        session.give(50, vec![5; 4]).unwrap();
        assert_eq!(session.segments.len(), 2);
    }

    #[test]
    fn a_fragment_header_makes_the_session_ask_for_the_next_one() {
        let mut session = Session::new(Request::inspect(Options::basic()), 1000);
        // Item tag (FFFE,E000), length 100: the next header is at 200 + 8 + 100.
        let header = vec![0xFE, 0xFF, 0x00, 0xE0, 100, 0, 0, 0];
        session.give(200, header).unwrap();
        assert_eq!(session.need(), vec![308..316]);
    }
}
