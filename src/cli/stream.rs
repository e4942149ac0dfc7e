//! Reading and writing files in parts, so a 2 GB cine costs a few MB of memory: the core is
//! given the header (and what it asks for after Pixel Data), and the output is written by
//! copying ranges of the input file with a bounded buffer. The same path serves small files
//! (their first read is the whole file).

use dicom_leakcheck::deid::output::Segment;
use dicom_leakcheck::parse::{ParseOutcome, SparseFile};
use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

/// The core's loop: call `step` with what was read so far; read each range it asks for.
/// The outer error is an I/O failure; the inner result is the core's.
pub fn drive<T, E>(
    file: &mut File,
    mut step: impl FnMut(&SparseFile<'_>) -> Result<ParseOutcome<T>, E>,
) -> io::Result<Result<T, E>> {
    let total = file.metadata()?.len();
    let mut segments: Vec<(u64, Vec<u8>)> = Vec::new();
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
            segments.push((range.start, bytes));
        }
        // Keep merged segments compact so the next round does not copy them again.
        segments = merge(segments);
    }
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
