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

/// The default width of the lanes' labels (the chart makes it wider for longer lines).
const LABEL_W: f64 = 300.0;
/// The narrowest the statements' part of the chart gets.
const PLOT_MIN: f64 = 560.0;
/// The least room above the axis (more when the statements' labels need it).
const TOP: f64 = 128.0;
/// A lane's least height, and the height of each line of its label.
const LANE_H: f64 = 30.0;
const LINE_H: f64 = 15.0;
/// Characters on a line of a lane's label before it wraps.
const LABEL_CHARS: usize = 40;
/// A character's width at 12px, on the wide side of the sans-serif fonts browsers use,
/// so that room made for a label is never too small (labels are never cut: they wrap,
/// and the chart grows to hold them).
const CHAR_W: f64 = 7.8;
/// The statements' labels are turned this far up from the axis.
const TILT_DEG: f64 = 38.0;
const LANE_COLOURS: &[&str] = &[
    "#1f5fa8", "#b4541d", "#2b8a3e", "#8e3ea8", "#b3261e", "#0b6e75", "#7a6a00", "#5a4fcf",
];

/// Where each statement stands on the x axis: the gap to the one before grows with the
/// logarithm of the days between them, so clusters stay readable and long pauses show.
#[cfg(test)]
pub(super) fn positions(columns: &[StatementInfo]) -> (Vec<f64>, f64) {
    positions_after(columns, LABEL_W)
}

/// [`positions`] with the lanes' labels `label_w` wide.
fn positions_after(columns: &[StatementInfo], label_w: f64) -> (Vec<f64>, f64) {
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
        .map(|x| label_w + 20.0 + offset + x * scale)
        .collect();
    (xs, label_w + 20.0 + plot + 130.0)
}

/// `text` in lines of at most `max` characters, broken at spaces (a longer word on lines
/// of its own): all of it, nothing cut.
pub(super) fn wrap_label(text: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > max {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.drain(..max).collect());
        }
        let word: String = word.into_iter().collect();
        if word.is_empty() {
            continue;
        }
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The room a line of `chars` characters at 12px takes, at most.
fn text_width(chars: usize) -> f64 {
    chars as f64 * CHAR_W
}

pub(super) fn chart(t: &Timeline) -> String {
    let lanes: Vec<&Row> = t
        .rows
        .iter()
        .filter(|r| r.section == Section::Priority)
        .collect();
    // Each lane's label in full, wrapped; the label column as wide as its longest line.
    let labels: Vec<Vec<String>> = lanes
        .iter()
        .map(|r| wrap_label(&r.text, LABEL_CHARS))
        .collect();
    let longest = labels
        .iter()
        .flatten()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    let label_w = LABEL_W.max(text_width(longest) + 12.0);
    let (xs, plot_width) = positions_after(&t.columns, label_w);
    // Each statement's label (date and speaker, in full) is turned up from the axis: the
    // room above the axis and to the right grows to hold the longest.
    let (sin, cos) = TILT_DEG.to_radians().sin_cos();
    let who = |c: &StatementInfo| c.speaker.clone().unwrap_or_default();
    let label_len = |c: &StatementInfo| {
        text_width(c.date.chars().count()) + 6.0 + text_width(who(c).chars().count())
    };
    let axis_y = t
        .columns
        .iter()
        .map(|c| 12.0 + label_len(c) * sin + 12.0 * cos + 8.0)
        .fold(TOP, f64::max);
    let width = t
        .columns
        .iter()
        .zip(&xs)
        .map(|(c, x)| x + 2.0 + label_len(c) * cos + 12.0 * sin + 8.0)
        .fold(plot_width, f64::max);
    let lane_h: Vec<f64> = labels
        .iter()
        .map(|l| LANE_H.max(l.len() as f64 * LINE_H + 12.0))
        .collect();
    let height = axis_y + 30.0 + lane_h.iter().sum::<f64>() + 24.0;
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
        let _ = writeln!(
            s,
            "<g><title>{} {}</title><circle cx=\"{x:.1}\" cy=\"{axis_y:.1}\" r=\"6\" fill=\"#1d2430\"/><text transform=\"translate({:.1} {:.1}) rotate(-{TILT_DEG})\" font-size=\"12\" fill=\"#1d2430\"><tspan font-weight=\"600\">{}</tspan><tspan dx=\"6\" fill=\"#5d6778\" direction=\"ltr\">{}</tspan></text></g>",
            esc(&c.date),
            esc(&c.reference),
            x + 2.0,
            axis_y - 12.0,
            esc(&c.date),
            esc(&who(c))
        );
    }
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" font-weight=\"600\" text-anchor=\"end\" fill=\"#5d6778\">statements</text>",
        label_w,
        axis_y + 4.0
    );
    // One lane per priority.
    let mut lane_top = axis_y + 34.0 - LANE_H / 2.0;
    for (n, row) in lanes.iter().enumerate() {
        let h = lane_h[n];
        let y = lane_top + h / 2.0;
        lane_top += h;
        let colour = LANE_COLOURS[n % LANE_COLOURS.len()];
        if n % 2 == 0 {
            let _ = writeln!(
                s,
                "<rect x=\"0\" y=\"{:.1}\" width=\"{width:.0}\" height=\"{h:.1}\" fill=\"#f1f4f8\"/>",
                y - h / 2.0
            );
        }
        // The label in full, one tspan a line, centred on the lane.
        let lines = &labels[n];
        let first = y + 4.0 - (lines.len() as f64 - 1.0) * LINE_H / 2.0;
        let mut text = String::new();
        for (i, line) in lines.iter().enumerate() {
            let _ = write!(
                text,
                "<tspan x=\"{label_w:.1}\" y=\"{:.1}\">{}</tspan>",
                first + i as f64 * LINE_H,
                esc(line)
            );
        }
        let _ = writeln!(
            s,
            "<text font-size=\"12\" text-anchor=\"end\" fill=\"#1d2430\"><title>{}</title>{text}</text>",
            esc(&row.text),
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
            label_w + 20.0,
            axis_y + 40.0
        );
    }
    s.push_str("</svg></div>\n");
    s.push_str("<p class=\"legend\">Statements on a date axis whose spacing grows with the time between them (≈ marks a pause of more than four months; dashed lines are new years). Each priority is a lane: a disc where a statement names it, with its rank (* worded differently than before); a bar joins consecutive statements that keep it.</p>\n");
    s
}
