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
        // The core's own default window ("auto" in a viewer), as luma8 uses it.
        set(&result, "window", &to_js(&image.display_window(&values))?)?;
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

/// A small picture of the image for lists: its middle frame through the core's default
/// window (`luma8`) or in colour (`rgb8`), shrunk by averaging to at most `max_side` pixels
/// a side. `{width, height, channels: 1 | 3, pixels: Uint8Array}`, or `null` without Pixel Data.
#[wasm_bindgen]
pub fn thumbnail(bytes: &[u8], max_side: u32) -> Result<JsValue, JsValue> {
    let Some(image) = Image::open(bytes).map_err(|e| core_error(&e))? else {
        return Ok(JsValue::NULL);
    };
    if let Some(why) = &image.info().cannot_decode {
        return Err(error(why));
    }
    let frame = image
        .frame(image.info().frames.max(1) / 2)
        .map_err(|e| core_error(&e))?;
    let (channels, pixels) = match image.rgb8(&frame) {
        Some(rgb) => (3, rgb),
        None => (1, image.luma8(&frame)),
    };
    let small = shrink(
        &pixels,
        frame.width,
        frame.height,
        channels,
        max_side.max(1),
    );
    let result = js_sys::Object::new();
    set(&result, "width", &JsValue::from(small.width))?;
    set(&result, "height", &JsValue::from(small.height))?;
    set(&result, "channels", &JsValue::from(channels))?;
    set(
        &result,
        "pixels",
        &js_sys::Uint8Array::from(small.pixels.as_slice()),
    )?;
    Ok(result.into())
}

pub(crate) struct Shrunk {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

/// Box-averages interleaved 8-bit pixels down to fit `max_side` (never enlarges).
pub(crate) fn shrink(
    pixels: &[u8],
    width: u32,
    height: u32,
    channels: u32,
    max_side: u32,
) -> Shrunk {
    let scale = (f64::from(width.max(height)) / f64::from(max_side)).max(1.0);
    let out_w = ((f64::from(width) / scale).round() as u32).clamp(1, width.max(1));
    let out_h = ((f64::from(height) / scale).round() as u32).clamp(1, height.max(1));
    let c = channels as usize;
    let mut out = vec![0u8; out_w as usize * out_h as usize * c];
    for oy in 0..out_h {
        let y0 = (u64::from(oy) * u64::from(height) / u64::from(out_h)) as usize;
        let y1 = ((u64::from(oy + 1) * u64::from(height) / u64::from(out_h)) as usize).max(y0 + 1);
        for ox in 0..out_w {
            let x0 = (u64::from(ox) * u64::from(width) / u64::from(out_w)) as usize;
            let x1 =
                ((u64::from(ox + 1) * u64::from(width) / u64::from(out_w)) as usize).max(x0 + 1);
            for k in 0..c {
                let mut sum = 0u64;
                let mut n = 0u64;
                for y in y0..y1.min(height as usize) {
                    for x in x0..x1.min(width as usize) {
                        if let Some(v) = pixels.get((y * width as usize + x) * c + k) {
                            sum += u64::from(*v);
                            n += 1;
                        }
                    }
                }
                out[(oy as usize * out_w as usize + ox as usize) * c + k] = (sum / n.max(1)) as u8;
            }
        }
    }
    Shrunk {
        width: out_w,
        height: out_h,
        pixels: out,
    }
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

#[cfg(test)]
mod tests {
    use super::shrink;

    #[test]
    fn thumbnails_average_and_never_grow() {
        // 4×2 grey: left half 0, right half 200; to 2 pixels wide: one of each.
        let pixels = [0, 0, 200, 200, 0, 0, 200, 200];
        let small = shrink(&pixels, 4, 2, 1, 2);
        assert_eq!((small.width, small.height), (2, 1));
        assert_eq!(small.pixels, vec![0, 200]);
        // Colour keeps its channels apart.
        let rgb = [255, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 255];
        let small = shrink(&rgb, 2, 2, 3, 1);
        assert_eq!(small.pixels, vec![127, 0, 127]);
        let same = shrink(&pixels, 4, 2, 1, 64);
        assert_eq!((same.width, same.height, same.pixels.len()), (4, 2, 8));
    }
}
