//! Issue 10: the patient's identity written every other way. Each test builds its own
//! synthetic file, and checks three things: `inspect` reports the element, the identifying
//! text is gone from the de-identified output (read back and decoded by dicom-object, and in
//! the raw bytes), and the re-check of the output (`residual`) finds nothing left.

use dicom_leakcheck_testkit as common;

use common::*;
use dicom_core::{Tag, VR};
use dicom_leakcheck::inspect;

const STUDY_DESCRIPTION: Tag = Tag(0x0008, 0x1030);
const IMAGE_COMMENTS: Tag = Tag(0x0020, 0x4000);
const SPECIFIC_CHARACTER_SET: Tag = Tag(0x0008, 0x0005);
const PROCEDURE_CODE_SEQUENCE: Tag = Tag(0x0008, 0x1032);
const CODE_VALUE: Tag = Tag(0x0008, 0x0100);
const CODE_MEANING: Tag = Tag(0x0008, 0x0104);
/// Philips Imaging DD 097 (2001,xx2F) "Volume Mask Data", OB: safe in PS3.15 Table E.3.10-1.
const SAFE_PRIVATE_CREATOR: Tag = Tag(0x2001, 0x0010);
const SAFE_PRIVATE_OB: Tag = Tag(0x2001, 0x102F);

#[test]
fn regression_name_glued_to_other_letters_is_masked() {
    let dataset = sample_with([
        text(PATIENT_NAME, VR::PN, "SMITH^JOHN"),
        text(WINDOW_EXPLANATION, VR::LO, "REVIEWSMITHJOHN"),
        text(STUDY_DESCRIPTION, VR::LO, "SMITHFOLLOWUP"),
        text(
            IMAGE_COMMENTS,
            VR::LT,
            "reviewed by JOHNSON; codecSmith2 test",
        ),
        text(SAFE_PRIVATE_CREATOR, VR::LO, "Philips Imaging DD 097"),
        binary(
            SAFE_PRIVATE_OB,
            VR::OB,
            b"\x01\x02CODECSMITH\x00\x00".to_vec(),
        ),
    ]);
    let (report, done) = run_checked(&dataset, &["retain-safe-private", "clean-descriptors"]);
    for path in ["(0028,1055)", "(0008,1030)", "(0020,4000)", "(2001,102F)"] {
        assert_reported(&report, path);
    }
    assert_gone(&done, &["SMITH"]);
    assert_eq!(output_value(&done, WINDOW_EXPLANATION), "REVIEWXXXXXXXXX");
    // Another name that merely starts with the given name stays.
    assert!(output_value(&done, IMAGE_COMMENTS).contains("JOHNSON"));
}

#[test]
fn regression_short_name_parts_are_masked_next_to_the_name_or_a_label() {
    let dataset = sample_with([
        text(PATIENT_NAME, VR::PN, "XU^LI"),
        text(WINDOW_EXPLANATION, VR::LO, "seen by Li Xu, CLINIC LI-2"),
        text(STUDY_DESCRIPTION, VR::LO, "LIXU follow-up"),
        text(IMAGE_COMMENTS, VR::LT, "Patient: Ng"),
        text(Tag(0x0010, 0x1001), VR::PN, "NG^O"),
    ]);
    let (report, done) = run_checked(&dataset, &["clean-descriptors"]);
    assert_reported(&report, "(0028,1055)");
    assert_reported(&report, "(0008,1030)");
    assert_reported(&report, "(0020,4000)");
    let explanation = output_value(&done, WINDOW_EXPLANATION);
    // "CLINIC" keeps its "LI"; "LI-2" alone, with no other part of the name next to it, stays.
    assert_eq!(explanation, "seen by XX XX, CLINIC LI-2");
    assert_eq!(output_value(&done, STUDY_DESCRIPTION), "XXXX follow-up");
    assert_eq!(output_value(&done, IMAGE_COMMENTS), "Patient: XX");
}

#[test]
fn regression_cjk_name_without_or_with_a_moved_space_is_masked() {
    let dataset = sample_with([
        text(SPECIFIC_CHARACTER_SET, VR::CS, "ISO_IR 192"),
        text(PATIENT_NAME, VR::PN, "Hasegawa^Kentaro=長谷川^健太郎"),
        text(WINDOW_EXPLANATION, VR::LO, "長谷川健太郎"),
        text(STUDY_DESCRIPTION, VR::LO, "長谷 川健太郎 頭部"),
        text(IMAGE_COMMENTS, VR::LT, "健太郎長谷川"),
    ]);
    let (report, done) = run_checked(&dataset, &["clean-descriptors"]);
    for path in ["(0028,1055)", "(0008,1030)", "(0020,4000)"] {
        assert_reported(&report, path);
    }
    assert_gone(&done, &["長谷", "健太郎", "HASEGAWA"]);
    assert!(output_value(&done, STUDY_DESCRIPTION).ends_with("頭部"));
}

#[test]
fn regression_patient_id_without_separators_or_as_digits_is_masked() {
    let procedure = sequence(
        PROCEDURE_CODE_SEQUENCE,
        vec![item([
            text(CODE_VALUE, VR::SH, "12345"),
            text(Tag(0x0008, 0x0102), VR::SH, "LOCAL"),
            text(CODE_MEANING, VR::LO, "Order AB12345"),
        ])],
    );
    let dataset = sample_with([
        text(PATIENT_ID, VR::LO, "AB-12345"),
        text(WINDOW_EXPLANATION, VR::LO, "AB12345 W/L"),
        procedure,
        // A number that merely contains the digits is not the ID.
        text(IMAGE_COMMENTS, VR::LT, "dose 123456 uGy"),
    ]);
    let (report, done) = run_checked(&dataset, &["clean-descriptors"]);
    assert_reported(&report, "(0028,1055)");
    assert_reported(&report, "(0008,1032)[0].(0008,0100)");
    assert_reported(&report, "(0008,1032)[0].(0008,0104)");
    assert_gone(&done, &["AB12345", "AB-12345", "12345\0", "12345 "]);
    assert!(output_value(&done, IMAGE_COMMENTS).contains("123456"));
}

#[test]
fn regression_birth_date_in_other_spellings_is_masked() {
    let comments = "born 3 Mar 1961; DOB19610303; 03-MAR-1961; March 3rd, 1961";
    let dataset = sample_with([
        text(PATIENT_BIRTH_DATE, VR::DA, "19610303"),
        text(WINDOW_EXPLANATION, VR::LO, "DOB 03/03/1961"),
        text(IMAGE_COMMENTS, VR::LT, comments),
        text(STUDY_DESCRIPTION, VR::LO, "seen 4 Mar 1961"),
    ]);
    let (report, done) = run_checked(&dataset, &["clean-descriptors"]);
    assert_reported(&report, "(0028,1055)");
    assert_reported(&report, "(0020,4000)");
    assert_gone(&done, &["03/03", "DOB1961", "MAR-1961", "3 MAR", "MARCH"]);
    assert!(!output_value(&done, IMAGE_COMMENTS).contains("1961"));
    // Another date is not the birth date.
    assert_eq!(output_value(&done, STUDY_DESCRIPTION), "seen 4 Mar 1961");

    let dataset = sample_with([
        text(PATIENT_BIRTH_DATE, VR::DA, "20040809"),
        text(WINDOW_EXPLANATION, VR::LO, "Aug 9, 2004"),
        text(IMAGE_COMMENTS, VR::LT, "9 August 2004"),
    ]);
    let (report, done) = run_checked(&dataset, &["clean-descriptors"]);
    assert_reported(&report, "(0028,1055)");
    assert_reported(&report, "(0020,4000)");
    assert_gone(&done, &["2004"]);
}

#[test]
fn regression_decomposed_utf8_name_matches_the_composed_name() {
    let composed = "JOS\u{c9}^MAR\u{cd}A";
    let decomposed = "JOSE\u{301} and MARI\u{301}A";
    let dataset = sample_with([
        text(SPECIFIC_CHARACTER_SET, VR::CS, "ISO_IR 192"),
        text(PATIENT_NAME, VR::PN, composed),
        text(WINDOW_EXPLANATION, VR::LO, decomposed),
    ]);
    let (report, done) = run_checked(&dataset, &[]);
    assert_reported(&report, "(0028,1055)");
    assert_gone(&done, &["JOSE", "JOS\u{c9}", "MARI", "MAR\u{cd}"]);
    // One X per character as written: the decomposed "I" + accent are two.
    assert_eq!(output_value(&done, WINDOW_EXPLANATION), "XXXXX and XXXXXX");
}

/// Seconds to inspect a file whose name has `parts` components, with a long comment.
fn inspect_seconds(parts: usize, comment: &str) -> f64 {
    let name: Vec<String> = (0..parts).map(|i| format!("P{i}Q")).collect();
    let dataset = sample_with([
        text(PATIENT_NAME, VR::PN, &name.join("^")),
        text(IMAGE_COMMENTS, VR::UT, comment),
    ]);
    let input = part10(&dataset, EXPLICIT_LE);
    let started = std::time::Instant::now();
    let report = inspect(&input, options(&["clean-descriptors"])).expect("parses");
    assert!(report.summary.elements > 0);
    started.elapsed().as_secs_f64()
}

#[test]
fn regression_matching_stays_linear_on_thousands_of_parts_and_huge_texts() {
    // Glued words, short parts and name-like runs everywhere: the worst case for the context
    // rules. Four times the text must cost about four times as much, not sixteen.
    let unit = "P1QP2Q P3Q^LI XU CLINICLI 19610303 REVIEWP4Q ";
    let small = unit.repeat(4_000);
    let large = unit.repeat(16_000);
    let (a, b) = (
        inspect_seconds(5_000, &small),
        inspect_seconds(5_000, &large),
    );
    assert!(b < 10.0, "a 700 KB comment took {b:.2}s");
    assert!(b < a * 10.0 + 0.5, "4x the text took {a:.3}s -> {b:.3}s");
}
