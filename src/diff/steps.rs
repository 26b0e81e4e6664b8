//! `diff --steps`: each statement against the initiative's last known position, not
//! merely against the statement before it.
//!
//! The position holds every priority and principle said so far, each as last worded, with
//! the statement that last said it. A statement that does not name an item does not drop
//! it: when its list is partial (a news report, a speech: see
//! [`Statement::lists_complete`]) or empty, the item is `not-mentioned` (last said DATE).
//! Only a complete list (a draft, an adopted text) that leaves an item out `removed`s it.
//! An item named again after statements that did not name it, or after it was removed,
//! is `again` (last said DATE). The rest is as in a two-statement diff: unchanged, moved,
//! reworded, merged, split, added.

use std::time::Instant;

use super::items::{self, Absence, Entry, ItemChange, ItemStatus, Said};
use super::{fields, finish, item_entries, said, DiffOptions, List, MatchContext, StatementDiff};
use crate::record::{Item, Statement};

/// An item of the position.
#[derive(Debug, Clone)]
struct Held {
    item: Item,
    /// The language of the statement that last said it.
    lang: String,
    /// Where it was said, latest last: `(statement index, statement id, position)`.
    said: Vec<(usize, String, usize)>,
    last: Said,
    /// Left out of a complete list since it was last said.
    dropped: bool,
}

/// The diffs of each statement (from the second) against the position before it. `list`
/// must be in date order; `ctx` should have learned them all.
pub fn diff_steps(
    list: &[&Statement],
    opts: &DiffOptions,
    ctx: &MatchContext,
) -> Vec<StatementDiff> {
    let mut held: [Vec<Held>; 2] = [Vec::new(), Vec::new()];
    let lists = [List::Priorities, List::Principles];
    let mut out = Vec::new();
    for (k, st) in list.iter().enumerate() {
        let mut rows: [Vec<ItemChange>; 2] = [Vec::new(), Vec::new()];
        let mut notes: Vec<(&str, String)> = Vec::new();
        let deadline = Instant::now().checked_add(opts.deadline);
        for (s, kind) in lists.into_iter().enumerate() {
            let (r, n) = step(&mut held[s], k, st, kind, opts, ctx, deadline);
            rows[s] = r;
            notes.extend(n.into_iter().map(|n| (kind.field(), n)));
        }
        if k == 0 {
            continue;
        }
        let prev = list[k - 1];
        let quotes = items::match_items(
            &quote_entries(prev),
            &quote_entries(st),
            &items::MatchOptions {
                strict: opts.strict,
                ordered: false,
                deadline,
            },
            &ctx.matcher,
            &items::Pinned::default(),
            &Absence::Removed,
        );
        notes.extend(quotes.notices.iter().map(|n| ("quotes", n.clone())));
        let quotes = quotes.rows;
        let notices = super::section_notices(&notes);
        let [priorities, principles] = rows;
        out.push(finish(
            prev,
            st,
            opts,
            deadline,
            fields::diff_fields(prev, st),
            priorities,
            principles,
            quotes,
            notices,
        ));
    }
    out
}

fn quote_entries(st: &Statement) -> Vec<Entry<'_>> {
    st.quotes
        .iter()
        .map(|q| Entry {
            speaker: q.speaker.as_deref(),
            lang: Some(&st.language),
            ..Entry::text(&q.text)
        })
        .collect()
}

/// Compares statement `k` with the position held so far and updates it. Returns the rows
/// (empty for the first statement) and notices.
#[allow(clippy::too_many_arguments)]
fn step(
    held: &mut Vec<Held>,
    k: usize,
    st: &Statement,
    kind: List,
    opts: &DiffOptions,
    ctx: &MatchContext,
    deadline: Option<Instant>,
) -> (Vec<ItemChange>, Vec<String>) {
    let new = kind.of(st);
    if new.is_empty() {
        // Nothing listed: nothing dropped, whatever the kind.
        let rows = held
            .iter()
            .filter(|h| !h.dropped)
            .map(not_mentioned)
            .collect();
        return (if k == 0 { Vec::new() } else { rows }, Vec::new());
    }
    let old: Vec<Entry<'_>> = held
        .iter()
        .map(|h| Entry {
            key: h.item.key.as_deref(),
            translations: Some(&h.item.translations),
            lang: Some(&h.lang),
            ..Entry::text(&h.item.text)
        })
        .collect();
    let new_entries = item_entries(new, &st.language);
    let mut pinned = items::Pinned::default();
    if !ctx.pins.is_empty() {
        for (i, h) in held.iter().enumerate() {
            for j in 0..new.len() {
                let b = (st.id.clone(), kind, j);
                let verdicts: Vec<Option<bool>> = h
                    .said
                    .iter()
                    .map(|(_, id, at)| ctx.pins.said(&(id.clone(), kind, *at), &b))
                    .collect();
                if verdicts.contains(&Some(false)) {
                    pinned.apart.insert((i, j));
                } else if verdicts.contains(&Some(true)) {
                    pinned.same.push((i, j));
                }
            }
        }
    }
    let c = items::match_items(
        &old,
        &new_entries,
        &items::MatchOptions {
            strict: opts.strict,
            ordered: kind == List::Priorities,
            deadline,
        },
        &ctx.matcher,
        &pinned,
        &Absence::Removed,
    );
    let complete = st.lists_complete();
    let mut rows = Vec::new();
    let mut seen_new = vec![false; new.len()];
    for mut row in c.rows {
        // Position indices back from the rows' 1-based ranks.
        let i = row.from_rank.map(|r| r - 1);
        let j = row.to_rank.map(|r| r - 1);
        match (row.status, i, j) {
            (ItemStatus::Removed | ItemStatus::Unmatched, Some(i), None) => {
                let h = &mut held[i];
                if h.dropped {
                    continue; // removed before: nothing to say about it now
                }
                if complete && row.status == ItemStatus::Removed {
                    h.dropped = true;
                    row.from_rank = last_rank(h);
                    rows.push(row);
                } else {
                    let mut r = not_mentioned(h);
                    r.nearest = row.nearest;
                    r.status = if row.status == ItemStatus::Unmatched {
                        ItemStatus::Unmatched
                    } else {
                        ItemStatus::NotMentioned
                    };
                    rows.push(r);
                }
            }
            (_, None, Some(_)) => rows.push(row),
            (status, Some(i), Some(j)) => {
                let parts_new: Vec<usize> = if status == ItemStatus::Split {
                    row.parts.iter().map(|p| p.rank - 1).collect()
                } else {
                    vec![j]
                };
                let parts_old: Vec<usize> = if status == ItemStatus::Merged {
                    row.parts.iter().map(|p| p.rank - 1).collect()
                } else {
                    vec![i]
                };
                let h = &held[i];
                let was_in_previous =
                    !h.dropped && h.said.last().is_some_and(|s| k > 0 && s.0 == k - 1);
                row.from_rank = last_rank(h);
                if !was_in_previous
                    && matches!(
                        status,
                        ItemStatus::Unchanged | ItemStatus::Moved | ItemStatus::Reworded
                    )
                {
                    row.status = ItemStatus::Again;
                    row.last_said = Some(h.last.clone());
                    row.moved = false;
                    row.movement = None;
                }
                if status == ItemStatus::Merged {
                    for p in &mut row.parts {
                        p.rank = last_rank(&held[p.rank - 1]).unwrap_or(p.rank);
                    }
                }
                rows.push(row);
                // The position: the first part carries on, the other merged parts are
                // absorbed into it, the other split parts are new.
                for &o in &parts_old[1..] {
                    held[o].dropped = true;
                }
                let first = parts_new[0];
                let h = &mut held[parts_old[0]];
                h.item = new[first].clone();
                h.lang = st.language.clone();
                h.said.push((k, st.id.clone(), first));
                h.last = said(st);
                h.dropped = false;
                seen_new[first] = true;
                for &p in &parts_new[1..] {
                    seen_new[p] = true;
                    held.push(fresh(&new[p], k, st, p));
                }
            }
            _ => rows.push(row),
        }
    }
    for (j, item) in new.iter().enumerate() {
        if !seen_new[j] {
            held.push(fresh(item, k, st, j));
        }
    }
    (if k == 0 { Vec::new() } else { rows }, c.notices)
}

fn fresh(item: &Item, k: usize, st: &Statement, at: usize) -> Held {
    Held {
        item: item.clone(),
        lang: st.language.clone(),
        said: vec![(k, st.id.clone(), at)],
        last: said(st),
        dropped: false,
    }
}

/// The item's rank when it was last said.
fn last_rank(h: &Held) -> Option<usize> {
    h.said.last().map(|s| s.2 + 1)
}

fn not_mentioned(h: &Held) -> ItemChange {
    ItemChange {
        status: ItemStatus::NotMentioned,
        from_rank: last_rank(h),
        to_rank: None,
        from: Some(h.item.text.clone()),
        to: None,
        similarity: None,
        score: None,
        features: None,
        key: h.item.key.clone(),
        pinned: false,
        moved: false,
        movement: None,
        parts: Vec::new(),
        nearest: None,
        last_said: Some(h.last.clone()),
        from_speaker: None,
        to_speaker: None,
        ops: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Kind;

    fn st(id: &str, kind: Kind, priorities: &[&str]) -> Statement {
        Statement {
            id: id.into(),
            initiative: "cis".into(),
            date: id[..10].into(),
            kind: Some(kind),
            language: "en".into(),
            summary: Some("s".into()),
            priorities: priorities.iter().map(|p| Item::new(*p)).collect(),
            ..Statement::default()
        }
    }

    const AIR: &str = "Joint air defence system";
    const COMMS: &str = "Joint communications system";
    const MED: &str = "Military medicine";

    /// The rows' statuses and last-said dates, sorted (the order rows are shown in is
    /// tested elsewhere).
    fn statuses(d: &StatementDiff) -> Vec<(ItemStatus, Option<String>)> {
        let mut out: Vec<_> = d
            .priorities
            .iter()
            .map(|r| (r.status, r.last_said.as_ref().map(|s| s.date.clone())))
            .collect();
        out.sort_by_key(|(s, d)| (s.word(), d.clone()));
        out
    }

    #[test]
    fn absence_is_not_removal_and_a_return_is_again() {
        let list = [
            st("2025-01-01-a", Kind::Speech, &[AIR, COMMS]),
            st("2025-02-01-b", Kind::Report, &[]),
            st("2025-03-01-c", Kind::Interview, &[COMMS]),
            st("2025-04-01-d", Kind::AdoptedText, &[AIR, MED]),
            st("2025-05-01-e", Kind::Speech, &[COMMS]),
        ];
        let refs: Vec<&Statement> = list.iter().collect();
        let opts = DiffOptions::default();
        let ctx = MatchContext::of(refs.iter().copied(), opts.match_config(), &[]);
        let d = diff_steps(&refs, &opts, &ctx);
        assert_eq!(d.len(), 4);
        use ItemStatus::*;
        let day = |s: &str| Some(s.to_owned());
        // b lists nothing: both not mentioned, and nothing changed.
        assert_eq!(
            statuses(&d[0]),
            [
                (NotMentioned, day("2025-01-01")),
                (NotMentioned, day("2025-01-01"))
            ]
        );
        assert!(!d[0].has_changes() || !d[0].metadata.is_empty());
        // c, an interview, names one: the other is not mentioned; the one is said again.
        assert_eq!(
            statuses(&d[1]),
            [
                (Again, day("2025-01-01")),
                (NotMentioned, day("2025-01-01"))
            ]
        );
        assert_eq!(
            d[1].priorities
                .iter()
                .find(|r| r.status == Again)
                .and_then(|r| r.to.as_deref()),
            Some(COMMS)
        );
        // d, the adopted text, is complete: communications removed, air again, medicine new.
        let s = statuses(&d[2]);
        assert!(s.contains(&(Again, day("2025-01-01"))), "{s:?}");
        assert!(s.contains(&(Removed, None)), "{s:?}");
        assert!(s.contains(&(Added, None)), "{s:?}");
        // e names communications after its removal: again, last said at c.
        assert!(
            statuses(&d[3]).contains(&(Again, day("2025-03-01"))),
            "{:?}",
            statuses(&d[3])
        );
    }
}
