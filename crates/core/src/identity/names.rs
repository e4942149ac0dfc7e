//! Deciding, by context, whether an occurrence of a name part in text is the name.
//!
//! - A part of 3 or more letters as a whole word is the name ("CT head for John Doe").
//! - Glued to other letters ("REVIEWSMITHJOHN", "SMITHFOLLOWUP", "CODECSMITH"), it is the name
//!   when what it is glued to is made of words of their own: other name parts, the glue words
//!   of `words.rs`, or (for parts of 5 letters or more) a run of 4 letters or more. So
//!   "JOHNSON" and "DOES" (another name, a plural) are not "JOHN" and "DOE".
//! - A short part (1 or 2 letters: "Xu", "Li", "Ng", "O") is the name only as a whole word
//!   right next to another part of the same person's name, or to a label ("Mr", "Patient:");
//!   glued to another part it is found as the full name ("LIWEI"). "LI" in "CLINIC" is not.
//! - CJK scripts have no spaces between words: a part of 3 characters or more, or the full
//!   name (parts together in either order, spaces anywhere), is the name wherever it is; a
//!   part of 1 or 2 characters needs a label ("患者", "様") or the rest of the name.

use super::fold::{Class, Folded};
use super::words::{is_glue_word, is_title, LABELS_AFTER, LABELS_BEFORE, PREFIXES, SUFFIXES};
use std::collections::HashMap;

/// Longest glued word analysed; longer letter runs are codes or encoded data, not words.
pub const MAX_GLUED_WORD: usize = 48;
/// Longest glue word, in characters.
const MAX_GLUE_WORD: usize = 12;
/// Shortest name part that is a name on its own as a whole word.
pub const SHORT_PART: usize = 3;
/// Shortest name part whose glued remainder needs no dictionary: 4 letters or more glued to
/// it are read as another word ("CODECSMITH" even without "CODEC" in the list).
const SPECIFIC_PART: usize = 5;
/// Separators between the parts of one written name.
const NAME_GAP: &[char] = &[' ', '^', ',', '.', '-', '\'', '_', ':', '='];

/// A raw occurrence of a name needle.
#[derive(Debug, Clone, Copy)]
pub struct NameOccurrence {
    pub start: usize,
    pub end: usize,
    pub person: u16,
    pub needle: usize,
    pub full_name: bool,
}

/// All raw name occurrences of one text, indexed by where they start and end.
pub struct NameIndex<'o> {
    occurrences: &'o [NameOccurrence],
    /// (person, first letter, needle) of every name part: "J" + "SMITH" is John Smith's
    /// user name.
    initials: Vec<(u16, char, usize)>,
    by_start: HashMap<usize, Vec<usize>>,
    by_end: HashMap<usize, Vec<usize>>,
}

impl<'o> NameIndex<'o> {
    pub fn new(
        occurrences: &'o [NameOccurrence],
        initials: Vec<(u16, char, usize)>,
    ) -> NameIndex<'o> {
        let mut by_start: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut by_end: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, o) in occurrences.iter().enumerate() {
            by_start.entry(o.start).or_default().push(i);
            by_end.entry(o.end).or_default().push(i);
        }
        NameIndex {
            occurrences,
            initials,
            by_start,
            by_end,
        }
    }

    /// Whether the occurrence is the name, by the rules above.
    pub fn accept(&self, folded: &Folded, o: &NameOccurrence) -> bool {
        let len = o.end - o.start;
        let cjk = folded.class[o.start..o.end]
            .iter()
            .all(|c| *c == Class::Cjk);
        if cjk {
            return len >= SHORT_PART
                || o.full_name
                || self.next_to_label(folded, o)
                || self.next_to_part(folded, o);
        }
        let short = len < SHORT_PART && !o.full_name;
        if folded.boundary(o.start) && folded.boundary(o.end) {
            return !short || self.next_to_part(folded, o) || self.next_to_label(folded, o);
        }
        !short && self.glued_words_around(folded, o)
    }

    fn whole(&self, folded: &Folded, o: &NameOccurrence) -> bool {
        folded.boundary(o.start) && folded.boundary(o.end)
    }

    /// Another part of the same person's name, as a whole word, right before or after.
    fn next_to_part(&self, folded: &Folded, o: &NameOccurrence) -> bool {
        let after = skip_forward(folded, o.end, NAME_GAP);
        let before = skip_backward(folded, o.start, NAME_GAP);
        let is_other_part = |i: &usize| {
            let other = &self.occurrences[*i];
            other.person == o.person && other.needle != o.needle && self.whole(folded, other)
        };
        self.by_start
            .get(&after)
            .is_some_and(|list| list.iter().any(is_other_part))
            || self
                .by_end
                .get(&before)
                .is_some_and(|list| list.iter().any(is_other_part))
    }

    fn next_to_label(&self, folded: &Folded, o: &NameOccurrence) -> bool {
        let before = skip_backward(folded, o.start, NAME_GAP);
        let after = skip_forward(folded, o.end, NAME_GAP);
        LABELS_BEFORE.iter().any(|label| {
            let n = label.chars().count();
            before >= n && is_label_at(folded, before - n, label)
        }) || LABELS_AFTER
            .iter()
            .any(|label| is_label_at(folded, after, label))
    }

    /// The glued-name rule: on each side, what the part is glued to is a word of its own.
    fn glued_words_around(&self, folded: &Folded, o: &NameOccurrence) -> bool {
        let (from, to) = folded.word_around(o.start, o.end);
        if to - from > MAX_GLUED_WORD {
            return false;
        }
        // A part of 3 or 4 letters glued to a short word is too often an ordinary word
        // ("PAT" + "ELLA"): only titles and longer glue words set it apart.
        let strict = o.end - o.start < SPECIFIC_PART;
        let pieces = self.pieces(folded, from, to, strict);
        let forward = reach(from, to, &pieces, false);
        let backward = reach(from, to, &pieces, true);
        let next_to_name = |at: usize, list: &HashMap<usize, Vec<usize>>| {
            list.get(&at).is_some_and(|l| {
                l.iter()
                    .any(|&i| self.is_piece(&self.occurrences[i], Some(o), from, to))
            })
        };
        let side = |edge: bool, reached: bool, beside_name: bool, rest: (usize, usize), affixes| {
            if edge {
                Glue::Edge
            } else if reached || beside_name {
                Glue::Words
            } else if strict {
                Glue::Unknown
            } else {
                // Another part's initial, before the part ("JSMITH"); after it, an "S" is
                // more often a plural than an initial.
                let initial = |c: char| {
                    affixes == PREFIXES
                        && self.initials.iter().any(|&(person, i, needle)| {
                            person == o.person && i == c && needle != o.needle
                        })
                };
                glued_letters(folded, rest.0, rest.1, affixes, initial)
            }
        };
        let left = side(
            o.start == from,
            forward[o.start - from],
            next_to_name(o.start, &self.by_end),
            (from, o.start),
            PREFIXES,
        );
        let right = side(
            o.end == to,
            backward[o.end - from],
            next_to_name(o.end, &self.by_start),
            (o.end, to),
            SUFFIXES,
        );
        // A short abbreviation ("SEG", "FSE") is a word of its own only when the other side
        // is one too: digits, a case change, other identifying values or glue words
        // ("SEGOKAFOR01", "FSEPETROVIVAN"); at a plain word edge it may be an ordinary word's
        // first or last letters ("GUNSMITH", "MARTINIS").
        let firm = |glue: Glue, at: usize| match glue {
            Glue::Edge => folded.class.get(at).is_some_and(|c| *c != Class::Separator),
            Glue::Words | Glue::Code => true,
            _ => false,
        };
        match (left, right) {
            (Glue::Unknown, _) | (_, Glue::Unknown) => false,
            (Glue::Abbreviation, other) => firm(other, o.end),
            (other, Glue::Abbreviation) => firm(other, o.start.wrapping_sub(1)),
            _ => true,
        }
    }

    /// Whether another name occurrence is a word of its own inside the glued word [from, to):
    /// a part long enough or a full name, other than the occurrence [start, end) itself.
    fn is_piece(
        &self,
        other: &NameOccurrence,
        except: Option<&NameOccurrence>,
        from: usize,
        to: usize,
    ) -> bool {
        except.is_none_or(|o| (other.start, other.end) != (o.start, o.end))
            && other.start >= from
            && other.end <= to
            && (other.end - other.start >= SHORT_PART || other.full_name)
    }

    /// Pieces [start, end) of the word that are words of their own: long name parts, full
    /// names, glue words (with `strict`, only titles and glue words of 4 letters or more).
    fn pieces(&self, folded: &Folded, from: usize, to: usize, strict: bool) -> Vec<(usize, usize)> {
        let mut pieces = Vec::new();
        for at in from..to {
            for &i in self.by_start.get(&at).into_iter().flatten() {
                let other = &self.occurrences[i];
                if self.is_piece(other, None, from, to) {
                    pieces.push((other.start, other.end));
                }
            }
            let mut word = String::new();
            for end in at + 1..=to.min(at + MAX_GLUE_WORD) {
                word.push(folded.chars[end - 1]);
                let long_enough = end - at >= 4 || is_title(&word);
                // A short glue word that is also an affix ("RE", "FOR") may be a part of
                // another word: it is weighed by `glued_letters` instead.
                let affix = end - at < 4
                    && (PREFIXES.contains(&word.as_str()) || SUFFIXES.contains(&word.as_str()));
                if end - at >= 2 && is_glue_word(&word) && !affix && (!strict || long_enough) {
                    pieces.push((at, end));
                }
            }
        }
        pieces
    }
}

/// What a name part is glued to on one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Glue {
    /// Nothing: the part starts or ends the word.
    Edge,
    /// Other identifying values and glue words.
    Words,
    /// 4 letters or more, not a suffix or prefix of word formation ("CODEC" in "CODECSMITH").
    Word,
    /// 2 or 3 letters that are not a prefix or suffix of word formation ("SEG", "FSE", "QA").
    Abbreviation,
    /// 1 to 3 letters between digits and the name: the end of a code ("T2W" + name).
    Code,
    /// One letter, or letters that turn the name into another word or another name
    /// ("SMITHS", "PETROVA", "RE"+"WARD", "MC"+"DONALD", "COOPER"+"ATION").
    Unknown,
}

/// What letters [start, end), glued to a name part of 5 letters or more, are. A single
/// letter is part of a code when digits stand on its other side ("T2W" + name), and the
/// initial of another part of the name when it stands before it ("JSMITH": user names).
fn glued_letters(
    folded: &Folded,
    start: usize,
    end: usize,
    affixes: &[&str],
    is_initial: impl Fn(char) -> bool,
) -> Glue {
    let letters: String = folded.chars[start..end].iter().collect();
    let digit_at = |i: Option<usize>| {
        i.and_then(|i| folded.class.get(i))
            .is_some_and(|c| *c == Class::Digit)
    };
    let in_code = digit_at(start.checked_sub(1)) || digit_at(Some(end));
    match end - start {
        1..=3 if in_code => Glue::Code,
        1 if is_initial(folded.chars[start]) => Glue::Words,
        _ if affixes.contains(&letters.as_str()) => Glue::Unknown,
        0 | 1 => Glue::Unknown,
        2 | 3 => Glue::Abbreviation,
        _ => Glue::Word,
    }
}

/// Which positions of [from, to] can be reached from `from` (or, backwards, from `to`) by
/// stepping over whole pieces. Index 0 is `from`.
fn reach(from: usize, to: usize, pieces: &[(usize, usize)], backwards: bool) -> Vec<bool> {
    let mut reached = vec![false; to - from + 1];
    if backwards {
        reached[to - from] = true;
        for at in (from..=to).rev() {
            if reached[at - from] {
                for &(start, end) in pieces.iter().filter(|p| p.1 == at) {
                    debug_assert!(start >= from && end <= to);
                    reached[start - from] = true;
                }
            }
        }
    } else {
        reached[0] = true;
        for at in from..=to {
            if reached[at - from] {
                for &(_, end) in pieces.iter().filter(|p| p.0 == at) {
                    reached[end - from] = true;
                }
            }
        }
    }
    reached
}

fn is_label_at(folded: &Folded, at: usize, label: &str) -> bool {
    let n = label.chars().count();
    let Some(chars) = folded.chars.get(at..at + n) else {
        return false;
    };
    if !chars.iter().copied().eq(label.chars()) {
        return false;
    }
    // A Latin label is a whole word; CJK labels sit against the name.
    let cjk = folded.class[at] == Class::Cjk;
    cjk || (folded.boundary(at) && folded.boundary(at + n))
}

/// Past up to 3 separators from `at`.
fn skip_forward(folded: &Folded, mut at: usize, gap: &[char]) -> usize {
    let limit = at + 3;
    while at < folded.len() && at < limit && gap.contains(&folded.chars[at]) {
        at += 1;
    }
    at
}

fn skip_backward(folded: &Folded, mut at: usize, gap: &[char]) -> usize {
    let limit = at.saturating_sub(3);
    while at > limit && gap.contains(&folded.chars[at - 1]) {
        at -= 1;
    }
    at
}
