//! Per-operator timing of one recognition and one detection run (RTEN_TIMING=1 prints it).
use dicom_leakcheck_ocr::*;
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let rd = |f: &str| std::fs::read(format!("{dir}/{f}")).unwrap();
    let dict = String::from_utf8(rd("dict.txt")).unwrap();
    let ocr = Ocr::new(rd("det.onnx"), rd("rec.onnx"), &dict).unwrap();
    let mut data = vec![255u8; 400 * 40];
    for (i, v) in data.iter_mut().enumerate() {
        if (i % 400) % 7 < 2 && (i / 400) % 20 > 5 && (i % 400) < 300 {
            *v = 0;
        }
    }
    let img = GrayImage::new(&data, 400, 40).unwrap();
    let mut o = RecognizeOptions::default();
    o.polarity = Polarity::AsIs;
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let r = ocr
            .recognize_with(img, Rect::new(0, 0, 300, 40), &o)
            .unwrap();
        eprintln!("rec {:?} {:?}", t.elapsed(), r.text);
    }
}
