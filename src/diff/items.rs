//! Matching the items of two lists (priorities, principles, quotes) and saying what became
//! of each.
//!
//! Items are paired by `key` where both have one (two items with different keys are never
//! paired). The others are paired by [`similarity`](super::normalize::similarity): an
//! optimal one-to-one assignment maximising the total similarity over all pairs at or
//! above the threshold (Hungarian algorithm), so a good pair is never lost to a greedy
//! choice made earlier.
//!
//! **Moved** (ordered lists only): an item is moved when its position *among the paired
//! items* changed, so items inserted or removed around it do not move it, while an item
//! that changed places with another moves, as does the other. `movement` is then the change
//! in rank as shown, `from_rank − to_rank` (positive: towards the top).

use std::time::Instant;

use serde::Serialize;

use super::normalize::{normalize, word_keys, word_ratio};
use super::words::{diff_text, WordOp};

/// What became of an item (or a sentence) from one version to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemStatus {
    /// Same wording (after normalisation), same place.
    Unchanged,
    /// Same wording, different place among the paired items.
    Moved,
    /// Paired, with different wording; `moved` says whether its place changed too.
    Reworded,
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
}

/// One row of an item comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemChange {
    /// What became of the item.
    pub status: ItemStatus,
    /// 1-based position in the old list; null when added.
    pub from_rank: Option<usize>,
    /// 1-based position in the new list; null when removed.
    pub to_rank: Option<usize>,
    /// Old text; null when added.
    pub from: Option<String>,
    /// New text; null when removed.
    pub to: Option<String>,
    /// Similarity of the pair from 0 to 1 (3 decimals); null when not paired.
    pub similarity: Option<f64>,
    /// The key the pair was matched on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Its place among the paired items changed (ordered lists only).
    #[serde(skip_serializing_if = "is_false")]
    pub moved: bool,
    /// When moved: `from_rank − to_rank`, positive towards the top.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub movement: Option<i64>,
    /// Quotes: the speaker before, when the speaker changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_speaker: Option<String>,
    /// Quotes: the speaker after, when the speaker changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_speaker: Option<String>,
    /// For reworded items: the word diff from `from` to `to`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ops: Vec<WordOp>,
}

fn is_false(b: &bool) -> bool {
    !b
}

/// An item as matching sees it.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// Stable name, matched on first.
    pub key: Option<&'a str>,
    /// The wording.
    pub text: &'a str,
    /// Who said it (quotes); a change makes the item reworded.
    pub speaker: Option<&'a str>,
}

/// How to match two lists.
#[derive(Debug, Clone, Copy)]
pub struct MatchOptions {
    /// Compare exact text rather than normalised.
    pub strict: bool,
    /// Similarity below which items are not paired.
    pub threshold: f64,
    /// Whether order matters (report moves).
    pub ordered: bool,
    /// Bound on the time spent on the reworded items' word diffs.
    pub deadline: Option<Instant>,
}

/// An item's normalised words, in order (for the similarity) and sorted (for a cheap
/// upper bound of it), computed once.
#[derive(Debug, Clone, Default)]
pub struct ItemWords {
    keys: Vec<String>,
    sorted: Vec<String>,
}

impl ItemWords {
    pub fn of(text: &str, strict: bool) -> ItemWords {
        let keys = word_keys(text, strict);
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        ItemWords { keys, sorted }
    }
}

/// The pairs (old index, new index) that [`match_items`] makes, in the new order, for
/// callers that keep each item's words between calls (the timeline matches every
/// statement against the rows built so far).
pub fn pair_keyed(
    old: &[Entry<'_>],
    old_words: &[&ItemWords],
    new: &[Entry<'_>],
    new_words: &[&ItemWords],
    threshold: f64,
) -> Vec<(usize, usize)> {
    pair_up(
        old,
        new,
        |i, j| {
            // The words two items share (as multisets) bound their similarity from
            // above: a pair that cannot reach the threshold is not diffed at all.
            let (a, b) = (old_words[i], new_words[j]);
            let bound = overlap_bound(&a.sorted, &b.sorted);
            if bound < threshold {
                bound
            } else {
                word_ratio(&a.keys, &b.keys)
            }
        },
        threshold,
    )
}

/// `2 × shared words / all words` for two sorted word lists: an upper bound of
/// [`word_ratio`], which counts only the shared words that keep their order.
fn overlap_bound(a: &[String], b: &[String]) -> f64 {
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (2 * shared) as f64 / total as f64
}

/// Matches `old` against `new` and returns one row per item, in the new order with each
/// removed item after the row of the paired item that preceded it.
pub fn match_items(old: &[Entry<'_>], new: &[Entry<'_>], opts: &MatchOptions) -> Vec<ItemChange> {
    let old_words: Vec<ItemWords> = old
        .iter()
        .map(|e| ItemWords::of(e.text, opts.strict))
        .collect();
    let new_words: Vec<ItemWords> = new
        .iter()
        .map(|e| ItemWords::of(e.text, opts.strict))
        .collect();
    let pairs = pair_keyed(
        old,
        &old_words.iter().collect::<Vec<_>>(),
        new,
        &new_words.iter().collect::<Vec<_>>(),
        opts.threshold,
    );
    let old_keys: Vec<&Vec<String>> = old_words.iter().map(|w| &w.keys).collect();
    let new_keys: Vec<&Vec<String>> = new_words.iter().map(|w| &w.keys).collect();

    // `pairs` is in the new order, so a pair's index is its rank among the paired items of
    // the new list; this is its rank among those of the old list.
    let mut by_old: Vec<usize> = (0..pairs.len()).collect();
    by_old.sort_by_key(|&p| pairs[p].0);
    let mut paired_rank_old = vec![0; pairs.len()];
    for (rank, &p) in by_old.iter().enumerate() {
        paired_rank_old[p] = rank;
    }

    let mut rows: Vec<(Option<usize>, Option<usize>, ItemChange)> = Vec::new();
    for (p, &(i, j)) in pairs.iter().enumerate() {
        let (a, b) = (&old[i], &new[j]);
        let same_speaker = a.speaker.map(|s| normalize(s, opts.strict))
            == b.speaker.map(|s| normalize(s, opts.strict));
        let same_text = normalize(a.text, opts.strict) == normalize(b.text, opts.strict);
        let moved = opts.ordered && paired_rank_old[p] != p;
        let status = match (same_text && same_speaker, moved) {
            (true, false) => ItemStatus::Unchanged,
            (true, true) => ItemStatus::Moved,
            (false, _) => ItemStatus::Reworded,
        };
        let ops = if same_text {
            Vec::new()
        } else {
            diff_text(a.text, b.text, opts.strict, opts.deadline).ops
        };
        let similarity = if same_text {
            1.0
        } else {
            word_ratio(old_keys[i], new_keys[j])
        };
        let mut row = change(status, Some((i, a)), Some((j, b)), Some(similarity), ops);
        row.key = a.key.filter(|k| Some(*k) == b.key).map(str::to_owned);
        row.moved = moved;
        row.movement = moved.then(|| i as i64 - j as i64);
        if !same_speaker {
            row.from_speaker = a.speaker.map(str::to_owned);
            row.to_speaker = b.speaker.map(str::to_owned);
        }
        rows.push((Some(i), Some(j), row));
    }
    let mut paired_old = vec![false; old.len()];
    let mut paired_new = vec![false; new.len()];
    for &(i, j) in &pairs {
        paired_old[i] = true;
        paired_new[j] = true;
    }
    for (i, a) in old.iter().enumerate().filter(|(i, _)| !paired_old[*i]) {
        rows.push((
            Some(i),
            None,
            change(ItemStatus::Removed, Some((i, a)), None, None, Vec::new()),
        ));
    }
    for (j, b) in new.iter().enumerate().filter(|(j, _)| !paired_new[*j]) {
        rows.push((
            None,
            Some(j),
            change(ItemStatus::Added, None, Some((j, b)), None, Vec::new()),
        ));
    }
    let order = display_order(
        old.len(),
        &rows.iter().map(|r| (r.0, r.1, true)).collect::<Vec<_>>(),
    );
    let mut rows: Vec<Option<ItemChange>> = rows.into_iter().map(|r| Some(r.2)).collect();
    order
        .into_iter()
        .filter_map(|k| rows.get_mut(k).and_then(Option::take))
        .collect()
}

fn change(
    status: ItemStatus,
    from: Option<(usize, &Entry<'_>)>,
    to: Option<(usize, &Entry<'_>)>,
    similarity: Option<f64>,
    ops: Vec<WordOp>,
) -> ItemChange {
    ItemChange {
        status,
        from_rank: from.map(|(i, _)| i + 1),
        to_rank: to.map(|(j, _)| j + 1),
        from: from.map(|(_, e)| e.text.to_owned()),
        to: to.map(|(_, e)| e.text.to_owned()),
        similarity: similarity.map(|s| (s * 1000.0).round() / 1000.0),
        key: None,
        moved: false,
        movement: None,
        from_speaker: None,
        to_speaker: None,
        ops,
    }
}

/// Pairs of `(old index, new index)`, sorted by new index: first by key, then the optimal
/// assignment over `similarity(old, new)` among pairs at or above `threshold`.
fn pair_up(
    old: &[Entry<'_>],
    new: &[Entry<'_>],
    similarity: impl Fn(usize, usize) -> f64,
    threshold: f64,
) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut old_free: Vec<usize> = Vec::new();
    let mut new_taken = vec![false; new.len()];
    for (i, a) in old.iter().enumerate() {
        let by_key = a.key.and_then(|k| {
            new.iter()
                .zip(&new_taken)
                .position(|(b, taken)| !taken && b.key == Some(k))
        });
        match by_key {
            Some(j) => {
                new_taken[j] = true;
                pairs.push((i, j));
            }
            None => old_free.push(i),
        }
    }
    let new_free: Vec<usize> = (0..new.len()).filter(|&j| !new_taken[j]).collect();
    let weights: Vec<Vec<f64>> = old_free
        .iter()
        .map(|&i| {
            new_free
                .iter()
                .map(|&j| {
                    let keyed_apart = old[i].key.is_some() && new[j].key.is_some();
                    let s = similarity(i, j);
                    if !keyed_apart && s >= threshold {
                        s
                    } else {
                        -1.0 // never paired
                    }
                })
                .collect()
        })
        .collect();
    for (r, c) in max_weight_assignment(&weights) {
        if weights[r][c] >= 0.0 {
            pairs.push((old_free[r], new_free[c]));
        }
    }
    pairs.sort_by_key(|&(_, j)| j);
    pairs
}

/// Pairs `(row, column)` of a maximum-weight assignment of a rectangular matrix of finite
/// weights (every row or every column is used, whichever is fewer).
pub(crate) fn max_weight_assignment(weights: &[Vec<f64>]) -> Vec<(usize, usize)> {
    let rows = weights.len();
    let cols = weights.first().map_or(0, Vec::len);
    if rows == 0 || cols == 0 {
        return Vec::new();
    }
    let at = |r: usize, c: usize| {
        let w = weights
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .unwrap_or(0.0);
        if w.is_finite() {
            w
        } else {
            0.0
        }
    };
    if rows <= cols {
        hungarian(rows, cols, |r, c| -at(r, c))
    } else {
        hungarian(cols, rows, |c, r| -at(r, c))
            .into_iter()
            .map(|(c, r)| (r, c))
            .collect()
    }
}

/// Minimum-cost assignment of `n` rows to distinct columns among `m >= n`, by the
/// Hungarian algorithm with potentials, O(n²·m). Returns `(row, column)` pairs.
fn hungarian(n: usize, m: usize, cost: impl Fn(usize, usize) -> f64) -> Vec<(usize, usize)> {
    // 1-based, with row 0 / column 0 as the algorithm's sentinel.
    let mut u = vec![0.0; n + 1];
    let mut v = vec![0.0; m + 1];
    let mut row_of = vec![0usize; m + 1];
    let mut way = vec![0usize; m + 1];
    for i in 1..=n {
        row_of[0] = i;
        let mut j0 = 0;
        let mut min_to = vec![f64::INFINITY; m + 1];
        let mut used = vec![false; m + 1];
        loop {
            used[j0] = true;
            let i0 = row_of[j0];
            let mut delta = f64::INFINITY;
            let mut j1 = 0;
            for j in 1..=m {
                if !used[j] {
                    let reduced = cost(i0 - 1, j - 1) - u[i0] - v[j];
                    if reduced < min_to[j] {
                        min_to[j] = reduced;
                        way[j] = j0;
                    }
                    if min_to[j] < delta {
                        delta = min_to[j];
                        j1 = j;
                    }
                }
            }
            if j1 == 0 {
                break; // unreachable with finite costs; never loop forever
            }
            for j in 0..=m {
                if used[j] {
                    u[row_of[j]] += delta;
                    v[j] -= delta;
                } else {
                    min_to[j] -= delta;
                }
            }
            j0 = j1;
            if row_of[j0] == 0 {
                break;
            }
        }
        while j0 != 0 {
            let j1 = way[j0];
            row_of[j0] = row_of[j1];
            j0 = j1;
        }
    }
    (1..=m)
        .filter(|&j| row_of[j] != 0)
        .map(|j| (row_of[j] - 1, j - 1))
        .collect()
}

/// The order to show rows in, given each row's `(old index, new index, may anchor)`: by new
/// index, with a row only in the old list right after the row of the nearest earlier old
/// item that is also in the new list and may anchor (or first, when there is none).
pub(crate) fn display_order(
    old_len: usize,
    rows: &[(Option<usize>, Option<usize>, bool)],
) -> Vec<usize> {
    let mut new_of_old = vec![None; old_len];
    for &(i, j, anchors) in rows {
        if let (Some(i), Some(j), true) = (i, j, anchors) {
            if let Some(slot) = new_of_old.get_mut(i) {
                *slot = Some(j);
            }
        }
    }
    let mut anchor = vec![None; old_len];
    let mut last = None;
    for (i, slot) in anchor.iter_mut().enumerate() {
        *slot = last;
        last = new_of_old[i].or(last);
    }
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&k| match rows[k] {
        (_, Some(j), _) => (j + 1, 0, 0),
        (Some(i), None, _) => (anchor.get(i).copied().flatten().map_or(0, |a| a + 1), 1, i),
        (None, None, _) => (usize::MAX, 1, k),
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries<'a>(texts: &[&'a str]) -> Vec<Entry<'a>> {
        texts
            .iter()
            .map(|&text| Entry {
                key: None,
                text,
                speaker: None,
            })
            .collect()
    }

    fn opts(ordered: bool) -> MatchOptions {
        MatchOptions {
            strict: false,
            threshold: 0.5,
            ordered,
            deadline: None,
        }
    }

    const A: &str = "Strengthen the joint air defence system of the CIS";
    const B: &str = "Train officers in the military academies of member states";
    const C: &str = "Hold joint exercises of the collective forces every year";
    const C2: &str = "Hold joint exercises of the collective rapid forces every two years";
    const D: &str = "Build a common database of military standards";

    #[test]
    fn moved_reworded_removed_added() {
        let rows = match_items(&entries(&[A, B, C]), &entries(&[C2, A, D]), &opts(true));
        let got: Vec<_> = rows
            .iter()
            .map(|r| (r.status, r.from_rank, r.to_rank, r.moved, r.movement))
            .collect();
        use ItemStatus::*;
        assert_eq!(
            got,
            [
                (Reworded, Some(3), Some(1), true, Some(2)),
                (Moved, Some(1), Some(2), true, Some(-1)),
                (Removed, Some(2), None, false, None),
                (Added, None, Some(3), false, None),
            ]
        );
        assert!(!rows[0].ops.is_empty());
        assert!(rows[0].similarity.is_some_and(|s| s > 0.5 && s < 1.0));
    }

    #[test]
    fn insertion_before_does_not_move() {
        let rows = match_items(&entries(&[A, B]), &entries(&[D, A, B]), &opts(true));
        let statuses: Vec<_> = rows.iter().map(|r| r.status).collect();
        assert_eq!(
            statuses,
            [
                ItemStatus::Added,
                ItemStatus::Unchanged,
                ItemStatus::Unchanged
            ]
        );
    }

    #[test]
    fn keys_win_and_keep_apart() {
        let mut old = entries(&[A, B]);
        let mut new = entries(&[B, A]);
        old[0].key = Some("air");
        new[0].key = Some("air"); // the key pairs A with B's text
        old[1].key = Some("train");
        new[1].key = Some("other");
        let rows = match_items(&old, &new, &opts(false));
        let statuses: Vec<_> = rows.iter().map(|r| r.status).collect();
        assert_eq!(
            statuses,
            [ItemStatus::Reworded, ItemStatus::Removed, ItemStatus::Added]
        );
        assert_eq!(rows[0].key.as_deref(), Some("air"));
    }

    #[test]
    fn assignment_is_optimal_not_greedy() {
        // Greedy would take (0,0) = 0.9 and leave (1,1) = 0.1: total 1.0 < 0.8 + 0.8.
        let weights = vec![vec![0.9, 0.8], vec![0.8, 0.1]];
        let mut got = max_weight_assignment(&weights);
        got.sort();
        assert_eq!(got, [(0, 1), (1, 0)]);
        let tall = vec![vec![0.1], vec![0.7], vec![0.3]];
        assert_eq!(max_weight_assignment(&tall), [(1, 0)]);
    }

    #[test]
    fn quote_speaker_change_is_a_rewording() {
        let old = [Entry {
            key: None,
            text: A,
            speaker: Some("Lebedev"),
        }];
        let new = [Entry {
            key: None,
            text: A,
            speaker: Some("Shoigu"),
        }];
        let rows = match_items(&old, &new, &opts(false));
        assert_eq!(rows[0].status, ItemStatus::Reworded);
        assert_eq!(rows[0].to_speaker.as_deref(), Some("Shoigu"));
    }
}
