//! Recognition helpers that need no model: the dictionary and CTC greedy decoding.

use crate::OcrError;

/// The recogniser's character list: class 0 is the CTC blank, classes 1..=n the dictionary's
/// lines in order and, when the model has one more class, a final space (PaddleOCR's
/// `use_space_char`).
#[derive(Clone, Debug)]
pub(crate) struct Dictionary {
    symbols: Vec<String>,
    /// Per symbol, its Latin-script reading (fullwidth forms folded to ASCII) or None for a
    /// symbol of another script; see [`latin_form`].
    latin: Vec<Option<String>>,
}

/// The symbol as Latin-script text, if it is one. The multilingual PP-OCR dictionaries hold
/// CJK punctuation that looks like ASCII ("，" for ",", "：" for ":"): those fold to ASCII,
/// which is what a DICOM overlay holds. Everything outside Basic Latin, Latin-1 and the
/// Latin Extended blocks is not Latin.
fn latin_form(symbol: &str) -> Option<String> {
    symbol
        .chars()
        .map(|c| match c as u32 {
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0),
            0x3000 => Some(' '),
            0x20..=0x7E | 0xA0..=0x24F | 0x1E00..=0x1EFF => Some(c),
            _ => None,
        })
        .collect()
}

impl Dictionary {
    pub(crate) fn parse(text: &str) -> Result<Dictionary, OcrError> {
        let mut symbols: Vec<String> = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
            .collect();
        // A trailing newline leaves an empty last line that is not a symbol.
        if symbols.last().is_some_and(|s| s.is_empty()) {
            symbols.pop();
        }
        if symbols.is_empty() {
            return Err(OcrError::Dictionary {
                message: "the dictionary is empty".into(),
            });
        }
        // An empty line would shift every later class by one and read as nothing: the text
        // is not a dictionary (or was mangled), so refuse it.
        if let Some(i) = symbols.iter().position(String::is_empty) {
            return Err(OcrError::Dictionary {
                message: format!("line {} is empty", i + 1),
            });
        }
        let latin = symbols.iter().map(|s| latin_form(s)).collect();
        Ok(Dictionary { symbols, latin })
    }

    /// Checks the model's class count and adds the space class when the model has one.
    pub(crate) fn fit_to(mut self, classes: usize) -> Result<Dictionary, OcrError> {
        let n = self.symbols.len();
        if classes == n + 2 {
            self.symbols.push(" ".into());
            self.latin.push(Some(" ".into()));
        } else if classes != n + 1 {
            return Err(OcrError::Dictionary {
                message: format!(
                    "the model has {classes} classes, the dictionary {n} symbols (expected {} or {})",
                    n + 1,
                    n + 2
                ),
            });
        }
        Ok(self)
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.symbols.len()
    }

    /// The symbol of class `c` (1-based; 0 is the blank), in Latin form when `latin`.
    fn symbol(&self, c: usize, latin: bool) -> Option<&str> {
        let i = c.checked_sub(1)?;
        if latin {
            self.latin.get(i)?.as_deref()
        } else {
            self.symbols.get(i).map(String::as_str)
        }
    }

    /// Whether class `c` may be emitted: the blank always, others when not restricted to
    /// Latin or when Latin.
    fn allowed(&self, c: usize, latin: bool) -> bool {
        c == 0 || !latin || self.symbol(c, true).is_some()
    }
}

/// One decoded symbol: its text, probability and the range of time steps it covered.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct DecodedSymbol {
    pub text: String,
    pub prob: f32,
    pub first_step: usize,
    pub last_step: usize,
}

/// Greedy CTC decoding of one line: arg-max per time step, repeats merged, blanks dropped.
/// `probs` is `steps` rows of `classes` softmax outputs. With `latin`, the arg-max runs over
/// the blank and the Latin symbols only, so that a CJK look-alike yields to the best Latin
/// reading, and fullwidth forms come out as ASCII.
pub(crate) fn ctc_greedy(
    probs: &[f32],
    steps: usize,
    classes: usize,
    dict: &Dictionary,
    latin: bool,
) -> Vec<DecodedSymbol> {
    let mut out: Vec<DecodedSymbol> = Vec::new();
    let mut prev = 0usize;
    for t in 0..steps {
        let Some(row) = probs.get(t * classes..(t + 1) * classes) else {
            break;
        };
        let (best, p) =
            row.iter()
                .copied()
                .enumerate()
                .fold((0usize, f32::NEG_INFINITY), |acc, (i, v)| {
                    if v > acc.1 && dict.allowed(i, latin) {
                        (i, v)
                    } else {
                        acc
                    }
                });
        if best != 0 && best == prev {
            if let Some(last) = out.last_mut() {
                last.last_step = t;
                // The symbol's confidence is its best step, so a symbol spread over several
                // steps is not penalised for its fading edges.
                last.prob = last.prob.max(p);
            }
        } else if best != 0
            && let Some(s) = dict.symbol(best, latin)
        {
            out.push(DecodedSymbol {
                text: s.to_string(),
                prob: p,
                first_step: t,
                last_step: t,
            });
        }
        prev = best;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn onehot(seq: &[usize], classes: usize) -> Vec<f32> {
        let mut v = vec![0.0; seq.len() * classes];
        for (t, &c) in seq.iter().enumerate() {
            v[t * classes + c] = 0.9;
        }
        v
    }

    #[test]
    fn dictionary_fits_with_and_without_space() {
        let d = Dictionary::parse("a\r\nb\nc\n").unwrap();
        assert_eq!(d.len(), 3);
        assert_eq!(d.clone().fit_to(5).unwrap().len(), 4);
        assert_eq!(d.clone().fit_to(4).unwrap().len(), 3);
        assert!(matches!(d.fit_to(9), Err(OcrError::Dictionary { .. })));
        assert!(Dictionary::parse("").is_err());
        assert!(Dictionary::parse("\n").is_err());
    }

    #[test]
    fn ctc_merges_repeats_and_drops_blanks() {
        let d = Dictionary::parse("a\nb\n").unwrap().fit_to(4).unwrap();
        // a a _ a b b _ space
        let probs = onehot(&[1, 1, 0, 1, 2, 2, 0, 3], 4);
        let s: String = ctc_greedy(&probs, 8, 4, &d, false)
            .iter()
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(s, "aab ");
        // Short buffers are read as far as they go.
        assert_eq!(ctc_greedy(&probs[..5], 8, 4, &d, false).len(), 1);
    }

    #[test]
    fn latin_mode_folds_fullwidth_and_skips_other_scripts() {
        let d = Dictionary::parse("，\n中\nb\n").unwrap().fit_to(4).unwrap();
        let mut probs = onehot(&[1, 0, 2, 0, 3], 4);
        // At step 2 the CJK character wins, with "b" second.
        probs[2 * 4 + 3] = 0.5;
        let read = |latin| -> String {
            ctc_greedy(&probs, 5, 4, &d, latin)
                .iter()
                .map(|s| s.text.as_str())
                .collect()
        };
        assert_eq!(read(false), "，中b");
        assert_eq!(read(true), ",bb");
    }
}
