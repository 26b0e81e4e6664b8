//! Blame: for each sentence of a statement's wording, and each of its priorities and
//! principles, the earliest earlier statement that already said it, or a close rewording.
//!
//! Items (priorities, principles) are found the way `diff` pairs them: an earlier
//! statement said an item when the matcher ([`crate::diff::items::pair`]: the analysts'
//! pins first, then keys, then the score by meaning, with its threshold and margin) pairs
//! it with an item of the same list there. Failing that, and for sentences, "close" is
//! [`similarity`](crate::diff::similarity) at or above a threshold, against any sentence
//! of an earlier statement's text, translations or summary (and, for a sentence, any of
//! its items). An item pinned `not_same_as` an earlier one is never blamed on it. Which
//! statements count as earlier is the caller's choice (`dossier blame` passes the
//! statement's initiative and the ones it supersedes); among them, those before the
//! statement in date order are searched, the earliest first.

use serde::Serialize;

use super::{sort_statements, StatementInfo};
use crate::diff::items::pair;
use crate::diff::normalize::{sentences, word_keys, word_ratio};
use crate::diff::{item_entries, pinned_between, List, MatchContext};
use crate::record::{Item, Statement};

/// Similarity at or above which a passage counts as said before, unless told otherwise.
pub const DEFAULT_THRESHOLD: f64 = 0.8;

/// A statement, passage by passage, with where each passage was first said.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Blame {
    /// The statement blamed.
    pub statement: StatementInfo,
    /// The similarity threshold used.
    pub threshold: f64,
    /// Its passages, in order: sentences, then priorities, then principles.
    pub lines: Vec<BlameLine>,
}

/// One passage of the statement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlameLine {
    /// `text` (or `summary` when the statement has no text), `priorities[N]` or
    /// `principles[N]`.
    pub field: String,
    /// The passage.
    pub text: String,
    /// Where it was first said; null when it is new here.
    pub origin: Option<Origin>,
}

/// The earliest earlier statement holding a passage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Origin {
    /// That statement.
    pub statement: StatementInfo,
    /// Where in it: `text`, `translations.en`, `summary`, `priorities[N]`, `principles[N]`.
    pub field: String,
    /// Its wording there.
    pub text: String,
    /// From 0 to 1 (3 decimals): for an item paired by the matcher, its score; 1 for a
    /// match by key or pin whose wordings share no language.
    pub similarity: f64,
    /// Found by the item's key rather than by wording.
    pub by_key: bool,
    /// Found because an analyst pinned the two items as one (`same_as`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub pinned: bool,
}

/// A passage of a statement, ready to compare.
struct Passage<'a> {
    field: String,
    text: &'a str,
    /// `Some("priorities")` or `Some("principles")` for items.
    list: Option<&'static str>,
    /// For items: the 0-based position in its list.
    at: usize,
    words: Vec<String>,
}

fn passage<'a>(field: String, text: &'a str, list: Option<&'static str>) -> Passage<'a> {
    Passage {
        field,
        words: word_keys(text, false),
        text,
        list,
        at: 0,
    }
}

fn sentence_passages<'a>(field: &str, text: &'a str, out: &mut Vec<Passage<'a>>) {
    for range in sentences(text) {
        if let Some(s) = text.get(range) {
            out.push(passage(field.to_string(), s, None));
        }
    }
}

fn item_passages<'a>(st: &'a Statement, out: &mut Vec<Passage<'a>>) {
    let lists: [(&'static str, &'a [Item]); 2] = [
        ("priorities", &st.priorities),
        ("principles", &st.principles),
    ];
    for (name, list) in lists {
        for (i, item) in list.iter().enumerate() {
            let mut p = passage(format!("{name}[{}]", i + 1), &item.text, Some(name));
            p.at = i;
            out.push(p);
        }
    }
}

/// The passages blamed in the target: its wording's sentences (the summary's when it has
/// no text), then its items.
fn own_passages(st: &Statement) -> Vec<Passage<'_>> {
    let mut out = Vec::new();
    match (&st.text, &st.summary) {
        (Some(text), _) => sentence_passages("text", text, &mut out),
        (None, Some(summary)) => sentence_passages("summary", summary, &mut out),
        (None, None) => {}
    }
    item_passages(st, &mut out);
    out
}

/// Everything an earlier statement said: sentences of every wording and of the summary,
/// and its items.
fn all_passages(st: &Statement) -> Vec<Passage<'_>> {
    let mut out = Vec::new();
    if let Some(text) = &st.text {
        sentence_passages("text", text, &mut out);
    }
    for (lang, text) in &st.translations {
        sentence_passages(&format!("translations.{lang}"), text, &mut out);
    }
    if let Some(summary) = &st.summary {
        sentence_passages("summary", summary, &mut out);
    }
    item_passages(st, &mut out);
    out
}

/// Blames `target` against `candidates` (any order; the target itself and statements
/// after it in date order are left out). `threshold` is clamped to 0..=1 (NaN: the
/// default). `ctx` pairs items, as in `diff`: it should have learned the candidates and
/// the target (and holds their pins).
pub fn blame(
    target: &Statement,
    candidates: &[Statement],
    threshold: f64,
    ctx: &MatchContext,
) -> Blame {
    let threshold = if threshold.is_nan() {
        DEFAULT_THRESHOLD
    } else {
        threshold.clamp(0.0, 1.0)
    };
    let mut all: Vec<Statement> = candidates
        .iter()
        .filter(|c| c.reference() != target.reference())
        .cloned()
        .collect();
    all.push(target.clone());
    sort_statements(&mut all);
    let at = all
        .iter()
        .position(|s| s.reference() == target.reference())
        .unwrap_or(0);
    let earlier = &all[..at];
    let earlier_passages: Vec<Vec<Passage<'_>>> = earlier.iter().map(all_passages).collect();
    // For each earlier statement and list: which of its items each target item pairs with.
    let paired: Vec<[Vec<Option<Paired>>; 2]> = earlier
        .iter()
        .map(|st| [List::Priorities, List::Principles].map(|l| items_paired(target, st, l, ctx)))
        .collect();

    let lines = own_passages(target)
        .into_iter()
        .map(|p| {
            let origin = earlier
                .iter()
                .zip(&earlier_passages)
                .zip(&paired)
                .find_map(|((st, passages), paired)| {
                    let by_matcher = p.list.and_then(|l| {
                        let k = usize::from(l == "principles");
                        let m = paired[k].get(p.at).copied().flatten()?;
                        let q = passages
                            .iter()
                            .find(|q| q.list == Some(l) && q.at == m.at)?;
                        Some((q, m.score, m.by_key, m.pinned))
                    });
                    by_matcher
                        .or_else(|| {
                            best_match(&p, passages, threshold).map(|(q, s)| (q, s, false, false))
                        })
                        .map(|m| (st, m))
                })
                .map(|(st, (q, similarity, by_key, pinned))| Origin {
                    statement: StatementInfo::of(st),
                    field: q.field.clone(),
                    text: q.text.to_string(),
                    similarity: (similarity * 1000.0).round() / 1000.0,
                    by_key,
                    pinned,
                });
            BlameLine {
                field: p.field.clone(),
                text: p.text.to_string(),
                origin,
            }
        })
        .collect();
    Blame {
        statement: StatementInfo::of(target),
        threshold,
        lines,
    }
}

/// An earlier item a target item pairs with.
#[derive(Debug, Clone, Copy)]
struct Paired {
    at: usize,
    score: f64,
    by_key: bool,
    pinned: bool,
}

/// For each item of `target`'s `list`, the item of `earlier`'s that the matcher pairs it
/// with (as `diff earlier target` would), if any.
fn items_paired(
    target: &Statement,
    earlier: &Statement,
    list: List,
    ctx: &MatchContext,
) -> Vec<Option<Paired>> {
    let (old, new) = (list.of(earlier), list.of(target));
    let mut out = vec![None; new.len()];
    if old.is_empty() || new.is_empty() {
        return out;
    }
    let pins = pinned_between(&ctx.pins, (earlier, old), (target, new), list);
    let old_e = item_entries(old, &earlier.language);
    let new_e = item_entries(new, &target.language);
    for (i, j) in pair(&old_e, &new_e, &ctx.matcher, &pins) {
        let pinned = pins.same.contains(&(i, j));
        let by_key = !pinned && old[i].key.is_some() && old[i].key == new[j].key;
        let score = ctx
            .matcher
            .score(
                &ctx.matcher
                    .profile(old_e[i].text, old_e[i].lang, old_e[i].translations),
                &ctx.matcher
                    .profile(new_e[j].text, new_e[j].lang, new_e[j].translations),
            )
            .map(|s| s.value);
        out[j] = Some(Paired {
            at: i,
            score: if by_key || pinned {
                score.unwrap_or(1.0)
            } else {
                score.unwrap_or(0.0)
            },
            by_key,
            pinned,
        });
    }
    out
}

/// The passage of `passages` most similar to `p`, at or above the threshold. An item is
/// not compared here with items of its own list: the matcher has said which of those it
/// is (or that it is none of them).
fn best_match<'p, 'a>(
    p: &Passage<'_>,
    passages: &'p [Passage<'a>],
    threshold: f64,
) -> Option<(&'p Passage<'a>, f64)> {
    passages
        .iter()
        .filter(|q| p.list.is_none() || q.list != p.list)
        .map(|q| (q, word_ratio(&p.words, &q.words)))
        .filter(|(_, s)| *s >= threshold && !p.words.is_empty())
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::DiffOptions;

    /// Blames with a matcher that learned every statement given.
    fn blame(target: &Statement, all: &[Statement], threshold: f64) -> Blame {
        let mut list: Vec<&Statement> = all.iter().collect();
        list.push(target);
        let ctx = MatchContext::of(list, DiffOptions::default().match_config(), &[]);
        super::blame(target, all, threshold, &ctx)
    }

    fn st(id: &str, date: &str, text: &str) -> Statement {
        Statement {
            id: id.into(),
            initiative: "cis".into(),
            date: date.into(),
            language: "en".into(),
            text: Some(text.into()),
            ..Statement::default()
        }
    }

    // Nine words; the rewording keeps eight of them and changes one: similarity 8/9.
    const SAID: &str = "We will set clear priorities for cooperation in defence.";
    const REWORDED: &str = "We will set clear priorities for cooperation in security.";

    #[test]
    fn finds_the_earliest_statement_and_honours_the_threshold() {
        let first = st("a", "2024-11-07", &format!("Opening words here. {SAID}"));
        let second = st("b", "2025-01-01", SAID);
        let target = st(
            "c",
            "2025-10-10",
            &format!("{REWORDED} Something entirely new."),
        );
        let later = st("d", "2026-01-01", "Something entirely new.");
        let all = [later.clone(), second.clone(), first.clone(), target.clone()];

        let b = blame(&target, &all, 0.8);
        assert_eq!(b.lines.len(), 2);
        let origin = b.lines[0].origin.as_ref().expect("found");
        assert_eq!(origin.statement.reference, "cis/a");
        assert_eq!(origin.field, "text");
        assert_eq!(origin.text, SAID);
        assert!(
            (origin.similarity - 0.889).abs() < 1e-9,
            "{}",
            origin.similarity
        );
        // A later statement does not count.
        assert!(b.lines[1].origin.is_none());

        // Above the pair's similarity: new here.
        let strict = blame(&target, &all, 0.9);
        assert!(strict.lines[0].origin.is_none());
        // Exact repetition is found at any threshold.
        let exact = blame(&second, &all, 1.0);
        assert_eq!(
            exact.lines[0]
                .origin
                .as_ref()
                .map(|o| o.statement.reference.as_str()),
            Some("cis/a")
        );
        // The threshold is clamped.
        assert_eq!(blame(&target, &all, 7.0).threshold, 1.0);
        assert_eq!(blame(&target, &all, f64::NAN).threshold, DEFAULT_THRESHOLD);
    }

    #[test]
    fn items_match_by_key_or_wording_and_summaries_stand_in_for_text() {
        let mut old = st("a", "2025-09-24", "");
        old.text = None;
        old.summary = Some("Priority goes to the joint air defence system.".into());
        old.priorities = vec![Item {
            key: Some("air".into()),
            text: "Joint air defence system (the key example)".into(),
            ..Item::default()
        }];
        let mut new = st("b", "2025-10-10", "");
        new.text = None;
        new.priorities = vec![
            Item {
                key: Some("air".into()),
                text: "Unified air defence system".into(),
                ..Item::default()
            },
            Item::new("Priority goes to the joint air defence system"),
        ];
        let b = blame(&new, &[old], 0.8);
        let first = b.lines[0].origin.as_ref().expect("by key");
        assert!(first.by_key);
        assert_eq!(first.field, "priorities[1]");
        let second = b.lines[1].origin.as_ref().expect("by wording");
        assert_eq!(second.field, "summary");
        assert!(!second.by_key);
    }

    #[test]
    fn items_are_paired_by_the_matcher_and_pins_win() {
        let mut old = st("a", "2025-09-30", "");
        old.principles = vec![
            Item::new(
                "Multilateral military cooperation is kept continuous, as one integral system",
            ),
            Item::new("Indivisible security"),
        ];
        let mut new = st("b", "2025-10-10", "");
        new.principles = vec![
            Item::new("Continuity of multilateral military cooperation and its development as a unified system"),
            Item::new("Security that is indivisible"),
        ];
        // Far below the sentence threshold by word ratio, paired by meaning.
        let b = blame(&new, std::slice::from_ref(&old), 0.8);
        let first = b.lines[0].origin.as_ref().expect("paired by the matcher");
        assert_eq!(first.field, "principles[1]");
        assert!(!first.by_key && !first.pinned);
        assert!(
            first.similarity >= 0.4 && first.similarity < 0.8,
            "{first:?}"
        );
        // Kept apart by an analyst: new here.
        new.principles[0].not_same_as = vec!["a#1".into()];
        let b = blame(&new, std::slice::from_ref(&old), 0.8);
        assert!(b.lines[0].origin.is_none(), "{:?}", b.lines[0]);
        // Pinned the other way: found, marked pinned, whatever the score.
        new.principles[0].not_same_as.clear();
        new.principles[1].same_as = vec!["a#1".into()];
        let b = blame(&new, std::slice::from_ref(&old), 0.8);
        let second = b.lines[1].origin.as_ref().expect("pinned");
        assert!(second.pinned);
        assert_eq!(second.field, "principles[1]");
    }
}
