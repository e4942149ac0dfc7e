//! The user's secret key: it makes replacement UIDs and date shifts repeatable across runs
//! without being reversible by anyone who lacks it. It is never stored or printed by us.

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const KEY_BYTES: usize = 32;
const KEY_PREFIX: &str = "dicom-leakcheck-key-v1:";

#[derive(Clone)]
pub struct Key([u8; KEY_BYTES]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(<secret>)")
    }
}

impl Key {
    /// A key from random bytes the caller obtained (the core does no I/O, so no RNG here).
    pub fn from_bytes(bytes: [u8; KEY_BYTES]) -> Key {
        Key(bytes)
    }

    /// The text form of a key file: a prefix and 64 hex digits.
    pub fn to_text(&self) -> String {
        let hex: String = self.0.iter().map(|b| format!("{b:02x}")).collect();
        format!("{KEY_PREFIX}{hex}\n")
    }

    /// Reads a key file's text. Accepts the prefixed form and bare 64 hex digits.
    pub fn parse(text: &str) -> Result<Key, String> {
        let text = text.trim();
        let hex = text.strip_prefix(KEY_PREFIX).unwrap_or(text);
        if hex.len() != KEY_BYTES * 2 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!(
                "not a dicom-leakcheck key: expected {} hex digits after '{KEY_PREFIX}'",
                KEY_BYTES * 2
            ));
        }
        let mut bytes = [0u8; KEY_BYTES];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16)
                .map_err(|_| "not a dicom-leakcheck key: bad hex digit".to_string())?;
        }
        Ok(Key(bytes))
    }

    /// HMAC-SHA-256 of `domain` and `message`, so different uses never share outputs.
    pub fn mac(&self, domain: &str, message: &[u8]) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(domain.as_bytes());
        mac.update(&[0]);
        mac.update(message);
        mac.finalize().into_bytes().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_text_round_trips() {
        let key = Key::from_bytes([7; 32]);
        let again = Key::parse(&key.to_text()).expect("own text parses");
        assert_eq!(key.mac("x", b"y"), again.mac("x", b"y"));
    }

    #[test]
    fn malformed_key_is_refused() {
        assert!(Key::parse("dicom-leakcheck-key-v1:abc").is_err());
        assert!(Key::parse(&"zz".repeat(32)).is_err());
    }

    #[test]
    fn debug_does_not_print_the_secret() {
        let key = Key::from_bytes([0xAB; 32]);
        assert!(!format!("{key:?}").contains("ab"));
    }
}
