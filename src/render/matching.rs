//! `dossier match`: the proposed pairs of two statements with their scores, margins and
//! nearest candidates, and the line that says which pin was written.

use super::{fitted, heading, json, prose, styled, Column, Label, Style, Styled};
use crate::diff::items::ItemStatus;
use crate::diff::proposals::{Proposal, Proposals};
use crate::escape::escape_line;
use crate::output::ReportFormat;

/// The proposals as a table (or JSON). `names` are the refs as the analyst gave them
/// (the first, and the second when given), for the hint on how to pin.
pub fn proposals(
    style: &Style,
    format: ReportFormat,
    p: &Proposals,
    names: (&str, Option<&str>),
) -> String {
    if format == ReportFormat::Json {
        return json(p);
    }
    let mut out = heading(
        style,
        &format!(
            "match {} ({}) → {} ({})",
            escape_line(&p.from.reference),
            p.from.date,
            escape_line(&p.to.reference),
            p.to.date
        ),
    );
    for n in &p.notices {
        out.push_str(&prose(style, &format!("note: {}", escape_line(n))));
    }
    if p.rows.is_empty() {
        out.push_str("Neither statement lists priorities or principles.\n");
        return out;
    }
    let rows: Vec<Vec<Styled>> = p.rows.iter().map(row).collect();
    out.push_str(&fitted(
        style,
        &[
            Column::new("list").short("in").drop(2),
            Column::new("old").center(),
            Column::new("new").center(),
            Column::new("status"),
            Column::new("score"),
            Column::new("margin").drop(1),
            Column::new("why").drop(3),
            Column::new("old item").prose(),
            Column::new("new item").prose(),
        ],
        &[],
        rows,
    ));
    let pairs = p.rows.iter().filter(|r| r.is_pair()).count();
    let pinned = p.rows.iter().filter(|r| r.pinned).count();
    out.push_str(&format!(
        "{pairs} pair{} ({pinned} pinned), {} item{} unpaired.\n",
        if pairs == 1 { "" } else { "s" },
        p.rows.len() - pairs,
        if p.rows.len() - pairs == 1 { "" } else { "s" },
    ));
    let (a, b) = match names.1 {
        Some(b) => (names.0.to_owned(), b.to_owned()),
        None => (p.from.reference.clone(), p.to.reference.clone()),
    };
    out.push_str(&escape_line(&format!(
        "To pin a pair: dossier match {a} {b} --confirm OLD NEW (or --reject OLD NEW), items as N, priorities:N or principles:N."
    )));
    out.push_str("\n\n");
    out
}

fn row(r: &Proposal) -> Vec<Styled> {
    let list = if r.list == "principles" {
        "princ"
    } else {
        "prio"
    };
    let rank = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
    let label = match r.status {
        ItemStatus::Added | ItemStatus::Again => Label::Added,
        ItemStatus::Removed => Label::Removed,
        ItemStatus::NotMentioned | ItemStatus::Unmatched => Label::Dim,
        ItemStatus::Unchanged => Label::Plain,
        ItemStatus::Moved => Label::Moved,
        _ => Label::Changed,
    };
    let score = match (r.score, &r.nearest) {
        (Some(s), _) => format!("{s:.2}"),
        (None, Some(n)) => format!("({:.2})", n.score),
        _ => String::new(),
    };
    let margin = r.margin.map(|m| format!("+{m:.2}")).unwrap_or_default();
    let why = if r.pinned {
        "pinned".to_owned()
    } else if let Some(k) = &r.key {
        format!("key {k}")
    } else if !r.parts.is_empty() {
        let parts: Vec<String> = r.parts.iter().map(|p| p.rank.to_string()).collect();
        format!("parts {}", parts.join(", "))
    } else if let Some(f) = &r.features {
        format!(
            "words {:.2} + spelling {:.2}{}, {}{}",
            f.words,
            f.trigrams,
            if f.conflict > 0.0 {
                format!(" − conflict {:.2}", f.conflict)
            } else {
                String::new()
            },
            f.language,
            if f.translated { " (translation)" } else { "" }
        )
    } else if let Some(n) = &r.nearest {
        format!(
            "nearest: {} {}",
            if r.from_rank.is_some() { "new" } else { "old" },
            n.rank
        )
    } else {
        String::new()
    };
    vec![
        list.into(),
        rank(r.from_rank).into(),
        rank(r.to_rank).into(),
        styled(r.status.word(), label),
        score.into(),
        margin.into(),
        why.into(),
        r.from.clone().unwrap_or_default().into(),
        r.to.clone().unwrap_or_default().into(),
    ]
}

/// The line saying which pin was written.
pub fn pinned(style: &Style, verb: &str, pair: &str, field: &str, target: &str) -> String {
    let what = if field.is_empty() {
        format!("{verb}: {pair}")
    } else {
        format!("{verb}: {pair} ({field}: {target})")
    };
    prose(style, &escape_line(&what))
}
