//! The summary's keys for grouping files into patient, study and series, and its plain words:
//! what kind of object a file is, and a placeholder patient name that names nobody.

use dicom_core::{Tag, VR};
use dicom_leakcheck::sample::{SAMPLE_SERIES_INSTANCE_UID, SAMPLE_STUDY_INSTANCE_UID};
use dicom_leakcheck::{inspect, Options};
use dicom_leakcheck_testkit::*;

const MODALITY: Tag = Tag(0x0008, 0x0060);

fn summary_of(bytes: &[u8]) -> dicom_leakcheck::Summary {
    inspect(bytes, Options::basic()).expect("inspects").summary
}

#[test]
fn the_sample_gives_its_study_series_and_instance() {
    let s = summary_of(&part10(&sample_with([]), EXPLICIT_LE));
    assert_eq!(
        s.study_instance_uid.as_deref(),
        Some(SAMPLE_STUDY_INSTANCE_UID)
    );
    assert_eq!(
        s.series_instance_uid.as_deref(),
        Some(SAMPLE_SERIES_INSTANCE_UID)
    );
    assert_eq!(s.series_description.as_deref(), Some("AXIAL 5MM"));
    assert_eq!(s.series_number, Some(1));
    assert_eq!(s.instance_number, Some(1));
    assert_eq!(s.sop_class_uid.as_deref(), Some(CT_IMAGE_STORAGE));
    assert_eq!(s.kind.as_deref(), Some("CT scan"));
    assert!(s.text.contains(", CT scan at ST. ELSEWHERE"), "{}", s.text);
    // The JSON contract is extended, never renamed: the old fields are all still there.
    let json = serde_json::to_value(&s).expect("serializes");
    for field in [
        "patient_name",
        "modality",
        "study_description",
        "verdict",
        "text",
        "says_deidentified",
    ] {
        assert!(json.get(field).is_some(), "{field} kept");
    }
    assert_eq!(json["series_number"], 1);
}

#[test]
fn numbers_that_are_not_numbers_are_left_out() {
    let s = summary_of(&part10(
        &sample_with([text(Tag(0x0020, 0x0013), VR::IS, "x12")]),
        EXPLICIT_LE,
    ));
    assert_eq!(s.instance_number, None);
}

#[test]
fn a_structured_report_and_an_other_image_say_what_they_are() {
    let sr = sample_with([
        text(SOP_CLASS_UID, VR::UI, "1.2.840.10008.5.1.4.1.1.88.33"),
        text(MODALITY, VR::CS, "SR"),
    ]);
    let s = summary_of(&part10(&sr, EXPLICIT_LE));
    assert_eq!(s.kind.as_deref(), Some("Structured report"));
    assert_eq!(s.modality.as_deref(), Some("SR"), "the code itself is kept");
    assert!(s.text.contains(", structured report at"), "{}", s.text);
    assert!(!s.text.contains("SR scan"), "{}", s.text);

    let other = sample_with([
        text(MODALITY, VR::CS, "OT"),
        text(SOP_CLASS_UID, VR::UI, "1.2.840.10008.5.1.4.1.1.7"),
    ]);
    assert_eq!(
        summary_of(&part10(&other, EXPLICIT_LE)).kind.as_deref(),
        Some("Other/secondary image")
    );
}

#[test]
fn this_file_names_anonymized_is_not_said() {
    for placeholder in ["Anonymized", "ANONYMOUS", "removed", "Anonymous^Patient"] {
        let bytes = part10(
            &sample_with([text(PATIENT_NAME, VR::PN, placeholder)]),
            EXPLICIT_LE,
        );
        let s = summary_of(&bytes);
        assert_eq!(s.patient_name, None, "{placeholder} is no name");
        assert_eq!(s.patient_name_placeholder.as_deref(), Some(placeholder));
        assert!(
            !s.text.contains(&format!("names {placeholder}")),
            "{}",
            s.text
        );
        assert!(
            s.text
                .starts_with("The patient's name was already removed from this file"),
            "{}",
            s.text
        );
        assert!(
            s.text
                .contains("but the patient ID LC-12345 is still there"),
            "{}",
            s.text
        );
    }
    // A real name stays a name.
    let s = summary_of(&part10(
        &sample_with([text(PATIENT_NAME, VR::PN, "ANON^MARY")]),
        EXPLICIT_LE,
    ));
    assert_eq!(s.patient_name.as_deref(), Some("ANON MARY"));
    assert_eq!(s.patient_name_placeholder, None);
}

#[test]
fn a_dicomdir_is_named_from_its_file_meta() {
    let dataset = item([
        text(Tag(0x0004, 0x1130), VR::CS, "CD1"),
        sequence(
            Tag(0x0004, 0x1220),
            vec![item([
                text(Tag(0x0004, 0x1430), VR::CS, "PATIENT"),
                text(PATIENT_NAME, VR::PN, "DOE^JOHN"),
                text(PATIENT_ID, VR::LO, "LC-12345"),
            ])],
        ),
    ]);
    let mut bytes =
        dicom_leakcheck::meta::file_meta_bytes("1.2.840.10008.1.3.10", "2.25.77", EXPLICIT_LE);
    bytes.extend(raw_dataset(&dataset, EXPLICIT_LE));
    let s = summary_of(&bytes);
    assert_eq!(s.sop_class_uid.as_deref(), Some("1.2.840.10008.1.3.10"));
    assert_eq!(s.kind.as_deref(), Some("Folder index (DICOMDIR)"));
    assert_eq!(s.series_instance_uid, None);
}
