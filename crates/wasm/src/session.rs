//! The range loop of the page, in one place: the core's `Session` says which byte ranges of a
//! file it needs (the header, what follows Pixel Data, fragment headers read ahead) and the
//! functions here read them, so the page's worker never runs a loop of its own.
//!
//! - `inspect_file(file, options)` → `{report}` (the header report, as `inspect`);
//! - `deidentify_file(file, options, key_text?, regions?)` → `{pieces, output_length,
//!   report_before, residual, changes, warnings, sop_instance_uid}`, where `pieces` is an Array
//!   of `Uint8Array` (new bytes) and `{offset, length}` (a range of the input to copy as it is;
//!   Pixel Data always is one, so the pixels never enter the module's memory);
//! - `search_pixels_file(file)` → the report's `burned_in` part with the frames searched (read
//!   whole up to `PIXEL_SEARCH_MAX_BYTES`; larger files are judged on their header, and say so).
//!
//! `file` is a `Blob` (a `File`) read with `FileReaderSync` on `Blob.slice`: synchronous reads
//! are allowed in workers only. Where a worker cannot read Blobs at all (WebKitGTK on a page
//! opened from disk), the worker drives the same core session from an async loop instead,
//! through the thin `Session` class below (`need` → `give` → `finish`), with the bytes the page
//! reads for it. One loop in the core, two thin drivers.

use super::{
    core_error, error, hold_flagged_first, options_from_js, request_from_js, set, to_js,
    with_loaded_reader,
};
use crate::stream::{range_to_js, whole_number};
use dicom_leakcheck::Segment;
use dicom_leakcheck::{Deidentified, Outcome, PixelWork, Request, Session};
use std::ops::Range;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, FileReaderSync};

/// The header report of a file read by ranges: `{report}` (see the module's documentation).
#[wasm_bindgen]
pub fn inspect_file(file: &Blob, options: JsValue) -> Result<JsValue, JsValue> {
    let outcome = read_blob(file, header_request(options)?)?;
    outcome_to_js(&outcome)
}

/// `inspect_flagged` on a file read by ranges: `{report}`, `report` as `inspect_flagged` gives
/// it (the whole report kept in the module under `report.handle`).
#[wasm_bindgen]
pub fn inspect_file_flagged(file: &Blob, options: JsValue) -> Result<JsValue, JsValue> {
    let outcome = read_blob(file, header_request(options)?)?;
    flagged_first_outcome(outcome)
}

/// `{report}` with the report in its flagged-first part, the whole kept in the module.
fn flagged_first_outcome(outcome: Outcome) -> Result<JsValue, JsValue> {
    let result = js_sys::Object::new();
    set(&result, "report", &hold_flagged_first(outcome.report)?)?;
    Ok(result.into())
}

/// A file de-identified by ranges: the output as pieces (see the module's documentation).
#[wasm_bindgen]
pub fn deidentify_file(
    file: &Blob,
    options: JsValue,
    key_text: Option<String>,
    regions: JsValue,
) -> Result<JsValue, JsValue> {
    let outcome = read_blob(file, request_from_js(options, key_text, regions)?)?;
    outcome_to_js(&outcome)
}

/// The burned-in verdict with the frames decoded and searched (the text read once
/// `load_text_reader` was called), for a file whose report came from its header
/// (`inspect_file`): the page's "pixels second".
#[wasm_bindgen]
pub fn search_pixels_file(file: &Blob) -> Result<JsValue, JsValue> {
    let request = with_loaded_reader(Request::inspect(dicom_leakcheck::Options::basic()));
    let outcome = read_blob(file, request)?;
    to_js(&outcome.report.burned_in)
}

/// The request of `inspect`: the header report, the pixels judged from the header only.
pub(crate) fn header_request(options: JsValue) -> Result<Request, JsValue> {
    Ok(Request::inspect(options_from_js(options)?).with_pixels(PixelWork::HeaderRisk))
}

/// Carries out `request` on a file, reading what the core asks for with `read`.
pub(crate) fn drive(
    mut session: Session,
    mut read: impl FnMut(Range<u64>) -> Result<Vec<u8>, JsValue>,
) -> Result<Outcome, JsValue> {
    loop {
        let ranges = session.need();
        if ranges.is_empty() {
            return session.finish().map_err(|e| core_error(&e));
        }
        for range in ranges {
            let bytes = read(range.clone())?;
            session
                .give(range.start, bytes)
                .map_err(|e| core_error(&e))?;
        }
    }
}

fn read_blob(file: &Blob, request: Request) -> Result<Outcome, JsValue> {
    let reader = FileReaderSync::new().map_err(|e| {
        read_error(
            &e,
            "this browser cannot read files synchronously here (only in a worker)",
        )
    })?;
    let total = whole_number(file.size(), "the file's size").map_err(|m| error(&m))?;
    drive(Session::new(request, total), |range| {
        let part = file
            .slice_with_f64_and_f64(range.start as f64, range.end as f64)
            .map_err(|e| read_error(&e, "cannot cut the file into parts"))?;
        let buffer = reader
            .read_as_array_buffer(&part)
            .map_err(|e| read_error(&e, "cannot read the file"))?;
        let bytes = js_sys::Uint8Array::new(&buffer);
        if u64::from(bytes.length()) != range.end - range.start {
            return Err(error(&format!(
                "cannot read the file: {} bytes at offset {} gave {}",
                range.end - range.start,
                range.start,
                bytes.length()
            )));
        }
        Ok(bytes.to_vec())
    })
}

/// A browser's failure to read, with its own words after ours.
fn read_error(cause: &JsValue, what: &str) -> JsValue {
    let detail = cause
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| cause.as_string())
        .unwrap_or_default();
    if detail.is_empty() {
        error(what)
    } else {
        error(&format!("{what}: {detail}"))
    }
}

/// The result shapes the page uses: `{report}` for an inspection, the pieces and the reports
/// for a de-identification.
pub(crate) fn outcome_to_js(outcome: &Outcome) -> Result<JsValue, JsValue> {
    let result = js_sys::Object::new();
    let Some(done) = &outcome.deidentified else {
        set(&result, "report", &to_js(&outcome.report)?)?;
        return Ok(result.into());
    };
    let pieces = js_sys::Array::new();
    for segment in &done.pieces.segments {
        let piece: JsValue = match segment {
            Segment::New(bytes) => js_sys::Uint8Array::from(bytes.as_slice()).into(),
            Segment::Copy(range) => range_to_js(range)?,
        };
        pieces.push(&piece);
    }
    set(&result, "pieces", &pieces)?;
    set(
        &result,
        "output_length",
        &JsValue::from_f64(done.output_length as f64),
    )?;
    set_what_was_done(&result, outcome, done)?;
    Ok(result.into())
}

/// The parts every de-identification result has: `report_before`, `residual`, `changes`,
/// `warnings`, `sop_instance_uid`, `pixels_after`.
pub(crate) fn set_what_was_done(
    result: &js_sys::Object,
    outcome: &Outcome,
    done: &Deidentified,
) -> Result<(), JsValue> {
    set(result, "report_before", &to_js(&outcome.report)?)?;
    set(result, "residual", &to_js(&done.residual)?)?;
    set(result, "changes", &to_js(&done.changes)?)?;
    set(result, "warnings", &to_js(&done.warnings)?)?;
    set(result, "sop_instance_uid", &to_js(&done.sop_instance_uid)?)?;
    // When the pixels were cleaned: the output's pixels searched (and read) again; `null`
    // otherwise. Its regions are the text left, and where (Burned In Annotation is NO only
    // when there is none).
    set(result, "pixels_after", &to_js(&done.pixels_after)?)?;
    // For `file_set`: the keys of the output's directory records and whose file it is.
    set(result, "record_keys", &to_js(&done.record_keys)?)?;
    let patient = dicom_leakcheck::dicomdir::patient_key(&outcome.report.summary);
    set(result, "patient_key", &JsValue::from_str(&patient))
}

/// The core's session for a caller that reads asynchronously (the worker, when the page must
/// read the bytes for it): `need()` → `[{offset, length}]` (empty: call `finish`),
/// `give(offset, bytes)`, `finish()` → the same result as `inspect_file` or `deidentify_file`.
#[wasm_bindgen(js_name = Session)]
pub struct RangeSession {
    session: Option<Session>,
    /// `finish` gives the report flagged first (`inspect_flagged`), the whole kept.
    flagged_first: bool,
}

#[wasm_bindgen(js_class = Session)]
impl RangeSession {
    /// A session that inspects a file of `total_length` bytes (as `inspect_file`).
    pub fn inspect(total_length: f64, options: JsValue) -> Result<RangeSession, JsValue> {
        RangeSession::start(total_length, header_request(options)?)
    }

    /// A session that inspects a file as `inspect_file_flagged`: `finish` gives `{report}`
    /// with the report flagged first, the whole kept in the module under `report.handle`.
    pub fn inspect_flagged(total_length: f64, options: JsValue) -> Result<RangeSession, JsValue> {
        let mut session = RangeSession::inspect(total_length, options)?;
        session.flagged_first = true;
        Ok(session)
    }

    /// A session that de-identifies a file of `total_length` bytes (as `deidentify_file`).
    pub fn deidentify(
        total_length: f64,
        options: JsValue,
        key_text: Option<String>,
        regions: JsValue,
    ) -> Result<RangeSession, JsValue> {
        RangeSession::start(total_length, request_from_js(options, key_text, regions)?)
    }

    /// A session that searches a file's pixels (as `search_pixels_file`); `finish` gives
    /// `{report}`, whose `burned_in` is the verdict.
    pub fn search_pixels(total_length: f64) -> Result<RangeSession, JsValue> {
        let request = with_loaded_reader(Request::inspect(dicom_leakcheck::Options::basic()));
        RangeSession::start(total_length, request)
    }

    fn start(total_length: f64, request: Request) -> Result<RangeSession, JsValue> {
        let total = whole_number(total_length, "total_length").map_err(|m| error(&m))?;
        Ok(RangeSession {
            session: Some(Session::new(request, total)),
            flagged_first: false,
        })
    }

    fn live(&mut self) -> Result<&mut Session, JsValue> {
        self.session
            .as_mut()
            .ok_or_else(|| error("the session has already finished"))
    }

    /// The byte ranges to read and `give` next: `[{offset, length}]`; empty when done.
    pub fn need(&mut self) -> Result<JsValue, JsValue> {
        let list = js_sys::Array::new();
        for range in self.live()?.need() {
            list.push(&range_to_js(&range)?);
        }
        Ok(list.into())
    }

    /// The bytes read at `offset`.
    pub fn give(&mut self, offset: f64, bytes: Vec<u8>) -> Result<(), JsValue> {
        let offset = whole_number(offset, "offset").map_err(|m| error(&m))?;
        self.live()?.give(offset, bytes).map_err(|e| core_error(&e))
    }

    /// The result, once `need` is empty.
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let session = self
            .session
            .take()
            .ok_or_else(|| error("the session has already finished"))?;
        let outcome = session.finish().map_err(|e| core_error(&e))?;
        if self.flagged_first {
            return flagged_first_outcome(outcome);
        }
        outcome_to_js(&outcome)
    }
}
