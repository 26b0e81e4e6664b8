//! The timeline matrix: each priority and principle as a row, followed across statements.
//!
//! Statements are read in date order. Each statement's items are matched against the rows
//! built so far with the same matcher as `diff` (pins, then keys, then meaning:
//! [`crate::diff::items`]), each row standing for the item as it was last worded, keyed
//! and translated. An item that matches no row starts a new one; of items merged into
//! one, the first part's row carries on; of an item split, the first part carries its row
//! and the others start their own. So an item that is left out and comes back later
//! finds its row again, and a chain of small rewordings stays one row.
//!
//! Absence is not removal: where a statement's list is partial (see
//! [`Statement::lists_complete`]) or empty, a row it does not carry is
//! [`Absent::NotMentioned`]; only a complete list that leaves it out marks it
//! [`Absent::Dropped`]. A cell after such a gap is marked `again`.

use serde::Serialize;

use super::{sort_statements, StatementInfo};
use crate::diff::items::{constraints, profiles, Entry, Pinned};
use crate::diff::matching::{GroupKind, Profile};
use crate::diff::normalize::normalize;
use crate::diff::{List, MatchContext};
use crate::record::{Item, Statement};

/// Which list of a statement a row comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    /// Ordered: cells show the rank.
    Priority,
    /// Unordered: cells show a mark.
    Principle,
}

impl Section {
    /// The section's name as a word.
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Priority => "priority",
            Section::Principle => "principle",
        }
    }

    fn list(self) -> List {
        match self {
            Section::Priority => List::Priorities,
            Section::Principle => List::Principles,
        }
    }
}

/// The matrix: statements as columns, items as rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    /// The statements, in date order.
    pub columns: Vec<StatementInfo>,
    /// Priorities first, then principles; each by first appearance.
    pub rows: Vec<Row>,
    /// Reviewers' annotations on these statements, with their standing (filled in by the
    /// `timeline` command from the store).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<serde_json::Value>,
    /// The statements where a significant change happened (commitment, negation, number,
    /// year) against the position before them, as `diff --steps` finds it (filled in by
    /// the `timeline` command; see [`crate::diff::significance`]).
    pub significant: Vec<SignificantAt>,
}

/// A statement of the timeline with significant changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignificantAt {
    /// Its column, 0-based.
    pub column: usize,
    /// `<initiative>/<id>`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Its date.
    pub date: String,
    /// The changes, as in `diff`'s `significant`.
    pub changes: Vec<crate::diff::significance::Significant>,
}

impl Timeline {
    /// The significant changes at a column, if any.
    pub fn significant_at(&self, column: usize) -> Option<&SignificantAt> {
        self.significant.iter().find(|s| s.column == column)
    }
}

/// The significant changes of each statement (from the second) against the position
/// before it, from `diff --steps`' diffs of `statements` in date order.
pub fn significant_steps(
    statements: &[Statement],
    opts: &crate::diff::DiffOptions,
    ctx: &MatchContext,
) -> Vec<SignificantAt> {
    let mut list: Vec<&Statement> = statements.iter().collect();
    sort_statements(&mut list);
    crate::diff::steps::diff_steps(&list, opts, ctx)
        .into_iter()
        .enumerate()
        .filter(|(_, d)| !d.significant.is_empty())
        .map(|(k, d)| SignificantAt {
            column: k + 1,
            reference: d.to.reference,
            date: d.to.date,
            changes: d.significant,
        })
        .collect()
}

/// One priority or principle across the statements.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Priority or principle.
    pub section: Section,
    /// The key it was last given, if any.
    pub key: Option<String>,
    /// Its latest wording.
    pub text: String,
    /// One cell per column: null where the statement does not carry it.
    pub cells: Vec<Option<Cell>>,
    /// One entry per column: why a statement after the item's first appearance does not
    /// carry it (null where it does, and before its first appearance).
    pub absent: Vec<Option<Absent>>,
    /// The statement that first carried it.
    pub first: StatementInfo,
    /// The statement that last carried it.
    pub last: StatementInfo,
}

/// Why a statement does not carry an item it could have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Absent {
    /// Its list is partial or empty: the item is not mentioned, not dropped.
    NotMentioned,
    /// Its list is complete and leaves the item out.
    Dropped,
}

impl Row {
    /// How many statements carry it.
    pub fn count(&self) -> usize {
        self.cells.iter().flatten().count()
    }
}

/// The item in one statement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// Its rank among the statement's priorities (1 is first); null for principles.
    pub rank: Option<usize>,
    /// Its wording there.
    pub text: String,
    /// Worded differently (after normalisation) from the row's previous appearance.
    pub reworded: bool,
    /// Said again after statements that did not carry it.
    #[serde(skip_serializing_if = "is_false")]
    pub again: bool,
}

fn is_false(b: &bool) -> bool {
    !b
}

/// Builds the matrix of `statements` (in any order; they are sorted by date), matching
/// items as `diff` does with `ctx` (which should have learned these statements).
pub fn timeline(statements: &[Statement], ctx: &MatchContext) -> Timeline {
    let mut list: Vec<&Statement> = statements.iter().collect();
    sort_statements(&mut list);
    let columns: Vec<StatementInfo> = list.iter().map(|s| StatementInfo::of(s)).collect();
    let mut rows = Vec::new();
    for section in [Section::Priority, Section::Principle] {
        let mut built: Vec<Building> = Vec::new();
        for (col, st) in list.iter().enumerate() {
            place(&mut built, st, col, section, ctx);
        }
        // Rows come out by first appearance, then by rank there: `place` appends in that
        // order already, so a stable sort on the column keeps it.
        built.sort_by_key(|b| b.first);
        rows.extend(built.into_iter().map(|b| b.finish(&columns, section)));
    }
    Timeline {
        columns,
        rows,
        annotations: Vec::new(),
        significant: Vec::new(),
    }
}

/// A row being built.
struct Building {
    item: Item,
    lang: String,
    profile: Profile,
    first: usize,
    cells: Vec<(usize, Cell)>,
    absent: Vec<(usize, Absent)>,
    /// Where it was said: `(statement id, position)`, for pins.
    said: Vec<(String, usize)>,
    /// Absent since its last cell.
    gap: bool,
    /// Left out by a complete list since its last cell.
    dropped: bool,
}

impl Building {
    fn new(
        item: &Item,
        st: &Statement,
        j: usize,
        col: usize,
        rank: Option<usize>,
        profile: Profile,
    ) -> Building {
        Building {
            item: item.clone(),
            lang: st.language.clone(),
            profile,
            first: col,
            cells: vec![(
                col,
                Cell {
                    rank,
                    text: item.text.clone(),
                    reworded: false,
                    again: false,
                },
            )],
            absent: Vec::new(),
            said: vec![(st.id.clone(), j)],
            gap: false,
            dropped: false,
        }
    }

    fn finish(self, columns: &[StatementInfo], section: Section) -> Row {
        let mut cells = vec![None; columns.len()];
        let mut absent = vec![None; columns.len()];
        let mut last = self.first;
        for (col, cell) in self.cells {
            if let Some(slot) = cells.get_mut(col) {
                *slot = Some(cell);
                last = last.max(col);
            }
        }
        for (col, a) in self.absent {
            if let Some(slot) = absent.get_mut(col) {
                *slot = Some(a);
            }
        }
        let info = |c: usize| columns.get(c).cloned().unwrap_or_default();
        Row {
            section,
            key: self.item.key,
            text: self.item.text,
            cells,
            absent,
            first: info(self.first),
            last: info(last),
        }
    }

    fn absent_here(&mut self, col: usize, complete: bool) {
        if self.dropped {
            self.absent.push((col, Absent::Dropped));
            return;
        }
        self.gap = true;
        if complete {
            self.dropped = true;
            self.absent.push((col, Absent::Dropped));
        } else {
            self.absent.push((col, Absent::NotMentioned));
        }
    }

    fn said_here(
        &mut self,
        item: &Item,
        st: &Statement,
        j: usize,
        col: usize,
        rank: Option<usize>,
        profile: Profile,
    ) {
        let reworded = normalize(&self.item.text, false) != normalize(&item.text, false);
        self.cells.push((
            col,
            Cell {
                rank,
                text: item.text.clone(),
                reworded,
                again: self.gap,
            },
        ));
        let key = self.item.key.take();
        self.item = item.clone();
        if self.item.key.is_none() {
            self.item.key = key; // a row keeps the key it was last given
        }
        self.lang = st.language.clone();
        self.profile = profile;
        self.said.push((st.id.clone(), j));
        self.gap = false;
        self.dropped = false;
    }
}

/// Matches one statement's items against the rows so far and records them.
fn place(
    built: &mut Vec<Building>,
    st: &Statement,
    col: usize,
    section: Section,
    ctx: &MatchContext,
) {
    let list = section.list();
    let items = list.of(st);
    if items.is_empty() {
        // Nothing listed: nothing dropped.
        for b in built.iter_mut() {
            b.absent_here(col, false);
        }
        return;
    }
    let old: Vec<Entry<'_>> = built
        .iter()
        .map(|b| Entry {
            key: b.item.key.as_deref(),
            translations: Some(&b.item.translations),
            lang: Some(&b.lang),
            ..Entry::text(&b.item.text)
        })
        .collect();
    let new = crate::diff::item_entries(items, &st.language);
    let mut pinned = Pinned::default();
    if !ctx.pins.is_empty() {
        for (i, b) in built.iter().enumerate() {
            for j in 0..items.len() {
                let here = (st.id.clone(), list, j);
                let verdicts: Vec<Option<bool>> = b
                    .said
                    .iter()
                    .map(|(id, at)| ctx.pins.said(&(id.clone(), list, *at), &here))
                    .collect();
                if verdicts.contains(&Some(false)) {
                    pinned.apart.insert((i, j));
                } else if verdicts.contains(&Some(true)) {
                    pinned.same.push((i, j));
                }
            }
        }
    }
    let (c, _) = constraints(&old, &new, &pinned);
    let old_p: Vec<Profile> = built.iter().map(|b| b.profile.clone()).collect();
    let new_p = profiles(&ctx.matcher, &new);
    let m = ctx.matcher.match_lists(&old_p, &new_p, &c);
    let mut row_of_item: Vec<Option<usize>> = vec![None; items.len()];
    let mut absorbed: Vec<usize> = Vec::new();
    for p in &m.pairs {
        row_of_item[p.new] = Some(p.old);
    }
    for g in &m.groups {
        row_of_item[g.new[0]] = Some(g.old[0]);
        if g.kind == GroupKind::Merged {
            absorbed.extend(&g.old[1..]);
        }
    }
    let complete = st.lists_complete();
    let mut carried = vec![false; built.len()];
    for (j, item) in items.iter().enumerate() {
        let rank = (section == Section::Priority).then_some(j + 1);
        match row_of_item[j] {
            Some(r) => {
                carried[r] = true;
                built[r].said_here(item, st, j, col, rank, new_p[j].clone());
            }
            None => built.push(Building::new(item, st, j, col, rank, new_p[j].clone())),
        }
    }
    for (r, b) in built.iter_mut().enumerate().take(carried.len()) {
        if !carried[r] {
            // A part merged into another item is dropped as itself.
            b.absent_here(col, complete || absorbed.contains(&r));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::DiffOptions;

    fn ctx(list: &[Statement]) -> MatchContext {
        MatchContext::of(list, DiffOptions::default().match_config(), &[])
    }

    fn st(
        id: &str,
        date: &str,
        priorities: &[(&str, Option<&str>)],
        principles: &[&str],
    ) -> Statement {
        Statement {
            id: id.into(),
            initiative: "cis".into(),
            date: date.into(),
            language: "en".into(),
            priorities: priorities
                .iter()
                .map(|(t, k)| Item {
                    key: k.map(Into::into),
                    text: (*t).into(),
                    ..Item::default()
                })
                .collect(),
            principles: principles.iter().map(|t| Item::new(*t)).collect(),
            ..Statement::default()
        }
    }

    const AIR: &str = "Strengthen the joint air defence system of the CIS";
    const AIR2: &str = "Strengthen the unified air defence system of the CIS states";
    const TRAIN: &str = "Train officers in the military academies of member states";
    const COMMS: &str = "Build a joint communications system";

    #[test]
    fn follows_items_across_more_than_two_statements() {
        // Given out of order: the matrix reads them by date.
        let list = vec![
            st(
                "c",
                "2025-10-10",
                &[(COMMS, None), (AIR2, None)],
                &["Mutual trust"],
            ),
            st("a", "2024-11-07", &[(AIR, None)], &[]),
            st(
                "b",
                "2025-09-24",
                &[(TRAIN, None), (AIR, None)],
                &["mutual  TRUST"],
            ),
            st("d", "2026", &[(AIR2, None), (TRAIN, None)], &[]),
        ];
        let t = timeline(&list, &ctx(&list));
        let dates: Vec<&str> = t.columns.iter().map(|c| c.date.as_str()).collect();
        assert_eq!(dates, ["2024-11-07", "2025-09-24", "2025-10-10", "2026"]);
        let ranks = |r: &Row| -> Vec<Option<usize>> {
            r.cells
                .iter()
                .map(|c| c.as_ref().and_then(|c| c.rank))
                .collect()
        };
        // Air defence: one row through a rewording, rank 1, 2, 2, 1.
        assert_eq!(t.rows[0].text, AIR2);
        assert_eq!(ranks(&t.rows[0]), [Some(1), Some(2), Some(2), Some(1)]);
        assert!(t.rows[0].cells[2].as_ref().is_some_and(|c| c.reworded));
        assert!(!t.rows[0].cells[1].as_ref().is_some_and(|c| c.reworded));
        assert_eq!(t.rows[0].first.date, "2024-11-07");
        assert_eq!(t.rows[0].last.date, "2026");
        // Training: dropped at "c", found again at "d".
        assert_eq!(ranks(&t.rows[1]), [None, Some(1), None, Some(2)]);
        assert_eq!(t.rows[2].text, COMMS);
        // The principle, matched after normalisation, marked without a rank.
        let p = &t.rows[3];
        assert_eq!(p.section, Section::Principle);
        assert_eq!(p.count(), 2);
        assert!(p.cells[1].as_ref().is_some_and(|c| c.rank.is_none()));
        assert_eq!(t.rows.len(), 4);
    }

    #[test]
    fn keys_win_over_wording_and_keep_rows_apart() {
        let list = vec![
            st("a", "2024", &[(AIR, Some("air")), (TRAIN, None)], &[]),
            // Same wording as TRAIN but a key of its own: a different row from `air`.
            st(
                "b",
                "2025",
                &[
                    ("Unified air defence system", Some("air")),
                    (AIR, Some("other")),
                ],
                &[],
            ),
        ];
        let t = timeline(&list, &ctx(&list));
        assert_eq!(t.rows[0].key.as_deref(), Some("air"));
        assert_eq!(t.rows[0].count(), 2);
        assert_eq!(t.rows[0].text, "Unified air defence system");
        // TRAIN had no key, so AIR (keyed `other`) may not take the `air` row but may not
        // pair with TRAIN either (too different): a new row.
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[2].key.as_deref(), Some("other"));
    }

    #[test]
    fn empty_input_gives_an_empty_matrix() {
        let t = timeline(&[], &ctx(&[]));
        assert!(t.columns.is_empty() && t.rows.is_empty());
        let one = [st("a", "2024", &[], &[])];
        let t = timeline(&one, &ctx(&one));
        assert_eq!(t.columns.len(), 1);
        assert!(t.rows.is_empty());
    }
}
