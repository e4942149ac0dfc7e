//! DICOMDIRs of de-identified sets (issue 10, class 11): written anew from the de-identified
//! files, with offsets a reader can follow, file IDs that follow PS3.10, and no trace of the
//! original DICOMDIR's patients. Others' tools (pydicom's FileSet, dicom3tools' dcdirdmp and
//! dciodvfy) check the CLI's outputs in tests/conformance/check_dicomdir.py.

use dicom_leakcheck_testkit as common;

use common::dicomdir::{original_dicomdir, read_records, ORIGINAL_FILE_SET_ID};
use common::*;
use dicom_core::{Tag, VR};
use dicom_leakcheck::dicomdir::{
    self, place_set, walk_order, FileId, Member, NeutralPaths, PathChoice, RecordKeys, SetFile,
};
use dicom_leakcheck::{inspect, Options};

/// Three images of two fake patients: DOE JOHN (two series of one study) and ROE JANE.
fn images() -> Vec<Vec<u8>> {
    let series = |uid: &str| text(SERIES_INSTANCE_UID, VR::UI, uid);
    vec![
        part10(&sibling_image("2.25.1001", "20240101"), EXPLICIT_LE),
        part10(
            &sample_with([
                text(SOP_INSTANCE_UID, VR::UI, "2.25.1002"),
                series("2.25.2002"),
                text(Tag(0x0020, 0x0011), VR::IS, "2"),
            ]),
            IMPLICIT_LE,
        ),
        part10(
            &sample_with([
                text(PATIENT_NAME, VR::PN, "ROE^JANE"),
                text(PATIENT_ID, VR::LO, "RJ-777"),
                text(SOP_INSTANCE_UID, VR::UI, "2.25.1003"),
                text(STUDY_INSTANCE_UID, VR::UI, "2.25.3003"),
                series("2.25.2003"),
            ]),
            EXPLICIT_BE,
        ),
    ]
}

/// De-identifies each image; places it with neutral paths; builds the DICOMDIR.
fn deidentified_set(inputs: &[Vec<u8>]) -> (Vec<Done>, Vec<FileId>, dicomdir::Built) {
    let done: Vec<Done> = inputs.iter().map(|b| deid(b, Options::basic())).collect();
    let patients: Vec<String> = done
        .iter()
        .map(|d| dicomdir::patient_key(&d.before.summary))
        .collect();
    let mut paths = NeutralPaths::new();
    let ids: Vec<FileId> = done
        .iter()
        .zip(&patients)
        .map(|(d, p)| paths.place_file(p, &d.record_keys).unwrap())
        .collect();
    let members: Vec<Member<'_>> = (0..done.len())
        .map(|i| Member {
            file_id: &ids[i],
            patient: &patients[i],
            keys: &done[i].record_keys,
        })
        .collect();
    let built = dicomdir::build(&members).expect("the DICOMDIR is written");
    (done, ids, built)
}

#[test]
fn regression_dicomdir_offsets_point_at_records_after_lengths_change() {
    // Before: a DICOMDIR was de-identified element by element; values changed length while
    // the record offsets stayed, so readers found no record where the offsets pointed.
    let inputs = images();
    let (done, ids, built) = deidentified_set(&inputs);
    assert!(built.left_out.is_empty(), "{:?}", built.left_out);
    assert_eq!((built.files, built.patients), (3, 2));
    let roots = read_records(&built.bytes).expect("every offset leads to a record");
    assert_eq!(roots.len(), 2, "one PATIENT record per patient");
    let shape: Vec<Vec<usize>> = roots
        .iter()
        .map(|p| {
            assert_eq!(p.record_type, "PATIENT");
            p.children
                .iter()
                .flat_map(|study| study.children.iter().map(|series| series.children.len()))
                .collect()
        })
        .collect();
    assert_eq!(
        shape,
        vec![vec![1, 1], vec![1]],
        "DOE: one study of two series; ROE: one series"
    );

    // Each file record names its file ID and the de-identified file's own UIDs.
    let leaves: Vec<_> = roots
        .iter()
        .flat_map(|r| r.walk())
        .filter(|r| r.record_type == "IMAGE")
        .collect();
    assert_eq!(leaves.len(), 3);
    for ((leaf, id), file) in leaves.iter().zip(&ids).zip(&done) {
        assert_eq!(
            leaf.value(0x0004_1500),
            Some(id.components().join("\\").as_str())
        );
        let object = read_back(&file.bytes);
        assert_eq!(
            leaf.value(0x0004_1511),
            string_of(&object, SOP_INSTANCE_UID).as_deref()
        );
        assert_eq!(leaf.value(0x0004_1510), Some(CT_IMAGE_STORAGE));
        assert_eq!(
            leaf.value(0x0004_1512),
            Some(object.meta().transfer_syntax().trim_end_matches('\0'))
        );
    }
    // The study and series records carry the files' new UIDs, and Type 1 keys the Basic
    // Profile emptied have dummies (PS3.3 F.5), never the original values.
    let study = &roots[0].children[0];
    let first = read_back(&done[0].bytes);
    assert_eq!(
        study.value(0x0020_000D),
        string_of(&first, STUDY_INSTANCE_UID).as_deref()
    );
    assert_eq!(roots[0].value(0x0010_0020), Some("ANONYMIZED"));
    assert_eq!(study.value(0x0008_0020), Some("19000101"));
    // A reader independent of ours reads the whole file.
    let object = read_back(&built.bytes);
    assert_eq!(
        object
            .meta()
            .media_storage_sop_class_uid()
            .trim_end_matches('\0'),
        dicomdir::MEDIA_STORAGE_DIRECTORY
    );
    assert_eq!(
        object
            .meta()
            .media_storage_sop_instance_uid()
            .trim_end_matches('\0'),
        built.sop_instance_uid
    );
    assert_no_phi_in_bytes(&built.bytes, &FAKE_PHI, "the DICOMDIR");
    assert_no_phi_in_bytes(
        &built.bytes,
        &["ROE", "JANE", "RJ-777", "2.25.1001", "2.25.3003"],
        "the DICOMDIR",
    );
}

#[test]
fn the_same_set_gives_the_same_dicomdir_and_a_new_uid() {
    let inputs = images();
    let (_, _, a) = deidentified_set(&inputs);
    let (_, _, b) = deidentified_set(&inputs);
    assert_eq!(a.bytes, b.bytes);
    let original = original_dicomdir(&[("A", &inputs[0]), ("B", &inputs[1]), ("C", &inputs[2])]);
    let before = read_back(&original);
    assert_ne!(
        before
            .meta()
            .media_storage_sop_instance_uid()
            .trim_end_matches('\0'),
        a.sop_instance_uid
    );
    assert!(a.sop_instance_uid.starts_with("2.25."));
}

#[test]
fn files_a_dicomdir_cannot_index_are_listed_with_the_reason() {
    let inputs = images();
    let mut done: Vec<Done> = inputs.iter().map(|b| deid(b, Options::basic())).collect();
    // The same instance twice, and a file with no Series Instance UID.
    done.push(done[0].clone());
    let mut no_series = sample_with([text(SOP_INSTANCE_UID, VR::UI, "2.25.1009")]);
    no_series.remove_element(SERIES_INSTANCE_UID);
    let no_series = part10(&no_series, EXPLICIT_LE);
    done.push(deid(&no_series, Options::basic()));
    let ids: Vec<FileId> = (0..done.len())
        .map(|i| FileId::parse(&format!("F{i}")).unwrap())
        .collect();
    let members: Vec<Member<'_>> = (0..done.len())
        .map(|i| Member {
            file_id: &ids[i],
            patient: "",
            keys: &done[i].record_keys,
        })
        .collect();
    let built = dicomdir::build(&members).unwrap();
    let reasons: Vec<(usize, &str)> = built
        .left_out
        .iter()
        .map(|l| (l.index, l.reason.as_str()))
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons[0].0 == 3
            && reasons[0]
                .1
                .contains("same instance (SOP Instance UID) as file 1"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].0 == 4 && reasons[1].1.contains("Series Instance UID"),
        "{reasons:?}"
    );
    assert_eq!(built.files, 3);
    read_records(&built.bytes).expect("still a readable DICOMDIR");
}

#[test]
fn keys_of_big_endian_and_implicit_files_are_written_as_explicit_little_endian() {
    let inputs = images();
    for (bytes, syntax) in inputs.iter().zip([EXPLICIT_LE, IMPLICIT_LE, EXPLICIT_BE]) {
        let parsed = dicom_leakcheck::parse::parse(bytes).unwrap();
        let keys = RecordKeys::of(&parsed);
        assert_eq!(keys.transfer_syntax_uid, syntax);
        assert!(
            keys.text(0x0020_0011).is_some(),
            "Series Number of {syntax}"
        );
        // Round trip through JSON (as the page keeps them) changes nothing.
        let json = serde_json::to_string(&keys).unwrap();
        assert_eq!(serde_json::from_str::<RecordKeys>(&json).unwrap(), keys);
    }
    let implicit = RecordKeys::of(&dicom_leakcheck::parse::parse(&inputs[1]).unwrap());
    assert_eq!(implicit.text(0x0020_0011).as_deref(), Some("2"));
    let parsed = dicom_leakcheck::parse::parse(&inputs[2]).unwrap();
    let keys = RecordKeys::of(&parsed);
    assert_eq!(keys.text(0x0010_0010).as_deref(), Some("ROE^JANE"));
    assert_eq!(keys.text(0x0020_000E).as_deref(), Some("2.25.2003"));
    // Keys cut short (the page hands them back) are never misread: the file is left out.
    let mut broken = keys.clone();
    broken.elements.truncate(broken.elements.len() - 3);
    let id = FileId::parse("X").unwrap();
    let built = dicomdir::build(&[Member {
        file_id: &id,
        patient: "",
        keys: &broken,
    }])
    .unwrap();
    assert_eq!(built.files, 0, "{:?}", built.left_out);
    assert!(
        built.left_out[0].reason.contains("not whole elements"),
        "{:?}",
        built.left_out
    );
}

#[test]
fn regression_a_dicomdir_report_names_the_patients_of_its_records() {
    // Before: "This file names no patient" while its records named two.
    let inputs = images();
    let original = original_dicomdir(&[
        ("DOE_JOHN/IM1", &inputs[0]),
        ("DOE_JOHN/IM2", &inputs[1]),
        ("ROE_JANE/IM1", &inputs[2]),
    ]);
    let report = inspect(&original, Options::basic()).unwrap();
    let summary = &report.summary;
    assert!(summary.is_dicomdir);
    let named: Vec<(Option<&str>, Option<&str>)> = summary
        .patients
        .iter()
        .map(|p| (p.name.as_deref(), p.id.as_deref()))
        .collect();
    assert_eq!(
        named,
        vec![
            (Some("DOE JOHN"), Some("LC-12345")),
            (Some("ROE JANE"), Some("RJ-777"))
        ]
    );
    assert!(
        summary
            .text
            .contains("names 2 patients: DOE JOHN (ID LC-12345"),
        "{}",
        summary.text
    );
    assert!(
        summary.text.contains("ROE JANE (ID RJ-777)"),
        "{}",
        summary.text
    );
    assert!(summary.flagged > 0);
    assert!(find_bytes(&original, ORIGINAL_FILE_SET_ID.as_bytes()).is_some());

    // The DICOMDIR of the de-identified set names nobody, and says it was written so.
    let (_, _, built) = deidentified_set(&inputs);
    let after = inspect(&built.bytes, Options::basic()).unwrap();
    assert!(
        after.summary.patients.is_empty(),
        "{:?}",
        after.summary.patients
    );
    assert_eq!(after.summary.flagged, 0, "{}", after.summary.text);
}

#[test]
fn a_set_is_placed_with_neutral_paths_and_its_dicomdir_replaced() {
    let inputs = images();
    let done: Vec<Done> = inputs.iter().map(|b| deid(b, Options::basic())).collect();
    let original = original_dicomdir(&[("A", &inputs[0]), ("B", &inputs[1]), ("C", &inputs[2])]);
    let directory = deid(&original, Options::basic());
    let patients: Vec<String> = done
        .iter()
        .chain([&directory])
        .map(|d| dicomdir::patient_key(&d.before.summary))
        .collect();
    let paths = [
        "cd/DOE_JOHN/IM2",
        "cd/DOE_JOHN/IM1",
        "cd/ROE JANE.dcm",
        "cd/DICOMDIR",
    ];
    let files: Vec<SetFile<'_>> = done
        .iter()
        .chain([&directory])
        .enumerate()
        .map(|(i, d)| SetFile {
            path: paths[i],
            patient: &patients[i],
            keys: &d.record_keys,
        })
        .collect();
    // The page gives files in the order the CLI's folder walk would.
    assert_eq!(walk_order(&paths), vec![3, 1, 0, 2]);
    let (placed, dirs) = place_set(&files, PathChoice::default()).unwrap();
    assert_eq!(
        placed,
        [
            Some("P001/ST001/SE001/IM0001"),
            Some("P001/ST001/SE002/IM0001"),
            Some("P002/ST001/SE001/IM0001"),
            None
        ]
        .map(|p| p.map(String::from))
    );
    assert_eq!(dirs.len(), 1);
    assert_eq!(
        (dirs[0].path.as_str(), dirs[0].files, dirs[0].patients),
        ("DICOMDIR", 3, 2)
    );
    read_records(&dirs[0].bytes).unwrap();

    // Kept paths: the DICOMDIR in its own place; "ROE JANE.dcm" is no file ID, said so.
    let kept = PathChoice {
        keep_paths: true,
        always_dicomdir: false,
    };
    let (placed, dirs) = place_set(&files, kept).unwrap();
    assert_eq!(placed[2].as_deref(), Some("cd/ROE JANE.dcm"));
    assert_eq!((dirs[0].path.as_str(), dirs[0].files), ("cd/DICOMDIR", 2));
    assert_eq!(dirs[0].left_out.len(), 1);
    assert_eq!(dirs[0].left_out[0].0, 2, "{:?}", dirs[0].left_out);
    assert!(
        dirs[0].left_out[0].1.contains("ROE JANE.dcm"),
        "{:?}",
        dirs[0].left_out
    );
    // No DICOMDIR in, none out, unless asked.
    let (_, none) = place_set(&files[..3], PathChoice::default()).unwrap();
    assert!(none.is_empty());
    let asked = PathChoice {
        keep_paths: false,
        always_dicomdir: true,
    };
    let (_, one) = place_set(&files[..3], asked).unwrap();
    assert_eq!(one[0].files, 3);
}
