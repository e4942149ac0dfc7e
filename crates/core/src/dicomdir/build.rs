//! Writing a DICOMDIR (the Basic Directory IOD, PS3.3 F.3 and Annex F.5; PS3.10 8 and 9)
//! from the keys of the de-identified files of a file set: one PATIENT record per patient,
//! STUDY, SERIES and a record per file below, in the order the files are given, with every
//! offset computed from the records as written. Pure: keys and file IDs in, bytes out.

use super::file_id::FileId;
use super::keys::{RecordKeys, MEDIA_STORAGE_DIRECTORY};
use super::records::{self, Key, Need, SPECIFIC_CHARACTER_SET};
use crate::decide::dummy_text;
use crate::deid::emit::encode_element;
use crate::error::{Error, OutputError};
use crate::meta::file_meta_bytes;
use crate::parse::syntax::{Syntax, EXPLICIT_VR_LITTLE_ENDIAN};
use crate::parse::{self, ITEM};
use dicom_core::header::DataElementHeader;
use dicom_core::{Length, Tag, VR};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

/// File-set ID (0004,1130) of every file set we write: the original one may name the patient.
pub const FILE_SET_ID: &str = "DEIDENTIFIED";

const OFFSET_NEXT: u32 = 0x0004_1400;
const IN_USE: u32 = 0x0004_1410;
const OFFSET_LOWER: u32 = 0x0004_1420;
const RECORD_TYPE: u32 = 0x0004_1430;

/// One file of the set.
#[derive(Debug, Clone, Copy)]
pub struct Member<'a> {
    /// Where the file is, relative to the DICOMDIR's folder.
    pub file_id: &'a FileId,
    /// Groups files into PATIENT records; never written (see `patient_key`).
    pub patient: &'a str,
    /// The de-identified file's keys (`Deidentified::record_keys`).
    pub keys: &'a RecordKeys,
}

/// A file the DICOMDIR does not index, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    /// Its index in the members given.
    pub index: usize,
    pub reason: String,
}

/// The DICOMDIR and what it holds.
#[derive(Debug, Clone)]
pub struct Built {
    pub bytes: Vec<u8>,
    /// Its Media Storage SOP Instance UID: new, derived from the files it indexes.
    pub sop_instance_uid: String,
    /// Files indexed, and patients (PATIENT records).
    pub files: usize,
    pub patients: usize,
    pub left_out: Vec<LeftOut>,
}

/// One record, its elements in tag order; the offsets are filled in once every record's
/// place is known.
struct Record {
    elements: Vec<(u32, Vec<u8>)>,
    next: Option<usize>,
    lower: Option<usize>,
}

struct Leaf<'a> {
    index: usize,
    member: Member<'a>,
    name: &'static str,
    keys: &'static [Key],
}

#[derive(Default)]
struct Tree<'a> {
    /// patient -> study -> series -> files, each in the order first seen.
    patients: Vec<Vec<Vec<Vec<Leaf<'a>>>>>,
    patient_index: HashMap<&'a str, usize>,
    study_index: HashMap<(usize, String), usize>,
    series_index: HashMap<(usize, usize, String), usize>,
}

/// The DICOMDIR of `members`. Files it cannot index (no SOP Class or Instance UID, no Study or
/// Series Instance UID, a second copy of the same instance, a DICOMDIR, a class of a
/// single-level file set) are listed in `left_out`; the others are all indexed.
pub fn build(members: &[Member<'_>]) -> Result<Built, Error> {
    let mut tree = Tree::default();
    let mut left_out = Vec::new();
    let mut seen_instances: HashMap<&str, usize> = HashMap::new();
    for (index, member) in members.iter().enumerate() {
        match place(&mut tree, &mut seen_instances, index, *member) {
            Ok(()) => {}
            Err(reason) => left_out.push(LeftOut { index, reason }),
        }
    }
    let sop_instance_uid = file_set_uid(members, &left_out);
    let mut records = Vec::new();
    let mut roots = Vec::new();
    for studies in &tree.patients {
        let first = &studies[0][0][0].member;
        roots.push(records.len());
        let patient = records.len();
        records.push(level_record("PATIENT", records::PATIENT, first.keys));
        let mut previous_study: Option<usize> = None;
        for series_list in studies {
            let study = records.len();
            records.push(level_record(
                "STUDY",
                records::STUDY,
                series_list[0][0].member.keys,
            ));
            link(&mut records, patient, previous_study, study);
            previous_study = Some(study);
            let mut previous_series: Option<usize> = None;
            for files in series_list {
                let series = records.len();
                records.push(level_record(
                    "SERIES",
                    records::SERIES,
                    files[0].member.keys,
                ));
                link(&mut records, study, previous_series, series);
                previous_series = Some(series);
                let mut previous_file: Option<usize> = None;
                for leaf in files {
                    let file = records.len();
                    records.push(leaf_record(leaf)?);
                    link(&mut records, series, previous_file, file);
                    previous_file = Some(file);
                }
            }
        }
    }
    for pair in roots.windows(2) {
        records[pair[0]].next = Some(pair[1]);
    }
    let bytes = write(&records, &roots, &sop_instance_uid)?;
    check_offsets(&bytes, records.len())?;
    Ok(Built {
        bytes,
        sop_instance_uid,
        files: members.len() - left_out.len(),
        patients: tree.patients.len(),
        left_out,
    })
}

/// Puts a member in the tree, or says why it cannot be indexed.
fn place<'a>(
    tree: &mut Tree<'a>,
    seen: &mut HashMap<&'a str, usize>,
    index: usize,
    member: Member<'a>,
) -> Result<(), String> {
    let keys = member.keys;
    if keys.is_directory() {
        return Err("it is a DICOMDIR itself".into());
    }
    keys.split()?;
    if keys.sop_class_uid.is_empty() || keys.sop_instance_uid.is_empty() {
        return Err(
            "it has no Media Storage SOP Class or Instance UID to reference (PS3.3 F.5)".into(),
        );
    }
    let Some((name, leaf_keys)) = records::leaf_for(&keys.sop_class_uid) else {
        return Err(format!(
            "its SOP Class ({}) belongs to a single-level file set, which names no patient",
            keys.sop_class_uid
        ));
    };
    let study = keys.text(0x0020_000D).unwrap_or_default();
    let series = keys.text(0x0020_000E).unwrap_or_default();
    if study.is_empty() || series.is_empty() {
        return Err("it has no Study or Series Instance UID, which its STUDY and SERIES records need (PS3.3 F.5)".into());
    }
    match seen.entry(&keys.sop_instance_uid) {
        Entry::Occupied(first) => {
            return Err(format!(
                "it is the same instance (SOP Instance UID) as file {} of the set",
                first.get() + 1
            ))
        }
        Entry::Vacant(slot) => {
            slot.insert(index);
        }
    }
    let next = tree.patients.len();
    let p = *tree.patient_index.entry(member.patient).or_insert(next);
    if p == next {
        tree.patients.push(Vec::new());
    }
    let next = tree.patients[p].len();
    let s = *tree.study_index.entry((p, study)).or_insert(next);
    if s == next {
        tree.patients[p].push(Vec::new());
    }
    let next = tree.patients[p][s].len();
    let e = *tree.series_index.entry((p, s, series)).or_insert(next);
    if e == next {
        tree.patients[p][s].push(Vec::new());
    }
    tree.patients[p][s][e].push(Leaf {
        index,
        member,
        name,
        keys: leaf_keys,
    });
    Ok(())
}

/// `child` is the first record below `parent`, or follows `previous`.
fn link(records: &mut [Record], parent: usize, previous: Option<usize>, child: usize) {
    match previous {
        Some(previous) => records[previous].next = Some(child),
        None => records[parent].lower = Some(child),
    }
}

fn explicit() -> Syntax {
    Syntax::from_uid(EXPLICIT_VR_LITTLE_ENDIAN)
}

fn element(tag: u32, vr: VR, value: &[u8]) -> Vec<u8> {
    encode_element(explicit(), tag, vr, value)
}

/// The elements every record starts with; the two offsets are zero until `write`.
fn record_start(record_type: &str) -> Vec<(u32, Vec<u8>)> {
    vec![
        (OFFSET_NEXT, element(OFFSET_NEXT, VR::UL, &[0; 4])),
        (IN_USE, element(IN_USE, VR::US, &0xFFFFu16.to_le_bytes())),
        (OFFSET_LOWER, element(OFFSET_LOWER, VR::UL, &[0; 4])),
        (
            RECORD_TYPE,
            element(RECORD_TYPE, VR::CS, record_type.as_bytes()),
        ),
    ]
}

/// The keys of one record from a file: its own values; a dummy for a required one it lacks
/// (PS3.3 F.5 Type 1; PS3.15 empties many of them, e.g. Patient ID, Study Date); an empty
/// element for a Type 2 one it lacks; Specific Character Set when the file has one.
fn key_elements(keys: &RecordKeys, wanted: &[Key]) -> Vec<(u32, Vec<u8>)> {
    let split = keys.split().unwrap_or_default();
    let found = |tag: u32| split.iter().find(|e| e.tag == tag);
    let verified = keys.text(0x0040_A493).is_some_and(|f| f == "VERIFIED");
    let mut out = Vec::new();
    if let Some(charset) = found(SPECIFIC_CHARACTER_SET).filter(|e| !e.value.is_empty()) {
        out.push((
            SPECIFIC_CHARACTER_SET,
            keys.elements[charset.whole.clone()].to_vec(),
        ));
    }
    for &(tag, vr_name, need) in wanted {
        let need = match need {
            Need::IfVerified if verified => Need::Required,
            Need::IfVerified => Need::IfPresent,
            other => other,
        };
        let vr: VR = vr_name.parse().unwrap_or(VR::UN);
        let present = found(tag);
        let has_value = present.is_some_and(|e| {
            keys.elements[e.value.clone()]
                .iter()
                .any(|&b| b != b' ' && b != 0)
        });
        match (present, need) {
            (Some(e), Need::Required) if has_value => {
                out.push((tag, keys.elements[e.whole.clone()].to_vec()))
            }
            (Some(e), Need::Present) => out.push((tag, keys.elements[e.whole.clone()].to_vec())),
            (Some(e), Need::IfPresent) if has_value => {
                out.push((tag, keys.elements[e.whole.clone()].to_vec()))
            }
            (_, Need::Required) => {
                // Modality has defined terms: OT ("other") is one; our usual dummy is not.
                let dummy = if tag == 0x0008_0060 {
                    Some("OT")
                } else {
                    dummy_text(vr)
                };
                match dummy {
                    Some(text) => out.push((tag, element(tag, vr, text.as_bytes()))),
                    None => {
                        if let Some(e) = present {
                            out.push((tag, keys.elements[e.whole.clone()].to_vec()));
                        }
                    }
                }
            }
            (None, Need::Present) => out.push((tag, element(tag, vr, &[]))),
            (_, Need::IfPresent | Need::IfVerified) => {}
        }
    }
    out
}

fn level_record(record_type: &str, wanted: &[Key], keys: &RecordKeys) -> Record {
    let mut elements = record_start(record_type);
    elements.extend(key_elements(keys, wanted));
    elements.sort_by_key(|(tag, _)| *tag);
    Record {
        elements,
        next: None,
        lower: None,
    }
}

fn leaf_record(leaf: &Leaf<'_>) -> Result<Record, Error> {
    let keys = leaf.member.keys;
    let mut elements = record_start(leaf.name);
    let file_id = leaf.member.file_id.components().join("\\");
    elements.push((
        0x0004_1500,
        element(0x0004_1500, VR::CS, file_id.as_bytes()),
    ));
    for (tag, uid) in [
        (0x0004_1510, &keys.sop_class_uid),
        (0x0004_1511, &keys.sop_instance_uid),
        (0x0004_1512, &keys.transfer_syntax_uid),
    ] {
        if !uid.is_empty() {
            elements.push((tag, element(tag, VR::UI, uid.as_bytes())));
        }
    }
    elements.extend(key_elements(keys, leaf.keys));
    elements.sort_by_key(|(tag, _)| *tag);
    if elements.windows(2).any(|w| w[0].0 == w[1].0) {
        return Err(Error::Output(OutputError::Directory(format!(
            "the directory record of file {} repeats an element",
            leaf.index + 1
        ))));
    }
    Ok(Record {
        elements,
        next: None,
        lower: None,
    })
}

fn item_length(record: &Record) -> usize {
    record.elements.iter().map(|(_, e)| e.len()).sum()
}

/// Preamble, meta group, the four top elements and the Directory Record Sequence, with
/// every offset counted from the first byte of the file (PS3.3 F.3.2.1: "from the first byte
/// of the File Meta Information", which PS3.10 7.1 starts with the preamble).
fn write(records: &[Record], roots: &[usize], sop_instance_uid: &str) -> Result<Vec<u8>, Error> {
    let mut out = file_meta_bytes(
        MEDIA_STORAGE_DIRECTORY,
        sop_instance_uid,
        EXPLICIT_VR_LITTLE_ENDIAN,
    );
    let sequence_length: usize = records.iter().map(|r| 8 + item_length(r)).sum();
    let head =
        element(0x0004_1130, VR::CS, FILE_SET_ID.as_bytes()).len() + 2 * (8 + 4) + (8 + 2) + 12;
    let mut starts = Vec::with_capacity(records.len());
    let mut at = out.len() + head;
    for record in records {
        starts.push(at);
        at += 8 + item_length(record);
    }
    let offset = |index: Option<usize>| -> Result<[u8; 4], Error> {
        let value = index.map_or(0, |i| starts[i]);
        u32::try_from(value).map(u32::to_le_bytes).map_err(|_| {
            Error::Output(OutputError::Directory(
                "the DICOMDIR would pass 4 GB, beyond its 32-bit offsets".into(),
            ))
        })
    };
    out.extend(element(0x0004_1130, VR::CS, FILE_SET_ID.as_bytes()));
    out.extend(element(
        0x0004_1200,
        VR::UL,
        &offset(roots.first().copied())?,
    ));
    out.extend(element(
        0x0004_1202,
        VR::UL,
        &offset(roots.last().copied())?,
    ));
    out.extend(element(0x0004_1212, VR::US, &[0, 0]));
    let length = u32::try_from(sequence_length).map_err(|_| {
        Error::Output(OutputError::Directory(
            "the DICOMDIR would pass 4 GB".into(),
        ))
    })?;
    explicit().encode_header(
        &mut out,
        DataElementHeader::new(Tag(0x0004, 0x1220), VR::SQ, Length(length)),
    );
    for record in records {
        explicit().encode_delimiter(&mut out, ITEM, item_length(record) as u32);
        for (tag, bytes) in &record.elements {
            match *tag {
                OFFSET_NEXT => out.extend(element(OFFSET_NEXT, VR::UL, &offset(record.next)?)),
                OFFSET_LOWER => out.extend(element(OFFSET_LOWER, VR::UL, &offset(record.lower)?)),
                _ => out.extend_from_slice(bytes),
            }
        }
    }
    Ok(out)
}

/// Reads the DICOMDIR back with our own parser and checks that every offset it holds points
/// at the start of one of its records, and that every record is reached: a defect of ours,
/// never the input's, must not leave here.
fn check_offsets(bytes: &[u8], count: usize) -> Result<(), Error> {
    let failed = |why: String| {
        Error::Output(OutputError::Directory(format!(
            "the DICOMDIR we wrote is wrong: {why}"
        )))
    };
    let parsed = parse::parse(bytes).map_err(|e| failed(e.to_string()))?;
    let read_u32 = |elements: &[parse::Element], tag: u32| -> Option<usize> {
        let e = elements.iter().find(|e| e.tag == tag)?;
        let v: [u8; 4] = parsed.value_bytes(e).try_into().ok()?;
        Some(u32::from_le_bytes(v) as usize)
    };
    let sequence = parsed
        .dataset
        .iter()
        .find(|e| e.tag == 0x0004_1220)
        .ok_or_else(|| failed("no Directory Record Sequence".into()))?;
    let items = sequence.items();
    if items.len() != count {
        return Err(failed(format!(
            "{} records read back, {count} written",
            items.len()
        )));
    }
    let starts: HashSet<usize> = items.iter().map(|i| i.start).collect();
    let mut reached = HashSet::new();
    let mut pending: Vec<usize> = read_u32(&parsed.dataset, 0x0004_1200)
        .filter(|&o| o != 0)
        .into_iter()
        .collect();
    let by_start: HashMap<usize, &parse::Item> = items.iter().map(|i| (i.start, i)).collect();
    while let Some(offset) = pending.pop() {
        if !starts.contains(&offset) {
            return Err(failed(format!(
                "offset {offset} is not the start of a record"
            )));
        }
        if !reached.insert(offset) {
            return Err(failed(format!("record at {offset} is reached twice")));
        }
        let item = by_start[&offset];
        for tag in [OFFSET_NEXT, OFFSET_LOWER] {
            match read_u32(&item.elements, tag) {
                Some(0) => {}
                Some(o) => pending.push(o),
                None => return Err(failed(format!("record at {offset} lacks an offset"))),
            }
        }
    }
    if reached.len() != count {
        return Err(failed(format!(
            "{} of {count} records are reached",
            reached.len()
        )));
    }
    Ok(())
}

/// A UID for the DICOMDIR (PS3.5 B.2: `2.25.` and 128 bits as a version 8 UUID) from the
/// UIDs and file IDs of what it indexes: new (the original DICOMDIR's UID is not kept), the
/// same for the same de-identified set, and saying nothing the files do not say themselves.
fn file_set_uid(members: &[Member<'_>], left_out: &[LeftOut]) -> String {
    let skipped: HashSet<usize> = left_out.iter().map(|l| l.index).collect();
    let mut hash = Sha256::new();
    hash.update(b"dicom-leakcheck DICOMDIR\n");
    for (i, member) in members.iter().enumerate() {
        if !skipped.contains(&i) {
            hash.update(member.file_id.to_string().as_bytes());
            hash.update(b"\n");
            hash.update(member.keys.sop_instance_uid.as_bytes());
            hash.update(b"\n");
        }
    }
    let digest = hash.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0F) | 0x80;
    bytes[8] = (bytes[8] & 0x3F) | 0x80;
    format!("2.25.{}", u128::from_be_bytes(bytes))
}
