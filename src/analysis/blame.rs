//! Blame: for each sentence of a statement's wording, and each of its priorities and
//! principles, the earliest earlier statement that already said it, or a close rewording.
//!
//! "Close" is [`similarity`](crate::diff::similarity) at or above a threshold, against
//! any sentence of an earlier statement's text, translations or summary, or any of its
//! priorities and principles. A priority or principle with a key is also found where an
//! earlier one of the same list has the same key, whatever its wording: the analyst has
//! said they are the same. Which statements count as earlier is the caller's choice
//! (`dossier blame` passes the statement's initiative and the ones it supersedes); among
//! them, those before the statement in date order are searched, the earliest first.

use serde::Serialize;

use super::{sort_statements, StatementInfo};
use crate::diff::normalize::{sentences, word_keys, word_ratio};
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
    /// From 0 to 1 (3 decimals); 1 for a match by key.
    pub similarity: f64,
    /// Found by the item's key rather than by wording.
    pub by_key: bool,
}

/// A passage of a statement, ready to compare.
struct Passage<'a> {
    field: String,
    text: &'a str,
    key: Option<&'a str>,
    /// `Some("priorities")` or `Some("principles")` for items.
    list: Option<&'static str>,
    words: Vec<String>,
}

fn passage<'a>(
    field: String,
    text: &'a str,
    key: Option<&'a str>,
    list: Option<&'static str>,
) -> Passage<'a> {
    Passage {
        field,
        words: word_keys(text, false),
        text,
        key,
        list,
    }
}

fn sentence_passages<'a>(field: &str, text: &'a str, out: &mut Vec<Passage<'a>>) {
    for range in sentences(text) {
        if let Some(s) = text.get(range) {
            out.push(passage(field.to_string(), s, None, None));
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
            out.push(passage(
                format!("{name}[{}]", i + 1),
                &item.text,
                item.key.as_deref(),
                Some(name),
            ));
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
/// default).
pub fn blame(target: &Statement, candidates: &[Statement], threshold: f64) -> Blame {
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

    let lines = own_passages(target)
        .into_iter()
        .map(|p| {
            let origin = earlier
                .iter()
                .zip(&earlier_passages)
                .find_map(|(st, passages)| best_match(&p, passages, threshold).map(|m| (st, m)))
                .map(|(st, (q, similarity, by_key))| Origin {
                    statement: StatementInfo::of(st),
                    field: q.field.clone(),
                    text: q.text.to_string(),
                    similarity: (similarity * 1000.0).round() / 1000.0,
                    by_key,
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

/// The passage of `passages` that holds `p`: a keyed item of the same list with the same
/// key, else the most similar at or above the threshold.
fn best_match<'p, 'a>(
    p: &Passage<'_>,
    passages: &'p [Passage<'a>],
    threshold: f64,
) -> Option<(&'p Passage<'a>, f64, bool)> {
    if let (Some(key), Some(list)) = (p.key, p.list) {
        if let Some(q) = passages
            .iter()
            .find(|q| q.list == Some(list) && q.key == Some(key))
        {
            return Some((q, 1.0, true));
        }
    }
    passages
        .iter()
        .map(|q| (q, word_ratio(&p.words, &q.words)))
        .filter(|(_, s)| *s >= threshold && !p.words.is_empty())
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(q, s)| (q, s, false))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
