//! What the matcher keeps of an item: per language it is worded in (its text and each
//! translation), the content terms (stems, with synonym groups folded into one term)
//! with the character trigrams of each term's word, and a fingerprint of its normalised
//! text.

use std::collections::BTreeMap;

use super::synonyms::Synonyms;
use crate::diff::lang::{Analyzer, Lang, Term};
use crate::diff::normalize::{normalize, tokens, TokenKind};

/// A 64-bit id of a term, a trigram or a text (FNV-1a): matching needs no strings.
pub type Id = u64;

/// A map keyed by [`Id`], hashed with foldhash's fast hasher and a fixed seed (the ids
/// are hashes already; a fixed seed keeps runs reproducible).
pub type IdMap<V> = std::collections::HashMap<Id, V, foldhash::fast::FixedState>;

pub(crate) fn hash(parts: &[&str]) -> Id {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            h ^= 0xff;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for b in part.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// One wording of an item in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The language tag (`en`, `ru`, `ar`...; `und` when there is no word to tell).
    pub lang: String,
    /// Whether this is the item's own text (not a translation).
    pub original: bool,
    /// Content terms, sorted, without repeats.
    pub terms: Vec<Id>,
    /// The trigrams of each term's word (aligned with `terms`; empty for a synonym
    /// group), sorted, for pairing words the stemmer did not reduce alike.
    pub term_grams: Vec<Vec<Id>>,
    /// Keys for finding candidates that the stems may miss (the first letters of long
    /// words), sorted, without repeats.
    pub prefixes: Vec<Id>,
    /// Fingerprint of the normalised text: equal means unchanged.
    pub text: Id,
}

/// Everything the matcher keeps of an item: its versions, the original first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub versions: Vec<Version>,
}

impl Profile {
    /// The version in `lang`, if any.
    pub fn version(&self, lang: &str) -> Option<&Version> {
        self.versions
            .iter()
            .find(|v| v.lang.eq_ignore_ascii_case(lang))
    }

    /// The languages it is worded in, the original first.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.versions.iter().map(|v| v.lang.as_str())
    }
}

/// Letters a word needs before its first letters serve as a candidate key.
const PREFIX_LEN: usize = 5;

/// Builds the profile of an item worded `text` (in `hint`'s language or, for another
/// script, the language of that script), with `translations`.
pub fn profile(
    text: &str,
    hint: Option<&str>,
    translations: Option<&BTreeMap<String, String>>,
    synonyms: &Synonyms,
    strict: bool,
) -> Profile {
    let mut versions = vec![version(text, hint, true, synonyms, strict)];
    for (lang, t) in translations.into_iter().flatten() {
        if versions.iter().any(|v| v.lang.eq_ignore_ascii_case(lang)) {
            continue; // the original is in that language already
        }
        let mut v = version(t, Some(lang), false, synonyms, strict);
        v.lang = lang.to_ascii_lowercase();
        versions.push(v);
    }
    Profile { versions }
}

/// The terms of `text` that carry content: the non-stop terms, or every term when all
/// are stop words (an item of function words only still has to match itself).
pub(crate) fn content_terms(analyzer: &mut Analyzer, text: &str) -> Vec<Term> {
    let all = analyzer.terms(text);
    if all.iter().all(|t| t.stop) {
        all
    } else {
        all.into_iter().filter(|t| !t.stop).collect()
    }
}

/// The language most of a text's words are in (by script, with the hint for its own
/// script), or the hint, or `und`.
pub(crate) fn dominant_language(terms: &[Term], hint: Option<Lang>) -> String {
    let mut counts: Vec<(Lang, usize)> = Vec::new();
    for t in terms {
        if let Some(l) = t.lang {
            match counts.iter_mut().find(|(c, _)| *c == l) {
                Some((_, n)) => *n += 1,
                None => counts.push((l, 1)),
            }
        }
    }
    let best = counts.iter().max_by_key(|(_, n)| *n).map(|(l, _)| *l);
    best.or(hint)
        .map_or_else(|| "und".to_owned(), |l| l.tag().to_owned())
}

fn version(
    text: &str,
    hint: Option<&str>,
    original: bool,
    synonyms: &Synonyms,
    strict: bool,
) -> Version {
    let hint_lang = hint.and_then(Lang::from_tag);
    if strict {
        // Exact words, nothing folded: `--strict` compares text as written.
        let words: Vec<&str> = tokens(text)
            .filter(|t| t.kind == TokenKind::Word)
            .map(|t| t.text(text))
            .collect();
        let mut terms: Vec<(Id, Vec<Id>)> = words
            .iter()
            .map(|w| {
                let mut g = Vec::new();
                trigrams(w, &mut g);
                g.sort_unstable();
                g.dedup();
                (hash(&[w]), g)
            })
            .collect();
        terms.sort_by_key(|t| t.0);
        terms.dedup_by_key(|t| t.0);
        return Version {
            lang: hint.unwrap_or("und").to_ascii_lowercase(),
            original,
            term_grams: terms.iter().map(|t| t.1.clone()).collect(),
            terms: terms.iter().map(|t| t.0).collect(),
            prefixes: Vec::new(),
            text: hash(&[text]),
        };
    }
    let mut analyzer = Analyzer::new(hint_lang);
    let content = content_terms(&mut analyzer, text);
    let lang = if original {
        dominant_language(&content, hint_lang)
    } else {
        hint.unwrap_or("und").to_ascii_lowercase()
    };
    let stems: Vec<&str> = content.iter().map(|t| t.stem.as_str()).collect();
    let folded = synonyms.fold(&stems);
    // A folded term stands for one or more words; a word left as it was keeps its
    // trigrams (`fold` keeps the order, so words and terms line up until a group).
    let mut terms: Vec<(Id, Vec<Id>)> = Vec::with_capacity(folded.len());
    let mut word = 0;
    for term in &folded {
        let mut g = Vec::new();
        if term.starts_with('≈') {
            word += synonyms.span_at(&stems, word).max(1);
        } else {
            if let Some(t) = content.get(word) {
                trigrams(&t.base, &mut g);
                g.sort_unstable();
                g.dedup();
            }
            word += 1;
        }
        terms.push((hash(&[term.as_ref()]), g));
    }
    terms.sort_by_key(|t| t.0);
    terms.dedup_by_key(|t| t.0);
    let mut prefixes = Vec::new();
    for t in &content {
        if t.base.chars().count() > PREFIX_LEN {
            let end = t
                .base
                .char_indices()
                .nth(PREFIX_LEN)
                .map_or(t.base.len(), |(i, _)| i);
            prefixes.push(hash(&["^", &t.base[..end]]));
        }
    }
    prefixes.sort_unstable();
    prefixes.dedup();
    Version {
        lang,
        original,
        term_grams: terms.iter().map(|t| t.1.clone()).collect(),
        terms: terms.iter().map(|t| t.0).collect(),
        prefixes,
        text: hash(&[&normalize(text, false)]),
    }
}

/// The trigrams of `#word#` (a word of one letter gives `#w#`).
fn trigrams(word: &str, out: &mut Vec<Id>) {
    let chars: Vec<char> = std::iter::once('#')
        .chain(word.chars())
        .chain(std::iter::once('#'))
        .collect();
    let mut buf = String::new();
    for w in chars.windows(3) {
        buf.clear();
        buf.extend(w);
        out.push(hash(&["#", &buf]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_languages() {
        let tr = BTreeMap::from([("en".to_owned(), "Unified air defence system".to_owned())]);
        let p = profile(
            "Единая система ПВО",
            Some("ru"),
            Some(&tr),
            &Synonyms::default(),
            false,
        );
        let langs: Vec<&str> = p.languages().collect();
        assert_eq!(langs, ["ru", "en"]);
        assert!(p.versions[0].original && !p.versions[1].original);
        // An English item in a Russian record is English.
        let p = profile(
            "Unified air defence system",
            Some("ru"),
            None,
            &Synonyms::default(),
            false,
        );
        assert_eq!(p.versions[0].lang, "en");
        assert_eq!(p.version("EN").map(|v| v.terms.len()), Some(4));
    }

    #[test]
    fn stop_words_carry_no_terms_unless_that_is_all_there_is() {
        let s = Synonyms::default();
        let a = profile("the system of the states", Some("en"), None, &s, false);
        let b = profile("system states", Some("en"), None, &s, false);
        assert_eq!(a.versions[0].terms, b.versions[0].terms);
        assert_ne!(a.versions[0].text, b.versions[0].text);
        let only = profile("of the", Some("en"), None, &s, false);
        assert_eq!(only.versions[0].terms.len(), 2);
    }
}
