//! Damaged files in `inspect` and `deid`: what the part before the damage says (the core's
//! `inspect_damaged`), read from the file's first bytes only, up to the damage.

use dicom_leakcheck::{inspect_damaged, Error, Finding, Options, Summary};
use serde::Serialize;
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// For the JSON: whom the readable part names and what cleaning can do, in words, with its
/// summary and the elements it flags.
#[derive(Serialize)]
pub struct DamagedFile {
    pub text: String,
    pub readable_bytes: usize,
    pub summary: Summary,
    pub findings: Vec<Finding>,
}

/// The part of the file at `path` before the damage `error` reports, when there is one.
pub fn read(path: &Path, error: &Error, options: Options) -> Option<DamagedFile> {
    let Error::Parse(parse) = error else {
        return None;
    };
    let cut = parse.offset?;
    let mut bytes = Vec::new();
    File::open(path)
        .ok()?
        .take(cut as u64)
        .read_to_end(&mut bytes)
        .ok()?;
    let damaged = inspect_damaged(&bytes, parse, options)?;
    Some(DamagedFile {
        text: damaged.text,
        readable_bytes: damaged.readable_bytes,
        findings: damaged.report.findings().cloned().collect(),
        summary: damaged.report.summary,
    })
}
