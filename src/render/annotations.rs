//! Annotations for reading: the table `show`, `diff` and `timeline` end with, and the
//! changes of a pair that `annotate --list` offers for annotating.

use serde::Serialize;

use super::{heading, json, markdown, styled, table, Label, Style, Styled};
use crate::annotation::{target_label, Annotation, Change, Standing};

/// An annotation with where it stands now.
#[derive(Debug, Clone, Serialize)]
pub struct Shown {
    #[serde(flatten)]
    pub annotation: Annotation,
    #[serde(flatten)]
    pub standing: Standing,
}

fn standing_cell(s: &Standing) -> Styled {
    match s {
        Standing::Current => styled("current", Label::Added),
        Standing::Moved { .. } => styled(s.word(), Label::Moved),
        Standing::Stale { reason } => styled(format!("stale: {reason}"), Label::Removed),
    }
}

/// The rows of an annotations table; `with_statement` adds the statement's ref.
fn rows(list: &[Shown], with_statement: bool) -> Vec<Vec<Styled>> {
    list.iter()
        .map(|s| {
            let a = &s.annotation;
            let mut note = a.note.trim_end().to_string();
            if !a.tags.is_empty() {
                note.push_str(&format!("\ntags: {}", a.tags.join(", ")));
            }
            let mut row: Vec<Styled> = Vec::new();
            if with_statement {
                // The id alone: the initiative is the table's.
                let id = a.statement.rsplit('/').next().unwrap_or(&a.statement);
                row.push(id.to_string().into());
            }
            row.extend([
                format!("{}\n{}", a.date, a.author.clone().unwrap_or_default())
                    .trim_end()
                    .to_string()
                    .into(),
                target_label(a).into(),
                a.assessment
                    .map(|x| x.to_string())
                    .unwrap_or_default()
                    .into(),
                note.into(),
                standing_cell(&s.standing),
            ]);
            row
        })
        .collect()
}

/// A titled table of annotations (nothing when there are none); Markdown when asked.
pub fn section(
    style: &Style,
    title: &str,
    list: &[Shown],
    with_statement: bool,
    md: bool,
) -> String {
    if list.is_empty() {
        return String::new();
    }
    let mut headers = Vec::new();
    if with_statement {
        headers.push("statement");
    }
    headers.extend(["written", "on", "assessment", "note", "standing"]);
    let rows = rows(list, with_statement);
    let mut out = String::from("\n");
    if md {
        out.push_str(&format!("## {title}\n\n"));
        out.push_str(&markdown(&headers, &rows));
    } else {
        out.push_str(&heading(style, title));
        out.push_str(&table(style, &headers, rows));
    }
    out
}

/// The changes of a pair with the ids `annotate --change` takes.
pub fn changes(style: &Style, as_json: bool, from: &str, to: &str, list: &[Change]) -> String {
    if as_json {
        return json(list);
    }
    let rows: Vec<Vec<Styled>> = list
        .iter()
        .map(|c| {
            let label = match c.status.as_str() {
                "added" => Label::Added,
                "removed" => Label::Removed,
                "unchanged" => Label::Dim,
                _ => Label::Changed,
            };
            vec![
                c.id.clone().into(),
                styled(c.status.clone(), label),
                c.before.clone().unwrap_or_default().into(),
                c.after.clone().unwrap_or_default().into(),
            ]
        })
        .collect();
    let mut out = heading(style, &format!("changes from {from} to {to}"));
    out.push_str(&table(
        style,
        &["change", "status", "before", "after"],
        rows,
    ));
    out
}
