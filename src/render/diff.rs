//! Renderers for diffs: the title, the significant changes, the priorities, principles
//! and quotes tables (their cells in items.rs), the wording (wording.rs), the sentences,
//! the metadata and the summary, in that order.

mod items;
mod wording;

pub use wording::inline;

use super::{fitted, heading, json, markdown, styled, table, Column, Label, Style, Styled};
use crate::diff::sentences::SentenceStatus;
use crate::diff::{SectionSummary, StatementDiff};
use crate::escape::escape;
use crate::output::{Format, Section};
use items::{change, item_text, sentence_row, status};
use wording::{side_by_side, side_by_side_markdown};

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
                let text = wording::inline_with_moves(
                    style,
                    md,
                    &w.diff.ops,
                    view.context,
                    view.full,
                    &w.moves,
                );
                if let (true, true, Some(rows)) = (view.side_by_side, md, &d.sentences) {
                    out.push_str(&side_by_side_markdown(d, rows, view.full));
                } else if let (true, Some(rows)) = (view.side_by_side, &d.sentences) {
                    out.push_str(&side_by_side(style, d, rows, view.full));
                } else if !view.full {
                    out.push_str(&wording::hunks(style, md, w, view.context));
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
