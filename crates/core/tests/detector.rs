//! The pixel text finder on a synthetic set drawn with a real font (see `detector_set`):
//! frame-level recall and false positives, line-level recall, box excess and time per frame,
//! printed as a table (`cargo test --test detector -- --nocapture`), then asserted.

mod detector_set;

use std::time::Instant;

use detector_set::{frame_set, Background, Fonts, Frame, Line, SIZES};
use dicom_leakcheck::pixels::detect::{find_text, find_text_in_frames};
use dicom_leakcheck::pixels::{Luma, Rect};

const SET_SIZE: usize = 240;
const SEED: u64 = 0x5eed_7e47;

fn fonts() -> Fonts {
    match Fonts::load() {
        Ok(f) => f,
        Err(message) => panic!("{message}"),
    }
}

fn luma(f: &Frame) -> Luma<'_> {
    Luma {
        width: f.width,
        height: f.height,
        pixels: &f.pixels,
    }
}

/// Pixels of a `w x h` frame inside any of the boxes.
fn box_mask(boxes: &[Rect], w: u32, h: u32) -> Vec<bool> {
    let mut m = vec![false; (w * h) as usize];
    for b in boxes {
        for y in b.y..(b.y + b.h).min(h) {
            for x in b.x..(b.x + b.w).min(w) {
                m[(y * w + x) as usize] = true;
            }
        }
    }
    m
}

fn line_rect(l: &Line) -> Rect {
    Rect {
        x: l.x,
        y: l.y,
        w: l.w,
        h: l.h,
    }
}

/// Share of the line's ink box covered by the boxes.
fn coverage(l: &Line, mask: &[bool], w: u32) -> f64 {
    let mut hit = 0usize;
    for y in l.y..l.y + l.h {
        for x in l.x..l.x + l.w {
            hit += usize::from(mask[(y * w + x) as usize]);
        }
    }
    hit as f64 / f64::from(l.w * l.h)
}

#[derive(Default)]
struct Tally {
    text_frames: usize,
    text_flagged: usize,
    clean_frames: usize,
    clean_flagged: usize,
    lines: usize,
    lines_found: usize,
    excess: f64,
    excess_n: usize,
}

impl Tally {
    fn row(&self, name: &str) -> String {
        format!(
            "{name:<12} {:>4}/{:<4} {:>6.3} {:>4}/{:<4} {:>6.3} {:>5}/{:<5} {:>6.3} {:>7.2}",
            self.text_flagged,
            self.text_frames,
            ratio(self.text_flagged, self.text_frames),
            self.clean_flagged,
            self.clean_frames,
            ratio(self.clean_flagged, self.clean_frames),
            self.lines_found,
            self.lines,
            ratio(self.lines_found, self.lines),
            self.excess / self.excess_n.max(1) as f64,
        )
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        f64::NAN
    } else {
        a as f64 / b as f64
    }
}

#[test]
fn synthetic_set_recall_false_positives_and_speed() {
    let fonts = fonts();
    let frames = frame_set(&fonts, SET_SIZE, SEED);
    assert!(frames.iter().filter(|f| !f.lines.is_empty()).count() >= 100);
    let mut total = Tally::default();
    let mut by_bg: Vec<(Background, Tally)> = Background::ALL
        .iter()
        .map(|&b| (b, Tally::default()))
        .collect();
    let mut times: Vec<(u32, u32, f64, usize)> =
        SIZES.iter().map(|&(w, h)| (w, h, 0.0, 0)).collect();
    let mut missed: Vec<String> = Vec::new();
    let mut false_alarms: Vec<String> = Vec::new();
    for (index, f) in frames.iter().enumerate() {
        let t = Instant::now();
        let boxes = find_text(&luma(f));
        let ms = t.elapsed().as_secs_f64() * 1e3;
        if let Some(slot) = times.iter_mut().find(|s| (s.0, s.1) == (f.width, f.height)) {
            slot.2 += ms;
            slot.3 += 1;
        }
        let bg = &mut by_bg
            .iter_mut()
            .find(|(b, _)| *b == f.background)
            .expect("listed")
            .1;
        for tally in [&mut total, bg] {
            if f.lines.is_empty() {
                tally.clean_frames += 1;
                tally.clean_flagged += usize::from(!boxes.is_empty());
            } else {
                tally.text_frames += 1;
                tally.text_flagged += usize::from(!boxes.is_empty());
            }
        }
        if f.lines.is_empty() {
            if !boxes.is_empty() {
                false_alarms.push(format!(
                    "#{index} {:?} {}x{}: {boxes:?}",
                    f.background, f.width, f.height
                ));
            }
            continue;
        }
        let mask = box_mask(&boxes, f.width, f.height);
        let truth = box_mask(
            &f.lines.iter().map(line_rect).collect::<Vec<_>>(),
            f.width,
            f.height,
        );
        let boxed = mask.iter().filter(|&&m| m).count();
        let inside = mask.iter().zip(&truth).filter(|(&m, &t)| m && t).count();
        let ink = truth.iter().filter(|&&t| t).count();
        for tally in [
            &mut total,
            &mut by_bg
                .iter_mut()
                .find(|(b, _)| *b == f.background)
                .expect("listed")
                .1,
        ] {
            tally.excess += (boxed - inside) as f64 / ink as f64;
            tally.excess_n += 1;
            for l in &f.lines {
                tally.lines += 1;
                tally.lines_found += usize::from(coverage(l, &mask, f.width) >= 0.7);
            }
        }
        for l in &f.lines {
            if coverage(l, &mask, f.width) < 0.7 {
                missed.push(format!(
                    "#{index} {:?} {:?} size {} {:?} at {},{} {}x{}",
                    f.background, l.style, l.size, l.text, l.x, l.y, l.w, l.h
                ));
            }
        }
    }
    println!("\nText finder on {SET_SIZE} synthetic frames (seed {SEED:#x}):");
    println!("background   text-flagged recall  clean-flagged FP   lines found   recall  excess");
    for (b, t) in &by_bg {
        println!("{}", t.row(&format!("{b:?}")));
    }
    println!("{}", total.row("all"));
    let profile = if cfg!(debug_assertions) {
        "debug build"
    } else {
        "release build"
    };
    println!("\nms/frame ({profile}; see examples/detector_bench.rs for release numbers):");
    for (w, h, ms, n) in &times {
        println!("  {w}x{h}: {:.2}", ms / (*n).max(1) as f64);
    }
    println!("\nmissed lines ({}):", missed.len());
    for m in &missed {
        println!("  {m}");
    }
    println!("false alarms ({}):", false_alarms.len());
    for m in &false_alarms {
        println!("  {m}");
    }
    let frame_recall = ratio(total.text_flagged, total.text_frames);
    let fp = ratio(total.clean_flagged, total.clean_frames);
    let line_recall = ratio(total.lines_found, total.lines);
    // Floors set a little below what this set measured when they were written: frame recall
    // 0.942 (misses are frames whose only text is one small or faint letter), false positives
    // 0.025 (ultrasound speckle), line recall 0.877 (faint text on noise, single letters,
    // lines whose punctuation falls outside the boxes).
    assert!(frame_recall >= 0.92, "frame recall {frame_recall:.3}");
    assert!(fp <= 0.06, "false-positive rate {fp:.3}");
    assert!(line_recall >= 0.85, "line recall {line_recall:.3}");
}

#[test]
fn cine_text_is_found_and_moving_anatomy_is_not() {
    let fonts = fonts();
    let (frames, w, h, lines) = detector_set::cine(&fonts, 10, 7);
    let views: Vec<Luma> = frames
        .iter()
        .map(|p| Luma {
            width: w,
            height: h,
            pixels: p,
        })
        .collect();
    let boxes = find_text_in_frames(&views);
    let mask = box_mask(&boxes, w, h);
    for l in &lines {
        assert!(
            coverage(l, &mask, w) >= 0.7,
            "missed {:?} in {boxes:?}",
            l.text
        );
    }
    let truth: Vec<Rect> = lines.iter().map(line_rect).collect();
    let stray: Vec<&Rect> = boxes
        .iter()
        .filter(|b| {
            !truth
                .iter()
                .any(|t| b.x < t.x + t.w && t.x < b.x + b.w && b.y < t.y + t.h && t.y < b.y + b.h)
        })
        .collect();
    assert!(stray.is_empty(), "boxes away from any text: {stray:?}");
}

#[test]
fn empty_short_or_flat_frames_give_no_boxes() {
    let flat = vec![90u8; 64 * 64];
    assert!(find_text(&Luma {
        width: 64,
        height: 64,
        pixels: &flat
    })
    .is_empty());
    assert!(
        find_text(&Luma {
            width: 64,
            height: 65,
            pixels: &flat
        })
        .is_empty(),
        "buffer too short"
    );
    assert!(find_text(&Luma {
        width: 0,
        height: 0,
        pixels: &[]
    })
    .is_empty());
    assert!(find_text(&Luma {
        width: u32::MAX,
        height: u32::MAX,
        pixels: &flat
    })
    .is_empty());
    assert!(find_text_in_frames(&[]).is_empty());
    let frames = [
        Luma {
            width: 64,
            height: 64,
            pixels: &flat,
        },
        Luma {
            width: 8,
            height: 8,
            pixels: &flat,
        },
    ];
    assert!(
        find_text_in_frames(&frames).is_empty(),
        "frames of another size are ignored"
    );
}

/// Writes frame `DETECTOR_FRAME` of the set to `target/detector-frame.pgm` and prints its
/// lines and boxes: `DETECTOR_FRAME=12 cargo test --test detector dump -- --ignored --nocapture`.
#[test]
#[ignore]
fn dump_one_frame() {
    let fonts = fonts();
    let index: usize = std::env::var("DETECTOR_FRAME")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let frames = frame_set(&fonts, SET_SIZE, SEED);
    let f = &frames[index];
    let mut pgm = format!("P5\n{} {}\n255\n", f.width, f.height).into_bytes();
    pgm.extend_from_slice(&f.pixels);
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("detector-frame.pgm");
    std::fs::write(&out, pgm).expect("write the frame");
    for l in &f.lines {
        println!(
            "line {:?} {:?} size {} at {},{} {}x{}",
            l.text, l.style, l.size, l.x, l.y, l.w, l.h
        );
    }
    println!("boxes {:?}", find_text(&luma(f)));
}
