//! A structured report's content tree (PS3.3 C.17.3) read as text, its identifying values
//! flagged as the element table flags them.

use dicom_core::{Tag, VR};
use dicom_leakcheck::{content_tree, inspect, ContentNode, Options};
use dicom_leakcheck_testkit::*;
use dicom_object::InMemDicomObject;

const VALUE_TYPE: Tag = Tag(0x0040, 0xA040);
const RELATIONSHIP: Tag = Tag(0x0040, 0xA010);
const CONCEPT_NAME: Tag = Tag(0x0040, 0xA043);

fn code(meaning: &str, value: &str) -> InMemDicomObject {
    item([
        text(Tag(0x0008, 0x0100), VR::SH, value),
        text(Tag(0x0008, 0x0102), VR::SH, "DCM"),
        text(Tag(0x0008, 0x0104), VR::LO, meaning),
    ])
}

fn content_item(
    value_type: &str,
    concept: &str,
    mut more: Vec<dicom_core::DataElement<InMemDicomObject>>,
) -> InMemDicomObject {
    let mut elements = vec![
        text(RELATIONSHIP, VR::CS, "CONTAINS"),
        text(VALUE_TYPE, VR::CS, value_type),
        sequence(CONCEPT_NAME, vec![code(concept, "99")]),
    ];
    elements.append(&mut more);
    item(elements)
}

/// A small Comprehensive SR of the sample's patient: an observer's name, a finding that
/// names the patient, a measurement, a coded impression and a nested section.
fn report_file() -> Vec<u8> {
    let dataset = sample_with([
        text(SOP_CLASS_UID, VR::UI, "1.2.840.10008.5.1.4.1.1.88.33"),
        text(Tag(0x0008, 0x0060), VR::CS, "SR"),
        text(VALUE_TYPE, VR::CS, "CONTAINER"),
        text(Tag(0x0040, 0xA050), VR::CS, "SEPARATE"),
        sequence(CONCEPT_NAME, vec![code("Imaging Report", "18748-4")]),
        sequence(
            CONTENT_SEQUENCE,
            vec![
                content_item("PNAME", "Person Observer Name", vec![text(PERSON_NAME, VR::PN, "HOUSE^GREGORY")]),
                content_item("TEXT", "Finding", vec![text(Tag(0x0040, 0xA160), VR::UT, "No acute findings. Discussed with DOE^JOHN on the ward, a long text that goes on well past the one hundred and twenty characters of a preview in the element table.")]),
                content_item(
                    "NUM",
                    "Diameter",
                    vec![sequence(
                        Tag(0x0040, 0xA300),
                        vec![item([
                            text(Tag(0x0040, 0xA30A), VR::DS, "12.5"),
                            sequence(Tag(0x0040, 0x08EA), vec![code("millimeter", "mm")]),
                        ])],
                    )],
                ),
                content_item("CODE", "Impression", vec![sequence(Tag(0x0040, 0xA168), vec![code("Normal", "17621005")])]),
                content_item(
                    "CONTAINER",
                    "Section",
                    vec![sequence(CONTENT_SEQUENCE, vec![content_item("DATE", "Date of birth", vec![text(Tag(0x0040, 0xA121), VR::DA, "19700101")])])],
                ),
            ],
        ),
    ]);
    part10(&dataset, EXPLICIT_LE)
}

#[test]
fn the_content_tree_reads_as_text_with_identifying_values_flagged() {
    let bytes = report_file();
    let tree = content_tree(&bytes, Options::basic())
        .expect("reads")
        .expect("an SR document");
    let root = &tree.root;
    assert_eq!(root.value_type, "CONTAINER");
    assert_eq!(root.concept.as_deref(), Some("Imaging Report"));
    assert_eq!(root.relationship, None);
    assert_eq!(tree.nodes, 7);
    assert!(!tree.truncated);
    let [name, text_item, number, impression, section] = &root.children[..] else {
        panic!("five items: {:?}", root.children);
    };
    assert_eq!(
        (
            name.value_type.as_str(),
            name.concept.as_deref(),
            name.value.as_deref()
        ),
        ("PNAME", Some("Person Observer Name"), Some("HOUSE^GREGORY"))
    );
    assert_eq!(name.relationship.as_deref(), Some("CONTAINS"));
    assert!(name.flagged && name.reason.is_some(), "{name:?}");
    // The whole text, not the element table's preview.
    assert!(
        text_item
            .value
            .as_deref()
            .is_some_and(|v| v.ends_with("element table.")),
        "{text_item:?}"
    );
    assert!(
        text_item.flagged,
        "the text names the patient: {text_item:?}"
    );
    assert_eq!(number.value.as_deref(), Some("12.5 mm"));
    assert!(!number.flagged, "a measurement identifies no one");
    assert_eq!(impression.value.as_deref(), Some("Normal"));
    assert!(!impression.flagged);
    assert_eq!(section.value, None);
    let birth = &section.children[0];
    assert_eq!(birth.value.as_deref(), Some("19700101"));
    assert!(birth.flagged, "{birth:?}");

    // Flagged exactly as the report's element table: same paths, same reasons.
    let report = inspect(&bytes, Options::basic()).expect("inspects");
    let mut nodes: Vec<&ContentNode> = vec![root];
    let mut i = 0;
    while i < nodes.len() {
        nodes.extend(nodes[i].children.iter());
        i += 1;
    }
    for node in nodes.iter().filter(|n| n.path.is_some()) {
        let path = node.path.as_deref().unwrap_or_default();
        let element = finding(&report, path);
        assert_eq!(node.flagged, element.flagged, "{path}");
        if node.flagged {
            assert_eq!(node.reason, element.reason, "{path}");
        }
    }
    assert_eq!(
        text_item.path.as_deref(),
        Some("(0040,A730)[1].(0040,A160)")
    );
}

#[test]
fn options_change_the_flags_as_they_change_the_table() {
    // Clean Structured Content (PS3.15 E.3.7) keeps the content, cleaning what identifies.
    let chosen = options(&["clean-structured-content"]);
    let bytes = report_file();
    let tree = content_tree(&bytes, chosen).expect("reads").expect("SR");
    let report = inspect(&bytes, chosen).expect("inspects");
    for node in tree.root.children.iter().filter(|n| n.path.is_some()) {
        let path = node.path.as_deref().unwrap_or_default();
        assert_eq!(node.flagged, finding(&report, path).flagged, "{path}");
    }
    assert!(
        tree.root.children[1].flagged,
        "the text that names the patient"
    );
    assert!(!tree.root.children[2].flagged, "the measurement");
}

#[test]
fn files_that_are_no_sr_document_have_no_tree() {
    // The sample has a Content Sequence but no document root (no top-level Value Type).
    assert_eq!(
        content_tree(&part10(&sample_with([]), EXPLICIT_LE), Options::basic()).expect("reads"),
        None
    );
    let err = content_tree(b"not dicom at all", Options::basic()).expect_err("not DICOM");
    assert!(expect_parse_error(err).is_not_dicom());
}
