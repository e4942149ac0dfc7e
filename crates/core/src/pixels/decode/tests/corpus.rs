//! Our pixel decoder against an independent one: `tests/conformance/decode_reference.py`
//! (pydicom 3.0.2 with pylibjpeg's libjpeg, OpenJPEG and RLE plugins) writes reference values
//! for frame 0 and the last frame of every corpus file into LEAKCHECK_PIXEL_REF; this test
//! decodes the same frames with our core and compares. Lossless encodings must match exactly;
//! lossy ones within a small mean absolute difference (decoders may round IDCTs differently).
//! Run by scripts/test.d/20-pixels.sh; skipped when the variables are not set.

use crate::parse::parse;
use crate::pixels::decode::{decode_frame, image_info, Frame, ImageInfo};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Largest mean absolute difference accepted for lossy frames, in 8-bit steps. Measured on the
/// pydicom 3.0.2 corpus: 0.13 at worst (JPEG baseline: IDCT rounding and chroma upsampling),
/// under 0.01 for lossy JPEG 2000.
const LOSSY_MAX_MEAN_DIFF: f64 = 1.0;

#[derive(Default)]
struct Row {
    frames: usize,
    files: std::collections::BTreeSet<String>,
    decoded: usize,
    equal: usize,
    close: usize,
    cannot: usize,
    reference_failed: usize,
    /// Neither decoder finds the image attributes (e.g. no Rows).
    no_image: usize,
    worst_mean_diff: f64,
}

/// Needs the reference values that scripts/test.d/20-pixels.sh makes with pydicom and
/// pylibjpeg first; that step runs it with `--ignored`.
#[test]
#[ignore = "run by scripts/test.d/20-pixels.sh, which makes the reference values first"]
fn frames_match_the_reference_decoder() {
    let reference = std::env::var_os("LEAKCHECK_PIXEL_REF")
        .expect("LEAKCHECK_PIXEL_REF names the reference values (scripts/test.d/20-pixels.sh)");
    let corpus = std::env::var_os("LEAKCHECK_CORPUS")
        .expect("LEAKCHECK_CORPUS names the corpus (scripts/test.sh)");
    let reference = PathBuf::from(reference);
    let corpus = PathBuf::from(corpus);
    let manifest: Vec<serde_json::Value> = serde_json::from_slice(
        &std::fs::read(reference.join("manifest.json")).expect("manifest.json"),
    )
    .expect("manifest is JSON");
    let mut table: BTreeMap<String, Row> = BTreeMap::new();
    let mut failures = Vec::new();
    for entry in &manifest {
        let file = entry["file"].as_str().unwrap_or_default().to_string();
        let frame_index = entry["frame"].as_u64().unwrap_or(0) as u32;
        let bytes = std::fs::read(corpus.join(&file)).expect("corpus file");
        let Ok(parsed) = parse(&bytes) else {
            continue;
        };
        let ts = parsed.transfer_syntax_uid.clone();
        let row = table.entry(ts.clone()).or_default();
        row.frames += 1;
        row.files.insert(file.clone());
        let info = match image_info(&parsed) {
            Ok(Some(info)) => info,
            Ok(None) => continue,
            Err(e) => {
                if entry.get("error").is_none() {
                    failures.push(format!("{file}: no image info: {e}"));
                }
                row.no_image += 1;
                continue;
            }
        };
        if info.cannot_decode.is_some() {
            row.cannot += 1;
            continue;
        }
        let decoded = decode_frame(&parsed, &info, frame_index);
        if entry.get("error").is_some() {
            row.reference_failed += 1;
            if decoded.is_ok() {
                row.decoded += 1;
            }
            continue;
        }
        let frame = match decoded {
            Ok(frame) => frame,
            Err(e) => {
                failures.push(format!("{file} frame {frame_index}: {e}"));
                continue;
            }
        };
        row.decoded += 1;
        let want = read_i32(&reference.join(entry["values"].as_str().unwrap_or_default()));
        let got = comparable(&frame, &info, &parsed);
        if got.len() != want.len() {
            failures.push(format!(
                "{file} frame {frame_index}: {} values, the reference has {}",
                got.len(),
                want.len()
            ));
            continue;
        }
        let total: f64 = got
            .iter()
            .zip(&want)
            .map(|(a, b)| f64::from((a - b).abs()))
            .sum();
        let mean = total / want.len().max(1) as f64;
        // Lossy: compare in 8-bit steps whatever the bit depth.
        let scale = f64::from(1u32 << info.bits_stored.saturating_sub(8).min(16));
        if mean == 0.0 {
            row.equal += 1;
        } else if info.lossy || !frame_is_native_rgb(&info, &frame) {
            row.worst_mean_diff = row.worst_mean_diff.max(mean / scale);
            if mean / scale <= LOSSY_MAX_MEAN_DIFF && (info.lossy || colour_converted(&info)) {
                row.close += 1;
            } else {
                failures.push(format!(
                    "{file} frame {frame_index} ({}): mean difference {mean:.3}",
                    info.encoding
                ));
            }
        } else {
            failures.push(format!(
                "{file} frame {frame_index} ({}, lossless): differs, mean difference {mean:.3}",
                info.encoding
            ));
        }
    }
    println!(
        "\n{:<26} {:>5} {:>6} {:>7} {:>5} {:>5} {:>6} {:>7} {:>8} {:>9}",
        "transfer syntax",
        "files",
        "frames",
        "decoded",
        "equal",
        "close",
        "cannot",
        "ref-err",
        "no-image",
        "worst-MAD"
    );
    for (ts, row) in &table {
        println!(
            "{:<26} {:>5} {:>6} {:>7} {:>5} {:>5} {:>6} {:>7} {:>8} {:>9.3}",
            ts,
            row.files.len(),
            row.frames,
            row.decoded,
            row.equal,
            row.close,
            row.cannot,
            row.reference_failed,
            row.no_image,
            row.worst_mean_diff
        );
    }
    assert!(
        failures.is_empty(),
        "{} frames differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Frames whose stored samples are RGB already (no colour conversion on either side).
fn frame_is_native_rgb(info: &ImageInfo, frame: &Frame) -> bool {
    !colour_converted(info) || frame.photometric == "RGB"
}

/// YBR images that the reference converts to RGB with its own arithmetic: values may differ by
/// rounding, which is not a decoding difference.
fn colour_converted(info: &ImageInfo) -> bool {
    info.samples_per_pixel == 3 && info.photometric.starts_with("YBR")
}

/// Our frame as the reference gives it: monochrome and palette images as stored values (sign
/// included), colour as RGB samples (YBR converted).
fn comparable(frame: &Frame, info: &ImageInfo, parsed: &crate::parse::ParsedFile) -> Vec<i32> {
    if frame.samples == 1 {
        if let Some(values) = frame.gray_values(info) {
            return values;
        }
        // PALETTE COLOR: the indices.
        let mono = Frame {
            photometric: "MONOCHROME2".into(),
            ..frame.clone()
        };
        return mono.gray_values(info).unwrap_or_default();
    }
    if frame.photometric == "RGB" {
        let mono = Frame {
            photometric: "MONOCHROME2".into(),
            samples: 1,
            width: frame.width * u32::from(frame.samples),
            ..frame.clone()
        };
        return mono.gray_values(info).unwrap_or_default();
    }
    frame
        .rgb8(info, parsed)
        .map(|rgb| rgb.into_iter().map(i32::from).collect())
        .unwrap_or_default()
}

fn read_i32(path: &std::path::Path) -> Vec<i32> {
    std::fs::read(path)
        .expect("reference values")
        .chunks_exact(4)
        .map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}
