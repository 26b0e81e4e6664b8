//! What became of each item of two lists (priorities, principles, quotes): the rows of a
//! diff, built from what the [matcher](super::matching) pairs.
//!
//! Pairing, in this order: the analysts' pins (`same_as` pairs, `not_same_as` keeps
//! apart), then `key` where both have one (two items with different keys are never paired
//! by score), then the matcher (meaning, not surface: see [`super::matching`]). Items
//! merged or split become one `merged` or `split` row naming every part. An item of the
//! old list that the new one does not pair is `removed`, or `not-mentioned` when the new
//! list is partial (a news report, not the whole text: see [`Absence`]).
//!
//! **Moved** (ordered lists only): an item is moved when its position *among the paired
//! items* changed, so items inserted or removed around it do not move it, while an item
//! that changed places with another moves, as does the other. `movement` is then the change
//! in rank as shown, `from_rank − to_rank` (positive: towards the top).

use std::collections::{BTreeMap, HashSet};
use std::time::Instant;

use serde::Serialize;

pub(crate) use super::matching::max_weight_assignment;
use super::matching::{Constraints, GroupKind, Matcher, Profile, Score};
use super::normalize::{normalize, word_keys, word_ratio};
use super::words::{diff_text, WordOp};

/// What became of an item (or a sentence) from one version to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemStatus {
    /// Same wording (after normalisation), same place.
    Unchanged,
    /// Same wording, different place among the paired items.
    Moved,
    /// Paired, with different wording; `moved` says whether its place changed too.
    Reworded,
    /// Several old items became this one (`parts` names them).
    Merged,
    /// This old item became several (`parts` names them).
    Split,
    /// Only in the new version.
    Added,
    /// Only in the old version, and the new version's list is complete.
    Removed,
    /// Only in the old version, but the new version's list is partial (or empty): not
    /// said, not dropped.
    NotMentioned,
    /// Said again after statements that did not mention it (`last_said` says when).
    Again,
    /// In a language no item of the other list is worded in (and without a translation
    /// into one of theirs): not compared.
    Unmatched,
}

impl ItemStatus {
    /// The status in words, as tables show it (`not mentioned`, not `not-mentioned`).
    pub fn word(self) -> &'static str {
        match self {
            ItemStatus::Unchanged => "unchanged",
            ItemStatus::Moved => "moved",
            ItemStatus::Reworded => "reworded",
            ItemStatus::Merged => "merged",
            ItemStatus::Split => "split",
            ItemStatus::Added => "added",
            ItemStatus::Removed => "removed",
            ItemStatus::NotMentioned => "not mentioned",
            ItemStatus::Again => "again",
            ItemStatus::Unmatched => "unmatched",
        }
    }

    /// Whether the row is a change of position: not `unchanged`, `not-mentioned` or
    /// `again` (a statement not repeating an item, or repeating it, changes nothing).
    pub fn is_change(self) -> bool {
        !matches!(
            self,
            ItemStatus::Unchanged | ItemStatus::NotMentioned | ItemStatus::Again
        )
    }
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
    /// Word-level similarity of the pair from 0 to 1 (3 decimals); null when not paired.
    pub similarity: Option<f64>,
    /// The matcher's score of the pair (what it was paired on), 0 to 1; null when not
    /// paired or when paired by key or pin across languages with nothing in common.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Why the score is what it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub features: Option<Features>,
    /// The key the pair was matched on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Paired because an analyst pinned it (`same_as`).
    #[serde(skip_serializing_if = "is_false")]
    pub pinned: bool,
    /// Its place among the paired items changed (ordered lists only).
    #[serde(skip_serializing_if = "is_false")]
    pub moved: bool,
    /// When moved: `from_rank − to_rank`, positive towards the top.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub movement: Option<i64>,
    /// Merged and split rows: every part, in list order (the old items of a merge, the
    /// new ones of a split).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    /// Removed, added, not-mentioned and unmatched rows: the closest item of the other
    /// list, whether or not it was paired with something else.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nearest: Option<Part>,
    /// `not-mentioned` and `again` rows: the last statement that said it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_said: Option<Said>,
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

/// The features behind a score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Features {
    /// The part of the score from shared terms (same stem or synonym group).
    pub words: f64,
    /// The part from words close in spelling (character trigrams).
    pub trigrams: f64,
    /// What the distinctive-word conflict took off (`score = words + trigrams −
    /// conflict`, not below 0); left out when nothing.
    #[serde(skip_serializing_if = "is_zero")]
    pub conflict: f64,
    /// The language compared.
    pub language: String,
    /// Compared through a translation.
    #[serde(skip_serializing_if = "is_false")]
    pub translated: bool,
    /// The best score either item had with another item left unpaired.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runner_up: Option<f64>,
}

impl Features {
    fn of(s: &Score, runner_up: Option<f64>) -> Features {
        Features {
            words: s.words,
            trigrams: s.trigrams,
            conflict: s.conflict,
            language: s.language.clone(),
            translated: s.translated,
            runner_up,
        }
    }
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

/// An item of the other list (a part of a merge or split, or the nearest candidate).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    /// Its 1-based position in its list.
    pub rank: usize,
    /// Its text.
    pub text: String,
    /// Its score against the row's item.
    pub score: f64,
}

/// A statement, as `last_said` names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Said {
    /// `<initiative>/<id>`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Its date.
    pub date: String,
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
    /// The item in other languages.
    pub translations: Option<&'a BTreeMap<String, String>>,
    /// The language of the statement it is in (a hint for the item's own).
    pub lang: Option<&'a str>,
}

impl<'a> Entry<'a> {
    /// An entry with only a text.
    pub fn text(text: &'a str) -> Entry<'a> {
        Entry {
            key: None,
            text,
            speaker: None,
            translations: None,
            lang: None,
        }
    }
}

/// What to call an old item the new list does not pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Absence {
    /// `removed`: the new list is complete.
    Removed,
    /// `not-mentioned`, last said in this statement: the new list is partial or empty.
    NotMentioned(Said),
}

/// How to match two lists.
#[derive(Debug, Clone, Copy)]
pub struct MatchOptions {
    /// Compare exact text rather than normalised.
    pub strict: bool,
    /// Whether order matters (report moves).
    pub ordered: bool,
    /// Bound on the time spent on the reworded items' word diffs.
    pub deadline: Option<Instant>,
}

/// Pairs the analysts imposed or forbade, as `(old index, new index)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pinned {
    pub same: Vec<(usize, usize)>,
    pub apart: HashSet<(usize, usize)>,
}

/// The rows of a comparison, and what the reader should know about it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Compared {
    pub rows: Vec<ItemChange>,
    pub notices: Vec<String>,
}

/// The profiles of entries, for matching them.
pub fn profiles(m: &Matcher, entries: &[Entry<'_>]) -> Vec<Profile> {
    entries
        .iter()
        .map(|e| m.profile(e.text, e.lang, e.translations))
        .collect()
}

/// The constraints of a match: pins first (pinned pairs made, rejected ones forbidden),
/// then keys (same key paired unless an analyst said otherwise; different keys never
/// paired by score).
pub fn constraints(
    old: &[Entry<'_>],
    new: &[Entry<'_>],
    pins: &Pinned,
) -> (Constraints, Vec<bool>) {
    let mut c = Constraints {
        imposed: Vec::new(),
        forbidden: pins.apart.clone(),
    };
    let mut pinned_new = vec![false; new.len()];
    let mut old_taken = vec![false; old.len()];
    let mut new_taken = vec![false; new.len()];
    for &(i, j) in &pins.same {
        if i < old.len() && j < new.len() && !old_taken[i] && !new_taken[j] {
            c.imposed.push((i, j));
            old_taken[i] = true;
            new_taken[j] = true;
            pinned_new[j] = true;
        }
    }
    for (i, a) in old.iter().enumerate() {
        let Some(k) = a.key else { continue };
        if old_taken[i] {
            continue;
        }
        if let Some(j) = (0..new.len())
            .find(|&j| !new_taken[j] && new[j].key == Some(k) && !c.forbidden.contains(&(i, j)))
        {
            c.imposed.push((i, j));
            old_taken[i] = true;
            new_taken[j] = true;
        }
    }
    for (i, a) in old.iter().enumerate() {
        for (j, b) in new.iter().enumerate() {
            if a.key.is_some() && b.key.is_some() && a.key != b.key {
                c.forbidden.insert((i, j));
            }
        }
    }
    (c, pinned_new)
}

/// The one-to-one pairs `(old index, new index)` of two lists, in the new order, as
/// [`match_items`] makes them (pins, then keys, then the matcher's score): the entry
/// point for callers that need only which item continues which, such as the three-way
/// merge (`crate::merge`). Items merged or split pair through their first part. For the
/// frequencies to mean something, `matcher` should have [learned](Matcher::learn) the
/// items around (both lists at least); [`pairing_matcher`] builds one.
pub fn pair(
    old: &[Entry<'_>],
    new: &[Entry<'_>],
    matcher: &Matcher,
    pins: &Pinned,
) -> Vec<(usize, usize)> {
    let old_p = profiles(matcher, old);
    let new_p = profiles(matcher, new);
    let (c, _) = constraints(old, new, pins);
    let m = matcher.match_lists(&old_p, &new_p, &c);
    let mut out: Vec<(usize, usize)> = m.pairs.iter().map(|p| (p.old, p.new)).collect();
    out.extend(m.groups.iter().map(|g| (g.old[0], g.new[0])));
    out.sort_by_key(|&(_, j)| j);
    out
}

/// A matcher with `config` and the built-in and `synonyms` groups that has learned the
/// items of `lists`: for [`pair`] when no [`super::MatchContext`] is at hand.
pub fn pairing_matcher(
    config: super::matching::MatchConfig,
    synonyms: &[Vec<String>],
    lists: &[&[Entry<'_>]],
) -> Matcher {
    let mut m = Matcher::new(config, super::matching::Synonyms::with_builtin(synonyms));
    for list in lists {
        for p in profiles(&m, list) {
            m.learn(&p);
        }
    }
    m
}

/// Matches `old` against `new` and returns one row per item (a merged or split row for
/// all its parts), in the new order with each removed item after the row of the paired
/// item that preceded it.
pub fn match_items(
    old: &[Entry<'_>],
    new: &[Entry<'_>],
    opts: &MatchOptions,
    matcher: &Matcher,
    pins: &Pinned,
    absence: &Absence,
) -> Compared {
    let old_p = profiles(matcher, old);
    let new_p = profiles(matcher, new);
    let (c, pinned_new) = constraints(old, new, pins);
    let m = matcher.match_lists(&old_p, &new_p, &c);
    let mut notices = m.notices.clone();

    let pairs = &m.pairs;
    // `pairs` is in the new order, so a pair's index is its rank among the paired items of
    // the new list; this is its rank among those of the old list.
    let mut by_old: Vec<usize> = (0..pairs.len()).collect();
    by_old.sort_by_key(|&p| pairs[p].old);
    let mut paired_rank_old = vec![0; pairs.len()];
    for (rank, &p) in by_old.iter().enumerate() {
        paired_rank_old[p] = rank;
    }

    let mut rows: Vec<(Option<usize>, Option<usize>, ItemChange)> = Vec::new();
    for (p, pair) in pairs.iter().enumerate() {
        let (i, j) = (pair.old, pair.new);
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
            word_ratio(
                &word_keys(a.text, opts.strict),
                &word_keys(b.text, opts.strict),
            )
        };
        let mut row = change(status, Some((i, a)), Some((j, b)), Some(similarity), ops);
        row.score = pair.score.as_ref().map(|s| s.value);
        row.features = pair.score.as_ref().map(|s| Features::of(s, pair.runner_up));
        row.key = a.key.filter(|k| Some(*k) == b.key).map(str::to_owned);
        row.pinned = pinned_new[j];
        row.moved = moved;
        row.movement = moved.then(|| i as i64 - j as i64);
        if !same_speaker {
            row.from_speaker = a.speaker.map(str::to_owned);
            row.to_speaker = b.speaker.map(str::to_owned);
        }
        rows.push((Some(i), Some(j), row));
    }
    let mut grouped_old = vec![false; old.len()];
    let mut grouped_new = vec![false; new.len()];
    for g in &m.groups {
        let (first_old, first_new) = (g.old[0], g.new[0]);
        let (status, parts) = match g.kind {
            GroupKind::Merged => (ItemStatus::Merged, part_list(&g.old, old, &g.part_scores)),
            GroupKind::Split => (ItemStatus::Split, part_list(&g.new, new, &g.part_scores)),
        };
        let mut row = change(
            status,
            Some((first_old, &old[first_old])),
            Some((first_new, &new[first_new])),
            None,
            Vec::new(),
        );
        row.score = Some(g.score);
        row.parts = parts;
        g.old.iter().for_each(|&i| grouped_old[i] = true);
        g.new.iter().for_each(|&j| grouped_new[j] = true);
        rows.push((Some(first_old), Some(first_new), row));
    }
    let mut paired_old = grouped_old;
    let mut paired_new = grouped_new;
    for p in pairs {
        paired_old[p.old] = true;
        paired_new[p.new] = true;
    }
    let nearest = |list: &[Entry<'_>], c: Option<super::matching::Candidate>| {
        c.map(|c| Part {
            rank: c.index + 1,
            text: list[c.index].text.to_owned(),
            score: c.score,
        })
    };
    for (i, a) in old.iter().enumerate().filter(|(i, _)| !paired_old[*i]) {
        let (status, last_said) = match absence {
            _ if m.foreign_old[i] => (ItemStatus::Unmatched, None),
            Absence::Removed => (ItemStatus::Removed, None),
            Absence::NotMentioned(said) => (ItemStatus::NotMentioned, Some(said.clone())),
        };
        let mut row = change(status, Some((i, a)), None, None, Vec::new());
        row.nearest = nearest(new, m.nearest_old[i]);
        row.last_said = last_said;
        rows.push((Some(i), None, row));
    }
    for (j, b) in new.iter().enumerate().filter(|(j, _)| !paired_new[*j]) {
        let status = if m.foreign_new[j] {
            ItemStatus::Unmatched
        } else {
            ItemStatus::Added
        };
        let mut row = change(status, None, Some((j, b)), None, Vec::new());
        row.nearest = nearest(old, m.nearest_new[j]);
        rows.push((None, Some(j), row));
    }
    if m.foreign_old.iter().chain(&m.foreign_new).any(|&f| f) {
        let langs = |p: &[Profile]| {
            let mut l: Vec<&str> = p.iter().flat_map(Profile::languages).collect();
            l.sort_unstable();
            l.dedup();
            l.join("`, `")
        };
        notices.push(format!(
            "items in `{}` and in `{}` share no language, so those are not compared (`unmatched`): give them `translations` in a language the other side has, or pin them with `dossier match`",
            langs(&old_p),
            langs(&new_p)
        ));
    }
    let order = display_order(
        old.len(),
        &rows.iter().map(|r| (r.0, r.1, true)).collect::<Vec<_>>(),
    );
    let mut rows: Vec<Option<ItemChange>> = rows.into_iter().map(|r| Some(r.2)).collect();
    Compared {
        rows: order
            .into_iter()
            .filter_map(|k| rows.get_mut(k).and_then(Option::take))
            .collect(),
        notices,
    }
}

fn part_list(indices: &[usize], list: &[Entry<'_>], scores: &[f64]) -> Vec<Part> {
    indices
        .iter()
        .zip(scores)
        .map(|(&k, &score)| Part {
            rank: k + 1,
            text: list[k].text.to_owned(),
            score,
        })
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
        score: None,
        features: None,
        key: None,
        pinned: false,
        moved: false,
        movement: None,
        parts: Vec::new(),
        nearest: None,
        last_said: None,
        from_speaker: None,
        to_speaker: None,
        ops,
    }
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
mod tests;
