//! Large files in the browser: the page reads only the parts of a file the core asks for
//! (`File.slice`), so a 2 GB cine never has to sit in memory. Both functions take every segment
//! read so far and either finish or say which byte ranges to read next:
//!
//! - `scan(segments, total_length, options)` → `{need: [{offset, length}]}` or `{report}`
//!   (the header report, as `inspect`)
//! - `deidentify_ranges(segments, total_length, options, key_text)` → `{need}` or
//!   `{pieces, output_length, report_before, residual, changes, warnings, sop_instance_uid,
//!   record_keys, patient_key}`,
//!   where `pieces` is an Array of `Uint8Array` (new bytes) and `{offset, length}` (a range of
//!   the original file to copy as it is; Pixel Data always is one).
//!
//! `segments`: an Array of `{offset: number, bytes: Uint8Array}`. Offsets are JS numbers
//! (exact up to 2^53). `next_fragment(offset, header)` helps the loop read fragment headers
//! ahead (see there).
//!
//! The page no longer uses these: the worker reads by ranges through `session.rs`, where the
//! core's session drives the loop. They stay for callers that hold their own segments.

use super::{core_error, error, request_from_js, set};
use crate::session::{header_request, outcome_to_js};
use dicom_leakcheck::{Request, Session};
use std::ops::Range;
use wasm_bindgen::prelude::*;

/// The leak report of a file given in parts (from its header; see `inspect`), or the ranges to
/// read next.
#[wasm_bindgen]
pub fn scan(segments: JsValue, total_length: f64, options: JsValue) -> Result<JsValue, JsValue> {
    match step(header_request(options)?, &segments, total_length)? {
        Step::Need(ranges) => need(&ranges),
        Step::Done(outcome) => outcome_to_js(&outcome),
    }
}

/// De-identifies a file given in parts: the output as pieces to write in order, or the ranges
/// to read next. `key_text` and `regions` as for `deidentify`.
#[wasm_bindgen]
pub fn deidentify_ranges(
    segments: JsValue,
    total_length: f64,
    options: JsValue,
    key_text: Option<String>,
    regions: JsValue,
) -> Result<JsValue, JsValue> {
    let request = request_from_js(options, key_text, regions)?;
    match step(request, &segments, total_length)? {
        Step::Need(ranges) => need(&ranges),
        Step::Done(outcome) => outcome_to_js(&outcome),
    }
}

enum Step {
    Need(Vec<Range<u64>>),
    Done(Box<dicom_leakcheck::Outcome>),
}

/// One round of the page's range loop: a session given every segment read so far.
fn step(request: Request, segments: &JsValue, total_length: f64) -> Result<Step, JsValue> {
    let total = whole_number(total_length, "total_length").map_err(|m| error(&m))?;
    let mut session = Session::new(request, total);
    for (offset, bytes) in segments_from_js(segments)? {
        session.give(offset, bytes).map_err(|e| core_error(&e))?;
    }
    let ranges = session.need();
    if !ranges.is_empty() {
        return Ok(Step::Need(ranges));
    }
    Ok(Step::Done(Box::new(
        session.finish().map_err(|e| core_error(&e))?,
    )))
}

/// Optional read-ahead for the caller's loop: given the 8 bytes of an encapsulated Pixel Data
/// fragment header read at `offset`, where the next fragment header starts (`undefined` if
/// these bytes are not one). Without a Basic Offset Table the core can ask for one fragment
/// header per round; a caller that follows the chain with this gives them all at once.
#[wasm_bindgen]
pub fn next_fragment(offset: f64, header: &[u8]) -> Option<f64> {
    let offset = whole_number(offset, "offset").ok()?;
    dicom_leakcheck::parse::next_fragment(offset, header).map(|next| next as f64)
}

/// `{need: [{offset, length}]}`.
fn need(ranges: &[Range<u64>]) -> Result<JsValue, JsValue> {
    let list = js_sys::Array::new();
    for range in ranges {
        list.push(&range_to_js(range)?);
    }
    let result = js_sys::Object::new();
    set(&result, "need", &list)?;
    Ok(result.into())
}

pub(crate) fn range_to_js(range: &Range<u64>) -> Result<JsValue, JsValue> {
    let object = js_sys::Object::new();
    set(&object, "offset", &JsValue::from_f64(range.start as f64))?;
    set(
        &object,
        "length",
        &JsValue::from_f64(range.end.saturating_sub(range.start) as f64),
    )?;
    Ok(object.into())
}

/// A JS number that must be a whole, non-negative byte count or offset.
pub fn whole_number(value: f64, what: &str) -> Result<u64, String> {
    // 2^53: beyond it a JS number no longer counts every byte.
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= 9_007_199_254_740_992.0
    {
        Ok(value as u64)
    } else {
        Err(format!(
            "{what} must be a whole number of bytes, not {value}"
        ))
    }
}

fn segments_from_js(value: &JsValue) -> Result<Vec<(u64, Vec<u8>)>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    if !js_sys::Array::is_array(value) {
        return Err(error("segments must be an array of {offset, bytes}"));
    }
    let array = js_sys::Array::from(value);
    let mut out = Vec::with_capacity(array.length() as usize);
    for item in array.iter() {
        let offset = js_sys::Reflect::get(&item, &JsValue::from_str("offset"))?
            .as_f64()
            .ok_or_else(|| error("a segment's offset must be a number"))?;
        let offset = whole_number(offset, "a segment's offset").map_err(|m| error(&m))?;
        let bytes = js_sys::Reflect::get(&item, &JsValue::from_str("bytes"))?;
        let bytes = bytes
            .dyn_into::<js_sys::Uint8Array>()
            .map_err(|_| error("a segment's bytes must be a Uint8Array"))?;
        out.push((offset, bytes.to_vec()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_counts_must_be_whole_numbers() {
        assert_eq!(whole_number(0.0, "x"), Ok(0));
        assert_eq!(whole_number(5e9, "x"), Ok(5_000_000_000));
        assert!(whole_number(-1.0, "x").is_err());
        assert!(whole_number(1.5, "x").is_err());
        assert!(whole_number(f64::NAN, "x").is_err());
        assert!(whole_number(1e300, "x").is_err());
    }
}
