//! Hand-made damage in every encoding: odd lengths, wrong VRs, non-ASCII text, bad dates.

use crate::common::*;
use crate::encode::*;
use crate::support::*;
use dicom_core::{Tag, VR};
use dicom_leakcheck::{Options, ParseErrorKind};

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
            assert_eq!(e.kind, ParseErrorKind::UnexpectedTag, "{name}: {what}: {e}");
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
