//! Renderers for records: initiatives, the log, one statement, a record's history and the
//! problems `check` found.

use serde::Serialize;

use super::{fitted, heading, json, markdown, styled, table, Column, Label, Style, Styled};
use crate::cli::Format;
use crate::escape::escape;
use crate::git::Revision;
use crate::record::{Initiative, Statement};
use crate::store::codec::Problem;
use crate::store::{Loaded, QuoteFound};

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

pub fn initiatives(style: &Style, format: Format, list: &[(Initiative, usize)]) -> String {
    if format == Format::Json {
        #[derive(Serialize)]
        struct Row<'a> {
            #[serde(flatten)]
            initiative: &'a Initiative,
            statements: usize,
        }
        let rows: Vec<Row> = list
            .iter()
            .map(|(i, n)| Row {
                initiative: i,
                statements: *n,
            })
            .collect();
        return json(&rows);
    }
    // At narrow widths: supersedes goes first, then horizon, org, status.
    let columns = [
        Column::new("id").whole(),
        Column::new("title").prose(),
        Column::new("org").drop(3),
        Column::new("horizon").drop(2),
        Column::new("status").drop(4),
        Column::new("supersedes").whole().drop(1),
        Column::new("statements").short("n"),
    ];
    let headers: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
    let rows: Vec<Vec<Styled>> = list
        .iter()
        .map(|(i, n)| {
            vec![
                i.id.clone().into(),
                i.title.clone().into(),
                opt(&i.organization).into(),
                i.horizon.map(|h| h.to_string()).unwrap_or_default().into(),
                i.status.map(|s| s.to_string()).unwrap_or_default().into(),
                opt(&i.supersedes).into(),
                n.to_string().into(),
            ]
        })
        .collect();
    if format == Format::Markdown {
        return markdown(&headers, &rows);
    }
    if rows.is_empty() {
        return "No initiatives yet: add one with `dossier initiative add ID --title TITLE`.\n"
            .into();
    }
    fitted(style, &columns, &[], rows)
}

/// The log: statements in date order. `ids` are every statement id of the store, which
/// short ids must stay unique among.
///
/// At narrow widths the columns give way in this order (see `docs/output.md`): outlet,
/// stage, initiative, principles, priorities, kind, language; ids are shortened first.
pub fn log(style: &Style, format: Format, list: &[Loaded], ids: &[&str]) -> String {
    if format == Format::Json {
        let rows: Vec<&Statement> = list.iter().map(|l| &l.statement).collect();
        return json(&rows);
    }
    // One initiative: it goes in the title, and the rows hold ids alone.
    let single = !list.is_empty()
        && list
            .windows(2)
            .all(|w| w[0].statement.initiative == w[1].statement.initiative);
    let columns = [
        Column::new("date"),
        Column::new("initiative").drop(3),
        Column::new("id").id(),
        Column::new("speaker").drop(8),
        Column::new("kind").drop(6),
        Column::new("stage").drop(2),
        Column::new("lang").drop(7),
        Column::new("outlet").drop(1),
        Column::new("prio").drop(5),
        Column::new("princ").drop(4),
    ];
    let rows: Vec<Vec<Styled>> = list
        .iter()
        .map(|l| {
            let s = &l.statement;
            vec![
                s.date.clone().into(),
                if single {
                    String::new()
                } else {
                    s.initiative.clone()
                }
                .into(),
                s.id.clone().into(),
                s.speaker
                    .as_ref()
                    .map(|p| p.name.clone())
                    .unwrap_or_default()
                    .into(),
                s.kind.map(|k| k.to_string()).unwrap_or_default().into(),
                s.stage.map(|k| k.to_string()).unwrap_or_default().into(),
                s.language.clone().into(),
                s.source
                    .as_ref()
                    .and_then(|src| src.outlet.clone())
                    .unwrap_or_default()
                    .into(),
                s.priorities.len().to_string().into(),
                s.principles.len().to_string().into(),
            ]
        })
        .collect();
    if format == Format::Markdown {
        return super::markdown_fitted(&columns, &rows);
    }
    if rows.is_empty() {
        return "No statements yet: record one with `dossier record INITIATIVE ...`.\n".into();
    }
    let mut out = String::new();
    if single {
        out.push_str(&heading(
            style,
            &escape(&format!(
                "{}: {} statements",
                list[0].statement.initiative,
                list.len()
            )),
        ));
    }
    out.push_str(&fitted(style, &columns, ids, rows));
    out
}

/// One statement for reading: a header table, then the texts and the lists.
pub fn show(style: &Style, st: &Statement, quotes_found: &[QuoteFound]) -> String {
    // The ref heads the page rather than a row: it is the one value too long for a cell.
    let mut out = heading(style, &escape(&st.reference()));
    let mut head: Vec<Vec<Styled>> = Vec::new();
    let mut field = |name: &str, value: String| {
        if !value.is_empty() {
            head.push(vec![styled(name, Label::Dim), value.into()]);
        }
    };
    field("date", st.date.clone());
    field("kind", st.kind.map(|k| k.to_string()).unwrap_or_default());
    field("stage", st.stage.map(|k| k.to_string()).unwrap_or_default());
    if let Some(sp) = &st.speaker {
        let role = sp
            .role
            .as_ref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        field("speaker", format!("{}{role}", sp.name));
    }
    field("venue", opt(&st.venue));
    field("language", st.language.clone());
    if let Some(src) = &st.source {
        field("outlet", opt(&src.outlet));
        field("title", opt(&src.title));
        for (lang, t) in &src.title_translations {
            field(&format!("title ({lang})"), t.clone());
        }
        field("url", opt(&src.url));
        field("published", opt(&src.published));
        field("retrieved", opt(&src.retrieved));
        field("document", opt(&src.document));
        field("sha256", opt(&src.sha256));
    }
    field("tags", st.tags.join(", "));
    out.push_str(&table(style, &["field", "value"], head));
    if let Some(summary) = &st.summary {
        out.push('\n');
        out.push_str(&heading(style, "Summary"));
        out.push_str(&paragraph(style, summary));
    }
    if let Some(text) = &st.text {
        out.push('\n');
        out.push_str(&heading(style, &format!("Text ({})", st.language)));
        out.push_str(&paragraph(style, text));
    }
    for (lang, text) in &st.translations {
        out.push('\n');
        out.push_str(&heading(style, &format!("Translation ({lang})")));
        out.push_str(&paragraph(style, text));
    }
    for (title, list) in [
        ("Priorities", &st.priorities),
        ("Principles", &st.principles),
    ] {
        if list.is_empty() {
            continue;
        }
        out.push('\n');
        out.push_str(&heading(style, title));
        let rows = list
            .iter()
            .enumerate()
            .map(|(i, item)| {
                vec![
                    (i + 1).to_string().into(),
                    item.text.clone().into(),
                    opt(&item.key).into(),
                ]
            })
            .collect();
        out.push_str(&table(style, &["#", "text", "key"], rows));
    }
    if !st.quotes.is_empty() {
        out.push('\n');
        out.push_str(&heading(style, "Quotes"));
        let rows = st
            .quotes
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let found = match quotes_found.get(i) {
                    Some(QuoteFound::Text) => styled("✓ text", Label::Added),
                    Some(QuoteFound::Translation) => styled("✓ translation", Label::Added),
                    Some(QuoteFound::SourceDocument) => styled("✓ source document", Label::Added),
                    _ => styled("✗ not found", Label::Removed),
                };
                vec![
                    (i + 1).to_string().into(),
                    q.text.clone().into(),
                    opt(&q.speaker).into(),
                    found,
                ]
            })
            .collect();
        out.push_str(&table(style, &["#", "quote", "speaker", "found in"], rows));
    }
    if let Some(notes) = &st.notes {
        out.push('\n');
        out.push_str(&heading(style, "Notes"));
        out.push_str(&paragraph(style, notes));
    }
    out
}

fn paragraph(style: &Style, text: &str) -> String {
    super::prose(style, &escape(text))
}

/// A record's revisions. The path heads the table when it never changed, else it is a
/// column (the first to go at narrow widths, then the email).
pub fn history(style: &Style, format: Format, revisions: &[Revision]) -> String {
    if format == Format::Json {
        return json(revisions);
    }
    let one_path = revisions.windows(2).all(|w| w[0].path == w[1].path);
    let rows: Vec<Vec<Styled>> = revisions
        .iter()
        .map(|r| {
            vec![
                r.commit[..r.commit.len().min(10)].to_string().into(),
                r.author.clone().into(),
                format!("<{}>", r.email).into(),
                format_time(r.time, r.offset_minutes).into(),
                r.message.lines().next().unwrap_or("").to_string().into(),
                if one_path {
                    String::new()
                } else {
                    r.path.clone()
                }
                .into(),
            ]
        })
        .collect();
    let columns = [
        Column::new("commit").whole(),
        Column::new("author"),
        Column::new("email").drop(2),
        Column::new("date"),
        Column::new("message").prose(),
        Column::new("path").drop(1),
    ];
    if format == Format::Markdown {
        let rows: Vec<Vec<Styled>> = revisions
            .iter()
            .map(|r| {
                vec![
                    r.commit[..r.commit.len().min(10)].to_string().into(),
                    format!("{} <{}>", r.author, r.email).into(),
                    format_time(r.time, r.offset_minutes).into(),
                    r.message.lines().next().unwrap_or("").to_string().into(),
                    r.path.clone().into(),
                ]
            })
            .collect();
        return markdown(&["commit", "author", "date", "message", "path"], &rows);
    }
    let mut out = String::new();
    if let (true, Some(first)) = (one_path, revisions.first()) {
        out.push_str(&heading(style, &escape(&first.path)));
    }
    out.push_str(&fitted(style, &columns, &[], rows));
    out
}

/// `2024-11-07 10:00 +0100` from git's seconds and offset.
pub fn format_time(secs: i64, offset_minutes: i32) -> String {
    crate::dates::format_time(secs, offset_minutes)
}

/// What `check` found: problems only (as `clone` reports them).
pub fn problems(style: &Style, format: Format, problems: &[Problem], records: usize) -> String {
    check_report(style, format, problems, &[], records)
}

/// What `check` found: the problems (which make the store invalid), then the warnings
/// (doubtful, not wrong).
pub fn check_report(
    style: &Style,
    format: Format,
    problems: &[Problem],
    warnings: &[Problem],
    records: usize,
) -> String {
    if format == Format::Json {
        #[derive(Serialize)]
        struct Report<'a> {
            records: usize,
            problems: &'a [Problem],
            warnings: &'a [Problem],
        }
        return json(&Report {
            records,
            problems,
            warnings,
        });
    }
    let rows = |list: &[Problem], label: Label| -> Vec<Vec<Styled>> {
        list.iter()
            .map(|p| {
                let mut what = p.message.clone();
                if let Some(h) = &p.hint {
                    what.push_str(&format!("\nhint: {h}"));
                }
                vec![
                    p.location.to_string().into(),
                    p.field.clone().into(),
                    styled(what, label),
                ]
            })
            .collect()
    };
    let render = |headers: &[&str], rows: Vec<Vec<Styled>>| {
        if format == Format::Markdown {
            markdown(headers, &rows)
        } else {
            table(style, headers, rows)
        }
    };
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut out = String::new();
    if !problems.is_empty() {
        out.push_str(&render(
            &["where", "field", "problem"],
            rows(problems, Label::Removed),
        ));
    }
    if !warnings.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&render(
            &["where", "field", "warning"],
            rows(warnings, Label::Changed),
        ));
    }
    let tail = match (problems.len(), warnings.len()) {
        (0, 0) => format!("{records} records checked, no problems.\n"),
        (0, w) => format!(
            "{records} records checked, no problems; {}.\n",
            plural(w, "warning")
        ),
        (p, 0) => format!("{} in {records} records checked.\n", plural(p, "problem")),
        (p, w) => format!(
            "{} and {} in {records} records checked.\n",
            plural(p, "problem"),
            plural(w, "warning")
        ),
    };
    out.push_str(&tail);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(format_time(1_730_937_600, 60), "2024-11-07 01:00 +0100");
        assert_eq!(format_time(0, -150), "1969-12-31 21:30 -0230");
    }
}
