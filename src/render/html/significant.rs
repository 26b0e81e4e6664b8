//! The report's first section: the significant changes of each consecutive pair
//! (commitment, negation, numbers, years), with the marker struck and inserted in context.

use std::fmt::Write as _;

use super::esc;
use crate::diff::significance::Significant;
use crate::diff::StatementDiff;
use crate::render::significance::{place, what};

/// `context` escaped, with the first whole-word `marker` in it wrapped in `tag`.
fn marked(context: Option<&str>, marker: Option<&str>, tag: &str) -> String {
    let context = context.unwrap_or_default();
    let Some(marker) = marker.filter(|m| !m.is_empty()) else {
        return esc(context);
    };
    let whole = |at: &usize| {
        let before = context[..*at].chars().next_back();
        let after = context[at + marker.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    };
    match context.match_indices(marker).map(|(i, _)| i).find(whole) {
        Some(at) => format!(
            "{}<{tag}>{}</{tag}>{}",
            esc(&context[..at]),
            esc(marker),
            esc(&context[at + marker.len()..])
        ),
        None => esc(context),
    }
}

fn row(s: &Significant) -> String {
    format!(
        "<tr><td class=\"nowrap\"><b>{}</b></td><td>{}</td><td dir=\"auto\">{}</td><td dir=\"auto\">{}</td></tr>\n",
        esc(&what(s)),
        esc(&place(s)),
        marked(s.from_context.as_deref(), s.from.as_deref(), "del"),
        marked(s.to_context.as_deref(), s.to.as_deref(), "ins"),
    )
}

/// The section's body: one table per pair with significant changes, or a line saying
/// there are none.
pub(super) fn section(diffs: &[StatementDiff]) -> String {
    let mut out = String::new();
    for d in diffs.iter().filter(|d| !d.significant.is_empty()) {
        let _ = writeln!(
            out,
            "<h3>{} <small>({})</small> → {} <small>({})</small></h3>",
            esc(&d.from.reference),
            esc(&d.from.date),
            esc(&d.to.reference),
            esc(&d.to.date)
        );
        out.push_str("<table class=\"significant\">\n<tr><th>change</th><th>where</th><th>before</th><th>after</th></tr>\n");
        for s in &d.significant {
            out.push_str(&row(s));
        }
        out.push_str("</table>\n");
    }
    if out.is_empty() {
        out.push_str("<p>None found between consecutive statements (commitment, negation, numbers, years).</p>\n");
    }
    out
}
