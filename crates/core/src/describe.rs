//! Plain words for the summary: what kind of object a file is, and whether its patient name is
//! a placeholder that names nobody. The words are data (`rules/kinds.rs`).

use crate::rules::kinds::{MODALITY_WORDS, PLACEHOLDER_NAME_WORDS, SOP_CLASS_WORDS};

/// What the file is, in plain words: from its SOP Class UID when that says more than the
/// Modality (a structured report, a DICOMDIR, a secondary capture), else from the Modality
/// (PS3.3 C.7.3.1.1.1); an unknown Modality is given as it is.
pub fn kind(modality: Option<&str>, sop_class_uid: Option<&str>) -> Option<String> {
    if let Some(uid) = sop_class_uid {
        let by_class = SOP_CLASS_WORDS
            .iter()
            .find(|(prefix, _)| uid_in_family(uid, prefix));
        if let Some((_, words)) = by_class {
            return Some((*words).to_string());
        }
    }
    let modality = modality?.trim();
    if modality.is_empty() {
        return None;
    }
    Some(
        MODALITY_WORDS
            .iter()
            .find(|(code, _)| code.eq_ignore_ascii_case(modality))
            .map_or_else(|| modality.to_string(), |(_, words)| (*words).to_string()),
    )
}

/// `family` ending in "." is a prefix; otherwise the UID itself or any UID under it
/// ("1.2.3" covers "1.2.3" and "1.2.3.4", not "1.2.34").
fn uid_in_family(uid: &str, family: &str) -> bool {
    if family.ends_with('.') {
        return uid.starts_with(family);
    }
    uid == family
        || uid
            .strip_prefix(family)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// Whether a Patient's Name (its text, components joined by ^) is only placeholder words such
/// as ANONYMIZED, "Anonymous^Patient" or "removed", possibly numbered ("ANON 0042").
pub fn is_placeholder_name(name: &str) -> bool {
    let words: Vec<String> = name
        .split(|c: char| c == '^' || c == '=' || c.is_whitespace())
        .map(|w| {
            w.trim_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation() && c != '-')
                .trim_matches('-')
                .to_ascii_uppercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return false;
    }
    let known = |w: &str| PLACEHOLDER_NAME_WORDS.contains(&w);
    known(&words.join(" ")) || words.iter().all(|w| known(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_in_plain_words() {
        assert_eq!(
            kind(Some("CT"), Some("1.2.840.10008.5.1.4.1.1.2")).as_deref(),
            Some("CT scan")
        );
        assert_eq!(kind(Some("SR"), None).as_deref(), Some("Structured report"));
        assert_eq!(
            kind(Some("OT"), None).as_deref(),
            Some("Other/secondary image")
        );
        // The class says more than the Modality: a Comprehensive SR labelled OT.
        assert_eq!(
            kind(Some("OT"), Some("1.2.840.10008.5.1.4.1.1.88.33")).as_deref(),
            Some("Structured report")
        );
        assert_eq!(
            kind(None, Some("1.2.840.10008.1.3.10")).as_deref(),
            Some("Folder index (DICOMDIR)")
        );
        assert_eq!(
            kind(Some("US"), Some("1.2.840.10008.5.1.4.1.1.7.4")).as_deref(),
            Some("Other/secondary image")
        );
        // A family is whole UID components: 1.1.77.1.1 (VL endoscopic) is not under 1.1.7.
        assert_eq!(
            kind(Some("ES"), Some("1.2.840.10008.5.1.4.1.1.77.1.1")).as_deref(),
            Some("Endoscopy")
        );
        assert_eq!(kind(Some("ZZ"), None).as_deref(), Some("ZZ"));
        assert_eq!(kind(Some("  "), None), None);
    }

    #[test]
    fn placeholder_names_name_nobody() {
        for name in [
            "ANONYMIZED",
            "Anonymized",
            "Anonymous",
            "removed",
            "ANON^^",
            "Anonymous^Patient",
            "DEIDENTIFIED 001",
            "No Name",
            "^^^Anon42",
        ] {
            assert!(is_placeholder_name(name), "{name}");
        }
        for name in ["DOE^JOHN", "Anon^Mary", "Patient^John", "", "^^"] {
            assert!(!is_placeholder_name(name), "{name}");
        }
    }
}
