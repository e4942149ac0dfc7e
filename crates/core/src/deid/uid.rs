//! Replacement UIDs: `2.25.` followed by the decimal of a 128-bit value (PS3.5 B.2), here a
//! keyed hash of the original, so the same UID maps the same way in every file and run that
//! uses the same key, and nobody without the key can map it back or forward.

use crate::key::Key;

/// UIDs defined by DICOM itself (SOP classes, well-known instances) identify nobody.
pub fn is_dicom_defined(uid: &str) -> bool {
    uid.starts_with("1.2.840.10008.")
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
    }
}
