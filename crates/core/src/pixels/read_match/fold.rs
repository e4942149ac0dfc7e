//! Comparing what OCR read with what the header says: look-alike characters folded together,
//! words, and approximate matching (edit distance).

/// The letters and digits a reader confuses at small sizes, folded to one of each pair
/// (O/Q/0, I/L/1, S/5, B/8, Z/2, G/6), upper case; other characters unchanged.
pub fn fold(word: &str) -> String {
    word.chars()
        .flat_map(char::to_uppercase)
        .map(|c| match c {
            'O' | 'Q' => '0',
            'I' | 'L' | '|' => '1',
            'S' => '5',
            'B' => '8',
            'Z' => '2',
            'G' => '6',
            c => c,
        })
        .collect()
}

/// The runs of letters and digits of `text`, in order.
pub fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Levenshtein distance between two strings, by characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb))
                .min(above + 1)
                .min(row[j] + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

/// `pattern` occurs in `text` with at most `k` edits (insertions, deletions, substitutions):
/// the smallest edit distance between `pattern` and any substring of `text` (Sellers, 1980).
pub fn approx_contains(text: &str, pattern: &str, k: usize) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    if p.is_empty() {
        return true;
    }
    // column[i]: the best distance of pattern[..i] ending at the current text position.
    let mut column: Vec<usize> = (0..=p.len()).collect();
    if column[p.len()] <= k {
        return true;
    }
    for c in text.chars() {
        let mut diagonal = column[0];
        // A match may start anywhere in the text: the empty prefix costs nothing.
        column[0] = 0;
        for i in 0..p.len() {
            let above = column[i + 1];
            column[i + 1] = (diagonal + usize::from(p[i] != c))
                .min(above + 1)
                .min(column[i] + 1);
            diagonal = above;
        }
        if column[p.len()] <= k {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alikes_fold_together() {
        assert_eq!(fold("MRN0012345"), fold("MRNOO1234S"));
        assert_eq!(fold("doe"), "D0E");
        assert_ne!(fold("DOE"), fold("DAE"));
    }

    #[test]
    fn distances_and_approximate_substrings() {
        assert_eq!(edit_distance("KITTEN", "SITTING"), 3);
        assert_eq!(edit_distance("", "AB"), 2);
        assert!(approx_contains("NAMEACHTERBERGMATEO", "ACHTERBERG", 0));
        assert!(approx_contains("NAMEACHTERBEROMATEO", "ACHTERBERG", 1));
        assert!(!approx_contains("NAMEACHTEBEROMATEO", "ACHTERBERG", 1));
        assert!(approx_contains("X", "", 0));
        assert!(!approx_contains("", "AB", 1));
    }
}
