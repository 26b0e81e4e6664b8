//! Significant changes: what a policy analyst looks for first in a diff. Over a word diff
//! (the wording, a reworded priority, principle or quote, the summary), each changed
//! passage is read on both sides for
//!
//! * `modality`: the strength of a commitment (must, shall, will, is to > should > may,
//!   can, could; обязаны, должны, будут > следует > могут; يجب > ينبغي > يمكن), with a
//!   direction, `strengthened` or `weakened`; a plain statement counts as the strongest;
//! * `negation`: a negation added or removed (not, no longer; не, нет; لا، ليس، لم، لن);
//! * `number`: a quantity changed (digits in any script, number words);
//! * `year`: a year, deadline or horizon changed (`until 2030` to `until 2035`).
//!
//! Words are compared as every comparison compares them (the shared tokens,
//! normalisation and Arabic clitics of [`crate::diff::lang`]), and numbers by value, so
//! noise raises nothing: `٢٠٣٠` and `2030`, `five` and `5`, `1,000` and `1 000`,
//! diacritics, quotation marks, spacing. A number that labels a part of the text
//! (`Article 3`, a list's `3.`) is not a quantity. A whole sentence added or removed is
//! new content, not a change of commitment: a modal, negation or number is reported when
//! it changes within a passage both versions keep.
//!
//! A negated modal reads as English, Russian and Arabic read it: `must not`, `не должны`,
//! `لا يجب` forbid (as strong as `must`, so `must` to `must not` is a negation added and
//! `must not` to `may not` a weakening), while a negated obligation leaves the choice open
//! (`not required to`, `не обязаны`, `غير ملزمة`: a permission, so a weakening, with no
//! negation of its own). A four-digit number from 1000 to 2999 is a year or a count by
//! the words around it (`until 2030`, `до 2030 года`, `حتى عام 2030`; `2000 troops`,
//! `до 2000 военнослужащих`, `2000 جندي`). A long rewritten passage (over 40 changed
//! words a side between scattered kept words) is read change by change between its kept
//! words ([`hunk`]), so its edits are found at a cost linear in the text.
//!
//! The words themselves are data, per language, in [`lexicon`]; [`scan`] finds the
//! markers, [`hunk`] groups the changes, [`judge`] compares one group's two sides and
//! [`place`] says where it is.

mod hunk;
mod judge;
pub(crate) mod lexicon;
mod place;
mod scan;
#[cfg(test)]
mod tests;

use serde::Serialize;

use super::lang::{Analyzer, Lang};
use super::words::{OpKind, WordOp};
use hunk::{judged_hunks, word_count, Piece};
use place::{context, LineIndex};

/// What kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Modality,
    Negation,
    Number,
    Year,
}

/// Where in the diff it was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    Wording,
    Priorities,
    Principles,
    Quotes,
    Summary,
}

/// Which way a commitment moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Strengthened,
    Weakened,
}

/// What happened to the marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Only in the new version (a negation added, a number added).
    Added,
    /// Only in the old version.
    Removed,
    /// A number grew.
    Increased,
    /// A number shrank.
    Decreased,
    /// A year moved later.
    Later,
    /// A year moved earlier.
    Earlier,
    /// Replaced otherwise (several numbers, a modal for another).
    Changed,
}

/// Where a change is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Place {
    /// 1-based line in the old text (wording only).
    pub from_line: Option<usize>,
    /// 1-based line in the new text (wording only).
    pub to_line: Option<usize>,
    /// The nearest heading or article label above it (wording only).
    pub heading: Option<String>,
    /// Lists: the item's rank in the old list.
    pub from_rank: Option<usize>,
    /// Lists: the item's rank in the new list.
    pub to_rank: Option<usize>,
}

/// One significant change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Significant {
    pub kind: Kind,
    pub section: Section,
    /// The marker as the old version wrote it (`will`, `5`, `2030`); null when absent.
    pub from: Option<String>,
    /// The marker as the new version writes it; null when absent.
    pub to: Option<String>,
    /// Modality only.
    pub direction: Option<Direction>,
    pub change: Change,
    pub place: Place,
    /// The changed passage in the old version, with a few words around.
    pub from_context: Option<String>,
    /// The changed passage in the new version, with a few words around.
    pub to_context: Option<String>,
}

/// The significant changes of a whole diff: its priorities, principles and quotes
/// (reworded rows), its wording, and its `summary` field, in that order.
pub fn of_diff(d: &super::StatementDiff) -> Vec<Significant> {
    let hint = Lang::from_tag(&d.to.language);
    let mut out = Vec::new();
    for (section, rows) in [
        (Section::Priorities, &d.priorities),
        (Section::Principles, &d.principles),
        (Section::Quotes, &d.quotes),
    ] {
        for row in rows.iter().filter(|r| !r.ops.is_empty()) {
            out.extend(detect(&row.ops, section, hint).into_iter().map(|mut s| {
                s.place.from_rank = row.from_rank;
                s.place.to_rank = row.to_rank;
                s
            }));
        }
    }
    if let Some(w) = &d.wording {
        out.extend(detect(
            &w.diff.ops,
            Section::Wording,
            Lang::from_tag(&w.language),
        ));
    }
    if let Some(f) = d.metadata.iter().find(|f| f.field == "summary") {
        // Only an edited summary (one with a word diff): two statements' summaries that
        // share little are different texts, not versions of one.
        out.extend(detect(&f.ops, Section::Summary, hint));
    }
    out
}

/// The significant changes of one word diff. `hint` is the language of the texts (for
/// the words of its script); lines and heading are filled in for the wording only.
pub fn detect(ops: &[WordOp], section: Section, hint: Option<Lang>) -> Vec<Significant> {
    // Texts that share no word (a translation paired across languages, a rewrite) are
    // not versions of one passage.
    let shared = ops
        .iter()
        .any(|op| op.op == OpKind::Equal && word_count(&op.text) > 0);
    if !shared {
        return Vec::new();
    }
    let mut old = String::new();
    let mut new = String::new();
    let mut pieces = Vec::with_capacity(ops.len());
    for op in ops {
        let (o, n) = (old.len(), new.len());
        match op.op {
            OpKind::Equal => {
                old.push_str(op.old_text.as_deref().unwrap_or(&op.text));
                new.push_str(&op.text);
            }
            OpKind::Delete => old.push_str(&op.text),
            OpKind::Insert => new.push_str(&op.text),
        }
        pieces.push(Piece {
            op: op.op,
            old: o..old.len(),
            new: n..new.len(),
        });
    }
    let lines = (LineIndex::new(&old), LineIndex::new(&new));
    let mut an = Analyzer::new(hint);
    let mut out = Vec::new();
    for hunk in judged_hunks(&old, &new, &pieces, judge::COMPARABLE_WORDS) {
        let found = judge::judge(&old, &new, &hunk, hint, &mut an);
        if found.is_empty() {
            continue;
        }
        let place = if section == Section::Wording {
            Place {
                from_line: Some(lines.0.line(hunk.old_span.start)),
                to_line: Some(lines.1.line(hunk.new_span.start)),
                heading: lines
                    .1
                    .heading_before(&new, hunk.new_span.start)
                    .or_else(|| lines.0.heading_before(&old, hunk.old_span.start)),
                ..Place::default()
            }
        } else {
            Place::default()
        };
        let from_context = context(&old, &hunk.old_span);
        let to_context = context(&new, &hunk.new_span);
        for (kind, from, to, direction, change) in found {
            out.push(Significant {
                kind,
                section,
                from,
                to,
                direction,
                change,
                place: place.clone(),
                from_context: from_context.clone(),
                to_context: to_context.clone(),
            });
        }
    }
    out
}
