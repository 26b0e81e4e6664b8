//! The word diff of two texts.
//!
//! Three levels, each narrowing where the next one looks:
//!
//! 1. **Lines** (a line takes the blank lines after it), compared by their bytes, trailing
//!    whitespace aside unless strict: cheap, nothing is tokenised. Lines with the same
//!    bytes are kept as they are, and so are the bytes a changed region starts and ends
//!    with on both sides (cut where whitespace starts); the rest is looked at further.
//! 2. **Sentences** of what is left, cut into *units*: a word or punctuation token with
//!    the whitespace before it (the last unit also takes the whitespace after it). A unit
//!    is compared by its normalised token, interned to a `u32`, so whitespace only matters
//!    in strict mode, where the key is the unit's exact text. Sentences, as sequences of
//!    unit ids, are aligned.
//! 3. **Words** of the regions where sentences differ: words are aligned on their own,
//!    then the punctuation and changed words between two kept words.
//!
//! Each level is Myers with the deadline; a region reached after the deadline is shown as
//! deleted and inserted whole, and [`TextDiff::coarse`] says so. Aligning larger pieces
//! first keeps each word diff small and leaves equal lines untokenised; on the pairs of
//! `benches/wording.rs` it finds as few changed words as one Myers pass over all the words.
//!
//! Words are the [`TokenKind::Word`](crate::diff::normalize::TokenKind::Word) tokens;
//! punctuation is diffed but not counted.
//!
//! Files: this one holds the API (the ops and [`diff_text`]) and the line level;
//! `units.rs` cuts a region into units and sentences; `engine.rs` is the `Differ` that
//! runs the sentence and word levels and collects the ops.

mod engine;
#[cfg(test)]
mod tests;
mod units;

use std::collections::HashMap;
use std::ops::Range;
use std::time::Instant;

use serde::Serialize;
use similar::{capture_diff_slices_deadline, Algorithm, DiffOp};

use engine::Differ;

/// What a [`WordOp`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OpKind {
    /// In both texts.
    Equal,
    /// Only in the new text.
    Insert,
    /// Only in the old text.
    Delete,
}

/// One step of a word diff. The `equal` and `insert` texts, in order, are the new text; the
/// `equal` and `delete` texts (with `old_text` standing in for `text` where present) are
/// the old text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WordOp {
    /// What the step does.
    pub op: OpKind,
    /// The original text: from the new side for `equal` and `insert`, the old for `delete`.
    pub text: String,
    /// For an `equal` step whose sides differ only by normalisation: the old side's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_text: Option<String>,
}

/// The word diff of two texts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextDiff {
    /// `2 × words_unchanged / (words in old + words in new)`, from 0 to 1 (1 when neither
    /// has words).
    pub similarity: f64,
    /// Words only in the new text.
    pub words_added: usize,
    /// Words only in the old text.
    pub words_removed: usize,
    /// Words in both (counted once).
    pub words_unchanged: usize,
    /// The steps. Adjacent steps differ in `op`, or in whether they have `old_text`.
    pub ops: Vec<WordOp>,
    /// The deadline passed, so some regions are shown as replaced whole rather than word by
    /// word.
    #[serde(skip)]
    pub coarse: bool,
}

impl TextDiff {
    /// True when the texts differ after normalisation.
    pub fn has_changes(&self) -> bool {
        self.ops.iter().any(|op| op.op != OpKind::Equal)
    }
}

/// Diffs `old` against `new` word by word; see the module documentation. `deadline`, when
/// given, bounds the time spent (after it, the diff gets coarser rather than slower).
pub fn diff_text(old: &str, new: &str, strict: bool, deadline: Option<Instant>) -> TextDiff {
    let mut table: HashMap<&str, u32, FxBuild> = HashMap::default();
    let (old_starts, old_lines) = line_ids(old, strict, &mut table);
    let (new_starts, new_lines) = line_ids(new, strict, &mut table);
    let bytes = |starts: &[usize], r: Range<usize>| {
        let at = |i: usize| starts.get(i).copied().unwrap_or(0);
        at(r.start)..at(r.end)
    };

    let mut differ = Differ::new(old, new, strict, deadline);
    for op in capture_diff_slices_deadline(Algorithm::Myers, &old_lines, &new_lines, deadline) {
        let old_bytes = bytes(&old_starts, op.old_range());
        let new_bytes = bytes(&new_starts, op.new_range());
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for k in 0..len {
                    let old_line = bytes(&old_starts, old_index + k..old_index + k + 1);
                    let new_line = bytes(&new_starts, new_index + k..new_index + k + 1);
                    if old.get(old_line.clone()) == new.get(new_line.clone()) {
                        differ.same(old_line, new_line);
                    } else {
                        // Equal but for trailing whitespace: the units tell where.
                        differ.region(old_line, new_line);
                    }
                }
            }
            DiffOp::Delete { .. } => differ.delete_bytes(old_bytes),
            DiffOp::Insert { .. } => differ.insert_bytes(new_bytes),
            DiffOp::Replace { .. } => differ.region(old_bytes, new_bytes),
        }
    }
    differ.finish()
}

/// The lines of `text` (see [`line_starts`]) and their ids: equal ids for equal lines,
/// trailing whitespace aside unless `strict`.
fn line_ids<'a>(
    text: &'a str,
    strict: bool,
    table: &mut HashMap<&'a str, u32, FxBuild>,
) -> (Vec<usize>, Vec<u32>) {
    let starts = line_starts(text);
    table.reserve(starts.len());
    let ids = starts
        .windows(2)
        .map(|w| {
            let line = text.get(w[0]..w[1]).unwrap_or_default();
            let next = table.len() as u32;
            *table
                .entry(if strict { line } else { line.trim_end() })
                .or_insert(next)
        })
        .collect();
    (starts, ids)
}

/// Where each line of `text` starts, then its length. A line takes the blank lines after
/// it, so that blank lines, alike everywhere, do not become anchors for the line diff.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let mut end = 0;
    for line in text.split_inclusive('\n') {
        end += line.len();
        match starts.last_mut() {
            Some(last) if *last > 0 && line.trim().is_empty() => *last = end,
            _ => starts.push(end),
        }
    }
    starts
}

/// foldhash's fast hasher with a fixed seed: much faster than SipHash on short keys, the
/// keys are not chosen by anyone who gains from collisions, and a fixed seed keeps runs
/// reproducible.
pub(super) type FxBuild = foldhash::fast::FixedState;
