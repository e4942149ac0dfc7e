//! dicom-leakcheck's core: find the patient information in a DICOM file and remove it per
//! DICOM PS3.15 Annex E. Pure: bytes in, typed results out; no file system, no network, no
//! wasm-bindgen, so the same code runs in the CLI and in the browser.
//!
//! The entrance is `check` (bytes in memory) or a `Session` (a file read by ranges), both
//! carrying out a `Request` and giving an `Outcome`.

mod check;
mod error;
mod image;
mod session;

pub mod decide;
pub mod deid;
pub mod identity;
pub mod inspect;
pub mod key;
pub mod meta;
pub mod options;
pub mod parse;
pub mod pixels;
pub mod rules;
pub mod sample;
pub mod value;

pub use check::{check, inspect, Outcome, PixelWork, Request, PIXEL_SEARCH_MAX_BYTES};
pub use deid::uid::replacement_uid;
pub use deid::Deidentified;
pub use error::Error;
pub use image::{recheck_pixels, search_pixels, search_pixels_with, Image};
pub use inspect::{Finding, Report, Summary, Verdict};
pub use key::Key;
pub use options::{Options, ProfileOption, ALL_OPTIONS};
pub use parse::ParseError;
pub use pixels::read::{ReaderError, TextReader};
pub use session::Session;
