//! Sentence alignment (`diff --sentences`): what became of each sentence.
//!
//! Sentences equal after normalisation are aligned in order first (Myers over sentence
//! ids): those are `kept`. Of the rest, one equal to a sentence elsewhere is `moved`. In
//! each remaining gap, sentences are paired one-to-one by [`similarity`] at or above the
//! threshold (optimal assignment) and are `reworded`; a gap larger than
//! [`MAX_GAP_PAIRS`] pairs is not searched. What is left was `added` or `removed`.
//!
//! [`similarity`]: super::normalize::similarity

use std::collections::HashMap;
use std::ops::Range;
use std::time::Instant;

use serde::Serialize;
use similar::{capture_diff_slices_deadline, Algorithm, DiffOp};

use super::items::{display_order, max_weight_assignment};
use super::normalize::{normalize, sentences, word_keys, word_ratio};
use super::words::{diff_text, WordOp};

/// Largest gap (old sentences × new sentences) searched for reworded pairs.
pub const MAX_GAP_PAIRS: usize = 40_000;

/// What became of a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SentenceStatus {
    /// Same wording, same place.
    Kept,
    /// Different wording, same place.
    Reworded,
    /// Same wording, elsewhere.
    Moved,
    /// Only in the new text.
    Added,
    /// Only in the old text.
    Removed,
}

/// One row of a sentence alignment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentenceChange {
    /// What became of the sentence.
    pub status: SentenceStatus,
    /// 1-based position among the old text's sentences; null when added.
    pub from_index: Option<usize>,
    /// 1-based position among the new text's sentences; null when removed.
    pub to_index: Option<usize>,
    /// Old sentence; null when added.
    pub from: Option<String>,
    /// New sentence; null when removed.
    pub to: Option<String>,
    /// Similarity of the pair from 0 to 1 (3 decimals); null when not paired.
    pub similarity: Option<f64>,
    /// For reworded sentences: the word diff.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ops: Vec<WordOp>,
}

/// The sentence alignment, and whether some gaps were too large to search for rewordings.
pub fn align_sentences(
    old: &str,
    new: &str,
    strict: bool,
    threshold: f64,
    deadline: Option<Instant>,
) -> (Vec<SentenceChange>, bool) {
    let old_spans = sentences(old);
    let new_spans = sentences(new);
    let text = |t: &str, r: &Range<usize>| t.get(r.clone()).unwrap_or_default().to_owned();
    let mut table: HashMap<String, u32> = HashMap::new();
    let mut id = |t: &str, r: &Range<usize>| {
        let next = table.len() as u32;
        *table
            .entry(normalize(t.get(r.clone()).unwrap_or_default(), strict))
            .or_insert(next)
    };
    let old_ids: Vec<u32> = old_spans.iter().map(|r| id(old, r)).collect();
    let new_ids: Vec<u32> = new_spans.iter().map(|r| id(new, r)).collect();

    let mut pairs: Vec<(usize, usize, SentenceStatus)> = Vec::new();
    let mut gaps = Vec::new();
    for op in capture_diff_slices_deadline(Algorithm::Myers, &old_ids, &new_ids, deadline) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                pairs
                    .extend((0..len).map(|k| (old_index + k, new_index + k, SentenceStatus::Kept)));
            }
            op => gaps.push((op.old_range(), op.new_range())),
        }
    }

    // Moved: equal to an unpaired sentence in another gap.
    let mut waiting: HashMap<u32, Vec<usize>> = HashMap::new();
    for j in gaps.iter().flat_map(|g| g.1.clone()).rev() {
        waiting.entry(new_ids[j]).or_default().push(j);
    }
    let mut paired_old = vec![false; old_ids.len()];
    let mut paired_new = vec![false; new_ids.len()];
    for i in gaps.iter().flat_map(|g| g.0.clone()) {
        if let Some(j) = waiting.get_mut(&old_ids[i]).and_then(Vec::pop) {
            pairs.push((i, j, SentenceStatus::Moved));
            paired_old[i] = true;
            paired_new[j] = true;
        }
    }

    // Reworded: the best pairs within each gap.
    let mut too_large = false;
    let keys = |t: &str, r: &Range<usize>| word_keys(t.get(r.clone()).unwrap_or_default(), strict);
    for (old_gap, new_gap) in gaps {
        let rows: Vec<usize> = old_gap.filter(|&i| !paired_old[i]).collect();
        let cols: Vec<usize> = new_gap.filter(|&j| !paired_new[j]).collect();
        if rows.is_empty() || cols.is_empty() {
            continue;
        }
        if rows.len().saturating_mul(cols.len()) > MAX_GAP_PAIRS {
            too_large = true;
            continue;
        }
        let col_keys: Vec<_> = cols.iter().map(|&j| keys(new, &new_spans[j])).collect();
        let weights: Vec<Vec<f64>> = rows
            .iter()
            .map(|&i| {
                let row_keys = keys(old, &old_spans[i]);
                col_keys.iter().map(|c| word_ratio(&row_keys, c)).collect()
            })
            .collect();
        for (r, c) in max_weight_assignment(&weights) {
            if weights[r][c] >= threshold {
                pairs.push((rows[r], cols[c], SentenceStatus::Reworded));
            }
        }
    }

    let mut rows: Vec<(Option<usize>, Option<usize>, SentenceChange)> = Vec::new();
    let mut in_pair_old = vec![false; old_ids.len()];
    let mut in_pair_new = vec![false; new_ids.len()];
    for (i, j, status) in pairs {
        in_pair_old[i] = true;
        in_pair_new[j] = true;
        let (from, to) = (text(old, &old_spans[i]), text(new, &new_spans[j]));
        let (similarity, ops) = if status == SentenceStatus::Reworded {
            let d = diff_text(&from, &to, strict, deadline);
            let ratio = word_ratio(&keys(old, &old_spans[i]), &keys(new, &new_spans[j]));
            (ratio, d.ops)
        } else {
            (1.0, Vec::new())
        };
        let similarity = Some((similarity * 1000.0).round() / 1000.0);
        let row = SentenceChange {
            status,
            from_index: Some(i + 1),
            to_index: Some(j + 1),
            from: Some(from),
            to: Some(to),
            similarity,
            ops,
        };
        rows.push((Some(i), Some(j), row));
    }
    for i in (0..old_ids.len()).filter(|&i| !in_pair_old[i]) {
        let row = lone(
            SentenceStatus::Removed,
            Some(i),
            None,
            Some(text(old, &old_spans[i])),
            None,
        );
        rows.push((Some(i), None, row));
    }
    for j in (0..new_ids.len()).filter(|&j| !in_pair_new[j]) {
        let row = lone(
            SentenceStatus::Added,
            None,
            Some(j),
            None,
            Some(text(new, &new_spans[j])),
        );
        rows.push((None, Some(j), row));
    }
    // A moved sentence is no landmark for where a removed one stood.
    let anchors: Vec<_> = rows
        .iter()
        .map(|r| (r.0, r.1, r.2.status != SentenceStatus::Moved))
        .collect();
    let order = display_order(old_ids.len(), &anchors);
    let mut rows: Vec<Option<SentenceChange>> = rows.into_iter().map(|r| Some(r.2)).collect();
    let rows = order
        .into_iter()
        .filter_map(|k| rows.get_mut(k).and_then(Option::take))
        .collect();
    (rows, too_large)
}

fn lone(
    status: SentenceStatus,
    i: Option<usize>,
    j: Option<usize>,
    from: Option<String>,
    to: Option<String>,
) -> SentenceChange {
    SentenceChange {
        status,
        from_index: i.map(|i| i + 1),
        to_index: j.map(|j| j + 1),
        from,
        to,
        similarity: None,
        ops: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn every_sentence_shows_once(
            old in "([a-cа-вب-ث]{1,3}[ .،؟!\n]{1,2}){0,12}",
            new in "([a-cа-вب-ث]{1,3}[ .،؟!\n]{1,2}){0,12}",
        ) {
            let (rows, _) = align_sentences(&old, &new, false, 0.5, None);
            let mut from: Vec<usize> = rows.iter().filter_map(|r| r.from_index).collect();
            let mut to: Vec<usize> = rows.iter().filter_map(|r| r.to_index).collect();
            from.sort_unstable();
            to.sort_unstable();
            prop_assert_eq!(from, (1..=sentences(&old).len()).collect::<Vec<_>>());
            prop_assert_eq!(to, (1..=sentences(&new).len()).collect::<Vec<_>>());
        }
    }

    #[test]
    fn kept_reworded_moved_added_removed() {
        let old = "Мы укрепим ПВО. Учения пройдут летом. Это важно. Старое предложение.";
        let new = "Это важно. Мы укрепим общую ПВО. Учения пройдут летом. Новое.";
        let (rows, too_large) = align_sentences(old, new, false, 0.5, None);
        assert!(!too_large);
        let got: Vec<_> = rows
            .iter()
            .map(|r| (r.status, r.from_index, r.to_index))
            .collect();
        use SentenceStatus::*;
        assert_eq!(
            got,
            [
                (Moved, Some(3), Some(1)),
                (Reworded, Some(1), Some(2)),
                (Kept, Some(2), Some(3)),
                (Removed, Some(4), None),
                (Added, None, Some(4)),
            ]
        );
        assert!(!rows[1].ops.is_empty());
    }
}
