//! The only writer of human-readable output: tables (the only comfy-table user), Markdown
//! and JSON, with colour and width decided once. Renderers take plain values and return
//! text; commands decide where it goes.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // owns: the terminal (tables, progress, CSV, colour) (clippy.toml)

pub mod analysis;
pub mod annotations;
pub mod citation;
pub mod diff;
pub mod export;
pub mod html;
pub mod progress;
pub mod records;
pub mod settings;
pub mod status;

use std::io::{IsTerminal, Write};

use comfy_table::{
    presets, Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Table, Width,
};
use unicode_width::UnicodeWidthStr;

use crate::cli::ColorChoice;
use crate::escape::escape_line;

/// Output settings for one invocation.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Table width in columns.
    pub width: u16,
}

/// What a piece of output means; colours are chosen from this in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Plain,
    Added,
    Removed,
    Changed,
    Moved,
    Header,
    Dim,
}

impl Style {
    /// Colour: the flag, then `NO_COLOR`, then whether stdout is a terminal. Width: `COLUMNS`,
    /// else the terminal's, else 100.
    pub fn detect(choice: ColorChoice) -> Style {
        let terminal = std::io::stdout().is_terminal();
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse::<u16>().ok())
            .filter(|w| *w >= 20)
            .or_else(|| terminal.then(|| Table::new().width()).flatten())
            .unwrap_or(100);
        Style { color, width }
    }

    fn ansi(&self, label: Label) -> Option<&'static str> {
        if !self.color {
            return None;
        }
        match label {
            Label::Plain => None,
            Label::Added => Some("\x1b[32m"),
            Label::Removed => Some("\x1b[31m"),
            Label::Changed => Some("\x1b[33m"),
            Label::Moved => Some("\x1b[36m"),
            Label::Header => Some("\x1b[1m"),
            Label::Dim => Some("\x1b[2m"),
        }
    }

    /// `text` in the colour of `label` (unchanged when colour is off).
    pub fn paint(&self, label: Label, text: &str) -> String {
        match self.ansi(label) {
            Some(code) if !text.is_empty() => format!("{code}{text}\x1b[0m"),
            _ => text.to_string(),
        }
    }
}

/// A cell's text and meaning.
#[derive(Debug, Clone)]
pub struct Styled {
    pub text: String,
    pub label: Label,
    /// Already escaped by a renderer and possibly holding its own colour codes (an inline
    /// diff); any other text is escaped whole, so a record's own escape codes never reach
    /// the terminal.
    pub rendered: bool,
}

/// A cell made by a renderer that escaped its parts itself (see [`Styled::rendered`]).
pub fn rendered(text: impl Into<String>) -> Styled {
    Styled {
        text: text.into(),
        label: Label::Plain,
        rendered: true,
    }
}

impl From<String> for Styled {
    fn from(text: String) -> Self {
        Styled {
            text,
            label: Label::Plain,
            rendered: false,
        }
    }
}

impl From<&str> for Styled {
    fn from(text: &str) -> Self {
        Styled {
            text: text.to_string(),
            label: Label::Plain,
            rendered: false,
        }
    }
}

pub fn styled(text: impl Into<String>, label: Label) -> Styled {
    Styled {
        text: text.into(),
        label,
        rendered: false,
    }
}

fn color_of(label: Label) -> Option<Color> {
    match label {
        Label::Added => Some(Color::Green),
        Label::Removed => Some(Color::Red),
        Label::Changed => Some(Color::Yellow),
        Label::Moved => Some(Color::Cyan),
        _ => None,
    }
}

/// Whether the text holds right-to-left letters (Hebrew, Arabic, Syriac, Thaana...).
pub fn has_rtl(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF))
}

/// A table that fits the width. Cell texts are escaped (control characters become
/// `<U+XXXX>`) unless `raw` cells are marked pre-escaped by the caller.
pub fn table(style: &Style, headers: &[&str], rows: Vec<Vec<Styled>>) -> String {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(style.width);
    if style.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t.set_header(headers.iter().map(|h| {
        let c = Cell::new(h);
        if style.color {
            c.add_attribute(comfy_table::Attribute::Bold)
        } else {
            c
        }
    }));
    // Columns of short words (dates, kinds, counts) are never split inside a word; the
    // columns of long words (ids, refs) share what is left and break at `-` and `/`.
    let mut longest_word: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            let w = cell
                .text
                .split_whitespace()
                .map(UnicodeWidthStr::width)
                .max()
                .unwrap_or(0);
            if let Some(l) = longest_word.get_mut(i) {
                *l = (*l).max(w);
            }
        }
    }
    let short: usize = longest_word
        .iter()
        .filter(|w| **w <= SHORT_WORD)
        .map(|w| w + 2)
        .sum();
    let wide = longest_word.iter().filter(|w| **w > SHORT_WORD).count();
    let room = (style.width as usize).saturating_sub(short + headers.len() + 1);
    let wide_width = room
        .checked_div(wide)
        .unwrap_or(0)
        .saturating_sub(2)
        .max(10);
    for row in rows {
        t.add_row(row.into_iter().enumerate().map(|(i, s)| {
            let mut text = if s.rendered {
                s.text.clone()
            } else {
                escape_cell(&s.text)
            };
            if longest_word[i] > SHORT_WORD {
                text = break_long_words(&text, wide_width);
            }
            let mut cell = Cell::new(text);
            if style.color {
                if let Some(c) = color_of(s.label) {
                    cell = cell.fg(c);
                }
            }
            if s.text.parse::<f64>().is_ok() {
                cell = cell.set_alignment(CellAlignment::Right);
            }
            cell
        }));
    }
    for (i, w) in longest_word.iter().enumerate() {
        let min = if *w <= SHORT_WORD {
            *w
        } else {
            wide_width.min(*w)
        };
        if let Some(col) = t.column_mut(i) {
            col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(
                min as u16 + 2,
            )));
        }
    }
    let mut s = isolate_rtl(&t.to_string());
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// Words up to this width are never split.
const SHORT_WORD: usize = 12;

/// Breaks words longer than `width` after a `-` or `/` (or anywhere, when there is none),
/// so ids and refs wrap at their natural joints.
fn break_long_words(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (li, line) in text.split('\n').enumerate() {
        if li > 0 {
            out.push('\n');
        }
        for (wi, word) in line.split(' ').enumerate() {
            if wi > 0 {
                out.push(' ');
            }
            let mut piece = String::new();
            let mut last_joint = None;
            for c in word.chars() {
                let cw = UnicodeWidthStr::width(c.encode_utf8(&mut [0; 4]) as &str);
                if piece.width() + cw > width && !piece.is_empty() {
                    let cut = last_joint.unwrap_or(piece.len());
                    out.push_str(&piece[..cut]);
                    out.push('\n');
                    piece = piece[cut..].to_string();
                    last_joint = None;
                }
                piece.push(c);
                if c == '-' || c == '/' {
                    last_joint = Some(piece.len());
                }
            }
            out.push_str(&piece);
        }
    }
    out
}

/// Escapes a cell's text, keeping its line breaks (comfy-table wraps them) and the ANSI
/// escapes of inline diffs made by [`Style::paint`].
fn escape_cell(text: &str) -> String {
    // Keep line breaks (comfy-table wraps them); escape everything else that controls.
    text.split('\n')
        .map(escape_line)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Wraps each table cell segment holding right-to-left text in a first-strong isolate
/// (U+2068 … U+2069), so a terminal that reorders bidi text keeps it inside its cell.
/// The marks take no columns.
pub(crate) fn isolate_rtl(rendered: &str) -> String {
    if !has_rtl(rendered) {
        return rendered.to_string();
    }
    let mut out = String::with_capacity(rendered.len() + 64);
    for line in rendered.lines() {
        let mut segment = String::new();
        for c in line.chars() {
            if matches!(c, '│' | '┆' | '║' | '┃') {
                push_isolated(&mut out, &segment);
                segment.clear();
                out.push(c);
            } else {
                segment.push(c);
            }
        }
        push_isolated(&mut out, &segment);
        out.push('\n');
    }
    out
}

fn push_isolated(out: &mut String, seg: &str) {
    if !has_rtl(seg) {
        out.push_str(seg);
        return;
    }
    let trimmed = seg.trim_end();
    let pad = &seg[trimmed.len()..];
    let lead = trimmed.len() - trimmed.trim_start().len();
    out.push_str(&trimmed[..lead]);
    out.push('\u{2068}');
    out.push_str(&trimmed[lead..]);
    out.push('\u{2069}');
    out.push_str(pad);
}

/// A Markdown table (pipes and line breaks in cells escaped).
pub fn markdown(headers: &[&str], rows: &[Vec<Styled>]) -> String {
    let cell = |s: &str| escape_line(s).replace('|', "\\|");
    let mut out = String::new();
    out.push_str(&format!("| {} |\n", headers.join(" | ")));
    out.push_str(&format!(
        "|{}|\n",
        headers.iter().map(|_| "---").collect::<Vec<_>>().join("|")
    ));
    for row in rows {
        out.push_str(&format!(
            "| {} |\n",
            row.iter()
                .map(|s| cell(&s.text))
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
    out
}

/// Pretty JSON with a final newline.
/// Pretty JSON written straight to `out` (for whole-store outputs, which would otherwise be
/// held in memory twice).
pub fn json_to<T: serde::Serialize + ?Sized>(
    out: &mut dyn std::io::Write,
    value: &T,
) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut w, value).map_err(|e| match e.io_error_kind() {
        // Keep the kind: a closed pipe is a normal end (see `Error::output`).
        Some(kind) => std::io::Error::new(kind, e),
        None => std::io::Error::other(e),
    })?;
    w.write_all(b"\n")?;
    w.flush()
}

pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let mut s =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// A heading line for a section of output.
pub fn heading(style: &Style, text: &str) -> String {
    format!("{}\n", style.paint(Label::Header, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rtl_cells_keep_the_table_aligned() {
        let style = Style {
            color: false,
            width: 60,
        };
        let out = table(
            &style,
            &["lang", "text"],
            vec![
                vec!["ar".into(), "رابطة الدول المستقلة تبدأ".into()],
                vec!["en".into(), "bidi \u{202E}override".into()],
            ],
        );
        let widths: Vec<usize> = out.lines().map(UnicodeWidthStr::width).collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{out}\n{widths:?}");
        assert!(out.contains("\u{2068}رابطة"), "{out}");
        assert!(out.contains("<U+202E>"), "{out}");
    }
}
