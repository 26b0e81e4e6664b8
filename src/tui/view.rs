//! Draws a [`Model`] into a ratatui frame: nothing but drawing (the state is the
//! model's; the runner owns the terminal), so a `TestBackend` shows the same screens.

use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line as TLine, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::doc::View;
use super::model::{Area, Mode, Model, Pane, MARGIN, ROW_LINES};
use crate::escape::escape_line;
use crate::render::columns::Line;
use crate::render::Label;

fn rect(a: Area) -> Rect {
    Rect::new(a.x, a.y, a.w, a.h)
}

/// The style of a label: colours when colour is on; bold, dim and strike-through always.
pub fn style_of(label: Label, color: bool) -> Style {
    let s = Style::default();
    let c = |s: Style, col: Color| if color { s.fg(col) } else { s };
    match label {
        Label::Plain => s,
        Label::Added => c(s, Color::Green),
        Label::Removed => c(s.add_modifier(Modifier::CROSSED_OUT), Color::Red),
        Label::Changed => c(s, Color::Yellow),
        Label::Moved => c(s, Color::Cyan),
        Label::Header => s.add_modifier(Modifier::BOLD),
        Label::Dim => s.add_modifier(Modifier::DIM),
    }
}

fn spans(line: &Line, color: bool) -> Vec<Span<'static>> {
    line.iter()
        .map(|s| Span::styled(s.text.clone(), style_of(s.label, color)))
        .collect()
}

fn pane(title: String, focused: bool, color: bool) -> Block<'static> {
    let mut b = Block::default().borders(Borders::ALL).title(Span::styled(
        title,
        Style::default().add_modifier(Modifier::BOLD),
    ));
    if focused {
        b = b.border_type(BorderType::Thick);
        if color {
            b = b.border_style(Style::default().fg(Color::Cyan));
        }
    }
    b
}

/// Draws the whole screen.
pub fn draw(m: &Model, f: &mut Frame) {
    let l = m.layout();
    let reversed = Style::default().add_modifier(Modifier::REVERSED);
    let title = format!(
        " dossier browse · {} · {} statement{}",
        escape_line(&m.title),
        m.statements.len(),
        if m.statements.len() == 1 { "" } else { "s" }
    );
    f.render_widget(Paragraph::new(title).style(reversed), rect(l.title));
    statements(m, f, l.statements);
    diff_pane(m, f, l.diff);
    items_pane(m, f, l.items);
    status(m, f, l.status);
    if m.mode == Mode::Help {
        help(m, f);
    }
}

fn statements(m: &Model, f: &mut Frame, a: Area) {
    let title = match m.marked {
        Some(k) => format!(" Statements · ◆ {} ", m.statements[k].date),
        None => " Statements ".to_string(),
    };
    let block = pane(title, m.focus == Pane::Statements, m.color);
    let inner = a.inner();
    let rows = (inner.h as usize / ROW_LINES).max(1);
    let mut lines: Vec<TLine> = Vec::new();
    for i in m.list_offset..(m.list_offset + rows).min(m.statements.len()) {
        let st = &m.statements[i];
        let sel = i == m.selected;
        let mark = if m.marked == Some(i) { "◆" } else { " " };
        let pointer = if sel { "▶" } else { " " };
        let kind = st.kind.map(|k| k.as_str()).unwrap_or("");
        let head = format!("{pointer}{mark}{} {}", st.date, st.language);
        let badge = m.badges.get(&i).cloned().unwrap_or_default();
        let room = (inner.w as usize).saturating_sub(crate::render::display_width(&head) + 1);
        let head = if badge.is_empty() {
            head
        } else {
            format!("{head}{:>room$}", badge)
        };
        let speaker = st
            .speaker
            .as_ref()
            .map(|s| s.name.clone())
            .unwrap_or_else(|| st.id.clone());
        let mut style = Style::default();
        if sel {
            style = style.add_modifier(if m.focus == Pane::Statements {
                Modifier::REVERSED
            } else {
                Modifier::BOLD
            });
        }
        let badge_style = style_of(Label::Changed, m.color).patch(style);
        if badge.is_empty() {
            lines.push(TLine::from(Span::styled(escape_line(&head), style)));
        } else {
            let cut = head.len() - badge.len();
            lines.push(TLine::from(vec![
                Span::styled(escape_line(&head[..cut]), style),
                Span::styled(badge, badge_style),
            ]));
        }
        let second = if kind.is_empty() {
            format!("  {}", escape_line(&speaker))
        } else {
            format!("  {kind} · {}", escape_line(&speaker))
        };
        lines.push(TLine::from(Span::styled(second, style)));
    }
    f.render_widget(Paragraph::new(lines).block(block), rect(a));
}

fn diff_pane(m: &Model, f: &mut Frame, a: Area) {
    let n = m.diff_doc.changes.len();
    let view = match m.view {
        View::Inline => "inline",
        View::SideBySide => "side by side",
    };
    let title = match m.pair() {
        Some((x, y)) => {
            let changes = if n == 0 {
                "no changes".to_string()
            } else {
                format!("change {} of {n}", m.change + 1)
            };
            let mark = if m.marked.is_some() { "◆" } else { "" };
            format!(
                " {mark}{} → {} · {changes} ",
                m.statements[x].date, m.statements[y].date
            )
        }
        None => format!(" {} ", m.statements[m.selected].date),
    };
    let block = pane(title, m.focus == Pane::Diff, m.color).title_bottom(format!(" {view} "));
    let inner = a.inner();
    let current = m.diff_doc.changes.get(m.change).copied();
    let bar = style_of(Label::Changed, m.color).add_modifier(Modifier::BOLD);
    let lines: Vec<TLine> = m
        .diff_doc
        .lines
        .iter()
        .enumerate()
        .skip(m.diff_scroll)
        .take(inner.h as usize)
        .map(|(i, line)| {
            let on = current.is_some_and(|(s, e)| (s..=e).contains(&i));
            let margin = if on { "▌" } else { " " };
            let mut s = vec![Span::styled(
                format!("{margin:<w$}", w = MARGIN as usize),
                bar,
            )];
            s.extend(spans(line, m.color));
            TLine::from(s)
        })
        .collect();
    f.render_widget(Paragraph::new(lines).block(block), rect(a));
}

fn items_pane(m: &Model, f: &mut Frame, a: Area) {
    let block = pane(
        " Priorities, principles, quotes ".to_string(),
        m.focus == Pane::Items,
        m.color,
    );
    let inner = a.inner();
    let lines: Vec<TLine> = m
        .items_doc
        .lines
        .iter()
        .skip(m.items_scroll)
        .take(inner.h as usize)
        .map(|l| TLine::from(spans(l, m.color)))
        .collect();
    f.render_widget(Paragraph::new(lines).block(block), rect(a));
}

/// The keys, one line each, for the help overlay and the status line.
pub const KEYS: &[(&str, &str)] = &[
    ("[ ]", "previous / next statement"),
    ("n N", "next / previous change"),
    ("s", "inline or side by side"),
    ("space", "mark the statement to compare with (esc unmarks)"),
    ("tab", "next pane (shift-tab: previous)"),
    ("↑ ↓ j k", "move in the pane (PgUp PgDn g G)"),
    ("/", "search the statements (enter: next match)"),
    ("?", "these keys"),
    ("q", "quit (ctrl-c too)"),
];

fn status(m: &Model, f: &mut Frame, a: Area) {
    let text = match (&m.mode, &m.message) {
        (Mode::Search(q), _) => format!("/{q}▏"),
        (_, Some(msg)) => msg.clone(),
        _ => "q quit · ? keys · tab pane · [ ] statement · n N change · s side by side · space mark · / search".to_string(),
    };
    let style = Style::default().add_modifier(Modifier::DIM);
    let style = if matches!(m.mode, Mode::Search(_)) || m.message.is_some() {
        Style::default()
    } else {
        style
    };
    f.render_widget(Paragraph::new(escape_line(&text)).style(style), rect(a));
}

fn help(m: &Model, f: &mut Frame) {
    let w = 62.min(m.width);
    let h = (KEYS.len() as u16 + 4).min(m.height);
    let area = Rect::new(
        m.width.saturating_sub(w) / 2,
        m.height.saturating_sub(h) / 2,
        w,
        h,
    );
    let mut lines: Vec<TLine> = KEYS
        .iter()
        .map(|(k, what)| {
            TLine::from(vec![
                Span::styled(
                    format!("{k:>8}  "),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::raw(*what),
            ])
        })
        .collect();
    lines.push(TLine::from(""));
    lines.push(TLine::from(Span::styled(
        "any key closes",
        Style::default().add_modifier(Modifier::DIM),
    )));
    f.render_widget(Clear, area);
    f.render_widget(
        Paragraph::new(lines).block(pane(" Keys ".to_string(), true, m.color)),
        area,
    );
}
