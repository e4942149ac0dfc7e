//! What a damaged file still says. A file `check` refuses (a length past the end of the file,
//! data cut off inside Pixel Data...) often has its header intact before the damage, and that
//! header names the patient. The parser stops at the damage and says where (`ParseError`'s
//! offset); the elements before it are read again on their own and inspected, so the user
//! learns whom the file names, and what cleaning can and cannot do for it.

use crate::inspect::{inspect_parsed_with, NamedPatient, PixelCheck, Report};
use crate::options::Options;
use crate::parse::{self, ParseError, MAX_DEPTH};
use serde::Serialize;

/// The part of a damaged file before the damage.
#[derive(Debug, Clone, Serialize)]
pub struct Damaged {
    /// Where the readable part ends (the damaged element, or the item it sits in, starts).
    pub readable_bytes: usize,
    /// The report of the elements before the damage.
    pub report: Report,
    /// In plain words: whom the file names, and what cleaning can and cannot do for it.
    pub text: String,
}

/// Reads the part of a damaged file before `error` (from `check` or a `Session` on the same
/// file). `bytes` holds the file from its start, at least up to the error's offset. `None` when
/// nothing before the damage can be read, or when the offset counts inflated bytes (a Deflated
/// data set is one stream: nothing before a damage in it can be cut out).
pub fn inspect_damaged(bytes: &[u8], error: &ParseError, options: Options) -> Option<Damaged> {
    if error.is_not_dicom() || error.in_inflated {
        return None;
    }
    let mut cut = error.offset?;
    // A damage inside a sequence makes the cut fall inside that sequence: the parser then
    // stops at the sequence itself, further up. At most one step per nesting level.
    for _ in 0..=MAX_DEPTH + 1 {
        let prefix = bytes.get(..cut)?;
        match parse::parse(prefix) {
            Ok(parsed) if !parsed.dataset.is_empty() => {
                let report = inspect_parsed_with(&parsed, options, PixelCheck::Skip).report;
                let text = words(&report, error);
                return Some(Damaged {
                    readable_bytes: cut,
                    report,
                    text,
                });
            }
            Ok(_) => return None,
            Err(e) => match e.offset {
                Some(earlier) if earlier < cut && !e.is_not_dicom() && !e.in_inflated => {
                    cut = earlier
                }
                _ => return None,
            },
        }
    }
    None
}

/// "This file is damaged, but it names DOE JOHN (ID LC-12345, born 1970-01-01). …"
fn words(report: &Report, error: &ParseError) -> String {
    let summary = &report.summary;
    let mut text = match summary.patients.as_slice() {
        [] => "This file is damaged; the part that can be read names no patient.".to_string(),
        patients => format!(
            "This file is damaged, but it names {}.",
            patients
                .iter()
                .map(NamedPatient::describe)
                .collect::<Vec<_>>()
                .join("; ")
        ),
    };
    match summary.flagged {
        0 => {}
        1 => text.push_str(" 1 element before the damage identifies the patient or the study."),
        n => text.push_str(&format!(
            " {n} elements before the damage identify the patient or the study."
        )),
    }
    let pixels = error.tag == Some(parse::PIXEL_DATA);
    // A copy with the header cleaned would keep the damage: a Pixel Data value shorter than
    // it says, or elements lost after the damage; not a valid file (PS3.5 7.1), so none is
    // written, and we say so rather than offer a broken file.
    text.push_str(if pixels {
        " Its image data is cut short, so it cannot be cleaned into a valid file: no cleaned copy is written."
    } else {
        " What follows the damage cannot be read, so it cannot be cleaned into a valid file: no cleaned copy is written."
    });
    text.push_str(" Do not share it as it is: delete it, or clean an undamaged copy.");
    text
}
