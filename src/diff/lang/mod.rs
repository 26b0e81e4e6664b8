//! The language layer: how a word is reduced to what it means for comparison, per
//! language. One copy for everything that compares words (item matching, the wording
//! diff, blame, trace), so they agree on when two words are "the same".
//!
//! On top of [`normalize_token_into`](super::normalize::normalize_token_into) (case,
//! Arabic marks and alef forms, `ё`, digits), a word gets:
//!
//! * its **language** ([`Lang::for_word`]): by script, with the statement's language as a
//!   hint for the script it is written in (a Latin word in a French statement is French;
//!   an English priority in a Russian record is English);
//! * for Arabic, its **clitics** taken off ([`strip_arabic_clitics`]): و، ف، ب، ك، ل
//!   and the article ال; for English, British spellings read as American
//!   ([`fold_spelling`]: `organisation`, `defence`, `neighbour`);
//! * whether it is a **stop word** ([`is_stop_word`]): a function word of English,
//!   Russian or Arabic;
//! * its **stem** (Snowball, through rust-stemmers, for the languages it covers:
//!   English, Russian, Arabic, and Danish, Dutch, Finnish, French, German, Greek,
//!   Hungarian, Italian, Norwegian, Portuguese, Romanian, Spanish, Swedish, Tamil,
//!   Turkish), with Arabic letter variants folded ([`fold_arabic_letters`]).
//!
//! The entry points are [`analyze_word`] for one word and [`terms`] for a text: a
//! [`Term`] per word part (hyphenated and apostrophised words are split: `военно-
//! политический`, `state's`), each with its span in the original text, so a caller can
//! map any comparison back to the words as written. [`Analyzer`] caches the analysis of
//! words it has seen, for callers that analyse many texts.
//!
//! ```
//! use dossier::diff::lang::{terms, Lang};
//! let t = terms("единой системы противовоздушной обороны", Some(Lang::Ru));
//! let stems: Vec<&str> = t.iter().map(|t| t.stem.as_str()).collect();
//! assert_eq!(stems, ["един", "систем", "противовоздушн", "оборон"]);
//! let t = terms("والتعاون العسكري", Some(Lang::Ar));
//! assert_eq!(t[0].base, "تعاون");
//! assert!(terms("the", None)[0].stop);
//! ```

mod arabic;
mod english;
pub mod equivalents;
mod stop;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use serde::Serialize;

pub use arabic::{fold_arabic_letters, strip_arabic_clitics};
pub use english::fold_spelling;

use super::normalize::{is_joiner, normalize_token_into, tokens, TokenKind};

/// A language the comparison can stem, or one it only normalises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ar,
    Da,
    De,
    El,
    En,
    Es,
    Fi,
    Fr,
    Hu,
    It,
    Nl,
    No,
    Pt,
    Ro,
    Ru,
    Sv,
    Ta,
    Tr,
}

/// The writing system of a word, for telling languages apart inside one text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    Latin,
    Cyrillic,
    Arabic,
    Greek,
    Tamil,
    /// Digits only, or a script without a stemmer here.
    Other,
}

impl Script {
    /// The script of a (normalised) word: that of its first letter.
    pub fn of(word: &str) -> Script {
        for c in word.chars() {
            let script = match c {
                'a'..='z' | 'A'..='Z' | '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' => {
                    Script::Latin
                }
                '\u{0400}'..='\u{052F}' => Script::Cyrillic,
                '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FDFF}' => {
                    Script::Arabic
                }
                '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}' => Script::Greek,
                '\u{0B80}'..='\u{0BFF}' => Script::Tamil,
                c if c.is_alphabetic() => return Script::Other,
                _ => continue,
            };
            return script;
        }
        Script::Other
    }
}

impl Lang {
    /// The language of a BCP 47 tag (`en`, `en-GB`, `ru`, `ar-EG`...), when it has a
    /// stemmer here.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        Some(match primary.as_str() {
            "ar" => Lang::Ar,
            "da" => Lang::Da,
            "de" => Lang::De,
            "el" => Lang::El,
            "en" => Lang::En,
            "es" => Lang::Es,
            "fi" => Lang::Fi,
            "fr" => Lang::Fr,
            "hu" => Lang::Hu,
            "it" => Lang::It,
            "nl" => Lang::Nl,
            "no" | "nb" | "nn" => Lang::No,
            "pt" => Lang::Pt,
            "ro" => Lang::Ro,
            "ru" => Lang::Ru,
            "sv" => Lang::Sv,
            "ta" => Lang::Ta,
            "tr" => Lang::Tr,
            _ => return None,
        })
    }

    /// The language's tag (`en`, `ru`, `ar`...).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::Da => "da",
            Lang::De => "de",
            Lang::El => "el",
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Fi => "fi",
            Lang::Fr => "fr",
            Lang::Hu => "hu",
            Lang::It => "it",
            Lang::Nl => "nl",
            Lang::No => "no",
            Lang::Pt => "pt",
            Lang::Ro => "ro",
            Lang::Ru => "ru",
            Lang::Sv => "sv",
            Lang::Ta => "ta",
            Lang::Tr => "tr",
        }
    }

    /// The script the language is written in.
    pub fn script(self) -> Script {
        match self {
            Lang::Ar => Script::Arabic,
            Lang::Ru => Script::Cyrillic,
            Lang::El => Script::Greek,
            Lang::Ta => Script::Tamil,
            _ => Script::Latin,
        }
    }

    /// The language of a word: the hint when the word is in the hint's script, else the
    /// language this tool assumes for the script (English for Latin, Russian for
    /// Cyrillic, Arabic, Greek, Tamil); `None` for digits and other scripts.
    pub fn for_word(word: &str, hint: Option<Lang>) -> Option<Lang> {
        let script = Script::of(word);
        if let Some(h) = hint.filter(|h| h.script() == script) {
            return Some(h);
        }
        match script {
            Script::Latin => Some(Lang::En),
            Script::Cyrillic => Some(Lang::Ru),
            Script::Arabic => Some(Lang::Ar),
            Script::Greek => Some(Lang::El),
            Script::Tamil => Some(Lang::Ta),
            Script::Other => None,
        }
    }

    fn algorithm(self) -> Algorithm {
        match self {
            Lang::Ar => Algorithm::Arabic,
            Lang::Da => Algorithm::Danish,
            Lang::De => Algorithm::German,
            Lang::El => Algorithm::Greek,
            Lang::En => Algorithm::English,
            Lang::Es => Algorithm::Spanish,
            Lang::Fi => Algorithm::Finnish,
            Lang::Fr => Algorithm::French,
            Lang::Hu => Algorithm::Hungarian,
            Lang::It => Algorithm::Italian,
            Lang::Nl => Algorithm::Dutch,
            Lang::No => Algorithm::Norwegian,
            Lang::Pt => Algorithm::Portuguese,
            Lang::Ro => Algorithm::Romanian,
            Lang::Ru => Algorithm::Russian,
            Lang::Sv => Algorithm::Swedish,
            Lang::Ta => Algorithm::Tamil,
            Lang::Tr => Algorithm::Turkish,
        }
    }

    fn stop_words(self) -> Option<&'static HashSet<&'static str>> {
        static EN: OnceLock<HashSet<&str>> = OnceLock::new();
        static RU: OnceLock<HashSet<&str>> = OnceLock::new();
        static AR: OnceLock<HashSet<&str>> = OnceLock::new();
        let (cell, list) = match self {
            Lang::En => (&EN, stop::ENGLISH),
            Lang::Ru => (&RU, stop::RUSSIAN),
            Lang::Ar => (&AR, stop::ARABIC),
            _ => return None,
        };
        Some(cell.get_or_init(|| list.iter().copied().collect()))
    }
}

/// Whether a normalised word is a function word of `lang` (English, Russian and Arabic
/// have lists; other languages have none, so nothing is a stop word there). For Arabic
/// the word is also checked as each clitic comes off (`وفي` is `في`).
pub fn is_stop_word(lang: Lang, word: &str) -> bool {
    let Some(list) = lang.stop_words() else {
        return false;
    };
    if list.contains(word) {
        return true;
    }
    // Arabic: the word as each layer of clitics comes off, whichever way it can.
    lang == Lang::Ar && stripped_forms(word).any(|w| list.contains(w))
}

/// The forms of an Arabic word with one or more layers of clitics taken off (at most
/// three layers, each leaving two letters or more).
fn stripped_forms(word: &str) -> impl Iterator<Item = &str> {
    const PREFIXES: [&str; 11] = [
        "وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك",
    ];
    let mut forms = vec![word];
    let mut layer = vec![word];
    for _ in 0..3 {
        layer = layer
            .iter()
            .flat_map(|w| PREFIXES.iter().filter_map(move |p| w.strip_prefix(p)))
            .filter(|rest| rest.chars().count() >= 2)
            .collect();
        forms.extend(&layer);
    }
    forms.into_iter().skip(1)
}

/// What comparison makes of one word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordForm {
    /// The language it was read in, `None` for digits and scripts without a stemmer.
    pub lang: Option<Lang>,
    /// The normalised word with Arabic clitics taken off and English spelling folded
    /// (for character n-grams).
    pub base: String,
    /// The stem: what two words must share to be "the same word".
    pub stem: String,
    /// A function word.
    pub stop: bool,
}

/// Analyses one word already normalised with
/// [`normalize_token_into`](super::normalize::normalize_token_into) and without joiners
/// (split `state's` into `state` and `s` first; [`terms`] does).
pub fn analyze_word(normalised: &str, hint: Option<Lang>) -> WordForm {
    let lang = Lang::for_word(normalised, hint);
    let Some(l) = lang else {
        return WordForm {
            lang,
            base: normalised.to_owned(),
            stem: normalised.to_owned(),
            stop: false,
        };
    };
    let stop = is_stop_word(l, normalised);
    let base = match l {
        Lang::Ar => Cow::Borrowed(strip_arabic_clitics(normalised)),
        Lang::En => fold_spelling(normalised),
        _ => Cow::Borrowed(normalised),
    };
    let base = base.as_ref();
    let stemmed = Stemmer::create(l.algorithm()).stem(base).into_owned();
    let stem = if l == Lang::Ar {
        let mut folded = String::with_capacity(stemmed.len());
        fold_arabic_letters(&stemmed, &mut folded);
        // A stem the stemmer cut to nothing (or one letter) says less than the word.
        if folded.chars().count() < 2 {
            fold_arabic_letters(base, &mut folded);
        }
        folded
    } else if stemmed.is_empty() {
        base.to_owned()
    } else {
        stemmed
    };
    WordForm {
        lang,
        base: base.to_owned(),
        stem,
        stop,
    }
}

/// One word (or word part) of a text, as comparison sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Byte range of the word part in the original text.
    pub span: Range<usize>,
    /// The language it was read in.
    pub lang: Option<Lang>,
    /// Normalised, Arabic clitics off, English spelling folded.
    pub base: String,
    /// The stem.
    pub stem: String,
    /// A function word.
    pub stop: bool,
}

/// The terms of `text`: each word split at its inner hyphens and apostrophes, normalised
/// and analysed with [`analyze_word`]. Punctuation and whitespace give none.
pub fn terms(text: &str, hint: Option<Lang>) -> Vec<Term> {
    Analyzer::new(hint).terms(text)
}

/// [`terms`] with a cache of the words already analysed: use one for many texts in the
/// same language.
#[derive(Debug, Default)]
pub struct Analyzer {
    hint: Option<Lang>,
    cache: HashMap<String, WordForm>,
    scratch: String,
}

/// Words cached at most; past it the cache is cleared (memory stays bounded however much
/// text goes through one analyser).
const CACHE_LIMIT: usize = 200_000;

impl Analyzer {
    /// An analyser reading words with `hint` as the language of their script.
    pub fn new(hint: Option<Lang>) -> Analyzer {
        Analyzer {
            hint,
            cache: HashMap::new(),
            scratch: String::new(),
        }
    }

    /// The language hint.
    pub fn hint(&self) -> Option<Lang> {
        self.hint
    }

    /// [`analyze_word`], cached.
    pub fn word(&mut self, normalised: &str) -> &WordForm {
        if !self.cache.contains_key(normalised) {
            if self.cache.len() >= CACHE_LIMIT {
                self.cache.clear();
            }
            let form = analyze_word(normalised, self.hint);
            self.cache.insert(normalised.to_owned(), form);
        }
        &self.cache[normalised]
    }

    /// The terms of `text`; see [`terms`].
    pub fn terms(&mut self, text: &str) -> Vec<Term> {
        let mut out = Vec::new();
        for token in tokens(text).filter(|t| t.kind == TokenKind::Word) {
            let word = token.text(text);
            let mut parts = Vec::new();
            let mut from = 0;
            for (i, c) in word.char_indices().filter(|&(_, c)| is_joiner(c)) {
                parts.push(from..i);
                from = i + c.len_utf8();
            }
            parts.push(from..word.len());
            for part in parts {
                let mut scratch = std::mem::take(&mut self.scratch);
                normalize_token_into(&word[part.clone()], false, &mut scratch);
                if !scratch.is_empty() {
                    let form = self.word(&scratch);
                    out.push(Term {
                        span: token.start + part.start..token.start + part.end,
                        lang: form.lang,
                        base: form.base.clone(),
                        stem: form.stem.clone(),
                        stop: form.stop,
                    });
                }
                self.scratch = scratch;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str, hint: Option<Lang>) -> Vec<String> {
        terms(text, hint)
            .into_iter()
            .filter(|t| !t.stop)
            .map(|t| t.stem)
            .collect()
    }

    #[test]
    fn english_inflections_share_a_stem() {
        assert_eq!(
            stems("air defence systems", None),
            stems("Air Defence System", None)
        );
        assert_eq!(stems("continuity", None), stems("continuous", None));
        assert_eq!(stems("strengthening", None), stems("strengthen", None));
        assert_ne!(stems("cyber", None), stems("energy", None));
        assert_eq!(
            stems("organisation defence", None),
            stems("organization defense", None)
        );
    }

    #[test]
    fn russian_case_endings_share_a_stem() {
        let a = stems("единая система ПВО", Some(Lang::Ru));
        let b = stems("единой системы ПВО", Some(Lang::Ru));
        assert_eq!(a, b);
        assert_eq!(
            stems("противовоздушной обороны", None),
            stems("противовоздушная оборона", None)
        );
        // ё and е are one letter for comparison.
        assert_eq!(stems("объединённая", None), stems("объединенной", None));
    }

    #[test]
    fn arabic_clitics_and_article_come_off_before_stemming() {
        assert_eq!(
            stems("والتعاون العسكري", None),
            stems("التعاون العسكري", None)
        );
        assert_eq!(stems("بالتعاون", None), stems("تعاون", None));
        assert_eq!(stems("المنظومة الموحدة", None), stems("منظومة موحدة", None));
        assert_eq!(stems("الدفاع الجوي", None), stems("دفاع جوي", None));
    }

    #[test]
    fn stop_words_per_language() {
        let stop = |text: &str| -> Vec<bool> { terms(text, None).iter().map(|t| t.stop).collect() };
        assert_eq!(stop("the system of defence"), [true, false, true, false]);
        assert_eq!(
            stop("система и оборона в СНГ"),
            [false, true, false, true, false]
        );
        assert_eq!(
            stop("التعاون في مجال الدفاع وفي"),
            [false, true, false, false, true]
        );
        assert_eq!(stop("والتي"), [true]);
    }

    #[test]
    fn language_by_script_with_a_hint() {
        assert_eq!(Lang::for_word("defence", Some(Lang::Ru)), Some(Lang::En));
        assert_eq!(Lang::for_word("défense", Some(Lang::Fr)), Some(Lang::Fr));
        assert_eq!(Lang::for_word("оборона", None), Some(Lang::Ru));
        assert_eq!(Lang::for_word("2030", Some(Lang::En)), None);
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("zh-Hant"), None);
        // Other languages stem too, without stop words.
        assert_eq!(
            stems("coopérations militaires", Some(Lang::Fr)),
            stems("coopération militaire", Some(Lang::Fr))
        );
    }

    #[test]
    fn terms_keep_their_spans_and_split_joined_words() {
        let text = "Военно-политический курс, state's «ПВО»";
        let t = terms(text, None);
        let parts: Vec<&str> = t.iter().map(|t| &text[t.span.clone()]).collect();
        assert_eq!(
            parts,
            ["Военно", "политический", "курс", "state", "s", "ПВО"]
        );
        assert!(t[4].stop, "the possessive s says nothing");
        assert_eq!(t[5].base, "пво");
        // Digits stay as they are.
        assert_eq!(terms("1941-1945", None)[1].stem, "1945");
    }

    #[test]
    fn analyzer_cache_gives_the_same_answers() {
        let mut a = Analyzer::new(Some(Lang::Ru));
        let first = a.terms("единой системы");
        assert_eq!(a.terms("единой системы"), first);
        assert_eq!(first, terms("единой системы", Some(Lang::Ru)));
    }
}
