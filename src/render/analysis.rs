//! Renderers for the analyses: the timeline matrix (table, JSON, Markdown, CSV) here;
//! traces (trace.rs), blame (blame.rs) and the import's detection report (import.rs).
//!
//! The matrix keeps its date columns narrow (the year over the month and day) so that many
//! statements fit, and when they still do not fit the width, it is cut into several tables
//! of consecutive statements, each repeating the item column.

mod blame;
mod import;
mod trace;

pub use blame::blame;
pub use import::{import_report, Detection};
pub use trace::trace;

use super::{heading, json, markdown, styled, Label, Style, Styled};
use crate::analysis::timeline::{Row, Section, Timeline};
use crate::analysis::StatementInfo;
use crate::error::{Error, Result};
use crate::escape::escape_line;
use crate::output::TimelineFormat;

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
        headers.extend(
            t.columns
                .iter()
                .enumerate()
                .map(|(i, c)| match t.significant_at(i) {
                    Some(_) => format!("{} {}", c.date, super::significance::MARK),
                    None => c.date.clone(),
                }),
        );
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
    out.push_str(&significant_lines(t, true));
    out
}

/// One line per statement with significant changes (or none when there are none).
fn significant_lines(t: &Timeline, md: bool) -> String {
    if t.significant.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "{}Significant changes ({} columns), against the statement before:\n",
        if md { "\n" } else { "" },
        super::significance::MARK
    );
    for s in &t.significant {
        let bullet = if md { "-" } else { " " };
        out.push_str(&format!(
            "{bullet} {}  {}: {}\n",
            escape_line(&s.date),
            escape_line(&s.reference),
            super::significance::gist(&s.changes)
        ));
    }
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
const DATE_WIDTH: usize = 5;
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
    // How many date columns fit next to the item column, and in the last table also next
    // to the first/last said columns.
    let per = DATE_WIDTH + 3;
    let plain = ITEM_MIN + 3 + 1;
    let with_said = plain + SAID_WIDTH + 3 + 10 + 3;
    let width = style.width as usize;
    let fit_plain = (width.saturating_sub(plain) / per).max(1);
    let fit_said = (width.saturating_sub(with_said) / per).max(1);
    let n = t.columns.len();
    let mut chunks: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    while n - start > fit_said {
        let end = start + fit_plain.min(n - start - 1);
        chunks.push((start, end));
        start = end;
    }
    chunks.push((start, n));
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
    out.push('\n');
    out.push_str(&significant_lines(t, false));
    out.push_str("Columns:\n");
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
        out.push_str(&super::prose(
            style,
            &format!(
                "  {:<10}  {}{}",
                escape_line(&c.date),
                escape_line(name),
                escape_line(&who)
            ),
        ));
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
    let mut columns = vec![super::Column::new(section.as_str()).prose()];
    columns.extend(
        t.columns[cols.clone()]
            .iter()
            .zip(cols.clone())
            .map(|(c, i)| {
                let mut header = date_header(&escape_line(&c.date));
                if t.significant_at(i).is_some() {
                    header.push('\n');
                    header.push_str(super::significance::MARK);
                }
                super::Column::new(header).whole().center().keep_empty()
            }),
    );
    if with_said {
        columns.push(super::Column::new("first said").max(SAID_WIDTH));
        columns.push(super::Column::new("last said").max(10));
    }
    let body = rows
        .iter()
        .map(|r| {
            let mut item = r.text.clone();
            if let Some(k) = &r.key {
                item.push('\n');
                item.push_str(&format!("[{k}]"));
            }
            let mut cells: Vec<Styled> = vec![item.into()];
            for c in cols.clone() {
                let text = cell_text(r, c);
                let first = r.cells[..c].iter().all(Option::is_none) && !text.is_empty();
                let label = if first {
                    Label::Added
                } else if text.ends_with(REWORDED_MARK) {
                    Label::Changed
                } else {
                    Label::Plain
                };
                cells.push(styled(text, label));
            }
            if with_said {
                let mut first = r.first.date.clone();
                if let Some(s) = &r.first.speaker {
                    first.push('\n');
                    first.push_str(s);
                }
                cells.push(first.into());
                cells.push(r.last.date.clone().into());
            }
            cells
        })
        .collect();
    super::fitted(style, &columns, &[], body)
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
        let t = build(
            &list,
            &crate::diff::MatchContext::of(
                &list,
                crate::diff::DiffOptions::default().match_config(),
                &[],
            ),
        );
        let style = Style {
            color: false,
            width: 100,
            wide: false,
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
