//! Tracing a phrase: every statement that carries it, where it first appeared, and the
//! later statements that no longer carry it.
//!
//! A phrase matches a run of words whose normalised forms (the tokens and normalisation of
//! [`crate::diff::normalize`](mod@crate::diff::normalize): case, Arabic diacritics and alef forms, Arabic-Indic digits,
//! ё) equal the phrase's words, in order, with nothing but white space or a hyphen between
//! them: `air defence` matches `Air-Defence` and `air  defence` but not `air. Defence` or
//! `hair defence`. In Arabic, the phrase's first word may also carry a clitic (و ف ب ل ك,
//! with or without the article: `والدفاع` holds `الدفاع`), since Arabic writes those
//! prefixes into the word.

use std::ops::Range;

use serde::Serialize;

use super::{sort_statements, StatementInfo};
use crate::diff::normalize::{normalize_token_into, tokens, TokenKind};
use crate::record::Statement;

/// Words of context kept on each side of a hit.
pub const CONTEXT_WORDS: usize = 8;

/// Where a phrase appears.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trace {
    /// The phrase as given.
    pub phrase: String,
    /// Its normalised words, as matched.
    pub words: Vec<String>,
    /// From the first statement that carries it on, in date order: each statement of the
    /// initiatives that carry it, with its hits (none when it no longer carries it).
    pub statements: Vec<TraceRow>,
    /// The first statement that carries it.
    pub first: Option<StatementInfo>,
    /// The last statement that carries it.
    pub last: Option<StatementInfo>,
}

impl Trace {
    /// How many statements carry the phrase.
    pub fn carried(&self) -> usize {
        self.statements
            .iter()
            .filter(|r| !r.hits.is_empty())
            .count()
    }

    /// How many statements after the first no longer carry it.
    pub fn dropped(&self) -> usize {
        self.statements.iter().filter(|r| r.hits.is_empty()).count()
    }
}

/// Whether a statement carries the phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Presence {
    /// The first statement that carries it.
    First,
    /// A later statement that carries it.
    Present,
    /// A later statement that does not.
    Absent,
}

/// One statement in a trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceRow {
    /// The statement.
    pub statement: StatementInfo,
    /// First, present or absent.
    pub presence: Presence,
    /// Every hit, by field.
    pub hits: Vec<Hit>,
}

/// One occurrence of the phrase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    /// Where: `text`, `translations.en`, `summary`, `priorities[2]`, `principles[1]`,
    /// `quotes[3]`.
    pub field: String,
    /// Up to [`CONTEXT_WORDS`] words before the hit, from the original text (white space
    /// runs as single spaces; `…` where cut).
    pub before: String,
    /// The hit as it stands in the original text.
    pub matched: String,
    /// Up to [`CONTEXT_WORDS`] words after it.
    pub after: String,
}

/// A normalised word of a text and its bytes; `joined` when only white space or a hyphen
/// separates it from the word before.
#[derive(Debug, Clone)]
struct Word {
    range: Range<usize>,
    norm: String,
    joined: bool,
}

/// Calls `f(range, normalised, joined)` for each word of `text`, hyphenated words split
/// into their parts; `joined` says that only white space or a hyphen stands between the
/// word and the one before. The normalised form is lent, not allocated per word.
pub(super) fn for_each_word(text: &str, mut f: impl FnMut(Range<usize>, &str, bool)) {
    let mut joined = false;
    let mut first = true;
    let mut scratch = String::new();
    for token in tokens(text) {
        match token.kind {
            TokenKind::Space => {}
            TokenKind::Punct => joined = false,
            TokenKind::Word => {
                let word = token.text(text);
                let mut part_start = 0;
                let ends = word
                    .char_indices()
                    .filter(|&(_, c)| c == '-' || c == '\u{2011}')
                    .map(|(i, c)| (i, i + c.len_utf8()))
                    .chain(std::iter::once((word.len(), word.len())));
                for (end, next_start) in ends {
                    let part = word.get(part_start..end).unwrap_or_default();
                    let range = token.start + part_start..token.start + end;
                    part_start = next_start;
                    if part.is_empty() {
                        continue;
                    }
                    normalize_token_into(part, false, &mut scratch);
                    f(range, &scratch, joined && !first);
                    first = false;
                    joined = true;
                }
            }
        }
    }
}

/// The words of `text`, hyphenated words split into their parts.
fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    for_each_word(text, |range, norm, joined| {
        out.push(Word {
            range,
            norm: norm.to_string(),
            joined,
        })
    });
    out
}

/// The normalised words of a phrase, as [`trace`] matches them.
pub fn phrase_words(phrase: &str) -> Vec<String> {
    words(phrase).into_iter().map(|w| w.norm).collect()
}

/// Proclitics written into an Arabic word (normalised: alef forms already folded).
const ARABIC_PROCLITICS: &[&str] = &[
    "و", "ف", "ب", "ل", "ك", "ال", "وال", "فال", "بال", "كال", "وب", "ول", "فب", "فل",
];

fn is_arabic(word: &str) -> bool {
    word.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// Whether a text word matches the phrase's first word, allowing an Arabic clitic.
fn first_word_matches(token: &str, word: &str) -> bool {
    if token == word {
        return true;
    }
    if !is_arabic(word) {
        return false;
    }
    let with = |prefix: &str, rest: &str| {
        token.len() == prefix.len() + rest.len()
            && token.starts_with(prefix)
            && token.ends_with(rest)
    };
    ARABIC_PROCLITICS.iter().any(|p| with(p, word))
        // لل + word without its article: للتعاون is ل + التعاون.
        || word.strip_prefix("ال").is_some_and(|bare| with("لل", bare) && !bare.is_empty())
}

/// Whether `text` can hold `phrase` at all, cheaply: when the phrase's words are plain
/// ASCII letters, its longest word must stand in the text, ignoring ASCII case (no other
/// character normalises to an ASCII letter, but for the Kelvin sign, checked for). `true`
/// when the check does not apply.
fn may_hold(text: &str, phrase: &[String]) -> bool {
    let Some(longest) = phrase.iter().max_by_key(|w| w.len()) else {
        return false;
    };
    if !phrase
        .iter()
        .all(|w| w.bytes().all(|b| b.is_ascii_alphabetic()))
        || text.contains('\u{212A}')
    {
        return true;
    }
    text.to_ascii_lowercase().contains(longest.as_str())
}

/// Byte ranges of every occurrence of `phrase` (normalised words) in `text`.
fn find(text: &str, phrase: &[String]) -> Vec<Range<usize>> {
    let Some(first) = phrase.first() else {
        return Vec::new();
    };
    if !may_hold(text, phrase) {
        return Vec::new();
    }
    // The last `phrase.len()` words, in a ring whose strings are reused.
    let n = phrase.len();
    let mut ring: Vec<Word> = (0..n)
        .map(|_| Word {
            range: 0..0,
            norm: String::new(),
            joined: false,
        })
        .collect();
    let mut seen = 0usize;
    let mut blocked_until = 0usize; // hits do not overlap
    let mut out = Vec::new();
    for_each_word(text, |range, norm, joined| {
        let slot = &mut ring[seen % n];
        slot.range = range;
        slot.norm.clear();
        slot.norm.push_str(norm);
        slot.joined = joined;
        seen += 1;
        if seen < n || seen - n < blocked_until {
            return;
        }
        let at = |k: usize| &ring[(seen - n + k) % n];
        let hit = first_word_matches(&at(0).norm, first)
            && (1..n).all(|k| at(k).joined && at(k).norm == phrase[k]);
        if hit {
            out.push(at(0).range.start..at(n - 1).range.end);
            blocked_until = seen;
        }
    });
    out
}

/// White space runs as single spaces.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The hit with up to [`CONTEXT_WORDS`] words each side.
pub(super) fn snippet(field: &str, text: &str, hit: Range<usize>) -> Hit {
    let before_text = text.get(..hit.start).unwrap_or_default();
    let after_text = text.get(hit.end..).unwrap_or_default();
    // Only the words next to the hit are looked at: a text with many hits stays linear.
    let mut before_words: Vec<&str> = before_text
        .split_whitespace()
        .rev()
        .take(CONTEXT_WORDS + 1)
        .collect();
    let mut after_words: Vec<&str> = after_text
        .split_whitespace()
        .take(CONTEXT_WORDS + 1)
        .collect();
    let cut_before = before_words.len() > CONTEXT_WORDS;
    let cut_after = after_words.len() > CONTEXT_WORDS;
    before_words.truncate(CONTEXT_WORDS);
    before_words.reverse();
    after_words.truncate(CONTEXT_WORDS);
    let mut before = before_words.join(" ");
    let mut after = after_words.join(" ");
    // Keep the space (or its absence) next to the hit as it is.
    if before_text.ends_with(char::is_whitespace) && !before.is_empty() {
        before.push(' ');
    }
    if after_text.starts_with(char::is_whitespace) && !after.is_empty() {
        after.insert(0, ' ');
    }
    if cut_before {
        before.insert_str(0, "… ");
    }
    if cut_after {
        after.push_str(" …");
    }
    Hit {
        field: field.to_string(),
        before,
        matched: squash(text.get(hit).unwrap_or_default()),
        after,
    }
}

/// The fields of a statement that are searched, with their names. With `lang`, only the
/// wording in that language (the text or a translation) and, when the original is in that
/// language, the quotes.
pub(super) fn fields<'a>(st: &'a Statement, lang: Option<&str>) -> Vec<(String, &'a str)> {
    let mut out = Vec::new();
    let original = lang.is_none_or(|l| st.language.eq_ignore_ascii_case(l));
    if let (Some(text), true) = (&st.text, original) {
        out.push(("text".to_string(), text.as_str()));
    }
    for (l, t) in &st.translations {
        if lang.is_none_or(|want| want.eq_ignore_ascii_case(l)) {
            out.push((format!("translations.{l}"), t.as_str()));
        }
    }
    if lang.is_none() {
        if let Some(s) = &st.summary {
            out.push(("summary".to_string(), s.as_str()));
        }
        for (name, list) in [
            ("priorities", &st.priorities),
            ("principles", &st.principles),
        ] {
            for (i, item) in list.iter().enumerate() {
                out.push((format!("{name}[{}]", i + 1), item.text.as_str()));
            }
        }
    }
    if original {
        for (i, q) in st.quotes.iter().enumerate() {
            out.push((format!("quotes[{}]", i + 1), q.text.as_str()));
        }
    }
    out
}

/// Every hit of the phrase in one statement.
pub fn hits(st: &Statement, phrase: &[String], lang: Option<&str>) -> Vec<Hit> {
    fields(st, lang)
        .into_iter()
        .flat_map(|(name, text)| {
            find(text, phrase)
                .into_iter()
                .map(move |r| snippet(&name, text, r))
        })
        .collect()
}

/// The distinct normalised words of every field [`trace`] searches, sorted: what the
/// term index holds for a statement.
pub fn statement_terms(st: &Statement) -> Vec<String> {
    let mut set = std::collections::HashSet::new();
    for (_, text) in fields(st, None) {
        for_each_word(text, |_, norm, _| {
            if !set.contains(norm) {
                set.insert(norm.to_string());
            }
        });
    }
    let mut out: Vec<String> = set.into_iter().collect();
    out.sort_unstable();
    out
}

/// The forms in which a text's word can match the phrase's first word `word` (itself,
/// and with an Arabic clitic): the terms to look up for it.
pub fn first_word_forms(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    if is_arabic(word) {
        out.extend(ARABIC_PROCLITICS.iter().map(|p| format!("{p}{word}")));
        if let Some(bare) = word.strip_prefix("ال").filter(|b| !b.is_empty()) {
            out.push(format!("لل{bare}"));
        }
    }
    out
}

/// Traces `phrase` through `statements` (in any order: they are read by date). Only
/// statements of initiatives that carry the phrase are listed, from its first appearance.
pub fn trace(statements: &[Statement], phrase: &str, lang: Option<&str>) -> Trace {
    let words = phrase_words(phrase);
    // Sorted references: the statements themselves (all the store's texts) are not copied.
    let mut list: Vec<&Statement> = statements.iter().collect();
    sort_statements(&mut list);
    let found = crate::parallel::map(&list, |st| hits(st, &words, lang));
    let rows = list
        .iter()
        .map(|st| StatementInfo::of(st))
        .zip(found)
        .collect();
    assemble(phrase, rows)
}

/// A trace from every statement's info and hits, in date order (see
/// [`super::info_order`]); statements without hits may be given with none.
pub fn assemble(phrase: &str, list: Vec<(StatementInfo, Vec<Hit>)>) -> Trace {
    let carrying: std::collections::HashSet<String> = list
        .iter()
        .filter(|(_, h)| !h.is_empty())
        .map(|(info, _)| info.initiative.clone())
        .collect();
    let mut rows = Vec::new();
    let mut first = None;
    let mut last = None;
    for (info, hits) in list {
        let presence = match (&first, hits.is_empty()) {
            (None, true) => continue,
            (None, false) => {
                first = Some(info.clone());
                Presence::First
            }
            (Some(_), false) => Presence::Present,
            (Some(_), true) if carrying.contains(&info.initiative) => Presence::Absent,
            (Some(_), true) => continue,
        };
        if !hits.is_empty() {
            last = Some(info.clone());
        }
        rows.push(TraceRow {
            statement: info,
            presence,
            hits,
        });
    }
    Trace {
        phrase: phrase.to_string(),
        words: phrase_words(phrase),
        statements: rows,
        first,
        last,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Item, Quote};

    fn st(id: &str, date: &str, lang: &str, text: &str) -> Statement {
        Statement {
            id: id.into(),
            initiative: "cis".into(),
            date: date.into(),
            language: lang.into(),
            text: Some(text.into()),
            ..Statement::default()
        }
    }

    fn count(text: &str, phrase: &str) -> usize {
        find(text, &phrase_words(phrase)).len()
    }

    #[test]
    fn english_phrases_match_whole_words_case_insensitively() {
        assert_eq!(count("The joint Air  Defence system", "air defence"), 1);
        assert_eq!(count("joint air-defence system", "air defence"), 1);
        assert_eq!(count("joint air defence system", "air-defence"), 1);
        assert_eq!(count("the hair defence", "air defence"), 0);
        assert_eq!(count("in the air. Defence is", "air defence"), 0);
        assert_eq!(count("air defences", "air defence"), 0);
        assert_eq!(count("air defence, air defence", "air defence"), 2);
        assert_eq!(count("anything", ""), 0);
    }

    #[test]
    fn arabic_diacritics_alef_forms_and_digits_are_normalised() {
        // With and without fathatan, and hamza on the alef or not.
        assert_eq!(count("وفقاً لأمين عام الرابطة", "وفقا لامين"), 1);
        assert_eq!(count("وفقا لامين عام", "وفقاً لأمين"), 1);
        assert_eq!(count("إنشاء منظومة", "انشاء منظومة"), 1);
        assert_eq!(count("إنشاء منظومة", "منظومه"), 0); // ta marbuta is not folded
                                                        // Arabic-Indic digits match ASCII digits both ways.
        assert_eq!(count("حتى عام ٢٠٣٠", "عام 2030"), 1);
        assert_eq!(count("حتى عام 2030", "عام ٢٠٣٠"), 1);
        // A clitic on the first word, and ل + article.
        assert_eq!(count("وتعزيز الأمن والدفاع الجوي", "الدفاع الجوي"), 1);
        assert_eq!(count("مفهوم للتعاون العسكري", "التعاون العسكري"), 1);
        assert_eq!(count("مفهوم التعاون العسكري", "للتعاون العسكري"), 0);
    }

    #[test]
    fn russian_yo_and_case() {
        assert_eq!(count("Объединённая система ПВО", "объединенная система"), 1);
    }

    #[test]
    fn snippets_come_from_the_original_text() {
        let text = "one two three four five six seven eight nine ten Air\nDefence eleven twelve";
        let hits = find(text, &phrase_words("air defence"));
        let h = snippet("text", text, hits[0].clone());
        assert_eq!(h.matched, "Air Defence");
        assert_eq!(h.before, "… three four five six seven eight nine ten ");
        assert_eq!(h.after, " eleven twelve");
    }

    #[test]
    fn first_appearance_and_statements_that_dropped_it() {
        let mut a = st("a", "2024-11-07", "ar", "نص بلا ذكر");
        a.translations.insert("en".into(), "no mention".into());
        let mut b = st("b", "2025-09-24", "en", "nothing here");
        b.priorities = vec![Item::new("Joint air defence system")];
        let c = st("c", "2025-09-30", "ru", "Ничего");
        let mut d = st(
            "d",
            "2025-10-10",
            "en",
            "The unified AIR DEFENCE system first",
        );
        d.quotes = vec![Quote {
            text: "air defence".into(),
            speaker: None,
        }];
        let mut other = st("x", "2026", "en", "unrelated");
        other.initiative = "other".into();
        let t = trace(&[d, c, other, b, a], "air defence", None);
        let got: Vec<(&str, Presence, usize)> = t
            .statements
            .iter()
            .map(|r| (r.statement.date.as_str(), r.presence, r.hits.len()))
            .collect();
        assert_eq!(
            got,
            [
                ("2025-09-24", Presence::First, 1),
                ("2025-09-30", Presence::Absent, 0),
                ("2025-10-10", Presence::Present, 2),
            ]
        );
        assert_eq!(t.statements[0].hits[0].field, "priorities[1]");
        assert_eq!(
            t.first.as_ref().map(|f| f.date.as_str()),
            Some("2025-09-24")
        );
        assert_eq!(t.last.as_ref().map(|f| f.date.as_str()), Some("2025-10-10"));
        assert_eq!((t.carried(), t.dropped()), (2, 1));
        // With a language: only the wording in it (and quotes of originals in it).
        let t = trace(&t_statements(), "air defence", Some("ru"));
        assert!(t.statements.is_empty());
    }

    fn t_statements() -> Vec<Statement> {
        vec![st("a", "2024", "en", "air defence")]
    }
}
