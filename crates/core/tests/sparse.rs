//! Reading files in parts: the parser asks for the byte ranges it needs, skips Pixel Data by
//! arithmetic, and inspection and de-identification over a sparse file give the same results as
//! over the whole file (every corpus file), with the output as pieces that copy the original's
//! Pixel Data by range.

use dicom_leakcheck_testkit as common;

use common::*;
use dicom_core::Tag;
use dicom_leakcheck::parse::{next_fragment, SparseFile, HEADER_CHUNK};
use dicom_leakcheck::Segment;
use dicom_leakcheck::{inspect, Error, Options, Outcome, PixelWork, Request, Session};
use std::borrow::Cow;
use std::ops::Range;

/// What a caller's loop read: segments given, rounds, bytes read.
struct Loop {
    segments: Vec<(u64, Vec<u8>)>,
    rounds: usize,
    read: u64,
}

/// Inspection from the header alone, as the page's first report of a file.
fn header_report(options: Options) -> Request {
    Request::inspect(options).with_pixels(PixelWork::HeaderRisk)
}

/// Runs a session over a file of `total` bytes, serving each asked range with `read`.
fn drive(
    total: u64,
    read: impl Fn(Range<u64>) -> Vec<u8>,
    request: Request,
) -> (Result<Outcome, Error>, Loop) {
    drive_short(total, u64::MAX, read, request)
}

/// `drive`, but each read returns at most `short` bytes of the range asked for (as a caller
/// with small buffers might): the session asks again for the rest, from any point of the walk.
fn drive_short(
    total: u64,
    short: u64,
    read: impl Fn(Range<u64>) -> Vec<u8>,
    request: Request,
) -> (Result<Outcome, Error>, Loop) {
    let mut state = Loop {
        segments: Vec::new(),
        rounds: 0,
        read: 0,
    };
    let mut session = Session::new(request, total);
    loop {
        let ranges = session.need();
        if ranges.is_empty() {
            return (session.finish(), state);
        }
        state.rounds += 1;
        assert!(state.rounds < 100_000, "the loop does not end");
        for range in ranges {
            assert!(range.start < range.end && range.end <= total, "{range:?}");
            let range = range.start..range.end.min(range.start.saturating_add(short));
            state.read += range.end - range.start;
            let bytes = read(range.clone());
            state.segments.push((range.start, bytes.clone()));
            session.give(range.start, bytes).expect("within the file");
        }
    }
}

fn from_file(file: &[u8]) -> impl Fn(Range<u64>) -> Vec<u8> + '_ {
    move |r| file[r.start as usize..r.end as usize].to_vec()
}

fn assemble(pieces: &[Segment], original: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for piece in pieces {
        match piece {
            Segment::New(bytes) => out.extend_from_slice(bytes),
            Segment::Copy(r) => out.extend_from_slice(&original[r.start as usize..r.end as usize]),
        }
    }
    out
}

/// The report as JSON, without the allowed differences: a Deflated file read in parts says
/// that it was read whole, and the burned-in verdict of a file read without its pixels rests
/// on the header alone (compared separately in `burned_in_rests_on_the_header`).
fn without_deflated_note(report: &dicom_leakcheck::Report) -> serde_json::Value {
    let mut json = comparable(report);
    if let Some(w) = json["warnings"].as_array_mut() {
        w.retain(|w| !w.as_str().unwrap_or("").starts_with("Deflated files"));
    }
    json
}

fn comparable(report: &dicom_leakcheck::Report) -> serde_json::Value {
    let mut json = serde_json::to_value(report).expect("json");
    if let Some(object) = json.as_object_mut() {
        object.remove("burned_in");
    }
    json
}

#[test]
fn every_corpus_file_reads_the_same_in_parts() {
    let Some(files) = corpus_files() else {
        return;
    };
    let options = options(&["clean-descriptors"]);
    let deidentifier = deidentifier(options);
    let mut checked = 0;
    for path in files {
        let file = std::fs::read(&path).expect("readable");
        let name = path.display();
        let whole = inspect(&file, options);
        let (sparse, state) = drive(file.len() as u64, from_file(&file), header_report(options));
        let sparse = sparse.map(|outcome| outcome.report);
        match (&whole, &sparse) {
            (Ok(a), Ok(b)) => assert_eq!(
                comparable(a),
                without_deflated_note(b),
                "{name}: the reports differ"
            ),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{name}"),
            _ => panic!("{name}: whole {whole:?} vs sparse {sparse:?}"),
        }
        if whole.is_err() {
            continue;
        }
        assert!(state.rounds <= 40, "{name}: {} rounds", state.rounds);
        if file.len() < 100_000 {
            // Short reads: the walk runs out of bytes at every kind of place.
            let (short, _) = drive_short(
                file.len() as u64,
                997,
                from_file(&file),
                header_report(options),
            );
            let short = short.unwrap_or_else(|e| panic!("{name}: {e}")).report;
            assert_eq!(
                without_deflated_note(&short),
                comparable(whole.as_ref().unwrap()),
                "{name}: short reads"
            );
        }

        let whole = deidentifier.deidentify(&file);
        let (sparse, _) = drive(
            file.len() as u64,
            from_file(&file),
            deidentifier.request.clone(),
        );
        let sparse = sparse.map(|outcome| outcome.deidentified.expect("de-identified"));
        match (whole, sparse) {
            (Ok(a), Ok(b)) => {
                assert_eq!(assemble(&b.pieces.segments, &file), a.bytes, "{name}");
                assert_eq!(b.output_length, a.bytes.len() as u64, "{name}");
                assert_eq!(
                    serde_json::to_value(&a.residual).unwrap(),
                    serde_json::to_value(&b.residual).unwrap(),
                    "{name}"
                );
                assert_eq!(a.sop_instance_uid, b.sop_instance_uid, "{name}");
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{name}"),
            (a, b) => panic!("{name}: whole {:?} vs sparse {:?}", a.err(), b.err()),
        }
        checked += 1;
    }
    assert!(checked > 50, "only {checked} corpus files checked");
}

/// A virtual file: a header, a hole of `hole` bytes (Pixel Data's value) and a tail.
struct Virtual {
    head: Vec<u8>,
    hole: u64,
    tail: Vec<u8>,
}

impl Virtual {
    fn total(&self) -> u64 {
        self.head.len() as u64 + self.hole + self.tail.len() as u64
    }

    /// Reads a range; the hole reads as zeros, but a range may only be a header-sized chunk.
    fn read(&self, r: Range<u64>) -> Vec<u8> {
        assert!(r.end - r.start <= HEADER_CHUNK, "asked for {r:?}");
        let head = self.head.len() as u64;
        let tail_start = head + self.hole;
        (r.start..r.end)
            .map(|i| {
                if i < head {
                    self.head[i as usize]
                } else if i >= tail_start {
                    self.tail[(i - tail_start) as usize]
                } else {
                    0
                }
            })
            .collect()
    }
}

/// A native multi-frame file whose Pixel Data declares `pixel_len` bytes, with a private
/// element after it that names the patient.
fn native_virtual(pixel_len: u32) -> Virtual {
    let mut dataset = minimal_le_header("1.2.3.4.5.6.7.8.9");
    dataset.extend(explicit_le(Tag(0x0010, 0x0010), b"PN", b"Doe^Jane"));
    dataset.extend(explicit_le(Tag(0x0010, 0x0020), b"LO", b"PID-4711"));
    dataset.extend(explicit_le(Tag(0x0028, 0x0008), b"IS", b"4000"));
    // Pixel Data (7FE0,0010) OW with a huge defined length; its value is the hole.
    dataset.extend_from_slice(&[0xE0, 0x7F, 0x10, 0x00, b'O', b'W', 0, 0]);
    dataset.extend_from_slice(&pixel_len.to_le_bytes());
    let head = part10_from_raw("1.2.3.4.5.6.7.8.9", "1.2.840.10008.1.2.1", &dataset);
    let mut tail = explicit_le(Tag(0x7FE1, 0x0010), b"LO", b"TAILCO");
    tail.extend(explicit_le(Tag(0x7FE1, 0x1001), b"LO", b"Doe^Jane "));
    Virtual {
        head,
        hole: u64::from(pixel_len),
        tail,
    }
}

#[test]
fn a_4_gb_pixel_data_is_skipped_and_copied_by_range() {
    let file = native_virtual(0xFFFF_FFF0);
    assert!(file.total() > 1 << 32);
    let options = Options::basic();
    let (report, state) = drive(file.total(), |r| file.read(r), header_report(options));
    let report = report.expect("inspects").report;
    assert!(state.rounds <= 3, "{} rounds", state.rounds);
    assert!(state.read < 3 * HEADER_CHUNK, "read {} bytes", state.read);
    let pixels = report.pixel_data.as_ref().expect("Pixel Data found");
    assert_eq!(pixels.length as u64, 12 + 0xFFFF_FFF0);
    assert!(report
        .elements
        .iter()
        .any(|f| f.tag == "(7FE1,1001)" && f.value == "Doe^Jane"));

    let deidentifier = deidentifier(options);
    let (done, _) = drive(file.total(), |r| file.read(r), deidentifier.request.clone());
    let done = done.expect("de-identifies").deidentified.expect("output");
    assert!(done.residual.is_empty(), "{:?}", done.residual);
    let hole = file.head.len() as u64..file.head.len() as u64 + file.hole;
    assert!(
        done.pieces.segments.iter().any(|s| matches!(s,
            Segment::Copy(r) if r.start <= hole.start && r.end >= hole.end)),
        "Pixel Data is one copied range: {:?}",
        done.pieces
            .segments
            .iter()
            .map(|s| match s {
                Segment::New(b) => format!("new {}", b.len()),
                Segment::Copy(r) => format!("copy {r:?}"),
            })
            .collect::<Vec<_>>()
    );
    let new_bytes: usize = done
        .pieces
        .segments
        .iter()
        .map(|s| match s {
            Segment::New(b) => b.len(),
            Segment::Copy(_) => 0,
        })
        .sum();
    assert!(new_bytes < 4096, "{new_bytes} new bytes");
    // The private element after Pixel Data named the patient: it is removed.
    let new: Vec<u8> = done
        .pieces
        .segments
        .iter()
        .flat_map(|s| match s {
            Segment::New(b) => b.clone(),
            Segment::Copy(_) => Vec::new(),
        })
        .collect();
    assert!(find_bytes(&new, b"Doe^Jane").is_none());
    let copied_tail = done
        .pieces
        .segments
        .iter()
        .any(|s| matches!(s, Segment::Copy(r) if r.end > hole.end));
    assert!(
        !copied_tail,
        "the tail's private element must not be copied"
    );
    assert_eq!(
        done.output_length,
        done.pieces
            .segments
            .iter()
            .map(|s| match s {
                Segment::New(b) => b.len() as u64,
                Segment::Copy(r) => r.end - r.start,
            })
            .sum::<u64>()
    );
}

/// An encapsulated file with `sizes.len()` fragments, with or without a Basic Offset Table.
/// Returns the file and the range of its fragments.
fn encapsulated(sizes: &[usize], with_table: bool) -> (Vec<u8>, Range<usize>) {
    let mut dataset = minimal_le_header("1.2.3.4.5.6.7.8.10");
    dataset.extend(explicit_le(Tag(0x0010, 0x0010), b"PN", b"Doe^Jane"));
    dataset.extend_from_slice(&[
        0xE0, 0x7F, 0x10, 0x00, b'O', b'B', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF,
    ]);
    let mut table = Vec::new();
    let mut offset = 0;
    for size in sizes.iter().filter(|_| with_table) {
        table.extend_from_slice(&(offset as u32).to_le_bytes());
        offset += size + 8;
    }
    dataset.extend(item_le(table.len() as u32));
    dataset.extend(table);
    let mut file = part10_from_raw("1.2.3.4.5.6.7.8.10", "1.2.840.10008.1.2.4.50", &dataset);
    let pixels_from = file.len();
    for (i, size) in sizes.iter().enumerate() {
        file.extend(item_le(*size as u32));
        file.extend(std::iter::repeat_n((i % 251) as u8, *size));
    }
    let pixels_to = file.len();
    file.extend_from_slice(&SEQUENCE_DELIMITER_LE);
    (file, pixels_from..pixels_to)
}

/// Inspects in parts; checks the report equals the whole file's and that few fragment bytes
/// were read. Returns the rounds taken.
fn inspect_fragments(file: &[u8], pixels: Range<usize>) -> usize {
    let (report, state) = drive(
        file.len() as u64,
        from_file(file),
        header_report(Options::basic()),
    );
    let report = report.expect("inspects").report;
    assert_eq!(
        comparable(&report),
        comparable(&inspect(file, Options::basic()).unwrap())
    );
    let read_pixels: u64 = state
        .segments
        .iter()
        .map(|(o, b)| {
            let (s, e) = (*o, *o + b.len() as u64);
            e.min(pixels.end as u64)
                .saturating_sub(s.max(pixels.start as u64))
        })
        .sum();
    // Only the first chunk (header-sized) and the 8-byte fragment headers.
    assert!(
        read_pixels < HEADER_CHUNK + 8 * 1000,
        "read {read_pixels} bytes of Pixel Data"
    );
    state.rounds
}

/// Encapsulated Pixel Data: only each fragment's 8-byte header is read; with a Basic Offset
/// Table they are asked for all at once, and so are fragments of one size. Without a table and
/// with sizes that vary, the session follows the chain itself (read-ahead): one 8-byte read per
/// fragment, never a fragment.
#[test]
fn fragment_headers_are_read_without_the_fragments() {
    let sizes = vec![300_000; 50];
    let (file, pixels) = encapsulated(&sizes, true);
    let rounds = inspect_fragments(&file, pixels);
    assert!(rounds <= 4, "{rounds} rounds with an offset table");

    let (file, pixels) = encapsulated(&sizes, false);
    let rounds = inspect_fragments(&file, pixels);
    assert!(rounds <= 6, "{rounds} rounds for fragments of one size");

    let sizes: Vec<usize> = (0..40).map(|i| 100_000 + i * 2_000).collect();
    let (file, pixels) = encapsulated(&sizes, false);
    let rounds = inspect_fragments(&file, pixels.clone());
    assert!(rounds <= 45, "{rounds} rounds");
    assert_eq!(
        next_fragment(100, &file[pixels.start..pixels.start + 8]),
        Some(100 + 8 + 100_000)
    );
    assert_eq!(next_fragment(0, b"DICM\0\0\0\0"), None);
    assert_eq!(
        next_fragment(0, &[0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF]),
        None
    );
}

#[test]
fn a_deflated_file_is_asked_for_whole_and_says_so() {
    let dataset = sample_with([text(Tag(0x0010, 0x0010), dicom_core::VR::PN, "Doe^Jane")]);
    let file = part10(&dataset, "1.2.840.10008.1.2.1.99");
    let (report, state) = drive(
        file.len() as u64,
        from_file(&file),
        header_report(Options::basic()),
    );
    let report = report.expect("inspects").report;
    assert_eq!(state.read, file.len() as u64);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.starts_with("Deflated files are read whole")),
        "{:?}",
        report.warnings
    );
}

#[test]
fn segments_are_checked_and_merged() {
    let bytes = b"0123456789";
    let sparse = SparseFile::new(
        20,
        [
            (4u64, Cow::Borrowed(&bytes[4..8])),
            (0, Cow::Borrowed(&bytes[0..4])),
            (6, Cow::Borrowed(&bytes[6..10])),
        ],
    )
    .expect("valid");
    assert_eq!(sparse.get(0..10), Some(&bytes[..]));
    assert_eq!(sparse.missing(0..20), vec![10..20]);
    assert!(sparse.get(9..11).is_none());
    assert!(SparseFile::new(5, [(0u64, Cow::Borrowed(&bytes[..]))]).is_err());
    let mut empty = Session::new(header_report(Options::basic()), 0);
    assert!(empty.need().is_empty());
    assert!(matches!(empty.finish(), Err(Error::Parse(_))));
}

/// Damaged files (bytes flipped, cut short) give the same report or the same error in parts as
/// whole, read 61 bytes at a time so the walk runs out of bytes everywhere; the loop ends.
#[test]
fn damaged_files_read_the_same_in_parts() {
    let sample = dicom_leakcheck::sample::sample_file();
    let mut rng = Rng::new(0x5EA5);
    for round in 0..300 {
        let mut file = sample.clone();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(file.len());
            file[at] = rng.next_u64() as u8;
        }
        if round % 3 == 0 {
            file.truncate(rng.below(file.len()) + 1);
        }
        let whole = inspect(&file, Options::basic());
        let (sparse, _) = drive_short(
            file.len() as u64,
            61,
            from_file(&file),
            header_report(Options::basic()),
        );
        let sparse = sparse.map(|outcome| outcome.report);
        match (&whole, &sparse) {
            (Ok(a), Ok(b)) => assert_eq!(comparable(a), comparable(b), "round {round}"),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "round {round}"),
            _ => panic!("round {round}: whole {whole:?} vs sparse {sparse:?}"),
        }
    }
}

#[test]
fn burned_in_rests_on_the_header_when_the_pixels_are_not_read() {
    let file = dicom_leakcheck::sample::sample_file();
    let whole = inspect(&file, Options::basic()).expect("inspects");
    assert!(whole.burned_in.pixels_checked);
    let head = file.len() - 1000;
    // The header report: the pixels are not asked for and not searched.
    let mut session = Session::new(header_report(Options::basic()), file.len() as u64);
    session.give(0, file[..head].to_vec()).expect("in the file");
    assert!(
        session.need().is_empty(),
        "the header report needs no pixels"
    );
    let report = session.finish().expect("inspects").report;
    assert!(!report.burned_in.pixels_checked);
    // Searching the pixels asks for the rest of a file of ordinary size.
    let mut session = Session::new(Request::inspect(Options::basic()), file.len() as u64);
    session.give(0, file[..head].to_vec()).expect("in the file");
    assert_eq!(session.need(), vec![head as u64..file.len() as u64]);
    // A file too large to read for its pixels is judged on its header, and says so.
    let big = native_virtual(0xFFFF_FFF0);
    let (outcome, state) = drive(
        big.total(),
        |r| big.read(r),
        Request::inspect(Options::basic()),
    );
    let report = outcome.expect("inspects").report;
    assert!(state.read < 3 * HEADER_CHUNK, "read {} bytes", state.read);
    assert!(!report.burned_in.pixels_checked);
    assert!(report
        .burned_in
        .reasons
        .iter()
        .any(|r| r.code == "pixels-not-read"));
}
