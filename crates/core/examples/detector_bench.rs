//! Native speed of the pixel text finder, and frames for the wasm benchmark.
//!
//! `cargo run --release -p dicom-leakcheck --example detector_bench` renders synthetic 512x512 and 1024x768 frames
//! with text (the set of `tests/detector_set`, DejaVu fonts from Debian's fonts-dejavu-core),
//! prints the median ms/frame of 20 runs, and writes the frames as RGB plus the native numbers
//! to `target/detector-bench/` for `node bench/detector.mjs`.

#[path = "../tests/detector_set/mod.rs"]
mod detector_set;

use std::fmt::Write as _;
use std::time::Instant;

use dicom_leakcheck::pixels::detect::find_text;
use dicom_leakcheck::pixels::Luma;

const RUNS: usize = 20;

fn main() -> Result<(), String> {
    let fonts = detector_set::Fonts::load()?;
    // The workspace root (this crate is crates/core).
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = root.join("target").join("detector-bench");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    // Text frames of every background at the two sizes of the table.
    let frames: Vec<detector_set::Frame> = detector_set::frame_set(&fonts, 240, 0x5eed_7e47)
        .into_iter()
        .filter(|f| !f.lines.is_empty() && matches!((f.width, f.height), (512, 512) | (1024, 768)))
        .collect();
    let mut index = String::from("[\n");
    println!("native, release build: median of {RUNS} runs per frame");
    println!(
        "{:<10} {:<11} {:>6} {:>6}",
        "size", "background", "ms", "boxes"
    );
    let mut by_size: Vec<((u32, u32), Vec<f64>)> = Vec::new();
    for (k, f) in frames.iter().enumerate() {
        let luma = Luma {
            width: f.width,
            height: f.height,
            pixels: &f.pixels,
        };
        let mut times: Vec<f64> = (0..RUNS)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(find_text(std::hint::black_box(&luma)));
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let median = times[RUNS / 2];
        let boxes = find_text(&luma).len();
        println!(
            "{:<10} {:<11} {median:>6.2} {boxes:>6}",
            format!("{}x{}", f.width, f.height),
            format!("{:?}", f.background)
        );
        let name = format!("frame-{k:02}.rgb");
        let rgb: Vec<u8> = f.pixels.iter().flat_map(|&p| [p, p, p]).collect();
        std::fs::write(out.join(&name), rgb).map_err(|e| format!("{name}: {e}"))?;
        let _ = writeln!(
            index,
            "  {{\"file\": \"{name}\", \"width\": {}, \"height\": {}, \"background\": \"{:?}\", \"native_ms\": {median:.3}, \"boxes\": {boxes}}},",
            f.width, f.height, f.background
        );
        match by_size.iter_mut().find(|(s, _)| *s == (f.width, f.height)) {
            Some((_, v)) => v.push(median),
            None => by_size.push(((f.width, f.height), vec![median])),
        }
    }
    let index = index.trim_end_matches(",\n").to_string() + "\n]\n";
    std::fs::write(out.join("frames.json"), index).map_err(|e| e.to_string())?;
    println!("\nmedian over frames:");
    for ((w, h), mut v) in by_size {
        v.sort_by(f64::total_cmp);
        println!(
            "  {w}x{h}: {:.2} ms/frame ({} frames)",
            v[v.len() / 2],
            v.len()
        );
    }
    println!("frames written to {}", out.display());
    Ok(())
}
