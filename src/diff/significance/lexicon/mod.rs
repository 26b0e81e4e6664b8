//! The detector's words, per language ([`en`], [`ru`], [`ar`]): data a language expert can
//! edit, and their compiled form. Every word is normalised exactly as the text is
//! ([`normalize_token_into`], then [`fold_arabic_letters`]), so a list may be written with
//! capitals, `ё`, harakat or hamza forms.

mod ar;
mod en;
mod ru;

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::diff::lang::{fold_arabic_letters, Lang};
use crate::diff::normalize::normalize_token_into;

/// How a number word combines with the words around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A count added to what came before (`twenty` `five`, `двести` `пять`).
    Add,
    /// Multiplies what came before within its group (`five hundred`, `خمس مائة`).
    Times,
    /// Closes a group and multiplies it (`five thousand`, `5 млн`).
    Scale,
}

/// One language's words, as written. Phrases are words separated by single spaces; a
/// word split at an apostrophe (`won't`) is two words (`won t`).
pub(crate) struct Lexicon {
    /// Phrases of commitment and their strength: 3 obligation, promise or future
    /// (must, shall, will, is to), 2 recommendation (should), 1 possibility (may, can).
    pub modal: &'static [(&'static str, u8)],
    /// Phrases that negate.
    pub negation: &'static [&'static str],
    /// Negated obligations that leave the choice open (`is not required to`, `не обязаны`,
    /// `غير ملزمة`): a permission, strength 1, whose negation word is part of the phrase.
    /// A negated `must` or `should` is a prohibition instead (`must not`: as strong, with a
    /// negation added).
    pub not_obliged: &'static [&'static str],
    /// Phrases holding a negation word that do not negate (`not only`, `не менее`).
    pub not_negation: &'static [&'static str],
    /// Words after which a modal is a noun (`political will`).
    pub noun_after: &'static [&'static str],
    /// Number words.
    pub numbers: &'static [(&'static str, f64, Role)],
    /// Words after which "one" is a pronoun, not a count.
    pub one_after: &'static [&'static str],
    /// Words before a number that make it a label, not a quantity (`Article 3`).
    pub labels: &'static [&'static str],
    /// Words that open a heading line (`Article 3`, `Статья 3`, `المادة 3`).
    pub headings: &'static [&'static str],
    /// The decimal separator of the language (the others group thousands).
    pub decimal: char,
    /// Words right after a four-digit number that make it a year (`года`, `AD`, `م`).
    pub year_after: &'static [&'static str],
    /// Nouns right before a number that make it a year (`year`, `عام`).
    pub year_nouns: &'static [&'static str],
    /// Prepositions of time right before a number (`until`, `до`, `حتى`).
    pub year_preps: &'static [&'static str],
    /// Whether the language writes a year bare after a preposition (English `by 2030`), so
    /// that the preposition wins over a noun after the number; Russian and Arabic name the
    /// year (`до 2030 года`, `حتى عام 2030`), so `до 2000 военнослужащих` is a count.
    pub bare_years: bool,
}

/// A [`Lexicon`] with its words normalised, ready to look up.
pub(crate) struct Compiled {
    pub lang: Lang,
    /// Longest phrases first.
    pub modal: Vec<(Vec<String>, u8)>,
    pub negation: Vec<Vec<String>>,
    pub not_obliged: Vec<Vec<String>>,
    pub not_negation: Vec<Vec<String>>,
    pub noun_after: HashSet<String>,
    pub numbers: HashMap<String, (f64, Role)>,
    pub one_after: HashSet<String>,
    pub labels: HashSet<String>,
    pub headings: HashSet<String>,
    pub decimal: char,
    pub year_after: HashSet<String>,
    pub year_nouns: HashSet<String>,
    pub year_preps: HashSet<String>,
    pub bare_years: bool,
}

/// A word as the detector compares it: normalised as every comparison does, with the
/// Arabic letter variants folded.
pub(crate) fn key(word: &str) -> String {
    let mut norm = String::new();
    normalize_token_into(word, false, &mut norm);
    let mut out = String::with_capacity(norm.len());
    fold_arabic_letters(&norm, &mut out);
    out
}

fn phrase(p: &str) -> Vec<String> {
    p.split(' ').map(key).collect()
}

fn longest_first(mut list: Vec<Vec<String>>) -> Vec<Vec<String>> {
    list.sort_by_key(|p| std::cmp::Reverse(p.len()));
    list
}

fn compile(lang: Lang, l: &Lexicon) -> Compiled {
    let set = |words: &[&str]| words.iter().map(|w| key(w)).collect::<HashSet<_>>();
    let mut modal: Vec<(Vec<String>, u8)> = l
        .modal
        .iter()
        .map(|(p, level)| (phrase(p), *level))
        .collect();
    modal.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    Compiled {
        lang,
        modal,
        negation: longest_first(l.negation.iter().map(|p| phrase(p)).collect()),
        not_obliged: longest_first(l.not_obliged.iter().map(|p| phrase(p)).collect()),
        not_negation: longest_first(l.not_negation.iter().map(|p| phrase(p)).collect()),
        noun_after: set(l.noun_after),
        numbers: l
            .numbers
            .iter()
            .map(|(w, v, r)| (key(w), (*v, *r)))
            .collect(),
        one_after: set(l.one_after),
        labels: set(l.labels),
        headings: set(l.headings),
        decimal: l.decimal,
        year_after: set(l.year_after),
        year_nouns: set(l.year_nouns),
        year_preps: set(l.year_preps),
        bare_years: l.bare_years,
    }
}

/// The compiled lexicon of a language, for English, Russian and Arabic.
pub(crate) fn of(lang: Lang) -> Option<&'static Compiled> {
    static EN: OnceLock<Compiled> = OnceLock::new();
    static RU: OnceLock<Compiled> = OnceLock::new();
    static AR: OnceLock<Compiled> = OnceLock::new();
    let (cell, data) = match lang {
        Lang::En => (&EN, &en::LEXICON),
        Lang::Ru => (&RU, &ru::LEXICON),
        Lang::Ar => (&AR, &ar::LEXICON),
        _ => return None,
    };
    Some(cell.get_or_init(|| compile(lang, data)))
}

/// All the compiled lexicons.
pub(crate) fn all() -> impl Iterator<Item = &'static Compiled> {
    [Lang::En, Lang::Ru, Lang::Ar].into_iter().filter_map(of)
}
