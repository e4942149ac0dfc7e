//! dicom-leakcheck's core: find the patient information in a DICOM file and remove it per
//! DICOM PS3.15 Annex E. Pure: bytes in, typed results out; no file system, no network, no
//! wasm-bindgen, so the same code runs in the CLI and in the browser.
//!
//! The entrance is `check` (bytes in memory) or a `Session` (a file read by ranges), both
//! carrying out a `Request` and giving an `Outcome`.

mod check;
mod damaged;
mod decide;
mod deid;
mod describe;
mod error;
mod identity;
mod image;
mod inspect;
mod iso2022;
mod key;
mod options;
mod rules;
mod session;
mod sr;
mod tags;
mod value;

/// A DICOMDIR written anew over de-identified files, and their neutral paths (PS3.3 Annex F,
/// PS3.10 sections 8-9).
pub mod dicomdir;
/// The built-in synthetic sample files (fake patient information only).
pub mod sample;

// Below the facade. These stay reachable from outside only for the crate's own integration
// tests, examples and fuzz targets that check what the facade does not show: that every
// element range lies inside its buffer, frame decoding against other decoders, the text finder
// on synthetic frames. The CLI and the wasm layer never use them.
#[doc(hidden)]
pub mod meta;
#[doc(hidden)]
pub mod parse;
#[doc(hidden)]
pub mod pixels;

pub use check::{check, inspect, Outcome, PixelWork, Request, PIXEL_SEARCH_MAX_BYTES};
pub use damaged::{inspect_damaged, Damaged};
pub use deid::output::{Pieces, Segment};
pub use deid::uid::replacement_uid;
pub use deid::{Changes, Deidentified, TEXT_LEFT, TEXT_MAY_BE_LEFT};
pub use error::{Error, OutputError, RequestError, SessionError};
pub use image::{recheck_pixels, search_pixels, search_pixels_with, Image, Window};
pub use inspect::{Finding, PixelDataInfo, Report, Summary, Verdict};
pub use key::{Key, KEY_BYTES};
pub use options::{OptionInfo, Options, ProfileOption, ALL_OPTIONS, EXCLUSIVE_OPTIONS};
pub use parse::{ParseError, ParseErrorKind};
pub use pixels::burned_in::BurnedIn;
pub use pixels::decode::{Frame, ImageInfo, PixelError, PixelErrorKind, Plane};
pub use pixels::overlay::Overlay;
pub use pixels::read::{ReaderError, TextReader};
pub use pixels::risk::{Reason, RiskLevel};
pub use pixels::{Luma, Rect, Region, RegionSource};
pub use rules::Category;
pub use session::Session;
pub use sr::{content_tree, ContentNode, ContentTree};
