//! Three-way merge of sequences (diff3): the words of a text, the lines of a file, the
//! order of a list. Each side is diffed against the base; the changes of both sides are
//! laid over the base, and where changes of the two sides overlap (or, for texts, where
//! both insert at the same place) the region is clean only when both sides made it the
//! same; otherwise it is a [`Block::Conflict`] holding the region's base, ours and
//! theirs, never a guess.
//!
//! Words are the tokens of [`crate::diff::tokens`] (a word, one punctuation character or
//! a run of white space), compared exactly: merging must give back the analysts' bytes.

use std::hash::Hash;
use std::ops::Range;
use std::time::{Duration, Instant};

use similar::{capture_diff_slices_deadline, Algorithm, DiffOp};

use super::Side;
use crate::diff::tokens;

/// Time allowed for one diff; past it, the diff gets coarser (larger changed regions, so
/// more conflicts), never wrong.
const DIFF_TIME: Duration = Duration::from_secs(2);

/// A piece of a three-way merge, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block<T> {
    /// Taken as it is: unchanged, changed on one side, or changed the same way on both.
    Clean(Vec<T>),
    /// Changed differently on both sides.
    Conflict {
        base: Vec<T>,
        ours: Vec<T>,
        theirs: Vec<T>,
    },
}

/// When two changes count as overlapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlap {
    /// Only changes that share elements of the base, or insert at the same place (words:
    /// edits to neighbouring words merge).
    Shared,
    /// Changes that touch count too, as git's line merge has it (lines, list orders).
    Touching,
}

/// One changed region of a side: `base` replaced by `side`.
#[derive(Debug, Clone)]
struct Hunk {
    base: Range<usize>,
    side: Range<usize>,
}

fn hunks<T: Hash + Eq>(base: &[T], side: &[T]) -> Vec<Hunk> {
    let deadline = Instant::now().checked_add(DIFF_TIME);
    let mut out: Vec<Hunk> = Vec::new();
    for op in capture_diff_slices_deadline(Algorithm::Myers, base, side, deadline) {
        if let DiffOp::Equal { .. } = op {
            continue;
        }
        let (b, s) = (op.old_range(), op.new_range());
        match out.last_mut() {
            // Consecutive changes are one region.
            Some(last) if last.base.end == b.start && last.side.end == s.start => {
                last.base.end = b.end;
                last.side.end = s.end;
            }
            _ => out.push(Hunk { base: b, side: s }),
        }
    }
    out
}

fn overlaps(lo: usize, hi: usize, h: &Range<usize>, rule: Overlap) -> bool {
    let (a, b) = (h.start, h.end);
    match rule {
        Overlap::Touching => a <= hi && lo <= b,
        Overlap::Shared => {
            (a < hi && lo < b)
                || (a == b && lo == hi && a == lo)
                || (a == b && lo < a && a < hi)
                || (lo == hi && a < lo && lo < b)
        }
    }
}

/// The side's version of `base[lo..hi]`, given its hunks inside that range.
fn rebuild<T: Clone>(base: &[T], side: &[T], hunks: &[&Hunk], lo: usize, hi: usize) -> Vec<T> {
    let mut out = Vec::new();
    let mut at = lo;
    for h in hunks {
        out.extend_from_slice(&base[at..h.base.start]);
        out.extend_from_slice(&side[h.side.clone()]);
        at = h.base.end;
    }
    out.extend_from_slice(&base[at..hi]);
    out
}

/// The three-way merge of `ours` and `theirs`, both made from `base`.
pub fn diff3<T: Hash + Eq + Clone>(
    base: &[T],
    ours: &[T],
    theirs: &[T],
    rule: Overlap,
) -> Vec<Block<T>> {
    let ho = hunks(base, ours);
    let ht = hunks(base, theirs);
    let (mut i, mut j) = (0, 0);
    let mut at = 0;
    let mut out: Vec<Block<T>> = Vec::new();
    let clean = |out: &mut Vec<Block<T>>, items: Vec<T>| {
        if items.is_empty() {
            return;
        }
        if let Some(Block::Clean(last)) = out.last_mut() {
            last.extend(items);
        } else {
            out.push(Block::Clean(items));
        }
    };
    loop {
        // The next region starts with the hunk that starts first (an insertion before a
        // replacement at the same place).
        let first_ours = match (ho.get(i), ht.get(j)) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(a), Some(b)) => {
                (a.base.start, a.base.end - a.base.start)
                    <= (b.base.start, b.base.end - b.base.start)
            }
        };
        let start = if first_ours { &ho[i] } else { &ht[j] };
        let (mut lo, mut hi) = (start.base.start, start.base.end);
        let mut in_ours: Vec<&Hunk> = Vec::new();
        let mut in_theirs: Vec<&Hunk> = Vec::new();
        if first_ours {
            in_ours.push(&ho[i]);
            i += 1;
        } else {
            in_theirs.push(&ht[j]);
            j += 1;
        }
        loop {
            if let Some(h) = ho.get(i).filter(|h| overlaps(lo, hi, &h.base, rule)) {
                lo = lo.min(h.base.start);
                hi = hi.max(h.base.end);
                in_ours.push(h);
                i += 1;
            } else if let Some(h) = ht.get(j).filter(|h| overlaps(lo, hi, &h.base, rule)) {
                lo = lo.min(h.base.start);
                hi = hi.max(h.base.end);
                in_theirs.push(h);
                j += 1;
            } else {
                break;
            }
        }
        clean(&mut out, base[at..lo].to_vec());
        let o = rebuild(base, ours, &in_ours, lo, hi);
        let t = rebuild(base, theirs, &in_theirs, lo, hi);
        if in_theirs.is_empty() || o == t {
            clean(&mut out, o);
        } else if in_ours.is_empty() {
            clean(&mut out, t);
        } else {
            out.push(Block::Conflict {
                base: base[lo..hi].to_vec(),
                ours: o,
                theirs: t,
            });
        }
        at = hi;
    }
    clean(&mut out, base[at..].to_vec());
    out
}

/// Blocks with each conflict settled for `prefer`.
pub fn settle<T: Clone>(blocks: &[Block<T>], prefer: Side) -> Vec<T> {
    let mut out = Vec::new();
    for b in blocks {
        match b {
            Block::Clean(v) => out.extend_from_slice(v),
            Block::Conflict { ours, theirs, .. } => out.extend_from_slice(match prefer {
                Side::Ours => ours,
                Side::Theirs => theirs,
            }),
        }
    }
    out
}

/// One region of a text both sides changed differently: base, ours, theirs.
#[derive(Debug, Clone, PartialEq)]
pub struct TextClash {
    pub base: String,
    pub ours: String,
    pub theirs: String,
}

/// A text merged word by word: the text (each clash settled for `prefer`) and the
/// regions both sides changed differently.
pub fn merge_words(base: &str, ours: &str, theirs: &str, prefer: Side) -> (String, Vec<TextClash>) {
    fn words(t: &str) -> Vec<&str> {
        tokens(t).map(|tok| tok.text(t)).collect()
    }
    let (b, o, t) = (words(base), words(ours), words(theirs));
    let blocks = diff3(&b, &o, &t, Overlap::Shared);
    let clashes = blocks
        .iter()
        .filter_map(|blk| match blk {
            Block::Conflict { base, ours, theirs } => Some(TextClash {
                base: base.concat(),
                ours: ours.concat(),
                theirs: theirs.concat(),
            }),
            Block::Clean(_) => None,
        })
        .collect();
    (settle(&blocks, prefer).concat(), clashes)
}

/// The lines of a text, each with its line end (the last may have none).
pub fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// The labels and marker size of a text file's conflict markers (git's `%S %X %Y %L`).
#[derive(Debug, Clone)]
pub struct Markers<'a> {
    pub base: &'a str,
    pub ours: &'a str,
    pub theirs: &'a str,
    pub size: usize,
}

/// A file merged line by line, as git's own merge does (with the base between the two
/// sides in each conflict, diff3 style): the text and the number of conflicts.
pub fn merge_lines(base: &str, ours: &str, theirs: &str, markers: &Markers<'_>) -> (String, usize) {
    let blocks = diff3(
        &lines(base),
        &lines(ours),
        &lines(theirs),
        Overlap::Touching,
    );
    let mut out = String::new();
    let mut conflicts = 0;
    let mark = |c: char| c.to_string().repeat(markers.size.max(7));
    for b in &blocks {
        match b {
            Block::Clean(v) => out.push_str(&v.concat()),
            Block::Conflict { base, ours, theirs } => {
                conflicts += 1;
                let mut section = |m: String, label: &str, body: &[&str]| {
                    out.push_str(&m);
                    if !label.is_empty() {
                        out.push(' ');
                        out.push_str(label);
                    }
                    out.push('\n');
                    out.push_str(&body.concat());
                    if !out.ends_with('\n') {
                        out.push('\n');
                    }
                };
                section(mark('<'), markers.ours, ours);
                section(mark('|'), markers.base, base);
                section(mark('='), "", theirs);
                out.push_str(&mark('>'));
                if !markers.theirs.is_empty() {
                    out.push(' ');
                    out.push_str(markers.theirs);
                }
                out.push('\n');
            }
        }
    }
    (out, conflicts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(b: &str, o: &str, t: &str) -> Result<String, Vec<TextClash>> {
        let (text, clashes) = merge_words(b, o, t, Side::Ours);
        if clashes.is_empty() {
            Ok(text)
        } else {
            Err(clashes)
        }
    }

    #[test]
    fn edits_to_different_words_merge() {
        let b = "The parties will build a joint air defence system by 2030.";
        let o = "The parties shall build a joint air defence system by 2030.";
        let t = "The parties will build a joint air defence system by 2035.";
        assert_eq!(
            words(b, o, t).unwrap(),
            "The parties shall build a joint air defence system by 2035."
        );
    }

    #[test]
    fn edits_to_neighbouring_words_merge() {
        let b = "one two three";
        assert_eq!(words(b, "one 2 three", "one two 3").unwrap(), "one 2 3");
    }

    #[test]
    fn edits_to_the_same_words_conflict_with_all_three_versions() {
        let b = "by 2030.";
        let c = words(b, "by 2031.", "by 2035.").unwrap_err();
        assert_eq!(c.len(), 1);
        assert_eq!(
            (c[0].base.as_str(), c[0].ours.as_str(), c[0].theirs.as_str()),
            ("2030", "2031", "2035")
        );
    }

    #[test]
    fn two_insertions_at_the_same_place_conflict_unless_equal() {
        let b = "a c";
        assert!(words(b, "a b c", "a x c").is_err());
        assert_eq!(words(b, "a b c", "a b c").unwrap(), "a b c");
    }

    #[test]
    fn the_same_edit_on_both_sides_is_taken_once() {
        let b = "Совет обсудил концепцию.";
        let o = "Совет одобрил концепцию.";
        assert_eq!(words(b, o, o).unwrap(), o);
    }

    #[test]
    fn arabic_words_merge_exactly() {
        let b = "أعلن الأمين العام عن مفهوم جديد للتعاون العسكري";
        let o = "أعلن الأمين العام للرابطة عن مفهوم جديد للتعاون العسكري";
        let t = "أعلن الأمين العام عن مفهوم جديد للتعاون العسكري حتى عام 2030";
        assert_eq!(
            words(b, o, t).unwrap(),
            "أعلن الأمين العام للرابطة عن مفهوم جديد للتعاون العسكري حتى عام 2030"
        );
    }

    #[test]
    fn lines_conflict_with_markers_and_the_base() {
        let m = Markers {
            base: "base",
            ours: "ours",
            theirs: "theirs",
            size: 7,
        };
        let (text, n) = merge_lines("a\nb\nc\n", "a\nB\nc\n", "a\nb2\nc\n", &m);
        assert_eq!(n, 1);
        assert_eq!(
            text,
            "a\n<<<<<<< ours\nB\n||||||| base\nb\n=======\nb2\n>>>>>>> theirs\nc\n"
        );
        let (text, n) = merge_lines("a\nb\nc\nd\n", "A\nb\nc\nd\n", "a\nb\nc\nD\n", &m);
        assert_eq!((text.as_str(), n), ("A\nb\nc\nD\n", 0));
    }
}
