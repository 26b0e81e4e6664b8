//! Significant changes: what a policy analyst looks for first in a diff. Over a word diff
//! (the wording, a reworded priority, principle or quote, the summary), each changed
//! passage is read on both sides for
//!
//! * `modality`: the strength of a commitment (must, shall, will, is to > should > may,
//!   can, could; обязаны, должны, будут > следует > могут; يجب > ينبغي > يمكن), with a
//!   direction, `strengthened` or `weakened`; a plain statement counts as the strongest;
//! * `negation`: a negation added or removed (not, no longer; не, нет; لا، ليس، لم، لن);
//! * `number`: a quantity changed (digits in any script, number words);
//! * `year`: a year, deadline or horizon changed (`until 2030` to `until 2035`).
//!
//! Words are compared as every comparison compares them (the shared tokens,
//! normalisation and Arabic clitics of [`crate::diff::lang`]), and numbers by value, so
//! noise raises nothing: `٢٠٣٠` and `2030`, `five` and `5`, `1,000` and `1 000`,
//! diacritics, quotation marks, spacing. A number that labels a part of the text
//! (`Article 3`, a list's `3.`) is not a quantity. A whole sentence added or removed is
//! new content, not a change of commitment: a modal, negation or number is reported when
//! it changes within a passage both versions keep.
//!
//! The words themselves are data, per language, in [`lexicon`].

pub(crate) mod lexicon;
mod scan;
#[cfg(test)]
mod tests;

use std::ops::Range;

use serde::Serialize;

use super::lang::{Analyzer, Lang};
use super::normalize::{tokens, TokenKind};
use super::words::{OpKind, WordOp};
use scan::{Mark, Marker, Word};

/// What kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Modality,
    Negation,
    Number,
    Year,
}

/// Where in the diff it was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    Wording,
    Priorities,
    Principles,
    Quotes,
    Summary,
}

/// Which way a commitment moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Strengthened,
    Weakened,
}

/// What happened to the marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Only in the new version (a negation added, a number added).
    Added,
    /// Only in the old version.
    Removed,
    /// A number grew.
    Increased,
    /// A number shrank.
    Decreased,
    /// A year moved later.
    Later,
    /// A year moved earlier.
    Earlier,
    /// Replaced otherwise (several numbers, a modal for another).
    Changed,
}

/// Where a change is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Place {
    /// 1-based line in the old text (wording only).
    pub from_line: Option<usize>,
    /// 1-based line in the new text (wording only).
    pub to_line: Option<usize>,
    /// The nearest heading or article label above it (wording only).
    pub heading: Option<String>,
    /// Lists: the item's rank in the old list.
    pub from_rank: Option<usize>,
    /// Lists: the item's rank in the new list.
    pub to_rank: Option<usize>,
}

/// One significant change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Significant {
    pub kind: Kind,
    pub section: Section,
    /// The marker as the old version wrote it (`will`, `5`, `2030`); null when absent.
    pub from: Option<String>,
    /// The marker as the new version writes it; null when absent.
    pub to: Option<String>,
    /// Modality only.
    pub direction: Option<Direction>,
    pub change: Change,
    pub place: Place,
    /// The changed passage in the old version, with a few words around.
    pub from_context: Option<String>,
    /// The changed passage in the new version, with a few words around.
    pub to_context: Option<String>,
}

/// Commitment of a passage without any modal: a plain statement is a firm one.
const PLAIN: u8 = 3;
/// Words of context kept each side of a change in `from_context` / `to_context`.
const CONTEXT_WORDS: usize = 5;
/// Bytes looked at each side of a change for phrases and context.
const WINDOW_BYTES: usize = 160;
/// A change this small (changed words on the larger side) with at most
/// [`SMALL_DELTA`] words' difference between sides is an edit of a kept passage.
const SMALL_WORDS: usize = 6;
const SMALL_DELTA: usize = 3;
/// Passages compared for modality when both sides changed this many words at most.
const COMPARABLE_WORDS: usize = 40;

/// The significant changes of a whole diff: its priorities, principles and quotes
/// (reworded rows), its wording, and its `summary` field, in that order.
pub fn of_diff(d: &super::StatementDiff) -> Vec<Significant> {
    let hint = Lang::from_tag(&d.to.language);
    let mut out = Vec::new();
    for (section, rows) in [
        (Section::Priorities, &d.priorities),
        (Section::Principles, &d.principles),
        (Section::Quotes, &d.quotes),
    ] {
        for row in rows.iter().filter(|r| !r.ops.is_empty()) {
            out.extend(detect(&row.ops, section, hint).into_iter().map(|mut s| {
                s.place.from_rank = row.from_rank;
                s.place.to_rank = row.to_rank;
                s
            }));
        }
    }
    if let Some(w) = &d.wording {
        out.extend(detect(
            &w.diff.ops,
            Section::Wording,
            Lang::from_tag(&w.language),
        ));
    }
    if let Some(f) = d.metadata.iter().find(|f| f.field == "summary") {
        // Only an edited summary (one with a word diff): two statements' summaries that
        // share little are different texts, not versions of one.
        out.extend(detect(&f.ops, Section::Summary, hint));
    }
    out
}

/// A stretch of a word diff, in both texts.
#[derive(Debug, Clone)]
struct Piece {
    op: OpKind,
    old: Range<usize>,
    new: Range<usize>,
}

/// Changed pieces close together (at most two kept words between, no sentence end).
#[derive(Debug, Clone)]
struct Hunk {
    old_changed: Vec<Range<usize>>,
    new_changed: Vec<Range<usize>>,
    old_span: Range<usize>,
    new_span: Range<usize>,
}

/// The significant changes of one word diff. `hint` is the language of the texts (for
/// the words of its script); lines and heading are filled in for the wording only.
pub fn detect(ops: &[WordOp], section: Section, hint: Option<Lang>) -> Vec<Significant> {
    // Texts that share no word (a translation paired across languages, a rewrite) are
    // not versions of one passage.
    let shared = ops
        .iter()
        .any(|op| op.op == OpKind::Equal && word_count(&op.text) > 0);
    if !shared {
        return Vec::new();
    }
    let mut old = String::new();
    let mut new = String::new();
    let mut pieces = Vec::with_capacity(ops.len());
    for op in ops {
        let (o, n) = (old.len(), new.len());
        match op.op {
            OpKind::Equal => {
                old.push_str(op.old_text.as_deref().unwrap_or(&op.text));
                new.push_str(&op.text);
            }
            OpKind::Delete => old.push_str(&op.text),
            OpKind::Insert => new.push_str(&op.text),
        }
        pieces.push(Piece {
            op: op.op,
            old: o..old.len(),
            new: n..new.len(),
        });
    }
    let lines = (LineIndex::new(&old), LineIndex::new(&new));
    let mut an = Analyzer::new(hint);
    let mut out = Vec::new();
    for hunk in hunks(&old, &pieces) {
        let found = judge(&old, &new, &hunk, hint, &mut an);
        if found.is_empty() {
            continue;
        }
        let place = if section == Section::Wording {
            Place {
                from_line: Some(lines.0.line(hunk.old_span.start)),
                to_line: Some(lines.1.line(hunk.new_span.start)),
                heading: lines
                    .1
                    .heading_before(&new, hunk.new_span.start)
                    .or_else(|| lines.0.heading_before(&old, hunk.old_span.start)),
                ..Place::default()
            }
        } else {
            Place::default()
        };
        let from_context = context(&old, &hunk.old_span);
        let to_context = context(&new, &hunk.new_span);
        for (kind, from, to, direction, change) in found {
            out.push(Significant {
                kind,
                section,
                from,
                to,
                direction,
                change,
                place: place.clone(),
                from_context: from_context.clone(),
                to_context: to_context.clone(),
            });
        }
    }
    out
}

fn is_sentence_end(text: &str) -> bool {
    text.contains(['.', '!', '?', '؟', ';', '\n'])
}

fn word_count(text: &str) -> usize {
    tokens(text).filter(|t| t.kind == TokenKind::Word).count()
}

fn hunks(old: &str, pieces: &[Piece]) -> Vec<Hunk> {
    let mut out: Vec<Hunk> = Vec::new();
    let mut open: Option<Hunk> = None;
    let mut gap: Option<&Piece> = None;
    for p in pieces {
        if p.op == OpKind::Equal {
            let text = old.get(p.old.clone()).unwrap_or_default();
            if open.is_some() && gap.is_none() && word_count(text) <= 2 && !is_sentence_end(text) {
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
        });
        h.old_span.end = p.old.end;
        h.new_span.end = p.new.end;
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

/// `range` widened by up to [`WINDOW_BYTES`] each side, to whitespace.
fn window(text: &str, range: &Range<usize>) -> Range<usize> {
    let mut start = range.start.saturating_sub(WINDOW_BYTES);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    if start > 0 {
        start = text
            .get(start..range.start)
            .and_then(|t| t.find(char::is_whitespace))
            .map_or(range.start, |i| start + i);
    }
    let mut end = (range.end + WINDOW_BYTES).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    if end < text.len() {
        end = text
            .get(range.end..end)
            .and_then(|t| t.rfind(char::is_whitespace))
            .map_or(range.end, |i| range.end + i);
    }
    start..end
}

fn touches(m: &Marker, changed: &[Range<usize>], point: usize) -> bool {
    if changed.is_empty() {
        m.span.start < point && point < m.span.end
    } else {
        changed
            .iter()
            .any(|c| m.span.start < c.end && c.start < m.span.end)
    }
}

type Found = (
    Kind,
    Option<String>,
    Option<String>,
    Option<Direction>,
    Change,
);

/// One side of a hunk: its words, the markers its changes touch, its changed words.
struct SideView<'a> {
    text: &'a str,
    words: Vec<Word>,
    touched: Vec<Marker>,
    changed_words: usize,
}

impl<'a> SideView<'a> {
    fn new(
        text: &'a str,
        changed: &[Range<usize>],
        span: &Range<usize>,
        hint: Option<Lang>,
        an: &mut Analyzer,
    ) -> SideView<'a> {
        let words = scan::words(text, window(text, span), an);
        let touched = scan::markers(text, &words, hint)
            .into_iter()
            .filter(|m| touches(m, changed, span.start))
            .collect();
        let changed_words = changed
            .iter()
            .map(|r| word_count(text.get(r.clone()).unwrap_or_default()))
            .sum();
        SideView {
            text,
            words,
            touched,
            changed_words,
        }
    }

    fn texts(&self, pick: impl Fn(&Mark) -> bool) -> Vec<&'a str> {
        self.touched
            .iter()
            .filter(|m| pick(&m.mark))
            .map(|m| self.text.get(m.span.clone()).unwrap_or_default())
            .collect()
    }

    fn modal(&self) -> Option<u8> {
        self.touched
            .iter()
            .filter_map(|m| match m.mark {
                Mark::Modal(l) => Some(l),
                _ => None,
            })
            .max()
    }

    fn values(&self, year: bool) -> Vec<(f64, &'a str)> {
        self.touched
            .iter()
            .filter_map(|m| {
                let v = match m.mark {
                    Mark::Number(v) if !year => v,
                    Mark::Year(y) if year => y as f64,
                    _ => return None,
                };
                Some((v, self.text.get(m.span.clone()).unwrap_or_default()))
            })
            .collect()
    }
}

/// Arabic future سـ on a changed verb whose bare form the other side has (`سيعزز` /
/// `قد يعزز`): a promise.
fn arabic_future(words: &[Word], other: &[Word], changed: &[Range<usize>]) -> Vec<Marker> {
    words
        .iter()
        .filter(|w| {
            let inside = changed
                .iter()
                .any(|c| w.span.start < c.end && c.start < w.span.end);
            let rest = w.base.strip_prefix('س').unwrap_or_default();
            inside
                && w.lang == Some(Lang::Ar)
                && rest.starts_with(['ي', 'ت', 'ن', 'ا'])
                && rest.chars().count() >= 3
                && other.iter().any(|o| o.base == rest)
        })
        .map(|w| Marker {
            mark: Mark::Modal(3),
            span: w.span.clone(),
            spelled: false,
        })
        .collect()
}

fn joined(list: &[&str]) -> Option<String> {
    (!list.is_empty()).then(|| list.join(", "))
}

/// The significant changes of one hunk.
fn judge(old: &str, new: &str, h: &Hunk, hint: Option<Lang>, an: &mut Analyzer) -> Vec<Found> {
    let mut a = SideView::new(old, &h.old_changed, &h.old_span, hint, an);
    let mut b = SideView::new(new, &h.new_changed, &h.new_span, hint, an);
    let a_future = arabic_future(&a.words, &b.words, &h.old_changed);
    let b_future = arabic_future(&b.words, &a.words, &h.new_changed);
    a.touched.extend(a_future);
    b.touched.extend(b_future);

    let (ow, nw) = (a.changed_words, b.changed_words);
    let one_sided = h.old_changed.is_empty() || h.new_changed.is_empty();
    let whole = if h.old_changed.is_empty() {
        whole_sentences(new, &h.new_span)
    } else {
        whole_sentences(old, &h.old_span)
    };
    let small =
        ow.max(nw) <= SMALL_WORDS && ow.abs_diff(nw) <= SMALL_DELTA && !(one_sided && whole);
    let comparable = ow <= COMPARABLE_WORDS && nw <= COMPARABLE_WORDS;
    let mut out = Vec::new();

    // Modality.
    let (ma, mb) = (a.modal(), b.modal());
    let levels = match (ma, mb) {
        (Some(x), Some(y)) if comparable => Some((x, y)),
        (None, Some(y)) if small => Some((PLAIN, y)),
        (Some(x), None) if small => Some((x, PLAIN)),
        _ => None,
    };
    if let Some((x, y)) = levels.filter(|(x, y)| x != y) {
        let is_modal = |m: &Mark| matches!(m, Mark::Modal(_));
        out.push((
            Kind::Modality,
            joined(&a.texts(is_modal)),
            joined(&b.texts(is_modal)),
            Some(if y > x {
                Direction::Strengthened
            } else {
                Direction::Weakened
            }),
            Change::Changed,
        ));
    }

    // Negation.
    let is_neg = |m: &Mark| *m == Mark::Negation;
    let (na, nb) = (a.texts(is_neg), b.texts(is_neg));
    if na.len() != nb.len() && small {
        out.push((
            Kind::Negation,
            joined(&na),
            joined(&nb),
            None,
            if nb.len() > na.len() {
                Change::Added
            } else {
                Change::Removed
            },
        ));
    }

    // "One" in words is a count only against another number (`one brigade` / `two
    // brigades`), not in `one of`, `as one`, `одна из`.
    let has_number = |v: &SideView| v.touched.iter().any(|m| matches!(m.mark, Mark::Number(_)));
    let (a_has, b_has) = (has_number(&a), has_number(&b));
    let lone_one = |m: &Marker| m.spelled && m.mark == Mark::Number(1.0);
    a.touched.retain(|m| b_has || !lone_one(m));
    b.touched.retain(|m| a_has || !lone_one(m));

    // Numbers and years, by value.
    for (kind, year) in [(Kind::Number, false), (Kind::Year, true)] {
        let (mut va, mut vb) = (a.values(year), b.values(year));
        va.retain(
            |(v, _)| match vb.iter().position(|(w, _)| same_value(*v, *w)) {
                Some(k) => {
                    vb.remove(k);
                    false
                }
                None => true,
            },
        );
        let texts = |v: &[(f64, &str)]| joined(&v.iter().map(|(_, t)| *t).collect::<Vec<_>>());
        let change = match (va.as_slice(), vb.as_slice()) {
            ([], []) => continue,
            ([(x, _)], [(y, _)]) if comparable => match (year, y > x) {
                (true, true) => Change::Later,
                (true, false) => Change::Earlier,
                (false, true) => Change::Increased,
                (false, false) => Change::Decreased,
            },
            ([_, ..], [_, ..]) if comparable => Change::Changed,
            ([], [_, ..]) if small => Change::Added,
            ([_, ..], []) if small => Change::Removed,
            _ => continue,
        };
        out.push((kind, texts(&va), texts(&vb), None, change));
    }
    out
}

/// Whether `text[span]` is one or more whole sentences (an added or removed sentence is
/// new content, not an edit).
fn whole_sentences(text: &str, span: &Range<usize>) -> bool {
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

fn same_value(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The changed passage with [`CONTEXT_WORDS`] words each side, whitespace collapsed;
/// `None` when the text is empty.
fn context(text: &str, span: &Range<usize>) -> Option<String> {
    let before = text.get(..span.start).unwrap_or_default();
    let start = reach(before.char_indices().rev()).map_or(span.start, |(i, _)| i);
    let after = text.get(span.end..).unwrap_or_default();
    let end = reach(after.char_indices()).map_or(span.end, |(i, c)| span.end + i + c.len_utf8());
    let s = text
        .get(start..end)
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!s.is_empty()).then_some(s)
}

/// The last character of up to [`CONTEXT_WORDS`] words walked from a change (either way),
/// never past the end of its line.
fn reach(chars: impl Iterator<Item = (usize, char)>) -> Option<(usize, char)> {
    let (mut words, mut in_word, mut last) = (0, false, None);
    for (i, c) in chars {
        if c == '\n' {
            break; // context stays on the change's line
        }
        if c.is_whitespace() {
            if in_word {
                words += 1;
                if words >= CONTEXT_WORDS {
                    break;
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
        last = Some((i, c));
    }
    last
}

/// Line starts of a text, for line numbers and headings.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line holding byte `at` (a change starting with whitespace counts on the
    /// line of its first word).
    fn line(&self, at: usize) -> usize {
        self.starts.partition_point(|&s| s <= at).max(1)
    }

    /// The nearest heading on or above the line of `at` (looking back 400 lines).
    fn heading_before(&self, text: &str, at: usize) -> Option<String> {
        let line = self.line(at);
        (line.saturating_sub(400)..line).rev().find_map(|l| {
            let start = self.starts[l];
            let end = self.starts.get(l + 1).copied().unwrap_or(text.len());
            scan::heading_of(text.get(start..end).unwrap_or_default())
        })
    }
}
