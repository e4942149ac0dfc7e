//! Which directory record a file gets and which of its attributes the record copies: PS3.3
//! F.5 (the record keys) and F.4 (records of the Basic Directory IOD), as data. SOP Classes
//! not listed here get an IMAGE record, as most storage classes do; the single-level ones
//! (hanging protocols, palettes, implant templates: no patient) are not indexed.

/// How a record holds a key (PS3.3 F.5 Type column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// Type 1: a value is required; a missing or empty one gets our dummy.
    Required,
    /// Type 2: present, possibly empty.
    Present,
    /// Type 1C or 3: copied when the file has a value.
    IfPresent,
    /// Type 1C, required when Verification Flag (0040,A493) is VERIFIED (PS3.3 F.5: SR
    /// Document keys); the file may hold it only inside the Verifying Observer Sequence.
    IfVerified,
}

/// One key: tag, VR (for a dummy or an empty element) and how the record holds it.
pub(crate) type Key = (u32, &'static str, Need);

use Need::{IfPresent, IfVerified, Present, Required};

const INSTANCE_NUMBER: Key = (0x0020_0013, "IS", Required);
const CONTENT_DATE: Key = (0x0008_0023, "DA", Required);
const CONTENT_TIME: Key = (0x0008_0033, "TM", Required);
const CONCEPT_NAME: Key = (0x0040_A043, "SQ", Required);

/// PS3.3 F.5.1 Patient Keys.
pub(crate) const PATIENT: &[Key] = &[(0x0010_0010, "PN", Present), (0x0010_0020, "LO", Required)];

/// PS3.3 F.5.2 Study Keys.
pub(crate) const STUDY: &[Key] = &[
    (0x0008_0020, "DA", Required),
    (0x0008_0030, "TM", Required),
    (0x0008_0050, "SH", Present),
    (0x0008_1030, "LO", Present),
    (0x0020_000D, "UI", Required),
    (0x0020_0010, "SH", Required),
];

/// PS3.3 F.5.3 Series Keys.
pub(crate) const SERIES: &[Key] = &[
    (0x0008_0060, "CS", Required),
    (0x0020_000E, "UI", Required),
    (0x0020_0011, "IS", Required),
];

/// The record types below SERIES (PS3.3 F.5.4 onwards) and their keys.
pub(crate) const LEAVES: &[(&str, &[Key])] = &[
    ("IMAGE", &[INSTANCE_NUMBER]),
    ("RT DOSE", &[INSTANCE_NUMBER, (0x3004_000A, "CS", Required)]),
    (
        "RT STRUCTURE SET",
        &[
            INSTANCE_NUMBER,
            (0x3006_0002, "SH", Required),
            (0x3006_0008, "DA", Present),
            (0x3006_0009, "TM", Present),
        ],
    ),
    (
        "RT PLAN",
        &[
            INSTANCE_NUMBER,
            (0x300A_0002, "SH", Required),
            (0x300A_0006, "DA", Present),
            (0x300A_0007, "TM", Present),
        ],
    ),
    (
        "RT TREAT RECORD",
        &[
            INSTANCE_NUMBER,
            (0x3008_0250, "DA", Present),
            (0x3008_0251, "TM", Present),
        ],
    ),
    (
        "PRESENTATION",
        &[
            (0x0008_1115, "SQ", IfPresent),
            INSTANCE_NUMBER,
            (0x0070_0080, "CS", Required),
            (0x0070_0081, "LO", Present),
            (0x0070_0082, "DA", Required),
            (0x0070_0083, "TM", Required),
            (0x0070_0084, "PN", Present),
            (0x0070_0402, "SQ", IfPresent),
        ],
    ),
    (
        "SR DOCUMENT",
        &[
            CONTENT_DATE,
            CONTENT_TIME,
            INSTANCE_NUMBER,
            (0x0040_A030, "DT", IfVerified),
            CONCEPT_NAME,
            (0x0040_A491, "CS", Required),
            (0x0040_A493, "CS", Required),
        ],
    ),
    (
        "KEY OBJECT DOC",
        &[CONTENT_DATE, CONTENT_TIME, INSTANCE_NUMBER, CONCEPT_NAME],
    ),
    ("WAVEFORM", &[CONTENT_DATE, CONTENT_TIME, INSTANCE_NUMBER]),
    ("RAW DATA", &[CONTENT_DATE, CONTENT_TIME, INSTANCE_NUMBER]),
    (
        "SPECTROSCOPY",
        &[
            (0x0008_0008, "CS", Required),
            CONTENT_DATE,
            CONTENT_TIME,
            (0x0008_9092, "SQ", IfPresent),
            INSTANCE_NUMBER,
            (0x0028_0008, "IS", Required),
            (0x0028_0010, "US", Required),
            (0x0028_0011, "US", Required),
            (0x0028_9001, "UL", Required),
            (0x0028_9002, "UL", Required),
        ],
    ),
    (
        "ENCAP DOC",
        &[
            (0x0008_0023, "DA", Present),
            (0x0008_0033, "TM", Present),
            INSTANCE_NUMBER,
            (0x0040_A043, "SQ", Present),
            (0x0040_E001, "ST", IfPresent),
            (0x0042_0010, "ST", Present),
            (0x0042_0012, "LO", Required),
        ],
    ),
    ("REGISTRATION", CONTENT_IDENTIFICATION),
    ("FIDUCIAL", CONTENT_IDENTIFICATION),
    ("VALUE MAP", CONTENT_IDENTIFICATION),
    ("MEASUREMENT", CONTENT_IDENTIFICATION),
    ("SURFACE", CONTENT_IDENTIFICATION),
    ("TRACT", CONTENT_IDENTIFICATION),
    ("STEREOMETRIC", &[]),
    ("PLAN", &[]),
    ("SURFACE SCAN", &[CONTENT_DATE, CONTENT_TIME]),
    (
        "ASSESSMENT",
        &[
            (0x0008_0012, "DA", Required),
            (0x0008_0013, "TM", Present),
            INSTANCE_NUMBER,
        ],
    ),
    (
        "RADIOTHERAPY",
        &[
            INSTANCE_NUMBER,
            (0x0070_0081, "LO", Present),
            (0x0070_0084, "PN", Present),
            (0x3010_0033, "SH", IfPresent),
            (0x3010_0034, "LO", IfPresent),
        ],
    ),
];

/// Content Identification Macro keys (PS3.3 F.5: REGISTRATION, FIDUCIAL, ...).
const CONTENT_IDENTIFICATION: &[Key] = &[
    CONTENT_DATE,
    CONTENT_TIME,
    INSTANCE_NUMBER,
    (0x0070_0080, "CS", Required),
    (0x0070_0081, "LO", Present),
    (0x0070_0084, "PN", Present),
];

/// Storage SOP Classes whose record is not IMAGE (PS3.3 F.4, PS3.4 Annex B).
const RECORD_OF_CLASS: &[(&str, &str)] = &[
    ("1.2.840.10008.5.1.4.1.1.481.2", "RT DOSE"),
    ("1.2.840.10008.5.1.4.1.1.481.3", "RT STRUCTURE SET"),
    ("1.2.840.10008.5.1.4.1.1.481.4", "RT TREAT RECORD"),
    ("1.2.840.10008.5.1.4.1.1.481.5", "RT PLAN"),
    ("1.2.840.10008.5.1.4.1.1.481.6", "RT TREAT RECORD"),
    ("1.2.840.10008.5.1.4.1.1.481.7", "RT TREAT RECORD"),
    ("1.2.840.10008.5.1.4.1.1.481.8", "RT PLAN"),
    ("1.2.840.10008.5.1.4.1.1.481.9", "RT TREAT RECORD"),
    ("1.2.840.10008.5.1.4.1.1.481.10", "RADIOTHERAPY"),
    ("1.2.840.10008.5.1.4.1.1.481.11", "RADIOTHERAPY"),
    ("1.2.840.10008.5.1.4.1.1.481.12", "RADIOTHERAPY"),
    ("1.2.840.10008.5.1.4.1.1.481.13", "RADIOTHERAPY"),
    ("1.2.840.10008.5.1.4.1.1.481.14", "RADIOTHERAPY"),
    ("1.2.840.10008.5.1.4.1.1.481.15", "RADIOTHERAPY"),
    ("1.2.840.10008.5.1.4.1.1.481.16", "RADIOTHERAPY"),
    ("1.2.840.10008.5.1.4.1.1.481.17", "RADIOTHERAPY"),
    ("1.2.840.10008.5.1.4.1.1.481.18", "RADIOTHERAPY"),
    ("1.2.840.10008.5.1.4.1.1.481.19", "RADIOTHERAPY"),
    ("1.2.840.10008.5.1.4.1.1.481.20", "RADIOTHERAPY"),
    ("1.2.840.10008.5.1.4.1.1.481.21", "RADIOTHERAPY"),
    ("1.2.840.10008.5.1.4.1.1.481.22", "RADIOTHERAPY"),
    ("1.2.840.10008.5.1.4.1.1.481.25", "RADIOTHERAPY"),
    ("1.2.840.10008.5.1.4.1.1.11.1", "PRESENTATION"),
    ("1.2.840.10008.5.1.4.1.1.11.2", "PRESENTATION"),
    ("1.2.840.10008.5.1.4.1.1.11.3", "PRESENTATION"),
    ("1.2.840.10008.5.1.4.1.1.11.4", "PRESENTATION"),
    ("1.2.840.10008.5.1.4.1.1.11.5", "PRESENTATION"),
    ("1.2.840.10008.5.1.4.1.1.131", "PRESENTATION"),
    ("1.2.840.10008.5.1.4.1.1.9.1.1", "WAVEFORM"),
    ("1.2.840.10008.5.1.4.1.1.9.1.2", "WAVEFORM"),
    ("1.2.840.10008.5.1.4.1.1.9.1.3", "WAVEFORM"),
    ("1.2.840.10008.5.1.4.1.1.9.2.1", "WAVEFORM"),
    ("1.2.840.10008.5.1.4.1.1.9.3.1", "WAVEFORM"),
    ("1.2.840.10008.5.1.4.1.1.9.4.1", "WAVEFORM"),
    ("1.2.840.10008.5.1.4.1.1.9.4.2", "WAVEFORM"),
    ("1.2.840.10008.5.1.4.1.1.9.5.1", "WAVEFORM"),
    ("1.2.840.10008.5.1.4.1.1.9.6.1", "WAVEFORM"),
    ("1.2.840.10008.5.1.4.1.1.9.6.2", "WAVEFORM"),
    ("1.2.840.10008.5.1.4.1.1.9.7.1", "WAVEFORM"),
    ("1.2.840.10008.5.1.4.1.1.9.7.2", "WAVEFORM"),
    ("1.2.840.10008.5.1.4.1.1.9.7.3", "WAVEFORM"),
    ("1.2.840.10008.5.1.4.1.1.9.7.4", "WAVEFORM"),
    ("1.2.840.10008.5.1.4.1.1.9.8.1", "WAVEFORM"),
    ("1.2.840.10008.5.1.4.1.1.88.11", "SR DOCUMENT"),
    ("1.2.840.10008.5.1.4.1.1.88.22", "SR DOCUMENT"),
    ("1.2.840.10008.5.1.4.1.1.88.33", "SR DOCUMENT"),
    ("1.2.840.10008.5.1.4.1.1.88.34", "SR DOCUMENT"),
    ("1.2.840.10008.5.1.4.1.1.88.35", "SR DOCUMENT"),
    ("1.2.840.10008.5.1.4.1.1.88.40", "SR DOCUMENT"),
    ("1.2.840.10008.5.1.4.1.1.88.50", "SR DOCUMENT"),
    ("1.2.840.10008.5.1.4.1.1.88.65", "SR DOCUMENT"),
    ("1.2.840.10008.5.1.4.1.1.88.67", "SR DOCUMENT"),
    ("1.2.840.10008.5.1.4.1.1.88.68", "SR DOCUMENT"),
    ("1.2.840.10008.5.1.4.1.1.88.69", "SR DOCUMENT"),
    ("1.2.840.10008.5.1.4.1.1.88.70", "SR DOCUMENT"),
    ("1.2.840.10008.5.1.4.1.1.88.71", "SR DOCUMENT"),
    ("1.2.840.10008.5.1.4.1.1.88.72", "SR DOCUMENT"),
    ("1.2.840.10008.5.1.4.1.1.88.73", "SR DOCUMENT"),
    ("1.2.840.10008.5.1.4.1.1.88.74", "SR DOCUMENT"),
    ("1.2.840.10008.5.1.4.1.1.88.75", "SR DOCUMENT"),
    ("1.2.840.10008.5.1.4.1.1.78.6", "SR DOCUMENT"),
    ("1.2.840.10008.5.1.4.1.1.79.1", "SR DOCUMENT"),
    ("1.2.840.10008.5.1.4.1.1.88.59", "KEY OBJECT DOC"),
    ("1.2.840.10008.5.1.4.1.1.4.2", "SPECTROSCOPY"),
    ("1.2.840.10008.5.1.4.1.1.66", "RAW DATA"),
    ("1.2.840.10008.5.1.4.1.1.66.1", "REGISTRATION"),
    ("1.2.840.10008.5.1.4.1.1.66.3", "REGISTRATION"),
    ("1.2.840.10008.5.1.4.1.1.66.2", "FIDUCIAL"),
    ("1.2.840.10008.5.1.4.1.1.67", "VALUE MAP"),
    ("1.2.840.10008.5.1.4.1.1.77.1.5.3", "STEREOMETRIC"),
    ("1.2.840.10008.5.1.4.1.1.78.1", "MEASUREMENT"),
    ("1.2.840.10008.5.1.4.1.1.78.2", "MEASUREMENT"),
    ("1.2.840.10008.5.1.4.1.1.78.3", "MEASUREMENT"),
    ("1.2.840.10008.5.1.4.1.1.78.4", "MEASUREMENT"),
    ("1.2.840.10008.5.1.4.1.1.78.5", "MEASUREMENT"),
    ("1.2.840.10008.5.1.4.1.1.78.7", "MEASUREMENT"),
    ("1.2.840.10008.5.1.4.1.1.80.1", "MEASUREMENT"),
    ("1.2.840.10008.5.1.4.1.1.66.5", "SURFACE"),
    ("1.2.840.10008.5.1.4.1.1.68.1", "SURFACE SCAN"),
    ("1.2.840.10008.5.1.4.1.1.68.2", "SURFACE SCAN"),
    ("1.2.840.10008.5.1.4.1.1.66.6", "TRACT"),
    ("1.2.840.10008.5.1.4.1.1.90.1", "ASSESSMENT"),
    ("1.2.840.10008.5.1.4.1.1.104.1", "ENCAP DOC"),
    ("1.2.840.10008.5.1.4.1.1.104.2", "ENCAP DOC"),
    ("1.2.840.10008.5.1.4.1.1.104.3", "ENCAP DOC"),
    ("1.2.840.10008.5.1.4.1.1.104.4", "ENCAP DOC"),
    ("1.2.840.10008.5.1.4.1.1.104.5", "ENCAP DOC"),
];

/// SOP Classes of single-level file sets (PS3.3 F.4: HANGING PROTOCOL, PALETTE, IMPLANT ...):
/// they describe no patient, so a patient's file set does not index them.
const TOP_LEVEL_CLASSES: &[&str] = &[
    "1.2.840.10008.5.1.4.38.1",
    "1.2.840.10008.5.1.4.39.1",
    "1.2.840.10008.5.1.4.43.1",
    "1.2.840.10008.5.1.4.44.1",
    "1.2.840.10008.5.1.4.45.1",
];

/// The record type and keys of a file's own record; `None` for classes a patient's file set
/// does not index.
pub(crate) fn leaf_for(sop_class_uid: &str) -> Option<(&'static str, &'static [Key])> {
    if TOP_LEVEL_CLASSES.contains(&sop_class_uid) {
        return None;
    }
    let name = RECORD_OF_CLASS
        .iter()
        .find(|(uid, _)| *uid == sop_class_uid)
        .map_or("IMAGE", |(_, name)| name);
    LEAVES.iter().find(|(n, _)| *n == name).copied()
}

/// Every tag any record may copy from a file, Specific Character Set included.
pub(crate) fn all_key_tags() -> impl Iterator<Item = u32> {
    let levels = PATIENT.iter().chain(STUDY).chain(SERIES);
    let leaves = LEAVES.iter().flat_map(|(_, keys)| keys.iter());
    std::iter::once(SPECIFIC_CHARACTER_SET).chain(levels.chain(leaves).map(|k| k.0))
}

/// Specific Character Set (0008,0005): Type 1C in every record whose keys need it (PS3.3 F.5).
pub(crate) const SPECIFIC_CHARACTER_SET: u32 = 0x0008_0005;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_class_names_a_known_record_and_keys_are_in_tag_order() {
        for (uid, name) in RECORD_OF_CLASS {
            assert!(LEAVES.iter().any(|(n, _)| n == name), "{uid}: {name}");
        }
        for (name, keys) in LEAVES
            .iter()
            .chain([("PATIENT", PATIENT), ("STUDY", STUDY), ("SERIES", SERIES)].iter())
        {
            assert!(keys.windows(2).all(|w| w[0].0 < w[1].0), "{name}");
        }
        assert_eq!(
            leaf_for("1.2.840.10008.5.1.4.1.1.2").map(|l| l.0),
            Some("IMAGE")
        );
        assert_eq!(
            leaf_for("1.2.840.10008.5.1.4.1.1.88.67").map(|l| l.0),
            Some("SR DOCUMENT")
        );
        assert_eq!(leaf_for("1.2.840.10008.5.1.4.38.1"), None);
    }
}
