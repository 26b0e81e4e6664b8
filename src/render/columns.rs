//! Text as lines of marked segments wrapped to a width: a wording diff inline, or the two
//! wordings in two columns aligned by sentence (`diff --side-by-side` and `browse`).
//! Pure: `diff` prints these lines with colour or wdiff's marks, the browser draws them.
//!
//! Widths are measured as terminals draw them ([`display_width`]); lines break at spaces,
//! a word wider than its column between grapheme clusters. Text is escaped first
//! ([`escape_line`] per line), so a record's control characters never reach a terminal.

use unicode_segmentation::UnicodeSegmentation;

use super::layout::display_width;
use super::{has_rtl, Label, Style};
use crate::diff::sentences::{SentenceChange, SentenceStatus};
use crate::diff::{OpKind, WordOp};
use crate::escape::escape_line;

/// A run of text with one meaning.
#[derive(Debug, Clone, PartialEq)]
pub struct Seg {
    pub text: String,
    pub label: Label,
}

impl Seg {
    pub fn new(text: impl Into<String>, label: Label) -> Seg {
        Seg {
            text: text.into(),
            label,
        }
    }
}

/// One line on the screen.
pub type Line = Vec<Seg>;

/// The columns `line` takes.
pub fn line_width(line: &[Seg]) -> usize {
    line.iter().map(|s| display_width(&s.text)).sum()
}

/// The text of a line without its marks' meaning.
pub fn line_text(line: &[Seg]) -> String {
    line.iter().map(|s| s.text.as_str()).collect()
}

/// A word diff as segments: unchanged text plain, deletions `Removed`, insertions
/// `Added`; with `marks`, deletions and insertions also written `[-…-]` and `{+…+}` (for
/// output without colour). `keep` picks the ops shown (one side of a side-by-side row).
pub fn ops_segs(ops: &[WordOp], marks: bool, keep: impl Fn(OpKind) -> bool) -> Vec<Seg> {
    let mut out = Vec::new();
    for op in ops.iter().filter(|o| keep(o.op)) {
        match op.op {
            OpKind::Equal => out.push(Seg::new(op.text.clone(), Label::Plain)),
            OpKind::Delete | OpKind::Insert => {
                let label = if op.op == OpKind::Delete {
                    Label::Removed
                } else {
                    Label::Added
                };
                let core = op.text.trim();
                if core.is_empty() {
                    out.push(Seg::new(op.text.clone(), Label::Plain));
                    continue;
                }
                let lead = &op.text[..op.text.len() - op.text.trim_start().len()];
                let trail = &op.text[op.text.trim_end().len()..];
                let core = match (marks, op.op) {
                    (false, _) => core.to_string(),
                    (true, OpKind::Delete) => format!("[-{core}-]"),
                    (true, _) => format!("{{+{core}+}}"),
                };
                out.push(Seg::new(lead, Label::Plain));
                out.push(Seg::new(core, label));
                out.push(Seg::new(trail, Label::Plain));
            }
        }
    }
    out.retain(|s| !s.text.is_empty());
    out
}

enum Token<'a> {
    Break,
    Space,
    Word(&'a str),
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push(Token::Break);
        }
        let mut rest = line;
        while !rest.is_empty() {
            let space = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            if space > 0 {
                out.push(Token::Space);
                rest = &rest[space..];
                continue;
            }
            let end = rest.find([' ', '\t']).unwrap_or(rest.len());
            out.push(Token::Word(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

/// `segs` wrapped to `width` columns (line breaks in the text kept, spaces at a break
/// dropped); also the line each segment starts on.
pub fn wrap(segs: &[Seg], width: usize) -> (Vec<Line>, Vec<usize>) {
    let width = width.max(1);
    let mut lines: Vec<Line> = Vec::new();
    let mut line: Line = Vec::new();
    let mut line_w = 0;
    let mut starts = Vec::with_capacity(segs.len());
    let push = |line: &mut Line, text: &str, label: Label| match line.last_mut() {
        Some(last) if last.label == label => last.text.push_str(text),
        _ => line.push(Seg::new(text, label)),
    };
    let end_line = |lines: &mut Vec<Line>, line: &mut Line| {
        while let Some(last) = line.last_mut() {
            let trimmed = last.text.trim_end_matches(' ').len();
            last.text.truncate(trimmed);
            if last.text.is_empty() {
                line.pop();
            } else {
                break;
            }
        }
        lines.push(std::mem::take(line));
    };
    for seg in segs {
        starts.push(lines.len());
        let mut first = true;
        let text: Vec<String> = seg.text.split('\n').map(escape_line).collect();
        let text = text.join("\n");
        for token in tokens(&text) {
            match token {
                Token::Break => {
                    end_line(&mut lines, &mut line);
                    line_w = 0;
                }
                Token::Space => {
                    let ends_in_space = line.last().is_some_and(|s| s.text.ends_with(' '));
                    if line_w > 0 && line_w < width && !ends_in_space {
                        push(&mut line, " ", seg.label);
                        line_w += 1;
                    }
                }
                Token::Word(word) => {
                    let w = display_width(word);
                    if line_w + w > width && line_w > 0 {
                        end_line(&mut lines, &mut line);
                        line_w = 0;
                    }
                    if first {
                        *starts.last_mut().expect("pushed above") = lines.len();
                        first = false;
                    }
                    if w <= width - line_w {
                        push(&mut line, word, seg.label);
                        line_w += w;
                        continue;
                    }
                    for g in word.graphemes(true) {
                        let gw = display_width(g);
                        if line_w + gw > width && line_w > 0 {
                            end_line(&mut lines, &mut line);
                            line_w = 0;
                        }
                        push(&mut line, g, seg.label);
                        line_w += gw;
                    }
                }
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        end_line(&mut lines, &mut line);
    }
    (lines, starts)
}

/// `segs` wrapped to `width`, the first line after `first`, the others indented as wide.
pub fn hanging(first: Vec<Seg>, segs: &[Seg], width: usize) -> Vec<Line> {
    let indent = line_width(&first);
    let (lines, _) = wrap(segs, width.saturating_sub(indent).max(8));
    lines
        .into_iter()
        .enumerate()
        .map(|(i, mut l)| {
            let head = if i == 0 {
                first.clone()
            } else {
                vec![Seg::new(" ".repeat(indent), Label::Plain)]
            };
            let mut out = head;
            out.append(&mut l);
            out
        })
        .collect()
}

/// The columns between the two sides of a row.
pub const GUTTER: usize = 3;

/// The width of each side for a total width.
pub fn side_width(total: usize) -> usize {
    (total.saturating_sub(GUTTER) / 2).max(8)
}

/// One sentence row of a side-by-side view: what became of it, and each side's lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub status: SentenceStatus,
    pub left: Vec<Line>,
    pub right: Vec<Line>,
}

impl Row {
    /// How many lines the row takes.
    pub fn height(&self) -> usize {
        self.left.len().max(self.right.len()).max(1)
    }
}

/// The mark between the two sides: `│` kept, `~` reworded, `-` removed, `+` added,
/// `↕` moved.
pub fn gutter(status: SentenceStatus) -> (&'static str, Label) {
    match status {
        SentenceStatus::Kept => (" │ ", Label::Dim),
        SentenceStatus::Reworded => (" ~ ", Label::Changed),
        SentenceStatus::Removed => (" - ", Label::Removed),
        SentenceStatus::Added => (" + ", Label::Added),
        SentenceStatus::Moved => (" ↕ ", Label::Moved),
    }
}

/// The sentence alignment as rows of two columns, each `width` wide: the old sentence
/// left (deletions marked), the new one right (insertions marked).
pub fn side_by_side(rows: &[SentenceChange], width: usize, marks: bool) -> Vec<Row> {
    let one_line = |s: &Option<String>| s.as_deref().unwrap_or("").trim().replace('\n', " ");
    rows.iter()
        .map(|r| {
            let (left, right) = match r.status {
                SentenceStatus::Reworded if !r.ops.is_empty() => {
                    let flat: Vec<WordOp> = r
                        .ops
                        .iter()
                        .map(|o| WordOp {
                            text: o.text.replace('\n', " "),
                            ..o.clone()
                        })
                        .collect();
                    (
                        ops_segs(&flat, marks, |k| k != OpKind::Insert),
                        ops_segs(&flat, marks, |k| k != OpKind::Delete),
                    )
                }
                status => {
                    let (l, rl) = match status {
                        SentenceStatus::Kept => (Label::Plain, Label::Plain),
                        SentenceStatus::Moved => (Label::Moved, Label::Moved),
                        _ => (Label::Removed, Label::Added),
                    };
                    let side = |t: String, label| {
                        if t.is_empty() {
                            Vec::new()
                        } else if marks && matches!(status, SentenceStatus::Removed) {
                            vec![Seg::new(format!("[-{t}-]"), label)]
                        } else if marks && matches!(status, SentenceStatus::Added) {
                            vec![Seg::new(format!("{{+{t}+}}"), label)]
                        } else {
                            vec![Seg::new(t, label)]
                        }
                    };
                    (side(one_line(&r.from), l), side(one_line(&r.to), rl))
                }
            };
            let trim = |segs: Vec<Seg>| -> Vec<Line> {
                let segs: Vec<Seg> = segs
                    .into_iter()
                    .map(|mut s| {
                        if s.label == Label::Plain {
                            s.text = s.text.trim_matches('\n').to_string();
                        }
                        s
                    })
                    .collect();
                if segs.iter().all(|s| s.text.trim().is_empty()) {
                    return Vec::new();
                }
                wrap(&segs, width).0
            };
            Row {
                status: r.status,
                left: trim(left),
                right: trim(right),
            }
        })
        .collect()
}

/// A row's lines as single screen lines: the left side padded to `width`, the gutter,
/// the right side.
pub fn row_lines(row: &Row, width: usize) -> Vec<Line> {
    let (mark, label) = gutter(row.status);
    (0..row.height())
        .map(|i| {
            let mut line: Line = row.left.get(i).cloned().unwrap_or_default();
            let pad = width.saturating_sub(line_width(&line));
            line.push(Seg::new(" ".repeat(pad), Label::Plain));
            line.push(Seg::new(mark, label));
            line.extend(row.right.get(i).cloned().unwrap_or_default());
            line
        })
        .collect()
}

/// A line as terminal text: colour when the style has it; each side of a side-by-side
/// line holding right-to-left text in an isolate, so a bidi terminal keeps it in its
/// column (the marks take no columns).
pub fn to_text(style: &Style, line: &[Seg]) -> String {
    let mut out = String::new();
    let mut part = String::new();
    let flush = |out: &mut String, part: &mut String| {
        if has_rtl(part) {
            let body = part.trim_end_matches(' ');
            let pad = &part[body.len()..];
            out.push('\u{2068}');
            out.push_str(body);
            out.push('\u{2069}');
            out.push_str(pad);
        } else {
            out.push_str(part);
        }
        part.clear();
    };
    for seg in line {
        let is_gutter = [" │ ", " ~ ", " - ", " + ", " ↕ "].contains(&seg.text.as_str());
        if is_gutter {
            flush(&mut out, &mut part);
            out.push_str(&style.paint(seg.label, &seg.text));
        } else {
            part.push_str(&style.paint(seg.label, &seg.text));
        }
    }
    flush(&mut out, &mut part);
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(t: &str) -> Seg {
        Seg::new(t, Label::Plain)
    }

    #[test]
    fn wraps_at_spaces_and_keeps_where_each_segment_starts() {
        let segs = [
            plain("one two three "),
            Seg::new("four", Label::Added),
            plain(" five\nsix"),
        ];
        let (lines, starts) = wrap(&segs, 9);
        let texts: Vec<String> = lines.iter().map(|l| line_text(l)).collect();
        assert_eq!(texts, ["one two", "three", "four five", "six"]);
        assert_eq!(starts, [0, 2, 2]);
        assert!(lines.iter().all(|l| line_width(l) <= 9));
    }

    #[test]
    fn a_long_word_breaks_between_graphemes_and_lam_alef_takes_two_cells() {
        let (lines, _) = wrap(&[plain("لالالالا")], 3);
        assert!(lines.iter().all(|l| line_width(l) <= 3), "{lines:?}");
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn control_characters_are_escaped() {
        let (lines, _) = wrap(&[plain("a\u{1b}[2Jb")], 40);
        assert_eq!(line_text(&lines[0]), "a<U+001B>[2Jb");
    }

    #[test]
    fn rtl_sides_are_isolated_in_their_column() {
        let style = Style {
            color: false,
            width: 80,
            wide: false,
        };
        let row = Row {
            status: SentenceStatus::Reworded,
            left: vec![vec![plain("الأمن")]],
            right: vec![vec![plain("security")]],
        };
        let line = &row_lines(&row, 10)[0];
        assert_eq!(
            to_text(&style, line),
            "\u{2068}الأمن\u{2069}      ~ security"
        );
    }
}
