//! The word diff of two texts.
//!
//! Three levels, each narrowing where the next one looks:
//!
//! 1. **Lines** (a line takes the blank lines after it; a heading line such as
//!    `Article 3` also the line after it), compared by their bytes, trailing whitespace
//!    aside unless strict, and the numbers of their labels (`Article 3`, `3.`, `(c)`)
//!    masked: cheap, nothing is tokenised. Lines with the same bytes are kept as they
//!    are; lines equal but for their labels' numbers are kept with the numbers as `equal`
//!    steps carrying the old number ([`TextDiff::renumbered`] lists them). In a region
//!    of changed lines, the articles are paired by content (`structure::align`) and each
//!    pair diffed from its label on, so an inserted article does not shift the others
//!    onto their neighbours' text. The bytes a changed region starts and ends with on
//!    both sides are kept as they are (cut where whitespace starts); the rest is looked
//!    at further.
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
//! Files: this one holds the API (the ops and [`diff_text`]); `lines.rs` the line level;
//! `units.rs` cuts a region into units and sentences; `engine.rs` is the `Differ` that
//! runs the sentence and word levels and collects the ops.

mod engine;
mod lines;
pub mod moves;
#[cfg(test)]
mod tests;
mod units;

use std::borrow::Cow;
use std::collections::HashMap;
use std::time::Instant;

use serde::Serialize;

use crate::diff::structure::labels::LabelKind;
use engine::Differ;
use lines::Lines;

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
    /// For a `delete` or `insert` step of moved text: the index of its move in
    /// [`TextDiff::moves`] (the same on the step where it was and the one where it went).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved: Option<usize>,
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
    /// The steps. Adjacent steps differ in `op`, in whether they have `old_text`, or in
    /// `moved`.
    pub ops: Vec<WordOp>,
    /// The deadline passed, so some regions are shown as replaced whole rather than word by
    /// word.
    #[serde(skip)]
    pub coarse: bool,
    /// Labels paired with a counterpart of another number (`Article 3` now `Article 4`),
    /// in order; their numbers are `equal` steps with `old_text`.
    #[serde(skip)]
    pub renumbered: Vec<Renumbered>,
    /// Passages moved (deleted in one place, inserted in another, the same or mostly),
    /// in the order of their old place; their steps carry `moved`.
    #[serde(skip)]
    pub moves: Vec<moves::Move>,
}

/// A label whose article kept its text (or was paired by content) under another number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renumbered {
    /// What kind of label.
    pub kind: LabelKind,
    /// The old label as written (`Article 3`).
    pub from: String,
    /// The new label as written (`Article 4`).
    pub to: String,
    /// The old number as written (`3`, `b`, `IV`).
    pub from_number: String,
    /// The new number as written.
    pub to_number: String,
    /// The old number's value.
    pub from_value: u64,
    /// The new number's value.
    pub to_value: u64,
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
    let mut table: HashMap<Cow<'_, str>, u32, FxBuild> = HashMap::default();
    let old_lines = Lines::new(old, strict, &mut table);
    let new_lines = Lines::new(new, strict, &mut table);
    let mut differ = Differ::new(old, new, strict, deadline);
    lines::diff_lines(&mut differ, &old_lines, &new_lines, deadline);
    differ.finish()
}

/// foldhash's fast hasher with a fixed seed: much faster than SipHash on short keys, the
/// keys are not chosen by anyone who gains from collisions, and a fixed seed keeps runs
/// reproducible.
pub(super) type FxBuild = foldhash::fast::FixedState;
