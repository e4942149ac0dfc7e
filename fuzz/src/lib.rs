//! Shared pieces of the fuzz targets: options from one input byte, the output size bound, and
//! the invariants every de-identified output must keep. Everything goes through the core's
//! facade except `check_ranges` of the `parse` target: that target checks the parser's own
//! invariant (every element, item and value range lies inside its buffer), which the facade
//! deliberately does not show, so it reads the doc-hidden `parse` module.

use dicom_leakcheck::parse::{Body, Element, ParsedFile};
use dicom_leakcheck::{
    check, Error, Image, Key, Options, PixelWork, Report, Request, ALL_OPTIONS, EXCLUSIVE_OPTIONS,
};

/// Splits the fuzz input into an option set (first byte) and the file (the rest). Bit i of the
/// byte chooses option i; the three options past bit 7 reuse bits 5..7, so every option is
/// reachable and each appears alone or with others. Of two options that exclude each other
/// the first is kept (the core refuses both together, before reading the file).
pub fn split_options(data: &[u8]) -> Option<(Options, &[u8])> {
    let (&first, file) = data.split_first()?;
    let mask = u16::from(first) | (u16::from(first >> 5) << 8);
    let options = ALL_OPTIONS
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .fold(Options::basic(), |o, (_, info)| o.with(info.option));
    let options =
        EXCLUSIVE_OPTIONS.iter().fold(
            options,
            |o, &(kept, dropped)| {
                if o.has(kept) {
                    o.without(dropped)
                } else {
                    o
                }
            },
        );
    Some((options, file))
}

/// A fixed key: fuzzing looks for crashes, not for key-dependent behaviour.
pub fn deidentifier(options: Options) -> Request {
    Request::deidentify(options, Key::from_bytes([7; 32]))
}

/// A de-identified output, whole.
pub struct Written {
    pub bytes: Vec<u8>,
    /// Pixels were cleaned (Clean Pixel Data), which may write decoded frames.
    pub pixels_cleaned: bool,
}

/// The report of `file` alone (no pixel work): the facade's parse, for comparing errors.
pub fn read(file: &[u8]) -> Result<Report, Error> {
    let request = Request::inspect(Options::basic()).with_pixels(PixelWork::None);
    check(file, &request).map(|outcome| outcome.report)
}

/// The largest output de-identification may write for a `file` whose report is `report`.
///
/// The bytes that can grow are counted against the (inflated) input, `base`:
/// - a UID value is replaced component by component with `2.25.` and at most 39 digits (44
///   bytes, PS3.5 B.2); the cheapest component in the input is an empty one, i.e. one `\`
///   byte, so a value grows at most 45 times (n separators: n bytes in, 45·n + 44 out);
/// - dummy values (D) and zero binaries replace values with at most a few dozen bytes, items
///   and sequences re-framed with undefined length gain 8 bytes per item and per sequence;
///   every element or item costs at least 8 input bytes, so these stay far below 45 times too;
/// - a fresh meta group (preamble, UIDs) and the PS3.15 E.1.1 attributes with one CID 7050
///   item per option are a constant of about 2 KiB; 16 KiB leaves room.
///
/// Deflated outputs are compressed again; deflate adds at most 5 bytes per 16 KiB stored block,
/// which the constant covers at these sizes and the factor covers beyond.
pub fn size_bound(file: &[u8], report: &Report) -> usize {
    let base = if report.offsets_in_inflated {
        // Meta group offsets count bytes of the file, data set offsets bytes of the inflated
        // data set from 0 (PS3.5 A.5): the ends of both are what the walk read.
        let end = |in_meta: bool| {
            report
                .elements
                .iter()
                .filter(|f| f.in_meta == in_meta && f.depth == 0)
                .map(|f| f.offset + f.length)
                .max()
                .unwrap_or(0)
        };
        file.len().max(end(true) + end(false))
    } else {
        file.len()
    };
    base.saturating_mul(46).saturating_add(16 << 10)
}

/// Clean Pixel Data writes a compressed image uncompressed (PS3.15 E.3.1, PS3.5 A.2): when it
/// cleaned pixels, the output may also hold every decoded frame, at most 4 bytes a sample.
pub fn decoded_allowance(done: &Written, file: &[u8]) -> usize {
    if !done.pixels_cleaned {
        return 0;
    }
    let Ok(Some(image)) = Image::open(file) else {
        return 0;
    };
    let info = image.info();
    let bytes = match info.bits_allocated {
        0..=8 => 1,
        9..=16 => 2,
        _ => 4,
    };
    [
        info.rows as usize,
        info.columns as usize,
        info.samples_per_pixel.max(1) as usize,
        bytes,
        info.frames.max(1) as usize,
    ]
    .iter()
    .fold(1usize, |a, b| a.saturating_mul(*b))
}

/// Every element's ranges are ordered and inside the buffer they count bytes of.
pub fn check_ranges(parsed: &ParsedFile<'_>) {
    for element in &parsed.meta {
        check_element(element, parsed.file.len());
    }
    for element in &parsed.dataset {
        check_element(element, parsed.dataset_bytes.len());
        // Reading any value must not panic.
        let _ = parsed.value_bytes(element);
    }
}

fn check_element(element: &Element, len: usize) {
    assert!(element.start <= element.value.start, "{element:?}");
    assert!(element.value.start <= element.value.end, "{element:?}");
    assert!(element.value.end <= element.end, "{element:?}");
    assert!(element.end <= len, "{element:?} past {len}");
    if let Body::Sequence { items, .. } = &element.body {
        for item in items {
            assert!(element.value.start <= item.start && item.start <= item.end);
            assert!(item.end <= element.end, "{item:?} outside {element:?}");
            for inner in &item.elements {
                check_element(inner, len);
                assert!(item.start <= inner.start && inner.end <= item.end);
            }
        }
    }
}

/// De-identifies `file` and checks what must hold whatever the input: it fails only when the
/// input does not parse (with the same error), and a written output parses again and stays
/// within `size_bound` (plus `decoded_allowance` when pixels were cleaned). Returns the output when there is one.
pub fn deidentify_checked(run: &Request, file: &[u8]) -> Option<Written> {
    let parsed = read(file);
    let written = check(file, run).and_then(|outcome| {
        let done = outcome.deidentified.expect("a de-identification request");
        Ok(Written {
            bytes: done.to_bytes(file)?,
            pixels_cleaned: !done.regions_cleaned.is_empty(),
        })
    });
    match (written, parsed) {
        (Ok(done), Ok(parsed)) => {
            let again = read(&done.bytes);
            assert!(
                again.is_ok(),
                "the output does not parse: {:?}",
                again.err()
            );
            let bound = size_bound(file, &parsed).saturating_add(decoded_allowance(&done, file));
            assert!(
                done.bytes.len() <= bound,
                "{} output bytes for {} input bytes (bound {bound})",
                done.bytes.len(),
                file.len()
            );
            Some(done)
        }
        (Err(e @ Error::Parse(_)), Err(p)) => {
            assert_eq!(e, p, "deidentify and parse disagree");
            None
        }
        (Ok(_), Err(p)) => panic!("deidentify succeeded on a file that does not parse: {p}"),
        (Err(e), _) => panic!("de-identification failed on a file that parses: {e}"),
    }
}
