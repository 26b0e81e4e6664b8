//! What the matcher proposes between two statements' lists, for a reviewer to confirm or
//! reject (`dossier match`): every row of the priorities and principles of a
//! [`StatementDiff`], each with its score, the features behind it, its margin over the
//! runner-up and, for an item left unpaired, the nearest candidate. Pure data; the
//! `match` command writes the pins.

use serde::Serialize;

use super::items::{Features, ItemChange, ItemStatus, Part};
use super::{List, Side, StatementDiff};

/// The proposals between two statements.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposals {
    /// The older statement (the one pins point to).
    pub from: Side,
    /// The newer statement (the one whose items carry the pins).
    pub to: Side,
    /// One row per pair, merge, split or unpaired item: priorities first, then
    /// principles, each in the diff's order.
    pub rows: Vec<Proposal>,
    /// What the reader should know (languages compared, lists too large...).
    pub notices: Vec<String>,
}

/// One proposed pair, or an item the matcher left unpaired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    /// `priorities` or `principles`.
    pub list: &'static str,
    /// What the pair is (as in `diff`): unchanged, moved, reworded, merged, split, or for
    /// an unpaired item removed, not-mentioned, added, unmatched.
    pub status: ItemStatus,
    /// 1-based position in the old list; null when only in the new one.
    pub from_rank: Option<usize>,
    /// 1-based position in the new list; null when only in the old one.
    pub to_rank: Option<usize>,
    /// Old text.
    pub from: Option<String>,
    /// New text.
    pub to: Option<String>,
    /// The matcher's score of the pair (0 to 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Why the score is what it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub features: Option<Features>,
    /// How far the score is above the runner-up's (`score − features.runner_up`); null
    /// when there was no runner-up or the pair was imposed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub margin: Option<f64>,
    /// Paired because an analyst pinned it (`same_as`).
    pub pinned: bool,
    /// Paired on this key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Merged and split rows: every part.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    /// Unpaired rows: the closest item of the other list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nearest: Option<Part>,
}

impl Proposal {
    /// Whether the row pairs an old item with a new one (a pair, merge or split).
    pub fn is_pair(&self) -> bool {
        self.from_rank.is_some() && self.to_rank.is_some()
    }
}

/// The proposals of a diff's priorities and principles.
pub fn proposals(d: &StatementDiff) -> Proposals {
    let mut rows = Vec::new();
    for (list, changes) in [
        (List::Priorities, &d.priorities),
        (List::Principles, &d.principles),
    ] {
        rows.extend(changes.iter().map(|c| proposal(list, c)));
    }
    Proposals {
        from: d.from.clone(),
        to: d.to.clone(),
        rows,
        notices: d.notices.clone(),
    }
}

fn proposal(list: List, c: &ItemChange) -> Proposal {
    let margin = match (c.score, c.features.as_ref().and_then(|f| f.runner_up)) {
        (Some(s), Some(r)) if !c.pinned && c.key.is_none() => {
            Some(((s - r) * 1000.0).round() / 1000.0)
        }
        _ => None,
    };
    Proposal {
        list: list.field(),
        status: c.status,
        from_rank: c.from_rank,
        to_rank: c.to_rank,
        from: c.from.clone(),
        to: c.to.clone(),
        score: c.score,
        features: c.features.clone(),
        margin,
        pinned: c.pinned,
        key: c.key.clone(),
        parts: c.parts.clone(),
        nearest: c.nearest.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{diff_statements, DiffOptions};
    use crate::record::{Item, Statement};

    fn st(id: &str, priorities: &[&str], principles: &[&str]) -> Statement {
        Statement {
            id: id.into(),
            initiative: "cis".into(),
            date: id[..10].into(),
            language: "en".into(),
            summary: Some("s".into()),
            priorities: priorities.iter().map(|t| Item::new(*t)).collect(),
            principles: principles.iter().map(|t| Item::new(*t)).collect(),
            ..Statement::default()
        }
    }

    #[test]
    fn rows_of_both_lists_with_scores_margins_and_nearest() {
        let a = st(
            "2024-01-01-a",
            &["Unified air defence system", "Joint naval exercises"],
            &["Indivisible security"],
        );
        let b = st(
            "2024-02-01-b",
            &["Single air defence system", "Cyber security"],
            &["Indivisible security"],
        );
        let p = proposals(&diff_statements(&a, &b, &DiffOptions::default()));
        let lists: Vec<&str> = p.rows.iter().map(|r| r.list).collect();
        assert_eq!(lists.first(), Some(&"priorities"));
        assert_eq!(lists.last(), Some(&"principles"));
        let air = p
            .rows
            .iter()
            .find(|r| r.from_rank == Some(1) && r.list == "priorities")
            .unwrap();
        assert!(air.is_pair());
        assert_eq!(air.to_rank, Some(1));
        assert!(air.score.unwrap() > 0.4);
        assert!(air.features.is_some());
        // The naval exercises are unpaired, with the closest candidate named.
        let naval = p
            .rows
            .iter()
            .find(|r| r.from.as_deref() == Some("Joint naval exercises"))
            .unwrap();
        assert!(!naval.is_pair());
        assert!(naval.score.is_none() && naval.margin.is_none());
        let same = p.rows.iter().find(|r| r.list == "principles").unwrap();
        assert_eq!(same.status, ItemStatus::Unchanged);
        assert_eq!(same.score, Some(1.0));
    }
}
