//! Text folded for matching: Unicode NFKC (so a decomposed "é" and a full-width "Ｓ" match the
//! composed and ASCII forms), upper-cased, each folded character remembering which source
//! units (characters of a string, or bytes of a binary value) it came from, so a match can be
//! masked in the source whatever its encoding.

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

/// What a folded character is, for telling where words start and end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Letter,
    Digit,
    /// Han, kana and Hangul: scripts written without spaces between words.
    Cjk,
    /// Anything else: spaces, punctuation, controls.
    Separator,
}

/// Name separators dropped between two CJK characters, so "長谷 川健太郎" and "長谷川健太郎"
/// fold to the same run (CJK names are written with or without a space, anywhere).
const CJK_GAP: &[char] = &[' ', '^', '\u{30FB}', '\u{00B7}', ',', '\u{3001}', '\t'];

#[derive(Debug, Default)]
pub struct Folded {
    pub chars: Vec<char>,
    pub class: Vec<Class>,
    /// A word starts here because the source changed from lower to upper case ("codecSmith").
    camel: Vec<bool>,
    /// Source units [start, end) each folded character came from.
    pub origin: Vec<(usize, usize)>,
}

pub fn class_of(c: char) -> Class {
    if c.is_numeric() {
        Class::Digit
    } else if is_cjk(c) {
        Class::Cjk
    } else if c.is_alphabetic() {
        Class::Letter
    } else {
        Class::Separator
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x3040..=0x30FA | 0x30FC..=0x30FF | 0x3130..=0x318F | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF
        | 0x20000..=0x2FFFF)
}

/// Letters written without their accents, as systems limited to ASCII write names: "É" as
/// "E", "Ş" as "S", "İ" (Turkish dotted capital I) as "I", "Ø" as "O", "Æ" as "AE". Only
/// alphabetic scripts: a kana's voicing mark or a Hangul syllable's parts change the letter.
fn unaccented(c: char) -> impl Iterator<Item = char> {
    let mut out: [Option<char>; 2] = [Some(c), None];
    if c.is_ascii() || class_of(c) != Class::Letter {
        return out.into_iter().flatten();
    }
    if let Some(&(_, plain)) = UNDECOMPOSED.iter().find(|(from, _)| *from == c) {
        let mut chars = plain.chars();
        out = [chars.next(), chars.next()];
        return out.into_iter().flatten();
    }
    let mut base = None;
    let mut marks_only = true;
    unicode_normalization::char::decompose_canonical(c, |d| {
        if base.is_none() {
            base = Some(d);
        } else if canonical_combining_class(d) == 0 {
            marks_only = false;
        }
    });
    if let Some(base) = base.filter(|b| marks_only && class_of(*b) == Class::Letter) {
        out[0] = Some(base);
    }
    out.into_iter().flatten()
}

/// Letters with a stroke or ligatures, which have no decomposition (upper case: text is
/// upper-cased first).
const UNDECOMPOSED: &[(char, &str)] = &[
    ('\u{00D8}', "O"),
    ('\u{0141}', "L"),
    ('\u{0110}', "D"),
    ('\u{00D0}', "D"),
    ('\u{0126}', "H"),
    ('\u{0166}', "T"),
    ('\u{00C6}', "AE"),
    ('\u{0152}', "OE"),
    ('\u{00DE}', "TH"),
];

/// Hangul vowel and final jamo compose with the syllable before them, and so do the
/// half-width (semi-)voiced sound marks of JIS X 0201 katakana (ISO_IR 13): "ﾀﾞ" is "ダ".
/// Those marks are spacing characters (combining class 0), so NFKC composes them only when
/// they are normalised together with their kana.
fn is_continuation(c: char) -> bool {
    matches!(c as u32, 0x1160..=0x11FF | 0xFF9E | 0xFF9F)
}

impl Folded {
    /// Folds a string; source units are its characters.
    pub fn from_str(text: &str) -> Folded {
        Folded::build(text.chars().enumerate().map(|(i, c)| (c, i, i + 1)))
    }

    /// Folds characters decoded from some source, each with the source units it came from.
    /// Normalisation works per segment (a starter and the marks that follow it), so every
    /// folded character maps back to whole source characters.
    pub fn build(units: impl Iterator<Item = (char, usize, usize)>) -> Folded {
        let mut folded = Folded::default();
        let mut segment: Vec<char> = Vec::new();
        let mut span = (0, 0);
        let mut last_was_lower = false;
        for (c, start, end) in units {
            let continues = canonical_combining_class(c) != 0 || is_continuation(c);
            if continues && !segment.is_empty() {
                segment.push(c);
                span.1 = end;
                continue;
            }
            folded.push_segment(&segment, span, &mut last_was_lower);
            segment.clear();
            segment.push(c);
            span = (start, end);
        }
        folded.push_segment(&segment, span, &mut last_was_lower);
        folded
    }

    fn push_segment(&mut self, segment: &[char], span: (usize, usize), last_was_lower: &mut bool) {
        let Some(&first) = segment.first() else {
            return;
        };
        let camel = *last_was_lower && first.is_uppercase();
        *last_was_lower = first.is_lowercase();
        let mut first_pushed = true;
        let alphabetic = class_of(first) == Class::Letter;
        for c in segment.iter().copied().nfkc() {
            // A mark left over after composing ("i" + combining dot above) goes with its
            // letter's accents.
            if alphabetic && !first_pushed && canonical_combining_class(c) != 0 {
                continue;
            }
            for upper in c.to_uppercase().flat_map(unaccented) {
                let class = class_of(upper);
                if class == Class::Cjk {
                    self.drop_gap_before_cjk();
                }
                self.chars.push(upper);
                self.class.push(class);
                self.camel.push(camel && first_pushed);
                self.origin.push(span);
                first_pushed = false;
            }
        }
    }

    /// Removes the separators just pushed when they sit between two CJK characters.
    fn drop_gap_before_cjk(&mut self) {
        let gap = self
            .chars
            .iter()
            .rev()
            .take_while(|c| CJK_GAP.contains(c))
            .count();
        let before = self.chars.len().checked_sub(gap + 1);
        if gap == 0 || gap > 3 || before.is_none_or(|i| self.class[i] != Class::Cjk) {
            return;
        }
        let keep = self.chars.len() - gap;
        self.chars.truncate(keep);
        self.class.truncate(keep);
        self.camel.truncate(keep);
        self.origin.truncate(keep);
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// Whether a word may start or end between `i - 1` and `i`: at the ends, next to a
    /// separator, where letters meet digits or CJK, and at a lower-to-upper case change.
    pub fn boundary(&self, i: usize) -> bool {
        if i == 0 || i >= self.chars.len() {
            return true;
        }
        let (a, b) = (self.class[i - 1], self.class[i]);
        a != b || a == Class::Separator || self.camel[i]
    }

    /// The word (run between boundaries) around [start, end).
    pub fn word_around(&self, start: usize, end: usize) -> (usize, usize) {
        let mut from = start;
        while !self.boundary(from) {
            from -= 1;
        }
        let mut to = end;
        while !self.boundary(to) {
            to += 1;
        }
        (from, to)
    }

    /// The source units covered by folded characters [start, end).
    pub fn source_range(&self, start: usize, end: usize) -> (usize, usize) {
        (self.origin[start].0, self.origin[end - 1].1)
    }

    /// The folded text as one string, and for each of its bytes the folded index it starts.
    pub fn searchable(&self) -> (String, Vec<u32>) {
        let text: String = self.chars.iter().collect();
        let mut index = vec![0u32; text.len() + 1];
        let mut at = 0;
        for (i, c) in self.chars.iter().enumerate() {
            for slot in &mut index[at..at + c.len_utf8()] {
                *slot = i as u32;
            }
            at += c.len_utf8();
        }
        index[at] = self.chars.len() as u32;
        (text, index)
    }
}

/// Folds a needle the way text is folded, as a string.
pub fn fold_needle(text: &str) -> String {
    Folded::from_str(text.trim()).chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_and_composed_fold_the_same() {
        let nfd = "Jose\u{301}";
        let nfc = "Jos\u{e9}";
        assert_eq!(fold_needle(nfd), fold_needle(nfc));
        let folded = Folded::from_str(nfd);
        assert_eq!(folded.len(), 4);
        assert_eq!(folded.source_range(3, 4), (3, 5));
    }

    #[test]
    fn accents_and_turkish_dotted_capital_i_fold_away() {
        assert_eq!(fold_needle("ÇELİK"), fold_needle("Çelik"));
        assert_eq!(fold_needle("ÇELİK"), "CELIK");
        assert_eq!(fold_needle("çeli\u{307}k"), "CELIK");
        assert_eq!(fold_needle("Şükrü Jørgensen Ærø"), "SUKRU JORGENSEN AERO");
        assert_eq!(fold_needle("Παπαδόπουλος"), "ΠΑΠΑΔΟΠΟΥΛΟΣ");
        // Kana keep their voicing marks; Hangul syllables stay whole.
        assert_eq!(fold_needle("が김"), "が김");
    }

    #[test]
    fn full_width_letters_fold_to_ascii() {
        assert_eq!(fold_needle("ＳＭＩＴＨ"), "SMITH");
    }

    #[test]
    fn camel_case_and_digits_start_words() {
        let folded = Folded::from_str("codecSmith2");
        assert!(folded.boundary(5));
        assert!(folded.boundary(10));
        assert!(!folded.boundary(3));
    }

    #[test]
    fn spaces_between_cjk_characters_are_dropped() {
        assert_eq!(fold_needle("長谷 川健太郎"), "長谷川健太郎");
        assert_eq!(fold_needle("DOE JOHN"), "DOE JOHN");
    }
}
