//! Native time of the burned-in text search per file, with and without the text reader: the
//! native column of `bench/burned_in/timing.mjs` (which times the same files in wasm).
//!
//! `cargo run --release -p dicom-leakcheck --example burned_in_timing -- MODELS_DIR FILE...`
//! prints one JSON line per file: `{"file", "frames", "find_ms", "read_ms", "regions"}`
//! (`find_ms`: no reader; `read_ms`: with the reader; CPU time of the process, all its threads
//! (the OCR engine runs on a thread pool), median of three runs, so that other work on a
//! shared machine counts less; Linux only).

use dicom_leakcheck::{search_pixels, search_pixels_with, Image, TextReader};
use std::time::Duration;

/// CPU time of every thread of this process: the first field of each thread's schedstat is
/// its time run on a CPU, in nanoseconds.
fn process_cpu() -> Duration {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Duration::default();
    };
    let nanos: u64 = tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    Duration::from_nanos(nanos)
}

fn median_ms(mut run: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..3)
        .map(|_| {
            let t = process_cpu();
            run();
            process_cpu().saturating_sub(t).as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[1]
}

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let models = args
        .next()
        .ok_or("usage: burned_in_timing MODELS_DIR FILE...")?;
    let read = |name: &str| {
        std::fs::read(format!("{models}/{name}")).map_err(|e| format!("{models}/{name}: {e}"))
    };
    let dictionary = String::from_utf8(read("dict.txt")?).map_err(|e| e.to_string())?;
    let reader = TextReader::new(read("rec.onnx")?, &dictionary).map_err(|e| e.to_string())?;
    for file in args {
        let bytes = std::fs::read(&file).map_err(|e| format!("{file}: {e}"))?;
        let frames = Image::open(&bytes)
            .map_err(|e| format!("{file}: {e}"))?
            .map_or(0, |image| image.info().frames);
        let find_ms = median_ms(|| {
            std::hint::black_box(search_pixels(&bytes).ok());
        });
        let mut regions = 0;
        let read_ms = median_ms(|| {
            regions = search_pixels_with(&bytes, Some(&reader))
                .map(|b| b.regions.len())
                .unwrap_or(0);
        });
        println!(
            "{{\"file\":{file:?},\"frames\":{frames},\"find_ms\":{find_ms:.2},\"read_ms\":{read_ms:.2},\"regions\":{regions}}}"
        );
    }
    Ok(())
}
