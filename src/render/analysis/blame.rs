//! `blame`: where each passage of a statement was first said, and by whom.

use crate::analysis::blame::Blame;
use crate::escape::escape_line;
use crate::output::ReportFormat;
use crate::render::{heading, json, styled, Label, Style, Styled};

/// The blame in `format`.
/// `ids`: every statement id of the store, which short ids must stay unique among.
pub fn blame(style: &Style, format: ReportFormat, b: &Blame, ids: &[&str]) -> String {
    if format == ReportFormat::Json {
        return json(b);
    }
    let (ini, id) = b
        .statement
        .reference
        .split_once('/')
        .unwrap_or(("", &b.statement.reference));
    let mut out = heading(style, &format!("blame {}", escape_line(id)));
    out.push_str(&crate::render::prose(
        style,
        &escape_line(&format!(
            "  in {ini} ({}{}), similarity at least {:.2}",
            b.statement.date,
            b.statement
                .speaker
                .as_deref()
                .map(|s| format!(", {s}"))
                .unwrap_or_default(),
            b.threshold
        )),
    ));
    if b.lines.is_empty() {
        out.push_str("The statement has no text, summary, priorities or principles.\n");
        return out;
    }
    let rows = b
        .lines
        .iter()
        .map(|l| {
            let mut row: Vec<Styled> = vec![l.field.clone().into(), l.text.clone().into()];
            match &l.origin {
                None => {
                    row.push(styled("new here", Label::Added));
                    row.extend(["".into(), "".into(), "".into()]);
                }
                Some(o) => {
                    row.push(o.statement.date.clone().into());
                    // The id alone (ids are unique in a store), shortened where narrow.
                    let id = o
                        .statement
                        .reference
                        .split_once('/')
                        .map_or(o.statement.reference.as_str(), |(_, id)| id);
                    row.push(format!("{id}\n{}", o.field).into());
                    row.push(o.statement.speaker.clone().unwrap_or_default().into());
                    row.push(if o.by_key {
                        styled("key", Label::Moved)
                    } else if o.pinned {
                        styled("pinned", Label::Moved)
                    } else {
                        format!("{:.0}%", o.similarity * 100.0).into()
                    });
                }
            }
            row
        })
        .collect();
    // At narrow widths the speaker goes first.
    out.push_str(&crate::render::fitted(
        style,
        &[
            crate::render::Column::new("field"),
            crate::render::Column::new("passage").prose(),
            crate::render::Column::new("first said"),
            crate::render::Column::new("where").id(),
            crate::render::Column::new("speaker").drop(1),
            crate::render::Column::new("similar").short("sim"),
        ],
        ids,
        rows,
    ));
    let new = b.lines.iter().filter(|l| l.origin.is_none()).count();
    out.push_str(&format!(
        "{} of {} passages said before; {new} new here.\n",
        b.lines.len() - new,
        b.lines.len()
    ));
    out
}
