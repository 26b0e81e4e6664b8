//! Starting a statement from a plain-text source: what a news item says about itself.
//!
//! [`detect`] takes the text of a saved web page or agency item and returns its body
//! without site chrome, and what could be found in it: the date, the outlet, the speaker
//! and role, the quoted passages and the language, each with the passage it was found in,
//! so the analyst can judge it. Everything here is a heuristic over Arabic, Russian and
//! English news style; nothing is guessed that the text does not hold, and any input is
//! accepted (the worst outcome is that nothing is detected).
//!
//! - **Body**: a leading language switcher (`Ru En`), lines that are only white space
//!   (no-break spaces included), photo credits (`الصورة:`, `Фото:`, `Photo:`), the
//!   trailing source line (`المصدر: تاس`, `Источник: ТАСС`, `Source: TASS`) and the short
//!   caption-like lines just above those at the end are dropped; paragraphs are kept, each
//!   line as it stands (trailing white space aside).
//! - **Date**: a day and a month name (Arabic, including the Levantine names, Russian,
//!   English) with an optional year, `November 7, 2024`, `07.11.2024` or `2024-11-07`;
//!   Arabic-Indic digits read as digits. The dateline (the first date in the first lines)
//!   wins; when it has no year, the year comes from another mention of the same day and
//!   month, else from the first full date in the text.
//! - **Outlet**: the source line or a Russian `/ТАСС/` dateline, with known agencies'
//!   Arabic and Russian names mapped to their usual English names.
//! - **Speaker and role**: names next to a verb of saying (Arabic صرح قال أضاف أكد...,
//!   Russian заявил сказал отметил..., English said stated told...), the role being the
//!   words before the name (or after a dash in Arabic); the person named most often wins,
//!   under the fullest form of the name. Names are kept as the text writes them.
//! - **Quotes**: passages in straight or typographic double quotes, `«»` or `„“`, of at
//!   least [`MIN_QUOTE_WORDS`] words, exactly as they stand; quotes inside quotes stay part
//!   of the outer one.
//! - **Language**: from the script of the letters (`ar`, `ru`, `uk`, `be`, `kk`, and `en`
//!   for Latin text with English function words).
//!
//! Each detector has its own file (`body`, `outlet`, `dates`, `speakers`, `quotes`,
//! `language`, over the tokens of `tokens`); the words they look for, by language, are data
//! in [`lexicon`].

mod body;
mod dates;
mod language;
pub mod lexicon;
mod outlet;
mod quotes;
mod speakers;
mod tokens;

#[cfg(test)]
mod tests;

use serde::Serialize;

pub use outlet::known_outlet;

use body::{extract_body, looks_like_caption};
use dates::detect_date;
use language::detect_language;
use outlet::dateline_outlet;
use speakers::{main_speaker, quote_speaker};
use tokens::word_tokens;

/// Quoted passages shorter than this (in words) are taken for names or terms, not quotes.
pub const MIN_QUOTE_WORDS: usize = 3;

/// A value found in the source, with the passage it was found in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Found {
    /// The value, ready for the record.
    pub value: String,
    /// What in the source it comes from.
    pub evidence: String,
}

/// A quoted passage and who it is attributed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FoundQuote {
    /// The passage exactly as it stands between its quotation marks.
    pub text: String,
    /// The speaker named nearest to it in its paragraph, else the main speaker.
    pub speaker: Option<String>,
}

/// Everything detected in a source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Detected {
    /// The body: paragraphs separated by a blank line, without site chrome.
    pub body: String,
    /// The lines dropped as site chrome, in source order.
    pub dropped: Vec<String>,
    /// The first line of the body when it looks like a headline.
    pub headline: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<Found>,
    /// A date found without a year anywhere to complete it (`--MM-DD` style evidence).
    pub date_without_year: Option<Found>,
    /// The outlet.
    pub outlet: Option<Found>,
    /// The main speaker's name, as the text writes it.
    pub speaker: Option<Found>,
    /// The main speaker's role, as the text writes it.
    pub role: Option<Found>,
    /// Quoted passages, in order.
    pub quotes: Vec<FoundQuote>,
    /// A BCP 47 tag.
    pub language: Option<Found>,
}

/// Detects what it can in `source`; see the module documentation.
pub fn detect(source: &str) -> Detected {
    let (body, dropped, source_line) = extract_body(source);
    let outlet = source_line
        .and_then(|(label, name)| {
            let value = known_outlet(&name).unwrap_or_else(|| name.clone());
            (!value.is_empty()).then_some(Found {
                value,
                evidence: label,
            })
        })
        .or_else(|| dateline_outlet(&body));
    let toks = word_tokens(&body);
    let (date, date_without_year) = detect_date(&body, &toks);
    let people = speakers::speakers(&body, &toks);
    let main = main_speaker(&people);
    let quotes = quotes::quotes(&body)
        .into_iter()
        .map(|range| FoundQuote {
            text: body
                .get(range.clone())
                .unwrap_or_default()
                .trim()
                .to_string(),
            speaker: quote_speaker(&body, &range, &people)
                .or_else(|| main.as_ref().map(|(name, _)| name.value.clone())),
        })
        .collect();
    let headline = body
        .lines()
        .next()
        .filter(|l| looks_like_caption(l))
        .map(|l| l.trim().to_string());
    Detected {
        language: detect_language(&body),
        headline,
        date,
        date_without_year,
        outlet,
        speaker: main.as_ref().map(|(n, _)| n.clone()),
        role: main.and_then(|(_, r)| r),
        quotes,
        dropped,
        body,
    }
}
