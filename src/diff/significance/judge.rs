//! Judging one hunk: the markers its changes touch on each side, compared for a change of
//! commitment, negation, number or year.

use std::ops::Range;

use super::hunk::{whole_sentences, word_count, Hunk};
use super::scan::{self, Mark, Marker, Word};
use super::{Change, Direction, Kind};
use crate::diff::lang::{Analyzer, Lang};

/// Commitment of a passage without any modal: a plain statement is a firm one.
const PLAIN: u8 = 3;
/// Bytes looked at each side of a change for phrases and context.
const WINDOW_BYTES: usize = 160;
/// A change this small (changed words on the larger side) with at most
/// [`SMALL_DELTA`] words' difference between sides is an edit of a kept passage.
const SMALL_WORDS: usize = 6;
const SMALL_DELTA: usize = 3;
/// Passages compared for modality when both sides changed this many words at most.
pub(super) const COMPARABLE_WORDS: usize = 40;

/// `range` widened by up to [`WINDOW_BYTES`] each side, to whitespace.
fn window(text: &str, range: &Range<usize>) -> Range<usize> {
    let mut start = range.start.saturating_sub(WINDOW_BYTES);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    if start > 0 {
        start = text
            .get(start..range.start)
            .and_then(|t| t.find(char::is_whitespace))
            .map_or(range.start, |i| start + i);
    }
    let mut end = (range.end + WINDOW_BYTES).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    if end < text.len() {
        end = text
            .get(range.end..end)
            .and_then(|t| t.rfind(char::is_whitespace))
            .map_or(range.end, |i| range.end + i);
    }
    start..end
}

fn touches(m: &Marker, changed: &[Range<usize>], point: usize) -> bool {
    if changed.is_empty() {
        m.span.start < point && point < m.span.end
    } else {
        changed
            .iter()
            .any(|c| m.span.start < c.end && c.start < m.span.end)
    }
}

pub(super) type Found = (
    Kind,
    Option<String>,
    Option<String>,
    Option<Direction>,
    Change,
);

/// One side of a hunk: its words, the markers its changes touch, its changed words.
struct SideView<'a> {
    text: &'a str,
    words: Vec<Word>,
    touched: Vec<Marker>,
    changed_words: usize,
}

impl<'a> SideView<'a> {
    fn new(
        text: &'a str,
        changed: &[Range<usize>],
        span: &Range<usize>,
        hint: Option<Lang>,
        an: &mut Analyzer,
    ) -> SideView<'a> {
        let words = scan::words(text, window(text, span), an);
        let touched = scan::markers(text, &words, hint)
            .into_iter()
            .filter(|m| touches(m, changed, span.start))
            .collect();
        let changed_words = changed
            .iter()
            .map(|r| word_count(text.get(r.clone()).unwrap_or_default()))
            .sum();
        SideView {
            text,
            words,
            touched,
            changed_words,
        }
    }

    fn texts(&self, pick: impl Fn(&Mark) -> bool) -> Vec<&'a str> {
        self.touched
            .iter()
            .filter(|m| pick(&m.mark))
            .map(|m| self.text.get(m.span.clone()).unwrap_or_default())
            .collect()
    }

    fn modal(&self) -> Option<u8> {
        self.touched
            .iter()
            .filter_map(|m| match m.mark {
                Mark::Modal(l) => Some(l),
                _ => None,
            })
            .max()
    }

    fn values(&self, year: bool) -> Vec<(f64, &'a str)> {
        self.touched
            .iter()
            .filter_map(|m| {
                let v = match m.mark {
                    Mark::Number(v) if !year => v,
                    Mark::Year(y) if year => y as f64,
                    _ => return None,
                };
                Some((v, self.text.get(m.span.clone()).unwrap_or_default()))
            })
            .collect()
    }
}

/// Arabic future سـ on a changed verb whose bare form the other side has (`سيعزز` /
/// `قد يعزز`): a promise.
fn arabic_future(words: &[Word], other: &[Word], changed: &[Range<usize>]) -> Vec<Marker> {
    words
        .iter()
        .filter(|w| {
            let inside = changed
                .iter()
                .any(|c| w.span.start < c.end && c.start < w.span.end);
            let rest = w.base.strip_prefix('س').unwrap_or_default();
            inside
                && w.lang == Some(Lang::Ar)
                && rest.starts_with(['ي', 'ت', 'ن', 'ا'])
                && rest.chars().count() >= 3
                && other.iter().any(|o| o.base == rest)
        })
        .map(|w| Marker {
            mark: Mark::Modal(3),
            span: w.span.clone(),
            spelled: false,
        })
        .collect()
}

fn joined(list: &[&str]) -> Option<String> {
    (!list.is_empty()).then(|| list.join(", "))
}

/// The significant changes of one hunk.
pub(super) fn judge(
    old: &str,
    new: &str,
    h: &Hunk,
    hint: Option<Lang>,
    an: &mut Analyzer,
) -> Vec<Found> {
    let mut a = SideView::new(old, &h.old_changed, &h.old_span, hint, an);
    let mut b = SideView::new(new, &h.new_changed, &h.new_span, hint, an);
    let a_future = arabic_future(&a.words, &b.words, &h.old_changed);
    let b_future = arabic_future(&b.words, &a.words, &h.new_changed);
    a.touched.extend(a_future);
    b.touched.extend(b_future);

    let (ow, nw) = (a.changed_words, b.changed_words);
    let one_sided = h.old_changed.is_empty() || h.new_changed.is_empty();
    let whole = if h.old_changed.is_empty() {
        whole_sentences(new, &h.new_span)
    } else {
        whole_sentences(old, &h.old_span)
    };
    let small =
        ow.max(nw) <= SMALL_WORDS && ow.abs_diff(nw) <= SMALL_DELTA && !(one_sided && whole);
    let comparable = ow <= COMPARABLE_WORDS && nw <= COMPARABLE_WORDS;
    let mut out = Vec::new();

    // Modality.
    let (ma, mb) = (a.modal(), b.modal());
    let levels = match (ma, mb) {
        (Some(x), Some(y)) if comparable => Some((x, y)),
        (None, Some(y)) if small => Some((PLAIN, y)),
        (Some(x), None) if small => Some((x, PLAIN)),
        _ => None,
    };
    if let Some((x, y)) = levels.filter(|(x, y)| x != y) {
        let is_modal = |m: &Mark| matches!(m, Mark::Modal(_));
        out.push((
            Kind::Modality,
            joined(&a.texts(is_modal)),
            joined(&b.texts(is_modal)),
            Some(if y > x {
                Direction::Strengthened
            } else {
                Direction::Weakened
            }),
            Change::Changed,
        ));
    }

    // Negation.
    let is_neg = |m: &Mark| *m == Mark::Negation;
    let (na, nb) = (a.texts(is_neg), b.texts(is_neg));
    if na.len() != nb.len() && small {
        out.push((
            Kind::Negation,
            joined(&na),
            joined(&nb),
            None,
            if nb.len() > na.len() {
                Change::Added
            } else {
                Change::Removed
            },
        ));
    }

    // "One" in words is a count only against another number (`one brigade` / `two
    // brigades`), not in `one of`, `as one`, `одна из`.
    let has_number = |v: &SideView| v.touched.iter().any(|m| matches!(m.mark, Mark::Number(_)));
    let (a_has, b_has) = (has_number(&a), has_number(&b));
    let lone_one = |m: &Marker| m.spelled && m.mark == Mark::Number(1.0);
    a.touched.retain(|m| b_has || !lone_one(m));
    b.touched.retain(|m| a_has || !lone_one(m));

    // Numbers and years, by value.
    for (kind, year) in [(Kind::Number, false), (Kind::Year, true)] {
        let (mut va, mut vb) = (a.values(year), b.values(year));
        va.retain(
            |(v, _)| match vb.iter().position(|(w, _)| same_value(*v, *w)) {
                Some(k) => {
                    vb.remove(k);
                    false
                }
                None => true,
            },
        );
        let texts = |v: &[(f64, &str)]| joined(&v.iter().map(|(_, t)| *t).collect::<Vec<_>>());
        let change = match (va.as_slice(), vb.as_slice()) {
            ([], []) => continue,
            ([(x, _)], [(y, _)]) if comparable => match (year, y > x) {
                (true, true) => Change::Later,
                (true, false) => Change::Earlier,
                (false, true) => Change::Increased,
                (false, false) => Change::Decreased,
            },
            ([_, ..], [_, ..]) if comparable => Change::Changed,
            ([], [_, ..]) if small => Change::Added,
            ([_, ..], []) if small => Change::Removed,
            _ => continue,
        };
        out.push((kind, texts(&va), texts(&vb), None, change));
    }
    out
}

fn same_value(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}
