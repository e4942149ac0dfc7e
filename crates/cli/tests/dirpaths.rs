//! `deid` output paths, DICOMDIRs and batches (issue 10, classes 11 to 13): neutral paths by
//! default, the old-to-new mapping only in the --report, a DICOMDIR written anew over the
//! de-identified files, each input file once, and failures named in the summary.

use dicom_leakcheck_testkit as common;

use common::dicomdir::{original_dicomdir, read_records, ORIGINAL_FILE_SET_ID};
use common::*;
use dicom_core::VR;
use dicom_leakcheck::sample::sample_file;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn deid(args: &[&Path]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dicom-leakcheck"));
    command.arg("deid");
    for arg in args {
        command.arg(arg);
    }
    command.output().expect("the binary runs")
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Every file under `dir`, relative to it, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                out.push(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// Two fake patients whose names and IDs are in their folder and file names.
fn named_tree(dir: &TempDir) -> PathBuf {
    dir.write(
        "in/DOE_JOHN_LC-12345/CT HEAD DOE/scan_DOE_JOHN.dcm",
        &sample_file(),
    );
    dir.write(
        "in/DOE_JOHN_LC-12345/CT HEAD DOE/scan_DOE_JOHN_2.dcm",
        &part10(&sibling_image("2.25.5555", "20240303"), IMPLICIT_LE),
    );
    dir.write("in/ROE_JANE/RJ-777.dcm", &roe(EXPLICIT_LE));
    dir.join("in")
}

/// ROE JANE's image: another patient, study and instance than the sample's.
fn roe(syntax: &str) -> Vec<u8> {
    part10(
        &sample_with([
            text(PATIENT_NAME, VR::PN, "ROE^JANE"),
            text(PATIENT_ID, VR::LO, "RJ-777"),
            text(SOP_INSTANCE_UID, VR::UI, "2.25.6666"),
            text(STUDY_INSTANCE_UID, VR::UI, "2.25.7777"),
            text(SERIES_INSTANCE_UID, VR::UI, "2.25.8888"),
        ]),
        syntax,
    )
}

const NAMES_IN_PATHS: [&str; 7] = ["DOE", "JOHN", "LC-12345", "ROE", "JANE", "RJ-777", "scan"];

#[test]
fn regression_paths_carry_the_identity() {
    // Before: outputs kept the input's folder and file names, "DOE_JOHN_LC-12345/...".
    let dir = TempDir::new("paths-neutral");
    let input = named_tree(&dir);
    let out = dir.join("out");
    let report = dir.join("report.json");
    let output = deid(&["--out".as_ref(), &out, "--report".as_ref(), &report, &input]);
    assert_eq!(output.status.code(), Some(0), "{}", said(&output));
    let written = files_under(&out);
    let shown: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    assert_eq!(
        shown,
        [
            "P001/ST001/SE001/IM0001",
            "P001/ST001/SE001/IM0002",
            "P002/ST001/SE001/IM0001"
        ],
        "one folder per patient, study and series, in the order seen"
    );
    // The mapping from old to new paths is in the report, and only there.
    let report: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let mut mapped = Vec::new();
    for file in report["files"].as_array().unwrap() {
        let from = file["path"].as_str().unwrap();
        let to = PathBuf::from(file["output"].as_str().unwrap());
        assert!(to.is_file(), "{from} -> {}", to.display());
        mapped.push((from.to_string(), to));
    }
    assert_eq!(mapped.len(), 3);
    assert!(mapped
        .iter()
        .any(|(from, to)| from.ends_with("ROE_JANE/RJ-777.dcm")
            && to.ends_with("P002/ST001/SE001/IM0001")));
    for path in &written {
        let bytes = std::fs::read(out.join(path)).unwrap();
        for name in NAMES_IN_PATHS {
            assert!(
                !path.display().to_string().contains(name),
                "{}",
                path.display()
            );
        }
        assert_no_phi_in_bytes(
            &bytes,
            &[
                "DOE_JOHN_LC-12345",
                "scan_DOE_JOHN",
                "RJ-777.dcm",
                "ROE_JANE/",
            ],
            "output",
        );
    }
}

#[test]
fn keep_paths_keeps_the_names_as_asked() {
    let dir = TempDir::new("paths-keep");
    let input = named_tree(&dir);
    let out = dir.join("out");
    let output = deid(&["--keep-paths".as_ref(), "--out".as_ref(), &out, &input]);
    assert_eq!(output.status.code(), Some(0), "{}", said(&output));
    assert!(out
        .join("DOE_JOHN_LC-12345/CT HEAD DOE/scan_DOE_JOHN.dcm")
        .is_file());
    assert!(out.join("ROE_JANE/RJ-777.dcm").is_file());
    assert!(
        !out.join("DICOMDIR").exists(),
        "no DICOMDIR unless the input had one"
    );
}

/// A CD: a DICOMDIR naming both patients, its files in folders named after them.
fn cd(dir: &TempDir) -> PathBuf {
    let files = [
        ("DOE_JOHN/IM1", sample_file()),
        (
            "DOE_JOHN/IM2",
            part10(&sibling_image("2.25.5555", "20240303"), IMPLICIT_LE),
        ),
        ("ROE_JANE/IM1", roe(EXPLICIT_BE)),
    ];
    for (id, bytes) in &files {
        dir.write(&format!("cd/{id}"), bytes);
    }
    let listed: Vec<(&str, &[u8])> = files.iter().map(|(id, b)| (*id, b.as_slice())).collect();
    dir.write("cd/DICOMDIR", &original_dicomdir(&listed));
    dir.join("cd")
}

/// Checks a DICOMDIR written under `out`: readable by offsets, every file record names an
/// existing file by a PS3.10 file ID and its SOP Instance UID, no trace of the patients
/// (but in the file IDs when paths are kept, as asked).
fn check_dicomdir(dicomdir: &Path, files: usize, patients: usize, paths_kept: bool) {
    let bytes = std::fs::read(dicomdir).unwrap();
    let roots = read_records(&bytes).expect("every offset leads to a record");
    assert_eq!(roots.len(), patients);
    let folder = dicomdir.parent().unwrap();
    let mut seen = 0;
    for record in roots.iter().flat_map(|r| r.walk()) {
        let Some(id) = record.value(0x0004_1500) else {
            continue;
        };
        seen += 1;
        let components: Vec<&str> = id.split('\\').collect();
        assert!(
            components.len() <= 8
                && components.iter().all(|c| {
                    (1..=8).contains(&c.len())
                        && c.bytes()
                            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
                }),
            "{id}"
        );
        let file = components
            .iter()
            .fold(folder.to_path_buf(), |p, c| p.join(c));
        assert!(file.is_file(), "{id} -> {} does not exist", file.display());
        let object = read_back(&std::fs::read(&file).unwrap());
        assert_eq!(
            record.value(0x0004_1511),
            string_of(&object, SOP_INSTANCE_UID).as_deref()
        );
    }
    assert_eq!(seen, files);
    if !paths_kept {
        assert_no_phi_in_bytes(&bytes, &FAKE_PHI, "DICOMDIR");
        assert_no_phi_in_bytes(&bytes, &["ROE", "JANE"], "DICOMDIR");
    }
    assert_no_phi_in_bytes(
        &bytes,
        &["LC-12345", "RJ-777", ORIGINAL_FILE_SET_ID],
        "DICOMDIR",
    );
}

#[test]
fn regression_a_dicomdir_is_written_anew_with_valid_offsets_and_file_ids() {
    // Before: the input DICOMDIR was de-identified element by element: its record offsets no
    // longer pointed at records, and its file IDs named the old folders.
    let dir = TempDir::new("paths-dicomdir");
    let input = cd(&dir);
    let out = dir.join("out");
    let report = dir.join("report.json");
    let output = deid(&["--out".as_ref(), &out, "--report".as_ref(), &report, &input]);
    assert_eq!(output.status.code(), Some(0), "{}", said(&output));
    assert!(
        said(&output).contains("de-identified 3 files"),
        "{}",
        said(&output)
    );
    assert!(
        said(&output).contains("DICOMDIR (3 files, 2 patients; replaces 1 DICOMDIR of the input)"),
        "{}",
        said(&output)
    );
    check_dicomdir(&out.join("DICOMDIR"), 3, 2, false);
    let report: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let written = &report["dicomdirs"][0];
    assert_eq!(written["files"], 3);
    assert!(written["replaces"][0]
        .as_str()
        .unwrap()
        .ends_with("DICOMDIR"));

    // With --keep-paths: in its own place, the same file IDs as before.
    let kept = dir.join("kept");
    let output = deid(&["--keep-paths".as_ref(), "--out".as_ref(), &kept, &input]);
    assert_eq!(output.status.code(), Some(0), "{}", said(&output));
    check_dicomdir(&kept.join("DICOMDIR"), 3, 2, true);
    assert!(kept.join("ROE_JANE/IM1").is_file());
}

#[test]
fn the_dicomdir_flag_writes_one_for_a_set_without() {
    let dir = TempDir::new("paths-flag");
    let input = named_tree(&dir);
    let out = dir.join("out");
    let output = deid(&["--dicomdir".as_ref(), "--out".as_ref(), &out, &input]);
    assert_eq!(output.status.code(), Some(0), "{}", said(&output));
    check_dicomdir(&out.join("DICOMDIR"), 3, 2, false);
    // Kept paths that are not file IDs cannot be indexed: said, not hidden.
    let kept = dir.join("kept");
    let output = deid(&[
        "--dicomdir".as_ref(),
        "--keep-paths".as_ref(),
        "--out".as_ref(),
        &kept,
        &input,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", said(&output));
    assert!(
        said(&output).contains("is not a file ID component"),
        "{}",
        said(&output)
    );
    check_dicomdir(&kept.join("DICOMDIR"), 0, 0, true);
}

#[test]
fn regression_a_file_given_twice_is_de_identified_once() {
    // Before: a folder and a file inside it were both processed, the file twice.
    let dir = TempDir::new("paths-twice");
    let input = named_tree(&dir);
    let inside = input.join("ROE_JANE/RJ-777.dcm");
    let out = dir.join("out");
    let output = deid(&["--out".as_ref(), &out, &input, &inside, &input]);
    assert_eq!(output.status.code(), Some(0), "{}", said(&output));
    assert!(
        said(&output).contains("de-identified 3 files"),
        "{}",
        said(&output)
    );
    assert_eq!(files_under(&out).len(), 3);
}

#[test]
fn regression_the_summary_names_the_files_that_failed() {
    // Before: only the FAILED lines on stderr said which; the summary gave a count.
    let dir = TempDir::new("paths-failed");
    let input = named_tree(&dir);
    let sample = sample_file();
    let broken = dir.write("in/cut.dcm", &sample[..sample.len() - 1000]);
    dir.write("in/also-cut.dcm", &sample[..600]);
    let out = dir.join("out");
    let output = deid(&["--out".as_ref(), &out, &input]);
    assert_eq!(output.status.code(), Some(1), "{}", said(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("not written:"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(line.contains(&broken.display().to_string()), "{line}");
    assert!(line.contains("also-cut.dcm"), "{line}");
    assert!(stdout.contains("2 failed"), "{stdout}");
}

#[cfg(unix)]
#[test]
fn regression_an_empty_file_and_a_broken_link_in_a_folder_are_named_and_the_batch_goes_on() {
    // Before: a 0-byte file was skipped as "not DICOM" and a broken link was left out, both
    // without a word.
    let dir = TempDir::new("paths-empty-link");
    let input = named_tree(&dir);
    let empty = dir.write("in/EMPTY.dcm", &[]);
    let link = dir.join("in/gone.dcm");
    std::os::unix::fs::symlink(dir.join("nowhere/IM9.dcm"), &link).unwrap();
    let out = dir.join("out");
    let output = deid(&["--out".as_ref(), &out, &input]);
    assert_eq!(output.status.code(), Some(1), "{}", said(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("not written:"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        line.contains(&format!("{} (the file is empty", empty.display())),
        "{line}"
    );
    assert!(
        line.contains(&format!("{} (a broken link", link.display())),
        "{line}"
    );
    // The good files of the folder are written all the same.
    assert!(
        said(&output).contains("de-identified 3 files"),
        "{}",
        said(&output)
    );
}
