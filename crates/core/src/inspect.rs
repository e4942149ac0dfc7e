//! The leak report: every element with its position and decision, and a plain summary.

use crate::decide::{Decider, Decision, Decisions, Scope};
use crate::describe;
use crate::options::Options;
use crate::parse::{Body, Element, ParsedFile};
use crate::pixels::burned_in::{self, BurnedIn};
use crate::pixels::frames::DecodedFrames;
use crate::pixels::read::TextReader;
use crate::pixels::risk::RiskLevel;
use crate::pixels::Region;
use crate::rules::model::Action;
use crate::rules::{action_effect, Category};
use crate::tags;
use crate::value::preview;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One element as reported. Field names are part of the CLI's JSON contract. Words that do not
/// depend on the file are borrowed, not copied: a report holds thousands of findings.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// "(0010,0010)".
    pub tag: String,
    /// Tag path from the top: `(0008,1115)[0].(0008,1140)[1].(0008,1155)`.
    pub path: String,
    pub keyword: &'static str,
    pub vr: &'static str,
    pub value: String,
    /// Byte offset of the element's header (see `Report::offsets_in_inflated`).
    pub offset: usize,
    /// Bytes of the whole element, header included.
    pub length: usize,
    /// The resolved action: X, Z, D, K, C or U.
    pub action: Option<&'static str>,
    pub category: Option<Category>,
    pub reason: Option<Cow<'static, str>>,
    /// Extensions beyond the contract:
    /// The Table E.1-1 cell after options (may be a dual code like "X/Z/D").
    pub table_action: Option<&'static str>,
    /// The Table E.1-1 row's Attribute Name.
    pub rule: Option<&'static str>,
    /// What de-identification will do, in words.
    pub effect: &'static str,
    pub private_creator: Option<String>,
    pub depth: usize,
    pub flagged: bool,
    pub is_sequence: bool,
    pub in_meta: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Something identifying would be removed or changed by de-identification.
    Leaks,
    /// Nothing flagged.
    Clean,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Summary {
    pub patient_name: Option<String>,
    pub patient_id: Option<String>,
    pub birth_date: Option<String>,
    pub sex: Option<String>,
    pub age: Option<String>,
    pub institution: Option<String>,
    pub device: Option<String>,
    pub study_date: Option<String>,
    pub modality: Option<String>,
    pub study_description: Option<String>,
    pub elements: usize,
    pub flagged: usize,
    pub by_category: BTreeMap<String, usize>,
    pub verdict: Option<Verdict>,
    /// The whole summary in one or two plain sentences.
    pub text: String,
    /// The file says it was de-identified (Patient Identity Removed = YES).
    pub says_deidentified: bool,
    /// Patient's Name holds a placeholder that names nobody ("ANONYMIZED", "Anonymous",
    /// "removed"): the name was removed before. `patient_name` is then empty.
    pub patient_name_placeholder: Option<String>,
    /// What the file is, in plain words ("CT scan", "Structured report", "Other/secondary
    /// image"): from the SOP Class and the Modality.
    pub kind: Option<String>,
    /// What groups files into patient, study and series (PS3.3 C.7.2.1, C.7.3.1, C.12.1).
    pub sop_class_uid: Option<String>,
    pub study_instance_uid: Option<String>,
    pub series_instance_uid: Option<String>,
    pub series_description: Option<String>,
    pub series_number: Option<i64>,
    pub instance_number: Option<i64>,
    /// Every patient the file names: the patient of an image; each PATIENT record of a
    /// DICOMDIR (PS3.3 F.5.1), which names no patient at its top level.
    pub patients: Vec<NamedPatient>,
    /// The file is a DICOMDIR (it has a Directory Record Sequence, PS3.3 F.3).
    pub is_dicomdir: bool,
}

/// A patient a file names.
#[derive(Debug, Clone, Serialize, Default, PartialEq, Eq)]
pub struct NamedPatient {
    pub name: Option<String>,
    pub id: Option<String>,
    pub birth_date: Option<String>,
}

impl NamedPatient {
    /// "DOE JOHN (ID 12345, born 1970-01-01)".
    pub fn describe(&self) -> String {
        let mut details = Vec::new();
        if let Some(id) = &self.id {
            details.push(format!("ID {id}"));
        }
        if let Some(born) = &self.birth_date {
            details.push(format!("born {born}"));
        }
        let name = self.name.clone().unwrap_or_else(|| "a patient".into());
        if details.is_empty() {
            name
        } else {
            format!("{name} ({})", details.join(", "))
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PixelDataInfo {
    pub offset: usize,
    pub length: usize,
    pub encapsulated: bool,
    pub fragments: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub transfer_syntax: String,
    pub has_preamble: bool,
    pub has_meta: bool,
    /// Offsets of data set elements count bytes of the inflated data set (Deflated files).
    pub offsets_in_inflated: bool,
    pub warnings: Vec<String>,
    pub summary: Summary,
    pub pixel_data: Option<PixelDataInfo>,
    pub elements: Vec<Finding>,
    /// How likely the pixels carry burned-in text, why, and where (PS3.15 E.3.1).
    pub burned_in: BurnedIn,
}

impl Report {
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.elements.iter().filter(|f| f.flagged)
    }
}

/// How far the burned-in text verdict of a report goes (see `crate::PixelWork`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PixelCheck {
    /// No verdict: the report's `burned_in` says nothing was assessed.
    Skip,
    /// Header signals and vendor layouts only.
    Header,
    /// Header signals, and the decoded frames searched for text.
    Search,
}

/// One inspection as the core uses it: the report for people, and the same decisions and the
/// pixel verdict as typed data for de-identification, so nothing is decided twice and the
/// report is never read back as input.
pub(crate) struct Inspection {
    pub report: Report,
    /// The data set's decisions in walk order (the meta group is rebuilt, not carried over).
    pub decisions: Decisions,
    pub pixels: PixelVerdict,
}

/// What Clean Pixel Data needs of the burned-in verdict.
pub(crate) struct PixelVerdict {
    /// The risk from the header alone (signals and vendor layouts).
    pub header_risk: RiskLevel,
    /// Regions found by the vendor layouts and, when the pixels were searched, the text finder.
    pub regions: Vec<Region>,
    /// Boxes that may hold text the search could not confirm (`BurnedIn::unconfirmed`).
    pub unconfirmed: Vec<Region>,
}

/// What the pixel search does beyond finding text (`PixelCheck::Search` only): read it, and
/// keep the frames it decoded for cleaning so none is decoded twice.
#[derive(Default)]
pub(crate) struct Reading<'r> {
    pub reader: Option<&'r TextReader>,
    pub keep: Option<&'r mut DecodedFrames>,
}

/// The leak report of a parsed file; the text the pixel search finds is not read.
pub(crate) fn inspect_parsed_with(
    parsed: &ParsedFile<'_>,
    options: Options,
    pixels: PixelCheck,
) -> Inspection {
    inspect_decided(&Decider::new(parsed, options), pixels, Reading::default())
}

/// The inspection of the decider's file, with the decider the caller goes on to use; `reading`
/// says what the pixel search does with the text it finds.
pub(crate) fn inspect_decided(
    decider: &Decider<'_>,
    pixels: PixelCheck,
    reading: Reading<'_>,
) -> Inspection {
    let parsed = decider.file;
    let mut elements = Vec::new();
    let meta_scope = Scope::default();
    let mut path = String::new();
    for element in &parsed.meta {
        let decision = decider.decide(element, &meta_scope, false);
        let value = preview(
            element,
            parsed.meta_value_bytes(element),
            parsed.syntax_meta(),
            &decider.charset,
        );
        path.clear();
        push_tag_text(&mut path, element.tag);
        elements.push(finding(element, &path, 0, value, decision, true));
    }
    path.clear();
    let mut walk = Walk {
        decider,
        keep: Keep::All,
        path,
        out: elements,
        decisions: Decisions::default(),
    };
    walk.elements(&parsed.dataset, None, 0, false);
    let Walk {
        out: elements,
        decisions,
        ..
    } = walk;
    let summary = summarize(decider, &elements);
    let burned_in = match pixels {
        PixelCheck::Skip => BurnedIn::not_assessed(),
        PixelCheck::Header => burned_in::assess_with(parsed, None),
        PixelCheck::Search => burned_in::assess_with(
            parsed,
            Some(burned_in::How {
                identity: &decider.identity,
                reader: reading.reader,
                keep: reading.keep,
            }),
        ),
    };
    let pixel_verdict = PixelVerdict {
        header_risk: burned_in.header_risk,
        regions: burned_in.regions.clone(),
        unconfirmed: burned_in.unconfirmed.clone(),
    };
    let report = Report {
        transfer_syntax: parsed.transfer_syntax_uid.clone(),
        has_preamble: parsed.has_preamble,
        has_meta: !parsed.meta.is_empty(),
        offsets_in_inflated: parsed.syntax.deflated,
        warnings: parsed.warnings.clone(),
        summary,
        pixel_data: parsed.pixel_data().map(|p| PixelDataInfo {
            offset: p.start,
            length: p.end - p.start,
            encapsulated: matches!(p.body, Body::Encapsulated { .. }),
            fragments: match p.body {
                Body::Encapsulated { fragments } => fragments,
                _ => 0,
            },
        }),
        elements,
        burned_in,
    };
    Inspection {
        report,
        decisions,
        pixels: pixel_verdict,
    }
}

/// Which elements a walk turns into findings.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Every element: the report.
    All,
    /// Only flagged ones: the re-inspection of an output (`flagged_findings`), which has no use
    /// for the previews and paths of the thousands of elements it keeps.
    Flagged,
}

/// One walk down the data set: each element decided once, in order, its decision recorded.
struct Walk<'d, 'a> {
    decider: &'d Decider<'a>,
    keep: Keep,
    /// The path of the item being walked ("" at the top), grown and cut back in place.
    path: String,
    out: Vec<Finding>,
    decisions: Decisions,
}

impl Walk<'_, '_> {
    /// Reports `elements` and what they nest.
    fn elements(
        &mut self,
        elements: &[Element],
        parent: Option<u32>,
        depth: usize,
        removed_above: bool,
    ) {
        let decider = self.decider;
        let scope = decider.scope(elements, parent);
        let prefix = self.path.len();
        for element in elements {
            let decision = decider.decide(element, &scope, removed_above);
            let position = self.decisions.open(decision.action);
            let removes = removed_above || matches!(decision.action, Action::X | Action::Z);
            push_tag_text(&mut self.path, element.tag);
            if self.keep == Keep::All || decision.flagged {
                let value = preview(
                    element,
                    decider.file.value_bytes(element),
                    decider.file.syntax,
                    decider.charset_for(element),
                );
                let found = finding(element, &self.path, depth, value, decision, false);
                self.out.push(found);
            }
            let own = self.path.len();
            for (i, item) in element.items().iter().enumerate() {
                // Writing into a String cannot fail.
                let _ = write!(self.path, "[{i}].");
                self.elements(&item.elements, Some(element.tag), depth + 1, removes);
                self.path.truncate(own);
            }
            self.decisions.close(position);
            self.path.truncate(prefix);
        }
    }
}

/// The flagged elements of the data set (the meta group left out), as the report would give
/// them, without the report.
pub(crate) fn flagged_findings(parsed: &ParsedFile<'_>, options: Options) -> Vec<Finding> {
    let decider = Decider::new(parsed, options);
    let mut walk = Walk {
        decider: &decider,
        keep: Keep::Flagged,
        path: String::new(),
        out: Vec::new(),
        decisions: Decisions::default(),
    };
    walk.elements(&parsed.dataset, None, 0, false);
    walk.out
}

/// Appends "(0010,0010)" (`crate::parse::tag_text`, without a String of its own).
fn push_tag_text(out: &mut String, tag: u32) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let digit = |shift: u32| char::from(HEX[(tag >> shift) as usize & 0xF]);
    out.push('(');
    out.extend([28, 24, 20, 16].map(digit));
    out.push(',');
    out.extend([12, 8, 4, 0].map(digit));
    out.push(')');
}

/// The finding of an element whose path ends with its own tag.
fn finding(
    element: &Element,
    path: &str,
    depth: usize,
    value: String,
    decision: Decision,
    in_meta: bool,
) -> Finding {
    let interesting = decision.flagged || decision.rule.is_some() || decision.category.is_some();
    const TAG_TEXT: usize = "(0010,0010)".len();
    Finding {
        tag: path[path.len() - TAG_TEXT..].to_string(),
        path: path.to_string(),
        keyword: tags::keyword(element.tag),
        vr: element.vr.to_string(),
        value,
        offset: element.start,
        length: element.end - element.start,
        action: interesting.then(|| decision.action.code()),
        category: decision.category,
        reason: decision.reason,
        table_action: decision.table_action.map(|a| a.code()),
        rule: decision.rule.map(|r| r.name),
        effect: action_effect(decision.action),
        private_creator: decision.private_creator,
        depth,
        flagged: decision.flagged,
        is_sequence: matches!(element.body, Body::Sequence { .. }),
        in_meta,
    }
}

/// A value as the summary shows it: none when empty or one of our own placeholders.
fn shown(decider: &Decider<'_>, elements: &[Element], tag: u32) -> Option<String> {
    let element = elements.iter().find(|e| e.tag == tag)?;
    let text = decider.text(element).trim().to_string();
    // Our own placeholders say nothing about anyone.
    let placeholder = crate::decide::dummy_text(element.vr) == Some(text.as_str());
    (!text.is_empty() && !placeholder).then_some(text)
}

/// The patient `elements` name (a data set, or a PATIENT record).
fn named_patient(decider: &Decider<'_>, elements: &[Element]) -> Option<NamedPatient> {
    let patient = NamedPatient {
        // A placeholder such as ANONYMIZED names nobody (describe.rs).
        name: shown(decider, elements, 0x0010_0010)
            .filter(|n| !describe::is_placeholder_name(n))
            .map(|n| n.replace('^', " ").trim().to_string()),
        id: shown(decider, elements, 0x0010_0020),
        birth_date: shown(decider, elements, 0x0010_0030).map(|d| format_date(&d)),
    };
    (patient.name.is_some() || patient.id.is_some()).then_some(patient)
}

/// The patients of a DICOMDIR's PATIENT records (PS3.3 F.5.1), each once.
fn directory_patients(decider: &Decider<'_>, records: &Element) -> Vec<NamedPatient> {
    let mut patients: Vec<NamedPatient> = Vec::new();
    for item in records.items() {
        let record_type = shown(decider, &item.elements, 0x0004_1430).unwrap_or_default();
        if record_type != "PATIENT" {
            continue;
        }
        if let Some(patient) = named_patient(decider, &item.elements) {
            if !patients.contains(&patient) {
                patients.push(patient);
            }
        }
    }
    patients
}

fn summarize(decider: &Decider<'_>, elements: &[Finding]) -> Summary {
    let top = |tag: u32| shown(decider, &decider.file.dataset, tag);
    let records = decider.file.dataset.iter().find(|e| e.tag == 0x0004_1220);
    let name = top(tags::PATIENT_NAME);
    let placeholder = name.as_deref().is_some_and(describe::is_placeholder_name);
    let number = |tag: u32| top(tag).and_then(|n| n.parse::<i64>().ok());
    // A DICOMDIR has no SOP Class UID of its own: its file meta names the class (PS3.10 7.1).
    let sop_class_uid = top(tags::SOP_CLASS_UID).or_else(|| {
        let meta = decider
            .file
            .meta
            .iter()
            .find(|e| e.tag == tags::MEDIA_STORAGE_SOP_CLASS_UID)?;
        let uid = String::from_utf8_lossy(decider.file.meta_value_bytes(meta));
        Some(uid.trim_end_matches(['\0', ' ']).to_string()).filter(|u| !u.is_empty())
    });
    let mut summary = Summary {
        patient_name: name
            .as_deref()
            .filter(|_| !placeholder)
            .map(|n| n.replace('^', " ").trim().to_string()),
        patient_name_placeholder: name.filter(|_| placeholder),
        kind: describe::kind(top(tags::MODALITY).as_deref(), sop_class_uid.as_deref()),
        sop_class_uid,
        study_instance_uid: top(tags::STUDY_INSTANCE_UID),
        series_instance_uid: top(tags::SERIES_INSTANCE_UID),
        series_description: top(tags::SERIES_DESCRIPTION),
        series_number: number(tags::SERIES_NUMBER),
        instance_number: number(tags::INSTANCE_NUMBER),
        patient_id: top(tags::PATIENT_ID),
        birth_date: top(tags::PATIENT_BIRTH_DATE).map(|d| format_date(&d)),
        sex: top(tags::PATIENT_SEX),
        age: top(tags::PATIENT_AGE),
        institution: top(tags::INSTITUTION_NAME),
        study_date: top(tags::STUDY_DATE).map(|d| format_date(&d)),
        modality: top(tags::MODALITY),
        study_description: top(tags::STUDY_DESCRIPTION),
        elements: elements.len(),
        says_deidentified: decider.prior.identity_removed,
        is_dicomdir: records.is_some(),
        patients: match records {
            Some(records) => directory_patients(decider, records),
            None => named_patient(decider, &decider.file.dataset)
                .into_iter()
                .collect(),
        },
        ..Summary::default()
    };
    let device: Vec<String> = [tags::MANUFACTURER, tags::MANUFACTURER_MODEL_NAME]
        .into_iter()
        .filter_map(top)
        .collect();
    let station = top(tags::STATION_NAME);
    summary.device = match (device.is_empty(), station) {
        (true, None) => None,
        (true, Some(s)) => Some(format!("station {s}")),
        (false, None) => Some(device.join(" ")),
        (false, Some(s)) => Some(format!("{} (station {s})", device.join(" "))),
    };
    for f in elements.iter().filter(|f| f.flagged) {
        summary.flagged += 1;
        if let Some(c) = f.category {
            *summary.by_category.entry(c.name().to_string()).or_default() += 1;
        }
    }
    summary.verdict = Some(if summary.flagged > 0 {
        Verdict::Leaks
    } else {
        Verdict::Clean
    });
    summary.text = sentence(&summary);
    summary
}

/// "This file names JOHN DOE (ID 12345), born 1970-01-01, scanned at ST ELSEWHERE on
/// 2024-03-02 with ACME SCANNER 3000. 23 elements would be removed or changed."
fn sentence(s: &Summary) -> String {
    if s.is_dicomdir {
        return directory_sentence(s);
    }
    let mut text = match (&s.patient_name, &s.patient_name_placeholder) {
        (Some(name), _) => format!("This file names {name}"),
        (None, Some(placeholder)) => format!(
            "The patient's name was already removed from this file (it reads “{placeholder}”)"
        ),
        (None, None) => "This file names no patient".to_string(),
    };
    match (&s.patient_id, &s.patient_name_placeholder) {
        (Some(id), Some(_)) if s.patient_name.is_none() => {
            text.push_str(&format!(", but the patient ID {id} is still there"))
        }
        (Some(id), _) => text.push_str(&format!(" (ID {id})")),
        (None, _) => {}
    }
    if let Some(born) = &s.birth_date {
        text.push_str(&format!(", born {born}"));
    }
    let what = s.kind.as_deref().map_or("scanned".to_string(), in_sentence);
    match (&s.institution, &s.study_date) {
        (Some(place), Some(date)) => text.push_str(&format!(", {what} at {place} on {date}")),
        (Some(place), None) => text.push_str(&format!(", {what} at {place}")),
        (None, Some(date)) => text.push_str(&format!(", {what} on {date}")),
        (None, None) => {}
    }
    if let Some(device) = &s.device {
        text.push_str(&format!(", with {device}"));
    }
    text.push('.');
    text.push_str(&flagged_sentence(s.flagged));
    if s.says_deidentified {
        text.push_str(" The file says it was already de-identified.");
    }
    text
}

/// A kind in the middle of a sentence: "Structured report" → "structured report"; names and
/// abbreviations ("CT scan", "X-ray", "PET scan") keep their capitals.
fn in_sentence(kind: &str) -> String {
    let mut chars = kind.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if second.is_lowercase() => first
            .to_lowercase()
            .chain(kind[first.len_utf8()..].chars())
            .collect(),
        _ => kind.to_string(),
    }
}

/// "This DICOMDIR (the index of a folder of files) names 3 patients: DOE JOHN (ID 1), …".
fn directory_sentence(s: &Summary) -> String {
    const SHOWN: usize = 5;
    let mut text = "This DICOMDIR (the index of a folder of files)".to_string();
    match s.patients.len() {
        0 => text.push_str(" names no patient."),
        n => {
            let names: Vec<String> = s
                .patients
                .iter()
                .take(SHOWN)
                .map(NamedPatient::describe)
                .collect();
            text.push_str(&format!(
                " names {}: {}{}.",
                if n == 1 {
                    "1 patient".to_string()
                } else {
                    format!("{n} patients")
                },
                names.join("; "),
                if n > SHOWN {
                    format!(" and {} more", n - SHOWN)
                } else {
                    String::new()
                }
            ));
        }
    }
    text.push_str(&flagged_sentence(s.flagged));
    if s.says_deidentified {
        text.push_str(" The file says it was already de-identified.");
    }
    text
}

/// " 23 elements would be removed or changed."
fn flagged_sentence(flagged: usize) -> String {
    match flagged {
        0 => " Nothing identifying was found.".to_string(),
        1 => " 1 element would be removed or changed.".to_string(),
        n => format!(" {n} elements would be removed or changed."),
    }
}

fn format_date(date: &str) -> String {
    if date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}-{}-{}", &date[0..4], &date[4..6], &date[6..8])
    } else {
        date.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The re-inspection of an output makes only the flagged findings: they must be the
    /// report's, field for field.
    #[test]
    fn flagged_findings_are_the_reports_flagged_data_set_findings() {
        let file = crate::sample::sample_file();
        let parsed = crate::parse::parse(&file).expect("the sample parses");
        let options = Options::basic();
        let report = inspect_parsed_with(&parsed, options, PixelCheck::Skip).report;
        let as_text = |f: &Finding| format!("{f:?}");
        let expected: Vec<String> = report
            .elements
            .iter()
            .filter(|f| f.flagged && !f.in_meta)
            .map(as_text)
            .collect();
        let found: Vec<String> = flagged_findings(&parsed, options)
            .iter()
            .map(as_text)
            .collect();
        assert!(expected.len() > 5, "the sample leaks: {}", expected.len());
        assert!(
            report.elements.iter().any(|f| f.flagged && f.depth > 0),
            "and nests"
        );
        assert_eq!(found, expected);
    }
}
