//! The diff engine: what changed between two statements, as data.
//!
//! This module owns comparing: normalisation and tokens ([`mod@normalize`]), per-language
//! stems, stop words and Arabic clitics ([`lang`]), the word diff of
//! two wordings ([`words`]), matching priorities, principles and quotes ([`items`]),
//! sentence alignment ([`sentences`]), the metadata diff ([`fields`]), the wording both
//! sides are compared in (shared.rs) and the counts per section (summary.rs). It is pure: it
//! never prints, reads files or touches git. [`diff_statements`] puts it together into a
//! [`StatementDiff`], whose JSON form is documented in `docs/diff-json.md`.

pub mod fields;
pub mod items;
pub mod lang;
pub mod matching;
pub mod normalize;
pub mod pins;
pub mod proposals;
pub mod sentences;
mod shared;
pub mod significance;
pub mod steps;
pub mod structure;
mod summary;
pub mod words;

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::record::{Item, Quote, Statement};
pub use pins::{List, MatchContext, Pins};

pub use fields::FieldChange;
pub use items::{ItemChange, ItemStatus};
pub use normalize::{normalize, similarity, tokens, Token, TokenKind};
pub use sentences::{SentenceChange, SentenceStatus};
use shared::shared_wording;
use summary::{item_summary, percent, sentence_summary};
pub use summary::{SectionSummary, Summary};
pub use words::{diff_text, OpKind, TextDiff, WordOp};

/// How to diff two statements.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffOptions {
    /// Compare exact text: no normalisation at all.
    pub strict: bool,
    /// Score (0 to 1) below which items are not paired; out-of-range values are clamped,
    /// NaN means the default.
    pub match_threshold: f64,
    /// How much better than its runner-up a pair must score (0 to 1).
    pub match_margin: f64,
    /// The store's synonym groups (the built-in abbreviations are always known).
    pub synonyms: Vec<Vec<String>>,
    /// Compare the wording in this language (original or translation).
    pub lang: Option<String>,
    /// Also align the wording sentence by sentence.
    pub sentences: bool,
    /// Time allowed for the wording diffs; past it they get coarser, not slower.
    pub deadline: Duration,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            strict: false,
            match_threshold: DEFAULT_MATCH_THRESHOLD,
            match_margin: matching::DEFAULT_MARGIN,
            synonyms: Vec::new(),
            lang: None,
            sentences: false,
            deadline: Duration::from_secs(2),
        }
    }
}

/// Score below which items are not paired, unless the store or the user says otherwise.
pub const DEFAULT_MATCH_THRESHOLD: f64 = matching::DEFAULT_THRESHOLD;

/// Word similarity below which sentences are not paired (`--sentences`).
pub const SENTENCE_THRESHOLD: f64 = 0.5;

impl DiffOptions {
    /// The matcher's settings these options ask for.
    pub fn match_config(&self) -> matching::MatchConfig {
        let clamp = |x: f64, default: f64| {
            if x.is_nan() {
                default
            } else {
                x.clamp(0.0, 1.0)
            }
        };
        matching::MatchConfig {
            threshold: clamp(self.match_threshold, DEFAULT_MATCH_THRESHOLD),
            margin: clamp(self.match_margin, matching::DEFAULT_MARGIN),
            strict: self.strict,
            ..matching::MatchConfig::default()
        }
    }
}

/// Everything that changed from one statement to another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementDiff {
    /// The older statement.
    pub from: Side,
    /// The newer statement.
    pub to: Side,
    /// Counts per section.
    pub summary: Summary,
    /// Changes of commitment, negation, numbers and years, first of all (see
    /// [`significance`]); empty when there are none.
    pub significant: Vec<significance::Significant>,
    /// Fields that differ.
    pub metadata: Vec<FieldChange>,
    /// One row per priority, see [`items`].
    pub priorities: Vec<ItemChange>,
    /// One row per principle (order is not compared).
    pub principles: Vec<ItemChange>,
    /// One row per quote (order is not compared).
    pub quotes: Vec<ItemChange>,
    /// The wording diff; null when the statements share no language.
    pub wording: Option<Wording>,
    /// Sentence alignment of the wording, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentences: Option<Vec<SentenceChange>>,
    /// Things the reader should know, e.g. which language was compared.
    pub notices: Vec<String>,
    /// Reviewers' annotations on changes of this pair, with their standing (filled in by
    /// the `diff` command from the store; see docs/format.md).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<serde_json::Value>,
}

/// Which statement a side of the diff is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    /// `<initiative>/<id>`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// The statement's date.
    pub date: String,
    /// The language of the statement's original text.
    pub language: String,
}

/// The word diff of the statements' wording in one language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Wording {
    /// The language compared.
    pub language: String,
    /// The diff.
    #[serde(flatten)]
    pub diff: TextDiff,
    /// Each change (a run of `insert` and `delete` ops) with its place in both texts.
    pub changes: Vec<structure::Change>,
    /// Articles, sections and items renumbered, each run said once.
    pub renumbered: Vec<structure::Renumbering>,
    /// Passages moved, in the order of their old place (the `moved` of an op indexes it).
    pub moves: Vec<structure::Moved>,
}

impl StatementDiff {
    /// True when anything differs (normalisation differences aside): for `--exit-code`.
    pub fn has_changes(&self) -> bool {
        let changed_items = |rows: &[ItemChange]| rows.iter().any(|r| r.status.is_change());
        !self.metadata.is_empty()
            || changed_items(&self.priorities)
            || changed_items(&self.principles)
            || changed_items(&self.quotes)
            || self.wording.as_ref().is_some_and(|w| w.diff.has_changes())
    }

    /// True when nothing differs; the opposite of [`has_changes`](Self::has_changes).
    pub fn is_empty(&self) -> bool {
        !self.has_changes()
    }
}

/// Diffs two statements: metadata, priorities, principles, quotes and wording. Items are
/// weighed by the frequencies of these two statements alone; [`diff_statements_in`]
/// takes a [`MatchContext`] learned over a whole initiative.
pub fn diff_statements(from: &Statement, to: &Statement, opts: &DiffOptions) -> StatementDiff {
    let ctx = MatchContext::of([from, to], opts.match_config(), &opts.synonyms);
    diff_statements_in(from, to, opts, &ctx)
}

/// [`diff_statements`] with a matcher and pins from the statements around.
pub fn diff_statements_in(
    from: &Statement,
    to: &Statement,
    opts: &DiffOptions,
    ctx: &MatchContext,
) -> StatementDiff {
    let deadline = Instant::now().checked_add(opts.deadline);
    let mut notes: Vec<(&str, String)> = Vec::new();
    let metadata = fields::diff_fields(from, to);
    let mut lists = [List::Priorities, List::Principles].map(|list| {
        let absence = if from.id != to.id && (!to.lists_complete() || list.of(to).is_empty()) {
            items::Absence::NotMentioned(said(from))
        } else {
            items::Absence::Removed
        };
        let pinned = pinned_between(&ctx.pins, (from, list.of(from)), (to, list.of(to)), list);
        let c = items::match_items(
            &item_entries(list.of(from), &from.language),
            &item_entries(list.of(to), &to.language),
            &item_opts(opts, list == List::Priorities, deadline),
            &ctx.matcher,
            &pinned,
            &absence,
        );
        notes.extend(c.notices.iter().map(|n| (list.field(), n.clone())));
        c.rows
    });
    let principles = std::mem::take(&mut lists[1]);
    let priorities = std::mem::take(&mut lists[0]);
    let quotes = items::match_items(
        &quote_entries(&from.quotes, &from.language),
        &quote_entries(&to.quotes, &to.language),
        &item_opts(opts, false, deadline),
        &ctx.matcher,
        &items::Pinned::default(),
        &items::Absence::Removed,
    );
    notes.extend(quotes.notices.iter().map(|n| ("quotes", n.clone())));
    let quotes = quotes.rows;
    let notices = section_notices(&notes);
    finish(
        from, to, opts, deadline, metadata, priorities, principles, quotes, notices,
    )
}

fn item_opts(opts: &DiffOptions, ordered: bool, deadline: Option<Instant>) -> items::MatchOptions {
    items::MatchOptions {
        strict: opts.strict,
        ordered,
        deadline,
    }
}

/// Notices of the lists, each said once for all the sections it concerns
/// (`priorities, principles: ...`).
pub(crate) fn section_notices(notes: &[(&str, String)]) -> Vec<String> {
    let mut out: Vec<(Vec<&str>, &str)> = Vec::new();
    for (section, note) in notes {
        match out.iter_mut().find(|(_, n)| n == note) {
            Some((sections, _)) => sections.push(section),
            None => out.push((vec![section], note)),
        }
    }
    out.into_iter()
        .map(|(sections, note)| format!("{}: {note}", sections.join(", ")))
        .collect()
}

/// A statement as `last_said` names it.
pub(crate) fn said(st: &Statement) -> items::Said {
    items::Said {
        reference: st.reference(),
        date: st.date.clone(),
    }
}

/// The pins between two lists (each item named by its statement and position).
pub(crate) fn pinned_between(
    pins: &Pins,
    (a, old): (&Statement, &[Item]),
    (b, new): (&Statement, &[Item]),
    list: List,
) -> items::Pinned {
    let mut out = items::Pinned::default();
    if pins.is_empty() {
        return out;
    }
    let class_of = |st: &Statement, i: usize| pins.class(&(st.id.clone(), list, i));
    let new_classes: Vec<(usize, usize)> = (0..new.len())
        .filter_map(|j| class_of(b, j).map(|c| (j, c)))
        .collect();
    for i in 0..old.len() {
        let Some(ci) = class_of(a, i) else { continue };
        for &(j, cj) in &new_classes {
            if ci == cj {
                out.same.push((i, j));
            } else if pins.apart(ci, cj) {
                out.apart.insert((i, j));
            }
        }
    }
    out
}

/// The rest of a diff once its lists are compared: the wording, sentences and summary.
#[allow(clippy::too_many_arguments)]
pub(crate) fn finish(
    from: &Statement,
    to: &Statement,
    opts: &DiffOptions,
    deadline: Option<Instant>,
    metadata: Vec<FieldChange>,
    priorities: Vec<ItemChange>,
    principles: Vec<ItemChange>,
    quotes: Vec<ItemChange>,
    mut notices: Vec<String>,
) -> StatementDiff {
    let threshold = SENTENCE_THRESHOLD;
    let texts = shared_wording(from, to, opts.lang.as_deref(), &mut notices);
    let wording = texts.map(|(language, old, new)| {
        let diff = words::diff_text(old, new, opts.strict, deadline);
        if diff.coarse {
            notices.push(format!(
                "the wording diff took longer than {:.1}s, so some passages are shown as replaced whole rather than word by word",
                opts.deadline.as_secs_f64()
            ));
        }
        let (changes, moves) = structure::places(old, new, &diff);
        let wording = Wording {
            language: language.to_owned(),
            changes,
            renumbered: structure::renumberings(&diff.renumbered),
            moves,
            diff,
        };
        (wording, old, new)
    });
    let sentences = match (&wording, opts.sentences) {
        (Some((_, old, new)), true) => {
            let (rows, too_large) =
                sentences::align_sentences(old, new, opts.strict, threshold, deadline);
            if too_large {
                notices.push(format!(
                    "some rewritten passages are too long to pair their sentences (over {} sentence pairs): they are shown as removed and added",
                    sentences::MAX_GAP_PAIRS
                ));
            }
            Some(rows)
        }
        _ => None,
    };
    let wording = wording.map(|(w, _, _)| w);

    let summary = Summary {
        metadata: SectionSummary {
            added: metadata.iter().filter(|c| c.from.is_none()).count(),
            removed: metadata.iter().filter(|c| c.to.is_none()).count(),
            reworded: metadata
                .iter()
                .filter(|c| c.from.is_some() && c.to.is_some())
                .count(),
            moved: 0,
            unchanged: fields::FIELD_COUNT.saturating_sub(metadata.len()),
            similarity: percent(
                fields::FIELD_COUNT.saturating_sub(metadata.len()) as f64
                    / fields::FIELD_COUNT as f64,
            ),
            ..SectionSummary::default()
        },
        priorities: item_summary(&priorities),
        principles: item_summary(&principles),
        quotes: item_summary(&quotes),
        wording: wording.as_ref().map(|w| SectionSummary {
            added: w.diff.words_added,
            removed: w.diff.words_removed,
            reworded: 0,
            moved: w.moves.len(),
            unchanged: w.diff.words_unchanged,
            similarity: percent(w.diff.similarity),
            ..SectionSummary::default()
        }),
        sentences: sentences.as_deref().map(sentence_summary),
    };
    let side = |st: &Statement| Side {
        reference: st.reference(),
        date: st.date.clone(),
        language: st.language.clone(),
    };
    let mut d = StatementDiff {
        from: side(from),
        to: side(to),
        summary,
        significant: Vec::new(),
        metadata,
        priorities,
        principles,
        quotes,
        wording,
        sentences,
        notices,
        annotations: Vec::new(),
    };
    d.significant = significance::of_diff(&d);
    d
}

pub(crate) fn item_entries<'a>(items: &'a [Item], lang: &'a str) -> Vec<items::Entry<'a>> {
    items
        .iter()
        .map(|i| items::Entry {
            key: i.key.as_deref(),
            text: &i.text,
            speaker: None,
            translations: Some(&i.translations),
            lang: Some(lang),
        })
        .collect()
}

fn quote_entries<'a>(quotes: &'a [Quote], lang: &'a str) -> Vec<items::Entry<'a>> {
    quotes
        .iter()
        .map(|q| items::Entry {
            key: None,
            text: &q.text,
            speaker: q.speaker.as_deref(),
            translations: None,
            lang: Some(lang),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::record::Item;

    fn statement(id: &str, language: &str, text: &str) -> Statement {
        Statement {
            id: id.into(),
            initiative: "cis-2030".into(),
            date: "2024-11-07".into(),
            language: language.into(),
            text: Some(text.into()),
            ..Statement::default()
        }
    }

    #[test]
    fn json_shape() {
        let mut a = statement("2024-11-07-a", "ru", "Мы укрепим оборону.");
        a.priorities = vec![
            Item::new("Air defence"),
            Item::new("Joint exercises every year"),
        ];
        let mut b = statement("2024-11-07-a", "ru", "Мы усилим оборону.");
        b.priorities = vec![
            Item::new("Joint exercises every two years"),
            Item::new("Air defence"),
        ];
        b.venue = Some("Minsk".into());
        let d = diff_statements(&a, &b, &DiffOptions::default());
        assert!(d.has_changes());
        let json = serde_json::to_value(&d).unwrap_or_default();
        let keys: Vec<_> = json
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        assert_eq!(
            keys,
            [
                "from",
                "to",
                "summary",
                "significant",
                "metadata",
                "priorities",
                "principles",
                "quotes",
                "wording",
                "notices"
            ]
        );
        assert_eq!(json["from"]["ref"], "cis-2030/2024-11-07-a");
        assert_eq!(json["metadata"][0]["field"], "venue");
        assert_eq!(json["priorities"][0]["status"], "reworded");
        assert_eq!(json["priorities"][0]["from_rank"], 2);
        assert_eq!(json["wording"]["language"], "ru");
        assert_eq!(json["wording"]["words_added"], 1);
        assert_eq!(json["wording"]["ops"][1]["op"], "delete");
        assert_eq!(json["summary"]["priorities"]["moved"], 2);
        assert!(diff_statements(&a, &a, &DiffOptions::default()).is_empty());
    }

    #[test]
    fn nothing_paired_is_zero_percent() {
        let s = item_summary(
            &items::match_items(
                &[],
                &item_entries(&[Item::new("New")], "en"),
                &items::MatchOptions {
                    strict: false,
                    ordered: true,
                    deadline: None,
                },
                &matching::Matcher::default(),
                &items::Pinned::default(),
                &items::Absence::Removed,
            )
            .rows,
        );
        assert!(s.similarity == 0.0 && s.similarity.is_sign_positive());
        assert_eq!(s.added, 1);
    }

    #[test]
    fn picks_a_shared_language() {
        let mut a = statement("2024-11-07-a", "ru", "Текст.");
        a.translations = BTreeMap::from([("en".to_owned(), "The text.".to_owned())]);
        let mut b = statement("2024-11-07-a", "ar", "النص.");
        b.translations = BTreeMap::from([("en".to_owned(), "The new text.".to_owned())]);
        let d = diff_statements(&a, &b, &DiffOptions::default());
        assert_eq!(d.wording.as_ref().map(|w| w.language.as_str()), Some("en"));
        assert_eq!(d.notices.len(), 1);

        let opts = DiffOptions {
            lang: Some("ru".into()),
            ..DiffOptions::default()
        };
        let d = diff_statements(&a, &b, &opts);
        assert!(d.wording.is_none());
        assert!(d.notices[0].contains("cis-2030/2024-11-07-a"));

        b.translations.clear();
        let d = diff_statements(&a, &b, &DiffOptions::default());
        assert!(d.wording.is_none());
        assert!(d.summary.wording.is_none());
    }

    #[test]
    fn sentences_when_asked() {
        let a = statement("2024-11-07-a", "en", "One. Two three.");
        let b = statement("2024-11-07-a", "en", "Two three. One more.");
        let opts = DiffOptions {
            sentences: true,
            ..DiffOptions::default()
        };
        let d = diff_statements(&a, &b, &opts);
        assert_eq!(d.sentences.as_ref().map(Vec::len), Some(3));
        assert!(d.summary.sentences.is_some());
    }
}
