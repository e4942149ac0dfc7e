//! The shape of a known vendor screen layout ("signature"): the types the generated table
//! (`signatures_table.rs`) is written in. A leaf: the table and the matcher
//! (`risk/signature.rs`) both depend on it, never on each other's side.

use crate::pixels::Rect;

/// Where a signature was re-expressed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureSource {
    /// RSNA Clinical Trial Processor, `source/files/scripts/DicomPixelAnonymizer.script`.
    Ctp,
    /// pydicom/deid, `deid/data/deid.dicom`.
    Deid,
}

impl SignatureSource {
    /// Attribution shown to the user.
    pub fn attribution(self) -> &'static str {
        match self {
            SignatureSource::Ctp => "RSNA CTP DicomPixelAnonymizer.script",
            SignatureSource::Deid => "pydicom/deid deid.dicom",
        }
    }
}

/// A condition on the header. Text comparisons ignore case, as both sources do.
#[derive(Debug, Clone, Copy)]
pub enum Cond {
    /// The whole value (all values joined by `\`) contains the text.
    Contains(u32, &'static str),
    /// One of the values equals the text.
    Equals(u32, &'static str),
    /// The whole value starts with the text.
    StartsWith(u32, &'static str),
    /// One of the values, read as a number, equals the number.
    NumberEquals(u32, u32),
    All(&'static [Cond]),
    Any(&'static [Cond]),
}

/// One known layout.
#[derive(Debug, Clone, Copy)]
pub struct Signature {
    /// Stable id: `ctp-NN` or `deid-NN`, the row of data/pixel-signatures.tsv.
    pub id: &'static str,
    pub source: SignatureSource,
    pub name: &'static str,
    /// The condition as written in the data file, for explanations.
    pub when: &'static str,
    pub condition: Cond,
    /// Rectangles that hold text on every frame.
    pub regions: &'static [Rect],
}
