//! The wording of a diff: an inline word diff (colour, or wdiff's `[-old-]{+new+}`) with
//! its context trimmed, and the two wordings side by side aligned by sentence (in two
//! columns fitted to the terminal, or as a Markdown table).

use crate::diff::sentences::{SentenceChange, SentenceStatus};
use crate::diff::structure::{Change, Moved, Place};
use crate::diff::{OpKind, StatementDiff, WordOp, Wording};
use crate::escape::escape;
use crate::render::columns::{self, Seg};
use crate::render::{markdown, Label, Style, Styled};

/// The wording in two columns, the old sentence left and the new one right, aligned by
/// sentence and fitted to the width; a run of kept sentences away from any change is
/// cut to a `…` line unless `full`.
pub(super) fn side_by_side(
    style: &Style,
    d: &StatementDiff,
    rows: &[SentenceChange],
    full: bool,
) -> String {
    let side = columns::side_width(style.width as usize);
    let marks = !style.color;
    let built = columns::side_by_side(rows, side, marks);
    let lang = d.wording.as_ref().map_or("", |w| w.language.as_str());
    let header = columns::Row {
        status: SentenceStatus::Kept,
        left: columns::wrap(
            &[Seg::new(
                format!("before ({}, {lang})", d.from.date),
                Label::Header,
            )],
            side,
        )
        .0,
        right: columns::wrap(
            &[Seg::new(
                format!("after ({}, {lang})", d.to.date),
                Label::Header,
            )],
            side,
        )
        .0,
    };
    let mut out = String::new();
    for line in columns::row_lines(&header, side) {
        out.push_str(&columns::to_text(style, &line));
        out.push('\n');
    }
    for shown in shown_rows(&built, full) {
        match shown {
            Shown::Row(row) => {
                for line in columns::row_lines(row, side) {
                    out.push_str(&columns::to_text(style, &line));
                    out.push('\n');
                }
            }
            Shown::Kept(n) => {
                out.push_str(&style.paint(Label::Dim, &kept(n)));
                out.push('\n');
            }
        }
    }
    out
}

/// A row of the side-by-side view, or a run of kept sentences cut to one line.
enum Shown<'a> {
    Row(&'a columns::Row),
    Kept(usize),
}

/// The rows shown: all with `full`, else the changed ones and the kept sentences next to
/// a change, each other run of kept sentences as one [`Shown::Kept`].
fn shown_rows(built: &[columns::Row], full: bool) -> Vec<Shown<'_>> {
    let near_change = |i: usize| {
        let lo = i.saturating_sub(1);
        let hi = (i + 1).min(built.len().saturating_sub(1));
        (lo..=hi).any(|k| built[k].status != SentenceStatus::Kept)
    };
    let mut out = Vec::new();
    let mut skipped = 0;
    for (i, row) in built.iter().enumerate() {
        if !full && row.status == SentenceStatus::Kept && !near_change(i) {
            skipped += 1;
            continue;
        }
        if skipped > 0 {
            out.push(Shown::Kept(skipped));
            skipped = 0;
        }
        out.push(Shown::Row(row));
    }
    if skipped > 0 {
        out.push(Shown::Kept(skipped));
    }
    out
}

fn kept(n: usize) -> String {
    format!("… {n} sentence{} kept", if n == 1 { "" } else { "s" })
}

/// The side-by-side view in Markdown: a table of one row per sentence pair (what changed,
/// the old sentence with its deletions marked `[-…-]`, the new one with its insertions
/// marked `{+…+}`), a run of kept sentences away from any change cut to one row unless
/// `full`. Cells are not wrapped: the reader's viewer lays out the table.
pub(super) fn side_by_side_markdown(
    d: &StatementDiff,
    rows: &[SentenceChange],
    full: bool,
) -> String {
    let built = columns::side_by_side(rows, 1_000_000, true);
    let lang = d.wording.as_ref().map_or("", |w| w.language.as_str());
    let before = format!("before ({}, {lang})", d.from.date);
    let after = format!("after ({}, {lang})", d.to.date);
    let cell = |lines: &[columns::Line]| -> Styled {
        lines
            .iter()
            .map(|l| columns::line_text(l).trim().to_string())
            .collect::<Vec<_>>()
            .join(" ")
            .into()
    };
    let table: Vec<Vec<Styled>> = shown_rows(&built, full)
        .into_iter()
        .map(|shown| match shown {
            Shown::Row(row) => vec![
                status_word(row.status).into(),
                cell(&row.left),
                cell(&row.right),
            ],
            Shown::Kept(n) => vec!["…".into(), kept(n).into(), "".into()],
        })
        .collect();
    markdown(&["change", &before, &after], &table)
}

fn status_word(status: SentenceStatus) -> &'static str {
    match status {
        SentenceStatus::Kept => "kept",
        SentenceStatus::Reworded => "reworded",
        SentenceStatus::Moved => "moved",
        SentenceStatus::Added => "added",
        SentenceStatus::Removed => "removed",
    }
}

/// An inline word diff: deletions and insertions in colour, or wdiff's `[-old-]{+new+}`;
/// unchanged stretches longer than twice `context` words cut to `context` words each side.
/// Neighbouring unchanged steps (the same bytes, or equal but for layout: wrapping,
/// spacing, line ends) read as one stretch, and a line end's CR is not shown in unchanged
/// text, so a document that only changed its layout shows only its real edits.
pub fn inline(style: &Style, md: bool, ops: &[WordOp], context: usize, full: bool) -> String {
    inline_with_moves(style, md, ops, context, full, &[])
}

/// [`inline`], with moved text shown as moved: where it was, `[moved to PLACE]`; where it
/// went, `{moved from PLACE: …}` with the edits inside it (or its first words when it
/// moved unchanged).
pub(super) fn inline_with_moves(
    style: &Style,
    md: bool,
    ops: &[WordOp],
    context: usize,
    full: bool,
    moves: &[Moved],
) -> String {
    let mut out = String::new();
    let mut equal = String::new();
    let mut first = true;
    let flush = |equal: &mut String, out: &mut String, first: bool, last: bool| {
        if equal.is_empty() {
            return;
        }
        let text = escape(&equal.replace("\r\n", "\n")).into_owned();
        if full {
            out.push_str(&text);
        } else {
            out.push_str(&trim_context(&text, context, first, last));
        }
        equal.clear();
    };
    for op in ops {
        match op.op {
            OpKind::Equal => equal.push_str(&op.text),
            OpKind::Delete | OpKind::Insert => {
                flush(&mut equal, &mut out, first, false);
                first = false;
                if let Some(m) = op.moved.and_then(|k| moves.get(k)) {
                    out.push_str(&moved_mark(style, md, op, m, context));
                    continue;
                }
                let label = if op.op == OpKind::Delete {
                    Label::Removed
                } else {
                    Label::Added
                };
                out.push_str(&mark(style, md, label, &escape(&op.text)));
            }
        }
    }
    flush(&mut equal, &mut out, first, true);
    out
}

/// A moved passage at its old place (`[moved to …]`) or its new one (`{moved from …: …}`).
fn moved_mark(style: &Style, md: bool, op: &WordOp, m: &Moved, context: usize) -> String {
    let lead = &op.text[..op.text.len() - op.text.trim_start().len()];
    let trail = &op.text[op.text.trim_end().len()..];
    let paint = |text: &str| {
        if style.color && !md {
            style.paint(Label::Moved, text)
        } else {
            text.to_owned()
        }
    };
    let marked = if op.op == OpKind::Delete {
        paint(&format!("[moved to {}]", place_short(&m.to)))
    } else {
        let unchanged = m.ops.iter().all(|o| o.op == OpKind::Equal);
        let inside = if unchanged {
            let words: Vec<&str> = op.text.split_whitespace().collect();
            let shown = words.iter().take(8).copied().collect::<Vec<_>>().join(" ");
            let more = if words.len() > 8 { " …" } else { "" };
            escape(&format!("{shown}{more}")).into_owned()
        } else {
            inline(style, md, &m.ops, context, false).trim().to_owned()
        };
        let what = if unchanged {
            "moved"
        } else {
            "moved and edited"
        };
        format!(
            "{}{inside}{}",
            paint(&format!("{{{what} from {}: ", place_short(&m.from))),
            paint("}")
        )
    };
    format!("{lead}{marked}{trail}")
}

/// `Article 2, line 5` or `line 5`.
fn place_short(p: &Place) -> String {
    match &p.heading {
        Some(h) => format!("{}, line {}", escape(h), p.line),
        None => format!("line {}", p.line),
    }
}

/// The wording's changes in hunks, each headed by its place (`Article 7, line 30 (was
/// Article 6, line 27)`); changes closer than twice `context` words share a hunk. The
/// context around a hunk stops at a paragraph break, so an edit is never shown under
/// another paragraph's words; what lies between hunks is left out, and the next header
/// says where the text goes on. Renumbered articles are said first, once.
pub(super) fn hunks(style: &Style, md: bool, w: &Wording, context: usize) -> String {
    let mut out = String::new();
    for r in &w.renumbered {
        let line = format!("renumbered: {}", escape(&r.text));
        out.push_str(&style.paint(Label::Moved, &line));
        out.push('\n');
    }
    let ops = &w.diff.ops;
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for (k, c) in w.changes.iter().enumerate() {
        // Changes share a hunk when few words and no paragraph break lie between them.
        let close = groups.last().is_some_and(|&(_, last)| {
            let gap = ops
                .get(w.changes[last].ops[1]..c.ops[0])
                .unwrap_or_default();
            let words: usize = gap.iter().map(|o| o.text.split_whitespace().count()).sum();
            words <= 2 * context && !gap.iter().any(|o| breaks_paragraph(&o.text))
        });
        match groups.last_mut() {
            Some(g) if close => g.1 = k,
            _ => groups.push((k, k)),
        }
    }
    for (n, (first, last)) in groups.into_iter().enumerate() {
        let (a, b) = (&w.changes[first], &w.changes[last]);
        let span = |x: &Place, y: &Place| Place {
            end_line: y.end_line.max(x.line),
            ..x.clone()
        };
        let header = place_line(&Change {
            ops: [a.ops[0], b.ops[1]],
            from: span(&a.from, &b.from),
            to: span(&a.to, &b.to),
        });
        if n > 0 || !out.is_empty() {
            out.push('\n');
        }
        if md {
            out.push_str(&format!("*{}*\n\n", escape(&header)));
        } else {
            out.push_str(&style.paint(Label::Dim, &format!("@ {}", escape(&header))));
            out.push('\n');
        }
        let mut body = String::new();
        if let Some(before) = a.ops[0].checked_sub(1).and_then(|i| ops.get(i)) {
            body.push_str(&lead_context(&before.text, context));
        }
        body.push_str(&inline_with_moves(
            style,
            md,
            ops.get(a.ops[0]..b.ops[1]).unwrap_or_default(),
            context,
            false,
            &w.moves,
        ));
        let ends_paragraph = b.ops[1]
            .checked_sub(1)
            .and_then(|i| ops.get(i))
            .is_some_and(|o| o.text.trim_end_matches([' ', '\t', '\r']).ends_with("\n\n"));
        if let (Some(after), false) = (ops.get(b.ops[1]), ends_paragraph) {
            body.push_str(&trail_context(&after.text, context));
        }
        let body = body.trim_matches('\n');
        if md {
            out.push_str(body);
            out.push('\n');
        } else {
            out.push_str(&crate::render::prose(style, body));
        }
    }
    out
}

fn breaks_paragraph(text: &str) -> bool {
    text.replace("\r\n", "\n").contains("\n\n")
}

/// `Article 7, line 30 (was Article 6, line 27)`, `line 9 (was 8)`, `Article 2, line 8`.
fn place_line(c: &Change) -> String {
    let lines = |p: &Place| {
        if p.end_line > p.line {
            format!("lines {}–{}", p.line, p.end_line)
        } else {
            format!("line {}", p.line)
        }
    };
    let now = match &c.to.heading {
        Some(h) => format!("{h}, {}", lines(&c.to)),
        None => lines(&c.to),
    };
    let was = match (&c.from.heading, &c.to.heading) {
        (Some(old), Some(new)) if old == new => (c.from.line != c.to.line).then(|| lines(&c.from)),
        (Some(old), _) => Some(format!("{old}, {}", lines(&c.from))),
        (None, _) => (c.from.line != c.to.line || c.to.heading.is_some()).then(|| lines(&c.from)),
    };
    match was {
        Some(was) => format!("{now} (was {was})"),
        None => now,
    }
}

/// The last `n` words of the unchanged text before a change, not reaching back past a
/// paragraph break; `… ` in front when words are left out.
fn lead_context(text: &str, n: usize) -> String {
    let text = text.replace("\r\n", "\n");
    let para = text.rfind("\n\n").map_or(0, |i| i + 2);
    let words: Vec<&str> = text[para..].split_inclusive(char::is_whitespace).collect();
    let count = words.iter().filter(|w| !w.trim().is_empty()).count();
    let kept: String = if count > n {
        let mut seen = 0;
        let mut at = words.len();
        while at > 0 && seen < n {
            at -= 1;
            seen += usize::from(!words[at].trim().is_empty());
        }
        format!("… {}", words[at..].concat().trim_start())
    } else {
        text[para..].to_owned()
    };
    escape(&kept).into_owned()
}

/// The first `n` words of the unchanged text after a change, not running past a
/// paragraph break; ` …` after when words are left out.
fn trail_context(text: &str, n: usize) -> String {
    let text = text.replace("\r\n", "\n");
    let para = text.find("\n\n").unwrap_or(text.len());
    let part = &text[..para];
    let mut seen = 0;
    let mut end = 0;
    for w in part.split_inclusive(char::is_whitespace) {
        if !w.trim().is_empty() {
            if seen == n {
                return escape(&format!("{} …", part[..end].trim_end())).into_owned();
            }
            seen += 1;
        }
        end += w.len();
    }
    escape(part).into_owned()
}

fn mark(style: &Style, md: bool, label: Label, text: &str) -> String {
    // Keep surrounding white space outside the marks, as wdiff does.
    let core = text.trim();
    if core.is_empty() {
        return text.to_string();
    }
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    let marked = if style.color && !md {
        style.paint(label, core)
    } else if label == Label::Removed {
        format!("[-{core}-]")
    } else {
        format!("{{+{core}+}}")
    };
    format!("{lead}{marked}{trail}")
}

/// Keeps `n` words at each side of an unchanged stretch that touches a change.
fn trim_context(text: &str, n: usize, first: bool, last: bool) -> String {
    let words: Vec<&str> = text.split_inclusive(char::is_whitespace).collect();
    let count = words.iter().filter(|w| !w.trim().is_empty()).count();
    let keep_before = if first { 0 } else { n };
    let keep_after = if last { 0 } else { n };
    if count <= keep_before + keep_after + 1 {
        return text.to_string();
    }
    let head: String = words[..keep_before.min(words.len())].concat();
    let tail: String = words[words.len().saturating_sub(keep_after)..].concat();
    let gap = if head.ends_with('\n') || tail.starts_with('\n') {
        "…\n"
    } else {
        "… "
    };
    format!("{head}{gap}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(op: OpKind, text: &str) -> WordOp {
        WordOp {
            op,
            text: text.into(),
            old_text: None,
            moved: None,
        }
    }

    #[test]
    fn wdiff_marks_without_colour() {
        let style = Style {
            color: false,
            width: 80,
            wide: false,
        };
        let ops = vec![
            op(
                OpKind::Equal,
                "one two three four five six seven eight nine ",
            ),
            op(OpKind::Delete, "old "),
            op(OpKind::Insert, "new "),
            op(OpKind::Equal, "a b c d e f g h"),
        ];
        assert_eq!(
            inline(&style, false, &ops, 2, false),
            "… eight nine [-old-] {+new+} a b … "
        );
        assert_eq!(
            inline(&style, false, &ops, 2, true),
            "one two three four five six seven eight nine [-old-] {+new+} a b c d e f g h"
        );
    }

    #[test]
    fn colour_marks() {
        let style = Style {
            color: true,
            width: 80,
            wide: false,
        };
        let ops = vec![op(OpKind::Delete, "x"), op(OpKind::Insert, "y")];
        assert_eq!(
            inline(&style, false, &ops, 2, true),
            "\x1b[31mx\x1b[0m\x1b[32my\x1b[0m"
        );
    }
}
