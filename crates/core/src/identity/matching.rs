//! Finding the identity's needles in folded text. Each needle is searched once with the
//! standard library's linear substring search, so the work is (needles x text length), with
//! needles bounded by `MAX_NEEDLES`; the context checks then cost a constant per occurrence.

use super::dates::find_dates;
use super::fold::Folded;
use super::ids::Compact;
use super::names::{NameIndex, NameOccurrence};
use super::{Identity, Kind};

/// One accepted occurrence: folded characters [start, end) and the needle found there.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub needle: usize,
}

/// Every occurrence of the identity's values in `folded`, except those of values that came
/// from the element being searched itself.
pub fn hits(identity: &Identity, folded: &Folded, element_tag: u32) -> Vec<Hit> {
    let mut found = Vec::new();
    if folded.len() == 0 {
        return found;
    }
    let (text, index) = folded.searchable();
    let mut names = Vec::new();
    let mut compact: Option<Compact> = None;
    for (n, needle) in identity.needles.iter().enumerate() {
        if needle.source_tag == element_tag || needle.text.is_empty() {
            continue;
        }
        let person = match needle.kind {
            Kind::BirthDate => continue,
            Kind::Id => {
                let compact = compact.get_or_insert_with(|| Compact::new(folded));
                found.extend(
                    compact
                        .find(folded, &needle.text, &needle.splits)
                        .into_iter()
                        .map(|(start, end)| Hit {
                            start,
                            end,
                            needle: n,
                        }),
                );
                continue;
            }
            Kind::NamePart { person } | Kind::FullName { person } => Some(person),
            Kind::Value => None,
        };
        for (at, matched) in text.match_indices(needle.text.as_str()) {
            let start = index[at] as usize;
            let end = index[at + matched.len()] as usize;
            match person {
                Some(person) => names.push(NameOccurrence {
                    start,
                    end,
                    person,
                    needle: n,
                    full_name: matches!(needle.kind, Kind::FullName { .. }),
                }),
                None if folded.boundary(start) && folded.boundary(end) => found.push(Hit {
                    start,
                    end,
                    needle: n,
                }),
                None => {}
            }
        }
    }
    let initials = identity
        .needles
        .iter()
        .enumerate()
        .filter_map(|(i, n)| match n.kind {
            Kind::NamePart { person } => n.text.chars().next().map(|c| (person, c, i)),
            _ => None,
        })
        .collect();
    let index = NameIndex::new(&names, initials);
    found.extend(
        names
            .iter()
            .filter(|o| index.accept(folded, o))
            .map(|o| Hit {
                start: o.start,
                end: o.end,
                needle: o.needle,
            }),
    );
    if let Some(n) = identity
        .needles
        .iter()
        .position(|n| n.kind == Kind::BirthDate && n.source_tag != element_tag)
    {
        found.extend(
            find_dates(folded, &identity.birth_dates)
                .into_iter()
                .map(|(start, end)| Hit {
                    start,
                    end,
                    needle: n,
                }),
        );
    }
    found
}
