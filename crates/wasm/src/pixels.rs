//! Pixel exports for the page: image attributes, one decoded frame, overlay planes. Thin: every
//! decision is the core's (`dicom_leakcheck::pixels`).

use super::{core_error, error, set, to_js};
use dicom_leakcheck::Image;
use wasm_bindgen::prelude::*;

fn open(bytes: &[u8]) -> Result<Image<'_>, JsValue> {
    Image::open(bytes)
        .map_err(|e| core_error(&e))?
        .ok_or_else(|| error("the file has no Pixel Data"))
}

/// The image's attributes as a plain object (snake_case), or `null` without Pixel Data.
#[wasm_bindgen]
pub fn image_info(bytes: &[u8]) -> Result<JsValue, JsValue> {
    match Image::open(bytes).map_err(|e| core_error(&e))? {
        Some(image) => to_js(image.info()),
        None => Ok(JsValue::NULL),
    }
}

/// Frame `index`: `{width, height, kind: "gray"|"rgb", values: Int32Array (gray),
/// rgb: Uint8Array (rgb), min, max, luma: Uint8Array, window: {center, width, automatic}
/// (gray: the window to show it with; automatic when the file's shows almost nothing)}`.
#[wasm_bindgen]
pub fn decode_frame(bytes: &[u8], index: u32) -> Result<JsValue, JsValue> {
    let image = open(bytes)?;
    let frame = image.frame(index).map_err(|e| core_error(&e))?;
    let result = js_sys::Object::new();
    set(&result, "width", &JsValue::from(frame.width))?;
    set(&result, "height", &JsValue::from(frame.height))?;
    if let Some(values) = image.gray_values(&frame) {
        let (min, max) = values
            .iter()
            .fold((i32::MAX, i32::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
        set(&result, "kind", &JsValue::from_str("gray"))?;
        set(
            &result,
            "values",
            &js_sys::Int32Array::from(values.as_slice()),
        )?;
        set(&result, "min", &JsValue::from(min.min(max)))?;
        set(&result, "max", &JsValue::from(max.max(min)))?;
        if let Some(window) = image.display_window(&frame) {
            set(&result, "window", &to_js(&window)?)?;
        }
    } else {
        // Colour the core cannot convert (e.g. a palette without its tables): its luminance.
        let rgb = image.rgb8(&frame).unwrap_or_else(|| {
            let luma = image.luma8(&frame);
            luma.iter().flat_map(|v| [*v, *v, *v]).collect()
        });
        set(&result, "kind", &JsValue::from_str("rgb"))?;
        set(&result, "rgb", &js_sys::Uint8Array::from(rgb.as_slice()))?;
        set(&result, "min", &JsValue::from(0))?;
        set(&result, "max", &JsValue::from(255))?;
    }
    let luma = image.luma8(&frame);
    set(&result, "luma", &js_sys::Uint8Array::from(luma.as_slice()))?;
    Ok(result.into())
}

/// The overlay planes, each with `bits` (one byte 0/1 per pixel) of its first frame.
#[wasm_bindgen]
pub fn overlays(bytes: &[u8]) -> Result<JsValue, JsValue> {
    let list = js_sys::Array::new();
    let Some(image) = Image::open(bytes).map_err(|e| core_error(&e))? else {
        return Ok(list.into());
    };
    for o in image.overlays() {
        let object = to_js(&o)?;
        let bits = image
            .overlay_bits(&o, 0)
            .map(|b| JsValue::from(js_sys::Uint8Array::from(b.as_slice())))
            .unwrap_or(JsValue::NULL);
        set(&object.clone().into(), "bits", &bits)?;
        list.push(&object);
    }
    Ok(list.into())
}

/// One overlay frame's bits (one byte 0/1 per pixel), or `null`.
#[wasm_bindgen]
pub fn overlay_bits(bytes: &[u8], group: u16, frame: u32) -> Result<JsValue, JsValue> {
    let Some(image) = Image::open(bytes).map_err(|e| core_error(&e))? else {
        return Ok(JsValue::NULL);
    };
    let found = image.overlays().into_iter().find(|o| o.group == group);
    Ok(found
        .and_then(|o| image.overlay_bits(&o, frame))
        .map(|b| js_sys::Uint8Array::from(b.as_slice()).into())
        .unwrap_or(JsValue::NULL))
}

/// A file kept in the module's memory for the image preview: its bytes are copied in once,
/// and then every frame is decoded from them (the functions above copy the whole file into the
/// module on every call, too slow for a loop of a large file). The page must call `free()`
/// when it previews another file.
#[wasm_bindgen]
pub struct HeldFile {
    bytes: Vec<u8>,
}

#[wasm_bindgen]
impl HeldFile {
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: Vec<u8>) -> HeldFile {
        HeldFile { bytes }
    }

    /// As `image_info`.
    pub fn image_info(&self) -> Result<JsValue, JsValue> {
        image_info(&self.bytes)
    }

    /// As `decode_frame`.
    pub fn decode_frame(&self, index: u32) -> Result<JsValue, JsValue> {
        decode_frame(&self.bytes, index)
    }

    /// As `overlays`.
    pub fn overlays(&self) -> Result<JsValue, JsValue> {
        overlays(&self.bytes)
    }

    /// As `overlay_bits`.
    pub fn overlay_bits(&self, group: u16, frame: u32) -> Result<JsValue, JsValue> {
        overlay_bits(&self.bytes, group, frame)
    }

    /// As `search_pixels`: the report's `burned_in` part with the frames searched.
    pub fn burned_in(&self) -> Result<JsValue, JsValue> {
        crate::search_pixels(&self.bytes)
    }
}
