//! What changed between consecutive statements: counts, field changes, item tables and
//! the wording as a redline (`<del>` and `<ins>`).

use std::fmt::Write as _;

use super::{esc, lang_attrs};
use crate::diff::items::{ItemChange, ItemStatus};
use crate::diff::structure::{Moved, Place};
use crate::diff::{OpKind, StatementDiff, WordOp};

/// Word ops as HTML with `<del>` and `<ins>`.
fn redline(ops: &[WordOp]) -> String {
    redline_with_moves(ops, &[])
}

/// `Article 2, line 5` or `line 5`.
fn place(p: &Place) -> String {
    match &p.heading {
        Some(h) => format!("{}, line {}", esc(h), p.line),
        None => format!("line {}", p.line),
    }
}

/// [`redline`] with moved text marked as moved: a note where it was, and where it went the
/// passage with the edits inside it.
fn redline_with_moves(ops: &[WordOp], moves: &[Moved]) -> String {
    let mut s = String::new();
    for op in ops {
        if let Some(m) = op.moved.and_then(|k| moves.get(k)) {
            if op.op == OpKind::Delete {
                let _ = write!(
                    s,
                    "<span class=\"moved-away\">[moved to {}]</span>",
                    place(&m.to)
                );
            } else {
                let _ = write!(
                    s,
                    "<span class=\"moved\"><span class=\"moved-from\">moved from {}:</span> {}</span>",
                    place(&m.from),
                    redline(&m.ops)
                );
            }
            continue;
        }
        match op.op {
            OpKind::Equal => s.push_str(&esc(&op.text)),
            OpKind::Delete => {
                let _ = write!(s, "<del>{}</del>", esc(&op.text));
            }
            OpKind::Insert => {
                let _ = write!(s, "<ins>{}</ins>", esc(&op.text));
            }
        }
    }
    s
}

fn status_cell(c: &ItemChange) -> String {
    let (class, word) = match c.status {
        ItemStatus::Unchanged => ("unchanged", "unchanged"),
        ItemStatus::Moved => ("moved", "moved"),
        ItemStatus::Reworded if c.moved => ("reworded", "reworded, moved"),
        ItemStatus::Reworded => ("reworded", "reworded"),
        ItemStatus::Added => ("added", "added"),
        ItemStatus::Removed => ("removed", "removed"),
        ItemStatus::Merged | ItemStatus::Split => ("reworded", c.status.word()),
        ItemStatus::NotMentioned | ItemStatus::Again | ItemStatus::Unmatched => {
            ("unchanged", c.status.word())
        }
    };
    format!("<td class=\"status-{class}\">{word}</td>")
}

fn item_html(c: &ItemChange) -> String {
    if !c.ops.is_empty() {
        return redline(&c.ops);
    }
    match c.status {
        ItemStatus::Removed => format!("<del>{}</del>", esc(c.from.as_deref().unwrap_or_default())),
        ItemStatus::Added => format!("<ins>{}</ins>", esc(c.to.as_deref().unwrap_or_default())),
        _ => esc(c.to.as_deref().or(c.from.as_deref()).unwrap_or_default()),
    }
}

pub(super) fn diff(d: &StatementDiff) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<article>\n<h3>{} <small>({})</small> → {} <small>({})</small></h3>",
        esc(&d.from.reference),
        esc(&d.from.date),
        esc(&d.to.reference),
        esc(&d.to.date)
    );
    let sm = &d.summary;
    let _ = writeln!(
        s,
        "<p class=\"counts\"><span>priorities: +{} −{} ~{} ↕{}</span><span>principles: +{} −{} ~{}</span><span>quotes: +{} −{} ~{}</span><span>fields changed: {}</span>{}</p>",
        sm.priorities.added,
        sm.priorities.removed,
        sm.priorities.reworded,
        sm.priorities.moved,
        sm.principles.added,
        sm.principles.removed,
        sm.principles.reworded,
        sm.quotes.added,
        sm.quotes.removed,
        sm.quotes.reworded,
        d.metadata.len(),
        sm.wording
            .as_ref()
            .map(|w| format!(
                "<span>wording: {} words added, {} removed, {:.0}% similar</span>",
                w.added, w.removed, w.similarity
            ))
            .unwrap_or_default()
    );
    for n in &d.notices {
        let _ = writeln!(s, "<p class=\"notice\">{}</p>", esc(n));
    }
    if !d.has_changes() {
        s.push_str("<p>No differences.</p>\n</article>\n");
        return s;
    }
    if !d.metadata.is_empty() {
        s.push_str("<h4>Fields</h4>\n<div class=\"scroll\"><table><thead><tr><th>field</th><th>before</th><th>after</th></tr></thead><tbody>\n");
        for f in &d.metadata {
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td dir=\"auto\"><del>{}</del></td><td dir=\"auto\"><ins>{}</ins></td></tr>",
                esc(f.field),
                esc(f.from.as_deref().unwrap_or_default()),
                esc(f.to.as_deref().unwrap_or_default())
            );
        }
        s.push_str("</tbody></table></div>\n");
    }
    if !d.priorities.is_empty() {
        s.push_str("<h4>Priorities</h4>\n<table><thead><tr><th class=\"num\">before</th><th class=\"num\">after</th><th>move</th><th>status</th><th>priority</th></tr></thead><tbody>\n");
        for c in &d.priorities {
            let movement = match (c.status, c.movement) {
                (ItemStatus::Added, _) => "new".to_string(),
                (ItemStatus::Removed, _) => "dropped".to_string(),
                (_, Some(m)) if m > 0 => format!("↑{m}"),
                (_, Some(m)) if m < 0 => format!("↓{}", -m),
                _ => String::new(),
            };
            let _ = writeln!(
                s,
                "<tr><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{movement}</td>{}<td dir=\"auto\">{}</td></tr>",
                c.from_rank.map(|r| r.to_string()).unwrap_or_default(),
                c.to_rank.map(|r| r.to_string()).unwrap_or_default(),
                status_cell(c),
                item_html(c)
            );
        }
        s.push_str("</tbody></table>\n");
    }
    for (title, list) in [("Principles", &d.principles), ("Quotes", &d.quotes)] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "<h4>{title}</h4>\n<table><thead><tr><th>status</th><th>text</th></tr></thead><tbody>"
        );
        for c in list {
            let _ = writeln!(
                s,
                "<tr>{}<td dir=\"auto\">{}</td></tr>",
                status_cell(c),
                item_html(c)
            );
        }
        s.push_str("</tbody></table>\n");
    }
    if let Some(w) = &d.wording {
        if w.diff.has_changes() {
            let _ = writeln!(
                s,
                "<h4>Wording ({})</h4>\n<div class=\"wording\"{}>{}</div>",
                esc(&w.language),
                lang_attrs(&w.language),
                redline_with_moves(&w.diff.ops, &w.moves)
            );
        }
    }
    s.push_str("</article>\n");
    s
}
