//! A structured report's content, readable as text: the tree of content items of the SR
//! Document Content Module (PS3.3 C.17.3), each with its concept name, value type and value,
//! and whether de-identification would change that value (and why), as the report says.

use crate::decide::Decider;
use crate::describe;
use crate::error::Error;
use crate::inspect::{inspect_decided, Finding, PixelCheck, Reading};
use crate::options::Options;
use crate::parse::{self, tag_text, Element};
use crate::tags::{
    CODE_MEANING, CODE_VALUE, CONCEPT_CODE_SEQUENCE, CONCEPT_NAME_CODE_SEQUENCE, CONTENT_SEQUENCE,
    DATE, DATE_TIME, GRAPHIC_DATA, GRAPHIC_TYPE, MEASURED_VALUE_SEQUENCE,
    MEASUREMENT_UNITS_CODE_SEQUENCE, NUMERIC_VALUE, PERSON_NAME,
    REFERENCED_CONTENT_ITEM_IDENTIFIER, REFERENCED_SOP_CLASS_UID, REFERENCED_SOP_INSTANCE_UID,
    REFERENCED_SOP_SEQUENCE, RELATIONSHIP_TYPE, TEMPORAL_RANGE_TYPE, TEXT_VALUE, TIME, UID,
    VALUE_TYPE,
};
use crate::value::{is_text_vr, preview};
use serde::Serialize;
use std::collections::HashMap;

/// Content items shown at most; a larger tree ends with `truncated`.
pub const MAX_NODES: usize = 20_000;

/// One content item (PS3.3 Table C.17-6 and the Content Item Macro, Table 10-2).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ContentNode {
    /// Relationship Type (0040,A010) with its parent: "CONTAINS", "HAS PROPERTIES", …;
    /// `None` for the document's root.
    pub relationship: Option<String>,
    /// Value Type (0040,A040): "CONTAINER", "TEXT", "CODE", "NUM", "PNAME", "DATE", …
    pub value_type: String,
    /// Concept Name Code Sequence (0040,A043): its Code Meaning.
    pub concept: Option<String>,
    /// The value as text ("DOE^JOHN", "12.5 mm", "Normal", …); `None` for a container.
    pub value: Option<String>,
    /// De-identification would remove or change the value (as the report's element table says).
    pub flagged: bool,
    /// Why, in plain words: the reason of the first flagged element of the value.
    pub reason: Option<String>,
    /// Path of the element holding the value, as in the report's elements
    /// (`(0040,A730)[0].(0040,A160)`), so a viewer can link the two.
    pub path: Option<String>,
    pub children: Vec<ContentNode>,
}

/// The content tree of a structured report.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ContentTree {
    /// The document's root container: its concept name is the title ("Imaging Report").
    pub root: ContentNode,
    /// How many content items the tree has (the root included).
    pub nodes: usize,
    /// More than `MAX_NODES` content items: the rest is not in the tree.
    pub truncated: bool,
}

/// The content tree of the SR document in `bytes`, with each value flagged as the report made
/// with `options` flags it; `None` when the file is not an SR document (no top-level Value Type
/// and Content Sequence, PS3.3 C.17.3).
pub fn content_tree(bytes: &[u8], options: Options) -> Result<Option<ContentTree>, Error> {
    let parsed = parse::parse(bytes)?;
    let is_document = parsed.dataset.iter().any(|e| e.tag == VALUE_TYPE)
        && parsed.dataset.iter().any(|e| e.tag == CONTENT_SEQUENCE);
    if !is_document {
        return Ok(None);
    }
    // The decisions are the report's: one inspection, its findings looked up by path; values
    // are read with the same decider (its character set).
    let decider = Decider::new(&parsed, options);
    let report = inspect_decided(&decider, PixelCheck::Skip, Reading::default()).report;
    let mut reader = Reader {
        decider: &decider,
        findings: report
            .elements
            .iter()
            .map(|f| (f.path.as_str(), f))
            .collect(),
        nodes: 0,
        truncated: false,
    };
    let root = reader.node(&parsed.dataset, "", None);
    Ok(Some(ContentTree {
        root,
        nodes: reader.nodes,
        truncated: reader.truncated,
    }))
}

struct Reader<'a> {
    decider: &'a Decider<'a>,
    findings: HashMap<&'a str, &'a Finding>,
    nodes: usize,
    truncated: bool,
}

/// A value element of a content item, with its path.
struct Part<'e> {
    element: &'e Element,
    path: String,
}

impl Reader<'_> {
    /// The content item made of `elements` (whose paths start with `prefix`).
    fn node(
        &mut self,
        elements: &[Element],
        prefix: &str,
        relationship: Option<String>,
    ) -> ContentNode {
        self.nodes += 1;
        let find = |tag: u32| elements.iter().find(|e| e.tag == tag);
        let value_type = find(VALUE_TYPE).map(|e| self.text(e)).unwrap_or_default();
        let concept = find(CONCEPT_NAME_CODE_SEQUENCE)
            .and_then(|seq| seq.items().first())
            .and_then(|item| item.elements.iter().find(|e| e.tag == CODE_MEANING))
            .map(|e| self.text(e));
        let (value, parts) = self.value(elements, prefix, &value_type);
        let flagged_part = parts
            .iter()
            .filter_map(|p| self.findings.get(p.path.as_str()))
            .find(|f| f.flagged);
        let mut node = ContentNode {
            relationship,
            value_type,
            concept,
            value,
            flagged: flagged_part.is_some(),
            reason: flagged_part.and_then(|f| f.reason.as_deref().map(str::to_string)),
            path: parts.first().map(|p| p.path.clone()),
            children: Vec::new(),
        };
        if let Some(content) = find(CONTENT_SEQUENCE) {
            let path = format!("{prefix}{}", tag_text(content.tag));
            for (i, item) in content.items().iter().enumerate() {
                if self.nodes >= MAX_NODES {
                    self.truncated = true;
                    break;
                }
                let relationship = item
                    .elements
                    .iter()
                    .find(|e| e.tag == RELATIONSHIP_TYPE)
                    .map(|e| self.text(e));
                let child = self.node(&item.elements, &format!("{path}[{i}]."), relationship);
                node.children.push(child);
            }
        }
        node
    }

    /// The value of a content item as text, and the elements it was read from (PS3.3 Table
    /// 10-2: which attribute holds the value for each Value Type).
    fn value<'e>(
        &self,
        elements: &'e [Element],
        prefix: &str,
        value_type: &str,
    ) -> (Option<String>, Vec<Part<'e>>) {
        let at = |tag: u32| {
            elements.iter().find(|e| e.tag == tag).map(|element| Part {
                element,
                path: format!("{prefix}{}", tag_text(tag)),
            })
        };
        // An element inside the first item of a sequence of this content item.
        let inside = |seq: u32, tag: u32| {
            let sequence = elements.iter().find(|e| e.tag == seq)?;
            let element = sequence
                .items()
                .first()?
                .elements
                .iter()
                .find(|e| e.tag == tag)?;
            Some(Part {
                element,
                path: format!("{prefix}{}[0].{}", tag_text(seq), tag_text(tag)),
            })
        };
        let one = |part: Option<Part<'e>>| match part {
            Some(p) => (Some(self.text(p.element)), vec![p]),
            None => (None, Vec::new()),
        };
        match value_type {
            "TEXT" => one(at(TEXT_VALUE)),
            "DATETIME" => one(at(DATE_TIME)),
            "DATE" => one(at(DATE)),
            "TIME" => one(at(TIME)),
            "PNAME" => one(at(PERSON_NAME)),
            "UIDREF" => one(at(UID)),
            "CODE" => one(inside(CONCEPT_CODE_SEQUENCE, CODE_MEANING)),
            "NUM" => {
                let Some(number) = inside(MEASURED_VALUE_SEQUENCE, NUMERIC_VALUE) else {
                    return (None, Vec::new());
                };
                let units = elements
                    .iter()
                    .find(|e| e.tag == MEASURED_VALUE_SEQUENCE)
                    .and_then(|s| s.items().first())
                    .and_then(|item| {
                        item.elements
                            .iter()
                            .find(|e| e.tag == MEASUREMENT_UNITS_CODE_SEQUENCE)
                    })
                    .and_then(|s| s.items().first())
                    .and_then(|item| item.elements.iter().find(|e| e.tag == CODE_VALUE))
                    .map(|e| self.text(e))
                    // UCUM's "1" means no unit (PS3.16 CID 82).
                    .filter(|u| !u.is_empty() && u != "1");
                let text = self.text(number.element);
                let value = match units {
                    Some(u) => format!("{text} {u}"),
                    None => text,
                };
                (Some(value), vec![number])
            }
            "COMPOSITE" | "IMAGE" | "WAVEFORM" => {
                let class = inside(REFERENCED_SOP_SEQUENCE, REFERENCED_SOP_CLASS_UID);
                let instance = inside(REFERENCED_SOP_SEQUENCE, REFERENCED_SOP_INSTANCE_UID);
                let Some(instance) = instance else {
                    return (None, Vec::new());
                };
                let what = class
                    .as_ref()
                    .and_then(|c| describe::kind(None, Some(&self.text(c.element))))
                    .unwrap_or_else(|| match value_type {
                        "IMAGE" => "image".to_string(),
                        "WAVEFORM" => "waveform".to_string(),
                        _ => "object".to_string(),
                    });
                let value = format!("{what} {}", self.text(instance.element));
                (
                    Some(value),
                    [Some(instance), class].into_iter().flatten().collect(),
                )
            }
            "SCOORD" | "SCOORD3D" => {
                let kind = at(GRAPHIC_TYPE)
                    .map(|p| self.text(p.element))
                    .unwrap_or_default();
                match at(GRAPHIC_DATA) {
                    Some(data) => (
                        Some(
                            format!("{kind} {}", self.text(data.element))
                                .trim()
                                .to_string(),
                        ),
                        vec![data],
                    ),
                    None => (Some(kind).filter(|k| !k.is_empty()), Vec::new()),
                }
            }
            "TCOORD" => one(at(TEMPORAL_RANGE_TYPE)),
            // By reference (PS3.3 C.17.3.2.5): the content item it points at.
            "" => match at(REFERENCED_CONTENT_ITEM_IDENTIFIER) {
                Some(p) => (
                    Some(format!(
                        "see item {}",
                        self.text(p.element).replace('\\', ".")
                    )),
                    vec![p],
                ),
                None => (None, Vec::new()),
            },
            _ => (None, Vec::new()),
        }
    }

    /// A value as text: the whole text of text values (no preview cut), numbers as the
    /// element table shows them.
    fn text(&self, element: &Element) -> String {
        if is_text_vr(element.vr) {
            self.decider.text(element).trim().to_string()
        } else {
            let file = self.decider.file;
            preview(
                element,
                file.value_bytes(element),
                file.syntax,
                &self.decider.charset,
            )
        }
    }
}
