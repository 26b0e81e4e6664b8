//! The word diff of two texts.
//!
//! Each text is cut into *units*: a word or punctuation token with the whitespace after it
//! (the first unit also takes any leading whitespace). Units are compared by their
//! normalised token, interned to a `u32`, so whitespace only matters in strict mode, where
//! a unit's key is its exact text, whitespace included.
//!
//! Two levels: units are grouped into sentences, sentences are aligned by their content
//! (the sequence of unit ids), and only the regions where sentences differ are diffed word
//! by word. Both levels use Myers with a deadline; a region reached after the deadline is
//! shown as deleted and inserted whole, and [`TextDiff::coarse`] says so.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::time::Instant;

use serde::Serialize;
use similar::{capture_diff_deadline, capture_diff_slices_deadline, Algorithm, DiffOp};

use super::normalize::{normalize_token_into, tokens, SentenceBreaker, TokenKind};

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
    /// Words kept over all words, see [`super::normalize::similarity`]: from 0 to 1.
    pub similarity: f64,
    /// Words only in the new text.
    pub words_added: usize,
    /// Words only in the old text.
    pub words_removed: usize,
    /// Words in both (counted once).
    pub words_unchanged: usize,
    /// The steps, adjacent ones always differing in `op` or in having `old_text`.
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
    let mut interner = Interner::default();
    let old = Side::new(old, strict, &mut interner);
    let new = Side::new(new, strict, &mut interner);
    drop(interner);

    let mut sentence_ids: HashMap<&[u32], u32, FxBuild> = HashMap::default();
    let old_sentences = old.sentence_ids(&mut sentence_ids);
    let new_sentences = new.sentence_ids(&mut sentence_ids);

    let mut out = Builder::new(&old, &new);
    let sentence_ops =
        capture_diff_slices_deadline(Algorithm::Myers, &old_sentences, &new_sentences, deadline);
    for op in sentence_ops {
        let (old_range, new_range) = (op.old_range(), op.new_range());
        let old_units = old.units_of(old_range);
        let new_units = new.units_of(new_range);
        match op {
            DiffOp::Equal { .. } => out.equal(old_units.start, new_units.start, old_units.len()),
            DiffOp::Delete { .. } => out.delete(old_units),
            DiffOp::Insert { .. } => out.insert(new_units),
            DiffOp::Replace { .. } => out.words(old_units, new_units, deadline),
        }
    }
    out.finish()
}

/// A word or punctuation token with the whitespace after it.
#[derive(Debug, Clone, Copy)]
struct Unit {
    start: usize,
    end: usize,
    is_word: bool,
}

/// One text cut into units, with their ids and sentence boundaries.
struct Side<'a> {
    text: &'a str,
    units: Vec<Unit>,
    ids: Vec<u32>,
    /// Index of each sentence's first unit, then the number of units.
    sentence_starts: Vec<usize>,
}

impl<'a> Side<'a> {
    fn new(text: &'a str, strict: bool, interner: &mut Interner) -> Side<'a> {
        let mut units: Vec<Unit> = Vec::with_capacity(text.len() / 5);
        let mut sentence_starts = vec![0];
        let mut breaker = SentenceBreaker::default();
        for token in tokens(text) {
            let ends_sentence = breaker.feed(token.kind, token.text(text));
            match (token.kind, units.last_mut()) {
                (TokenKind::Space, Some(last)) => last.end = token.end,
                // Leading whitespace joins the first unit, made below.
                (TokenKind::Space, None) => {}
                (kind, _) => units.push(Unit {
                    start: if units.is_empty() { 0 } else { token.start },
                    end: token.end,
                    is_word: kind == TokenKind::Word,
                }),
            }
            if ends_sentence && sentence_starts.last().is_some_and(|&s| s < units.len()) {
                sentence_starts.push(units.len());
            }
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
            text,
            units,
            ids,
            sentence_starts,
        }
    }

    fn sentence_ids(&'a self, table: &mut HashMap<&'a [u32], u32, FxBuild>) -> Vec<u32> {
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

    /// The bytes of a range of units.
    fn bytes_of(&self, units: Range<usize>) -> Range<usize> {
        match (
            units.is_empty(),
            self.units.get(units.start),
            units.end.checked_sub(1),
        ) {
            (false, Some(first), Some(last)) => {
                first.start..self.units.get(last).map_or(first.end, |u| u.end)
            }
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

/// The FxHash function (as in rustc): much faster than SipHash on short keys, and the keys
/// here are not chosen by an adversary who gains anything from collisions.
#[derive(Default)]
struct FxHasher(u64);

type FxBuild = BuildHasherDefault<FxHasher>;

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RunKind {
    /// Equal, and the same bytes on both sides.
    Same,
    /// Equal after normalisation only.
    Folded,
    Insert,
    Delete,
}

/// Collects the ops as byte ranges, merging neighbours, and counts words.
struct Builder<'a> {
    old: &'a Side<'a>,
    new: &'a Side<'a>,
    runs: Vec<(RunKind, Range<usize>, Range<usize>)>,
    added: usize,
    removed: usize,
    unchanged: usize,
    coarse: bool,
}

impl<'a> Builder<'a> {
    fn new(old: &'a Side<'a>, new: &'a Side<'a>) -> Self {
        Builder {
            old,
            new,
            runs: Vec::new(),
            added: 0,
            removed: 0,
            unchanged: 0,
            coarse: false,
        }
    }

    fn push(&mut self, kind: RunKind, old: Range<usize>, new: Range<usize>) {
        if let Some((last_kind, last_old, last_new)) = self.runs.last_mut() {
            let joins = match kind {
                RunKind::Insert => true,
                RunKind::Delete => true,
                RunKind::Same | RunKind::Folded => {
                    last_old.end == old.start && last_new.end == new.start
                }
            };
            if *last_kind == kind && joins {
                last_old.end = last_old.end.max(old.end);
                last_new.end = last_new.end.max(new.end);
                return;
            }
        }
        self.runs.push((kind, old, new));
    }

    fn equal(&mut self, old_start: usize, new_start: usize, len: usize) {
        for k in 0..len {
            let old = self.old.bytes_of(old_start + k..old_start + k + 1);
            let new = self.new.bytes_of(new_start + k..new_start + k + 1);
            let same = self.old.text.get(old.clone()) == self.new.text.get(new.clone());
            let kind = if same { RunKind::Same } else { RunKind::Folded };
            self.push(kind, old, new);
        }
        self.unchanged += self.new.words_in(new_start..new_start + len);
    }

    fn delete(&mut self, units: Range<usize>) {
        if !units.is_empty() {
            self.removed += self.old.words_in(units.clone());
            let bytes = self.old.bytes_of(units);
            self.push(RunKind::Delete, bytes, 0..0);
        }
    }

    fn insert(&mut self, units: Range<usize>) {
        if !units.is_empty() {
            self.added += self.new.words_in(units.clone());
            let bytes = self.new.bytes_of(units);
            self.push(RunKind::Insert, 0..0, bytes);
        }
    }

    /// Word-diffs a region where sentences differ; past the deadline, replaces it whole.
    fn words(&mut self, old: Range<usize>, new: Range<usize>, deadline: Option<Instant>) {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            self.coarse = true;
            self.delete(old);
            self.insert(new);
            return;
        }
        let ops = capture_diff_deadline(
            Algorithm::Myers,
            &self.old.ids,
            old,
            &self.new.ids,
            new,
            deadline,
        );
        for op in ops {
            match op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => self.equal(old_index, new_index, len),
                op => {
                    self.delete(op.old_range());
                    self.insert(op.new_range());
                }
            }
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            self.coarse = true;
        }
    }

    fn finish(self) -> TextDiff {
        let (old_text, new_text) = (self.old.text, self.new.text);
        let slice =
            |text: &str, range: Range<usize>| text.get(range).unwrap_or_default().to_owned();
        let ops = self
            .runs
            .into_iter()
            .map(|(kind, old, new)| match kind {
                RunKind::Same => op(OpKind::Equal, slice(new_text, new), None),
                RunKind::Folded => op(
                    OpKind::Equal,
                    slice(new_text, new),
                    Some(slice(old_text, old)),
                ),
                RunKind::Insert => op(OpKind::Insert, slice(new_text, new), None),
                RunKind::Delete => op(OpKind::Delete, slice(old_text, old), None),
            })
            .collect();
        let total =
            self.old.words_in(0..self.old.units.len()) + self.new.words_in(0..self.new.units.len());
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

fn op(op: OpKind, text: String, old_text: Option<String>) -> WordOp {
    WordOp { op, text, old_text }
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
                (Equal, "Мы "),
                (Delete, "укрепим "),
                (Insert, "усилим "),
                (Equal, "оборону. Second one.")
            ]
        );
        assert_eq!(
            (d.words_added, d.words_removed, d.words_unchanged),
            (1, 1, 4)
        );
        assert!((d.similarity - 0.8).abs() < 1e-9);
    }

    #[test]
    fn folded_equal_keeps_old_text() {
        let d = diff_text("الأمنُ  القومي", "الامن القومي", false, later());
        assert!(!d.has_changes());
        assert_eq!(d.ops[0].old_text.as_deref(), Some("الأمنُ  "));
        assert_eq!(d.ops[1].text, "القومي");
        let strict = diff_text("الأمنُ  القومي", "الامن القومي", true, later());
        assert!(strict.has_changes());
    }

    #[test]
    fn zero_deadline_falls_back_to_whole_regions() {
        let (old, new) = ("One two three. Four five.", "One two free. Four five.");
        let d = diff_text(old, new, false, Some(Instant::now()));
        assert!(d.coarse);
        assert_eq!(rebuild(&d.ops), (old.to_owned(), new.to_owned()));
        assert_eq!((d.words_added, d.words_removed), (3, 3));
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
