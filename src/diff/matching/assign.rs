//! Candidates and the assignment: which pairs are worth scoring (blocking through a
//! token index, so two long lists are never compared item by item), and the one-to-one
//! assignment on the graph of scored pairs that maximises the total score.
//!
//! The graph falls apart into connected components (items linked by some pair at or
//! above the threshold); each is solved on its own, exactly (Hungarian algorithm) when
//! it is small enough, else best pair first. Real lists give components of a few items.

use std::collections::HashMap;

use super::profile::{Id, IdMap};
use super::Weighed;

/// Candidates kept per item from the index, the best by shared weight.
pub(crate) const CANDIDATES_PER_ITEM: usize = 24;
/// Posting lists at most this long are always read. A longer one (a word most items
/// share) is read only when the shorter ones could not settle the item's candidates;
/// otherwise it only adds its weight to the candidates they found.
pub(crate) const SHORT: usize = 64;
/// Items read from one long posting list per query item, when it is read: a term shared
/// by more items than this (a list of 100,000 near-identical items) is only followed
/// this far.
pub(crate) const MAX_SCAN: usize = 4_000;
/// Items read from long posting lists per query item, all lists together.
pub(crate) const SCAN_BUDGET: usize = 4_000;
/// Queries one worker looks up at least (lists under 32 blocks stay on one thread).
const QUERY_BLOCK: usize = 256;
/// Components at most this many rows × columns are assigned exactly.
pub(crate) const EXACT_CELLS: usize = 160_000;

/// An inverted index from keys (terms, word prefixes, text fingerprints) to the items
/// holding them, and each item's keys (sorted) for checking a candidate.
pub(crate) struct Index {
    postings: IdMap<Vec<u32>>,
    keys: Vec<Vec<Id>>,
    len: usize,
}

/// The keys of an item that find candidates, each with its weight.
pub(crate) fn keys(item: &[Weighed<'_>]) -> Vec<(Id, f32)> {
    let mut out: Vec<(Id, f32)> = Vec::new();
    for w in item {
        out.push((w.v.text, 8.0));
        out.extend(w.v.terms.iter().zip(&w.tw).map(|(&t, &x)| (t, x as f32)));
        out.extend(w.v.prefixes.iter().map(|&t| (t, 0.5)));
    }
    out.sort_unstable_by_key(|k| k.0);
    out.dedup_by_key(|k| k.0);
    out
}

impl Index {
    pub(crate) fn build(items: &[Vec<Weighed<'_>>]) -> Index {
        let mut postings: IdMap<Vec<u32>> = IdMap::default();
        let mut all = Vec::with_capacity(items.len());
        for (i, p) in items.iter().enumerate() {
            let ks: Vec<Id> = keys(p).into_iter().map(|k| k.0).collect();
            for &k in &ks {
                postings.entry(k).or_default().push(i as u32);
            }
            all.push(ks);
        }
        Index {
            postings,
            keys: all,
            len: items.len(),
        }
    }

    /// For each query item, its best candidates among the indexed items (by the summed
    /// weight of shared keys), and whether some posting list was cut short.
    ///
    /// The short posting lists are read first. A long list is read too (within
    /// [`MAX_SCAN`] and [`SCAN_BUDGET`]) only when the short ones found no candidate, or
    /// none whose shared weight is above what the long keys together could give an item
    /// found through them alone; otherwise its key only adds its weight to the
    /// candidates found. So a word every item has costs nothing per query, and lists of
    /// a few hundred items are read in full as before.
    pub(crate) fn candidates(&self, queries: &[Vec<Weighed<'_>>]) -> (Vec<Vec<u32>>, bool) {
        // Long lists on every core, a block of queries per worker (each with its own
        // accumulators); short ones on the calling thread.
        let block = (queries.len() / 64).max(QUERY_BLOCK);
        let blocks: Vec<&[Vec<Weighed<'_>>]> = queries.chunks(block).collect();
        let mut out = Vec::with_capacity(queries.len());
        let mut capped = false;
        for (lists, cut) in crate::parallel::map(&blocks, |b| self.candidates_of(b)) {
            out.extend(lists);
            capped |= cut;
        }
        (out, capped)
    }

    fn candidates_of(&self, queries: &[Vec<Weighed<'_>>]) -> (Vec<Vec<u32>>, bool) {
        let mut acc = vec![0f32; self.len];
        let mut touched: Vec<u32> = Vec::new();
        let mut capped = false;
        let mut out = Vec::with_capacity(queries.len());
        let mut long: Vec<(Id, f32, &[u32])> = Vec::new();
        for q in queries {
            long.clear();
            for (k, w) in keys(q) {
                let Some(list) = self.postings.get(&k) else {
                    continue;
                };
                let w = w.max(1e-6);
                if list.len() <= SHORT {
                    for &i in list {
                        let slot = &mut acc[i as usize];
                        if *slot == 0.0 {
                            touched.push(i);
                        }
                        *slot += w;
                    }
                } else {
                    long.push((k, w, list));
                }
            }
            if !long.is_empty() {
                let long_weight: f32 = long.iter().map(|l| l.1).sum();
                // The long keys' weight on the candidates found so far.
                for &i in &touched {
                    let ks = &self.keys[i as usize];
                    for &(k, w, _) in &long {
                        if ks.binary_search(&k).is_ok() {
                            acc[i as usize] += w;
                        }
                    }
                }
                let best = touched
                    .iter()
                    .map(|&i| acc[i as usize])
                    .fold(0f32, f32::max);
                if best <= long_weight {
                    // An item sharing only common words may be as close: read the long
                    // lists, the shortest first, within the budget.
                    long.sort_by_key(|l| l.2.len());
                    let mut budget = SCAN_BUDGET;
                    // The candidates found so far hold the long keys' weight already:
                    // marked negative meanwhile, so that only new items add up here.
                    let known = touched.len();
                    for &i in &touched {
                        acc[i as usize] = -acc[i as usize];
                    }
                    for &(_, w, list) in &long {
                        let take = list.len().min(MAX_SCAN).min(budget);
                        if take < list.len() {
                            capped = true;
                        }
                        budget -= take;
                        for &i in &list[..take] {
                            let slot = &mut acc[i as usize];
                            if *slot == 0.0 {
                                touched.push(i);
                            }
                            if *slot >= 0.0 {
                                *slot += w;
                            }
                        }
                    }
                    for &i in &touched[..known] {
                        acc[i as usize] = -acc[i as usize];
                    }
                }
            }
            if touched.len() > CANDIDATES_PER_ITEM {
                touched.select_nth_unstable_by(CANDIDATES_PER_ITEM, |&a, &b| {
                    acc[b as usize].total_cmp(&acc[a as usize])
                });
                for &i in &touched[CANDIDATES_PER_ITEM..] {
                    acc[i as usize] = 0.0;
                }
                touched.truncate(CANDIDATES_PER_ITEM);
            }
            for &i in &touched {
                acc[i as usize] = 0.0;
            }
            touched.sort_unstable();
            out.push(std::mem::take(&mut touched));
        }
        (out, capped)
    }
}

/// A scored pair of the candidate graph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Edge {
    pub old: usize,
    pub new: usize,
    pub score: f64,
}

/// The maximum-score one-to-one assignment over `edges` (each at or above the
/// threshold already), solved per connected component. Returns the chosen edges and
/// whether some component was too large to solve exactly.
pub(crate) fn assign(old_len: usize, edges: &[Edge]) -> (Vec<Edge>, bool) {
    // Union-find over old items 0..old_len and new items old_len...
    let new_len = edges.iter().map(|e| e.new + 1).max().unwrap_or(0);
    let mut parent: Vec<usize> = (0..old_len + new_len).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for e in edges {
        let (a, b) = (find(&mut parent, e.old), find(&mut parent, old_len + e.new));
        if a != b {
            parent[a] = b;
        }
    }
    let mut components: HashMap<usize, Vec<Edge>> = HashMap::new();
    for e in edges {
        let root = find(&mut parent, e.old);
        components.entry(root).or_default().push(*e);
    }
    let mut chosen = Vec::new();
    let mut approximate = false;
    let mut roots: Vec<usize> = components.keys().copied().collect();
    roots.sort_unstable();
    for root in roots {
        let list = &components[&root];
        let mut rows: Vec<usize> = list.iter().map(|e| e.old).collect();
        let mut cols: Vec<usize> = list.iter().map(|e| e.new).collect();
        rows.sort_unstable();
        rows.dedup();
        cols.sort_unstable();
        cols.dedup();
        if rows.len() * cols.len() <= EXACT_CELLS {
            let mut weights = vec![vec![-1.0; cols.len()]; rows.len()];
            for e in list {
                let r = rows.binary_search(&e.old).unwrap_or(0);
                let c = cols.binary_search(&e.new).unwrap_or(0);
                weights[r][c] = e.score;
            }
            for (r, c) in max_weight_assignment(&weights) {
                if weights[r][c] >= 0.0 {
                    chosen.push(Edge {
                        old: rows[r],
                        new: cols[c],
                        score: weights[r][c],
                    });
                }
            }
        } else {
            approximate = true;
            chosen.extend(greedy(list));
        }
    }
    chosen.sort_by_key(|e| e.new);
    (chosen, approximate)
}

/// Best pair first: a one-to-one choice at least half as good as the best.
fn greedy(edges: &[Edge]) -> Vec<Edge> {
    let mut sorted = edges.to_vec();
    sorted.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.old.cmp(&b.old))
            .then(a.new.cmp(&b.new))
    });
    let mut old_taken: HashMap<usize, ()> = HashMap::new();
    let mut new_taken: HashMap<usize, ()> = HashMap::new();
    let mut out = Vec::new();
    for e in sorted {
        if !old_taken.contains_key(&e.old) && !new_taken.contains_key(&e.new) {
            old_taken.insert(e.old, ());
            new_taken.insert(e.new, ());
            out.push(e);
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn components_are_solved_apart_and_exactly() {
        let e = |old, new, score| Edge { old, new, score };
        let edges = [e(0, 0, 0.9), e(0, 1, 0.8), e(1, 0, 0.8), e(5, 7, 0.6)];
        let (chosen, approximate) = assign(6, &edges);
        assert!(!approximate);
        let pairs: Vec<(usize, usize)> = chosen.iter().map(|e| (e.old, e.new)).collect();
        assert_eq!(pairs, [(1, 0), (0, 1), (5, 7)]);
    }
}
