//! Memory bounds on adversarial inputs: a counting global allocator records the largest single
//! allocation while parsing, inspecting and de-identifying files that declare huge lengths or
//! hold huge numbers of tiny items, and asserts it stays within a small multiple of the bytes
//! actually there. A parser that reserves from a declared length fails this at once.
//!
//! One test function runs every case in turn, so the allocator's maximum belongs to one case.
//! The count is kept per thread: the test harness runs the tests of this file on several
//! threads at once, and one test's allocations must not count against another's.

use dicom_leakcheck_testkit as common;

use common::*;
use dicom_core::Tag;
use dicom_leakcheck::parse::parse;
use dicom_leakcheck::{inspect, Options};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::{Duration, Instant};

struct Counting;

thread_local! {
    // `const` initialisers: reading them never allocates (the allocator itself reads them).
    static LARGEST: Cell<usize> = const { Cell::new(0) };
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.note(layout.size());
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        self.note(layout.size());
        System.alloc_zeroed(layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        self.note(new_size);
        System.realloc(ptr, layout, new_size)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

impl Counting {
    fn note(&self, size: usize) {
        // `try_with`: a thread being torn down may still free and allocate.
        if COUNTING.try_with(Cell::get).unwrap_or(false) {
            let _ = LARGEST.try_with(|largest| largest.set(largest.get().max(size)));
        }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The largest single allocation made by `f`.
fn largest_allocation(f: impl FnOnce()) -> usize {
    LARGEST.with(|largest| largest.set(0));
    COUNTING.with(|counting| counting.set(true));
    f();
    COUNTING.with(|counting| counting.set(false));
    LARGEST.with(Cell::get)
}

/// Parsing, the report and de-identification of one input; results are dropped.
fn run_all(input: &[u8]) {
    let _ = parse(input);
    let _ = inspect(input, Options::basic());
    let _ = deidentifier(Options::basic()).deidentify(input);
}

fn le_with_length(tag: Tag, vr: &[u8; 2], length: u32) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&tag.0.to_le_bytes());
    out.extend_from_slice(&tag.1.to_le_bytes());
    out.extend_from_slice(vr);
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(&length.to_le_bytes());
    out
}

/// Inputs whose declared sizes are far larger than the bytes there, or whose structure is as
/// fine-grained as the encoding allows.
fn adversarial() -> Vec<(&'static str, Vec<u8>)> {
    let mut cases = Vec::new();
    let header = minimal_le_header("1.2.3.4");

    // Declared lengths of ~4 GiB with a few bytes behind them.
    for (what, tag, vr) in [
        ("OB of 4 GiB", Tag(0x0009, 0x1010), b"OB"),
        ("UN of 4 GiB", Tag(0x0008, 0x1030), b"UN"),
        ("SQ of 4 GiB", CONTENT_SEQUENCE, b"SQ"),
        ("Pixel Data of 4 GiB", PIXEL_DATA, b"OW"),
    ] {
        let mut data = header.clone();
        data.extend(le_with_length(tag, vr, 0xFFFF_FFF0));
        data.extend_from_slice(&[0x41; 64]);
        cases.push((what, part10_from_raw("1.2.3.4", EXPLICIT_LE, &data)));
    }
    let mut implicit = Vec::new();
    implicit.extend_from_slice(&[0x10, 0x00, 0x10, 0x00]);
    implicit.extend_from_slice(&0xFFFF_FF00_u32.to_le_bytes());
    implicit.extend_from_slice(b"DOE^JOHN");
    cases.push((
        "implicit PN of 4 GiB",
        part10_from_raw("1.2.3.4", IMPLICIT_LE, &implicit),
    ));
    // An item and a fragment declaring 4 GiB.
    let mut data = header.clone();
    data.extend(sq_undefined_le(CONTENT_SEQUENCE));
    data.extend(item_le(0xFFFF_FFF0));
    data.extend(explicit_le(PERSON_NAME, b"PN", b"DOE^JOHN"));
    cases.push((
        "item of 4 GiB",
        part10_from_raw("1.2.3.4", EXPLICIT_LE, &data),
    ));
    let mut data = header.clone();
    data.extend(le_with_length(PIXEL_DATA, b"OB", u32::MAX));
    data.extend(item_le(0));
    data.extend(item_le(0xFFFF_FFF0));
    data.extend_from_slice(&[0; 16]);
    cases.push((
        "fragment of 4 GiB",
        part10_from_raw("1.2.3.4", "1.2.840.10008.1.2.4.50", &data),
    ));

    // Huge counts of the smallest things: 8-byte items, 8-byte elements, fragments, private
    // elements with their creator.
    const N: usize = 100_000;
    let mut data = header.clone();
    data.extend(sq_undefined_le(CONTENT_SEQUENCE));
    for _ in 0..N {
        data.extend(item_le(0));
    }
    data.extend_from_slice(&SEQUENCE_DELIMITER_LE);
    cases.push((
        "100k empty items",
        part10_from_raw("1.2.3.4", EXPLICIT_LE, &data),
    ));
    let mut data = header.clone();
    data.extend(sq_undefined_le(CONTENT_SEQUENCE));
    for _ in 0..N {
        data.extend(item_le(u32::MAX));
        data.extend_from_slice(&ITEM_DELIMITER_LE);
    }
    cases.push((
        "100k undefined-length items, no sequence delimiter",
        part10_from_raw("1.2.3.4", EXPLICIT_LE, &data),
    ));
    let mut data = header.clone();
    for element in 0..N {
        // Empty Study Date repeated under increasing element numbers of group 0019 (private,
        // no creator) and plain 8-byte empty elements.
        data.extend(explicit_le(
            Tag(0x0019, 0x1000 + (element % 0xF000) as u16),
            b"LO",
            b"",
        ));
    }
    cases.push((
        "100k empty private elements",
        part10_from_raw("1.2.3.4", EXPLICIT_LE, &data),
    ));
    let mut data = header.clone();
    data.extend(le_with_length(PIXEL_DATA, b"OB", u32::MAX));
    for _ in 0..N {
        data.extend(item_le(0));
    }
    data.extend_from_slice(&SEQUENCE_DELIMITER_LE);
    cases.push((
        "100k empty fragments",
        part10_from_raw("1.2.3.4", "1.2.840.10008.1.2.4.50", &data),
    ));
    let mut data = header.clone();
    for i in 0..N / 4 {
        // Many UIDs of one character: each is replaced by a 2.25 UID of up to 44 characters.
        data.extend(explicit_le(
            Tag(0x0008, 0x1155),
            b"UI",
            if i % 2 == 0 { b"1\0" } else { b"2\0" },
        ));
    }
    cases.push((
        "25k one-character UIDs",
        part10_from_raw("1.2.3.4", EXPLICIT_LE, &data),
    ));
    // Identity sources that split into thousands of needles: one name of 20k components,
    // and 10k names nested in sequence items.
    let mut data = header.clone();
    let name: Vec<u8> = (0..20_000)
        .flat_map(|i| format!("N{:04}\\", i % 10_000).into_bytes())
        .collect();
    data.extend(le_with_length(PATIENT_NAME, b"UN", name.len() as u32));
    data.extend(name);
    data.extend(explicit_le(
        Tag(0x0008, 0x1030),
        b"LO",
        b"N0001 N0002 N9999",
    ));
    cases.push((
        "a name of 20k components",
        part10_from_raw("1.2.3.4", EXPLICIT_LE, &data),
    ));
    let mut data = header.clone();
    data.extend(sq_undefined_le(Tag(0x0008, 0x1120)));
    for i in 0..10_000 {
        data.extend(item_le(u32::MAX));
        data.extend(explicit_le(
            PATIENT_NAME,
            b"PN",
            format!("P{i:05}^X").as_bytes(),
        ));
        data.extend_from_slice(&ITEM_DELIMITER_LE);
    }
    data.extend_from_slice(&SEQUENCE_DELIMITER_LE);
    cases.push((
        "10k names in sequence items",
        part10_from_raw("1.2.3.4", EXPLICIT_LE, &data),
    ));
    // Deeply nested sequences just inside the depth limit, many times over.
    let mut data = header.clone();
    for _ in 0..1_000 {
        data.extend(nested_sequences_le(
            dicom_leakcheck::parse::MAX_DEPTH,
            &explicit_le(PERSON_NAME, b"PN", b"DOE^JOHN"),
        ));
    }
    cases.push((
        "1000 sequences nested to the depth limit",
        part10_from_raw("1.2.3.4", EXPLICIT_LE, &data),
    ));
    cases
}

/// Per byte of input, how many bytes the largest single allocation may take, plus a constant.
///
/// The parser keeps one `Element` per element or item, and the report one `Finding` (the
/// largest of the per-element records) per element; a vector of them at most doubles its
/// capacity as it grows. The smallest element or item takes 8 input bytes, so the largest
/// vector is at most 2 × size_of::<Finding>() / 8 bytes per input byte (checked below).
/// UIDs replaced by de-identification grow 22× at most (a 1-byte UID padded to 2 bytes
/// becomes up to 44), far below that. The constant covers tables built once (the data
/// dictionary's index) and fixed-size buffers.
const FACTOR: usize = 80;
const CONSTANT: usize = 1 << 20;

#[test]
fn largest_allocation_stays_within_a_small_multiple_of_the_input() {
    let per_byte = 2 * std::mem::size_of::<dicom_leakcheck::Finding>() / 8;
    assert!(
        per_byte <= FACTOR,
        "a Finding grew to {} bytes: FACTOR must be revisited",
        std::mem::size_of::<dicom_leakcheck::Finding>()
    );
    // Build the dictionary index and other one-time tables before measuring.
    run_all(&dicom_leakcheck::sample::sample_file());
    let mut worst = (0.0_f64, "");
    for (what, input) in adversarial() {
        let started = Instant::now();
        let largest = largest_allocation(|| run_all(&input));
        let took = started.elapsed();
        let ratio = largest as f64 / input.len() as f64;
        eprintln!(
            "{what}: {} input bytes, largest allocation {largest} bytes ({ratio:.2}× input), {took:?}",
            input.len()
        );
        assert!(
            largest <= input.len() * FACTOR + CONSTANT,
            "{what}: an allocation of {largest} bytes for {} input bytes",
            input.len()
        );
        // Many tiny items must stay linear: a quadratic walk over 100k items takes minutes.
        assert!(
            took < Duration::from_secs(30),
            "{what}: {took:?} for {} bytes",
            input.len()
        );
        if ratio > worst.0 {
            worst = (ratio, what);
        }
    }
    eprintln!("worst: {:.2}× input ({})", worst.0, worst.1);
}

#[test]
fn deflated_input_is_bounded_by_the_inflate_limit() {
    // A data set that inflates far beyond the limit: the allocation stops at the limit
    // (64 × compressed + 1 MiB, see src/parse/walk.rs), not at the inflated size.
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut encoder, &vec![0u8; 64 << 20]).unwrap();
    let input = part10_from_raw("1.2.3.4", DEFLATED, &encoder.finish().unwrap());
    let largest = largest_allocation(|| run_all(&input));
    let limit = input.len() * 64 + (1 << 20);
    eprintln!(
        "deflate bomb: {} input bytes, largest allocation {largest} bytes (inflate limit {limit})",
        input.len()
    );
    assert!(largest <= 2 * limit + CONSTANT, "{largest} > 2 × {limit}");
}
