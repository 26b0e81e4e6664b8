//! The items of a diff as table cells: the status and rank move of a priority, principle
//! or quote, its text (a word diff when reworded, with the nearest item of the other list
//! on request), and a row of the sentence table.

use super::pct;
use super::wording::inline;
use crate::diff::items::{ItemChange, ItemStatus};
use crate::diff::sentences::{SentenceChange, SentenceStatus};
use crate::escape::escape;
use crate::render::{rendered, styled, Label, Style, Styled};

/// Status and rank move in one cell: `added`, `moved ↑2`, `reworded, ↓1`...
pub(super) fn change(c: &ItemChange) -> Styled {
    let s = status(c);
    let arrow = match c.status {
        ItemStatus::Added
        | ItemStatus::Removed
        | ItemStatus::NotMentioned
        | ItemStatus::Again
        | ItemStatus::Unmatched => None,
        _ => c.movement.filter(|m| *m != 0).map(|m| {
            if m > 0 {
                format!("↑{m}")
            } else {
                format!("↓{}", -m)
            }
        }),
    };
    match arrow {
        Some(a) => {
            let text = match c.status {
                ItemStatus::Moved => format!("moved {a}"),
                ItemStatus::Reworded if c.moved => format!("reworded, {a}"),
                _ => format!("{} {a}", s.text),
            };
            styled(text, s.label)
        }
        None => s,
    }
}

pub(super) fn status(c: &ItemChange) -> Styled {
    match c.status {
        ItemStatus::Unchanged => styled("unchanged", Label::Dim),
        ItemStatus::Moved => styled("moved", Label::Moved),
        ItemStatus::Reworded if c.moved => styled("reworded, moved", Label::Changed),
        ItemStatus::Reworded => styled("reworded", Label::Changed),
        ItemStatus::Added => styled("added", Label::Added),
        ItemStatus::Removed => styled("removed", Label::Removed),
        ItemStatus::Merged => styled("merged", Label::Changed),
        ItemStatus::Split => styled("split", Label::Changed),
        ItemStatus::NotMentioned | ItemStatus::Again => {
            let word = c.status.word();
            let label = if c.status == ItemStatus::Again {
                Label::Moved
            } else {
                Label::Dim
            };
            match &c.last_said {
                Some(s) => styled(format!("{word} (last said {})", s.date), label),
                None => styled(word, label),
            }
        }
        ItemStatus::Unmatched => styled("unmatched", Label::Dim),
    }
}

pub(super) fn item_text(style: &Style, md: bool, nearest: bool, c: &ItemChange) -> String {
    let mut text = if !c.ops.is_empty() {
        inline(style, md, &c.ops, usize::MAX, true)
    } else {
        let parts = || {
            c.parts
                .iter()
                .map(|p| escape(&p.text).into_owned())
                .collect::<Vec<_>>()
                .join(" + ")
        };
        let one = |t: &Option<String>| escape(t.as_deref().unwrap_or_default()).into_owned();
        match c.status {
            ItemStatus::Merged => format!("{} → {}", parts(), one(&c.to)),
            ItemStatus::Split => format!("{} → {}", one(&c.from), parts()),
            _ => escape(c.to.as_deref().or(c.from.as_deref()).unwrap_or_default()).into_owned(),
        }
    };
    if let (true, Some(n)) = (nearest, &c.nearest) {
        let line = format!("nearest: {} ({})", escape(&n.text), pct(n.score));
        text.push_str(if md { "<br>" } else { "\n" });
        text.push_str(&style.paint(Label::Dim, &line));
    }
    text
}

pub(super) fn sentence_row(style: &Style, md: bool, s: &SentenceChange) -> Vec<Styled> {
    let (label, word) = match s.status {
        SentenceStatus::Kept => (Label::Dim, "kept"),
        SentenceStatus::Reworded => (Label::Changed, "reworded"),
        SentenceStatus::Moved => (Label::Moved, "moved"),
        SentenceStatus::Added => (Label::Added, "added"),
        SentenceStatus::Removed => (Label::Removed, "removed"),
    };
    let text = if s.ops.is_empty() {
        escape(s.to.as_deref().or(s.from.as_deref()).unwrap_or_default()).into_owned()
    } else {
        inline(style, md, &s.ops, usize::MAX, true)
    };
    vec![
        s.from_index
            .map(|i| i.to_string())
            .unwrap_or_default()
            .into(),
        s.to_index.map(|i| i.to_string()).unwrap_or_default().into(),
        styled(word, label),
        rendered(text.trim()),
        s.similarity.map(pct).unwrap_or_default().into(),
    ]
}
