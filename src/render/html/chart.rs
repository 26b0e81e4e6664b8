//! The timeline chart: statements on a date axis whose spacing grows with the time between
//! them, one lane per priority, as inline SVG.

use std::fmt::Write as _;

use super::esc;
use crate::analysis::timeline::{Row, Section, Timeline};
use crate::analysis::StatementInfo;
use crate::record::PartialDate;
use crate::render::analysis::cell_text;

/// Days since 1970-01-01 of a date's earliest day.
pub(super) fn day_number(date: &str) -> Option<i64> {
    let d = PartialDate::parse(date)?;
    let year = i16::try_from(d.year).ok()?;
    crate::dates::days_since_epoch(year, d.month.unwrap_or(1) as i8, d.day.unwrap_or(1) as i8)
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
pub(super) fn positions(columns: &[StatementInfo]) -> (Vec<f64>, f64) {
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

pub(super) fn chart(t: &Timeline) -> String {
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
