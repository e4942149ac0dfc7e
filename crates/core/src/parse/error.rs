use std::fmt;

/// What kind of problem made a file unreadable. Callers and tests branch on this, never on the
/// message, which is for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The bytes are not DICOM at all (empty, or no "DICM" marker and no recognisable first
    /// element): a batch skips these instead of reporting an error.
    NotDicom,
    /// The data ends inside an element, item or fragment header.
    Truncated,
    /// An element or a Pixel Data fragment declares more bytes than are left.
    LengthPastEnd,
    /// A tag where it cannot be: an item or delimiter where an element was expected, or
    /// something else where an item or a fragment was expected.
    UnexpectedTag,
    /// An element header that cannot be read in the file's encoding.
    BadHeader,
    /// Sequences nested deeper than the walk allows.
    DepthLimit,
    /// The transfer syntax is missing and cannot be recognised, or contradicts the data set.
    BadTransferSyntax,
    /// A Deflated data set that does not inflate (PS3.5 A.5).
    BadDeflate,
    /// Larger than allowed: a Deflated data set expanding past the limit, or a file larger than
    /// this platform can address.
    TooLarge,
    /// The bytes needed are not among those given (reading by ranges): the caller reads them
    /// and tries again.
    NotAvailable,
    /// The ranges given do not fit the file (a segment past its end).
    BadRanges,
    /// The parser contradicted itself: a defect of ours, not of the file.
    Internal,
}

/// Why a file could not be read: the kind, the specific words, and the byte offset and tag
/// where it went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub kind: ParseErrorKind,
    pub message: String,
    /// Byte offset in the file (or in the inflated data set, see `in_inflated`).
    pub offset: Option<usize>,
    pub tag: Option<u32>,
    /// The offset counts bytes of the inflated data set of a Deflated file.
    pub in_inflated: bool,
}

impl ParseError {
    pub fn new(kind: ParseErrorKind, message: impl Into<String>) -> Self {
        ParseError {
            kind,
            message: message.into(),
            offset: None,
            tag: None,
            in_inflated: false,
        }
    }

    pub fn at(mut self, offset: usize) -> Self {
        self.offset = Some(offset);
        self
    }

    pub fn tag(mut self, tag: u32) -> Self {
        self.tag = Some(tag);
        self
    }

    /// The bytes are not DICOM at all (not a broken DICOM file).
    pub fn is_not_dicom(&self) -> bool {
        self.kind == ParseErrorKind::NotDicom
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(tag) = self.tag {
            write!(f, " (element {})", super::tag_text(tag))?;
        }
        if let Some(offset) = self.offset {
            let place = if self.in_inflated {
                "of the inflated data set"
            } else {
                "in the file"
            };
            write!(f, " at byte {offset} {place}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseError {}
