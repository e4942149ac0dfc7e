//! Issue 10: identifying values in places the header rules did not look: dates outside Table
//! E.1-1, items with their own character set, retired elements stored as UN, UTF-16 text in
//! binary values, the per-patient date shift, and UIDs everywhere. Each test builds its own
//! synthetic file and checks the report, the output and the re-check (`residual`).

use dicom_leakcheck_testkit as common;

use common::*;
use dicom_core::{Tag, VR};

const SAFE_PRIVATE_CREATOR: Tag = Tag(0x2001, 0x0010);
/// Philips Imaging DD 097 (2001,xx2F) "Volume Mask Data", OB: safe in PS3.15 Table E.3.10-1.
const SAFE_PRIVATE_OB: Tag = Tag(0x2001, 0x102F);
/// View Code Sequence: not in Table E.1-1, so kept; its tag comes after every text element of
/// the sample, because dicom-object keeps an item's character set for the elements after it.
const VIEW_CODE_SEQUENCE: Tag = Tag(0x0054, 0x0220);

#[test]
fn regression_birth_date_in_date_elements_outside_the_table_is_replaced() {
    let dataset = sample_with([
        text(PATIENT_BIRTH_DATE, VR::DA, "19610303"),
        // An even-group element no dictionary knows, Expiry Date, Study Update DateTime.
        text(Tag(0x0042, 0x9999), VR::DA, "19610303"),
        text(Tag(0x0014, 0x1020), VR::DA, "19610303"),
        text(Tag(0x0008, 0x041F), VR::DT, "19610303101500"),
        // A kept date that is not the birth date stays.
        text(Tag(0x0014, 0x1010), VR::ST, "kept"),
        text(Tag(0x0018, 0x1203), VR::DA, "20200101"),
    ]);
    let (report, done) = run_checked(&dataset, &[]);
    for path in ["(0042,9999)", "(0014,1020)", "(0008,041F)"] {
        let f = finding(&report, path);
        assert!(f.flagged && f.action.as_deref() == Some("D"), "{f:?}");
    }
    assert_no_phi_in_bytes(&done.bytes, &["19610303"], "output bytes");
    let output = read_back(&done.bytes);
    assert_eq!(
        string_of(&output, Tag(0x0014, 0x1020)).as_deref(),
        Some("19000101")
    );
}

#[test]
fn regression_character_set_of_a_sequence_item_decodes_its_text() {
    // "ИВАНОВ" in ISO 8859-5 (ISO_IR 144), declared in the item; the data set is UTF-8.
    let ivanov_8859_5: &[u8] = &[0xB8, 0xB2, 0xB0, 0xBD, 0xBE, 0xB2];
    let mut meaning = ivanov_8859_5.to_vec();
    meaning.extend_from_slice(b" knee");
    let view_code = sequence(
        VIEW_CODE_SEQUENCE,
        vec![item([
            text(Tag(0x0008, 0x0005), VR::CS, "ISO_IR 144"),
            text(Tag(0x0008, 0x0100), VR::SH, "P1"),
            text(Tag(0x0008, 0x0102), VR::SH, "LOCAL"),
            binary(Tag(0x0008, 0x0104), VR::LO, meaning),
        ])],
    );
    let dataset = sample_with([
        text(Tag(0x0008, 0x0005), VR::CS, "ISO_IR 192"),
        text(PATIENT_NAME, VR::PN, "ИВАНОВ^ИВАН"),
        view_code,
    ]);
    let (report, done) = run_checked(&dataset, &[]);
    let f = finding(&report, "(0054,0220)[0].(0008,0104)");
    assert!(f.flagged, "{f:?}");
    assert_eq!(
        f.value, "ИВАНОВ knee",
        "decoded with the item's character set"
    );
    assert!(find_bytes(&done.bytes, ivanov_8859_5).is_none());
    assert!(find_bytes(&done.bytes, b"XXXXXX knee").is_some());
}

#[test]
fn regression_retired_element_stored_as_un_is_searched_as_text() {
    // (1010,0004) Zonal Map is US in the dictionary (retired); here it holds text.
    let dataset = sample_with([
        text(PATIENT_NAME, VR::PN, "SMITH^JOHN"),
        binary(Tag(0x1010, 0x0004), VR::UN, b"ZONES BY SMITH".to_vec()),
    ]);
    let (report, done) = run_checked(&dataset, &[]);
    let f = finding(&report, "(1010,0004)");
    assert!(f.flagged, "{f:?}");
    assert_eq!(f.vr, "UN");
    assert_gone(&done, &["SMITH"]);
    assert!(find_bytes(&done.bytes, b"ZONES BY XXXXX").is_some());
}

fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    text.encode_utf16()
        .flat_map(|u| {
            if little_endian {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            }
        })
        .collect()
}

#[test]
fn regression_utf16_text_in_a_safe_private_ob_is_masked() {
    let mut value = vec![0x01, 0x00];
    value.extend(utf16("Reviewed: Smith", true));
    value.extend([0, 0, 0]);
    value.extend(utf16("SMITH JOHN", false));
    value.push(0);
    let dataset = sample_with([
        text(PATIENT_NAME, VR::PN, "SMITH^JOHN"),
        text(SAFE_PRIVATE_CREATOR, VR::LO, "Philips Imaging DD 097"),
        binary(SAFE_PRIVATE_OB, VR::OB, value.clone()),
    ]);
    let (report, done) = run_checked(&dataset, &["retain-safe-private"]);
    assert_reported(&report, "(2001,102F)");
    for little_endian in [true, false] {
        for secret in ["Smith", "SMITH", "JOHN"] {
            let encoded = utf16(secret, little_endian);
            assert!(find_bytes(&done.bytes, &encoded).is_none(), "{secret}");
        }
    }
    // Masked in place, in UTF-16: the value keeps its length and its other bytes.
    let masked = utf16("Reviewed: XXXXX", true);
    assert!(find_bytes(&done.bytes, &masked).is_some());
    let output = read_back(&done.bytes);
    let kept = output
        .element(SAFE_PRIVATE_OB)
        .expect("kept")
        .to_bytes()
        .unwrap();
    assert_eq!(kept.len(), value.len());
}

#[test]
fn regression_date_shift_follows_the_patient_id_not_the_spelling_of_the_name() {
    let file = |name: &str| {
        part10(
            &sample_with([
                text(PATIENT_NAME, VR::PN, name),
                text(PATIENT_ID, VR::LO, "LC-777"),
                text(Tag(0x0010, 0x0021), VR::LO, "HOSPITAL A"),
                text(STUDY_DATE, VR::DA, "20240302"),
            ]),
            EXPLICIT_LE,
        )
    };
    let shifted = |name: &str| {
        let done = deid(&file(name), options(&["retain-long-modified-dates"]));
        assert!(done.residual.is_empty(), "{:?}", done.residual);
        string_of(&read_back(&done.bytes), STUDY_DATE).expect("a study date")
    };
    let plain = shifted("DOE^JOHN");
    assert_ne!(plain, "20240302");
    assert_eq!(plain, shifted("DOE^JOHN^A"));
    assert_eq!(plain, shifted("Doe^John^^Mr"));
}

const SOP_UID: &str = "1.2.826.0.1.3680043.8.498.100";
const STUDY_UID: &str = "1.2.826.0.1.3680043.8.498.200";
/// An instance UID minted under the DICOM root (the CT SOP Class UID with a counter).
const MINTED_SERIES_UID: &str = "1.2.840.10008.5.1.4.1.1.2.20240302.17";
/// A well-known frame of reference (PS3.6 Annex A): Talairach.
const TALAIRACH: &str = "1.2.840.10008.1.4.1.1";
const SNOMED: &str = "2.16.840.1.113883.6.96";

#[test]
fn regression_every_occurrence_of_a_uid_is_replaced_the_same_way() {
    let nested = sequence(
        VIEW_CODE_SEQUENCE,
        vec![item([
            text(Tag(0x0008, 0x0100), VR::SH, "V1"),
            text(Tag(0x0008, 0x0102), VR::SH, "SCT"),
            text(Tag(0x0008, 0x010C), VR::UI, SNOMED),
            text(Tag(0x0020, 0x9312), VR::UI, SOP_UID),
        ])],
    );
    let url = format!("https://pacs.invalid/wado?studyUID={STUDY_UID}&objectUID={SOP_UID}");
    let dataset = sample_with([
        text(SOP_INSTANCE_UID, VR::UI, SOP_UID),
        text(STUDY_INSTANCE_UID, VR::UI, STUDY_UID),
        text(SERIES_INSTANCE_UID, VR::UI, MINTED_SERIES_UID),
        text(Tag(0x0020, 0x0052), VR::UI, TALAIRACH),
        text(Tag(0x0008, 0x1167), VR::UI, SOP_UID),
        text(Tag(0x0020, 0x0242), VR::UI, SOP_UID),
        text(Tag(0x0008, 0x1190), VR::UR, &url),
        text(Tag(0x0008, 0x1030), VR::LO, &format!("prior {STUDY_UID}")),
        nested,
    ]);
    let (report, done) = run_checked(&dataset, &["clean-descriptors"]);
    let new_sop = deidentifier(options(&["clean-descriptors"])).replacement_uid(SOP_UID);
    let new_study = deidentifier(options(&["clean-descriptors"])).replacement_uid(STUDY_UID);

    // inspect: every instance UID is replaced, wherever it is; DICOM-defined ones stay.
    for path in [
        "(0008,1167)",
        "(0020,0242)",
        "(0054,0220)[0].(0020,9312)",
        "(0020,000E)",
    ] {
        let f = finding(&report, path);
        assert!(f.flagged && f.action.as_deref() == Some("U"), "{f:?}");
    }
    for path in ["(0008,1190)", "(0008,1030)"] {
        assert!(finding(&report, path).flagged, "{path}");
    }
    for path in ["(0020,0052)", "(0008,0016)", "(0054,0220)[0].(0008,010C)"] {
        let f = finding(&report, path);
        assert!(!f.flagged, "{f:?}");
    }

    // deid: the same new UID everywhere, the old ones nowhere.
    let output = read_back(&done.bytes);
    for tag in [SOP_INSTANCE_UID, Tag(0x0008, 0x1167), Tag(0x0020, 0x0242)] {
        assert_eq!(string_of(&output, tag).as_deref(), Some(new_sop.as_str()));
    }
    let url_out = string_of(&output, Tag(0x0008, 0x1190)).unwrap();
    assert!(
        url_out.contains(&format!("studyUID={new_study}")),
        "{url_out}"
    );
    assert!(
        url_out.contains(&format!("objectUID={new_sop}")),
        "{url_out}"
    );
    assert_eq!(
        string_of(&output, Tag(0x0008, 0x1030)).unwrap(),
        format!("prior {new_study}")
    );
    assert_no_phi_in_bytes(
        &done.bytes,
        &[SOP_UID, STUDY_UID, MINTED_SERIES_UID],
        "output",
    );
    for kept in [TALAIRACH, SNOMED, CT_IMAGE_STORAGE] {
        assert!(find_bytes(&done.bytes, kept.as_bytes()).is_some(), "{kept}");
    }

    // The counts agree with the report: one per UI element the report says is replaced.
    let replaced_in_report = report
        .elements
        .iter()
        .filter(|f| f.vr == "UI" && f.action.as_deref() == Some("U") && !f.in_meta)
        .count();
    assert_eq!(done.changes.uids_replaced, replaced_in_report);
}
