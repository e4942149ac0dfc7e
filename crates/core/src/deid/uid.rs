//! Replacement UIDs: `2.25.` followed by the decimal of a 128-bit value (PS3.5 B.2), here a
//! keyed hash of the original, so the same UID maps the same way in every file and run that
//! uses the same key, and nobody without the key can map it back or forward.
//!
//! Which UIDs stay. The root 1.2.840.10008 is reserved for what the DICOM Standard itself
//! defines (PS3.5 9.1); those UIDs (SOP classes, transfer syntaxes, well-known frames of
//! reference and SOP instances, PS3.6 Annex A) are the same for every patient and identify
//! nothing, so they are kept wherever they are. An *instance* UID minted under that root (some
//! implementations append a counter to the SOP Class UID) is a misuse of the root that does
//! identify an instance: our position is that a UID under the DICOM root is kept only when the
//! registry knows it (or it is in a well-known family); anything else under the root is
//! replaced like any other UID.

use crate::key::Key;
use dicom_core::dictionary::UidDictionary;
use dicom_dictionary_std::StandardSopClassDictionary;
use dicom_encoding::TransferSyntaxIndex;
use dicom_transfer_syntax_registry::TransferSyntaxRegistry;

const DICOM_ROOT: &str = "1.2.840.10008.";

/// Well-known UIDs of PS3.6 Annex A that are not SOP classes or transfer syntaxes: SOP
/// instances, the DICOM coding scheme and application context, and (by prefix) the well-known
/// frames of reference (1.2.840.10008.1.4.x: Talairach, ICBM ...), DICOM-defined coding
/// schemes (1.2.840.10008.2.x), context groups (1.2.840.10008.6.1.x) and templates
/// (1.2.840.10008.8.x) and LDAP OIDs (1.2.840.10008.15.x).
const WELL_KNOWN: &[&str] = &[
    "1.2.840.10008.1.20.1.1",
    "1.2.840.10008.1.40.1",
    "1.2.840.10008.1.42.1",
    "1.2.840.10008.3.1.1.1",
    "1.2.840.10008.5.1.1.17",
    "1.2.840.10008.5.1.1.17.376",
];
const WELL_KNOWN_FAMILIES: &[&str] = &[
    "1.2.840.10008.1.4.",
    "1.2.840.10008.2.",
    "1.2.840.10008.6.1.",
    "1.2.840.10008.8.",
    "1.2.840.10008.15.",
];

/// Attributes (by keyword ending) whose UIDs name definitions, not instances: SOP classes,
/// transfer syntaxes, coding schemes, context groups and templates and the organisations that
/// extend them, implementations. They are kept even when Table E.1-1 does not list them; every
/// other UI attribute refers to an instance and is replaced like the table's U attributes, so
/// a reference the table does not list (e.g. (0008,1167), (0020,0242), (0020,9312)) maps to
/// the same new UID as what it references.
const DEFINITION_KEYWORD_ENDINGS: &[&str] = &[
    "ClassUID",
    "SyntaxUID",
    "SchemeUID",
    "ContextUID",
    "CreatorUID",
    "OrganizationUID",
    "ResourceUID",
    "ClassesInStudy",
    "ContextNameUID",
];

/// Whether a standard attribute holds UIDs of definitions rather than of instances.
pub fn names_definitions(keyword: &str) -> bool {
    DEFINITION_KEYWORD_ENDINGS
        .iter()
        .any(|ending| keyword.ends_with(ending))
}

/// UIDs defined by DICOM itself identify nobody and are kept.
pub fn is_dicom_defined(uid: &str) -> bool {
    let uid = uid.trim_matches(|c| c == '\0' || c == ' ');
    if !uid.starts_with(DICOM_ROOT) {
        return false;
    }
    WELL_KNOWN.contains(&uid)
        || WELL_KNOWN_FAMILIES.iter().any(|f| uid.starts_with(f))
        || StandardSopClassDictionary.by_uid(uid).is_some()
        || TransferSyntaxRegistry.get(uid).is_some()
}

pub fn replacement_uid(key: &Key, uid: &str) -> String {
    let mac = key.mac("uid", uid.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&mac[..16]);
    // Mark it as a version 8 (custom) UUID with the RFC 9562 variant, as PS3.5 B.2 asks for a
    // UUID-derived value.
    bytes[6] = (bytes[6] & 0x0F) | 0x80;
    bytes[8] = (bytes[8] & 0x3F) | 0x80;
    format!("2.25.{}", u128::from_be_bytes(bytes))
}

/// Byte ranges of the UIDs written inside a text (a URL's `studyUID=…`, a description's
/// "prior 1.2.3.4.5"), other than DICOM-defined ones. A UID here is a run of digits and dots
/// in UID syntax (PS3.5 9.1: no empty or zero-led components) whose first arc is 0, 1 or 2,
/// with 4 arcs or more and 9 to 64 characters (or a `2.25.` UUID UID): IP addresses (first
/// arc above 2) and version numbers (short) are not taken for UIDs.
pub fn uids_in_text(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && is_uid_byte(bytes[i - 1])) {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < bytes.len() && is_uid_byte(bytes[end]) {
            end += 1;
        }
        let mut uid_end = end;
        while uid_end > i && bytes[uid_end - 1] == b'.' {
            uid_end -= 1;
        }
        let candidate = &text[i..uid_end];
        if looks_like_uid(candidate) && !is_dicom_defined(candidate) && !is_replacement(candidate) {
            found.push((i, uid_end));
        }
        i = end;
    }
    found
}

/// Whether a UID has the shape of our replacements: `2.25.` and a version 8 UUID with the
/// RFC 9562 variant. Such a UID in an output is ours, not a leftover (a version 8 UUID from
/// another system would be kept too; other systems use versions 1 and 4).
pub fn is_replacement(uid: &str) -> bool {
    let Some(Ok(value)) = uid.strip_prefix("2.25.").map(str::parse::<u128>) else {
        return false;
    };
    let bytes = value.to_be_bytes();
    bytes[6] >> 4 == 8 && bytes[8] >> 6 == 2
}

fn is_uid_byte(b: u8) -> bool {
    b.is_ascii_digit() || b == b'.'
}

fn looks_like_uid(candidate: &str) -> bool {
    let arcs: Vec<&str> = candidate.split('.').collect();
    let syntax = arcs
        .iter()
        .all(|a| !a.is_empty() && (a.len() == 1 || !a.starts_with('0')));
    let uuid_uid = candidate.starts_with("2.25.") && arcs.len() == 3;
    syntax
        && matches!(arcs[0], "0" | "1" | "2")
        && (9..=64).contains(&candidate.len())
        && (arcs.len() >= 4 || uuid_uid)
}

/// The text with every UID in it replaced by its replacement UID; `None` when there is none.
pub fn replace_uids_in_text(key: &Key, text: &str) -> Option<String> {
    let found = uids_in_text(text);
    if found.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + found.len() * 40);
    let mut at = 0;
    for (start, end) in found {
        out.push_str(&text[at..start]);
        out.push_str(&replacement_uid(key, &text[start..end]));
        at = end;
    }
    out.push_str(&text[at..]);
    Some(out)
}

/// The text with every UID in it masked with X's (for values whose VR has no room for the
/// longer replacement).
pub fn mask_uids_in_text(text: &str) -> Option<String> {
    let found = uids_in_text(text);
    if found.is_empty() {
        return None;
    }
    let mut out = text.to_string();
    for (start, end) in found {
        out.replace_range(start..end, &"X".repeat(end - start));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_is_valid_and_repeatable() {
        let key = Key::from_bytes([1; 32]);
        let a = replacement_uid(&key, "1.2.3.4");
        assert_eq!(a, replacement_uid(&key, "1.2.3.4"));
        assert_ne!(a, replacement_uid(&key, "1.2.3.5"));
        assert_ne!(a, replacement_uid(&Key::from_bytes([2; 32]), "1.2.3.4"));
        assert!(a.starts_with("2.25.") && a.len() <= 64);
        assert!(a[5..].bytes().all(|b| b.is_ascii_digit()) && !a[5..].starts_with('0'));
        assert!(is_replacement(&a));
        assert!(uids_in_text(&format!("see {a}")).is_empty());
    }

    #[test]
    fn dicom_defined_uids_are_known_and_minted_ones_are_not() {
        assert!(is_dicom_defined("1.2.840.10008.5.1.4.1.1.2"));
        assert!(is_dicom_defined("1.2.840.10008.1.2.1\0"));
        assert!(is_dicom_defined("1.2.840.10008.1.4.1.1"));
        assert!(is_dicom_defined("1.2.840.10008.1.20.1.1"));
        assert!(!is_dicom_defined("1.2.840.10008.5.1.4.1.1.2.20240302.17"));
        assert!(!is_dicom_defined("1.2.826.0.1.3680043.8.498.1"));
    }

    #[test]
    fn uids_are_found_in_text_and_urls_but_not_addresses_or_versions() {
        let text = "http://192.168.1.10/wado?studyUID=1.2.826.0.1.3680043.8.498.1&v=3.1.4";
        assert_eq!(uids_in_text(text).len(), 1);
        let (start, end) = uids_in_text(text)[0];
        assert_eq!(&text[start..end], "1.2.826.0.1.3680043.8.498.1");
        assert!(uids_in_text("SOP class 1.2.840.10008.5.1.4.1.1.2.").is_empty());
        assert!(uids_in_text("version 1.0.2.3").is_empty());
    }
}
