//! Finding an ID however its groups are separated: "943 476 5919" is also written
//! "943-476-5919" and "9434765919", "AB-12345" as "AB12345" and "AB 12345", "AB12345" as
//! "AB-12345". The ID is searched by its letters and digits alone in a view of the text whose
//! short separator runs between letters and digits are taken out; a match stands when every
//! separator it spans falls where the ID itself splits (at one of its own separators, or
//! where its letters meet its digits), so digits that merely sit next to each other in the
//! text ("123 45" for "12345") are not the ID.

use super::fold::{Class, Folded};

/// Separators people put between the groups of an ID.
/// '+' is the Swedish personnummer's separator for people over 100.
const ID_GAP: &[char] = &[' ', '-', '/', '.', '_', ':', '+'];
/// Longest separator run taken out ("AB - 12345").
const MAX_GAP: usize = 3;

/// An ID's letters and digits, upper case, and the offsets in them where the ID splits.
pub fn id_groups(folded_id: &str) -> (String, Vec<usize>) {
    let mut joined = String::new();
    let mut splits = Vec::new();
    let mut count = 0;
    let mut last: Option<char> = None;
    let mut gap = false;
    for c in folded_id.chars() {
        if !c.is_alphanumeric() {
            gap = true;
            continue;
        }
        let class_change = last.is_some_and(|l| l.is_numeric() != c.is_numeric());
        if count > 0 && (gap || class_change) {
            splits.push(count);
        }
        joined.push(c);
        count += 1;
        last = Some(c);
        gap = false;
    }
    (joined, splits)
}

/// A national number that starts with the birth date ("19610303-1234", a Swedish
/// personnummer) is also written with a two-digit year ("610303-1234"), and the other way
/// round: the other forms, with where they split (after the date). Only numbers of 10 to 13
/// digits whose first digits are a valid date, so ordinary IDs get no extra forms.
pub fn other_century_forms(joined: &str) -> Vec<(String, Vec<usize>)> {
    if !joined.bytes().all(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    let number = |range: std::ops::Range<usize>| joined[range].parse::<u32>().unwrap_or(0);
    let month_day_at = |at: usize| {
        (1..=12).contains(&number(at..at + 2)) && (1..=31).contains(&number(at + 2..at + 4))
    };
    match joined.len() {
        10 | 11 if month_day_at(2) => ["19", "20"]
            .iter()
            .map(|century| (format!("{century}{joined}"), vec![8]))
            .collect(),
        12 | 13 if (1800..=2099).contains(&number(0..4)) && month_day_at(4) => {
            vec![(joined[2..].to_string(), vec![6])]
        }
        _ => Vec::new(),
    }
}

/// The text with separator runs between two letters or digits taken out.
pub struct Compact {
    pub text: String,
    /// For each byte of `text`, the compact character index it starts (and one past the end).
    byte_to_char: Vec<u32>,
    /// For each compact character, its folded index.
    folded_index: Vec<usize>,
    /// For each compact character, whether separators were taken out just before it.
    after_gap: Vec<bool>,
}

impl Compact {
    pub fn new(folded: &Folded) -> Compact {
        let alnum = |i: usize| matches!(folded.class[i], Class::Letter | Class::Digit);
        let mut compact = Compact {
            text: String::new(),
            byte_to_char: Vec::new(),
            folded_index: Vec::new(),
            after_gap: Vec::new(),
        };
        let mut i = 0;
        let mut gap_before = false;
        while i < folded.len() {
            let c = folded.chars[i];
            if ID_GAP.contains(&c) && i > 0 && alnum(i - 1) {
                let run = folded.chars[i..]
                    .iter()
                    .take_while(|c| ID_GAP.contains(c))
                    .count();
                if run <= MAX_GAP && i + run < folded.len() && alnum(i + run) {
                    i += run;
                    gap_before = true;
                    continue;
                }
            }
            let index = compact.folded_index.len() as u32;
            compact
                .byte_to_char
                .extend(std::iter::repeat_n(index, c.len_utf8()));
            compact.text.push(c);
            compact.folded_index.push(i);
            compact.after_gap.push(gap_before);
            gap_before = false;
            i += 1;
        }
        compact.byte_to_char.push(compact.folded_index.len() as u32);
        compact
    }

    /// Folded spans [start, end) where the ID (`joined`, splitting at `splits`) is written.
    pub fn find(&self, folded: &Folded, joined: &str, splits: &[usize]) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        for (at, matched) in self.text.match_indices(joined) {
            let first = self.byte_to_char[at] as usize;
            let last = self.byte_to_char[at + matched.len()] as usize - 1;
            let gaps_fit = (first + 1..=last)
                .filter(|&k| self.after_gap[k])
                .all(|k| splits.contains(&(k - first)));
            let start = self.folded_index[first];
            let end = self.folded_index[last] + 1;
            if gaps_fit && folded.boundary(start) && folded.boundary(end) {
                found.push((start, end));
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(id: &str, text: &str) -> bool {
        let (joined, splits) = id_groups(id);
        let folded = Folded::from_str(text);
        !Compact::new(&folded)
            .find(&folded, &joined, &splits)
            .is_empty()
    }

    #[test]
    fn groups_split_at_separators_and_where_letters_meet_digits() {
        assert_eq!(id_groups("943 476 5919"), ("9434765919".into(), vec![3, 6]));
        assert_eq!(id_groups("AB12345"), ("AB12345".into(), vec![2]));
        assert_eq!(id_groups("K/2019/00871"), ("K201900871".into(), vec![1, 5]));
    }

    #[test]
    fn an_id_is_found_with_other_separators_or_none() {
        for text in [
            "NO 943-476-5919",
            "9434765919",
            "943.476.5919 seen",
            "943 476 5919",
        ] {
            assert!(finds("943 476 5919", text), "{text}");
        }
        assert!(finds("AB12345", "ref AB-12345"));
        assert!(finds("AB-12345", "AB 12345"));
        assert!(finds("AB-12345", "AB - 12345"));
    }

    #[test]
    fn a_national_number_is_found_with_the_other_century_form() {
        let forms = other_century_forms("196103031234");
        assert_eq!(forms, vec![("6103031234".to_string(), vec![6])]);
        let (short, splits) = &forms[0];
        assert!(!Compact::new(&Folded::from_str("pnr 610303-1234"))
            .find(&Folded::from_str("pnr 610303-1234"), short, splits)
            .is_empty());
        let forms = other_century_forms("6103031234");
        assert!(forms.iter().any(|(f, _)| f == "196103031234"));
        assert!(finds("19610303-1234", "PNR 19610303+1234"));
        assert!(other_century_forms("1234567890").is_empty());
        assert!(other_century_forms("AB12345678").is_empty());
    }

    #[test]
    fn digits_split_elsewhere_or_inside_a_longer_number_are_not_the_id() {
        assert!(!finds("943 476 5919", "94 34 765919"));
        assert!(!finds("12345", "dose 123 45 mGy"));
        assert!(!finds("943 476 5919", "19434765919"));
        assert!(!finds("AB-12345", "AB-123456"));
    }
}
