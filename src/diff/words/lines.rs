//! The line level: lines (a line takes the blank lines after it, and a heading line such
//! as `Article 3` the line after it too) compared by their bytes with the numbers of
//! their labels masked, so that an article keeps its counterpart when the articles are
//! renumbered. Where lines differ, the articles in the region are paired by content
//! ([`crate::diff::structure::align`]) and each pair is diffed on its own.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::time::Instant;

use similar::{capture_diff_slices_deadline, Algorithm, DiffOp};

use super::engine::Differ;
use super::units::count_words;
use super::FxBuild;
use crate::diff::structure::align::{pair_sections, Section};
use crate::diff::structure::labels::{label_of, Label};

/// The lines of one text.
pub(super) struct Lines<'a> {
    text: &'a str,
    /// Where each line starts, then the text's length.
    starts: Vec<usize>,
    ids: Vec<u32>,
    /// The lines that open with a label (line index, label with offsets in the text).
    labels: Vec<(usize, Label)>,
}

impl<'a> Lines<'a> {
    pub(super) fn new(
        text: &'a str,
        strict: bool,
        table: &mut HashMap<Cow<'a, str>, u32, FxBuild>,
    ) -> Lines<'a> {
        let (starts, labels) = line_starts(text);
        table.reserve(starts.len());
        let mut next_label = labels.iter().peekable();
        let ids = starts
            .windows(2)
            .enumerate()
            .map(|(i, w)| {
                let line = text.get(w[0]..w[1]).unwrap_or_default();
                let line = if strict { line } else { line.trim_end() };
                let key = match next_label.next_if(|(at, _)| *at == i) {
                    // The label's number masked: `Article 3` and `Article 4` are alike.
                    Some((_, label)) if !label.number.is_empty() => {
                        let (a, b) = (label.number.start - w[0], label.number.end - w[0]);
                        let mut masked = String::with_capacity(line.len());
                        masked.push_str(line.get(..a).unwrap_or_default());
                        masked.push('\u{0}');
                        masked.push_str(line.get(b..).unwrap_or_default());
                        Cow::Owned(masked)
                    }
                    _ => Cow::Borrowed(line),
                };
                let next = table.len() as u32;
                *table.entry(key).or_insert(next)
            })
            .collect();
        Lines {
            text,
            starts,
            ids,
            labels,
        }
    }

    fn bytes(&self, lines: Range<usize>) -> Range<usize> {
        let at = |i: usize| self.starts.get(i).copied().unwrap_or(0);
        at(lines.start)..at(lines.end)
    }

    fn label(&self, line: usize) -> Option<&Label> {
        let i = self.labels.partition_point(|(at, _)| *at < line);
        self.labels
            .get(i)
            .filter(|(at, _)| *at == line)
            .map(|(_, l)| l)
    }

    /// The labelled lines of a range, as sections running to the next one (or the end).
    fn sections(&self, lines: Range<usize>) -> Vec<Section<'a>> {
        let first = self.labels.partition_point(|(at, _)| *at < lines.start);
        let end = self.labels.partition_point(|(at, _)| *at < lines.end);
        let found = self.labels.get(first..end).unwrap_or_default();
        let stop = self.bytes(lines.clone()).end;
        found
            .iter()
            .enumerate()
            .map(|(k, (at, label))| {
                let start = self.starts.get(*at).copied().unwrap_or(0);
                let until = found
                    .get(k + 1)
                    .and_then(|(next, _)| self.starts.get(*next).copied())
                    .unwrap_or(stop);
                Section {
                    label: label.clone(),
                    text: self.text,
                    bytes: start..until,
                }
            })
            .collect()
    }
}

/// Where each line of `text` starts, then its length; and the labels that open lines. A
/// line takes the blank lines after it, so that blank lines, alike everywhere, do not
/// become anchors for the line diff; a heading line (a label and at most a short title)
/// takes the line after it too, so that it is compared with what it heads.
fn line_starts(text: &str) -> (Vec<usize>, Vec<(usize, Label)>) {
    let mut starts = vec![0];
    let mut labels = Vec::new();
    let mut end = 0;
    let mut glue = false;
    for line in text.split_inclusive('\n') {
        let start = end;
        end += line.len();
        let blank = line.trim().is_empty();
        let label = if blank { None } else { label_of(line) };
        let heading = label.as_ref().is_some_and(|l| l.heading_only);
        match starts.last_mut() {
            Some(last) if *last > 0 && (blank || (glue && !heading)) => {
                *last = end;
                glue &= blank;
            }
            _ => {
                if let Some(mut label) = label {
                    label.number = label.number.start + start..label.number.end + start;
                    label.span = label.span.start + start..label.span.end + start;
                    labels.push((starts.len() - 1, label));
                }
                starts.push(end);
                glue = heading;
            }
        }
    }
    (starts, labels)
}

/// Diffs `old` against `new` line by line into `differ`; see the module documentation.
pub(super) fn diff_lines(
    differ: &mut Differ<'_>,
    old: &Lines<'_>,
    new: &Lines<'_>,
    deadline: Option<Instant>,
) {
    let ops = capture_diff_slices_deadline(Algorithm::Myers, &old.ids, &new.ids, deadline);
    let words = |side: &Lines<'_>, lines: Range<usize>| {
        count_words(side.text.get(side.bytes(lines)).unwrap_or_default())
    };
    // Changed lines not yet handed to the differ (old and new lines), with their words.
    let mut pending: Option<(Range<usize>, Range<usize>, usize)> = None;
    for (k, op) in ops.iter().enumerate() {
        let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = *op
        else {
            let changed = words(old, op.old_range()) + words(new, op.new_range());
            pending = Some(match pending.take() {
                Some((o, n, w)) => (
                    o.start..op.old_range().end,
                    n.start..op.new_range().end,
                    w + changed,
                ),
                None => (op.old_range(), op.new_range(), changed),
            });
            continue;
        };
        // Equal lines between two changes with fewer words than either are not an anchor:
        // they join one region with both, whose word diff keeps them if that is best. (A
        // short equal line in a rewrite, matched first, would otherwise keep every word
        // before it from being matched with any after it: LGPL-2.1 → LGPL-3 lost 822
        // words' worth of matches to one such line.)
        if let (Some((_, _, before)), Some(next)) = (&pending, ops.get(k + 1)) {
            let limit = (*before).min(words(old, next.old_range()) + words(new, next.new_range()));
            let equal = old.text.get(old.bytes(op.old_range())).unwrap_or_default();
            if count_words_below(equal, limit) < limit {
                if let Some((o, n, w)) = pending.take() {
                    pending = Some((o.start..op.old_range().end, n.start..op.new_range().end, w));
                }
                continue;
            }
        }
        if let Some((o, n, _)) = pending.take() {
            changed_lines(differ, old, new, o, n, deadline);
        }
        for k in 0..len {
            let (o, n) = (old_index + k, new_index + k);
            let (old_line, new_line) = (old.bytes(o..o + 1), new.bytes(n..n + 1));
            if old.text.get(old_line.clone()) == new.text.get(new_line.clone()) {
                differ.same(old_line, new_line);
            } else {
                // Equal but for trailing whitespace or a label's number.
                counterparts(differ, old_line, new_line, old.label(o), new.label(n));
            }
        }
    }
    if let Some((o, n, _)) = pending.take() {
        changed_lines(differ, old, new, o, n, deadline);
    }
}

/// The words of `text`, counted up to `limit` (a long equal run is not scanned whole).
fn count_words_below(text: &str, limit: usize) -> usize {
    let mut count = 0;
    for line in text.split_inclusive('\n') {
        count += count_words(line);
        if count >= limit {
            break;
        }
    }
    count
}

/// Changed lines: deleted, inserted, or a region to diff further.
fn changed_lines(
    differ: &mut Differ<'_>,
    old: &Lines<'_>,
    new: &Lines<'_>,
    old_lines: Range<usize>,
    new_lines: Range<usize>,
    deadline: Option<Instant>,
) {
    match (old_lines.is_empty(), new_lines.is_empty()) {
        (false, true) => differ.delete_bytes(old.bytes(old_lines)),
        (true, false) => differ.insert_bytes(new.bytes(new_lines)),
        _ => changed(differ, old, new, old_lines, new_lines, deadline),
    }
}

/// Largest number of article pairs weighed in one changed region.
const MAX_SECTION_PAIRS: usize = 10_000;

/// A region of changed lines: the articles in it paired by content, each pair diffed from
/// its label on, what lies between diffed as it comes.
fn changed(
    differ: &mut Differ<'_>,
    old: &Lines<'_>,
    new: &Lines<'_>,
    old_lines: Range<usize>,
    new_lines: Range<usize>,
    deadline: Option<Instant>,
) {
    let (old_bytes, new_bytes) = (old.bytes(old_lines.clone()), new.bytes(new_lines.clone()));
    let old_sections = old.sections(old_lines);
    let new_sections = new.sections(new_lines);
    let weighed = old_sections.len() * new_sections.len();
    if weighed == 0 || weighed > MAX_SECTION_PAIRS || deadline.is_some_and(|d| Instant::now() >= d)
    {
        return differ.region(old_bytes, new_bytes);
    }
    let (mut o, mut n) = (old_bytes.start, new_bytes.start);
    for (i, j) in pair_sections(&old_sections, &new_sections, differ.strict()) {
        let (a, b) = (&old_sections[i], &new_sections[j]);
        differ.region(o..a.bytes.start, n..b.bytes.start);
        (o, n) = (a.bytes.start, b.bytes.start);
        if let Some((old_after, new_after)) = differ.renumber(&a.label, &b.label) {
            (o, n) = (old_after, new_after);
        }
    }
    differ.region(o..old_bytes.end, n..new_bytes.end);
}

/// Two lines equal but for trailing whitespace or their labels' numbers.
fn counterparts(
    differ: &mut Differ<'_>,
    old: Range<usize>,
    new: Range<usize>,
    old_label: Option<&Label>,
    new_label: Option<&Label>,
) {
    let (mut o, mut n) = (old.start, new.start);
    if let (Some(a), Some(b)) = (old_label, new_label) {
        if let Some(after) = differ.renumber(a, b) {
            (o, n) = after;
        }
    }
    differ.region(o..old.end, n..new.end);
}
