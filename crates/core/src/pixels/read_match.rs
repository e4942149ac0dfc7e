//! Does text read in the pixels (OCR) name this patient? Each read string is compared with the
//! file's own identifying values (the header identity's needles, plus the study dates), with
//! matching that forgives the reader's usual errors, and is also checked for what identifying
//! text looks like even when the header no longer says whose it is (a date, a long number, a
//! "Name:" label).
//!
//! Why fuzzy: OCR of 5-9 px print confuses O/0, I/1/l, S/5, B/8, drops a letter or joins two
//! words, and devices print the header's values in their own forms: "DOE, JANE", "Jane Doe",
//! "J. DOE", "AB12345" for "AB-12345", "03 Mar 1961" for 19610303. PS3.15 E.3.1 asks for the
//! identifying text itself to be found, whatever its spelling.

mod dates;
mod fold;

use crate::identity::Identity;
use crate::parse::ParsedFile;
use crate::pixels::decode::Attrs;
use dates::{dates_in, Ymd};
use fold::{approx_contains, edit_distance, fold, tokens};

/// What an attribute is, for matching and for the reason's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A person's name (PN): matched part by part.
    Person,
    /// An ID, accession number, phone: matched as letters and digits, separators ignored.
    Code,
    /// A date: matched by reading dates in the text in any usual form.
    Date,
    /// Words (an institution, an address): matched word by word.
    Words,
}

/// (tag, keyword, words for the reason, kind). The header identity gives the values of these
/// tags; the study dates are read from the header here.
const ATTRIBUTES: &[(u32, &str, &str, Kind)] = &[
    (
        0x0010_0010,
        "PatientName",
        "The patient's name",
        Kind::Person,
    ),
    (0x0010_0020, "PatientID", "The patient's ID", Kind::Code),
    (
        0x0010_1000,
        "OtherPatientIDs",
        "Another ID of the patient",
        Kind::Code,
    ),
    (
        0x0010_1002,
        "OtherPatientIDsSequence",
        "Another ID of the patient",
        Kind::Code,
    ),
    (
        0x0010_1001,
        "OtherPatientNames",
        "Another name of the patient",
        Kind::Person,
    ),
    (
        0x0010_1005,
        "PatientBirthName",
        "The patient's birth name",
        Kind::Person,
    ),
    (
        0x0010_1060,
        "PatientMotherBirthName",
        "The patient's mother's birth name",
        Kind::Person,
    ),
    (
        0x0010_0030,
        "PatientBirthDate",
        "The patient's birth date",
        Kind::Date,
    ),
    (
        0x0008_0050,
        "AccessionNumber",
        "The accession number",
        Kind::Code,
    ),
    (
        0x0010_1040,
        "PatientAddress",
        "The patient's address",
        Kind::Words,
    ),
    (
        0x0010_2154,
        "PatientTelephoneNumbers",
        "The patient's phone number",
        Kind::Code,
    ),
    (
        0x0010_1090,
        "MedicalRecordLocator",
        "The medical record locator",
        Kind::Code,
    ),
    (0x0038_0010, "AdmissionID", "The admission ID", Kind::Code),
    (
        0x0008_0090,
        "ReferringPhysicianName",
        "The referring physician's name",
        Kind::Person,
    ),
    (
        0x0008_1050,
        "PerformingPhysicianName",
        "A performing physician's name",
        Kind::Person,
    ),
    (
        0x0008_1060,
        "NameOfPhysiciansReadingStudy",
        "A reading physician's name",
        Kind::Person,
    ),
    (
        0x0008_1070,
        "OperatorsName",
        "An operator's name",
        Kind::Person,
    ),
    (
        0x0032_1032,
        "RequestingPhysician",
        "The requesting physician's name",
        Kind::Person,
    ),
    (
        0x0008_0080,
        "InstitutionName",
        "The institution's name",
        Kind::Words,
    ),
    (0x0008_0020, "StudyDate", "The study date", Kind::Date),
    (0x0008_0021, "SeriesDate", "The series date", Kind::Date),
    (
        0x0008_0022,
        "AcquisitionDate",
        "The acquisition date",
        Kind::Date,
    ),
    (0x0008_0023, "ContentDate", "The content date", Kind::Date),
];

/// Dates read from the header here (the identity holds people, codes and the birth date).
const STUDY_DATES: [u32; 4] = [0x0008_0020, 0x0008_0021, 0x0008_0022, 0x0008_0023];

/// Words of institution names too common to identify one ("Hospital", "Medical Center").
const COMMON_WORDS: &[&str] = &[
    "THE",
    "OF",
    "AND",
    "FOR",
    "ST",
    "SAINT",
    "HOSPITAL",
    "HOSPITALS",
    "MEDICAL",
    "CENTER",
    "CENTRE",
    "CLINIC",
    "CLINICS",
    "HEALTH",
    "IMAGING",
    "RADIOLOGY",
    "DIAGNOSTIC",
    "DIAGNOSTICS",
    "UNIVERSITY",
    "GENERAL",
    "REGIONAL",
    "COMMUNITY",
    "CHILDREN",
    "CHILDRENS",
    "INSTITUTE",
    "CARE",
    "SERVICES",
    "DEPARTMENT",
    "DEPT",
    "MEMORIAL",
    "NATIONAL",
    "CITY",
    "COUNTY",
];

/// Fewest digits of an ID matched when written alone (the digits of "AB-12345"): fewer match
/// everyday numbers by chance.
const MIN_ID_DIGITS: usize = 5;

/// Initials are tried in every order of at most this many name components.
const MAX_INITIALS: usize = 4;

/// Labels that devices print before identifying values.
const LABELS: &[&str] = &[
    "NAME",
    "PATIENT",
    "PAT",
    "PT",
    "DOB",
    "BIRTH",
    "BORN",
    "MRN",
    "ID",
    "ACC",
    "ACCESSION",
    "ADDRESS",
    "PHONE",
    "TEL",
    "REF",
    "PHYS",
    "PHYSICIAN",
];

/// One attribute's value, prepared for matching.
#[derive(Debug, Clone)]
struct Value {
    keyword: &'static str,
    said: &'static str,
    kind: Kind,
    /// As shown in a reason: the parts of a name joined by spaces, a date as YYYY-MM-DD.
    shown: String,
    /// Person: the name's parts (folded); Code: the value's letters and digits (folded);
    /// Words: the distinctive words (folded).
    parts: Vec<String>,
    /// Person: the initials in every order (folded).
    initials: Vec<String>,
    /// Person: family and given name written together, both ways round ("DOEJOHN", folded).
    glued: Vec<String>,
    /// Code: the digits of the value, when it has letters or separators too.
    digits: Option<String>,
    date: Option<Ymd>,
}

/// The file's identifying values, prepared once per file.
#[derive(Debug, Clone, Default)]
pub struct Patient {
    values: Vec<Value>,
}

/// What a read string says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextMatch {
    /// Keywords of the attributes whose values the text shows, in the order of `ATTRIBUTES`.
    pub identifies: Vec<&'static str>,
    /// What makes the text look identifying even without a match: "date", "label",
    /// "number" (a long run of digits), "name" ("LAST, FIRST" or "LAST^FIRST").
    pub pattern: Option<&'static str>,
}

/// The attributes a read text is matched with, each with how it is said in plain words
/// ("PatientName", "The patient's name"): what a page shows for a region's `identifies`.
pub fn attribute_words() -> impl Iterator<Item = (&'static str, &'static str)> {
    ATTRIBUTES
        .iter()
        .map(|&(_, keyword, said, _)| (keyword, said))
}

impl Patient {
    /// The values of `identity` (people, codes, the birth date) and the study dates of the
    /// header.
    pub fn new(identity: &Identity, parsed: &ParsedFile<'_>) -> Patient {
        let mut patient = Patient::default();
        for &(tag, keyword, said, kind) in ATTRIBUTES {
            let texts: Vec<String> = if STUDY_DATES.contains(&tag) {
                Attrs::new(parsed).text(tag).into_iter().collect()
            } else {
                identity
                    .needles
                    .iter()
                    .filter(|n| n.source_tag == tag)
                    .map(|n| n.text.clone())
                    .collect()
            };
            if let Some(value) = prepare(keyword, said, kind, &texts) {
                patient.values.push(value);
            }
        }
        patient
    }

    /// The value of `keyword` in plain words: "The patient's name DOE JANE".
    pub fn describe(&self, keyword: &str) -> Option<String> {
        let v = self.values.iter().find(|v| v.keyword == keyword)?;
        Some(format!("{} {}", v.said, v.shown))
    }

    /// Compares one read string with every value.
    pub fn match_text(&self, text: &str) -> TextMatch {
        let upper = text.to_uppercase();
        let words = tokens(&upper);
        let folded_words: Vec<String> = words.iter().map(|w| fold(w)).collect();
        let joined: String = folded_words.concat();
        let found_dates = dates_in(&upper);
        let labelled = words.iter().any(|w| LABELS.contains(&w.as_str()));
        let name_words = initials_words(&words, &upper);
        let mut out = TextMatch::default();
        for v in &self.values {
            let hit = match v.kind {
                Kind::Person => person_in(v, &name_words, &joined, labelled),
                Kind::Code => {
                    v.parts.iter().any(|p| code_in(p, &folded_words, &joined))
                        || v.digits.as_ref().is_some_and(|d| digits_in(d, &upper))
                }
                Kind::Date => v.date.is_some_and(|d| found_dates.contains(&d)),
                Kind::Words => words_in(v, &folded_words),
            };
            if hit && !out.identifies.contains(&v.keyword) {
                out.identifies.push(v.keyword);
            }
        }
        out.pattern = if !found_dates.is_empty() {
            Some("date")
        } else if labelled {
            Some("label")
        } else if longest_digit_run(&upper) >= 6 {
            Some("number")
        } else if looks_like_a_name(text) {
            Some("name")
        } else {
            None
        };
        out
    }
}

fn prepare(
    keyword: &'static str,
    said: &'static str,
    kind: Kind,
    texts: &[String],
) -> Option<Value> {
    let first = texts.first()?;
    let mut value = Value {
        keyword,
        said,
        kind,
        shown: first.clone(),
        parts: Vec::new(),
        initials: Vec::new(),
        glued: Vec::new(),
        digits: None,
        date: None,
    };
    match kind {
        Kind::Person => {
            // The whole value ("DOE^JANE^M") is among the needles with its parts; its
            // components in DICOM order give the initials.
            let whole = texts
                .iter()
                .max_by_key(|t| t.matches(['^', ' ', ',']).count())
                .unwrap_or(first);
            let components: Vec<String> = whole
                .split(['^', '=', ' ', ',', '.'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_uppercase)
                .collect();
            value.shown = components.join(" ");
            for t in texts {
                for p in t.split(['^', '=', ' ', ',', '.']) {
                    let p = fold(&p.to_uppercase());
                    if p.chars().count() >= 2 && !value.parts.contains(&p) {
                        value.parts.push(p);
                    }
                }
            }
            if let [family, given, ..] = &components[..] {
                value.glued = vec![
                    fold(&format!("{family}{given}")),
                    fold(&format!("{given}{family}")),
                ];
            }
            // Initials in any order of the components (family first, given first, ...).
            let letters: Vec<char> = components
                .iter()
                .take(MAX_INITIALS)
                .filter_map(|c| c.chars().next())
                .collect();
            // All of them, or family and given name only ("J.D." for DOE^JANE^MARIE).
            for count in [letters.len(), 2] {
                if count < 2 || count > letters.len() {
                    continue;
                }
                for order in permutations(count) {
                    let initials = fold(&order.iter().map(|&i| letters[i]).collect::<String>());
                    if !value.initials.contains(&initials) {
                        value.initials.push(initials);
                    }
                }
            }
        }
        Kind::Code => {
            for t in texts {
                let code: String = fold(&t.to_uppercase())
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect();
                if code.chars().count() >= 4 && !value.parts.contains(&code) {
                    value.parts.push(code);
                }
                let digits: String = t.chars().filter(char::is_ascii_digit).collect();
                if digits.len() >= MIN_ID_DIGITS && digits.len() < t.trim().chars().count() {
                    value.digits.get_or_insert(digits);
                }
            }
        }
        Kind::Date => {
            value.date = texts.iter().find_map(|t| Ymd::from_dicom(t));
            let d = value.date?;
            value.shown = format!("{:04}-{:02}-{:02}", d.y, d.m, d.d);
        }
        Kind::Words => {
            for t in texts {
                for w in tokens(&t.to_uppercase()) {
                    if w.chars().count() >= 4 && !COMMON_WORDS.contains(&w.as_str()) {
                        let w = fold(&w);
                        if !value.parts.contains(&w) {
                            value.parts.push(w);
                        }
                    }
                }
            }
        }
    }
    (!value.parts.is_empty() || value.date.is_some()).then_some(value)
}

/// Edits forgiven for a value of `len` characters (after folding look-alikes together): none
/// up to 4, one up to 9, two beyond (PS3.15 gives no rule; these keep chance matches rare).
fn tolerance(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=9 => 1,
        _ => 2,
    }
}

/// Orders of `n` items (n <= `MAX_INITIALS`), as index lists.
fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n <= 1 {
        return vec![(0..n).collect()];
    }
    let mut out = Vec::new();
    for rest in permutations(n - 1) {
        for at in 0..=rest.len() {
            let mut order = rest.clone();
            order.insert(at, n - 1);
            out.push(order);
        }
    }
    out
}

/// The words of a read string, with runs of single letters joined ("J. M." gives "JM"), and
/// whether such a run was written with dots.
fn initials_words(words: &[String], upper: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut Vec<(String, bool)>| {
        if run.chars().count() >= 2 {
            let dotted = run.chars().all(|c| upper.contains(&format!("{c}.")));
            out.push((fold(run), dotted));
        }
        run.clear();
    };
    for w in words {
        if w.chars().count() == 1 && w.chars().all(char::is_alphabetic) {
            run.push_str(w);
        } else {
            flush(&mut run, &mut out);
            out.push((fold(w), false));
        }
    }
    flush(&mut run, &mut out);
    out
}

/// A name is shown when its family name (first component) or another part of at least three
/// letters is read, as a word of its own or, for longer parts, inside joined words ("DOEJANE");
/// initials (in any order) count when a label says a name follows, when they are written with
/// dots ("J.M."), or when there are three of them.
fn person_in(v: &Value, words: &[(String, bool)], joined: &str, labelled: bool) -> bool {
    let part_found = v.parts.iter().any(|p| {
        let n = p.chars().count();
        if n < 3 {
            return false;
        }
        // A word of its own (a few edits forgiven for long parts), or glued to its
        // neighbours exactly ("NAMEDOE", "DOEJANE").
        words.iter().any(|(w, _)| {
            w == p || n >= 5 && edit_distance(w, p) <= tolerance(n) || cut_at_an_end(w, p)
        }) || n >= 5 && joined.contains(p.as_str())
            || n >= 7 && approx_contains(joined, p, tolerance(n))
    });
    let glued = v
        .glued
        .iter()
        .any(|g| approx_contains(joined, g, tolerance(g.chars().count())));
    part_found
        || glued
        || v.initials.iter().any(|i| {
            words
                .iter()
                .any(|(w, dotted)| w == i && (labelled || *dotted || i.chars().count() >= 3))
        })
}

/// Fewest letters of a long name part read with its first or last letters cut off (by the
/// edge of the reader's box, or of the image): "YAMAMO" for YAMAMOTO.
const MIN_CUT_LETTERS: usize = 5;

/// `word` is `part` with a few letters cut off at one end: at least `MIN_CUT_LETTERS` of a part
/// of seven letters or more, and at least 70% of it.
fn cut_at_an_end(word: &str, part: &str) -> bool {
    let (w, p) = (word.chars().count(), part.chars().count());
    p >= 7
        && w >= MIN_CUT_LETTERS
        && w < p
        && w * 10 >= p * 7
        && (part.starts_with(word) || part.ends_with(word))
}

/// A code is shown when its letters and digits are read in a row, separators aside (a few
/// edits forgiven for long codes).
fn code_in(code: &str, words: &[String], joined: &str) -> bool {
    let n = code.chars().count();
    if n <= 4 {
        return words.iter().any(|w| w == code);
    }
    approx_contains(joined, code, tolerance(n))
}

/// The digits of a code written alone, as one whole run of digits ("12345" for "AB-12345").
fn digits_in(digits: &str, upper: &str) -> bool {
    upper
        .split(|c: char| !c.is_ascii_digit())
        .any(|run| run == digits)
}

/// Words: every distinctive word read, or two of them, or one of six letters or more.
fn words_in(v: &Value, words: &[String]) -> bool {
    let found: Vec<&String> = v
        .parts
        .iter()
        .filter(|p| {
            let n = p.chars().count();
            words.iter().any(|w| edit_distance(w, p) <= tolerance(n))
        })
        .collect();
    found.len() == v.parts.len() || found.len() >= 2 || found.iter().any(|p| p.chars().count() >= 6)
}

fn longest_digit_run(text: &str) -> usize {
    text.split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0)
}

/// "DOE, JANE" or "DOE^JANE": two words of letters joined by a comma or a caret.
fn looks_like_a_name(text: &str) -> bool {
    text.split([',', '^']).count() >= 2
        && text.split([',', '^']).take(2).all(|w| {
            let w = w.trim();
            w.chars().count() >= 2
                && w.chars()
                    .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
        })
}

#[cfg(test)]
mod tests;
