//! Plain-language categories and reasons for the rows of Table E.1-1. Categories come from the
//! table itself where it can tell (which option column a row belongs to), else from the tag.

use super::has_column;
use super::model::{Action, AttributeRule, OptionColumn};
use crate::tags;
use dicom_core::VR;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    DirectIdentifier,
    DateTime,
    Uid,
    FreeText,
    Device,
    Institution,
    Private,
    Other,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Category::DirectIdentifier,
        Category::DateTime,
        Category::Uid,
        Category::FreeText,
        Category::Device,
        Category::Institution,
        Category::Private,
        Category::Other,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Category::DirectIdentifier => "direct-identifier",
            Category::DateTime => "date-time",
            Category::Uid => "uid",
            Category::FreeText => "free-text",
            Category::Device => "device",
            Category::Institution => "institution",
            Category::Private => "private",
            Category::Other => "other",
        }
    }

    /// A label for people, as a heading of the findings counted in it (the page's summary).
    pub fn label(self) -> &'static str {
        match self {
            Category::DirectIdentifier => "names or identifies a person",
            Category::DateTime => "dates and times",
            Category::Uid => "unique identifiers (UIDs)",
            Category::FreeText => "free text",
            Category::Device => "about the device",
            Category::Institution => "about the hospital",
            Category::Private => "vendor (private) elements",
            Category::Other => "other details that can help recognise someone",
        }
    }

    /// For a Table E.1-1 row and the element's VR.
    pub fn of_rule(rule: &AttributeRule, tag: u32, vr: VR) -> Category {
        let group = tag >> 16;
        if group % 2 == 1 {
            return Category::Private;
        }
        if has_column(rule, OptionColumn::RetainUids) || rule.basic == Action::U || vr == VR::UI {
            return Category::Uid;
        }
        if has_column(rule, OptionColumn::RetainLongFullDates) {
            return Category::DateTime;
        }
        if has_column(rule, OptionColumn::RetainInstitutionIdentity) {
            return Category::Institution;
        }
        if has_column(rule, OptionColumn::RetainDeviceIdentity) {
            return Category::Device;
        }
        if has_column(rule, OptionColumn::RetainPatientCharacteristics) {
            return Category::Other;
        }
        let name = rule.name;
        if vr == VR::PN
            || group == 0x0010
            || name.contains(" ID")
            || name.contains("Address")
            || name.contains("Telephone")
            || name.contains("Accession")
            || name.contains("Name")
        {
            return Category::DirectIdentifier;
        }
        if has_column(rule, OptionColumn::CleanDescriptors)
            || has_column(rule, OptionColumn::CleanStructuredContent)
            || has_column(rule, OptionColumn::CleanGraphics)
            || matches!(vr, VR::LT | VR::ST | VR::UT)
        {
            return Category::FreeText;
        }
        Category::Other
    }

    /// Why an element of this category matters, in plain words.
    pub fn reason(self, rule_name: &str, tag: u32) -> String {
        match tag {
            tags::PATIENT_NAME => return "The patient's name.".into(),
            tags::PATIENT_ID => {
                return "The patient's ID at the hospital: it links straight to their records."
                    .into()
            }
            tags::PATIENT_BIRTH_DATE => return "The patient's date of birth.".into(),
            tags::ACCESSION_NUMBER => {
                return "The accession number: it links to the hospital's order for this exam."
                    .into()
            }
            tags::PATIENT_ADDRESS => return "The patient's home address.".into(),
            tags::INSTITUTION_NAME => {
                return "The name of the hospital where the images were made.".into()
            }
            _ if tag & 0xFF00_FFFF == 0x6000_3000 => {
                return "An overlay bitmap drawn over the image: it can spell out names.".into()
            }
            _ => {}
        }
        match self {
            Category::DirectIdentifier => format!("{rule_name}: names or identifies a person."),
            Category::DateTime => format!("{rule_name}: real dates and times help pick out a person."),
            Category::Uid => format!("{rule_name}: a unique ID that can link the file back to the hospital's records."),
            Category::FreeText => format!("{rule_name}: free text, which often contains names or other details."),
            Category::Device => format!("{rule_name}: identifies the equipment, and so where it was used."),
            Category::Institution => format!("{rule_name}: names the hospital, department or its address."),
            Category::Private => "A vendor's private element: its contents are not defined by the standard and may hold anything.".into(),
            Category::Other => format!("{rule_name}: listed by DICOM PS3.15 Annex E as possibly identifying."),
        }
    }
}

/// What applying a resolved action does, for people.
pub fn action_effect(action: Action) -> &'static str {
    match action {
        Action::X => "removed",
        Action::Z => "emptied",
        Action::D => "replaced with a dummy value",
        Action::U => "replaced with a new UID",
        Action::C => "cleaned",
        Action::K => "kept",
        Action::ZD | Action::XZ | Action::XD | Action::XZD | Action::XZU => "removed or replaced",
    }
}
