//! Three-way merge of priorities, principles and quotes: lists of items whose identity is
//! a key or, failing that, their wording as the matcher pairs it.
//!
//! Each side is matched against the base ([`pair`]); an item's content (key, text,
//! speaker) is then merged like scalars, and the list's order separately, as data of its
//! own. So an item reworded on one side and moved on the other keeps both changes, while
//! the same item reworded differently on both sides, removed on one side and reworded on
//! the other, or (in a ranked list) moved to different ranks on both sides is a clash,
//! described in the analyst's terms.
//!
//! **Order.** For every two items both sides kept, which comes first is merged as a
//! scalar (a side that swapped them wins over one that did not); the list is then the
//! order that satisfies every pair, ties going to the preferred side's order. An item
//! added on one side goes right after the item that precedes it on that side. An item
//! *moved* on a side is one that changed places with others at least as often as each
//! of those others did (so moving one item to the top moves it, not the ones it passed).

use super::{quote, Side};
use crate::diff::items::{self, pairing_matcher, Entry, Pinned};
use crate::diff::matching::MatchConfig;
use crate::diff::normalize;

/// An item as the list merge sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Elem {
    pub key: Option<String>,
    pub text: String,
    /// Quotes only.
    pub speaker: Option<String>,
    /// Priorities and principles: the item's translations and pins, merged as one value.
    pub meta: ItemMeta,
}

/// What an item carries besides its key and text: merged as one scalar (a side that
/// changed it wins; both changing it differently is a clash).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemMeta {
    pub translations: std::collections::BTreeMap<String, String>,
    pub same_as: Vec<String>,
    pub not_same_as: Vec<String>,
}

/// What kind of list is merged.
#[derive(Debug, Clone, Copy)]
pub struct ListKind {
    /// `priority`, `principle`, `quote`: how one item is named in a clash.
    pub noun: &'static str,
    /// Whether the order is a rank (priorities): then a clash of order or of two items
    /// added at the same place is a conflict; otherwise the preferred side's order wins.
    pub ranked: bool,
}

/// Pairs `(base index, side index)` of the items one side kept from the base.
///
/// The one place the merge asks how items match: `diff::items::pair` (pins, keys, then
/// the matcher by meaning, as `diff` pairs them), with the same threshold as `diff`,
/// term weights learned over the three versions of the list.
fn pair(base: &[Elem], side: &[Elem], threshold: f64) -> Vec<(usize, usize)> {
    fn entries(l: &[Elem]) -> Vec<Entry<'_>> {
        l.iter()
            .map(|e| Entry {
                key: e.key.as_deref(),
                speaker: e.speaker.as_deref(),
                ..Entry::text(&e.text)
            })
            .collect()
    }
    let (b, s) = (entries(base), entries(side));
    let config = MatchConfig {
        threshold: if threshold.is_nan() {
            crate::diff::DEFAULT_MATCH_THRESHOLD
        } else {
            threshold.clamp(0.0, 1.0)
        },
        ..MatchConfig::default()
    };
    let m = pairing_matcher(config, &[], &[&b, &s]);
    items::pair(&b, &s, &m, &Pinned::default())
}

/// A node of the merged list: a base item, or an item one side added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    Base(usize),
    Ours(usize),
    Theirs(usize),
}

fn pick<'a, T: PartialEq>(b: &'a T, o: &'a T, t: &'a T, prefer: Side) -> (&'a T, bool) {
    if o == t || t == b {
        (o, false)
    } else if o == b {
        (t, false)
    } else {
        (
            match prefer {
                Side::Ours => o,
                Side::Theirs => t,
            },
            true,
        )
    }
}

/// Merges one list; returns the list (each clash settled for `prefer`) and the clashes.
pub fn merge_list(
    base: &[Elem],
    ours: &[Elem],
    theirs: &[Elem],
    kind: ListKind,
    threshold: f64,
    prefer: Side,
) -> (Vec<Elem>, Vec<String>) {
    if ours == base {
        return (theirs.to_vec(), Vec::new());
    }
    if theirs == base || ours == theirs {
        return (ours.to_vec(), Vec::new());
    }
    let mut clashes = Vec::new();
    let noun = kind.noun;
    let mut o_of = vec![None; base.len()];
    let mut t_of = vec![None; base.len()];
    let mut o_base = vec![None; ours.len()];
    let mut t_base = vec![None; theirs.len()];
    for (i, j) in pair(base, ours, threshold) {
        o_of[i] = Some(j);
        o_base[j] = Some(i);
    }
    for (i, k) in pair(base, theirs, threshold) {
        t_of[i] = Some(k);
        t_base[k] = Some(i);
    }

    // The content of each base item, or None where it goes.
    let mut content: Vec<Option<Elem>> = Vec::with_capacity(base.len());
    for (i, b) in base.iter().enumerate() {
        let o = o_of[i].map(|j| &ours[j]);
        let t = t_of[i].map(|k| &theirs[k]);
        content.push(match (o, t) {
            (Some(o), Some(t)) => {
                let (key, c1) = pick(&b.key, &o.key, &t.key, prefer);
                let (text, c2) = pick(&b.text, &o.text, &t.text, prefer);
                let (speaker, c3) = pick(&b.speaker, &o.speaker, &t.speaker, prefer);
                let (meta, c4) = pick(&b.meta, &o.meta, &t.meta, prefer);
                if c4 {
                    clashes.push(format!(
                        "both sides changed the translations or pins (same_as, not_same_as) of the {noun} {}",
                        quote(&b.text)
                    ));
                }
                if c1 {
                    clashes.push(format!(
                        "both sides changed the key of the {noun} {}: to {} (ours) and to {} (theirs)",
                        quote(&b.text),
                        key_word(&o.key),
                        key_word(&t.key)
                    ));
                }
                if c2 {
                    clashes.push(format!(
                        "both sides reworded the {noun} {}: to {} (ours) and to {} (theirs)",
                        quote(&b.text),
                        quote(&o.text),
                        quote(&t.text)
                    ));
                }
                if c3 {
                    clashes.push(format!(
                        "both sides changed who said the {noun} {}: {} (ours) and {} (theirs)",
                        quote(&b.text),
                        speaker_word(&o.speaker),
                        speaker_word(&t.speaker)
                    ));
                }
                Some(Elem {
                    key: key.clone(),
                    text: text.clone(),
                    speaker: speaker.clone(),
                    meta: meta.clone(),
                })
            }
            (None, None) => None,
            (Some(kept), None) | (None, Some(kept)) => {
                let removed_by = if o.is_none() { Side::Ours } else { Side::Theirs };
                if kept == b {
                    None
                } else {
                    let (gone, changed) = match removed_by {
                        Side::Ours => ("our", "theirs"),
                        Side::Theirs => ("their", "ours"),
                    };
                    clashes.push(format!(
                        "the {noun} {} was removed on {gone} side and changed on the other (to {} in {changed})",
                        quote(&b.text),
                        quote(&kept.text)
                    ));
                    (prefer != removed_by).then(|| kept.clone())
                }
            }
        });
    }

    // Items added on both sides alike are one item.
    let o_added: Vec<usize> = (0..ours.len()).filter(|&j| o_base[j].is_none()).collect();
    let t_added: Vec<usize> = (0..theirs.len()).filter(|&k| t_base[k].is_none()).collect();
    let mut twin_of_theirs: Vec<Option<usize>> = vec![None; theirs.len()];
    let mut twin_of_ours: Vec<Option<usize>> = vec![None; ours.len()];
    let mut added_value: Vec<Option<Elem>> = vec![None; ours.len()];
    for &j in &o_added {
        let o = &ours[j];
        let twin = t_added.iter().copied().find(|&k| {
            let t = &theirs[k];
            twin_of_theirs[k].is_none()
                && match (&o.key, &t.key) {
                    (Some(a), Some(b)) => a == b,
                    (None, None) => {
                        normalize(&o.text, false) == normalize(&t.text, false)
                            && o.speaker.as_deref().map(|s| normalize(s, false))
                                == t.speaker.as_deref().map(|s| normalize(s, false))
                    }
                    _ => false,
                }
        });
        if let Some(k) = twin {
            twin_of_theirs[k] = Some(j);
            twin_of_ours[j] = Some(k);
            let t = &theirs[k];
            if o != t {
                clashes.push(format!(
                    "both sides added the {noun} {} differently: {} (ours) and {} (theirs)",
                    o.key
                        .as_deref()
                        .map(|k| format!("`{k}`"))
                        .unwrap_or_else(|| quote(&o.text)),
                    quote(&o.text),
                    quote(&t.text)
                ));
                added_value[j] = Some(match prefer {
                    Side::Ours => o.clone(),
                    Side::Theirs => t.clone(),
                });
            }
        }
    }

    // The order of the base items kept.
    let kept: Vec<usize> = (0..base.len()).filter(|&i| content[i].is_some()).collect();
    let order = order_base(
        &kept,
        &o_of,
        &t_of,
        kind,
        prefer,
        base,
        ours,
        theirs,
        &mut clashes,
    );

    // Additions, after the item that precedes them on their side.
    let mut merged: Vec<Node> = order.into_iter().map(Node::Base).collect();
    let in_merged = |merged: &[Node], n: Node| merged.iter().position(|m| *m == n);
    let node_of_ours = |j: usize| match o_base[j] {
        Some(i) => Node::Base(i),
        None => Node::Ours(j),
    };
    let node_of_theirs = |k: usize| match (t_base[k], twin_of_theirs[k]) {
        (Some(i), _) => Node::Base(i),
        (None, Some(j)) => Node::Ours(j),
        (None, None) => Node::Theirs(k),
    };
    // Items both sides added alike go first, after the base item that precedes them
    // on the preferred side; in a ranked list, after different ones is a clash.
    let base_anchor = |node_of: &dyn Fn(usize) -> Node, a: usize| {
        (0..a).rev().map(node_of).find(|n| match n {
            Node::Base(i) => content[*i].is_some(),
            _ => false,
        })
    };
    for &j in &o_added {
        let Some(k) = twin_of_ours[j] else { continue };
        let (ao, at_) = (
            base_anchor(&node_of_ours, j),
            base_anchor(&node_of_theirs, k),
        );
        if kind.ranked && ao != at_ {
            clashes.push(format!(
                "both sides added the {noun} {}, at different places",
                quote(&ours[j].text)
            ));
        }
        let anchor = match prefer {
            Side::Ours => ao,
            Side::Theirs => at_,
        };
        let mut at = anchor.map_or(0, |n| in_merged(&merged, n).map_or(0, |p| p + 1));
        while let Some(Node::Ours(_)) = merged.get(at) {
            at += 1; // after the twins placed there already
        }
        merged.insert(at, Node::Ours(j));
    }

    // Then what one side added, after the item that precedes it on that side (the
    // preferred side's first where both added at the same place).
    let mut anchors_ours: Vec<(usize, Option<Node>)> = Vec::new();
    let mut anchors_theirs: Vec<(usize, Option<Node>)> = Vec::new();
    let mut first_added: Vec<Node> = Vec::new();
    for side in [prefer, prefer.other()] {
        let (added, node_of): (&[usize], &dyn Fn(usize) -> Node) = match side {
            Side::Ours => (&o_added, &node_of_ours),
            Side::Theirs => (&t_added, &node_of_theirs),
        };
        for &a in added {
            let me = node_of(a);
            if in_merged(&merged, me).is_some() {
                continue; // a twin, placed already
            }
            // The nearest earlier item of this side that is in the list.
            let anchor = (0..a)
                .rev()
                .map(node_of)
                .find(|n| in_merged(&merged, *n).is_some());
            let mut at = anchor.map_or(0, |n| in_merged(&merged, n).map_or(0, |p| p + 1));
            if side != prefer {
                while merged.get(at).is_some_and(|n| first_added.contains(n)) {
                    at += 1;
                }
            } else {
                first_added.push(me);
            }
            merged.insert(at, me);
            match side {
                Side::Ours => anchors_ours.push((a, anchor)),
                Side::Theirs => anchors_theirs.push((a, anchor)),
            }
        }
    }
    if kind.ranked {
        for (k, anchor) in &anchors_theirs {
            if let Some((j, _)) = anchors_ours.iter().find(|(_, a)| a == anchor) {
                let place = match anchor {
                    None => "at the top".to_string(),
                    Some(n) => format!(
                        "after {}",
                        quote(&node_text(*n, &content, ours, theirs, &added_value))
                    ),
                };
                clashes.push(format!(
                    "both sides added a {noun} {place}: {} (ours) and {} (theirs); which ranks first?",
                    quote(&ours[*j].text),
                    quote(&theirs[*k].text)
                ));
            }
        }
    }

    let list = merged
        .into_iter()
        .filter_map(|n| match n {
            Node::Base(i) => content[i].clone(),
            Node::Ours(j) => Some(added_value[j].clone().unwrap_or_else(|| ours[j].clone())),
            Node::Theirs(k) => Some(theirs[k].clone()),
        })
        .collect();
    (list, clashes)
}

fn node_text(
    n: Node,
    content: &[Option<Elem>],
    ours: &[Elem],
    theirs: &[Elem],
    added_value: &[Option<Elem>],
) -> String {
    match n {
        Node::Base(i) => content[i]
            .as_ref()
            .map(|e| e.text.clone())
            .unwrap_or_default(),
        Node::Ours(j) => added_value[j].as_ref().unwrap_or(&ours[j]).text.clone(),
        Node::Theirs(k) => theirs[k].text.clone(),
    }
}

fn key_word(k: &Option<String>) -> String {
    k.as_deref()
        .map(|k| format!("`{k}`"))
        .unwrap_or_else(|| "none".into())
}

fn speaker_word(s: &Option<String>) -> String {
    s.as_deref().map(quote).unwrap_or_else(|| "no one".into())
}

/// How many of the others each item changed places with on a side (`pos[x]` its place
/// there), among `items` (all present on that side).
fn flips(items: &[usize], pos: &dyn Fn(usize) -> usize) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); items.len()];
    for a in 0..items.len() {
        for b in a + 1..items.len() {
            // `items` is in base order, so a < b in the base.
            if pos(items[a]) > pos(items[b]) {
                out[a].push(b);
                out[b].push(a);
            }
        }
    }
    out
}

/// Whether each item moved on a side: it changed places with others, and none of those
/// changed places more often.
fn movers(flipped: &[Vec<usize>]) -> Vec<bool> {
    (0..flipped.len())
        .map(|x| {
            !flipped[x].is_empty()
                && flipped[x]
                    .iter()
                    .all(|&y| flipped[y].len() <= flipped[x].len())
        })
        .collect()
}

/// The kept base items in merged order.
#[allow(clippy::too_many_arguments)]
fn order_base(
    kept: &[usize],
    o_of: &[Option<usize>],
    t_of: &[Option<usize>],
    kind: ListKind,
    prefer: Side,
    base: &[Elem],
    ours: &[Elem],
    theirs: &[Elem],
    clashes: &mut Vec<String>,
) -> Vec<usize> {
    // A side that dropped an item (kept by the other, in a clash) says nothing of its place.
    let in_ours: Vec<usize> = kept
        .iter()
        .copied()
        .filter(|&i| o_of[i].is_some())
        .collect();
    let in_theirs: Vec<usize> = kept
        .iter()
        .copied()
        .filter(|&i| t_of[i].is_some())
        .collect();
    let pos_o = |i: usize| o_of[i].unwrap_or(usize::MAX);
    let pos_t = |i: usize| t_of[i].unwrap_or(usize::MAX);
    let sorted = |list: &[usize], pos: &dyn Fn(usize) -> usize| {
        let mut l = list.to_vec();
        l.sort_by_key(|&i| pos(i));
        l
    };
    let ours_same = sorted(&in_ours, &pos_o) == in_ours;
    let theirs_same = sorted(&in_theirs, &pos_t) == in_theirs;
    if ours_same && theirs_same {
        return kept.to_vec();
    }

    // Items moved on both sides, to different places.
    let clashes_before = clashes.len();
    if kind.ranked {
        let both: Vec<usize> = kept
            .iter()
            .copied()
            .filter(|&i| o_of[i].is_some() && t_of[i].is_some())
            .collect();
        let (fo, ft) = (flips(&both, &pos_o), flips(&both, &pos_t));
        let (mo, mt) = (movers(&fo), movers(&ft));
        let rank = |list: &[usize], pos: &dyn Fn(usize) -> usize, x: usize| {
            sorted(list, pos).iter().position(|&i| i == x)
        };
        for (n, &x) in both.iter().enumerate() {
            if mo[n] && mt[n] && rank(&both, &pos_o, x) != rank(&both, &pos_t, x) {
                let (ro, rt) = (pos_o(x) + 1, pos_t(x) + 1);
                let text = &base[x].text;
                clashes.push(if ro != rt {
                    format!(
                        "both sides moved {}: to {ro} (ours) and to {rt} (theirs)",
                        quote(text)
                    )
                } else {
                    format!(
                        "both sides moved {} to different places: {} (ours) and {} (theirs)",
                        quote(text),
                        neighbours(ours, pos_o(x)),
                        neighbours(theirs, pos_t(x))
                    )
                });
            }
        }
    }

    // Which of two items comes first, merged pair by pair.
    let first = |a: usize, b: usize| -> bool {
        // a < b in the base.
        let o = match (o_of[a], o_of[b]) {
            (Some(x), Some(y)) => x < y,
            _ => true,
        };
        let t = match (t_of[a], t_of[b]) {
            (Some(x), Some(y)) => x < y,
            _ => true,
        };
        if !o {
            false
        } else {
            t
        }
    };
    let n = kept.len();
    // preds[v]: how many kept items must come before v.
    let mut after: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut preds = vec![0usize; n];
    for a in 0..n {
        for b in a + 1..n {
            if first(kept[a], kept[b]) {
                after[a].push(b);
                preds[b] += 1;
            } else {
                after[b].push(a);
                preds[a] += 1;
            }
        }
    }
    let tie = |v: usize| -> (usize, usize, usize) {
        let i = kept[v];
        match prefer {
            Side::Ours => (pos_o(i), pos_t(i), i),
            Side::Theirs => (pos_t(i), pos_o(i), i),
        }
    };
    let mut done = vec![false; n];
    let mut out = Vec::with_capacity(n);
    let mut cycle = false;
    for _ in 0..n {
        let next = (0..n)
            .filter(|&v| !done[v] && preds[v] == 0)
            .min_by_key(|&v| tie(v))
            .or_else(|| {
                cycle = true;
                (0..n).filter(|&v| !done[v]).min_by_key(|&v| tie(v))
            });
        let Some(v) = next else { break };
        done[v] = true;
        out.push(kept[v]);
        for &w in &after[v] {
            preds[w] = preds[w].saturating_sub(1);
        }
    }
    if cycle && kind.ranked && clashes.len() == clashes_before {
        let show = |l: &[Elem]| {
            l.iter()
                .map(|e| quote(&e.text))
                .collect::<Vec<_>>()
                .join(", ")
        };
        clashes.push(format!(
            "both sides reordered the {} list in ways that cannot both hold: ours has {}; theirs has {}",
            match kind.noun {
                "priority" => "priorities",
                "principle" => "principles",
                _ => "quotes",
            },
            show(ours),
            show(theirs)
        ));
    }
    out
}

fn neighbours(list: &[Elem], at: usize) -> String {
    match at.checked_sub(1).and_then(|p| list.get(p)) {
        Some(before) => format!("after {}", quote(&before.text)),
        None => "at the top".into(),
    }
}
