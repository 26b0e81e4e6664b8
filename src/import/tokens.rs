//! The body as word and punctuation tokens, normalised as diff normalises, for the date
//! and speaker detectors.

use std::ops::Range;

use crate::diff::normalize::{normalize_token_into, tokens, TokenKind};

/// A word or punctuation token of the body, normalised as diff normalises.
#[derive(Debug, Clone)]
pub(super) struct Tok {
    pub(super) word: bool,
    /// A line break stands between it and the token before.
    pub(super) line_start: bool,
    pub(super) range: Range<usize>,
    pub(super) norm: String,
}

pub(super) fn word_tokens(text: &str) -> Vec<Tok> {
    let mut scratch = String::new();
    let mut out = Vec::new();
    let mut line_start = true;
    for t in tokens(text) {
        if t.kind == TokenKind::Space {
            line_start |= t.text(text).contains('\n');
            continue;
        }
        normalize_token_into(t.text(text), false, &mut scratch);
        out.push(Tok {
            word: t.kind == TokenKind::Word,
            line_start,
            range: t.start..t.end,
            norm: scratch.clone(),
        });
        line_start = false;
    }
    out
}

pub(super) fn norm(s: &str) -> String {
    let mut out = String::new();
    normalize_token_into(s, false, &mut out);
    out
}

pub(super) fn is_punct(tok: Option<&Tok>, chars: &[&str]) -> bool {
    tok.is_some_and(|t| !t.word && chars.contains(&t.norm.as_str()))
}
