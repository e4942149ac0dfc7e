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
use std::cell::Cell;
use std::io::{self, Write};

thread_local! {
    /// The text of the last result, kept for the next: it grows once to the size of the largest
    /// report instead of doubling its way up for each file (a structure set's report is 1.7 MB
    /// of JSON), and the module's memory never shrinks anyway.
    static BUFFER: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// A buffer this large is not kept for the next result.
const KEPT_AT_MOST: usize = 8 << 20;

/// Calls `then` with `value` as ASCII JSON text (see the module's documentation), written in a buffer that is reused.
pub fn with_ascii_json<T: Serialize + ?Sized, R>(
    value: &T,
    then: impl FnOnce(&str) -> R,
) -> serde_json::Result<R> {
    // Taken out of its cell for the time of the call: a nested call gets an empty buffer.
    let mut out = BUFFER.take();
    out.clear();
    let written = value.serialize(&mut serde_json::Serializer::with_formatter(
        &mut out,
        AsciiFormatter,
    ));
    // Only ASCII was written: every byte is below 0x80.
    let result = written.and_then(|()| match std::str::from_utf8(&out) {
        Ok(text) => Ok(then(text)),
        Err(e) => Err(serde::ser::Error::custom(e)),
    });
    if out.capacity() <= KEPT_AT_MOST {
        BUFFER.set(out);
    }
    result
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

    fn to_ascii_json<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
        with_ascii_json(value, str::to_string)
    }

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

    /// The buffer is reused: a short result after a long one is only its own text.
    #[test]
    fn a_result_after_a_longer_one_is_only_its_own_text() {
        let long = to_ascii_json(&vec!["x".repeat(10_000); 3]).expect("serializes");
        let short = to_ascii_json(&["é"]).expect("serializes");
        assert_eq!(long.len(), 3 * 10_002 + 4);
        assert_eq!(short, r#"["\u00e9"]"#);
    }
}
