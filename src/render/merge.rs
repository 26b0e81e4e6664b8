//! Records both sides changed that did not merge, for people (`dossier sync`): for each,
//! who made each side, then each conflicting field with what clashed and its base, ours
//! and theirs, and which other fields merged from which side. Names and texts come from
//! the records and the commits (a colleague's, untrusted): all escaped.

use serde_json::Value;

use super::{Label, Style};
use crate::escape::escape_line;
use crate::merge::FieldConflict;

/// One side of a conflict as shown.
#[derive(Debug, Clone)]
pub struct SideView {
    pub author: String,
    pub when: String,
    pub commit: String,
}

/// One record that did not merge.
#[derive(Debug, Clone)]
pub struct ConflictView {
    /// `INITIATIVE/ID`, or the path for another file.
    pub name: String,
    pub ours: SideView,
    pub theirs: SideView,
    pub fields: Vec<FieldConflict>,
    /// Fields that merged, with where their value came from (`ours`, `theirs`, `both`).
    pub merged: Vec<(String, &'static str)>,
    /// When the record could not be merged field by field (deleted on one side, not a
    /// record), why.
    pub note: Option<String>,
}

/// Texts longer than this are cut in the view (the editor shows them whole).
const SHOWN: usize = 240;

fn text(s: &str) -> String {
    let one = escape_line(s);
    let n = one.chars().count();
    if n > SHOWN {
        let cut: String = one.chars().take(SHOWN).collect();
        format!("{cut}… ({n} characters)")
    } else {
        one
    }
}

/// A field's value as lines.
fn value_lines(v: &Value) -> Vec<String> {
    match v {
        Value::Null => vec!["(none)".into()],
        Value::String(s) => vec![text(s)],
        Value::Array(items) if items.iter().all(Value::is_string) => vec![items
            .iter()
            .filter_map(Value::as_str)
            .map(escape_line)
            .collect::<Vec<_>>()
            .join(", ")],
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(n, item)| {
                let t = item.get("text").and_then(Value::as_str).unwrap_or_default();
                let extra: Vec<String> = ["key", "speaker"]
                    .iter()
                    .filter_map(|k| {
                        item.get(*k)
                            .and_then(Value::as_str)
                            .map(|v| format!("{k}: {}", escape_line(v)))
                    })
                    .collect();
                let extra = if extra.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", extra.join(", "))
                };
                format!("{}. {}{extra}", n + 1, text(t))
            })
            .collect(),
        Value::Object(m) => vec![m
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => format!("{k}: {}", text(s)),
                other => format!("{k}: {}", text(&other.to_string())),
            })
            .collect::<Vec<_>>()
            .join("; ")],
        other => vec![text(&other.to_string())],
    }
}

fn side_line(style: &Style, label: &str, s: &SideView) -> String {
    let pad = if label == "ours" { "  " } else { "" };
    format!(
        "  {}{pad} {} at {} (commit {})\n",
        style.paint(Label::Dim, &format!("{label}:")),
        escape_line(&s.author),
        s.when,
        &s.commit[..s.commit.len().min(10)]
    )
}

/// The conflicts, one block each.
pub fn conflicts(style: &Style, views: &[ConflictView]) -> String {
    let mut out = String::new();
    for v in views {
        out.push_str(&super::heading(
            style,
            &format!("conflict: {}", escape_line(&v.name)),
        ));
        out.push_str(&side_line(style, "ours", &v.ours));
        out.push_str(&side_line(style, "theirs", &v.theirs));
        if let Some(note) = &v.note {
            out.push_str(&format!("  {}\n", escape_line(note)));
        }
        for f in &v.fields {
            out.push_str(&format!(
                "  {}\n",
                style.paint(Label::Changed, &format!("field `{}`", f.field))
            ));
            for d in &f.details {
                out.push_str(&format!("    {}\n", escape_line(d)));
            }
            for (label, value, paint) in [
                ("base:  ", &f.base, Label::Dim),
                ("ours:  ", &f.ours, Label::Removed),
                ("theirs:", &f.theirs, Label::Added),
            ] {
                let lines = value_lines(value);
                let pad = " ".repeat(label.len() + 5);
                let body = lines.join(&format!("\n{pad}"));
                out.push_str(&format!("    {} {}\n", style.paint(paint, label), body));
            }
        }
        if !v.merged.is_empty() {
            let list: Vec<String> = v
                .merged
                .iter()
                .map(|(f, from)| format!("{f} ({from})"))
                .collect();
            out.push_str(&format!("  merged without conflict: {}\n", list.join(", ")));
        }
        out.push('\n');
    }
    out
}
