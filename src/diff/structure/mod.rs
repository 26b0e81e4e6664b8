//! The structure of a wording: lines, and the labels that open articles, sections and
//! list items ([`labels`]). The word diff ([`super::words`]) uses labels to align
//! articles by content with their numbers compared apart; [`places`] says where each
//! change of a word diff is (lines in both texts, the labels above it).

pub mod align;
pub mod labels;

use std::ops::Range;

use serde::Serialize;

use super::words::{OpKind, Renumbered, TextDiff, WordOp};
use labels::{label_of, LabelKind};

/// A run of labels renumbered alike (`Article 3` to `Article 8` became `Article 4` to
/// `Article 9`), said once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renumbering {
    /// The first old label (`Article 3`).
    pub from: String,
    /// Its new label (`Article 4`).
    pub to: String,
    /// The last old label of the run (equal to `from` for one label).
    pub from_last: String,
    /// Its new label.
    pub to_last: String,
    /// How many labels the run has.
    pub count: usize,
    /// In words: `articles 3–8 renumbered to 4–9`.
    pub text: String,
}

/// The renumbered labels of a word diff as runs: consecutive old numbers of one kind
/// moved by the same amount.
pub fn renumberings(list: &[Renumbered]) -> Vec<Renumbering> {
    let mut runs: Vec<&[Renumbered]> = Vec::new();
    let mut start = 0;
    for i in 1..=list.len() {
        let continues = list.get(i).is_some_and(|r| {
            let p = &list[i - 1];
            r.kind == p.kind
                && r.from_value == p.from_value + 1
                && r.to_value.wrapping_sub(r.from_value) == p.to_value.wrapping_sub(p.from_value)
        });
        if !continues && i > start {
            runs.push(&list[start..i]);
            start = i;
        }
    }
    runs.into_iter()
        .filter_map(|run| {
            let (first, last) = (run.first()?, run.last()?);
            let what = match &first.kind {
                LabelKind::Part(word) if run.len() > 1 => plural(word, &first.from),
                LabelKind::Part(_) => first
                    .from
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_lowercase(),
                _ if run.len() > 1 => "items".to_owned(),
                _ => "item".to_owned(),
            };
            let text = if run.len() == 1 {
                format!(
                    "{what} {} renumbered to {}",
                    first.from_number, first.to_number
                )
            } else {
                format!(
                    "{what} {}–{} renumbered to {}–{}",
                    first.from_number, last.from_number, first.to_number, last.to_number
                )
            };
            Some(Renumbering {
                from: first.from.clone(),
                to: first.to.clone(),
                from_last: last.from.clone(),
                to_last: last.to.clone(),
                count: run.len(),
                text,
            })
        })
        .collect()
}

/// `articles`, `статьи`, `المواد`; a word not listed as the text writes it.
fn plural(word: &str, label: &str) -> String {
    let known = [
        ("article", "articles"),
        ("section", "sections"),
        ("chapter", "chapters"),
        ("part", "parts"),
        ("annex", "annexes"),
        ("appendix", "appendices"),
        ("schedule", "schedules"),
        ("clause", "clauses"),
        ("paragraph", "paragraphs"),
        ("rule", "rules"),
        ("статья", "статьи"),
        ("раздел", "разделы"),
        ("глава", "главы"),
        ("часть", "части"),
        ("пункт", "пункты"),
        ("приложение", "приложения"),
        ("параграф", "параграфы"),
        ("المادة", "المواد"),
        ("مادة", "مواد"),
        ("الفصل", "الفصول"),
        ("الباب", "الأبواب"),
        ("البند", "البنود"),
        ("الجزء", "الأجزاء"),
        ("الملحق", "الملاحق"),
        ("القسم", "الأقسام"),
    ];
    known.iter().find(|(one, _)| *one == word).map_or_else(
        || label.split_whitespace().next().unwrap_or(word).to_owned(),
        |(_, many)| (*many).to_owned(),
    )
}

/// Where a change is in one text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Place {
    /// 1-based line of the change's first word (for a pure insertion or deletion, on the
    /// other side: the line where it would be).
    pub line: usize,
    /// The last line the change covers (equal to `line` for a change on one line).
    pub end_line: usize,
    /// The labels above it, outermost first (`Article 3`, `2`, `(b)`) joined by `, `;
    /// null before the first label.
    pub heading: Option<String>,
}

/// One change of a word diff: a run of consecutive `insert` and `delete` ops, with its place
/// in both texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The ops of the change: indices `[first, end)` into `ops`.
    pub ops: [usize; 2],
    /// Where it is in the old text.
    pub from: Place,
    /// Where it is in the new text.
    pub to: Place,
}

/// Line starts and labelled lines of a text.
pub struct Outline<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Line index, rank (smaller is outer), shown label.
    labels: Vec<(usize, u8, String)>,
}

impl<'a> Outline<'a> {
    pub fn new(text: &'a str) -> Outline<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let labels = starts
            .iter()
            .enumerate()
            .filter_map(|(i, &s)| {
                let end = starts.get(i + 1).copied().unwrap_or(text.len());
                let line = text.get(s..end)?;
                let label = label_of(line)?;
                Some((i, rank(&label.kind), label.shown(line)))
            })
            .collect();
        Outline {
            text,
            starts,
            labels,
        }
    }

    /// The 1-based line holding byte `at`.
    pub fn line(&self, at: usize) -> usize {
        self.starts.partition_point(|&s| s <= at).max(1)
    }

    /// The labels above the line of byte `at` (that line included), outermost first.
    pub fn heading(&self, at: usize) -> Option<String> {
        let line = self.line(at) - 1;
        let upto = self.labels.partition_point(|(l, _, _)| *l <= line);
        let mut path: Vec<&str> = Vec::new();
        let mut outer = u8::MAX;
        for (_, r, shown) in self.labels.get(..upto)?.iter().rev() {
            if *r < outer {
                path.push(shown);
                outer = *r;
                if *r <= PART_RANK || path.len() == 3 {
                    break;
                }
            }
        }
        path.reverse();
        (!path.is_empty()).then(|| path.join(", "))
    }

    /// The place of bytes `span` (the first word's line, the last line).
    pub fn place(&self, span: Range<usize>) -> Place {
        let body = self.text.get(span.clone()).unwrap_or_default();
        let first = span.start + (body.len() - body.trim_start().len());
        let last = span.start + body.trim_end().len();
        let first = if body.trim().is_empty() {
            span.start
        } else {
            first
        };
        let line = self.line(first);
        Place {
            line,
            end_line: self.line(last.saturating_sub(1)).max(line),
            heading: self.heading(first),
        }
    }
}

const PART_RANK: u8 = 7;

fn rank(kind: &LabelKind) -> u8 {
    match kind {
        LabelKind::Heading(level) => (*level).min(6) as u8,
        LabelKind::Part(_) => PART_RANK,
        LabelKind::Number(levels) => 8 + (*levels).min(3) as u8,
        LabelKind::Roman => 12,
        LabelKind::Letter => 13,
    }
}

/// A passage moved, with where it was and where it went, and the edits inside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moved {
    /// Where it was in the old text.
    pub from: Place,
    /// Where it is in the new text.
    pub to: Place,
    /// How alike the two passages are, 0 to 1 (1: moved unchanged).
    pub similarity: f64,
    /// The word diff of the old passage against the new one.
    pub ops: Vec<WordOp>,
}

/// The changes of a word diff of `old` against `new`, each with its place in both texts,
/// and its moves with theirs.
pub fn places(old: &str, new: &str, diff: &TextDiff) -> (Vec<Change>, Vec<Moved>) {
    let ops = &diff.ops;
    if ops.iter().all(|o| o.op == OpKind::Equal) {
        return (Vec::new(), Vec::new());
    }
    let (old_outline, new_outline) = (Outline::new(old), Outline::new(new));
    let moves = diff
        .moves
        .iter()
        .map(|m| Moved {
            from: old_outline.place(m.old.clone()),
            to: new_outline.place(m.new.clone()),
            similarity: (m.diff.similarity * 1000.0).round() / 1000.0,
            ops: m.diff.ops.clone(),
        })
        .collect();
    let (mut at_old, mut at_new) = (0, 0);
    let mut out = Vec::new();
    let mut i = 0;
    while i < ops.len() {
        if ops[i].op == OpKind::Equal {
            at_new += ops[i].text.len();
            at_old += ops[i].old_text.as_ref().unwrap_or(&ops[i].text).len();
            i += 1;
            continue;
        }
        let (first, start_old, start_new) = (i, at_old, at_new);
        while i < ops.len() && ops[i].op != OpKind::Equal {
            match ops[i].op {
                OpKind::Delete => at_old += ops[i].text.len(),
                _ => at_new += ops[i].text.len(),
            }
            i += 1;
        }
        out.push(Change {
            ops: [first, i],
            from: old_outline.place(start_old..at_old),
            to: new_outline.place(start_new..at_new),
        });
    }
    (out, moves)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::words::diff_text;

    #[test]
    fn each_change_has_its_lines_and_article() {
        let old = "Article 1\n\nThe Parties shall cooperate.\n\nArticle 2\n\n(a) exchange data;\n(b) hold exercises every year.\n";
        let new = "Article 1\n\nThe Parties shall cooperate closely.\n\nArticle 2\n\n(a) exchange data;\n(b) hold exercises every two years.\n";
        let d = diff_text(old, new, false, None);
        let (changes, _) = places(old, new, &d);
        let shown: Vec<(usize, usize, Option<&str>)> = changes
            .iter()
            .map(|c| (c.from.line, c.to.line, c.to.heading.as_deref()))
            .collect();
        assert_eq!(
            shown,
            [(3, 3, Some("Article 1")), (8, 8, Some("Article 2, (b)")),]
        );
    }

    #[test]
    fn a_heading_path_stops_at_the_article() {
        let text = "Article 1\n1. One.\n(a) x\nArticle 2\n1. Two.\nText here.\n";
        let o = Outline::new(text);
        let at = text.find("Text").unwrap_or(0);
        assert_eq!(o.heading(at).as_deref(), Some("Article 2, 1"));
        assert_eq!(o.heading(0).as_deref(), Some("Article 1"));
        assert_eq!(Outline::new("no labels\n").heading(3), None);
    }
}
