//! The sentence and word levels: Myers over sentences, then over the words of sentences
//! that differ, then over the units between two kept words; the ops collected as byte
//! ranges of the two texts, neighbours merged, words counted.

use std::collections::HashMap;
use std::ops::Range;
use std::time::Instant;

use similar::algorithms::{myers, Capture, Compact, Replace};
use similar::DiffOp;

use super::units::{common_head, common_tail, count_words, Interner, Side};
use super::{FxBuild, OpKind, Renumbered, TextDiff, WordOp};
use crate::diff::structure::labels::Label;

/// The shortest edit script of `old[old_range]` and `new[new_range]` (Myers' search
/// without `similar`'s bounded middle-snake heuristic, which on heavy rewrites gives up to
/// 12% more changed words than the minimum: on GPL-2 → GPL-3, 5,930 instead of 5,310);
/// past the deadline, an approximation, as any Myers of `similar`.
pub(super) fn shortest<T: PartialEq>(
    old: &[T],
    old_range: Range<usize>,
    new: &[T],
    new_range: Range<usize>,
    deadline: Option<Instant>,
) -> Vec<DiffOp> {
    let mut hook = Compact::new(Replace::new(Capture::new()), old, new);
    // The hooks never fail.
    let _ = myers::diff_deadline_raw(&mut hook, old, old_range, new, new_range, deadline);
    hook.into_inner().into_inner().into_ops()
}

/// Words (both sides together) of a changed region diffed word by word without aligning
/// its sentences first: Myers costs (N + M) × D, so at most about 10⁸ steps.
const FLAT_WORDS: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RunKind {
    /// Equal, and the same bytes on both sides.
    Same,
    /// Equal after normalisation only.
    Folded,
    Insert,
    Delete,
}

/// Collects the ops as byte ranges of the two texts, merging neighbours, and counts words.
pub(super) struct Differ<'a> {
    old: &'a str,
    new: &'a str,
    strict: bool,
    deadline: Option<Instant>,
    interner: Interner,
    runs: Vec<(RunKind, Range<usize>, Range<usize>)>,
    added: usize,
    removed: usize,
    unchanged: usize,
    coarse: bool,
    renumbered: Vec<Renumbered>,
}

impl<'a> Differ<'a> {
    pub(super) fn new(old: &'a str, new: &'a str, strict: bool, deadline: Option<Instant>) -> Self {
        Differ {
            old,
            new,
            strict,
            deadline,
            interner: Interner::default(),
            runs: Vec::new(),
            added: 0,
            removed: 0,
            unchanged: 0,
            coarse: false,
            renumbered: Vec::new(),
        }
    }

    pub(super) fn strict(&self) -> bool {
        self.strict
    }

    /// Two counterpart labels with different numbers (`Article 3` become `Article 4`):
    /// what comes before the numbers is diffed, the numbers are an equal step with the old
    /// one as `old_text`, and the renumbering is noted. Returns where the texts go on after
    /// the numbers; `None` (nothing done) when the numbers are the same.
    pub(super) fn renumber(&mut self, old: &Label, new: &Label) -> Option<(usize, usize)> {
        if old.kind != new.kind
            || old.value == new.value
            || old.number.is_empty()
            || new.number.is_empty()
        {
            return None;
        }
        let at = (
            self.runs.last().map_or(0, |r| r.1.end),
            self.runs.last().map_or(0, |r| r.2.end),
        );
        if at.0 > old.number.start || at.1 > new.number.start {
            return None;
        }
        self.region(at.0..old.number.start, at.1..new.number.start);
        self.unchanged += count_words(self.new.get(new.number.clone()).unwrap_or_default());
        self.push(RunKind::Folded, old.number.clone(), new.number.clone());
        let slice = |text: &str, r: Range<usize>| text.get(r).unwrap_or_default().to_owned();
        self.renumbered.push(Renumbered {
            from: old.shown(self.old),
            to: new.shown(self.new),
            from_number: slice(self.old, old.number.clone()),
            to_number: slice(self.new, new.number.clone()),
            from_value: old.value.unwrap_or_default(),
            to_value: new.value.unwrap_or_default(),
            kind: old.kind.clone(),
        });
        Some((old.number.end, new.number.end))
    }

    fn past_deadline(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    fn push(&mut self, kind: RunKind, old: Range<usize>, new: Range<usize>) {
        if old.is_empty() && new.is_empty() {
            return;
        }
        if let Some((last_kind, last_old, last_new)) = self.runs.last_mut() {
            if *last_kind == kind && last_old.end == old.start && last_new.end == new.start {
                last_old.end = old.end;
                last_new.end = new.end;
                return;
            }
        }
        self.runs.push((kind, old, new));
    }

    pub(super) fn delete_bytes(&mut self, old: Range<usize>) {
        self.removed += count_words(self.old.get(old.clone()).unwrap_or_default());
        let at = self.runs.last().map_or(0, |r| r.2.end);
        self.push(RunKind::Delete, old, at..at);
    }

    pub(super) fn insert_bytes(&mut self, new: Range<usize>) {
        self.added += count_words(self.new.get(new.clone()).unwrap_or_default());
        let at = self.runs.last().map_or(0, |r| r.1.end);
        self.push(RunKind::Insert, at..at, new);
    }

    /// Diffs a region of changed lines: the bytes both sides start and end with are kept
    /// as they are (cut where whitespace starts, so no token or unit is split); in between,
    /// sentences first, then words where they differ.
    pub(super) fn region(&mut self, old: Range<usize>, new: Range<usize>) {
        let old_text = self.old.get(old.clone()).unwrap_or_default();
        let new_text = self.new.get(new.clone()).unwrap_or_default();
        let head = common_head(old_text, new_text);
        let tail = common_tail(
            old_text.get(head..).unwrap_or_default(),
            new_text.get(head..).unwrap_or_default(),
        );
        self.same(old.start..old.start + head, new.start..new.start + head);
        let (old_mid, new_mid) = (
            old.start + head..old.end - tail,
            new.start + head..new.end - tail,
        );
        if self.past_deadline() || old_mid.is_empty() || new_mid.is_empty() {
            self.coarse |= !(old_mid.is_empty() || new_mid.is_empty());
            self.delete_bytes(old_mid.clone());
            self.insert_bytes(new_mid.clone());
        } else {
            self.sentences(old_mid.clone(), new_mid.clone());
        }
        self.same(old_mid.end..old.end, new_mid.end..new.end);
    }

    /// Bytes equal on both sides.
    pub(super) fn same(&mut self, old: Range<usize>, new: Range<usize>) {
        self.unchanged += count_words(self.old.get(old.clone()).unwrap_or_default());
        self.push(RunKind::Same, old, new);
    }

    /// Aligns the sentences of a changed region, then word-diffs those that differ.
    fn sentences(&mut self, old: Range<usize>, new: Range<usize>) {
        let old = Side::new(self.old, old, self.strict, &mut self.interner);
        let new = Side::new(self.new, new, self.strict, &mut self.interner);
        // A region of up to FLAT_WORDS words is word-diffed whole: aligning its sentences
        // first would keep whole equal sentences as anchors even where aligning the words
        // across them keeps more (a heavy rewrite). Larger regions go sentence first, to
        // bound the time.
        let words = |side: &Side| side.units.iter().filter(|u| u.is_word).count();
        if words(&old) + words(&new) <= FLAT_WORDS {
            let (o, n) = (0..old.units.len(), 0..new.units.len());
            return self.words(&old, &new, o, n);
        }
        let mut table: HashMap<&[u32], u32, FxBuild> = HashMap::default();
        let old_sentences = old.sentence_ids(&mut table);
        let new_sentences = new.sentence_ids(&mut table);
        let ops = shortest(
            &old_sentences,
            0..old_sentences.len(),
            &new_sentences,
            0..new_sentences.len(),
            self.deadline,
        );
        for op in ops {
            let old_units = old.units_of(op.old_range());
            let new_units = new.units_of(op.new_range());
            match op {
                DiffOp::Equal { .. } => self.equal_units(
                    &old,
                    &new,
                    old_units.start,
                    new_units.start,
                    old_units.len(),
                ),
                DiffOp::Delete { .. } => self.delete_units(&old, old_units),
                DiffOp::Insert { .. } => self.insert_units(&new, new_units),
                DiffOp::Replace { .. } => self.words(&old, &new, old_units, new_units),
            }
        }
    }

    /// Word-diffs units where sentences differ; past the deadline, replaces them whole.
    ///
    /// Words are aligned first, on their own, so that punctuation never decides which words
    /// are kept (`a b, c` → `a x, b c` keeps `a b c`, not `a , c`); then the units between
    /// two kept words, punctuation and words not kept, are diffed as a gap.
    fn words(&mut self, old: &Side, new: &Side, old_units: Range<usize>, new_units: Range<usize>) {
        if self.past_deadline() {
            self.coarse = true;
            self.delete_units(old, old_units);
            self.insert_units(new, new_units);
            return;
        }
        let words_of = |side: &Side, units: Range<usize>| -> (Vec<usize>, Vec<u32>) {
            units
                .filter(|&i| side.units.get(i).is_some_and(|u| u.is_word))
                .map(|i| (i, side.ids.get(i).copied().unwrap_or(u32::MAX)))
                .unzip()
        };
        let (old_at, old_ids) = words_of(old, old_units.clone());
        let (new_at, new_ids) = words_of(new, new_units.clone());
        let ops = shortest(
            &old_ids,
            0..old_ids.len(),
            &new_ids,
            0..new_ids.len(),
            self.deadline,
        );
        let (mut old_next, mut new_next) = (old_units.start, new_units.start);
        for op in ops {
            if let DiffOp::Equal {
                old_index,
                new_index,
                len,
            } = op
            {
                for k in 0..len {
                    let (Some(&o), Some(&n)) =
                        (old_at.get(old_index + k), new_at.get(new_index + k))
                    else {
                        continue;
                    };
                    self.gap(old, new, old_next..o, new_next..n);
                    self.equal_units(old, new, o, n, 1);
                    (old_next, new_next) = (o + 1, n + 1);
                }
            }
        }
        self.gap(old, new, old_next..old_units.end, new_next..new_units.end);
        if self.past_deadline() {
            self.coarse = true;
        }
    }

    /// Diffs the units between two kept words (or a region's ends).
    fn gap(&mut self, old: &Side, new: &Side, old_units: Range<usize>, new_units: Range<usize>) {
        if old_units.is_empty() || new_units.is_empty() {
            self.delete_units(old, old_units);
            self.insert_units(new, new_units);
            return;
        }
        let ops = shortest(&old.ids, old_units, &new.ids, new_units, self.deadline);
        for op in ops {
            match op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => self.equal_units(old, new, old_index, new_index, len),
                op => {
                    self.delete_units(old, op.old_range());
                    self.insert_units(new, op.new_range());
                }
            }
        }
    }

    fn equal_units(&mut self, old: &Side, new: &Side, old_at: usize, new_at: usize, len: usize) {
        for k in 0..len {
            let old_bytes = old.bytes_of(old_at + k..old_at + k + 1);
            let new_bytes = new.bytes_of(new_at + k..new_at + k + 1);
            self.equal_unit(old_bytes, new_bytes);
        }
        self.unchanged += new.words_in(new_at..new_at + len);
    }

    /// One pair of equal units. When one side is the other with more whitespace in front,
    /// and text was just inserted (or deleted) on that side, the whitespace goes with the
    /// insertion (deletion): `New.|␣Exercises` becomes `New.␣|Exercises`.
    fn equal_unit(&mut self, old: Range<usize>, new: Range<usize>) {
        let (old_text, new_text) = (
            self.old.get(old.clone()).unwrap_or_default(),
            self.new.get(new.clone()).unwrap_or_default(),
        );
        if old_text == new_text {
            return self.push(RunKind::Same, old, new);
        }
        let last = self.runs.last().map(|r| r.0);
        if last == Some(RunKind::Insert) && new_text.ends_with(old_text) {
            let split = new.end - old_text.len();
            self.push(RunKind::Insert, old.start..old.start, new.start..split);
            self.push(RunKind::Same, old, split..new.end);
        } else if last == Some(RunKind::Delete) && old_text.ends_with(new_text) {
            let split = old.end - new_text.len();
            self.push(RunKind::Delete, old.start..split, new.start..new.start);
            self.push(RunKind::Same, split..old.end, new);
        } else {
            self.push(RunKind::Folded, old, new);
        }
    }

    fn delete_units(&mut self, old: &Side, units: Range<usize>) {
        if !units.is_empty() {
            self.removed += old.words_in(units.clone());
            let at = self.runs.last().map_or(0, |r| r.2.end);
            self.push(RunKind::Delete, old.bytes_of(units), at..at);
        }
    }

    fn insert_units(&mut self, new: &Side, units: Range<usize>) {
        if !units.is_empty() {
            self.added += new.words_in(units.clone());
            let at = self.runs.last().map_or(0, |r| r.1.end);
            self.push(RunKind::Insert, at..at, new.bytes_of(units));
        }
    }

    pub(super) fn finish(self) -> TextDiff {
        let slice =
            |text: &str, range: Range<usize>| text.get(range).unwrap_or_default().to_owned();
        let (runs, moves) =
            super::moves::find(self.old, self.new, self.runs, self.strict, self.deadline);
        let ops = runs
            .into_iter()
            .map(|((kind, old, new), moved)| {
                let (op, text, old_text) = match kind {
                    RunKind::Same => (OpKind::Equal, slice(self.new, new), None),
                    RunKind::Folded => (
                        OpKind::Equal,
                        slice(self.new, new),
                        Some(slice(self.old, old)),
                    ),
                    RunKind::Insert => (OpKind::Insert, slice(self.new, new), None),
                    RunKind::Delete => (OpKind::Delete, slice(self.old, old), None),
                };
                WordOp {
                    op,
                    text,
                    old_text,
                    moved,
                }
            })
            .collect();
        let total = 2 * self.unchanged + self.added + self.removed;
        TextDiff {
            similarity: if total == 0 {
                1.0
            } else {
                (2 * self.unchanged) as f64 / total as f64
            },
            words_added: self.added,
            words_removed: self.removed,
            words_unchanged: self.unchanged,
            ops,
            coarse: self.coarse,
            renumbered: self.renumbered,
            moves,
        }
    }
}
