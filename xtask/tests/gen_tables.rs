//! Checks of `cargo xtask gen-tables` against the real inputs in `../shared/standard`.
//!
//! The product never reads `shared/`; when it is absent these tests say so and return early.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;
use xtask::gen_tables::{
    cid7050_tsv_path, default_out_dir, default_standard_dir, expected_sha256, generate,
    load_standard, parse_tables, parse_tag_pattern, sha256_hex, AttributeRow, Tables, TagPattern,
    E1_1_ROWS, E3_10_1_ROWS, ODD_GROUP_TAG_TEXT, STANDARD_FILE, SUMS_FILE,
};

const INNOLITICS_FILE: &str = "innolitics-confidentiality-profile-attributes-2024b.json";

/// `../shared/standard`, or `None` (after saying why) when it is not there.
/// The standard beside the checkout; `None` (the test does not run, and says so) only outside
/// CI: CI always has ../shared/standard, so a missing standard there fails the test.
fn standard_dir() -> Option<PathBuf> {
    let dir = default_standard_dir();
    if dir.join(STANDARD_FILE).is_file() {
        return Some(dir);
    }
    let why = format!(
        "{} not found; the checks against the DICOM standard need ../shared/standard beside the \
         repository (the product itself never reads it)",
        dir.join(STANDARD_FILE).display()
    );
    assert!(std::env::var_os("CI").is_none(), "CI is set but {why}");
    eprintln!("NOT RUN: {why}");
    None
}

/// Both tables, parsed once per test binary.
fn tables() -> Option<&'static Tables> {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    let dir = standard_dir()?;
    Some(TABLES.get_or_init(|| {
        let standard = load_standard(&dir).expect("the standard loads and verifies");
        parse_tables(&standard.xml).expect("both tables parse")
    }))
}

fn row<'a>(tables: &'a Tables, tag: &str) -> &'a AttributeRow {
    tables
        .e1_1
        .iter()
        .find(|r| r.tag_text == tag)
        .unwrap_or_else(|| panic!("{tag} not in Table E.1-1"))
}

/// Index of each option column in `AttributeRow::options` (= `OptionColumn as usize`).
const RTN_SAFE_PRIV: usize = 0;
const RTN_UIDS: usize = 1;
const RTN_INST_ID: usize = 3;

#[test]
fn well_known_rows() {
    let Some(tables) = tables() else { return };
    assert_eq!(tables.e1_1.len(), E1_1_ROWS);
    assert_eq!(tables.e3_10_1.len(), E3_10_1_ROWS);

    let name = row(tables, "(0010,0010)");
    assert_eq!(name.name, "Patient's Name");
    assert_eq!(name.basic, "Z");
    assert_eq!(name.options, [None; 10]);
    assert!(!name.retired && name.in_standard_iod);

    let sop = row(tables, "(0008,0018)");
    assert_eq!(sop.name, "SOP Instance UID");
    assert_eq!(sop.basic, "U");
    assert_eq!(sop.options[RTN_UIDS], Some("K"));

    let birth = row(tables, "(0010,0030)");
    assert_eq!(birth.name, "Patient's Birth Date");
    assert_eq!(birth.basic, "Z");

    let institution = row(tables, "(0008,0080)");
    assert_eq!(institution.name, "Institution Name");
    assert_eq!(institution.basic, "X/Z/D");
    assert_eq!(institution.options[RTN_INST_ID], Some("K"));
    assert_eq!(
        institution.options.iter().filter(|o| o.is_some()).count(),
        1
    );

    let study = row(tables, "(0020,000D)");
    assert_eq!(study.name, "Study Instance UID");
    assert_eq!(study.basic, "U");
    assert_eq!(study.options[RTN_UIDS], Some("K"));
    assert_eq!(study.pattern.value, 0x0020_000D);
    assert_eq!(study.pattern.mask, 0xFFFF_FFFF);

    // Names are kept as printed, with the zero-width spaces of the XML removed.
    assert_eq!(row(tables, "(0016,0075)").name, "GPS Altitude Ref");
    assert_eq!(
        row(tables, "(003A,0329)").name,
        "Waveform Filter Description"
    );
    assert_eq!(
        row(tables, "(0088,0200)").name,
        "Icon Image Sequence (see Note 11)"
    );
    for r in &tables.e1_1 {
        assert!(r.name.is_ascii(), "non-ASCII name {:?}", r.name);
    }

    let first = &tables.e3_10_1[0];
    assert_eq!(
        (first.tag_text.as_str(), first.group, first.element_offset),
        ("(7053,xx00)", 0x7053, 0x00)
    );
    assert_eq!(first.creator, "Philips PET Private Group");
    assert_eq!((first.vr.as_str(), first.vm.as_str()), ("DS", "1"));
}

#[test]
fn tag_families_become_masks() {
    let Some(tables) = tables() else { return };
    let families: Vec<(&str, &str, u32, u32)> = tables
        .e1_1
        .iter()
        .filter(|r| r.pattern.mask != u32::MAX)
        .map(|r| {
            (
                r.name.as_str(),
                r.tag_text.as_str(),
                r.pattern.value,
                r.pattern.mask,
            )
        })
        .collect();
    assert_eq!(
        families,
        [
            ("Curve Data", "(50xx,xxxx)", 0x5000_0000, 0xFF00_0000),
            ("Overlay Comments", "(60xx,4000)", 0x6000_4000, 0xFF00_FFFF),
            ("Overlay Data", "(60xx,3000)", 0x6000_3000, 0xFF00_FFFF),
            (
                "Private Attributes",
                ODD_GROUP_TAG_TEXT,
                0x0001_0000,
                0x0001_0000
            ),
        ]
    );
    let private = row(tables, ODD_GROUP_TAG_TEXT);
    assert_eq!(private.basic, "X");
    assert_eq!(private.options[RTN_SAFE_PRIV], Some("C"));
}

/// Fields of the Innolitics JSON, with the column of Table E.1-1 each one mirrors.
const JSON_OPTION_FIELDS: [&str; 10] = [
    "rtnSafePrivOpt",
    "rtnUIDsOpt",
    "rtnDevIdOpt",
    "rtnInstIdOpt",
    "rtnPatCharsOpt",
    "rtnLongFullDatesOpt",
    "rtnLongModifDatesOpt",
    "cleanDescOpt",
    "cleanStructContOpt",
    "cleanGraphOpt",
];

/// Cells where PS3.15 2026c (the XML) and the 2024b JSON differ on purpose:
/// (tag, JSON field, 2026c value, 2024b value); "" is an empty cell.
const KNOWN_DIFFERENCES: &[(&str, &str, &str, &str)] = &[
    // Ethnic Group was retired after 2024b (2026c: Retd. Y), so it left the standard IODs.
    ("(0010,2160)", "stdCompIOD", "N", "Y"),
    // Requesting Service is used by a standard IOD in 2026c and gained a Clean Descriptors "C".
    ("(0032,1033)", "stdCompIOD", "Y", "N"),
    ("(0032,1033)", "cleanDescOpt", "C", ""),
];

#[test]
fn agrees_with_innolitics_2024b() {
    let Some(tables) = tables() else { return };
    let dir = standard_dir().expect("present when tables() is");
    let bytes = fs::read(dir.join(INNOLITICS_FILE)).expect("the Innolitics JSON is readable");
    let sums = fs::read_to_string(dir.join(SUMS_FILE)).unwrap();
    assert_eq!(
        sha256_hex(&bytes),
        expected_sha256(&sums, INNOLITICS_FILE).unwrap(),
        "the Innolitics JSON does not match SHA256SUMS"
    );
    let json: Vec<Value> = serde_json::from_slice(&bytes).expect("the JSON parses");
    assert_eq!(json.len(), 621, "the 2024b JSON has 621 rows");

    let by_pattern: BTreeMap<(u32, u32), &AttributeRow> = tables
        .e1_1
        .iter()
        .map(|r| ((r.pattern.value, r.pattern.mask), r))
        .collect();

    let known_fields: BTreeSet<&str> = ["id", "name", "tag", "basicProfile", "stdCompIOD"]
        .into_iter()
        .chain(JSON_OPTION_FIELDS)
        .collect();
    let mut overlap = 0;
    let mut differences = BTreeSet::new();
    for entry in &json {
        let object = entry.as_object().expect("each row is an object");
        for field in object.keys() {
            assert!(
                known_fields.contains(field.as_str()),
                "unknown JSON field {field}"
            );
        }
        let field = |name: &str| object.get(name).and_then(Value::as_str).unwrap_or("");
        // The JSON prints hex and the odd-group sentence in capitals.
        let pattern: TagPattern = parse_tag_pattern(
            &field("tag")
                .replace("WHERE GGGG IS ODD", "where gggg is odd")
                .replace("(GGGG,EEEE)", "(gggg,eeee)"),
        )
        .unwrap_or_else(|e| panic!("JSON tag {:?}: {e}", field("tag")));
        let Some(xml) = by_pattern.get(&(pattern.value, pattern.mask)) else {
            continue;
        };
        overlap += 1;

        let json_name = field("name")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(xml.name, json_name, "name of {}", xml.tag_text);

        let yes_no = if xml.in_standard_iod { "Y" } else { "N" };
        let mut cells = vec![("basicProfile", xml.basic), ("stdCompIOD", yes_no)];
        for (json_field, option) in JSON_OPTION_FIELDS.iter().zip(xml.options) {
            cells.push((json_field, option.unwrap_or("")));
        }
        for (json_field, ours) in cells {
            let theirs = field(json_field);
            if ours != theirs {
                eprintln!(
                    "2026c vs 2024b: {} {:?} {json_field}: {ours:?} vs {theirs:?}",
                    xml.tag_text, xml.name
                );
                differences.insert((xml.tag_text.clone(), json_field, ours, theirs.to_string()));
            }
        }
    }
    eprintln!(
        "{overlap} of {} JSON rows matched a Table E.1-1 row; {} cell(s) differ",
        json.len(),
        differences.len()
    );
    assert!(overlap >= 600, "only {overlap} tags in common");

    let expected: BTreeSet<_> = KNOWN_DIFFERENCES
        .iter()
        .map(|(tag, field, ours, theirs)| (tag.to_string(), *field, *ours, theirs.to_string()))
        .collect();
    assert_eq!(
        differences, expected,
        "differences from the 2024b JSON changed (update KNOWN_DIFFERENCES with a reason)"
    );
}

#[test]
fn committed_files_are_fresh() {
    let Some(dir) = standard_dir() else { return };
    let generated = generate(&dir, &cid7050_tsv_path()).expect("generation succeeds");
    assert_eq!(generated.files.len(), 3);
    for file in &generated.files {
        let path = default_out_dir().join(file.name);
        let on_disk = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}; run `cargo xtask gen-tables`", path.display()));
        assert!(
            on_disk == file.contents,
            "{} differs from the generator's output: do not edit it by hand, run \
             `cargo xtask gen-tables`",
            path.display()
        );
    }
}

#[test]
fn generated_files_name_their_source() {
    let Some(dir) = standard_dir() else { return };
    let generated = generate(&dir, &cid7050_tsv_path()).unwrap();
    let hash = "77d60b856faf4223ab40a398c53130fc0ee9490d0d811ee3536e6d25c02ac717";
    for file in &generated.files {
        let head: String = file.contents.lines().take(6).collect::<Vec<_>>().join("\n");
        assert!(
            head.contains("generated by `cargo xtask gen-tables`"),
            "{head}"
        );
        assert!(
            head.contains(&format!("{STANDARD_FILE}, SHA-256 {hash}")),
            "{head}"
        );
        assert!(file.contents.contains("use super::model::"));
        // No path of this machine may end up in a committed file.
        let root = xtask::gen_tables::workspace_root();
        assert!(
            !file.contents.contains(&*root.to_string_lossy()),
            "{}",
            file.name
        );
        assert!(
            !file.contents.contains(env!("CARGO_MANIFEST_DIR")),
            "{}",
            file.name
        );
    }
    assert!(generated.files[0]
        .contents
        .contains("pub static TABLE_E1_1: [AttributeRule; 656] = ["));
    assert!(generated.files[1]
        .contents
        .contains("pub static TABLE_E3_10_1: [SafePrivateRule; 479] = ["));
    assert!(generated.files[2]
        .contents
        .contains("pub static CID_7050: [DeidMethodCode; 13] = ["));
}

/// A scratch directory in the system temp folder, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("xtask-gen-tables-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[test]
fn wrong_sha256_is_refused() {
    // Needs nothing from shared/: a stand-in XML whose hash is not the published one.
    let scratch = Scratch::new("wrong-hash");
    let published = "77d60b856faf4223ab40a398c53130fc0ee9490d0d811ee3536e6d25c02ac717";
    fs::write(scratch.0.join(STANDARD_FILE), "<book/>").unwrap();
    fs::write(
        scratch.0.join(SUMS_FILE),
        format!("{published}  {STANDARD_FILE}\n"),
    )
    .unwrap();
    let error = format!("{:#}", load_standard(&scratch.0).unwrap_err());
    assert!(error.contains("refusing"), "{error}");
    assert!(error.contains("mismatch"), "{error}");
    assert!(
        generate(&scratch.0, &cid7050_tsv_path()).is_err(),
        "generate must refuse it too"
    );

    // No line for the file at all is refused as well.
    fs::write(
        scratch.0.join(SUMS_FILE),
        format!("{published}  other.xml\n"),
    )
    .unwrap();
    assert!(load_standard(&scratch.0).is_err());

    // With the right hash the stand-in is accepted, then fails loudly for lack of the tables.
    fs::write(
        scratch.0.join(SUMS_FILE),
        format!("{}  {STANDARD_FILE}\n", sha256_hex(b"<book/>")),
    )
    .unwrap();
    let standard = load_standard(&scratch.0).expect("a matching hash is accepted");
    let error = format!("{:#}", parse_tables(&standard.xml).unwrap_err());
    assert!(error.contains("table_E.1-1"), "{error}");
}

#[test]
fn a_changed_copy_of_the_real_standard_is_refused() {
    let Some(dir) = standard_dir() else { return };
    let scratch = Scratch::new("changed-copy");
    let mut bytes = fs::read(dir.join(STANDARD_FILE)).unwrap();
    // Flip the Basic Profile action of the first row: an edit a hash check must catch.
    let at = bytes
        .windows(4)
        .position(|w| w == b">Z</")
        .expect("some cell reads Z");
    bytes[at + 1] = b'X';
    fs::write(scratch.0.join(STANDARD_FILE), &bytes).unwrap();
    fs::copy(dir.join(SUMS_FILE), scratch.0.join(SUMS_FILE)).unwrap();
    let error = format!("{:#}", load_standard(&scratch.0).unwrap_err());
    assert!(error.contains("mismatch"), "{error}");
}
