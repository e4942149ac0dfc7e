//! A large uncompressed file through the CLI: `deid` and `inspect` read only its header and
//! tail, the output's Pixel Data is the input's byte for byte (compared in 1 MiB chunks), the header is
//! de-identified, and the process's peak memory stays small.
//!
//! The file is generated in a temporary folder and removed afterwards: ~300 MB by default;
//! `LEAKCHECK_LARGE_MB` sets another size (`scripts/bench-large.sh` runs it at 2 GB in release
//! mode and prints the time and peak memory). Peak memory is measured with `/usr/bin/time -v`
//! (Debian's `time`); without it the memory check is skipped, not guessed.

use dicom_leakcheck_testkit as common;

use common::{find_bytes, key};
use dicom_leakcheck::parse::{parse_sparse, ParseOutcome, SparseFile, PIXEL_DATA};
use dicom_leakcheck::sample::sample_file;
use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const BIN: &str = env!("CARGO_BIN_EXE_dicom-leakcheck");
/// Peak memory allowed for `deid` on the large file: the header, the tail, buffers, the
/// program itself. Reading the file whole would need its full size and more.
const MAX_PEAK_KB: u64 = 48 * 1024;

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The sample's header, Pixel Data (OW) of `pixel_len` bytes in a fixed pattern written in
/// chunks, and a private element after it naming the patient. Returns Pixel Data's value range.
fn write_large_file(path: &Path, pixel_len: u32) -> Range<u64> {
    let sample = sample_file();
    let parsed = dicom_leakcheck::parse::parse(&sample).expect("the sample parses");
    let pixels = parsed.pixel_data().expect("the sample has Pixel Data");
    let mut out = BufWriter::new(File::create(path).expect("temp file"));
    out.write_all(&sample[..pixels.start]).unwrap();
    out.write_all(&[0xE0, 0x7F, 0x10, 0x00, b'O', b'W', 0, 0])
        .unwrap();
    out.write_all(&pixel_len.to_le_bytes()).unwrap();
    let value_start = pixels.start as u64 + 12;
    // A pseudo-random 1 MiB pattern, stamped with each chunk's number so no two chunks match.
    let mut chunk: Vec<u8> = (0u64..1 << 20)
        .map(|i| (i ^ (i >> 7) ^ (i >> 13)).wrapping_mul(0x9E37) as u8)
        .collect();
    let mut written = 0u64;
    while written < u64::from(pixel_len) {
        let n = (u64::from(pixel_len) - written).min(chunk.len() as u64) as usize;
        chunk[..8].copy_from_slice(&written.to_le_bytes());
        out.write_all(&chunk[..n]).unwrap();
        written += n as u64;
    }
    for (tag, text) in [
        ((0x7FE1u16, 0x0010u16), "TAILCO"),
        ((0x7FE1, 0x1001), "DOE^JOHN"),
    ] {
        out.write_all(&tag.0.to_le_bytes()).unwrap();
        out.write_all(&tag.1.to_le_bytes()).unwrap();
        out.write_all(b"LO").unwrap();
        out.write_all(&(text.len() as u16).to_le_bytes()).unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    out.flush().unwrap();
    value_start..value_start + u64::from(pixel_len)
}

/// Where the file's Pixel Data value is, reading only what the parser asks for.
fn pixel_range(path: &Path) -> Range<u64> {
    let mut file = File::open(path).unwrap();
    let total = file.metadata().unwrap().len();
    let mut segments: Vec<(u64, Vec<u8>)> = Vec::new();
    loop {
        let sparse = SparseFile::new(
            total,
            segments
                .iter()
                .map(|(o, b)| (*o, Cow::Borrowed(b.as_slice()))),
        )
        .unwrap();
        let ranges = match parse_sparse(&sparse).expect("the output parses") {
            ParseOutcome::Parsed(parsed) => {
                let element = parsed
                    .dataset
                    .iter()
                    .find(|e| e.tag == PIXEL_DATA)
                    .expect("Pixel Data");
                return element.value.start as u64..element.value.end as u64;
            }
            ParseOutcome::Need(ranges) => ranges,
        };
        drop(sparse);
        for r in ranges {
            let mut bytes = Vec::new();
            file.seek(SeekFrom::Start(r.start)).unwrap();
            (&mut file)
                .take(r.end - r.start)
                .read_to_end(&mut bytes)
                .unwrap();
            segments.push((r.start, bytes));
        }
    }
}

/// Compares two ranges of two files in 1 MiB chunks (memory stays small); returns how many
/// bytes matched. Fails at the first chunk that differs.
fn compare_ranges(a: &Path, ra: Range<u64>, b: &Path, rb: Range<u64>) -> u64 {
    let open = |path: &Path, r: &Range<u64>| {
        let mut file = File::open(path).unwrap();
        file.seek(SeekFrom::Start(r.start)).unwrap();
        file.take(r.end - r.start)
    };
    let (mut ra_reader, mut rb_reader) = (open(a, &ra), open(b, &rb));
    let (mut ca, mut cb) = (vec![0u8; 1 << 20], vec![0u8; 1 << 20]);
    let mut total = 0u64;
    loop {
        let n = read_full(&mut ra_reader, &mut ca);
        let m = read_full(&mut rb_reader, &mut cb);
        assert_eq!(n, m, "lengths differ after {total} bytes");
        if n == 0 {
            return total;
        }
        assert!(
            ca[..n] == cb[..n],
            "Pixel Data differs in the MiB at {total}"
        );
        total += n as u64;
    }
}

fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> usize {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]).unwrap() {
            0 => break,
            n => filled += n,
        }
    }
    filled
}

/// Runs the CLI; returns (stdout, seconds, peak RSS in kB when `/usr/bin/time` is there).
fn run_measured(args: &[&str]) -> (String, f64, Option<u64>) {
    let time = Path::new("/usr/bin/time");
    let started = Instant::now();
    let output = if time.exists() {
        Command::new(time).arg("-v").arg(BIN).args(args).output()
    } else {
        Command::new(BIN).args(args).output()
    }
    .expect("the CLI runs");
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{args:?} failed: {stderr}");
    let peak = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse().ok());
    (
        String::from_utf8_lossy(&output.stdout).to_string(),
        seconds,
        peak,
    )
}

#[test]
fn a_large_file_is_deidentified_with_little_memory() {
    let mb: u64 = std::env::var("LEAKCHECK_LARGE_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    // A whole number of 512 x 512 x 16-bit frames, within Pixel Data's 32-bit length.
    let frame = 512 * 512 * 2;
    let pixel_len = ((mb << 20) / frame * frame).min(u64::from(u32::MAX - 1) / frame * frame);
    let dir = TempDir(std::env::temp_dir().join(format!("leakcheck-large-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0).unwrap();
    let input = dir.0.join("large.dcm");
    let started = Instant::now();
    let pixels_in = write_large_file(&input, pixel_len as u32);
    let size = std::fs::metadata(&input).unwrap().len();
    eprintln!(
        "generated {} MB ({} frames) in {:.1} s",
        size >> 20,
        pixel_len / frame,
        started.elapsed().as_secs_f64()
    );

    let key_path = dir.0.join("key.txt");
    std::fs::write(&key_path, key(3).to_text()).unwrap();
    let out = dir.0.join("out");
    let (_, seconds, peak) = run_measured(&[
        "deid",
        "--keep-paths",
        "--out",
        out.to_str().unwrap(),
        "--key",
        key_path.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    eprintln!("deid: {seconds:.1} s, peak RSS {peak:?} kB");
    let output = out.join("large.dcm");

    let pixels_out = pixel_range(&output);
    assert_eq!(
        pixels_out.end - pixels_out.start,
        pixels_in.end - pixels_in.start
    );
    let comparing = Instant::now();
    let same = compare_ranges(&input, pixels_in.clone(), &output, pixels_out.clone());
    assert_eq!(same, pixels_in.end - pixels_in.start);
    eprintln!(
        "compared both Pixel Data in {:.1} s",
        comparing.elapsed().as_secs_f64()
    );
    // The header and the tail are de-identified.
    let mut header = vec![0u8; pixels_out.start as usize];
    let mut file = File::open(&output).unwrap();
    file.read_exact(&mut header).unwrap();
    let mut tail = Vec::new();
    file.seek(SeekFrom::Start(pixels_out.end)).unwrap();
    file.read_to_end(&mut tail).unwrap();
    for needle in ["DOE", "LC-12345", "19700101", "ST. ELSEWHERE"] {
        assert!(
            find_bytes(&header, needle.as_bytes()).is_none(),
            "{needle} in the header"
        );
        assert!(
            find_bytes(&tail, needle.as_bytes()).is_none(),
            "{needle} after Pixel Data"
        );
    }
    assert!(
        find_bytes(&header, b"YES").is_some(),
        "Patient Identity Removed"
    );

    let (json, inspect_seconds, inspect_peak) =
        run_measured(&["inspect", "--json", input.to_str().unwrap()]);
    eprintln!("inspect: {inspect_seconds:.1} s, peak RSS {inspect_peak:?} kB");
    assert!(
        json.contains("(7FE1,1001)") || json.contains("DOE"),
        "the tail is inspected"
    );

    match (peak, inspect_peak) {
        (Some(deid), Some(inspect)) => {
            assert!(deid < MAX_PEAK_KB, "deid peaked at {deid} kB");
            assert!(inspect < MAX_PEAK_KB, "inspect peaked at {inspect} kB");
        }
        _ => eprintln!("/usr/bin/time not found: peak memory not checked"),
    }
}

/// Encapsulated Pixel Data without a Basic Offset Table, 20 000 fragments of varying sizes:
/// the CLI reads the fragment headers ahead (not one per round) and copies the fragments.
#[test]
fn many_fragments_without_an_offset_table() {
    let dir = TempDir(std::env::temp_dir().join(format!("leakcheck-frags-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0).unwrap();
    let input = dir.0.join("frags.dcm");
    let sample = sample_file();
    let parsed = dicom_leakcheck::parse::parse(&sample).expect("the sample parses");
    let pixels = parsed.pixel_data().expect("the sample has Pixel Data");
    let mut out = BufWriter::new(File::create(&input).unwrap());
    out.write_all(&sample[..pixels.start]).unwrap();
    out.write_all(&[
        0xE0, 0x7F, 0x10, 0x00, b'O', b'B', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF,
    ])
    .unwrap();
    let from = pixels.start as u64 + 12;
    out.write_all(&[0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0])
        .unwrap();
    let fragment: Vec<u8> = (0..3000u32).map(|i| (i * 7) as u8).collect();
    for k in 0..20_000usize {
        let n = 1000 + 2 * (k % 997);
        out.write_all(&[0xFE, 0xFF, 0x00, 0xE0]).unwrap();
        out.write_all(&(n as u32).to_le_bytes()).unwrap();
        out.write_all(&fragment[..n]).unwrap();
    }
    out.write_all(&[0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0])
        .unwrap();
    out.flush().unwrap();
    drop(out);
    let size = std::fs::metadata(&input).unwrap().len();
    let to = size - 8;

    let target = dir.0.join("out");
    let (_, seconds, peak) = run_measured(&[
        "deid",
        "--keep-paths",
        "--out",
        target.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    eprintln!("deid of 20 000 fragments: {seconds:.1} s, peak RSS {peak:?} kB");
    let output = target.join("frags.dcm");
    // The output is small enough (40 MB) to parse whole; a sparse parse here would take one
    // round per fragment, as the CLI's read-ahead is what this test is about.
    let bytes = std::fs::read(&output).unwrap();
    let parsed = dicom_leakcheck::parse::parse(&bytes).expect("the output parses");
    let element = parsed.pixel_data().expect("Pixel Data");
    let pixels_out = element.value.start as u64..element.value.end as u64;
    drop(parsed);
    drop(bytes);
    assert_eq!(pixels_out.end - pixels_out.start, to - from);
    assert_eq!(
        compare_ranges(&input, from..to, &output, pixels_out.clone()),
        to - from
    );
    if let Some(peak) = peak {
        assert!(peak < MAX_PEAK_KB, "deid peaked at {peak} kB");
    }
}
