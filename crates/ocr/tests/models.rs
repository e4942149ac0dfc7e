//! Behaviour with the real models. They are fetched by scripts/fetch-models.sh, never committed; the
//! tests read the folder from LEAKCHECK_OCR_MODELS. Without it they skip with a printed reason,
//! except under CI (CI set), where a missing model is a failure: a green CI must mean the
//! engine was exercised.
#[path = "../testutil/render.rs"]
mod render;

use dicom_leakcheck_ocr::*;
use render::*;
use std::sync::OnceLock;

struct Models {
    det: Vec<u8>,
    rec: Vec<u8>,
    dict: String,
    ocr: Ocr,
}

fn unavailable(reason: String) -> Option<&'static Models> {
    if std::env::var_os("CI").is_some() {
        panic!(
            "CI is set but {reason}: run scripts/fetch-models.sh and export LEAKCHECK_OCR_MODELS"
        );
    }
    // Written to the stderr handle rather than with eprintln!, which the test harness
    // captures and hides for passing tests: the skip must be visible.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: {reason} (run scripts/fetch-models.sh and export LEAKCHECK_OCR_MODELS)"
    );
    None
}

fn models() -> Option<&'static Models> {
    static M: OnceLock<Result<Models, String>> = OnceLock::new();
    let m = M.get_or_init(|| {
        let dir = std::env::var("LEAKCHECK_OCR_MODELS")
            .map_err(|_| "LEAKCHECK_OCR_MODELS is not set".to_string())?;
        let rd =
            |f: &str| std::fs::read(format!("{dir}/{f}")).map_err(|e| format!("{dir}/{f}: {e}"));
        let det = rd("det.onnx")?;
        let rec = rd("rec.onnx")?;
        let dict = String::from_utf8(rd("dict.txt")?).map_err(|e| e.to_string())?;
        let ocr = Ocr::new(det.as_slice(), rec.as_slice(), &dict).map_err(|e| e.to_string())?;
        Ok(Models {
            det,
            rec,
            dict,
            ocr,
        })
    });
    match m {
        Ok(m) => Some(m),
        Err(e) => unavailable(e.clone()),
    }
}

fn font() -> Option<ab_glyph::FontVec> {
    match load_font(TUNING_FONTS[0]) {
        Some(f) => Some(f),
        None => {
            unavailable(format!(
                "font {} is missing (apt-get install fonts-dejavu-core)",
                TUNING_FONTS[0]
            ));
            None
        }
    }
}

#[test]
fn reads_a_rendered_line_exactly_in_both_polarities() {
    let (Some(m), Some(font)) = (models(), font()) else {
        return;
    };
    for style in [Style::BlackOnWhite, Style::WhiteOnBlack] {
        let (c, p) = render_line(&font, 12.0, "Patient ID: AB-12345", style, true, 10, 1);
        let img = GrayImage::new(&c.data, c.width, c.height).unwrap();
        let r = m
            .ocr
            .recognize(img, Rect::new(p.x, p.y, p.width, p.height))
            .unwrap();
        assert_eq!(r.text, "Patient ID: AB-12345", "{style:?}");
        assert!(r.confidence > 0.9, "{style:?}: {}", r.confidence);
        assert_eq!(
            r.inverted,
            style == Style::WhiteOnBlack,
            "Auto polarity for {style:?}"
        );
        // Character boxes lie inside the line and run left to right.
        assert_eq!(r.chars.len(), r.text.chars().count());
        for w in r.chars.windows(2) {
            assert!(w[0].x0 <= w[1].x0);
        }
        assert!(r.chars[0].x0 >= p.x as f32 - 1.0);
        assert!(r.chars.last().unwrap().x1 <= (p.x + p.width) as f32 + 1.0);
    }
}

#[test]
fn detects_then_reads_a_line_in_a_crop_with_upscaling() {
    let (Some(m), Some(font)) = (models(), font()) else {
        return;
    };
    // Small (7 px capitals) light text on a noisy dark background, as on ultrasound.
    let mut c = Canvas::new(400, 120, Style::GreyOnNoisyDark, 9);
    let p = draw(
        &mut c,
        &font,
        7.0,
        "DOB: 03-Mar-1961",
        150,
        50,
        Style::GreyOnNoisyDark,
        true,
    );
    let img = GrayImage::new(&c.data, c.width, c.height).unwrap();
    let mut o = DetectOptions::default();
    o.region = Some(Rect::new(130, 35, 150, 40));
    o.scale = 3.0;
    let lines = m.ocr.detect_with(img, &o).unwrap();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let r = lines[0].rect;
    // The box is in image coordinates and holds the text.
    assert!(
        r.x <= p.x + 1 && r.right() + 1 >= u64::from(p.x + p.width),
        "{r:?} vs {p:?}"
    );
    assert!(
        r.y <= p.y + 3 && r.bottom() + 3 >= u64::from(p.y + p.height),
        "{r:?} vs {p:?}"
    );
    let text = m.ocr.recognize(img, r).unwrap().text;
    assert_eq!(text.replace(' ', ""), "DOB:03-Mar-1961");
}

#[test]
fn blank_images_give_no_lines_and_no_text() {
    let Some(m) = models() else { return };
    for v in [0u8, 128, 255] {
        let data = vec![v; 512 * 384];
        let img = GrayImage::new(&data, 512, 384).unwrap();
        assert!(m.ocr.detect(img).unwrap().is_empty(), "level {v}");
        let r = m.ocr.recognize(img, Rect::new(10, 10, 200, 20)).unwrap();
        assert_eq!(r.text, "");
        assert_eq!(r.confidence, 0.0);
    }
}

#[test]
fn odd_inputs_give_results_or_typed_errors() {
    let Some(m) = models() else { return };
    let one = [200u8];
    let img = GrayImage::new(&one, 1, 1).unwrap();
    assert!(m.ocr.detect(img).unwrap().is_empty());
    assert_eq!(
        m.ocr.recognize(img, Rect::new(0, 0, 1, 1)).unwrap().text,
        ""
    );
    let data = vec![0u8; 64 * 3];
    let thin = GrayImage::new(&data, 64, 3).unwrap();
    assert!(m.ocr.detect(thin).unwrap().is_empty());
    let tall = GrayImage::new(&data, 1, 192).unwrap();
    assert!(m.ocr.detect(tall).unwrap().is_empty());
    assert!(m.ocr.recognize(tall, Rect::new(0, 0, 1, 192)).is_ok());

    assert!(matches!(
        m.ocr.recognize(thin, Rect::new(100, 0, 10, 3)),
        Err(OcrError::RectOutsideImage { .. })
    ));
    let mut o = DetectOptions::default();
    o.scale = 0.0;
    assert!(matches!(
        m.ocr.detect_with(thin, &o),
        Err(OcrError::InvalidOption(_))
    ));
    o.scale = f32::NAN;
    assert!(matches!(
        m.ocr.detect_with(thin, &o),
        Err(OcrError::InvalidOption(_))
    ));
    let mut o = DetectOptions::default();
    o.region = Some(Rect::new(u32::MAX, u32::MAX, u32::MAX, u32::MAX));
    assert!(matches!(
        m.ocr.detect_with(thin, &o),
        Err(OcrError::RectOutsideImage { .. })
    ));
    let mut ro = RecognizeOptions::default();
    ro.margin = -1.0;
    assert!(matches!(
        m.ocr.recognize_with(thin, Rect::new(0, 0, 8, 3), &ro),
        Err(OcrError::InvalidOption(_))
    ));
    // An extremely wide "line" is squeezed to the cap instead of running for ever.
    let wide = vec![255u8; 100_000 * 8];
    let wide = GrayImage::new(&wide, 100_000, 8).unwrap();
    assert!(m.ocr.recognize(wide, Rect::new(0, 0, 100_000, 8)).is_ok());
}

#[test]
fn giant_frames_are_bounded_by_the_detection_cap() {
    let Some(m) = models() else { return };
    let data = vec![90u8; 8000 * 6000];
    let img = GrayImage::new(&data, 8000, 6000).unwrap();
    let mut o = DetectOptions::default();
    o.scale = 8.0;
    let t = std::time::Instant::now();
    assert!(m.ocr.detect_with(img, &o).unwrap().is_empty());
    // 1280x960 at most goes through the network whatever the scale asks.
    assert!(t.elapsed().as_secs() < 60, "{:?}", t.elapsed());
}

#[test]
fn bad_models_and_dictionaries_are_typed_errors() {
    let Some(m) = models() else { return };
    assert!(matches!(
        Ocr::new(b"not a model", m.rec.as_slice(), &m.dict),
        Err(OcrError::ModelLoad {
            which: ModelKind::Detection,
            ..
        })
    ));
    assert!(matches!(
        Ocr::new(m.det.as_slice(), &m.rec[..m.rec.len() / 2], &m.dict),
        Err(OcrError::ModelLoad {
            which: ModelKind::Recognition,
            ..
        })
    ));
    assert!(matches!(
        Ocr::recognizer_only(m.rec.as_slice(), "a\nb\nc\n"),
        Err(OcrError::Dictionary { .. })
    ));
    assert!(matches!(
        Ocr::recognizer_only(m.rec.as_slice(), ""),
        Err(OcrError::Dictionary { .. })
    ));
    // The models swapped round are not what each stage expects.
    assert!(Ocr::new(m.rec.as_slice(), m.det.as_slice(), &m.dict).is_err());
    let rec_only = Ocr::recognizer_only(m.rec.as_slice(), &m.dict).unwrap();
    let data = [0u8; 64];
    let img = GrayImage::new(&data, 8, 8).unwrap();
    assert!(matches!(rec_only.detect(img), Err(OcrError::NoDetector)));
}
