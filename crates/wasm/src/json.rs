//! Results cross into JavaScript as JSON text read by the engine's own `JSON.parse`, which builds
//! a report of thousands of elements several times faster than setting each property across
//! the module's boundary.
//!
//! The text is serde_json's compact output with every non-ASCII character escaped (`\u00e9`,
//! a surrogate pair past U+FFFF): `JSON.parse` gives the very same values (RFC 8259 section 7),
//! but the text is ASCII, which the engine decodes from the module's memory and parses as
//! one-byte characters. A single "…" in one preview otherwise makes the whole text of a report
//! two-byte: on the benchmark's mixed batch, decoding took 3.8x as long and parsing 1.1x.

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter};
use std::io::{self, Write};

/// `value` as ASCII JSON text (see the module's documentation).
pub fn to_ascii_json<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(4096);
    value.serialize(&mut serde_json::Serializer::with_formatter(
        &mut out,
        AsciiFormatter,
    ))?;
    // Only ASCII was written: every byte is below 0x80.
    String::from_utf8(out).map_err(|e| serde::ser::Error::custom(e.utf8_error()))
}

/// serde_json's compact formatter, with non-ASCII characters written as `\uXXXX` escapes.
struct AsciiFormatter;

impl Formatter for AsciiFormatter {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        if fragment.is_ascii() {
            return CompactFormatter.write_string_fragment(writer, fragment);
        }
        let mut plain = 0;
        for (at, c) in fragment.char_indices() {
            if c.is_ascii() {
                continue;
            }
            writer.write_all(&fragment.as_bytes()[plain..at])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            plain = at + c.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[plain..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dicom_leakcheck::{inspect, sample::sample_file, Options};

    /// Undoes the escapes of non-ASCII characters (never written by serde_json itself, which
    /// escapes only quotes, backslashes and control characters).
    fn unescape_non_ascii(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find("\\u") {
            let unit = |s: &str| u16::from_str_radix(&s[2..6], 16).ok();
            let first = unit(&rest[at..]).filter(|u| *u >= 0x80);
            let Some(first) = first.filter(|_| !rest[..at].ends_with('\\')) else {
                out.push_str(&rest[..at + 2]);
                rest = &rest[at + 2..];
                continue;
            };
            out.push_str(&rest[..at]);
            let mut units = vec![first];
            let mut len = 6;
            if (0xD800..0xDC00).contains(&first) {
                units.push(unit(&rest[at + 6..]).expect("the low surrogate follows"));
                len = 12;
            }
            out.push_str(&String::from_utf16(&units).expect("valid UTF-16"));
            rest = &rest[at + len..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn non_ascii_is_escaped_and_reads_back_as_the_same_text() {
        let values = vec![
            "plain".to_string(),
            "Müller^Jürgen".to_string(),
            "山田^太郎".to_string(),
            "clipped…".to_string(),
            "past the BMP: 😀".to_string(),
            "quote \" backslash \\ tab \t nul \0 é".to_string(),
        ];
        let ours = to_ascii_json(&values).expect("serializes");
        assert!(ours.is_ascii(), "{ours}");
        assert!(
            ours.contains("\\u00fc") && ours.contains("\\ud83d\\ude00"),
            "{ours}"
        );
        let back: Vec<String> = serde_json::from_str(&ours).expect("valid JSON");
        assert_eq!(back, values);
        assert_eq!(
            unescape_non_ascii(&ours),
            serde_json::to_string(&values).unwrap()
        );
    }

    #[test]
    fn a_report_is_serde_jsons_text_but_for_the_escapes() {
        // The sample's report, with a patient name outside ASCII written into the text too.
        let report = inspect(&sample_file(), Options::basic()).expect("the sample reads");
        let mut report = report;
        report.summary.text.push_str(" Müller…");
        let ours = to_ascii_json(&report).expect("serializes");
        assert!(ours.is_ascii());
        assert_eq!(
            unescape_non_ascii(&ours),
            serde_json::to_string(&report).unwrap()
        );
    }
}
