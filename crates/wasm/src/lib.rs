//! The WebAssembly face of dicom-leakcheck: a thin layer that turns JS values into the core's
//! types and the core's results into plain JS objects. No logic of its own beyond that.
//!
//! Every function that can fail throws a JS `Error` whose `message` is the core's message and
//! `kind` the core's kind name (see `core_error`); parse errors also carry `notDicom` (the
//! bytes are not DICOM at all, so a batch skips them instead of reporting an error) and, when
//! known, `offset` (byte in the file) and `tag`.
//!
//! Loaded only inside a Web Worker by the page (`www/worker.js`), and by the Node tests.

mod detect;
mod fileset;
mod held;
mod json;
mod pixels;

use dicom_leakcheck::sample::{
    sample_file, ultrasound_sample, SAMPLE_FILE_NAME, ULTRASOUND_FILE_NAME,
};
use dicom_leakcheck::Category;
use dicom_leakcheck::OptionInfo;
use dicom_leakcheck::KEY_BYTES;
use dicom_leakcheck::{Error, Key, Options, Outcome, Request, Session, ALL_OPTIONS};
use dicom_leakcheck::{Rect, Region, RegionSource, Segment};
use serde::Serialize;
use wasm_bindgen::prelude::*;

mod session;
mod stream;

/// Runs once when the module is instantiated: panics show up in the console with a message.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The version of this build (the same as the core's).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The PS3.15 options the user can choose:
/// `[{option, name, label, help, details, section, code, excludes: [name]}]`; `excludes` names
/// the options that cannot be chosen with this one (the core refuses such a request).
#[wasm_bindgen]
pub fn options() -> Result<JsValue, JsValue> {
    to_js(&option_list())
}

/// The core's categories of findings in plain words: `[{name, label}]`.
#[wasm_bindgen]
pub fn categories() -> Result<JsValue, JsValue> {
    to_js(&category_list())
}

/// How the attributes a read text can show are said in plain words, for a region's
/// `identifies`: `{PatientName: "The patient's name", PatientID: "The patient's ID", ...}`.
#[wasm_bindgen]
pub fn identified_words() -> Result<JsValue, JsValue> {
    let words: std::collections::BTreeMap<&str, &str> =
        dicom_leakcheck::pixels::read_match::attribute_words().collect();
    to_js(&words)
}

/// The built-in synthetic CT file with fake patient information.
#[wasm_bindgen]
pub fn sample() -> Vec<u8> {
    sample_file()
}

/// The file name to show for the sample.
#[wasm_bindgen]
pub fn sample_name() -> String {
    SAMPLE_FILE_NAME.to_string()
}

/// The built-in synthetic ultrasound cine loop whose pixels carry a fake patient banner
/// (burned-in text), to try the burned-in text preview and cleaning.
#[wasm_bindgen]
pub fn sample_ultrasound() -> Vec<u8> {
    ultrasound_sample()
}

/// The file name to show for the ultrasound sample.
#[wasm_bindgen]
pub fn sample_ultrasound_name() -> String {
    ULTRASOUND_FILE_NAME.to_string()
}

/// A new random key in its text form (the content of a key file).
#[wasm_bindgen]
pub fn generate_key() -> Result<String, JsValue> {
    random_key().map(|k| k.to_text()).map_err(|m| error(&m))
}

/// Throws when `text` is not a key file's content; returns nothing otherwise.
#[wasm_bindgen]
pub fn check_key(text: &str) -> Result<(), JsValue> {
    Key::parse(text).map(|_| ()).map_err(|m| error(&m))
}

/// The leak report of one file, from its header: every element, and the burned-in text risk
/// the header gives (`burned_in.pixels_checked` is false). `search_pixels` searches the image
/// afterwards. `options`: an array of option names (`undefined` or `null` for the Basic
/// Profile alone). Only the parts of `bytes` the core asks for are copied into the module (the
/// header, not the pixels).
#[wasm_bindgen]
pub fn inspect(bytes: &js_sys::Uint8Array, options: JsValue) -> Result<JsValue, JsValue> {
    let outcome = read_array(bytes, session::header_request(options)?)?;
    to_js(&outcome.report)
}

/// `inspect`'s report in two parts (see `held.rs`): returns the same shape as `inspect` with
/// `elements` holding the flagged findings only, plus `element_count` (all elements),
/// `element_positions` (where each flagged finding stands among them) and `handle`: the whole
/// report is kept in the module under it, for `unflagged_elements(handle)` (the rest, without
/// inspecting again), `held_flagged(handle)` (this result again) and `release_held(handle)`.
/// `handle` is `null` for a report too large to keep. Kept reports are bounded in size: past
/// the bound the oldest are let go, and calls on their handle answer `null`.
#[wasm_bindgen]
pub fn inspect_flagged(bytes: &js_sys::Uint8Array, options: JsValue) -> Result<JsValue, JsValue> {
    let outcome = read_array(bytes, session::header_request(options)?)?;
    hold_flagged_first(outcome.report)
}

thread_local! {
    /// The reports kept by `inspect_flagged` and its kin (a worker has one thread).
    static HELD: std::cell::RefCell<held::HeldReports> =
        const { std::cell::RefCell::new(held::HeldReports::new(held::HELD_BUDGET_BYTES)) };
}

/// Keeps `report` in the module and gives its flagged-first part (see `inspect_flagged`).
pub(crate) fn hold_flagged_first(report: dicom_leakcheck::Report) -> Result<JsValue, JsValue> {
    HELD.with(|held| {
        let mut held = held.borrow_mut();
        match held.hold(Box::new(report)) {
            Ok(handle) => match held.get(handle) {
                Some(report) => to_js(&held::FlaggedFirst::of(report, Some(handle))),
                None => Err(error("a report just kept is missing")),
            },
            Err(too_large) => to_js(&held::FlaggedFirst::of(&too_large, None)),
        }
    })
}

/// The result of `inspect_flagged` again, for a report still kept; `null` otherwise.
#[wasm_bindgen]
pub fn held_flagged(handle: u32) -> Result<JsValue, JsValue> {
    HELD.with(|held| match held.borrow().get(handle) {
        Some(report) => to_js(&held::FlaggedFirst::of(report, Some(handle))),
        None => Ok(JsValue::NULL),
    })
}

/// The elements `inspect_flagged` left out (the unflagged ones, in their order), from the
/// report kept under `handle`; `null` when it is no longer kept.
#[wasm_bindgen]
pub fn unflagged_elements(handle: u32) -> Result<JsValue, JsValue> {
    HELD.with(|held| match held.borrow().get(handle) {
        Some(report) => to_js(&held::Unflagged(report)),
        None => Ok(JsValue::NULL),
    })
}

/// Lets the report kept under `handle` go; false when it was not kept (any more).
#[wasm_bindgen]
pub fn release_held(handle: u32) -> bool {
    HELD.with(|held| held.borrow_mut().release(handle))
}

/// Lets every kept report go (the page's batch was cleared).
#[wasm_bindgen]
pub fn release_all_held() {
    HELD.with(|held| held.borrow_mut().release_all());
}

/// What the kept reports take: `{reports, bytes}` (bytes about).
#[wasm_bindgen]
pub fn held_size() -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct HeldSize {
        reports: usize,
        bytes: usize,
    }
    HELD.with(|held| {
        let held = held.borrow();
        to_js(&HeldSize {
            reports: held.len(),
            bytes: held.bytes(),
        })
    })
}

thread_local! {
    /// The text reader, once `load_text_reader` was called (a worker has one thread).
    static READER: std::cell::RefCell<Option<std::sync::Arc<dicom_leakcheck::TextReader>>> =
        const { std::cell::RefCell::new(None) };
}

/// Loads the OCR model (`models/rec.onnx`) and its dictionary (`models/dict.txt`): from then
/// on `search_pixels`, `search_pixels_file`, `Session.search_pixels` and the de-identifying
/// calls read the text they find and say whom it names (regions get `text` and `identifies`).
/// Takes about a second; throws on files that are not the model.
#[wasm_bindgen]
pub fn load_text_reader(model: Vec<u8>, dictionary: &str) -> Result<(), JsValue> {
    let reader =
        dicom_leakcheck::TextReader::new(model, dictionary).map_err(|e| error(&e.to_string()))?;
    READER.with(|r| *r.borrow_mut() = Some(std::sync::Arc::new(reader)));
    Ok(())
}

/// `request` reading the text its pixel search finds, once `load_text_reader` was called.
pub(crate) fn with_loaded_reader(request: Request) -> Request {
    match READER.with(|r| r.borrow().clone()) {
        Some(reader) => request.with_reader(reader),
        None => request,
    }
}

/// What a damaged file still says (see the core's `inspect_damaged`): `bytes` are the file's
/// first bytes, at least up to `offset`, the byte offset of the parse error (`offset` and
/// `tag` of the error thrown). Returns `{text, readable_bytes, summary, findings}` (findings:
/// the flagged elements before the damage), or `null` when nothing before it can be read.
#[wasm_bindgen]
pub fn inspect_damaged(
    bytes: &[u8],
    offset: f64,
    tag: Option<u32>,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let offset = stream::whole_number(offset, "offset").map_err(|m| error(&m))?;
    let mut parse_error = dicom_leakcheck::ParseError::new(
        dicom_leakcheck::ParseErrorKind::Truncated,
        "the file is damaged",
    )
    .at(usize::try_from(offset).map_err(|_| error("offset too large"))?);
    parse_error.tag = tag;
    let Some(damaged) =
        dicom_leakcheck::inspect_damaged(bytes, &parse_error, options_from_js(options)?)
    else {
        return Ok(JsValue::NULL);
    };
    let result = js_sys::Object::new();
    set(&result, "text", &JsValue::from_str(&damaged.text))?;
    set(
        &result,
        "readable_bytes",
        &JsValue::from_f64(damaged.readable_bytes as f64),
    )?;
    set(&result, "summary", &to_js(&damaged.report.summary)?)?;
    let findings: Vec<_> = damaged.report.findings().collect();
    set(&result, "findings", &to_js(&findings)?)?;
    Ok(result.into())
}

/// The report's `burned_in` part with the frames decoded and searched for text (called after
/// `inspect`, which reads the header only); the text is read when `load_text_reader` was
/// called (`burned_in.text_read`).
#[wasm_bindgen]
pub fn search_pixels(bytes: &[u8]) -> Result<JsValue, JsValue> {
    let reader = READER.with(|r| r.borrow().clone());
    to_js(
        &dicom_leakcheck::search_pixels_with(bytes, reader.as_deref())
            .map_err(|e| core_error(&e))?,
    )
}

/// The content tree of a structured report (PS3.3 C.17.3): `{root, nodes, truncated}`, each
/// node `{relationship, value_type, concept, value, flagged, reason, path, children}`, flagged
/// as `inspect` with the same `options` flags the elements; `null` when the file is no SR
/// document.
#[wasm_bindgen]
pub fn sr_content(bytes: &[u8], options: JsValue) -> Result<JsValue, JsValue> {
    let tree = dicom_leakcheck::content_tree(bytes, options_from_js(options)?)
        .map_err(|e| core_error(&e))?;
    match tree {
        Some(tree) => to_js(&tree),
        None => Ok(JsValue::NULL),
    }
}

/// De-identifies one file. `key_text`: a key file's content; without one a random key is used
/// (so replacement UIDs will differ from any other run). `regions`: under clean-pixel-data,
/// the boxes to black out as the user left them (`undefined`: the ones found). Returns
/// `{bytes: Uint8Array, report_before, residual, changes, warnings, sop_instance_uid,
/// record_keys, patient_key}` (the last two for `file_set`). Parts of the input the output
/// copies as they are (Pixel Data) go from `bytes` to the output without passing through the
/// module.
#[wasm_bindgen]
pub fn deidentify(
    bytes: &js_sys::Uint8Array,
    options: JsValue,
    key_text: Option<String>,
    regions: JsValue,
) -> Result<JsValue, JsValue> {
    let request = request_from_js(options, key_text, regions)?;
    let outcome = read_array(bytes, request)?;
    let done = outcome
        .deidentified
        .as_ref()
        .ok_or_else(|| error("the request did not de-identify"))?;
    let output = assemble(bytes, done)?;
    let result = js_sys::Object::new();
    set(&result, "bytes", &output)?;
    session::set_what_was_done(&result, &outcome, done)?;
    Ok(result.into())
}

/// Carries out `request` on a file held by JavaScript, copying into the module only the ranges
/// the core asks for.
fn read_array(bytes: &js_sys::Uint8Array, request: Request) -> Result<Outcome, JsValue> {
    let total = u64::from(bytes.length());
    session::drive(Session::new(request, total), |range| {
        Ok(bytes
            .subarray(range.start as u32, range.end as u32)
            .to_vec())
    })
}

/// The output file in JavaScript memory: the new bytes, and the copied ranges taken straight
/// from the input.
fn assemble(
    input: &js_sys::Uint8Array,
    done: &dicom_leakcheck::Deidentified,
) -> Result<js_sys::Uint8Array, JsValue> {
    let length = u32::try_from(done.output_length)
        .map_err(|_| error("the output is too large for one JavaScript array"))?;
    let output = js_sys::Uint8Array::new_with_length(length);
    let mut at: u32 = 0;
    for segment in &done.pieces.segments {
        let piece_length = match segment {
            Segment::New(bytes) => bytes.len() as u64,
            Segment::Copy(range) => range.end.saturating_sub(range.start),
        };
        let end = u64::from(at) + piece_length;
        if end > u64::from(length)
            || (matches!(segment, Segment::Copy(r) if r.end > u64::from(input.length())))
        {
            return Err(error(
                "the output's pieces do not fit the input and the output",
            ));
        }
        match segment {
            Segment::New(bytes) => output.subarray(at, end as u32).copy_from(bytes),
            Segment::Copy(range) => {
                output.set(&input.subarray(range.start as u32, range.end as u32), at)
            }
        }
        at = end as u32;
    }
    Ok(output)
}

/// The de-identification request from the page's arguments (see `deidentify`).
pub(crate) fn request_from_js(
    options: JsValue,
    key_text: Option<String>,
    regions: JsValue,
) -> Result<Request, JsValue> {
    let options = options_from_js(options)?;
    let key = key_from(key_text.as_deref()).map_err(|m| error(&m))?;
    let regions = regions_from_js(regions)?;
    Ok(with_loaded_reader(
        Request::deidentify(options, key).with_regions(regions),
    ))
}

// ---- pure helpers (tested natively) ----------------------------------------------------------

/// An option as the page shows it.
#[derive(Serialize)]
pub struct OptionEntry {
    #[serde(flatten)]
    info: &'static OptionInfo,
    excludes: Vec<&'static str>,
}

pub fn option_list() -> Vec<OptionEntry> {
    ALL_OPTIONS
        .iter()
        .map(|info| OptionEntry {
            info,
            excludes: info.option.excludes().map(|o| o.info().name).collect(),
        })
        .collect()
}

#[derive(Serialize)]
pub struct CategoryEntry {
    name: &'static str,
    label: &'static str,
}

pub fn category_list() -> Vec<CategoryEntry> {
    Category::ALL
        .iter()
        .map(|c| CategoryEntry {
            name: c.name(),
            label: c.label(),
        })
        .collect()
}

/// Parses option names; the error names the first unknown one.
pub fn parse_options(names: &[String]) -> Result<Options, String> {
    Options::from_names(names)
}

/// The key to use: the given key file's text, or a fresh random key.
pub fn key_from(text: Option<&str>) -> Result<Key, String> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => Key::parse(text),
        None => random_key(),
    }
}

/// A key from the platform's secure random source (crypto.getRandomValues under wasm).
pub fn random_key() -> Result<Key, String> {
    let mut bytes = [0u8; KEY_BYTES];
    getrandom::getrandom(&mut bytes).map_err(|e| format!("no secure random numbers: {e}"))?;
    Ok(Key::from_bytes(bytes))
}

// ---- JS conversions --------------------------------------------------------------------------

/// Plain JS objects (maps as objects, `None` as `null`), by way of ASCII JSON text (`json.rs`).
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    json::with_ascii_json(value, js_sys::JSON::parse)
        .map_err(|e| error(&format!("cannot convert the result for JavaScript: {e}")))?
}

fn options_from_js(value: JsValue) -> Result<Options, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Options::basic());
    }
    let names: Vec<String> = serde_wasm_bindgen::from_value(value)
        .map_err(|e| error(&format!("options must be an array of option names: {e}")))?;
    parse_options(&names)
        .map_err(|m| error(&m))?
        .checked()
        .map_err(|e| core_error(&e.into()))
}

/// The regions to black out under clean-pixel-data, as the user left them: an array of
/// `{frame, x, y, w, h, all_frames?, source?}`; `undefined`/`null`: the ones found.
pub(crate) fn regions_from_js(value: JsValue) -> Result<Option<Vec<Region>>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    #[derive(serde::Deserialize)]
    struct Drawn {
        #[serde(default)]
        frame: u32,
        #[serde(default)]
        all_frames: bool,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        source: Option<RegionSource>,
    }
    let drawn: Vec<Drawn> = serde_wasm_bindgen::from_value(value).map_err(|e| {
        error(&format!(
            "regions must be an array of {{frame, x, y, w, h}}: {e}"
        ))
    })?;
    // Boxes come from mouse drags: clamp to whole non-negative pixels.
    let px = |v: f64| v.max(0.0).min(u32::MAX as f64) as u32;
    Ok(Some(
        drawn
            .into_iter()
            .map(|d| {
                let rect = Rect {
                    x: px(d.x),
                    y: px(d.y),
                    w: px(d.w),
                    h: px(d.h),
                };
                let frame = (!d.all_frames).then_some(d.frame);
                Region::new(frame, rect, d.source.unwrap_or(RegionSource::User))
            })
            .collect(),
    ))
}

fn set(object: &js_sys::Object, name: &str, value: &JsValue) -> Result<(), JsValue> {
    js_sys::Reflect::set(object, &JsValue::from_str(name), value).map(|_| ())
}

fn error(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}

/// The one conversion of the core's errors to JS: an `Error` with the core's message, its
/// `kind` (the core's stable kind name, e.g. `length-past-end`, `conflicting-options`), and for
/// unreadable inputs `notDicom` (the bytes are not DICOM at all, so a batch skips them) and,
/// when known, `offset` (byte in the file) and `tag` (e.g. `(7FE0,0010)`).
fn core_error(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    // Setting plain data properties on a fresh Error object cannot fail.
    let _ = set(&err, "kind", &JsValue::from_str(e.kind_name()));
    if let Error::Parse(parse) = e {
        let _ = set(&err, "notDicom", &JsValue::from_bool(parse.is_not_dicom()));
        if let Some(offset) = parse.offset {
            let _ = set(&err, "offset", &JsValue::from_f64(offset as f64));
        }
        if let Some(tag) = parse.tag {
            let tag = format!("({:04X},{:04X})", tag >> 16, tag & 0xFFFF);
            let _ = set(&err, "tag", &JsValue::from_str(&tag));
            // The number too, for `inspect_damaged`.
            let _ = set(
                &err,
                "tagNumber",
                &JsValue::from_f64(f64::from(parse.tag.unwrap_or(0))),
            );
        }
    }
    err.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_names_parse() {
        let names = vec!["retain-uids".to_string(), "clean-descriptors".to_string()];
        let options = parse_options(&names).expect("known names");
        assert_eq!(options.names(), vec!["retain-uids", "clean-descriptors"]);
        let err = parse_options(&["no-such".to_string()]).unwrap_err();
        assert!(err.contains("no-such"), "{err}");
    }

    #[test]
    fn keys_round_trip_and_random_keys_differ() {
        let a = random_key().expect("random");
        let b = random_key().expect("random");
        assert_ne!(a.to_text(), b.to_text());
        let again = key_from(Some(&a.to_text())).expect("own text parses");
        assert_eq!(again.to_text(), a.to_text());
        assert!(key_from(Some("not a key")).is_err());
        // Blank text means "no key": a random one.
        assert!(key_from(Some("  ")).is_ok());
    }

    #[test]
    fn version_is_the_cores() {
        // The core writes its own version into De-identification Method (0012,0063).
        let key = Key::from_bytes([1; KEY_BYTES]);
        let sample = sample_file();
        let outcome = dicom_leakcheck::check(&sample, &Request::deidentify(Options::basic(), key))
            .expect("the sample de-identifies");
        let out = outcome.deidentified.expect("de-identified");
        let bytes = out.to_bytes(&sample).expect("written");
        let report = dicom_leakcheck::inspect(&bytes, Options::basic()).expect("output parses");
        let method = report
            .elements
            .iter()
            .find(|f| f.tag == "(0012,0063)")
            .expect("De-identification Method written");
        assert!(
            method
                .value
                .contains(&format!("DICOM-LEAKCHECK {}", version())),
            "{}",
            method.value
        );
    }
}
