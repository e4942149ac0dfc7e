//! The malformed-file suite: table-driven damage to synthetic files in every transfer syntax
//! (implicit LE, explicit LE, explicit BE, deflated, encapsulated). `tests/malformed.rs` holds
//! the older single cases (every-offset truncation of the sample, random bytes, depth); this
//! suite damages structure on purpose and checks, for every input, the rules in
//! `malformed_support::check`: no panic, a clear error naming what and where, or a result
//! with a warning when data was dropped, and an output that parses and leaks no PHI.

mod common;
mod malformed_support;

use common::*;
use dicom_core::{Tag, VR};
use dicom_leakcheck::parse::{Body, Element};
use dicom_leakcheck::Options;
use malformed_support::*;

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
        for _ in 0..120 {
            let cut = rng.below(file.len());
            let what = format!("{}: file cut at byte {cut} of {}", base.name, file.len());
            let outcome = check(&run, &file[..cut], &what);
            cases += 1;
            if cut < 132 {
                let e = outcome.error().unwrap_or_else(|| panic!("{what}: read"));
                assert!(e.not_dicom, "{what}: {e}");
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
                    assert!(e2.message.contains(&declared.to_string()), "{what}: {e2}");
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
// Hand-made damage in every encoding
// ---------------------------------------------------------------------------------------

/// The three element encodings, and Deflated (Explicit VR Little Endian, compressed).
fn encodings() -> Vec<(&'static str, Enc, &'static str)> {
    vec![
        ("implicit LE", Enc::ImplicitLe, IMPLICIT_LE),
        ("explicit LE", Enc::ExplicitLe, EXPLICIT_LE),
        ("explicit BE", Enc::ExplicitBe, EXPLICIT_BE),
        ("deflated", Enc::ExplicitLe, DEFLATED),
    ]
}

/// SOP Class and Instance UIDs, then `rest`.
fn dataset(enc: Enc, rest: &[Vec<u8>]) -> Vec<u8> {
    let mut out = enc.element(SOP_CLASS_UID, b"UI", b"1.2.840.10008.5.1.4.1.1.2\0", None);
    out.extend(enc.element(SOP_INSTANCE_UID, b"UI", b"2.25.777", None));
    for part in rest {
        out.extend_from_slice(part);
    }
    out
}

/// Runs one hand-made data set through every Deidentifier; returns the outcomes.
fn run_case(name: &'static str, uid: &str, plain: Vec<u8>, what: &str) -> Vec<Outcome> {
    let base = Base::new(name, uid, plain);
    runs()
        .into_iter()
        .map(|(run_name, run)| check(&run, &base.whole(), &format!("{name}: {what}, {run_name}")))
        .collect()
}

#[test]
fn odd_length_values_and_fragments() {
    let mut cases = 0;
    for (name, enc, uid) in encodings() {
        let odd: Vec<(&str, Vec<Vec<u8>>)> = vec![
            (
                "odd PN, then more elements",
                vec![
                    enc.element(PATIENT_NAME, b"PN", b"DOE^JOH", None),
                    enc.element(PATIENT_ID, b"LO", b"LC-12345", None),
                ],
            ),
            (
                "odd UI without padding",
                vec![enc.element(STUDY_INSTANCE_UID, b"UI", b"1.2.345", None)],
            ),
            (
                "odd private OB",
                vec![
                    enc.element(Tag(0x0009, 0x0010), b"LO", b"ACME", None),
                    enc.element(Tag(0x0009, 0x1002), b"OB", b"DOE", None),
                ],
            ),
            (
                "odd item length",
                vec![
                    enc.element(REFERENCED_STUDY_SEQUENCE, b"SQ", &[], Some(u32::MAX)),
                    enc.marker(0xE000, 11),
                    enc.element(PATIENT_ID, b"LO", b"LC-", None),
                    enc.marker(0xE0DD, 0),
                ],
            ),
        ];
        for (what, rest) in odd {
            run_case(name, uid, dataset(enc, &rest), what);
            cases += 2;
        }
    }
    // Odd fragments and an odd Basic Offset Table: encapsulated syntaxes are Explicit VR LE.
    let e = Enc::ExplicitLe;
    for (what, table, fragment) in [
        ("odd fragment", 0_usize, 3_usize),
        ("odd offset table", 5, 4),
        ("both odd", 3, 1),
    ] {
        let plain = dataset(
            e,
            &[
                e.element(PATIENT_NAME, b"PN", b"DOE^JOHN", None),
                e.element(PIXEL_DATA, b"OB", &[], Some(u32::MAX)),
                e.marker(0xE000, table as u32),
                vec![0; table],
                e.marker(0xE000, fragment as u32),
                vec![0xFF; fragment],
                e.marker(0xE0DD, 0),
            ],
        );
        for outcome in run_case("encapsulated", JPEG_BASELINE, plain, what) {
            // Fragment sizes are the codec's business: they are skipped, never refused.
            assert!(outcome.error().is_none(), "{what}: {:?}", outcome.error());
            cases += 1;
        }
    }
    eprintln!("odd lengths: {cases} cases");
}

#[test]
fn wrong_vrs() {
    let mut cases = 0;
    // Implicit VR has no VR to get wrong.
    for (name, enc, uid) in encodings().into_iter().skip(1) {
        let table: Vec<(&str, Vec<Vec<u8>>)> = vec![
            (
                "PN declared as US",
                vec![enc.element(PATIENT_NAME, b"US", b"DOE^JOHN", None)],
            ),
            (
                "PN declared as OB",
                vec![enc.element(PATIENT_NAME, b"OB", b"DOE^JOHN", None)],
            ),
            (
                "DA declared as FD",
                vec![enc.element(PATIENT_BIRTH_DATE, b"FD", b"19700101", None)],
            ),
            (
                "UN with garbage for a date",
                vec![enc.element(STUDY_DATE, b"UN", b"\xFF\x00DOE\x01\x02\x03", None)],
            ),
            (
                "UN with garbage for a sequence",
                vec![enc.element(CONTENT_SEQUENCE, b"UN", b"\xFE\xFF\x00\xE0DOE^JOHN", None)],
            ),
            (
                "an unknown VR",
                vec![enc.element(PATIENT_NAME, b"Q9", b"DOE^JOHN", None)],
            ),
        ];
        for (what, rest) in table {
            run_case(name, uid, dataset(enc, &rest), what);
            cases += 2;
        }
        // SQ whose contents are not items: refused, naming the sequence and the byte.
        let before = dataset(enc, &[]).len();
        for (what, sequence) in [
            (
                "SQ of defined length holding an element",
                enc.element(
                    PATIENT_ID,
                    b"SQ",
                    &enc.element(PATIENT_NAME, b"PN", b"DOE^JOHN", None),
                    None,
                ),
            ),
            ("SQ of undefined length holding an element", {
                let mut s = enc.element(PATIENT_ID, b"SQ", &[], Some(u32::MAX));
                s.extend(enc.element(PATIENT_NAME, b"PN", b"DOE^JOHN", None));
                s
            }),
        ] {
            let base = Base::new(name, uid, dataset(enc, &[sequence]));
            let outcome = check(&deidentifier(Options::basic()), &base.whole(), what);
            let e = outcome
                .error()
                .unwrap_or_else(|| panic!("{name}: {what}: read"));
            assert_eq!(e.tag, Some(0x0010_0020), "{name}: {what}: {e}");
            assert!(
                e.message.contains("expected a sequence item"),
                "{name}: {what}: {e}"
            );
            let at = base.reported(before + 12);
            assert_eq!(e.offset, Some(at), "{name}: {what}: {e}");
            cases += 1;
        }
    }
    eprintln!("wrong VRs: {cases} cases");
}

#[test]
fn non_ascii_bytes_in_ascii_vrs_in_every_encoding() {
    let mut cases = 0;
    for (name, enc, uid) in encodings() {
        let plain = dataset(
            enc,
            &[
                enc.element(STUDY_DATE, b"DA", b"2024\xC9\xFF02", None),
                enc.element(Tag(0x0008, 0x0060), b"CS", b"\xC3\xA9T", None),
                enc.element(PATIENT_NAME, b"PN", b"DOE^JOHN", None),
                enc.element(STUDY_INSTANCE_UID, b"UI", b"1.2.\xFF\x80.3\0", None),
                enc.element(SERIES_INSTANCE_UID, b"UI", b"\xFF\xFE\xFD\xFC", None),
            ],
        );
        for (run_name, run) in [
            ("basic", deidentifier(Options::basic())),
            (
                "modified dates",
                deidentifier(options(&["retain-long-modified-dates"])),
            ),
            ("retain UIDs", deidentifier(options(&["retain-uids"]))),
        ] {
            let base = Base::new(name, uid, plain.clone());
            let what = format!("{name}: non-ASCII in CS, DA, UI, {run_name}");
            let Outcome::Read { output, .. } = check(&run, &base.whole(), &what) else {
                panic!("{what}: non-ASCII text is refused");
            };
            if run_name != "retain UIDs" {
                let out = read_back(&output);
                for tag in [STUDY_INSTANCE_UID, SERIES_INSTANCE_UID] {
                    let uid = string_of(&out, tag).unwrap_or_default();
                    assert!(
                        uid.is_ascii() && uid.starts_with("2.25."),
                        "{what}: {uid:?}"
                    );
                }
            }
            cases += 1;
        }
    }
    eprintln!("non-ASCII: {cases} cases");
}

#[test]
fn dates_that_are_not_dates() {
    let mut cases = 0;
    let values = [
        "1990/01/",
        "19900230",
        "",
        "2024",
        "99999999",
        "20240101-2024",
        "\\",
        "1990-01-01",
    ];
    let tags = [
        (STUDY_DATE, VR::DA, ""),
        (Tag(0x0008, 0x0023), VR::DA, ""),
        (Tag(0x0008, 0x002A), VR::DT, "120000"),
    ];
    for value in values {
        for (tag, vr, suffix) in tags {
            let value = if value.is_empty() {
                String::new()
            } else {
                format!("{value}{suffix}")
            };
            let input = part10(&sample_with([text(tag, vr, &value)]), EXPLICIT_LE);
            for (run_name, run) in [
                ("basic", deidentifier(Options::basic())),
                (
                    "modified dates",
                    deidentifier(options(&["retain-long-modified-dates"])),
                ),
                (
                    "full dates",
                    deidentifier(options(&["retain-long-full-dates"])),
                ),
            ] {
                let what = format!(
                    "{} = {value:?}, {run_name}",
                    tag_of((u32::from(tag.0) << 16) | u32::from(tag.1))
                );
                let outcome = check(&run, &input, &what);
                let Outcome::Read {
                    output, warnings, ..
                } = outcome
                else {
                    panic!("{what}: a bad date is refused");
                };
                cases += 1;
                let after = string_of(&read_back(&output), tag).unwrap_or_default();
                match run_name {
                    "full dates" => assert_eq!(after, value.trim(), "{what}: kept as it was"),
                    // No digits at all: nothing to leak; emptied, kept or a dummy.
                    _ if !value.chars().any(|c| c.is_ascii_digit()) => {}
                    _ => {
                        assert_ne!(after, value, "{what}: the bad date went through");
                        if run_name == "modified dates" && !after.is_empty() && !warnings.is_empty()
                        {
                            // A replaced date is a dummy or a shifted real one: digits.
                            assert!(
                                after
                                    .chars()
                                    .all(|c| c.is_ascii_digit() || c == '.' || c == '-'),
                                "{what}: {after:?}"
                            );
                        }
                    }
                }
            }
        }
    }
    eprintln!("dates: {cases} cases");
}

// ---------------------------------------------------------------------------------------
// Not quite files, not DICOM, broken meta groups
// ---------------------------------------------------------------------------------------

#[test]
fn files_of_0_1_131_132_and_133_bytes() {
    let run = deidentifier(Options::basic());
    let sample = dicom_leakcheck::sample::sample_file();
    let mut preamble_dicm = vec![0u8; 128];
    preamble_dicm.extend_from_slice(b"DICM");
    let inputs: Vec<(&str, Vec<u8>, bool)> = vec![
        ("empty", vec![], true),
        ("one zero byte", vec![0], true),
        ("one 'D'", b"D".to_vec(), true),
        ("131 bytes of the sample", sample[..131].to_vec(), true),
        ("131 zero bytes", vec![0; 131], true),
        ("132 bytes: preamble and DICM", preamble_dicm.clone(), false),
        (
            "133 bytes: preamble, DICM and one byte",
            [&preamble_dicm[..], &[2]].concat(),
            false,
        ),
        ("133 bytes of the sample", sample[..133].to_vec(), false),
        ("\"DICM\" alone", b"DICM".to_vec(), false),
    ];
    for (what, input, not_dicom) in inputs {
        let outcome = check(&run, &input, what);
        let e = outcome.error().unwrap_or_else(|| panic!("{what}: read"));
        assert_eq!(e.not_dicom, not_dicom, "{what}: {e}");
        if input.is_empty() {
            assert!(e.message.contains("empty"), "{what}: {e}");
        }
    }
}

#[test]
fn other_file_formats_are_not_dicom() {
    let run = deidentifier(Options::basic());
    let mut zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00".to_vec();
    zip.extend_from_slice(&[0x21; 20]);
    zip.extend_from_slice(b"patient.dcm");
    let inputs: Vec<(&str, Vec<u8>)> = vec![
        ("zip", zip),
        (
            "empty zip",
            b"PK\x05\x06".iter().copied().chain([0; 18]).collect(),
        ),
        (
            "gzip",
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcb\x48\xcd\xc9\xc9\x07\x00".to_vec(),
        ),
        (
            "jpeg",
            b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xFF\xD9"
                .to_vec(),
        ),
        (
            "png",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01".to_vec(),
        ),
        (
            "elf",
            b"\x7FELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00".to_vec(),
        ),
        (
            "html",
            b"<!DOCTYPE html><html><body>DOE^JOHN</body></html>".to_vec(),
        ),
        (
            "utf-16 text",
            "\u{FEFF}Patient DOE"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes())
                .collect(),
        ),
        (
            "tiff",
            b"II*\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00".to_vec(),
        ),
    ];
    for (what, input) in inputs {
        let outcome = check(&run, &input, what);
        let e = outcome.error().unwrap_or_else(|| panic!("{what}: read"));
        assert!(e.not_dicom, "{what}: {e}");
        assert!(e.message.contains("not a DICOM file"), "{what}: {e}");
    }
    // A DICM marker followed by something else: DICOM by its marker, then a specific error.
    let mut input = vec![0u8; 128];
    input.extend_from_slice(b"DICM\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01");
    let outcome = check(&run, &input, "DICM then PNG");
    assert!(outcome.error().is_some(), "DICM then PNG was read");
}

/// The meta group with its (0002,0000) element patched to `value`.
fn with_group_length(file: &[u8], value: u32) -> Vec<u8> {
    let mut out = file.to_vec();
    out[140..144].copy_from_slice(&value.to_le_bytes());
    out
}

#[test]
fn meta_group_with_a_wrong_group_length() {
    let run = deidentifier(Options::basic());
    for base in bases() {
        let file = base.whole();
        let right = u32::from_le_bytes(file[140..144].try_into().unwrap());
        for wrong in [0, 2, right - 1, right + 1, right + 8, right * 4, u32::MAX] {
            let what = format!("{}: group length {wrong} instead of {right}", base.name);
            let outcome = check(&run, &with_group_length(&file, wrong), &what);
            // The group is read by its group number (PS3.10 7.1 makes the length Type 1, but
            // it is redundant): nothing is dropped, and the output's length is right.
            let Outcome::Read {
                output, warnings, ..
            } = outcome
            else {
                panic!("{what}: refused");
            };
            assert!(
                warnings.iter().any(|w| w.contains("Group Length")),
                "{what}: no warning: {warnings:?}"
            );
            let written = u32::from_le_bytes(output[140..144].try_into().unwrap());
            assert_eq!(144 + written as usize, meta_end(&output), "{what}");
            read_back(&output);
        }
    }
}

#[test]
fn transfer_syntax_uids_that_are_unknown_or_broken() {
    let run = deidentifier(Options::basic());
    let explicit = raw_dataset(&synthetic_dataset(), EXPLICIT_LE);
    let implicit = raw_dataset(&synthetic_dataset(), IMPLICIT_LE);
    for (uid, plain, readable) in [
        ("1.2.3.4.5.6.7", &explicit, true),
        ("1.2.840.10008.1.2.4.9999", &explicit, true),
        ("NOT A UID \u{e9}", &explicit, true),
        ("", &explicit, true),
        ("", &implicit, true),
        ("1.2.3.4.5.6.7", &implicit, false),
    ] {
        let base = Base::new("unknown syntax", EXPLICIT_LE, plain.clone());
        let mut file = dicom_leakcheck::meta::file_meta_bytes(CT_IMAGE_STORAGE, "2.25.777", uid);
        let meta_len = file.len();
        file.extend_from_slice(plain);
        let what = format!("transfer syntax {uid:?}");
        let outcome = check(&run, &file, &what);
        match (readable, outcome.error()) {
            (true, None) => {}
            (false, Some(e)) => {
                assert!(e.message.contains(uid), "{what}: {e}");
                assert_eq!(e.offset, Some(meta_len), "{what}: {e}");
            }
            (_, e) => panic!("{what}: {e:?}"),
        }
        if uid.is_empty() {
            assert!(
                outcome
                    .warnings()
                    .iter()
                    .any(|w| w.contains("Transfer Syntax UID")),
                "{what}: {:?}",
                outcome.warnings()
            );
        }
        drop(base);
    }
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

// ---------------------------------------------------------------------------------------
// A batch through the command line
// ---------------------------------------------------------------------------------------

#[test]
fn cli_batch_with_broken_files_among_good_ones() {
    use std::process::Command;
    let dir = TempDir::new("malformed-batch");
    let sample = dicom_leakcheck::sample::sample_file();
    let good: Vec<(&str, Vec<u8>)> = vec![
        ("good/explicit.dcm", sample.clone()),
        (
            "good/implicit.dcm",
            part10(&sibling_image("2.25.61", "20240303"), IMPLICIT_LE),
        ),
        (
            "good/deflated.dcm",
            part10(&sibling_image("2.25.62", "20240304"), DEFLATED),
        ),
        (
            "good/big-endian.dcm",
            part10(&sibling_image("2.25.63", "20240305"), EXPLICIT_BE),
        ),
    ];
    // Broken files, each with the exact error the library gives for it.
    let name_at = dicom_leakcheck::inspect(&sample, Options::basic())
        .unwrap()
        .elements
        .iter()
        .find(|f| f.path == "(0010,0010)")
        .unwrap()
        .offset;
    let mut lying = sample.clone();
    lying[name_at + 6..name_at + 8].copy_from_slice(&0xFFFF_u16.to_le_bytes());
    let e = Enc::ExplicitLe;
    let not_items = Base::new(
        "explicit LE",
        EXPLICIT_LE,
        dataset(
            e,
            &[e.element(
                PATIENT_ID,
                b"SQ",
                &e.element(PATIENT_NAME, b"PN", b"DOE^JOHN", None),
                None,
            )],
        ),
    )
    .whole();
    let mut garbage_deflate = Base::new("deflated", DEFLATED, Vec::new()).meta;
    garbage_deflate.extend_from_slice(b"\xFF\xFF\xFF\xFF not deflate at all");
    let broken: Vec<(&str, Vec<u8>)> = vec![
        ("broken/lying-length.dcm", lying),
        ("broken/sequence-of-elements.dcm", not_items),
        ("broken/not-deflate.dcm", garbage_deflate),
    ];
    // Readable with a warning: written.
    let open_item = Base::new(
        "explicit LE",
        EXPLICIT_LE,
        dataset(
            e,
            &[
                e.element(CONTENT_SEQUENCE, b"SQ", &[], Some(u32::MAX)),
                e.marker(0xE000, u32::MAX),
                e.element(PERSON_NAME, b"PN", b"DOE^JOHN", None),
            ],
        ),
    )
    .whole();
    for (path, bytes) in good.iter().chain(&broken) {
        dir.write(&format!("in/{path}"), bytes);
    }
    dir.write("in/odd/open-item.dcm", &open_item);
    dir.write("in/readme.txt", b"Scans of the study, see the ticket.\n");

    let out = dir.join("out");
    let output = Command::new(env!("CARGO_BIN_EXE_dicom-leakcheck"))
        .arg("deid")
        .arg("--out")
        .arg(&out)
        .arg(dir.join("in"))
        .output()
        .expect("the binary runs");
    let (says, errors) = (
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    );
    // README "Command line": exit 1 when some file failed.
    assert_eq!(output.status.code(), Some(1), "{says}\n{errors}");
    assert!(says.contains("de-identified 5 files"), "{says}");
    assert!(says.contains("3 failed; 1 non-DICOM skipped"), "{says}");
    for (path, bytes) in &broken {
        let expected = dicom_leakcheck::inspect(bytes, Options::basic()).expect_err(path);
        let full = dir.join(&format!("in/{path}")).display().to_string();
        let line = errors
            .lines()
            .find(|l| l.contains(&full))
            .unwrap_or_else(|| panic!("{path} is not named: {errors}"));
        assert!(
            line.contains(&expected.to_string()),
            "{path}: {line} lacks {expected}"
        );
        assert!(line.contains("at byte"), "{line}");
        assert!(!out.join(path).exists(), "{path} was written");
    }
    for (path, _) in good.iter().chain([&("odd/open-item.dcm", vec![])]) {
        let bytes = std::fs::read(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_no_phi_in_bytes(&readable_bytes(&bytes), &FAKE_PHI, path);
        read_back(&bytes);
    }
}
