//! Normalisation, tokens and sentences: how wordings are *compared*, never how they are
//! stored.
//!
//! A [`Token`] is a span of the original text (a word, one punctuation character, or a run
//! of whitespace), so anything built from tokens can give back the original bytes. The
//! normalised form of a token ([`normalize_token_into`]) is what comparisons look at:
//!
//! * NFC, then lowercase;
//! * Arabic harakat and other marks (U+064B..U+065F, U+0670) and tatweel (U+0640) dropped;
//!   alef forms أ إ آ ٱ read as ا; Arabic-Indic and Persian digits read as ASCII digits;
//! * Russian ё read as е;
//! * quotation marks `«» „“ ”` read as `"`, and `‘ ’ ʼ` as `'`;
//! * soft hyphens and zero-width characters dropped.
//!
//! Whitespace (including U+00A0) only separates tokens, so runs of it compare equal.
//! Words keep an inner hyphen or apostrophe (`военно-политический`, `state's`); all other
//! punctuation, including the Arabic comma `،`, semicolon `؛` and question mark `؟`, is a
//! token of its own.

use std::ops::Range;

use similar::{capture_diff_slices, Algorithm, DiffOp};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// What a [`Token`] is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters, digits and marks, with inner hyphens or apostrophes.
    Word,
    /// A single punctuation or symbol character.
    Punct,
    /// A run of whitespace.
    Space,
}

/// A span of the original text; the spans of a text's tokens cover it exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What the token is made of.
    pub kind: TokenKind,
    /// Byte offset of the token's first character.
    pub start: usize,
    /// Byte offset just past the token.
    pub end: usize,
}

impl Token {
    /// The token's original text within `text`, the string it was taken from.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or_default()
    }
}

/// The tokens of `text`, in order; see [`Token`].
pub fn tokens(text: &str) -> Tokens<'_> {
    Tokens { text, pos: 0 }
}

/// Iterator returned by [`tokens`].
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    text: &'a str,
    pos: usize,
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let rest = self.text.get(self.pos..)?;
        let first = rest.chars().next()?;
        let (kind, len) = if first.is_whitespace() {
            let len = rest
                .find(|c: char| !c.is_whitespace())
                .unwrap_or(rest.len());
            (TokenKind::Space, len)
        } else if is_word_char(first) {
            (TokenKind::Word, word_len(rest))
        } else {
            (TokenKind::Punct, first.len_utf8())
        };
        let start = self.pos;
        self.pos += len;
        Some(Token {
            kind,
            start,
            end: self.pos,
        })
    }
}

#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    match c {
        // Fast paths for the scripts this tool mostly sees: all letters, digits or marks.
        'a'..='z' | 'A'..='Z' | '0'..='9' | '\u{0400}'..='\u{0481}' | '\u{0483}'..='\u{052F}' => {
            true
        }
        '\u{0620}'..='\u{0669}' | '\u{066E}'..='\u{06D3}' | '\u{06D5}'..='\u{06DC}' => true,
        c if c.is_ascii() => false,
        '\u{00AD}' | '\u{200C}' | '\u{200D}' => true,
        c => c.is_alphanumeric() || is_combining_mark(c),
    }
}

/// Characters kept inside a word when letters stand on both sides.
#[inline]
pub(crate) fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '\u{2019}' | '\u{2011}')
}

/// Length in bytes of the word at the start of `s` (which starts with a word character).
fn word_len(s: &str) -> usize {
    let mut chars = s.char_indices().peekable();
    let mut end = 0;
    while let Some((i, c)) = chars.next() {
        if is_word_char(c) {
            end = i + c.len_utf8();
        } else if !(is_joiner(c)
            && end == i
            && chars.peek().is_some_and(|&(_, next)| is_word_char(next)))
        {
            break;
        }
    }
    end
}

/// Writes the normalised form of one token (no whitespace inside) to `out`, replacing its
/// contents. With `strict`, the token is copied as it is.
pub fn normalize_token_into(token: &str, strict: bool, out: &mut String) {
    out.clear();
    if strict {
        out.push_str(token);
    } else if token.is_ascii() {
        out.push_str(token);
        out.make_ascii_lowercase();
    } else if token.chars().all(is_stable_under_nfc)
        || is_nfc_quick(token.chars()) == IsNormalized::Yes
    {
        token.chars().for_each(|c| push_folded(c, out));
    } else {
        token.nfc().for_each(|c| push_folded(c, out));
    }
}

fn push_folded(c: char, out: &mut String) {
    match u32::from(c) {
        0x064B..=0x065F | 0x0670 | 0x0640 | 0x00AD | 0x200B..=0x200D | 0x2060 | 0xFEFF => {}
        0x0622 | 0x0623 | 0x0625 | 0x0671 => out.push('\u{0627}'),
        d @ 0x0660..=0x0669 => out.push(ascii_digit(d - 0x0660)),
        d @ 0x06F0..=0x06F9 => out.push(ascii_digit(d - 0x06F0)),
        _ => match c {
            'ё' | 'Ё' => out.push('е'),
            'А'..='Я' => out.push(char::from_u32(u32::from(c) + 0x20).unwrap_or(c)),
            'а'..='я' | '\u{0600}'..='\u{06FF}' => out.push(c),
            '«' | '»' | '„' | '“' | '”' | '‟' => out.push('"'),
            '‘' | '’' | 'ʼ' => out.push('\''),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        },
    }
}

/// Characters that NFC leaves alone wherever they stand, or that [`push_folded`] drops
/// anyway: a cheap pre-check that spares the general NFC test for Cyrillic and Arabic.
fn is_stable_under_nfc(c: char) -> bool {
    // Not U+0653..U+0655 (madda, hamza above and below): NFC composes them with letters.
    matches!(c, '\0'..='\u{7F}' | '\u{0400}'..='\u{0482}' | '\u{048A}'..='\u{04FF}')
        || matches!(c, '\u{0600}'..='\u{0652}' | '\u{0656}'..='\u{06FF}')
}

fn ascii_digit(d: u32) -> char {
    char::from_digit(d, 10).unwrap_or('0')
}

/// The normalised form of a whole text: its tokens normalised and joined by single spaces,
/// so `"Hello,world"` and `"hello ,  world"` both give `"hello , world"`. With `strict`,
/// the text is returned unchanged.
pub fn normalize(text: &str, strict: bool) -> String {
    if strict {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut scratch = String::new();
    for token in tokens(text).filter(|t| t.kind != TokenKind::Space) {
        normalize_token_into(token.text(text), false, &mut scratch);
        if scratch.is_empty() {
            continue; // a token that normalises away (a soft hyphen) leaves no trace
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&scratch);
    }
    out
}

/// The normalised words of `text` (punctuation left out), for [`word_ratio`].
pub fn word_keys(text: &str, strict: bool) -> Vec<String> {
    let mut scratch = String::new();
    tokens(text)
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| {
            normalize_token_into(t.text(text), strict, &mut scratch);
            scratch.clone()
        })
        .collect()
}

/// How alike two texts are, from 0 to 1: the word-level diff ratio
/// `2 × words in common / (words in a + words in b)`, over normalised words in order
/// (punctuation ignored; the common words are those a word diff keeps). Two texts
/// without words are alike (1).
pub fn similarity(a: &str, b: &str) -> f64 {
    word_ratio(&word_keys(a, false), &word_keys(b, false))
}

/// [`similarity`] of two lists of word keys from [`word_keys`].
pub fn word_ratio(a: &[String], b: &[String]) -> f64 {
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    let common: usize = capture_diff_slices(Algorithm::Myers, a, b)
        .iter()
        .map(|op| match op {
            DiffOp::Equal { len, .. } => *len,
            _ => 0,
        })
        .sum();
    (2 * common) as f64 / total as f64
}

/// Finds where sentences end, token by token. A sentence ends at whitespace that follows
/// `.`, `!`, `?`, `؟`, `…` or `。` (closing quotes and brackets may stand between), and at
/// a blank line. A lone number followed by `.` (`1.` in a list) does not end a sentence.
#[derive(Debug, Default)]
pub(crate) struct SentenceBreaker {
    after_terminal: bool,
    words: usize,
    lone_number: bool,
}

impl SentenceBreaker {
    /// Feeds the next token; true when a sentence ends just after it.
    pub(crate) fn feed(&mut self, kind: TokenKind, text: &str) -> bool {
        match kind {
            TokenKind::Space => {
                let ends = self.after_terminal && !(self.words == 1 && self.lone_number)
                    || is_paragraph_break(text);
                if ends {
                    *self = SentenceBreaker::default();
                }
                ends
            }
            TokenKind::Word => {
                self.after_terminal = false;
                self.words += 1;
                self.lone_number = text.bytes().all(|b| b.is_ascii_digit());
                false
            }
            TokenKind::Punct => {
                let closing = matches!(text, "\"" | "'" | "»" | "”" | "’" | ")" | "]");
                self.after_terminal = matches!(text, "." | "!" | "?" | "؟" | "…" | "。")
                    || (closing && self.after_terminal);
                false
            }
        }
    }
}

fn is_paragraph_break(space: &str) -> bool {
    space.matches('\n').nth(1).is_some() || space.contains('\u{2029}')
}

/// The sentences of `text` as byte ranges, without surrounding whitespace. A sentence ends
/// at whitespace after `.`, `!`, `?`, `؟`, `…` or `。` (closing quotes and brackets may
/// stand between), and at a blank line; `1.` alone (a list number) does not end one. Texts
/// that are only whitespace have none.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut breaker = SentenceBreaker::default();
    let mut current: Option<Range<usize>> = None;
    for token in tokens(text) {
        let ends = breaker.feed(token.kind, token.text(text));
        if token.kind != TokenKind::Space {
            current = Some(match current {
                Some(range) => range.start..token.end,
                None => token.start..token.end,
            });
        }
        if ends {
            out.extend(current.take());
        }
    }
    out.extend(current);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_arabic_russian_and_case() {
        assert_eq!(normalize("أَمْنٌ", false), normalize("امن", false));
        assert_eq!(normalize("إتفاقـية", false), "اتفاقية");
        assert_eq!(normalize("٢٠٣٠ ۲۰۳۰", false), "2030 2030");
        assert_eq!(normalize("Ёлка  ЕЛКА", false), "елка елка");
        assert_eq!(normalize("«Hi»,\u{a0}there", false), "\" hi \" , there");
        assert_eq!(normalize("e\u{301}", false), "\u{e9}");
        assert_eq!(normalize("Ёлка", true), "Ёлка");
    }

    #[test]
    fn tokens_cover_text() {
        let text = "Военно-политический  курс،\u{a0}state's (2030)؟";
        let toks: Vec<_> = tokens(text).collect();
        let rebuilt: String = toks.iter().map(|t| t.text(text)).collect();
        assert_eq!(rebuilt, text);
        let words: Vec<_> = toks
            .iter()
            .filter(|t| t.kind == TokenKind::Word)
            .map(|t| t.text(text))
            .collect();
        assert_eq!(words, ["Военно-политический", "курс", "state's", "2030"]);
    }

    #[test]
    fn splits_sentences() {
        let text = "First one. «Second!» Third؟ 1. item\n\nNew paragraph 3.5 more… end";
        let got: Vec<_> = sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            got,
            [
                "First one.",
                "«Second!»",
                "Third؟",
                "1. item",
                "New paragraph 3.5 more…",
                "end"
            ]
        );
        assert!(sentences(" \n ").is_empty());
    }

    #[test]
    fn similarity_is_a_ratio() {
        assert_eq!(similarity("", ""), 1.0);
        assert_eq!(similarity("a b c d", "a b c d."), 1.0);
        assert_eq!(similarity("a b c d", "a x c d"), 0.75);
        assert_eq!(similarity("a b", "c d"), 0.0);
    }
}
