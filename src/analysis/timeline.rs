//! The timeline matrix: each priority and principle as a row, followed across statements.
//!
//! Statements are read in date order. Each statement's items are matched against the rows
//! built so far exactly the way `diff` matches two lists (`crate::diff::items::pair_keyed`, as `match_items`: key first, then
//! the optimal assignment over [`similarity`](crate::diff::similarity) at or above the
//! threshold), with each row standing for the item as it was last worded and keyed. An item
//! that matches no row starts a new one. So an item that is dropped and comes back later
//! finds its row again, and a chain of small rewordings stays one row.

use serde::Serialize;

use super::{sort_statements, StatementInfo};
use crate::diff::items::{pair_keyed, Entry, ItemWords};
use crate::diff::normalize::normalize;
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
    /// The statement that first carried it.
    pub first: StatementInfo,
    /// The statement that last carried it.
    pub last: StatementInfo,
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
}

/// Builds the matrix of `statements` (in any order; they are sorted by date), pairing
/// items at or above `threshold` (0 to 1) as `diff` does.
pub fn timeline(statements: &[Statement], threshold: f64) -> Timeline {
    let mut list = statements.to_vec();
    sort_statements(&mut list);
    let columns: Vec<StatementInfo> = list.iter().map(StatementInfo::of).collect();
    let mut rows = Vec::new();
    for section in [Section::Priority, Section::Principle] {
        let mut built: Vec<Building> = Vec::new();
        for (col, st) in list.iter().enumerate() {
            let items = match section {
                Section::Priority => &st.priorities,
                Section::Principle => &st.principles,
            };
            place(&mut built, items, col, section, threshold);
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
    }
}

/// A row being built.
struct Building {
    key: Option<String>,
    text: String,
    /// The words of `text`, kept for matching.
    words: ItemWords,
    first: usize,
    cells: Vec<(usize, Cell)>,
}

impl Building {
    fn finish(self, columns: &[StatementInfo], section: Section) -> Row {
        let mut cells = vec![None; columns.len()];
        let mut last = self.first;
        for (col, cell) in self.cells {
            if let Some(slot) = cells.get_mut(col) {
                *slot = Some(cell);
                last = last.max(col);
            }
        }
        let info = |c: usize| columns.get(c).cloned().unwrap_or_default();
        Row {
            section,
            key: self.key,
            text: self.text,
            cells,
            first: info(self.first),
            last: info(last),
        }
    }
}

/// Matches one statement's items against the rows so far and records them.
fn place(built: &mut Vec<Building>, items: &[Item], col: usize, section: Section, threshold: f64) {
    if items.is_empty() {
        return;
    }
    let old: Vec<Entry<'_>> = built
        .iter()
        .map(|b| Entry {
            key: b.key.as_deref(),
            text: &b.text,
            speaker: None,
        })
        .collect();
    let new: Vec<Entry<'_>> = items
        .iter()
        .map(|i| Entry {
            key: i.key.as_deref(),
            text: &i.text,
            speaker: None,
        })
        .collect();
    let threshold = if threshold.is_nan() {
        crate::diff::DEFAULT_MATCH_THRESHOLD
    } else {
        threshold.clamp(0.0, 1.0)
    };
    let new_words: Vec<ItemWords> = items
        .iter()
        .map(|i| ItemWords::of(&i.text, false))
        .collect();
    let old_refs: Vec<&ItemWords> = built.iter().map(|b| &b.words).collect();
    let new_refs: Vec<&ItemWords> = new_words.iter().collect();
    let mut row_of_item: Vec<Option<usize>> = vec![None; items.len()];
    for (from, to) in pair_keyed(&old, &old_refs, &new, &new_refs, threshold) {
        if let Some(slot) = row_of_item.get_mut(to) {
            *slot = Some(from);
        }
    }
    for (j, item) in items.iter().enumerate() {
        let rank = (section == Section::Priority).then_some(j + 1);
        match row_of_item[j].and_then(|r| built.get_mut(r).map(|b| (r, b))) {
            Some((_, row)) => {
                let reworded = normalize(&row.text, false) != normalize(&item.text, false);
                row.text = item.text.clone();
                row.words = new_words[j].clone();
                if item.key.is_some() {
                    row.key = item.key.clone();
                }
                row.cells.push((
                    col,
                    Cell {
                        rank,
                        text: item.text.clone(),
                        reworded,
                    },
                ));
            }
            None => built.push(Building {
                key: item.key.clone(),
                text: item.text.clone(),
                words: new_words[j].clone(),
                first: col,
                cells: vec![(
                    col,
                    Cell {
                        rank,
                        text: item.text.clone(),
                        reworded: false,
                    },
                )],
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let t = timeline(&list, 0.5);
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
        let t = timeline(&list, 0.5);
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
        let t = timeline(&[], 0.5);
        assert!(t.columns.is_empty() && t.rows.is_empty());
        let t = timeline(&[st("a", "2024", &[], &[])], f64::NAN);
        assert_eq!(t.columns.len(), 1);
        assert!(t.rows.is_empty());
    }
}
