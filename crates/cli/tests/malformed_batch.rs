//! A batch of broken files among good ones through the command line: each broken file is named
//! with the library's own error, and every other file is written.

use common::*;
use dicom_leakcheck::Options;
use dicom_leakcheck_testkit as common;
// The malformed-file suite's encoders and base files (crates/core/tests/malformed_suite).
#[path = "../../core/tests/malformed_suite/encode.rs"]
#[allow(dead_code)]
mod encode;
#[path = "../../core/tests/malformed_suite/support.rs"]
mod support;
use encode::*;
use support::*;

#[test]
fn cli_batch_with_broken_files_among_good_ones() {
    use std::process::Command;
    let dir = TempDir::new("malformed-batch");
    let sample = dicom_leakcheck::sample::sample_file();
    let good: Vec<(&str, Vec<u8>)> = vec![
        ("good/explicit.dcm", sample.clone()),
        (
            "good/implicit.dcm",
            part10(&sibling_image("2.25.61", "20240303"), IMPLICIT_LE),
        ),
        (
            "good/deflated.dcm",
            part10(&sibling_image("2.25.62", "20240304"), DEFLATED),
        ),
        (
            "good/big-endian.dcm",
            part10(&sibling_image("2.25.63", "20240305"), EXPLICIT_BE),
        ),
    ];
    // Broken files, each with the exact error the library gives for it.
    let name_at = dicom_leakcheck::inspect(&sample, Options::basic())
        .unwrap()
        .elements
        .iter()
        .find(|f| f.path == "(0010,0010)")
        .unwrap()
        .offset;
    let mut lying = sample.clone();
    lying[name_at + 6..name_at + 8].copy_from_slice(&0xFFFF_u16.to_le_bytes());
    let e = Enc::ExplicitLe;
    let not_items = Base::new(
        "explicit LE",
        EXPLICIT_LE,
        dataset(
            e,
            &[e.element(
                PATIENT_ID,
                b"SQ",
                &e.element(PATIENT_NAME, b"PN", b"DOE^JOHN", None),
                None,
            )],
        ),
    )
    .whole();
    let mut garbage_deflate = Base::new("deflated", DEFLATED, Vec::new()).meta;
    garbage_deflate.extend_from_slice(b"\xFF\xFF\xFF\xFF not deflate at all");
    let broken: Vec<(&str, Vec<u8>)> = vec![
        ("broken/lying-length.dcm", lying),
        ("broken/sequence-of-elements.dcm", not_items),
        ("broken/not-deflate.dcm", garbage_deflate),
    ];
    // Readable with a warning: written.
    let open_item = Base::new(
        "explicit LE",
        EXPLICIT_LE,
        dataset(
            e,
            &[
                e.element(CONTENT_SEQUENCE, b"SQ", &[], Some(u32::MAX)),
                e.marker(0xE000, u32::MAX),
                e.element(PERSON_NAME, b"PN", b"DOE^JOHN", None),
            ],
        ),
    )
    .whole();
    for (path, bytes) in good.iter().chain(&broken) {
        dir.write(&format!("in/{path}"), bytes);
    }
    dir.write("in/odd/open-item.dcm", &open_item);
    dir.write("in/readme.txt", b"Scans of the study, see the ticket.\n");

    let out = dir.join("out");
    let output = Command::new(env!("CARGO_BIN_EXE_dicom-leakcheck"))
        .arg("deid")
        .arg("--keep-paths")
        .arg("--out")
        .arg(&out)
        .arg(dir.join("in"))
        .output()
        .expect("the binary runs");
    let (says, errors) = (
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    );
    // docs/cli.md "Exit codes": exit 1 when some file failed.
    assert_eq!(output.status.code(), Some(1), "{says}\n{errors}");
    assert!(says.contains("de-identified 5 files"), "{says}");
    assert!(says.contains("3 failed; 1 non-DICOM skipped"), "{says}");
    for (path, bytes) in &broken {
        let expected = dicom_leakcheck::inspect(bytes, Options::basic()).expect_err(path);
        let full = dir.join(&format!("in/{path}")).display().to_string();
        let line = errors
            .lines()
            .find(|l| l.contains(&full))
            .unwrap_or_else(|| panic!("{path} is not named: {errors}"));
        assert!(
            line.contains(&expected.to_string()),
            "{path}: {line} lacks {expected}"
        );
        assert!(line.contains("at byte"), "{line}");
        assert!(!out.join(path).exists(), "{path} was written");
    }
    for (path, _) in good.iter().chain([&("odd/open-item.dcm", vec![])]) {
        let bytes = std::fs::read(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_no_phi_in_bytes(&readable_bytes(&bytes), &FAKE_PHI, path);
        read_back(&bytes);
    }
}
