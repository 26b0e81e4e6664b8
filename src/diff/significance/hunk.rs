//! The changed passages of a word diff: its ops laid out on both texts ([`Piece`]s) and
//! grouped into [`Hunk`]s, changes close together that are judged as one edit.

use std::ops::Range;

use crate::diff::normalize::{tokens, TokenKind};
use crate::diff::words::OpKind;

/// A stretch of a word diff, in both texts.
#[derive(Debug, Clone)]
pub(super) struct Piece {
    pub op: OpKind,
    pub old: Range<usize>,
    pub new: Range<usize>,
}

/// Changed pieces close together (at most two kept words between, no sentence end).
#[derive(Debug, Clone)]
pub(super) struct Hunk {
    pub old_changed: Vec<Range<usize>>,
    pub new_changed: Vec<Range<usize>>,
    pub old_span: Range<usize>,
    pub new_span: Range<usize>,
    /// Its pieces (indices into the diff's pieces).
    pieces: Range<usize>,
}

/// Kept words that may stand between two changes of one hunk.
const GAP_WORDS: usize = 2;

/// The hunks of a diff, for judging: changes close together, except that a hunk whose
/// changes hold more than `long` words on a side (a rewritten passage, where kept words
/// are scattered between many changes) is cut at every kept word, so each stretch
/// between two kept words is judged on its own. The cost stays linear in the text.
pub(super) fn judged_hunks(old: &str, new: &str, pieces: &[Piece], long: usize) -> Vec<Hunk> {
    let mut out = Vec::new();
    for h in hunks(old, pieces, 0, GAP_WORDS) {
        let words = |text: &str, ranges: &[Range<usize>]| -> usize {
            ranges
                .iter()
                .map(|r| word_count(text.get(r.clone()).unwrap_or_default()))
                .sum()
        };
        if words(old, &h.old_changed) > long || words(new, &h.new_changed) > long {
            out.extend(hunks(old, &pieces[h.pieces.clone()], h.pieces.start, 0));
        } else {
            out.push(h);
        }
    }
    out
}

fn is_sentence_end(text: &str) -> bool {
    text.contains(['.', '!', '?', '؟', ';', '\n'])
}

pub(super) fn word_count(text: &str) -> usize {
    tokens(text).filter(|t| t.kind == TokenKind::Word).count()
}

/// Changed pieces grouped when at most `gap_words` kept words (and no sentence end) stand
/// between them; `first` is the index of `pieces[0]` among all the diff's pieces.
fn hunks(old: &str, pieces: &[Piece], first: usize, gap_words: usize) -> Vec<Hunk> {
    let mut out: Vec<Hunk> = Vec::new();
    let mut open: Option<Hunk> = None;
    let mut gap: Option<&Piece> = None;
    for (k, p) in pieces.iter().enumerate() {
        if p.op == OpKind::Equal {
            let text = old.get(p.old.clone()).unwrap_or_default();
            if open.is_some()
                && gap.is_none()
                && word_count(text) <= gap_words
                && !is_sentence_end(text)
            {
                gap = Some(p);
            } else {
                out.extend(open.take());
                gap = None;
            }
            continue;
        }
        gap = None;
        let h = open.get_or_insert_with(|| Hunk {
            old_changed: Vec::new(),
            new_changed: Vec::new(),
            old_span: p.old.start..p.old.start,
            new_span: p.new.start..p.new.start,
            pieces: first + k..first + k,
        });
        h.old_span.end = p.old.end;
        h.new_span.end = p.new.end;
        h.pieces.end = first + k + 1;
        if !p.old.is_empty() {
            h.old_changed.push(p.old.clone());
        }
        if !p.new.is_empty() {
            h.new_changed.push(p.new.clone());
        }
    }
    out.extend(open);
    out
}

/// Whether `text[span]` is one or more whole sentences (an added or removed sentence is
/// new content, not an edit).
pub(super) fn whole_sentences(text: &str, span: &Range<usize>) -> bool {
    const ENDS: [char; 5] = ['.', '!', '?', '؟', '\n'];
    let part = text.get(span.clone()).unwrap_or_default().trim();
    let before = text
        .get(..span.start)
        .unwrap_or_default()
        .trim_end_matches([' ', '\t']);
    let after = text
        .get(span.end..)
        .unwrap_or_default()
        .trim_start_matches([' ', '\t']);
    let starts = before.is_empty() || before.ends_with(ENDS) || part.starts_with(ENDS);
    let ends = after.trim().is_empty() || part.ends_with(ENDS) || after.starts_with(ENDS);
    starts && ends
}
