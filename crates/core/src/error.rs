//! The core's errors: what went wrong, with where (byte offset, tag) when it is known. Callers
//! branch on the variant and its kind, never on the message.

use crate::parse::{ParseError, ParseErrorKind};
use crate::pixels::decode::{PixelError, PixelErrorKind};
use std::ops::Range;

/// Why a request on one file failed. Every other file of a batch goes on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input could not be read as DICOM (see `ParseErrorKind::NotDicom` for bytes that are
    /// not DICOM at all, which a batch skips instead of reporting).
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// The image could not be decoded (the header was read).
    #[error(transparent)]
    Pixels(#[from] PixelError),
    /// The de-identified output could not be written or read back: a defect of ours, never
    /// the input's fault. The output must not be used.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// A `Session` was used out of order: bytes outside the file, or `finish` before the
    /// session said it needed nothing more.
    #[error(transparent)]
    Session(#[from] SessionError),
    /// The request contradicts itself (e.g. two options that exclude each other).
    #[error(transparent)]
    Request(#[from] RequestError),
}

/// Why the output could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OutputError {
    /// A piece of the output copies bytes the input does not have.
    #[error("bytes {}..{} to copy lie outside the {input_length}-byte input", range.start, range.end)]
    CopyOutsideInput {
        range: Range<u64>,
        input_length: u64,
    },
    /// A Deflated data set could not be compressed again (PS3.5 A.5).
    #[error("cannot deflate the data set: {0}")]
    Deflate(String),
    /// The output does not parse again: the safety net's re-inspection could not run.
    #[error("the de-identified output does not parse again: {0}")]
    Unreadable(ParseError),
    /// A DICOMDIR could not be written over the de-identified files (PS3.3 Annex F): a
    /// record that repeats an element, offsets beyond 32 bits, no file ID left, or a
    /// read-back of what we wrote that does not hold.
    #[error("{0}")]
    Directory(String),
    /// Reading the output again needs bytes the input did not have.
    #[error("the de-identified output does not parse again: it needs bytes the input did not have ({ranges:?})")]
    Incomplete { ranges: Vec<Range<u64>> },
    /// Text is still in the pixels after cleaning and the output's Burned In Annotation could
    /// not be set to YES (a Deflated data set): the file is not written rather than claim NO.
    #[error("text is still in the image after cleaning and Burned In Annotation (0028,0301) could not be set to YES in this Deflated output; the file is not written rather than claim no text is left")]
    TextLeftUnmarked,
}

/// How a `Session` was misused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// Bytes given past the end of the file.
    #[error("{length} bytes at offset {offset} reach past the end of the {total}-byte file")]
    PastEnd {
        offset: u64,
        length: u64,
        total: u64,
    },
    /// The file's structure asked again for bytes already read: no progress.
    #[error("the file's structure asked again for bytes already read ({ranges:?})")]
    NoProgress { ranges: Vec<Range<u64>> },
    /// `finish` before `need` came back empty.
    #[error("finish was called while the session still needed bytes")]
    NotFinished,
}

/// A request that cannot be carried out as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// Two chosen options exclude each other (named by their command-line names).
    #[error("the options {0} and {1} exclude each other: choose one")]
    ConflictingOptions(&'static str, &'static str),
}

impl Error {
    /// The input is not DICOM at all (not a broken DICOM file).
    pub fn not_dicom(&self) -> bool {
        matches!(self, Error::Parse(e) if e.is_not_dicom())
    }

    /// A short stable name of the error's kind, for other languages (the wasm layer's
    /// `kind`): e.g. `length-past-end`, `damaged`, `conflicting-options`.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Error::Parse(e) => match e.kind {
                ParseErrorKind::NotDicom => "not-dicom",
                ParseErrorKind::Truncated => "truncated",
                ParseErrorKind::LengthPastEnd => "length-past-end",
                ParseErrorKind::UnexpectedTag => "unexpected-tag",
                ParseErrorKind::BadHeader => "bad-header",
                ParseErrorKind::DepthLimit => "depth-limit",
                ParseErrorKind::BadTransferSyntax => "bad-transfer-syntax",
                ParseErrorKind::BadDeflate => "bad-deflate",
                ParseErrorKind::TooLarge => "too-large",
                ParseErrorKind::NotAvailable => "not-available",
                ParseErrorKind::BadRanges => "bad-ranges",
                ParseErrorKind::Internal => "internal",
            },
            Error::Pixels(e) => match e.kind {
                PixelErrorKind::NoPixelData => "no-pixel-data",
                PixelErrorKind::BadAttributes => "bad-image-attributes",
                PixelErrorKind::Unsupported => "unsupported-encoding",
                PixelErrorKind::NoSuchFrame => "no-such-frame",
                PixelErrorKind::MissingFrame => "missing-frame",
                PixelErrorKind::UnknownFrameLayout => "unknown-frame-layout",
                PixelErrorKind::Truncated => "pixel-data-truncated",
                PixelErrorKind::Damaged => "damaged",
                PixelErrorKind::TooLarge => "frame-too-large",
            },
            Error::Output(_) => "output",
            Error::Session(_) => "session",
            Error::Request(RequestError::ConflictingOptions(..)) => "conflicting-options",
        }
    }
}
