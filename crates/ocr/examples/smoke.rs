#[path = "../testutil/render.rs"]
mod render;
use dicom_leakcheck_ocr::*;
use render::*;
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let det = std::fs::read(format!("{dir}/det.onnx")).unwrap();
    let rec = std::fs::read(format!("{dir}/rec.onnx")).unwrap();
    let dict = std::fs::read_to_string(format!("{dir}/dict.txt")).unwrap();
    let ocr = Ocr::new(det, rec, &dict).unwrap();
    let font = load_font(TUNING_FONTS[0]).unwrap();
    for style in Style::ALL {
        for cap in [5.0, 7.0, 10.0, 16.0] {
            let (c, p) = render_line(&font, cap, "Patient ID: AB-12345", style, true, 8, 1);
            std::fs::write(format!("/tmp/smoke-{}-{cap}.pgm", style.name()), pgm(&c)).unwrap();
            let img = GrayImage::new(&c.data, c.width, c.height).unwrap();
            let r = Rect::new(p.x, p.y, p.width, p.height);
            for pol in [Polarity::AsIs, Polarity::Auto, Polarity::Both] {
                let mut o = RecognizeOptions::default();
                o.polarity = pol;
                let t = std::time::Instant::now();
                let res = ocr.recognize_with(img, r, &o).unwrap();
                println!(
                    "{:24} {cap:4} {pol:?}: {:?} {:.3} inv={} {:?}",
                    style.name(),
                    res.text,
                    res.confidence,
                    res.inverted,
                    t.elapsed()
                );
            }
            let mut d = DetectOptions::default();
            d.scale = 3.0;
            let lines = ocr.detect_with(img, &d).unwrap();
            println!(
                "   det x3: {:?} (gt {:?})",
                lines.iter().map(|l| (l.rect, l.score)).collect::<Vec<_>>(),
                r
            );
        }
    }
}
