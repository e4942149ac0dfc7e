//! Issue 10, third round: how names and dates are written in other scripts and encodings.
//! CJK compound names written whole, ISO 2022 code extensions with escape sequences, half-width
//! katakana, GB18030 four-byte characters, a character set declared in a sequence item, month
//! names of other languages, short national numbers, text in retired binary elements of an
//! Implicit VR file, and UTF-16 in OW. Each test builds its own synthetic file and checks the
//! report, the output and the re-check.

use dicom_leakcheck_testkit as common;

use common::*;
use dicom_core::{Tag, VR};
use dicom_encoding::text::{SpecificCharacterSet, TextCodec};

const STUDY_DESCRIPTION: Tag = Tag(0x0008, 0x1030);
const IMAGE_COMMENTS: Tag = Tag(0x0020, 0x4000);
const SPECIFIC_CHARACTER_SET: Tag = Tag(0x0008, 0x0005);
const PROCEDURE_CODE_SEQUENCE: Tag = Tag(0x0008, 0x1032);
const CODE_VALUE: Tag = Tag(0x0008, 0x0100);
const CODING_SCHEME: Tag = Tag(0x0008, 0x0102);
const CODE_MEANING: Tag = Tag(0x0008, 0x0104);

/// JIS X 0208 text in ISO 2022 form (`ESC $ B` ... `ESC ( B`: back to ASCII at the end, as
/// PS3.5 6.1.2.5.3 asks).
fn jis(text: &str) -> Vec<u8> {
    let mut bytes = SpecificCharacterSet::from_code("ISO 2022 IR 87")
        .unwrap()
        .encode(text)
        .unwrap();
    if !bytes.ends_with(b"\x1B(B") {
        bytes.extend(b"\x1B(B");
    }
    bytes
}

/// Half-width katakana as JIS X 0201 G1 bytes (ISO_IR 13).
fn kana_g1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c as u32 {
            0xFF61..=0xFF9F => (c as u32 - 0xFF61 + 0xA1) as u8,
            _ if c.is_ascii() => c as u8,
            _ => panic!("{c} is not half-width katakana"),
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find_bytes(haystack, needle).is_some()
}

#[test]
fn regression_cjk_compound_name_written_whole_is_masked() {
    // Patient's Name written without a separator: the whole value is the name, found glued
    // to other words and with a space anywhere.
    let dataset = sample_with([
        text(SPECIFIC_CHARACTER_SET, VR::CS, "ISO_IR 192"),
        text(PATIENT_NAME, VR::PN, "Zhuge^Liang=诸葛亮"),
        text(Tag(0x0010, 0x1001), VR::PN, "欧阳^娜娜"),
        text(IMAGE_COMMENTS, VR::LT, "诸葛 亮复查; 欧阳娜娜随访"),
        text(STUDY_DESCRIPTION, VR::LO, "亮度 阳性"),
    ]);
    let (report, done) = run_checked(&dataset, &["clean-descriptors"]);
    assert_reported(&report, "(0020,4000)");
    assert_eq!(output_value(&done, IMAGE_COMMENTS), "XXXX复查; XXXX随访");
    assert_eq!(output_value(&done, STUDY_DESCRIPTION), "亮度 阳性");
}

/// PS3.5 H.3.2: "Yamada^Taro" in half-width katakana (G1), kanji and hiragana (ESC $ B).
const YAMADA_IR13_IR87: &[u8] = b"\xD4\xCF\xC0\xDE^\xC0\xDB\xB3=\x1B$B;3ED\x1B(J^\x1B$BB@O:\x1B(J=\x1B$B$d$^$@\x1B(J^\x1B$B$?$m$&\x1B(J";

#[test]
fn regression_iso_2022_ir_13_and_ir_87_values_with_escape_sequences_are_masked() {
    let mut comments = jis("山田太郎検査");
    comments.extend(b" ");
    comments.extend(kana_g1("ﾔﾏﾀﾞﾀﾛｳ"));
    comments.extend(b" OK");
    let dataset = sample_with([
        text(
            SPECIFIC_CHARACTER_SET,
            VR::CS,
            "ISO 2022 IR 13\\ISO 2022 IR 87",
        ),
        binary(PATIENT_NAME, VR::PN, YAMADA_IR13_IR87.to_vec()),
        binary(IMAGE_COMMENTS, VR::LT, comments),
    ]);
    let (report, done) = run_checked(&dataset, &["clean-descriptors"]);
    assert_reported(&report, "(0020,4000)");
    // The kanji and the katakana are gone; the rest keeps its bytes and escapes.
    assert!(!contains(&done.bytes, b";3EDB@O:"));
    assert!(!contains(&done.bytes, &kana_g1("ﾔﾏﾀﾞ")));
    let mut expected = jis("ＸＸＸＸ検査");
    expected.extend(b" XXXXXXX OK");
    assert!(contains(&done.bytes, &expected), "{:?}", done.bytes);
}

#[test]
fn regression_half_width_katakana_matches_full_width() {
    let dataset = sample_with([
        text(SPECIFIC_CHARACTER_SET, VR::CS, "ISO_IR 192"),
        text(PATIENT_NAME, VR::PN, "ﾔﾏﾀﾞ^ﾀﾛｳ"),
        text(Tag(0x0010, 0x1001), VR::PN, "サトウ^ハナコ"),
        text(IMAGE_COMMENTS, VR::LT, "ヤマダ タロウ; ヤマダタロウ"),
        text(STUDY_DESCRIPTION, VR::LO, "ｻﾄｳﾊﾅｺ 検査"),
    ]);
    let (report, done) = run_checked(&dataset, &["clean-descriptors"]);
    assert_reported(&report, "(0020,4000)");
    assert_reported(&report, "(0008,1030)");
    // The space between the two parts goes with the name.
    assert_eq!(output_value(&done, IMAGE_COMMENTS), "XXXXXXX; XXXXXX");
    assert_eq!(output_value(&done, STUDY_DESCRIPTION), "XXXXXX 検査");
}

#[test]
fn regression_gb18030_four_byte_characters_in_a_name_are_masked() {
    let gb = SpecificCharacterSet::from_code("GB18030").unwrap();
    let encode = |text: &str| gb.encode(text).unwrap();
    // 𠮷 (U+20BB7) is a four-byte sequence in GB18030.
    assert_eq!(encode("𠮷").len(), 4);
    let dataset = sample_with([
        text(SPECIFIC_CHARACTER_SET, VR::CS, "GB18030"),
        binary(PATIENT_NAME, VR::PN, encode("Ji^Yejia=𠮷^野家")),
        binary(IMAGE_COMMENTS, VR::LT, encode("𠮷野家复查")),
    ]);
    let (report, done) = run_checked(&dataset, &["clean-descriptors"]);
    assert_reported(&report, "(0020,4000)");
    assert!(!contains(&done.bytes, &encode("𠮷")));
    assert!(contains(&done.bytes, &encode("XXX复查")));
}

#[test]
fn regression_item_character_set_with_iso_2022_escapes_is_read_and_masked() {
    // The data set is Latin-1; a kept Procedure Code Sequence item declares Japanese with code
    // extensions and repeats the name in its Code Meaning (PS3.3 C.12.1.1.2).
    let mut meaning = b"CT ".to_vec();
    meaning.extend(jis("山田太郎"));
    meaning.extend(b" ");
    meaning.extend(kana_g1("ﾔﾏﾀﾞ"));
    let dataset = sample_with([
        text(SPECIFIC_CHARACTER_SET, VR::CS, "ISO_IR 100"),
        text(PATIENT_NAME, VR::PN, "YAMADA^TARO"),
        sequence(
            PROCEDURE_CODE_SEQUENCE,
            vec![item([
                text(
                    SPECIFIC_CHARACTER_SET,
                    VR::CS,
                    "ISO 2022 IR 13\\ISO 2022 IR 87",
                ),
                binary(PATIENT_NAME, VR::PN, YAMADA_IR13_IR87.to_vec()),
                text(CODE_VALUE, VR::SH, "CT123"),
                text(CODING_SCHEME, VR::SH, "99LOCAL"),
                binary(CODE_MEANING, VR::LO, meaning),
            ])],
        ),
    ]);
    let (report, done) = run_checked(&dataset, &[]);
    assert_reported(&report, "(0008,1032)[0].(0008,0104)");
    assert!(!contains(&done.bytes, b";3EDB@O:"));
    assert!(!contains(&done.bytes, &kana_g1("ﾔﾏﾀﾞ")));
    assert!(contains(&done.bytes, b"CT \x1B$B#X#X#X#X\x1B(B XXXX"));
}

#[test]
fn regression_birth_date_with_a_month_name_of_another_language_is_masked() {
    let dataset = sample_with([
        text(SPECIFIC_CHARACTER_SET, VR::CS, "ISO_IR 192"),
        text(PATIENT_BIRTH_DATE, VR::DA, "19610303"),
        text(
            IMAGE_COMMENTS,
            VR::LT,
            "Γεννήθηκε 3 Μαρτίου 1961; родился 3 марта 1961 г.; nacido el 3 de marzo de 1961",
        ),
        text(
            STUDY_DESCRIPTION,
            VR::LO,
            "3 Mart 1961 / 3 maart 1961 / 3 de março de 1962",
        ),
    ]);
    let (report, done) = run_checked(&dataset, &["clean-descriptors"]);
    assert_reported(&report, "(0020,4000)");
    assert_eq!(
        output_value(&done, IMAGE_COMMENTS),
        "Γεννήθηκε XXXXXXXXXXXXXX; родился XXXXXXXXXXXX г.; nacido el XXXXXXXXXXXXXXXXXX"
    );
    // Another year is another date.
    assert_eq!(
        output_value(&done, STUDY_DESCRIPTION),
        "XXXXXXXXXXX / XXXXXXXXXXXX / 3 de março de 1962"
    );
}

#[test]
fn regression_national_number_written_with_a_two_digit_year_is_masked() {
    // A Swedish personnummer stored with the century, written without it, and the other way.
    let dataset = sample_with([
        text(PATIENT_NAME, VR::PN, "LINDQVIST^ASTRID"),
        text(PATIENT_ID, VR::LO, "19610303-2389"),
        text(Tag(0x0010, 0x1000), VR::LO, "720515-4471"),
        text(
            IMAGE_COMMENTS,
            VR::LT,
            "pnr 610303-2389, 6103032389, 610303+2389",
        ),
        text(
            STUDY_DESCRIPTION,
            VR::LO,
            "ref 197205154471 / 19720515-4471",
        ),
    ]);
    let (report, done) = run_checked(&dataset, &["clean-descriptors"]);
    assert_reported(&report, "(0020,4000)");
    assert_reported(&report, "(0008,1030)");
    assert_eq!(
        output_value(&done, IMAGE_COMMENTS),
        "pnr XXXXXXXXXXX, XXXXXXXXXX, XXXXXXXXXXX"
    );
    assert_eq!(
        output_value(&done, STUDY_DESCRIPTION),
        "ref XXXXXXXXXXXX / XXXXXXXXXXXXX"
    );
}

/// Philips Imaging DD 097 (2001,xx2F) "Volume Mask Data": safe in PS3.15 Table E.3.10-1.
const SAFE_PRIVATE_CREATOR: Tag = Tag(0x2001, 0x0010);
const SAFE_PRIVATE_VALUE: Tag = Tag(0x2001, 0x102F);

fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn utf16be(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_be_bytes).collect()
}

#[test]
fn regression_utf16_text_in_ow_with_mixed_case_is_masked() {
    let mut value = vec![0x02, 0x00];
    value.extend(utf16le("Patient: Okafor Chidinma, MRN ng-55012"));
    let dataset = sample_with([
        text(PATIENT_NAME, VR::PN, "OKAFOR^CHIDINMA"),
        text(PATIENT_ID, VR::LO, "NG-55012"),
        text(SAFE_PRIVATE_CREATOR, VR::LO, "Philips Imaging DD 097"),
        binary(SAFE_PRIVATE_VALUE, VR::OW, value.clone()),
    ]);
    let (report, done) = run_checked(&dataset, &["retain-safe-private"]);
    assert_reported(&report, "(2001,102F)");
    assert!(!contains(&done.bytes, &utf16le("Okafor")));
    assert!(!contains(&done.bytes, &utf16le("55012")));
    assert!(contains(
        &done.bytes,
        &utf16le("Patient: XXXXXX XXXXXXXX, MRN XXXXXXXX")
    ));
}

#[test]
fn regression_utf16be_cjk_text_in_a_binary_value_is_masked() {
    // Three header bytes, then big-endian UTF-16 without a byte order mark.
    let mut value = vec![0x01, 0x07, 0x00];
    value.extend(utf16be("患者 金智恩 검사"));
    value.push(0x00);
    let dataset = sample_with([
        text(SPECIFIC_CHARACTER_SET, VR::CS, "ISO_IR 192"),
        text(PATIENT_NAME, VR::PN, "Kim^Jieun=金^智恩=김^지은"),
        text(SAFE_PRIVATE_CREATOR, VR::LO, "Philips Imaging DD 097"),
        binary(SAFE_PRIVATE_VALUE, VR::OB, value.clone()),
    ]);
    let (report, done) = run_checked(&dataset, &["retain-safe-private"]);
    assert_reported(&report, "(2001,102F)");
    assert!(!contains(&done.bytes, &utf16be("金智恩")));
    assert!(contains(&done.bytes, &utf16be("검사")));
}

#[test]
fn regression_text_in_retired_binary_elements_of_an_implicit_vr_file_is_masked() {
    // Implicit VR: the dictionary says Image Dimensions (0028,0005) is US, Original Image
    // Identification (0020,5000) AT and Image Location (0028,0200) US (all retired); these
    // hold text, with a line break, and UTF-16.
    let dataset = sample_with([
        text(PATIENT_NAME, VR::PN, "OKAFOR^CHIDI"),
        text(PATIENT_ID, VR::LO, "NG-55012"),
        binary(Tag(0x0028, 0x0005), VR::UN, b"OKAFOR CHIDI\r\nCT".to_vec()),
        binary(Tag(0x0020, 0x5000), VR::UN, b"NG-55012".to_vec()),
        binary(Tag(0x0028, 0x0200), VR::UN, utf16le("Okafor")),
        us(Tag(0x0028, 0x0010), 64),
    ]);
    let input = part10(&dataset, IMPLICIT_LE);
    let report = dicom_leakcheck::inspect(&input, options(&[])).unwrap();
    for path in ["(0028,0005)", "(0020,5000)", "(0028,0200)"] {
        let f = finding(&report, path);
        assert!(f.flagged, "{f:?}");
        assert_eq!(f.vr, "UN");
    }
    assert_eq!(finding(&report, "(0028,0010)").vr, "US");
    let done = deid(&input, options(&[]));
    assert!(done.residual.is_empty(), "{:?}", done.residual);
    assert!(!contains(&done.bytes, b"OKAFOR"));
    assert!(!contains(&done.bytes, b"55012"));
    assert!(!contains(&done.bytes, &utf16le("Okafor")));
}
