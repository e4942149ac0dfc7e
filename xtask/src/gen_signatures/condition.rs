//! The condition language of data/pixel-signatures.tsv: `Keyword OP value` tests (`~`
//! contains, `=` equals, `^` starts with, `==` numeric equals) joined by `&`, `|` and
//! parentheses, with `&` binding tighter.

use anyhow::{bail, ensure, Result};

use super::KEYWORDS;

/// One condition, as parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cond {
    Contains(&'static str, String),
    Equals(&'static str, String),
    StartsWith(&'static str, String),
    NumberEquals(&'static str, u32),
    All(Vec<Cond>),
    Any(Vec<Cond>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Text(String),
    Number(u32),
    Op(&'static str),
}

fn tokenize(text: &str) -> Result<Vec<Token>> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' => {
                chars.next();
            }
            '"' => {
                chars.next();
                let mut value = String::new();
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some(c) => value.push(c),
                        None => bail!("unterminated text in {text:?}"),
                    }
                }
                ensure!(!value.is_empty(), "empty text in {text:?}");
                tokens.push(Token::Text(value));
            }
            '=' => {
                chars.next();
                if chars.peek() == Some(&'=') {
                    chars.next();
                    tokens.push(Token::Op("=="));
                } else {
                    tokens.push(Token::Op("="));
                }
            }
            '~' | '^' | '&' | '|' | '(' | ')' => {
                chars.next();
                let op = match c {
                    '~' => "~",
                    '^' => "^",
                    '&' => "&",
                    '|' => "|",
                    '(' => "(",
                    _ => ")",
                };
                tokens.push(Token::Op(op));
            }
            c if c.is_ascii_digit() => {
                let mut digits = String::new();
                while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(d);
                    chars.next();
                }
                tokens.push(Token::Number(digits.parse()?));
            }
            c if c.is_ascii_alphabetic() => {
                let mut word = String::new();
                while let Some(&d) = chars.peek().filter(|d| d.is_ascii_alphanumeric()) {
                    word.push(d);
                    chars.next();
                }
                tokens.push(Token::Word(word));
            }
            other => bail!("unexpected {other:?} in {text:?}"),
        }
    }
    Ok(tokens)
}

/// Parses `Keyword OP value` tests joined by `&`, `|` and parentheses (`&` binds tighter).
pub fn parse_condition(text: &str) -> Result<Cond> {
    let tokens = tokenize(text)?;
    let mut parser = Parser { tokens, at: 0 };
    let cond = parser.or()?;
    ensure!(
        parser.at == parser.tokens.len(),
        "unexpected {:?} in {text:?}",
        parser.tokens.get(parser.at)
    );
    Ok(cond)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn eat(&mut self, op: &'static str) -> bool {
        if self.tokens.get(self.at) == Some(&Token::Op(op)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Result<Cond> {
        let mut parts = vec![self.and()?];
        while self.eat("|") {
            parts.push(self.and()?);
        }
        Ok(flatten(parts, false))
    }

    fn and(&mut self) -> Result<Cond> {
        let mut parts = vec![self.atom()?];
        while self.eat("&") {
            parts.push(self.atom()?);
        }
        Ok(flatten(parts, true))
    }

    fn atom(&mut self) -> Result<Cond> {
        if self.eat("(") {
            let inner = self.or()?;
            ensure!(self.eat(")"), "missing `)`");
            return Ok(inner);
        }
        let Some(Token::Word(word)) = self.next() else {
            bail!("expected an attribute keyword");
        };
        let Some(&(keyword, _)) = KEYWORDS.iter().find(|(k, _)| *k == word) else {
            bail!("unknown attribute keyword {word:?}");
        };
        let op = match self.next() {
            Some(Token::Op(op)) if matches!(op, "~" | "=" | "^" | "==") => op,
            other => bail!("expected ~ = ^ or == after {keyword}, found {other:?}"),
        };
        match (op, self.next()) {
            ("==", Some(Token::Number(n))) => Ok(Cond::NumberEquals(keyword, n)),
            ("~", Some(Token::Text(t))) => Ok(Cond::Contains(keyword, t)),
            ("=", Some(Token::Text(t))) => Ok(Cond::Equals(keyword, t)),
            ("^", Some(Token::Text(t))) => Ok(Cond::StartsWith(keyword, t)),
            (op, other) => bail!("{keyword} {op} needs a {}, found {other:?}", {
                if op == "==" {
                    "number"
                } else {
                    "quoted text"
                }
            }),
        }
    }
}

/// One part stays itself; nested groups of the same kind merge into one.
fn flatten(parts: Vec<Cond>, all: bool) -> Cond {
    if parts.len() == 1 {
        return parts.into_iter().next().expect("one part");
    }
    let mut out = Vec::new();
    for part in parts {
        match part {
            Cond::All(inner) if all => out.extend(inner),
            Cond::Any(inner) if !all => out.extend(inner),
            other => out.push(other),
        }
    }
    if all {
        Cond::All(out)
    } else {
        Cond::Any(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_parse_with_precedence() {
        let c = parse_condition(
            r#"Modality = "US" & (Manufacturer ~ "A" | Manufacturer ^ "B") & Rows == 600"#,
        )
        .unwrap();
        assert_eq!(
            c,
            Cond::All(vec![
                Cond::Equals("Modality", "US".into()),
                Cond::Any(vec![
                    Cond::Contains("Manufacturer", "A".into()),
                    Cond::StartsWith("Manufacturer", "B".into()),
                ]),
                Cond::NumberEquals("Rows", 600),
            ])
        );
        // `&` binds tighter than `|`.
        let c = parse_condition(r#"Rows == 1 & Columns == 2 | Rows == 3"#).unwrap();
        assert!(matches!(c, Cond::Any(ref parts) if parts.len() == 2));
    }

    #[test]
    fn bad_conditions_are_refused() {
        for bad in [
            r#"Manufacturr ~ "GE""#,
            r#"Manufacturer ~ GE"#,
            r#"Rows == "512""#,
            r#"Rows ~ 512"#,
            r#"(Rows == 1"#,
            r#"Rows == 1 &"#,
            r#"Manufacturer ~ """#,
            r#"Manufacturer ~ "GE" Rows == 1"#,
        ] {
            assert!(parse_condition(bad).is_err(), "{bad}");
        }
    }
}
