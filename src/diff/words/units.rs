//! Cutting a changed region into units (a token with the whitespace before it) and
//! sentences, with interned ids; the common start and end of two regions; word counts.

use std::collections::HashMap;
use std::ops::Range;

use super::FxBuild;
use crate::diff::normalize::{
    is_joiner, is_word_char, normalize_token_into, tokens, SentenceBreaker, TokenKind,
};

/// Length of the longest common start of `a` and `b` that ends where a run of whitespace
/// starts (so the whitespace goes with the word after it, as in units).
pub(super) fn common_head(a: &str, b: &str) -> usize {
    let n = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let mut end = n.min(a.len());
    while !a.is_char_boundary(end) {
        end -= 1;
    }
    a.get(..end)
        .unwrap_or_default()
        .trim_end_matches(|c: char| !c.is_whitespace())
        .trim_end()
        .len()
}

/// Length of the longest common end of `a` and `b` that starts where a run of whitespace
/// starts in both.
pub(super) fn common_tail(a: &str, b: &str) -> usize {
    let n = a
        .bytes()
        .rev()
        .zip(b.bytes().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let mut start = a.len() - n.min(a.len());
    while !a.is_char_boundary(start) {
        start += 1;
    }
    let common = a.get(start..).unwrap_or_default();
    let space_before = |text: &str, at: usize| {
        text.get(..at)
            .and_then(|t| t.chars().next_back())
            .is_some_and(char::is_whitespace)
    };
    let mut after_space =
        space_before(a, start) || space_before(b, b.len().saturating_sub(common.len()));
    for (i, c) in common.char_indices() {
        let space = c.is_whitespace();
        if space && !after_space {
            return common.len() - i;
        }
        after_space = space;
    }
    0
}

/// How many [`TokenKind::Word`] tokens `text` has, without making the tokens.
pub(super) fn count_words(text: &str) -> usize {
    let (mut count, mut in_word, mut after_joiner) = (0, false, false);
    for c in text.chars() {
        if is_word_char(c) {
            count += usize::from(!in_word && !after_joiner);
            in_word = true;
            after_joiner = false;
        } else {
            after_joiner = in_word && is_joiner(c);
            in_word = false;
        }
    }
    count
}

/// A word or punctuation token with the whitespace before it (the last unit of a region
/// also takes the whitespace after it); offsets are in the whole text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Unit {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) is_word: bool,
}

/// A region of one text cut into units, with their ids and sentence boundaries.
pub(super) struct Side {
    pub(super) units: Vec<Unit>,
    pub(super) ids: Vec<u32>,
    /// Index of each sentence's first unit, then the number of units.
    pub(super) sentence_starts: Vec<usize>,
}

impl Side {
    /// Cuts `text[region]` into units.
    pub(super) fn new(
        text: &str,
        region: Range<usize>,
        strict: bool,
        interner: &mut Interner,
    ) -> Side {
        let base = region.start;
        let part = text.get(region).unwrap_or_default();
        let mut units: Vec<Unit> = Vec::with_capacity(part.len() / 5);
        let mut sentence_starts = vec![0];
        let mut breaker = SentenceBreaker::default();
        // A word hyphenated at a line end (`co-` `\n` `operation`) is one unit unless
        // strict: how far such a break has been seen (a word, its hyphen, the line end).
        let mut broken = 0u8;
        for token in tokens(part) {
            let ends_sentence = breaker.feed(token.kind, token.text(part));
            let piece = token.text(part);
            let joined = !strict && broken == 3 && token.kind == TokenKind::Word;
            broken = match token.kind {
                TokenKind::Word => 1,
                TokenKind::Punct if broken == 1 && matches!(piece, "-" | "\u{2010}" | "\u{ad}") => {
                    2
                }
                TokenKind::Space if broken == 2 && piece.matches('\n').count() == 1 => 3,
                _ => 0,
            };
            if joined {
                units.pop();
                if let Some(word) = units.last_mut() {
                    word.end = base + token.end;
                }
                while sentence_starts.len() > 1 && sentence_starts.last() >= Some(&units.len()) {
                    sentence_starts.pop();
                }
                broken = 0;
                continue;
            }
            if token.kind != TokenKind::Space {
                units.push(Unit {
                    // From the end of the previous unit: the whitespace before it.
                    start: units.last().map_or(base, |u| u.end),
                    end: base + token.end,
                    is_word: token.kind == TokenKind::Word,
                });
            }
            if ends_sentence && sentence_starts.last().is_some_and(|&s| s < units.len()) {
                sentence_starts.push(units.len());
            }
        }
        match units.last_mut() {
            // Whitespace at the end joins the last unit.
            Some(last) => last.end = base + part.len(),
            // Only whitespace: one unit, so that it is not lost.
            None if !part.is_empty() => units.push(Unit {
                start: base,
                end: base + part.len(),
                is_word: false,
            }),
            None => {}
        }
        if sentence_starts.last().is_some_and(|&s| s < units.len()) {
            sentence_starts.push(units.len());
        }
        let ids = units
            .iter()
            .map(|unit| {
                let span = text.get(unit.start..unit.end).unwrap_or_default();
                if strict {
                    return interner.id(span, strict);
                }
                let word = span.trim();
                if unit.is_word && word.contains(['-', '\u{2010}', '\u{2011}', '\u{ad}']) {
                    // `co-operation`, `co-⏎operation` and `cooperation` are one word.
                    let bare: String = word
                        .chars()
                        .filter(|&c| {
                            !matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{ad}')
                                && !c.is_whitespace()
                        })
                        .collect();
                    return interner.id(&bare, strict);
                }
                interner.id(word, strict)
            })
            .collect();
        Side {
            units,
            ids,
            sentence_starts,
        }
    }

    pub(super) fn sentence_ids<'a>(
        &'a self,
        table: &mut HashMap<&'a [u32], u32, FxBuild>,
    ) -> Vec<u32> {
        self.sentence_starts
            .windows(2)
            .map(|w| {
                let next = table.len() as u32;
                *table
                    .entry(self.ids.get(w[0]..w[1]).unwrap_or_default())
                    .or_insert(next)
            })
            .collect()
    }

    /// The units of a range of sentences.
    pub(super) fn units_of(&self, sentences: Range<usize>) -> Range<usize> {
        let at = |i: usize| {
            self.sentence_starts
                .get(i)
                .copied()
                .unwrap_or(self.units.len())
        };
        at(sentences.start)..at(sentences.end)
    }

    /// The bytes of a non-empty range of units.
    pub(super) fn bytes_of(&self, units: Range<usize>) -> Range<usize> {
        let first = self.units.get(units.start);
        let last = units.end.checked_sub(1).and_then(|i| self.units.get(i));
        match (first, last) {
            (Some(first), Some(last)) if !units.is_empty() => first.start..last.end,
            _ => 0..0,
        }
    }

    pub(super) fn words_in(&self, units: Range<usize>) -> usize {
        self.units
            .get(units)
            .map_or(0, |u| u.iter().filter(|u| u.is_word).count())
    }
}

/// Interns normalised tokens as dense ids; a lookup allocates only for unseen tokens.
#[derive(Default)]
pub(super) struct Interner {
    pub(super) ids: HashMap<Box<str>, u32, FxBuild>,
    scratch: String,
}

impl Interner {
    pub(super) fn id(&mut self, token: &str, strict: bool) -> u32 {
        normalize_token_into(token, strict, &mut self.scratch);
        if let Some(&id) = self.ids.get(self.scratch.as_str()) {
            return id;
        }
        let id = self.ids.len() as u32;
        self.ids.insert(self.scratch.as_str().into(), id);
        id
    }
}
