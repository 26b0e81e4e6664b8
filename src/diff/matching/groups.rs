//! Merges and splits: one item of the new list that covers two or more of the old (or
//! the reverse), found after the one-to-one assignment among the items it left unpaired.
//!
//! For a new item (the *whole*) and the old items among its candidates that are unpaired
//! or its own pair, each old item is a possible *part* when a good share of its content
//! is found in the whole ([`CONTAINED`]) and it accounts for a good share of the whole
//! ([`COVERS`]). Parts are taken, the one covering most first, while each adds at least
//! [`ADDS`] to what they cover together; two or more parts that together cover at least
//! [`COVER_ALL`] of the whole, at least one of them unpaired, are a merge when together
//! they score at or above the threshold against the whole and better than its own pair
//! alone by [`GAIN`]. Splits are the same the other way round. Shares are weighted like
//! the score (IDF), and a word matches as in the score (same stem, or close trigrams).

use std::collections::HashSet;

use super::assign::Edge;
use super::{pick, round3, Group, GroupKind, Matcher, Pair, Weighed, SOFT_MIN};

/// How much of a part must be found in the whole.
const CONTAINED: f64 = 0.3;
/// How much of the whole a part must account for.
const COVERS: f64 = 0.2;
/// How much each part must add to what the parts cover together.
const ADDS: f64 = 0.15;
/// How much of the whole the parts must cover together.
const COVER_ALL: f64 = 0.6;
/// How much better the parts together must score than the whole's own pair.
const GAIN: f64 = 0.05;
/// Parts at most in one group.
const MAX_PARTS: usize = 4;

/// Finds the merges and splits, taking their items out of `pairs`.
pub(super) fn find(
    m: &Matcher,
    old: &[Vec<Weighed<'_>>],
    new: &[Vec<Weighed<'_>>],
    edges: &[Edge],
    pairs: &mut Vec<Pair>,
    forbidden: &HashSet<(usize, usize)>,
    threshold: f64,
) -> Vec<Group> {
    let mut groups = Vec::new();
    // Each item's pair (an index into `pairs`), and whether it is in a group already.
    let mut pair_old: Vec<Option<usize>> = vec![None; old.len()];
    let mut pair_new: Vec<Option<usize>> = vec![None; new.len()];
    for (k, p) in pairs.iter().enumerate() {
        pair_old[p.old] = Some(k);
        pair_new[p.new] = Some(k);
    }
    let mut dropped = vec![false; pairs.len()];
    let mut used_old = vec![false; old.len()];
    let mut used_new = vec![false; new.len()];
    for kind in [GroupKind::Merged, GroupKind::Split] {
        let merged = kind == GroupKind::Merged;
        // The "whole" side and the "parts" side.
        let (wholes, parts) = if merged { (new, old) } else { (old, new) };
        let mut by_whole: Vec<Vec<(usize, f64)>> = vec![Vec::new(); wholes.len()];
        for e in edges {
            if !forbidden.contains(&(e.old, e.new)) {
                let (w, p) = if merged {
                    (e.new, e.old)
                } else {
                    (e.old, e.new)
                };
                by_whole[w].push((p, e.score));
            }
        }
        for (w, cands) in by_whole.iter().enumerate() {
            let (w_used, p_used, w_pair, p_pair) = if merged {
                (&used_new, &used_old, &pair_new, &pair_old)
            } else {
                (&used_old, &used_new, &pair_old, &pair_new)
            };
            if w_used[w] || cands.len() < 2 {
                continue;
            }
            let own = w_pair[w].filter(|&k| !dropped[k]);
            if own.is_some_and(|k| pairs[k].imposed) {
                continue;
            }
            // (part, what it covers of each of the whole's terms, its score)
            let mut cands_found: Vec<(usize, Vec<f64>, f64, f64)> = Vec::new();
            let mut lang: Option<&str> = None;
            for &(part, score) in cands {
                // A part is free, or the whole's own pair.
                let its_pair = p_pair[part].filter(|&k| !dropped[k]);
                if p_used[part] || (its_pair.is_some() && its_pair != own) {
                    continue;
                }
                let Some((vp, vw)) = pick(&parts[part], &wholes[w], |x| &x.v.lang) else {
                    continue;
                };
                if lang.is_some_and(|l| l != vw.v.lang) {
                    continue; // parts are compared in one language
                }
                let (contained, cover) = coverage(vp, vw, SOFT_MIN);
                let covers = weighted(&cover, vw);
                if contained >= CONTAINED && covers >= COVERS {
                    lang = Some(&vw.v.lang);
                    cands_found.push((part, cover, covers, score));
                }
            }
            if cands_found.len() < 2 {
                continue;
            }
            cands_found.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
            let Some(vw) = lang.and_then(|l| wholes[w].iter().find(|x| x.v.lang == l)) else {
                continue;
            };
            let mut united = vec![0.0; vw.v.terms.len()];
            let mut found: Vec<(usize, f64, f64)> = Vec::new(); // (part, covers, score)
            for (part, cover, covers, score) in &cands_found {
                if found.len() == MAX_PARTS {
                    break;
                }
                let with: Vec<f64> = united
                    .iter()
                    .zip(cover)
                    .map(|(a, b): (&f64, &f64)| a.max(*b))
                    .collect();
                if weighted(&with, vw) - weighted(&united, vw) >= ADDS {
                    united = with;
                    found.push((*part, *covers, *score));
                }
            }
            if found.len() < 2 || weighted(&united, vw) < COVER_ALL {
                continue;
            }
            if found
                .iter()
                .all(|f| p_pair[f.0].is_some_and(|k| !dropped[k]))
            {
                continue; // every part is paired: nothing was left over to explain
            }
            let Some(score) = together(m, parts, &found, &wholes[w]) else {
                continue;
            };
            let own_score = own
                .and_then(|k| pairs[k].score.as_ref())
                .map_or(0.0, |s| s.value);
            if score < threshold || score < own_score + GAIN {
                continue;
            }
            if let Some(k) = own {
                dropped[k] = true;
            }
            let mut members: Vec<(usize, f64)> = found.iter().map(|f| (f.0, f.2)).collect();
            members.sort_by_key(|f| f.0);
            let ids: Vec<usize> = members.iter().map(|f| f.0).collect();
            let (old_side, new_side) = if merged {
                (ids, vec![w])
            } else {
                (vec![w], ids)
            };
            for &i in &old_side {
                used_old[i] = true;
            }
            for &j in &new_side {
                used_new[j] = true;
            }
            groups.push(Group {
                kind,
                old: old_side,
                new: new_side,
                score: round3(score),
                part_scores: members.iter().map(|f| round3(f.1)).collect(),
            });
        }
    }
    let mut k = 0;
    pairs.retain(|_| {
        k += 1;
        !dropped[k - 1]
    });
    groups
}

/// How much of `part` is found in `whole` (a share of its weight), and for each of the
/// whole's terms how well `part` matches it (1 the same stem, else the trigram
/// similarity of the closest unshared word at or above `soft_min`, else 0).
fn coverage(part: &Weighed<'_>, whole: &Weighed<'_>, soft_min: f64) -> (f64, Vec<f64>) {
    let (pt, wt) = (&part.v.terms, &whole.v.terms);
    let mut cover: Vec<f64> = vec![0.0; wt.len()];
    let mut found = 0.0;
    for (i, t) in pt.iter().enumerate() {
        if let Ok(k) = wt.binary_search(t) {
            cover[k] = 1.0;
            found += part.tw[i];
        }
    }
    for (i, t) in pt.iter().enumerate() {
        if wt.binary_search(t).is_ok() || part.v.term_grams[i].is_empty() {
            continue;
        }
        let best = (0..wt.len())
            .filter(|&k| cover[k] < 1.0 && !whole.v.term_grams[k].is_empty())
            .map(|k| {
                (
                    k,
                    super::trigram_dice(&part.v.term_grams[i], &whole.v.term_grams[k]),
                )
            })
            .filter(|&(_, sim)| sim >= soft_min)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((k, sim)) = best {
            cover[k] = cover[k].max(sim);
            found += sim * part.tw[i];
        }
    }
    let contained = if part.tsum > 0.0 {
        found / part.tsum
    } else {
        0.0
    };
    (contained, cover)
}

/// The share of `whole`'s weight that `cover` (per term, 0 to 1) accounts for.
fn weighted(cover: &[f64], whole: &Weighed<'_>) -> f64 {
    if whole.tsum <= 0.0 {
        return 0.0;
    }
    cover.iter().zip(&whole.tw).map(|(c, w)| c * w).sum::<f64>() / whole.tsum
}

/// The score of the parts taken together (their terms united) against the
/// whole, in the language the first part and the whole share.
fn together(
    m: &Matcher,
    parts: &[Vec<Weighed<'_>>],
    found: &[(usize, f64, f64)],
    whole: &[Weighed<'_>],
) -> Option<f64> {
    let (first, vw) = pick(&parts[found[0].0], whole, |x| &x.v.lang)?;
    let lang = &first.v.lang;
    let mut united = first.v.clone();
    let mut terms: Vec<(u64, Vec<u64>)> = united
        .terms
        .iter()
        .copied()
        .zip(united.term_grams.iter().cloned())
        .collect();
    for f in &found[1..] {
        let v = parts[f.0].iter().find(|x| &x.v.lang == lang)?.v;
        terms.extend(v.terms.iter().copied().zip(v.term_grams.iter().cloned()));
    }
    terms.sort_by_key(|t| t.0);
    terms.dedup_by_key(|t| t.0);
    united.terms = terms.iter().map(|t| t.0).collect();
    united.term_grams = terms.into_iter().map(|t| t.1).collect();
    united.text = 0; // never "identical"
    Some(m.score_weighed(&m.weigh_version(&united), vw).value)
}
