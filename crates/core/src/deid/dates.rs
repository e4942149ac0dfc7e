//! Shifting dates by a per-patient offset for the Retain Longitudinal Temporal Information
//! with Modified Dates option (PS3.15 E.3.6): every date of one patient moves by the same
//! number of days, so intervals survive and the real dates do not.

use crate::key::Key;
use chrono::{Duration, NaiveDate};

/// The furthest back a shift goes, in days (about ten years).
const MAX_SHIFT_DAYS: u64 = 3652;

/// The offset in days (always negative, at least one day) for a patient, from the key.
///
/// Keyed on who the patient is, not on how the name happens to be written: the Patient ID
/// (0010,0020) with its Issuer of Patient ID (0010,0021), so "DOE^JOHN" and "DOE^JOHN^A" with
/// the same ID get the same shift and a longitudinal study keeps its intervals (PS3.15 E.3.6).
/// Only when there is no ID does the name decide, normalised: upper case, Unicode NFKC, the
/// family and given name of its first component group (middle names, prefixes, suffixes
/// and the ideographic and phonetic groups left out), spaces collapsed.
pub fn patient_offset_days(key: &Key, patient_id: &str, issuer: &str, name: &str) -> i64 {
    let id = patient_id.trim();
    let mac = if id.is_empty() {
        key.mac("date-shift-name", normalised_name(name).as_bytes())
    } else {
        let mut message = id.as_bytes().to_vec();
        message.push(0);
        message.extend_from_slice(issuer.trim().as_bytes());
        key.mac("date-shift-id", &message)
    };
    let mut eight = [0u8; 8];
    eight.copy_from_slice(&mac[..8]);
    -((u64::from_be_bytes(eight) % MAX_SHIFT_DAYS) as i64 + 1)
}

/// "  Doe ^ John^A^Dr " and "DOE^JOHN" both give "DOE^JOHN".
fn normalised_name(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let first_group = name.split('=').next().unwrap_or_default();
    let words = |part: &str| -> String {
        let folded: String = part.nfkc().collect::<String>().to_uppercase();
        folded.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let mut parts = first_group.split('^').map(words);
    let family = parts.next().unwrap_or_default();
    let given = parts.next().unwrap_or_default();
    format!("{family}^{given}")
}

fn shift_yyyymmdd(date: &str, days: i64) -> Option<String> {
    let parsed = NaiveDate::parse_from_str(date, "%Y%m%d").ok()?;
    let shifted = parsed.checked_add_signed(Duration::days(days))?;
    Some(shifted.format("%Y%m%d").to_string())
}

/// Shifts a DA value: single dates, ranges ("A-B") and multiple values. `None` when a part is
/// not a full date, in which case the caller falls back to a dummy value.
pub fn shift_da(value: &str, days: i64) -> Option<String> {
    let mut values = Vec::new();
    for one in value.split('\\') {
        let parts: Option<Vec<String>> = one
            .trim()
            .split('-')
            .map(|p| {
                if p.is_empty() {
                    Some(String::new())
                } else {
                    shift_yyyymmdd(p, days)
                }
            })
            .collect();
        values.push(parts?.join("-"));
    }
    Some(values.join("\\"))
}

/// Shifts the date part of DT values, keeping time and UTC offset. A '-' is a range
/// separator (PS3.5 6.2) unless it starts a trailing "-hhmm" offset.
pub fn shift_dt(value: &str, days: i64) -> Option<String> {
    let mut values = Vec::new();
    for one in value.split('\\') {
        let one = one.trim();
        if let Some((date_time, offset)) = one.rsplit_once('-') {
            let is_offset = offset.len() == 4
                && offset.bytes().all(|b| b.is_ascii_digit())
                && date_time.len() >= 8
                && !date_time.contains('-');
            if is_offset {
                let date = date_time.get(..8)?;
                values.push(format!(
                    "{}{}-{offset}",
                    shift_yyyymmdd(date, days)?,
                    &date_time[8..]
                ));
                continue;
            }
        }
        let parts: Option<Vec<String>> = one
            .split('-')
            .map(|p| {
                if p.is_empty() {
                    return Some(String::new());
                }
                // A trailing UTC offset "+hhmm" stays as it is.
                let date = p.get(..8)?;
                Some(format!("{}{}", shift_yyyymmdd(date, days)?, &p[8..]))
            })
            .collect();
        values.push(parts?.join("-"));
    }
    Some(values.join("\\"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shift_keeps_intervals() {
        assert_eq!(shift_da("20240302", -2).as_deref(), Some("20240229"));
        assert_eq!(
            shift_da("20240101-20240110", -1).as_deref(),
            Some("20231231-20240109")
        );
        assert_eq!(
            shift_dt("20240302101500.5+0100", -1).as_deref(),
            Some("20240301101500.5+0100")
        );
    }

    #[test]
    fn malformed_date_is_not_shifted() {
        assert_eq!(shift_da("1990/01/", -1), None);
        assert_eq!(shift_da("1990", -1), None);
    }

    #[test]
    fn offset_is_per_patient_and_keyed() {
        let key = Key::from_bytes([3; 32]);
        let a = patient_offset_days(&key, "ID1", "", "DOE^JOHN");
        assert!((-3652..=-1).contains(&a));
        assert_eq!(a, patient_offset_days(&key, "ID1", "", "DOE^JOHN"));
        assert_ne!(
            a,
            patient_offset_days(&Key::from_bytes([4; 32]), "ID1", "", "DOE^JOHN")
        );
    }

    #[test]
    fn offset_follows_the_id_and_issuer_not_the_spelling_of_the_name() {
        let key = Key::from_bytes([3; 32]);
        let a = patient_offset_days(&key, "ID1", "HOSP", "DOE^JOHN");
        assert_eq!(a, patient_offset_days(&key, " ID1 ", "HOSP", "Doe^John^A"));
        // Another issuer's ID 1 is another patient (in practice, the shifts differ).
        let other = patient_offset_days(&key, "ID1", "CLINIC", "DOE^JOHN");
        let other2 = patient_offset_days(&key, "ID1", "LAB", "DOE^JOHN");
        assert!(other != a || other2 != a);
        // Without an ID the normalised name decides.
        assert_eq!(
            patient_offset_days(&key, "", "", "DOE^JOHN"),
            patient_offset_days(&key, "", "", " doe ^ john ^ A^^Dr")
        );
    }
}
