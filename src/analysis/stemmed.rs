//! `trace --stem`: a phrase matched word by word on stems rather than on normalised
//! forms, so that "air defence systems" finds "air defence system", "единая система"
//! finds "единой системы", and "الدفاع الجوي" finds "بالدفاعات الجوية" when the stemmer
//! folds them. Each word is analysed by the one language layer ([`crate::diff::lang`]:
//! normalisation, Arabic clitics and article off, British/American spelling, Snowball
//! stems) in the language of the field it is in (the statement's, or the translation's),
//! and the phrase's words are stemmed in that same language. Words still follow each
//! other with only white space or a hyphen between them, as in a plain trace.

use std::collections::HashMap;
use std::ops::Range;

use super::trace::{fields, for_each_word, snippet, Hit};
use crate::diff::lang::{Analyzer, Lang};
use crate::record::Statement;

/// A phrase to match on stems: its words, normalised (stemmed per field language as
/// needed).
#[derive(Debug, Clone)]
pub struct StemPhrase {
    words: Vec<String>,
}

impl StemPhrase {
    /// The phrase's normalised words (as [`super::trace::phrase_words`] gives them).
    pub fn new(words: &[String]) -> StemPhrase {
        StemPhrase {
            words: words.to_vec(),
        }
    }

    /// The phrase's stems when read in `lang` (a BCP 47 tag; the script decides when
    /// it names no language with a stemmer).
    pub fn stems(&self, lang: Option<&str>) -> Vec<String> {
        let mut an = Analyzer::new(lang.and_then(Lang::from_tag));
        self.words.iter().map(|w| an.word(w).stem.clone()).collect()
    }
}

/// Byte ranges of every occurrence of the phrase's `stems` in `text`, its words read as
/// `an` reads them.
fn find(text: &str, stems: &[String], an: &mut Analyzer) -> Vec<Range<usize>> {
    let n = stems.len();
    if n == 0 {
        return Vec::new();
    }
    let mut words: Vec<(Range<usize>, String, bool, Option<Lang>)> = Vec::new();
    for_each_word(text, |range, norm, joined| {
        let form = an.word(norm);
        words.push((range, form.stem.clone(), joined, form.lang));
    });
    let same = |k: usize, stem: &str| same_stem(&words[k].1, stem, words[k].3);
    let mut out = Vec::new();
    let mut i = 0;
    while i + n <= words.len() {
        let hit = same(i, &stems[0]) && (1..n).all(|k| words[i + k].2 && same(i + k, &stems[k]));
        if hit {
            out.push(words[i].0.start..words[i + n - 1].0.end);
            i += n;
        } else {
            i += 1;
        }
    }
    out
}

/// Whether two stems are the same word. Russian Snowball takes `-ему`/`-ому` off nouns
/// as if they were adjective endings (`систему` -> `сист`, `система` -> `систем`), so in
/// Russian a stem of four letters or more that begins the other, two letters shorter at
/// most, counts too.
fn same_stem(a: &str, b: &str, lang: Option<Lang>) -> bool {
    if a == b {
        return true;
    }
    if lang != Some(Lang::Ru) {
        return false;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let (ns, nl) = (short.chars().count(), long.chars().count());
    ns >= 4 && nl - ns <= 2 && long.starts_with(short)
}

/// Every stemmed hit of the phrase in one statement (the fields a plain trace searches,
/// `lang` as there).
pub fn hits(st: &Statement, phrase: &StemPhrase, lang: Option<&str>) -> Vec<Hit> {
    let mut stems: HashMap<String, Vec<String>> = HashMap::new();
    let mut analyzers: HashMap<String, Analyzer> = HashMap::new();
    let mut out = Vec::new();
    for (name, text) in fields(st, lang) {
        let field_lang = name
            .strip_prefix("translations.")
            .unwrap_or(&st.language)
            .to_owned();
        let s = stems
            .entry(field_lang.clone())
            .or_insert_with(|| phrase.stems(Some(&field_lang)));
        let an = analyzers
            .entry(field_lang.clone())
            .or_insert_with(|| Analyzer::new(Lang::from_tag(&field_lang)));
        out.extend(
            find(text, s, an)
                .into_iter()
                .map(|r| snippet(&name, text, r)),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::trace::phrase_words;

    fn count(text: &str, lang: &str, phrase: &str) -> usize {
        let p = StemPhrase::new(&phrase_words(phrase));
        let mut an = Analyzer::new(Lang::from_tag(lang));
        find(text, &p.stems(Some(lang)), &mut an).len()
    }

    #[test]
    fn english_plurals_and_spelling() {
        assert_eq!(
            count("a joint air defence system", "en", "air defence systems"),
            1
        );
        assert_eq!(
            count("joint Air-Defense Systems", "en", "air defence system"),
            1
        );
        assert_eq!(
            count("the hair defence system", "en", "air defence system"),
            0
        );
        assert_eq!(count("air. Defence systems", "en", "air defence"), 0);
        assert_eq!(count("air defence, air defences", "en", "air defence"), 2);
    }

    #[test]
    fn russian_case_endings() {
        assert_eq!(
            count("создание единой системы ПВО", "ru", "единая система ПВО"),
            1
        );
        assert_eq!(
            count("Объединённую систему", "ru", "объединенная система"),
            1
        );
        assert_eq!(count("единая оборона", "ru", "единая система"), 0);
        // The stemmer cuts `систему` to `сист`: still the same word.
        assert_eq!(count("создать единую систему", "ru", "единая система"), 1);
        assert_eq!(count("систематический подход", "ru", "система"), 0);
    }

    #[test]
    fn arabic_article_and_clitics_on_any_word() {
        assert_eq!(count("وتعزيز والدفاع الجوي", "ar", "الدفاع الجوي"), 1);
        assert_eq!(count("نظام للدفاع الجوي", "ar", "دفاع جوي"), 1);
        assert_eq!(count("منظومة الدفاع البري", "ar", "الدفاع الجوي"), 0);
    }

    #[test]
    fn hits_name_the_field_and_read_translations_in_their_language() {
        let st = Statement {
            id: "2025-01-01-x".into(),
            initiative: "cis".into(),
            date: "2025-01-01".into(),
            language: "ru".into(),
            text: Some("Создание единой системы ПВО.".into()),
            translations: [(
                "en".to_owned(),
                "Building unified air defence systems.".to_owned(),
            )]
            .into(),
            ..Statement::default()
        };
        let p = StemPhrase::new(&phrase_words("unified air defence system"));
        let h = hits(&st, &p, None);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].field, "translations.en");
        assert_eq!(h[0].matched, "unified air defence systems");
        let p = StemPhrase::new(&phrase_words("единая система"));
        let h = hits(&st, &p, None);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].field, "text");
        assert_eq!(h[0].matched, "единой системы");
    }
}
