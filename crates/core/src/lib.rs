//! dicom-leakcheck's core: find the patient information in a DICOM file and remove it per
//! DICOM PS3.15 Annex E. Pure: bytes in, typed results out; no file system, no network, no
//! wasm-bindgen, so the same code runs in the CLI and in the browser.

pub mod decide;
pub mod identity;
pub mod inspect;
pub mod key;
pub mod options;
pub mod parse;
pub mod pixels;
pub mod rules;
pub mod value;

pub use inspect::{inspect, Finding, Report, Summary, Verdict};
pub use key::Key;
pub use options::{Options, ProfileOption, ALL_OPTIONS};
pub use parse::ParseError;
pub mod deid;
pub mod meta;
pub mod sample;

pub use deid::{DeidError, Deidentified, Deidentifier};
