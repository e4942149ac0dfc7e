//! One decision per element: which rule applies, what the chosen options make of it, and
//! whether it leaks. Inspection reports these decisions; de-identification carries them out,
//! so the two can never disagree.

use crate::deid::uid;
use crate::identity::{is_identity_source, item_charset, Identity};
use crate::options::{Options, ProfileOption};
use crate::parse::{Body, Element, ParsedFile};
use crate::rules::model::{Action, AttributeRule};
use crate::rules::{self, Category};
use crate::tags;
use crate::value::{is_text_vr, text_value, Charset};
use dicom_core::VR;
use std::collections::HashMap;

/// What will happen to one element, and why.
#[derive(Debug, Clone)]
pub struct Decision {
    /// The action once options and dual codes are resolved: one of X, Z, D, K, C, U.
    pub action: Action,
    /// The Table E.1-1 cell after options, possibly a dual code such as X/Z/D.
    pub table_action: Option<Action>,
    pub rule: Option<&'static AttributeRule>,
    pub category: Option<Category>,
    pub reason: Option<String>,
    /// The element leaks something the chosen de-identification will remove or change.
    pub flagged: bool,
    /// For private elements, the creator that owns its block.
    pub private_creator: Option<String>,
}

/// The decisions of a data set's elements, made once by the inspection's walk and carried
/// out by the emitter: in walk order (depth first, each element before the elements of its
/// items), each with the count of elements nested inside it so a caller that does not go into
/// a sequence can step over its contents.
#[derive(Debug, Clone, Default)]
pub struct Decisions {
    decided: Vec<Decided>,
}

/// One element's action, as the emitter needs it.
#[derive(Debug, Clone, Copy)]
pub struct Decided {
    pub action: Action,
    /// Elements inside this one's items, at any depth.
    pub nested: usize,
}

impl Decisions {
    /// Records an element's decision; returns its position, for `close`.
    pub fn open(&mut self, action: Action) -> usize {
        self.decided.push(Decided { action, nested: 0 });
        self.decided.len() - 1
    }

    /// Marks the end of the element at `position`: everything recorded since is nested in it.
    pub fn close(&mut self, position: usize) {
        let nested = self.decided.len() - position - 1;
        if let Some(decided) = self.decided.get_mut(position) {
            decided.nested = nested;
        }
    }

    pub fn cursor(&self) -> Cursor<'_> {
        Cursor {
            decided: &self.decided,
            next: 0,
        }
    }
}

/// Reads decisions back in the walk's order.
pub struct Cursor<'d> {
    decided: &'d [Decided],
    next: usize,
}

impl Cursor<'_> {
    /// The decision of the next element. The emitter walks the same tree as the inspection,
    /// so one is always there; were it not, removing the element is the safe answer.
    pub fn take(&mut self) -> Decided {
        let decided = self.decided.get(self.next).copied();
        debug_assert!(decided.is_some(), "the emitter walked past the decisions");
        self.next += 1;
        decided.unwrap_or(Decided {
            action: Action::X,
            nested: 0,
        })
    }

    /// Where the element just taken ends: the position after its nested elements.
    pub fn end_of(&self, decided: Decided) -> usize {
        self.next + decided.nested
    }

    /// Continues after `end` (from `end_of`), whether or not the nested elements were read.
    pub fn resume_at(&mut self, end: usize) {
        debug_assert!(self.next <= end, "the emitter read past an element's end");
        self.next = end;
    }
}

/// Dummy values we write for action D (PS3.15 E.1-1a: non-zero length, consistent with the
/// VR). Inspection recognises them as placeholders, not leaks.
pub fn dummy_text(vr: VR) -> Option<&'static str> {
    Some(match vr {
        VR::PN => "ANONYMIZED",
        VR::AE | VR::CS | VR::SH | VR::LO | VR::LT | VR::ST | VR::UT | VR::UC | VR::UR => {
            "ANONYMIZED"
        }
        VR::DA => "19000101",
        VR::TM => "000000",
        VR::DT => "19000101000000",
        VR::AS => "000Y",
        VR::IS | VR::DS => "0",
        _ => return None,
    })
}

/// What the file says about its own de-identification (PS3.15 E.1.1, E.3.6).
#[derive(Debug, Clone, Copy, Default)]
pub struct PriorDeid {
    pub identity_removed: bool,
    pub dates_modified: bool,
}

/// Everything a decision needs besides the element itself.
pub struct Decider<'a> {
    pub file: &'a ParsedFile<'a>,
    pub options: Options,
    pub identity: Identity,
    /// The data set's character set (0008,0005).
    pub charset: Charset,
    /// Elements (by offset) of sequence items that declare a character set of their own, or
    /// sit inside one (PS3.3 C.12.1.1.2), with that set.
    item_charsets: HashMap<usize, Charset>,
    pub prior: PriorDeid,
}

/// Facts about the item (or top-level data set) an element sits in.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    /// Private creators by (group, block).
    creators: HashMap<(u16, u8), String>,
    /// Overlay groups (60xx) whose Overlay Data is removed: the whole group goes with it,
    /// because an overlay without its data is invalid (PS3.3 C.9.2).
    removed_overlays: Vec<u16>,
    /// The item is a DICOMDIR Directory Record (0004,1220), whose keys are mostly Type 1
    /// (PS3.3 F.5): values there are replaced with dummies rather than emptied or removed.
    in_directory_record: bool,
}

impl<'a> Decider<'a> {
    pub fn new(file: &'a ParsedFile<'a>, options: Options) -> Decider<'a> {
        let charset = file
            .dataset
            .iter()
            .find(|e| e.tag == tags::SPECIFIC_CHARACTER_SET)
            .map(|e| Charset::from_value(file.value_bytes(e)))
            .unwrap_or_else(Charset::default_repertoire);
        let identity = Identity::from_file(file, &charset);
        let mut item_charsets = HashMap::new();
        collect_item_charsets(file, &file.dataset, &charset, false, &mut item_charsets);
        let text_of = |tag: u32| {
            file.dataset
                .iter()
                .find(|e| e.tag == tag)
                .map(|e| text_value(file.value_bytes(e), &charset).to_uppercase())
                .unwrap_or_default()
        };
        let prior = PriorDeid {
            // A DICOMDIR has no Patient Identity Removed (not in the Basic Directory IOD,
            // PS3.3 F.3); one we wrote over de-identified files says so by its File-set ID.
            identity_removed: text_of(tags::PATIENT_IDENTITY_REMOVED) == "YES"
                || text_of(tags::FILE_SET_ID) == crate::dicomdir::FILE_SET_ID,
            dates_modified: text_of(tags::LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED) == "MODIFIED",
        };
        Decider {
            file,
            options,
            identity,
            charset,
            item_charsets,
            prior,
        }
    }

    /// The character set an element's text is written in.
    pub fn charset_for(&self, element: &Element) -> &Charset {
        if element.in_meta {
            return &self.charset;
        }
        self.item_charsets
            .get(&element.start)
            .unwrap_or(&self.charset)
    }

    pub fn text(&self, element: &Element) -> String {
        text_value(self.file.value_bytes(element), self.charset_for(element))
    }

    /// Prepares the scope of a list of sibling elements; `parent` is the tag of the sequence
    /// whose item they form (`None` at the top level).
    pub fn scope(&self, elements: &[Element], parent: Option<u32>) -> Scope {
        let mut scope = Scope {
            in_directory_record: parent == Some(tags::DIRECTORY_RECORD_SEQUENCE),
            ..Scope::default()
        };
        for element in elements {
            let (group, number) = (element.group(), element.element());
            if element.is_private() && (0x0010..=0x00FF).contains(&number) {
                scope
                    .creators
                    .insert((group, number as u8), self.text(element).trim().to_string());
            }
            if group & 0xFF00 == 0x6000 && number == 0x3000 {
                let action = self.table_resolved(element.tag, element.vr).0;
                if action == Some(Action::X) {
                    scope.removed_overlays.push(group);
                }
            }
        }
        scope
    }

    fn table_resolved(&self, tag: u32, vr: VR) -> (Option<Action>, Option<&'static AttributeRule>) {
        match rules::rule_for(tag) {
            Some(rule) => {
                let mut action = rules::table_action(rule, self.options);
                // Clean Graphics on a binary overlay bitmap: cleaning pixels is the pixel
                // cleaner's job, which this is not, so the bitmap is removed (PS3.15 E.3.8).
                if action == Action::C && !is_text_vr(vr) && vr != VR::SQ {
                    action = Action::X;
                }
                (Some(action), Some(rule))
            }
            None => (None, None),
        }
    }

    /// Decides one element. `removed_above` is set inside a sequence that is itself removed
    /// or emptied: such elements are reported but not counted as separate leaks.
    pub fn decide(&self, element: &Element, scope: &Scope, removed_above: bool) -> Decision {
        let mut decision = self.decide_by_rules(element, scope);
        self.keep_dicom_defined_uids(element, &mut decision);
        let empty = element.value_len() == 0;
        // An empty value leaks nothing and stays empty (D and Z both keep an empty Type 1/2
        // value as valid as it was).
        if empty
            && matches!(
                decision.action,
                Action::D | Action::Z | Action::C | Action::U
            )
        {
            decision.action = Action::Z;
        }
        // A sequence that is kept or cleaned item by item is not itself a leak: its contents
        // carry their own findings.
        let changes = match element.body {
            Body::Sequence { .. } => matches!(decision.action, Action::X | Action::Z),
            // Cleaning text changes it only where an identifying value is found (checked
            // below); cleaning a date shifts it.
            _ if decision.action == Action::C => matches!(element.vr, VR::DA | VR::DT),
            _ => decision.action != Action::K,
        };
        decision.flagged =
            !removed_above && !empty && changes && !self.is_placeholder(element, &decision);

        // Values repeated from the patient's identity, wherever they are.
        if !removed_above
            && !is_identity_source(element)
            && matches!(decision.action, Action::K | Action::C)
        {
            if let Some(found) = self.repeats(element) {
                decision.flagged = true;
                decision.action = Action::C;
                decision.category.get_or_insert(if element.is_private() {
                    Category::Private
                } else {
                    Category::FreeText
                });
                decision.reason = Some(found);
            }
        }
        // UIDs written inside kept text (a Retrieve URL, a description): replaced the same way
        // as the UI elements they copy, so the instance cannot be found by its old UID.
        if !removed_above
            && matches!(decision.action, Action::K | Action::C)
            && is_text_vr(element.vr)
            // Numbers, dates and times hold no UID (a DS of contour points is all digits
            // and dots, and long).
            && !matches!(
                element.vr,
                VR::UI | VR::DS | VR::IS | VR::DA | VR::DT | VR::TM | VR::AS
            )
            && !self.options.has(ProfileOption::RetainUids)
            && !uid::uids_in_text(&self.text(element)).is_empty()
        {
            decision.flagged = true;
            decision.action = Action::C;
            decision.category.get_or_insert(Category::Uid);
            let said = decision.reason.take().unwrap_or_default();
            decision.reason = Some(
                format!("{said} Holds a UID, replaced as it is everywhere else.")
                    .trim()
                    .to_string(),
            );
        }
        // The birth date in a kept date element that is not in Table E.1-1 (an unknown DA,
        // Expiry Date, Study Update DateTime ...): it identifies the patient wherever it is.
        // Replaced with a dummy (PS3.15 Table E.1-1a D) rather than removed, because the
        // element's Type in its IOD is unknown and a Type 1 element must stay present.
        if !removed_above
            && decision.action == Action::K
            && matches!(element.vr, VR::DA | VR::DT)
            && self.identity.holds_birth_date(&self.text(element))
        {
            decision.flagged = true;
            decision.action = Action::D;
            decision.category = Some(Category::DateTime);
            decision.reason =
                Some("Holds the patient's birth date: replaced with a dummy date.".into());
        }
        decision
    }

    fn decide_by_rules(&self, element: &Element, scope: &Scope) -> Decision {
        let tag = element.tag;
        let (group, number) = (element.group(), element.element());
        let mut decision = Decision {
            action: Action::K,
            table_action: None,
            rule: None,
            category: None,
            reason: None,
            flagged: false,
            private_creator: None,
        };
        if group == 0x0002 && element.in_meta {
            return decide_meta(element, decision);
        }
        if group == 0x0002 {
            // PS3.10 7.1: group 0002 belongs to the meta group only.
            decision.action = Action::X;
            decision.category = Some(Category::Other);
            decision.reason =
                Some("A file meta element misplaced inside the data set: removed.".into());
            return decision;
        }
        if number == 0x0000 {
            // Group lengths are retired and would be wrong after changes.
            decision.action = Action::X;
            return decision;
        }
        if element.is_private() {
            return self.decide_private(element, scope, decision);
        }
        if group & 0xFF00 == 0x6000 && scope.removed_overlays.contains(&group) {
            decision.action = Action::X;
            decision.category = Some(Category::Other);
            decision.reason = Some(
                "Part of an overlay whose bitmap is removed; overlays can carry burned-in text."
                    .into(),
            );
            if number != 0x3000 {
                return decision;
            }
        }
        let (table, rule) = self.table_resolved(tag, element.vr);
        let (Some(table), Some(rule)) = (table, rule) else {
            return self.decide_unlisted_uid(element, decision);
        };
        decision.table_action = Some(table);
        decision.rule = Some(rule);
        let category = Category::of_rule(rule, tag, element.vr);
        decision.category = Some(category);
        decision.reason = Some(category.reason(rule.name, tag));
        decision.action = self.resolve_dual(table, element);
        if scope.in_directory_record && matches!(element.body, Body::Value) {
            decision.action = match decision.action {
                Action::Z => Action::D,
                Action::X => Action::Z,
                other => other,
            };
        }
        decision
    }

    /// A standard UI attribute that Table E.1-1 does not list: one naming instances is
    /// replaced (U) like the listed ones unless the UIDs are retained (PS3.15 E.3.2), so every
    /// occurrence of an instance UID maps the same way; one naming definitions stays.
    fn decide_unlisted_uid(&self, element: &Element, mut decision: Decision) -> Decision {
        let keyword = crate::tags::keyword(element.tag);
        if element.vr != VR::UI
            || !matches!(element.body, Body::Value)
            || uid::names_definitions(&keyword)
            || self.options.has(ProfileOption::RetainUids)
        {
            return decision;
        }
        decision.action = Action::U;
        decision.category = Some(Category::Uid);
        decision.reason = Some(
            "A UID of an instance that Table E.1-1 does not list: replaced like the listed ones, so every reference to the same instance gets the same new UID."
                .into(),
        );
        decision
    }

    /// UIDs defined by DICOM itself (PS3.6 Annex A) are kept even where the action is U:
    /// they are the same for every patient. Said here, so the report and the output agree.
    fn keep_dicom_defined_uids(&self, element: &Element, decision: &mut Decision) {
        if element.vr != VR::UI
            || !matches!(decision.action, Action::U | Action::D)
            || !matches!(element.body, Body::Value)
        {
            return;
        }
        let text = self.text(element);
        let values: Vec<&str> = text.split('\\').map(str::trim).collect();
        if values.iter().any(|v| !v.is_empty())
            && values
                .iter()
                .all(|v| v.is_empty() || uid::is_dicom_defined(v))
        {
            decision.action = Action::K;
            decision.reason = Some(
                "A UID defined by the DICOM Standard (PS3.6 Annex A): the same for every patient, kept."
                    .into(),
            );
        }
    }

    fn decide_private(&self, element: &Element, scope: &Scope, mut decision: Decision) -> Decision {
        let (group, number) = (element.group(), element.element());
        decision.category = Some(Category::Private);
        let retain = self.options.has(ProfileOption::RetainSafePrivate);
        let rule = rules::rule_for(element.tag);
        decision.rule = rule;
        decision.table_action = rule.map(|r| rules::table_action(r, self.options));
        decision.action = Action::X;
        if (0x0010..=0x00FF).contains(&number) {
            let creator = self.text(element);
            if retain && rules::creator_has_safe_elements(group, &creator) {
                decision.action = Action::K;
            }
            decision.reason = Some(format!("Private creator \"{}\": names the vendor block; removed with its private elements unless some are safe to keep.", creator.trim()));
            decision.private_creator = Some(creator.trim().to_string());
            return decision;
        }
        let creator = if number >= 0x1000 {
            scope.creators.get(&(group, (number >> 8) as u8)).cloned()
        } else {
            None
        };
        if let Some(creator) = &creator {
            if retain && rules::safe_private(group, number as u8, creator).is_some() {
                decision.action = Action::K;
                decision.reason = Some(format!(
                    "Private element of \"{creator}\" listed as safe in PS3.15 Table E.3.10-1."
                ));
            }
        }
        if decision.action == Action::X {
            decision.reason = Some(match &creator {
                Some(c) => format!("Private element of \"{c}\": its contents are not defined by the standard and may hold anything."),
                None => "Private element without a private creator: its contents are unknown.".into(),
            });
        }
        decision.private_creator = creator;
        decision
    }

    /// Dual codes need the attribute's Type in the IOD, which the table does not give: we
    /// take the choice that keeps any IOD valid (the later letter, PS3.15 E.1-1a), so a Type 1
    /// attribute never goes missing. Sequences under a dual code keep their items and
    /// de-identify each one by the same table (X/Z/U* replaces the UIDs inside), which is
    /// valid for Type 1, 2 and 3 alike.
    fn resolve_dual(&self, action: Action, element: &Element) -> Action {
        let is_sequence = matches!(element.body, Body::Sequence { .. });
        match action {
            Action::ZD | Action::XD | Action::XZD => {
                if is_sequence {
                    Action::C
                } else {
                    Action::D
                }
            }
            // An emptied Type 3 sequence is invalid (its VM is 1-n) and a removed Type 2 one
            // is missing: keeping the items and de-identifying each is valid for both.
            Action::XZ if is_sequence => Action::C,
            Action::XZ => Action::Z,
            Action::XZU if is_sequence || element.vr == VR::UI => Action::U,
            Action::XZU => Action::Z,
            Action::D if is_sequence => Action::C,
            Action::U if element.vr != VR::UI && !is_sequence => Action::D,
            other => other,
        }
    }

    /// Values that are already what de-identification would write.
    fn is_placeholder(&self, element: &Element, decision: &Decision) -> bool {
        if !matches!(element.body, Body::Value) || !is_text_vr(element.vr) {
            return false;
        }
        let text = self.text(element);
        if dummy_text(element.vr) == Some(text.as_str()) {
            return true;
        }
        let category = decision.category;
        if self.prior.identity_removed {
            if category == Some(Category::Uid) && text.split('\\').all(|u| u.starts_with("2.25.")) {
                return true;
            }
            if category == Some(Category::DateTime) && self.prior.dates_modified {
                return true;
            }
        }
        false
    }

    fn repeats(&self, element: &Element) -> Option<String> {
        // Bulk data is samples, not text: Pixel Data (an image; a file read by ranges leaves
        // its bytes out, so searching it would also make the report depend on how the file
        // was read), Waveform Data (5400,1010; PS3.3 C.10.9) and Overlay Data (60xx,3000;
        // PS3.3 C.9.2). Searching them cost a text scan of every sample.
        const WAVEFORM_DATA: u32 = 0x5400_1010;
        let overlay_data = element.tag & 0xFF01_FFFF == 0x6000_3000;
        if overlay_data
            || matches!(
                element.tag,
                crate::parse::PIXEL_DATA
                    | crate::parse::FLOAT_PIXEL_DATA
                    | crate::parse::DOUBLE_FLOAT_PIXEL_DATA
                    | WAVEFORM_DATA
            )
        {
            return None;
        }
        let searchable = match element.vr {
            VR::UI | VR::DA | VR::TM | VR::DT | VR::DS | VR::IS | VR::AS => false,
            // OW too: vendors store UTF-16 text in OW (one 16-bit word per character).
            vr => is_text_vr(vr) || matches!(vr, VR::UN | VR::OB | VR::OW),
        };
        if !searchable || !matches!(element.body, Body::Value) {
            return None;
        }
        let mut found = if is_text_vr(element.vr) {
            self.identity.find_in(&self.text(element), element.tag)
        } else {
            let bytes = self.file.value_bytes(element);
            let charset = self.charset_for(element);
            self.identity.find_in_bytes(bytes, element.tag, charset)
        };
        // The patient's own values first: they are what the reader most needs to see.
        found.sort_by_key(|n| !n.what.contains("patient"));
        let mut parts: Vec<String> = Vec::new();
        for needle in found {
            if parts.len() < 3 && !parts.iter().any(|p| p.starts_with(needle.what)) {
                parts.push(format!("{} (\"{}\")", needle.what, needle.text));
            }
        }
        (!parts.is_empty()).then(|| format!("Repeats {}.", parts.join(" and ")))
    }
}

/// Records the character set of every element inside a sequence item that declares its own
/// Specific Character Set, or is nested in one (`overridden`); the rest use the data set's.
fn collect_item_charsets(
    file: &ParsedFile<'_>,
    elements: &[Element],
    charset: &Charset,
    overridden: bool,
    out: &mut HashMap<usize, Charset>,
) {
    for element in elements {
        if overridden {
            out.insert(element.start, charset.clone());
        }
        for item in element.items() {
            let own = item
                .elements
                .iter()
                .any(|e| e.tag == tags::SPECIFIC_CHARACTER_SET);
            let inner = item_charset(file, &item.elements, charset);
            collect_item_charsets(file, &item.elements, &inner, overridden || own, out);
        }
    }
}

/// File Meta Information is rebuilt from scratch on output (PS3.10 7.1); these are the
/// elements of it that identify something.
fn decide_meta(element: &Element, mut decision: Decision) -> Decision {
    let (action, category, reason) = match element.tag {
        tags::MEDIA_STORAGE_SOP_INSTANCE_UID => (Action::U, Category::Uid, "Media Storage SOP Instance UID: the image's unique ID, which links it to the hospital's records."),
        tags::SOURCE_APPLICATION_ENTITY_TITLE..=tags::RECEIVING_APPLICATION_ENTITY_TITLE => (Action::X, Category::Device, "The network name (AE title) of the system that sent or stored the file."),
        tags::PRIVATE_INFORMATION_CREATOR_UID | tags::PRIVATE_INFORMATION => (Action::X, Category::Private, "Private information of the system that wrote the file."),
        _ => return decision,
    };
    decision.action = action;
    decision.category = Some(category);
    decision.reason = Some(reason.to_string());
    decision
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspect::{inspect_parsed_with, PixelCheck};

    #[test]
    fn the_cursor_steps_over_what_is_nested_in_an_element() {
        // A sequence of two elements, then a plain element after it.
        let mut decisions = Decisions::default();
        let sequence = decisions.open(Action::X);
        let first = decisions.open(Action::K);
        decisions.close(first);
        let second = decisions.open(Action::Z);
        decisions.close(second);
        decisions.close(sequence);
        let after = decisions.open(Action::D);
        decisions.close(after);

        let mut cursor = decisions.cursor();
        let taken = cursor.take();
        assert_eq!((taken.action, taken.nested), (Action::X, 2));
        let end = cursor.end_of(taken);
        cursor.resume_at(end);
        assert_eq!(cursor.take().action, Action::D);
    }

    #[test]
    fn the_inspection_decides_every_data_set_element_once_in_report_order() {
        let file = crate::sample::sample_file();
        let parsed = crate::parse::parse(&file).expect("the sample parses");
        let inspection = inspect_parsed_with(&parsed, Options::basic(), PixelCheck::Skip);
        let reported: Vec<_> = inspection
            .report
            .elements
            .iter()
            .filter(|f| !f.in_meta)
            .collect();
        let mut cursor = inspection.decisions.cursor();
        for finding in &reported {
            let decided = cursor.take();
            let action = finding.action.clone().unwrap_or_else(|| "K".into());
            assert_eq!(decided.action.code(), action, "{}", finding.path);
        }
        assert_eq!(cursor.next, inspection.decisions.decided.len());
        assert!(reported.iter().any(|f| f.depth > 0), "the sample nests");
    }
}
