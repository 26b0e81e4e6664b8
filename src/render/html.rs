//! The HTML report of an initiative: one self-contained file.
//!
//! Everything is inline: the styles, and the timeline chart as SVG. The page loads
//! nothing (a Content-Security-Policy says so to the browser), runs no script, and names
//! no font it would have to fetch; the only addresses in it are plain links to sources,
//! and only `http:` and `https:` ones. Every text from the records is HTML-escaped, with
//! control and bidi characters shown as `<U+XXXX>`, and carries `dir="auto"` (or the
//! statement's `lang` and direction) so Arabic reads right to left and Russian and English
//! left to right.

use std::fmt::Write as _;

use super::analysis::{cell_text, PRINCIPLE_MARK};
use crate::analysis::timeline::{Row, Section, Timeline};
use crate::analysis::StatementInfo;
use crate::diff::items::{ItemChange, ItemStatus};
use crate::diff::{OpKind, StatementDiff, WordOp};
use crate::record::{Initiative, PartialDate, Statement};

/// What the report shows.
pub struct Report<'a> {
    /// The initiative.
    pub initiative: &'a Initiative,
    /// Its statements, in date order.
    pub statements: &'a [Statement],
    /// The timeline matrix of those statements.
    pub timeline: &'a Timeline,
    /// Each consecutive pair's diff, in order.
    pub diffs: &'a [StatementDiff],
}

/// Text for HTML: control and bidi characters made visible, then `& < > " '` escaped.
pub fn esc(text: &str) -> String {
    let shown = crate::escape::escape(text);
    let mut out = String::with_capacity(shown.len() + 16);
    for c in shown.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Languages written right to left.
fn is_rtl_language(tag: &str) -> bool {
    let primary = tag.split('-').next().unwrap_or("").to_ascii_lowercase();
    matches!(
        primary.as_str(),
        "ar" | "fa" | "he" | "ur" | "ps" | "yi" | "dv" | "ckb" | "sd" | "ug"
    )
}

/// `lang` and `dir` attributes for a text in `lang`.
fn lang_attrs(lang: &str) -> String {
    if crate::record::language_problem(lang).is_some() {
        return " dir=\"auto\"".into();
    }
    let dir = if is_rtl_language(lang) { "rtl" } else { "ltr" };
    format!(" lang=\"{}\" dir=\"{dir}\"", esc(lang))
}

/// A link for an `http(s)` address, plain text for anything else.
fn link(url: &str, label: &str) -> String {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        format!(
            "<a href=\"{}\" rel=\"noreferrer noopener\">{}</a>",
            esc(url.trim()),
            esc(label)
        )
    } else {
        esc(label)
    }
}

const STYLE: &str = r#"
:root { --ink: #1d2430; --dim: #5d6778; --line: #d5dae3; --bg: #ffffff; --soft: #f4f6f9;
        --accent: #1f5fa8; --add: #e3f4e1; --add-ink: #1b6b2a; --del: #fbe3e3; --del-ink: #9b1c1c; }
* { box-sizing: border-box; }
body { margin: 0; padding: 32px 40px 60px; color: var(--ink); background: var(--bg);
       font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Naskh Arabic", "DejaVu Sans", Arial, sans-serif; }
header { border-bottom: 3px solid var(--accent); padding-bottom: 16px; margin-bottom: 24px; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 20px; margin: 36px 0 12px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 26px 0 8px; }
h4 { font-size: 14px; margin: 16px 0 6px; color: var(--dim); text-transform: uppercase; letter-spacing: .04em; }
.meta { color: var(--dim); margin: 0 0 10px; }
.meta span + span::before { content: " · "; }
.tag { display: inline-block; background: var(--soft); border: 1px solid var(--line); border-radius: 10px;
       padding: 0 8px; margin-right: 4px; font-size: 12px; }
.summary { max-width: 60em; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 4px 7px; vertical-align: top; text-align: start; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: center; }
.scroll { overflow-x: auto; max-width: 100%; }
.matrix td.cell { text-align: center; min-width: 3.2em; font-weight: 600; }
.matrix td.cell.on { background: #e8f0fb; }
.matrix td.cell.first { background: #cfe3fa; }
.matrix td.cell.rew { background: #fdf1d6; }
.matrix th.date { font-size: 11px; line-height: 1.2; text-align: center; }
.matrix tr.section th { background: #e9edf3; text-align: start; }
.matrix .key { color: var(--dim); font-size: 11px; font-family: ui-monospace, monospace; }
.nowrap { white-space: nowrap; }
.legend { color: var(--dim); font-size: 12px; }
.wording { white-space: pre-wrap; background: var(--soft); border: 1px solid var(--line); padding: 10px 14px;
           border-radius: 4px; max-width: 60em; }
ins { background: var(--add); color: var(--add-ink); text-decoration: none; border-bottom: 1px solid var(--add-ink); }
del { background: var(--del); color: var(--del-ink); }
.status-added { color: var(--add-ink); font-weight: 600; }
.status-removed { color: var(--del-ink); font-weight: 600; }
.status-reworded { color: #8a5a00; font-weight: 600; }
.status-moved { color: #0b6e75; font-weight: 600; }
.status-unchanged { color: var(--dim); }
.notice { color: #8a5a00; font-size: 13px; }
.counts span { display: inline-block; margin-right: 14px; font-size: 13px; }
footer { margin-top: 40px; color: var(--dim); font-size: 12px; }
svg text { font-family: system-ui, "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
"#;

/// The whole report as one HTML document.
pub fn report(r: &Report<'_>) -> String {
    let ini = r.initiative;
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{}</title>", esc(&ini.title));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");

    // Header.
    out.push_str("<header>\n");
    let _ = writeln!(out, "<h1 dir=\"auto\">{}</h1>", esc(&ini.title));
    let mut meta = vec![format!("<span>{}</span>", esc(&ini.id))];
    if let Some(o) = &ini.organization {
        meta.push(format!("<span dir=\"auto\">{}</span>", esc(o)));
    }
    if let Some(h) = ini.horizon {
        meta.push(format!("<span>horizon {h}</span>"));
    }
    if let Some(s) = ini.status {
        meta.push(format!("<span>status: <b>{}</b></span>", esc(s.as_str())));
    }
    if let Some(s) = &ini.supersedes {
        meta.push(format!("<span>supersedes {}</span>", esc(s)));
    }
    meta.push(format!("<span>{} statements</span>", r.statements.len()));
    let _ = writeln!(out, "<p class=\"meta\">{}</p>", meta.join(""));
    if !ini.tags.is_empty() {
        out.push_str("<p>");
        for t in &ini.tags {
            let _ = write!(out, "<span class=\"tag\" dir=\"auto\">{}</span>", esc(t));
        }
        out.push_str("</p>\n");
    }
    if let Some(s) = &ini.summary {
        let _ = writeln!(out, "<p class=\"summary\" dir=\"auto\">{}</p>", esc(s));
    }
    out.push_str("</header>\n");

    if r.statements.is_empty() {
        out.push_str("<p>No statements are recorded for this initiative yet.</p>\n");
    } else {
        out.push_str("<section>\n<h2>Timeline</h2>\n");
        out.push_str(&chart(r.timeline));
        out.push_str("</section>\n");
        out.push_str("<section>\n<h2>Statements</h2>\n");
        out.push_str(&log(r.statements));
        out.push_str("</section>\n");
        out.push_str("<section>\n<h2>Priorities and principles over time</h2>\n");
        out.push_str(&matrix(r.timeline));
        out.push_str("</section>\n");
        out.push_str("<section>\n<h2>What changed, statement by statement</h2>\n");
        if r.diffs.is_empty() {
            out.push_str("<p>One statement only: nothing to compare yet.</p>\n");
        }
        for d in r.diffs {
            out.push_str(&diff(d));
        }
        out.push_str("</section>\n");
    }
    let _ = writeln!(
        out,
        "<footer>Made by dossier {} from the records of {}.</footer>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION"),
        esc(&ini.id)
    );
    out
}

// ---------------------------------------------------------------------------------------
// The chart

/// Days since 1970-01-01 of a date's earliest day.
fn day_number(date: &str) -> Option<i64> {
    let d = PartialDate::parse(date)?;
    let (y, m, day) = (
        i64::from(d.year),
        i64::from(d.month.unwrap_or(1)),
        i64::from(d.day.unwrap_or(1)),
    );
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

const LABEL_W: f64 = 300.0;
/// The narrowest the statements' part of the chart gets.
const PLOT_MIN: f64 = 560.0;
const TOP: f64 = 128.0;
const LANE_H: f64 = 30.0;
const LANE_COLOURS: &[&str] = &[
    "#1f5fa8", "#b4541d", "#2b8a3e", "#8e3ea8", "#b3261e", "#0b6e75", "#7a6a00", "#5a4fcf",
];

/// Where each statement stands on the x axis: the gap to the one before grows with the
/// logarithm of the days between them, so clusters stay readable and long pauses show.
fn positions(columns: &[StatementInfo]) -> (Vec<f64>, f64) {
    let days: Vec<Option<i64>> = columns.iter().map(|c| day_number(&c.date)).collect();
    let mut xs = Vec::with_capacity(columns.len());
    let mut x = 0.0;
    for i in 0..columns.len() {
        if i > 0 {
            let gap = match (days[i - 1], days[i]) {
                (Some(a), Some(b)) => (b - a).max(0) as f64,
                _ => 30.0,
            };
            x += 44.0 + 16.0 * (1.0 + gap).ln();
        }
        xs.push(x);
    }
    let span = x.max(1.0);
    let plot = span.max(PLOT_MIN);
    let scale = if span < PLOT_MIN && columns.len() > 1 {
        PLOT_MIN / span
    } else {
        1.0
    };
    let offset = if columns.len() == 1 { plot / 2.0 } else { 0.0 };
    let xs = xs
        .into_iter()
        .map(|x| LABEL_W + 20.0 + offset + x * scale)
        .collect();
    (xs, LABEL_W + 20.0 + plot + 130.0)
}

fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

fn chart(t: &Timeline) -> String {
    let lanes: Vec<&Row> = t
        .rows
        .iter()
        .filter(|r| r.section == Section::Priority)
        .collect();
    let (xs, width) = positions(&t.columns);
    let axis_y = TOP;
    let height = TOP + 30.0 + lanes.len() as f64 * LANE_H + 24.0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<div class=\"scroll\"><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"Timeline of the statements and their priorities\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\">"
    );
    let _ = writeln!(
        s,
        "<rect x=\"0\" y=\"0\" width=\"{width:.0}\" height=\"{height:.0}\" fill=\"#fbfcfe\"/>"
    );
    // Year boundaries, placed between the statements around them.
    let days: Vec<Option<i64>> = t.columns.iter().map(|c| day_number(&c.date)).collect();
    for i in 1..t.columns.len() {
        let (Some(a), Some(b)) = (days[i - 1], days[i]) else {
            continue;
        };
        let (ya, yb) = (
            PartialDate::parse(&t.columns[i - 1].date).map_or(0, |d| d.year),
            PartialDate::parse(&t.columns[i].date).map_or(0, |d| d.year),
        );
        for year in ya + 1..=yb {
            let Some(jan1) = day_number(&format!("{year:04}")) else {
                continue;
            };
            let f = if b > a {
                (jan1 - a) as f64 / (b - a) as f64
            } else {
                0.5
            };
            let x = xs[i - 1] + (xs[i] - xs[i - 1]) * f.clamp(0.0, 1.0);
            let _ = writeln!(
                s,
                "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#9aa5b5\" stroke-dasharray=\"3 4\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#5d6778\">{year}</text>",
                axis_y - 14.0,
                height - 8.0,
                x + 3.0,
                height - 10.0
            );
        }
        if b - a > 120 {
            let mid = (xs[i - 1] + xs[i]) / 2.0;
            let _ = writeln!(
                s,
                "<text x=\"{mid:.1}\" y=\"{:.1}\" font-size=\"14\" text-anchor=\"middle\" fill=\"#5d6778\">≈<title>{} days</title></text>",
                axis_y + 5.0,
                b - a
            );
        }
    }
    // The axis and the statements on it.
    if let (Some(first), Some(last)) = (xs.first(), xs.last()) {
        let _ = writeln!(
            s,
            "<line x1=\"{:.1}\" y1=\"{axis_y}\" x2=\"{:.1}\" y2=\"{axis_y}\" stroke=\"#1d2430\" stroke-width=\"1.5\"/>",
            first - 16.0,
            last + 16.0
        );
    }
    for (c, x) in t.columns.iter().zip(&xs) {
        let who = c
            .speaker
            .as_deref()
            .map(|n| short(n, 22))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "<g><title>{} {}</title><circle cx=\"{x:.1}\" cy=\"{axis_y}\" r=\"6\" fill=\"#1d2430\"/><text transform=\"translate({:.1} {:.1}) rotate(-38)\" font-size=\"12\" fill=\"#1d2430\"><tspan font-weight=\"600\">{}</tspan><tspan dx=\"6\" fill=\"#5d6778\" direction=\"ltr\">{}</tspan></text></g>",
            esc(&c.date),
            esc(&c.reference),
            x + 2.0,
            axis_y - 12.0,
            esc(&c.date),
            esc(&who)
        );
    }
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" font-weight=\"600\" text-anchor=\"end\" fill=\"#5d6778\">statements</text>",
        LABEL_W,
        axis_y + 4.0
    );
    // One lane per priority.
    for (n, row) in lanes.iter().enumerate() {
        let y = TOP + 34.0 + n as f64 * LANE_H;
        let colour = LANE_COLOURS[n % LANE_COLOURS.len()];
        if n % 2 == 0 {
            let _ = writeln!(
                s,
                "<rect x=\"0\" y=\"{:.1}\" width=\"{width:.0}\" height=\"{LANE_H}\" fill=\"#f1f4f8\"/>",
                y - LANE_H / 2.0
            );
        }
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\" fill=\"#1d2430\"><title>{}</title>{}</text>",
            LABEL_W,
            y + 4.0,
            esc(&row.text),
            esc(&short(&row.text, 44))
        );
        let present: Vec<usize> = (0..t.columns.len())
            .filter(|&c| row.cells.get(c).is_some_and(Option::is_some))
            .collect();
        if let (Some(&a), Some(&b)) = (present.first(), present.last()) {
            let _ = writeln!(
                s,
                "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{colour}\" stroke-opacity=\"0.35\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>",
                xs[a], xs[b]
            );
        }
        for w in present.windows(2) {
            if w[1] == w[0] + 1 {
                let _ = writeln!(
                    s,
                    "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{colour}\" stroke-width=\"6\" stroke-linecap=\"round\"/>",
                    xs[w[0]], xs[w[1]]
                );
            }
        }
        for &c in &present {
            let label = cell_text(row, c);
            let wording = row.cells[c]
                .as_ref()
                .map(|x| x.text.as_str())
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "<g><title>{}: {}</title><circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"10\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" font-weight=\"700\" text-anchor=\"middle\" fill=\"#ffffff\">{}</text></g>",
                esc(&t.columns[c].date),
                esc(wording),
                xs[c],
                xs[c],
                y + 4.0,
                esc(&label)
            );
        }
    }
    if lanes.is_empty() {
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#5d6778\">No priorities are recorded in these statements.</text>",
            LABEL_W + 20.0,
            TOP + 40.0
        );
    }
    s.push_str("</svg></div>\n");
    s.push_str("<p class=\"legend\">Statements on a date axis whose spacing grows with the time between them (≈ marks a pause of more than four months; dashed lines are new years). Each priority is a lane: a disc where a statement names it, with its rank (* worded differently than before); a bar joins consecutive statements that keep it.</p>\n");
    s
}

// ---------------------------------------------------------------------------------------
// Tables

fn log(list: &[Statement]) -> String {
    let mut s = String::from("<div class=\"scroll\"><table>\n<thead><tr><th>date</th><th>statement</th><th>speaker</th><th>kind</th><th>stage</th><th>lang</th><th>source</th><th class=\"num\">prio</th><th class=\"num\">princ</th><th>summary</th></tr></thead>\n<tbody>\n");
    for st in list {
        let speaker = st
            .speaker
            .as_ref()
            .map(|p| match &p.role {
                Some(r) => format!(
                    "<span dir=\"auto\">{}</span><br><small dir=\"auto\">{}</small>",
                    esc(&p.name),
                    esc(r)
                ),
                None => format!("<span dir=\"auto\">{}</span>", esc(&p.name)),
            })
            .unwrap_or_default();
        let source = st
            .source
            .as_ref()
            .map(|src| {
                let outlet = src.outlet.clone().unwrap_or_else(|| "source".into());
                match &src.url {
                    Some(u) => link(u, &outlet),
                    None => esc(&outlet),
                }
            })
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "<tr><td class=\"nowrap\">{}</td><td>{}</td><td>{speaker}</td><td>{}</td><td>{}</td><td>{}</td><td dir=\"auto\">{source}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td dir=\"auto\">{}</td></tr>",
            esc(&st.date),
            esc(&st.id),
            st.kind.map(|k| k.as_str()).unwrap_or_default(),
            st.stage.map(|k| k.as_str()).unwrap_or_default(),
            esc(&st.language),
            st.priorities.len(),
            st.principles.len(),
            esc(st.summary.as_deref().unwrap_or_default())
        );
    }
    s.push_str("</tbody></table></div>\n");
    s
}

fn matrix(t: &Timeline) -> String {
    if t.rows.is_empty() {
        return "<p>No priorities or principles are recorded in these statements.</p>\n".into();
    }
    let mut s =
        String::from("<div class=\"scroll\"><table class=\"matrix\">\n<thead><tr><th>item</th>");
    for c in &t.columns {
        let (year, rest) = c.date.split_once('-').unwrap_or((&c.date, ""));
        let _ = write!(
            s,
            "<th class=\"date\" title=\"{}\">{}<br>{}</th>",
            esc(&c.reference),
            esc(year),
            esc(rest)
        );
    }
    s.push_str("<th>first said</th><th>last said</th></tr></thead>\n<tbody>\n");
    let span = t.columns.len() + 3;
    for (section, name) in [
        (Section::Priority, "Priorities (rank)"),
        (Section::Principle, "Principles"),
    ] {
        let rows: Vec<&Row> = t.rows.iter().filter(|r| r.section == section).collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "<tr class=\"section\"><th colspan=\"{span}\">{name}</th></tr>"
        );
        for r in rows {
            let key = r
                .key
                .as_deref()
                .map(|k| format!("<br><span class=\"key\">{}</span>", esc(k)))
                .unwrap_or_default();
            let _ = write!(
                s,
                "<tr><td><span dir=\"auto\">{}</span>{key}</td>",
                esc(&r.text)
            );
            let mut seen = false;
            for (c, cell) in r.cells.iter().enumerate() {
                match cell {
                    None => s.push_str("<td class=\"cell\"></td>"),
                    Some(x) => {
                        let class = if !seen {
                            "cell on first"
                        } else if x.reworded {
                            "cell on rew"
                        } else {
                            "cell on"
                        };
                        seen = true;
                        let _ = write!(
                            s,
                            "<td class=\"{class}\" title=\"{}\">{}</td>",
                            esc(&x.text),
                            esc(&cell_text(r, c))
                        );
                    }
                }
            }
            let said = |i: &StatementInfo| {
                format!(
                    "<span class=\"nowrap\">{}</span><br><small dir=\"auto\">{}</small>",
                    esc(&i.date),
                    esc(i.speaker.as_deref().unwrap_or_default())
                )
            };
            let _ = writeln!(
                s,
                "<td>{}</td><td>{}</td></tr>",
                said(&r.first),
                said(&r.last)
            );
        }
    }
    s.push_str("</tbody></table></div>\n");
    let _ = writeln!(
        s,
        "<p class=\"legend\">A priority's cell holds its rank, a principle's {PRINCIPLE_MARK}; * and yellow: worded differently than before (hover for the wording); blue: first appearance.</p>"
    );
    s
}

// ---------------------------------------------------------------------------------------
// Diffs

/// Word ops as HTML with `<del>` and `<ins>`.
fn redline(ops: &[WordOp]) -> String {
    let mut s = String::new();
    for op in ops {
        match op.op {
            OpKind::Equal => s.push_str(&esc(&op.text)),
            OpKind::Delete => {
                let _ = write!(s, "<del>{}</del>", esc(&op.text));
            }
            OpKind::Insert => {
                let _ = write!(s, "<ins>{}</ins>", esc(&op.text));
            }
        }
    }
    s
}

fn status_cell(c: &ItemChange) -> String {
    let (class, word) = match c.status {
        ItemStatus::Unchanged => ("unchanged", "unchanged"),
        ItemStatus::Moved => ("moved", "moved"),
        ItemStatus::Reworded if c.moved => ("reworded", "reworded, moved"),
        ItemStatus::Reworded => ("reworded", "reworded"),
        ItemStatus::Added => ("added", "added"),
        ItemStatus::Removed => ("removed", "removed"),
    };
    format!("<td class=\"status-{class}\">{word}</td>")
}

fn item_html(c: &ItemChange) -> String {
    if !c.ops.is_empty() {
        return redline(&c.ops);
    }
    match c.status {
        ItemStatus::Removed => format!("<del>{}</del>", esc(c.from.as_deref().unwrap_or_default())),
        ItemStatus::Added => format!("<ins>{}</ins>", esc(c.to.as_deref().unwrap_or_default())),
        _ => esc(c.to.as_deref().or(c.from.as_deref()).unwrap_or_default()),
    }
}

fn diff(d: &StatementDiff) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<article>\n<h3>{} <small>({})</small> → {} <small>({})</small></h3>",
        esc(&d.from.reference),
        esc(&d.from.date),
        esc(&d.to.reference),
        esc(&d.to.date)
    );
    let sm = &d.summary;
    let _ = writeln!(
        s,
        "<p class=\"counts\"><span>priorities: +{} −{} ~{} ↕{}</span><span>principles: +{} −{} ~{}</span><span>quotes: +{} −{} ~{}</span><span>fields changed: {}</span>{}</p>",
        sm.priorities.added,
        sm.priorities.removed,
        sm.priorities.reworded,
        sm.priorities.moved,
        sm.principles.added,
        sm.principles.removed,
        sm.principles.reworded,
        sm.quotes.added,
        sm.quotes.removed,
        sm.quotes.reworded,
        d.metadata.len(),
        sm.wording
            .as_ref()
            .map(|w| format!(
                "<span>wording: {} words added, {} removed, {:.0}% similar</span>",
                w.added, w.removed, w.similarity
            ))
            .unwrap_or_default()
    );
    for n in &d.notices {
        let _ = writeln!(s, "<p class=\"notice\">{}</p>", esc(n));
    }
    if !d.has_changes() {
        s.push_str("<p>No differences.</p>\n</article>\n");
        return s;
    }
    if !d.metadata.is_empty() {
        s.push_str("<h4>Fields</h4>\n<div class=\"scroll\"><table><thead><tr><th>field</th><th>before</th><th>after</th></tr></thead><tbody>\n");
        for f in &d.metadata {
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td dir=\"auto\"><del>{}</del></td><td dir=\"auto\"><ins>{}</ins></td></tr>",
                esc(f.field),
                esc(f.from.as_deref().unwrap_or_default()),
                esc(f.to.as_deref().unwrap_or_default())
            );
        }
        s.push_str("</tbody></table></div>\n");
    }
    if !d.priorities.is_empty() {
        s.push_str("<h4>Priorities</h4>\n<table><thead><tr><th class=\"num\">before</th><th class=\"num\">after</th><th>move</th><th>status</th><th>priority</th></tr></thead><tbody>\n");
        for c in &d.priorities {
            let movement = match (c.status, c.movement) {
                (ItemStatus::Added, _) => "new".to_string(),
                (ItemStatus::Removed, _) => "dropped".to_string(),
                (_, Some(m)) if m > 0 => format!("↑{m}"),
                (_, Some(m)) if m < 0 => format!("↓{}", -m),
                _ => String::new(),
            };
            let _ = writeln!(
                s,
                "<tr><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{movement}</td>{}<td dir=\"auto\">{}</td></tr>",
                c.from_rank.map(|r| r.to_string()).unwrap_or_default(),
                c.to_rank.map(|r| r.to_string()).unwrap_or_default(),
                status_cell(c),
                item_html(c)
            );
        }
        s.push_str("</tbody></table>\n");
    }
    for (title, list) in [("Principles", &d.principles), ("Quotes", &d.quotes)] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "<h4>{title}</h4>\n<table><thead><tr><th>status</th><th>text</th></tr></thead><tbody>"
        );
        for c in list {
            let _ = writeln!(
                s,
                "<tr>{}<td dir=\"auto\">{}</td></tr>",
                status_cell(c),
                item_html(c)
            );
        }
        s.push_str("</tbody></table>\n");
    }
    if let Some(w) = &d.wording {
        if w.diff.has_changes() {
            let _ = writeln!(
                s,
                "<h4>Wording ({})</h4>\n<div class=\"wording\"{}>{}</div>",
                esc(&w.language),
                lang_attrs(&w.language),
                redline(&w.diff.ops)
            );
        }
    }
    s.push_str("</article>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::timeline::timeline;
    use crate::diff::{diff_statements, DiffOptions};
    use crate::record::Item;

    fn st(id: &str, date: &str, lang: &str, text: &str, priorities: &[&str]) -> Statement {
        Statement {
            id: id.into(),
            initiative: "cis".into(),
            date: date.into(),
            language: lang.into(),
            text: Some(text.into()),
            priorities: priorities.iter().map(|p| Item::new(*p)).collect(),
            ..Statement::default()
        }
    }

    #[test]
    fn escapes_everything_and_loads_nothing() {
        let ini = Initiative {
            id: "cis".into(),
            title: "<script>alert(1)</script> & \"co\"".into(),
            organization: Some("CIS".into()),
            horizon: Some(2030),
            status: None,
            supersedes: None,
            tags: vec!["x<y".into()],
            summary: Some("bidi \u{202e}override".into()),
        };
        let mut a = st(
            "2024-a",
            "2024-11-07",
            "ar",
            "نص <b>عربي</b> أول.",
            &["Air defence <x>"],
        );
        a.source = Some(crate::record::Source {
            outlet: Some("Evil".into()),
            url: Some("javascript:alert(1)".into()),
            ..Default::default()
        });
        let b = st(
            "2025-b",
            "2025-10-10",
            "ar",
            "نص عربي ثان.",
            &["Air defence <x>", "Radar"],
        );
        let list = vec![a, b];
        let t = timeline(&list, 0.5);
        let diffs = vec![diff_statements(&list[0], &list[1], &DiffOptions::default())];
        let html = report(&Report {
            initiative: &ini,
            statements: &list,
            timeline: &t,
            diffs: &diffs,
        });
        assert!(!html.contains("<script"), "no script, escaped or not");
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("<b>عربي"));
        assert!(!html.contains("href=\"javascript"));
        assert!(html.contains("&lt;U+202E&gt;"));
        assert!(!html.contains('\u{202e}'));
        assert!(html.contains("lang=\"ar\" dir=\"rtl\""));
        assert!(html.contains("<del>") || html.contains("<ins>"));
        assert!(html.contains("<svg"));
        // Nothing to fetch: no src attributes, no url(), no @import, no external link
        // other than plain anchors.
        for bad in [" src=", "url(", "@import", "<link", "<img"] {
            assert!(!html.contains(bad), "{bad}");
        }
    }

    #[test]
    fn days_and_positions() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2024-11-07"), Some(20034));
        assert_eq!(day_number("2024"), day_number("2024-01-01"));
        assert_eq!(day_number("nonsense"), None);
        let cols: Vec<StatementInfo> = ["2024-11-07", "2025-09-24", "2025-09-24", "2025-10-10"]
            .iter()
            .map(|d| StatementInfo {
                date: (*d).into(),
                ..StatementInfo::default()
            })
            .collect();
        let (xs, width) = positions(&cols);
        assert!(xs.windows(2).all(|w| w[1] > w[0]), "{xs:?}");
        assert!(
            xs[1] - xs[0] > xs[3] - xs[2],
            "a long pause takes more room"
        );
        assert!(width > xs[3]);
        let (one, _) = positions(&cols[..1]);
        assert_eq!(one.len(), 1);
        assert!(positions(&[]).0.is_empty());
    }
}
