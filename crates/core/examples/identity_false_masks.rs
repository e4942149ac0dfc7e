//! How often the identity matcher masks an ordinary word because a name sits inside it
//! ("PATELLA" for a patient named Ella, "CROSSTABLE" for Ross): each of the first N surnames
//! of a names list, paired with a given name, is matched against every lower-case word of a
//! word list, and every word the matcher would change is a false mask.
//!
//! Each identity goes through the facade as a user's file would: a synthetic file naming only
//! the patient, the words in Image Comments (kept and cleaned under `clean-descriptors`),
//! de-identified, and the comments read back.
//!
//! Run by `bench/identity_false_masks/run.sh`, which fetches the lists (pinned) and prints the
//! table: `cargo run --release -p dicom-leakcheck --example identity_false_masks -- SURNAMES
//! GIVEN_NAMES WORDS [COUNT]`. Names files: one name per line, first field (census lists).

use dicom_core::{Tag, VR};
use dicom_leakcheck_testkit::{deid, item, options, output_value, part10, text};
use dicom_leakcheck_testkit::{
    CT_IMAGE_STORAGE, EXPLICIT_LE, PATIENT_NAME, SOP_CLASS_UID, SOP_INSTANCE_UID,
};
use std::collections::BTreeMap;

const IMAGE_COMMENTS: Tag = Tag(0x0020, 0x4000);
const SHOWN_PER_LENGTH: usize = 12;

fn first_fields(path: &str) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| w.chars().all(|c| c.is_ascii_alphabetic()))
        .map(str::to_uppercase)
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [surnames, given, words] = [0, 1, 2].map(|i| {
        args.get(i)
            .cloned()
            .expect("usage: SURNAMES GIVEN_NAMES WORDS [COUNT]")
    });
    let count: usize = args.get(3).and_then(|c| c.parse().ok()).unwrap_or(2000);
    let surnames = first_fields(&surnames);
    let given = first_fields(&given);
    // Ordinary words: all lower case (the list capitalises proper nouns, names among them).
    let words: Vec<String> = std::fs::read_to_string(&words)
        .expect("word list")
        .lines()
        .filter(|w| w.len() > 1 && w.chars().all(|c| c.is_ascii_lowercase()))
        .map(str::to_string)
        .collect();
    let words_text = words.join(" ; ");
    let mut masked_by_length: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut total = 0;
    let identities = surnames.len().min(count);
    for (i, surname) in surnames.iter().take(identities).enumerate() {
        let first = &given[i % given.len()];
        let name = format!("{surname}^{first}");
        // Only the patient's name identifies anyone in this file.
        let file = part10(
            &item([
                text(SOP_CLASS_UID, VR::UI, CT_IMAGE_STORAGE),
                text(SOP_INSTANCE_UID, VR::UI, "2.25.1"),
                text(PATIENT_NAME, VR::PN, &name),
                text(IMAGE_COMMENTS, VR::UT, &words_text),
            ]),
            EXPLICIT_LE,
        );
        let masked = output_value(
            &deid(&file, options(&["clean-descriptors"])),
            IMAGE_COMMENTS,
        );
        for (word, after) in words.iter().zip(masked.split(" ; ")) {
            let upper = word.to_uppercase();
            // A word that is the name itself is a true match, not a false mask.
            if word != after && upper != *surname && upper != *first {
                total += 1;
                let part = if upper.contains(surname.as_str()) {
                    surname
                } else {
                    first
                };
                masked_by_length
                    .entry(part.len())
                    .or_default()
                    .push(format!("{word}->{after} ({name})"));
            }
        }
    }
    println!(
        "identities: {identities}; ordinary words: {}; words falsely masked: {total} ({:.4} per identity)",
        words.len(),
        total as f64 / identities.max(1) as f64
    );
    // LEAKCHECK_FALSE_MASKS_ALL=1 prints every false mask, one a line, for reading.
    if std::env::var_os("LEAKCHECK_FALSE_MASKS_ALL").is_some() {
        for line in masked_by_length.values().flatten() {
            println!("FALSE MASK {line}");
        }
    }
    println!("\n| name part length | false masks | examples |\n| ---: | ---: | --- |");
    for (length, list) in &masked_by_length {
        let shown: Vec<&str> = list
            .iter()
            .take(SHOWN_PER_LENGTH)
            .map(String::as_str)
            .collect();
        println!("| {length} | {} | {} |", list.len(), shown.join(", "));
    }
}
