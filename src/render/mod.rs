//! The only writer of human-readable output: tables (the only comfy-table user), Markdown
//! and JSON, with colour and width decided once. Renderers take plain values and return
//! text; commands decide where it goes.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // owns: the terminal (tables, progress, CSV, colour) (clippy.toml)

pub mod analysis;
pub mod annotations;
pub mod citation;
pub mod columns;
pub mod diff;
pub mod export;
pub mod html;
pub mod json;
pub mod layout;
pub mod matching;
pub mod merge;
pub mod progress;
pub mod records;
pub mod settings;
pub mod significance;
pub mod status;
pub mod textconv;

use std::io::{IsTerminal, Write};

use comfy_table::{
    presets, Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width,
};

pub use layout::{display_width, Column};

use crate::escape::escape_line;
use crate::output::ColorChoice;

/// Output settings for one invocation.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Table width in columns.
    pub width: u16,
    /// Every column and id shown whole, even when the table is then wider (`--wide`).
    pub wide: bool,
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
    /// Colour: the flag, then the conventions anstream reads for stdout (`NO_COLOR`,
    /// `CLICOLOR_FORCE`, `CLICOLOR=0`, `TERM=dumb`, a terminal or not). Width: `COLUMNS`,
    /// else the terminal's, else 100.
    pub fn detect(choice: ColorChoice) -> Style {
        let terminal = std::io::stdout().is_terminal();
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !matches!(
                anstream::AutoStream::choice(&std::io::stdout()),
                anstream::ColorChoice::Never
            ),
        };
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse::<u16>().ok())
            .filter(|w| *w >= 20)
            .or_else(|| terminal.then(|| Table::new().width()).flatten())
            .unwrap_or(100);
        Style {
            color,
            width,
            wide: false,
        }
    }

    fn ansi(&self, label: Label) -> Option<anstyle::Style> {
        use anstyle::{AnsiColor, Style};
        if !self.color {
            return None;
        }
        match label {
            Label::Plain => None,
            Label::Added => Some(AnsiColor::Green.on_default()),
            Label::Removed => Some(AnsiColor::Red.on_default()),
            Label::Changed => Some(AnsiColor::Yellow.on_default()),
            Label::Moved => Some(AnsiColor::Cyan.on_default()),
            Label::Header => Some(Style::new().bold()),
            Label::Dim => Some(Style::new().dimmed()),
        }
    }

    /// `text` in the colour of `label` (unchanged when colour is off).
    pub fn paint(&self, label: Label, text: &str) -> String {
        match self.ansi(label) {
            Some(style) if !text.is_empty() => format!("{style}{text}{style:#}"),
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

/// Whether the text holds right-to-left letters (Hebrew, Arabic, Syriac, Thaana...).
pub fn has_rtl(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF))
}

/// A table that fits the width, every column kept unless empty (see [`fitted`]).
pub fn table(style: &Style, headers: &[&str], rows: Vec<Vec<Styled>>) -> String {
    let columns: Vec<Column> = headers.iter().map(|h| Column::new(*h)).collect();
    fitted(style, &columns, &[], rows)
}

/// A table fitted to the style's width without breaking a word or an id (see
/// [`layout`]): empty columns are left out, headers and ids shortened, then columns dropped
/// in their stated order, and a line under the table names what was dropped. `ids` are
/// the ids an id column's short forms must stay unique among (the column's own when
/// empty). Cell texts are escaped (control characters become `<U+XXXX>`) unless marked
/// [`rendered`].
pub fn fitted(style: &Style, columns: &[Column], ids: &[&str], rows: Vec<Vec<Styled>>) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|s| {
                    if s.rendered {
                        s.text.clone()
                    } else {
                        escape_cell(&s.text)
                    }
                })
                .collect()
        })
        .collect();
    let own_ids: Vec<String>;
    let ids: Vec<&str> = if ids.is_empty() {
        own_ids = columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.kind == layout::Kind::Id)
            .flat_map(|(i, _)| cells.iter().filter_map(move |r| r.get(i)))
            .flat_map(|t| t.split('\n').map(|l| l.trim().to_string()))
            .collect();
        own_ids.iter().map(String::as_str).collect()
    } else {
        ids.to_vec()
    };
    let plan = layout::plan(
        columns,
        &cells,
        style.width as usize,
        style.wide,
        &|id, w| layout::short_id(id, w, &ids),
    );
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    if style.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t.set_header(plan.headers.iter().zip(&plan.widths).map(|(h, w)| {
        let c = Cell::new(layout::wrap(h, *w));
        if style.color {
            c.add_attribute(comfy_table::Attribute::Bold)
        } else {
            c
        }
    }));
    for (row, texts) in rows.iter().zip(&cells) {
        t.add_row(plan.shown.iter().zip(&plan.widths).map(|(&i, &w)| {
            let Some(text) = texts.get(i) else {
                return Cell::new("");
            };
            let shown = if columns[i].kind == layout::Kind::Id && !style.wide {
                // An id no prefix of which is unique is shown whole, broken at its joints.
                let short = text
                    .split('\n')
                    .map(|l| layout::short_id(l, w, &ids))
                    .collect::<Vec<_>>()
                    .join("\n");
                layout::wrap(&short, w)
            } else {
                layout::wrap(text, w)
            };
            // Colour as our own SGR codes, line by line (comfy-table's would go through
            // crossterm, which drops them whenever NO_COLOR is set, `--color always` or not).
            let label = row.get(i).map_or(Label::Plain, |s| s.label);
            let shown = if style.color && label != Label::Plain {
                shown
                    .split('\n')
                    .map(|l| style.paint(label, l))
                    .collect::<Vec<_>>()
                    .join("\n")
            } else {
                shown
            };
            let mut cell = Cell::new(shown);
            if columns[i].center {
                cell = cell.set_alignment(CellAlignment::Center);
            } else if row.get(i).is_some_and(|s| s.text.parse::<f64>().is_ok()) {
                cell = cell.set_alignment(CellAlignment::Right);
            }
            cell
        }));
    }
    for (pos, w) in plan.widths.iter().enumerate() {
        if let Some(col) = t.column_mut(pos) {
            col.set_constraint(ColumnConstraint::Absolute(Width::Fixed(*w as u16 + 2)));
        }
    }
    let mut s = isolate_rtl(&terminal_padding(&t.to_string()));
    if !s.ends_with('\n') {
        s.push('\n');
    }
    if !plan.dropped.is_empty() {
        s.push_str(&style.paint(
            Label::Dim,
            &format!(
                "(left out at {} columns: {}; --wide shows them)",
                style.width,
                plan.dropped.join(", ")
            ),
        ));
        s.push('\n');
    }
    s
}

/// Corrects comfy-table's padding where it measured a cell narrower than a terminal draws
/// it (an Arabic lam-alef pair: one cell as a ligature, two on a terminal; see
/// [`layout`]): the difference comes off the cell's trailing padding.
fn terminal_padding(rendered: &str) -> String {
    use unicode_width::UnicodeWidthStr;
    if !has_rtl(rendered) {
        return rendered.to_string();
    }
    let mut out = String::with_capacity(rendered.len());
    for line in rendered.lines() {
        let mut segment = String::new();
        let flush = |out: &mut String, seg: &str| {
            let plain = strip_ansi(seg);
            let extra = layout::display_width(seg).saturating_sub(plain.width());
            out.push_str(&drop_trailing_spaces(seg, extra));
        };
        for c in line.chars() {
            if matches!(c, '│' | '┆' | '║' | '┃') {
                flush(&mut out, &segment);
                segment.clear();
                out.push(c);
            } else {
                segment.push(c);
            }
        }
        flush(&mut out, &segment);
        out.push('\n');
    }
    out
}

/// `text` without its ANSI escape sequences.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\x1b') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let skip = if let Some(csi) = tail.strip_prefix('[') {
            csi.find(|c: char| ('\u{40}'..='\u{7e}').contains(&c))
                .map_or(tail.len(), |e| e + 2)
        } else {
            tail.chars().next().map_or(0, char::len_utf8)
        };
        rest = &tail[skip..];
    }
    out.push_str(rest);
    out
}

/// Removes up to `n` spaces from the last run of spaces before the segment's end (escape
/// codes after it kept).
fn drop_trailing_spaces(seg: &str, n: usize) -> String {
    if n == 0 {
        return seg.to_string();
    }
    let Some(last_space) = seg.rfind(' ') else {
        return seg.to_string();
    };
    let run_start = seg[..=last_space].trim_end_matches(' ').len();
    let take = n.min(last_space + 1 - run_start);
    format!(
        "{}{}",
        &seg[..last_space + 1 - take],
        &seg[last_space + 1..]
    )
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

/// A Markdown table of `columns` without the empty ones (Markdown keeps every other
/// column: it is read where width does not matter).
pub fn markdown_fitted(columns: &[Column], rows: &[Vec<Styled>]) -> String {
    let keep: Vec<usize> = (0..columns.len())
        .filter(|&i| {
            columns[i].keep_empty
                || rows.is_empty()
                || rows
                    .iter()
                    .any(|r| r.get(i).is_some_and(|c| !c.text.trim().is_empty()))
        })
        .collect();
    let headers: Vec<&str> = keep.iter().map(|&i| columns[i].header.as_str()).collect();
    let rows: Vec<Vec<Styled>> = rows
        .iter()
        .map(|r| keep.iter().filter_map(|&i| r.get(i).cloned()).collect())
        .collect();
    markdown(&headers, &rows)
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

/// Pretty JSON written straight to `out` (for whole-store outputs, which would otherwise be
/// held in memory twice).
pub fn json_to<T: serde::Serialize + ?Sized>(
    out: &mut dyn std::io::Write,
    value: &T,
) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::new(out);
    json::to_writer_pretty(&mut w, value).map_err(|e| match e.io_error_kind() {
        // Keep the kind: a closed pipe is a normal end (see `Error::output`).
        Some(kind) => std::io::Error::new(kind, e),
        None => std::io::Error::other(e),
    })?;
    w.write_all(b"\n")?;
    w.flush()
}

/// A JSON array written element by element, byte for byte as [`json_to`] writes the
/// whole array, so a command can write records as it reads them.
pub struct JsonArray<'w> {
    w: std::io::BufWriter<&'w mut dyn std::io::Write>,
    count: usize,
    buf: Vec<u8>,
}

impl<'w> JsonArray<'w> {
    pub fn new(out: &'w mut dyn std::io::Write) -> JsonArray<'w> {
        JsonArray {
            w: std::io::BufWriter::new(out),
            count: 0,
            buf: Vec::new(),
        }
    }

    /// Writes one more element.
    pub fn push<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> std::io::Result<()> {
        use std::io::Write;
        self.buf.clear();
        json::to_writer_pretty(&mut self.buf, value).map_err(std::io::Error::other)?;
        self.w
            .write_all(if self.count == 0 { b"[\n" } else { b",\n" })?;
        // Pretty JSON has no raw line break inside a string: each line is indented once.
        for (k, line) in self.buf.split(|&b| b == b'\n').enumerate() {
            if k > 0 {
                self.w.write_all(b"\n")?;
            }
            self.w.write_all(b"  ")?;
            self.w.write_all(line)?;
        }
        self.count += 1;
        Ok(())
    }

    /// Closes the array (with the final newline).
    pub fn finish(mut self) -> std::io::Result<()> {
        use std::io::Write;
        self.w
            .write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        self.w.flush()
    }
}

/// Pretty JSON with a final newline (control characters escaped: see `render::json`).
pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let mut s = json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// A heading line for a section of output, wrapped to the width.
pub fn heading(style: &Style, text: &str) -> String {
    format!(
        "{}\n",
        layout::wrap(&style.paint(Label::Header, text), style.width as usize)
    )
}

/// Prose (already escaped) wrapped to the width at spaces, ending with a line break.
pub fn prose(style: &Style, text: &str) -> String {
    let mut s = layout::wrap(text.trim_end(), style.width as usize);
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_array_written_element_by_element_is_the_whole_array() {
        let lists: Vec<Vec<serde_json::Value>> = vec![
            vec![],
            vec![serde_json::json!({"a": 1})],
            vec![
                serde_json::json!({"text": "line\nbreak \u{9b}", "list": [1, [], {}], "x": null}),
                serde_json::json!("plain"),
                serde_json::json!([{"deep": {"er": [true]}}]),
            ],
        ];
        for list in lists {
            let mut whole = Vec::new();
            json_to(&mut whole, &list).unwrap();
            let mut parts = Vec::new();
            let mut a = JsonArray::new(&mut parts);
            for v in &list {
                a.push(v).unwrap();
            }
            a.finish().unwrap();
            assert_eq!(String::from_utf8(parts), String::from_utf8(whole));
        }
    }

    #[test]
    fn rtl_cells_keep_the_table_aligned() {
        let style = Style {
            color: false,
            width: 60,
            wide: false,
        };
        let out = table(
            &style,
            &["lang", "text"],
            vec![
                vec!["ar".into(), "رابطة الدول المستقلة تبدأ".into()],
                vec!["en".into(), "bidi \u{202E}override".into()],
            ],
        );
        let widths: Vec<usize> = out.lines().map(display_width).collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{out}\n{widths:?}");
        assert!(out.contains("\u{2068}رابطة"), "{out}");
        assert!(out.contains("<U+202E>"), "{out}");
    }
}
