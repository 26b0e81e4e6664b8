//! Fitting text to a terminal: display widths, word wrapping, and the column plan of a
//! table (which columns show, how wide, which header and id forms) for a given width.
//!
//! **Widths** are what a terminal draws: the sum of each character's width
//! ([`unicode_width::UnicodeWidthChar`], the wcwidth rules terminals follow), with ANSI
//! colour codes taking none. Not [`unicode_width::UnicodeWidthStr`]: since 0.1.13 it
//! measures an Arabic lam-alef pair (`لا`, `لأ`) as the one-cell ligature a font shapes,
//! but terminals (xterm, VTE, tmux, kitty) give each of the two letters its own cell, so a
//! table measured that way loses a cell per pair and its borders break. Combining marks
//! (Arabic harakat, U+0301) are zero-width in both, as terminals draw them.
//!
//! **Wrapping** breaks at spaces only; a word wider than its column is broken at its own
//! joints (`-`, `/`, `.`, `_`, `?`, `&`, `=`) and, failing those, between grapheme clusters.
//!
//! **Fitting** a table (see [`plan`]): empty columns are left out; headers give way to
//! their short form; id columns show each id's shortest unique prefix (cut at a hyphen,
//! marked `…`; the store resolves it) when the whole id does not fit; then columns are
//! dropped in their stated order (lowest `drop` first) until the table fits, and the
//! caller says which were dropped. `--wide` (`Style::wide`) keeps every column and id whole.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthChar;

/// The columns a terminal draws for `s` (ANSI escape sequences take none).
pub fn display_width(s: &str) -> usize {
    let mut w = 0;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            skip_escape(&mut chars);
            continue;
        }
        w += c.width().unwrap_or(0);
    }
    w
}

/// Skips the rest of an escape sequence whose ESC was just read (CSI `ESC [ … final`, or a
/// two-character escape).
fn skip_escape(chars: &mut std::str::Chars<'_>) {
    if chars.next() == Some('[') {
        for c in chars.by_ref() {
            if ('\u{40}'..='\u{7e}').contains(&c) {
                break;
            }
        }
    }
}

/// The widest line of `text`.
pub fn max_line_width(text: &str) -> usize {
    text.split('\n').map(display_width).max().unwrap_or(0)
}

/// The widest word of `text`.
pub fn longest_word(text: &str) -> usize {
    text.split(['\n', ' '])
        .map(display_width)
        .max()
        .unwrap_or(0)
}

/// `text` wrapped to `width` columns: lines break at spaces; a word wider than `width` is
/// broken at its joints or between graphemes. Existing line breaks are kept. A colour
/// (ANSI SGR) open at a break is closed before it and reopened after, so it never bleeds
/// into a table's padding or border.
pub fn wrap(text: &str, width: usize) -> String {
    let width = width.max(1);
    let mut lines: Vec<String> = Vec::new();
    for source in text.split('\n') {
        // A line's indent is kept, and continued on the lines it wraps into.
        let body = source.trim_start_matches(' ');
        let indent = &source[..source.len() - body.len()];
        let indent = if indent.len() * 2 > width { "" } else { indent };
        let width = width - indent.len();
        let first = lines.len();
        wrap_line(body, width, &mut lines);
        for l in &mut lines[first..] {
            if !l.is_empty() {
                l.insert_str(0, indent);
            }
        }
    }
    carry_colours(&lines)
}

fn wrap_line(source: &str, width: usize, lines: &mut Vec<String>) {
    {
        let mut line = String::new();
        let mut line_w = 0;
        for (i, word) in source.split(' ').enumerate() {
            let w = display_width(word);
            let gap = usize::from(i > 0 && line_w > 0);
            if line_w + gap + w <= width {
                if i > 0 && (line_w > 0 || !line.is_empty()) {
                    line.push(' ');
                    line_w += gap;
                }
                line.push_str(word);
                line_w += w;
                continue;
            }
            if w <= width {
                lines.push(std::mem::take(&mut line));
                line.push_str(word);
                line_w = w;
                continue;
            }
            // A word wider than the column: start it on the current line when a useful
            // part fits, else on its own.
            let room = width.saturating_sub(line_w + gap);
            if line_w > 0 && room < 4 {
                lines.push(std::mem::take(&mut line));
                line_w = 0;
            } else if line_w > 0 {
                line.push(' ');
                line_w += 1;
            }
            let pieces = break_word(word, width - line_w, width);
            let last = pieces.len().saturating_sub(1);
            for (pi, p) in pieces.into_iter().enumerate() {
                line.push_str(&p);
                line_w += display_width(&p);
                if pi < last {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0;
                }
            }
        }
        lines.push(line);
    }
}

/// Breaks one word into pieces: the first at most `first` columns wide, the others at most
/// `width`, preferring to cut after a joint.
fn break_word(word: &str, first: usize, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut piece = String::new();
    let mut piece_w = 0;
    let mut joint: Option<(usize, usize)> = None; // byte end and width of the piece up to the last joint
    let mut limit = first.max(1);
    for g in word.graphemes(true) {
        let gw = display_width(g);
        if piece_w + gw > limit && piece_w > 0 {
            let (cut, cut_w) = joint.unwrap_or((piece.len(), piece_w));
            out.push(piece[..cut].to_string());
            piece = piece[cut..].to_string();
            piece_w -= cut_w;
            joint = None;
            limit = width.max(1);
        }
        piece.push_str(g);
        piece_w += gw;
        if matches!(g, "-" | "/" | "." | "_" | "?" | "&" | "=") {
            joint = Some((piece.len(), piece_w));
        }
    }
    out.push(piece);
    out
}

/// Closes a colour still open at the end of a line and reopens it on the next.
fn carry_colours(lines: &[String]) -> String {
    let mut out = String::new();
    let mut open = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if !open.is_empty() {
            out.push_str(&open);
        }
        out.push_str(line);
        // Follow the SGR codes of this line.
        let mut rest = line.as_str();
        while let Some(at) = rest.find("\x1b[") {
            let tail = &rest[at + 2..];
            let end = tail.find(|c: char| ('\u{40}'..='\u{7e}').contains(&c));
            let Some(end) = end else { break };
            let code = &rest[at..at + 2 + end + 1];
            if code.ends_with('m') {
                if code == "\x1b[0m" || code == "\x1b[m" {
                    open.clear();
                } else {
                    open.push_str(code);
                }
            }
            rest = &tail[end + 1..];
        }
        if !open.is_empty() && i + 1 < lines.len() {
            out.push_str("\x1b[0m");
        }
    }
    out
}

/// Words up to this width are never broken; longer ones (URLs, paths) break at their
/// joints when their column is narrower.
pub const LONG_WORD: usize = 20;

/// A prose column is given at least this width (or its whole text, when narrower) before
/// other columns; below it, droppable columns go first.
pub const PROSE_MIN: usize = 24;

/// What a column holds, for fitting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Prose or short words: wraps at spaces.
    Text,
    /// Statement ids or refs: never broken; shortened to a unique prefix when they do not fit.
    Id,
    /// Never broken nor shortened (initiative ids, which must be typed whole).
    Whole,
}

/// A column of a table and how it gives way at narrow widths.
#[derive(Debug, Clone)]
pub struct Column {
    pub header: String,
    /// A shorter header used when the column is narrower than `header`.
    pub short: Option<String>,
    /// When columns must go, the lowest `drop` goes first; `None`: never dropped.
    pub drop: Option<u8>,
    pub kind: Kind,
    /// Kept even when every cell is empty.
    pub keep_empty: bool,
    /// Prose: columns are dropped before it gets narrower than [`PROSE_MIN`].
    pub prose: bool,
    /// Cells centred (rank and mark columns).
    pub center: bool,
    /// Never wider than this (its text wraps instead).
    pub max: Option<usize>,
}

impl Column {
    /// A column of text that is never dropped.
    pub fn new(header: impl Into<String>) -> Column {
        Column {
            header: header.into(),
            short: None,
            drop: None,
            kind: Kind::Text,
            keep_empty: false,
            prose: false,
            center: false,
            max: None,
        }
    }

    /// Dropped at narrow widths, in order of `rank` (1 first).
    pub fn drop(mut self, rank: u8) -> Column {
        self.drop = Some(rank);
        self
    }

    /// Shown as `short` when narrow.
    pub fn short(mut self, short: impl Into<String>) -> Column {
        self.short = Some(short.into());
        self
    }

    /// Holds words that are never broken nor shortened.
    pub fn whole(mut self) -> Column {
        self.kind = Kind::Whole;
        self
    }

    /// Holds ids: never broken, shortened when needed.
    pub fn id(mut self) -> Column {
        self.kind = Kind::Id;
        self
    }

    /// Holds prose, which needs some room to read (see [`PROSE_MIN`]).
    pub fn prose(mut self) -> Column {
        self.prose = true;
        self
    }

    /// Cells centred.
    pub fn center(mut self) -> Column {
        self.center = true;
        self
    }

    /// At most `width` columns wide.
    pub fn max(mut self, width: usize) -> Column {
        self.max = Some(width);
        self
    }

    /// Shown even when empty.
    pub fn keep_empty(mut self) -> Column {
        self.keep_empty = true;
        self
    }
}

/// The borders and padding a table of `n` columns takes (`│ a ┆ b │`).
pub fn overhead(n: usize) -> usize {
    3 * n + 1
}

/// How one table is laid out at one width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The indices of the columns shown, in order.
    pub shown: Vec<usize>,
    /// Their content widths.
    pub widths: Vec<usize>,
    /// Their headers (short forms where narrow).
    pub headers: Vec<String>,
    /// Columns dropped to fit (not the empty ones), by header.
    pub dropped: Vec<String>,
}

/// Plans a table of `columns` holding `cells` (already escaped, one `Vec` per row) for
/// `width` columns. `fit_id` gives an id's form for a width (see [`short_id`]).
pub fn plan(
    columns: &[Column],
    cells: &[Vec<String>],
    width: usize,
    wide: bool,
    fit_id: &dyn Fn(&str, usize) -> String,
) -> Plan {
    let short_id_width = |id: &str| display_width(&fit_id(id, 0));
    let n = columns.len();
    let mut natural = vec![0usize; n];
    let mut min = vec![0usize; n];
    let mut empty = vec![true; n];
    for row in cells {
        for (i, text) in row.iter().enumerate().take(n) {
            if !text.trim().is_empty() {
                empty[i] = false;
            }
            natural[i] = natural[i].max(max_line_width(text));
            let least = match columns[i].kind {
                Kind::Id if !wide => text
                    .split('\n')
                    .map(|l| short_id_width(l.trim()))
                    .max()
                    .unwrap_or(0),
                // Longer words (URLs, paths) may break at their joints.
                Kind::Text => longest_word(text).min(LONG_WORD),
                _ => longest_word(text),
            };
            min[i] = min[i].max(least);
        }
    }
    let header_min = |c: &Column| {
        let h = c.short.as_deref().unwrap_or(&c.header);
        longest_word(h).min(longest_word(&c.header))
    };
    for (i, c) in columns.iter().enumerate() {
        natural[i] = natural[i].max(max_line_width(&c.header));
        min[i] = min[i].max(header_min(c));
        if let Some(max) = c.max {
            natural[i] = natural[i].min(max).max(min[i]);
        }
        if c.prose {
            min[i] = min[i].max(natural[i].min(PROSE_MIN));
        }
    }
    let mut shown: Vec<usize> = (0..n)
        .filter(|&i| !empty[i] || columns[i].keep_empty || cells.is_empty())
        .collect();
    let total = |shown: &[usize], w: &[usize]| -> usize {
        overhead(shown.len()) + shown.iter().map(|&i| w[i]).sum::<usize>()
    };
    let mut dropped = Vec::new();
    if !wide {
        while total(&shown, &min) > width {
            let victim = shown
                .iter()
                .enumerate()
                .filter_map(|(pos, &i)| columns[i].drop.map(|r| (r, pos)))
                .min();
            let Some((_, pos)) = victim else { break };
            dropped.push(columns[shown[pos]].header.clone());
            shown.remove(pos);
        }
    }
    // Still too wide: long words give way (broken at their joints), longest first.
    let mut widths: Vec<usize> = shown.iter().map(|&i| min[i]).collect();
    let mut budget = width.saturating_sub(overhead(shown.len()));
    if wide {
        // Whole words and ids, even past the width.
        budget = budget.max(widths.iter().sum());
    }
    while widths.iter().sum::<usize>() > budget {
        let (pos, w) = widths
            .iter()
            .enumerate()
            .max_by_key(|(_, w)| **w)
            .map(|(p, w)| (p, *w))
            .unwrap_or((0, 0));
        let floor = header_min(&columns[shown[pos]]).max(6);
        if w <= floor {
            break;
        }
        widths[pos] = w - 1;
    }
    // Share what is left, water-filling towards each column's natural width; then an id
    // column that cannot use all it got (ids shorten at hyphens) hands the rest on.
    let mut left = budget.saturating_sub(widths.iter().sum());
    let all: Vec<usize> = (0..shown.len()).collect();
    fill(&mut widths, &mut left, &all, &|p| natural[shown[p]]);
    let mut others = Vec::new();
    for p in 0..shown.len() {
        let i = shown[p];
        if columns[i].kind != Kind::Id || wide {
            others.push(p);
            continue;
        }
        let used = cells
            .iter()
            .filter_map(|r| r.get(i))
            .flat_map(|t| t.split('\n'))
            .map(|id| display_width(&fit_id(id.trim(), widths[p])))
            .max()
            .unwrap_or(0)
            .max(min[i]);
        if used < widths[p] {
            left += widths[p] - used;
            widths[p] = used;
        }
    }
    fill(&mut widths, &mut left, &others, &|p| natural[shown[p]]);
    let headers = shown
        .iter()
        .zip(&widths)
        .map(|(&i, &w)| {
            let c = &columns[i];
            match &c.short {
                Some(s) if max_line_width(&c.header) > w => s.clone(),
                _ => c.header.clone(),
            }
        })
        .collect();
    Plan {
        shown,
        widths,
        headers,
        dropped,
    }
}

/// Gives the columns at `positions` equal shares of `left`, each up to its `natural` width.
fn fill(
    widths: &mut [usize],
    left: &mut usize,
    positions: &[usize],
    natural: &dyn Fn(usize) -> usize,
) {
    loop {
        let hungry: Vec<usize> = positions
            .iter()
            .copied()
            .filter(|&p| widths[p] < natural(p))
            .collect();
        if hungry.is_empty() || *left == 0 {
            break;
        }
        let share = (*left / hungry.len()).max(1);
        for p in hungry {
            if *left == 0 {
                break;
            }
            let give = share.min(natural(p) - widths[p]).min(*left);
            widths[p] += give;
            *left -= give;
        }
    }
}

/// `id` cut at a hyphen to fit `width` columns and marked `…`, but never shorter than its
/// shortest prefix that no other id in `universe` shares (the store resolves such a
/// prefix, `…` and all). The whole id when it fits, or when no prefix is unique.
pub fn short_id(id: &str, width: usize, universe: &[&str]) -> String {
    if display_width(id) <= width {
        return id.to_string();
    }
    // A prefix names at least one word that is not a number (not the bare date most ids
    // start with).
    let cuts: Vec<usize> = id
        .match_indices('-')
        .map(|(i, _)| i)
        .filter(|&i| id[..i].split('-').any(|w| w.parse::<u64>().is_err()))
        .collect();
    let unique = |prefix: &str| {
        universe
            .iter()
            .filter(|other| **other != id && other.starts_with(prefix))
            .count()
            == 0
    };
    let mut best: Option<usize> = None;
    for &cut in &cuts {
        let prefix = &id[..cut];
        if !unique(prefix) {
            continue;
        }
        if best.is_none() || display_width(prefix) < width {
            best = Some(cut);
        }
        if display_width(prefix) + 1 > width {
            break;
        }
    }
    match best {
        Some(cut) => format!("{}…", &id[..cut]),
        None => id.to_string(),
    }
}

/// The width of [`short_id`]'s shortest form of `id`.
pub fn short_id_width(id: &str, universe: &[&str]) -> usize {
    display_width(&short_id(id, 0, universe))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_widths() {
        // lam-alef: two cells in a terminal, one in UnicodeWidthStr.
        assert_eq!(display_width("لا"), 2);
        assert_eq!(display_width("لأ"), 2);
        // Harakat and combining accents take no cell.
        assert_eq!(display_width("مُحَمَّد"), 4);
        assert_eq!(display_width("e\u{301}"), 1);
        assert_eq!(display_width("\x1b[31mred\x1b[0m"), 3);
        assert_eq!(display_width("Привет"), 6);
        assert_eq!(display_width("中文"), 4);
    }

    #[test]
    fn wraps_at_spaces_and_breaks_only_long_words() {
        assert_eq!(
            wrap("joint air defence system", 10),
            "joint air\ndefence\nsystem"
        );
        assert_eq!(
            wrap("see https://example.org/a/b/c", 14),
            "see https://\nexample.org/a/\nb/c"
        );
        for l in wrap("لا يمكن تحقيق الأمن بلا تعاون", 8).lines() {
            assert!(display_width(l) <= 8, "{l}");
        }
    }

    #[test]
    fn colours_do_not_cross_line_breaks() {
        let s = wrap("\x1b[31mone two three\x1b[0m four", 10);
        assert_eq!(s, "\x1b[31mone two\x1b[0m\n\x1b[31mthree\x1b[0m four");
    }

    #[test]
    fn ids_shorten_to_unique_prefixes() {
        let ids = [
            "2025-09-24-lebedev-greeting-chiefs-of-staff-minsk",
            "2025-09-24-dashkin-joint-air-defence-funds",
            "2025-10-10-council-of-heads-of-state-adopts-concept-2030",
        ];
        assert_eq!(short_id(ids[0], 100, &ids), ids[0]);
        assert_eq!(short_id(ids[0], 0, &ids), "2025-09-24-lebedev…");
        assert_eq!(short_id(ids[0], 30, &ids), "2025-09-24-lebedev-greeting…");
        assert_eq!(short_id(ids[2], 12, &ids), "2025-10-10-council…");
        assert_eq!(short_id_width(ids[1], &ids), 19);
    }

    #[test]
    fn plans_drop_in_order_and_keep_words_whole() {
        let cols = [
            Column::new("date"),
            Column::new("speaker"),
            Column::new("outlet").drop(1),
            Column::new("stage").drop(2),
            Column::new("empty").drop(3),
        ];
        let cells = vec![vec![
            "2025-10-10".to_string(),
            "Sergei Lebedev".to_string(),
            "news.rambler.ru".to_string(),
            "drafting".to_string(),
            String::new(),
        ]];
        let keep = |id: &str, _: usize| id.to_string();
        let wide = plan(&cols, &cells, 200, false, &keep);
        assert_eq!(wide.shown, [0, 1, 2, 3]);
        assert!(wide.dropped.is_empty());
        let narrow = plan(&cols, &cells, 40, false, &keep);
        assert_eq!(narrow.shown, [0, 1, 3]);
        assert_eq!(narrow.dropped, ["outlet"]);
        assert!(overhead(3) + narrow.widths.iter().sum::<usize>() <= 40);
        let all = plan(&cols, &cells, 40, true, &keep);
        assert_eq!(all.shown, [0, 1, 2, 3]);
    }
}
