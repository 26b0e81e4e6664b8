//! The "Significant changes" section of a diff (table and Markdown), and the short words
//! other views (timeline, HTML report) use for a significant change.

use super::{fitted, markdown_fitted, rendered, styled, Column, Label, Style, Styled};
use crate::diff::significance::{Change, Direction, Kind, Section, Significant};
use crate::escape::escape;

/// What changed, in words: `commitment weakened`, `negation added`, `year later`...
pub fn what(s: &Significant) -> String {
    let kind = match s.kind {
        Kind::Modality => "commitment",
        Kind::Negation => "negation",
        Kind::Number => "number",
        Kind::Year => "year",
    };
    let change = match (s.direction, s.change) {
        (Some(Direction::Strengthened), _) => "strengthened",
        (Some(Direction::Weakened), _) => "weakened",
        (None, Change::Added) => "added",
        (None, Change::Removed) => "removed",
        (None, Change::Increased) => "increased",
        (None, Change::Decreased) => "decreased",
        (None, Change::Later) => "later",
        (None, Change::Earlier) => "earlier",
        (None, Change::Changed) => "changed",
    };
    format!("{kind} {change}")
}

/// Where it is: `line 12 (Article 3)`, `lines 12 → 14`, `priority 2`, `summary`.
pub fn place(s: &Significant) -> String {
    let p = &s.place;
    let rank = p.to_rank.or(p.from_rank);
    let list = |name: &str| match rank {
        Some(r) => format!("{name} {r}"),
        None => name.to_owned(),
    };
    match s.section {
        Section::Priorities => list("priority"),
        Section::Principles => list("principle"),
        Section::Quotes => list("quote"),
        Section::Summary => "summary".to_owned(),
        Section::Wording => {
            let lines = match (p.from_line, p.to_line) {
                (Some(a), Some(b)) if a == b => format!("line {a}"),
                (Some(a), Some(b)) => format!("lines {a} → {b}"),
                (Some(a), None) | (None, Some(a)) => format!("line {a}"),
                (None, None) => "wording".to_owned(),
            };
            match &p.heading {
                Some(h) => format!("{lines} ({})", escape(h)),
                None => lines,
            }
        }
    }
}

fn label(s: &Significant) -> Label {
    match s.direction {
        Some(Direction::Strengthened) => Label::Added,
        Some(Direction::Weakened) => Label::Removed,
        None => Label::Changed,
    }
}

/// The context with the marker marked: colour, or wdiff's `[-old-]` / `{+new+}`.
fn marked(
    style: &Style,
    md: bool,
    context: Option<&str>,
    marker: Option<&str>,
    old: bool,
) -> Styled {
    let Some(context) = context else {
        return "".into();
    };
    let context = escape(context).into_owned();
    let Some(marker) = marker.map(|m| escape(m).into_owned()) else {
        return rendered(context);
    };
    let whole_word = |at: &usize| {
        let before = context[..*at].chars().next_back();
        let after = context[at + marker.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    };
    let Some(at) = context
        .match_indices(marker.as_str())
        .map(|(i, _)| i)
        .find(whole_word)
    else {
        return rendered(context);
    };
    let mark = if style.color && !md {
        style.paint(if old { Label::Removed } else { Label::Added }, &marker)
    } else if old {
        format!("[-{marker}-]")
    } else {
        format!("{{+{marker}+}}")
    };
    rendered(format!(
        "{}{mark}{}",
        &context[..at],
        &context[at + marker.len()..]
    ))
}

/// The section's table (or Markdown table), one row per significant change; a line
/// saying there are none when the list is empty.
pub fn table(style: &Style, md: bool, list: &[Significant]) -> String {
    if list.is_empty() {
        return "None found (commitment, negation, numbers, years).\n".to_owned();
    }
    let rows: Vec<Vec<Styled>> = list
        .iter()
        .map(|s| {
            vec![
                styled(what(s), label(s)),
                rendered(place(s)),
                marked(
                    style,
                    md,
                    s.from_context.as_deref(),
                    s.from.as_deref(),
                    true,
                ),
                marked(style, md, s.to_context.as_deref(), s.to.as_deref(), false),
            ]
        })
        .collect();
    let columns = [
        Column::new("change"),
        Column::new("where"),
        Column::new("before"),
        Column::new("after"),
    ];
    if md {
        markdown_fitted(&columns, &rows)
    } else {
        fitted(style, &columns, &[], rows)
    }
}

/// The change in one line of words, for `browse` and the report's key findings:
/// `commitment weakened: will → may (line 3)` (not HTML-escaped).
pub fn line(s: &Significant) -> String {
    let values = match (&s.from, &s.to) {
        (Some(a), Some(b)) => format!(": {a} → {b}"),
        (Some(a), None) => format!(": {a} →"),
        (None, Some(b)) => format!(": → {b}"),
        (None, None) => String::new(),
    };
    format!("{}{values} ({})", what(s), place(s))
}

/// The kinds of change of a statement in a few words, each once: `commitment weakened,
/// year later`.
pub fn gist(list: &[Significant]) -> String {
    let mut seen: Vec<String> = Vec::new();
    for s in list {
        let w = what(s);
        if !seen.contains(&w) {
            seen.push(w);
        }
    }
    seen.join(", ")
}

/// The mark of a timeline column with significant changes.
pub const MARK: &str = "(!)";
