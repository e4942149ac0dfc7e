//! The malformed-file suite: table-driven damage to synthetic files in every transfer syntax
//! (implicit LE, explicit LE, explicit BE, deflated, encapsulated). `tests/malformed.rs` holds
//! the older single cases (every-offset truncation of the sample, random bytes, depth); this
//! suite damages structure on purpose and checks, for every input, the rules in
//! `malformed_suite/support.rs`: no panic, a clear error naming what and where, or a result
//! with a warning when data was dropped, and an output that parses and leaks no PHI.

use dicom_leakcheck_testkit as common;
#[path = "malformed_suite/encode.rs"]
mod encode;
#[path = "malformed_suite/files.rs"]
mod files;
#[path = "malformed_suite/handmade.rs"]
mod handmade;
#[path = "malformed_suite/support.rs"]
mod support;

use common::*;
use dicom_core::Tag;
use dicom_leakcheck::parse::{Body, Element};
use dicom_leakcheck::{Options, ParseErrorKind};
use encode::*;
use support::*;

/// Cuts every base at every structural point (element header start and middle, value start and
/// middle, item and delimiter boundaries, every byte of encapsulated Pixel Data).
#[test]
fn truncation_at_every_structural_boundary() {
    let mut cases = 0;
    for base in bases() {
        let structure = base.structure();
        for point in points(&structure, &base.plain) {
            let input = base.file(&base.plain[..point.at]);
            for (run_name, run) in runs() {
                let what = format!(
                    "{}: cut at {} ({}), {run_name}",
                    base.name, point.at, point.what
                );
                let outcome = check(&run, &input, &what);
                cases += 1;
                match (point.top, outcome.error()) {
                    // Between top-level elements nothing is broken: a shorter, valid file.
                    (None, Some(e)) => panic!("{what}: a cut between elements is refused: {e}"),
                    (None, None) => {}
                    // Inside an element: an error at that element (or inside it), never before
                    // it and never past the cut...
                    (Some((start, tag)), Some(e)) => {
                        let offset = e.offset.expect("offset");
                        assert_eq!(e.in_inflated, base.deflated, "{what}: {e}");
                        assert!(
                            offset >= base.reported(start) && offset <= base.reported(point.at),
                            "{what}: error at {offset}, outside {} ({} .. {}): {e}",
                            tag_of(tag),
                            base.reported(start),
                            base.reported(point.at)
                        );
                    }
                    // ...or what was read, with a warning that something was dropped.
                    (Some(_), None) => assert!(
                        !outcome.warnings().is_empty(),
                        "{what}: data was dropped without a warning"
                    ),
                }
            }
        }
    }
    eprintln!("structural truncation: {cases} cases");
}

/// Cuts every whole file (meta group and, for Deflated files, the compressed stream included)
/// at a sample of arbitrary byte positions.
#[test]
fn truncation_at_sampled_byte_positions() {
    let mut rng = Rng::new(0x7EA5);
    let run = deidentifier(Options::basic());
    let mut cases = 0;
    for base in bases() {
        let file = base.whole();
        // Cuts that lose nothing: at the end of the meta group or of a top-level element
        // (never inside a compressed stream).
        let mut whole_elements = vec![base.meta.len()];
        if !base.deflated {
            whole_elements.extend(base.structure().iter().map(|e| base.reported(e.end)));
        }
        for _ in 0..120 {
            let cut = rng.below(file.len());
            let what = format!("{}: file cut at byte {cut} of {}", base.name, file.len());
            let outcome = check(&run, &file[..cut], &what);
            cases += 1;
            // A cut compressed stream is refused as such (it cannot be read past the cut).
            if base.deflated && cut >= base.meta.len() {
                let e = outcome.error().unwrap_or_else(|| panic!("{what}: read"));
                assert_eq!(e.kind, ParseErrorKind::BadDeflate, "{what}: {e}");
            }
            if outcome.error().is_none() && !whole_elements.contains(&cut) {
                assert!(
                    !outcome.warnings().is_empty(),
                    "{what}: data was dropped without a warning"
                );
            }
            if cut < 132 {
                let e = outcome.error().unwrap_or_else(|| panic!("{what}: read"));
                assert!(e.is_not_dicom(), "{what}: {e}");
            }
        }
    }
    eprintln!("sampled truncation: {cases} cases");
}

/// Where an element's length field is and how wide, from its header size.
fn length_field(base: &Base, e: &Element) -> (usize, usize) {
    match (base.enc, e.value.start - e.start) {
        (Enc::ImplicitLe, _) => (e.start + 4, 4),
        (_, 8) => (e.start + 6, 2),
        _ => (e.start + 8, 4),
    }
}

fn all_elements(elements: &[Element], out: &mut Vec<Element>) {
    for e in elements {
        out.push(e.clone());
        for item in e.items() {
            all_elements(&item.elements, out);
        }
    }
}

/// Every defined length in every base made to lie: one or two bytes too long or too short
/// (odd and even), sixteen times too long, and the largest the field holds.
#[test]
fn lengths_that_lie() {
    let run = deidentifier(Options::basic());
    let mut cases = 0;
    for base in bases() {
        let mut elements = Vec::new();
        all_elements(&base.structure(), &mut elements);
        for e in elements.iter().filter(|e| !e.undefined_length) {
            let (at, width) = length_field(&base, e);
            let len = e.value_len() as i64;
            let max = if width == 2 { 0xFFFF } else { 0xFFFF_FFF0 };
            for declared in [len + 1, len + 2, len - 1, len - 2, len * 16 + 16, max] {
                if declared < 0 || declared == len || declared > max {
                    continue;
                }
                let mut plain = base.plain.clone();
                let bytes = match (width, base.enc) {
                    (2, Enc::ExplicitBe) => (declared as u16).to_be_bytes().to_vec(),
                    (2, _) => (declared as u16).to_le_bytes().to_vec(),
                    (_, Enc::ExplicitBe) => (declared as u32).to_be_bytes().to_vec(),
                    _ => (declared as u32).to_le_bytes().to_vec(),
                };
                plain[at..at + width].copy_from_slice(&bytes);
                let what = format!(
                    "{}: {} at {} declares {declared} bytes instead of {len}",
                    base.name,
                    tag_of(e.tag),
                    e.start
                );
                let outcome = check(&run, &base.file(&plain), &what);
                cases += 1;
                // Far more than the file holds: refused at that very element.
                if declared == max {
                    let e2 = outcome.error().unwrap_or_else(|| panic!("{what}: read"));
                    assert_eq!(e2.tag, Some(e.tag), "{what}: {e2}");
                    assert_eq!(e2.offset, Some(base.reported(e.start)), "{what}: {e2}");
                    assert_eq!(e2.kind, ParseErrorKind::LengthPastEnd, "{what}: {e2}");
                }
            }
        }
    }
    eprintln!("lying lengths: {cases} cases");
}

/// Undefined lengths whose delimiters are missing: an item's, a sequence's, all of them, and
/// encapsulated Pixel Data's.
#[test]
fn undefined_lengths_without_delimiters() {
    let mut cases = 0;
    for base in bases() {
        let mut elements = Vec::new();
        all_elements(&base.structure(), &mut elements);
        // (what, ranges of delimiters to drop)
        let mut removals: Vec<(String, Vec<std::ops::Range<usize>>)> = Vec::new();
        let mut every = Vec::new();
        for e in elements.iter().filter(|e| e.undefined_length) {
            let name = tag_of(e.tag);
            if e.end >= e.value.end + 8 {
                let delimiter = e.value.end..e.end;
                removals.push((format!("the delimiter of {name}"), vec![delimiter]));
                every.push(e.value.end..e.end);
            }
            if let Body::Sequence { items, .. } = &e.body {
                for (i, item) in items.iter().enumerate() {
                    let delimiter = item.end - 8..item.end;
                    if base.plain.get(delimiter.clone()).map(|d| &d[2..4])
                        != Some(&[0x0D, 0xE0][..])
                        && base.plain.get(delimiter.clone()).map(|d| &d[2..4])
                            != Some(&[0xE0, 0x0D][..])
                    {
                        continue;
                    }
                    let alone = delimiter.clone();
                    removals.push((format!("the delimiter of item {i} of {name}"), vec![alone]));
                    removals.push((
                        format!("the delimiters of item {i} and of {name}"),
                        vec![delimiter.clone(), e.value.end..e.end],
                    ));
                    every.push(delimiter);
                }
            }
        }
        removals.push(("every delimiter".to_string(), every));
        for (removed, mut ranges) in removals {
            ranges.sort_by_key(|r| r.start);
            let mut plain = Vec::new();
            let mut from = 0;
            for r in &ranges {
                plain.extend_from_slice(&base.plain[from..r.start]);
                from = r.end;
            }
            plain.extend_from_slice(&base.plain[from..]);
            for (run_name, run) in runs() {
                let what = format!("{}: without {removed}, {run_name}", base.name);
                let outcome = check(&run, &base.file(&plain), &what);
                cases += 1;
                if outcome.error().is_none() {
                    assert!(!outcome.warnings().is_empty(), "{what}: no warning");
                }
            }
        }
    }
    eprintln!("missing delimiters: {cases} cases");
}

// ---------------------------------------------------------------------------------------
// Regressions found by this suite and by fuzzing
// ---------------------------------------------------------------------------------------

#[test]
fn regression_data_set_shorter_than_a_header_blamed_on_the_meta_group() {
    // A Deflated data set that compresses to 2 bytes (an empty one), or any data set of fewer
    // than 8 bytes: the meta reader took those bytes for a cut-off meta element and refused
    // the file with "the data ends in the middle of an element header" at the meta's end.
    let run = deidentifier(Options::basic());
    let empty = Base::new("deflated", DEFLATED, Vec::new()).whole();
    let Outcome::Read { .. } = check(&run, &empty, "empty deflated data set") else {
        panic!("an empty Deflated data set is refused");
    };
    let mut stray = Base::new("explicit LE", EXPLICIT_LE, Vec::new()).whole();
    stray.extend_from_slice(&[0x08, 0x00, 0x05]);
    let outcome = check(&run, &stray, "3 bytes after the meta group");
    assert!(outcome.error().is_none(), "{:?}", outcome.error());
    assert!(outcome
        .warnings()
        .iter()
        .any(|w| w.contains("3 stray bytes")));
}

#[test]
fn regression_patient_name_pulled_into_a_sequence_leaks_in_kept_text() {
    // A sequence and item of undefined length without delimiters swallow the rest of the
    // file, Patient's Name included. The identity was collected from the top level only, so
    // a kept text value in the same item repeating the name was no longer recognised.
    let e = Enc::ExplicitLe;
    let plain = dataset(
        e,
        &[
            e.element(REFERENCED_STUDY_SEQUENCE, b"SQ", &[], Some(u32::MAX)),
            e.marker(0xE000, u32::MAX),
            e.element(PATIENT_NAME, b"PN", b"DOE^JOHN", None),
            e.element(Tag(0x0040, 0xA160), b"UT", b"JOHN DOE FELL", None),
        ],
    );
    let input = Base::new("explicit LE", EXPLICIT_LE, plain).whole();
    let outcome = check(
        &deidentifier(Options::basic()),
        &input,
        "name inside an open item",
    );
    assert!(
        !outcome.warnings().is_empty(),
        "the missing delimiters are not mentioned"
    );
}
