//! The WebAssembly face of dicom-leakcheck: a thin layer that turns JS values into the core's
//! types and the core's results into plain JS objects. No logic of its own beyond that.
//!
//! Every function that can fail throws a JS `Error` whose `message` is the core's message;
//! parse errors also carry `notDicom` (the bytes are not DICOM at all, so a batch skips them
//! instead of reporting an error) and, when known, `offset` (byte in the file).
//!
//! Loaded only inside a Web Worker by the page (`www/worker.js`), and by the Node tests.

mod detect;
mod pixels;

use dicom_leakcheck::key::KEY_BYTES;
use dicom_leakcheck::pixels::{Rect, Region, RegionSource};
use dicom_leakcheck::sample::{
    sample_file, ultrasound_sample, SAMPLE_FILE_NAME, ULTRASOUND_FILE_NAME,
};
use dicom_leakcheck::{check, Error, Key, Options, PixelWork, Request, ALL_OPTIONS};
use serde::Serialize;
use wasm_bindgen::prelude::*;

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

/// The PS3.15 options the user can choose: `[{option, name, label, help, section, code}]`.
#[wasm_bindgen]
pub fn options() -> Result<JsValue, JsValue> {
    to_js(&ALL_OPTIONS)
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
/// Profile alone).
#[wasm_bindgen]
pub fn inspect(bytes: &[u8], options: JsValue) -> Result<JsValue, JsValue> {
    let request = Request::inspect(options_from_js(options)?).with_pixels(PixelWork::HeaderRisk);
    let outcome = check(bytes, &request).map_err(|e| core_error(&e))?;
    to_js(&outcome.report)
}

thread_local! {
    /// The text reader, once `load_text_reader` was called (a worker has one thread).
    static READER: std::cell::RefCell<Option<std::sync::Arc<dicom_leakcheck::TextReader>>> =
        const { std::cell::RefCell::new(None) };
}

/// Loads the OCR model (`models/rec.onnx`) and its dictionary (`models/dict.txt`): from then
/// on `search_pixels` reads the text it finds and says whom it names (regions get `text` and
/// `identifies`). Takes about a second; throws on files that are not the model.
#[wasm_bindgen]
pub fn load_text_reader(model: &[u8], dictionary: &str) -> Result<(), JsValue> {
    let reader =
        dicom_leakcheck::TextReader::new(model, dictionary).map_err(|e| error(&e.to_string()))?;
    READER.with(|r| *r.borrow_mut() = Some(std::sync::Arc::new(reader)));
    Ok(())
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

/// De-identifies one file. `key_text`: a key file's content; without one a random key is used
/// (so replacement UIDs will differ from any other run). `regions`: under clean-pixel-data,
/// the boxes to black out as the user left them (`undefined`: the ones found). Returns
/// `{bytes: Uint8Array, report_before, residual, changes, warnings, sop_instance_uid}`.
#[wasm_bindgen]
pub fn deidentify(
    bytes: &[u8],
    options: JsValue,
    key_text: Option<String>,
    regions: JsValue,
) -> Result<JsValue, JsValue> {
    let request = request_from_js(options, key_text, regions)?;
    let outcome = check(bytes, &request).map_err(|e| core_error(&e))?;
    let done = outcome
        .deidentified
        .ok_or_else(|| error("the request did not de-identify"))?;
    let result = js_sys::Object::new();
    let output = done.to_bytes(bytes).map_err(|e| core_error(&e))?;
    set(
        &result,
        "bytes",
        &js_sys::Uint8Array::from(output.as_slice()),
    )?;
    set(&result, "report_before", &to_js(&outcome.report)?)?;
    set(&result, "residual", &to_js(&done.residual)?)?;
    set(&result, "changes", &to_js(&done.changes)?)?;
    set(&result, "warnings", &to_js(&done.warnings)?)?;
    set(&result, "sop_instance_uid", &to_js(&done.sop_instance_uid)?)?;
    Ok(result.into())
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
    Ok(Request::deidentify(options, key).with_regions(regions))
}

// ---- pure helpers (tested natively) ----------------------------------------------------------

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

/// Plain JS objects (maps as objects, `None` as `null`), as JSON.parse would give.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| error(&format!("cannot convert the result for JavaScript: {e}")))
}

fn options_from_js(value: JsValue) -> Result<Options, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Options::basic());
    }
    let names: Vec<String> = serde_wasm_bindgen::from_value(value)
        .map_err(|e| error(&format!("options must be an array of option names: {e}")))?;
    parse_options(&names).map_err(|m| error(&m))
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

/// The one conversion of the core's errors to JS: an `Error` with the core's message, and for
/// unreadable inputs `notDicom` (the bytes are not DICOM at all, so a batch skips them) and,
/// when known, `offset` (byte in the file).
fn core_error(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    if let Error::Parse(parse) = e {
        // Setting plain data properties on a fresh Error object cannot fail.
        let _ = set(&err, "notDicom", &JsValue::from_bool(parse.not_dicom));
        if let Some(offset) = parse.offset {
            let _ = set(&err, "offset", &JsValue::from_f64(offset as f64));
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
        let outcome = check(&sample, &Request::deidentify(Options::basic(), key))
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
