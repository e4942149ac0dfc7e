//! Prints what is read for each DICOM line in one font/height/style (for looking at errors).
#[path = "../testutil/render.rs"]
mod render;
use dicom_leakcheck_ocr::*;
use render::*;
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let dir = &a[1];
    let font = load_font(&a[2]).unwrap();
    let h: f32 = a[3].parse().unwrap();
    let margin: f32 = a.get(4).map(|s| s.parse().unwrap()).unwrap_or(0.0);
    let rd = |f: &str| std::fs::read(format!("{dir}/{f}")).unwrap();
    let dict = String::from_utf8(rd("dict.txt")).unwrap();
    let ocr = Ocr::recognizer_only(rd("rec.onnx"), &dict).unwrap();
    let mut o = RecognizeOptions::default();
    o.margin = margin;
    for t in DICOM_LINES {
        let (c, p) = render_line(&font, h, t, Style::BlackOnWhite, true, 20, 1);
        std::fs::write(format!("/tmp/pf-{}.pgm", t.len()), pgm(&c)).unwrap();
        let img = GrayImage::new(&c.data, c.width, c.height).unwrap();
        let r = ocr
            .recognize_with(img, Rect::new(p.x, p.y, p.width, p.height), &o)
            .unwrap();
        let confs: Vec<String> = r
            .chars
            .iter()
            .map(|c| format!("{}{:.2}", c.text, c.confidence))
            .collect();
        println!(
            "{t:24} -> {:24} {:.3} {}",
            r.text,
            r.confidence,
            confs.join(" ")
        );
    }
}
