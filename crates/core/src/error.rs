//! The core's errors: what went wrong, with where (byte offset, tag) when it is known. Callers
//! branch on the variant, never on the message.

use crate::parse::ParseError;
use crate::pixels::decode::PixelError;

/// Why a request on one file failed. Every other file of a batch goes on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input could not be read as DICOM (see `ParseError::not_dicom` for bytes that are
    /// not DICOM at all, which a batch skips instead of reporting).
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// The image could not be decoded (the header was read).
    #[error(transparent)]
    Pixels(#[from] PixelError),
    /// The de-identified output could not be written or read back: a defect of ours, never
    /// the input's fault. The output must not be used.
    #[error("{0}")]
    Output(String),
    /// A `Session` was used out of order: bytes outside the file, or `finish` before the
    /// session said it needed nothing more.
    #[error("{0}")]
    Session(String),
}

impl Error {
    /// The input is not DICOM at all (not a broken DICOM file).
    pub fn not_dicom(&self) -> bool {
        matches!(self, Error::Parse(e) if e.not_dicom)
    }
}
