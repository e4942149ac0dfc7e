//! Files on every core (`--jobs`) give what one core gives, in the same order; `inspect
//! --no-pixels` leaves the pixels unsearched.

use dicom_leakcheck::sample::{sample_file, ultrasound_sample};
use dicom_leakcheck_testkit::{part10, patient, TempDir, IMPLICIT_LE};
use serde_json::Value;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_dicom-leakcheck");

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

/// 40 files of 40 patients (names in reverse order of the paths), a broken one and a text
/// file among them.
fn batch(dir: &TempDir) -> String {
    for i in 0..40 {
        let name = format!("DOE^PATIENT{:02}", 39 - i);
        let file = part10(
            &patient(&name, &format!("ID{i:03}"), "19700101", "20240102"),
            IMPLICIT_LE,
        );
        dir.write(&format!("in/{i:02}.dcm"), &file);
    }
    let sample = sample_file();
    dir.write("in/17-broken.dcm", &sample[..sample.len() - 1000]);
    dir.write("in/18-notes.txt", b"not DICOM\n");
    dir.join("in").display().to_string()
}

#[test]
fn inspect_on_several_threads_prints_the_same_document_in_the_same_order() {
    let dir = TempDir::new("parallel-inspect");
    let input = batch(&dir);
    let one = run(&["inspect", "--json", "--jobs", "1", &input]);
    let four = run(&["inspect", "--json", "--jobs", "4", &input]);
    assert_eq!(one.status.code(), Some(1), "the broken file fails");
    assert_eq!(four.status.code(), one.status.code());
    assert_eq!(four.stdout, one.stdout);
    let document = json(&four);
    let paths: Vec<&str> = document["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("path"))
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "the inputs' order (sorted by name)");
    assert_eq!(paths.len(), 41);
    assert_eq!(document["errors"], 1);
    assert_eq!(document["skipped"], 1);
    // Each file its own patient: no result landed on another file's entry.
    let first = &document["files"][0];
    assert_eq!(first["summary"]["patient_id"], "ID000");
    let text_one = run(&["inspect", "--jobs", "1", &input]);
    let text_four = run(&["inspect", "--jobs", "4", &input]);
    assert_eq!(text_four.stdout, text_one.stdout);
}

#[test]
fn deid_on_several_threads_writes_the_same_files_and_report() {
    let dir = TempDir::new("parallel-deid");
    let input = batch(&dir);
    let key = dir.join("k.key").display().to_string();
    assert!(run(&["key", "--out", &key]).status.success());
    let mut outputs = Vec::new();
    for jobs in ["1", "3"] {
        let out = dir.join(&format!("out{jobs}")).display().to_string();
        let report = dir.join(&format!("report{jobs}.json"));
        let done = run(&[
            "deid",
            "--jobs",
            jobs,
            "--key",
            &key,
            "--out",
            &out,
            "--report",
            &report.display().to_string(),
            &input,
        ]);
        assert_eq!(done.status.code(), Some(1), "the broken file fails");
        let report = std::fs::read_to_string(&report).expect("report written");
        // Neutral paths (P001/ST001/...) are numbered in the inputs' order: the same tree.
        let files = tree(std::path::Path::new(&out));
        assert_eq!(files.len(), 40, "every good file written");
        outputs.push((report.replace(&out, "OUT"), files));
    }
    assert_eq!(outputs[0].1, outputs[1].1, "byte-identical outputs");
    assert_eq!(
        outputs[0].0, outputs[1].0,
        "the same report, in the same order"
    );
}

/// Every file under `root`: its path relative to `root` and its bytes, sorted by path.
fn tree(root: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)
            .expect("readable output folder")
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let relative = path.strip_prefix(root).unwrap().display().to_string();
                files.push((relative, std::fs::read(&path).expect("readable output")));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn jobs_must_be_at_least_one() {
    let dir = TempDir::new("parallel-usage");
    let input = batch(&dir);
    assert_eq!(
        run(&["inspect", "--jobs", "0", &input]).status.code(),
        Some(2)
    );
}

#[test]
fn no_pixels_leaves_the_image_unsearched_and_says_so() {
    let dir = TempDir::new("no-pixels");
    dir.write("us.dcm", &ultrasound_sample());
    let path = dir.join("us.dcm").display().to_string();
    let searched = json(&run(&["inspect", "--json", &path]));
    let header = json(&run(&["inspect", "--json", "--no-pixels", &path]));
    let verdict = |d: &Value| d["files"][0]["burned_in"].clone();
    assert_eq!(verdict(&searched)["pixels_checked"], true);
    assert!(
        !verdict(&searched)["regions"]
            .as_array()
            .expect("regions")
            .is_empty(),
        "the banner is found in the pixels"
    );
    assert_eq!(verdict(&header)["pixels_checked"], false);
    // The header's own verdict stays: an ultrasound is high risk whatever its pixels.
    assert_eq!(verdict(&header)["risk"], "high");
    // The rest of the report does not depend on the pixels.
    assert_eq!(
        searched["files"][0]["findings"],
        header["files"][0]["findings"]
    );
}
