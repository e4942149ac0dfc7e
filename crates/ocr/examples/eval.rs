//! Measurements for NOTES.md: recognition accuracy (rec), detection recall (det), native
//! timings (time), and the images the wasm benchmark reads (bench-images).
//! Usage: cargo run --release --example eval -- <rec|det|time|bench-images> MODELS_DIR [opts]
#[path = "../testutil/render.rs"]
mod render;

use dicom_leakcheck_ocr::*;
use render::*;
use std::collections::BTreeMap;
use std::time::Instant;

const HEIGHTS: [f32; 7] = [5.0, 6.0, 7.0, 8.0, 10.0, 12.0, 16.0];

fn lev(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[derive(Default, Clone, Copy)]
struct Acc {
    n: usize,
    exact: usize,
    exact_nospace: usize,
    exact_nocase: usize,
    edits: usize,
    chars: usize,
}
impl Acc {
    fn add(&mut self, gt: &str, got: &str) {
        self.n += 1;
        self.exact += usize::from(gt == got);
        let ns = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<Vec<_>>();
        self.exact_nospace += usize::from(ns(gt) == ns(got));
        let nc = |s: &str| {
            s.chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_uppercase)
                .collect::<Vec<_>>()
        };
        self.exact_nocase += usize::from(nc(gt) == nc(got));
        let g: Vec<char> = gt.chars().collect();
        let o: Vec<char> = got.chars().collect();
        self.edits += lev(&g, &o);
        self.chars += g.len();
    }
    fn cells(&self) -> String {
        if self.n == 0 {
            return "- | - | - | -".into();
        }
        format!(
            "{:.1} | {:.1} | {:.1} | {:.2}",
            100.0 * self.exact as f64 / self.n as f64,
            100.0 * self.exact_nospace as f64 / self.n as f64,
            100.0 * self.exact_nocase as f64 / self.n as f64,
            100.0 * self.edits as f64 / self.chars.max(1) as f64
        )
    }
}

fn load(dir: &str) -> Ocr {
    let rd =
        |f: &str| std::fs::read(format!("{dir}/{f}")).unwrap_or_else(|e| panic!("{dir}/{f}: {e}"));
    let dict = String::from_utf8(rd("dict.txt")).unwrap();
    let t = Instant::now();
    let o = Ocr::new(rd("det.onnx"), rd("rec.onnx"), &dict).unwrap();
    eprintln!("loaded {dir} in {:?}", t.elapsed());
    o
}

fn arg(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_string())
}

fn polarity(s: &str) -> Polarity {
    match s {
        "asis" => Polarity::AsIs,
        "inverted" => Polarity::Inverted,
        "both" => Polarity::Both,
        _ => Polarity::Auto,
    }
}

fn font_name(p: &str) -> String {
    p.rsplit('/')
        .next()
        .unwrap_or(p)
        .trim_end_matches(".ttf")
        .to_string()
}

fn groups() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("tuning", TUNING_FONTS.to_vec()),
        ("held-out", HELD_OUT_FONTS.to_vec()),
    ]
}

/// Recognition given the line box (what an exact finder would hand over).
fn eval_rec(ocr: &Ocr) {
    let pol = polarity(&arg("--polarity", "auto"));
    let margin: f32 = arg("--margin", "0.2").parse().unwrap();
    let aa = arg("--aa", "on") == "on";
    let mut o = RecognizeOptions::default();
    o.polarity = pol;
    o.margin = margin;
    o.batch_size = 7;
    o.latin_only = arg("--latin", "on") == "on";
    println!(
        "## Recognition on exact line boxes: polarity {pol:?}, margin {margin}, antialias {aa}\n"
    );
    let mut by_h: BTreeMap<(usize, String), Acc> = BTreeMap::new();
    let mut by_style: BTreeMap<(String, String), Acc> = BTreeMap::new();
    let mut by_font: BTreeMap<(String, String, usize), Acc> = BTreeMap::new();
    let mut failures = Vec::new();
    let t = Instant::now();
    let mut seed = 1u64;
    for (group, fonts) in groups() {
        for path in fonts {
            let Some(font) = load_font(path) else {
                eprintln!("missing font {path}");
                continue;
            };
            for style in Style::ALL {
                for &h in &HEIGHTS {
                    // All seven lines on one canvas, one per row, so they batch in one call.
                    let pad = (2.0 * h) as u32 + 2;
                    let sizes: Vec<(u32, u32)> =
                        DICOM_LINES.iter().map(|t| measure(&font, h, t)).collect();
                    let w = sizes.iter().map(|s| s.0).max().unwrap() + 2 * pad;
                    let lh = sizes[0].1 + pad;
                    let mut c = Canvas::new(w as usize, (lh * 7 + pad) as usize, style, seed);
                    seed += 1;
                    let rects: Vec<Rect> = DICOM_LINES
                        .iter()
                        .enumerate()
                        .map(|(i, t)| {
                            let p = draw(&mut c, &font, h, t, pad, pad + i as u32 * lh, style, aa);
                            Rect::new(p.x, p.y, p.width, p.height)
                        })
                        .collect();
                    let img = GrayImage::new(&c.data, c.width, c.height).unwrap();
                    let res = ocr.recognize_lines(img, &rects, &o).unwrap();
                    for (gt, r) in DICOM_LINES.iter().zip(&res) {
                        by_h.entry((h as usize, group.to_string()))
                            .or_default()
                            .add(gt, &r.text);
                        by_style
                            .entry((style.name().to_string(), group.to_string()))
                            .or_default()
                            .add(gt, &r.text);
                        by_font
                            .entry((group.to_string(), font_name(path), h as usize))
                            .or_default()
                            .add(gt, &r.text);
                        if *gt != r.text && failures.len() < 60 {
                            failures.push(format!(
                                "{} {} {h}px: {:?} -> {:?} ({:.2})",
                                font_name(path),
                                style.name(),
                                gt,
                                r.text,
                                r.confidence
                            ));
                        }
                    }
                }
            }
        }
    }
    println!("Cells: exact % | exact ignoring spaces % | ignoring spaces and case % | CER %\n");
    println!(
        "| cap height px | tuning: exact | no sp. | no sp./case | CER | held-out: exact | no sp. | no sp./case | CER |\n|---|---|---|---|---|---|---|---|---|"
    );
    for &h in &HEIGHTS {
        let h = h as usize;
        println!(
            "| {h} | {} | {} |",
            by_h.get(&(h, "tuning".into()))
                .copied()
                .unwrap_or_default()
                .cells(),
            by_h.get(&(h, "held-out".into()))
                .copied()
                .unwrap_or_default()
                .cells()
        );
    }
    println!(
        "\n| style | tuning: exact | no sp. | no sp./case | CER | held-out: exact | no sp. | no sp./case | CER |\n|---|---|---|---|---|---|---|---|---|"
    );
    for s in Style::ALL {
        let k = |g: &str| {
            by_style
                .get(&(s.name().to_string(), g.to_string()))
                .copied()
                .unwrap_or_default()
                .cells()
        };
        println!("| {} | {} | {} |", s.name(), k("tuning"), k("held-out"));
    }
    println!(
        "\nPer font, exact-ignoring-spaces % by cap height ({})\n",
        HEIGHTS.map(|h| h.to_string()).join(", ")
    );
    println!(
        "| group | font | {} |\n|---|---|{}",
        HEIGHTS.map(|h| format!("{h}px")).join(" | "),
        "---|".repeat(HEIGHTS.len())
    );
    let mut fonts: Vec<(String, String)> = by_font
        .keys()
        .map(|(g, f, _)| (g.clone(), f.clone()))
        .collect();
    fonts.dedup();
    for (g, f) in fonts {
        let cells: Vec<String> = HEIGHTS
            .iter()
            .map(|&h| {
                let a = by_font
                    .get(&(g.clone(), f.clone(), h as usize))
                    .copied()
                    .unwrap_or_default();
                format!("{:.0}", 100.0 * a.exact_nospace as f64 / a.n.max(1) as f64)
            })
            .collect();
        println!("| {g} | {f} | {} |", cells.join(" | "));
    }
    println!("\nSome failures:\n");
    for f in failures {
        println!("- {f}");
    }
    eprintln!("rec eval took {:?}", t.elapsed());
}

/// Detection on crops around each line (as the product will call it) at several scales, and
/// on whole 512x512 frames at scale 1; plus blank and textured frames without text.
fn eval_det(ocr: &Ocr) {
    let scales: Vec<f32> = arg("--scales", "1,2,3,4")
        .split(',')
        .map(|s| s.parse().unwrap())
        .collect();
    let pol = polarity(&arg("--polarity", "asis"));
    println!("## Detection: crops around each line (margin: one line height), polarity {pol:?}\n");
    println!(
        "Cells: lines found % / found and read exactly ignoring spaces % (tuning fonts + held-out fonts, 4 styles)\n"
    );
    let fonts: Vec<&str> = vec![
        TUNING_FONTS[0],
        TUNING_FONTS[2],
        HELD_OUT_FONTS[0],
        HELD_OUT_FONTS[3],
    ];
    let mut table: BTreeMap<(usize, String), (usize, usize, usize, f64)> = BTreeMap::new();
    let mut seed = 100u64;
    for path in &fonts {
        let font = load_font(path).unwrap();
        for style in Style::ALL {
            for &h in &HEIGHTS {
                for text in DICOM_LINES {
                    let pad = (3.0 * h) as u32 + 4;
                    let (c, p) = render_line(&font, h, text, style, true, pad, seed);
                    seed += 1;
                    let img = GrayImage::new(&c.data, c.width, c.height).unwrap();
                    let m = p.height;
                    let crop = Rect::new(
                        p.x - m.min(p.x),
                        p.y - m.min(p.y),
                        p.width + 2 * m,
                        p.height + 2 * m,
                    );
                    let gt = Rect::new(p.x, p.y, p.width, p.height);
                    for &s in &scales {
                        let mut o = DetectOptions::default();
                        o.region = Some(crop);
                        o.scale = if s == 0.0 {
                            DetectOptions::scale_for_line_height(p.height as f32)
                        } else {
                            s
                        };
                        o.polarity = pol;
                        let t = Instant::now();
                        let lines = ocr.detect_with(img, &o).unwrap();
                        let dt = t.elapsed().as_secs_f64();
                        let found = lines.iter().find(|l| covers(l.rect, gt) >= 0.8);
                        let read = found.map(|l| {
                            let r = ocr.recognize(img, l.rect).unwrap();
                            r.text.replace(' ', "") == text.replace(' ', "")
                        });
                        let e = table.entry((h as usize, format!("{s}"))).or_default();
                        e.0 += 1;
                        e.1 += usize::from(found.is_some());
                        e.2 += usize::from(read == Some(true));
                        e.3 += dt;
                    }
                }
            }
        }
    }
    println!(
        "| cap height px | {} |\n|---|{}",
        scales
            .iter()
            .map(|s| format!("scale {s}"))
            .collect::<Vec<_>>()
            .join(" | "),
        "---|".repeat(scales.len())
    );
    for &h in &HEIGHTS {
        let cells: Vec<String> = scales
            .iter()
            .map(|s| {
                let e = table
                    .get(&(h as usize, format!("{s}")))
                    .copied()
                    .unwrap_or_default();
                format!(
                    "{:.0} / {:.0} ({:.0} ms)",
                    100.0 * e.1 as f64 / e.0.max(1) as f64,
                    100.0 * e.2 as f64 / e.0.max(1) as f64,
                    1000.0 * e.3 / e.0.max(1) as f64
                )
            })
            .collect();
        println!("| {} | {} |", h as usize, cells.join(" | "));
    }

    println!("\n## Detection on whole 512x512 frames, scale 1, 7 lines a frame\n");
    println!(
        "| cap height px | lines found % | read exactly (no spaces) % | boxes not on text |\n|---|---|---|---|"
    );
    for &h in &HEIGHTS {
        let (mut n, mut f, mut rd, mut extra) = (0, 0, 0, 0);
        for path in &fonts {
            let font = load_font(path).unwrap();
            for style in Style::ALL {
                let mut c = Canvas::new(512, 512, style, seed);
                seed += 1;
                let mut gts = Vec::new();
                for (i, t) in DICOM_LINES.iter().enumerate() {
                    let y = 10 + i as u32 * (h * 3.0) as u32;
                    let x = if i % 2 == 0 { 8 } else { 250 };
                    let p = draw(&mut c, &font, h, t, x, y, style, true);
                    gts.push((Rect::new(p.x, p.y, p.width, p.height), *t));
                }
                let img = GrayImage::new(&c.data, 512, 512).unwrap();
                let lines = ocr.detect(img).unwrap();
                for (gt, text) in &gts {
                    n += 1;
                    if let Some(l) = lines.iter().find(|l| covers(l.rect, *gt) >= 0.8) {
                        f += 1;
                        let r = ocr.recognize(img, l.rect).unwrap();
                        rd += usize::from(r.text.replace(' ', "").contains(&text.replace(' ', "")));
                    }
                }
                extra += lines
                    .iter()
                    .filter(|l| {
                        gts.iter()
                            .all(|(g, _)| covers(*g, l.rect) < 0.3 && covers(l.rect, *g) < 0.3)
                    })
                    .count();
            }
        }
        println!(
            "| {} | {:.0} | {:.0} | {} |",
            h as usize,
            100.0 * f as f64 / n as f64,
            100.0 * rd as f64 / n as f64,
            extra
        );
    }
    let mut fp = 0;
    for style in Style::ALL {
        let c = Canvas::new(512, 512, style, 7);
        let img = GrayImage::new(&c.data, 512, 512).unwrap();
        fp += ocr.detect(img).unwrap().len();
    }
    println!("\nBoxes found on the 4 text-free backgrounds (512x512): {fp}");
}

/// Fraction of `gt`'s area inside `r`.
fn covers(r: Rect, gt: Rect) -> f32 {
    let iw = (r.right().min(gt.right()) as f32 - r.x.max(gt.x) as f32).max(0.0);
    let ih = (r.bottom().min(gt.bottom()) as f32 - r.y.max(gt.y) as f32).max(0.0);
    iw * ih / (gt.width as f32 * gt.height as f32).max(1.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn time_it(n: usize, mut f: impl FnMut()) -> f64 {
    f();
    median(
        (0..n)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect(),
    )
}

fn eval_time(ocr: &Ocr) {
    let font = load_font(TUNING_FONTS[0]).unwrap();
    println!("## Native timings (median ms)\n");
    for (w, h) in [(512usize, 512usize), (1024, 768)] {
        let mut c = Canvas::new(w, h, Style::GreyOnNoisyDark, 3);
        for (i, t) in DICOM_LINES.iter().enumerate() {
            draw(
                &mut c,
                &font,
                10.0,
                t,
                10,
                10 + 30 * i as u32,
                Style::GreyOnNoisyDark,
                true,
            );
        }
        let img = GrayImage::new(&c.data, w, h).unwrap();
        let ms = time_it(5, || {
            ocr.detect(img).unwrap();
        });
        println!("- detect {w}x{h} frame: {ms:.1} ms");
    }
    let (c, p) = render_line(
        &font,
        8.0,
        "Patient ID: AB-12345",
        Style::WhiteOnBlack,
        true,
        0,
        1,
    );
    let mut big = Canvas::new(300, 60, Style::WhiteOnBlack, 1);
    for y in 0..c.height.min(60) {
        for x in 0..c.width.min(300) {
            big.data[(y + 20) * 300 + x + 10] = c.data[y * c.width + x];
        }
    }
    let _ = p;
    let img = GrayImage::new(&big.data, 300, 60).unwrap();
    for s in [1.0, 2.0, 3.0, 4.0] {
        let mut o = DetectOptions::default();
        o.scale = s;
        let ms = time_it(9, || {
            ocr.detect_with(img, &o).unwrap();
        });
        println!("- detect 300x60 crop at scale {s}: {ms:.1} ms");
    }
    for (text, label) in [
        ("DOE, JANE M", "11 chars"),
        ("Patient ID: AB-12345", "20 chars"),
        ("ST. ELSEWHERE HOSPITAL 1961", "27 chars"),
    ] {
        for h in [8.0, 16.0] {
            let (c, p) = render_line(&font, h, text, Style::WhiteOnBlack, true, 4, 1);
            let img = GrayImage::new(&c.data, c.width, c.height).unwrap();
            let r = Rect::new(p.x, p.y, p.width, p.height);
            for pol in [Polarity::Auto, Polarity::Both] {
                let mut o = RecognizeOptions::default();
                o.polarity = pol;
                let ms = time_it(9, || {
                    ocr.recognize_with(img, r, &o).unwrap();
                });
                println!("- recognize {label} at {h}px, {pol:?}: {ms:.1} ms");
            }
        }
    }
    // Batching: 8 lines of ~20 chars, batch 1 vs 4 vs 8.
    let (c, p) = render_line(
        &font,
        10.0,
        "Patient ID: AB-12345",
        Style::WhiteOnBlack,
        true,
        4,
        1,
    );
    let img = GrayImage::new(&c.data, c.width, c.height).unwrap();
    let rects = vec![Rect::new(p.x, p.y, p.width, p.height); 8];
    for b in [1, 4, 8] {
        let mut o = RecognizeOptions::default();
        o.batch_size = b;
        let ms = time_it(5, || {
            ocr.recognize_lines(img, &rects, &o).unwrap();
        });
        println!(
            "- recognize 8 lines of 20 chars, batch {b}: {ms:.1} ms ({:.1} ms/line)",
            ms / 8.0
        );
    }
}

/// Images for bench.mjs: PGM files plus a manifest of line boxes and texts.
fn bench_images(out: &str) {
    std::fs::create_dir_all(out).unwrap();
    let font = load_font(TUNING_FONTS[0]).unwrap();
    let held = load_font(HELD_OUT_FONTS[3]).unwrap();
    let mut manifest = Vec::new();
    for (name, w, h) in [
        ("frame512", 512usize, 512usize),
        ("frame1024x768", 1024, 768),
    ] {
        let mut c = Canvas::new(w, h, Style::GreyOnNoisyDark, 5);
        let mut lines = Vec::new();
        for (i, t) in DICOM_LINES.iter().enumerate() {
            let p = draw(
                &mut c,
                &font,
                10.0,
                t,
                10,
                10 + 30 * i as u32,
                Style::GreyOnNoisyDark,
                true,
            );
            lines.push(format!(
                "[{},{},{},{},\"{}\"]",
                p.x, p.y, p.width, p.height, t
            ));
        }
        std::fs::write(format!("{out}/{name}.pgm"), pgm(&c)).unwrap();
        manifest.push(format!(
            "{{\"file\":\"{name}.pgm\",\"lines\":[{}]}}",
            lines.join(",")
        ));
    }
    let mut k = 0;
    for (f, fname) in [(&font, "DejaVuSans"), (&held, "NotoSans")] {
        for style in Style::ALL {
            for h in [6.0f32, 8.0, 12.0] {
                let pad = (2.0 * h) as u32 + 2;
                let sizes: Vec<(u32, u32)> = DICOM_LINES.iter().map(|t| measure(f, h, t)).collect();
                let w = sizes.iter().map(|s| s.0).max().unwrap() + 2 * pad;
                let lh = sizes[0].1 + pad;
                let mut c = Canvas::new(w as usize, (lh * 7 + pad) as usize, style, 50 + k);
                let lines: Vec<String> = DICOM_LINES
                    .iter()
                    .enumerate()
                    .map(|(i, t)| {
                        let p = draw(&mut c, f, h, t, pad, pad + i as u32 * lh, style, true);
                        format!("[{},{},{},{},\"{}\"]", p.x, p.y, p.width, p.height, t)
                    })
                    .collect();
                let name = format!("lines-{fname}-{}-{h}.pgm", style.name());
                std::fs::write(format!("{out}/{name}"), pgm(&c)).unwrap();
                manifest.push(format!(
                    "{{\"file\":\"{name}\",\"lines\":[{}]}}",
                    lines.join(",")
                ));
                k += 1;
            }
        }
    }
    // A 300x60 crop with one 8 px line for the crop-detection timing.
    let (c, p) = render_line(
        &font,
        8.0,
        "Patient ID: AB-12345",
        Style::WhiteOnBlack,
        true,
        0,
        1,
    );
    let mut crop = Canvas::new(300, 60, Style::WhiteOnBlack, 1);
    for y in 0..c.height.min(60) {
        for x in 0..c.width.min(290) {
            crop.data[(y + 20) * 300 + x + 10] = c.data[y * c.width + x];
        }
    }
    std::fs::write(format!("{out}/crop300x60.pgm"), pgm(&crop)).unwrap();
    manifest.push(format!(
        "{{\"file\":\"crop300x60.pgm\",\"lines\":[[10,20,{},{},\"Patient ID: AB-12345\"]]}}",
        p.width, p.height
    ));
    std::fs::write(
        format!("{out}/manifest.json"),
        format!("[{}]", manifest.join(",\n")),
    )
    .unwrap();
    println!("wrote {} images to {out}", manifest.len());
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map(String::as_str).unwrap_or("rec");
    let dir = args
        .get(2)
        .cloned()
        .unwrap_or_else(|| ".cache/models/ppocrv5".into());
    match mode {
        "bench-images" => bench_images(&dir),
        "rec" => eval_rec(&load(&dir)),
        "det" => eval_det(&load(&dir)),
        "time" => eval_time(&load(&dir)),
        _ => eprintln!("modes: rec det time bench-images"),
    }
}
