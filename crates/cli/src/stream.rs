//! Reading and writing files in parts, so a 2 GB cine costs a few MB of memory: the core's
//! `Session` says which byte ranges it needs (the header, what follows Pixel Data, fragment
//! headers read ahead) and this reads them with positioned reads; the output is written by
//! copying ranges of the input file through a small buffer.

use dicom_leakcheck::Segment;
use dicom_leakcheck::{Error, Outcome, Request, Session};
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::Path;

/// Carries out `request` on `file`, reading what the core's session asks for. The outer
/// error is an I/O failure; the inner result is the core's.
pub fn drive(file: &mut File, request: Request) -> io::Result<Result<Outcome, Error>> {
    let mut session = Session::new(request, file.metadata()?.len());
    loop {
        let ranges = session.need();
        if ranges.is_empty() {
            return Ok(session.finish());
        }
        for range in ranges {
            let bytes = read_range(file, range.clone())?;
            if let Err(e) = session.give(range.start, bytes) {
                return Ok(Err(e));
            }
        }
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
