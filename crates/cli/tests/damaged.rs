//! Damaged files in the CLI (issue 10, class 14): a file cut off inside its Pixel Data is
//! not written, and both commands say whom its readable part names and why it is not cleaned.

use dicom_leakcheck_testkit as common;

use common::*;
use dicom_leakcheck::sample::sample_file;
use serde_json::Value;
use std::process::Command;

fn cli(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dicom-leakcheck"))
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn regression_a_damaged_file_says_whom_it_names() {
    // Before: "could not be read" and nothing more.
    let dir = TempDir::new("damaged");
    let sample = sample_file();
    let cut = dir.write("in/cut.dcm", &sample[..sample.len() - 1000]);

    let inspected = cli(&["inspect".as_ref(), "--json".as_ref(), cut.as_os_str()]);
    assert_eq!(inspected.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&inspected.stdout).unwrap();
    let file = &doc["files"][0];
    assert_eq!(file["ok"], false);
    assert!(file["error"].as_str().unwrap().contains("(7FE0,0010)"));
    let damaged = &file["damaged"];
    let text = damaged["text"].as_str().unwrap();
    assert!(
        text.starts_with(
            "This file is damaged, but it names DOE JOHN (ID LC-12345, born 1970-01-01)."
        ),
        "{text}"
    );
    assert_eq!(damaged["summary"]["patient_id"], "LC-12345");
    assert!(damaged["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["value"] == "DOE^JOHN"));

    let human = cli(&["inspect".as_ref(), cut.as_os_str()]);
    let said = String::from_utf8_lossy(&human.stdout);
    assert!(
        said.contains("This file is damaged, but it names DOE JOHN"),
        "{said}"
    );
    assert!(said.contains("PatientName = DOE^JOHN"), "{said}");

    let out = dir.join("out");
    let report = dir.join("report.json");
    let deid = cli(&[
        "deid".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
        "--report".as_ref(),
        report.as_os_str(),
        cut.as_os_str(),
    ]);
    assert_eq!(deid.status.code(), Some(1));
    let errors = String::from_utf8_lossy(&deid.stderr);
    assert!(
        errors.contains("This file is damaged, but it names DOE JOHN"),
        "{errors}"
    );
    assert!(errors.contains("no cleaned copy is written"), "{errors}");
    let report: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert!(report["files"][0]["damaged"]["text"]
        .as_str()
        .unwrap()
        .contains("DOE JOHN"));
    assert!(
        std::fs::read_dir(&out).unwrap().next().is_none(),
        "nothing written for it"
    );
}
