//! How many elements of the public pydicom test corpus the identity matcher (the search for the
//! patient's own values repeated elsewhere, PS3.15 E.1's "attributes not in the table") flags,
//! and how many UIDs and dates outside Table E.1-1 inspection and de-identification touch.
//!
//! The corpus files carry made-up names and IDs, so nearly every hit of the matcher in them is
//! a false mask (a word of a description masked because it happens to look like a name part).
//! This test prints every hit so a reviewer can judge them, and fails when their number grows
//! past the recorded ceiling: matching must stay precise as it learns new spellings.
//!
//! Run: `LEAKCHECK_CORPUS=… cargo test -p dicom-leakcheck --test identity_corpus -- --nocapture`

use common::corpus_files;
use dicom_leakcheck::{inspect, Options};
use dicom_leakcheck_testkit as common;

/// Options under which the matcher looks at the most elements: kept descriptions, kept safe
/// private elements, kept structured content.
const WIDEST: [&str; 4] = [
    "retain-safe-private",
    "clean-descriptors",
    "clean-structured-content",
    "clean-graphics",
];

/// Most matcher hits allowed on the whole corpus: 61 before and after both rounds of the
/// issue 10 matching work (45 true repeats: a DICOMDIR's file IDs holding the patient ID, CJK
/// names repeated in Additional Patient History; 16 coincidences with placeholder names such
/// as "TEST", "NAME"). Names inside ordinary words are measured on a word list by
/// `bench/identity_false_masks`.
const MAX_MATCHER_HITS: usize = 61;

#[test]
fn matcher_hits_on_the_pydicom_corpus_are_counted_and_bounded() {
    // Missing only outside CI (corpus_files fails under CI).
    let Some(files) = corpus_files() else {
        return;
    };
    let options = Options::from_names(&WIDEST).expect("known options");
    let mut hits = 0;
    let mut files_with_hits = 0;
    for path in &files {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let Ok(report) = inspect(&bytes, options) else {
            continue;
        };
        let mut here = 0;
        for finding in report.elements.iter().filter(|f| {
            f.flagged
                && f.reason
                    .as_deref()
                    .is_some_and(|r| r.starts_with("Repeats"))
        }) {
            here += 1;
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            println!(
                "HIT {name} {} {:?} -> {}",
                finding.path,
                finding.value,
                finding.reason.as_deref().unwrap_or_default()
            );
        }
        hits += here;
        files_with_hits += usize::from(here > 0);
    }
    println!(
        "matcher hits on the corpus: {hits} elements in {files_with_hits} of {} files",
        files.len()
    );
    assert!(
        hits <= MAX_MATCHER_HITS,
        "{hits} matcher hits on the corpus (ceiling {MAX_MATCHER_HITS})"
    );
}
