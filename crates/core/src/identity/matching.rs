//! Finding the identity's needles in folded text. Each needle is searched once with the
//! standard library's linear substring search, so the work is (needles x text length), with
//! needles bounded by `MAX_NEEDLES`; the context checks then cost a constant per occurrence.

use super::dates::find_dates;
use super::fold::Folded;
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
    for (n, needle) in identity.needles.iter().enumerate() {
        if needle.source_tag == element_tag || needle.text.is_empty() {
            continue;
        }
        let person = match needle.kind {
            Kind::BirthDate => continue,
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
    let index = NameIndex::new(&names);
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
