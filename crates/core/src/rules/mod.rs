//! The PS3.15 Annex E rule table and how the chosen options resolve each row to one action.
//! The table is generated (see `model.rs`); this module only looks rows up and combines
//! columns, so the CLI, the wasm API and the page's explanations all read the same data.

pub mod cid7050;
mod explain;
pub mod kinds;
pub mod model;
pub mod table_e1_1;
pub mod table_e3_10_1;

pub use explain::{action_effect, Category};
use model::{Action, AttributeRule, OptionColumn, SafePrivateRule};
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::options::{Options, ProfileOption, ALL_OPTIONS};

struct Index {
    exact: HashMap<u32, &'static AttributeRule>,
    /// Family rows such as (50xx,xxxx), most specific first.
    families: Vec<&'static AttributeRule>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut exact = HashMap::new();
        let mut families = Vec::new();
        for rule in table_e1_1::TABLE_E1_1.iter() {
            if rule.pattern.mask == u32::MAX {
                exact.entry(rule.pattern.value).or_insert(rule);
            } else {
                families.push(rule);
            }
        }
        families.sort_by_key(|r| std::cmp::Reverse(r.pattern.specificity()));
        Index { exact, families }
    })
}

/// The Table E.1-1 row for a tag: an exact row, else the most specific family row.
pub fn rule_for(tag: u32) -> Option<&'static AttributeRule> {
    let index = index();
    index.exact.get(&tag).copied().or_else(|| {
        index
            .families
            .iter()
            .copied()
            .find(|r| r.pattern.matches(tag))
    })
}

/// The row's action once the chosen options are applied: an option's cell replaces the Basic
/// Profile cell (PS3.15 E.3). If several chosen options have a cell for the row, the more
/// protective wins (C, cleaning, over K, keeping), so combining options never leaks more
/// than either alone would.
pub fn table_action(rule: &AttributeRule, options: Options) -> Action {
    let mut chosen: Option<Action> = None;
    for info in ALL_OPTIONS.iter().filter(|o| options.has(o.option)) {
        let Some(column) = column_of(info.option) else {
            continue;
        };
        if let Some(cell) = rule.options[column as usize] {
            chosen = Some(match chosen {
                Some(Action::C) => Action::C,
                _ => cell,
            });
        }
    }
    chosen.unwrap_or(rule.basic)
}

/// The Table E.1-1 column of an option, if it has one.
pub fn column_of(option: ProfileOption) -> Option<OptionColumn> {
    Some(match option {
        ProfileOption::RetainSafePrivate => OptionColumn::RetainSafePrivate,
        ProfileOption::RetainUids => OptionColumn::RetainUids,
        ProfileOption::RetainDeviceIdentity => OptionColumn::RetainDeviceIdentity,
        ProfileOption::RetainInstitutionIdentity => OptionColumn::RetainInstitutionIdentity,
        ProfileOption::RetainPatientCharacteristics => OptionColumn::RetainPatientCharacteristics,
        ProfileOption::RetainLongFullDates => OptionColumn::RetainLongFullDates,
        ProfileOption::RetainLongModifiedDates => OptionColumn::RetainLongModifiedDates,
        ProfileOption::CleanDescriptors => OptionColumn::CleanDescriptors,
        ProfileOption::CleanStructuredContent => OptionColumn::CleanStructuredContent,
        ProfileOption::CleanGraphics => OptionColumn::CleanGraphics,
        ProfileOption::CleanPixelData | ProfileOption::CleanAllPixelText => return None,
    })
}

/// Whether the row has a cell in an option column.
pub fn has_column(rule: &AttributeRule, column: OptionColumn) -> bool {
    rule.options[column as usize].is_some()
}

/// Table E.3.10-1 rows for a private group and element offset, keyed by creator.
pub fn safe_private(
    group: u16,
    element_offset: u8,
    creator: &str,
) -> Option<&'static SafePrivateRule> {
    let creator = creator.trim();
    table_e3_10_1::TABLE_E3_10_1
        .iter()
        .find(|r| r.group == group && r.element_offset == element_offset && r.creator == creator)
}

/// True when the creator has any safe element in this group (its creator element is then kept).
pub fn creator_has_safe_elements(group: u16, creator: &str) -> bool {
    let creator = creator.trim();
    table_e3_10_1::TABLE_E3_10_1
        .iter()
        .any(|r| r.group == group && r.creator == creator)
}
