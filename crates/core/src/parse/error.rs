use std::fmt;

/// Why a file could not be read, with the byte offset and tag where it went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    /// Byte offset in the file (or in the inflated data set, see `in_inflated`).
    pub offset: Option<usize>,
    pub tag: Option<u32>,
    /// The offset counts bytes of the inflated data set of a Deflated file.
    pub in_inflated: bool,
    /// The bytes are not DICOM at all (a batch skips these instead of reporting an error).
    pub not_dicom: bool,
}

impl ParseError {
    pub fn new(message: impl Into<String>) -> Self {
        ParseError {
            message: message.into(),
            offset: None,
            tag: None,
            in_inflated: false,
            not_dicom: false,
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
