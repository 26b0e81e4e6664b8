//! Moved text: a paragraph (or a deleted or inserted passage of its own, such as a
//! sentence) deleted in one place and inserted in another, the same or mostly the same,
//! is a move. Its delete and insert steps are cut out of the runs around them and tagged
//! with the move, which carries the word diff of the two passages (the edits inside the
//! moved text). The steps themselves stay as they are, so the ops still rebuild both texts.

use std::collections::HashMap;
use std::ops::Range;
use std::time::Instant;

use super::engine::RunKind;
use super::units::count_words;
use super::{diff_text, TextDiff};
use crate::diff::normalize::{normalize, word_keys, word_ratio};

/// Words a passage needs to be looked for elsewhere.
const MIN_WORDS: usize = 4;
/// Share of words in order two passages must have in common to be one moved passage.
pub const MOVE_THRESHOLD: f64 = 0.5;
/// Most pairs of passages weighed for moves with edits (exact moves are always found).
const MAX_PAIRS: usize = 40_000;

/// A passage moved from one place to another.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    /// Its bytes in the old text.
    pub old: Range<usize>,
    /// Its bytes in the new text.
    pub new: Range<usize>,
    /// The word diff of the old passage against the new one.
    pub diff: TextDiff,
}

type Run = (RunKind, Range<usize>, Range<usize>);

/// The passages of the runs of one kind: each run cut at paragraph breaks, each piece
/// trimmed of the whitespace around it. (run index, bytes)
fn passages(text: &str, runs: &[Run], kind: RunKind) -> Vec<(usize, Range<usize>)> {
    let mut out = Vec::new();
    for (i, (k, old, new)) in runs.iter().enumerate() {
        if *k != kind {
            continue;
        }
        let range = if kind == RunKind::Delete { old } else { new };
        let body = text.get(range.clone()).unwrap_or_default();
        let mut at = 0;
        for piece in body.split("\n\n") {
            let lead = piece.len() - piece.trim_start().len();
            let core = piece.trim();
            let start = range.start + at + lead;
            at += piece.len() + 2;
            if core.split_whitespace().count() >= MIN_WORDS {
                out.push((i, start..start + core.len()));
            }
        }
    }
    out
}

/// Finds the moves among `runs` and cuts the runs at their edges. Returns the new runs,
/// each with the index of its move (if any), and the moves.
pub(super) fn find(
    old: &str,
    new: &str,
    runs: Vec<Run>,
    strict: bool,
    deadline: Option<Instant>,
) -> (Vec<(Run, Option<usize>)>, Vec<Move>) {
    let deleted = passages(old, &runs, RunKind::Delete);
    let inserted = passages(new, &runs, RunKind::Insert);
    if deleted.is_empty() || inserted.is_empty() {
        return (runs.into_iter().map(|r| (r, None)).collect(), Vec::new());
    }
    let text = |t: &str, r: &Range<usize>| t.get(r.clone()).unwrap_or_default().to_owned();
    // Exact moves first (after normalisation), then the most alike pairs.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut used_new = vec![false; inserted.len()];
    let mut used_old = vec![false; deleted.len()];
    let mut waiting: HashMap<String, Vec<usize>> = HashMap::new();
    for (j, (_, r)) in inserted.iter().enumerate().rev() {
        waiting
            .entry(normalize(&text(new, r), strict))
            .or_default()
            .push(j);
    }
    let counts = apart_counts(new, &runs);
    for (i, (run, r)) in deleted.iter().enumerate() {
        let found = waiting.get_mut(&normalize(&text(old, r), strict));
        if let Some(j) = found.and_then(|js| {
            js.iter()
                .rposition(|&j| apart(&counts, *run, inserted[j].0))
                .map(|k| js.remove(k))
        }) {
            pairs.push((i, j));
            used_old[i] = true;
            used_new[j] = true;
        }
    }
    if deleted.len() * inserted.len() <= MAX_PAIRS {
        let keys =
            |t: &str, r: &Range<usize>| word_keys(t.get(r.clone()).unwrap_or_default(), strict);
        let old_keys: Vec<Vec<String>> = deleted.iter().map(|(_, r)| keys(old, r)).collect();
        let new_keys: Vec<Vec<String>> = inserted.iter().map(|(_, r)| keys(new, r)).collect();
        let mut scored = Vec::new();
        for i in (0..deleted.len()).filter(|&i| !used_old[i]) {
            for j in (0..inserted.len()).filter(|&j| !used_new[j]) {
                // A pair within one rewritten passage is an edit, not a move.
                if !apart(&counts, deleted[i].0, inserted[j].0) {
                    continue;
                }
                let (a, b) = (&old_keys[i], &new_keys[j]);
                let (short, long) = (a.len().min(b.len()), a.len().max(b.len()));
                if (short as f64) < MOVE_THRESHOLD * long as f64 {
                    continue;
                }
                let s = word_ratio(a, b);
                if s >= MOVE_THRESHOLD {
                    scored.push((s, i, j));
                }
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                break;
            }
        }
        scored.sort_by(|x, y| y.0.total_cmp(&x.0));
        for (_, i, j) in scored {
            if !used_old[i] && !used_new[j] {
                used_old[i] = true;
                used_new[j] = true;
                pairs.push((i, j));
            }
        }
    }
    if pairs.is_empty() {
        return (runs.into_iter().map(|r| (r, None)).collect(), Vec::new());
    }
    // Moves in the order of their old place.
    pairs.sort_by_key(|&(i, _)| deleted[i].1.start);
    let moves: Vec<Move> = pairs
        .iter()
        .map(|&(i, j)| {
            let (o, n) = (deleted[i].1.clone(), inserted[j].1.clone());
            Move {
                diff: diff_text(&text(old, &o), &text(new, &n), strict, deadline),
                old: o,
                new: n,
            }
        })
        .collect();
    // Cut each run at the edges of the moved passages in it.
    let mut cuts: HashMap<usize, Vec<(Range<usize>, usize)>> = HashMap::new();
    for (k, &(i, j)) in pairs.iter().enumerate() {
        cuts.entry(deleted[i].0)
            .or_default()
            .push((deleted[i].1.clone(), k));
        cuts.entry(inserted[j].0)
            .or_default()
            .push((inserted[j].1.clone(), k));
    }
    let mut out = Vec::with_capacity(runs.len() + 2 * pairs.len());
    for (r, run) in runs.into_iter().enumerate() {
        let Some(mut parts) = cuts.remove(&r) else {
            out.push((run, None));
            continue;
        };
        parts.sort_by_key(|(range, _)| range.start);
        let (kind, old_range, new_range) = run;
        let whole = if kind == RunKind::Delete {
            &old_range
        } else {
            &new_range
        };
        let piece = |range: Range<usize>| -> Run {
            if kind == RunKind::Delete {
                (kind, range, new_range.clone())
            } else {
                (kind, old_range.clone(), range)
            }
        };
        let mut at = whole.start;
        for (range, k) in parts {
            if range.start > at {
                out.push((piece(at..range.start), None));
            }
            at = range.end;
            out.push((piece(range), Some(k)));
        }
        if at < whole.end {
            out.push((piece(at..whole.end), None));
        }
    }
    (out, moves)
}

/// Unchanged words and paragraph breaks before each run (and after the last), summed.
fn apart_counts(new: &str, runs: &[Run]) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(runs.len() + 1);
    let (mut words, mut breaks) = (0, 0);
    for (kind, _, range) in runs {
        out.push((words, breaks));
        if matches!(kind, RunKind::Same | RunKind::Folded) {
            let text = new.get(range.clone()).unwrap_or_default();
            words += count_words(text);
            breaks += text.matches("\n\n").count();
        }
    }
    out.push((words, breaks));
    out
}

/// Unchanged words that must lie between a deletion and an insertion (when no paragraph
/// break does) for them to be a move rather than one rewritten passage.
const APART_WORDS: usize = 12;

/// Whether runs `a` and `b` are apart: an unchanged paragraph break or [`APART_WORDS`]
/// unchanged words between them.
fn apart(counts: &[(usize, usize)], a: usize, b: usize) -> bool {
    let (lo, hi) = (a.min(b), a.max(b));
    let (Some(x), Some(y)) = (counts.get(lo), counts.get(hi)) else {
        return false;
    };
    y.1 > x.1 || y.0 - x.0 >= APART_WORDS
}
