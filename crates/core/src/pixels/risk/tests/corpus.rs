//! `header_risk` on every file of the public pydicom test corpus (LEAKCHECK_CORPUS, fetched by
//! scripts/fetch-corpus.sh): it never panics, files known to carry burned-in text (ultrasound,
//! secondary capture, Burned In Annotation YES) come out medium or high, and the level
//! distribution per modality is printed (`cargo test -p dicom-leakcheck --lib corpus_levels_per_modality -- --nocapture`;
//! LEAKCHECK_VERBOSE=1 also prints each file's level and reason codes).

use crate::parse::parse;
use crate::pixels::risk::{header_risk, RiskLevel};
use crate::tags;
use dicom_leakcheck_testkit::corpus_files;
use std::collections::BTreeMap;

/// The trimmed text of a top-level element, for grouping (ASCII values only matter here).
fn top_text(parsed: &crate::parse::ParsedFile, tag: u32) -> String {
    parsed
        .dataset
        .iter()
        .find(|e| e.tag == tag)
        .map(|e| {
            String::from_utf8_lossy(parsed.value_bytes(e))
                .trim_end_matches(['\0', ' '])
                .trim()
                .to_string()
        })
        .unwrap_or_default()
}

#[test]
fn corpus_levels_per_modality() {
    let Some(files) = corpus_files() else {
        return;
    };
    // modality -> [low, medium, high]
    let mut table: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    let mut signatures: BTreeMap<String, usize> = BTreeMap::new();
    let mut judged = 0;
    for path in &files {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let Ok(parsed) = parse(&bytes) else { continue };
        let risk = header_risk(&parsed);
        judged += 1;
        let modality = top_text(&parsed, tags::MODALITY);
        let sop = top_text(&parsed, tags::SOP_CLASS_UID);
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let row = table
            .entry(if modality.is_empty() {
                "(none)".to_string()
            } else {
                modality.clone()
            })
            .or_default();
        row[risk.level as usize] += 1;
        for m in &risk.signatures {
            *signatures
                .entry(format!("{} [{}]", m.name, m.source))
                .or_default() += 1;
        }

        if std::env::var_os("LEAKCHECK_VERBOSE").is_some() {
            let codes: Vec<&str> = risk.reasons.iter().map(|r| r.code).collect();
            println!("{name}\t{modality}\t{:?}\t{}", risk.level, codes.join(" "));
        }
        let has_pixels = parsed.pixel_data().is_some();
        let known_text = modality == "US"
            || sop.starts_with("1.2.840.10008.5.1.4.1.1.6.")
            || sop.starts_with("1.2.840.10008.5.1.4.1.1.3.")
            || sop.starts_with("1.2.840.10008.5.1.4.1.1.7");
        if has_pixels && known_text {
            assert!(
                risk.level >= RiskLevel::Medium,
                "{name}: {modality} {sop} came out {:?}: {:?}",
                risk.level,
                risk.reasons.iter().map(|r| r.code).collect::<Vec<_>>()
            );
        }
        if has_pixels && top_text(&parsed, tags::BURNED_IN_ANNOTATION).eq_ignore_ascii_case("YES") {
            assert_eq!(risk.level, RiskLevel::High, "{name}");
        }
        if !has_pixels && top_text(&parsed, tags::ENCAPSULATED_DOCUMENT).is_empty() {
            assert_eq!(risk.level, RiskLevel::Low, "{name}: no image");
        }
        assert_eq!(
            risk.reasons.iter().map(|r| r.level).max(),
            Some(risk.level),
            "{name}"
        );
    }
    assert!(judged > 50, "only {judged} corpus files parsed");
    println!("header_risk on {judged} corpus files: modality  low  medium  high");
    let mut total = [0; 3];
    for (modality, [low, medium, high]) in &table {
        println!("  {modality:<8} {low:>4} {medium:>6} {high:>5}");
        total[0] += low;
        total[1] += medium;
        total[2] += high;
    }
    println!(
        "  {:<8} {:>4} {:>6} {:>5}",
        "all", total[0], total[1], total[2]
    );
    for (name, count) in &signatures {
        println!("  signature {name}: {count}");
    }
}
