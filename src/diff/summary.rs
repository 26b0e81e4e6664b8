//! The diff's counts per section (added, removed, reworded, moved, unchanged and the
//! list-only kinds) and each section's similarity, as the JSON `summary` shows them.

use serde::Serialize;

use super::items::{ItemChange, ItemStatus};
use super::sentences::{SentenceChange, SentenceStatus};

/// Counts per section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Fields (`added`: was missing, `removed`: now missing, `reworded`: value changed).
    pub metadata: SectionSummary,
    /// Priorities.
    pub priorities: SectionSummary,
    /// Principles.
    pub principles: SectionSummary,
    /// Quotes.
    pub quotes: SectionSummary,
    /// Words of the wording (`reworded` is 0; `moved` counts moved passages); null without
    /// wording.
    pub wording: Option<SectionSummary>,
    /// Sentences, when aligned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentences: Option<SectionSummary>,
}

/// How many things of a section were added, removed, reworded, moved or left unchanged. A
/// reworded item that also moved counts as reworded and as moved.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SectionSummary {
    /// Only in the new version.
    pub added: usize,
    /// Only in the old version.
    pub removed: usize,
    /// Paired, with a different wording or value.
    pub reworded: usize,
    /// Paired, in a different place.
    pub moved: usize,
    /// Paired and the same.
    pub unchanged: usize,
    /// Lists: rows of items merged into one.
    #[serde(skip_serializing_if = "is_zero")]
    pub merged: usize,
    /// Lists: rows of items split into several.
    #[serde(skip_serializing_if = "is_zero")]
    pub split: usize,
    /// Lists: items the new statement does not mention (its list is partial).
    #[serde(skip_serializing_if = "is_zero")]
    pub not_mentioned: usize,
    /// Lists: items said again after statements that did not mention them.
    #[serde(skip_serializing_if = "is_zero")]
    pub again: usize,
    /// Lists: items not compared for want of a shared language.
    #[serde(skip_serializing_if = "is_zero")]
    pub unmatched: usize,
    /// From 0 to 100, one decimal: for lists, twice the summed similarity of the pairs over
    /// the number of items on both sides; for metadata, the share of fields unchanged; for
    /// the wording, its similarity. 100 when a section is empty on both sides.
    pub similarity: f64,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

pub(crate) fn percent(ratio: f64) -> f64 {
    (ratio * 1000.0).round() / 10.0
}

/// A section's similarity in percent: twice the paired rows' similarities over the
/// number of sides present (a row with both sides counts two), 100 for an empty section.
/// Each row is (has a before, has an after, its similarity when paired).
fn overall_similarity(rows: impl Iterator<Item = (bool, bool, Option<f64>)>) -> f64 {
    let (mut sides, mut paired) = (0usize, 0.0);
    for (from, to, similarity) in rows {
        sides += usize::from(from) + usize::from(to);
        // Added one by one from 0.0: an empty f64 `sum()` is -0.0, shown as "-0".
        paired += similarity.unwrap_or(0.0);
    }
    if sides == 0 {
        100.0
    } else {
        percent(2.0 * paired / sides as f64)
    }
}

pub(crate) fn item_summary(rows: &[ItemChange]) -> SectionSummary {
    let count = |s: ItemStatus| rows.iter().filter(|r| r.status == s).count();
    let similarity = overall_similarity(
        rows.iter()
            .map(|r| (r.from.is_some(), r.to.is_some(), r.similarity)),
    );
    SectionSummary {
        added: count(ItemStatus::Added),
        removed: count(ItemStatus::Removed),
        reworded: count(ItemStatus::Reworded),
        moved: rows.iter().filter(|r| r.moved).count(),
        unchanged: count(ItemStatus::Unchanged),
        merged: count(ItemStatus::Merged),
        split: count(ItemStatus::Split),
        not_mentioned: count(ItemStatus::NotMentioned),
        again: count(ItemStatus::Again),
        unmatched: count(ItemStatus::Unmatched),
        similarity,
    }
}

pub(crate) fn sentence_summary(rows: &[SentenceChange]) -> SectionSummary {
    let count = |s: SentenceStatus| rows.iter().filter(|r| r.status == s).count();
    let similarity = overall_similarity(
        rows.iter()
            .map(|r| (r.from.is_some(), r.to.is_some(), r.similarity)),
    );
    SectionSummary {
        added: count(SentenceStatus::Added),
        removed: count(SentenceStatus::Removed),
        reworded: count(SentenceStatus::Reworded),
        moved: count(SentenceStatus::Moved),
        unchanged: count(SentenceStatus::Kept),
        similarity,
        ..SectionSummary::default()
    }
}
