//! A significant change (commitment, negation, numbers, years; see
//! `diff::significance`) in one line of words: `commitment weakened: will → may
//! (wording, line 3)`. Shared by `browse` and the HTML report's key findings.

use crate::diff::significance::{Change, Direction, Kind, Section, Significant};

/// The change in a line (not escaped: the caller escapes for where it goes).
pub fn line(s: &Significant) -> String {
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
        (None, _) => "changed",
    };
    let values = match (&s.from, &s.to) {
        (Some(a), Some(b)) => format!(": {a} → {b}"),
        (Some(a), None) => format!(": {a} →"),
        (None, Some(b)) => format!(": → {b}"),
        (None, None) => String::new(),
    };
    let section = match s.section {
        Section::Wording => "wording",
        Section::Priorities => "priorities",
        Section::Principles => "principles",
        Section::Quotes => "quotes",
        Section::Summary => "summary",
    };
    let place = match (
        s.place.to_line.or(s.place.from_line),
        s.place.to_rank.or(s.place.from_rank),
    ) {
        (Some(l), _) => format!("{section}, line {l}"),
        (None, Some(r)) => format!("{section} {r}"),
        _ => section.to_string(),
    };
    format!("{kind} {change}{values} ({place})")
}
