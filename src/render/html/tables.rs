//! The report's tables: the statements, and the priorities and principles over time.

use std::fmt::Write as _;

use super::{esc, link};
use crate::analysis::timeline::{Row, Section, Timeline};
use crate::analysis::StatementInfo;
use crate::record::Statement;
use crate::render::analysis::{cell_text, PRINCIPLE_MARK};

pub(super) fn log(list: &[Statement]) -> String {
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

pub(super) fn matrix(t: &Timeline) -> String {
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
