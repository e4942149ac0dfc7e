//! Every file of the public pydicom test corpus (fetched by scripts/fetch-corpus.sh; its folder
//! is passed in LEAKCHECK_CORPUS) is inspected and de-identified without a panic; outputs parse
//! again, keep Pixel Data byte for byte, and re-inspect with nothing left flagged.

use common::corpus_files;
use dicom_leakcheck_testkit as common;

use common::{inspect_or_parse_error as inspect, Run};
use dicom_leakcheck::parse::{parse, PIXEL_DATA};
use dicom_leakcheck::{Key, Options, Request};
use std::path::Path;

fn pixel_bytes(bytes: &[u8]) -> Option<Vec<u8>> {
    let parsed = parse(bytes).ok()?;
    let pixels = parsed.dataset.iter().find(|e| e.tag == PIXEL_DATA)?;
    // Native or encapsulated alike, the value range holds the Pixel Data as stored.
    Some(parsed.dataset_bytes[pixels.value.clone()].to_vec())
}

fn check_file(path: &Path, deidentifier: &Run) -> Result<bool, String> {
    let input = std::fs::read(path).map_err(|e| e.to_string())?;
    let report = match inspect(&input, Options::basic()) {
        Ok(report) => report,
        Err(e) if e.is_not_dicom() => return Ok(false),
        Err(e) => {
            assert!(
                !e.message.is_empty(),
                "{}: empty error message",
                path.display()
            );
            return Ok(false);
        }
    };
    assert!(!report.summary.text.is_empty());
    let before = input.clone();
    let done = deidentifier
        .deidentify(&input)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    assert_eq!(input, before, "{}: input changed", path.display());
    assert!(
        done.residual.is_empty(),
        "{}: still flagged after de-identification: {:?}",
        path.display(),
        done.residual
            .iter()
            .map(|f| (&f.path, &f.value))
            .collect::<Vec<_>>()
    );
    let out = parse(&done.bytes)
        .map_err(|e| format!("{}: output does not parse: {e}", path.display()))?;
    assert!(
        out.has_preamble,
        "{}: output has no preamble",
        path.display()
    );
    assert_eq!(
        pixel_bytes(&input),
        pixel_bytes(&done.bytes),
        "{}: Pixel Data changed",
        path.display()
    );
    Ok(true)
}

#[test]
fn every_corpus_file_deidentifies_cleanly() {
    let Some(files) = corpus_files() else {
        return;
    };
    let deidentifier = Run {
        request: Request::deidentify(Options::basic(), Key::from_bytes([42; 32])),
    };
    let mut done = 0;
    let mut failures = Vec::new();
    for path in &files {
        match check_file(path, &deidentifier) {
            Ok(true) => done += 1,
            Ok(false) => {}
            Err(e) => failures.push(e),
        }
    }
    // The corpus's deliberately broken files (truncated, implicit data under a JPEG syntax)
    // must fail with errors, the rest must go through.
    assert!(
        done >= 180,
        "only {done} of {} files de-identified",
        files.len()
    );
    assert!(failures.len() <= 4, "unexpected failures: {failures:#?}");
}

#[test]
fn every_corpus_file_deidentifies_with_all_retaining_options() {
    let Some(files) = corpus_files() else {
        return;
    };
    let names = [
        "retain-safe-private",
        "retain-device-identity",
        "retain-institution-identity",
        "retain-patient-characteristics",
        "retain-long-modified-dates",
        "clean-descriptors",
        "clean-structured-content",
        "clean-graphics",
    ];
    let options = Options::from_names(&names).expect("known options");
    let deidentifier = Run {
        request: Request::deidentify(options, Key::from_bytes([7; 32])),
    };
    let mut done = 0;
    for path in &files {
        if let Ok(true) = check_file(path, &deidentifier) {
            done += 1;
        }
    }
    assert!(done >= 180, "only {done} files de-identified");
}
