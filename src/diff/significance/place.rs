//! Where a change is: its line in each text, the nearest heading above it, and a few words
//! of context.

use std::ops::Range;

use super::scan;

/// Words of context kept each side of a change in `from_context` / `to_context`.
const CONTEXT_WORDS: usize = 5;

/// The changed passage with [`CONTEXT_WORDS`] words each side, whitespace collapsed;
/// `None` when the text is empty.
pub(super) fn context(text: &str, span: &Range<usize>) -> Option<String> {
    let before = text.get(..span.start).unwrap_or_default();
    let start = reach(before.char_indices().rev()).map_or(span.start, |(i, _)| i);
    let after = text.get(span.end..).unwrap_or_default();
    let end = reach(after.char_indices()).map_or(span.end, |(i, c)| span.end + i + c.len_utf8());
    let s = text
        .get(start..end)
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!s.is_empty()).then_some(s)
}

/// The last character of up to [`CONTEXT_WORDS`] words walked from a change (either way),
/// never past the end of its line.
fn reach(chars: impl Iterator<Item = (usize, char)>) -> Option<(usize, char)> {
    let (mut words, mut in_word, mut last) = (0, false, None);
    for (i, c) in chars {
        if c == '\n' {
            break; // context stays on the change's line
        }
        if c.is_whitespace() {
            if in_word {
                words += 1;
                if words >= CONTEXT_WORDS {
                    break;
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
        last = Some((i, c));
    }
    last
}

/// Line starts of a text, for line numbers and headings.
pub(super) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(super) fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line holding byte `at` (a change starting with whitespace counts on the
    /// line of its first word).
    pub(super) fn line(&self, at: usize) -> usize {
        self.starts.partition_point(|&s| s <= at).max(1)
    }

    /// The nearest heading on or above the line of `at` (looking back 400 lines).
    pub(super) fn heading_before(&self, text: &str, at: usize) -> Option<String> {
        let line = self.line(at);
        (line.saturating_sub(400)..line).rev().find_map(|l| {
            let start = self.starts[l];
            let end = self.starts.get(l + 1).copied().unwrap_or(text.len());
            scan::heading_of(text.get(start..end).unwrap_or_default())
        })
    }
}
