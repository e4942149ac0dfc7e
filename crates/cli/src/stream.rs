//! Reading and writing files in parts, so a 2 GB cine costs a few MB of memory: the core is
//! given the header (and what it asks for after Pixel Data), and the output is written by
//! copying ranges of the input file with a bounded buffer. The same path serves small files
//! (their first read is the whole file).

use dicom_leakcheck::deid::output::Segment;
use dicom_leakcheck::parse::{next_fragment, ParseOutcome, SparseFile};
use std::borrow::Cow;
use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::Path;

/// Fragment headers read ahead in one go: 8 bytes each plus bookkeeping, a few MB at most.
const MAX_CHAINED: usize = 1 << 16;

/// The core's loop: call `step` with what was read so far; read each range it asks for.
/// The outer error is an I/O failure; the inner result is the core's.
pub fn drive<T, E>(
    file: &mut File,
    mut step: impl FnMut(&SparseFile<'_>) -> Result<ParseOutcome<T>, E>,
) -> io::Result<Result<T, E>> {
    let total = file.metadata()?.len();
    let mut segments: Vec<(u64, Vec<u8>)> = Vec::new();
    let mut chained = HashSet::new();
    loop {
        let sparse = SparseFile::new(
            total,
            segments
                .iter()
                .map(|(offset, bytes)| (*offset, Cow::Borrowed(bytes.as_slice()))),
        )
        .map_err(|e| io::Error::other(e.to_string()))?;
        let ranges = match step(&sparse) {
            Ok(ParseOutcome::Parsed(done)) => return Ok(Ok(done)),
            Err(e) => return Ok(Err(e)),
            Ok(ParseOutcome::Need(ranges)) => ranges,
        };
        drop(sparse);
        for range in ranges {
            let bytes = read_range(file, range.clone())?;
            // An 8-byte range is (most likely) a fragment header the parser could not see past:
            // read the rest of the chain now rather than one header per round.
            if bytes.len() == 8 && chained.insert(range.start) {
                follow_fragments(
                    file,
                    total,
                    range.start,
                    &bytes,
                    &mut chained,
                    &mut segments,
                )?;
            }
            segments.push((range.start, bytes));
        }
        // Keep merged segments compact so the next round does not copy them again.
        segments = merge(segments);
    }
}

fn read_range(file: &mut File, range: Range<u64>) -> io::Result<Vec<u8>> {
    let length = range.end.saturating_sub(range.start);
    let mut bytes = Vec::new();
    file.seek(SeekFrom::Start(range.start))?;
    // `take`: never more than asked, even if the file grew meanwhile.
    Read::take(&mut *file, length).read_to_end(&mut bytes)?;
    if bytes.len() as u64 != length {
        return Err(io::Error::other(
            "the file became shorter while it was being read",
        ));
    }
    Ok(bytes)
}

/// Reads the fragment headers that follow the one at `offset` (8 bytes each, never the
/// fragments), up to a bound; stops at anything that is not a fragment header.
fn follow_fragments(
    file: &mut File,
    total: u64,
    offset: u64,
    header: &[u8],
    chained: &mut HashSet<u64>,
    segments: &mut Vec<(u64, Vec<u8>)>,
) -> io::Result<()> {
    let mut next = next_fragment(offset, header);
    let mut count = 0;
    while let Some(at) = next {
        count += 1;
        if count > MAX_CHAINED || at.saturating_add(8) > total || !chained.insert(at) {
            break;
        }
        let bytes = read_range(file, at..at + 8)?;
        next = next_fragment(at, &bytes);
        segments.push((at, bytes));
    }
    Ok(())
}

/// Adjacent segments become one, so `SparseFile::new` borrows instead of copying.
fn merge(mut segments: Vec<(u64, Vec<u8>)>) -> Vec<(u64, Vec<u8>)> {
    segments.sort_by_key(|(offset, _)| *offset);
    let mut out: Vec<(u64, Vec<u8>)> = Vec::with_capacity(segments.len());
    for (offset, bytes) in segments {
        if let Some((last_offset, last)) = out.last_mut() {
            if *last_offset + last.len() as u64 == offset {
                last.extend_from_slice(&bytes);
                continue;
            }
        }
        out.push((offset, bytes));
    }
    out
}

/// Writes the output pieces to `target`, copying ranges from `input`. A partial output is
/// removed on failure.
pub fn write_pieces(input: &mut File, pieces: &[Segment], target: &Path) -> Result<(), String> {
    let result = (|| -> io::Result<()> {
        let mut out = BufWriter::new(File::create(target)?);
        for piece in pieces {
            match piece {
                Segment::New(bytes) => out.write_all(bytes)?,
                Segment::Copy(range) => {
                    let length = range.end.saturating_sub(range.start);
                    input.seek(SeekFrom::Start(range.start))?;
                    // std::io::copy moves the bytes through a small buffer (or the kernel).
                    let copied = io::copy(&mut Read::take(&mut *input, length), &mut out)?;
                    if copied != length {
                        return Err(io::Error::other(
                            "the input became shorter while it was being copied",
                        ));
                    }
                }
            }
        }
        out.flush()
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(target);
        format!("cannot write {}: {e}", target.display())
    })
}
