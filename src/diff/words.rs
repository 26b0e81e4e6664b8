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
//! Words are the [`TokenKind::Word`] tokens; punctuation is diffed but not counted.

use std::collections::HashMap;
use std::ops::Range;
use std::time::Instant;

use serde::Serialize;
use similar::{capture_diff_deadline, capture_diff_slices_deadline, Algorithm, DiffOp};

use super::normalize::{
    is_joiner, is_word_char, normalize_token_into, tokens, SentenceBreaker, TokenKind,
};

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

/// Length of the longest common start of `a` and `b` that ends where a run of whitespace
/// starts (so the whitespace goes with the word after it, as in units).
fn common_head(a: &str, b: &str) -> usize {
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
fn common_tail(a: &str, b: &str) -> usize {
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
fn count_words(text: &str) -> usize {
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
struct Unit {
    start: usize,
    end: usize,
    is_word: bool,
}

/// A region of one text cut into units, with their ids and sentence boundaries.
struct Side {
    units: Vec<Unit>,
    ids: Vec<u32>,
    /// Index of each sentence's first unit, then the number of units.
    sentence_starts: Vec<usize>,
}

impl Side {
    /// Cuts `text[region]` into units.
    fn new(text: &str, region: Range<usize>, strict: bool, interner: &mut Interner) -> Side {
        let base = region.start;
        let part = text.get(region).unwrap_or_default();
        let mut units: Vec<Unit> = Vec::with_capacity(part.len() / 5);
        let mut sentence_starts = vec![0];
        let mut breaker = SentenceBreaker::default();
        for token in tokens(part) {
            let ends_sentence = breaker.feed(token.kind, token.text(part));
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
                interner.id(if strict { span } else { span.trim() }, strict)
            })
            .collect();
        Side {
            units,
            ids,
            sentence_starts,
        }
    }

    fn sentence_ids<'a>(&'a self, table: &mut HashMap<&'a [u32], u32, FxBuild>) -> Vec<u32> {
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
    fn units_of(&self, sentences: Range<usize>) -> Range<usize> {
        let at = |i: usize| {
            self.sentence_starts
                .get(i)
                .copied()
                .unwrap_or(self.units.len())
        };
        at(sentences.start)..at(sentences.end)
    }

    /// The bytes of a non-empty range of units.
    fn bytes_of(&self, units: Range<usize>) -> Range<usize> {
        let first = self.units.get(units.start);
        let last = units.end.checked_sub(1).and_then(|i| self.units.get(i));
        match (first, last) {
            (Some(first), Some(last)) if !units.is_empty() => first.start..last.end,
            _ => 0..0,
        }
    }

    fn words_in(&self, units: Range<usize>) -> usize {
        self.units
            .get(units)
            .map_or(0, |u| u.iter().filter(|u| u.is_word).count())
    }
}

/// Interns normalised tokens as dense ids; a lookup allocates only for unseen tokens.
#[derive(Default)]
struct Interner {
    ids: HashMap<Box<str>, u32, FxBuild>,
    scratch: String,
}

impl Interner {
    fn id(&mut self, token: &str, strict: bool) -> u32 {
        normalize_token_into(token, strict, &mut self.scratch);
        if let Some(&id) = self.ids.get(self.scratch.as_str()) {
            return id;
        }
        let id = self.ids.len() as u32;
        self.ids.insert(self.scratch.as_str().into(), id);
        id
    }
}

/// foldhash's fast hasher with a fixed seed: much faster than SipHash on short keys, the
/// keys are not chosen by anyone who gains from collisions, and a fixed seed keeps runs
/// reproducible.
type FxBuild = foldhash::fast::FixedState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RunKind {
    /// Equal, and the same bytes on both sides.
    Same,
    /// Equal after normalisation only.
    Folded,
    Insert,
    Delete,
}

/// Collects the ops as byte ranges of the two texts, merging neighbours, and counts words.
struct Differ<'a> {
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
}

impl<'a> Differ<'a> {
    fn new(old: &'a str, new: &'a str, strict: bool, deadline: Option<Instant>) -> Self {
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
        }
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

    fn delete_bytes(&mut self, old: Range<usize>) {
        self.removed += count_words(self.old.get(old.clone()).unwrap_or_default());
        let at = self.runs.last().map_or(0, |r| r.2.end);
        self.push(RunKind::Delete, old, at..at);
    }

    fn insert_bytes(&mut self, new: Range<usize>) {
        self.added += count_words(self.new.get(new.clone()).unwrap_or_default());
        let at = self.runs.last().map_or(0, |r| r.1.end);
        self.push(RunKind::Insert, at..at, new);
    }

    /// Diffs a region of changed lines: the bytes both sides start and end with are kept
    /// as they are (cut where whitespace starts, so no token or unit is split); in between,
    /// sentences first, then words where they differ.
    fn region(&mut self, old: Range<usize>, new: Range<usize>) {
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
    fn same(&mut self, old: Range<usize>, new: Range<usize>) {
        self.unchanged += count_words(self.old.get(old.clone()).unwrap_or_default());
        self.push(RunKind::Same, old, new);
    }

    /// Aligns the sentences of a changed region, then word-diffs those that differ.
    fn sentences(&mut self, old: Range<usize>, new: Range<usize>) {
        let old = Side::new(self.old, old, self.strict, &mut self.interner);
        let new = Side::new(self.new, new, self.strict, &mut self.interner);
        let mut table: HashMap<&[u32], u32, FxBuild> = HashMap::default();
        let old_sentences = old.sentence_ids(&mut table);
        let new_sentences = new.sentence_ids(&mut table);
        let ops = capture_diff_slices_deadline(
            Algorithm::Myers,
            &old_sentences,
            &new_sentences,
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
        let ops = capture_diff_slices_deadline(Algorithm::Myers, &old_ids, &new_ids, self.deadline);
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
        let ops = capture_diff_deadline(
            Algorithm::Myers,
            &old.ids,
            old_units,
            &new.ids,
            new_units,
            self.deadline,
        );
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

    fn finish(self) -> TextDiff {
        let slice =
            |text: &str, range: Range<usize>| text.get(range).unwrap_or_default().to_owned();
        let ops = self
            .runs
            .into_iter()
            .map(|(kind, old, new)| {
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
                WordOp { op, text, old_text }
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
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use proptest::prelude::*;

    use super::*;

    /// The (old, new) texts that `ops` claims to be the diff of.
    fn rebuild(ops: &[WordOp]) -> (String, String) {
        let (mut old, mut new) = (String::new(), String::new());
        for op in ops {
            match op.op {
                OpKind::Equal => {
                    new.push_str(&op.text);
                    old.push_str(op.old_text.as_deref().unwrap_or(&op.text));
                }
                OpKind::Insert => new.push_str(&op.text),
                OpKind::Delete => old.push_str(&op.text),
            }
        }
        (old, new)
    }

    fn later() -> Option<Instant> {
        Instant::now().checked_add(Duration::from_secs(60))
    }

    fn shown(d: &TextDiff) -> Vec<(OpKind, &str)> {
        d.ops.iter().map(|o| (o.op, o.text.as_str())).collect()
    }

    #[test]
    fn one_word_changed() {
        let d = diff_text(
            "Мы укрепим оборону. Second one.",
            "Мы усилим оборону. Second one.",
            false,
            later(),
        );
        use OpKind::*;
        assert_eq!(
            shown(&d),
            [
                (Equal, "Мы"),
                (Delete, " укрепим"),
                (Insert, " усилим"),
                (Equal, " оборону. Second one.")
            ]
        );
        assert_eq!(
            (d.words_added, d.words_removed, d.words_unchanged),
            (1, 1, 4)
        );
        assert!((d.similarity - 0.8).abs() < 1e-9);
    }

    #[test]
    fn insertion_takes_its_space() {
        use OpKind::*;
        let d = diff_text(
            "Учения каждый год.",
            "Учения каждый год в Минске.",
            false,
            later(),
        );
        assert_eq!(
            shown(&d),
            [
                (Equal, "Учения каждый год"),
                (Insert, " в Минске"),
                (Equal, ".")
            ]
        );
        let d = diff_text("Exercises.", "New. Exercises.", false, later());
        assert_eq!(shown(&d), [(Insert, "New. "), (Equal, "Exercises.")]);
    }

    #[test]
    fn punctuation_does_not_steer_words() {
        let old = "المجلس الجماعي، تطوير الدفاع";
        let new = "المجلس academies، الجماعي تطوير الدفاع";
        let d = diff_text(old, new, false, later());
        assert_eq!(
            (d.words_added, d.words_removed, d.words_unchanged),
            (1, 0, 4)
        );
        assert_eq!(rebuild(&d.ops), (old.to_owned(), new.to_owned()));
    }

    #[test]
    fn folded_equal_keeps_old_text() {
        let d = diff_text("الأمنُ  القومي", "الامن القومي", false, later());
        assert!(!d.has_changes());
        assert_eq!(d.ops.len(), 1);
        assert_eq!(d.ops[0].text, "الامن القومي");
        assert_eq!(d.ops[0].old_text.as_deref(), Some("الأمنُ  القومي"));
        let strict = diff_text("الأمنُ  القومي", "الامن القومي", true, later());
        assert!(strict.has_changes());
    }

    #[test]
    fn zero_deadline_falls_back_to_whole_regions() {
        let (old, new) = ("One two three. Four five.", "One two free. Four five.");
        let d = diff_text(old, new, false, Some(Instant::now()));
        assert!(d.coarse);
        assert_eq!(rebuild(&d.ops), (old.to_owned(), new.to_owned()));
        // The common start and end are kept; what is between is replaced whole.
        assert_eq!(
            shown(&d)[1..3],
            [(OpKind::Delete, " three."), (OpKind::Insert, " free.")]
        );
        assert!(!diff_text(old, new, false, None).coarse);
    }

    #[test]
    fn moved_paragraph_is_deleted_and_inserted() {
        let old = "Alpha beta.\n\nGamma delta.\n\nEpsilon zeta.";
        let new = "Gamma delta.\n\nEpsilon zeta.\n\nAlpha beta.";
        let d = diff_text(old, new, false, later());
        assert_eq!(rebuild(&d.ops), (old.to_owned(), new.to_owned()));
        assert_eq!(
            (d.words_added, d.words_removed, d.words_unchanged),
            (2, 2, 4)
        );
    }

    fn text_strategy() -> impl Strategy<Value = String> {
        let words = prop::sample::select(vec![
            "state",
            "State",
            "security",
            "безопасность",
            "Ёлка",
            "елка",
            "оборона",
            "الأمن",
            "الامن",
            "امنٌ",
            "امن",
            "تعاون",
            "١٢",
            "12",
            ",",
            ".",
            "،",
            "؟",
            "«",
            "»",
            "-",
            "e\u{301}",
        ]);
        let gaps = prop::sample::select(vec!["", " ", "  ", "\u{a0}", "\n", "\n\n", "\u{64b}"]);
        let listed = prop::collection::vec((words, gaps), 0..40)
            .prop_map(|parts| parts.into_iter().flat_map(|(w, g)| [w, g]).collect());
        let random = "[a-zA-Zа-яА-ЯёЁء-ي٠-٩ \u{a0}\u{60c}\u{64b}\u{640}\u{301},.!?؟«»\n'-]{0,80}";
        prop_oneof![listed, random]
    }

    proptest! {
        #[test]
        fn ops_rebuild_both_sides(old in text_strategy(), new in text_strategy(), strict: bool) {
            let d = diff_text(&old, &new, strict, later());
            prop_assert_eq!(rebuild(&d.ops), (old, new));
            for pair in d.ops.windows(2) {
                prop_assert!(pair[0].op != pair[1].op || pair[0].old_text.is_some() != pair[1].old_text.is_some());
            }
        }

        #[test]
        fn counts_words_like_the_tokenizer(text in text_strategy()) {
            let words = tokens(&text).filter(|t| t.kind == TokenKind::Word).count();
            prop_assert_eq!(count_words(&text), words);
        }

        #[test]
        fn identical_texts_have_no_changes(text in text_strategy(), strict: bool) {
            let d = diff_text(&text, &text, strict, later());
            prop_assert!(!d.has_changes());
            prop_assert_eq!(d.words_added + d.words_removed, 0);
            prop_assert!(d.ops.iter().all(|o| o.old_text.is_none()));
        }

        #[test]
        fn fathatan_is_ignored_unless_strict(word in "[a-zа-яب-ي]{1,8}") {
            let marked = format!("قال {word}\u{64b} هنا");
            let plain = format!("قال {word} هنا");
            prop_assert!(!diff_text(&marked, &plain, false, later()).has_changes());
            prop_assert!(diff_text(&marked, &plain, true, later()).has_changes());
        }

        #[test]
        fn zero_deadline_still_rebuilds(old in text_strategy(), new in text_strategy()) {
            let d = diff_text(&old, &new, false, Some(Instant::now()));
            prop_assert_eq!(rebuild(&d.ops), (old, new));
        }
    }
}
