//! Renderers for the analyses: the timeline matrix (table, JSON, Markdown, CSV), traces,
//! blame, and the import's detection report.
//!
//! The matrix is the one table here that does not go through [`table`]: its date columns
//! are kept narrow (the year over the month and day) so that many statements fit, and when
//! they still do not fit the width, the matrix is cut into several tables of consecutive
//! statements, each repeating the item column.

use std::path::Path;

use comfy_table::{
    presets, Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Table, Width,
};

use super::{heading, isolate_rtl, json, markdown, styled, table, Label, Style, Styled};
use crate::analysis::blame::Blame;
use crate::analysis::timeline::{Row, Section, Timeline};
use crate::analysis::trace::{Hit, Presence, Trace};
use crate::analysis::StatementInfo;
use crate::cli::{ReportFormat, TimelineFormat, TraceFormat};
use crate::error::{Error, Result};
use crate::escape::escape_line;

/// The mark of a principle in a cell.
pub const PRINCIPLE_MARK: &str = "●";
/// Added to a cell whose wording differs from the row's previous appearance.
pub const REWORDED_MARK: &str = "*";

/// The text of a cell: the rank or the mark, `*` when reworded.
pub fn cell_text(row: &Row, col: usize) -> String {
    match row.cells.get(col).and_then(Option::as_ref) {
        None => String::new(),
        Some(c) => {
            let base = c
                .rank
                .map_or_else(|| PRINCIPLE_MARK.to_string(), |r| r.to_string());
            if c.reworded {
                format!("{base}{REWORDED_MARK}")
            } else {
                base
            }
        }
    }
}

fn said(info: &StatementInfo) -> String {
    match &info.speaker {
        Some(s) => format!("{} {s}", info.date),
        None => info.date.clone(),
    }
}

/// The timeline in `format`.
pub fn timeline(
    style: &Style,
    format: TimelineFormat,
    initiatives: &[String],
    t: &Timeline,
) -> Result<String> {
    match format {
        TimelineFormat::Json => Ok(json(t)),
        TimelineFormat::Csv => timeline_csv(t),
        TimelineFormat::Markdown => Ok(timeline_markdown(initiatives, t)),
        TimelineFormat::Table => Ok(timeline_table(style, initiatives, t)),
    }
}

fn title(initiatives: &[String], t: &Timeline) -> String {
    let count = |s: Section| t.rows.iter().filter(|r| r.section == s).count();
    format!(
        "Timeline of {}: {} statements, {} priorities, {} principles",
        initiatives.join(", "),
        t.columns.len(),
        count(Section::Priority),
        count(Section::Principle)
    )
}

fn timeline_markdown(initiatives: &[String], t: &Timeline) -> String {
    let mut out = format!("## {}\n", escape_line(&title(initiatives, t)));
    for (section, name) in [
        (Section::Priority, "Priorities"),
        (Section::Principle, "Principles"),
    ] {
        let rows: Vec<&Row> = t.rows.iter().filter(|r| r.section == section).collect();
        if rows.is_empty() {
            continue;
        }
        out.push_str(&format!("\n### {name}\n\n"));
        let mut headers: Vec<String> = vec![section.as_str().to_string()];
        headers.extend(t.columns.iter().map(|c| c.date.clone()));
        headers.extend(["first said".to_string(), "last said".to_string()]);
        let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
        let body: Vec<Vec<Styled>> = rows
            .iter()
            .map(|r| {
                let mut cells: Vec<Styled> = vec![r.text.clone().into()];
                cells.extend((0..t.columns.len()).map(|c| cell_text(r, c).into()));
                cells.push(said(&r.first).into());
                cells.push(said(&r.last).into());
                cells
            })
            .collect();
        out.push_str(&markdown(&headers, &body));
    }
    out.push_str(&format!("\n{}\n", legend_line()));
    out
}

fn legend_line() -> String {
    format!(
        "Cells: the priority's rank, {PRINCIPLE_MARK} for a principle; {REWORDED_MARK} worded differently than before."
    )
}

fn timeline_csv(t: &Timeline) -> Result<String> {
    use serde_json::Value;
    let mut columns: Vec<String> = [
        "section",
        "key",
        "text",
        "first_date",
        "first_ref",
        "first_speaker",
        "last_date",
        "last_ref",
        "last_speaker",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    columns.extend(t.columns.iter().map(|c| c.reference.clone()));
    let rows: Vec<super::export::Row> = t
        .rows
        .iter()
        .map(|r| {
            let mut values = vec![
                r.section.as_str().to_string(),
                r.key.clone().unwrap_or_default(),
                r.text.clone(),
                r.first.date.clone(),
                r.first.reference.clone(),
                r.first.speaker.clone().unwrap_or_default(),
                r.last.date.clone(),
                r.last.reference.clone(),
                r.last.speaker.clone().unwrap_or_default(),
            ];
            values.extend((0..t.columns.len()).map(|c| cell_text(r, c)));
            columns
                .iter()
                .cloned()
                .zip(values.into_iter().map(Value::String))
                .collect()
        })
        .collect();
    let bytes = super::export::csv(&columns, &rows, false)?;
    String::from_utf8(bytes).map_err(|e| Error::new("the CSV is not UTF-8").cause(e))
}

/// Width of a date column's content: `2024` over `11-07`.
const DATE_WIDTH: u16 = 5;
/// Narrowest the item column gets before the matrix is cut into several tables.
const ITEM_MIN: usize = 24;
/// Width of the first/last said columns.
const SAID_WIDTH: usize = 16;

fn date_header(date: &str) -> String {
    match date.split_once('-') {
        Some((year, rest)) => format!("{year}\n{rest}"),
        None => date.to_string(),
    }
}

fn timeline_table(style: &Style, initiatives: &[String], t: &Timeline) -> String {
    let mut out = heading(style, &escape_line(&title(initiatives, t)));
    if t.columns.is_empty() {
        out.push_str("No statements yet.\n");
        return out;
    }
    if t.rows.is_empty() {
        out.push_str("No priorities or principles recorded in these statements.\n");
        return out;
    }
    // How many date columns fit next to the item and first/last columns.
    let fixed = ITEM_MIN + 3 + SAID_WIDTH + 3 + 13 + 1;
    let per = DATE_WIDTH as usize + 3;
    let fit = ((style.width as usize).saturating_sub(fixed) / per).max(3);
    let chunks: Vec<(usize, usize)> = (0..t.columns.len())
        .step_by(fit)
        .map(|s| (s, (s + fit).min(t.columns.len())))
        .collect();
    for (section, name) in [
        (Section::Priority, "Priorities"),
        (Section::Principle, "Principles"),
    ] {
        let rows: Vec<&Row> = t.rows.iter().filter(|r| r.section == section).collect();
        if rows.is_empty() {
            continue;
        }
        for (n, &(from, to)) in chunks.iter().enumerate() {
            let label = if chunks.len() > 1 {
                format!(
                    "\n{name} (statements {}-{} of {})",
                    from + 1,
                    to,
                    t.columns.len()
                )
            } else {
                format!("\n{name}")
            };
            out.push_str(&heading(style, &label));
            let last_chunk = n + 1 == chunks.len();
            out.push_str(&matrix(style, section, &rows, t, from..to, last_chunk));
        }
    }
    out.push('\n');
    out.push_str(&legend_line());
    out.push_str("\nColumns:\n");
    let single = initiatives.len() == 1;
    for c in &t.columns {
        let who = c
            .speaker
            .as_deref()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        let name = match c.reference.split_once('/') {
            Some((_, id)) if single => id,
            _ => &c.reference,
        };
        out.push_str(&format!(
            "  {:<10}  {}{}\n",
            escape_line(&c.date),
            escape_line(name),
            escape_line(&who)
        ));
    }
    out
}

/// Breaks a long key after its hyphens so that no line is wider than `width`.
fn wrap_at_hyphens(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for part in text.split_inclusive('-') {
        let w = part.chars().count();
        if line > 0 && line + w > width {
            out.push('\n');
            line = 0;
        }
        out.push_str(part);
        line += w;
    }
    out
}

fn matrix(
    style: &Style,
    section: Section,
    rows: &[&Row],
    t: &Timeline,
    cols: std::ops::Range<usize>,
    with_said: bool,
) -> String {
    let mut tb = Table::new();
    tb.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(style.width);
    if style.color {
        tb.enforce_styling();
    } else {
        tb.force_no_tty();
    }
    let mut header = vec![Cell::new(section.as_str())];
    header.extend(
        t.columns[cols.clone()]
            .iter()
            .map(|c| Cell::new(date_header(&escape_line(&c.date)))),
    );
    if with_said {
        header.push(Cell::new("first said"));
        header.push(Cell::new("last said"));
    }
    tb.set_header(header);
    for r in rows {
        let mut item = escape_line(&r.text);
        if let Some(k) = &r.key {
            item.push('\n');
            item.push_str(&wrap_at_hyphens(&format!("[{}]", escape_line(k)), ITEM_MIN));
        }
        let mut cells = vec![Cell::new(item)];
        for c in cols.clone() {
            let text = cell_text(r, c);
            let mut cell = Cell::new(&text).set_alignment(CellAlignment::Center);
            if style.color {
                let first = r.cells[..c].iter().all(Option::is_none) && !text.is_empty();
                if first {
                    cell = cell.fg(Color::Green);
                } else if text.ends_with(REWORDED_MARK) {
                    cell = cell.fg(Color::Yellow);
                }
            }
            cells.push(cell);
        }
        if with_said {
            let mut first = escape_line(&r.first.date);
            if let Some(s) = &r.first.speaker {
                first.push('\n');
                first.push_str(&escape_line(s));
            }
            cells.push(Cell::new(first));
            cells.push(Cell::new(escape_line(&r.last.date)));
        }
        tb.add_row(cells);
    }
    if let Some(col) = tb.column_mut(0) {
        col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(
            ITEM_MIN as u16,
        )));
    }
    for i in 1..=cols.len() {
        if let Some(col) = tb.column_mut(i) {
            col.set_constraint(ColumnConstraint::Absolute(Width::Fixed(DATE_WIDTH + 2)));
        }
    }
    if with_said {
        for (i, w) in [(cols.len() + 1, SAID_WIDTH), (cols.len() + 2, 10)] {
            if let Some(col) = tb.column_mut(i) {
                col.set_constraint(ColumnConstraint::UpperBoundary(Width::Fixed(w as u16 + 2)));
            }
        }
    }
    let mut s = isolate_rtl(&tb.to_string());
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

// ---------------------------------------------------------------------------------------
// Trace

/// The trace in `format`.
pub fn trace(style: &Style, format: TraceFormat, t: &Trace) -> String {
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
    let name = |info: &StatementInfo| {
        if single {
            info.reference
                .split_once('/')
                .map_or(info.reference.clone(), |(_, id)| id.to_string())
        } else {
            info.reference.clone()
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
                vec![
                    r.statement.date.clone().into(),
                    name(&r.statement).into(),
                    r.statement.speaker.clone().unwrap_or_default().into(),
                    styled(word, label),
                ]
            } else {
                vec!["".into(), "".into(), "".into(), "".into()]
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
            row.push(super::rendered(snippet(style, md, h)));
            rows.push(row);
        }
    }
    let headers = ["date", "statement", "speaker", "", "where", "passage"];
    if md {
        format!("{}\n\n{}", escape_line(&summary), markdown(&headers, &rows))
    } else {
        format!(
            "{}{}",
            heading(style, &summary),
            table(style, &headers, rows)
        )
    }
}

/// The hit in its context, escaped, with the hit marked (a colour code in a terminal,
/// so the cell is [`super::rendered`]).
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

// ---------------------------------------------------------------------------------------
// Blame

/// The blame in `format`.
pub fn blame(style: &Style, format: ReportFormat, b: &Blame) -> String {
    if format == ReportFormat::Json {
        return json(b);
    }
    let mut out = heading(
        style,
        &escape_line(&format!(
            "blame {} ({}{}), similarity at least {:.2}",
            b.statement.reference,
            b.statement.date,
            b.statement
                .speaker
                .as_deref()
                .map(|s| format!(", {s}"))
                .unwrap_or_default(),
            b.threshold
        )),
    );
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
                    row.push(format!("{}\n{}", o.statement.reference, o.field).into());
                    row.push(o.statement.speaker.clone().unwrap_or_default().into());
                    row.push(if o.by_key {
                        styled("key", Label::Moved)
                    } else {
                        format!("{:.0}%", o.similarity * 100.0).into()
                    });
                }
            }
            row
        })
        .collect();
    out.push_str(&table(
        style,
        &[
            "field",
            "passage",
            "first said",
            "where",
            "speaker",
            "similar",
        ],
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

// ---------------------------------------------------------------------------------------
// Import

/// A field of an imported statement and where its value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection {
    /// The field.
    pub field: String,
    /// Its value (empty when missing).
    pub value: String,
    /// `from the flag`, the evidence of the detection, or why it is missing.
    pub origin: String,
    /// Nothing was found.
    pub missing: bool,
}

/// What was detected in a source, and what was not.
pub fn import_report(style: &Style, file: &Path, rows: &[Detection]) -> String {
    let mut out = heading(
        style,
        &format!("Detected in {}:", escape_line(&file.display().to_string())),
    );
    let body = rows
        .iter()
        .map(|d| {
            vec![
                d.field.clone().into(),
                if d.missing {
                    styled("(not found)", Label::Removed)
                } else {
                    d.value.clone().into()
                },
                styled(d.origin.clone(), Label::Dim),
            ]
        })
        .collect();
    out.push_str(&table(style, &["field", "value", "found in"], body));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::timeline::timeline as build;
    use crate::record::{Item, Statement};

    fn st(id: &str, date: &str, priorities: &[&str]) -> Statement {
        Statement {
            id: id.into(),
            initiative: "cis".into(),
            date: date.into(),
            language: "en".into(),
            priorities: priorities.iter().map(|p| Item::new(*p)).collect(),
            ..Statement::default()
        }
    }

    #[test]
    fn wide_matrices_are_cut_and_dates_stay_narrow() {
        let list: Vec<Statement> = (1..=12)
            .map(|m| {
                st(
                    &format!("s{m}"),
                    &format!("2024-{m:02}-01"),
                    &["Unified air defence system"],
                )
            })
            .collect();
        let t = build(&list, 0.5);
        let style = Style {
            color: false,
            width: 100,
        };
        let out = timeline(&style, TimelineFormat::Table, &["cis".into()], &t).unwrap_or_default();
        assert!(out.contains("Priorities (statements 1-"), "{out}");
        assert!(
            out.lines()
                .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 100),
            "{out}"
        );
        assert!(out.contains("│ 2024  │") || out.contains(" 2024 "), "{out}");
        let csv = timeline(&style, TimelineFormat::Csv, &[], &t).unwrap_or_default();
        assert!(csv.starts_with("section,key,text,first_date"), "{csv}");
        assert!(
            csv.contains("priority,,Unified air defence system,2024-01-01"),
            "{csv}"
        );
    }
}
