//! Raw wasm exports for timing the OCR engine under Node (see bench.mjs).
//! Single-threaded by construction (wasm32-unknown-unknown), so thread-local state is fine.
#![allow(clippy::missing_safety_doc)]

use std::cell::RefCell;

thread_local! {
    static OUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    #[cfg(feature = "ocr")]
    static OCR: RefCell<Option<dicom_leakcheck_ocr::Ocr>> = const { RefCell::new(None) };
}

fn set_out(s: String) {
    OUT.with(|o| *o.borrow_mut() = s.into_bytes());
}

#[unsafe(no_mangle)]
pub extern "C" fn h_alloc(len: usize) -> *mut u8 {
    let mut v = vec![0u8; len];
    let p = v.as_mut_ptr();
    std::mem::forget(v);
    p
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn h_free(ptr: *mut u8, len: usize) {
    drop(unsafe { Vec::from_raw_parts(ptr, len, len) });
}

#[unsafe(no_mangle)]
pub extern "C" fn h_out_ptr() -> *const u8 {
    OUT.with(|o| o.borrow().as_ptr())
}

#[unsafe(no_mangle)]
pub extern "C" fn h_out_len() -> usize {
    OUT.with(|o| o.borrow().len())
}

#[cfg(feature = "ocr")]
mod ocr_exports {
    use super::*;
    use dicom_leakcheck_ocr::*;

    unsafe fn bytes<'a>(p: *const u8, n: usize) -> &'a [u8] {
        if n == 0 { &[] } else { unsafe { std::slice::from_raw_parts(p, n) } }
    }

    fn polarity(p: u32) -> Polarity {
        match p {
            0 => Polarity::AsIs,
            1 => Polarity::Inverted,
            3 => Polarity::Both,
            _ => Polarity::Auto,
        }
    }

    fn esc(s: &str) -> String {
        s.chars()
            .flat_map(|c| match c {
                '"' => "\\\"".chars().collect::<Vec<_>>(),
                '\\' => "\\\\".chars().collect(),
                c if (c as u32) < 0x20 => format!("\\u{:04x}", c as u32).chars().collect(),
                c => vec![c],
            })
            .collect()
    }

    /// Loads the engine (det may be empty for recognition only). 0 on success; else the error
    /// text is in the out buffer.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn h_load(
        det: *const u8,
        det_len: usize,
        rec: *const u8,
        rec_len: usize,
        dict: *const u8,
        dict_len: usize,
    ) -> i32 {
        let (det, rec, dict) = unsafe { (bytes(det, det_len), bytes(rec, rec_len), bytes(dict, dict_len)) };
        let dict = String::from_utf8_lossy(dict);
        let r = if det.is_empty() {
            Ocr::recognizer_only(rec, &dict)
        } else {
            Ocr::new(det, rec, &dict)
        };
        match r {
            Ok(o) => {
                OCR.with(|s| *s.borrow_mut() = Some(o));
                0
            }
            Err(e) => {
                set_out(e.to_string());
                1
            }
        }
    }

    /// Detects lines in region (rx, ry, rw, rh) at `scale`; JSON array of boxes in the out
    /// buffer; returns the count or -1.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn h_detect(
        img: *const u8,
        w: usize,
        h: usize,
        rx: u32,
        ry: u32,
        rw: u32,
        rh: u32,
        scale: f32,
        pol: u32,
    ) -> i32 {
        let data = unsafe { bytes(img, w.saturating_mul(h)) };
        OCR.with(|s| {
            let s = s.borrow();
            let Some(ocr) = s.as_ref() else { return -1 };
            let run = || -> Result<Vec<TextLine>, OcrError> {
                let image = GrayImage::new(data, w, h)?;
                let mut o = DetectOptions::default();
                o.region = Some(Rect::new(rx, ry, rw, rh));
                o.scale = scale;
                o.polarity = polarity(pol);
                ocr.detect_with(image, &o)
            };
            match run() {
                Ok(lines) => {
                    let items: Vec<String> = lines
                        .iter()
                        .map(|l| format!("[{},{},{},{},{:.3}]", l.rect.x, l.rect.y, l.rect.width, l.rect.height, l.score))
                        .collect();
                    set_out(format!("[{}]", items.join(",")));
                    lines.len() as i32
                }
                Err(e) => {
                    set_out(e.to_string());
                    -1
                }
            }
        })
    }

    /// Reads `n` rects (u32 x, y, w, h each); JSON array of [text, confidence] in the out
    /// buffer; returns n or -1.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn h_recognize(
        img: *const u8,
        w: usize,
        h: usize,
        rects: *const u32,
        n: usize,
        pol: u32,
        batch: usize,
        margin: f32,
    ) -> i32 {
        let data = unsafe { bytes(img, w.saturating_mul(h)) };
        let raw: &[u32] = if n == 0 { &[] } else { unsafe { std::slice::from_raw_parts(rects, n * 4) } };
        let rects: Vec<Rect> = raw.chunks(4).map(|c| Rect::new(c[0], c[1], c[2], c[3])).collect();
        OCR.with(|s| {
            let s = s.borrow();
            let Some(ocr) = s.as_ref() else { return -1 };
            let run = || -> Result<Vec<Recognized>, OcrError> {
                let image = GrayImage::new(data, w, h)?;
                let mut o = RecognizeOptions::default();
                o.polarity = polarity(pol);
                o.batch_size = batch;
                o.margin = margin;
                ocr.recognize_lines(image, &rects, &o)
            };
            match run() {
                Ok(v) => {
                    let items: Vec<String> = v
                        .iter()
                        .map(|r| format!("[\"{}\",{:.4}]", esc(&r.text), r.confidence))
                        .collect();
                    set_out(format!("[{}]", items.join(",")));
                    v.len() as i32
                }
                Err(e) => {
                    set_out(e.to_string());
                    -1
                }
            }
        })
    }
}
