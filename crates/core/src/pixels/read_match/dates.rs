//! Dates as devices print them: "1961-03-03", "03/03/1961", "3/3/1961", "03.03.1961",
//! "19610303", "03 Mar 1961", "03-MAR-1961", "Mar 3, 1961". A day and month that could be
//! either way round ("03/04/1961") give both dates. Two-digit years are not read: "03/03/61"
//! says too little to match a birth date by.

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ymd {
    pub y: u16,
    pub m: u8,
    pub d: u8,
}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

impl Ymd {
    fn new(y: u32, m: u32, d: u32) -> Option<Ymd> {
        let valid = (1850..=2150).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d);
        valid.then_some(Ymd {
            y: y as u16,
            m: m as u8,
            d: d as u8,
        })
    }

    /// A DICOM DA value (PS3.5 6.2: YYYYMMDD; the old "YYYY.MM.DD" form too).
    pub fn from_dicom(value: &str) -> Option<Ymd> {
        let digits: String = value.chars().filter(char::is_ascii_digit).collect();
        if digits.len() != 8 {
            return None;
        }
        let n = |r: std::ops::Range<usize>| digits[r].parse::<u32>().ok();
        Ymd::new(n(0..4)?, n(4..6)?, n(6..8)?)
    }
}

/// One piece of a date: a number (with its digit count) or a month name.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Piece {
    Number(u32, usize),
    Month(u32),
}

/// Every date in `text` (upper case), in any of the forms above.
pub fn dates_in(text: &str) -> Vec<Ymd> {
    let pieces = pieces(text);
    let mut out = Vec::new();
    let mut push = |d: Option<Ymd>| {
        if let Some(d) = d {
            if !out.contains(&d) {
                out.push(d);
            }
        }
    };
    for (i, p) in pieces.iter().enumerate() {
        if let Piece::Number(n, 8) = *p {
            push(Ymd::new(n / 10_000, n / 100 % 100, n % 100));
        }
        let Some(window) = pieces.get(i..i + 3) else {
            continue;
        };
        match *window {
            [Piece::Number(y, 4), Piece::Number(m, 1..=2), Piece::Number(d, 1..=2)] => {
                push(Ymd::new(y, m, d))
            }
            [Piece::Number(a, 1..=2), Piece::Number(b, 1..=2), Piece::Number(y, 4)] => {
                push(Ymd::new(y, b, a));
                push(Ymd::new(y, a, b));
            }
            [Piece::Number(d, 1..=2), Piece::Month(m), Piece::Number(y, 4)]
            | [Piece::Month(m), Piece::Number(d, 1..=2), Piece::Number(y, 4)] => {
                push(Ymd::new(y, m, d))
            }
            _ => {}
        }
    }
    out
}

/// Numbers and month names of `text`, in order. Inside a run that is mostly digits, letters
/// a reader takes for digits are read as digits (O for 0, I or L for 1, S for 5, B for 8).
fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    for token in text.split(|c: char| !c.is_alphanumeric()) {
        let digits = token.chars().filter(char::is_ascii_digit).count();
        let mostly_digits = digits * 2 > token.chars().count();
        let mut number = String::new();
        let mut word = String::new();
        let flush = |number: &mut String, word: &mut String, out: &mut Vec<Piece>| {
            if !number.is_empty() {
                if let Ok(n) = number.parse::<u32>() {
                    out.push(Piece::Number(n, number.len()));
                }
                number.clear();
            }
            if word.len() >= 3 {
                if let Some(m) = MONTHS.iter().position(|m| word.starts_with(m)) {
                    out.push(Piece::Month(m as u32 + 1));
                }
            }
            word.clear();
        };
        for c in token.chars() {
            let as_digit = match c {
                '0'..='9' => Some(c),
                'O' | 'Q' if mostly_digits => Some('0'),
                'I' | 'L' if mostly_digits => Some('1'),
                'S' if mostly_digits => Some('5'),
                'B' if mostly_digits => Some('8'),
                _ => None,
            };
            match as_digit {
                Some(d) => {
                    if !word.is_empty() {
                        flush(&mut String::new(), &mut word, &mut out);
                    }
                    number.push(d);
                }
                None => {
                    if !number.is_empty() {
                        flush(&mut number, &mut String::new(), &mut out);
                    }
                    word.push(c);
                }
            }
        }
        flush(&mut number, &mut word, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: u16, m: u8, d: u8) -> Ymd {
        Ymd { y, m, d }
    }

    #[test]
    fn every_usual_form_is_read() {
        let want = ymd(1961, 3, 3);
        for text in [
            "DOB: 1961-03-03",
            "03/03/1961",
            "3/3/1961",
            "03.03.1961",
            "19610303",
            "03 MAR 1961",
            "03-MAR-1961",
            "MAR 3, 1961",
            "BORN 3MAR1961",
            "O3/O3/1961",
        ] {
            assert!(
                dates_in(text).contains(&want),
                "{text}: {:?}",
                dates_in(text)
            );
        }
    }

    #[test]
    fn ambiguous_day_and_month_give_both_and_nonsense_gives_none() {
        let both = dates_in("04/03/1961");
        assert!(both.contains(&ymd(1961, 3, 4)) && both.contains(&ymd(1961, 4, 3)));
        assert!(dates_in("WL: 40 WW: 400").is_empty());
        assert!(dates_in("12345678").is_empty());
        assert!(dates_in("19:55:38").is_empty());
        assert_eq!(Ymd::from_dicom("19610303"), Some(ymd(1961, 3, 3)));
        assert_eq!(Ymd::from_dicom("1961"), None);
    }
}
