//! The machinery of the malformed-file suite: synthetic base files in every transfer syntax
//! (their data set kept apart from the meta group so it can be damaged and re-assembled, and
//! deflated again for Deflated files), the structural points of a file, a small element encoder
//! for hand-made damage, and the one check every damaged input goes through.
#![allow(dead_code)]

use crate::common::*;
use crate::encode::Enc;
use dicom_core::value::PrimitiveValue;
use dicom_core::{DataElement, Tag, VR};
use dicom_leakcheck::parse::{parse, Body, Element};
use dicom_leakcheck::{Error, Options, ParseError};
use std::panic::{catch_unwind, AssertUnwindSafe};

pub const JPEG_BASELINE: &str = "1.2.840.10008.1.2.4.50";

/// Fake PHI placed in the synthetic files. Every value is invented.
pub const PHI: [&str; 6] = [
    "DOE",
    "JOHN",
    "LC-12345",
    "ACC-98765",
    "ELSEWHERE",
    "19700101",
];

/// A synthetic file: meta group (with preamble) and data set bytes, kept apart.
#[derive(Clone)]
pub struct Base {
    pub name: &'static str,
    pub meta: Vec<u8>,
    /// The data set as written (before deflating, for Deflated files).
    pub plain: Vec<u8>,
    pub deflated: bool,
    pub enc: Enc,
}

impl Base {
    pub fn new(name: &'static str, transfer_syntax: &str, plain: Vec<u8>) -> Base {
        let deflated = transfer_syntax == DEFLATED;
        let enc = match transfer_syntax {
            IMPLICIT_LE => Enc::ImplicitLe,
            EXPLICIT_BE => Enc::ExplicitBe,
            _ => Enc::ExplicitLe,
        };
        Base {
            name,
            meta: dicom_leakcheck::meta::file_meta_bytes(
                CT_IMAGE_STORAGE,
                "2.25.777",
                transfer_syntax,
            ),
            plain,
            deflated,
            enc,
        }
    }

    /// The file holding `plain` as its data set.
    pub fn file(&self, plain: &[u8]) -> Vec<u8> {
        let mut out = self.meta.clone();
        if self.deflated {
            let mut encoder =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
            std::io::Write::write_all(&mut encoder, plain).expect("deflate");
            out.extend(encoder.finish().expect("deflate"));
        } else {
            out.extend_from_slice(plain);
        }
        out
    }

    pub fn whole(&self) -> Vec<u8> {
        self.file(&self.plain)
    }

    /// Where byte `at` of the data set is reported: a file offset, or an inflated offset.
    pub fn reported(&self, at: usize) -> usize {
        if self.deflated {
            at
        } else {
            at + self.meta.len()
        }
    }

    /// The data set's top-level elements, offsets counted in `plain`.
    pub fn structure(&self) -> Vec<Element> {
        let file = self.whole();
        let parsed =
            parse(&file).unwrap_or_else(|e| panic!("{}: the base does not parse: {e}", self.name));
        assert!(
            parsed.warnings.is_empty(),
            "{}: {:?}",
            self.name,
            parsed.warnings
        );
        let mut elements = parsed.dataset.clone();
        if !self.deflated {
            unshift(&mut elements, self.meta.len());
        }
        elements
    }
}

fn unshift(elements: &mut [Element], by: usize) {
    for e in elements {
        e.start -= by;
        e.value = e.value.start - by..e.value.end - by;
        e.end -= by;
        if let Body::Sequence { items, .. } = &mut e.body {
            for item in items {
                item.start -= by;
                item.end -= by;
                unshift(&mut item.elements, by);
            }
        }
    }
}

/// The synthetic data set used by the structural tests: text, a private block, a nested
/// content sequence, a reference sequence and a tiny native image.
pub fn synthetic_dataset() -> dicom_object::InMemDicomObject {
    let inner = item([text(Tag(0x0040, 0xA160), VR::UT, "JOHN DOE FELL")]);
    let content = item([
        text(Tag(0x0040, 0xA040), VR::CS, "PNAME"),
        text(PERSON_NAME, VR::PN, "DOE^JOHN"),
        sequence(CONTENT_SEQUENCE, vec![inner]),
    ]);
    let reference = item([
        text(REFERENCED_SOP_CLASS_UID, VR::UI, CT_IMAGE_STORAGE),
        text(REFERENCED_SOP_INSTANCE_UID, VR::UI, "2.25.4444"),
    ]);
    item([
        text(SOP_CLASS_UID, VR::UI, CT_IMAGE_STORAGE),
        text(SOP_INSTANCE_UID, VR::UI, "2.25.777"),
        text(STUDY_DATE, VR::DA, "20240302"),
        text(Tag(0x0008, 0x0050), VR::SH, "ACC-98765"),
        text(Tag(0x0008, 0x0060), VR::CS, "CT"),
        text(Tag(0x0008, 0x0080), VR::LO, "ST. ELSEWHERE HOSPITAL"),
        sequence(REFERENCED_STUDY_SEQUENCE, vec![reference]),
        text(Tag(0x0009, 0x0010), VR::LO, "ACME_PRIVATE_1"),
        text(Tag(0x0009, 0x1001), VR::LO, "DOE^JOHN LC-12345"),
        text(PATIENT_NAME, VR::PN, "DOE^JOHN"),
        text(PATIENT_ID, VR::LO, "LC-12345"),
        text(PATIENT_BIRTH_DATE, VR::DA, "19700101"),
        us(Tag(0x0028, 0x0002), 1),
        text(Tag(0x0028, 0x0004), VR::CS, "MONOCHROME2"),
        us(Tag(0x0028, 0x0010), 4),
        us(Tag(0x0028, 0x0011), 4),
        us(Tag(0x0028, 0x0100), 16),
        us(Tag(0x0028, 0x0101), 16),
        us(Tag(0x0028, 0x0102), 15),
        us(Tag(0x0028, 0x0103), 0),
        sequence(CONTENT_SEQUENCE, vec![content]),
        DataElement::new(PIXEL_DATA, VR::OW, PrimitiveValue::from(vec![0x55_u8; 32])),
    ])
}

/// Explicit VR Little Endian data set with encapsulated Pixel Data (PS3.5 A.4): a Basic Offset
/// Table with two offsets and two fragments.
pub fn encapsulated_plain() -> Vec<u8> {
    let e = Enc::ExplicitLe;
    let mut out = e.element(SOP_CLASS_UID, b"UI", b"1.2.840.10008.5.1.4.1.1.7\0", None);
    out.extend(e.element(SOP_INSTANCE_UID, b"UI", b"2.25.777", None));
    out.extend(e.element(PATIENT_NAME, b"PN", b"DOE^JOHN", None));
    out.extend(e.element(PATIENT_ID, b"LO", b"LC-12345", None));
    out.extend(e.element(Tag(0x0028, 0x0010), b"US", &4_u16.to_le_bytes(), None));
    out.extend(e.element(Tag(0x0028, 0x0011), b"US", &4_u16.to_le_bytes(), None));
    out.extend(e.element(PIXEL_DATA, b"OB", &[], Some(u32::MAX)));
    let mut offsets = 0_u32.to_le_bytes().to_vec();
    offsets.extend_from_slice(&12_u32.to_le_bytes());
    out.extend(e.marker(0xE000, 8));
    out.extend(offsets);
    out.extend(e.marker(0xE000, 4));
    out.extend_from_slice(&[0xFF, 0xD8, 0xFF, 0xD9]);
    out.extend(e.marker(0xE000, 4));
    out.extend_from_slice(&[0xFF, 0xD8, 0xFF, 0xD9]);
    out.extend(e.marker(0xE0DD, 0));
    out
}

/// The synthetic file in every syntax the suite covers.
pub fn bases() -> Vec<Base> {
    let dataset = synthetic_dataset();
    let mut bases: Vec<Base> = [
        ("implicit LE", IMPLICIT_LE),
        ("explicit LE", EXPLICIT_LE),
        ("explicit BE", EXPLICIT_BE),
    ]
    .into_iter()
    .map(|(name, uid)| Base::new(name, uid, raw_dataset(&dataset, uid)))
    .collect();
    bases.push(Base::new(
        "deflated",
        DEFLATED,
        raw_dataset(&dataset, EXPLICIT_LE),
    ));
    bases.push(Base::new(
        "encapsulated",
        JPEG_BASELINE,
        encapsulated_plain(),
    ));
    bases
}

// ---------------------------------------------------------------------------------------
// Structural points
// ---------------------------------------------------------------------------------------

/// A place in the data set: a byte offset and what is there.
#[derive(Debug, Clone)]
pub struct Point {
    pub at: usize,
    pub what: String,
    /// Start of the top-level element the point falls in (None: between top-level elements).
    pub top: Option<(usize, u32)>,
}

/// Every element header start and middle, value start and middle, item start, middle and
/// end, delimiter start and middle; inside encapsulated Pixel Data, every byte.
pub fn points(elements: &[Element], plain: &[u8]) -> Vec<Point> {
    let mut out = Vec::new();
    for e in elements {
        let top = (e.start, e.tag);
        out.push(Point {
            at: e.start,
            what: format!("start of {}", tag_of(e.tag)),
            top: None,
        });
        let mut inner = Vec::new();
        collect(e, &mut inner);
        if matches!(e.body, Body::Encapsulated { .. }) {
            inner.extend(
                (e.start + 1..e.end)
                    .map(|at| (at, format!("{} + {}", tag_of(e.tag), at - e.start))),
            );
        }
        for (at, what) in inner {
            if at > e.start && at < e.end {
                out.push(Point {
                    at,
                    what,
                    top: Some(top),
                });
            }
        }
    }
    out.push(Point {
        at: plain.len(),
        what: "the end".to_string(),
        top: None,
    });
    out.sort_by_key(|p| p.at);
    out.dedup_by_key(|p| p.at);
    out
}

fn collect(e: &Element, out: &mut Vec<(usize, String)>) {
    let name = tag_of(e.tag);
    let header = e.value.start - e.start;
    out.push((e.start, format!("start of {name}")));
    out.push((
        e.start + header / 2,
        format!("middle of the header of {name}"),
    ));
    out.push((e.value.start, format!("value start of {name}")));
    out.push((
        e.value.start + e.value_len() / 2,
        format!("middle of the value of {name}"),
    ));
    if e.end > e.value.end {
        out.push((e.value.end, format!("delimiter of {name}")));
        out.push((
            e.value.end + 4,
            format!("middle of the delimiter of {name}"),
        ));
    }
    for (i, item) in e.items().iter().enumerate() {
        out.push((item.start, format!("item {i} of {name}")));
        out.push((
            item.start + 4,
            format!("middle of item {i}'s header in {name}"),
        ));
        out.push((item.end, format!("end of item {i} of {name}")));
        if item.end >= item.start + 8 {
            out.push((item.end - 8, format!("last 8 bytes of item {i} of {name}")));
            out.push((item.end - 4, format!("last 4 bytes of item {i} of {name}")));
        }
        for inner in &item.elements {
            collect(inner, out);
        }
    }
}

pub fn tag_of(tag: u32) -> String {
    format!("({:04X},{:04X})", tag >> 16, tag & 0xFFFF)
}

// ---------------------------------------------------------------------------------------
// The check
// ---------------------------------------------------------------------------------------

/// What happened to one input.
pub enum Outcome {
    Refused(ParseError),
    Read {
        output: Vec<u8>,
        warnings: Vec<String>,
    },
}

impl Outcome {
    pub fn error(&self) -> Option<&ParseError> {
        match self {
            Outcome::Refused(e) => Some(e),
            Outcome::Read { .. } => None,
        }
    }

    pub fn warnings(&self) -> &[String] {
        match self {
            Outcome::Refused(_) => &[],
            Outcome::Read { warnings, .. } => warnings,
        }
    }
}

/// Runs inspect and deidentify on `input` and checks the rules every input obeys, whatever
/// its damage: no panic; inspect and deidentify agree; an error says what (a message), where
/// (byte offset, within the input) and which element when it names one; a written output
/// parses again and holds none of the fake PHI that was readable in the input.
pub fn check(run: &Run, input: &[u8], what: &str) -> Outcome {
    let inspected = catch_unwind(AssertUnwindSafe(|| {
        inspect_or_parse_error(input, run.request.options)
    }))
    .unwrap_or_else(|_| panic!("inspect panicked on {what}"));
    let done = catch_unwind(AssertUnwindSafe(|| run.deidentify(input)))
        .unwrap_or_else(|_| panic!("deidentify panicked on {what}"));
    match (inspected, done) {
        (Err(e), Err(Error::Parse(d))) => {
            assert_eq!(e, d, "{what}: inspect and deidentify disagree");
            assert_explained(&e, input, what);
            Outcome::Refused(e)
        }
        (Ok(_), Ok(done)) => {
            let again = parse(&done.bytes);
            assert!(
                again.is_ok(),
                "{what}: the output does not parse: {:?}",
                again.err()
            );
            assert_no_readable_phi(input, &done.bytes, what);
            // The bound the fuzz target `deidentify` asserts (fuzz/src/lib.rs: size_bound).
            let bound = readable_bytes(input).len() * 46 + (16 << 10);
            assert!(
                done.bytes.len() <= bound,
                "{what}: {} output bytes",
                done.bytes.len()
            );
            Outcome::Read {
                output: done.bytes,
                warnings: done.warnings,
            }
        }
        (i, d) => panic!(
            "{what}: inspect gave {:?}, deidentify {:?}",
            i.err(),
            d.err()
        ),
    }
}

pub fn assert_explained(e: &ParseError, input: &[u8], what: &str) {
    assert!(
        !e.message.trim().is_empty(),
        "{what}: an error without a message"
    );
    if e.is_not_dicom() {
        return;
    }
    let offset = e
        .offset
        .unwrap_or_else(|| panic!("{what}: no offset in {e}"));
    let text = e.to_string();
    assert!(
        text.contains(&format!("at byte {offset}")),
        "{what}: {text}"
    );
    if !e.in_inflated {
        assert!(offset <= input.len(), "{what}: offset past the end: {text}");
    }
    if let Some(tag) = e.tag {
        assert!(text.contains(&tag_of(tag)), "{what}: {text}");
    }
}

/// The data set bytes of a Part 10 file, inflated when the file is Deflated.
pub fn readable_bytes(file: &[u8]) -> Vec<u8> {
    match parse(file) {
        Ok(p) if p.syntax.deflated => {
            let mut all = file[..p.dataset_start].to_vec();
            all.extend_from_slice(&p.dataset_bytes);
            all
        }
        _ => file.to_vec(),
    }
}

/// Fake PHI readable in the input (in its bytes, inflated when Deflated) must not be in the
/// output's.
pub fn assert_no_readable_phi(input: &[u8], output: &[u8], what: &str) {
    let before = readable_bytes(input);
    let after = readable_bytes(output);
    for needle in PHI {
        if find_bytes(&before, needle.as_bytes()).is_some() {
            assert_no_phi_in_bytes(&after, &[needle], what);
        }
    }
}

/// The suite's runs: the Basic Profile and one with every option that keeps more.
pub fn runs() -> Vec<(&'static str, Run)> {
    vec![
        ("basic", deidentifier(Options::basic())),
        (
            "modified dates + clean descriptors + clean structured content",
            deidentifier(options(&[
                "retain-long-modified-dates",
                "clean-descriptors",
                "clean-structured-content",
            ])),
        ),
    ]
}
