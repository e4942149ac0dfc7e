//! DICOMDIRs in tests: an independent reader that follows a DICOMDIR's record offsets the way
//! a viewer does (PS3.3 F.3.2: from the root's first record, along Offset of the Next
//! Directory Record and Offset of Referenced Lower-Level Directory Entity), written without
//! the core's parser; and input DICOMDIRs that name the (fake) patients of a set.

use dicom_leakcheck::dicomdir::{self, FileId, Member, RecordKeys};
use dicom_leakcheck::parse;
use std::collections::HashSet;

/// One record as reached by its offset.
#[derive(Debug, Clone)]
pub struct Record {
    pub offset: usize,
    pub record_type: String,
    /// Its elements' values as text (tag -> value, padding removed); sequences left out.
    pub values: Vec<(u32, String)>,
    pub children: Vec<Record>,
}

impl Record {
    pub fn value(&self, tag: u32) -> Option<&str> {
        self.values
            .iter()
            .find(|(t, _)| *t == tag)
            .map(|(_, v)| v.as_str())
    }

    /// Every record at and below this one, depth first.
    pub fn walk(&self) -> Vec<&Record> {
        let mut out = vec![self];
        for child in &self.children {
            out.extend(child.walk());
        }
        out
    }
}

/// (tag, VR, value range) of one element.
type Raw = (u32, [u8; 2], std::ops::Range<usize>);

fn u16_at(bytes: &[u8], at: usize) -> Result<u16, String> {
    bytes
        .get(at..at + 2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .ok_or_else(|| format!("the file ends at byte {at}"))
}

fn u32_at(bytes: &[u8], at: usize) -> Result<u32, String> {
    bytes
        .get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| format!("the file ends at byte {at}"))
}

/// (tag, VR, value range, end) of the Explicit VR Little Endian element at `at`.
fn element_at(
    bytes: &[u8],
    at: usize,
) -> Result<(u32, [u8; 2], std::ops::Range<usize>, usize), String> {
    let tag = (u32::from(u16_at(bytes, at)?) << 16) | u32::from(u16_at(bytes, at + 2)?);
    let vr = [
        *bytes.get(at + 4).ok_or("truncated")?,
        *bytes.get(at + 5).ok_or("truncated")?,
    ];
    let long = crate::has_long_length(&vr);
    let (start, length) = if long {
        (at + 12, u32_at(bytes, at + 8)? as usize)
    } else {
        (at + 8, usize::from(u16_at(bytes, at + 6)?))
    };
    if length == u32::MAX as usize {
        return Err(format!("undefined length at byte {at}: not what we write"));
    }
    let end = start + length;
    if end > bytes.len() {
        return Err(format!("element at byte {at} runs past the end"));
    }
    Ok((tag, vr, start..end, end))
}

fn elements(bytes: &[u8], mut at: usize, end: usize) -> Result<Vec<Raw>, String> {
    let mut out = Vec::new();
    while at < end {
        let (tag, vr, value, next) = element_at(bytes, at)?;
        out.push((tag, vr, value));
        at = next;
    }
    if at != end {
        return Err(format!("elements overrun their item at byte {end}"));
    }
    Ok(out)
}

/// The root records of a DICOMDIR (one per patient), each with its records below, reached by
/// offsets only. Fails on any offset that is not the start of an item, on a record reached
/// twice, and when some record of the sequence is never reached.
pub fn read_records(bytes: &[u8]) -> Result<Vec<Record>, String> {
    if bytes.get(128..132) != Some(b"DICM") {
        return Err("no DICM marker".into());
    }
    let (tag, _, value, _) = element_at(bytes, 132)?;
    if tag != 0x0002_0000 {
        return Err("no File Meta Information Group Length".into());
    }
    let dataset = value.end + u32_at(bytes, value.start)? as usize;
    let top = elements(bytes, dataset, bytes.len())?;
    let find = |tag: u32| {
        top.iter()
            .find(|e| e.0 == tag)
            .ok_or(format!("no {tag:08X}"))
    };
    let sequence = find(0x0004_1220)?.2.clone();
    let first = u32_at(bytes, find(0x0004_1200)?.2.start)? as usize;
    // Where every item of the sequence starts, walking it in order.
    let mut starts = Vec::new();
    let mut at = sequence.start;
    while at < sequence.end {
        if u32_at(bytes, at)? != 0xE000_FFFE {
            return Err(format!("no item at byte {at}"));
        }
        starts.push(at);
        at += 8 + u32_at(bytes, at + 4)? as usize;
    }
    let mut reached = HashSet::new();
    let roots = chain(bytes, first, &starts, &mut reached, 0)?;
    if reached.len() != starts.len() {
        return Err(format!(
            "{} of {} records are reached by offsets",
            reached.len(),
            starts.len()
        ));
    }
    Ok(roots)
}

fn chain(
    bytes: &[u8],
    mut offset: usize,
    starts: &[usize],
    reached: &mut HashSet<usize>,
    depth: usize,
) -> Result<Vec<Record>, String> {
    let mut out = Vec::new();
    if depth > 8 {
        return Err("records nest deeper than any DICOMDIR".into());
    }
    while offset != 0 {
        if !starts.contains(&offset) {
            return Err(format!("offset {offset} is not the start of a record"));
        }
        if !reached.insert(offset) {
            return Err(format!("the record at {offset} is reached twice"));
        }
        let length = u32_at(bytes, offset + 4)? as usize;
        let mut next = 0;
        let mut lower = 0;
        let mut record_type = String::new();
        let mut values = Vec::new();
        for (tag, vr, value) in elements(bytes, offset + 8, offset + 8 + length)? {
            match tag {
                0x0004_1400 => next = u32_at(bytes, value.start)? as usize,
                0x0004_1420 => lower = u32_at(bytes, value.start)? as usize,
                _ => {}
            }
            if &vr == b"SQ" || &vr == b"UL" || &vr == b"US" {
                continue;
            }
            let text = String::from_utf8_lossy(&bytes[value])
                .trim_end_matches(['\0', ' '])
                .to_string();
            if tag == 0x0004_1430 {
                record_type = text.clone();
            }
            values.push((tag, text));
        }
        let children = chain(bytes, lower, starts, reached, depth + 1)?;
        out.push(Record {
            offset,
            record_type,
            values,
            children,
        });
        offset = next;
    }
    Ok(out)
}

/// A DICOMDIR as an archive or a CD would have it, naming the patients of `files` (their
/// original, identifying values), each file at the given file ID (`A/B/C`).
pub fn original_dicomdir(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut keys = Vec::new();
    let mut patients = Vec::new();
    for (_, bytes) in files {
        let parsed = parse::parse(bytes).expect("a test file parses");
        keys.push(RecordKeys::of(&parsed));
        let report =
            dicom_leakcheck::inspect(bytes, dicom_leakcheck::Options::basic()).expect("inspects");
        patients.push(dicomdir::patient_key(&report.summary));
    }
    let ids: Vec<FileId> = files
        .iter()
        .map(|(id, _)| FileId::parse(id).expect("a file ID"))
        .collect();
    let members: Vec<Member<'_>> = (0..files.len())
        .map(|i| Member {
            file_id: &ids[i],
            patient: &patients[i],
            keys: &keys[i],
        })
        .collect();
    let built = dicomdir::build(&members).expect("a DICOMDIR");
    assert!(built.left_out.is_empty(), "{:?}", built.left_out);
    // A CD's File-set ID often names the patient too (same length: offsets stay right).
    let mut bytes = built.bytes;
    let at = crate::find_bytes(&bytes, dicomdir::FILE_SET_ID.as_bytes()).expect("File-set ID");
    bytes[at..at + 12].copy_from_slice(ORIGINAL_FILE_SET_ID.as_bytes());
    bytes
}

/// The File-set ID of `original_dicomdir`: it names the patient.
pub const ORIGINAL_FILE_SET_ID: &str = "DOE_JOHN_CD1";
