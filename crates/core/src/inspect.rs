//! The leak report: every element with its position and decision, and a plain summary.

use crate::decide::{Decider, Decision, Scope};
use crate::options::Options;
use crate::parse::{tag_text, Body, Element, ParsedFile};
use crate::pixels::burned_in::{self, BurnedIn};
use crate::pixels::read::TextReader;
use crate::rules::model::Action;
use crate::rules::{action_effect, Category};
use crate::value::preview;
use dicom_core::dictionary::{DataDictionary, DataDictionaryEntry};
use dicom_dictionary_std::StandardDataDictionary;
use serde::Serialize;
use std::collections::BTreeMap;

/// One element as reported. Field names are part of the CLI's JSON contract.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// "(0010,0010)".
    pub tag: String,
    /// Tag path from the top: "(0008,1115)[0].(0008,1140)[1].(0008,1155)".
    pub path: String,
    pub keyword: String,
    pub vr: String,
    pub value: String,
    /// Byte offset of the element's header (see `Report::offsets_in_inflated`).
    pub offset: usize,
    /// Bytes of the whole element, header included.
    pub length: usize,
    /// The resolved action: X, Z, D, K, C or U.
    pub action: Option<String>,
    pub category: Option<Category>,
    pub reason: Option<String>,
    /// Extensions beyond the contract:
    /// The Table E.1-1 cell after options (may be a dual code like "X/Z/D").
    pub table_action: Option<String>,
    /// The Table E.1-1 row's Attribute Name.
    pub rule: Option<String>,
    /// What de-identification will do, in words.
    pub effect: String,
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

/// The leak report of a parsed file; `reader` reads the text the pixel search finds.
pub(crate) fn inspect_parsed_with(
    parsed: &ParsedFile<'_>,
    options: Options,
    pixels: PixelCheck,
    reader: Option<&TextReader>,
) -> Report {
    let decider = Decider::new(parsed, options);
    let mut elements = Vec::new();
    let meta_scope = Scope::default();
    for element in &parsed.meta {
        let decision = decider.decide(element, &meta_scope, false);
        let value = preview(
            element,
            parsed.meta_value_bytes(element),
            parsed.syntax_meta(),
            &decider.charset,
        );
        elements.push(finding(
            element,
            &tag_text(element.tag),
            0,
            value,
            &decision,
            true,
        ));
    }
    walk(&decider, &parsed.dataset, None, "", 0, false, &mut elements);
    let summary = summarize(&decider, &elements);
    let burned_in = match pixels {
        PixelCheck::Skip => BurnedIn::not_assessed(),
        PixelCheck::Header => burned_in::assess_with(parsed, None),
        PixelCheck::Search => burned_in::assess_with(
            parsed,
            Some(burned_in::How {
                identity: &decider.identity,
                reader,
                keep: None,
            }),
        ),
    };
    Report {
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
    }
}

fn walk(
    decider: &Decider<'_>,
    elements: &[Element],
    parent: Option<u32>,
    prefix: &str,
    depth: usize,
    removed_above: bool,
    out: &mut Vec<Finding>,
) {
    let scope = decider.scope(elements, parent);
    for element in elements {
        let decision = decider.decide(element, &scope, removed_above);
        let path = format!("{prefix}{}", tag_text(element.tag));
        let bytes = decider.file.value_bytes(element);
        let value = preview(element, bytes, decider.file.syntax, &decider.charset);
        out.push(finding(element, &path, depth, value, &decision, false));
        let removes = removed_above || matches!(decision.action, Action::X | Action::Z);
        for (i, item) in element.items().iter().enumerate() {
            let prefix = format!("{path}[{i}].");
            walk(
                decider,
                &item.elements,
                Some(element.tag),
                &prefix,
                depth + 1,
                removes,
                out,
            );
        }
    }
}

pub fn keyword(tag: u32) -> String {
    if (tag >> 16) % 2 == 1 {
        let element = tag & 0xFFFF;
        return if (0x0010..=0x00FF).contains(&element) {
            "PrivateCreator".into()
        } else {
            String::new()
        };
    }
    StandardDataDictionary
        .by_tag(dicom_core::Tag((tag >> 16) as u16, tag as u16))
        .map(|e| e.alias().to_string())
        .unwrap_or_default()
}

fn finding(
    element: &Element,
    path: &str,
    depth: usize,
    value: String,
    decision: &Decision,
    in_meta: bool,
) -> Finding {
    let interesting = decision.flagged || decision.rule.is_some() || decision.category.is_some();
    Finding {
        tag: tag_text(element.tag),
        path: path.to_string(),
        keyword: keyword(element.tag),
        vr: element.vr.to_string().to_string(),
        value,
        offset: element.start,
        length: element.end - element.start,
        action: interesting.then(|| decision.action.code().to_string()),
        category: decision.category,
        reason: decision.reason.clone(),
        table_action: decision.table_action.map(|a| a.code().to_string()),
        rule: decision.rule.map(|r| r.name.to_string()),
        effect: action_effect(decision.action).to_string(),
        private_creator: decision.private_creator.clone(),
        depth,
        flagged: decision.flagged,
        is_sequence: matches!(element.body, Body::Sequence { .. }),
        in_meta,
    }
}

fn summarize(decider: &Decider<'_>, elements: &[Finding]) -> Summary {
    let top = |tag: u32| -> Option<String> {
        let element = decider.file.dataset.iter().find(|e| e.tag == tag)?;
        let text = decider.text(element).trim().to_string();
        // Our own placeholders say nothing about anyone.
        let placeholder = crate::decide::dummy_text(element.vr) == Some(text.as_str());
        (!text.is_empty() && !placeholder).then_some(text)
    };
    let mut summary = Summary {
        patient_name: top(0x0010_0010).map(|n| n.replace('^', " ").trim().to_string()),
        patient_id: top(0x0010_0020),
        birth_date: top(0x0010_0030).map(|d| format_date(&d)),
        sex: top(0x0010_0040),
        age: top(0x0010_1010),
        institution: top(0x0008_0080),
        study_date: top(0x0008_0020).map(|d| format_date(&d)),
        modality: top(0x0008_0060),
        study_description: top(0x0008_1030),
        elements: elements.len(),
        says_deidentified: decider.prior.identity_removed,
        ..Summary::default()
    };
    let device: Vec<String> = [0x0008_0070, 0x0008_1090]
        .into_iter()
        .filter_map(top)
        .collect();
    let station = top(0x0008_1010);
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
    let mut text = match &s.patient_name {
        Some(name) => format!("This file names {name}"),
        None => "This file names no patient".to_string(),
    };
    if let Some(id) = &s.patient_id {
        text.push_str(&format!(" (ID {id})"));
    }
    if let Some(born) = &s.birth_date {
        text.push_str(&format!(", born {born}"));
    }
    let what = s
        .modality
        .as_deref()
        .map_or("scanned".to_string(), |m| format!("{m} scan"));
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
    text.push_str(&match s.flagged {
        0 => " Nothing identifying was found.".to_string(),
        1 => " 1 element would be removed or changed.".to_string(),
        n => format!(" {n} elements would be removed or changed."),
    });
    if s.says_deidentified {
        text.push_str(" The file says it was already de-identified.");
    }
    text
}

fn format_date(date: &str) -> String {
    if date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}-{}-{}", &date[0..4], &date[4..6], &date[6..8])
    } else {
        date.to_string()
    }
}
