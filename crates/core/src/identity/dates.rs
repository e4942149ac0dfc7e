//! Finding the patient's birth date in text however it is written: "1961-03-03",
//! "03/03/1961", "3 Mar 1961", "Aug 9, 2004", "9th August 2004", "03-MAR-1961", "03MAR1961",
//! glued "DOB19610303". DICOM's own form is YYYYMMDD (PS3.5 6.2 DA); people write dates
//! every other way, so the text is read as dates rather than compared with a list of forms.

use super::fold::{Class, Folded};
use super::words::{is_birth_label, is_date_filler, month_number, ORDINAL_SUFFIXES};

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ymd {
    pub year: u32,
    pub month: u32,
    pub day: u32,
}

impl Ymd {
    /// From a DA value "YYYYMMDD"; `None` for anything else.
    pub fn from_da(value: &str) -> Option<Ymd> {
        let value = value.trim();
        if value.len() != 8 || !value.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let date = Ymd {
            year: value[0..4].parse().ok()?,
            month: value[4..6].parse().ok()?,
            day: value[6..8].parse().ok()?,
        };
        ((1..=12).contains(&date.month) && (1..=31).contains(&date.day)).then_some(date)
    }
}

/// Separators allowed between the parts of one written date.
/// Chinese, Japanese and Korean dates write the unit after each number: "1961年3月3日",
/// "1961년 3월 3일".
const DATE_GAP: &[char] = &[
    ' ', '-', '/', '.', ',', '\'', '年', '月', '日', '년', '월', '일',
];
/// Most separators between two parts ("Feb 28, '67").
const MAX_DATE_GAP: usize = 3;
/// How far before a date a birth label is looked for, in characters ("D.O.B.: ").
const LABEL_REACH: usize = 20;

#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
    /// A number (digits), or a month name's number.
    number: Option<u32>,
    digits: usize,
    is_month_name: bool,
}

/// Spans [start, end) of `folded` that write one of `dates`.
pub fn find_dates(folded: &Folded, dates: &[Ymd]) -> Vec<(usize, usize)> {
    if dates.is_empty() {
        return Vec::new();
    }
    let tokens = tokens(folded);
    let mut found = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if token.digits >= 8 && glued_date(folded, token, dates) {
            found.push((token.start, token.end));
            continue;
        }
        if token.digits == 6 && labelled(folded, token.start) && six_digits(folded, token, dates) {
            found.push((token.start, token.end));
            continue;
        }
        let Some(three) = tokens.get(i..i + 3) else {
            continue;
        };
        let close = three
            .windows(2)
            .all(|pair| gap_is_small(folded, pair[0].end, pair[1].start));
        if close && three_parts_match(three, dates, || labelled(folded, three[0].start)) {
            found.push((three[0].start, three[2].end));
        }
    }
    found
}

/// Letter and digit runs; a day's ordinal suffix ("9TH") is folded into the day.
fn tokens(folded: &Folded) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < folded.len() {
        let class = folded.class[i];
        if !matches!(class, Class::Letter | Class::Digit) {
            i += 1;
            continue;
        }
        let start = i;
        while i < folded.len() && folded.class[i] == class && (i == start || !folded.boundary(i)) {
            i += 1;
        }
        let word: String = folded.chars[start..i].iter().collect();
        if class == Class::Letter {
            let ordinal = ORDINAL_SUFFIXES.contains(&word.as_str())
                && tokens
                    .last()
                    .is_some_and(|t| t.end == start && t.digits > 0 && t.digits <= 2);
            if ordinal {
                if let Some(last) = tokens.last_mut() {
                    last.end = i;
                }
                continue;
            }
            // "de" in "3 de marzo de 1961" is part of the gap between the date's parts.
            if is_date_filler(&word) {
                continue;
            }
            let month = month_number(&word);
            tokens.push(Token {
                start,
                end: i,
                number: month,
                digits: 0,
                is_month_name: month.is_some(),
            });
        } else {
            let digits = i - start;
            tokens.push(Token {
                start,
                end: i,
                number: if digits <= 9 { word.parse().ok() } else { None },
                digits,
                is_month_name: false,
            });
        }
    }
    tokens
}

/// Whether [from, to) is what separates two parts of one date: a few separators, and filler
/// words ("de") standing between separators.
fn gap_is_small(folded: &Folded, from: usize, to: usize) -> bool {
    let mut separators = 0;
    let mut fillers = 0;
    let mut word = String::new();
    for &c in &folded.chars[from..to] {
        if DATE_GAP.contains(&c) {
            if !word.is_empty() {
                if !is_date_filler(&word) {
                    return false;
                }
                fillers += 1;
                word.clear();
            }
            separators += 1;
        } else if c.is_alphabetic() {
            word.push(c);
        } else {
            return false;
        }
    }
    // A filler must stand between separators ("3 de marzo", not "3de marzo"): the word left
    // over at the end is one that touches the next part.
    word.is_empty() && fillers <= 1 && separators <= MAX_DATE_GAP + 2 * fillers
}

/// Whether a birth label ("DOB", "D.O.B.", "born", "geb.", "née le", "生年月日") stands just
/// before `start`: among the last three words there, or spelled out in single letters.
fn labelled(folded: &Folded, start: usize) -> bool {
    let before = &folded.chars[start.saturating_sub(LABEL_REACH)..start];
    let text: String = before.iter().collect();
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .collect();
    let initials: String = words
        .iter()
        .rev()
        .take_while(|w| w.chars().count() == 1)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .copied()
        .collect();
    words.iter().rev().take(3).any(|w| is_birth_label(w)) || is_birth_label(&initials)
}

/// A 6-digit run after a birth label: "DDMMYY", "MMDDYY" or "YYMMDD".
fn six_digits(folded: &Folded, token: &Token, dates: &[Ymd]) -> bool {
    let digits: String = folded.chars[token.start..token.end].iter().collect();
    let pair = |k: usize| digits[k..k + 2].parse::<u32>().ok();
    let (a, b, c) = (pair(0), pair(2), pair(4));
    dates.iter().any(|d| {
        let (y, m, dd) = (Some(d.year % 100), Some(d.month), Some(d.day));
        (a, b, c) == (dd, m, y) || (a, b, c) == (m, dd, y) || (a, b, c) == (y, m, dd)
    })
}

/// An 8-digit run "YYYYMMDD", "DDMMYYYY" or "MMDDYYYY", or a DT-like run starting with the
/// date ("YYYYMMDDhhmmss").
fn glued_date(folded: &Folded, token: &Token, dates: &[Ymd]) -> bool {
    let digits: String = folded.chars[token.start..token.end].iter().collect();
    let as_number = |range: std::ops::Range<usize>| digits[range].parse::<u32>().ok();
    let yyyymmdd = |d: &Ymd| {
        Some(d.year) == as_number(0..4)
            && Some(d.month) == as_number(4..6)
            && Some(d.day) == as_number(6..8)
    };
    if matches!(token.digits, 10 | 12 | 14) {
        return dates.iter().any(yyyymmdd);
    }
    token.digits == 8
        && dates.iter().any(|d| {
            let year_last = Some(d.year) == as_number(4..8);
            let (first, second) = (as_number(0..2), as_number(2..4));
            yyyymmdd(d)
                || (year_last && first == Some(d.day) && second == Some(d.month))
                || (year_last && first == Some(d.month) && second == Some(d.day))
        })
}

/// Year, month and day in any of the orders people use (Y M D, D M Y, M D Y). A year of two
/// digits is read only where the text says it is a date: with the month written as a word
/// ("28-Feb-67"), or after a birth label ("DOB 03/03/61"); elsewhere "03/03/61" is not taken
/// for a date (too many numbers look like that).
fn three_parts_match(three: &[Token], dates: &[Ymd], labelled: impl Fn() -> bool) -> bool {
    let month_named = three.iter().any(|t| t.is_month_name);
    let day = |t: &Token| (1..=2).contains(&t.digits).then_some(t.number).flatten();
    let month = |t: &Token| {
        if t.is_month_name || (1..=2).contains(&t.digits) {
            t.number
        } else {
            None
        }
    };
    let (a, b, c) = (&three[0], &three[1], &three[2]);
    // (year, month, day)
    let orders = [
        (a, month(b), day(c)),
        (c, month(b), day(a)),
        (c, month(a), day(b)),
    ];
    dates.iter().any(|d| {
        orders.iter().any(|&(year, m, dd)| {
            m == Some(d.month)
                && dd == Some(d.day)
                && match year.digits {
                    4 => year.number == Some(d.year),
                    2 => year.number == Some(d.year % 100) && (month_named || labelled()),
                    _ => false,
                }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(text: &str) -> bool {
        let birth = Ymd::from_da("19610303").unwrap();
        let folded = Folded::from_str(text);
        !find_dates(&folded, &[birth]).is_empty()
    }

    #[test]
    fn every_written_form_of_the_birth_date_is_found() {
        for text in [
            "born 19610303",
            "1961-03-03",
            "03/03/1961",
            "3.3.1961",
            "3 Mar 1961",
            "Mar 3, 1961",
            "March 3rd, 1961",
            "03-MAR-1961",
            "03MAR1961",
            "DOB19610303",
            "DOB:19610303101500",
            "3 März 1961",
            "03-Mar-61",
            "3 MAR 61",
            "Mar 3, '61",
            "03MAR61",
            "DOB 03/03/61",
            "D.O.B.: 3.3.61",
            "geb. am 03.03.61",
            "dob 030361",
            "1961年3月3日",
            "1961년 3월 3일",
            "3 de marzo de 1961",
            "3 de março de 1961",
            "3 Μαρτίου 1961",
            "3 Μάρτιος 1961",
            "3 марта 1961 г.",
            "03 МАРТА 1961",
            "3 Mart 1961",
            "3 maart 1961",
            "3 mars 1961",
            "the 3rd of March 1961",
        ] {
            assert!(finds(text), "{text} was not found");
        }
    }

    #[test]
    fn other_dates_and_numbers_are_not_the_birth_date() {
        for text in [
            "1961-03-04",
            "3 Mar 1962",
            "19610303000",
            "03/03/61",
            "3 3 19",
            "03-Mar-62",
            "seen 030361",
            "DOB 04/03/61",
            "3 de marzo de 1962",
            "3 марта 1962",
            "3 abc marzo 1961",
        ] {
            assert!(!finds(text), "{text} was taken for the birth date");
        }
    }
}
