//! Pairing the articles (sections, list items) of a changed region by content: each
//! article is weighed against each one of the same kind on the other side by the words
//! they share (its label's number left out), and the pairs are chosen in order to give
//! the most shared content. So an inserted article does not pull every later one onto
//! its neighbour's text.

use std::hash::BuildHasher;
use std::ops::Range;

use super::labels::Label;
use crate::diff::normalize::{normalize_token_into, tokens, TokenKind};

/// Share of words two articles must have in common to be paired.
pub const SECTION_THRESHOLD: f64 = 0.5;

/// An article of a text: its label and its bytes (label line to the next label).
pub struct Section<'a> {
    pub label: Label,
    pub text: &'a str,
    pub bytes: Range<usize>,
}

impl Section<'_> {
    /// The article's words (its label's number aside), normalised and hashed, sorted.
    fn bag(&self, strict: bool) -> Vec<u64> {
        let mut scratch = String::new();
        let hasher = foldhash::fast::FixedState::default();
        let mut out: Vec<u64> = tokens(self.text.get(self.bytes.clone()).unwrap_or_default())
            .filter(|t| t.kind == TokenKind::Word)
            .filter(|t| self.bytes.start + t.start >= self.label.number.end)
            .map(|t| {
                let word = t.text(self.text.get(self.bytes.clone()).unwrap_or_default());
                normalize_token_into(word, strict, &mut scratch);
                hasher.hash_one(&scratch)
            })
            .collect();
        out.sort_unstable();
        out
    }
}

/// `2 × shared / (|a| + |b|)` of two sorted bags of words.
fn dice(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * shared as f64 / (a.len() + b.len()) as f64
}

/// The pairs `(old, new)` of articles, in order on both sides: of the same kind, at least
/// [`SECTION_THRESHOLD`] alike, with the greatest total likeness.
pub fn pair_sections(
    old: &[Section<'_>],
    new: &[Section<'_>],
    strict: bool,
) -> Vec<(usize, usize)> {
    let old_bags: Vec<Vec<u64>> = old.iter().map(|s| s.bag(strict)).collect();
    let new_bags: Vec<Vec<u64>> = new.iter().map(|s| s.bag(strict)).collect();
    let (m, n) = (old.len(), new.len());
    let score = |i: usize, j: usize| -> Option<f64> {
        if old[i].label.kind != new[j].label.kind {
            return None;
        }
        let s = dice(&old_bags[i], &new_bags[j]);
        (s >= SECTION_THRESHOLD).then_some(s)
    };
    // best[i][j]: the most likeness pairing old[..i] with new[..j].
    let mut best = vec![0.0f64; (m + 1) * (n + 1)];
    let at = |i: usize, j: usize| i * (n + 1) + j;
    let mut pair = vec![None; (m + 1) * (n + 1)];
    for i in 1..=m {
        for j in 1..=n {
            let mut b = best[at(i - 1, j)].max(best[at(i, j - 1)]);
            if let Some(s) = score(i - 1, j - 1) {
                let with = best[at(i - 1, j - 1)] + s;
                if with > b {
                    b = with;
                    pair[at(i, j)] = Some(s);
                }
            }
            best[at(i, j)] = b;
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (m, n);
    while i > 0 && j > 0 {
        if pair[at(i, j)].is_some() {
            out.push((i - 1, j - 1));
            i -= 1;
            j -= 1;
        } else if best[at(i - 1, j)] >= best[at(i, j - 1)] {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::structure::labels::label_of;

    fn sections(text: &str) -> Vec<Section<'_>> {
        let mut starts = Vec::new();
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            if let Some(mut label) = label_of(line) {
                label.number = label.number.start + at..label.number.end + at;
                starts.push((at, label));
            }
            at += line.len();
        }
        let ends: Vec<usize> = starts
            .iter()
            .skip(1)
            .map(|(s, _)| *s)
            .chain([text.len()])
            .collect();
        starts
            .into_iter()
            .zip(ends)
            .map(|((start, label), end)| Section {
                label,
                text,
                bytes: start..end,
            })
            .collect()
    }

    #[test]
    fn an_inserted_article_leaves_the_others_with_their_counterparts() {
        let old = "Article 3\nThe Parties shall exchange information.\nArticle 4\nThe Parties shall hold joint exercises every year.\n";
        let new = "Article 3\nClassified information shall not be disclosed to third States.\nArticle 4\nThe Parties shall exchange information.\nArticle 5\nThe Parties shall hold joint exercises every two years.\n";
        let pairs = pair_sections(&sections(old), &sections(new), false);
        assert_eq!(pairs, [(0, 1), (1, 2)]);
    }
}
