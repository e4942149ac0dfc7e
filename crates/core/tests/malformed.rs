//! Broken, hostile and odd inputs: the core must never panic, never hang, never reserve memory
//! from a declared length, and every error must say what went wrong and where.

use dicom_leakcheck_testkit as common;

use common::inspect_or_parse_error as inspect;
use common::*;
use dicom_core::{Tag, VR};
use dicom_leakcheck::parse::{parse, MAX_DEPTH};
use dicom_leakcheck::sample::{sample_file, sample_file_with_syntax};
use dicom_leakcheck::{Error, Options, ParseError, ParseErrorKind};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// Runs inspect and deidentify on one input, turning a panic into a test failure that names
/// the input. Returns the inspect result. Checks the invariants every result must keep:
/// errors have a message (and an offset unless the bytes are not DICOM at all), de-identified
/// outputs parse again, and de-identification only fails on the input, never on its own output.
fn run_both(run: &Run, input: &[u8], what: &str) -> Result<(), ParseError> {
    let inspected = catch_unwind(AssertUnwindSafe(|| inspect(input, run.request.options)))
        .unwrap_or_else(|_| panic!("inspect panicked on {what}"));
    let deidentified = catch_unwind(AssertUnwindSafe(|| run.deidentify(input)))
        .unwrap_or_else(|_| panic!("deidentify panicked on {what}"));
    match (&inspected, &deidentified) {
        (Ok(report), Ok(done)) => {
            for f in &report.elements {
                if !report.offsets_in_inflated || f.in_meta {
                    assert!(
                        f.offset + f.length <= input.len(),
                        "{what}: {} claims bytes past the end",
                        f.path
                    );
                }
            }
            let again = parse(&done.bytes);
            assert!(
                again.is_ok(),
                "{what}: the output does not parse: {:?}",
                again.err()
            );
        }
        (Err(e), Err(Error::Parse(d))) => {
            assert_eq!(
                e, d,
                "{what}: inspect and deidentify disagree about the error"
            );
            assert_error_is_explained(e, input, what);
        }
        (_, Err(e)) => {
            panic!("{what}: de-identification wrote a broken output: {e}")
        }
        (i, d) => panic!(
            "{what}: inspect gave {:?} but deidentify {:?}",
            i.as_ref().err(),
            d.as_ref().err()
        ),
    }
    inspected.map(|_| ())
}

fn assert_error_is_explained(e: &ParseError, input: &[u8], what: &str) {
    assert!(
        !e.message.trim().is_empty(),
        "{what}: error without a message"
    );
    if e.is_not_dicom() {
        return;
    }
    let offset = e
        .offset
        .unwrap_or_else(|| panic!("{what}: error without an offset: {e}"));
    if !e.in_inflated {
        assert!(
            offset <= input.len(),
            "{what}: offset {offset} past the end ({})",
            input.len()
        );
    }
    assert!(
        e.to_string().contains(&format!("at byte {offset}")),
        "{what}: {e}"
    );
}

fn basic() -> Run {
    deidentifier(Options::basic())
}

// ---------------------------------------------------------------------------------------
// Truncation
// ---------------------------------------------------------------------------------------

/// Truncates a file at every offset up to the end of the elements before Pixel Data and at a
/// stride inside Pixel Data (whose cuts are all alike), plus every offset near the end.
fn truncate_everywhere(file: &[u8], syntax: &str) {
    let run = basic();
    let report = inspect(file, Options::basic()).unwrap();
    let pixel = report.pixel_data.as_ref().expect("the sample has pixels");
    let pixel_start = if report.offsets_in_inflated {
        file.len()
    } else {
        pixel.offset
    };
    let dense_end = (pixel_start + 16).min(file.len());
    let cuts = (0..=dense_end)
        .chain((dense_end..file.len()).step_by(97))
        .chain(file.len().saturating_sub(16)..file.len());
    let mut slowest = (Duration::ZERO, 0);
    for cut in cuts {
        let started = Instant::now();
        let input = &file[..cut];
        let result = run_both(&run, input, &format!("{syntax} cut at {cut}"));
        slowest = slowest.max((started.elapsed(), cut));
        if cut < 132 && !report.offsets_in_inflated {
            let e = result.clone().expect_err("a preamble alone is not a file");
            assert!(e.is_not_dicom(), "{syntax} cut at {cut}: {e}");
        }
        // Cut inside Pixel Data: its declared length is more than is left.
        if !report.offsets_in_inflated && cut > pixel.offset + 12 && cut < file.len() {
            let e = result.expect_err("a cut inside Pixel Data is an error");
            assert_eq!(e.tag, Some(0x7FE0_0010), "{syntax} cut at {cut}: {e}");
            assert_eq!(e.offset, Some(pixel.offset), "{syntax} cut at {cut}: {e}");
        }
    }
    eprintln!("{syntax}: slowest cut {} took {:?}", slowest.1, slowest.0);
}

#[test]
fn truncation_at_every_offset_explicit_little_endian() {
    truncate_everywhere(&sample_file(), "explicit LE");
}

#[test]
fn truncation_at_every_offset_implicit_little_endian() {
    truncate_everywhere(
        &sample_file_with_syntax(IMPLICIT_LE).unwrap(),
        "implicit LE",
    );
}

#[test]
fn truncation_at_every_offset_explicit_big_endian() {
    truncate_everywhere(
        &sample_file_with_syntax(EXPLICIT_BE).unwrap(),
        "explicit BE",
    );
}

#[test]
fn truncation_at_every_offset_deflated() {
    truncate_everywhere(&sample_file_with_syntax(DEFLATED).unwrap(), "deflated");
}

#[test]
fn truncated_file_that_still_parses_leaks_nothing() {
    // Cut right after the Content Sequence: a valid, shorter data set.
    let file = sample_file();
    let report = inspect(&file, Options::basic()).unwrap();
    let sequence = finding(&report, "(0040,A730)");
    let input = &file[..sequence.offset + sequence.length];
    let done = basic()
        .deidentify(input)
        .expect("a cut at an element boundary is a valid file");
    assert_no_phi_in_bytes(&done.bytes, &FAKE_PHI, "cut after the content sequence");
    assert!(done.residual.is_empty(), "{:?}", done.residual);
}

// ---------------------------------------------------------------------------------------
// Lying lengths
// ---------------------------------------------------------------------------------------

fn patched(file: &[u8], at: usize, bytes: &[u8]) -> Vec<u8> {
    let mut out = file.to_vec();
    out[at..at + bytes.len()].copy_from_slice(bytes);
    out
}

fn assert_error_at(input: &[u8], offset: usize, tag: u32, what: &str) -> ParseError {
    let e = inspect(input, Options::basic()).expect_err(what);
    assert_eq!(e.offset, Some(offset), "{what}: {e}");
    assert_eq!(e.tag, Some(tag), "{what}: {e}");
    let text = e.to_string();
    assert!(
        text.contains(&format!("at byte {offset}")),
        "{what}: {text}"
    );
    let tag_text = format!("({:04X},{:04X})", tag >> 16, tag & 0xFFFF);
    assert!(text.contains(&tag_text), "{what}: {text}");
    match basic().deidentify(input) {
        Err(Error::Parse(d)) => assert_eq!(d, e),
        other => panic!("{what}: deidentify gave {:?}", other.map(|d| d.bytes.len())),
    }
    e
}

#[test]
fn huge_16_bit_length_is_an_error_at_the_element() {
    let file = sample_file();
    let name = finding(&inspect(&file, Options::basic()).unwrap(), "(0010,0010)").offset;
    let input = patched(&file, name + 6, &0xFFFF_u16.to_le_bytes());
    let e = assert_error_at(&input, name, 0x0010_0010, "PN length 65535");
    assert_eq!(e.kind, ParseErrorKind::LengthPastEnd, "{e}");
}

#[test]
fn huge_32_bit_length_is_an_error_at_the_element() {
    let file = sample_file();
    let pixel = inspect(&file, Options::basic())
        .unwrap()
        .pixel_data
        .unwrap()
        .offset;
    let input = patched(&file, pixel + 8, &0x7FFF_FFF0_u32.to_le_bytes());
    let started = Instant::now();
    let e = assert_error_at(&input, pixel, 0x7FE0_0010, "Pixel Data of 2 GiB");
    assert_eq!(e.kind, ParseErrorKind::LengthPastEnd, "{e}");
    eprintln!("huge length refused in {:?}", started.elapsed());
}

#[test]
fn length_two_bytes_past_the_end_is_an_error() {
    let file = sample_file();
    let report = inspect(&file, Options::basic()).unwrap();
    let pixel = report.pixel_data.unwrap();
    let declared = (pixel.length - 12 + 2) as u32;
    let input = patched(&file, pixel.offset + 8, &declared.to_le_bytes());
    assert_error_at(
        &input,
        pixel.offset,
        0x7FE0_0010,
        "Pixel Data 2 bytes too long",
    );
}

#[test]
fn huge_length_in_implicit_vr_is_an_error_at_the_element() {
    let file = sample_file_with_syntax(IMPLICIT_LE).unwrap();
    let name = finding(&inspect(&file, Options::basic()).unwrap(), "(0010,0010)").offset;
    let input = patched(&file, name + 4, &0xFFFF_FF00_u32.to_le_bytes());
    assert_error_at(&input, name, 0x0010_0010, "implicit PN of 4 GiB");
}

#[test]
fn huge_length_in_big_endian_is_an_error_at_the_element() {
    let file = sample_file_with_syntax(EXPLICIT_BE).unwrap();
    let name = finding(&inspect(&file, Options::basic()).unwrap(), "(0010,0010)").offset;
    let input = patched(&file, name + 6, &0xFFF0_u16.to_be_bytes());
    assert_error_at(&input, name, 0x0010_0010, "big endian PN of 65520 bytes");
}

#[test]
fn odd_length_that_shifts_every_following_element_never_leaks() {
    // The name's length says 7 instead of 8: everything after it is read one byte off.
    let file = sample_file();
    let name = finding(&inspect(&file, Options::basic()).unwrap(), "(0010,0010)").offset;
    for length in [7_u16, 9, 1, 3] {
        let input = patched(&file, name + 6, &length.to_le_bytes());
        let what = format!("PN length {length}");
        let result = run_both(&basic(), &input, &what);
        if result.is_ok() {
            let done = basic().deidentify(&input).unwrap();
            assert_no_phi_in_bytes(&done.bytes, &["DOE^JOHN", "LC-12345"], &what);
        }
    }
}

#[test]
fn sequence_item_longer_than_its_sequence_is_read_to_the_sequence_end_with_a_warning() {
    // Writers that drop elements sometimes forget to fix the item length: the item is read to
    // the end of its (defined-length) sequence, the warning names the item's byte offset, and
    // the output frames the item correctly.
    let mut inner = explicit_le(PERSON_NAME, b"PN", b"DOE^JOHN");
    let mut items = item_le(inner.len() as u32 + 100);
    items.append(&mut inner);
    let mut dataset = minimal_le_header("1.2.3.4");
    let sequence_offset = dataset.len();
    dataset.extend(explicit_le(CONTENT_SEQUENCE, b"SQ", &items));
    dataset.extend(explicit_le(Tag(0x0020, 0x0013), b"IS", b"1 "));
    let input = part10_from_raw("1.2.3.4", EXPLICIT_LE, &dataset);
    let item_offset = meta_end(&input) + sequence_offset + 12;
    run_both(&basic(), &input, "item too long").expect("an overlong item is tolerated");
    let report = inspect(&input, Options::basic()).unwrap();
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains(&format!("byte {item_offset}"))),
        "{:?}",
        report.warnings
    );
    assert!(finding(&report, "(0040,A730)[0].(0040,A123)").flagged);
    let done = basic().deidentify(&input).unwrap();
    assert_no_phi_in_bytes(&done.bytes, &["DOE", "JOHN"], "item too long");
    let out = read_back(&done.bytes);
    assert_eq!(
        out.element(CONTENT_SEQUENCE)
            .unwrap()
            .items()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(string_of(&out, Tag(0x0020, 0x0013)).as_deref(), Some("1"));
}

#[test]
fn sequence_longer_than_the_file_is_an_error() {
    let mut dataset = minimal_le_header("1.2.3.4");
    let sequence_offset = dataset.len();
    dataset.extend(explicit_le(CONTENT_SEQUENCE, b"SQ", &[]));
    let input = part10_from_raw("1.2.3.4", EXPLICIT_LE, &dataset);
    let start = meta_end(&input);
    let at = start + sequence_offset + 8;
    let input = patched(&input, at, &1000_u32.to_le_bytes());
    assert_error_at(
        &input,
        start + sequence_offset,
        0x0040_A730,
        "sequence past the end",
    );
}

#[test]
fn undefined_length_sequence_without_delimiters() {
    // Sequence and item of undefined length, and the file ends before either is closed.
    let mut dataset = minimal_le_header("1.2.3.4");
    dataset.extend(explicit_le(PATIENT_NAME, b"PN", b"DOE^JOHN"));
    dataset.extend(sq_undefined_le(CONTENT_SEQUENCE));
    dataset.extend(item_le(u32::MAX));
    dataset.extend(explicit_le(PERSON_NAME, b"PN", b"DOE^JOHN"));
    dataset.extend(explicit_le(Tag(0x0040, 0xA160), b"UT", b"JOHN DOE FELL"));
    let input = part10_from_raw("1.2.3.4", EXPLICIT_LE, &dataset);
    run_both(&basic(), &input, "unclosed sequence")
        .expect("a missing delimiter at the end is tolerated");
    let report = inspect(&input, Options::basic()).unwrap();
    assert!(
        !report.warnings.is_empty(),
        "the missing delimiters are not mentioned"
    );
    assert!(finding(&report, "(0040,A730)[0].(0040,A123)").flagged);
    let done = basic().deidentify(&input).unwrap();
    assert_no_phi_in_bytes(&done.bytes, &["DOE", "JOHN"], "unclosed sequence");
    // The output closes what the input left open: dicom-object reads it.
    let out = read_back(&done.bytes);
    assert_eq!(
        out.element(CONTENT_SEQUENCE)
            .unwrap()
            .items()
            .unwrap()
            .len(),
        1
    );

    // Missing only the sequence delimiter, then more top-level elements that look like items'.
    let mut dataset = minimal_le_header("1.2.3.4");
    dataset.extend(sq_undefined_le(CONTENT_SEQUENCE));
    dataset.extend(item_le(u32::MAX));
    dataset.extend(explicit_le(PERSON_NAME, b"PN", b"DOE^JOHN"));
    dataset.extend(ITEM_DELIMITER_LE);
    dataset.extend(explicit_le(PATIENT_ID, b"LO", b"LC-12345"));
    let input = part10_from_raw("1.2.3.4", EXPLICIT_LE, &dataset);
    if run_both(&basic(), &input, "sequence without its delimiter").is_ok() {
        let done = basic().deidentify(&input).unwrap();
        assert_no_phi_in_bytes(
            &done.bytes,
            &["DOE", "LC-12345"],
            "sequence without its delimiter",
        );
    }
}

#[test]
fn delimiter_where_an_element_should_be_is_an_error() {
    let mut dataset = minimal_le_header("1.2.3.4");
    let at = dataset.len();
    dataset.extend(SEQUENCE_DELIMITER_LE);
    dataset.extend(explicit_le(PATIENT_NAME, b"PN", b"DOE^JOHN"));
    let input = part10_from_raw("1.2.3.4", EXPLICIT_LE, &dataset);
    let start = meta_end(&input);
    assert_error_at(&input, start + at, 0xFFFE_E0DD, "stray sequence delimiter");
}

// ---------------------------------------------------------------------------------------
// Garbage
// ---------------------------------------------------------------------------------------

const SIZES: [usize; 20] = [
    0, 1, 2, 3, 4, 7, 8, 9, 12, 16, 31, 64, 127, 128, 131, 132, 133, 300, 4096, 65536,
];

#[test]
fn random_bytes_are_refused_without_panic() {
    let run = basic();
    let mut rng = Rng::new(0xDEC0DE);
    let mut slowest = Duration::ZERO;
    for seed in 0..25 {
        for size in SIZES {
            let input = rng.bytes(size);
            let started = Instant::now();
            let result = run_both(&run, &input, &format!("{size} random bytes (round {seed})"));
            slowest = slowest.max(started.elapsed());
            if size < 8 {
                assert!(result.expect_err("too short").is_not_dicom());
            }
        }
    }
    eprintln!("slowest random input: {slowest:?}");
}

#[test]
fn random_bytes_after_a_dicm_marker_are_errors_not_panics() {
    let run = basic();
    let mut rng = Rng::new(42);
    for round in 0..40 {
        for size in [1, 8, 12, 100, 1000, 20000] {
            let mut input = vec![0u8; 128];
            input.extend_from_slice(b"DICM");
            input.extend(rng.bytes(size));
            let _ = run_both(
                &run,
                &input,
                &format!("DICM + {size} random bytes (round {round})"),
            );
        }
    }
}

#[test]
fn random_data_set_after_a_valid_meta_group_in_every_syntax() {
    let run = basic();
    let mut rng = Rng::new(7);
    for syntax in NATIVE_SYNTAXES {
        for round in 0..40 {
            let size = [8, 64, 1000, 10000][round % 4];
            let input = part10_from_raw("1.2.3.4", syntax, &rng.bytes(size));
            let _ = run_both(
                &run,
                &input,
                &format!("{syntax}: {size} random data set bytes (round {round})"),
            );
        }
    }
}

#[test]
fn random_data_set_that_starts_like_an_element() {
    // Plausible first element, then garbage: the walk must get past the header check.
    let run = basic();
    let mut rng = Rng::new(99);
    for round in 0..200 {
        let mut dataset = explicit_le(Tag(0x0008, 0x0005), b"CS", b"ISO_IR 100");
        let size = rng.below(600);
        dataset.extend(rng.bytes(size));
        let input = part10_from_raw("1.2.3.4", EXPLICIT_LE, &dataset);
        let _ = run_both(&run, &input, &format!("element + garbage (round {round})"));
        // And the same without any meta group.
        let _ = run_both(
            &run,
            &dataset,
            &format!("raw element + garbage (round {round})"),
        );
    }
}

#[test]
fn randomly_mutated_samples_never_panic_or_write_broken_output() {
    let run = basic();
    let mut rng = Rng::new(2024);
    for syntax in [EXPLICIT_LE, IMPLICIT_LE, EXPLICIT_BE] {
        let file = sample_file_with_syntax(syntax).unwrap();
        // Mutations in the meta group and the elements before Pixel Data.
        let start = 132;
        let region = inspect(&file, Options::basic())
            .unwrap()
            .pixel_data
            .unwrap()
            .offset
            + 16;
        for round in 0..150 {
            let mut input = file.clone();
            for _ in 0..1 + rng.below(6) {
                let at = start + rng.below(region - start);
                input[at] = rng.next_u64() as u8;
            }
            let _ = run_both(&run, &input, &format!("{syntax} mutation round {round}"));
        }
    }
}

#[test]
fn unknown_transfer_syntax_uid_is_read_as_explicit_little_endian() {
    // "1.9.840.10008.1.2.1": unknown, so encapsulated Explicit VR Little Endian (PS3.5 A.4).
    let mut file = sample_file();
    let uid = finding(&inspect(&file, Options::basic()).unwrap(), "(0002,0010)").offset + 8;
    file[uid + 2] = b'9';
    run_both(&basic(), &file, "unknown transfer syntax").expect("read as explicit LE");
    let done = basic().deidentify(&file).unwrap();
    assert_no_phi_in_bytes(&done.bytes, &FAKE_PHI, "unknown transfer syntax");
}

#[test]
fn regression_non_ascii_transfer_syntax_uid_gives_unexplained_write_error() {
    // Byte 2 of the Transfer Syntax UID value ("1.2.840...") becomes 0xAB. inspect() read the
    // file (as Explicit VR Little Endian) but deidentify() failed with Error::Write("cannot
    // write the file meta group: ..."), naming neither the element nor the offset. Either a
    // ParseError at (0002,0010) or a written output is right; a Write error is not.
    let mut file = sample_file();
    let element = finding(&inspect(&file, Options::basic()).unwrap(), "(0002,0010)").offset;
    file[element + 8 + 2] = 0xAB;
    run_both(&basic(), &file, "non-ASCII transfer syntax UID").ok();
}

#[test]
fn deflate_bomb_is_refused() {
    // 4 MiB of zeros compress to a few KiB: far more than any real data set expands.
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut encoder, &vec![0u8; 4 << 20]).unwrap();
    let compressed = encoder.finish().unwrap();
    let input = part10_from_raw("1.2.3.4", DEFLATED, &compressed);
    let e = inspect(&input, Options::basic()).expect_err("a deflate bomb is refused");
    assert_eq!(e.kind, ParseErrorKind::TooLarge, "{e}");
    assert!(!e.is_not_dicom());
    assert!(matches!(basic().deidentify(&input), Err(Error::Parse(_))));
}

#[test]
fn broken_deflate_stream_is_an_error() {
    let input = part10_from_raw("1.2.3.4", DEFLATED, b"\xFF\xFF\xFF\xFF this is not deflate");
    let e = inspect(&input, Options::basic()).expect_err("broken deflate stream");
    assert!(!e.is_not_dicom());
    assert_error_is_explained(&e, &input, "broken deflate");
    assert_eq!(e.kind, ParseErrorKind::BadDeflate, "{e}");
}

// ---------------------------------------------------------------------------------------
// Depth
// ---------------------------------------------------------------------------------------

fn nested_file(depth: usize) -> Vec<u8> {
    let mut dataset = minimal_le_header("1.2.3.4");
    dataset.extend(explicit_le(PATIENT_NAME, b"PN", b"DOE^JOHN"));
    dataset.extend(nested_sequences_le(
        depth,
        &explicit_le(PERSON_NAME, b"PN", b"DOE^JOHN"),
    ));
    part10_from_raw("1.2.3.4", EXPLICIT_LE, &dataset)
}

#[test]
fn sequences_nested_100_deep_are_refused_with_a_depth_error() {
    for depth in [MAX_DEPTH + 1, 100, 100_000] {
        let input = nested_file(depth);
        let e = inspect(&input, Options::basic()).expect_err("too deep");
        assert_eq!(e.kind, ParseErrorKind::DepthLimit, "{e}");
        assert_eq!(e.tag, Some(0x0040_A730));
        assert_error_is_explained(&e, &input, "deep nesting");
        assert!(matches!(basic().deidentify(&input), Err(Error::Parse(_))));
    }
}

#[test]
fn sequences_nested_to_the_limit_are_deidentified() {
    let input = nested_file(MAX_DEPTH);
    let report = inspect(&input, Options::basic()).unwrap();
    let deepest = report.elements.iter().max_by_key(|f| f.depth).unwrap();
    assert_eq!(deepest.depth, MAX_DEPTH);
    assert!(deepest.flagged);
    let done = basic().deidentify(&input).unwrap();
    assert_no_phi_in_bytes(&done.bytes, &["DOE", "JOHN"], "nested to the limit");
    assert!(done.residual.is_empty(), "{:?}", done.residual);
}

#[test]
fn deep_defined_length_nesting_is_refused() {
    // Built inside out so every length is right.
    let mut inner = explicit_le(PERSON_NAME, b"PN", b"DOE^JOHN");
    for _ in 0..100 {
        let mut item = item_le(inner.len() as u32);
        item.extend(&inner);
        inner = explicit_le(CONTENT_SEQUENCE, b"SQ", &item);
    }
    let mut dataset = minimal_le_header("1.2.3.4");
    dataset.extend(inner);
    let input = part10_from_raw("1.2.3.4", EXPLICIT_LE, &dataset);
    let e = inspect(&input, Options::basic()).expect_err("too deep");
    assert_eq!(e.kind, ParseErrorKind::DepthLimit, "{e}");
}

// ---------------------------------------------------------------------------------------
// Not DICOM
// ---------------------------------------------------------------------------------------

#[test]
fn empty_file_is_not_dicom() {
    let e = inspect(&[], Options::basic()).expect_err("empty");
    assert!(e.is_not_dicom());
    assert_eq!(e.kind, ParseErrorKind::NotDicom, "{e}");
    match basic().deidentify(&[]) {
        Err(Error::Parse(e)) => assert!(e.is_not_dicom()),
        other => panic!("{:?}", other.map(|d| d.bytes.len())),
    }
}

#[test]
fn text_and_other_formats_are_not_dicom() {
    let inputs: [(&str, &[u8]); 7] = [
        ("text", b"Patient list\nDOE^JOHN, LC-12345\n"),
        (
            "markdown",
            b"# Notes\n\nNothing to see here, just a README file that is long enough.\n",
        ),
        ("json", b"{\"files\": [], \"skipped\": 0}"),
        ("csv", b"0010,0010,PN,DOE^JOHN\n0010,0020,LO,LC-12345\n"),
        (
            "png",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0",
        ),
        (
            "pdf",
            b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        ),
        ("zeros", &[0u8; 1000]),
    ];
    for (what, bytes) in inputs {
        let e = inspect(bytes, Options::basic()).expect_err(what);
        assert!(e.is_not_dicom(), "{what}: {e}");
        match basic().deidentify(bytes) {
            Err(Error::Parse(e)) => assert!(e.is_not_dicom(), "{what}"),
            other => panic!("{what}: {:?}", other.map(|d| d.bytes.len())),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Odd values
// ---------------------------------------------------------------------------------------

#[test]
fn non_ascii_bytes_in_ascii_vrs_are_handled() {
    let mut dataset = minimal_le_header("1.2.3.4");
    dataset.extend(explicit_le(Tag(0x0008, 0x0020), b"DA", b"2024\xFF302"));
    dataset.extend(explicit_le(Tag(0x0008, 0x0050), b"SH", b"ACC-\xC998765 "));
    dataset.extend(explicit_le(Tag(0x0008, 0x0060), b"CS", b"C\xC9T\xFF"));
    dataset.extend(explicit_le(PATIENT_NAME, b"PN", b"DOE^J\xD6HN\xFF"));
    dataset.extend(explicit_le(PATIENT_ID, b"LO", b"LC-12345\x80\x81"));
    dataset.extend(explicit_le(STUDY_INSTANCE_UID, b"UI", b"1.2.\xFF\xFE.3\0"));
    dataset.extend(explicit_le(WINDOW_EXPLANATION, b"LO", b"FOR DOE \xFE\xFF"));
    let input = part10_from_raw("1.2.3.4", EXPLICIT_LE, &dataset);
    run_both(&basic(), &input, "non-ASCII in ASCII VRs")
        .expect("non-ASCII text is not a parse error");
    let report = inspect(&input, Options::basic()).unwrap();
    assert!(finding(&report, "(0010,0010)").flagged);
    assert!(
        finding(&report, "(0028,1055)").flagged,
        "the surname repeated next to binary junk"
    );
    let done = basic().deidentify(&input).unwrap();
    assert_no_phi_in_bytes(&done.bytes, &["DOE", "LC-12345", "ACC-"], "non-ASCII");
    let out = read_back(&done.bytes);
    let uid = string_of(&out, STUDY_INSTANCE_UID).unwrap();
    assert!(uid.starts_with("2.25.") && uid.is_ascii(), "{uid}");
}

#[test]
fn invalid_utf8_in_a_utf8_data_set_is_handled() {
    let mut dataset = minimal_le_header("1.2.3.4");
    dataset.extend(explicit_le(Tag(0x0008, 0x0005), b"CS", b"ISO_IR 192"));
    dataset.extend(explicit_le(PATIENT_NAME, b"PN", "DOE^JÖHN".as_bytes()));
    dataset.extend(explicit_le(
        Tag(0x0008, 0x1030),
        b"LO",
        b"HEAD \xC3\x28 DOE",
    ));
    dataset.extend(explicit_le(
        WINDOW_EXPLANATION,
        b"LO",
        b"\xF0\x28\x8C\x28 DOE",
    ));
    let input = part10_from_raw("1.2.3.4", EXPLICIT_LE, &dataset);
    for options in [Options::basic(), options(&["clean-descriptors"])] {
        let run = Run {
            request: dicom_leakcheck::Request::deidentify(options, key(3)),
        };
        run_both(&run, &input, "invalid UTF-8").expect("parses");
        let done = run.deidentify(&input).unwrap();
        assert_no_phi_in_bytes(&done.bytes, &["DOE", "J\u{D6}HN"], "invalid UTF-8");
    }
}

#[test]
fn unparseable_birth_date_with_modified_dates_does_not_stop_the_batch() {
    let run = deidentifier(options(&["retain-long-modified-dates"]));
    let bad = part10(
        &sample_with([text(PATIENT_BIRTH_DATE, VR::DA, "1990/01/")]),
        EXPLICIT_LE,
    );
    let good = part10(&sibling_image("2.25.4242", "20240312"), EXPLICIT_LE);

    let done_bad = run.deidentify(&bad).expect("a malformed date is not fatal");
    assert_no_phi_in_bytes(
        &done_bad.bytes,
        &["1990/01/", "DOE", "LC-12345"],
        "bad birth date",
    );
    let out_bad = read_back(&done_bad.bytes);
    assert_eq!(string_of(&out_bad, PATIENT_BIRTH_DATE).as_deref(), Some(""));

    let done_good = run.deidentify(&good).unwrap();
    let out_good = read_back(&done_good.bytes);
    let shifted = string_of(&out_good, STUDY_DATE).unwrap();
    assert_ne!(shifted, "20240312");
    assert_eq!(shifted.len(), 8);
    assert!(done_good.warnings.is_empty(), "{:?}", done_good.warnings);
    // The same patient: the same shift in both files, the bad date notwithstanding.
    assert_eq!(
        string_of(&out_bad, STUDY_DATE),
        string_of(
            &read_back(&run.deidentify(&sample_file()).unwrap().bytes),
            STUDY_DATE
        )
    );
}

#[test]
fn unparseable_study_date_with_modified_dates_is_replaced_with_a_warning() {
    let run = deidentifier(options(&["retain-long-modified-dates"]));
    let bad = part10(
        &sample_with([text(STUDY_DATE, VR::DA, "1990/01/")]),
        EXPLICIT_LE,
    );
    let done = run.deidentify(&bad).expect("a malformed date is not fatal");
    assert!(
        done.warnings
            .iter()
            .any(|w| w.contains("could not be shifted")),
        "no warning: {:?}",
        done.warnings
    );
    let out = read_back(&done.bytes);
    let date = string_of(&out, STUDY_DATE).unwrap();
    assert_ne!(date, "1990/01/");
    assert!(
        date.is_empty() || (date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit())),
        "{date}"
    );
    // The other dates of the file are still shifted.
    assert_ne!(
        string_of(&out, Tag(0x0008, 0x0021)).as_deref(),
        Some("20240302")
    );
    assert_eq!(
        string_of(&out, LONGITUDINAL_TEMPORAL_MODIFIED).as_deref(),
        Some("MODIFIED")
    );
}

#[test]
fn regression_group_0002_element_in_a_deflated_data_set_leaks() {
    // Group 0002 belongs in the meta group, but broken writers put it in the data set too. In
    // a Deflated file ParsedFile::value_bytes reads any group 0002 element from `file` at an
    // offset that counts inflated bytes: the report shows another value (here
    // "LEAKCHECK_0.1.0", whatever sits at that offset of the file), the name in the real value
    // goes through unflagged, and the residual check is blind to it the same way.
    let mut dataset = explicit_le(Tag(0x0002, 0x0013), b"SH", b"VIEWER OF JOHN DOE ");
    dataset.extend(minimal_le_header("1.2.3.4"));
    dataset.extend(explicit_le(PATIENT_NAME, b"PN", b"DOE^JOHN"));
    let mut encoder =
        flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut encoder, &dataset).unwrap();
    let input = part10_from_raw("1.2.3.4", DEFLATED, &encoder.finish().unwrap());

    let report = inspect(&input, Options::basic()).unwrap();
    // The file's own meta group has an (0002,0013) too: take the one in the data set.
    let element = report
        .elements
        .iter()
        .find(|f| f.tag == "(0002,0013)" && !f.in_meta)
        .expect("the misplaced element is reported");
    assert_eq!(
        element.value, "VIEWER OF JOHN DOE",
        "the report shows bytes of the meta group instead"
    );
    let done = basic().deidentify(&input).unwrap();
    let inflated = inflate_dataset(&done.bytes, meta_end(&done.bytes));
    assert_no_phi_in_bytes(
        &inflated,
        &["DOE", "JOHN"],
        "group 0002 in a deflated data set",
    );
}
