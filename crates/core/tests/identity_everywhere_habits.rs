//! Issue 10, second round: writing habits the first round missed. Names glued to short codes
//! and digits, two-character CJK names, IDs with other separators or without their leading
//! zeros, birth dates with a two-digit year, Turkish capitals and unaccented spellings, text
//! in retired binary elements stored as UN, and UTF-16 text after a binary header. Each test
//! builds its own synthetic file and checks the report, the output and the re-check.

use dicom_leakcheck_testkit as common;

use common::*;
use dicom_core::{Tag, VR};

const STUDY_DESCRIPTION: Tag = Tag(0x0008, 0x1030);
const SERIES_DESCRIPTION: Tag = Tag(0x0008, 0x103E);
const IMAGE_COMMENTS: Tag = Tag(0x0020, 0x4000);
const SPECIFIC_CHARACTER_SET: Tag = Tag(0x0008, 0x0005);
/// Philips Imaging DD 097 (2001,xx2F) "Volume Mask Data", OB: safe in PS3.15 Table E.3.10-1.
const SAFE_PRIVATE_CREATOR: Tag = Tag(0x2001, 0x0010);
const SAFE_PRIVATE_OB: Tag = Tag(0x2001, 0x102F);

#[test]
fn regression_name_glued_to_a_short_code_and_digits_is_masked() {
    let dataset = sample_with([
        text(PATIENT_NAME, VR::PN, "ADEYEMI^TUNDE"),
        // A 3-letter code before the family name, digits after it.
        text(WINDOW_EXPLANATION, VR::LO, "ROIADEYEMI07"),
        // A sequence code before it, the given name after it.
        text(SERIES_DESCRIPTION, VR::LO, "GREADEYEMITUNDE"),
        // A letter-digit code before it.
        text(IMAGE_COMMENTS, VR::LT, "T2WADEYEMI follow-up"),
        // The given name's initial glued to the family name: a user name.
        text(Tag(0x0040, 0x0254), VR::LO, "tadeyemi"),
        // An initial that is not the person's stays a different word.
        text(STUDY_DESCRIPTION, VR::LO, "KADEYEMI"),
    ]);
    let (report, done) = run_checked(&dataset, &["clean-descriptors"]);
    for path in ["(0028,1055)", "(0008,103E)", "(0020,4000)", "(0040,0254)"] {
        assert_reported(&report, path);
    }
    assert_gone(&done, &["TUNDE"]);
    assert_eq!(output_value(&done, WINDOW_EXPLANATION), "ROIXXXXXXX07");
    assert_eq!(output_value(&done, SERIES_DESCRIPTION), "GREXXXXXXXXXXXX");
    assert_eq!(output_value(&done, Tag(0x0040, 0x0254)), "tXXXXXXX");
    assert_eq!(output_value(&done, IMAGE_COMMENTS), "T2WXXXXXXX follow-up");
    assert_eq!(output_value(&done, STUDY_DESCRIPTION), "KADEYEMI");
}

#[test]
fn regression_short_name_part_inside_an_ordinary_word_is_kept() {
    let dataset = sample_with([
        text(PATIENT_NAME, VR::PN, "WARD^EDNA"),
        // A short glue word before a 4-letter part spells an ordinary word; a title does not.
        text(SERIES_DESCRIPTION, VR::LO, "FORWARD TILT UPWARD"),
        text(IMAGE_COMMENTS, VR::LT, "seen by DRWARD"),
        // A long part turned into another word by a suffix or a prefix.
        text(Tag(0x0010, 0x1001), VR::PN, "ROWAN^KAY"),
        text(STUDY_DESCRIPTION, VR::LO, "ROWANS REROWAN KNEE"),
    ]);
    let (report, done) = run_checked(&dataset, &["clean-descriptors"]);
    assert_reported(&report, "(0020,4000)");
    assert_eq!(
        output_value(&done, SERIES_DESCRIPTION),
        "FORWARD TILT UPWARD"
    );
    assert_eq!(output_value(&done, IMAGE_COMMENTS), "seen by DRXXXX");
    assert_eq!(
        output_value(&done, STUDY_DESCRIPTION),
        "ROWANS REROWAN KNEE"
    );
}

#[test]
fn regression_two_character_cjk_name_written_glued_is_masked() {
    let dataset = sample_with([
        text(SPECIFIC_CHARACTER_SET, VR::CS, "ISO_IR 192"),
        text(PATIENT_NAME, VR::PN, "Wang^Fang=王^芳"),
        text(IMAGE_COMMENTS, VR::LT, "王芳 复诊"),
        // One character of the name inside other words, and the name reversed, are not it.
        text(STUDY_DESCRIPTION, VR::LO, "芳香 芳王"),
    ]);
    let (report, done) = run_checked(&dataset, &["clean-descriptors"]);
    assert_reported(&report, "(0020,4000)");
    assert_eq!(output_value(&done, IMAGE_COMMENTS), "XX 复诊");
    assert_eq!(output_value(&done, STUDY_DESCRIPTION), "芳香 芳王");
}

#[test]
fn regression_id_with_other_separators_or_without_leading_zeros_is_masked() {
    let dataset = sample_with([
        text(PATIENT_ID, VR::LO, "552 017 8833"),
        text(
            IMAGE_COMMENTS,
            VR::LT,
            "ref 552-017-8833, 552.017.8833, 5520178833",
        ),
        // The same digits grouped elsewhere, or a part of them, are not the ID.
        text(STUDY_DESCRIPTION, VR::LO, "55 20 178833 552 017 mGy"),
    ]);
    let (report, done) = run_checked(&dataset, &["clean-descriptors"]);
    assert_reported(&report, "(0020,4000)");
    assert_eq!(
        output_value(&done, IMAGE_COMMENTS),
        "ref XXXXXXXXXXXX, XXXXXXXXXXXX, XXXXXXXXXX"
    );
    assert_eq!(
        output_value(&done, STUDY_DESCRIPTION),
        "55 20 178833 552 017 mGy"
    );

    let dataset = sample_with([
        text(PATIENT_ID, VR::LO, "000418827"),
        text(IMAGE_COMMENTS, VR::LT, "MRN 418827 checked"),
        text(STUDY_DESCRIPTION, VR::LO, "4188270 ml"),
    ]);
    let (report, done) = run_checked(&dataset, &["clean-descriptors"]);
    assert_reported(&report, "(0020,4000)");
    assert_eq!(output_value(&done, IMAGE_COMMENTS), "MRN XXXXXX checked");
    assert_eq!(output_value(&done, STUDY_DESCRIPTION), "4188270 ml");
}

#[test]
fn regression_birth_date_with_a_two_digit_year_is_masked() {
    let dataset = sample_with([
        text(PATIENT_BIRTH_DATE, VR::DA, "19590714"),
        text(IMAGE_COMMENTS, VR::LT, "b. 14-Jul-59; Jul 14, '59; 14JUL59"),
        text(WINDOW_EXPLANATION, VR::LO, "DOB 14/07/59"),
        text(SERIES_DESCRIPTION, VR::LO, "D.O.B. 590714"),
        // Another year, and numbers that only look like the date without a label, stay.
        text(STUDY_DESCRIPTION, VR::LO, "14-Jul-58 ratio 14/07/59"),
    ]);
    let (report, done) = run_checked(&dataset, &["clean-descriptors"]);
    for path in ["(0020,4000)", "(0028,1055)", "(0008,103E)"] {
        assert_reported(&report, path);
    }
    assert_eq!(
        output_value(&done, IMAGE_COMMENTS),
        "b. XXXXXXXXX; XXXXXXXXXXX; XXXXXXX"
    );
    assert_eq!(output_value(&done, WINDOW_EXPLANATION), "DOB XXXXXXXX");
    assert_eq!(output_value(&done, SERIES_DESCRIPTION), "D.O.B. XXXXXX");
    assert_eq!(
        output_value(&done, STUDY_DESCRIPTION),
        "14-Jul-58 ratio 14/07/59"
    );
}

/// ISO 8859-9 (Latin-5) bytes of a string whose only non-ASCII letters are Turkish.
fn latin5(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            'Ş' => 0xDE,
            'ş' => 0xFE,
            'İ' => 0xDD,
            'ı' => 0xFD,
            'Ğ' => 0xD0,
            'ğ' => 0xF0,
            'ü' => 0xFC,
            'Ü' => 0xDC,
            'ö' => 0xF6,
            'ç' => 0xE7,
            c if c.is_ascii() => c as u8,
            c => panic!("{c} is not in this test's Latin-5 table"),
        })
        .collect()
}

#[test]
fn regression_turkish_capitals_and_unaccented_names_match_and_the_rest_survives() {
    let dataset = sample_with([
        text(SPECIFIC_CHARACTER_SET, VR::CS, "ISO_IR 148"),
        binary(PATIENT_NAME, VR::PN, latin5("ŞAHİN^GÜLİZ")),
        binary(STUDY_DESCRIPTION, VR::LO, latin5("Şahin Güliz kontrolü")),
        // Written without the Turkish letters, as an ASCII-only system does.
        binary(IMAGE_COMMENTS, VR::LT, latin5("SAHIN GULIZ ığdır")),
    ]);
    let input = part10(&dataset, EXPLICIT_LE);
    let report = dicom_leakcheck::inspect(&input, options(&["clean-descriptors"])).unwrap();
    assert_reported(&report, "(0008,1030)");
    assert_reported(&report, "(0020,4000)");
    let done = deid(&input, options(&["clean-descriptors"]));
    assert!(done.residual.is_empty(), "{:?}", done.residual);
    // Each name masked letter for letter; the other words keep their Latin-5 bytes.
    assert!(find_bytes(&done.bytes, b"XXXXX XXXXX kontrol\xFC").is_some());
    assert!(find_bytes(&done.bytes, &latin5("XXXXX XXXXX ığdır")).is_some());
    assert!(find_bytes(&done.bytes, &latin5("Şahin")).is_none());
}

#[test]
fn regression_name_spelled_without_umlauts_is_masked() {
    let dataset = sample_with([
        text(SPECIFIC_CHARACTER_SET, VR::CS, "ISO_IR 192"),
        text(PATIENT_NAME, VR::PN, "KRÜGER^BJØRN"),
        text(IMAGE_COMMENTS, VR::LT, "KRUEGER BJOERN, Kruger Bjorn"),
    ]);
    let (report, done) = run_checked(&dataset, &["clean-descriptors"]);
    assert_reported(&report, "(0020,4000)");
    assert_eq!(
        output_value(&done, IMAGE_COMMENTS),
        "XXXXXXX XXXXXX, XXXXXX XXXXX"
    );
}

#[test]
fn regression_id_and_latin1_name_in_a_retired_binary_element_stored_as_un_are_masked() {
    // Planes (0028,0012) is US in the dictionary (retired): here an ID with two letters
    // only, and (0028,0005) Image Dimensions holds a Latin-1 name.
    let dataset = sample_with([
        text(SPECIFIC_CHARACTER_SET, VR::CS, "ISO_IR 100"),
        binary(PATIENT_NAME, VR::PN, b"M\xDCLLER^ANNE".to_vec()),
        text(PATIENT_ID, VR::LO, "KX-4419930"),
        binary(Tag(0x0028, 0x0012), VR::UN, b"KX-4419930".to_vec()),
        binary(Tag(0x0028, 0x0005), VR::UN, b"M\xDCLLER ".to_vec()),
    ]);
    let (report, done) = run_checked(&dataset, &[]);
    for path in ["(0028,0012)", "(0028,0005)"] {
        let f = finding(&report, path);
        assert!(f.flagged, "{f:?}");
        assert_eq!(f.vr, "UN");
    }
    assert!(find_bytes(&done.bytes, b"4419930").is_none());
    assert!(find_bytes(&done.bytes, b"M\xDCLLER").is_none());
}

#[test]
fn regression_text_after_a_binary_header_at_an_odd_offset_is_masked() {
    let mut value = vec![0x05, 0x00, 0x02];
    value.extend(
        "ZX-0993-41 OKONKWO"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    // A single-byte length field with the high bit set, right before ASCII text.
    value.extend(b"\x00\xC7ZX-0993-41\x00");
    let dataset = sample_with([
        text(PATIENT_NAME, VR::PN, "OKONKWO^ADA"),
        text(PATIENT_ID, VR::LO, "ZX-0993-41"),
        text(SAFE_PRIVATE_CREATOR, VR::LO, "Philips Imaging DD 097"),
        binary(SAFE_PRIVATE_OB, VR::OB, value.clone()),
    ]);
    let (report, done) = run_checked(&dataset, &["retain-safe-private"]);
    assert_reported(&report, "(2001,102F)");
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    assert!(find_bytes(&done.bytes, &utf16("0993")).is_none());
    assert!(find_bytes(&done.bytes, &utf16("OKONKWO")).is_none());
    assert!(find_bytes(&done.bytes, b"0993").is_none());
    // The header bytes stay as they were, and the value keeps its length.
    let output = read_back(&done.bytes);
    let kept = output.element(SAFE_PRIVATE_OB).unwrap().to_bytes().unwrap();
    assert_eq!(kept.len(), value.len());
    assert_eq!(&kept[..3], &[0x05, 0x00, 0x02]);
}

#[test]
fn regression_code_extension_after_an_ascii_term_decodes_the_names() {
    // "ISO 2022 IR 6\ISO 2022 IR 87": ASCII first, Japanese as a code extension (PS3.5
    // 6.1.2.5); the names are in the extension.
    let jis = dicom_encoding::text::SpecificCharacterSet::from_code("ISO 2022 IR 87").unwrap();
    let encode = |text: &str| {
        use dicom_encoding::text::TextCodec;
        jis.encode(text).unwrap()
    };
    let dataset = sample_with([
        text(
            SPECIFIC_CHARACTER_SET,
            VR::CS,
            "ISO 2022 IR 6\\ISO 2022 IR 87",
        ),
        binary(PATIENT_NAME, VR::PN, encode("Yamada^Taro=山田^太郎")),
        binary(IMAGE_COMMENTS, VR::LT, encode("山田太郎 検査")),
    ]);
    let (report, done) = run_checked(&dataset, &["clean-descriptors"]);
    assert_reported(&report, "(0020,4000)");
    assert!(find_bytes(&done.bytes, &encode("山田太郎")).is_none());
    // Masked in place: a full-width X for each kanji, in the kanji's own set.
    assert!(find_bytes(&done.bytes, &encode("ＸＸＸＸ 検査")).is_some());
}

#[test]
fn regression_birth_date_written_with_cjk_units_is_masked() {
    let dataset = sample_with([
        text(SPECIFIC_CHARACTER_SET, VR::CS, "ISO_IR 192"),
        text(PATIENT_BIRTH_DATE, VR::DA, "19610303"),
        text(IMAGE_COMMENTS, VR::LT, "1961年3月3日生"),
        text(STUDY_DESCRIPTION, VR::LO, "2021年3月3日"),
    ]);
    let (report, done) = run_checked(&dataset, &["clean-descriptors"]);
    assert_reported(&report, "(0020,4000)");
    assert_eq!(output_value(&done, IMAGE_COMMENTS), "XXXXXXXX日生");
    assert_eq!(output_value(&done, STUDY_DESCRIPTION), "2021年3月3日");
}
