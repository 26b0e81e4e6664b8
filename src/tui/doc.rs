//! What the browser's panes show, as lines of marked segments wrapped to a pane's width:
//! the diff (inline or side by side) with where each change starts, and the priorities,
//! principles and quotes with their status and rank moves. Pure: built from a
//! [`StatementDiff`] (or one statement), drawn by the view.

use crate::diff::items::{ItemChange, ItemStatus};
use crate::diff::sentences::SentenceStatus;
use crate::diff::{FieldChange, OpKind, StatementDiff};
use crate::record::Statement;
use crate::render::columns::{
    hanging, line_width, ops_segs, row_lines, side_by_side, side_width, wrap, Line, Seg,
};
use crate::render::Label;

/// How the wording is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Inline,
    SideBySide,
}

/// A pane's text and the changes in it (first and last line of each).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    pub lines: Vec<Line>,
    pub changes: Vec<(usize, usize)>,
}

impl Doc {
    fn text(&mut self, segs: &[Seg], width: usize) {
        let (lines, _) = wrap(segs, width);
        self.lines.extend(lines);
    }

    fn heading(&mut self, text: &str, width: usize) {
        if !self.lines.is_empty() {
            self.lines.push(Vec::new());
        }
        self.text(&[Seg::new(text, Label::Header)], width);
    }

    fn change(&mut self, lines: Vec<Line>) {
        if lines.is_empty() {
            return;
        }
        let start = self.lines.len();
        self.lines.extend(lines);
        self.changes.push((start, self.lines.len() - 1));
    }
}

/// The diff's significant changes, one line each (see [`crate::render::significance`]);
/// their number is the list's badge.
pub fn significant(d: &StatementDiff) -> Vec<String> {
    d.significant
        .iter()
        .map(crate::render::significance::line)
        .collect()
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// The main pane: notices, significant changes, the wording (inline or side by side),
/// then the metadata fields that changed.
pub fn diff_doc(d: &StatementDiff, view: View, width: usize, marks: bool) -> Doc {
    let mut doc = Doc::default();
    let sig = significant(d);
    if !sig.is_empty() {
        doc.heading("Significant changes", width);
        for s in sig {
            let lines = hanging(
                vec![Seg::new("! ", Label::Changed)],
                &[Seg::new(s, Label::Plain)],
                width,
            );
            doc.change(lines);
        }
    }
    match &d.wording {
        Some(w) => {
            doc.heading(
                &format!(
                    "Wording ({}): {} words added, {} removed, {} similar",
                    w.language,
                    w.diff.words_added,
                    w.diff.words_removed,
                    pct(w.diff.similarity)
                ),
                width,
            );
            if !w.diff.has_changes() {
                doc.text(&[Seg::new("The wording is the same.", Label::Dim)], width);
            }
            match (view, &d.sentences) {
                (View::SideBySide, Some(rows)) => {
                    let side = side_width(width);
                    for row in side_by_side(rows, side, marks) {
                        let lines = row_lines(&row, side);
                        if row.status == SentenceStatus::Kept {
                            doc.lines.extend(lines);
                        } else {
                            doc.change(lines);
                        }
                    }
                }
                _ if w.diff.has_changes() => {
                    let segs = ops_segs(&w.diff.ops, marks, |_| true);
                    let (lines, starts) = wrap(&segs, width);
                    let base = doc.lines.len();
                    // A change: a run of deleted and inserted segments.
                    let mut k = 0;
                    while k < segs.len() {
                        if segs[k].label == Label::Plain {
                            k += 1;
                            continue;
                        }
                        let first = k;
                        while k + 1 < segs.len()
                            && (segs[k + 1].label != Label::Plain
                                || segs[k + 1].text.trim().is_empty()
                                    && segs.get(k + 2).is_some_and(|s| s.label != Label::Plain))
                        {
                            k += 1;
                        }
                        // Where the change ends: at most where the next segment starts.
                        let bottom = lines.len().saturating_sub(1);
                        let last = starts
                            .get(k + 1)
                            .copied()
                            .unwrap_or(bottom)
                            .clamp(starts[first], bottom.max(starts[first]));
                        doc.changes.push((base + starts[first], base + last));
                        k += 1;
                    }
                    doc.lines.extend(lines);
                }
                _ => {}
            }
        }
        None => {
            if d.notices.is_empty() {
                doc.text(&[Seg::new("No wording to compare.", Label::Dim)], width);
            }
        }
    }
    let fields: Vec<&FieldChange> = d
        .metadata
        .iter()
        .filter(|f| !["initiative", "id", "date", "language"].contains(&f.field))
        .collect();
    if !fields.is_empty() {
        doc.heading("Metadata", width);
        for f in fields {
            let head = vec![Seg::new(format!("{}: ", f.field), Label::Header)];
            let body = if f.ops.is_empty() {
                let mut v = Vec::new();
                if let Some(from) = &f.from {
                    v.push(Seg::new(from.replace('\n', " "), Label::Removed));
                }
                if f.from.is_some() && f.to.is_some() {
                    v.push(Seg::new(" → ", Label::Plain));
                }
                if let Some(to) = &f.to {
                    v.push(Seg::new(to.replace('\n', " "), Label::Added));
                }
                v
            } else {
                ops_segs(&f.ops, marks, |_| true)
            };
            doc.change(hanging(head, &body, width));
        }
    }
    if !d.has_changes() {
        doc.heading("No differences.", width);
    }
    if !d.notices.is_empty() {
        doc.lines.push(Vec::new());
    }
    for n in &d.notices {
        doc.text(&[Seg::new(format!("note: {n}"), Label::Dim)], width);
    }
    doc
}

/// The main pane for a statement shown alone (the first, or the marked one itself).
pub fn alone_doc(st: &Statement, why: &str, width: usize) -> Doc {
    let mut doc = Doc::default();
    doc.text(&[Seg::new(why, Label::Dim)], width);
    if let Some(text) = &st.text {
        doc.heading(&format!("Wording ({})", st.language), width);
        doc.text(&[Seg::new(text.trim_end(), Label::Plain)], width);
    }
    for (lang, text) in &st.translations {
        doc.heading(&format!("Translation ({lang})"), width);
        doc.text(&[Seg::new(text.trim_end(), Label::Plain)], width);
    }
    doc
}

/// Status and rank move in a few words: `added`, `moved ↑2`, `reworded ↓1`...
pub fn change_word(c: &ItemChange) -> (String, Label) {
    let (word, label) = match c.status {
        ItemStatus::Unchanged => ("unchanged", Label::Dim),
        ItemStatus::Moved => ("moved", Label::Moved),
        ItemStatus::Reworded => ("reworded", Label::Changed),
        ItemStatus::Added => ("added", Label::Added),
        ItemStatus::Removed => ("removed", Label::Removed),
        ItemStatus::Merged => ("merged", Label::Changed),
        ItemStatus::Split => ("split", Label::Changed),
        ItemStatus::NotMentioned => ("not mentioned", Label::Dim),
        ItemStatus::Again => ("again", Label::Moved),
        ItemStatus::Unmatched => ("unmatched", Label::Dim),
    };
    let arrow = c
        .movement
        .filter(|m| *m != 0 && c.from.is_some() && c.to.is_some());
    match arrow {
        Some(m) if m > 0 => (format!("{word} ↑{m}"), label),
        Some(m) => (format!("{word} ↓{}", -m), label),
        None => (word.to_string(), label),
    }
}

fn item_segs(c: &ItemChange, marks: bool) -> Vec<Seg> {
    if !c.ops.is_empty() {
        return ops_segs(&c.ops, marks, |_| true);
    }
    let text = c.to.as_deref().or(c.from.as_deref()).unwrap_or_default();
    let label = match c.status {
        ItemStatus::Added => Label::Added,
        ItemStatus::Removed => Label::Removed,
        ItemStatus::Unchanged | ItemStatus::NotMentioned | ItemStatus::Unmatched => Label::Dim,
        _ => Label::Plain,
    };
    vec![Seg::new(text, label)]
}

/// The priorities, principles and quotes pane of a diff: each item with its ranks,
/// status and rank move, unchanged ones dimmed; each changed one is a change.
pub fn items_doc(d: &StatementDiff, width: usize, marks: bool) -> Doc {
    let mut doc = Doc::default();
    for (title, list, ranked) in [
        ("Priorities", &d.priorities, true),
        ("Principles", &d.principles, false),
        ("Quotes", &d.quotes, false),
    ] {
        if list.is_empty() {
            continue;
        }
        doc.heading(title, width);
        for c in list {
            let (word, label) = change_word(c);
            let mut head = Vec::new();
            if ranked {
                let r = |x: Option<usize>| x.map_or("–".to_string(), |n| n.to_string());
                head.push(Seg::new(
                    format!("{:>2}→{:<2} ", r(c.from_rank), r(c.to_rank)),
                    Label::Dim,
                ));
            }
            head.push(Seg::new(format!("{word}: "), label));
            let lines = hanging(head, &item_segs(c, marks), width);
            if c.status == ItemStatus::Unchanged {
                doc.lines.extend(lines);
            } else {
                doc.change(lines);
            }
        }
    }
    if doc.lines.is_empty() {
        doc.text(
            &[Seg::new("No priorities, principles or quotes.", Label::Dim)],
            width,
        );
    }
    doc
}

/// The items pane of a statement shown alone.
pub fn items_alone(st: &Statement, width: usize) -> Doc {
    let mut doc = Doc::default();
    for (title, list) in [
        ("Priorities", &st.priorities),
        ("Principles", &st.principles),
    ] {
        if list.is_empty() {
            continue;
        }
        doc.heading(title, width);
        for (i, item) in list.iter().enumerate() {
            let head = vec![Seg::new(format!("{:>2}. ", i + 1), Label::Dim)];
            doc.lines.extend(hanging(
                head,
                &[Seg::new(item.text.clone(), Label::Plain)],
                width,
            ));
        }
    }
    if !st.quotes.is_empty() {
        doc.heading("Quotes", width);
        for q in &st.quotes {
            let head = vec![Seg::new("“ ", Label::Dim)];
            doc.lines.extend(hanging(
                head,
                &[Seg::new(q.text.clone(), Label::Plain)],
                width,
            ));
        }
    }
    if doc.lines.is_empty() {
        doc.text(
            &[Seg::new("No priorities, principles or quotes.", Label::Dim)],
            width,
        );
    }
    doc
}

/// How many items of the diff changed (for the list's badge when nothing is significant).
pub fn changed_items(d: &StatementDiff) -> usize {
    d.priorities
        .iter()
        .chain(&d.principles)
        .filter(|c| c.status.is_change())
        .count()
}

/// Whether a word diff op list changes anything.
pub fn changes_words(d: &StatementDiff) -> bool {
    d.wording
        .as_ref()
        .is_some_and(|w| w.diff.ops.iter().any(|o| o.op != OpKind::Equal))
}

/// The widest line of a doc (for tests).
pub fn widest(doc: &Doc) -> usize {
    doc.lines.iter().map(|l| line_width(l)).max().unwrap_or(0)
}
