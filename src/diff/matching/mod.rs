//! Matching two lists of items (priorities, principles) by what they say, not by their
//! surface: the one matcher behind `diff`, `timeline` and `blame`.
//!
//! **Features.** Each item becomes a [`Profile`]: for its text and each translation, the
//! content terms ([`crate::diff::lang`]: normalised, Arabic clitics off, stop words out,
//! Snowball stems; the built-in abbreviations ([`lexicon`]) and the store's synonym
//! groups folded into one term each), and the character trigrams of each content word.
//!
//! **Score.** Two items are compared in a language both are worded in (both originals
//! when they share one, else through a translation; [`Score::language`] says which). The
//! score is a weighted Dice coefficient, `2 × weight shared / (weight of one + weight of
//! the other)`, where a term's weight is its inverse document frequency over the items the
//! matcher has [learned](Matcher::learn) (the initiative's items, say), so boilerplate
//! every item carries ("military cooperation") counts little and a rare word counts a
//! lot. A term that only one side has may still pair with an unshared term of the other
//! whose word is close in spelling (character trigrams, Dice at least [`SOFT_MIN`]): the
//! inflections and derivations the stemmer missed count by how close they are. An item
//! identical to another after normalisation scores 1.
//!
//! **Pairs.** Candidates come from a token index (blocking), never from comparing every
//! item with every other; the one-to-one assignment with the highest total score is
//! taken over the candidate pairs at or above the threshold ([`assign`]). A pair must
//! also beat its runner-up (another candidate of either item that is left unpaired) by
//! the margin, or its items stay unpaired (the choice is too close to call). Items whose
//! content is split across two items of the other list, or merged from two, become
//! [`Group`]s. Pairs the caller imposes (same key, an analyst's pin) come first; pairs the
//! caller forbids are never made.

mod assign;
mod groups;
pub mod lexicon;
mod profile;
mod synonyms;

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

#[allow(unused_imports)]
pub(crate) use assign::max_weight_assignment;
pub use profile::{Profile, Version};
pub use synonyms::Synonyms;

use assign::{Edge, Index};
use profile::{Id, IdMap};

/// Score below which two items are not paired, unless the store or the user says
/// otherwise.
pub const DEFAULT_THRESHOLD: f64 = 0.4;
/// How much better than its runner-up a pair must score, unless told otherwise.
pub const DEFAULT_MARGIN: f64 = 0.03;
/// How much a distinctive-word conflict takes off the score, unless told otherwise.
pub const DEFAULT_CONFLICT: f64 = 0.2;
/// Trigram similarity at or above which two different words count as the same word
/// inflected (partly, by their similarity).
pub const SOFT_MIN: f64 = 0.5;
/// Candidate pairs scored by one worker at a time (lists shorter than
/// `SCORE_CHUNK × 32` pairs are scored on the calling thread).
const SCORE_CHUNK: usize = 1024;
/// Items a list may hold for matching; longer lists are refused with an error.
pub const MAX_ITEMS: usize = 1_000_000;

/// How to match.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchConfig {
    /// Score (0 to 1) below which two items are not paired.
    pub threshold: f64,
    /// How much a pair must beat its runner-up by.
    pub margin: f64,
    /// Compare words exactly as written: no normalisation, stems or stop words.
    pub strict: bool,
    /// How much a distinctive-word conflict takes off the score (see [`Score::conflict`]).
    pub conflict: f64,
}

impl Default for MatchConfig {
    fn default() -> Self {
        MatchConfig {
            threshold: DEFAULT_THRESHOLD,
            margin: DEFAULT_MARGIN,
            strict: false,
            conflict: DEFAULT_CONFLICT,
        }
    }
}

/// The matcher: its settings, synonym groups and the document frequencies it weighs
/// terms by. Build one per command, [`learn`](Matcher::learn) the items of the
/// initiative (or store) it works on, then match as many lists as needed.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    config: MatchConfig,
    synonyms: Synonyms,
    df: IdMap<u32>,
    docs: u32,
}

/// How alike two items are, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// From 0 to 1: `words + trigrams`.
    pub value: f64,
    /// The part of the score from terms the two share (same stem, or the same synonym
    /// group).
    pub words: f64,
    /// The part from words that differ but are close in spelling (trigrams): the
    /// inflections and derivations the stemmer missed.
    pub trigrams: f64,
    /// What the distinctive-word conflict took off the score: when each side keeps a
    /// content word the other has no counterpart for (no same stem, synonym or close
    /// spelling), the matcher's conflict weight times the share of the weight of the
    /// lighter of the two sides' heaviest such words ("Training of military *doctors*"
    /// / "... *translators*"). `value = words + trigrams − conflict`, not below 0.
    #[serde(skip_serializing_if = "is_zero")]
    pub conflict: f64,
    /// The language the two were compared in.
    pub language: String,
    /// Compared through a translation (of one side or both), not the two originals.
    pub translated: bool,
}

/// An item of the other list that comes closest.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// Its index in the other list.
    pub index: usize,
    /// Its score.
    pub score: f64,
}

/// A pair the matcher made.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub old: usize,
    pub new: usize,
    /// The score (1 for identical texts; computed for imposed pairs too, when they share
    /// a language).
    pub score: Option<Score>,
    /// Imposed by the caller (a key or a pin) rather than chosen by score.
    pub imposed: bool,
    /// The best score either item had with another item left unpaired.
    pub runner_up: Option<f64>,
}

/// Whether several old items became one (merged) or one became several (split).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupKind {
    Merged,
    Split,
}

/// Items merged or split: `old` has several items and `new` one (merged), or the reverse.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub kind: GroupKind,
    pub old: Vec<usize>,
    pub new: Vec<usize>,
    /// The score of the one item against all the others together.
    pub score: f64,
    /// Each part's score against the one item, in the order of `old` or `new`.
    pub part_scores: Vec<f64>,
}

/// What the matcher made of two lists.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Matching {
    /// One-to-one pairs, in the new list's order.
    pub pairs: Vec<Pair>,
    /// Merges and splits (their items are in no pair).
    pub groups: Vec<Group>,
    /// For each old item, the closest new item (any, paired or not).
    pub nearest_old: Vec<Option<Candidate>>,
    /// For each new item, the closest old item.
    pub nearest_new: Vec<Option<Candidate>>,
    /// Old items worded in no language that any new item is worded in.
    pub foreign_old: Vec<bool>,
    /// New items worded in no language that any old item is worded in.
    pub foreign_new: Vec<bool>,
    /// Things the reader should know (a list too large to match exactly...).
    pub notices: Vec<String>,
}

/// Pairs the caller imposes or forbids, as `(old index, new index)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Constraints {
    /// Made whatever their score (same key, a confirmed pin).
    pub imposed: Vec<(usize, usize)>,
    /// Never made (different keys, a rejected pin).
    pub forbidden: HashSet<(usize, usize)>,
}

impl Matcher {
    /// A matcher with these settings and synonym groups, and nothing learned yet.
    pub fn new(config: MatchConfig, synonyms: Synonyms) -> Matcher {
        Matcher {
            config,
            synonyms,
            df: IdMap::default(),
            docs: 0,
        }
    }

    /// Its settings.
    pub fn config(&self) -> &MatchConfig {
        &self.config
    }

    /// Its synonym groups.
    pub fn synonyms(&self) -> &Synonyms {
        &self.synonyms
    }

    /// The profile of an item worded `text` (in the language `hint`, a BCP 47 tag, when
    /// the script fits), with its translations.
    pub fn profile(
        &self,
        text: &str,
        hint: Option<&str>,
        translations: Option<&BTreeMap<String, String>>,
    ) -> Profile {
        profile::profile(text, hint, translations, &self.synonyms, self.config.strict)
    }

    /// Counts an item's terms towards the document frequencies (each version is a
    /// document).
    pub fn learn(&mut self, p: &Profile) {
        for v in &p.versions {
            self.docs = self.docs.saturating_add(1);
            for id in &v.terms {
                *self.df.entry(*id).or_insert(0) += 1;
            }
        }
    }

    /// How many documents (item versions) it has learned.
    pub fn documents(&self) -> u32 {
        self.docs
    }

    /// The weight of a term or trigram: its inverse document frequency
    /// `ln(1 + (N − df + 0.5) / (df + 0.5))`, 1 when nothing was learned.
    pub fn weight(&self, id: Id) -> f64 {
        if self.docs == 0 {
            return 1.0;
        }
        let n = f64::from(self.docs);
        let df = f64::from(self.df.get(&id).copied().unwrap_or(0)).min(n);
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The language two items are best compared in, and their versions in it: both
    /// originals when they share a language, else the old item's original language, the
    /// new item's, or the first language both have a wording in.
    pub fn shared_versions<'p>(
        &self,
        a: &'p Profile,
        b: &'p Profile,
    ) -> Option<(&'p Version, &'p Version)> {
        pick(&a.versions, &b.versions, |v| &v.lang)
    }

    /// The score of two items, `None` when they share no language.
    pub fn score(&self, a: &Profile, b: &Profile) -> Option<Score> {
        let (wa, wb) = (self.weigh(a), self.weigh(b));
        let (va, vb) = pick(&wa, &wb, |w| &w.v.lang)?;
        Some(self.score_weighed(va, vb))
    }

    /// An item's versions with their weights, for scoring many pairs.
    pub(crate) fn weigh<'p>(&self, p: &'p Profile) -> Vec<Weighed<'p>> {
        p.versions.iter().map(|v| self.weigh_version(v)).collect()
    }

    pub(crate) fn weigh_version<'p>(&self, v: &'p Version) -> Weighed<'p> {
        let tw: Vec<f64> = v.terms.iter().map(|&t| self.weight(t)).collect();
        Weighed {
            v,
            tsum: tw.iter().sum(),
            tw,
        }
    }

    /// The score's value alone ([`score_weighed`](Self::score_weighed)`.value`), for
    /// scoring many candidate pairs without building their explanations.
    pub(crate) fn value_weighed(&self, a: &Weighed<'_>, b: &Weighed<'_>) -> f64 {
        if a.v.text == b.v.text {
            return 1.0;
        }
        let (words, trigrams, conflict) = soft_dice(a, b, SOFT_MIN);
        round3((words + trigrams - self.config.conflict * conflict).max(0.0))
    }

    pub(crate) fn score_weighed(&self, a: &Weighed<'_>, b: &Weighed<'_>) -> Score {
        let (va, vb) = (a.v, b.v);
        let translated = !(va.original && vb.original);
        if va.text == vb.text {
            return Score {
                value: 1.0,
                words: 1.0,
                trigrams: 1.0,
                conflict: 0.0,
                language: va.lang.clone(),
                translated,
            };
        }
        let (words, trigrams, conflict) = soft_dice(a, b, SOFT_MIN);
        let conflict = self.config.conflict * conflict;
        Score {
            value: round3((words + trigrams - conflict).max(0.0)),
            words: round3(words),
            trigrams: round3(trigrams),
            conflict: round3(conflict),
            language: va.lang.clone(),
            translated,
        }
    }

    /// Matches two lists of profiles.
    pub fn match_lists(&self, old: &[Profile], new: &[Profile], c: &Constraints) -> Matching {
        let threshold = if self.config.threshold.is_nan() {
            DEFAULT_THRESHOLD
        } else {
            self.config.threshold.clamp(0.0, 1.0)
        };
        let mut notices = Vec::new();
        let foreign_old = foreign(old, new);
        let foreign_new = foreign(new, old);

        let wo: Vec<Vec<Weighed<'_>>> = old.iter().map(|p| self.weigh(p)).collect();
        let wn: Vec<Vec<Weighed<'_>>> = new.iter().map(|p| self.weigh(p)).collect();
        let score = |i: usize, j: usize| -> Option<Score> {
            let (a, b) = pick(&wo[i], &wn[j], |w| &w.v.lang)?;
            Some(self.score_weighed(a, b))
        };

        // Candidates, both ways, so that every item finds its nearest.
        let (from_new, capped_a) = Index::build(&wo).candidates(&wn);
        let (from_old, capped_b) = Index::build(&wn).candidates(&wo);
        if capped_a || capped_b {
            notices.push(format!(
                "some words are shared by more than {} items: candidates for those items were looked for among the first {} only",
                assign::MAX_SCAN,
                assign::MAX_SCAN
            ));
        }
        let mut cands: Vec<(usize, usize)> = Vec::new();
        for (j, list) in from_new.iter().enumerate() {
            cands.extend(list.iter().map(|&i| (i as usize, j)));
        }
        for (i, list) in from_old.iter().enumerate() {
            cands.extend(list.iter().map(|&j| (i, j as usize)));
        }
        cands.sort_unstable();
        cands.dedup();
        // Scored on every core for long lists (each pair on its own: no shared state).
        let value = |&(i, j): &(usize, usize)| -> Option<Edge> {
            let (a, b) = pick(&wo[i], &wn[j], |w| &w.v.lang)?;
            Some(Edge {
                old: i,
                new: j,
                score: self.value_weighed(a, b),
            })
        };
        let chunks: Vec<&[(usize, usize)]> = cands.chunks(SCORE_CHUNK).collect();
        let edges: Vec<Edge> = crate::parallel::map(&chunks, |chunk| {
            chunk.iter().filter_map(value).collect::<Vec<Edge>>()
        })
        .into_iter()
        .flatten()
        .collect();
        let mut nearest_old: Vec<Option<Candidate>> = vec![None; old.len()];
        let mut nearest_new: Vec<Option<Candidate>> = vec![None; new.len()];
        for e in &edges {
            better(&mut nearest_old[e.old], e.new, e.score);
            better(&mut nearest_new[e.new], e.old, e.score);
        }

        // Imposed pairs first, then the assignment over the rest.
        let mut old_taken = vec![false; old.len()];
        let mut new_taken = vec![false; new.len()];
        let mut pairs: Vec<Pair> = Vec::new();
        for &(i, j) in &c.imposed {
            if i < old.len() && j < new.len() && !old_taken[i] && !new_taken[j] {
                old_taken[i] = true;
                new_taken[j] = true;
                pairs.push(Pair {
                    old: i,
                    new: j,
                    score: score(i, j),
                    imposed: true,
                    runner_up: None,
                });
            }
        }
        let open: Vec<Edge> = edges
            .iter()
            .filter(|e| {
                e.score >= threshold
                    && !old_taken[e.old]
                    && !new_taken[e.new]
                    && !c.forbidden.contains(&(e.old, e.new))
            })
            .copied()
            .collect();
        let (chosen, approximate) = assign::assign(old.len(), &open);
        if approximate {
            notices.push(
                "some items are alike in large numbers: they were paired best first rather than by the exact optimal assignment".to_owned(),
            );
        }
        let mut paired_old = old_taken.clone();
        let mut paired_new = new_taken.clone();
        for e in &chosen {
            paired_old[e.old] = true;
            paired_new[e.new] = true;
        }
        // The margin: a pair that its runner-up (an item left unpaired) comes within
        // `margin` of is too close to call.
        let mut best_free_old = vec![None::<(usize, f64)>; old.len()]; // best unpaired new
        let mut best_free_new = vec![None::<(usize, f64)>; new.len()]; // best unpaired old
        for o in &open {
            if !paired_new[o.new] {
                keep_best(&mut best_free_old[o.old], o.new, o.score);
            }
            if !paired_old[o.old] {
                keep_best(&mut best_free_new[o.new], o.old, o.score);
            }
        }
        for e in chosen {
            let runner_up = [best_free_old[e.old], best_free_new[e.new]]
                .into_iter()
                .flatten()
                .map(|(_, s)| s)
                .reduce(f64::max);
            let clear =
                runner_up.is_none_or(|r| e.score >= 1.0 || e.score - r >= self.config.margin);
            if clear {
                pairs.push(Pair {
                    old: e.old,
                    new: e.new,
                    score: score(e.old, e.new),
                    imposed: false,
                    runner_up,
                });
                old_taken[e.old] = true;
                new_taken[e.new] = true;
            }
        }
        let groups = groups::find(self, &wo, &wn, &edges, &mut pairs, &c.forbidden, threshold);
        pairs.sort_by_key(|p| p.new);
        Matching {
            pairs,
            groups,
            nearest_old,
            nearest_new,
            foreign_old,
            foreign_new,
            notices,
        }
    }
}

/// The weighted Dice coefficient of two versions' terms, where a term of one that the
/// other lacks may still pair with one of the other's unshared terms whose word has
/// trigrams in common (Dice of the trigram sets at least `soft_min`): such a pair counts
/// its trigram similarity times its weight. Returns (exact part, trigram part,
/// conflict: twice the weight of the lighter of the two sides' heaviest words left
/// without a counterpart, over the total weight; 0 when one side has none).
pub(crate) fn soft_dice(a: &Weighed<'_>, b: &Weighed<'_>, soft_min: f64) -> (f64, f64, f64) {
    let total = a.tsum + b.tsum;
    if total <= 0.0 {
        return (
            if a.v.terms.is_empty() && b.v.terms.is_empty() {
                1.0
            } else {
                0.0
            },
            0.0,
            0.0,
        );
    }
    let (ta, tb) = (&a.v.terms, &b.v.terms);
    let mut only_a: Vec<usize> = Vec::new();
    let mut only_b: Vec<usize> = Vec::new();
    let (mut i, mut j, mut shared) = (0, 0, 0.0);
    while i < ta.len() || j < tb.len() {
        match (ta.get(i), tb.get(j)) {
            (Some(x), Some(y)) if x == y => {
                shared += a.tw[i];
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => {
                only_a.push(i);
                i += 1;
            }
            (Some(_), None) => {
                only_a.push(i);
                i += 1;
            }
            _ => {
                only_b.push(j);
                j += 1;
            }
        }
    }
    let mut cands: Vec<(f64, usize, usize)> = Vec::new();
    for &x in &only_a {
        let ga = &a.v.term_grams[x];
        if ga.is_empty() {
            continue;
        }
        for &y in &only_b {
            let gb = &b.v.term_grams[y];
            if gb.is_empty() {
                continue;
            }
            let sim = trigram_dice(ga, gb);
            if sim >= soft_min {
                cands.push((sim, x, y));
            }
        }
    }
    cands.sort_by(|p, q| q.0.total_cmp(&p.0));
    let mut used_a: Vec<usize> = Vec::new();
    let mut used_b: Vec<usize> = Vec::new();
    let mut soft = 0.0;
    for (sim, x, y) in cands {
        if used_a.contains(&x) || used_b.contains(&y) {
            continue;
        }
        used_a.push(x);
        used_b.push(y);
        soft += sim * (a.tw[x] + b.tw[y]) / 2.0;
    }
    let heaviest_left = |only: &[usize], used: &[usize], tw: &[f64]| {
        only.iter()
            .filter(|x| !used.contains(x))
            .map(|&x| tw[x])
            .fold(0.0, f64::max)
    };
    let conflict =
        heaviest_left(&only_a, &used_a, &a.tw).min(heaviest_left(&only_b, &used_b, &b.tw));
    (
        2.0 * shared / total,
        2.0 * soft / total,
        2.0 * conflict / total,
    )
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

/// Dice coefficient of two sorted trigram sets.
pub(crate) fn trigram_dice(a: &[Id], b: &[Id]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    2.0 * count_common(a, b) as f64 / (a.len() + b.len()) as f64
}

fn count_common(a: &[Id], b: &[Id]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// A version with the weights of its terms, computed once.
#[derive(Debug, Clone)]
pub(crate) struct Weighed<'p> {
    pub(crate) v: &'p Version,
    pub(crate) tw: Vec<f64>,
    pub(crate) tsum: f64,
}

/// Of two items' versions, the pair to compare: both originals when they are in one
/// language, else the first item's original and the second's version in that language,
/// the reverse, or the first language both have.
pub(crate) fn pick<'a, T>(
    a: &'a [T],
    b: &'a [T],
    lang: impl Fn(&T) -> &str,
) -> Option<(&'a T, &'a T)> {
    let (pa, pb) = (a.first()?, b.first()?);
    let find = |list: &'a [T], l: &str| list.iter().find(|v| lang(v).eq_ignore_ascii_case(l));
    if lang(pa).eq_ignore_ascii_case(lang(pb)) {
        return Some((pa, pb));
    }
    if let Some(vb) = find(b, lang(pa)) {
        return Some((pa, vb));
    }
    if let Some(va) = find(a, lang(pb)) {
        return Some((va, pb));
    }
    a.iter().find_map(|va| find(b, lang(va)).map(|vb| (va, vb)))
}

fn keep_best(slot: &mut Option<(usize, f64)>, index: usize, score: f64) {
    if slot.is_none_or(|(_, s)| score > s) {
        *slot = Some((index, score));
    }
}

fn better(slot: &mut Option<Candidate>, index: usize, score: f64) {
    if slot.is_none_or(|c| score > c.score || (score == c.score && index < c.index)) {
        *slot = Some(Candidate { index, score });
    }
}

/// For each item of `list`, whether it shares no language with any item of `other`
/// (never, when `other` is empty: nothing to compare with is not a language problem).
fn foreign(list: &[Profile], other: &[Profile]) -> Vec<bool> {
    let langs: HashSet<&str> = other.iter().flat_map(Profile::languages).collect();
    list.iter()
        .map(|p| !other.is_empty() && !p.languages().any(|l| langs.contains(l)))
        .collect()
}

pub(crate) fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests;
