//! The leak report of `inspect`: what is flagged, why, where its bytes are, and how the
//! PS3.15 Annex E options change the actions.

use dicom_leakcheck_testkit as common;

use common::*;
use dicom_core::{Tag, VR};
use dicom_leakcheck::sample::{sample_file, sample_file_with_syntax};
use dicom_leakcheck::Category;
use dicom_leakcheck::{inspect, Finding, Options, Report, Verdict};

fn sample_report(options: Options) -> Report {
    inspect(&sample_file(), options).expect("the sample parses")
}

fn action(f: &Finding) -> &str {
    f.action.as_deref().unwrap_or("<none>")
}

#[test]
fn patient_name_is_flagged_as_a_direct_identifier_to_empty() {
    let report = sample_report(Options::basic());
    let name = finding(&report, "(0010,0010)");
    assert_eq!(name.tag, "(0010,0010)");
    assert_eq!(name.keyword, "PatientName");
    assert_eq!(name.vr, "PN");
    assert_eq!(name.value, "DOE^JOHN");
    assert!(name.flagged);
    assert_eq!(action(name), "Z");
    assert_eq!(name.category, Some(Category::DirectIdentifier));
    assert!(name.reason.as_deref().unwrap_or("").contains("name"));
    assert!(report.findings().any(|f| f.path == "(0010,0010)"));
}

#[test]
fn person_name_nested_in_content_sequence_is_flagged() {
    let report = sample_report(Options::basic());
    let nested = finding(&report, "(0040,A730)[0].(0040,A123)");
    assert_eq!(nested.tag, "(0040,A123)");
    assert_eq!(nested.value, "DOE^JOHN");
    assert_eq!(nested.depth, 1);
    assert!(nested.flagged, "{nested:?}");
    assert!(matches!(action(nested), "D" | "Z" | "X"), "{nested:?}");
    // The sequence itself is kept and cleaned item by item, not counted as a leak.
    let sequence = finding(&report, "(0040,A730)");
    assert!(sequence.is_sequence);
    assert_eq!(sequence.depth, 0);
}

#[test]
fn private_element_is_flagged_with_its_private_creator() {
    let report = sample_report(Options::basic());
    let private = finding(&report, "(0009,1001)");
    assert!(private.flagged);
    assert_eq!(action(private), "X");
    assert_eq!(private.category, Some(Category::Private));
    assert_eq!(private.private_creator.as_deref(), Some("ACME_PRIVATE_1"));
    assert!(private
        .reason
        .as_deref()
        .unwrap_or("")
        .contains("ACME_PRIVATE_1"));
    let creator = finding(&report, "(0009,0010)");
    assert_eq!(creator.keyword, "PrivateCreator");
    assert!(creator.flagged);
    assert_eq!(creator.private_creator.as_deref(), Some("ACME_PRIVATE_1"));
}

#[test]
fn name_repeated_in_an_element_outside_table_e1_1_is_flagged() {
    let dataset = sample_with([text(
        WINDOW_EXPLANATION,
        VR::LO,
        "BRAIN WINDOW FOR JOHN DOE",
    )]);
    let report = inspect(&part10(&dataset, EXPLICIT_LE), Options::basic()).unwrap();
    let repeat = finding(&report, "(0028,1055)");
    assert!(repeat.flagged, "{repeat:?}");
    assert_eq!(action(repeat), "C");
    // Not in Table E.1-1: no row, so the repeat alone flags it.
    assert_eq!(repeat.rule, None);
    assert_eq!(repeat.table_action, None);
    let reason = repeat.reason.as_deref().unwrap_or("");
    assert!(reason.contains("patient's name"), "reason: {reason}");
}

#[test]
fn unrelated_text_outside_table_e1_1_is_not_flagged() {
    // "JOHNSON" contains "JOHN" but not as a word.
    let dataset = sample_with([text(WINDOW_EXPLANATION, VR::LO, "JOHNSON WINDOW")]);
    let report = inspect(&part10(&dataset, EXPLICIT_LE), Options::basic()).unwrap();
    let explanation = finding(&report, "(0028,1055)");
    assert!(!explanation.flagged, "{explanation:?}");
    assert_eq!(explanation.action, None);
}

#[test]
fn name_repeated_in_image_comments_is_explained_when_descriptors_are_cleaned() {
    // Image Comments is X in the Basic Profile and C with Clean Descriptors; cleaning must say
    // what it found.
    let report = sample_report(options(&["clean-descriptors"]));
    let comments = finding(&report, "(0020,4000)");
    assert!(comments.flagged);
    assert_eq!(action(comments), "C");
    let reason = comments.reason.as_deref().unwrap_or("");
    assert!(reason.contains("patient's name"), "reason: {reason}");
}

#[test]
fn birth_date_written_in_free_text_is_recognised() {
    let dataset = sample_with([text(WINDOW_EXPLANATION, VR::LO, "BORN 1970-01-01")]);
    let report = inspect(&part10(&dataset, EXPLICIT_LE), Options::basic()).unwrap();
    let repeat = finding(&report, "(0028,1055)");
    assert!(repeat.flagged);
    assert!(
        repeat
            .reason
            .as_deref()
            .unwrap_or("")
            .contains("birth date"),
        "{repeat:?}"
    );
}

/// Checks that every element's (offset, length) covers exactly its bytes in `bytes`: the
/// header starts with the tag in the data set's byte order, the top-level elements tile the
/// data set without gaps, and plain text values end the element.
fn assert_offsets_point_at_elements(
    report: &Report,
    file: &[u8],
    dataset: &[u8],
    big_endian: bool,
    dataset_start: usize,
) {
    let meta: Vec<&Finding> = report.elements.iter().filter(|f| f.in_meta).collect();
    assert!(!meta.is_empty());
    let mut expected = 132;
    for f in &meta {
        assert_eq!(
            f.offset, expected,
            "meta element {} not where the previous ended",
            f.tag
        );
        assert_tag_at(file, f, false);
        expected = f.offset + f.length;
    }
    assert_eq!(
        expected, dataset_start,
        "meta elements do not end where the data set starts"
    );

    let top: Vec<&Finding> = report
        .elements
        .iter()
        .filter(|f| !f.in_meta && f.depth == 0)
        .collect();
    let base = if report.offsets_in_inflated {
        0
    } else {
        dataset_start
    };
    let mut expected = base;
    for f in &top {
        assert_eq!(
            f.offset, expected,
            "{} does not start where the previous element ended",
            f.path
        );
        expected = f.offset + f.length;
    }
    assert_eq!(
        expected,
        base + dataset.len(),
        "the elements do not cover the data set"
    );

    let source = if report.offsets_in_inflated {
        dataset
    } else {
        file
    };
    for f in report.elements.iter().filter(|f| !f.in_meta) {
        assert_tag_at(source, f, big_endian);
        if !f.is_sequence
            && f.value.is_ascii()
            && f.value.len() > 2
            && ["PN", "LO", "SH", "DA", "LT"].contains(&f.vr.as_str())
        {
            let bytes = &source[f.offset..f.offset + f.length];
            let text = String::from_utf8_lossy(bytes);
            assert!(
                text.trim_end_matches([' ', '\0']).ends_with(&f.value),
                "{}: value {:?} is not at the end of its bytes {:?}",
                f.path,
                f.value,
                text
            );
        }
    }
}

fn assert_tag_at(source: &[u8], f: &Finding, big_endian: bool) {
    let group = u16::from_str_radix(&f.tag[1..5], 16).unwrap();
    let element = u16::from_str_radix(&f.tag[6..10], 16).unwrap();
    let mut tag = Vec::new();
    if big_endian {
        tag.extend_from_slice(&group.to_be_bytes());
        tag.extend_from_slice(&element.to_be_bytes());
    } else {
        tag.extend_from_slice(&group.to_le_bytes());
        tag.extend_from_slice(&element.to_le_bytes());
    }
    assert!(
        f.offset + f.length <= source.len(),
        "{} runs past the end",
        f.path
    );
    assert!(
        f.length >= 8,
        "{}: length {} is shorter than a header",
        f.path,
        f.length
    );
    assert_eq!(
        &source[f.offset..f.offset + 4],
        &tag[..],
        "{} at byte {}",
        f.path,
        f.offset
    );
}

#[test]
fn offsets_and_lengths_point_at_the_element_bytes_in_every_syntax() {
    for syntax in [IMPLICIT_LE, EXPLICIT_LE, EXPLICIT_BE] {
        let file = sample_file_with_syntax(syntax).unwrap();
        let report = inspect(&file, Options::basic()).unwrap();
        assert!(!report.offsets_in_inflated);
        let start = meta_end(&file);
        assert_offsets_point_at_elements(
            &report,
            &file,
            &file[start..],
            syntax == EXPLICIT_BE,
            start,
        );
        // The patient's name: its header and VR (explicit syntaxes) sit at the offset.
        let name = finding(&report, "(0010,0010)");
        let bytes = &file[name.offset..name.offset + name.length];
        if syntax == EXPLICIT_LE {
            assert_eq!(&bytes[..6], b"\x10\x00\x10\x00PN");
            assert_eq!(name.length, 8 + 8);
        }
        assert!(bytes.ends_with(b"DOE^JOHN"));
    }
}

#[test]
fn offsets_of_a_deflated_file_count_inflated_bytes() {
    let file = sample_file_with_syntax(DEFLATED).unwrap();
    let report = inspect(&file, Options::basic()).unwrap();
    assert!(report.offsets_in_inflated);
    let start = meta_end(&file);
    let inflated = inflate_dataset(&file, start);
    assert!(
        inflated.len() > file.len() - start,
        "the sample's data set is really compressed"
    );
    assert_offsets_point_at_elements(&report, &file, &inflated, false, start);
}

#[test]
fn nested_elements_lie_inside_their_sequence() {
    let report = sample_report(Options::basic());
    let sequence = finding(&report, "(0040,A730)");
    let nested = finding(&report, "(0040,A730)[0].(0040,A123)");
    assert!(nested.offset > sequence.offset);
    assert!(nested.offset + nested.length <= sequence.offset + sequence.length);
}

#[test]
fn file_meta_elements_are_reported_first() {
    let report = sample_report(Options::basic());
    let meta: Vec<&Finding> = report.elements.iter().take_while(|f| f.in_meta).collect();
    assert!(meta.len() >= 5);
    assert!(report.elements.iter().skip(meta.len()).all(|f| !f.in_meta));
    assert!(meta
        .iter()
        .all(|f| f.tag.starts_with("(0002,") && f.path == f.tag && f.depth == 0));
    let syntax = meta
        .iter()
        .find(|f| f.tag == "(0002,0010)")
        .expect("transfer syntax");
    assert_eq!(syntax.value, EXPLICIT_LE);
    assert_eq!(syntax.keyword, "TransferSyntaxUID");
    let instance = meta
        .iter()
        .find(|f| f.tag == "(0002,0003)")
        .expect("media storage uid");
    assert!(instance.flagged);
    assert_eq!(action(instance), "U");
    assert_eq!(instance.category, Some(Category::Uid));
    assert!(report.has_meta && report.has_preamble);
    assert_eq!(report.transfer_syntax, EXPLICIT_LE);
}

#[test]
fn summary_names_the_patient_and_birth_date() {
    let report = sample_report(Options::basic());
    let summary = &report.summary;
    assert_eq!(summary.patient_name.as_deref(), Some("DOE JOHN"));
    assert_eq!(summary.patient_id.as_deref(), Some("LC-12345"));
    assert_eq!(summary.birth_date.as_deref(), Some("1970-01-01"));
    assert!(summary.text.contains("DOE JOHN"), "{}", summary.text);
    assert!(summary.text.contains("1970-01-01"), "{}", summary.text);
    assert_eq!(summary.verdict, Some(Verdict::Leaks));
    assert_eq!(summary.flagged, report.findings().count());
    assert_eq!(summary.elements, report.elements.len());
    assert!(
        summary
            .text
            .contains(&format!("{} elements", summary.flagged)),
        "{}",
        summary.text
    );
    assert!(
        summary
            .by_category
            .get("direct-identifier")
            .copied()
            .unwrap_or(0)
            >= 5
    );
    assert!(summary.by_category.values().sum::<usize>() <= summary.flagged);
    assert!(!summary.says_deidentified);
}

#[test]
fn file_without_patient_information_is_clean() {
    let mut dataset = dicom_object::InMemDicomObject::new_empty();
    dataset.put(text(SOP_CLASS_UID, VR::UI, CT_IMAGE_STORAGE));
    dataset.put(text(Tag(0x0008, 0x0060), VR::CS, "CT"));
    dataset.put(us(Tag(0x0028, 0x0010), 2));
    let mut file = part10(&dataset, EXPLICIT_LE);
    // Our writer names a SOP Instance UID in the meta group; this file has none to leak.
    let report = inspect(&file, Options::basic()).unwrap();
    assert!(
        report
            .elements
            .iter()
            .filter(|f| !f.in_meta)
            .all(|f| !f.flagged),
        "{:?}",
        report.findings().collect::<Vec<_>>()
    );
    // A de-identified file inspects clean.
    file = deid(&sample_file(), Options::basic()).bytes;
    let report = inspect(&file, Options::basic()).unwrap();
    let flagged: Vec<&Finding> = report.findings().filter(|f| !f.in_meta).collect();
    assert!(flagged.is_empty(), "still flagged after deid: {flagged:?}");
    assert!(report.summary.says_deidentified);
    assert_eq!(report.summary.patient_name, None);
}

#[test]
fn retain_uids_keeps_the_sop_instance_uid() {
    let basic = sample_report(Options::basic());
    assert_eq!(action(finding(&basic, "(0008,0018)")), "U");
    assert!(finding(&basic, "(0008,0018)").flagged);
    let kept = sample_report(options(&["retain-uids"]));
    let uid = finding(&kept, "(0008,0018)");
    assert_eq!(action(uid), "K");
    assert!(!uid.flagged);
    assert_eq!(action(finding(&kept, "(0008,1110)[0].(0008,1155)")), "K");
}

#[test]
fn retain_long_modified_dates_cleans_the_study_date() {
    let basic = sample_report(Options::basic());
    assert_eq!(action(finding(&basic, "(0008,0020)")), "Z");
    let modified = sample_report(options(&["retain-long-modified-dates"]));
    let date = finding(&modified, "(0008,0020)");
    assert_eq!(action(date), "C");
    assert!(date.flagged);
    assert_eq!(date.category, Some(Category::DateTime));
}

#[test]
fn retain_long_full_dates_keeps_the_study_date() {
    let full = sample_report(options(&["retain-long-full-dates"]));
    let date = finding(&full, "(0008,0020)");
    assert_eq!(action(date), "K");
    assert!(!date.flagged);
}

#[test]
fn retain_institution_identity_keeps_the_institution_name() {
    let basic = sample_report(Options::basic());
    assert!(finding(&basic, "(0008,0080)").flagged);
    let kept = sample_report(options(&["retain-institution-identity"]));
    let institution = finding(&kept, "(0008,0080)");
    assert_eq!(action(institution), "K");
    assert!(!institution.flagged);
    assert_eq!(institution.category, Some(Category::Institution));
}

#[test]
fn safe_private_element_is_kept_only_with_retain_safe_private() {
    let basic = sample_report(Options::basic());
    let safe = finding(&basic, "(7053,1000)");
    assert_eq!(action(safe), "X");
    assert!(safe.flagged);

    let retained = sample_report(options(&["retain-safe-private"]));
    let safe = finding(&retained, "(7053,1000)");
    assert_eq!(action(safe), "K");
    assert!(!safe.flagged, "{safe:?}");
    assert_eq!(
        safe.private_creator.as_deref(),
        Some("Philips PET Private Group")
    );
    let creator = finding(&retained, "(7053,0010)");
    assert_eq!(action(creator), "K");
    // An unknown vendor's block still goes.
    let unsafe_private = finding(&retained, "(0009,1001)");
    assert_eq!(action(unsafe_private), "X");
    assert!(unsafe_private.flagged);
}

#[test]
fn options_never_change_what_the_report_lists() {
    let basic = sample_report(Options::basic());
    let all = sample_report(options(&[
        "retain-safe-private",
        "retain-uids",
        "retain-device-identity",
        "retain-institution-identity",
        "retain-patient-characteristics",
        "retain-long-full-dates",
        "clean-descriptors",
        "clean-structured-content",
        "clean-graphics",
    ]));
    let paths = |r: &Report| {
        r.elements
            .iter()
            .map(|f| f.path.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(paths(&basic), paths(&all));
    assert!(all.summary.flagged < basic.summary.flagged);
    // The patient's name goes whatever the options.
    assert!(finding(&all, "(0010,0010)").flagged);
}
