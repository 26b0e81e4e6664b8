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
use units::count_words;

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
    // Lines by similar's Myers with its bounded search: fast on long texts, and a line it
    // aligns less well than the shortest script is diffed word by word anyway.
    let lines = capture_diff_slices_deadline(Algorithm::Myers, &old_lines, &new_lines, deadline);
    let words = |text: &str, r: &Range<usize>| count_words(text.get(r.clone()).unwrap_or_default());
    // Changed lines not yet handed to the differ (old and new bytes), with their words.
    let mut pending: Option<(Range<usize>, Range<usize>, usize)> = None;
    for (k, op) in lines.iter().enumerate() {
        let old_bytes = bytes(&old_starts, op.old_range());
        let new_bytes = bytes(&new_starts, op.new_range());
        let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = *op
        else {
            let changed = words(old, &old_bytes) + words(new, &new_bytes);
            pending = Some(match pending.take() {
                Some((o, n, w)) => (o.start..old_bytes.end, n.start..new_bytes.end, w + changed),
                None => (old_bytes, new_bytes, changed),
            });
            continue;
        };
        // Equal lines between two changes with fewer words than either are not an anchor:
        // they join one region with both, whose word diff keeps them if that is best. (A
        // short equal line in a rewrite, matched first, would otherwise keep every word
        // before it from being matched with any after it.)
        if let (Some((_, _, before)), Some(next)) = (&pending, lines.get(k + 1)) {
            let after = words(old, &bytes(&old_starts, next.old_range()))
                + words(new, &bytes(&new_starts, next.new_range()));
            let limit = (*before).min(after);
            if count_words_below(old.get(old_bytes.clone()).unwrap_or_default(), limit) < limit {
                if let Some((o, n, w)) = pending.take() {
                    pending = Some((o.start..old_bytes.end, n.start..new_bytes.end, w));
                }
                continue;
            }
        }
        if let Some((o, n, _)) = pending.take() {
            changed_lines(&mut differ, o, n);
        }
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
    if let Some((o, n, _)) = pending.take() {
        changed_lines(&mut differ, o, n);
    }
    differ.finish()
}

/// The words of `text`, counted up to `limit` (a long equal run is not scanned whole).
fn count_words_below(text: &str, limit: usize) -> usize {
    let mut count = 0;
    for line in text.split_inclusive('\n') {
        count += count_words(line);
        if count >= limit {
            break;
        }
    }
    count
}

/// Changed lines: deleted, inserted, or a region to diff further.
fn changed_lines(differ: &mut Differ, old: Range<usize>, new: Range<usize>) {
    match (old.is_empty(), new.is_empty()) {
        (false, true) => differ.delete_bytes(old),
        (true, false) => differ.insert_bytes(new),
        _ => differ.region(old, new),
    }
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
