//! `trace`: each statement that carries a phrase (first said, carried, absent), with the
//! passage around each hit, as a table fitted to the width, Markdown or JSON.

use crate::analysis::trace::{Hit, Presence, Trace};
use crate::analysis::StatementInfo;
use crate::escape::escape_line;
use crate::output::TraceFormat;
use crate::render::{heading, json, styled, Label, Style, Styled};

/// The trace in `format`.
/// `ids`: every statement id of the store, which short ids must stay unique among.
pub fn trace(style: &Style, format: TraceFormat, t: &Trace, ids: &[&str]) -> String {
    if format == TraceFormat::Json {
        return json(t);
    }
    let md = format == TraceFormat::Markdown;
    let phrase = escape_line(&t.phrase);
    let Some(first) = &t.first else {
        return format!("\"{phrase}\" is not found in any statement.\n");
    };
    let later = t.statements.len().saturating_sub(1);
    let mut summary = format!(
        "\"{phrase}\": first in {} on {}{}; carried by {} of the {} statements from then on",
        escape_line(&first.reference),
        escape_line(&first.date),
        first
            .speaker
            .as_deref()
            .map(|s| format!(" ({})", escape_line(s)))
            .unwrap_or_default(),
        t.carried(),
        later + 1,
    );
    match &t.last {
        Some(last) if t.dropped() > 0 => summary.push_str(&format!(
            "; not carried by {}; last on {}",
            t.dropped(),
            escape_line(&last.date)
        )),
        _ => summary.push_str("; never dropped"),
    }
    let single = t
        .statements
        .windows(2)
        .all(|w| w[0].statement.initiative == w[1].statement.initiative);
    // The initiative has a column of its own when there are several (empty columns are
    // left out), so the statement column holds ids that can be shortened.
    let split = |info: &StatementInfo| -> (String, String) {
        match info.reference.split_once('/') {
            Some((ini, id)) if !single => (ini.to_string(), id.to_string()),
            Some((_, id)) => (String::new(), id.to_string()),
            None => (String::new(), info.reference.clone()),
        }
    };
    let mut rows: Vec<Vec<Styled>> = Vec::new();
    for r in &t.statements {
        let (word, label) = match r.presence {
            Presence::First => ("first", Label::Added),
            Presence::Present => ("carried", Label::Plain),
            Presence::Absent => ("absent", Label::Removed),
        };
        let lead = |i: usize| -> Vec<Styled> {
            if i == 0 {
                let (ini, id) = split(&r.statement);
                vec![
                    r.statement.date.clone().into(),
                    ini.into(),
                    id.into(),
                    r.statement.speaker.clone().unwrap_or_default().into(),
                    styled(word, label),
                ]
            } else {
                vec!["".into(), "".into(), "".into(), "".into(), "".into()]
            }
        };
        if r.hits.is_empty() {
            let mut row = lead(0);
            row.push("".into());
            row.push(styled("(does not carry it)", Label::Dim));
            rows.push(row);
        }
        for (i, h) in r.hits.iter().enumerate() {
            let mut row = lead(i);
            row.push(h.field.clone().into());
            row.push(crate::render::rendered(snippet(style, md, h)));
            rows.push(row);
        }
    }
    // At narrow widths the speaker goes first, then where in the statement, then the
    // initiative.
    let columns = [
        crate::render::Column::new("date"),
        crate::render::Column::new("initiative").drop(3),
        crate::render::Column::new("statement").id(),
        crate::render::Column::new("speaker").drop(1),
        crate::render::Column::new(""),
        crate::render::Column::new("where").drop(2),
        crate::render::Column::new("passage").prose(),
    ];
    if md {
        format!(
            "{}\n\n{}",
            escape_line(&summary),
            crate::render::markdown_fitted(&columns, &rows)
        )
    } else {
        format!(
            "{}{}",
            heading(style, &summary),
            crate::render::fitted(style, &columns, ids, rows)
        )
    }
}

/// The hit in its context, escaped, with the hit marked (a colour code in a terminal,
/// so the cell is [`crate::render::rendered`]).
fn snippet(style: &Style, md: bool, h: &Hit) -> String {
    let matched = escape_line(&h.matched);
    let hit = if md {
        format!("**{matched}**")
    } else if style.color {
        style.paint(Label::Added, &matched)
    } else {
        format!("[{matched}]")
    };
    format!("{}{hit}{}", escape_line(&h.before), escape_line(&h.after))
}
