//! Renderers for diffs: the summary, metadata, priorities, principles and quotes tables,
//! and the wording as an inline word diff (colour, or wdiff's `[-old-]{+new+}`).

use super::{fitted, heading, json, markdown, styled, table, Column, Label, Style, Styled};
use crate::diff::items::{ItemChange, ItemStatus};
use crate::diff::sentences::{SentenceChange, SentenceStatus};
use crate::diff::{OpKind, SectionSummary, StatementDiff, WordOp};
use crate::escape::escape;
use crate::output::{Format, Section};

/// How the wording is shown.
#[derive(Debug, Clone)]
pub struct WordingView {
    /// Words of unchanged context kept around each change.
    pub context: usize,
    /// Show every unchanged word.
    pub full: bool,
    /// The sections to show (all when empty).
    pub only: Vec<Section>,
    /// Under removed, added and not-mentioned items, the closest item of the other list.
    pub nearest: bool,
    /// The table aligning the sentences (`--sentences`).
    pub sentences: bool,
    /// The wording in two columns aligned by sentence (`--side-by-side`, table output).
    pub side_by_side: bool,
}

impl WordingView {
    fn shows(&self, s: Section) -> bool {
        self.only.is_empty() || self.only.contains(&s)
    }
}

/// Several diffs (`--steps`) or one.
pub fn diffs(style: &Style, format: Format, view: &WordingView, list: &[StatementDiff]) -> String {
    match format {
        Format::Json => {
            if list.len() == 1 {
                json(&list[0])
            } else {
                json(list)
            }
        }
        _ => list
            .iter()
            .map(|d| one(style, format, view, d))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn one(style: &Style, format: Format, view: &WordingView, d: &StatementDiff) -> String {
    let md = format == Format::Markdown;
    let tbl = |headers: &[&str], rows: Vec<Vec<Styled>>| {
        if md {
            markdown(headers, &rows)
        } else {
            table(style, headers, rows)
        }
    };
    // A table whose columns give way at narrow widths (Markdown keeps them all, but not
    // the empty ones).
    let fit = |columns: &[Column], rows: Vec<Vec<Styled>>| {
        if md {
            super::markdown_fitted(columns, &rows)
        } else {
            fitted(style, columns, &[], rows)
        }
    };
    let head = |text: &str| {
        if md {
            format!("\n### {text}\n\n")
        } else {
            format!("\n{}", heading(style, text))
        }
    };
    let mut out = String::new();
    let title = format!(
        "{} ({}, {}) → {} ({}, {})",
        d.from.reference, d.from.date, d.from.language, d.to.reference, d.to.date, d.to.language
    );
    if md {
        out.push_str(&format!("## {}\n", escape(&title)));
    } else {
        out.push_str(&title_lines(style, d));
    }
    for n in &d.notices {
        out.push_str(&super::prose(
            style,
            &format!("{} {}", style.paint(Label::Changed, "note:"), escape(n)),
        ));
    }
    if !d.has_changes() {
        out.push_str("No differences.\n");
        return out;
    }

    if view.shows(Section::Significant) {
        out.push_str(&head("Significant changes"));
        out.push_str(&super::significance::table(style, md, &d.significant));
    }

    if view.shows(Section::Priorities) && !d.priorities.is_empty() {
        out.push_str(&head("Priorities"));
        let rows = d
            .priorities
            .iter()
            .map(|c| {
                vec![
                    c.from_rank
                        .map(|r| r.to_string())
                        .unwrap_or_default()
                        .into(),
                    c.to_rank.map(|r| r.to_string()).unwrap_or_default().into(),
                    change(c),
                    super::rendered(item_text(style, md, view.nearest, c)),
                    c.similarity.or(c.score).map(pct).unwrap_or_default().into(),
                ]
            })
            .collect();
        out.push_str(&fit(
            &[
                Column::new("before").short("was"),
                Column::new("after").short("now"),
                Column::new("change"),
                Column::new("priority"),
                Column::new("similarity").short("sim").drop(1),
            ],
            rows,
        ));
    }

    for (section, title, list) in [
        (Section::Principles, "Principles", &d.principles),
        (Section::Quotes, "Quotes", &d.quotes),
    ] {
        if view.shows(section) && !list.is_empty() {
            out.push_str(&head(title));
            let rows = list
                .iter()
                .map(|c| {
                    vec![
                        status(c),
                        super::rendered(item_text(style, md, view.nearest, c)),
                        c.similarity.or(c.score).map(pct).unwrap_or_default().into(),
                    ]
                })
                .collect();
            let name = if section == Section::Quotes {
                "quote"
            } else {
                "principle"
            };
            out.push_str(&fit(
                &[
                    Column::new("status"),
                    Column::new(name),
                    Column::new("similarity").short("sim").drop(1),
                ],
                rows,
            ));
        }
    }

    if view.shows(Section::Wording) {
        if let Some(w) = &d.wording {
            if w.diff.has_changes() {
                out.push_str(&head(&format!(
                    "Wording ({}): {} words added, {} removed, {} unchanged, {} similar",
                    w.language,
                    w.diff.words_added,
                    w.diff.words_removed,
                    w.diff.words_unchanged,
                    pct(w.diff.similarity)
                )));
                let text = inline(style, md, &w.diff.ops, view.context, view.full);
                if let (true, false, Some(rows)) = (view.side_by_side, md, &d.sentences) {
                    out.push_str(&side_by_side(style, d, rows, view.full));
                } else if md {
                    out.push_str(&text);
                    out.push('\n');
                } else {
                    out.push_str(&super::prose(style, &text));
                }
            }
        }
        if let (true, Some(sentences)) = (view.sentences, &d.sentences) {
            out.push_str(&head("Sentences"));
            let rows = sentences
                .iter()
                .filter(|s| s.status != SentenceStatus::Kept || view.full)
                .map(|s| sentence_row(style, md, s))
                .collect::<Vec<_>>();
            if rows.is_empty() {
                out.push_str("Every sentence kept.\n");
            } else {
                out.push_str(&tbl(
                    &["before", "after", "status", "sentence", "similarity"],
                    rows,
                ));
            }
        }
    }
    // The fields the title already shows (id, date, language, initiative) are not repeated.
    let metadata: Vec<&crate::diff::FieldChange> = d
        .metadata
        .iter()
        .filter(|f| md || !IN_TITLE.contains(&f.field))
        .collect();
    if view.shows(Section::Metadata) && !metadata.is_empty() {
        out.push_str(&head("Metadata"));
        // Changed fields only. Short values side by side; an edited long value (a summary,
        // notes) as one word diff with context, so the change stands out; a rewritten one
        // cut to its first words unless --full.
        let clip = |v: &Option<String>| {
            let v = v.clone().unwrap_or_default();
            if view.full || md {
                v
            } else {
                clip_words(&v, LONG_VALUE_WORDS)
            }
        };
        let rows = metadata
            .iter()
            .map(|f| {
                if f.ops.is_empty() {
                    vec![
                        f.field.into(),
                        styled(clip(&f.from), Label::Removed),
                        styled(clip(&f.to), Label::Added),
                    ]
                } else {
                    vec![
                        f.field.into(),
                        styled("(word diff →)", Label::Dim),
                        super::rendered(inline(style, md, &f.ops, view.context, view.full)),
                    ]
                }
            })
            .collect();
        out.push_str(&tbl(&["field", "before", "after"], rows));
    }

    if view.shows(Section::Summary) {
        out.push_str(&head("Summary"));
        let mut rows = Vec::new();
        let mut row = |name: &str, s: &SectionSummary| {
            rows.push(vec![
                name.into(),
                count(s.added, Label::Added),
                count(s.removed, Label::Removed),
                count(s.reworded, Label::Changed),
                count(s.moved, Label::Moved),
                s.unchanged.to_string().into(),
                // Section similarities are already percentages.
                format!("{:.0}%", s.similarity).into(),
            ]);
        };
        row("metadata", &d.summary.metadata);
        row("priorities", &d.summary.priorities);
        row("principles", &d.summary.principles);
        row("quotes", &d.summary.quotes);
        if let Some(w) = &d.summary.wording {
            row("wording (words)", w);
        }
        if let Some(s) = &d.summary.sentences {
            row("sentences", s);
        }
        out.push_str(&tbl(
            &[
                "section",
                "added",
                "removed",
                "reworded",
                "moved",
                "unchanged",
                "similarity",
            ],
            rows,
        ));
    }

    out
}

/// The wording in two columns, the old sentence left and the new one right, aligned by
/// sentence and fitted to the width; a run of kept sentences away from any change is
/// cut to a `…` line unless `full`.
fn side_by_side(style: &Style, d: &StatementDiff, rows: &[SentenceChange], full: bool) -> String {
    use super::columns::{self, Seg};
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
    let near_change = |i: usize| {
        let lo = i.saturating_sub(1);
        let hi = (i + 1).min(built.len().saturating_sub(1));
        (lo..=hi).any(|k| built[k].status != SentenceStatus::Kept)
    };
    let mut out = String::new();
    for line in columns::row_lines(&header, side) {
        out.push_str(&columns::to_text(style, &line));
        out.push('\n');
    }
    let mut skipped = 0;
    let flush = |out: &mut String, skipped: &mut usize| {
        if *skipped > 0 {
            let what = format!(
                "… {} sentence{} kept",
                skipped,
                if *skipped == 1 { "" } else { "s" }
            );
            out.push_str(&style.paint(Label::Dim, &what));
            out.push('\n');
            *skipped = 0;
        }
    };
    for (i, row) in built.iter().enumerate() {
        if !full && row.status == SentenceStatus::Kept && !near_change(i) {
            skipped += 1;
            continue;
        }
        flush(&mut out, &mut skipped);
        for line in columns::row_lines(row, side) {
            out.push_str(&columns::to_text(style, &line));
            out.push('\n');
        }
    }
    flush(&mut out, &mut skipped);
    out
}

/// The diff's title: the initiative once, then each side's id on its own line, so an id is
/// never broken (`diff in INI` / `from ID (date, lang)` / `to ID (date, lang)`).
fn title_lines(style: &Style, d: &StatementDiff) -> String {
    let split = |r: &str| -> (String, String) {
        match r.split_once('/') {
            Some((ini, id)) => (ini.to_string(), id.to_string()),
            None => (String::new(), r.to_string()),
        }
    };
    let (from_ini, from_id) = split(&d.from.reference);
    let (to_ini, to_id) = split(&d.to.reference);
    let side = |word: &str, id: &str, s: &crate::diff::Side| {
        super::prose(
            style,
            &format!(
                "  {word} {} ({}, {})",
                escape(id),
                escape(&s.date),
                escape(&s.language)
            ),
        )
    };
    if from_ini == to_ini {
        let mut out = heading(style, &format!("diff in {}", escape(&from_ini)));
        out.push_str(&side("from", &from_id, &d.from));
        out.push_str(&side("to  ", &to_id, &d.to));
        out
    } else {
        let mut out = heading(style, "diff");
        out.push_str(&side("from", &from_id, &d.from));
        out.push_str(&super::prose(
            style,
            &format!("       in {}", escape(&from_ini)),
        ));
        out.push_str(&side("to  ", &to_id, &d.to));
        out.push_str(&super::prose(
            style,
            &format!("       in {}", escape(&to_ini)),
        ));
        out
    }
}

fn count(n: usize, label: Label) -> Styled {
    if n == 0 {
        "0".into()
    } else {
        styled(n.to_string(), label)
    }
}

/// The fields the diff's title shows.
const IN_TITLE: &[&str] = &["initiative", "id", "date", "language"];

/// Words of a rewritten long value shown without --full.
const LONG_VALUE_WORDS: usize = 24;

/// The first `n` words of `text`, and `…` when there were more.
fn clip_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= n {
        return text.to_string();
    }
    format!("{} …", words[..n].join(" "))
}

/// Status and rank move in one cell: `added`, `moved ↑2`, `reworded, ↓1`...
fn change(c: &ItemChange) -> Styled {
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

fn status(c: &ItemChange) -> Styled {
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

fn item_text(style: &Style, md: bool, nearest: bool, c: &ItemChange) -> String {
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

fn sentence_row(style: &Style, md: bool, s: &SentenceChange) -> Vec<Styled> {
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
        super::rendered(text.trim()),
        s.similarity.map(pct).unwrap_or_default().into(),
    ]
}

/// An inline word diff: deletions and insertions in colour, or wdiff's `[-old-]{+new+}`;
/// unchanged stretches longer than twice `context` words cut to `context` words each side.
/// Neighbouring unchanged steps (the same bytes, or equal but for layout: wrapping,
/// spacing, line ends) read as one stretch, and a line end's CR is not shown in unchanged
/// text, so a document that only changed its layout shows only its real edits.
pub fn inline(style: &Style, md: bool, ops: &[WordOp], context: usize, full: bool) -> String {
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
                let label = if op.op == OpKind::Delete {
                    Label::Removed
                } else {
                    Label::Added
                };
                out.push_str(&mark(style, md, label, &escape(&op.text)));
                first = false;
            }
        }
    }
    flush(&mut equal, &mut out, first, true);
    out
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
