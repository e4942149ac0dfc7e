//! De-identification of synthetic files in every native transfer syntax, checked by reading the
//! output back with dicom-object (an independent parser) and by searching its bytes.

use dicom_leakcheck_testkit as common;

use chrono::NaiveDate;
use common::*;
use dicom_core::value::Value;
use dicom_core::{Tag, VR};
use dicom_leakcheck::sample::{
    sample_dataset, sample_file, sample_file_with_syntax, SAMPLE_SOP_INSTANCE_UID,
    SAMPLE_STUDY_INSTANCE_UID,
};
use dicom_leakcheck::{inspect, Options, Request};
use dicom_object::InMemDicomObject;

fn codes(object: &InMemDicomObject) -> Vec<String> {
    let element = object
        .element(DEID_METHOD_CODE_SEQUENCE)
        .expect("De-identification Method Code Sequence is present");
    element
        .items()
        .expect("it is a sequence")
        .iter()
        .map(|item| string_of(item, Tag(0x0008, 0x0100)).unwrap_or_default())
        .collect()
}

fn pixel_bytes(object: &InMemDicomObject) -> Vec<u8> {
    object
        .element(PIXEL_DATA)
        .expect("Pixel Data")
        .to_bytes()
        .expect("native pixels")
        .to_vec()
}

fn date(object: &InMemDicomObject, tag: Tag) -> NaiveDate {
    let text = string_of(object, tag).unwrap_or_else(|| panic!("no date {tag}"));
    NaiveDate::parse_from_str(&text, "%Y%m%d").unwrap_or_else(|e| panic!("{tag} = {text:?}: {e}"))
}

/// The offset, in days, between an original date and its shifted value.
fn shift(original: &str, shifted: &str) -> i64 {
    let a = NaiveDate::parse_from_str(original, "%Y%m%d").unwrap();
    let b = NaiveDate::parse_from_str(shifted, "%Y%m%d").unwrap();
    (b - a).num_days()
}

#[test]
fn every_native_syntax_is_deidentified_without_leaving_fake_phi() {
    for syntax in NATIVE_SYNTAXES {
        let input = sample_file_with_syntax(syntax).unwrap();
        let pristine = input.clone();
        let done = deid(&input, Options::basic());
        assert_eq!(input, pristine, "{syntax}: the input was modified");
        assert!(
            done.residual.is_empty(),
            "{syntax}: residual findings {:?}",
            done.residual
        );

        let original = read_back(&input);
        let output = read_back(&done.bytes);
        assert_eq!(
            output.meta().transfer_syntax(),
            syntax,
            "{syntax}: transfer syntax changed"
        );

        // Nothing of the fake patient, in the values and in the raw bytes.
        assert_no_phi_in_values(&output, &FAKE_PHI, syntax);
        if syntax == DEFLATED {
            let inflated = inflate_dataset(&done.bytes, meta_end(&done.bytes));
            assert_no_phi_in_bytes(&inflated, &FAKE_PHI, "deflated, inflated data set");
        } else {
            assert_no_phi_in_bytes(&done.bytes, &FAKE_PHI, syntax);
        }

        // Pixel Data copied, not re-encoded.
        assert!(
            pixel_bytes(&output) == pixel_bytes(&original),
            "{syntax}: pixels differ"
        );
        if syntax != DEFLATED {
            // Byte for byte: the whole Pixel Data element, header included, ends the output.
            let pixel = inspect(&input, Options::basic())
                .unwrap()
                .pixel_data
                .unwrap();
            let element = &input[pixel.offset..pixel.offset + pixel.length];
            assert!(
                done.bytes.ends_with(element),
                "{syntax}: Pixel Data bytes differ"
            );
        }

        // PS3.15 E.1.1 attributes.
        assert_eq!(
            string_of(&output, PATIENT_IDENTITY_REMOVED).as_deref(),
            Some("YES")
        );
        assert!(
            codes(&output).contains(&"113100".to_string()),
            "{syntax}: {:?}",
            codes(&output)
        );
        assert_eq!(
            string_of(&output, LONGITUDINAL_TEMPORAL_MODIFIED).as_deref(),
            Some("REMOVED")
        );

        // The meta group follows the data set's new SOP Instance UID.
        let sop = string_of(&output, SOP_INSTANCE_UID).unwrap();
        let media = output
            .meta()
            .media_storage_sop_instance_uid()
            .trim_end_matches('\0')
            .to_string();
        assert_eq!(media, sop, "{syntax}");
        assert_eq!(done.sop_instance_uid.as_deref(), Some(sop.as_str()));
        assert_ne!(sop, SAMPLE_SOP_INSTANCE_UID);
        for tag in [
            SOP_INSTANCE_UID,
            STUDY_INSTANCE_UID,
            SERIES_INSTANCE_UID,
            Tag(0x0020, 0x0052),
        ] {
            let uid = string_of(&output, tag).unwrap();
            assert!(uid.starts_with("2.25."), "{syntax}: {tag} = {uid}");
            assert!(
                uid.len() <= 64 && uid[5..].bytes().all(|b| b.is_ascii_digit()),
                "{uid}"
            );
        }
        // A DICOM-defined UID is not replaced.
        assert_eq!(
            string_of(&output, SOP_CLASS_UID).as_deref(),
            Some(CT_IMAGE_STORAGE)
        );
        // The output parses with our own reader too.
        let report = inspect(&done.bytes, Options::basic()).unwrap();
        assert!(report.summary.says_deidentified);
    }
}

#[test]
fn deflated_output_is_compressed_again() {
    let input = sample_file_with_syntax(DEFLATED).unwrap();
    let done = deid(&input, Options::basic());
    let start = meta_end(&done.bytes);
    let inflated = inflate_dataset(&done.bytes, start);
    assert!(inflated.len() > done.bytes.len() - start);
    // Plain text of a kept element is not visible in the compressed bytes.
    assert!(find_bytes(&inflated, b"MONOCHROME2").is_some());
    assert!(find_bytes(&done.bytes[start..], b"MONOCHROME2").is_none());
}

#[test]
fn chosen_options_are_listed_as_cid_7050_codes() {
    let done = deid(
        &sample_file(),
        options(&["retain-safe-private", "retain-long-modified-dates"]),
    );
    let output = read_back(&done.bytes);
    let codes = codes(&output);
    for code in ["113100", "113111", "113107"] {
        assert!(
            codes.contains(&code.to_string()),
            "{code} missing from {codes:?}"
        );
    }
    assert_eq!(codes.len(), 3, "{codes:?}");
    for item in output
        .element(DEID_METHOD_CODE_SEQUENCE)
        .unwrap()
        .items()
        .unwrap()
    {
        assert_eq!(string_of(item, Tag(0x0008, 0x0102)).as_deref(), Some("DCM"));
        assert!(!string_of(item, Tag(0x0008, 0x0104))
            .unwrap_or_default()
            .is_empty());
    }
    let method = string_of(&output, Tag(0x0012, 0x0063)).unwrap_or_default();
    assert!(method.contains("RETAIN-SAFE-PRIVATE"), "{method}");
    // The kept safe private element is still there.
    assert!(output.element(Tag(0x7053, 0x1000)).is_ok());
    assert!(output.element(Tag(0x0009, 0x1001)).is_err());
}

#[test]
fn uids_are_consistent_across_files_instances_and_keys() {
    let first = sample_file();
    let second = part10(
        &sibling_image("2.25.111111111111111111111111111111111111", "20240302"),
        EXPLICIT_LE,
    );
    let run = Run {
        request: Request::deidentify(Options::basic(), key(1)),
    };
    let a = read_back(&run.deidentify(&first).unwrap().bytes);
    let b = read_back(&run.deidentify(&second).unwrap().bytes);
    let study_a = string_of(&a, STUDY_INSTANCE_UID).unwrap();
    assert_eq!(
        study_a,
        string_of(&b, STUDY_INSTANCE_UID).unwrap(),
        "one study, one new UID"
    );
    assert_eq!(
        string_of(&a, SERIES_INSTANCE_UID),
        string_of(&b, SERIES_INSTANCE_UID)
    );
    assert_ne!(
        string_of(&a, SOP_INSTANCE_UID),
        string_of(&b, SOP_INSTANCE_UID),
        "two images, two UIDs"
    );
    assert_eq!(study_a, run.replacement_uid(SAMPLE_STUDY_INSTANCE_UID));

    // Another run with the same key writes exactly the same file.
    let again = Run {
        request: Request::deidentify(Options::basic(), key(1)),
    }
    .deidentify(&first)
    .unwrap();
    assert_eq!(again.bytes, run.deidentify(&first).unwrap().bytes);

    // Another key, other UIDs.
    let other = read_back(
        &Run {
            request: Request::deidentify(Options::basic(), key(2)),
        }
        .deidentify(&first)
        .unwrap()
        .bytes,
    );
    assert_ne!(string_of(&other, STUDY_INSTANCE_UID).unwrap(), study_a);
    assert_ne!(
        string_of(&other, SOP_INSTANCE_UID),
        string_of(&a, SOP_INSTANCE_UID)
    );
}

#[test]
fn referenced_uids_map_like_the_uids_they_reference() {
    // Image 2 references image 1 (Referenced Image Sequence) and the study (Referenced Study
    // Sequence); after de-identification the references must still point at the new UIDs.
    let image1 = sample_file();
    let image2 = part10(
        &sample_with([
            text(
                SOP_INSTANCE_UID,
                VR::UI,
                "2.25.222222222222222222222222222222222222",
            ),
            sequence(
                REFERENCED_IMAGE_SEQUENCE,
                vec![item([
                    text(REFERENCED_SOP_CLASS_UID, VR::UI, CT_IMAGE_STORAGE),
                    text(REFERENCED_SOP_INSTANCE_UID, VR::UI, SAMPLE_SOP_INSTANCE_UID),
                ])],
            ),
            sequence(
                REFERENCED_STUDY_SEQUENCE,
                vec![item([
                    text(REFERENCED_SOP_CLASS_UID, VR::UI, "1.2.840.10008.3.1.2.3.1"),
                    text(
                        REFERENCED_SOP_INSTANCE_UID,
                        VR::UI,
                        SAMPLE_STUDY_INSTANCE_UID,
                    ),
                ])],
            ),
        ]),
        EXPLICIT_BE,
    );
    let run = deidentifier(Options::basic());
    let out1 = read_back(&run.deidentify(&image1).unwrap().bytes);
    let out2 = read_back(&run.deidentify(&image2).unwrap().bytes);
    let new_image1 = string_of(&out1, SOP_INSTANCE_UID).unwrap();
    let new_study = string_of(&out2, STUDY_INSTANCE_UID).unwrap();

    let referenced = |object: &InMemDicomObject, sequence: Tag, tag: Tag| {
        let items = object.element(sequence).unwrap().items().unwrap();
        string_of(&items[0], tag).unwrap()
    };
    assert_eq!(
        referenced(
            &out2,
            REFERENCED_IMAGE_SEQUENCE,
            REFERENCED_SOP_INSTANCE_UID
        ),
        new_image1
    );
    assert_eq!(
        referenced(
            &out2,
            REFERENCED_STUDY_SEQUENCE,
            REFERENCED_SOP_INSTANCE_UID
        ),
        new_study
    );
    // Class UIDs are DICOM's own and stay.
    assert_eq!(
        referenced(&out2, REFERENCED_IMAGE_SEQUENCE, REFERENCED_SOP_CLASS_UID),
        CT_IMAGE_STORAGE
    );
    assert_eq!(
        referenced(&out2, REFERENCED_STUDY_SEQUENCE, REFERENCED_SOP_CLASS_UID),
        "1.2.840.10008.3.1.2.3.1"
    );
}

#[test]
fn modified_dates_keep_the_interval_between_two_studies_of_one_patient() {
    let first = part10(&sibling_image("2.25.3001", "20240302"), EXPLICIT_LE);
    let second = part10(&sibling_image("2.25.3002", "20240312"), IMPLICIT_LE);
    let run = deidentifier(options(&["retain-long-modified-dates"]));
    let a = read_back(&run.deidentify(&first).unwrap().bytes);
    let b = read_back(&run.deidentify(&second).unwrap().bytes);
    for out in [&a, &b] {
        assert_eq!(
            string_of(out, LONGITUDINAL_TEMPORAL_MODIFIED).as_deref(),
            Some("MODIFIED")
        );
    }
    assert_eq!((date(&b, STUDY_DATE) - date(&a, STUDY_DATE)).num_days(), 10);
    let days = shift("20240302", &string_of(&a, STUDY_DATE).unwrap());
    assert!((-3652..=-1).contains(&days), "shift of {days} days");
    // Every longitudinal date of the patient moves by the same offset. The birth date is not
    // one of them: Table E.1-1 empties it (Z) under every option.
    assert_eq!(string_of(&a, PATIENT_BIRTH_DATE).as_deref(), Some(""));
    assert_eq!(
        shift("20240302", &string_of(&a, Tag(0x0008, 0x0021)).unwrap()),
        days
    );
    assert_eq!(
        shift("20240302", &string_of(&a, Tag(0x0008, 0x0023)).unwrap()),
        days
    );
    assert_no_phi_in_values(&a, &["19700101", "20240302"], "shifted dates");
}

#[test]
fn modified_dates_use_a_different_offset_for_each_patient() {
    let run = deidentifier(options(&["retain-long-modified-dates"]));
    let patients = [
        ("DOE^JOHN", "LC-12345"),
        ("ROE^JANE", "LC-54321"),
        ("POE^EDGAR", "LC-00001"),
        ("MOE^SZYSLAK", "LC-00002"),
    ];
    let offsets: Vec<i64> = patients
        .iter()
        .map(|(name, id)| {
            let file = part10(&patient(name, id, "19700101", "20240302"), EXPLICIT_LE);
            let out = read_back(&run.deidentify(&file).unwrap().bytes);
            shift("20240302", &string_of(&out, STUDY_DATE).unwrap())
        })
        .collect();
    let mut distinct = offsets.clone();
    distinct.sort_unstable();
    distinct.dedup();
    // With offsets drawn from 3652 values, four patients share one only by a freak accident.
    assert!(distinct.len() >= 3, "offsets {offsets:?}");
    assert_ne!(offsets[0], offsets[1]);
    // The offset depends on the key too.
    let other = Run {
        request: Request::deidentify(options(&["retain-long-modified-dates"]), key(99)),
    };
    let out = read_back(&other.deidentify(&sample_file()).unwrap().bytes);
    assert_ne!(
        shift("20240302", &string_of(&out, STUDY_DATE).unwrap()),
        offsets[0]
    );
}

#[test]
fn full_dates_are_kept_unmodified() {
    let done = deid(&sample_file(), options(&["retain-long-full-dates"]));
    let out = read_back(&done.bytes);
    assert_eq!(string_of(&out, STUDY_DATE).as_deref(), Some("20240302"));
    assert_eq!(
        string_of(&out, Tag(0x0008, 0x0030)).as_deref(),
        Some("101500")
    );
    assert_eq!(
        string_of(&out, LONGITUDINAL_TEMPORAL_MODIFIED).as_deref(),
        Some("UNMODIFIED")
    );
    assert!(codes(&out).contains(&"113106".to_string()));
    // The birth date is not a "longitudinal" date: Table E.1-1 still empties it.
    assert_no_phi_in_values(&out, &["DOE", "LC-12345"], "full dates");
    assert!(done.residual.is_empty(), "{:?}", done.residual);
}

#[test]
fn person_names_in_sequences_nested_five_deep_are_cleaned() {
    let mut innermost = item([
        text(PERSON_NAME, VR::PN, "DOE^JOHN"),
        text(Tag(0x0008, 0x0090), VR::PN, "HOUSE^GREGORY"),
        text(WINDOW_EXPLANATION, VR::LO, "WINDOW FOR JOHN DOE"),
        text(Tag(0x0040, 0xA040), VR::CS, "PNAME"),
    ]);
    for level in 0..4 {
        innermost = item([
            text(Tag(0x0040, 0xA040), VR::CS, "CONTAINER"),
            text(PERSON_NAME, VR::PN, &format!("CAMERON^LEVEL{level}")),
            sequence(CONTENT_SEQUENCE, vec![innermost]),
        ]);
    }
    let dataset = sample_with([sequence(CONTENT_SEQUENCE, vec![innermost])]);
    for syntax in [EXPLICIT_LE, IMPLICIT_LE, EXPLICIT_BE] {
        let input = part10(&dataset, syntax);
        let report = inspect(&input, Options::basic()).unwrap();
        let deepest = "(0040,A730)[0].(0040,A730)[0].(0040,A730)[0].(0040,A730)[0].(0040,A730)[0].(0040,A123)";
        assert_eq!(finding(&report, deepest).depth, 5);
        assert!(finding(&report, deepest).flagged);

        let done = deid(&input, Options::basic());
        assert!(done.residual.is_empty(), "{:?}", done.residual);
        assert_no_phi_in_bytes(&done.bytes, &FAKE_PHI, syntax);
        let out = read_back(&done.bytes);
        assert_no_phi_in_values(&out, &FAKE_PHI, syntax);
        // The structure survives: five levels, the innermost item with its non-identifying
        // value type.
        let mut level: &InMemDicomObject = &out;
        for _ in 0..5 {
            level = &level
                .element(CONTENT_SEQUENCE)
                .expect("sequence kept")
                .items()
                .unwrap()[0];
        }
        assert_eq!(
            string_of(level, Tag(0x0040, 0xA040)).as_deref(),
            Some("PNAME")
        );
        // The repeated name outside the table is masked in place, not removed.
        assert_eq!(
            string_of(level, WINDOW_EXPLANATION).as_deref(),
            Some("WINDOW FOR XXXX XXX")
        );
    }
}

#[test]
fn odd_length_and_empty_values_stay_valid() {
    let mut dataset = minimal_le_header("1.2.3.4.5.6.7"); // 13 bytes, written odd
    dataset.extend(explicit_le(Tag(0x0008, 0x0020), b"DA", b"")); // empty Study Date
    dataset.extend(explicit_le(Tag(0x0008, 0x0050), b"SH", b"")); // empty Accession Number
    dataset.extend(explicit_le(Tag(0x0008, 0x0060), b"CS", b"CT"));
    dataset.extend(explicit_le(Tag(0x0008, 0x0090), b"PN", b"HOUSE^G")); // odd
    dataset.extend(explicit_le(PATIENT_NAME, b"PN", b"DOE^JOHN^Q")); // even
    dataset.extend(explicit_le(PATIENT_ID, b"LO", b"LC-12345X")); // odd
    dataset.extend(explicit_le(PATIENT_BIRTH_DATE, b"DA", b""));
    dataset.extend(explicit_le(STUDY_INSTANCE_UID, b"UI", b"1.2.3.4.5.6.8"));
    dataset.extend(explicit_le(WINDOW_EXPLANATION, b"LO", b"FOR JOHN")); // even, cleaned
    let input = part10_from_raw("1.2.3.4.5.6.7", EXPLICIT_LE, &dataset);

    let done = deid(&input, Options::basic());
    assert!(done.residual.is_empty(), "{:?}", done.residual);
    assert_no_phi_in_bytes(
        &done.bytes,
        &["DOE", "JOHN", "LC-12345", "HOUSE"],
        "odd lengths",
    );

    // Every element we wrote has an even length; empty ones are still there, still empty.
    let report = inspect(&done.bytes, Options::basic()).unwrap();
    for f in report.elements.iter().filter(|f| !f.in_meta) {
        assert_eq!(
            f.length % 2,
            0,
            "{} has an odd length in the output",
            f.path
        );
    }
    let out = read_back(&done.bytes);
    for tag in [
        STUDY_DATE,
        Tag(0x0008, 0x0050),
        PATIENT_NAME,
        PATIENT_BIRTH_DATE,
    ] {
        let element = out
            .element(tag)
            .unwrap_or_else(|_| panic!("{tag} was dropped"));
        assert_eq!(element.header().len.0, 0, "{tag} is no longer empty");
    }
    assert_eq!(string_of(&out, Tag(0x0008, 0x0060)).as_deref(), Some("CT"));
    assert_eq!(
        string_of(&out, WINDOW_EXPLANATION).as_deref(),
        Some("FOR XXXX")
    );
    let uid = string_of(&out, STUDY_INSTANCE_UID).unwrap();
    assert!(uid.starts_with("2.25."));
}

#[test]
fn overlays_and_curves_are_removed_completely() {
    let dataset = sample_with([
        // A second overlay plane and a curve (retired, but still in old files).
        us(Tag(0x6002, 0x0010), 64),
        us(Tag(0x6002, 0x0011), 64),
        text(Tag(0x6002, 0x0022), VR::LO, "OVERLAY FOR JOHN DOE"),
        text(Tag(0x6002, 0x0040), VR::CS, "G"),
        us(Tag(0x6002, 0x0100), 1),
        dicom_core::DataElement::new(
            Tag(0x6002, 0x3000),
            VR::OW,
            dicom_core::value::PrimitiveValue::from(vec![0xFF_u8; 512]),
        ),
        us(Tag(0x5000, 0x0005), 2),
        us(Tag(0x5000, 0x0010), 4),
        text(Tag(0x5000, 0x0022), VR::LO, "CURVE OF DOE"),
        dicom_core::DataElement::new(
            Tag(0x5000, 0x3000),
            VR::OW,
            dicom_core::value::PrimitiveValue::from(vec![1_u8; 16]),
        ),
    ]);
    for syntax in [EXPLICIT_LE, IMPLICIT_LE] {
        let input = part10(&dataset, syntax);
        let report = inspect(&input, Options::basic()).unwrap();
        assert!(finding(&report, "(6002,3000)").flagged);
        assert!(finding(&report, "(5000,3000)").flagged);
        let done = deid(&input, Options::basic());
        let out = read_back(&done.bytes);
        let left: Vec<String> = all_values(&out)
            .into_iter()
            .filter(|(_, tag, _)| {
                (0x5000..=0x50FF).contains(&tag.0) || (0x6000..=0x60FF).contains(&tag.0)
            })
            .map(|(path, _, _)| path)
            .collect();
        assert!(
            left.is_empty(),
            "{syntax}: overlay or curve elements left: {left:?}"
        );
        assert!(done.changes.removed >= 15, "{:?}", done.changes);
    }
}

#[test]
fn data_set_without_preamble_or_meta_becomes_part10() {
    for syntax in [IMPLICIT_LE, EXPLICIT_LE, EXPLICIT_BE] {
        let input = raw_dataset(&sample_dataset(), syntax);
        assert_ne!(&input[..4], b"DICM");
        let report = inspect(&input, Options::basic()).unwrap();
        assert!(!report.has_meta && !report.has_preamble);
        assert_eq!(report.transfer_syntax, syntax);
        assert!(finding(&report, "(0010,0010)").flagged);

        let done = deid(&input, Options::basic());
        let out = read_back(&done.bytes);
        assert_eq!(out.meta().transfer_syntax(), syntax);
        assert_eq!(
            out.meta()
                .media_storage_sop_class_uid()
                .trim_end_matches('\0'),
            CT_IMAGE_STORAGE
        );
        assert_eq!(
            out.meta()
                .media_storage_sop_instance_uid()
                .trim_end_matches('\0'),
            string_of(&out, SOP_INSTANCE_UID).unwrap()
        );
        assert_no_phi_in_bytes(&done.bytes, &FAKE_PHI, syntax);
        // The same pixels as the sample written as Part 10 in the same syntax.
        let expected = pixel_bytes(&read_back(&part10(&sample_dataset(), syntax)));
        assert!(pixel_bytes(&out) == expected, "{syntax}: pixels differ");
        let again = inspect(&done.bytes, Options::basic()).unwrap();
        assert!(again.has_meta && again.has_preamble);
    }
}

#[test]
fn file_starting_with_dicm_without_preamble_gets_one() {
    let file = sample_file();
    let input = &file[128..];
    let done = deid(input, Options::basic());
    let out = read_back(&done.bytes);
    assert_no_phi_in_values(&out, &FAKE_PHI, "no preamble");
}

#[test]
fn every_value_in_the_output_was_looked_at() {
    // Sanity of the whole pipeline: what was flagged before is gone or changed after.
    let input = sample_file();
    let done = deid(&input, Options::basic());
    let out = read_back(&done.bytes);
    let after = all_values(&out);
    for f in done
        .before
        .findings()
        .filter(|f| !f.in_meta && !f.is_sequence && !f.value.is_empty())
    {
        let unchanged = after.iter().any(|(path, _, value)| {
            *path == f.path && value.trim_end_matches(['\0', ' ']) == f.value
        });
        assert!(
            !unchanged,
            "{} = {:?} was flagged but is unchanged in the output",
            f.path, f.value
        );
    }
    assert!(done.changes.removed > 0 && done.changes.emptied > 0 && done.changes.uids_replaced > 0);
    // The Content Sequence is kept and cleaned item by item, not emptied or removed.
    assert!(matches!(
        out.element(CONTENT_SEQUENCE).unwrap().value(),
        Value::Sequence(_)
    ));
}

#[test]
fn retain_uids_keeps_every_uid_and_the_meta_follows() {
    let done = deid(&sample_file(), options(&["retain-uids"]));
    let out = read_back(&done.bytes);
    assert_eq!(
        string_of(&out, SOP_INSTANCE_UID).as_deref(),
        Some(SAMPLE_SOP_INSTANCE_UID)
    );
    assert_eq!(
        string_of(&out, STUDY_INSTANCE_UID).as_deref(),
        Some(SAMPLE_STUDY_INSTANCE_UID)
    );
    assert_eq!(
        out.meta()
            .media_storage_sop_instance_uid()
            .trim_end_matches('\0'),
        SAMPLE_SOP_INSTANCE_UID
    );
    assert!(codes(&out).contains(&"113110".to_string()));
    assert!(done.residual.is_empty(), "{:?}", done.residual);
}

#[test]
fn file_meta_is_rebuilt_without_the_senders_identity() {
    let meta = dicom_object::meta::FileMetaTableBuilder::new()
        .media_storage_sop_class_uid(CT_IMAGE_STORAGE)
        .media_storage_sop_instance_uid(SAMPLE_SOP_INSTANCE_UID)
        .transfer_syntax(EXPLICIT_LE)
        .implementation_class_uid("1.2.3.4.5.6.7.8.9")
        .implementation_version_name("HOUSE_PACS_1")
        .source_application_entity_title("HOUSE_PACS")
        .private_information_creator_uid("1.2.3.4.5.6.7.8.10")
        .private_information(b"CAMERON WAS HERE".to_vec())
        .build()
        .unwrap();
    let mut input = vec![0u8; 128];
    input.extend_from_slice(b"DICM");
    meta.write(&mut input).unwrap();
    input.extend(raw_dataset(&sample_dataset(), EXPLICIT_LE));
    let report = inspect(&input, Options::basic()).unwrap();
    assert!(finding(&report, "(0002,0016)").flagged);
    assert!(finding(&report, "(0002,0102)").flagged);

    let done = deid(&input, Options::basic());
    assert_no_phi_in_bytes(&done.bytes, &FAKE_PHI, "meta");
    let out = read_back(&done.bytes);
    assert_eq!(out.meta().source_application_entity_title, None);
    assert_eq!(out.meta().private_information, None);
}

#[test]
fn group_length_elements_are_dropped() {
    let mut dataset = minimal_le_header("1.2.3.4");
    // A stale group length for group 0010, which de-identification changes.
    let mut group = Vec::new();
    group.extend(explicit_le(PATIENT_NAME, b"PN", b"DOE^JOHN"));
    group.extend(explicit_le(PATIENT_ID, b"LO", b"LC-12345"));
    dataset.extend(explicit_le(
        Tag(0x0010, 0x0000),
        b"UL",
        &(group.len() as u32).to_le_bytes(),
    ));
    dataset.extend(group);
    let done = deid(
        &part10_from_raw("1.2.3.4", EXPLICIT_LE, &dataset),
        Options::basic(),
    );
    let out = read_back(&done.bytes);
    assert!(
        out.element(Tag(0x0010, 0x0000)).is_err(),
        "group length kept"
    );
    assert_eq!(string_of(&out, PATIENT_ID).as_deref(), Some("ANONYMIZED"));
}

#[test]
fn existing_deidentification_attributes_are_replaced_not_duplicated() {
    let dataset = sample_with([
        text(PATIENT_IDENTITY_REMOVED, VR::CS, "NO"),
        text(LONGITUDINAL_TEMPORAL_MODIFIED, VR::CS, "UNMODIFIED"),
    ]);
    let done = deid(&part10(&dataset, EXPLICIT_LE), Options::basic());
    let report = inspect(&done.bytes, Options::basic()).unwrap();
    for tag in ["(0012,0062)", "(0012,0063)", "(0012,0064)", "(0028,0303)"] {
        let count = report.elements.iter().filter(|f| f.path == tag).count();
        assert_eq!(count, 1, "{tag} appears {count} times");
    }
    let out = read_back(&done.bytes);
    assert_eq!(
        string_of(&out, PATIENT_IDENTITY_REMOVED).as_deref(),
        Some("YES")
    );
    assert_eq!(
        string_of(&out, LONGITUDINAL_TEMPORAL_MODIFIED).as_deref(),
        Some("REMOVED")
    );
}

#[test]
fn sequences_of_defined_length_are_rewritten_consistently() {
    // Content Sequence and its item both with defined lengths, a name inside.
    let mut inner = explicit_le(Tag(0x0040, 0xA040), b"CS", b"PNAME ");
    inner.extend(explicit_le(PERSON_NAME, b"PN", b"DOE^JOHN"));
    let mut items = item_le(inner.len() as u32);
    items.extend(&inner);
    let mut dataset = minimal_le_header("1.2.3.4");
    dataset.extend(explicit_le(PATIENT_NAME, b"PN", b"DOE^JOHN"));
    dataset.extend(explicit_le(CONTENT_SEQUENCE, b"SQ", &items));
    dataset.extend(explicit_le(Tag(0x0040, 0xA732), b"SQ", &[])); // empty, defined length
    let input = part10_from_raw("1.2.3.4", EXPLICIT_LE, &dataset);
    let done = deid(&input, Options::basic());
    assert_no_phi_in_bytes(&done.bytes, &["DOE", "JOHN"], "defined-length sequence");
    let out = read_back(&done.bytes);
    let items = out.element(CONTENT_SEQUENCE).unwrap().items().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(
        string_of(&items[0], Tag(0x0040, 0xA040)).as_deref(),
        Some("PNAME")
    );
    assert_eq!(
        string_of(&items[0], PERSON_NAME).as_deref(),
        Some("ANONYMIZED")
    );
}

#[test]
fn un_sequence_of_undefined_length_is_cleaned() {
    // A Content Sequence stored as UN of undefined length: its items are Implicit VR Little
    // Endian (PS3.5 6.2.2) and must be de-identified like any other.
    let mut implicit_pn = Vec::new();
    implicit_pn.extend_from_slice(&[0x40, 0x00, 0x23, 0xA1]);
    implicit_pn.extend_from_slice(&8u32.to_le_bytes());
    implicit_pn.extend_from_slice(b"DOE^JOHN");
    let mut un = Vec::new();
    un.extend_from_slice(&[0x40, 0x00, 0x30, 0xA7]);
    un.extend_from_slice(b"UN\0\0");
    un.extend_from_slice(&u32::MAX.to_le_bytes());
    un.extend(item_le(u32::MAX));
    un.extend(&implicit_pn);
    un.extend(ITEM_DELIMITER_LE);
    un.extend(SEQUENCE_DELIMITER_LE);
    let mut dataset = minimal_le_header("1.2.3.4");
    dataset.extend(explicit_le(PATIENT_NAME, b"PN", b"DOE^JOHN"));
    dataset.extend(un);
    let input = part10_from_raw("1.2.3.4", EXPLICIT_LE, &dataset);
    let report = inspect(&input, Options::basic()).unwrap();
    assert!(finding(&report, "(0040,A730)[0].(0040,A123)").flagged);
    let done = deid(&input, Options::basic());
    assert!(done.residual.is_empty(), "{:?}", done.residual);
    assert_no_phi_in_bytes(&done.bytes, &["DOE", "JOHN"], "UN sequence");
    let again = inspect(&done.bytes, Options::basic()).unwrap();
    assert_eq!(
        finding(&again, "(0040,A730)[0].(0040,A123)").value,
        "ANONYMIZED"
    );
}

#[test]
fn encapsulated_pixel_data_is_copied_byte_for_byte() {
    const JPEG_BASELINE: &str = "1.2.840.10008.1.2.4.50";
    let pixel = encapsulated_pixel_data();
    let mut dataset = minimal_le_header("1.2.3.4");
    dataset.extend(explicit_le(PATIENT_NAME, b"PN", b"DOE^JOHN"));
    dataset.extend(&pixel);
    let input = part10_from_raw("1.2.3.4", JPEG_BASELINE, &dataset);
    let report = inspect(&input, Options::basic()).unwrap();
    let info = report.pixel_data.as_ref().expect("pixel data found");
    assert!(info.encapsulated);
    assert_eq!(info.fragments, 2);

    let done = deid(&input, Options::basic());
    assert!(
        done.bytes.ends_with(&pixel),
        "pixel data not copied verbatim"
    );
    assert_no_phi_in_bytes(&done.bytes, &["DOE"], "encapsulated");
    assert_eq!(
        read_back(&done.bytes).meta().transfer_syntax(),
        JPEG_BASELINE
    );
}

#[test]
fn clean_descriptors_keeps_descriptions_and_masks_the_patient() {
    let done = deid(&sample_file(), options(&["clean-descriptors"]));
    let out = read_back(&done.bytes);
    assert_eq!(
        string_of(&out, Tag(0x0008, 0x1030)).as_deref(),
        Some("CT HEAD FOR XXXX XXX")
    );
    assert_eq!(
        string_of(&out, Tag(0x0008, 0x103E)).as_deref(),
        Some("AXIAL 5MM")
    );
    assert_no_phi_in_values(&out, &FAKE_PHI, "clean-descriptors");
    assert_no_phi_in_values(&out, &["1970-01-01"], "clean-descriptors");
}

#[test]
fn regression_unchanged_clean_descriptor_reported_as_residual() {
    // A description that holds nothing identifying ("AXIAL 5MM") is kept as it is; the
    // re-inspection must not report it as "still flagged".
    let done = deid(&sample_file(), options(&["clean-descriptors"]));
    let residual: Vec<(&str, &str)> = done
        .residual
        .iter()
        .map(|f| (f.path.as_str(), f.value.as_str()))
        .collect();
    assert!(
        residual.is_empty(),
        "residual after clean-descriptors: {residual:?}"
    );
}

#[test]
fn regression_clean_descriptors_keeps_physician_names() {
    // The profile removes the referring and performing physicians' names; a description that
    // repeats them must not keep them when descriptions are "cleaned of names".
    let dataset = sample_with([text(
        Tag(0x0008, 0x1030),
        VR::LO,
        "CT HEAD REFERRED BY DR HOUSE",
    )]);
    let done = deid(
        &part10(&dataset, EXPLICIT_LE),
        options(&["clean-descriptors"]),
    );
    let out = read_back(&done.bytes);
    assert_no_phi_in_values(&out, &FAKE_PHI, "clean-descriptors with a physician's name");
}

#[test]
fn regression_datetime_with_negative_utc_offset_not_shifted() {
    let dataset = sample_with([text(Tag(0x0008, 0x002A), VR::DT, "20240302101500-0500")]);
    let done = deid(
        &part10(&dataset, EXPLICIT_LE),
        options(&["retain-long-modified-dates"]),
    );
    let out = read_back(&done.bytes);
    let days = shift("20240302", &string_of(&out, STUDY_DATE).unwrap());
    let value = string_of(&out, Tag(0x0008, 0x002A)).unwrap();
    assert!(
        value.ends_with("101500-0500"),
        "time and UTC offset lost: {value}"
    );
    assert_eq!(shift("20240302", &value[..8]), days, "{value}");
}

#[test]
fn datetime_with_positive_utc_offset_is_shifted() {
    let dataset = sample_with([text(Tag(0x0008, 0x002A), VR::DT, "20240302101500+0100")]);
    let done = deid(
        &part10(&dataset, EXPLICIT_LE),
        options(&["retain-long-modified-dates"]),
    );
    let out = read_back(&done.bytes);
    let days = shift("20240302", &string_of(&out, STUDY_DATE).unwrap());
    let value = string_of(&out, Tag(0x0008, 0x002A)).unwrap();
    assert!(value.ends_with("101500+0100"), "{value}");
    assert_eq!(shift("20240302", &value[..8]), days, "{value}");
    assert!(done.warnings.is_empty(), "{:?}", done.warnings);
}

#[test]
fn latin1_names_repeated_in_descriptions_are_masked() {
    let dataset = sample_with([
        text(PATIENT_NAME, VR::PN, "MÜLLER^JÖRG"),
        text(Tag(0x0008, 0x1030), VR::LO, "KOPF FÜR JÖRG MÜLLER"),
        text(WINDOW_EXPLANATION, VR::LO, "FENSTER MÜLLER"),
    ]);
    let input = part10(&dataset, EXPLICIT_LE);
    // ISO_IR 100: Ü is one byte, 0xDC.
    assert!(find_bytes(&input, b"M\xDCLLER").is_some());
    let done = deid(&input, options(&["clean-descriptors"]));
    assert_no_phi_in_bytes(&done.bytes, &["M\u{DC}LLER", "J\u{D6}RG"], "utf-8 forms");
    assert!(
        find_bytes(&done.bytes, b"M\xDCLLER").is_none(),
        "latin-1 name left"
    );
    assert!(
        find_bytes(&done.bytes, b"J\xD6RG").is_none(),
        "latin-1 name left"
    );
    let out = read_back(&done.bytes);
    assert_eq!(
        string_of(&out, Tag(0x0008, 0x1030)).as_deref(),
        Some("KOPF FÜR XXXX XXXXXX")
    );
    assert_eq!(
        string_of(&out, WINDOW_EXPLANATION).as_deref(),
        Some("FENSTER XXXXXX")
    );
}

/// Encapsulated Pixel Data (empty Basic Offset Table, one fragment), Explicit VR Little Endian.
fn encapsulated_pixel_data() -> Vec<u8> {
    let mut pixel = Vec::new();
    pixel.extend_from_slice(&[0xE0, 0x7F, 0x10, 0x00]);
    pixel.extend_from_slice(b"OB\0\0");
    pixel.extend_from_slice(&u32::MAX.to_le_bytes());
    pixel.extend(item_le(0));
    let fragment: Vec<u8> = (0..64u8).chain([0xFF, 0xD9]).collect();
    pixel.extend(item_le(fragment.len() as u32));
    pixel.extend(&fragment);
    pixel.extend(SEQUENCE_DELIMITER_LE);
    pixel
}

#[test]
fn regression_encapsulated_icon_image_in_a_sequence_is_refused() {
    // PS3.5 A.4: in an encapsulated transfer syntax the Pixel Data of an Icon Image Sequence
    // item is encapsulated too (undefined length, fragments). dicom-object reads this file;
    // ours fails with "the element declares a 185207048-byte value ... (element (0100,0302))"
    // because only top-level Pixel Data is treated as fragments.
    const JPEG_BASELINE: &str = "1.2.840.10008.1.2.4.50";
    let pixel = encapsulated_pixel_data();
    let mut dataset = minimal_le_header("1.2.3.4");
    dataset.extend(explicit_le(PATIENT_NAME, b"PN", b"DOE^JOHN"));
    dataset.extend(sq_undefined_le(Tag(0x0088, 0x0200)));
    dataset.extend(item_le(u32::MAX));
    dataset.extend(explicit_le(Tag(0x0028, 0x0010), b"US", &8u16.to_le_bytes()));
    dataset.extend(&pixel);
    dataset.extend(ITEM_DELIMITER_LE);
    dataset.extend(SEQUENCE_DELIMITER_LE);
    dataset.extend(&pixel);
    let input = part10_from_raw("1.2.3.4", JPEG_BASELINE, &dataset);
    assert!(dicom_object::OpenFileOptions::new()
        .from_reader(&input[128..])
        .is_ok());

    let report = inspect(&input, Options::basic()).unwrap_or_else(|e| panic!("refused: {e}"));
    assert!(report
        .elements
        .iter()
        .any(|f| f.path == "(0088,0200)[0].(7FE0,0010)"));
    let done = deid(&input, Options::basic());
    assert_no_phi_in_bytes(&done.bytes, &["DOE"], "icon image");
    assert!(done.bytes.ends_with(&pixel));
    read_back(&done.bytes);
}

#[test]
fn every_option_alone_removes_the_fake_phi_it_does_not_retain() {
    for option in dicom_leakcheck::ALL_OPTIONS.iter() {
        let done = deid(&sample_file(), options(&[option.name]));
        let kept: &[&str] = match option.name {
            "retain-institution-identity" => &["ELSEWHERE"],
            _ => &[],
        };
        let phi: Vec<&str> = FAKE_PHI
            .iter()
            .copied()
            .filter(|p| !kept.contains(p))
            .collect();
        assert_no_phi_in_bytes(&done.bytes, &phi, option.name);
        for retained in kept {
            assert!(
                find_bytes(&done.bytes, retained.as_bytes()).is_some(),
                "{}: {retained} not kept",
                option.name
            );
        }
        assert!(
            done.residual.is_empty(),
            "{}: {:?}",
            option.name,
            done.residual
        );
        // The sample's pixels hold no text, so Clean Pixel Data (either way of choosing it) is
        // not carried out and the file must not claim it (113101).
        let pixel_option = matches!(option.name, "clean-pixel-data" | "clean-all-pixel-text");
        let code = if pixel_option { "113101" } else { option.code };
        let claimed = codes(&read_back(&done.bytes)).contains(&code.to_string());
        assert_eq!(claimed, !pixel_option, "{}", option.name);
    }
}

#[test]
fn regression_sequence_stored_as_un_with_defined_length_is_not_cleaned() {
    // PS3.5 6.2.2: a sender that does not know an element's VR passes it on as UN; a sequence
    // then holds Implicit VR Little Endian items. Radiopharmaceutical Information Sequence
    // (0054,0016), not itself in Table E.1-1, holding a Referring Physician's Name (Z) and a
    // Radiopharmaceutical Start DateTime (X). Encoded as SQ both go; as a defined-length UN
    // both are copied through, nothing is flagged and the residual check sees nothing.
    let mut inner = Vec::new();
    for (tag, value) in [
        ([0x18, 0x00, 0x78, 0x10], &b"20240302101500"[..]),
        ([0x08, 0x00, 0x90, 0x00], &b"HOUSE^GREGORY "[..]),
    ] {
        inner.extend_from_slice(&tag);
        inner.extend_from_slice(&(value.len() as u32).to_le_bytes());
        inner.extend_from_slice(value);
    }
    let mut items = item_le(inner.len() as u32);
    items.extend(&inner);
    let mut dataset = minimal_le_header("1.2.3.4");
    dataset.extend(explicit_le(PATIENT_NAME, b"PN", b"DOE^JOHN"));
    dataset.extend(explicit_le(Tag(0x0054, 0x0016), b"UN", &items));
    let input = part10_from_raw("1.2.3.4", EXPLICIT_LE, &dataset);

    let report = inspect(&input, Options::basic()).unwrap();
    assert!(
        report.findings().any(|f| f.path.starts_with("(0054,0016)")),
        "nothing flagged in the UN sequence"
    );
    let done = deid(&input, Options::basic());
    assert_no_phi_in_bytes(&done.bytes, &["HOUSE", "20240302"], "sequence stored as UN");
}
