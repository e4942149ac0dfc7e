//! Damaged files still name people (issue 10, class 14): a file cut off inside its Pixel
//! Data, or with a broken item, is refused by `check`, but what comes before the damage is
//! read and reported, with plain words on what cleaning can and cannot do.

use dicom_leakcheck_testkit as common;

use common::*;
use dicom_core::VR;
use dicom_leakcheck::sample::sample_file;
use dicom_leakcheck::{check, inspect_damaged, Error, Options, Request};

fn refused(bytes: &[u8]) -> dicom_leakcheck::ParseError {
    match check(bytes, &Request::deidentify(Options::basic(), key(1))) {
        Err(Error::Parse(e)) => e,
        other => panic!(
            "a damaged file must be refused with a parse error: {:?}",
            other.map(|_| ())
        ),
    }
}

#[test]
fn regression_a_file_cut_inside_its_pixel_data_names_its_patient() {
    // Before: "could not be read", and nothing about whom it names.
    let sample = sample_file();
    let cut = &sample[..sample.len() - 1000];
    let error = refused(cut);
    let damaged = inspect_damaged(cut, &error, Options::basic()).expect("the header is read");
    let summary = &damaged.report.summary;
    assert_eq!(summary.patient_name.as_deref(), Some("DOE JOHN"));
    assert_eq!(summary.patient_id.as_deref(), Some("LC-12345"));
    assert!(summary.flagged > 20, "{}", summary.flagged);
    assert!(
        damaged.report.pixel_data.is_none(),
        "the damaged Pixel Data is not part of it"
    );
    let text = &damaged.text;
    assert!(
        text.starts_with(
            "This file is damaged, but it names DOE JOHN (ID LC-12345, born 1970-01-01)."
        ),
        "{text}"
    );
    assert!(text.contains("image data is cut short"), "{text}");
    assert!(text.contains("no cleaned copy is written"), "{text}");
    // The part read is exactly the header: up to where Pixel Data starts.
    assert_eq!(Some(damaged.readable_bytes), error.offset);
    // Only the bytes up to the damage are needed (a caller reading by ranges reads no more).
    let again = inspect_damaged(&cut[..damaged.readable_bytes], &error, Options::basic()).unwrap();
    assert_eq!(again.text, damaged.text);
}

#[test]
fn a_damage_inside_a_sequence_reads_what_comes_before_the_sequence() {
    // An item that claims more bytes than its sequence holds, after the patient's elements.
    let dataset = sample_with([sequence(
        CONTENT_SEQUENCE,
        vec![item([text(PERSON_NAME, VR::PN, "ROE^JANE")])],
    )]);
    let mut bytes = part10(&dataset, EXPLICIT_LE);
    let sequence = find_bytes(&bytes, &[0x40, 0x00, 0x30, 0xA7]).expect("the sequence");
    let item =
        sequence + find_bytes(&bytes[sequence..], &[0xFE, 0xFF, 0x00, 0xE0]).expect("its item");
    bytes[item + 4..item + 8].copy_from_slice(&0x7FFF_0000u32.to_le_bytes());
    let error = refused(&bytes);
    let damaged = inspect_damaged(&bytes, &error, Options::basic()).expect("the elements before");
    assert_eq!(
        damaged.report.summary.patient_name.as_deref(),
        Some("DOE JOHN")
    );
    // Read up to the damage, the item's elements before it included.
    assert!(damaged.readable_bytes > item, "{error}");
    assert_eq!(Some(damaged.readable_bytes), error.offset);
    assert!(
        damaged
            .text
            .contains("What follows the damage cannot be read"),
        "{}",
        damaged.text
    );
}

#[test]
fn a_damage_inside_a_defined_length_sequence_is_cut_before_the_sequence() {
    // A name whose length runs past its item, in a sequence of defined length: the first cut
    // (at the name) falls inside the sequence, which then runs past the end; the second cut,
    // at the sequence, leaves the patient's elements.
    let mut dataset = minimal_le_header("2.25.42");
    dataset.extend(explicit_le(PATIENT_NAME, b"PN", b"DOE^JOHN"));
    dataset.extend(explicit_le(PATIENT_ID, b"LO", b"LC-12345"));
    let mut name = explicit_le(PERSON_NAME, b"PN", b"ROE^JANE");
    name[6..8].copy_from_slice(&0x4000u16.to_le_bytes());
    let mut item = item_le(name.len() as u32);
    item.extend(&name);
    let sequence_at = dataset.len();
    dataset.extend(explicit_le(CONTENT_SEQUENCE, b"SQ", &item));
    let bytes = part10_from_raw("2.25.42", EXPLICIT_LE, &dataset);
    let error = refused(&bytes);
    let damaged = inspect_damaged(&bytes, &error, Options::basic()).expect("the elements before");
    let header = bytes.len() - dataset.len();
    assert_eq!(damaged.readable_bytes, header + sequence_at, "{error}");
    assert_eq!(
        damaged.report.summary.patient_id.as_deref(),
        Some("LC-12345")
    );
    assert!(
        damaged.text.contains("names DOE JOHN (ID LC-12345)"),
        "{}",
        damaged.text
    );
}

#[test]
fn nothing_readable_before_the_damage_gives_nothing() {
    let sample = sample_file();
    // Cut inside the meta group.
    let cut = &sample[..150];
    match check(cut, &Request::inspect(Options::basic())) {
        Err(Error::Parse(e)) => assert!(inspect_damaged(cut, &e, Options::basic()).is_none()),
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("a file cut inside its meta group is refused"),
    }
}
