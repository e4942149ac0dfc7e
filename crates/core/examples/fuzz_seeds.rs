//! Writes the built-in synthetic sample in every native transfer syntax, plus a small
//! encapsulated file, into a folder: seeds for the fuzz corpora (see CONTRIBUTING.md "Fuzzing").
//!
//!     cargo run -p dicom-leakcheck --example fuzz_seeds -- fuzz/corpus/seeds

use dicom_leakcheck::meta::file_meta_bytes;
use dicom_leakcheck::sample::{sample_file_with_syntax, SAMPLE_SOP_INSTANCE_UID};
use std::path::PathBuf;

const SYNTAXES: [(&str, &str); 4] = [
    ("implicit-le", "1.2.840.10008.1.2"),
    ("explicit-le", "1.2.840.10008.1.2.1"),
    ("deflated", "1.2.840.10008.1.2.1.99"),
    ("explicit-be", "1.2.840.10008.1.2.2"),
];

/// Explicit VR Little Endian element with a 16-bit length.
fn short(out: &mut Vec<u8>, group: u16, element: u16, vr: &[u8; 2], value: &[u8]) {
    out.extend_from_slice(&group.to_le_bytes());
    out.extend_from_slice(&element.to_le_bytes());
    out.extend_from_slice(vr);
    out.extend_from_slice(&(value.len() as u16).to_le_bytes());
    out.extend_from_slice(value);
}

fn item(out: &mut Vec<u8>, element: u16, length: u32, value: &[u8]) {
    out.extend_from_slice(&0xFFFE_u16.to_le_bytes());
    out.extend_from_slice(&element.to_le_bytes());
    out.extend_from_slice(&length.to_le_bytes());
    out.extend_from_slice(value);
}

/// JPEG Baseline (PS3.5 A.4): a name, then encapsulated Pixel Data with an empty Basic Offset
/// Table, one fragment and the sequence delimiter. The fragment is not a real JPEG: the core
/// never decodes it.
fn encapsulated() -> Vec<u8> {
    let mut data = Vec::new();
    short(
        &mut data,
        0x0008,
        0x0016,
        b"UI",
        b"1.2.840.10008.5.1.4.1.1.7\0",
    );
    short(&mut data, 0x0008, 0x0018, b"UI", b"2.25.1234\0");
    short(&mut data, 0x0010, 0x0010, b"PN", b"DOE^JOHN");
    short(&mut data, 0x0028, 0x0010, b"US", &8_u16.to_le_bytes());
    short(&mut data, 0x0028, 0x0011, b"US", &8_u16.to_le_bytes());
    data.extend_from_slice(&[0xE0, 0x7F, 0x10, 0x00, b'O', b'B', 0, 0]);
    data.extend_from_slice(&u32::MAX.to_le_bytes());
    item(&mut data, 0xE000, 0, &[]);
    item(&mut data, 0xE000, 4, &[0xFF, 0xD8, 0xFF, 0xD9]);
    item(&mut data, 0xE0DD, 0, &[]);
    let mut out = file_meta_bytes(
        "1.2.840.10008.5.1.4.1.1.7",
        "2.25.1234",
        "1.2.840.10008.1.2.4.50",
    );
    out.extend(data);
    out
}

fn main() -> Result<(), String> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: fuzz_seeds <folder>")?,
    );
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files = vec![("encapsulated".to_string(), encapsulated())];
    for (name, uid) in SYNTAXES {
        files.push((format!("sample-{name}"), sample_file_with_syntax(uid)?));
    }
    for (name, bytes) in files {
        let path = dir.join(format!("{name}.dcm"));
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    println!(
        "seeds for {SAMPLE_SOP_INSTANCE_UID} written to {}",
        dir.display()
    );
    Ok(())
}
