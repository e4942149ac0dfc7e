//! The core's one entrance. A `Request` says what to do with one file: inspect it, or
//! de-identify it with a key, and how far to go with its pixels. `check` does it on bytes in
//! memory; a `Session` does it on a file read by ranges (see `session.rs`). Either gives an
//! `Outcome`: the report of the input and, when de-identifying, the output.
//!
//! The CLI, the wasm layer, the fuzz targets and the tests come in here and nowhere else.

use crate::decide::Decider;
use crate::deid::{Deidentified, Deidentifier};
use crate::error::Error;
use crate::inspect::{inspect_decided, PixelCheck, Reading, Report};
use crate::key::Key;
use crate::options::{Options, ProfileOption};
use crate::parse::{self, ParseOutcome, ParsedFile, SparseFile};
use crate::pixels::burned_in;
use crate::pixels::read::TextReader;
use crate::pixels::Region;
use std::sync::Arc;

/// Largest file whose pixels are read whole to search them for burned-in text; larger files
/// are judged on their header alone (the report says so).
pub const PIXEL_SEARCH_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// What to do with the pixels of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PixelWork {
    /// Nothing: the report's `burned_in` says nothing was assessed.
    None,
    /// The burned-in text risk from the header alone (signals, known vendor layouts); the
    /// pixels are not decoded (`pixels_checked: false`).
    HeaderRisk,
    /// Decode the frames and search them for burned-in text.
    Search,
    /// Clean Pixel Data (PS3.15 E.3.1), when de-identifying: black out `regions` as the user
    /// left them, or (`None`) what the search and the vendor layouts find.
    Clean { regions: Option<Vec<Region>> },
}

/// One request on one file; reusable for every file of a batch.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Request {
    /// The PS3.15 Annex E options (which also drive what inspection calls a leak).
    pub options: Options,
    /// De-identify with this key (`None`: inspect only).
    pub key: Option<Key>,
    pub pixels: PixelWork,
    /// Reads the text the pixel search finds (OCR): what it says and whom it names. `None`:
    /// the verdict says the text was not read. Loaded once by the caller (`TextReader::new`
    /// on the model bytes) and shared by every request of a batch.
    pub reader: Option<Arc<TextReader>>,
}

impl Request {
    /// Inspect a file: every element with its decision, and the pixels searched for text.
    pub fn inspect(options: Options) -> Request {
        Request {
            options,
            key: None,
            pixels: PixelWork::Search,
            reader: None,
        }
    }

    /// De-identify a file with `key`. The pixels are cleaned when the options include Clean
    /// Pixel Data (regions found automatically; see `with_regions`), otherwise only their
    /// header risk is reported.
    pub fn deidentify(options: Options, key: Key) -> Request {
        // Blacking out all text is a way of cleaning the pixels: it chooses Clean Pixel Data.
        let options = if options.has(ProfileOption::CleanAllPixelText) {
            options.with(ProfileOption::CleanPixelData)
        } else {
            options
        };
        let pixels = if options.has(ProfileOption::CleanPixelData) {
            PixelWork::Clean { regions: None }
        } else {
            PixelWork::HeaderRisk
        };
        Request {
            options,
            key: Some(key),
            pixels,
            reader: None,
        }
    }

    /// Reads the text the pixel search finds with `reader` (see `Request::reader`).
    pub fn with_reader(mut self, reader: Arc<TextReader>) -> Request {
        self.reader = Some(reader);
        self
    }

    /// Sets the pixel work. `Clean` also chooses the Clean Pixel Data option, so the output
    /// declares it (when pixels were in fact cleaned, PS3.15 E.3.1); any other choice leaves
    /// the pixels as they are and the option undeclared.
    pub fn with_pixels(mut self, pixels: PixelWork) -> Request {
        self.options = if matches!(pixels, PixelWork::Clean { .. }) {
            self.options.with(ProfileOption::CleanPixelData)
        } else {
            self.options
                .without(ProfileOption::CleanPixelData)
                .without(ProfileOption::CleanAllPixelText)
        };
        self.pixels = pixels;
        self
    }

    /// Under Clean Pixel Data, black out exactly `regions` (the boxes the user left on the
    /// preview) instead of those found; without that option, nothing changes.
    pub fn with_regions(self, regions: Option<Vec<Region>>) -> Request {
        match self.pixels {
            PixelWork::Clean { .. } => self.with_pixels(PixelWork::Clean { regions }),
            _ => self,
        }
    }

    fn pixel_check(&self) -> PixelCheck {
        match self.pixels {
            PixelWork::None => PixelCheck::Skip,
            PixelWork::HeaderRisk => PixelCheck::Header,
            PixelWork::Search => PixelCheck::Search,
            PixelWork::Clean { regions: None } => PixelCheck::Search,
            PixelWork::Clean { regions: Some(_) } => PixelCheck::Header,
        }
    }

    /// The request de-identifies and cleans the pixels.
    pub(crate) fn cleans_pixels(&self) -> bool {
        self.key.is_some() && matches!(self.pixels, PixelWork::Clean { .. })
    }

    /// Whether the pixel values themselves are needed (decoding, searching or cleaning).
    pub(crate) fn reads_pixels(&self) -> bool {
        match self.pixels {
            PixelWork::None | PixelWork::HeaderRisk => false,
            PixelWork::Search => true,
            // Cleaning needs the frames, found or given regions alike.
            PixelWork::Clean { .. } => self.cleans_pixels(),
        }
    }
}

/// What a request found and made.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The report of the input.
    pub report: Report,
    /// The output and what was done, when the request de-identified.
    pub deidentified: Option<Deidentified>,
}

/// Carries out `request` on a whole file in memory. The input is only read. A request whose
/// options exclude each other fails with `Error::Request` before anything is read.
pub fn check(bytes: &[u8], request: &Request) -> Result<Outcome, Error> {
    request.options.checked()?;
    carry_out(&parse::parse(bytes)?, true, request)
}

/// The leak report of a whole file in memory, its pixels searched for text.
pub fn inspect(bytes: &[u8], options: Options) -> Result<Report, Error> {
    check(bytes, &Request::inspect(options)).map(|outcome| outcome.report)
}

/// One attempt on what is known of a file: the outcome, or the byte ranges still needed.
pub(crate) fn attempt(
    file: &SparseFile<'_>,
    request: &Request,
) -> Result<ParseOutcome<Outcome>, Error> {
    request.options.checked()?;
    let parsed = match parse::parse_sparse(file)? {
        ParseOutcome::Need(ranges) => return Ok(ParseOutcome::Need(ranges)),
        ParseOutcome::Parsed(parsed) => parsed,
    };
    let complete = file.is_complete();
    if request.reads_pixels() && parsed.pixel_data().is_some() && !complete {
        // Cleaning must read the image whatever its size; a search only when the file is
        // small enough, otherwise the verdict rests on the header (and says so).
        if request.cleans_pixels() || file.total_length() <= PIXEL_SEARCH_MAX_BYTES {
            return Ok(ParseOutcome::Need(file.missing(0..file.total_length())));
        }
    }
    carry_out(&parsed, complete, request).map(ParseOutcome::Parsed)
}

/// Carries out `request` on a parsed file; `complete`: every byte of it is at hand (else the
/// pixels were not read, and the burned-in verdict rests on the header).
fn carry_out(parsed: &ParsedFile<'_>, complete: bool, request: &Request) -> Result<Outcome, Error> {
    let Some(key) = &request.key else {
        let check = match request.pixel_check() {
            PixelCheck::Search if !complete => PixelCheck::Header,
            other => other,
        };
        let reading = Reading {
            reader: request.reader.as_deref(),
            keep: None,
        };
        let mut report =
            inspect_decided(&Decider::new(parsed, request.options), check, reading).report;
        if request.pixel_check() == PixelCheck::Search && !complete && parsed.pixel_data().is_some()
        {
            report.burned_in.reasons.push(burned_in::pixels_not_read());
        }
        return Ok(Outcome {
            report,
            deidentified: None,
        });
    };
    let clean = match &request.pixels {
        PixelWork::Clean { regions } => Some(regions.as_deref()),
        _ => None,
    };
    let (report, done) = Deidentifier::new(key.clone(), request.options).deidentify_parsed(
        parsed,
        clean,
        request.reader.as_deref(),
    )?;
    Ok(Outcome {
        report,
        deidentified: Some(done),
    })
}
