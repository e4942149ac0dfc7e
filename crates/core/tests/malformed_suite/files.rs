//! Not quite files, not DICOM, broken meta groups and unknown transfer syntaxes (the batch
//! through the command line is in the CLI's tests, `malformed_batch.rs`).

use crate::common::*;
use crate::support::*;
use dicom_leakcheck::{Options, ParseErrorKind};

#[test]
fn files_of_0_1_131_132_and_133_bytes() {
    let run = deidentifier(Options::basic());
    let sample = dicom_leakcheck::sample::sample_file();
    let mut preamble_dicm = vec![0u8; 128];
    preamble_dicm.extend_from_slice(b"DICM");
    let inputs: Vec<(&str, Vec<u8>, bool)> = vec![
        ("empty", vec![], true),
        ("one zero byte", vec![0], true),
        ("one 'D'", b"D".to_vec(), true),
        ("131 bytes of the sample", sample[..131].to_vec(), true),
        ("131 zero bytes", vec![0; 131], true),
        ("132 bytes: preamble and DICM", preamble_dicm.clone(), false),
        (
            "133 bytes: preamble, DICM and one byte",
            [&preamble_dicm[..], &[2]].concat(),
            false,
        ),
        ("133 bytes of the sample", sample[..133].to_vec(), false),
        ("\"DICM\" alone", b"DICM".to_vec(), false),
    ];
    for (what, input, not_dicom) in inputs {
        let outcome = check(&run, &input, what);
        let e = outcome.error().unwrap_or_else(|| panic!("{what}: read"));
        assert_eq!(e.is_not_dicom(), not_dicom, "{what}: {e}");
    }
}

#[test]
fn other_file_formats_are_not_dicom() {
    let run = deidentifier(Options::basic());
    let mut zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00".to_vec();
    zip.extend_from_slice(&[0x21; 20]);
    zip.extend_from_slice(b"patient.dcm");
    let inputs: Vec<(&str, Vec<u8>)> = vec![
        ("zip", zip),
        (
            "empty zip",
            b"PK\x05\x06".iter().copied().chain([0; 18]).collect(),
        ),
        (
            "gzip",
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcb\x48\xcd\xc9\xc9\x07\x00".to_vec(),
        ),
        (
            "jpeg",
            b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xFF\xD9"
                .to_vec(),
        ),
        (
            "png",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01".to_vec(),
        ),
        (
            "elf",
            b"\x7FELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00".to_vec(),
        ),
        (
            "html",
            b"<!DOCTYPE html><html><body>DOE^JOHN</body></html>".to_vec(),
        ),
        (
            "utf-16 text",
            "\u{FEFF}Patient DOE"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes())
                .collect(),
        ),
        (
            "tiff",
            b"II*\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00".to_vec(),
        ),
    ];
    for (what, input) in inputs {
        let outcome = check(&run, &input, what);
        let e = outcome.error().unwrap_or_else(|| panic!("{what}: read"));
        assert!(e.is_not_dicom(), "{what}: {e}");
    }
    // A DICM marker followed by something else: DICOM by its marker, then a specific error.
    let mut input = vec![0u8; 128];
    input.extend_from_slice(b"DICM\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01");
    let outcome = check(&run, &input, "DICM then PNG");
    assert!(outcome.error().is_some(), "DICM then PNG was read");
}

/// The meta group with its (0002,0000) element patched to `value`.
fn with_group_length(file: &[u8], value: u32) -> Vec<u8> {
    let mut out = file.to_vec();
    out[140..144].copy_from_slice(&value.to_le_bytes());
    out
}

#[test]
fn meta_group_with_a_wrong_group_length() {
    let run = deidentifier(Options::basic());
    for base in bases() {
        let file = base.whole();
        let right = u32::from_le_bytes(file[140..144].try_into().unwrap());
        for wrong in [0, 2, right - 1, right + 1, right + 8, right * 4, u32::MAX] {
            let what = format!("{}: group length {wrong} instead of {right}", base.name);
            let outcome = check(&run, &with_group_length(&file, wrong), &what);
            // The group is read by its group number (PS3.10 7.1 makes the length Type 1, but
            // it is redundant): nothing is dropped, and the output's length is right.
            let Outcome::Read {
                output, warnings, ..
            } = outcome
            else {
                panic!("{what}: refused");
            };
            assert!(
                warnings.iter().any(|w| w.contains("Group Length")),
                "{what}: no warning: {warnings:?}"
            );
            let written = u32::from_le_bytes(output[140..144].try_into().unwrap());
            assert_eq!(144 + written as usize, meta_end(&output), "{what}");
            read_back(&output);
        }
    }
}

#[test]
fn transfer_syntax_uids_that_are_unknown_or_broken() {
    let run = deidentifier(Options::basic());
    let explicit = raw_dataset(&synthetic_dataset(), EXPLICIT_LE);
    let implicit = raw_dataset(&synthetic_dataset(), IMPLICIT_LE);
    for (uid, plain, readable) in [
        ("1.2.3.4.5.6.7", &explicit, true),
        ("1.2.840.10008.1.2.4.9999", &explicit, true),
        ("NOT A UID \u{e9}", &explicit, true),
        ("", &explicit, true),
        ("", &implicit, true),
        ("1.2.3.4.5.6.7", &implicit, false),
    ] {
        let mut file = dicom_leakcheck::meta::file_meta_bytes(CT_IMAGE_STORAGE, "2.25.777", uid);
        let meta_len = file.len();
        file.extend_from_slice(plain);
        let what = format!("transfer syntax {uid:?}");
        let outcome = check(&run, &file, &what);
        match (readable, outcome.error()) {
            (true, None) => {}
            (false, Some(e)) => {
                assert_eq!(e.kind, ParseErrorKind::BadTransferSyntax, "{what}: {e}");
                assert_eq!(e.offset, Some(meta_len), "{what}: {e}");
            }
            (_, e) => panic!("{what}: {e:?}"),
        }
        if uid.is_empty() {
            assert!(
                outcome
                    .warnings()
                    .iter()
                    .any(|w| w.contains("Transfer Syntax UID")),
                "{what}: {:?}",
                outcome.warnings()
            );
        }
    }
}
